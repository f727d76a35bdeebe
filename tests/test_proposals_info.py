"""Rules of proposals (建议提案), research reports and government information: each refuses a
bad save through the form and the API and writes nothing; defaults and scores are applied
whatever path saves the record."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

import views  # noqa: F401
from app.extensions import db
from models.info import InfoAdoption, InfoReport, InfoScoreRule, ResearchReport, compute_score, rule_points
from models.org import Department
from models.proposals import Proposal, ProposalAssignment, ProposalReply, add_months
from tests.factories import make
from tests.helpers import api_headers as _token
from tests.helpers import count as _count
from tests.helpers import valid_form as _form
from tests.pages import alerts

_n = itertools.count(1)


def _session_label() -> str:
    """A session label of its own per test: the app (and its database) is shared."""
    return f"测试届{next(_n)}"





def _unit(app) -> int:
    with app.app_context():
        unit = make(db.session, Department, name_zh=f"测试承办单位{next(_n)}")
        db.session.commit()
        return unit.id


# --- Proposals ---------------------------------------------------------------------------------
def test_add_month_arithmetic_clamps_to_month_end():
    assert add_months(dt.date(2026, 2, 26), 3) == dt.date(2026, 5, 26)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_proposal_number_is_unique_per_kind_and_session(app, as_role):
    label = _session_label()
    with app.app_context():
        make(db.session, Proposal, kind="NPC_JIANYI", session_label=label, number=101, title="已有的建议")
        db.session.commit()
    data = _form(app, Proposal, kind="NPC_JIANYI", session_label=label, number=999)
    data.update(number="101", title="重号的建议")

    response = as_role("clerk", lang="en").post("/proposalview/add", data=data)
    assert response.status_code == 200
    assert any("Number 101 is already used" in m for m in alerts(response.data.decode()))
    assert "重号的建议" in response.data.decode()  # the clerk's input is kept
    assert _count(app, Proposal, title="重号的建议") == 0

    client = app.test_client()
    body = {"kind": "NPC_JIANYI", "level": "SHI", "session_label": label, "number": 101, "title": "接口重号建议"}
    refused = client.post("/api/v1/proposal/", json=body, headers=_token(client))
    assert refused.status_code == 422
    assert refused.json["message"]["rules"]
    assert _count(app, Proposal, title="接口重号建议") == 0

    # the same number is free in another kind, and in another session
    body.update(kind="CPPCC_TIAN")
    assert client.post("/api/v1/proposal/", json=body, headers=_token(client)).status_code == 201
    body.update(kind="NPC_JIANYI", session_label=_session_label(), title="另一届的同号建议")
    assert client.post("/api/v1/proposal/", json=body, headers=_token(client)).status_code == 201


def test_editing_a_proposal_keeps_its_own_number(app, as_role):
    label = _session_label()
    with app.app_context():
        p = make(db.session, Proposal, kind="CPPCC_TIAN", session_label=label, number=7, title="原提案")
        db.session.commit()
        pk = p.id
    data = _form(app, Proposal, kind="CPPCC_TIAN", session_label=label, number=8)
    data.update(number="7", title="改过标题的提案")
    response = as_role("clerk").post(f"/proposalview/edit/{pk}", data=data)
    assert response.status_code == 302, alerts(response.data.decode())
    assert _count(app, Proposal, title="改过标题的提案") == 1


def test_due_date_defaults_to_three_months_after_assignment(app, as_role):
    label = _session_label()
    data = _form(app, Proposal, session_label=label, number=1)
    data.update(number="2", title="未填答复期限的建议", assigned_at="2026-02-26")
    data.pop("due_date", None)
    response = as_role("clerk").post("/proposalview/add", data=data)
    assert response.status_code == 302, alerts(response.data.decode())

    client = app.test_client()
    body = {"kind": "CPPCC_TIAN", "level": "SHI", "session_label": label, "number": 3, "title": "接口未填期限提案",
            "assigned_at": "2025-11-30"}
    assert client.post("/api/v1/proposal/", json=body, headers=_token(client)).status_code == 201

    with app.app_context():
        by_form = db.session.query(Proposal).filter_by(title="未填答复期限的建议").one()
        by_api = db.session.query(Proposal).filter_by(title="接口未填期限提案").one()
        assert by_form.due_date == dt.date(2026, 5, 26)
        assert by_api.due_date == dt.date(2026, 2, 28)  # 3 calendar months, clamped to February's end
        # a due date the clerk gives is kept
        given = make(db.session, Proposal, session_label=label, number=4, assigned_at=dt.date(2026, 3, 1),
                     due_date=dt.date(2026, 5, 15))
        db.session.commit()
        assert given.due_date == dt.date(2026, 5, 15)


def test_extension_is_at_most_six_months_after_assignment(app, as_role):
    label = _session_label()
    data = _form(app, Proposal, session_label=label, number=1)
    data.update(number="11", title="延期过长的建议", assigned_at="2026-02-26", extended_due_date="2026-08-27")
    response = as_role("clerk", lang="en").post("/proposalview/add", data=data)
    assert response.status_code == 200
    assert any("at most 6 months after the assignment date" in m for m in alerts(response.data.decode()))
    assert _count(app, Proposal, title="延期过长的建议") == 0

    client = app.test_client()
    body = {"kind": "NPC_JIANYI", "level": "SHI", "session_label": label, "number": 12, "title": "接口延期过长建议",
            "assigned_at": "2026-02-26", "extended_due_date": "2026-09-30"}
    refused = client.post("/api/v1/proposal/", json=body, headers=_token(client))
    assert refused.status_code == 422 and refused.json["message"]["rules"]
    assert _count(app, Proposal, title="接口延期过长建议") == 0

    body["extended_due_date"] = "2026-08-26"  # exactly six months: allowed
    assert client.post("/api/v1/proposal/", json=body, headers=_token(client)).status_code == 201


def test_edit_refused_by_the_extension_rule_changes_nothing(app, as_role):
    label = _session_label()
    with app.app_context():
        p = make(db.session, Proposal, session_label=label, number=5, title="待延期的建议",
                 assigned_at=dt.date(2026, 2, 26))
        db.session.commit()
        pk, version = p.id, p.row_version
    data = _form(app, Proposal, session_label=label, number=6)
    data.update(number="5", title="待延期的建议", assigned_at="2026-02-26", extended_due_date="2026-12-31")
    response = as_role("clerk").post(f"/proposalview/edit/{pk}", data=data)
    assert response.status_code == 200
    with app.app_context():
        saved = db.session.get(Proposal, pk)
        assert (saved.extended_due_date, saved.row_version) == (None, version)


@pytest.mark.parametrize("category", ["B", "C"])
def test_b_and_c_replies_need_a_follow_up_due_date(app, as_role, category):
    with app.app_context():
        proposal = make(db.session, Proposal, session_label=_session_label(), number=1,
                        assigned_at=dt.date(2026, 2, 26))
        db.session.commit()
        pid = proposal.id
    data = _form(app, ProposalReply, proposal_id=pid)
    data.update(proposal=str(pid), answer_category=category, reply_doc_no=f"厦教函〔2026〕9{category}1号",
                reply_date="2026-05-20")
    data.pop("follow_up_due", None)
    response = as_role("clerk", lang="en").post("/proposalreplyview/add", data=data)
    assert response.status_code == 200
    assert "A reply in category B or C needs a follow-up due date." in alerts(response.data.decode())
    assert _count(app, ProposalReply, reply_doc_no=f"厦教函〔2026〕9{category}1号") == 0

    client = app.test_client()
    body = {"proposal_id": pid, "reply_type": "FIRST", "answer_category": category,
            "reply_doc_no": f"厦教函〔2026〕9{category}2号", "reply_date": "2026-05-20"}
    refused = client.post("/api/v1/proposal_reply/", json=body, headers=_token(client))
    assert refused.status_code == 422 and refused.json["message"]["rules"]
    assert _count(app, ProposalReply, reply_doc_no=f"厦教函〔2026〕9{category}2号") == 0

    body["follow_up_due"] = "2026-11-20"
    assert client.post("/api/v1/proposal_reply/", json=body, headers=_token(client)).status_code == 201
    # an A answer needs none
    body.update(answer_category="A", reply_doc_no=f"厦教函〔2026〕9{category}3号", follow_up_due=None)
    assert client.post("/api/v1/proposal_reply/", json=body, headers=_token(client)).status_code == 201


def test_lead_unit_follows_the_lead_assignment_and_co_opinion_due_defaults(app):
    lead, co = _unit(app), _unit(app)
    client = app.test_client()
    headers = _token(client)
    with app.app_context():
        proposal = make(db.session, Proposal, session_label=_session_label(), number=1,
                        assigned_at=dt.date(2026, 2, 26))
        db.session.commit()
        pid = proposal.id
    for unit, role in ((lead, "ZHUBAN"), (co, "XIEBAN")):
        response = client.post("/api/v1/proposal_assignment/", headers=headers,
                               json={"proposal_id": pid, "department_id": unit, "role": role})
        assert response.status_code == 201, response.json
    # a second lead unit is refused
    refused = client.post("/api/v1/proposal_assignment/", headers=headers,
                          json={"proposal_id": pid, "department_id": _unit(app), "role": "ZHUBAN"})
    assert refused.status_code == 422
    with app.app_context():
        saved = db.session.get(Proposal, pid)
        assert saved.lead_department_id == lead
        assert len(saved.assignments) == 2
        co_row = next(a for a in saved.assignments if a.role == "XIEBAN")
        assert co_row.co_opinion_due == dt.date(2026, 4, 26)


def test_a_proposal_being_handled_needs_its_lead_unit(app, as_role):
    """A clerk registers a proposal first and adds its units afterwards; it is taken on
    (accepted) only with exactly one lead unit."""
    client = app.test_client()
    headers = _token(client, "clerk", "en")
    body = {"kind": "NPC_JIANYI", "level": "SHI", "session_label": _session_label(), "number": 1,
            "title": "没有主办单位的建议"}
    response = client.post("/api/v1/proposal/", json=body, headers=headers)
    assert response.status_code == 201, response.json
    pk = response.json["id"]
    assert _count(app, Proposal, id=pk, status="ASSIGNED") == 1

    refused = client.post(f"/api/v1/proposal/{pk}/transition/accept", json={}, headers=headers)
    assert refused.status_code == 422
    assert any("needs exactly one lead unit; it has 0" in m for m in refused.json["message"]), refused.json
    page = as_role("clerk", lang="en").post(f"/proposalview/transition/{pk}/accept", data={})
    assert any("needs exactly one lead unit; it has 0" in m for m in alerts(page.data.decode()))
    assert _count(app, Proposal, id=pk, status="ASSIGNED") == 1

    response = client.post("/api/v1/proposal_assignment/", headers=headers,
                           json={"proposal_id": pk, "department_id": _unit(app), "role": "ZHUBAN"})
    assert response.status_code == 201, response.json
    assert client.post(f"/api/v1/proposal/{pk}/transition/accept", json={}, headers=headers).status_code == 200
    assert _count(app, Proposal, id=pk, status="ACCEPTED") == 1


# --- Secrecy stub rule ---------------------------------------------------------------------------
def test_classified_information_keeps_a_stub_only(app, as_role):
    data = _form(app, InfoReport)
    data.update(title="秘密级信息带正文", secrecy_level="MIMI", body="不应在本系统出现的涉密内容")
    response = as_role("clerk", lang="en").post("/inforeportview/add", data=data)
    assert response.status_code == 200
    assert any("registration stub only" in m for m in alerts(response.data.decode()))
    assert _count(app, InfoReport, title="秘密级信息带正文") == 0

    client = app.test_client()
    body = {"title": "接口秘密级信息", "info_type": "DONGTAI", "department_id": _unit(app), "secrecy_level": "JIMI",
            "body": "涉密正文"}
    refused = client.post("/api/v1/info_report/", json=body, headers=_token(client))
    assert refused.status_code == 422 and refused.json["message"]["rules"]
    assert _count(app, InfoReport, title="接口秘密级信息") == 0
    body.pop("body")  # the registration stub is allowed
    assert client.post("/api/v1/info_report/", json=body, headers=_token(client)).status_code == 201


def test_classified_research_report_keeps_a_stub_only(app, as_role):
    data = _form(app, ResearchReport)
    data.update(topic="秘密级调研带摘要", year="2026", secrecy_level="MIMI", summary="涉密摘要")
    response = as_role("clerk", lang="en").post("/researchreportview/add", data=data)
    assert response.status_code == 200
    assert any("registration stub only" in m for m in alerts(response.data.decode()))
    assert _count(app, ResearchReport, topic="秘密级调研带摘要") == 0

    client = app.test_client()
    body = {"topic": "接口秘密级调研", "year": 2026, "origin": "ZIXUAN", "secrecy_level": "JUEMI",
            "body": "涉密正文"}
    refused = client.post("/api/v1/research_report/", json=body, headers=_token(client))
    assert refused.status_code == 422 and refused.json["message"]["rules"]
    assert _count(app, ResearchReport, topic="接口秘密级调研") == 0
    body.pop("body")
    assert client.post("/api/v1/research_report/", json=body, headers=_token(client)).status_code == 201


# --- Information scores --------------------------------------------------------------------------
def test_rule_points_prefer_the_publication_and_the_year_in_force():
    rules = [InfoScoreRule(year_from=2025, level="SHENG", basis="CAIYONG", publication=None, points=Decimal(5)),
             InfoScoreRule(year_from=2026, level="SHENG", basis="CAIYONG", publication=None, points=Decimal(6)),
             InfoScoreRule(year_from=2025, level="SHENG", basis="CAIYONG", publication="FJZWYQ", points=Decimal(8))]
    assert rule_points(rules, "SHENG", "CAIYONG", "FJZWXX", 2025) == 5
    assert rule_points(rules, "SHENG", "CAIYONG", "FJZWXX", 2026) == 6
    assert rule_points(rules, "SHENG", "CAIYONG", "FJZWYQ", 2026) == 8
    assert rule_points(rules, "SHENG", "PISHI", None, 2026) == 0
    assert rule_points(rules, "SHENG", "CAIYONG", None, 2024) == 0


def test_score_is_recomputed_when_an_adoption_is_saved(app):
    client = app.test_client()
    headers = _token(client)
    with app.app_context():
        for basis, level, points in (("CAIYONG", "BENJI", 1), ("CAIYONG", "GUOBAN", 10), ("PISHI", "GUOBAN", 10)):
            make(db.session, InfoScoreRule, year_from=1990, level=level, basis=basis, publication=None,
                 points=Decimal(points))
        report = make(db.session, InfoReport, title="计分测试信息", screening_result="CAIYONG", status="ADOPTED",
                      local_publication=None,
                      signer="张主任", screened_at=dt.date(2026, 3, 2))
        db.session.commit()
        rid = report.id
        assert report.score == 1
    response = client.post("/api/v1/info_adoption/", headers=headers, json={
        "report_id": rid, "target_level": "GUOBAN", "sent_at": "2026-03-03", "adopted": True,
        "adopted_at": "2026-03-06", "leader_instructed": True})
    assert response.status_code == 201, response.json
    with app.app_context():
        saved = db.session.get(InfoReport, rid)
        assert saved.score == 21
        assert saved.adoptions[0].points == 20
        assert saved.score == compute_score(saved, db.session.query(InfoScoreRule).all())
        # removing the adoption takes its points away
        db.session.delete(saved.adoptions[0])
        db.session.commit()
        assert db.session.get(InfoReport, rid).score == 1
        db.session.query(InfoScoreRule).filter_by(year_from=1990).delete()
        db.session.commit()


def test_adoption_rules_refuse_an_adoption_date_without_adoption(app):
    with app.app_context():
        report = make(db.session, InfoReport, title="未采用却有采用日期")
        db.session.commit()
        rid = report.id
    client = app.test_client()
    response = client.post("/api/v1/info_adoption/", headers=_token(client), json={
        "report_id": rid, "target_level": "SHENG", "sent_at": "2026-03-03", "adopted": False,
        "adopted_at": "2026-03-06"})
    assert response.status_code == 422
    assert _count(app, InfoAdoption, report_id=rid) == 0


def test_scoring_rules_are_for_admins_only(app, as_role):
    assert as_role("clerk").get("/infoscoreruleview/list/").status_code in (302, 403)
    assert as_role("admin").get("/infoscoreruleview/list/").status_code == 200


def test_proposal_assignment_needs_a_reason_to_return(app, as_role):
    with app.app_context():
        proposal = make(db.session, Proposal, session_label=_session_label(), number=1)
        db.session.commit()
        pid = proposal.id
    unit = _unit(app)
    data = _form(app, ProposalAssignment, proposal_id=pid, department_id=unit)
    data.update(proposal=str(pid), department=str(unit), return_requested="y", return_reason="")
    response = as_role("clerk", lang="en").post("/proposalassignmentview/add", data=data)
    assert response.status_code == 200
    assert "A return request needs its reason." in alerts(response.data.decode())
    assert _count(app, ProposalAssignment, proposal_id=pid) == 0
