"""How sensitive personal data reads when the reader may not see it (docs/domain.md §9).

Columns carry `info={"sensitive": True, "mask": <kind>}`; the kind decides how much
of the value stays visible: enough to tell records apart, never enough to use. A kind
this module does not know ("other": a political status, an appraisal result) hides the
whole value. A computed field (`display(...)`) that shows a sensitive column of another
record (a Party member's political status, read from his personnel record) is marked the
same way and masked wherever it is shown.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

HIDDEN = "****"

#: FAB permission (on a pseudo view) to read sensitive personal data unmasked.
SEE_SENSITIVE = ("see_sensitive", "SensitiveData")


def _keep(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return text[:1] + "*" * max(len(text) - 1, 1)
    return text[:head] + "*" * (len(text) - head - tail) + (text[-tail:] if tail else "")


def mask_value(value: Any, kind: str | None) -> Any:
    """`350203198801011234` → `350203********1234`; `13812345678` → `138****5678`;
    a name keeps its first character, an address its first six; dates keep the year."""
    if value is None or value == "":
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year}-**-**"
    text = str(value)
    if kind == "id_card":
        return _keep(text, 6, 4)
    if kind == "phone":
        return _keep(text, 3, 4)
    if kind == "name":
        return text[:1] + "*" * max(len(text) - 1, 1)
    if kind == "address":
        return text[:6] + HIDDEN if len(text) > 6 else text[:1] + HIDDEN
    return HIDDEN


def column_mask(column) -> str | None | bool:
    """The mask kind of a sensitive column ('' when sensitive without a kind), None if not sensitive."""
    info = getattr(column, "info", None) or {}
    if not info.get("sensitive"):
        return None
    return info.get("mask", "")


def sensitive_columns(model) -> dict[str, str]:
    """{field name: mask kind} of the model's sensitive columns and computed fields."""
    out = {}
    for column in model.__table__.columns:
        kind = column_mask(column)
        if kind is not None:
            out[column.key] = kind
    for name, attr in vars(model).items():
        if isinstance(attr, property) and attr.fget is not None:
            kind = column_mask(attr.fget)
            if kind is not None:
                out[name] = kind
    return out


def stored_sensitive_columns(model) -> dict[str, str]:
    """{column name: mask kind} of the sensitive columns the model stores (not computed)."""
    return {name: kind for name, kind in sensitive_columns(model).items() if name in model.__table__.columns}


def can_see_sensitive() -> bool:
    """Whether the current user's roles hold the "see sensitive data" permission."""
    from flask import current_app, has_request_context

    if not has_request_context():
        return True                      # CLI and background work run as the system
    return current_app.appbuilder.sm.has_access(*SEE_SENSITIVE)


def masked(value: Any, kind: str | None, unmasked: bool) -> Any:
    return value if unmasked else mask_value(value, kind)


def keep_masked_values(item) -> None:
    """A client that read a masked value and sends it back unchanged has not changed it:
    the stored value stays (a mask must never overwrite the real number)."""
    from sqlalchemy import inspect

    state = inspect(item)
    for name, kind in stored_sensitive_columns(type(item)).items():
        history = state.attrs[name].history
        if history.deleted and history.added:
            before, after = history.deleted[0], history.added[0]
            if before is not None and after == mask_value(before, kind):
                setattr(item, name, before)
