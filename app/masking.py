"""How sensitive personal data reads when the reader may not see it (DOMAIN.md §9).

Columns carry `info={"sensitive": True, "mask": <kind>}`; the kind decides how much
of the value stays visible: enough to tell records apart, never enough to use.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

HIDDEN = "****"


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
