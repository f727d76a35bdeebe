"""Deadlines of every entity: which column is due, when the clock stops, whose it is.

An entity has a deadline when it declares one (`register(..., deadline=Deadline(...))`)
or when its model has a `due_date` or `due_at` column; the clock stops in its workflow's
`finished` states. From that one fact come, for every such entity and without anything
more declared:

- the red/yellow/green light and the overdue days, on its list and its record page
  (`install_columns`, `list_columns`, `show_fieldsets`);
- the list filters "Past due" and "Due within N days" on the due column, on screen and in
  the REST API (`FilterPastDue`, `FilterDueWithin`);
- the SQL conditions the dashboard counts with (`overdue_condition`, `due_within_condition`).

Yellow means due within `deadline_yellow_days()` working days (work calendar: holidays
and make-up working days counted as they fall); red means the due date has passed.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Optional

from dateutil import parser as date_parser
from flask_appbuilder.models.filters import BaseFilter
from markupsafe import Markup
from sqlalchemy import Boolean, Date, DateTime, and_, func, or_, true
from sqlalchemy import inspect as sa_inspect

from app import seams
from app.registry.spec import REGISTRY, Entity
from models.base import _l, display, now_cn, today_cn
from models.calendar import add_working_days
from models.lookups import RAG_LIGHT, lookup_label
from models.sla import deadline_yellow_days

RED, YELLOW, GREEN = "RED", "YELLOW", "GREEN"
#: Columns that make a deadline without a declaration, in this order.
DUE_COLUMNS = ("due_date", "due_at")
#: Relations to Department that say whose a record is, in this order.
DEPARTMENT_RELATIONS = ("lead_department", "handler_department", "department", "organizer")
#: The generic columns lists and record pages show.
LIGHT, OVERDUE = "deadline_light", "deadline_overdue_days"
#: An entity's own columns of the same meaning, which the generic ones replace on screen.
OWN_COLUMNS = {"rag_light": LIGHT, "overdue_days": OVERDUE}


@dataclass
class Deadline:
    due: str                                    # a Date or DateTime column
    done: Sequence[str] = ()                    # states that stop the clock; default: workflow.finished
    department: Optional[str] = None            # many-to-one relation to Department: whose it is
    state: str = "status"                       # the column `done` is about, or relation.column
    extended: Optional[str] = None              # a later due date replacing `due` once filled (an extension);
    #                                             default: the column extended_<due>, if the model has one
    stopped_by: Optional[str] = None            # a column that stops the clock once filled (replied_at, is_done)


# --- what an entity's deadline is ------------------------------------------------------------
def _entity(entity_or_model) -> Optional[Entity]:
    if isinstance(entity_or_model, Entity):
        return entity_or_model
    return REGISTRY.get(entity_or_model)


def _column(model, name: Optional[str]):
    return sa_inspect(model).columns.get(name) if name else None


def _department_relation(model) -> Optional[str]:
    relationships = sa_inspect(model).relationships
    for name in DEPARTMENT_RELATIONS:
        rel = relationships.get(name)
        if rel is not None and not rel.uselist and rel.mapper.class_.__name__ == "Department":
            return name
    return None


def deadline_of(entity) -> Optional[Deadline]:
    """The entity's deadline, every blank filled (None when it has none): declared, or
    inferred from a due_date/due_at column; `done` defaults to the workflow's finished
    states, `department` to the first Department relation of DEPARTMENT_RELATIONS.
    `register(..., deadline=False)` says an entity has none despite such a column."""
    entity = _entity(entity)
    if entity is None or entity.deadline is False:
        return None
    # Asked for each light of each row (17 times a row of a list): worked out once per
    # declaration. The key holds what it is worked out from, so a changed declaration counts.
    key = (entity.name, id(entity.model), id(entity.deadline), id(entity.workflow))
    if key not in _RESOLVED:
        _RESOLVED[key] = _resolve(entity)
    return _RESOLVED[key]


_RESOLVED: dict[tuple, Optional[Deadline]] = {}


def _resolve(entity: Entity) -> Optional[Deadline]:
    model = entity.model
    declared = entity.deadline
    if declared is None:
        due = next((name for name in DUE_COLUMNS if _column(model, name) is not None), None)
        if due is None:
            return None
        declared = Deadline(due=due)
    flow = entity.workflow
    resolved = replace(
        declared,
        done=tuple(declared.done or (flow.finished if flow is not None else ())),
        state=declared.state if declared.done or flow is None else flow.field,
        department=declared.department or _department_relation(model),
        extended=declared.extended or (f"extended_{declared.due}"
                                       if _column(model, f"extended_{declared.due}") is not None else None),
    )
    _check(entity, resolved)
    return resolved


def _check(entity: Entity, deadline: Deadline) -> None:
    """A declaration naming a column the model lacks is a programming error: say so early."""
    model = entity.model
    for name in (deadline.due, deadline.extended):
        if name and not isinstance(getattr(_column(model, name), "type", None), (Date, DateTime)):
            raise ValueError(f"{entity.name}: deadline column {name!r} is not a date column")
    for name in ((deadline.state,) if deadline.done else ()) + ((deadline.stopped_by,) if deadline.stopped_by else ()):
        if _state_column(model, name) is None:
            raise ValueError(f"{entity.name}: deadline column {name!r} does not exist")


def _state_column(model, name: str):
    """A column of the model, or `relation.column` of a many-to-one relation's target."""
    if "." not in name:
        return _column(model, name)
    rel_name, column = name.split(".", 1)
    rel = sa_inspect(model).relationships.get(rel_name)
    return _column(rel.mapper.class_, column) if rel is not None and not rel.uselist else None


def _has_time(entity: Entity, deadline: Deadline) -> bool:
    return isinstance(_column(entity.model, deadline.due).type, DateTime)


# --- the reference time ----------------------------------------------------------------------
def _today(today) -> dt.date:
    if today is None:
        return today_cn()
    return today.date() if isinstance(today, dt.datetime) else today


def _now(today) -> dt.datetime:
    """`today` as a moment: itself if a datetime, the start of that day if a date, else now."""
    if today is None:
        return now_cn()
    return today if isinstance(today, dt.datetime) else dt.datetime.combine(today, dt.time.min)


# --- SQL ---------------------------------------------------------------------------------------
def due_expression(entity, deadline: Optional[Deadline] = None):
    """SQL: the due date or time, an extension winning (for sorting and grouping by it)."""
    entity = _entity(entity)
    deadline = deadline or deadline_of(entity)
    due = getattr(entity.model, deadline.due)
    return func.coalesce(getattr(entity.model, deadline.extended), due) if deadline.extended else due


def running_condition(entity, deadline: Optional[Deadline] = None):
    """SQL: the clock still runs (not in a done state, the stopping column still empty)."""
    entity = _entity(entity)
    deadline = deadline or deadline_of(entity)
    model = entity.model
    parts = []
    if deadline.done and "." in deadline.state:       # the state of a linked record
        rel_name, column = deadline.state.split(".", 1)
        relation = getattr(model, rel_name)
        target = relation.property.mapper.class_
        parts.append(~relation.has(getattr(target, column).in_(list(deadline.done))))
    elif deadline.done:
        state = getattr(model, deadline.state)
        parts.append(or_(state.is_(None), state.not_in(list(deadline.done))))
    if deadline.stopped_by:
        stop = getattr(model, deadline.stopped_by)
        parts.append(or_(stop.is_(None), stop.is_(False)) if isinstance(stop.type, Boolean) else stop.is_(None))
    return and_(true(), *parts)


def overdue_condition(entity, today=None):
    """SQL: past its due date (due time, for a DateTime) and still running."""
    entity = _entity(entity)
    deadline = deadline_of(entity)
    limit = _now(today) if _has_time(entity, deadline) else _today(today)
    return and_(due_expression(entity, deadline) < limit, running_condition(entity, deadline))


def due_within_condition(entity, days: int, today=None):
    """SQL: due between today (now, for a DateTime) and the end of today + `days`, and still
    running — records already past due are not "due within"."""
    entity = _entity(entity)
    deadline = deadline_of(entity)
    due = due_expression(entity, deadline)
    last = _today(today) + dt.timedelta(days=max(0, int(days)))
    if _has_time(entity, deadline):
        window = and_(due >= _now(today), due < dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    else:
        window = and_(due >= _today(today), due <= last)
    return and_(window, running_condition(entity, deadline))


# --- one record ------------------------------------------------------------------------------
def due_of(entity, record) -> Optional[dt.date]:
    """The record's due date or time (an extension wins); None without a deadline."""
    deadline = deadline_of(entity)
    if deadline is None:
        return None
    extended = getattr(record, deadline.extended) if deadline.extended else None
    return extended or getattr(record, deadline.due)


def _attribute(record, path: str):
    for name in path.split("."):
        record = getattr(record, name, None) if record is not None else None
    return record


def is_finished(entity, record) -> bool:
    deadline = deadline_of(entity)
    if deadline is None:
        return False
    if deadline.done and _attribute(record, deadline.state) in deadline.done:
        return True
    if deadline.stopped_by:
        stop = getattr(record, deadline.stopped_by, None)
        return bool(stop) if isinstance(stop, bool) else stop is not None
    return False


def light(entity, record, today=None) -> Optional[str]:
    """RED past due, YELLOW due within the yellow window (working days), else GREEN; GREEN
    once finished; None without a due date. Codes of the RAG_LIGHT lookup."""
    due = due_of(entity, record)
    if due is None:
        return None
    if is_finished(entity, record):
        return GREEN
    if overdue_days(entity, record, today) > 0:
        return RED
    # at most N working days left: due before the (N+1)th working day from today
    window_end = add_working_days(_today(today), deadline_yellow_days() + 1)
    return YELLOW if (due.date() if isinstance(due, dt.datetime) else due) < window_end else GREEN


def overdue_days(entity, record, today=None) -> int:
    """Calendar days past the due date (for a due time, every day begun after it counts);
    0 when not late, finished or without a due date."""
    due = due_of(entity, record)
    if due is None or is_finished(entity, record):
        return 0
    if isinstance(due, dt.datetime):
        late = _now(today) - due
        return math.ceil(late / dt.timedelta(days=1)) if late > dt.timedelta(0) else 0
    return max(0, (_today(today) - due).days)


# --- list filters ----------------------------------------------------------------------------
class _DeadlineFilter(BaseFilter):
    """A filter on the due column whose condition comes from the entity's deadline."""

    def _entity(self) -> Entity:
        return REGISTRY[self.model]


class FilterPastDue(_DeadlineFilter):
    name = _l("Past due")
    arg_name = "past_due"
    valueless = True

    def apply(self, query, value):
        return query.filter(overdue_condition(self._entity()))


class FilterDueWithin(_DeadlineFilter):
    name = _l("Due within N days")
    arg_name = "due_within"

    def apply(self, query, value):
        return query.filter(due_within_condition(self._entity(), within_days(value)))


FILTERS = (FilterPastDue, FilterDueWithin)


def within_days(value: Any) -> int:
    """N of "due within N days": a number, or a date (days from today until it); the
    yellow window when the value says neither."""
    text = str(value if value is not None else "").strip()
    if text.lstrip("-").isdigit():
        return max(0, int(text))
    try:
        return max(0, (date_parser.parse(text).date() - today_cn()).days)
    except (ValueError, OverflowError):
        return deadline_yellow_days()


def search_filters(entity: Entity) -> dict[str, list]:
    """For the REST API's `search_filters`: the deadline filters on the due column."""
    deadline = deadline_of(entity)
    return {deadline.due: list(FILTERS)} if deadline is not None else {}


class DeadlineFilters:
    """Mixin of a list screen: the deadline filters join the due column's own filters (FAB
    looks a filter up by its position in that column's list, on screen and in the URL)."""

    def init_properties(self):
        super().init_properties()
        deadline = deadline_of(self.entity)
        if deadline is None or deadline.due not in self._filters.get_search_filters():
            return
        for filters in (self._filters.get_search_filters(), seams.all_filters(self)):
            filters.setdefault(deadline.due, []).extend(f(deadline.due, self.datamodel) for f in FILTERS)

    def deadline_filter_args(self) -> dict[str, str]:
        """{arg_name: URL parameter} of each deadline filter, for links to the filtered list."""
        deadline = deadline_of(self.entity)
        if deadline is None:
            return {}
        filters = self._filters.get_search_filters().get(deadline.due, [])
        return {f.arg_name: f"_flt_{i}_{deadline.due}" for i, f in enumerate(filters)
                if isinstance(f, _DeadlineFilter)}


# --- the generic columns ---------------------------------------------------------------------
@display(_l("Light"), lookup=RAG_LIGHT)
def _record_light(record) -> Optional[str]:
    return light(REGISTRY[type(record)], record)


@display(_l("Overdue days"))
def _record_overdue_days(record) -> int:
    return overdue_days(REGISTRY[type(record)], record)


def install_columns(entity: Entity) -> bool:
    """Give the model of an entity with a deadline its two generic columns; False if it has
    no deadline."""
    if deadline_of(entity) is None:
        return False
    for name, prop in ((LIGHT, _record_light), (OVERDUE, _record_overdue_days)):
        if getattr(entity.model, name, None) is not prop:
            setattr(entity.model, name, prop)
    return True


def _with_generic(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = OWN_COLUMNS.get(name, name)
        if name not in out:
            out.append(name)
    return out


def shown_columns(entity: Entity, names: Sequence[str]) -> list[str]:
    """`names` as screens and exports show them: an entity's own light/overdue columns
    give way to the generic ones, so a ledger and its list never disagree."""
    return _with_generic(names) if deadline_of(entity) is not None else list(names)


def list_columns(entity: Entity) -> list[str]:
    """The entity's list, its own light/overdue columns replaced by the generic ones, which
    are added at the end when it did not show them."""
    names = list(entity.list)
    if deadline_of(entity) is None:
        return names
    names = _with_generic(names)
    return names + [n for n in (LIGHT, OVERDUE) if n not in names]


def show_fieldsets(entity: Entity, fieldsets: list) -> list:
    """The record page's sections likewise: the generic columns after the due date (or the
    extension), in the section that shows it, or at the end of the last section."""
    deadline = deadline_of(entity)
    if deadline is None or not fieldsets:
        return fieldsets
    sets = [(title, {**spec, "fields": _with_generic(spec["fields"])}) for title, spec in fieldsets]
    missing = [n for n in (LIGHT, OVERDUE) if not any(n in spec["fields"] for _t, spec in sets)]
    if missing:
        anchors = [n for n in (deadline.extended, deadline.due) if n]
        target = next((spec for _t, spec in sets for a in anchors if a in spec["fields"]), sets[-1][1])
        fields = target["fields"]
        after = max((fields.index(a) + 1 for a in anchors if a in fields), default=len(fields))
        fields[after:after] = missing
    return sets


def format_light(code: Optional[str]) -> Markup:
    if not code:
        return Markup("")
    style = {RED: "danger", YELLOW: "warning", GREEN: "success"}.get(code, "default")
    return Markup('<span class="label label-{} office-light">{}</span>').format(style, lookup_label(RAG_LIGHT, code))


def format_overdue_days(days: Optional[int]) -> Markup:
    if not days:
        return Markup("")
    return Markup('<span class="office-overdue">{}</span>').format(days)


FORMATTERS = {LIGHT: format_light, OVERDUE: format_overdue_days}
