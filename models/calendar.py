"""The office's work calendar: public holidays and China's make-up working days (调休).

Plain weekday arithmetic is wrong in China several times a year: the State Council
moves working days onto weekends to make the Spring Festival or National Day holidays
longer (docs/domain.md §0). `WorkCalendar` lists the exceptions only — a HOLIDAY is a day off
even on a weekday, a WORKDAY is a working day even on a Saturday or Sunday; every other
day is a working day from Monday to Friday.

The calendar is read for every row of a list that shows a light, so it is loaded once
per application context (a request) and dropped as soon as a session writes a calendar
row: an admin's edit counts at once, and every worker reads it afresh on its next request.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Optional, TypeVar, Union

from flask import g, has_app_context
from sqlalchemy import Connection, Date, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import BusinessRecord, Model, _l, label, lookup_column, reference_seed
from models.lookups import define_lookup

HOLIDAY, WORKDAY = "HOLIDAY", "WORKDAY"
DAY_KIND = define_lookup("work_calendar_kind", _l("Kind of day"), [
    (HOLIDAY, "法定节假日", "Public holiday"),
    (WORKDAY, "调休上班", "Make-up working day"),
], styles={HOLIDAY: "danger", WORKDAY: "info"})

WORKING, CALENDAR = "WORKING", "CALENDAR"
#: How a time limit counts: working days (工作日) skip weekends and holidays, calendar
#: days (自然日) do not.
DEADLINE_BASIS = define_lookup("deadline_basis", _l("Counted in"), [
    (WORKING, "工作日", "Working days"),
    (CALENDAR, "自然日", "Calendar days"),
])


class WorkCalendar(BusinessRecord, Model):
    """工作日历: one day that breaks the Monday-to-Friday rule."""

    __tablename__ = "work_calendar"
    __order__ = ("day", "asc")

    day: Mapped[dt.date] = mapped_column(Date, unique=True, nullable=False, info=label(_l("Date")))
    kind: Mapped[str] = lookup_column(DAY_KIND, _l("Kind of day"), nullable=False, default=HOLIDAY, description=_l(
        "A public holiday is a day off even on a weekday; a make-up working day is worked even at the weekend"))
    name: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Holiday name"), description=_l("e.g. 春节")))
    note: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Note")))

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name or ''}".strip()


# --- reading the calendar --------------------------------------------------------------------
_CACHE = "_work_calendar"


#: What the calendar is read through: the application's session by default; a flush
#: event passes its connection.
Reader = Optional[Union[Session, Connection]]


def calendar_days(session: Reader = None) -> Mapping[dt.date, str]:
    """{day: HOLIDAY|WORKDAY} of every live calendar row, read once per application context.

    Outside an application context (a plain function call) there is no calendar: only
    weekends are days off."""
    if not has_app_context():
        return {}
    cached = g.get(_CACHE)
    if cached is None:
        if session is None:
            from app.extensions import db

            session = db.session
        rows = session.execute(
            select(WorkCalendar.day, WorkCalendar.kind).where(WorkCalendar.is_deleted.is_(False)))
        cached = {day: kind for day, kind in rows}
        setattr(g, _CACHE, cached)
    return cached


def forget_calendar() -> None:
    """Drop the cached calendar; the next question reads the table again."""
    if has_app_context():
        g.pop(_CACHE, None)


# --- working-day arithmetic ------------------------------------------------------------------
Day = TypeVar("Day", dt.date, dt.datetime)


def _date(day: dt.date) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day


def is_working_day(day: dt.date, calendar: Optional[Mapping[dt.date, str]] = None) -> bool:
    """Monday to Friday, unless the calendar says it is a holiday; a weekend day the
    calendar lists as a make-up working day."""
    day = _date(day)
    kind = (calendar_days() if calendar is None else calendar).get(day)
    if kind == HOLIDAY:
        return False
    if kind == WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: Day, n: int, *, session: Reader = None) -> Day:
    """The working day `n` working days after `start` (a date, or a datetime that keeps
    its time of day). With n = 0: `start` itself if it is a working day, else the next one
    (a case received on Sunday starts counting on Monday). A negative n counts back."""
    calendar = calendar_days(session)
    step = dt.timedelta(days=1 if n >= 0 else -1)
    current, left = start, abs(n)
    while left:
        current += step
        if is_working_day(current, calendar):
            left -= 1
    while not is_working_day(current, calendar):
        current += step
    return current


def working_days_between(a: dt.date, b: dt.date, *, session: Reader = None) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`), so
    that `working_days_between(a, add_working_days(a, n)) == n` from a working day `a`."""
    a, b = _date(a), _date(b)
    if b < a:
        return -working_days_between(b, a, session=session)
    calendar = calendar_days(session)
    return sum(1 for i in range(1, (b - a).days + 1) if is_working_day(a + dt.timedelta(days=i), calendar))


def due_after(start: Day, days: int, basis: str = WORKING, *, session: Reader = None) -> Day:
    """`days` working or calendar days (`basis`, DEADLINE_BASIS) after `start`."""
    if basis == CALENDAR:
        return start + dt.timedelta(days=days)
    return add_working_days(start, days, session=session)


# --- reference data --------------------------------------------------------------------------
#: 国务院办公厅关于2026年部分节假日安排的通知 (published 4 November 2025):
#: (first day off, last day off, holiday, make-up working days). Every day of each span is
#: listed, weekend days included, so the calendar names the holiday on each of them.
#: Admins check and adjust this every year in the console (the notice comes out each
#: November) and add the next year's days there; nothing here overwrites their edits.
HOLIDAYS_2026 = [
    (dt.date(2026, 1, 1), dt.date(2026, 1, 3), "元旦", [dt.date(2026, 1, 4)]),
    (dt.date(2026, 2, 15), dt.date(2026, 2, 23), "春节", [dt.date(2026, 2, 14), dt.date(2026, 2, 28)]),
    (dt.date(2026, 4, 4), dt.date(2026, 4, 6), "清明节", []),
    (dt.date(2026, 5, 1), dt.date(2026, 5, 5), "劳动节", [dt.date(2026, 5, 9)]),
    (dt.date(2026, 6, 19), dt.date(2026, 6, 21), "端午节", []),
    (dt.date(2026, 9, 25), dt.date(2026, 9, 27), "中秋节", []),
    (dt.date(2026, 10, 1), dt.date(2026, 10, 7), "国庆节", [dt.date(2026, 9, 20), dt.date(2026, 10, 10)]),
]
NOTICE_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"


def reference_days(spans=HOLIDAYS_2026, notice: str = NOTICE_2026) -> list[tuple[dt.date, str, str, str]]:
    """(day, kind, holiday name, note) of every day the notice lists."""
    days = []
    for first, last, name, workdays in spans:
        for i in range((last - first).days + 1):
            days.append((first + dt.timedelta(days=i), HOLIDAY, name, notice))
        days.extend((day, WORKDAY, name, notice) for day in workdays)
    return days


@reference_seed
def seed_work_calendar(session) -> int:
    """Insert the days of the current notice that are missing; returns how many were added."""
    existing = set(session.scalars(select(WorkCalendar.day)))
    added = 0
    for day, kind, name, note in reference_days():
        if day not in existing:
            session.add(WorkCalendar(day=day, kind=kind, name=name, note=note))
            added += 1
    session.flush()
    return added
