"""Overdue records by responsible unit, across every entity that has a deadline."""
from __future__ import annotations

from typing import Any, Optional

from flask_babel import gettext

from app.dashboard import deadlines
from app.dashboard.figures import PALETTE, Figure, Series
from app.dashboard.links import list_url, related
from app.dashboard.queries import count, count_by, may_read
from app.extensions import db
from app.menu import BY_KEY
from app.registry.introspect import relationship_of
from app.registry.spec import REGISTRY
from models.org import Department

#: Units shown; the figure's note says when there are more.
TOP = 12


def _unit_column(entity, relation: Optional[str]):
    rel = relationship_of(entity.model, relation) if relation else None
    return next(iter(rel.local_columns)) if rel is not None else None


def _counts(entity) -> dict[Any, int]:
    """{department id or None: overdue records} of one entity."""
    column = _unit_column(entity, deadlines.department(entity))
    condition = deadlines.overdue_condition(entity)
    if column is None:
        n = count(entity, condition)
        return {None: n} if n else {}
    return count_by(entity, column, condition)


def _url(entity, unit_id) -> Optional[str]:
    overdue = deadlines.past_due_filter(entity)
    base = [overdue] if overdue is not None else []
    relation = deadlines.department(entity)
    if unit_id is not None and relation:
        url = list_url(entity, *base, related(relation, unit_id))
        if url is not None:
            return url
    return list_url(entity, *base) if base else list_url(entity)


def _series_name(entity, entities) -> str:
    """The entity's title; with its function's name when another entity has the same title
    ("Handling units" of supervision items and of proposals)."""
    title = str(entity.title)
    if sum(str(e.title) == title for e in entities) > 1 and entity.group in BY_KEY:
        return f"{title} · {BY_KEY[entity.group].label}"
    return title


def _unit_names(ids) -> dict[Any, str]:
    names = {d.id: str(d) for d in db.session.query(Department).filter(Department.id.in_([i for i in ids if i]))}
    names[None] = gettext("No unit given")
    return names


def deadline_entities() -> list:
    """The entities with a deadline the user may read: the overdue figure's series."""
    return [e for e in REGISTRY.values() if deadlines.deadline_of(e) is not None and may_read(e)]


def overdue_by_department() -> Optional[Figure]:
    """A stacked bar per unit: its overdue records, one colour per entity. None when no
    entity the user may read has a deadline."""
    entities = deadline_entities()
    if not entities:
        return None
    per_entity = {e.name: _counts(e) for e in entities}
    totals: dict[Any, int] = {}
    for counts in per_entity.values():
        for unit, n in counts.items():
            totals[unit] = totals.get(unit, 0) + n
    units = sorted(totals, key=lambda u: (-totals[u], u is None, u or 0))
    note = gettext("The %(n)d units with the most overdue records.", n=TOP) if len(units) > TOP else ""
    units = units[:TOP]
    names = _unit_names(units)
    series = [Series(_series_name(e, entities), [per_entity[e.name].get(u, 0) for u in units],
                     [_url(e, u) if per_entity[e.name].get(u) else None for u in units], PALETTE[i % len(PALETTE)])
              for i, e in enumerate(entities) if any(per_entity[e.name].get(u) for u in units)]
    return Figure(key="overdue-by-unit", title=gettext("Overdue by responsible unit"),
                  categories=[names.get(u, str(u)) for u in units], series=series, chart="hbar", stacked=True,
                  note=note, heading=gettext("Responsible unit"))
