"""The search page (`/search/?q=…`, the top bar's box): results grouped by entity, each a link
to its record with the words found marked.

Only what the user may see: an entity he may read (its list's permission), records
through that list's own scope and filters (unit, need-to-know, the Trash), and words of
fields anyone who reads the record reads (the index never holds a sensitive column).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.extensions import db
from app.registry.spec import REGISTRY
from app.search.index import fields_of, find
from app.search.words import marks, query_words

#: Records shown per entity; the group links to the list for the rest.
PER_ENTITY = 8

#: Characters of a matching field shown around the first word found.
SNIPPET = 36

_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class Hit:
    url: str
    label: Markup
    snippet: Markup


@dataclass
class Group:
    entity: object
    title: str
    count: int
    hits: list[Hit] = field(default_factory=list)


def _pieces(query: str) -> list[str]:
    """What to mark: each Latin word, and each Chinese run's pairs (燃气安全 marks 燃气…安全
    wherever the text holds them, as the index matched them)."""
    out = []
    for piece in marks(query):
        if _CHINESE.match(piece) and len(piece) > 1:
            out.extend(piece[i:i + 2] for i in range(len(piece) - 1))
        else:
            out.append(piece)
    return out


def highlight(text: str, query: str) -> Markup:
    """`text`, escaped, with what `query` asked for in <mark>."""
    text = text or ""
    lowered = text.lower()
    spans = []
    for piece in _pieces(query):
        start = lowered.find(piece)
        while start >= 0:
            spans.append((start, start + len(piece)))
            start = lowered.find(piece, start + 1)
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>{}</mark>").format(text[start:end]))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _snippet(entity, record, label: str, query: str) -> Markup:
    """A piece of the first searchable field that holds a word asked and is not the label."""
    pieces = _pieces(query)
    for name in fields_of(entity):
        value = getattr(record, name, None)
        if not isinstance(value, str) or not value or value in label:
            continue
        lowered = value.lower()
        at = min((lowered.find(p) for p in pieces if p in lowered), default=-1)
        if at < 0:
            continue
        start = max(0, at - SNIPPET // 3)
        cut = value[start:start + SNIPPET]
        return Markup("{}{}{}").format("…" if start else "", highlight(cut, query),
                                        "…" if start + SNIPPET < len(value) else "")
    return Markup("")


def search(query: str) -> list[Group]:
    """The groups of records the current user may see that hold every word of `query`."""
    asked = query_words(query)
    if not asked:
        return []
    found = find(db.session.connection(), asked)
    ranked: dict[str, list[int]] = {}
    for name, pk in found:
        ranked.setdefault(name, []).append(pk)
    entities = {e.name: e for e in REGISTRY.values()}
    sm = current_app.appbuilder.sm
    groups = []
    for name, pks in ranked.items():
        entity = entities.get(name)
        view = _view_of(entity) if entity is not None else None
        if view is None or not sm.has_access("can_read", view.class_permission_name):
            continue
        model = entity.model
        query_ = view.datamodel.apply_inner_all(db.session.query(model.id).filter(model.id.in_(pks)),
                                                view._base_filters)
        allowed = {pk for (pk,) in query_.all()}
        shown = [pk for pk in pks if pk in allowed][:PER_ENTITY]
        if not shown:
            continue
        records = {r.id: r for r in db.session.query(model).filter(model.id.in_(shown))}
        group = Group(entity=entity, title=str(entity.title), count=len(allowed))
        for pk in shown:
            record = records.get(pk)
            if record is None:
                continue
            label = str(record) or f"#{pk}"
            group.hits.append(Hit(url=url_for(f"{view.endpoint}.show", pk=pk), label=highlight(label, query),
                                  snippet=_snippet(entity, record, label, query)))
        groups.append(group)
    return groups


def _view_of(entity):
    from app.dashboard.links import view_of

    return view_of(entity)


class SearchView(BaseView):
    """The global search's page; every signed-in user has it (what he finds is his to see)."""

    route_base = "/search"
    default_view = "index"

    @expose("/")
    def index(self):
        if g.user is None or not g.user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_login)
        query = " ".join(request.args.get("q", "").split())[:200]
        groups = search(query) if query else []
        return self.render_template("office/search.html", query=query, groups=groups,
                                    asked=bool(query_words(query)), title=_l("Search"),
                                    total=sum(group.count for group in groups))
