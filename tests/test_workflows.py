"""Every declared workflow, generically: its happy path as Admin through the API, and for
each role a transition it may not fire, refused on screen and in the API with nothing
changed. Entity-specific paths and chains live in the per-domain workflow tests."""
from __future__ import annotations

import datetime as dt
from collections import deque
from decimal import Decimal

import pytest
from sqlalchemy import inspect as sa_inspect

import views  # noqa: F401  (registers every entity, so the tests can be parametrized)
from app.extensions import db
from app.registry.spec import REGISTRY
from app.roles import ROLES
from models.base import now_cn
from models.workflow import StatusLog
from tests.factories import make, sample_value
from tests.helpers import api_client


def _lead_unit(session, proposal):
    from models.proposals import ProposalAssignment

    make(session, ProposalAssignment, proposal=proposal, role="ZHUBAN")


def _reply(session, proposal):
    from models.proposals import ProposalReply

    make(session, ProposalReply, proposal=proposal, answer_category="A", reply_date=now_cn().date())


def _evaluation(session, proposal):
    from models.proposals import ProposalEvaluation

    make(session, ProposalEvaluation, proposal=proposal, reply=proposal.replies[-1], result="MANYI",
         evaluated_at=now_cn().date())


def _main_proposal(session, proposal):
    """并案 joins a main proposal of the same kind and session."""
    from models.proposals import Proposal

    proposal.merged_into = make(session, Proposal, kind=proposal.kind, session_label=proposal.session_label)


def _final_report(session, incident):
    from models.duty import IncidentReport

    make(session, IncidentReport, incident=incident, report_type="ZHONGBAO", reported_at=now_cn())


def _grant_what_was_asked(session, request):
    item = request.item
    item.due_date = item.due_date or (now_cn().date() + dt.timedelta(days=30))
    request.original_due = request.original_due or item.due_date   # as filing it on screen does
    request.approved_due = request.requested_due


#: What a clerk records before a step (the child records a transition's rule asks for):
#: {(entity, transition): setup(session, record)}.
def _final_progress_report(session, item) -> None:
    """办结销号 needs the handling units' final report (models/supervision.py `strike_off`)."""
    from models.supervision import ProgressReport

    make(session, ProgressReport, item=item, progress="已全面完成", percent=100, is_final=True)


BEFORE = {
    ("SupervisionItem", "close"): _final_progress_report,
    ("Proposal", "accept"): _lead_unit,
    ("Proposal", "reply"): _reply,
    ("Proposal", "evaluate"): _evaluation,
    ("Proposal", "merge"): _main_proposal,
    ("Incident", "record_final_report"): _final_report,
    ("ExtensionRequest", "grant"): _grant_what_was_asked,
}

WORKFLOW_ENTITIES = sorted((e for e in REGISTRY.values() if e.workflow is not None), key=lambda e: e.name)
ROLE_USERS = {"Leader": "leader", "Manager": "manager", "Clerk": "clerk", "Viewer": "viewer"}


def _new_record(app, entity, state=None, **values):
    """A valid record (with its parents) in `state`, or in its workflow's initial state."""
    with app.app_context():
        record = make(db.session, entity.model, **values)
        flow = entity.workflow
        start = state or flow.initial_state(record)
        if start is None:
            column = entity.model.__table__.columns[flow.field]
            start = column.default.arg
        setattr(record, flow.field, start)
        db.session.commit()
        return record.id


def _state(app, entity, pk):
    with app.app_context():
        return getattr(db.session.get(entity.model, pk), entity.workflow.field)


def _path(entity, record_values: dict, start: str) -> list:
    """The shortest run of transitions from `start` to a finished (or final) state."""
    flow = entity.workflow
    usable = [t for t in flow.transitions if all(record_values.get(k) == v for k, v in t.when.items())]
    ends = set(flow.finished) or {s for s in flow.states() if not any(s in t.source for t in usable)}
    queue, seen = deque([(start, [])]), {start}
    while queue:
        state, path = queue.popleft()
        if state in ends and path:
            return path
        for t in usable:
            if state in t.source and t.target not in seen:
                seen.add(t.target)
                queue.append((t.target, path + [t]))
    return []


def _sample(model, column):
    """A sample that respects time: acts happen now, due dates lie ahead."""
    value = sample_value(model, column)
    if isinstance(value, (dt.date, dt.datetime)):
        ahead = dt.timedelta(days=30 if "due" in column.key else 0)
        now = now_cn() + ahead
        value = now if isinstance(value, dt.datetime) else now.date()
    return value


def _api_value(app, entity, field: str, pk: int):
    """What a user would send for `field` when a transition asks for it: the record's own
    value if set, else a sample (a new related record for a link)."""
    model = entity.model
    mapper = sa_inspect(model)
    with app.app_context():
        record = db.session.get(model, pk)
        if field in mapper.relationships:
            rel = mapper.relationships[field]
            key = next(iter(rel.local_columns)).key
            target = getattr(record, field) or make(db.session, rel.mapper.class_)
            db.session.commit()
            return key, target.id
        column = mapper.columns[field]
        value = getattr(record, field)
        if value is None:
            value = _sample(model, column)
    if isinstance(value, dt.datetime):
        value = value.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = float(value)
    return field, value


@pytest.mark.parametrize("entity", WORKFLOW_ENTITIES, ids=lambda e: e.name)
def test_happy_path_through_the_api(app, entity):
    pk = _new_record(app, entity)
    with app.app_context():
        record = db.session.get(entity.model, pk)
        values = {c.key: getattr(record, c.key) for c in entity.model.__table__.columns}
    path = _path(entity, values, _state(app, entity, pk))
    assert path, f"{entity.name}: no path from {_state(app, entity, pk)} to a finished state"
    client, headers = api_client(app, "admin", "en")
    for t in path:
        if (entity.name, t.name) in BEFORE:
            with app.app_context():
                BEFORE[(entity.name, t.name)](db.session, db.session.get(entity.model, pk))
                db.session.commit()
        body = {"comment": f"test {t.name}"}
        for field in t.inputs:
            key, value = _api_value(app, entity, field, pk)
            body[key] = value
        response = client.post(f"/api/v1/{entity.slug}/{pk}/transition/{t.name}", json=body, headers=headers)
        assert response.status_code == 200, (entity.name, t.name, response.json)
        assert _state(app, entity, pk) == t.target
    with app.app_context():
        logged = [r.transition for r in db.session.query(StatusLog)
                  .filter_by(entity=entity.name, record_id=pk).order_by(StatusLog.id)]
    assert logged == [t.name for t in path]


def _forbidden_cases():
    cases = []
    for rule in ROLES:
        for entity in WORKFLOW_ENTITIES:
            barred = [t for t in entity.workflow.transitions if rule.name not in t.roles]
            if barred:
                cases.append(pytest.param(rule.name, entity, barred[0], id=f"{rule.name}-{entity.name}"))
    return cases


@pytest.mark.parametrize(("role", "entity", "transition"), _forbidden_cases())
def test_role_cannot_fire_a_transition_it_is_not_given(app, as_role, role, entity, transition):
    pk = _new_record(app, entity, transition.source[0], **dict(transition.when))
    before = _state(app, entity, pk)
    username = ROLE_USERS[role]
    # on screen: no button, the URL refuses, nothing changes
    client = as_role(username, "en")
    page = client.get(f"/{entity.name.lower()}view/show/{pk}").get_data(as_text=True)
    assert f'data-transition="{transition.name}"' not in page
    client.post(f"/{entity.name.lower()}view/transition/{pk}/{transition.name}", data={"comment": "x"})
    assert _state(app, entity, pk) == before
    # API: 403 (or 404 where the role may not even read), nothing changes
    api, headers = api_client(app, username, "en")
    response = api.post(f"/api/v1/{entity.slug}/{pk}/transition/{transition.name}", json={"comment": "x"},
                        headers=headers)
    assert response.status_code in (403, 404), response.json
    assert _state(app, entity, pk) == before
    with app.app_context():
        assert db.session.query(StatusLog).filter_by(entity=entity.name, record_id=pk).count() == 0
