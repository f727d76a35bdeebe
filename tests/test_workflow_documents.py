"""Workflows of documents, the gazette, district requests and disputes (docs/domain.md §3, §5):
the paths a clerk, a division head and a leader take, the refusals that change nothing, and
the chains — a district request moves its document, a decision opens one supervision item."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import views  # noqa: F401
from app.extensions import db
from app.registry.spec import entity_for
from models.base import today_cn
from models.disputes import Dispute, DisputeParty
from models.districts import DistrictRequest
from models.documents import STATUS_FLOWS, Document, DocumentStep, Telegram
from models.gazette import GazetteIssue
from models.org import Department
from models.supervision import SupervisionItem
from models.workflow import StatusLog
from tests.factories import make
from tests.helpers import api_client
from tests.helpers import new_record as _new
from tests.helpers import saved as _get
from tests.pages import alerts

CHECKS = {"chk_one_matter": True, "chk_single_recipient": True, "chk_no_level_skipping": True, "chk_signer": True,
          "chk_countersign": True}


def _uid() -> str:
    return uuid.uuid4().hex[:8]


def _english(as_role, username: str) -> None:
    """The API answers in the language the user last chose: make it English."""
    as_role(username, "en")


def _fire(app, username, entity_path, pk, name, **body):
    client, headers = api_client(app, username, "en")
    return client.post(f"/api/v1/{entity_path}/{pk}/transition/{name}", json=body, headers=headers)


def _steps(app, pk) -> list[tuple[str, str | None]]:
    with app.app_context():
        return [(s.step_type, s.opinion) for s in db.session.query(DocumentStep).filter_by(document_id=pk)
                .order_by(DocumentStep.id)]


def _log(app, entity: str, pk) -> list[tuple[str, str | None, str]]:
    with app.app_context():
        return [(r.transition, r.from_state, r.to_state) for r in db.session.query(StatusLog)
                .filter_by(entity=entity, record_id=pk).order_by(StatusLog.id)]


def _unit(app, unit_type="MUNI_DEPT", **values) -> int:
    return _new(app, Department, unit_type=unit_type, name_zh=f"测试单位{_uid()}", **values)


def _incoming(app, **values) -> int:
    return _new(app, Document, **{"direction": "INCOMING", "status": "PENDING_SIGN", "title": f"测试来文{_uid()}",
                                  "doc_type": "TONGZHI", "writing_direction": "XIAXING", **values})


# --- the declaration ---------------------------------------------------------------------------
def test_each_direction_walks_exactly_its_own_flow(app):
    """The one document workflow, read per direction, reaches exactly the states that
    direction may carry, and every transition writes its handling step."""
    from models.documents import DOCUMENT_STEPS

    workflow = entity_for(Document).workflow
    for direction, states in STATUS_FLOWS.items():
        record = Document(direction=direction)
        record.status = workflow.initial_state(record)
        reached, todo = {record.status}, [record.status]
        while todo:
            state = todo.pop()
            for t in workflow.transitions:
                if t.target is not None and state in t.source and t.applies_to(record) \
                        and t.target not in reached:
                    reached.add(t.target)
                    todo.append(t.target)
        if direction != "OUTGOING":  # publishing needs proactive disclosure
            assert reached == set(states), direction
        else:
            assert reached | {"PUBLISHED"} == set(states)
    assert set(DOCUMENT_STEPS) == {t.name for t in workflow.transitions}


@pytest.mark.parametrize("model", [Document, Telegram, GazetteIssue, DistrictRequest, Dispute])
def test_factory_records_start_where_their_workflow_starts(app, model):
    with app.app_context():
        record = make(db.session, model)
        workflow = entity_for(model).workflow
        start = workflow.initial_state(record) or entity_for(model).model.__table__.columns["status"].default.arg
        assert record.status == start
        db.session.rollback()


def test_a_new_document_starts_in_its_directions_first_state(app):
    client, headers = api_client(app, "clerk")
    title = f"新登记来文{_uid()}"
    response = client.post("/api/v1/document/", json={
        "direction": "INCOMING", "title": title, "doc_type": "TONGZHI",
        "urgency": "PUTONG", "secrecy_level": "FEIMI"}, headers=headers)
    assert response.status_code == 201, response.json
    assert _get(app, Document, response.json["id"]).status == "PENDING_SIGN"


# --- incoming documents ------------------------------------------------------------------------
def test_incoming_document_from_sign_for_to_archive(app, as_role):
    pk = _incoming(app)
    unit = _unit(app)
    clerk = as_role("clerk", "en")
    page = clerk.post(f"/documentview/transition/{pk}/register", data={"receive_no": f"收{_uid()}"},
                      follow_redirects=True).get_data(as_text=True)     # 登记 waits for 签收
    assert any("cannot be done while the record is “Awaiting receipt”" in m for m in alerts(page))
    assert _get(app, Document, pk).status == "PENDING_SIGN"
    clerk.post(f"/documentview/transition/{pk}/sign_for", data={"copies": "2"})
    doc = _get(app, Document, pk)
    assert (doc.status, doc.copies, doc.receive_no) == ("RECEIVED", 2, None)
    assert doc.received_at is not None and doc.received_by.startswith("clerk")   # who signed for it, and when
    page = clerk.post(f"/documentview/transition/{pk}/register", data={"receive_no": ""},
                      follow_redirects=True).get_data(as_text=True)
    assert "needs" in page and _get(app, Document, pk).status == "RECEIVED"
    receive_no = f"收{_uid()}"
    clerk.post(f"/documentview/transition/{pk}/register", data={"receive_no": receive_no})
    doc = _get(app, Document, pk)
    assert (doc.status, doc.receive_no, doc.copies) == ("REGISTERED", receive_no, 2)
    assert doc.received_at is not None  # stamped

    assert _fire(app, "clerk", "document", pk, "review").status_code == 403  # a division head reviews
    assert _fire(app, "manager", "document", pk, "review").status_code == 200
    response = _fire(app, "manager", "document", pk, "propose")
    assert response.status_code == 422 and _get(app, Document, pk).status == "REVIEWED"
    assert _fire(app, "manager", "document", pk, "propose", proposed_opinion="拟请分管副市长阅示。").status_code == 200
    assert _fire(app, "leader", "document", pk, "instruct").status_code == 422  # the instruction is the comment
    assert _fire(app, "leader", "document", pk, "instruct", comment="请抓紧办理。").status_code == 200
    assert _fire(app, "clerk", "document", pk, "assign_handling",
                 lead_department_id=unit, due_date="2026-12-20").status_code == 200
    assert _fire(app, "clerk", "document", pk, "finish", handling_result="已办结。").status_code == 200
    assert _fire(app, "clerk", "document", pk, "archive", archive_no=f"档{_uid()}").status_code == 200

    doc = _get(app, Document, pk)
    assert (doc.status, doc.lead_department_id, doc.due_date) == ("ARCHIVED", unit, dt.date(2026, 12, 20))
    assert [s for s, _o in _steps(app, pk)] == ["QIANSHOU", "DENGJI", "CHUSHEN", "NIBAN", "PISHI", "CHENGBAN",
                                                "CHENGBAN", "GUIDANG"]
    assert ("PISHI", "请抓紧办理。") in _steps(app, pk) and ("NIBAN", "拟请分管副市长阅示。") in _steps(app, pk)
    assert [t for t, _f, _t in _log(app, "Document", pk)] == ["sign_for", "register", "review", "propose", "instruct",
                                                              "assign_handling", "finish", "archive"]


def test_returning_an_incoming_document_needs_its_reason(app, as_role):
    pk = _incoming(app, receive_no=f"收{_uid()}", status="REGISTERED")
    manager = as_role("manager", "en")
    page = manager.post(f"/documentview/transition/{pk}/return_document", data={"comment": ""},
                        follow_redirects=True).get_data(as_text=True)
    assert "needs a comment" in " ".join(alerts(page))
    assert _get(app, Document, pk).status == "REGISTERED" and _steps(app, pk) == []
    manager.post(f"/documentview/transition/{pk}/return_document", data={"comment": "一文多事，予以退文。"})
    assert _get(app, Document, pk).status == "RETURNED"
    assert _steps(app, pk) == [("TUIWEN", "一文多事，予以退文。")]
    assert _fire(app, "manager", "document", pk, "review").status_code == 409  # returned is the end


def test_outgoing_only_transitions_do_not_apply_to_incoming_documents(app):
    pk = _incoming(app, receive_no=f"收{_uid()}", status="REGISTERED")
    client, headers = api_client(app, "admin")
    names = [t["name"] for t in client.get(f"/api/v1/document/{pk}/transitions", headers=headers).json["transitions"]]
    assert sorted(names) == ["declassify", "return_document", "review"]


# --- outgoing documents ------------------------------------------------------------------------
def _outgoing(app, prefix: str, **values) -> int:
    issuer = _unit(app, agency_code=prefix)
    return _new(app, Document, **{"direction": "OUTGOING", "status": "DRAFT", "title": f"测试发文{_uid()}",
                                  "doc_type": "TONGZHI", "writing_direction": "XIAXING", "issuer_id": issuer,
                                  **values})


def test_outgoing_document_is_numbered_once_published_and_archived(app, as_role):
    prefix = f"测{_uid()}"
    pk = _outgoing(app, prefix, disclosure="ZHUDONG")
    year = today_cn().year
    for user, name, body in [("clerk", "submit_draft", {}), ("manager", "send_countersign", {}),
                             ("manager", "finish_countersign", {}), ("leader", "sign", {"signer": "王市长"})]:
        response = _fire(app, user, "document", pk, name, **body)
        assert response.status_code == 200, (name, response.json)
    doc = _get(app, Document, pk)
    assert (doc.status, doc.signer, doc.written_date) == ("SIGNED", "王市长", today_cn())
    assert doc.signed_at is not None

    # 复核 finds a substantive change: back to the signer, whose signature no longer stands
    assert _fire(app, "manager", "document", pk, "return_to_signer").status_code == 422  # say what changed
    assert _fire(app, "manager", "document", pk, "return_to_signer", comment="第三条有实质性修改。").status_code == 200
    doc = _get(app, Document, pk)
    assert (doc.status, doc.signed_at) == ("OFFICE_REVIEW", None)
    assert _fire(app, "leader", "document", pk, "sign").status_code == 200  # the signer is still on record
    assert _fire(app, "manager", "document", pk, "recheck").status_code == 200

    assert _fire(app, "manager", "document", pk, "number").status_code == 403  # the clerk numbers
    assert _fire(app, "clerk", "document", pk, "number").status_code == 200
    doc = _get(app, Document, pk)
    assert (doc.status, doc.doc_no) == ("NUMBERED", f"{prefix}〔{year}〕1号")
    other = _outgoing(app, prefix, doc_no_prefix=prefix, status="RECHECKED", signer="王市长")
    assert _fire(app, "clerk", "document", other, "number").status_code == 200
    assert _get(app, Document, other).doc_no == f"{prefix}〔{year}〕2号"

    assert _fire(app, "clerk", "document", pk, "print").status_code == 409       # 印发 waits for 用印
    assert _fire(app, "clerk", "document", pk, "seal").status_code == 422        # how many copies
    assert _fire(app, "viewer", "document", pk, "seal", seal_copies=30).status_code in (403, 404)
    assert _fire(app, "clerk", "document", pk, "seal", seal_copies=30).status_code == 200
    doc = _get(app, Document, pk)
    assert (doc.status, doc.seal_copies) == ("SEALED", 30)
    assert doc.sealed_by.startswith("clerk") and doc.sealed_at is not None       # who sealed it, and when
    for name in ("print", "distribute"):
        assert _fire(app, "clerk", "document", pk, name).status_code == 200, name
    assert _get(app, Document, pk).printed_date == today_cn()
    page = as_role("clerk", "en").post(f"/documentview/transition/{pk}/archive", data={"archive_no": "A-1"},
                                       follow_redirects=True).get_data(as_text=True)
    assert "A proactively disclosed document is published before it is archived." in alerts(page)
    assert _get(app, Document, pk).status == "DISTRIBUTED"
    assert _fire(app, "clerk", "document", pk, "publish").status_code == 200
    assert _fire(app, "clerk", "document", pk, "archive", archive_no=f"档{_uid()}").status_code == 200
    doc = _get(app, Document, pk)
    assert (doc.status, doc.doc_no) == ("ARCHIVED", f"{prefix}〔{year}〕1号")
    assert [s for s, _o in _steps(app, pk)] == ["QICAO", "HEGAO", "HUIQIAN", "QIANFA", "FUHE", "QIANFA", "FUHE",
                                                "BIANHAO", "YONGYIN", "YINZHI", "HEFA", "GONGKAI", "GUIDANG"]
    assert ("YONGYIN", "用印30份") in _steps(app, pk)
    assert ("BIANHAO", f"{prefix}〔{year}〕1号") in _steps(app, pk)


def test_a_document_not_disclosed_proactively_is_archived_unpublished(app):
    pk = _outgoing(app, f"测{_uid()}", status="DISTRIBUTED", disclosure="YISHENQING", signer="王市长",
                   doc_no_year=2026, doc_no_seq=1)
    with app.app_context():
        db.session.get(Document, pk).doc_no_prefix = db.session.get(Document, pk).issuer.agency_code
        db.session.commit()
    assert _fire(app, "clerk", "document", pk, "publish").status_code == 409
    assert _fire(app, "clerk", "document", pk, "archive", archive_no=f"档{_uid()}").status_code == 200


def test_numbering_needs_a_prefix(app, as_role):
    _english(as_role, "clerk")
    pk = _new(app, Document, direction="OUTGOING", status="RECHECKED", title=f"无发文机关{_uid()}", signer="王市长")
    response = _fire(app, "clerk", "document", pk, "number")
    assert response.status_code == 422 and "agency prefix" in response.json["message"][0]
    assert _get(app, Document, pk).status == "RECHECKED"


def test_a_numbered_document_can_no_longer_be_voided(app, as_role):
    before = _outgoing(app, f"测{_uid()}", status="RECHECKED", signer="王市长")
    assert _fire(app, "manager", "document", before, "void").status_code == 422  # why it is voided
    assert _fire(app, "manager", "document", before, "void", comment="情况变化，本稿作废。").status_code == 200
    assert _get(app, Document, before).status == "VOID"

    prefix = f"测{_uid()}"
    pk = _outgoing(app, prefix, status="NUMBERED", signer="王市长", doc_no_prefix=prefix, doc_no_year=2026,
                   doc_no_seq=7)
    page = as_role("manager", "en").post(f"/documentview/transition/{pk}/void", data={"comment": "作废"},
                                         follow_redirects=True).get_data(as_text=True)
    assert any("cannot be done while the record is" in m for m in alerts(page))
    page = as_role("manager", "zh").get(f"/documentview/show/{pk}").get_data(as_text=True)
    assert 'data-transition="void"' not in page
    response = _fire(app, "manager", "document", pk, "void", comment="作废")
    assert response.status_code == 409
    doc = _get(app, Document, pk)
    assert (doc.status, doc.doc_no) == ("NUMBERED", f"{prefix}〔2026〕7号")
    assert _log(app, "Document", pk) == [] and _steps(app, pk) == []


# --- internal memos and telegrams ------------------------------------------------------------
def test_internal_memo_is_instructed_and_finished(app):
    pk = _new(app, Document, title=f"测试签报{_uid()}")  # the factory's memo, in DRAFT
    for user, name, body in [("clerk", "submit_draft", {}), ("manager", "pass_division_review", {}),
                             ("leader", "instruct_memo", {"comment": "同意。"}),
                             ("clerk", "finish_memo", {"handling_result": "已落实。"}),
                             ("clerk", "archive", {"archive_no": f"档{_uid()}"})]:
        response = _fire(app, user, "document", pk, name, **body)
        assert response.status_code == 200, (name, response.json)
    assert _get(app, Document, pk).status == "ARCHIVED"
    assert _fire(app, "leader", "document", pk, "sign").status_code == 409


def test_telegram_is_routed_finished_and_archived(app):
    doc = _incoming(app)
    pk = _new(app, Telegram, direction="INCOMING")
    assert _fire(app, "clerk", "telegram", pk, "route", document_id=doc).status_code == 200
    assert _fire(app, "clerk", "telegram", pk, "finish").status_code == 200
    assert _fire(app, "clerk", "telegram", pk, "archive").status_code == 200
    tele = _get(app, Telegram, pk)
    assert (tele.status, tele.document_id) == ("ARCHIVED", doc)


# --- gazette -----------------------------------------------------------------------------------
def test_gazette_issue_is_approved_published_and_put_online(app):
    pk = _new(app, GazetteIssue, year=today_cn().year)
    assert _fire(app, "clerk", "gazette_issue", pk, "send_to_proofing").status_code == 200
    assert _fire(app, "clerk", "gazette_issue", pk, "submit_issue").status_code == 200
    assert _fire(app, "clerk", "gazette_issue", pk, "approve_issue", approver="张秘书长").status_code == 403
    assert _fire(app, "manager", "gazette_issue", pk, "approve_issue").status_code == 422  # who approved
    assert _fire(app, "manager", "gazette_issue", pk, "approve_issue", approver="张秘书长").status_code == 200
    assert _fire(app, "clerk", "gazette_issue", pk, "publish_issue").status_code == 200
    assert _get(app, GazetteIssue, pk).publish_date == today_cn()
    assert _fire(app, "clerk", "gazette_issue", pk, "put_online").status_code == 422
    assert _fire(app, "clerk", "gazette_issue", pk, "put_online",
                 web_url="https://www.xm.gov.cn/zwgk/szfgb/").status_code == 200
    assert _get(app, GazetteIssue, pk).status == "ONLINE"


# --- district requests ---------------------------------------------------------------------------
def _request(app, document=None, **values) -> int:
    district = _unit(app, "DISTRICT")
    return _new(app, DistrictRequest, **{"district_id": district, "kind": "QINGSHI", "due_date": dt.date(2026, 12, 31),
                                         "title": f"测试请示{_uid()}", "document_id": document, "outcome": None,
                                         **values})


def test_district_request_moves_its_incoming_document(app, as_role):
    _english(as_role, "manager")
    doc = _incoming(app, receive_no=f"收{_uid()}", status="REGISTERED")
    pk = _request(app, doc)
    unticked = _fire(app, "manager", "district_request", pk, "review_request", chk_signer=True)
    assert unticked.status_code == 422
    assert unticked.json["message"][0].startswith("The request has not passed the formal review")
    assert (_get(app, DistrictRequest, pk).status, _get(app, Document, doc).status) == ("RECEIVED", "REGISTERED")

    assert _fire(app, "manager", "district_request", pk, "review_request", **CHECKS).status_code == 200
    assert _get(app, Document, doc).status == "REVIEWED"
    assert _fire(app, "clerk", "district_request", pk, "consult").status_code == 200
    assert _get(app, Document, doc).status == "REVIEWED"  # consulting is still the review
    assert _fire(app, "manager", "district_request", pk, "propose_handling",
                 office_opinion="拟同意，以市政府名义批复。").status_code == 200
    assert _fire(app, "clerk", "district_request", pk, "submit_for_approval").status_code == 200
    assert _get(app, Document, doc).status == "PROPOSED"
    assert _fire(app, "leader", "district_request", pk, "decide").status_code == 422  # the outcome
    assert _fire(app, "leader", "district_request", pk, "decide", outcome="PIFU").status_code == 200
    assert _get(app, Document, doc).status == "INSTRUCTED"
    assert _fire(app, "clerk", "district_request", pk, "reply").status_code == 200
    assert _fire(app, "manager", "district_request", pk, "close").status_code == 200

    req = _get(app, DistrictRequest, pk)
    assert (req.status, req.outcome, req.decided_at, req.replied_at) == ("CLOSED", "PIFU", today_cn(), today_cn())
    assert _get(app, Document, doc).status == "DONE"
    assert _log(app, "Document", doc) == [("review", "REGISTERED", "REVIEWED"), ("propose", "REVIEWED", "PROPOSED"),
                                          ("instruct", "PROPOSED", "INSTRUCTED"), ("finish", "INSTRUCTED", "DONE")]
    assert [s for s, _o in _steps(app, doc)] == ["CHUSHEN", "NIBAN", "PISHI", "CHENGBAN"]


def test_a_document_ahead_of_its_request_is_never_moved_back(app):
    doc = _incoming(app, receive_no=f"收{_uid()}", status="HANDLING")
    pk = _request(app, doc)
    assert _fire(app, "manager", "district_request", pk, "review_request", **CHECKS).status_code == 200
    assert _get(app, Document, doc).status == "HANDLING" and _log(app, "Document", doc) == []


def test_a_returned_request_returns_its_document(app):
    doc = _incoming(app, receive_no=f"收{_uid()}", status="REGISTERED")
    pk = _request(app, doc)
    assert _fire(app, "manager", "district_request", pk, "return_request").status_code == 422
    assert _fire(app, "manager", "district_request", pk, "return_request", comment="越级行文。").status_code == 200
    req = _get(app, DistrictRequest, pk)
    assert (req.status, req.outcome) == ("RETURNED", "TUIWEN")
    assert _get(app, Document, doc).status == "RETURNED"
    assert _steps(app, doc)[0][0] == "TUIWEN"


def test_a_report_is_closed_with_its_follow_up_supervised(app):
    pk = _request(app, None, kind="BAOGAO", status="DECIDED", outcome="YUEZHI", **CHECKS)
    assert _fire(app, "clerk", "district_request", pk, "reply").status_code == 409  # a report needs no reply
    assert _fire(app, "manager", "district_request", pk, "close_with_follow_up").status_code == 200
    req = _get(app, DistrictRequest, pk)
    assert req.status == "CLOSED" and req.follow_up_item_id is not None
    item = _get(app, SupervisionItem, req.follow_up_item_id)
    assert (item.source_type, item.status, item.lead_department_id) == ("PISHI", "APPROVED", req.district_id)


# --- disputes ------------------------------------------------------------------------------------
def _dispute(app, status="SUBMITTED", parties=2, **values) -> tuple[int, int]:
    units = [_unit(app) for _ in range(max(parties, 1))]
    with app.app_context():
        dispute = make(db.session, Dispute, prior_consultation=True, raised_by_id=units[0], status=status,
                       dispute_no=f"厦府办协〔2026〕{_uid()}号", title=f"测试职责争议{_uid()}", **values)
        for seq, unit in enumerate(units[:parties], start=1):
            make(db.session, DisputeParty, dispute=dispute, department_id=unit, seq=seq,
                 role="TIQING" if seq == 1 else "NIQIANTOU")
        db.session.commit()
        return dispute.id, units[-1]


def test_a_dispute_with_one_party_is_not_accepted(app, as_role):
    _english(as_role, "manager")
    pk, _lead = _dispute(app, parties=1)
    response = _fire(app, "manager", "dispute", pk, "accept")
    assert response.status_code == 422
    assert response.json["message"] == ["A dispute needs at least 2 parties before it moves beyond Submitted; "
                                         "it has 1."]
    assert _get(app, Dispute, pk).status == "SUBMITTED"


def test_dispute_decision_opens_its_supervision_item_once(app):
    pk, lead = _dispute(app)
    for user, name in [("manager", "accept"), ("clerk", "investigate"), ("clerk", "coordinate")]:
        assert _fire(app, user, "dispute", pk, name).status_code == 200, name
    assert _fire(app, "manager", "dispute", pk, "propose_solution",
                 office_proposal="由拟牵头方负责。").status_code == 200
    assert _fire(app, "manager", "dispute", pk, "submit_for_decision").status_code == 200
    response = _fire(app, "leader", "dispute", pk, "decide", decision_leader="王副市长")
    assert response.status_code == 422 and _get(app, Dispute, pk).status == "PENDING_DECISION"
    assert _fire(app, "leader", "dispute", pk, "decide", decision_leader="王副市长",
                 decision="同意协调意见，由拟牵头方负责。").status_code == 200
    assert _get(app, Dispute, pk).decided_at == today_cn()
    assert _fire(app, "clerk", "dispute", pk, "withdraw", comment="撤回").status_code in (403, 409)
    assert _fire(app, "manager", "dispute", pk, "implement").status_code == 200
    assert _fire(app, "manager", "dispute", pk, "close").status_code == 200

    dispute = _get(app, Dispute, pk)
    assert dispute.status == "CLOSED"
    with app.app_context():
        items = db.session.query(SupervisionItem).filter_by(source_ref=dispute.dispute_no).all()
        assert [(i.id, i.source_type, i.lead_department_id, i.responsible_leader) for i in items] == [
            (dispute.supervision_item_id, "JIAOBAN", lead, "王副市长")]


def test_a_referred_dispute_closes_without_supervision(app):
    pk, _lead = _dispute(app, status="DECIDED", refer_to_bianban=True, decision="移交编办。",
                         decision_leader="王副市长", decided_at=today_cn())
    assert _fire(app, "manager", "dispute", pk, "implement").status_code == 409
    assert _fire(app, "manager", "dispute", pk, "close_referred").status_code == 200
    dispute = _get(app, Dispute, pk)
    assert (dispute.status, dispute.supervision_item_id) == ("CLOSED", None)


def test_withdrawing_a_dispute_needs_a_reason(app):
    pk, _lead = _dispute(app, status="INVESTIGATING")
    assert _fire(app, "clerk", "dispute", pk, "withdraw").status_code == 422
    assert _fire(app, "clerk", "dispute", pk, "withdraw", comment="双方已自行协商一致。").status_code == 200
    assert _get(app, Dispute, pk).status == "WITHDRAWN"
