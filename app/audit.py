"""Stamps every business record with who changed it and writes the
audit trail (old → new per field) of every insert, update, delete, restore and step.

Runs on every flush, whatever path wrote the record (screen, API, import, CLI), so no
view has to remember it. A bulk load that must not be audited row by row (the demo
seed) sets `session.info["audit"] = False`.

The trail keeps codes, never sentences: the entity's class name, field names and stored
values, the workflow step's name, and for acts that change no row a message code with its
parameters (`coded`). `app.history` reads them in the language of whoever looks.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from app.masking import column_mask, mask_value
from models.audit import AuditLog
from models.base import BusinessRecord, now_cn

SYSTEM_USER = "system"


def current_username() -> str:
    """The user behind the request: a screen's session login or the API's bearer token
    (FAB puts the token's user on `g.user`)."""
    if has_request_context():
        user = getattr(g, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user.username
        try:
            if current_user and current_user.is_authenticated:
                return current_user.username
        except Exception:  # no login manager on this app
            pass
    return SYSTEM_USER


def stamp(session: Session) -> None:
    """Who created and last changed each record of the flush, and when: the last step of
    the save order (app/lifecycle/__init__.py), so what a save hook changed is stamped too."""
    who = None
    for obj in session.new:
        if isinstance(obj, BusinessRecord):
            who = who or current_username()
            obj.created_by = obj.created_by or who
            obj.updated_by = obj.updated_by or who
    for obj in session.dirty:
        if isinstance(obj, BusinessRecord) and session.is_modified(obj, include_collections=False):
            who = who or current_username()
            obj.updated_by = who
            obj.updated_at = now_cn()
            # row_version moves on by itself: it is the mapper's version_id_col (models/base.py)


# --- the audit trail ----------------------------------------------------------------------
#: Bookkeeping columns: their change is implied by every audited row.
UNTRACKED = {"updated_at", "updated_by", "row_version", "created_at", "created_by"}
MAX_VALUE = 1000


def client_addr() -> str | None:
    return request.remote_addr if has_request_context() else None


def audited(obj) -> bool:
    return isinstance(obj, BusinessRecord) or getattr(type(obj), "__audited__", False)


def plain_value(value, column):
    """A JSON-safe, bounded, masked copy of a stored value."""
    if value is None:
        return None
    # a sensitive column's mask; or the one a column asks for in the trail only (`audit_mask`: a
    # proposer's name, written in clear before he asked for confidentiality, models/proposals.py)
    mask = column_mask(column)
    if mask is None:
        mask = (getattr(column, "info", None) or {}).get("audit_mask")
    if mask is not None:
        value = mask_value(value, mask)
    if isinstance(value, (bool, int, float, str)):
        return value[:MAX_VALUE] if isinstance(value, str) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dict, list)):
        return value
    return str(value)[:MAX_VALUE]


def _changes(obj, *, new: bool = False, gone: bool = False) -> dict:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in UNTRACKED or key == "id":
            continue
        column = attr.columns[0]
        if new or gone:
            value = plain_value(getattr(obj, key), column)
            if value not in (None, "", {}, []):
                out[key] = [None, value] if new else [value, None]
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before != after:
            out[key] = [plain_value(before, column), plain_value(after, column)]
    return out


def _name(obj) -> str | None:
    try:
        return str(obj)[:300]
    except Exception:  # a half-loaded record must not break the save
        return None


def audit_row(action: str, entity: str, record_id=None, record_name=None, changes=None, detail=None,
              version=None) -> dict:
    return {"at": now_cn(), "username": current_username(), "client_addr": client_addr(), "action": action,
            "entity": entity, "record_id": record_id, "record_name": record_name, "changes": changes,
            "detail": detail, "record_version": version}


def coded(code: str, **params) -> str:
    """A detail kept as a message code and its parameters (codes, numbers, field names —
    no translated words), put into words by `app.history.MESSAGES` when it is read."""
    return json.dumps({"msg": code, **params}, ensure_ascii=False, default=str)


def record_act(session: Session, action: str, entity: str, *, record_id=None, record_name=None,
               detail=None) -> None:
    """Audit an act that changes no row (export, import, unmasking); committed with the session.
    `detail`: a `coded(...)` message."""
    session.execute(insert(AuditLog.__table__), [audit_row(action, entity, record_id, record_name, None, detail)])


def record_read(session: Session, entity: str, *, record_id=None, record_name=None, detail=None) -> None:
    """Audit an unmasked read, committed at once without expiring what the request loaded.

    The page is rendered after this: a plain commit expired the record, its History and the
    lookup labels already read, and each was fetched again one by one — a record page's
    queries grew with every view. A read changes no row, so nothing loaded is stale."""
    record_act(session, "UNMASK", entity, record_id=record_id, record_name=record_name, detail=detail)
    real = session() if callable(session) else session     # a scoped_session: the request's own
    expiring, real.expire_on_commit = real.expire_on_commit, False
    try:
        real.commit()
    finally:
        real.expire_on_commit = expiring


def mark_transition(session: Session, obj, name: str) -> None:
    """Tell the trail that `obj`'s next flush is the workflow step `name`."""
    session.info.setdefault("audit_transitions", {})[(type(obj).__name__, obj.id)] = name


@event.listens_for(Session, "after_flush")
def _trail(session: Session, _flush_context) -> None:
    if session.info.get("audit") is False:
        return
    transitions = session.info.pop("audit_transitions", {})
    rows = []
    for obj in session.new:
        if audited(obj):
            rows.append(audit_row("INSERT", type(obj).__name__, obj.id, _name(obj), _changes(obj, new=True),
                                  version=getattr(obj, "row_version", None)))
    for obj in session.dirty:
        if not audited(obj) or not session.is_modified(obj, include_collections=False):
            continue
        changes = _changes(obj)
        if not changes:
            continue
        action, detail = "UPDATE", None
        if "is_deleted" in changes:
            action = "SOFT_DELETE" if changes["is_deleted"][1] else "RESTORE"
        elif (type(obj).__name__, obj.id) in transitions:
            action, detail = "TRANSITION", transitions[(type(obj).__name__, obj.id)]
        rows.append(audit_row(action, type(obj).__name__, obj.id, _name(obj), changes, detail,
                              version=getattr(obj, "row_version", None)))
    for obj in session.deleted:
        if audited(obj):
            rows.append(audit_row("DELETE", type(obj).__name__, obj.id, _name(obj), _changes(obj, gone=True)))
    if rows:
        session.connection().execute(insert(AuditLog.__table__), rows)
