"""Numbering series (编号规则): 厦府〔2026〕12号 and every number like it.

A series is one row per key and year — for outgoing documents the key is the agency
prefix (机关代字, e.g. 厦府) — holding the next number to hand out. `allocate()` takes a
number with a single `UPDATE ... SET next_number = next_number + 1 ... RETURNING` in the
caller's transaction: the row lock (PostgreSQL) or the database write lock (SQLite)
serialises concurrent callers, so two requests never get the same number, and a
transaction that rolls back gives its number back. Admins edit the series in the console
(the next number, the format, switching a series off) without code.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Optional, Union

from flask_babel import gettext
from sqlalchemy import Integer, String, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, _l, flag, label

#: GB/T 9704-2012 7.2.4: 厦府〔2026〕12号 — no zero padding, no 第.
DEFAULT_FORMAT = "{prefix}〔{year}〕{number}号"
PLACEHOLDER = re.compile(r"\{(prefix|year|number)\}")


class NumberingError(Exception):
    """No number can be given (the series is switched off); the message is for the user."""


class NumberSeries(Model):
    """编号规则: the next number of one series in one year."""

    __tablename__ = "number_series"
    __table_args__ = (UniqueConstraint("key", "year", name="uq_number_series_key_year"),)
    __audited__ = True          # app.audit writes every change an admin makes (old → new)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), nullable=False, index=True, info=label(
        _l("Series key"), description=_l("What the numbers are allocated by; for documents the agency prefix, "
                                         "e.g. 厦府")))
    prefix: Mapped[str] = mapped_column(String(40), nullable=False, info=label(
        _l("Printed prefix"), description=_l("Written where the format says {prefix}")))
    year: Mapped[int] = mapped_column(Integer, nullable=False, info=label(_l("Year")))
    next_number: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1", info=label(
        _l("Next number"), description=_l("The number the next allocation gets")))
    format: Mapped[str] = mapped_column(String(100), nullable=False, default=DEFAULT_FORMAT, info=label(
        _l("Number format"), description=_l("{prefix}, {year} and {number} are replaced, e.g. "
                                            "{prefix}〔{year}〕{number}号")))
    active: Mapped[bool] = flag(_l("Active"), default=True)
    note: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Note")))

    def render(self, number: int) -> str:
        return render(self.format, self.prefix, self.year, number)

    def __str__(self) -> str:
        return f"{self.key} {self.year}"


def render(fmt: str, prefix: str, year: int, number: int) -> str:
    """The number as printed. Only the three placeholders are replaced (no `str.format`:
    an admin's format string must not reach Python attribute lookups)."""
    values = {"prefix": prefix, "year": str(year), "number": str(number)}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], fmt or DEFAULT_FORMAT)


def format_problems(fmt: str) -> list[str]:
    """Why a format cannot be used; [] when it can."""
    if "{number}" not in (fmt or ""):
        return [gettext("The format must contain {number}.")]
    rest = PLACEHOLDER.sub("", fmt)
    if "{" in rest or "}" in rest:
        return [gettext("The format may only use {prefix}, {year} and {number}.")]
    return []


def _bump(key: str, year: int):
    return (update(NumberSeries)
            .where(NumberSeries.key == key, NumberSeries.year == year, NumberSeries.active.is_(True))
            .values(next_number=NumberSeries.next_number + 1)
            .returning(NumberSeries.next_number, NumberSeries.prefix, NumberSeries.format)
            .execution_options(synchronize_session=False))


StartAfter = Union[int, Callable[[], int]]


def allocate(session, key: str, year: int, *, prefix: Optional[str] = None,
             start_after: StartAfter = 0) -> tuple[int, str]:
    """The next number of series `key` in `year` and its printed text, taken in the
    caller's transaction (committed or rolled back with it).

    The first allocation of a key and year opens the series (printed prefix `prefix`,
    default the key) after `start_after` — the highest number already used, or a function
    giving it, read only then. Raises NumberingError if an admin switched the series off.
    """
    for _ in range(3):
        row = session.execute(_bump(key, year)).one_or_none()
        if row is not None:
            number = row.next_number - 1
            return number, render(row.format, row.prefix, year, number)
        _open(session, key, year, prefix or key, start_after)
    raise NumberingError(gettext("No number could be allocated in the series %(key)s %(year)d.", key=key, year=year))


def _open(session, key: str, year: int, prefix: str, start_after: StartAfter) -> None:
    """Create the series row (unless it exists); a concurrent creator wins the race and
    the caller simply retries its UPDATE."""
    active = session.execute(
        select(NumberSeries.active).where(NumberSeries.key == key, NumberSeries.year == year)).scalar_one_or_none()
    if active is False:
        raise NumberingError(gettext("The numbering series %(key)s %(year)d is switched off: an administrator "
                                     "switches it on in the configuration console.", key=key, year=year))
    if active is not None:
        return
    start = start_after() if callable(start_after) else start_after
    try:
        with session.begin_nested():
            session.add(NumberSeries(key=key, prefix=prefix, year=year, next_number=(start or 0) + 1,
                                     format=DEFAULT_FORMAT, active=True))
    except IntegrityError:
        pass
