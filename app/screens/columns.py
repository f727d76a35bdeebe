"""Which columns a list shows: the entity's own, or those the user chose.

Every list has a column chooser (list.html): any field of the record page may be a column
— a long text excepted, which would make every row a page — in the order the user put
them. His choice is kept per entity (models/saved_views.py `ListColumnChoice`) until he
resets it; a saved view carries its own in the address (`_cols=`), so a view shared with a
colleague shows him its columns without changing his. A column he may only read masked
reads masked here as on the record page (the view's formatters), and sorts only where
the list's own would.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import g, request
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.masking import sensitive_columns
from app.registry.introspect import kind_of
from models.saved_views import ListColumnChoice

#: The address parameter naming the columns: `_cols=title,doc_type,lead_department`.
PARAM = "_cols"

#: Kinds a list cannot sort by: values worked out in Python, lists of records, long texts (a
#: unit or another record a row points to sorts by that record's order, interface.py).
UNSORTABLE = ("computed", "relations", "text")


def choosable(view) -> list[str]:
    """The columns the list may show, the list's own first: its own, then every other
    field of the record page but long texts (worked out once per view)."""
    kept = view.__dict__.get("_office_choosable")
    if kept is None:
        model = view.datamodel.obj
        kept = list(view.list_columns)
        for _title, spec in view.show_fieldsets:
            for name in spec["fields"]:
                if name not in kept and kind_of(model, name) != "text" and name in view.label_columns:
                    kept.append(name)
        view._office_choosable = kept
    return kept


def parse(raw: str | None, view) -> list[str]:
    """The known columns `raw` names, each once, in its order (unknown names dropped)."""
    offered = set(choosable(view))
    out: list[str] = []
    for name in (raw or "").split(","):
        name = name.strip()
        if name in offered and name not in out:
            out.append(name)
    return out


def stored(view) -> list[str]:
    """The user's kept choice for the view's entity ([] if none or none still offered)."""
    if not getattr(current_user, "is_authenticated", False):
        return []
    columns = db.session.scalar(select(ListColumnChoice.columns).where(
        ListColumnChoice.user_id == current_user.id, ListColumnChoice.entity == view.entity.name))
    return parse(",".join(str(c) for c in columns or ()), view)


def shown(view) -> list[str]:
    """The columns of the view's list on this request: the address's, else the user's
    kept choice, else the list's own. A record page's related tab shows the list's own."""
    if view.entity is None or request.endpoint != f"{view.endpoint}.list":
        return list(view.list_columns)
    kept = g.setdefault("_office_columns", {})
    if view.endpoint not in kept:
        raw = request.args.get(PARAM)
        kept[view.endpoint] = (parse(raw, view) if raw is not None else stored(view)) or list(view.list_columns)
    return kept[view.endpoint]


def is_own(view, columns) -> bool:
    """Whether `columns` are the list's own (nothing chosen)."""
    return list(columns) == list(view.list_columns)


def sortable(view, columns) -> list[str]:
    """The list's sortable columns and, of the chosen ones, those of its table a user sees
    unmasked to everyone (a sort by an ID number would tell its digits)."""
    model = view.datamodel.obj
    secret = set(sensitive_columns(model))
    extra = [c for c in columns if c not in view.order_columns and c not in secret
             and kind_of(model, c) not in UNSORTABLE]
    return list(view.order_columns) + extra


def keep(view, columns: list[str]) -> None:
    """Keep `columns` as the user's choice for the view's entity; the list's own (or none)
    forgets it."""
    session = db.session
    choice = session.scalar(select(ListColumnChoice).where(
        ListColumnChoice.user_id == current_user.id, ListColumnChoice.entity == view.entity.name))
    if not columns or is_own(view, columns):
        if choice is not None:
            session.delete(choice)
    elif choice is None:
        session.add(ListColumnChoice(user_id=current_user.id, entity=view.entity.name, columns=list(columns)))
    else:
        choice.columns = list(columns)
    session.commit()


def chooser(view) -> list[tuple[str, str, bool]]:
    """(column, label, shown) for the chooser: the shown ones in their order, then the rest."""
    current = shown(view)
    rest = [c for c in choosable(view) if c not in current]
    return [(c, str(view.label_columns.get(c, c)), c in current) for c in current + rest]


#: Most characters of a list's query string kept (a saved view's filters).
MOST_QUERY = 2000


def kept_query(query: str) -> str:
    """A list's query string without its page and chosen columns: what a saved view keeps
    and what the list shows again after the chooser (the first page, its own columns)."""
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=True)
             if k != PARAM and not k.startswith("page_")]
    return urlencode(pairs)[:MOST_QUERY]


def address(query: str) -> str:
    """`?query` for a list's address (nothing when empty)."""
    kept = kept_query(query)
    return f"?{kept}" if kept else ""
