"""Writing notifications: to whom, once, as each chose.

The users told of a record are those of its unit (the unit its deadline names: lead or
handling unit) and the user who registered it — each only if his roles let him read the
entity, and only if he has not switched that kind off. A happening is told once per user
(its `key`): the same overdue item is not announced every day.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, insert, or_, select

from models.base import now_cn
from models.notifications import Notification, NotificationChoice


def _user_model():
    return current_app.appbuilder.sm.user_model


def role_rights() -> dict[int, frozenset[tuple[str, str]]]:
    """{role id: its (permission, view) pairs}, as the security manager keeps them per process."""
    return current_app.appbuilder.sm.rights_by_role()


def readers(session, entity_name: str) -> set[int]:
    """Ids of the roles that may read `entity_name` (its list's right)."""
    return {rid for rid, rights in role_rights().items() if ("can_read", entity_name) in rights}


@dataclass(frozen=True)
class Person:
    id: int
    unit: int | None
    username: str
    roles: frozenset[int]


def people(session, *, holding: set[int] | None = None) -> list[Person]:
    """The active users (those holding one of the roles `holding`, if given), their unit and
    roles: two queries of plain columns, no user objects."""
    user = _user_model()
    link = user.roles.property.secondary
    links = select(link.c.user_id, link.c.role_id)
    if holding is not None:
        if not holding:
            return []
        links = links.where(link.c.user_id.in_(select(link.c.user_id).where(link.c.role_id.in_(holding))))
    roles: dict[int, set[int]] = {}
    for uid, rid in session.execute(links):
        roles.setdefault(uid, set()).add(rid)
    if not roles:
        return []
    found = select(user.id, user.department_id, user.username).where(user.active.is_(True))
    if holding is not None:
        found = found.where(user.id.in_(list(roles)))
    return [Person(uid, unit, name, frozenset(roles.get(uid, ()))) for uid, unit, name in session.execute(found)]


def users_of(session, unit_ids: Iterable[int], usernames: Iterable[str] = ()) -> dict[int, set[int]]:
    """{user id: his role ids} of the active users in `unit_ids` or named in `usernames`."""
    user = _user_model()
    units, names = {u for u in unit_ids if u is not None}, {n for n in usernames if n}
    if not units and not names:
        return {}
    conditions = []
    if units:
        conditions.append(user.department_id.in_(units))
    if names:
        conditions.append(user.username.in_(names))
    found = session.query(user).filter(user.active.is_(True), or_(*conditions)).all()
    return {u.id: {r.id for r in u.roles} for u in found}


def switched_off(session, user_ids: Iterable[int], kind: str, *, mail: bool = False) -> set[int]:
    """The users among `user_ids` who do not want `kind` (in the app, or by mail)."""
    ids = list(set(user_ids))
    if not ids:
        return set()
    column = NotificationChoice.by_mail if mail else NotificationChoice.in_app
    return set(session.scalars(select(NotificationChoice.user_id).where(
        NotificationChoice.user_id.in_(ids), NotificationChoice.kind == kind, column.is_(False))))


def notify(session, user_ids: Iterable[int], kind: str, key: str, *, entity: str | None = None,
           record_id: int | None = None, record_name: str | None = None, detail: dict | None = None) -> int:
    """Tell `kind` to each of `user_ids` who wants it and was not told `key` before; how many were told."""
    wanted = set(user_ids) - switched_off(session, user_ids, kind)
    return write(session, [Told(wanted, kind, key, entity, record_id, record_name, detail)])


@dataclass
class Told:
    """One happening to tell: to whom (before choices and repeats), what, about which record."""

    users: set[int]
    kind: str
    key: str
    entity: str | None = None
    record_id: int | None = None
    record_name: str | None = None
    detail: dict | None = None


def write(session, happenings: list[Told]) -> int:
    """Write the notifications of `happenings` no user had yet (by key) in one INSERT; how many.
    A 内部 record's news goes only to those its need-to-know list lets read it."""
    from app.registry.need_to_know import readers_among

    for h in happenings:
        if h.users and h.record_id is not None:
            h.users = readers_among(session, h.entity, h.record_id, h.users)
    keys = sorted({h.key[:160] for h in happenings if h.users})
    if not keys:
        return 0
    held = set()
    for start in range(0, len(keys), 500):
        held.update((uid, key) for uid, key in session.execute(select(Notification.user_id, Notification.key).where(
            Notification.key.in_(keys[start:start + 500]))))
    now = now_cn()
    rows = []
    for h in happenings:
        key = h.key[:160]
        text = json.dumps(h.detail or {}, ensure_ascii=False, default=str)
        rows += [{"user_id": uid, "kind": h.kind, "key": key, "entity": h.entity, "record_id": h.record_id,
                  "record_name": (h.record_name or "")[:300], "detail": text, "created_at": now}
                 for uid in sorted(h.users) if (uid, key) not in held]
        held.update((uid, key) for uid in h.users)
    if rows:
        session.execute(insert(Notification.__table__), rows)
    return len(rows)


def everyone_off(session, kind: str, *, mail: bool = False) -> set[int]:
    """Every user who switched `kind` off (in the app, or by mail): read once a run."""
    column = NotificationChoice.by_mail if mail else NotificationChoice.in_app
    return set(session.scalars(select(NotificationChoice.user_id).where(
        NotificationChoice.kind == kind, column.is_(False))))


def tell_unit(session, entity_name: str, kind: str, key: str, *, units: Iterable[int], usernames=(),
              record_id=None, record_name=None, detail=None, allowed_roles: set[int] | None = None) -> int:
    """Tell the users of `units` (and those named) who may read `entity_name`."""
    allowed = allowed_roles if allowed_roles is not None else readers(session, entity_name)
    users = [uid for uid, roles in users_of(session, units, usernames).items() if roles & allowed]
    return notify(session, users, kind, key, entity=entity_name, record_id=record_id, record_name=record_name,
                  detail=detail)


def unread(session, user_id: int) -> int:
    return session.query(Notification).filter(and_(Notification.user_id == user_id,
                                                    Notification.read_at.is_(None))).count()
