"""Saved views of lists (models/saved_views.py): which ones a user has, and where they lead.

A user sees his own views and those shared with his unit or a unit above it (a view a
division's manager shares reaches its sections too), of the entities he may read. A view
is only an address of the list: opening it runs the list's own query, scope and Trash, so
sharing it shares a way of looking, never a record.

Sharing is a right (`SHARE_VIEWS`), held by Manager by default; an admin grants it to
another role in the role screen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import current_app, g, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from sqlalchemy import false, or_, select

from app.extensions import db
from app.ledgers.screens import filter_text
from app.registered_views import view_of
from app.registry.spec import REGISTRY
from app.registry.unit_tree import units_above
from models.saved_views import SavedView

#: (permission, pseudo view) of sharing a view with one's unit; see app.roles.SPECIAL_RIGHTS.
SHARE_VIEWS = ("share", "SavedViews")

#: The parameter of the address that names the columns (app/screens/columns.py PARAM).
COLUMNS_PARAM = "_cols"

#: Views a user may keep of one list (his own; shared ones do not count).
MOST_PER_LIST = 30


@dataclass(frozen=True)
class ViewLink:
    id: int
    name: str
    title: str             # the list's title: 公文, 12345热线工单…
    entity: str
    url: str
    mine: bool
    shared: bool
    owner: str             # the owner's name (for a view shared with me)
    unit: str              # the unit it is shared with ("" when personal)
    summary: tuple[str, ...] = ()   # what it keeps, in words: each filter, the order, the columns


def may_share() -> bool:
    """Whether the current user may share a view with his unit (and has a unit)."""
    if not getattr(current_user, "is_authenticated", False) or getattr(current_user, "department_id", None) is None:
        return False
    return current_app.appbuilder.sm.has_access(*SHARE_VIEWS)


def address(view, saved: SavedView) -> str:
    """The list's address with the view's filters, order and columns."""
    parts = [saved.query] if saved.query else []
    if saved.columns:
        parts.append(f"{COLUMNS_PARAM}={','.join(saved.columns)}")
    return url_for(f"{view.endpoint}.list") + ("?" + "&".join(parts) if parts else "")


def visible() -> list[ViewLink]:
    """The current user's views and those shared with him, of lists he may read: by list,
    then name (read once per request)."""
    if "_office_saved_views" in g:
        return g._office_saved_views
    out: list[ViewLink] = []
    if getattr(current_user, "is_authenticated", False):
        session = db.session
        units = units_above(session, getattr(current_user, "department_id", None))
        rows = session.scalars(select(SavedView).where(or_(
            SavedView.user_id == current_user.id,
            SavedView.shared_unit_id.in_(units) if units else false()))).all()
        out = _links(rows)
    g._office_saved_views = out
    return out


def _links(rows) -> list[ViewLink]:
    entities = {e.name: e for e in REGISTRY.values()}
    sm = current_app.appbuilder.sm
    users = _names(r.user_id for r in rows if r.user_id != current_user.id)
    units = _units(r.shared_unit_id for r in rows if r.shared_unit_id is not None)
    out = []
    for row in rows:
        entity = entities.get(row.entity)
        view = view_of(entity) if entity is not None else None
        if view is None or not sm.has_access("can_read", view.class_permission_name):
            continue
        mine = row.user_id == current_user.id
        out.append(ViewLink(id=row.id, name=row.name, title=str(entity.title), entity=entity.name,
                            url=address(view, row), mine=mine, shared=row.shared_unit_id is not None,
                            owner="" if mine else users.get(row.user_id, ""),
                            unit=units.get(row.shared_unit_id, "") if row.shared_unit_id else "",
                            summary=tuple(describe(view, row))))
    out.sort(key=lambda link: (link.title, not link.mine, link.name))
    return out


def _names(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    model = current_app.appbuilder.sm.user_model
    return {u.id: u.get_full_name() for u in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _units(ids) -> dict[int, str]:
    from models.org import Department

    ids = set(ids)
    if not ids:
        return {}
    return {d.id: str(d) for d in db.session.scalars(select(Department).where(Department.id.in_(ids)))}


def of_entity(entity_name: str) -> list[ViewLink]:
    """The visible views of one list (its toolbar's drop-down)."""
    return [link for link in visible() if link.entity == entity_name]


def own(view_id) -> SavedView | None:
    """The current user's own view `view_id` (None for another's, or none)."""
    try:
        pk = int(view_id)
    except (TypeError, ValueError):
        return None
    saved = db.session.get(SavedView, pk)
    if saved is None or saved.user_id != getattr(current_user, "id", None):
        return None
    return saved


_FILTER = re.compile(r"^_flt_(\d+)_(.+)$")


def describe(view, saved: SavedView) -> list[str]:
    """What the view keeps, in the reader's language, worded as a ledger's subtitle words its
    filters ("Title (Contains): 燃气"), then its order and how many columns. A filter the
    list no longer offers is left out."""
    offered = view._filters.get_search_filters()
    model = view.datamodel.obj
    values: dict[tuple[int, str], list[str]] = {}
    order = ["", "asc"]
    for key, value in parse_qsl(saved.query or "", keep_blank_values=True):
        found = _FILTER.match(key)
        if found:
            values.setdefault((int(found.group(1)), found.group(2)), []).append(value)
        elif key.startswith("_oc_"):
            order[0] = str(view.label_columns.get(value, value))
        elif key.startswith("_od_"):
            order[1] = value
    out = []
    for (index, column), given in values.items():
        filters = offered.get(column, [])
        if index < len(filters):
            out.append(filter_text(model, filters[index], given))
    if order[0]:
        out.append(gettext("Sorted by %(column)s %(way)s", column=order[0], way="↓" if order[1] == "desc" else "↑"))
    if saved.columns:
        out.append(ngettext("%(num)d column", "%(num)d columns", len(saved.columns)))
    return out
