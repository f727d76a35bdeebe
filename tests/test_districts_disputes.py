"""District requests (function 3) and department disputes (function 4): their rules refuse a
bad save through the form and the API and write nothing; their defaults apply on every path."""
from __future__ import annotations

import datetime as dt
import uuid

import views  # noqa: F401
from app.extensions import db
from app.registry.spec import entity_for
from models.disputes import Dispute, DisputeParty, dispute_problems, party_problems
from models.districts import (
    Consultation,
    DistrictRequest,
    add_working_days,
    consultation_problems,
    district_request_problems,
)
from models.documents import Document
from models.org import Department
from tests.factories import form_data, make
from tests.helpers import api_client, version_of
from tests.helpers import count as _count
from tests.pages import alerts

CHECKS = {"chk_one_matter": True, "chk_single_recipient": True, "chk_no_level_skipping": True, "chk_signer": True,
          "chk_countersign": True}


def _uid() -> str:
    return uuid.uuid4().hex[:8]



def _unit(session, unit_type: str, name: str | None = None) -> Department:
    return make(session, Department, unit_type=unit_type, name_zh=name or f"测试单位{_uid()}")



# --- working days ----------------------------------------------------------------------------
def test_working_days_skip_weekends():
    friday = dt.date(2026, 3, 6)
    assert add_working_days(friday, 1) == dt.date(2026, 3, 9)
    assert add_working_days(friday, 7) == dt.date(2026, 3, 17)
    assert add_working_days(dt.date(2026, 3, 7), 1) == dt.date(2026, 3, 9)  # from a Saturday


# --- district requests -------------------------------------------------------------------------
def _request_form(app, **values) -> dict:
    """What a clerk types to register a valid request (a fresh district government)."""
    with app.app_context():
        district = _unit(db.session, "DISTRICT")
        req = make(db.session, DistrictRequest, district=district, kind="QINGSHI", due_date=dt.date(2026, 12, 31),
                   received_date=dt.date(2026, 11, 20), **values)
        data = form_data(entity_for(DistrictRequest), req)
        db.session.delete(req)
        db.session.commit()
    return data


def test_valid_request_is_saved(app, as_role):
    data = _request_form(app)
    data["title"] = title = f"关于申请将测试项目列入市重点项目的请示{_uid()}"
    response = as_role("clerk", lang="en").post("/districtrequestview/add", data=data)
    assert response.status_code == 302, alerts(response.data.decode())
    assert _count(app, DistrictRequest, title=title) == 1


def test_district_must_be_a_district_government(app, as_role):
    data = _request_form(app)
    with app.app_context():
        bureau = _unit(db.session, "MUNI_DEPT")
        db.session.commit()
        bureau_id = bureau.id
    data.update(title=(title := f"部门报来的请示{_uid()}"), district=str(bureau_id))
    response = as_role("clerk", lang="en").post("/districtrequestview/add", data=data)
    assert response.status_code == 200
    assert alerts(response.data.decode())  # the form offers district governments only
    assert _count(app, DistrictRequest, title=title) == 0

    client, headers = _api(app)
    body = {"district_id": bureau_id, "kind": "BAOGAO", "title": title, "urgency": "PUTONG"}
    response = client.post("/api/v1/district_request/", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, DistrictRequest, title=title) == 0


def test_request_for_instructions_needs_a_due_date(app, as_role):
    data = _request_form(app)
    data.update(title=(title := f"没有时限的请示{_uid()}"), due_date="")
    response = as_role("clerk", lang="en").post("/districtrequestview/add", data=data)
    assert response.status_code == 200
    assert "A request for instructions needs a due date." in alerts(response.data.decode())
    assert _count(app, DistrictRequest, title=title) == 0

    client, headers = _api(app)
    body = {"district_id": int(data["district"]), "kind": "QINGSHI", "title": title,
            "urgency": "PUTONG"}
    response = client.post("/api/v1/district_request/", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, DistrictRequest, title=title) == 0
    # a report needs no reply, hence no due date
    body["kind"] = "BAOGAO"
    assert client.post("/api/v1/district_request/", json=body, headers=headers).status_code == 201
    assert _count(app, DistrictRequest, title=title) == 1


FORM_REVIEW_FAILED = "The request has not passed the formal review (One matter per request)"


def _district_request(app, status: str, **values) -> DistrictRequest:
    """A 请示 that has reached `status` (stored directly: the steps before are not under test)."""
    with app.app_context():
        req = make(db.session, DistrictRequest, district=_unit(db.session, "DISTRICT"), kind="QINGSHI",
                   due_date=dt.date(2026, 12, 31), title=f"一文多事的请示{_uid()}", status=status, **values)
        db.session.commit()
        return req.id, req.row_version


def test_request_past_review_must_pass_the_form_checks(app, as_role):
    pk, version = _district_request(app, "RECEIVED")
    manager = as_role("manager", lang="en")
    ticked = {"chk_single_recipient": "y", "chk_no_level_skipping": "y", "chk_signer": "y",
              "chk_countersign": "y"}  # one matter per request: not ticked
    response = manager.post(f"/districtrequestview/transition/{pk}/review_request", data=ticked)
    assert response.status_code == 200
    assert any(m.startswith(FORM_REVIEW_FAILED) for m in alerts(response.data.decode()))
    with app.app_context():
        saved = db.session.get(DistrictRequest, pk)
        assert (saved.status, saved.chk_signer, saved.row_version) == ("RECEIVED", False, version)
    # returning it to the district (退文) is always possible
    response = manager.post(f"/districtrequestview/transition/{pk}/return_request", data={"comment": "一文多事"})
    assert response.status_code == 302, alerts(response.data.decode())
    assert _count(app, DistrictRequest, id=pk, status="RETURNED", outcome="TUIWEN") == 1

    # a request past the review cannot lose a check it passed
    pk, version = _district_request(app, "CONSULTING", **{name: True for name in CHECKS})
    with app.app_context():
        data = form_data(entity_for(DistrictRequest), db.session.get(DistrictRequest, pk))
    data.pop("chk_one_matter")
    response = as_role("clerk", lang="en").post(f"/districtrequestview/edit/{pk}", data=data)
    assert response.status_code == 200
    assert any(m.startswith(FORM_REVIEW_FAILED) for m in alerts(response.data.decode()))
    with app.app_context():
        saved = db.session.get(DistrictRequest, pk)
        assert (saved.status, saved.chk_one_matter, saved.row_version) == ("CONSULTING", True, version)


def test_decided_request_needs_its_outcome(app, as_role):
    pk, _version = _district_request(app, "PENDING_APPROVAL", outcome=None, **CHECKS)
    as_role("leader", "en")            # the API answers in the language the user last chose
    client, headers = _api(app, "leader")
    url = f"/api/v1/district_request/{pk}/transition/decide"
    response = client.post(url, json={"decided_at": "2026-11-30"}, headers=headers)
    assert response.status_code == 422
    assert any("Handling outcome" in m for m in response.json["message"]), response.json
    assert _count(app, DistrictRequest, id=pk, status="PENDING_APPROVAL", outcome=None, decided_at=None) == 1
    assert client.post(url, json={"outcome": "PIFU"}, headers=headers).status_code == 200
    assert _count(app, DistrictRequest, id=pk, status="DECIDED", outcome="PIFU") == 1

    # once decided, the outcome cannot be taken away
    client, headers = _api(app)
    response = client.put(f"/api/v1/district_request/{pk}", json={"outcome": None,
                                                                   "row_version": version_of(app, DistrictRequest, pk)},
                          headers=headers)
    assert response.status_code == 422, response.json
    assert "A decided request needs its handling outcome." in response.json["message"]["rules"]
    assert _count(app, DistrictRequest, id=pk, status="DECIDED", outcome="PIFU") == 1


def test_linked_document_is_incoming_and_linked_once(app, as_role):
    with app.app_context():
        district_id = _unit(db.session, "DISTRICT").id
        memo = make(db.session, Document, title=f"内部签报{_uid()}")  # direction INTERNAL
        incoming = make(db.session, Document, title=f"区政府来文{_uid()}", direction="INCOMING")
        first = make(db.session, DistrictRequest, district_id=district_id, kind="BAOGAO", document=incoming)
        db.session.commit()
        memo_id, incoming_id, first_id = memo.id, incoming.id, first.id
    client, headers = _api(app)
    title = f"关联文件的报告{_uid()}"
    body = {"district_id": district_id, "kind": "BAOGAO", "title": title, "urgency": "PUTONG",
            "document_id": memo_id}
    response = client.post("/api/v1/district_request/", json=body, headers=headers)
    assert response.status_code == 422
    assert _count(app, DistrictRequest, title=title) == 0
    body["document_id"] = incoming_id  # already the document of `first`
    response = client.post("/api/v1/district_request/", json=body, headers=headers)
    assert response.status_code == 422
    assert _count(app, DistrictRequest, title=title) == 0
    # the request that holds it may still be saved
    with app.app_context():
        data = form_data(entity_for(DistrictRequest), db.session.get(DistrictRequest, first_id))
    data["title"] = title
    response = as_role("clerk", lang="en").post(f"/districtrequestview/edit/{first_id}", data=data)
    assert response.status_code == 302, alerts(response.data.decode())
    assert _count(app, DistrictRequest, title=title, document_id=incoming_id) == 1


def test_consultation_is_due_seven_working_days_after_sending(app, as_role):
    with app.app_context():
        req = make(db.session, DistrictRequest, district=_unit(db.session, "DISTRICT"), kind="BAOGAO")
        bureau, other = _unit(db.session, "MUNI_DEPT"), _unit(db.session, "MUNI_DEPT")
        db.session.commit()
        req_id, bureau_id, other_id = req.id, bureau.id, other.id
    data = {"request": str(req_id), "seq": "1", "department": str(bureau_id), "sent_at": "2026-03-06"}
    response = as_role("clerk", lang="en").post("/consultationview/add", data=data)
    assert response.status_code == 302, alerts(response.data.decode())
    client, headers = _api(app)
    response = client.post("/api/v1/consultation/", json={"request_id": req_id, "department_id": other_id,
                                                           "sent_at": "2026-03-13"}, headers=headers)
    assert response.status_code == 201, response.json
    with app.app_context():
        dues = {c.department_id: c.due_at for c in db.session.query(Consultation).filter_by(request_id=req_id)}
    assert dues == {bureau_id: dt.date(2026, 3, 17), other_id: dt.date(2026, 3, 24)}


def test_consultation_dates_follow_one_another(app, as_role):
    with app.app_context():
        req = make(db.session, DistrictRequest, district=_unit(db.session, "DISTRICT"), kind="BAOGAO")
        bureau = _unit(db.session, "MUNI_DEPT")
        db.session.commit()
        req_id, bureau_id = req.id, bureau.id
    data = {"request": str(req_id), "department": str(bureau_id), "sent_at": "2026-03-06", "due_at": "2026-03-02"}
    response = as_role("clerk", lang="en").post("/consultationview/add", data=data)
    assert response.status_code == 200
    assert "The due date cannot be earlier than the sending date." in alerts(response.data.decode())
    assert _count(app, Consultation, request_id=req_id) == 0


# --- disputes ------------------------------------------------------------------------------
def _dispute_form(app, **values) -> dict:
    with app.app_context():
        dispute = make(db.session, Dispute, prior_consultation=True, raised_by=_unit(db.session, "MUNI_DEPT"),
                       raised_at=dt.date(2026, 10, 9), **values)
        data = form_data(entity_for(Dispute), dispute)
        db.session.delete(dispute)
        db.session.commit()
    return data


def test_dispute_needs_prior_consultation(app, as_role):
    data = _dispute_form(app)
    number = f"厦府办协〔2026〕{_uid()}号"
    data.update(dispute_no=number, title="共享单车停放管理职责争议")
    data.pop("prior_consultation", None)  # not ticked
    response = as_role("clerk", lang="en").post("/disputeview/add", data=data)
    assert response.status_code == 200
    assert ("A dispute is submitted only after the lead department has consulted the other departments: "
            "tick the prior consultation.") in alerts(response.data.decode())
    assert _count(app, Dispute, dispute_no=number) == 0

    client, headers = _api(app)
    body = {"dispute_no": number, "title": "共享单车停放管理职责争议", "dispute_type": "ZHIZE",
            "raised_by_id": int(data["raised_by"]), "prior_consultation": False}
    response = client.post("/api/v1/dispute/", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, Dispute, dispute_no=number) == 0
    # registered with no party yet: fine while it is only submitted
    body["prior_consultation"] = True
    assert client.post("/api/v1/dispute/", json=body, headers=headers).status_code == 201
    assert _count(app, Dispute, dispute_no=number) == 1


def test_dispute_beyond_submitted_needs_two_parties(app, as_role):
    with app.app_context():
        raiser, other = _unit(db.session, "MUNI_DEPT"), _unit(db.session, "MUNI_DEPT")
        dispute = make(db.session, Dispute, prior_consultation=True, raised_by=raiser, status="SUBMITTED",
                       dispute_no=f"厦府办协〔2026〕{_uid()}号")
        make(db.session, DisputeParty, dispute=dispute, department=raiser, role="TIQING", seq=1)
        db.session.commit()
        pk, version, other_id = dispute.id, dispute.row_version, other.id
    one_party = "A dispute needs at least 2 parties before it moves beyond Submitted; it has 1."
    manager = as_role("manager", lang="en")
    response = manager.post(f"/disputeview/transition/{pk}/accept", data={})
    assert response.status_code == 200
    assert one_party in alerts(response.data.decode())
    with app.app_context():
        saved = db.session.get(Dispute, pk)
        assert (saved.status, saved.row_version) == ("SUBMITTED", version)

    client, headers = _api(app, "manager")
    response = client.post(f"/api/v1/dispute/{pk}/transition/accept", json={}, headers=headers)
    assert response.status_code == 422
    assert one_party in response.json["message"]
    assert _count(app, Dispute, id=pk, status="SUBMITTED") == 1
    # with the second party on record the dispute is accepted
    client, headers = _api(app)
    response = client.post("/api/v1/dispute_party/", json={"dispute_id": pk, "department_id": other_id,
                                                           "role": "XIANGGUAN", "seq": 2}, headers=headers)
    assert response.status_code == 201, response.json
    response = manager.post(f"/disputeview/transition/{pk}/accept", data={})
    assert response.status_code == 302, alerts(response.data.decode())
    assert _count(app, Dispute, id=pk, status="ACCEPTED") == 1


def test_a_department_is_a_party_once(app, as_role):
    with app.app_context():
        raiser = _unit(db.session, "MUNI_DEPT")
        dispute = make(db.session, Dispute, prior_consultation=True, raised_by=raiser,
                       dispute_no=f"厦府办协〔2026〕{_uid()}号")
        make(db.session, DisputeParty, dispute=dispute, department=raiser, role="TIQING", seq=1)
        db.session.commit()
        pk, raiser_id, raiser_name = dispute.id, raiser.id, raiser.name_zh
    data = {"dispute": str(pk), "seq": "2", "department": str(raiser_id), "role": "XIANGGUAN", "position": "重复"}
    response = as_role("clerk", lang="en").post("/disputepartyview/add", data=data)
    assert response.status_code == 200
    assert f"{raiser_name} is already a party to this dispute." in alerts(response.data.decode())
    assert _count(app, DisputeParty, dispute_id=pk) == 1

    client, headers = _api(app)
    response = client.post("/api/v1/dispute_party/", json={"dispute_id": pk, "department_id": raiser_id,
                                                           "role": "NIQIANTOU"}, headers=headers)
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, DisputeParty, dispute_id=pk) == 1


def test_decided_dispute_needs_its_decision(app, as_role):
    with app.app_context():
        a, b = _unit(db.session, "MUNI_DEPT"), _unit(db.session, "MUNI_DEPT")
        dispute = make(db.session, Dispute, prior_consultation=True, raised_by=a, status="PENDING_DECISION",
                       dispute_no=f"厦府办协〔2026〕{_uid()}号", raised_at=dt.date(2026, 9, 1))
        make(db.session, DisputeParty, dispute=dispute, department=a, role="TIQING", seq=1)
        make(db.session, DisputeParty, dispute=dispute, department=b, role="XIANGGUAN", seq=2)
        db.session.commit()
        pk, version = dispute.id, dispute.row_version
    leader = as_role("leader", lang="en")
    url = f"/disputeview/transition/{pk}/decide"
    response = leader.post(url, data={"decision_leader": "王副市长"})
    assert response.status_code == 200
    assert any("needs “Leader's decision”" in m for m in alerts(response.data.decode()))
    with app.app_context():
        saved = db.session.get(Dispute, pk)
        assert (saved.status, saved.decision_leader, saved.row_version) == ("PENDING_DECISION", None, version)

    client, headers = _api(app, "leader")
    response = client.post(f"/api/v1/dispute/{pk}/transition/decide", json={"decision_leader": "王副市长"},
                           headers=headers)
    assert response.status_code == 422
    assert _count(app, Dispute, id=pk, status="PENDING_DECISION", decision_leader=None) == 1

    decision = "明确由甲局牵头负责，乙局按职责配合。"
    response = leader.post(url, data={"decision_leader": "王副市长", "decided_at": "2026-10-15", "decision": decision})
    assert response.status_code == 302, alerts(response.data.decode())
    assert _count(app, Dispute, id=pk, status="DECIDED", decided_at=dt.date(2026, 10, 15)) == 1

    # once decided, the decision stays on record
    with app.app_context():
        saved = db.session.get(Dispute, pk)
        data, version = form_data(entity_for(Dispute), saved), saved.row_version
    data["decision"] = ""
    response = as_role("clerk", lang="en").post(f"/disputeview/edit/{pk}", data=data)
    assert response.status_code == 200
    assert "A decided dispute needs its decision, the deciding leader and the date." in alerts(
        response.data.decode())
    with app.app_context():
        saved = db.session.get(Dispute, pk)
        assert (saved.status, saved.decision, saved.row_version) == ("DECIDED", decision, version)


# --- the rules are pure functions: no database needed for what they read -----------------------
def test_rules_read_records_without_a_session(ctx):
    district = Department(name_zh="思明区人民政府", unit_type="DISTRICT")
    req = DistrictRequest(district=district, kind="QINGSHI", title="请示", status="RECEIVED")
    assert len(district_request_problems(req)) == 1  # the due date
    req.due_date = dt.date(2026, 12, 31)
    assert district_request_problems(req) == []
    assert consultation_problems(Consultation(sent_at=dt.date(2026, 3, 6), replied_at=dt.date(2026, 3, 5)))
    dispute = Dispute(title="争议", status="SUBMITTED", prior_consultation=True)
    assert dispute_problems(dispute) == []
    unit = Department(name_zh="市执法局", unit_type="MUNI_DEPT")
    DisputeParty(dispute=dispute, department=unit, role="TIQING")
    twice = DisputeParty(dispute=dispute, department=unit, role="XIANGGUAN")
    assert party_problems(twice)


def _api(app, username: str = "clerk"):
    """A clerk's API client whose messages come in English."""
    return api_client(app, username, lang="en-US")
