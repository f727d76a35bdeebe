"""Save hooks that tell at once (`register(..., on_save=[...])`): a 催办 recorded tells the urged
unit (an urging record of a supervision item, a 催办 handling step of a document); an extension
decided tells the unit that asked for it."""
from __future__ import annotations

from sqlalchemy import inspect as sa_inspect

from app.lifecycle import AFTER_ANY_MOVE, when_saved
from app.reminders.kinds import EXTENSION, URGED, WAITING
from app.reminders.notify import tell_unit
from models.base import now_cn

#: The handling step of a document that urges its units (models/documents.py `DOC_STEP_TYPE`).
CUIBAN = "CUIBAN"


def _tell_urged(session, entity_name: str, record, units, key: str, detail: dict) -> int:
    """Tell the users of `units` who may read `entity_name` that `record` is urged (催办)."""
    title = str(record)
    return tell_unit(session, entity_name, URGED, key, units=units, record_id=record.id, record_name=title,
                     detail={**detail, "title": title})


def urge_received(record, change) -> None:
    """An UrgeRecord written for a supervision item: its urged unit is told, about the item —
    once both have their ids (an item saved with its first urging record has none before)."""
    if change.kind != "created" or record.is_deleted:
        return
    session = change.session
    when_saved(session, record, lambda: _tell_item_urged(session, record))


def _tell_item_urged(session, record) -> None:
    item = record.item
    unit = record.department_id or (record.department.id if record.department is not None else None)
    if item is None or item.id is None or unit is None:
        return
    stamp = record.urged_at.isoformat() if record.urged_at else "now"
    _tell_urged(session, "SupervisionItem", item, [unit], f"{URGED}:{item.id}:{unit}:{stamp}:{record.id}",
                {"method": record.method})


def document_urged(record, change) -> None:
    """A 催办 handling step added to a document (by hand, the importer, a script): the units
    handling the document are told, about the document — once the step has its id (the key)."""
    if change.kind != "created" or record.is_deleted or record.step_type != CUIBAN:
        return
    session = change.session
    when_saved(session, record, lambda: _tell_document_urged(session, record))


def urged_units(step) -> list[int]:
    """Whom a 催办 step urges: the unit it names if that unit handles the document, otherwise
    every unit handling it (its handling units, or its lead handling unit). A step's unit is
    often the urging one (the office's own: the steps the workflow writes name the actor's
    unit), which is not told of its own 催办."""
    doc = step.document
    handling = [h.department_id for h in doc.handlers or [] if not h.is_deleted and h.department_id is not None]
    if not handling and doc.lead_department_id is not None:
        handling = [doc.lead_department_id]
    named = step.department_id or (step.department.id if step.department is not None else None)
    return [named] if named in handling else sorted(set(handling))


def _tell_document_urged(session, step) -> None:
    from app.registry.spec import REGISTRY

    doc = step.document
    if doc is None or doc.id is None or doc.is_deleted:
        return
    entity = REGISTRY.get(type(doc))
    workflow = entity.workflow if entity is not None else None
    if workflow is not None and doc.status in workflow.finished:     # nothing left to hurry: history
        return
    units = urged_units(step)
    if units:
        _tell_urged(session, "Document", doc, units, f"{URGED}:Document:{doc.id}:step{step.id}",
                    {"entity": "Document", "opinion": (step.opinion or "")[:200]})


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
    administrators as such (they hold every right to run the system, not to take the office's steps).
    A step only the units running a function take (`Transition.owners_only`) is told to their users only."""
    from flask import current_app

    from app.registry.deadlines import deadline_of
    from app.registry.scope import ALL_DEPARTMENTS
    from app.registry.unit_tree import OWNERS, units_above, units_under
    from app.reminders.notify import notify, people, role_rights

    if move.from_state == move.to_state:    # an action that keeps the state (废止, 解密 …): nothing new waits
        return
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
    owned = {t.owners_only for t in steps}
    if None not in owned:       # steps only the units running a function take: their users alone
        units = set()
        for owner, functions in OWNERS.get(session).items():
            if owned & set(functions):
                units.update(units_under(session, owner))
        told = [p.id for p in people(session, holding=firing) if p.username != move.actor and p.unit in units]
    else:
        told = [p.id for p in people(session, holding=firing) if p.username != move.actor
                and (p.unit in units or p.username == creator or p.roles & all_units)]
    title = str(record)
    # the moment is in the key: the same record may come back to the same step later
    notify(session, told, WAITING, f"{WAITING}:{entity.name}:{record.id}:{move.to_state}:{now_cn():%Y%m%d%H%M%S}",
           entity=entity.name, record_id=record.id, record_name=title,
           detail={"entity": entity.name, "state": move.to_state, "title": title})


AFTER_ANY_MOVE.append(waiting_for_step)
