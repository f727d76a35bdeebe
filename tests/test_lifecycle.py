"""The save lifecycle (app/lifecycle): one dispatcher runs what an entity's declaration says
happens on a save, in one order — clean values, entity hooks, chains, audit stamp — for
every path that writes, and nothing else listens to every session but it and the audit trail.
"""
from __future__ import annotations

import re

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
from app.lifecycle import needs_records
from app.registry.spec import REGISTRY
from app.security import OfficeUser
from models.audit import AuditLog
from models.hotline import HotlineCase
from models.meetings import MeetingDecision
from models.org import Department
from models.supervision import SupervisionAssignment, SupervisionItem
from models.workflow import StatusLog
from tests.factories import make

SESSION_EVENTS = ("before_flush", "after_flush", "after_flush_postexec", "after_commit", "after_soft_rollback",
                  "after_rollback", "before_commit", "after_begin", "after_attach")
OURS = ("app", "models", "views")


def _session_listeners() -> list[str]:
    """`module.function` of every listener our code put on all sessions."""
    found = []
    for name in SESSION_EVENTS:
        for fn in getattr(Session.dispatch, name)._clslevel.get(Session, []):
            if fn.__module__.split(".")[0] in OURS:
                found.append(f"{name}: {fn.__module__}.{fn.__qualname__}")
    return found


def test_only_the_lifecycle_and_the_audit_trail_listen_to_every_session(app):
    found = _session_listeners()
    strays = [f for f in found if not (f.split(": ")[1].startswith("app.lifecycle.")
                                       or f == "after_flush: app.audit._trail")]
    assert not strays, f"session-wide listeners outside the lifecycle: {strays}"
    assert "before_flush: app.lifecycle._dispatch" in found


def test_a_hook_sees_cleaned_values_a_blank_case_number_is_numbered(app):
    """Values are cleaned before the hooks: a case number of blanks is no number, so the
    hotline hook hands out one (a hook that ran first would have kept the blanks, and the
    cleaning then stored a case without a number)."""
    with app.app_context():
        case = make(db.session, HotlineCase, case_no="   ")
        db.session.commit()
        assert re.fullmatch(r"\d{8}-\d{4}", case.case_no), case.case_no
        db.session.delete(case)
        db.session.commit()


def _as(username: str):
    g.user = db.session.scalar(select(OfficeUser).where(OfficeUser.username == username))


def test_what_a_hook_changes_on_another_record_is_stamped_and_audited(app):
    """The lead assignment's hook copies its unit onto the item; the audit stamp runs after
    the hooks, so the item carries who changed it, and the trail has the change."""
    with app.test_request_context():
        item = make(db.session, SupervisionItem)
        unit = make(db.session, Department)
        db.session.commit()
        assert item.updated_by != "clerk"
        version = item.row_version
        _as("clerk")
        db.session.add(SupervisionAssignment(item=item, department=unit, role="ZHUBAN"))
        db.session.commit()
        assert item.lead_department_id == unit.id
        assert item.updated_by == "clerk" and item.row_version == version + 1
        rows = db.session.scalars(select(AuditLog).where(
            AuditLog.entity == "SupervisionItem", AuditLog.record_id == item.id, AuditLog.action == "UPDATE")).all()
        assert any("lead_department_id" in (r.changes or {}) and r.username == "clerk" for r in rows)


def test_a_record_a_chain_opens_goes_through_the_same_steps(app):
    """A decision that needs supervision opens its item in a chain; the item, added during
    the flush, is stamped in the next round and gets its first status row once it has an id."""
    with app.test_request_context():
        decision = make(db.session, MeetingDecision, needs_supervision=False)
        db.session.commit()
        _as("clerk")
        decision.needs_supervision = True
        db.session.commit()
        item = decision.supervision_item
        assert item is not None and item.source_type == "HUIYI"
        assert item.created_by == "clerk"
        logs = db.session.scalars(select(StatusLog).where(
            StatusLog.entity == "SupervisionItem", StatusLog.record_id == item.id)).all()
        assert [(log.transition, log.to_state) for log in logs] == [("create", item.status)]


def test_work_waiting_for_an_id_is_forgotten_on_rollback(app):
    with app.app_context():
        decision = make(db.session, MeetingDecision, needs_supervision=False)
        db.session.commit()
        before = db.session.query(SupervisionItem).count()
        decision.needs_supervision = True
        db.session.flush()
        db.session.rollback()
        assert "office_lifecycle_later" not in db.session.info
        assert db.session.query(SupervisionItem).count() == before


def test_the_importer_writes_record_by_record_whatever_has_hooks_or_rules(app):
    """Decided from the declaration: an entity with save hooks or rules is never bulk-inserted
    past them."""
    for entity in REGISTRY.values():
        if entity.on_save or entity.rules or entity.caches:
            assert needs_records(entity), entity.name


def test_a_hook_for_stored_records_only_keeps_a_plain_import_in_bulk(app):
    """Personnel's only hook follows a rename (`on_change`): a new personnel record runs
    nothing, so an import of personnel files stays on the bulk path; a rename still reaches
    the Party membership record."""
    from models.org import Personnel
    from models.party import PartyMember

    assert not needs_records(REGISTRY[Personnel])
    with app.app_context():
        member = make(db.session, PartyMember)
        db.session.commit()
        person = member.personnel
        person.name = f"{person.name}改"
        db.session.commit()
        assert member.name == person.name
