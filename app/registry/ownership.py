"""Which functions of the office the current user's unit runs (models/ownership.py).

Read once per request: the user's unit and the units above it, matched against the
function-owner table. A user of an owning unit sees every record of the function
(app/registry/scope.py); the dashboard shows him the function's panels.
"""
from __future__ import annotations

from typing import Optional

from flask import g, has_request_context
from sqlalchemy import select


def unit_and_parents(session, unit_id: Optional[int]) -> list[int]:
    """The unit and every unit above it (a section of a division is in the division)."""
    from models.org import Department

    if unit_id is None:
        return []
    parents = dict(session.execute(select(Department.id, Department.parent_id)).all())
    chain: list[int] = []
    while unit_id is not None and unit_id not in chain:
        chain.append(unit_id)
        unit_id = parents.get(unit_id)
    return chain


def groups_owned_by(session, unit_id: Optional[int]) -> frozenset[str]:
    """The function keys (menu groups) run by `unit_id` or a unit above it."""
    from models.ownership import FunctionOwner

    chain = unit_and_parents(session, unit_id)
    if not chain:
        return frozenset()
    rows = session.execute(select(FunctionOwner.function).where(
        FunctionOwner.department_id.in_(chain), FunctionOwner.is_deleted.is_(False))).scalars()
    return frozenset(rows)


def owned_groups() -> frozenset[str]:
    """The functions the request's user runs through his unit (empty outside a request)."""
    if not has_request_context():
        return frozenset()
    if "_office_owned" not in g:
        from app.extensions import db

        user = getattr(g, "user", None)
        unit = getattr(user, "department_id", None) if getattr(user, "is_authenticated", False) else None
        g._office_owned = groups_owned_by(db.session, unit)
    return g._office_owned


def owns(group_key: str) -> bool:
    return group_key in owned_groups()


def works_on(group_key: str) -> bool:
    """Whether the user works on a function: his unit runs it, or no unit limits him.
    (A unit's own users also work on the records of their unit: callers that need that
    ask the data, e.g. whether a scoped list has rows.)"""
    from app.registry.scope import current_department_ids

    return owns(group_key) or current_department_ids() is None
