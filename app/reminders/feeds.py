"""Save hooks that tell at once (`register(..., on_save=[...])`): a 催办 recorded tells the urged
unit; an extension decided tells the unit that asked for it."""
from __future__ import annotations

from sqlalchemy import inspect as sa_inspect

from app.lifecycle import AFTER_ANY_MOVE
from app.reminders.kinds import EXTENSION, URGED, WAITING
from app.reminders.notify import tell_unit
from models.base import now_cn


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


def waiting_for_step(entity, record, move) -> None:
    """A record moved into a state where someone's step comes next (a `todo` transition): the
    users who may take it are told — of the record's unit, of the units that run its function,
    its registrar, and those who see every unit — all but the one who moved it, and not the
    administrators as such (they hold every right to run the system, not to take the office's steps)."""
    from flask import current_app

    from app.registry.deadlines import deadline_of
    from app.registry.scope import ALL_DEPARTMENTS
    from app.registry.unit_tree import OWNERS, units_above, units_under
    from app.reminders.notify import notify, people, role_rights

    workflow = entity.workflow
    steps = [t for t in workflow.transitions if t.todo and move.to_state in t.source and t.applies_to(record)]
    if not steps or record.id is None:
        return
    session = move.session
    rights = role_rights()
    permissions = {(t.permission, entity.name) for t in steps}
    admin = current_app.appbuilder.sm.find_role(current_app.config["AUTH_ROLE_ADMIN"])
    firing = {rid for rid, held in rights.items() if held & permissions} - {getattr(admin, "id", None)}
    all_units = {rid for rid, held in rights.items() if ALL_DEPARTMENTS in held}
    deadline = deadline_of(entity)
    relation = deadline.department if deadline is not None else None
    unit = getattr(getattr(record, relation, None), "id", None) if relation else None
    # who sees the record: its unit and the units above it (a user's scope is his unit and those
    # under it), and the units that run its function and those under them
    units = set(units_above(session, unit)) if unit is not None else set()
    for owner, functions in OWNERS.get(session).items():
        if entity.group in functions:
            units.update(units_under(session, owner))
    creator = getattr(record, "created_by", None)
    told = [p.id for p in people(session, holding=firing) if p.username != move.actor
            and (p.unit in units or p.username == creator or p.roles & all_units)]
    title = str(record)
    # the moment is in the key: the same record may come back to the same step later
    notify(session, told, WAITING, f"{WAITING}:{entity.name}:{record.id}:{move.to_state}:{now_cn():%Y%m%d%H%M%S}",
           entity=entity.name, record_id=record.id, record_name=title,
           detail={"entity": entity.name, "state": move.to_state, "title": title})


AFTER_ANY_MOVE.append(waiting_for_step)
