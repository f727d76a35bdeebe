"""Save hooks that tell at once (`register(..., on_save=[...])`): a 催办 recorded tells the urged
unit; an extension decided tells the unit that asked for it."""
from __future__ import annotations

from sqlalchemy import inspect as sa_inspect

from app.reminders.kinds import EXTENSION, URGED
from app.reminders.notify import tell_unit


def urge_received(record, change) -> None:
    """An UrgeRecord written for a supervision item: its urged unit is told, about the item."""
    if change.kind != "created" or record.is_deleted:
        return
    item = record.item
    unit = record.department_id or (record.department.id if record.department is not None else None)
    if item is None or unit is None:
        return
    stamp = record.urged_at.isoformat() if record.urged_at else "now"
    tell_unit(change.session, "SupervisionItem", URGED, f"{URGED}:{item.id}:{unit}:{stamp}", units=[unit],
              record_id=item.id, record_name=str(item), detail={"method": record.method, "title": str(item)})


def extension_decided(record, change) -> None:
    """An ExtensionRequest moved to approved or refused: the requesting unit is told."""
    if record.status not in ("APPROVED", "REJECTED") or change.kind not in ("created", "changed"):
        return
    if change.kind == "changed" and not sa_inspect(record).attrs.status.history.has_changes():
        return
    item = record.item
    unit = record.department_id or (record.department.id if record.department is not None else None)
    if item is None or unit is None:
        return
    approved = record.status == "APPROVED"
    due = (record.approved_due if approved else record.original_due) or record.requested_due
    tell_unit(change.session, "SupervisionItem", EXTENSION, f"{EXTENSION}:{record.id or id(record)}:{record.status}",
              units=[unit], usernames=[record.created_by or ""], record_id=item.id, record_name=str(item),
              detail={"approved": approved, "due": due.isoformat() if due else "", "title": str(item)})
