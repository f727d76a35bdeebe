"""Optimistic locking: a save based on an old version of a record is refused.

Every business row carries `row_version`, the mapper's `version_id_col` (models/base.py):
SQLAlchemy writes each change as `UPDATE … WHERE id = :id AND row_version = :read` and
raises StaleDataError when no row matches. The edit form and the API's PUT must send the
version they were read at (a whole number; missing or anything else is refused). A save
is refused twice over: before writing, when the sent version is not the stored one (the
client edited an old copy); and by the database, when a concurrent save of the same
version committed between our read and our write (exactly one of two racing saves wins).
Either refusal names who, when and which fields changed, read from the audit trail.
"""
from __future__ import annotations

from typing import Optional

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.history import readable_changes
from models.audit import AuditLog

#: The edit form came without a usable version (an old page, a hand-made request).
VERSION_MISSING = _l("Not saved: the form did not say which version of the record you edited. Check your "
                     "input below against the record, then save again.")
#: The API's PUT came without a usable `row_version`.
VERSION_REQUIRED = _l("Required: the row_version of the record as you read it (a whole number, given by "
                      "GET), so that a save cannot overwrite a change you have not seen.")
#: SQLite let the other writer finish first and gave up waiting; nothing was written.
DATABASE_BUSY = _l("Not saved: the database was busy with another save. Nothing was written; save again.")


def submitted_version(value) -> Optional[int]:
    """The version a form or a JSON body sent: a whole number ("3" or 3), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
    elif not isinstance(value, int):
        return None
    return int(value)


def is_stale(item, submitted: int) -> bool:
    return getattr(item, "row_version", None) != submitted


def is_save_conflict(error: BaseException) -> bool:
    """Whether a failed save lost a race: the row's version moved on under it
    (StaleDataError), or SQLite, serialising writers, gave up waiting for the other one
    ("database is locked"). FAB wraps the cause in a DatabaseException: its chain is read."""
    while error is not None:
        if isinstance(error, StaleDataError):
            return True
        if isinstance(error, OperationalError) and "database is locked" in str(error.orig):
            return True
        error = error.__cause__
    return False


def lost_race_message(entity, item, submitted: int, session) -> list[str]:
    """What a save that lost a race is told, after its rollback: the changes that won, or,
    when the record did not change (SQLite was only busy), to save again."""
    session.refresh(item)
    if item.row_version == submitted:
        return [gettext(DATABASE_BUSY)]
    return conflict_message(entity, item, submitted, session)


def changed_meanwhile(entity, item, submitted: int, session) -> list[str]:
    """One line per change saved after version `submitted`: who, when, field: old → new."""
    rows = (session.query(AuditLog)
            .filter(AuditLog.entity == entity.name, AuditLog.record_id == item.id,
                    AuditLog.record_version > submitted)
            .order_by(AuditLog.id).all())
    lines = []
    for row in rows:
        fields = "; ".join(f"{name}: {before} → {after}" for name, before, after in
                           readable_changes(entity.model, row.changes))
        lines.append(gettext("%(user)s at %(time)s — %(fields)s", user=row.username or "?",
                             time=row.at.strftime("%Y-%m-%d %H:%M"), fields=fields or "—"))
    return lines


def conflict_message(entity, item, submitted: int, session) -> list[str]:
    return [gettext("Not saved: someone else saved this record while you were editing it. Your input is "
                    "kept below: check the changes listed here, then save again to overwrite them.")] + \
        changed_meanwhile(entity, item, submitted, session)
