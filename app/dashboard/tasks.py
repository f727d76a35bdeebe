""""My tasks": records waiting for a transition the current user may fire.

The workflow engine says which states wait for the user (`waiting_condition`); this
module counts them per state, lists the first few with the actions they wait for, and
links each record to its page, where the buttons are.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from app.dashboard import deadlines
from app.dashboard.links import equal, list_url, one_of, record_url
from app.dashboard.queries import base_query, count_by, lookup_order, may_read
from app.registry.introspect import lookup_of
from app.registry.spec import REGISTRY
from app.workflow import engine
from models.lookups import RAG_LIGHT, lookup_label

#: Records listed per entity; the rest are behind the links.
FIRST = 3


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
class Tasks:
    entity: object
    total: int
    states: list[tuple[str, int, Optional[str]]]   # (state label, count, list url)
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


def _fireable(entity) -> list:
    return [t for t in entity.workflow.transitions if engine.may_fire(entity, t)]


def _state_filters(entity, transitions, state: str) -> list:
    """List filters for the records in `state` waiting for the user: the state, plus
    the transitions' `when` values if every transition from that state needs the same."""
    whens = [dict(t.when) for t in transitions if state in t.source]
    common = whens[0] if whens and all(w == whens[0] for w in whens) else {}
    return [equal(entity.workflow.field, state)] + [equal(k, v) for k, v in common.items()]


def tasks_of(entity) -> Optional[Tasks]:
    transitions = _fireable(entity)
    if not transitions:
        return None
    workflow = entity.workflow
    column = getattr(entity.model, workflow.field)
    waiting = engine.waiting_condition(entity)
    counts = count_by(entity, column, waiting)
    total = sum(counts.values())
    if not total:
        return None
    codes = lookup_order(lookup_of(entity.model, workflow.field), list(counts), workflow.states())
    states = [(engine.state_label(entity, code), counts[code],
               list_url(entity, *_state_filters(entity, transitions, code))) for code in codes]
    all_url = None
    if not any(t.when for t in transitions):
        all_url = list_url(entity, one_of(workflow.field, codes))
    return Tasks(entity=entity, total=total, states=states, records=_first(entity, waiting), all_url=all_url)


def _first(entity, waiting) -> list[WaitingRecord]:
    """The first waiting records: the most urgent (earliest deadline) first, else the oldest."""
    query = base_query(entity).filter(waiting)
    due = deadlines.due_expression(entity)
    order = [due.is_(None), due.asc()] if due is not None else []
    records = query.order_by(*order, entity.model.id.asc()).limit(FIRST).all()
    return [WaitingRecord(title=str(r), state=engine.state_label(entity, getattr(r, entity.workflow.field)),
                          url=record_url(entity, r.id), actions=[str(t.label) for t in engine.available(entity, r)],
                          light=deadlines.light(entity, r))
            for r in records]
