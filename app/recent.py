"""Recently viewed records, on the dashboard: the last records whose page the user opened,
newest first — kept in his signed session (no write to the database on a record page),
and shown only while he may still see them (each through its list's own scope and Trash).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import session, url_for

from app.registered_views import view_of
from app.registry.spec import REGISTRY

#: Records remembered (and shown).
KEPT = 10

_KEY = "office_recent"


@dataclass
class Recent:
    title: str          # the entity's item name: 公文, 督办事项…
    label: str
    url: str


def remember(entity_name: str, pk) -> None:
    """Note that the record page of `entity_name` #`pk` was opened."""
    try:
        entry = [entity_name, int(pk)]
    except (TypeError, ValueError):
        return
    kept = [e for e in session.get(_KEY, []) if e != entry]
    session[_KEY] = [entry, *kept][:KEPT]


def recent_records() -> list[Recent]:
    """The records remembered that the user may still see, newest first."""
    entities = {e.name: e for e in REGISTRY.values()}
    out = []
    for name, pk in session.get(_KEY, []):
        entity = entities.get(name)
        view = view_of(entity) if entity is not None else None
        if view is None or not view.appbuilder.sm.has_access("can_read", view.class_permission_name):
            continue
        record = view.datamodel.get(pk, view._base_filters)
        if record is None:
            continue
        out.append(Recent(title=str(entity.item), label=str(record) or f"#{pk}",
                          url=url_for(f"{view.endpoint}.show", pk=pk)))
    return out
