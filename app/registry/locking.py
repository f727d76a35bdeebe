"""Optimistic locking: a save based on an old version of a record is refused.

Every business row carries `row_version`, bumped on each change (app/audit.py). The edit
form sends back the version it was read at, the API may send `row_version`; when it
differs from the stored one, someone saved in between, and the refusal names who,
when and which fields changed, read from the audit trail.
"""
from __future__ import annotations

from typing import Optional

from flask_babel import gettext

from app.history import readable_changes
from models.audit import AuditLog


def submitted_version(value) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def is_stale(item, submitted: Optional[int]) -> bool:
    return submitted is not None and getattr(item, "row_version", None) not in (None, submitted)


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
