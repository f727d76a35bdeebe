"""The daily reminder run (the job queue's periodic task, or `flask reminders`): what falls due
within DEADLINE_YELLOW_DAYS working days (the work calendar) or is overdue, told to its
unit's users and its registrar; on Mondays each unit's managers get its overdue summary;
then each user with news the day's digest entry in the bell (his unread, counted by kind),
and the e-mail digest, where SMTP is configured."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable

from flask import current_app
from sqlalchemy import DateTime, func, select, update
from sqlalchemy import inspect as sa_inspect

from app.registry.deadlines import deadline_of, due_expression, due_of, running_condition
from app.registry.spec import REGISTRY
from app.reminders import mail
from app.reminders.kinds import DIGEST, DUE_SOON, OVERDUE, WEEKLY
from app.reminders.notify import Person, Told, everyone_off, notify, people, readers, write
from models.base import now_cn, today_cn
from models.calendar import add_working_days, working_days_between
from models.notifications import Notification

#: Records read per round trip.
CHUNK = 500

#: Domain work the daily run does first, `task(session, today) -> Counter` (views/documents.py: the
#: automatic 催办 of incoming documents, normative documents past their expiry), so that what it
#: writes and tells is in the day's reminders and digest.
DAILY: list[Callable[..., Counter]] = []


def _unit_column(model, relation: str | None):
    if not relation:
        return None
    rel = sa_inspect(model).relationships.get(relation)
    if rel is None or rel.uselist:
        return None
    (column,) = rel.local_columns
    return getattr(model, sa_inspect(model).get_property_by_column(column).key)


def daily(session, today: dt.date | None = None, *, send_mail: bool = True) -> Counter:
    """Tell what falls due and what is overdue; the weekly summary on Mondays; the digests."""
    today = today or today_cn()
    horizon = add_working_days(today, current_app.config["DEADLINE_YELLOW_DAYS"], session=session)
    everyone = people(session)
    by_unit: dict[int, list[Person]] = defaultdict(list)
    by_name: dict[str, Person] = {}
    for person in everyone:
        if person.unit is not None:
            by_unit[person.unit].append(person)
        by_name[person.username] = person
    roles_of = {p.id: p.roles for p in everyone}
    off = {kind: everyone_off(session, kind) for kind in (DUE_SOON, OVERDUE)}
    counts: Counter = Counter()
    for task in DAILY:
        counts.update(task(session, today))
        session.commit()
    overdue_by_unit: dict[int, Counter] = defaultdict(Counter)
    for entity in REGISTRY.values():
        deadline = deadline_of(entity)
        if deadline is None or not entity.is_business:
            continue
        allowed = readers(session, entity.name)
        if not allowed:
            continue
        model = entity.model
        unit_column = _unit_column(model, deadline.department)
        due = due_expression(entity, deadline)
        is_time = isinstance(getattr(model, deadline.due).type, DateTime)
        limit = dt.datetime.combine(horizon + dt.timedelta(days=1), dt.time.min) if is_time else horizon
        query = (session.query(model).filter(model.is_deleted.is_(False), running_condition(entity, deadline),
                                             due.isnot(None), due < limit if is_time else due <= limit)
                 .order_by(model.id))
        pending: list[Told] = []
        for record in query.yield_per(CHUNK):
            when = due_of(entity, record)
            day = when.date() if isinstance(when, dt.datetime) else when
            kind = OVERDUE if day < today else DUE_SOON
            unit = getattr(record, unit_column.key) if unit_column is not None else None
            told = [p.id for p in by_unit.get(unit, [])] if unit is not None else []
            owner = by_name.get(record.created_by or "")
            if owner is not None:
                told.append(owner.id)
            told = {pid for pid in told if roles_of.get(pid, frozenset()) & allowed} - off[kind]
            if kind == OVERDUE and unit is not None:
                overdue_by_unit[unit][str(entity.title)] += 1
            if not told:
                continue
            title = str(record)
            detail = {"due": day.isoformat(), "title": title,
                      "days": working_days_between(today, day, session=session) if kind == DUE_SOON else 0}
            pending.append(Told(told, kind, f"{kind}:{entity.name}:{record.id}:{day.isoformat()}", entity.name,
                                record.id, title, detail))
            if len(pending) >= CHUNK:
                counts["TOLD"] += write(session, pending)
                pending = []
        counts["TOLD"] += write(session, pending)
        session.commit()
    if today.weekday() == 0:
        counts[WEEKLY] += _weekly(session, today, overdue_by_unit, by_unit)
    session.commit()
    counts[DIGEST] += digest_entries(session, today)
    session.commit()
    if send_mail and mail.configured():
        counts["MAILED"] += mail.digest(session)
    return counts


def _weekly(session, today: dt.date, overdue_by_unit: dict[int, Counter], by_unit) -> int:
    """Each unit's overdue records, by list, to its managers (the Manager role)."""
    from models.org import Department

    sm = current_app.appbuilder.sm
    manager = sm.find_role("Manager")
    if manager is None:
        return 0
    year, week, _day = today.isocalendar()
    names = dict(session.execute(select(Department.id, Department.name_zh).where(
        Department.id.in_(list(overdue_by_unit) or [0]))).all())
    told = 0
    for unit, counter in overdue_by_unit.items():
        managers = [p.id for p in by_unit.get(unit, []) if manager.id in p.roles]
        if managers:
            told += notify(session, managers, WEEKLY, f"{WEEKLY}:{unit}:{year}-{week:02d}",
                           detail={"unit": names.get(unit, ""), "total": sum(counter.values()),
                                   "counts": sorted(counter.items())})
    return told


def digest_entries(session, today: dt.date) -> int:
    """The day's digest entry in the bell, once a day (its key names the day), for each active
    user with an unread notification less than a day old who has not switched the digest off:
    his unread, counted by kind; opened, it leads to his notifications. The entry it supersedes
    (an earlier day's, still unread) is marked read. One GROUP BY reads every user's counts."""
    user = current_app.appbuilder.sm.user_model
    since = now_cn() - dt.timedelta(days=1)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    fresh: set[int] = set()
    unread = (select(Notification.user_id, Notification.kind, func.count(), func.max(Notification.created_at))
              .join(user, user.id == Notification.user_id)
              .where(Notification.read_at.is_(None), Notification.kind != DIGEST, user.active.is_(True))
              .group_by(Notification.user_id, Notification.kind))
    for user_id, kind, count, latest in session.execute(unread):
        counts[user_id][kind] = count
        if latest is not None and latest >= since:
            fresh.add(user_id)
    told = sorted(fresh - everyone_off(session, DIGEST))
    day = today.isoformat()
    written = write(session, [Told({uid}, DIGEST, f"{DIGEST}:{uid}:{day}",
                                   detail={"day": day, "counts": counts[uid], "total": sum(counts[uid].values())})
                              for uid in told])
    stamp = now_cn()
    for start in range(0, len(told), 900):
        session.execute(update(Notification).where(
            Notification.user_id.in_(told[start:start + 900]), Notification.kind == DIGEST,
            Notification.read_at.is_(None), Notification.key.notlike(f"{DIGEST}:%:{day}"))
            .values(read_at=stamp).execution_options(synchronize_session=False))
    return written
