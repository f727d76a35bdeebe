"""A record's History tab: its audit rows, read in the user's language."""
from __future__ import annotations

from dataclasses import dataclass

from app.registry.introspect import label_of, lookup_of
from models.audit import AUDIT_ACTION, AuditLog
from models.lookups import lookup_label

#: How many of a record's most recent audit rows its page shows.
HISTORY_LIMIT = 200


@dataclass
class HistoryLine:
    row: AuditLog
    action: str
    changes: list[tuple[str, str, str]]     # (field label, before, after)


def _readable(model, field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        from flask_babel import gettext

        return gettext("Yes") if value else gettext("No")
    category = lookup_of(model, field) if hasattr(model, field) else None
    if category:
        return lookup_label(category, value) or str(value)
    return str(value)


def readable_changes(model, changes: dict | None) -> list[tuple[str, str, str]]:
    """(field label, before, after) in the user's language, lookup codes as labels."""
    out = []
    for field, pair in (changes or {}).items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        name = label_of(model, field) if hasattr(model, field) else field
        out.append((str(name), _readable(model, field, before), _readable(model, field, after)))
    return out


def record_history(entity, record_id: int, session) -> list[HistoryLine]:
    rows = (session.query(AuditLog)
            .filter(AuditLog.entity == entity.name, AuditLog.record_id == record_id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(HISTORY_LIMIT).all())
    return [HistoryLine(row, lookup_label(AUDIT_ACTION, row.action) or row.action,
                        readable_changes(entity.model, row.changes)) for row in rows]
