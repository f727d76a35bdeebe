""""My tasks": records waiting for a step the current user would take now, by step.

A record waits for a transition when it is in one of its source states, meets its `when`,
the user's roles may fire it, and it is a step someone waits for (`Transition.todo`):
archiving a finished record, cancelling a request or returning a draft are buttons on the
record page, not tasks.

Records are grouped by the steps they wait for ("Sign for and register", "Send for
handling / Finish handling" when either may come next), so every record is counted once.
Each group is one list link: its states (`status in …`) and, where the steps depend on a
column (`when`: direction, disclosure, …), that column's values (`eq`, `in`, `neq`,
`not_in`). The count is taken through the list's own filter objects with those very
values (`queries.count_listed`), so the chip says how many rows its link lists.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import gettext
from sqlalchemy import Boolean, and_, or_, true

from app.dashboard import deadlines
from app.dashboard.links import EQUAL, NOT_EQUAL, NOT_IN, list_url, one_of, record_url
from app.dashboard.queries import base_query, count_listed, may_read
from app.registry.spec import REGISTRY
from app.workflow import engine
from models.lookups import RAG_LIGHT, lookup_label

#: Records listed per entity; the rest are behind the links.
FIRST = 3

#: The value class of a `when` column holding none of the values the steps name.
OTHER = object()


@dataclass
class WaitingRecord:
    title: str
    state: str
    url: str
    actions: list[str]
    light: str = ""                             # GREEN / YELLOW / RED, when the entity has a deadline

    @property
    def light_label(self) -> str:
        return lookup_label(RAG_LIGHT, self.light) if self.light else ""


@dataclass
class Step:
    """Records waiting for the same steps of the user: one chip, one list link."""
    transitions: list                           # the steps, in the workflow's order
    states: list[str]                           # the states they wait in
    filters: list[tuple[str, str, Any]]         # the list filters showing exactly them
    condition: Any                              # the same, as SQL
    points: list = field(default_factory=list)  # the (state, value per `when` column) it covers
    count: int = 0
    url: Optional[str] = None
    state_labels: list[str] = field(default_factory=list)

    split: bool = False                         # the same steps wait in other states too (another chip)

    @property
    def label(self) -> str:
        label = " / ".join(str(t.label) for t in self.transitions)
        return f"{label} ({gettext(', ').join(self.state_labels)})" if self.split else label


@dataclass
class Tasks:
    entity: object
    total: int
    steps: list[Step]
    records: list[WaitingRecord] = field(default_factory=list)
    all_url: Optional[str] = None

    @property
    def title(self) -> str:
        return str(self.entity.title)


def my_tasks() -> list[Tasks]:
    """Per workflow entity the user may read, what waits for him; entities with nothing
    waiting are left out."""
    out = []
    for entity in REGISTRY.values():
        if entity.workflow is None or not may_read(entity):
            continue
        tasks = tasks_of(entity)
        if tasks is not None:
            out.append(tasks)
    return out


def todo_transitions(entity) -> list:
    """The steps the current user would take: to-do transitions his roles may fire."""
    return [t for t in entity.workflow.transitions if t.todo and engine.may_fire(entity, t)]


def guard_limit(transitions) -> Optional[tuple[tuple[str, str, Any], Any]]:
    """The (list filter, SQL condition) the steps' shared guard limits the user's records to
    (`Transition.guard_rows`: the lead unit's steps), or None. Steps guarded in different
    ways are not narrowed: their buttons, refusals and chips still follow each guard."""
    functions = {t.guard_rows for t in transitions}
    if len(functions) != 1 or None in functions:
        return None
    return next(iter(functions))()


def tasks_of(entity) -> Optional[Tasks]:
    transitions = todo_transitions(entity)
    limit = guard_limit(transitions)
    steps = steps_of(entity, transitions, limit)
    for step in steps:
        step.url = list_url(entity, *step.filters)
        step.count = count_listed(entity, step.filters, step.condition)
    steps = [s for s in steps if s.count]
    if not steps:
        return None
    whole = _rectangles(entity, _when_columns(entity, transitions), [p for s in steps for p in s.points], limit)
    return Tasks(entity=entity, total=sum(s.count for s in steps), steps=steps,
                 records=_first(entity, or_(*[s.condition for s in steps])),
                 all_url=list_url(entity, *whole[0].filters) if len(whole) == 1 else None)


# --- grouping -----------------------------------------------------------------------------------------
@dataclass
class _Rectangle:
    """States × allowed values per column: what one list URL (an AND of filters) shows."""
    states: list[str]
    filters: list[tuple[str, str, Any]]
    condition: Any
    points: list


def _is_boolean(entity, column: str) -> bool:
    return isinstance(getattr(entity.model, column).type, Boolean)


def _when_columns(entity, transitions) -> list[tuple[str, list]]:
    """[(column, its value classes)] of the columns the steps' `when`s name: each value a
    step names, then OTHER (a Boolean column has just True and False)."""
    columns: dict[str, list] = {}
    for t in transitions:
        for column, value in t.when.items():
            values = columns.setdefault(column, [])
            if value not in values:
                values.append(value)
    return [(column, [True, False] if _is_boolean(entity, column) else values + [OTHER])
            for column, values in columns.items()]


def _cells(entity, transitions) -> tuple[list, dict[tuple[str, ...], list[tuple[str, tuple]]]]:
    """The `when` columns, and {names of the transitions that apply: [(state, value classes)]}: every
    combination of a state and a value class per column belongs to one set of transitions
    (or none), so the sets partition the waiting records."""
    columns = _when_columns(entity, transitions)
    groups: dict[tuple, list[tuple[str, tuple]]] = {}
    for state in entity.workflow.states():
        waiting = [t for t in transitions if state in t.source]
        if not waiting:
            continue
        for combo in itertools.product(*(classes for _c, classes in columns)):
            values = dict(zip((c for c, _classes in columns), combo, strict=True))
            applying = tuple(t.name for t in waiting if all(values[k] is not OTHER and values[k] == v
                                                            for k, v in t.when.items()))
            if applying:
                groups.setdefault(applying, []).append((state, combo))
    return columns, groups


def steps_of(entity, transitions, limit=None) -> list[Step]:
    """The records `transitions` wait for, one Step per set of them that applies (and per
    list filter that can show it), in the workflow's order; `limit`: `guard_limit`'s."""
    columns, groups = _cells(entity, transitions)
    order = {t.name: i for i, t in enumerate(entity.workflow.transitions)}
    steps = []
    for applying in sorted(groups, key=lambda names: [order[n] for n in names]):
        rectangles = _rectangles(entity, columns, groups[applying], limit)
        steps += [Step(transitions=[entity.workflow.get(name) for name in applying], states=r.states,
                       filters=r.filters, condition=r.condition, points=r.points, split=len(rectangles) > 1,
                       state_labels=[engine.state_label(entity, s) for s in r.states])
                  for r in rectangles]
    return steps


def _rectangles(entity, columns, points, limit=None) -> list[_Rectangle]:
    """Cover `points` with rectangles: one, unless states need different values; each
    narrowed by `limit` (the steps' guard as a filter)."""
    by_state: dict[str, set] = {}
    for state, combo in points:
        by_state.setdefault(state, set()).add(combo)
    patterns: dict[frozenset, list[str]] = {}
    for state, combos in by_state.items():
        patterns.setdefault(frozenset(combos), []).append(state)
    out = []
    for combos, states in patterns.items():
        allowed = [{combo[i] for combo in combos} for i in range(len(columns))]
        if len(combos) == math.prod(len(values) for values in allowed):
            out.append(_rectangle(entity, columns, states, allowed, [(s, c) for s in states for c in combos]))
        else:                                   # not a product of per-column values: one per point
            out += [_rectangle(entity, columns, states, [{v} for v in combo], [(s, combo) for s in states])
                    for combo in combos]
    if limit is not None:
        link, condition = limit
        for rectangle in out:
            rectangle.filters.append(link)
            rectangle.condition = and_(rectangle.condition, condition)
    return out


def _rectangle(entity, columns, states: list[str], allowed: list[set], points: list) -> _Rectangle:
    field_name = entity.workflow.field
    model = entity.model
    filters = [one_of(field_name, states)]
    conditions = [getattr(model, field_name).in_(states)]
    for (column, classes), values in zip(columns, allowed, strict=True):
        if len(values) == len(classes):
            continue                            # every value: no filter on the column
        attr = getattr(model, column)
        if _is_boolean(entity, column):
            (value,) = values
            # FAB reads a Boolean filter's value "y" as True: False is "not equal to y"
            filters.append((column, EQUAL if value else NOT_EQUAL, "y"))
            conditions.append(attr == true() if value else attr != true())
        elif OTHER not in values:
            named = [v for v in classes if v in values]
            filters.append(one_of(column, [str(v) for v in named]))
            conditions.append(attr.in_(named))
        else:
            excluded = [v for v in classes if v is not OTHER and v not in values]
            filters.append((column, NOT_EQUAL, str(excluded[0])) if len(excluded) == 1
                           else (column, NOT_IN, [str(v) for v in excluded]))
            conditions.append(attr.notin_(excluded))
    return _Rectangle(states=states, filters=filters, condition=and_(*conditions), points=points)


# --- the first records ----------------------------------------------------------------------------------
def _first(entity, waiting) -> list[WaitingRecord]:
    """The first waiting records: the most urgent (earliest deadline) first, else the oldest."""
    query = base_query(entity).filter(waiting)
    due = deadlines.due_expression(entity)
    order = [due.is_(None), due.asc()] if due is not None else []
    records = query.order_by(*order, entity.model.id.asc()).limit(FIRST).all()
    return [WaitingRecord(title=str(r), state=engine.state_label(entity, getattr(r, entity.workflow.field)),
                          url=record_url(entity, r.id),
                          actions=[str(t.label) for t in engine.available(entity, r) if t.todo],
                          light=deadlines.light(entity, r))
            for r in records]
