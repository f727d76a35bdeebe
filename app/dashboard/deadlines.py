"""The dashboard's questions to the deadlines (app.registry.deadlines): which entities
have one, by what a waiting record's urgency is ordered, and how a link reaches the list
filter "Past due"."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import func

from app.dashboard.links import filter_index, view_of
from app.registry import deadlines
from app.registry.deadlines import deadline_of, overdue_condition  # noqa: F401  (the dashboard's vocabulary)


def due_expression(entity):
    """SQL: the record's due date or time (an extension wins), for ordering; None without
    a deadline."""
    deadline = deadline_of(entity)
    if deadline is None:
        return None
    due = getattr(entity.model, deadline.due)
    return func.coalesce(getattr(entity.model, deadline.extended), due) if deadline.extended else due


def light(entity, record) -> str:
    """RED, YELLOW, GREEN, or "" for a record without a due date."""
    return (deadlines.light(entity, record) or "") if deadline_of(entity) is not None else ""


def department(entity) -> Optional[str]:
    """The relation (to Department) naming the unit that answers for the deadline."""
    deadline = deadline_of(entity)
    return deadline.department if deadline is not None else None


def past_due_filter(entity) -> Optional[tuple[str, str, Any]]:
    """The list filter "Past due" as (column, arg_name, value), if the list offers it."""
    deadline = deadline_of(entity)
    view = view_of(entity)
    if deadline is None or view is None:
        return None
    arg_name = deadlines.FilterPastDue.arg_name
    return (deadline.due, arg_name, "1") if filter_index(view, deadline.due, arg_name) is not None else None
