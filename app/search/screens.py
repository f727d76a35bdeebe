"""The search page (`/search/?q=…`, the top bar's box): results grouped by entity, each a link
to its record with the words found marked.

Only what the user may see: an entity he may read (its list's permission), records
through that list's own scope and filters (unit, need-to-know, the Trash), and words of
fields anyone who reads the record reads (the index never holds a sensitive column).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.extensions import db
from app.registered_views import view_of
from app.registry.spec import REGISTRY
from app.search.index import entities_matching, fields_of, know, matching_ids
from app.search.keep import searchable
from app.search.words import marks, query_words
from app.signed_in import signed_in

#: Records shown per entity; more words narrow the rest.
PER_ENTITY = 8

#: Records counted per entity at most ("more than 200").
MOST_COUNTED = 200

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
    more: bool = False
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
        cut = " ".join(value[start:start + SNIPPET].split())      # a body's line breaks and indents
        return Markup("{}{}{}").format("…" if start else "", highlight(cut, query),
                                        "…" if start + SNIPPET < len(value) else "")
    return Markup("")


def search(query: str) -> list[Group]:
    """The groups of records the current user may see that hold every word of `query`: per
    entity he may read, its list's own query (scope, need-to-know, the Trash) over the
    index's matches, the newest first."""
    asked = query_words(query)
    if not asked:
        return []
    dialect = db.session.get_bind().dialect.name
    sm = current_app.appbuilder.sm
    groups = []
    searched = {e.name: e for e in REGISTRY.values() if searchable(e)}
    for name in searched:
        know(name)
    found_in = set(entities_matching(db.session.connection(), asked))
    for entity in searched.values():
        if entity.name not in found_in:
            continue
        view = view_of(entity)
        if view is None or not sm.has_access("can_read", view.class_permission_name):
            continue
        model = entity.model
        matching = model.id.in_(matching_ids(dialect, entity.name, asked))
        ids = view.datamodel.apply_inner_all(db.session.query(model.id).filter(matching), view._base_filters)
        found = [pk for (pk,) in ids.order_by(None).order_by(model.id.desc()).limit(MOST_COUNTED + 1)]
        if not found:
            continue
        shown = found[:PER_ENTITY]
        records = {r.id: r for r in db.session.query(model).filter(model.id.in_(shown))}
        group = Group(entity=entity, title=str(entity.title), count=min(len(found), MOST_COUNTED),
                      more=len(found) > MOST_COUNTED)
        for pk in shown:
            record = records.get(pk)
            if record is None:
                continue
            label = str(record) or f"#{pk}"
            group.hits.append(Hit(url=url_for(f"{view.endpoint}.show", pk=pk), label=highlight(label, query),
                                  snippet=_snippet(entity, record, label, query)))
        groups.append(group)
    return groups


class SearchView(BaseView):
    """The global search's page; every signed-in user has it (what he finds is his to see)."""

    route_base = "/search"
    default_view = "index"

    @expose("/")
    @signed_in
    def index(self):
        query = " ".join(request.args.get("q", "").split())[:200]
        groups = search(query) if query else []
        return self.render_template("office/search.html", query=query, groups=groups,
                                    asked=bool(query_words(query)), title=_l("Search"),
                                    total=sum(group.count for group in groups))
