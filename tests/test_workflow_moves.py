"""Chain moves (`engine.move`): a record moved because of another record's step follows its
own workflow, its rules and its status log, like a step a user fires (issue 17 item 3)."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.checks import RuleViolation
from app.workflow.engine import move
from models.supervision import SupervisionItem
from models.workflow import StatusLog
from tests.factories import make


def _log(pk) -> list[tuple]:
    return [(r.transition, r.from_state, r.to_state, r.comment)
            for r in db.session.query(StatusLog).filter_by(entity="SupervisionItem", record_id=pk)
            .order_by(StatusLog.id)]


def _item(status: str) -> SupervisionItem:
    item = make(db.session, SupervisionItem, status=status)
    db.session.commit()
    return item


def test_a_named_move_is_logged_under_its_transition(app):
    with app.test_request_context():
        item = _item("EXTENSION_PENDING")
        before = _log(item.id)
        assert move(item, "IN_PROGRESS", "granted", session=db.session, transition="approve_extension")
        db.session.commit()
        assert item.status == "IN_PROGRESS"
        assert _log(item.id)[len(before):] == [("approve_extension", "EXTENSION_PENDING", "IN_PROGRESS", "granted")]


@pytest.mark.parametrize("status, target, transition", [
    ("IN_PROGRESS", "IN_PROGRESS", "approve_extension"),   # already there
    ("IN_PROGRESS", "IN_PROGRESS", None),
    ("SUBMITTED", "IN_PROGRESS", "approve_extension"),     # the transition does not leave that state
    ("EXTENSION_PENDING", "CLOSED", "approve_extension"),  # it leads elsewhere
    ("CLOSED", "IN_PROGRESS", None),                        # never back
    ("IN_PROGRESS", "DRAFT", None),
])
def test_a_move_the_workflow_does_not_allow_changes_nothing(app, status, target, transition):
    with app.test_request_context():
        item = _item(status)
        before = _log(item.id)
        assert move(item, target, session=db.session, transition=transition) is None
        db.session.commit()
        assert item.status == status and _log(item.id) == before


def test_a_forward_move_that_breaks_the_rules_is_refused_in_the_users_language(app):
    with app.test_request_context(), force_locale("en"):
        item = _item("SUBMITTED")
        pk, before = item.id, _log(item.id)
        item.close_opinion = None
        with pytest.raises(RuleViolation) as refused:
            move(item, "CLOSED", session=db.session)
        db.session.rollback()
        assert "closing opinion" in " ".join(refused.value.messages)
        assert db.session.get(SupervisionItem, pk).status == "SUBMITTED" and _log(pk) == before
