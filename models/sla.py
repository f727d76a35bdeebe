"""Time-limit tables (SLA): rows keyed by a few codes, where an empty key means "any".

Incidents (by category and level) and hotline cases (by appeal type and urgency) look
their limits up the same way: every active row whose keys match applies, and the
tightest value of each limit wins. Until an admin fills the table, built-in defaults
apply; `seed_defaults` writes those defaults into an empty table.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

from flask import g, has_request_context
from sqlalchemy import Boolean, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import _l, label
from models.lookups import safe_lookup_label


class SLARow:
    """What every time-limit table has besides its keys and limits: the basis of the
    limit, an on/off switch, and a name like "投诉 紧急: 24h / 3d". A table sets SLA_KEYS
    ((attribute, lookup category), ...) and `limits_text()`."""

    SLA_KEYS: tuple = ()

    description: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Description"), description=_l("Basis of the limit; [verify] marks values to confirm")))
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False, info=label(_l("Active")))

    def limits_text(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        keys = (safe_lookup_label(category, getattr(self, attr)) for attr, category in self.SLA_KEYS)
        return f"{' '.join(k for k in keys if k) or '*'}: {self.limits_text()}"


def sla_rows(session, model, columns: Sequence[str], defaults: Sequence[tuple]) -> list[tuple]:
    """`columns` of every active row of `model` (keys first, then limits); the defaults
    while the table is empty. Read once per request."""
    cache_key = f"_sla_rows_{model.__tablename__}"
    if has_request_context() and getattr(g, cache_key, None) is not None:
        return getattr(g, cache_key)
    rows: list[tuple] = []
    if session is not None:
        live = select(model).where(model.is_deleted.is_(False), model.active.is_(True))
        rows = [tuple(getattr(r, c) for c in columns) for r in session.execute(live).scalars()]
    if not rows:
        rows = [tuple(row[:len(columns)]) for row in defaults]
    if has_request_context():
        setattr(g, cache_key, rows)
    return rows


def tightest(rows: Sequence[tuple], keys: Sequence[Optional[str]]) -> Optional[tuple]:
    """The smallest value of each limit over the rows whose keys match (None = any key);
    None when no row matches."""
    n = len(keys)
    matching = [row for row in rows if all(row[i] in (None, keys[i]) for i in range(n))]
    if not matching:
        return None

    def smallest(index: int) -> Any:
        values = [row[index] for row in matching if row[index] is not None]
        return min(values) if values else None

    return tuple(smallest(i) for i in range(n, len(matching[0])))


def seed_defaults(session, model, columns: Sequence[str], defaults: Sequence[tuple]) -> int:
    """Write the defaults (`columns` then a description) into an empty table."""
    if session.scalar(select(func.count()).select_from(model)):
        return 0
    for row in defaults:
        values = dict(zip(columns, row[:len(columns)], strict=True))
        session.add(model(**values, description=row[len(columns)], active=True))
    session.flush()
    return len(defaults)
