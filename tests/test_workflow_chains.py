"""Chains to supervision: the records that open a supervision item, and how they show it.

A meeting decision that needs supervision, a 批办 instruction, an escalated leader's
assignment, a key proposal taken on by its unit and a 12345 case put under supervision
each get one item with the right source, linked both ways; the decision's page shows
the item's status as it moves. Deciding an extension request moves the item's due date
and state. Refused steps say why and change nothing.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from app.extensions import db
from models.base import today_cn
from models.hotline import HotlineCase
from models.leaders import LeaderInstruction, LeaderTask
from models.meetings import Meeting, MeetingDecision
from models.org import Department
from models.proposals import Proposal, ProposalAssignment, ProposalEvaluation, ProposalReply
from models.supervision import ExtensionRequest, SupervisionItem
from models.workflow import StatusLog
from tests.factories import make
from tests.helpers import api_client, version_of

_n = itertools.count(1)


def _text(prefix: str) -> str:
    """A content string no other test uses: items are counted by it."""
    return f"{prefix}{next(_n)}-{id(object())}"


def _unit(app) -> int:
    with app.app_context():
        pk = make(db.session, Department).id
        db.session.commit()
        return pk


def _make(app, model, **values) -> int:
    with app.app_context():
        pk = make(db.session, model, **values).id
        db.session.commit()
        return pk


def _get(app, model, pk, *names):
    with app.app_context():
        record = db.session.get(model, pk)
        return tuple(getattr(record, n) for n in names)


def _items(app, **filters) -> list[tuple]:
    with app.app_context():
        return [(i.id, i.source_type, i.status, i.lead_department_id, i.due_date, i.responsible_leader)
                for i in db.session.query(SupervisionItem).filter_by(**filters)]


def _log(app, entity: str, pk: int) -> list[tuple]:
    with app.app_context():
        return [(r.transition, r.from_state, r.to_state)
                for r in db.session.query(StatusLog).filter_by(entity=entity, record_id=pk).order_by(StatusLog.id)]


def _fire(client, headers, slug: str, pk: int, name: str, **body):
    return client.post(f"/api/v1/{slug}/{pk}/transition/{name}", json=body, headers=headers)


def _cell(page: str, label: str) -> str:
    """The text of the record page's row labelled `label`."""
    found = re.search(rf"<th[^>]*>{re.escape(label)}</th>\s*<td><span[^>]*>(.*?)</span></td>", page, re.S)
    assert found, f"no row {label!r} on the page"
    return found.group(1).strip()


# --- Meeting decisions ------------------------------------------------------------------------
def test_a_decision_needing_supervision_opens_one_item_whatever_saves_it(app):
    meeting, unit = _make(app, Meeting), _unit(app)
    due = today_cn() + dt.timedelta(days=60)
    content = _text("市政府常务会议议定：推进老旧小区改造")
    client, headers = api_client(app, "clerk", "en")
    response = client.post("/api/v1/meeting_decision/", headers=headers, json={
        "meeting_id": meeting, "seq": 3, "content": content, "lead_department_id": unit,
        "due_date": due.isoformat(), "responsible_leader": "王副市长", "needs_supervision": True})
    assert response.status_code == 201, response.json
    pk = response.json["id"]
    items = _items(app, content=content)
    assert items == [(items[0][0], "HUIYI", "APPROVED", unit, due, "王副市长")]
    assert _get(app, MeetingDecision, pk, "supervision_item_id") == (items[0][0],)
    assert _log(app, "SupervisionItem", items[0][0]) == [("create", None, "APPROVED")]

    # saved again, unticked, ticked again: still the one item, never deleted
    for ticked in (True, False, True):
        assert client.put(f"/api/v1/meeting_decision/{pk}", headers=headers,
                          json={"needs_supervision": ticked,
                                "row_version": version_of(app, MeetingDecision, pk)}).status_code == 200
    assert [i[0] for i in _items(app, content=content)] == [items[0][0]]
    assert _get(app, MeetingDecision, pk, "supervision_item_id") == (items[0][0],)

    # a path that bypasses the screens and the API (an import, a script) opens it too
    imported = _text("导入的议定事项")
    with app.app_context():
        db.session.add(MeetingDecision(meeting_id=meeting, content=imported, lead_department_id=unit,
                                       due_date=due, needs_supervision=True))
        db.session.commit()
    assert [(i[1], i[3]) for i in _items(app, content=imported)] == [("HUIYI", unit)]


def test_a_decision_without_supervision_opens_nothing(app):
    content = _text("会议议定：研究部署防汛工作")
    _make(app, MeetingDecision, content=content, needs_supervision=False)
    assert _items(app, content=content) == []


@pytest.mark.parametrize("lang, closed, approved", [("zh", "已办结销号", "已立项"),
                                                    ("en", "Closed and struck off", "Approved")])
def test_the_decision_page_shows_its_items_status_and_links_to_it(app, as_role, lang, closed, approved):
    content = _text("会议议定：加快建设保障性住房")
    pk = _make(app, MeetingDecision, content=content, needs_supervision=True, lead_department_id=_unit(app),
               due_date=today_cn() + dt.timedelta(days=30))
    (item_id,) = _get(app, MeetingDecision, pk, "supervision_item_id")
    label = "落实状态" if lang == "zh" else "Implementation status"
    client = as_role("viewer", lang)
    page = client.get(f"/meetingdecisionview/show/{pk}").get_data(as_text=True)
    assert _cell(page, label) == approved
    assert f'href="/supervisionitemview/show/{item_id}"' in page

    with app.app_context():
        item = db.session.get(SupervisionItem, item_id)
        item.status, item.closed_at, item.close_opinion = "CLOSED", today_cn(), "已按期落实"
        db.session.commit()
    page = client.get(f"/meetingdecisionview/show/{pk}").get_data(as_text=True)
    assert _cell(page, label) == closed


# --- Leaders' instructions and assignments ----------------------------------------------------
def test_only_an_instruction_for_action_opens_an_item(app, as_role):
    unit, due = _unit(app), today_cn() + dt.timedelta(days=20)
    client, headers = api_client(app, "clerk", "en")
    made = {}
    for kind in ("PIBAN", "YUESHI", "ZHUANSONG", None):   # None: left out, the default 批办
        content = _text(f"请市建设局牵头研究办理（{kind}）")
        body = {"leader": "李常务副市长", "instruction_type": kind, "content": content, "handler_department_id": unit,
                "due_date": due.isoformat(), "instructed_at": f"{today_cn().isoformat()} 09:00:00"}
        if kind is None:
            del body["instruction_type"]
        response = client.post("/api/v1/leader_instruction/", headers=headers, json=body)
        assert response.status_code == 201, response.json
        made[kind] = (response.json["id"], content)
    for kind in ("PIBAN", None):
        items = _items(app, content=made[kind][1])
        assert [(i[1], i[3], i[4], i[5]) for i in items] == [("PISHI", unit, due, "李常务副市长")]
    items = _items(app, content=made["PIBAN"][1])
    assert _get(app, LeaderInstruction, made["PIBAN"][0], "supervision_item_id") == (items[0][0],)
    for kind in ("YUESHI", "ZHUANSONG"):
        assert _items(app, content=made[kind][1]) == []
        assert _get(app, LeaderInstruction, made[kind][0], "supervision_item_id") == (None,)

    page = as_role("viewer", "zh").get(f"/leaderinstructionview/show/{made['PIBAN'][0]}").get_data(as_text=True)
    assert _cell(page, "督办状态") == "已立项"


def test_escalating_an_assignment_opens_its_item_once(app, as_role):
    unit = _unit(app)
    content = _text("领导交办：协调解决某片区学位紧张问题")
    pk = _make(app, LeaderTask, content=content, leader="王副市长", handler_department_id=unit,
               due_date=today_cn() + dt.timedelta(days=10))
    assert _get(app, LeaderTask, pk, "status") == ("RECEIVED",)
    client, headers = api_client(app, "manager", "en")
    assert _fire(client, headers, "leader_task", pk, "escalate").status_code == 422   # the reason is required
    assert _items(app, content=content) == [] and _get(app, LeaderTask, pk, "status") == ("RECEIVED",)

    assert _fire(client, headers, "leader_task", pk, "escalate", comment="逾期未办结，转督办").status_code == 200
    again = _fire(client, headers, "leader_task", pk, "escalate", comment="再次转督办")
    assert again.status_code == 409
    items = _items(app, content=content)
    assert [(i[1], i[3], i[5]) for i in items] == [("JIAOBAN", unit, "王副市长")]
    assert _get(app, LeaderTask, pk, "status", "supervision_item_id") == ("ESCALATED", items[0][0])
    assert _log(app, "LeaderTask", pk) == [("escalate", "RECEIVED", "ESCALATED")]

    page = as_role("viewer", "en").get(f"/leadertaskview/show/{pk}").get_data(as_text=True)
    assert _cell(page, "Supervision status") == "Approved"


def test_feeding_back_needs_the_result_and_stamps_the_time(app):
    pk = _make(app, LeaderTask, status="HANDLING")
    client, headers = api_client(app, "clerk", "en")
    refused = _fire(client, headers, "leader_task", pk, "feed_back")
    assert refused.status_code == 422 and any("Handling result" in m for m in refused.json["message"])
    assert _get(app, LeaderTask, pk, "status", "fed_back_at") == ("HANDLING", None)
    assert _fire(client, headers, "leader_task", pk, "feed_back", result="已协调落实").status_code == 200
    status, fed_back_at = _get(app, LeaderTask, pk, "status", "fed_back_at")
    assert status == "FED_BACK" and fed_back_at is not None


# --- Supervision: extension requests ----------------------------------------------------------
def test_granting_an_extension_moves_the_items_due_date_and_state(app):
    due = today_cn() + dt.timedelta(days=20)
    item = _make(app, SupervisionItem, status="IN_PROGRESS", due_date=due)
    clerk, clerk_headers = api_client(app, "clerk", "en")
    response = clerk.post("/api/v1/extension_request/", headers=clerk_headers, json={
        "item_id": item, "reason": "涉及多部门协调，需延期",
        "requested_due": (due + dt.timedelta(days=60)).isoformat()})
    assert response.status_code == 201, response.json
    request = response.json["id"]
    assert _get(app, ExtensionRequest, request, "status") == ("PENDING",)
    assert _get(app, SupervisionItem, item, "status") == ("EXTENSION_PENDING",)

    manager, headers = api_client(app, "manager", "en")
    new_due = due + dt.timedelta(days=45)
    refused = _fire(manager, headers, "extension_request", request, "grant", approved_due=new_due.isoformat())
    assert refused.status_code == 422 and any("Approver" in m for m in refused.json["message"])
    assert _get(app, SupervisionItem, item, "status", "due_date") == ("EXTENSION_PENDING", due)

    granted = _fire(manager, headers, "extension_request", request, "grant", approved_due=new_due.isoformat(),
                    approver="王副市长")
    assert granted.status_code == 200, granted.json
    assert _get(app, ExtensionRequest, request, "status", "decided_at") == ("APPROVED", today_cn())
    assert _get(app, SupervisionItem, item, "status", "due_date") == ("IN_PROGRESS", new_due)
    assert _log(app, "SupervisionItem", item) == [("request_extension", "IN_PROGRESS", "EXTENSION_PENDING"),
                                                  ("approve_extension", "EXTENSION_PENDING", "IN_PROGRESS")]


def test_refusing_an_extension_needs_a_reason_and_keeps_the_due_date(app):
    due = today_cn() + dt.timedelta(days=15)
    item = _make(app, SupervisionItem, status="IN_PROGRESS", due_date=due)
    request = _make(app, ExtensionRequest, item_id=item, requested_due=due + dt.timedelta(days=30))
    assert _get(app, SupervisionItem, item, "status") == ("EXTENSION_PENDING",)
    client, headers = api_client(app, "leader", "en")
    assert _fire(client, headers, "extension_request", request, "refuse", approver="李市长").status_code == 422
    assert _get(app, ExtensionRequest, request, "status") == ("PENDING",)
    response = _fire(client, headers, "extension_request", request, "refuse", approver="李市长",
                     comment="请按原定时限办结")
    assert response.status_code == 200, response.json
    assert _get(app, ExtensionRequest, request, "status") == ("REJECTED",)
    assert _get(app, SupervisionItem, item, "status", "due_date") == ("IN_PROGRESS", due)


# --- Proposals ----------------------------------------------------------------------------------
def _proposal(app, **values) -> tuple[int, int]:
    """A proposal with its lead unit; returns (proposal, unit)."""
    unit = _unit(app)
    with app.app_context():
        proposal = make(db.session, Proposal, assigned_at=today_cn(), **values)
        make(db.session, ProposalAssignment, proposal=proposal, department_id=unit, role="ZHUBAN")
        db.session.commit()
        return proposal.id, unit


def test_a_key_proposal_taken_on_opens_its_item_once(app):
    key, unit = _proposal(app, is_key=True, supervising_leader="陈副市长", title=_text("关于加强两岸融合发展的建议"))
    plain, _ = _proposal(app, title=_text("关于增设公交线路的建议"))
    client, headers = api_client(app, "clerk", "en")
    for pk in (key, plain):
        assert _fire(client, headers, "proposal", pk, "accept").status_code == 200
    assert _fire(client, headers, "proposal", key, "accept").status_code == 409
    assert _fire(client, headers, "proposal", key, "start").status_code == 200

    (title,) = _get(app, Proposal, key, "title")
    items = _items(app, title=title)
    assert [(i[1], i[3], i[5]) for i in items] == [("JYTA", unit, "陈副市长")]
    assert _get(app, Proposal, key, "status", "supervision_item_id") == ("HANDLING", items[0][0])
    assert _get(app, Proposal, plain, "supervision_item_id") == (None,)


def test_a_proposal_is_replied_and_closed_only_as_its_answers_allow(app):
    pk, unit = _proposal(app, status="HANDLING")
    client, headers = api_client(app, "clerk", "en")
    refused = _fire(client, headers, "proposal", pk, "reply")
    assert refused.status_code == 422 and any("reply letter" in m for m in refused.json["message"])
    assert _get(app, Proposal, pk, "status") == ("HANDLING",) and _log(app, "Proposal", pk) == []

    with app.app_context():
        reply = make(db.session, ProposalReply, proposal_id=pk, department_id=unit, reply_date=today_cn(),
                     answer_category="B", follow_up_due=today_cn() + dt.timedelta(days=90))
        db.session.commit()
        reply_id = reply.id
    assert _fire(client, headers, "proposal", pk, "reply").status_code == 200
    assert _fire(client, headers, "proposal", pk, "evaluate").status_code == 422   # no evaluation yet
    _make(app, ProposalEvaluation, proposal_id=pk, reply_id=reply_id, evaluated_at=today_cn(), result="MANYI")
    assert _fire(client, headers, "proposal", pk, "evaluate").status_code == 200

    manager, headers = api_client(app, "manager", "en")
    refused = _fire(manager, headers, "proposal", pk, "close")
    assert refused.status_code == 422 and any("followed up" in m for m in refused.json["message"])
    assert _fire(manager, headers, "proposal", pk, "rehandle").status_code == 422   # the proposer is satisfied
    assert _get(app, Proposal, pk, "status") == ("EVALUATED",)
    assert _fire(manager, headers, "proposal", pk, "follow_up").status_code == 200
    assert _fire(manager, headers, "proposal", pk, "close_follow_up").status_code == 422   # not answered again
    assert _get(app, Proposal, pk, "status") == ("FOLLOW_UP",)


# --- Hotline ------------------------------------------------------------------------------------
def test_a_reply_needs_its_text_and_a_reopened_case_can_go_under_supervision(app):
    unit = _unit(app)
    content = _text("小区电梯长期故障无人维修")
    pk = _make(app, HotlineCase, content=content)
    assert _get(app, HotlineCase, pk, "status") == ("RECEIVED",)
    clerk, headers = api_client(app, "clerk", "en")
    assert _fire(clerk, headers, "hotline_case", pk, "dispatch", handler_department_id=unit).status_code == 200
    assert _fire(clerk, headers, "hotline_case", pk, "accept").status_code == 200
    assert _fire(clerk, headers, "hotline_case", pk, "start").status_code == 200

    refused = _fire(clerk, headers, "hotline_case", pk, "reply", reply="  ")
    assert refused.status_code == 422 and any("Reply to the citizen" in m for m in refused.json["message"])
    assert _get(app, HotlineCase, pk, "status", "reply", "replied_at") == ("HANDLING", None, None)

    assert _fire(clerk, headers, "hotline_case", pk, "reply", reply="已督促物业更换电梯主板").status_code == 200
    assert _get(app, HotlineCase, pk, "status")[0] == "REPLIED"
    assert _get(app, HotlineCase, pk, "replied_at")[0] is not None
    assert _fire(clerk, headers, "hotline_case", pk, "visit", visit_result="电梯仍时常停运",
                 satisfaction="BUMANYI").status_code == 200

    manager, headers = api_client(app, "manager", "en")
    assert _fire(manager, headers, "hotline_case", pk, "reopen", comment="市民不满意，重办").status_code == 200
    assert _get(app, HotlineCase, pk, "reopen_count", "satisfaction", "replied_at") == (1, None, None)
    assert _fire(manager, headers, "hotline_case", pk, "escalate").status_code == 200
    assert _fire(manager, headers, "hotline_case", pk, "escalate").status_code == 409   # harmless: refused

    items = _items(app, content=content)
    assert [(i[1], i[3]) for i in items] == [("REXIAN", unit)]
    assert _get(app, HotlineCase, pk, "status", "supervision_item_id") == ("HANDLING", items[0][0])


def test_an_approved_return_goes_back_for_a_new_dispatch(app):
    unit = _unit(app)
    pk = _make(app, HotlineCase, content=_text("非本单位职责的诉求"))
    clerk, headers = api_client(app, "clerk", "en")
    assert _fire(clerk, headers, "hotline_case", pk, "dispatch", handler_department_id=unit).status_code == 200
    assert _fire(clerk, headers, "hotline_case", pk, "request_return").status_code == 422   # reason required
    assert _fire(clerk, headers, "hotline_case", pk, "request_return", comment="不属于本单位职责").status_code == 200
    manager, headers = api_client(app, "manager", "en")
    assert _fire(manager, headers, "hotline_case", pk, "approve_return").status_code == 200
    assert _get(app, HotlineCase, pk, "status", "return_count", "handler_department_id", "dispatched_at") == (
        "RECEIVED", 1, None, None)


# --- What the generic tests rely on ------------------------------------------------------------
def test_factory_records_start_in_their_initial_state_and_open_nothing(app):
    expected = {Meeting: "PLANNED", LeaderTask: "RECEIVED", Proposal: "ASSIGNED", HotlineCase: "RECEIVED",
                ExtensionRequest: "PENDING", SupervisionItem: "DRAFT"}
    with app.app_context():
        for model, state in expected.items():
            assert make(db.session, model).status == state, model.__name__
        assert make(db.session, MeetingDecision).supervision_item is None
        assert make(db.session, LeaderInstruction).supervision_item is None
        db.session.rollback()
