"""Which functions of the office the current user's unit runs (models/ownership.py).

Worked out once per request from the unit tree and the function-owner table, both kept
per process (app/registry/unit_tree.py). A user of an owning unit sees every record of
the function (app/registry/scope.py); the dashboard shows him the function's panels.
"""
from __future__ import annotations

from typing import Optional

from flask import g, has_request_context


def groups_owned_by(session, unit_id: Optional[int]) -> frozenset[str]:
    """The function keys (menu groups) run by `unit_id` or a unit above it."""
    from app.registry.unit_tree import functions_run_by

    return functions_run_by(session, unit_id)


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


def is_admin() -> bool:
    """Whether the request's user holds the Admin role (who may fire every step)."""
    from flask import current_app

    user = getattr(g, "user", None) if has_request_context() else None
    admin = current_app.config.get("AUTH_ROLE_ADMIN", "Admin")
    return any(getattr(role, "name", None) == admin for role in getattr(user, "roles", None) or ())


def owner_only(group_key: str, action) -> Optional[str]:
    """Why the request's user may not take the step `action` that only the units running the
    function `group_key` take (`Transition(owners_only=...)`), or None when he may: his unit (or
    one above it) runs the function, or he is the Admin. Outside a request (a script, a chain)
    there is no user to ask: None."""
    if not has_request_context() or is_admin() or owns(group_key):
        return None
    from flask_babel import gettext

    from models.lookups import safe_lookup_label

    return gettext("Only the units that run “%(function)s” may “%(action)s”: yours does not.",
                   function=safe_lookup_label("office_function", group_key), action=str(action))
