"""Workflows of the operational offices: incidents and their report timeliness, government
information through screening, receptions (no official letter, no approval).

The generic checks (every entity's happy path, one forbidden transition per role) live
with the workflow engine's tests; here are the domain rules the workflows carry."""
from __future__ import annotations

import datetime as dt

import pytest

import views  # noqa: F401
from app.extensions import db
from app.registry.spec import entity_for
from models.base import now_cn, today_cn
from models.duty import Incident, incident_limits
from models.info import InfoAdoption, InfoReport, ResearchReport
from models.it import ITProject
from models.services import LogisticsRequest, Reception
from models.workflow import StatusLog
from tests.helpers import api_client, version_of, with_tabs
from tests.helpers import new_record as _new
from tests.helpers import saved as _get
from tests.pages import alerts


def _log(app, model, pk) -> list[tuple]:
    with app.app_context():
        return [(r.transition, r.from_state, r.to_state, r.actor) for r in db.session.query(StatusLog)
                .filter_by(entity=model.__name__, record_id=pk).order_by(StatusLog.id)]


def _fire(app, entity: str, pk: int, name: str, user: str, lang: str = "en", **body):
    client, headers = api_client(app, user, lang)
    return client.post(f"/api/v1/{entity}/{pk}/transition/{name}", json=body, headers=headers)


@pytest.mark.parametrize("model", [Incident, InfoReport, ResearchReport, ITProject, Reception, LogisticsRequest])
def test_factory_records_start_in_the_initial_state(app, model):
    """What the generic workflow tests rely on: a made record starts where its workflow starts."""
    workflow = entity_for(model).workflow
    pk = _new(app, model)
    initial = model.__table__.columns[workflow.field].default.arg
    assert getattr(_get(app, model, pk), workflow.field) == initial == workflow.transitions[0].source[0]


# --- incidents ------------------------------------------------------------------------------------
def test_incident_is_followed_to_closed_and_needs_its_final_report(app, as_role):
    received = now_cn() - dt.timedelta(days=3)
    pk = _new(app, Incident, title="工作流测试：集美区燃气泄漏", category="SHIGU", subcategory="RANQI",
              level="UNGRADED", received_at=received)
    assert _fire(app, "incident", pk, "start_verification", "clerk").status_code == 200
    answer = _fire(app, "incident", pk, "confirm_incident", "manager", level="IV", measures="燃气公司关阀堵漏")
    assert answer.status_code == 200 and answer.json["state"] == "RESPONDING"
    assert _fire(app, "incident", pk, "mark_controlled", "clerk").status_code == 200
    assert _fire(app, "incident", pk, "mark_ended", "clerk", injured=2).status_code == 200
    before = _log(app, Incident, pk)

    # no 终报 registered yet: refused, in the user's language, and nothing changes
    refused = _fire(app, "incident", pk, "record_final_report", "clerk")
    assert refused.status_code == 422
    assert any("Register the final report" in m for m in refused.json["message"])
    page = as_role("clerk", "zh").post(f"/incidentview/transition/{pk}/record_final_report", data={},
                                       follow_redirects=True).get_data(as_text=True)
    assert any("请先登记终报" in m for m in alerts(page))
    assert _get(app, Incident, pk).status == "ENDED" and _log(app, Incident, pk) == before

    client, headers = api_client(app, "clerk")
    report = {"incident_id": pk, "report_type": "ZHONGBAO", "direction": "SHANGBAO", "channel": "SHUMIAN",
              "reported_at": (received + dt.timedelta(days=2)).isoformat(), "content": "处置工作已结束"}
    assert client.post("/api/v1/incident_report/", json=report, headers=headers).status_code == 201
    assert _fire(app, "incident", pk, "record_final_report", "clerk").status_code == 200
    assert _fire(app, "incident", pk, "close_incident", "leader").status_code == 200

    incident = _get(app, Incident, pk)
    assert (incident.status, incident.level, incident.injured) == ("CLOSED", "IV", 2)
    assert [row[:3] for row in _log(app, Incident, pk)] == [
        ("start_verification", "REPORTED", "VERIFYING"), ("confirm_incident", "VERIFYING", "RESPONDING"),
        ("mark_controlled", "RESPONDING", "CONTROLLED"), ("mark_ended", "CONTROLLED", "ENDED"),
        ("record_final_report", "ENDED", "FINAL_REPORTED"), ("close_incident", "FINAL_REPORTED", "CLOSED")]
    assert [row[3] for row in _log(app, Incident, pk)] == ["clerk", "manager", "clerk", "clerk", "clerk", "leader"]


def _limits(app, category, level):
    with app.app_context():
        return incident_limits(category, level, db.session)


def test_reports_fill_the_incident_report_times_and_show_their_timeliness(app, as_role):
    phone_minutes, written_minutes, _upward = _limits(app, "ZIRAN", "III")
    received = dt.datetime(2026, 7, 19, 6, 40)
    pk = _new(app, Incident, title="工作流测试：台风致海沧区山体滑坡", category="ZIRAN", subcategory="DIZHI",
              level="III", received_at=received)
    phone_at = received + dt.timedelta(minutes=phone_minutes - 5)        # within its limit
    written_at = received + dt.timedelta(minutes=written_minutes + 10)   # ten minutes late

    # the phone report through the API, the written one through the form
    client, headers = api_client(app, "clerk")
    body = {"incident_id": pk, "report_type": "CHUBAO", "direction": "SHANGBAO", "channel": "DIANHUA",
            "recipient": "市政府值班领导", "reported_at": phone_at.isoformat()}
    assert client.post("/api/v1/incident_report/", json=body, headers=headers).status_code == 201
    form = {"incident": str(pk), "report_type": "CHUBAO", "direction": "SHANGBAO", "channel": "SHUMIAN",
            "recipient": "市委、市政府主要领导", "reported_at": written_at.strftime("%Y-%m-%d %H:%M:%S"),
            "content": "书面初报"}
    assert as_role("clerk").post("/incidentreportview/add", data=form).status_code == 302
    # a later follow-up and a downward call answer no time limit
    for extra in ({"report_type": "XUBAO", "direction": "SHANGBAO", "channel": "PINGTAI"},
                  {"report_type": "XUBAO", "direction": "XIAFA", "channel": "DIANHUA"}):
        body.update(extra, reported_at=(received + dt.timedelta(hours=5)).isoformat())
        assert client.post("/api/v1/incident_report/", json=body, headers=headers).status_code == 201

    with app.test_request_context("/?_l_=en"):
        incident = db.session.get(Incident, pk)
        assert (incident.phone_reported_at, incident.written_reported_at) == (phone_at, written_at)
        verdicts = {(r.channel, r.report_type, r.direction): r.on_time for r in incident.reports}
        assert verdicts == {("DIANHUA", "CHUBAO", "SHANGBAO"): "OK", ("SHUMIAN", "CHUBAO", "SHANGBAO"): "LATE",
                            ("PINGTAI", "XUBAO", "SHANGBAO"): "", ("DIANHUA", "XUBAO", "XIAFA"): ""}
        assert incident.timeliness_ok == "LATE"

    # the duty officer sees it on the list, the record and the reports tab
    page = with_tabs(as_role("manager", "en"), f"/incidentview/show/{pk}")
    assert 'label-danger">Late' in page and 'label-success">On time' in page
    listing = as_role("manager", "en").get("/incidentview/list/?_flt_0_title=工作流测试：台风致海沧区山体滑坡")
    assert 'label-danger">Late' in listing.get_data(as_text=True)

    # an earlier phone report registered afterwards moves the first report time back
    earlier = received + dt.timedelta(minutes=3)
    body.update(report_type="XUBAO", direction="SHANGBAO", channel="DUANXIN", reported_at=earlier.isoformat())
    assert client.post("/api/v1/incident_report/", json=body, headers=headers).status_code == 201
    assert _get(app, Incident, pk).phone_reported_at == earlier


def test_an_incident_not_yet_reported_is_pending_then_late(app, as_role):
    phone_minutes, _written, _upward = _limits(app, "SHEHUI", "IV")
    pk = _new(app, Incident, title="工作流测试：刚接报的群体性事件", category="SHEHUI", subcategory="QUNTI",
              level="IV", received_at=now_cn() - dt.timedelta(minutes=1))
    with app.test_request_context("/?_l_=en"):
        incident = db.session.get(Incident, pk)
        assert incident.timeliness_ok == "PENDING"
        assert incident.timeliness(now=incident.received_at + dt.timedelta(minutes=phone_minutes + 1)) == "LATE"
    page = as_role("clerk", "en").get(f"/incidentview/show/{pk}").get_data(as_text=True)
    assert 'label-warning">Not yet reported' in page


# --- government information ---------------------------------------------------------------------
def test_information_goes_through_screening_and_up(app):
    pk = _new(app, InfoReport, title="工作流测试：湖里区推行“一业一证”改革", info_type="JINGYAN")
    refused = _fire(app, "info_report", pk, "submit_info", "clerk")
    assert refused.status_code == 422 and any("Signed off by" in m for m in refused.json["message"])
    assert _get(app, InfoReport, pk).status == "DRAFT"
    assert _fire(app, "info_report", pk, "submit_info", "clerk", signer="李区长").status_code == 200
    assert _get(app, InfoReport, pk).submitted_at is not None

    # first round: returned for revision, with the opinion the author needs
    assert _fire(app, "info_report", pk, "start_screening", "clerk").status_code == 200
    refused = _fire(app, "info_report", pk, "return_for_revision", "manager")
    assert refused.status_code == 422 and _get(app, InfoReport, pk).status == "SCREENING"
    answer = _fire(app, "info_report", pk, "return_for_revision", "manager", screening_opinion="请补充具体数据")
    assert answer.status_code == 200
    report = _get(app, InfoReport, pk)
    assert (report.status, report.screening_result, report.screened_at) == ("REVISE", "TUIXIU", today_cn())

    # second round: resubmitted, screened afresh, adopted
    assert _fire(app, "info_report", pk, "submit_info", "clerk").status_code == 200
    assert _fire(app, "info_report", pk, "start_screening", "clerk").status_code == 200
    assert _get(app, InfoReport, pk).screening_result is None
    answer = _fire(app, "info_report", pk, "adopt_info", "manager", local_publication="XMZWXX",
                   local_issue_no="2026年第58期", screening_opinion="采用")
    assert answer.status_code == 200
    report = _get(app, InfoReport, pk)
    assert (report.status, report.screening_result, report.local_publication) == ("ADOPTED", "CAIYONG", "XMZWXX")

    # sent up only once it is recorded where to; adopted above only once an adoption says so
    refused = _fire(app, "info_report", pk, "send_up", "clerk")
    assert refused.status_code == 422 and any("Sent up and adopted" in m for m in refused.json["message"])
    client, headers = api_client(app, "clerk")
    created = client.post("/api/v1/info_adoption/", headers=headers, json={
        "report_id": pk, "target_level": "SHENG", "sent_at": today_cn().isoformat()})
    assert created.status_code == 201
    assert _fire(app, "info_report", pk, "send_up", "clerk").status_code == 200
    assert _fire(app, "info_report", pk, "mark_adopted_up", "clerk").status_code == 422
    assert client.put(f"/api/v1/info_adoption/{created.json['id']}", headers=headers, json={
        "row_version": version_of(app, InfoAdoption, created.json["id"]), "adopted": True, "publication": "FJZWXX",
        "adopted_at": today_cn().isoformat()}).status_code == 200
    assert _fire(app, "info_report", pk, "mark_adopted_up", "clerk").status_code == 200
    assert [row[0] for row in _log(app, InfoReport, pk)] == [
        "submit_info", "start_screening", "return_for_revision", "submit_info", "start_screening", "adopt_info",
        "send_up", "mark_adopted_up"]


def test_a_screening_may_file_or_reject_with_its_own_result(app):
    screening = {"info_type": "DONGTAI", "status": "SCREENING", "signer": "王主任", "screening_result": None}
    filed = _new(app, InfoReport, title="工作流测试：存档信息", **screening)
    assert _fire(app, "info_report", filed, "file_info", "manager").status_code == 200
    rejected = _new(app, InfoReport, title="工作流测试：不采用信息", **screening)
    assert _fire(app, "info_report", rejected, "reject_info", "manager").status_code == 422
    answer = _fire(app, "info_report", rejected, "reject_info", "manager", screening_opinion="内容重复")
    assert answer.status_code == 200
    assert [(r.status, r.screening_result) for r in (_get(app, InfoReport, filed), _get(app, InfoReport, rejected))] \
        == [("FILED", "CUNDANG"), ("REJECTED", "BUCAIYONG")]


# --- reception: no official letter, no approval --------------------------------------------------
def test_reception_is_not_approved_without_an_official_letter(app, as_role):
    client, headers = api_client(app, "clerk")
    created = client.post("/api/v1/reception/", headers=headers, json={
        "guest_org": "工作流测试：泉州市人民政府办公室", "guest_type": "WAIDI", "guest_level": "TINGJU",
        "headcount": 6, "purpose": "考察自贸试验区建设"})
    assert created.status_code == 201, created.json
    pk = created.json["id"]
    assert _get(app, Reception, pk).status == "APPLIED"

    refused = _fire(app, "reception", pk, "approve_reception", "manager", approver="陈副主任")
    assert refused.status_code == 422
    assert any("Official letter number" in m for m in refused.json["message"])
    page = as_role("manager", "zh").post(f"/receptionview/transition/{pk}/approve_reception",
                                         data={"approver": "陈副主任", "official_letter_no": ""},
                                         follow_redirects=True).get_data(as_text=True)
    assert any("公函" in m for m in alerts(page))
    reception = _get(app, Reception, pk)
    assert (reception.status, reception.approver) == ("APPLIED", None) and _log(app, Reception, pk) == [
        ("create", None, "APPLIED", "clerk")]

    answer = _fire(app, "reception", pk, "approve_reception", "manager", approver="陈副主任",
                   official_letter_no="泉政办函〔2026〕35号")
    assert answer.status_code == 200
    reception = _get(app, Reception, pk)
    assert (reception.status, reception.official_letter_no, reception.approver) == (
        "APPROVED", "泉政办函〔2026〕35号", "陈副主任")


def test_reception_refused_needs_a_reason(app):
    pk = _new(app, Reception, official_letter_no=None)
    assert _fire(app, "reception", pk, "reject_reception", "leader").status_code == 422
    assert _fire(app, "reception", pk, "reject_reception", "leader", comment="无公函，不予接待").status_code == 200
    assert _get(app, Reception, pk).status == "REJECTED"
