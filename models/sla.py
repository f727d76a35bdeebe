"""Time-limit tables (SLA): rows keyed by a few codes, where an empty key means "any".

Incidents (by category and level) and hotline cases (by appeal type and urgency) look
their limits up the same way: every active row whose keys match applies, and the
tightest value of each limit wins. Until an admin fills the table, built-in defaults
apply; `seed_defaults` writes those defaults into an empty table.

Incoming documents take their default due date from `DocumentSLA` (by urgency, in
working or calendar days), telegrams received theirs from `TelegramSLA` (by priority, in
clock hours or working days). How early a light turns yellow is one setting for every
deadline (`deadline_yellow_days`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Optional

from flask import current_app, g, has_app_context, has_request_context
from flask_babel import gettext
from sqlalchemy import Integer, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import BusinessRecord, Model, _l, flag, label, lookup_column, reference_seed
from models.calendar import DEADLINE_BASIS, WORKING, add_working_days, due_after
from models.lookups import TELEGRAM_PRIORITY, URGENCY, safe_lookup_label

#: Days before the due date at which a light turns yellow (docs/domain.md: configurable, e.g.
#: 3 working days); the setting DEADLINE_YELLOW_DAYS changes it.
YELLOW_DAYS = 3


def deadline_yellow_days() -> int:
    """The yellow window of every deadline light, in working days: the setting
    DEADLINE_YELLOW_DAYS (the console's value, else the configuration's, or
    SUPERVISION_YELLOW_DAYS where an older configuration sets it)."""
    if not has_app_context():
        return YELLOW_DAYS
    from app.settings import setting

    config = current_app.config
    older = config.get("SUPERVISION_YELLOW_DAYS")
    return int(setting("DEADLINE_YELLOW_DAYS",
                       default=older if older is not None else config.get("DEADLINE_YELLOW_DAYS", YELLOW_DAYS)))


class SLARow:
    """What every time-limit table has besides its keys and limits: the basis of the
    limit, an on/off switch, and a name like "投诉 紧急: 24h / 3d". A table sets SLA_KEYS
    ((attribute, lookup category), ...) and `limits_text()`."""

    SLA_KEYS: tuple = ()

    description: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Description"), description=_l("Basis of the limit")))
    active: Mapped[bool] = flag(_l("Active"), default=True, server_default=False)

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


# --- Documents ------------------------------------------------------------------------------------
#: (urgency or None = any, days, basis, note): docs/domain.md §3 gives the common pattern only.
DEFAULT_DOCUMENT_SLA = [
    ("TEJI", 1, WORKING, "特急件：随到随办，至迟1个工作日内办结"),
    ("JIAJI", 3, WORKING, "加急件：3个工作日内办结"),
    ("PUTONG", 7, WORKING, "平件：7个工作日内办结"),
]
DOCUMENT_SLA_COLUMNS = ("urgency", "days", "basis")


class DocumentSLA(SLARow, BusinessRecord, Model):
    """公文办理时限: how long an incoming document may take, by urgency.

    An empty urgency matches every document; when several rows match, the one giving
    the earliest due date applies."""

    __tablename__ = "document_sla"

    urgency: Mapped[Optional[str]] = lookup_column(URGENCY, _l("Urgency"), description=_l("Empty: every urgency"))
    days: Mapped[int] = mapped_column(Integer, nullable=False, info=label(
        _l("Handle within (days)"), description=_l("Counted from receipt; 0: on the day of receipt")))
    basis: Mapped[str] = lookup_column(DEADLINE_BASIS, _l("Counted in"), nullable=False, default=WORKING)

    SLA_KEYS = (("urgency", URGENCY),)

    def limits_text(self) -> str:
        return f"{self.days} {safe_lookup_label(DEADLINE_BASIS, self.basis)}"


def document_due_date(urgency: Optional[str], received: dt.date, session=None) -> Optional[dt.date]:
    """The due date of an incoming document of `urgency` received on `received`: the
    earliest that a matching row gives, or None when no row matches."""
    rows = sla_rows(session, DocumentSLA, DOCUMENT_SLA_COLUMNS, DEFAULT_DOCUMENT_SLA)
    dues = [due_after(received, days, basis or WORKING, session=session)
            for key, days, basis in rows if key in (None, urgency) and days is not None]
    return min(dues) if dues else None


@reference_seed
def seed_document_sla(session) -> int:
    """Insert the default limits when the table is empty; returns how many were added."""
    return seed_defaults(session, DocumentSLA, DOCUMENT_SLA_COLUMNS, DEFAULT_DOCUMENT_SLA)


# --- Telegrams ------------------------------------------------------------------------------------
#: (priority or None = any, clock hours, working days, note): a received telegram is handled within
#: the hours (counted round the clock: the duty office receives telegrams day and night) or the
#: working days (work calendar, same time of day) of its priority. The office's working practice
#: (docs/domain.md §3): 特提 at once, 特急 within hours, 加急 within a working day, 平急 within three.
DEFAULT_TELEGRAM_SLA = [
    ("TETI", 1, None, "特提：随到随办，收电后1小时内签收并办理"),
    ("TEJI", 4, None, "特急：收电后4小时内办理"),
    ("JIAJI", None, 1, "加急：1个工作日内办理"),
    ("PINGJI", None, 3, "平急：3个工作日内办理"),
]
TELEGRAM_SLA_COLUMNS = ("priority", "hours", "workdays")


class TelegramSLA(SLARow, BusinessRecord, Model):
    """电报办理时限: how long a received telegram may take, by priority (特提/特急/加急/平急).

    A row gives clock hours or working days (or both: the earlier applies); an empty priority
    matches every telegram; when several rows match, the earliest due time applies."""

    __tablename__ = "telegram_sla"

    priority: Mapped[Optional[str]] = lookup_column(TELEGRAM_PRIORITY, _l("Telegram priority"), description=_l(
        "Empty: every priority"))
    hours: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Handle within (hours)"), description=_l("Clock hours from receipt, nights and holidays included")))
    workdays: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Handle within (working days)"), description=_l(
            "Working days of the work calendar from receipt, at the same time of day")))

    SLA_KEYS = (("priority", TELEGRAM_PRIORITY),)

    def limits_text(self) -> str:
        parts = ([f"{self.hours}h"] if self.hours is not None else []) + (
            [f"{self.workdays}d"] if self.workdays is not None else [])
        return " / ".join(parts)


def telegram_sla_problems(row: TelegramSLA) -> list[str]:
    """A time limit gives hours or working days, neither negative."""
    problems: list[str] = []
    if row.hours is None and row.workdays is None:
        problems.append(gettext("Give the time limit in hours or in working days."))
    if any(v is not None and v < 0 for v in (row.hours, row.workdays)):
        problems.append(gettext("A time limit cannot be negative."))
    return problems


def telegram_due_at(priority: Optional[str], received: Optional[dt.datetime], session=None) -> Optional[dt.datetime]:
    """When a telegram of `priority` received at `received` is due: the earliest that a matching
    row gives; None without a receipt time or a matching row."""
    if received is None:
        return None
    rows = sla_rows(session, TelegramSLA, TELEGRAM_SLA_COLUMNS, DEFAULT_TELEGRAM_SLA)
    dues = []
    for key, hours, workdays in rows:
        if key not in (None, priority):
            continue
        if hours is not None:
            dues.append(received + dt.timedelta(hours=hours))
        if workdays is not None:
            dues.append(add_working_days(received, workdays, session=session))
    return min(dues) if dues else None


@reference_seed
def seed_telegram_sla(session) -> int:
    """Insert the default limits when the table is empty; returns how many were added."""
    return seed_defaults(session, TelegramSLA, TELEGRAM_SLA_COLUMNS, DEFAULT_TELEGRAM_SLA)
