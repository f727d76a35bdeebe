"""Duty and emergencies, mayor hotline: their rules refuse a bad save through the form and
the API and write nothing; their defaults (numbering, due times, timeliness) hold."""
from __future__ import annotations

import datetime as dt

import pytest

import views  # noqa: F401
from app.extensions import db
from app.registry.spec import entity_for
from models.duty import (
    DutyLog,
    DutyShift,
    Incident,
    IncidentReport,
    IncidentSLA,
    incident_limits,
    incident_problems,
    seed_incident_sla,
)
from models.hotline import (
    HotlineCase,
    HotlineSLA,
    add_workdays,
    check_query_code,
    hash_query_code,
    hotline_limits,
    seed_hotline_sla,
)
from models.lookups import Lookup
from tests.factories import form_data, make
from tests.helpers import api_headers as _headers
from tests.helpers import count as _count
from tests.helpers import valid_form as _form
from tests.pages import alerts


# --- 举报 is always confidential ---------------------------------------------------------------
def test_form_refuses_whistle_blowing_report_that_is_not_confidential(app, as_role):
    data = _form(app, HotlineCase, content="模板工单")
    data.update(content="举报某工地违规排放污水（未勾选保密）", appeal_type="JUBAO")
    data.pop("keep_confidential", None)  # unticked
    response = as_role("clerk", lang="en").post("/hotlinecaseview/add", data=data)
    assert response.status_code == 200
    assert 'A whistle-blowing report is always confidential: tick "Keep confidential".' in alerts(
        response.data.decode())
    assert _count(app, HotlineCase, content="举报某工地违规排放污水（未勾选保密）") == 0

    data["keep_confidential"] = "y"
    assert as_role("clerk").post("/hotlinecaseview/add", data=data).status_code == 302
    assert _count(app, HotlineCase, content="举报某工地违规排放污水（未勾选保密）", keep_confidential=True) == 1


def test_api_refuses_whistle_blowing_report_that_is_not_confidential(app):
    client = app.test_client()
    body = {"content": "接口举报件未保密", "appeal_type": "JUBAO", "channel": "WANGZHAN", "urgency": "YIBAN",
            "keep_confidential": False}
    response = client.post("/api/v1/hotline_case/", json=body, headers=_headers(client))
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, HotlineCase, content="接口举报件未保密") == 0


def test_imports_cannot_store_a_whistle_blowing_report_unprotected(app):
    """Paths that bypass the screens (imports, scripts) get the flag forced on at flush."""
    with app.app_context():
        case = HotlineCase(content="批量导入的举报件", appeal_type="JUBAO", keep_confidential=False,
                           received_at=dt.datetime(2026, 3, 2, 9, 0))
        db.session.add(case)
        db.session.commit()
        assert db.session.get(HotlineCase, case.id).keep_confidential is True


# --- incident secrecy stub ----------------------------------------------------------------------
def test_form_refuses_content_on_a_classified_incident(app, as_role):
    data = _form(app, Incident)
    data.update(title="涉密事件表单测试", secrecy_level="MIMI", cause="不得录入的原因")
    response = as_role("clerk", lang="en").post("/incidentview/add", data=data)
    assert response.status_code == 200
    assert any("registration stub only" in text for text in alerts(response.data.decode()))
    assert _count(app, Incident, title="涉密事件表单测试") == 0


def test_api_refuses_content_on_a_classified_incident(app):
    client = app.test_client()
    body = {"title": "涉密事件接口测试", "category": "SHIGU", "level": "IV", "secrecy_level": "JIMI",
            "measures": "不得录入的处置措施", "received_at": "2026-03-02T09:00:00"}
    response = client.post("/api/v1/incident/", json=body, headers=_headers(client))
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, Incident, title="涉密事件接口测试") == 0
    body.pop("measures")
    assert client.post("/api/v1/incident/", json=body, headers=_headers(client)).status_code == 201
    assert _count(app, Incident, title="涉密事件接口测试") == 1


# --- one 终报 per incident ------------------------------------------------------------------------
@pytest.fixture()
def reported_incident(app):
    with app.app_context():
        incident = make(db.session, Incident, title="终报唯一性测试事件", received_at=dt.datetime(2026, 3, 2, 8, 0))
        make(db.session, IncidentReport, incident=incident, report_type="ZHONGBAO",
             reported_at=dt.datetime(2026, 3, 5, 10, 0), content="第一份终报")
        db.session.commit()
        return incident.id


def test_form_refuses_a_second_final_report(app, as_role, reported_incident):
    data = _form(app, IncidentReport)
    data.update(incident=str(reported_incident), report_type="ZHONGBAO", content="第二份终报",
                reported_at="2026-03-06 10:00:00")
    response = as_role("clerk", lang="en").post("/incidentreportview/add", data=data)
    assert response.status_code == 200
    assert "This incident already has its final report; an incident has only one." in alerts(
        response.data.decode())
    assert _count(app, IncidentReport, incident_id=reported_incident, report_type="ZHONGBAO") == 1


def test_api_refuses_a_second_final_report(app, reported_incident):
    client = app.test_client()
    body = {"incident_id": reported_incident, "report_type": "ZHONGBAO", "direction": "SHANGBAO",
            "reported_at": "2026-03-06T10:00:00", "content": "接口第二份终报"}
    response = client.post("/api/v1/incident_report/", json=body, headers=_headers(client))
    assert response.status_code == 422
    assert response.json["message"]["rules"]
    assert _count(app, IncidentReport, incident_id=reported_incident, report_type="ZHONGBAO") == 1
    body["report_type"] = "XUBAO"
    assert client.post("/api/v1/incident_report/", json=body, headers=_headers(client)).status_code == 201


def test_editing_the_final_report_itself_is_allowed(app, as_role, reported_incident):
    with app.app_context():
        report = db.session.query(IncidentReport).filter_by(incident_id=reported_incident).one()
        data = form_data(entity_for(IncidentReport), report)
        pk = report.id
    data["content"] = "修改后的终报"
    assert as_role("clerk").post(f"/incidentreportview/edit/{pk}", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(IncidentReport, pk).content == "修改后的终报"


def test_final_states_need_the_final_report(app):
    with app.test_request_context("/?_l_=en"):  # the rule's message, in English
        incident = make(db.session, Incident, title="无终报事件")
        incident.status = "FINAL_REPORTED"
        assert any("final report" in m for m in incident_problems(incident))
        incident.reports.append(IncidentReport(report_type="ZHONGBAO", reported_at=incident.received_at))
        assert incident_problems(incident) == []
        db.session.rollback()


# --- duty log needs the minute it was received -----------------------------------------------------
def test_form_refuses_duty_log_without_received_time(app, as_role):
    data = _form(app, DutyLog)
    data.update(summary="没有接报时间的值班记录")
    data.pop("received_at", None)
    response = as_role("clerk", lang="zh").post("/dutylogview/add", data=data)
    assert response.status_code == 200
    assert alerts(response.data.decode())
    assert _count(app, DutyLog, summary="没有接报时间的值班记录") == 0


def test_api_refuses_duty_log_without_received_time(app):
    client = app.test_client()
    body = {"channel": "DIANHUA", "category": "QITA", "summary": "接口无接报时间"}
    response = client.post("/api/v1/duty_log/", json=body, headers=_headers(client))
    assert response.status_code == 422
    assert "received_at" in response.json["message"]
    assert _count(app, DutyLog, summary="接口无接报时间") == 0
    body["received_at"] = "2026-03-02T21:17:43"
    assert client.post("/api/v1/duty_log/", json=body, headers=_headers(client)).status_code == 201
    with app.app_context():
        saved = db.session.query(DutyLog).filter_by(summary="接口无接报时间").one()
        assert saved.received_at == dt.datetime(2026, 3, 2, 21, 17)  # to the minute


# --- roster ---------------------------------------------------------------------------------------
def test_api_refuses_a_second_day_shift_on_the_same_date(app):
    with app.app_context():
        make(db.session, DutyShift, duty_date=dt.date(2026, 10, 1), shift_type="DAY", leader_name="黄秘书长")
        db.session.commit()
    client = app.test_client()
    body = {"duty_date": "2026-10-01", "shift_type": "DAY", "leader_name": "吴副秘书长"}
    response = client.post("/api/v1/duty_shift/", json=body, headers=_headers(client))
    assert response.status_code == 422
    assert _count(app, DutyShift, duty_date=dt.date(2026, 10, 1)) == 1
    body["shift_type"] = "FULL"
    assert client.post("/api/v1/duty_shift/", json=body, headers=_headers(client)).status_code == 422
    body["shift_type"] = "NIGHT"
    assert client.post("/api/v1/duty_shift/", json=body, headers=_headers(client)).status_code == 201


# --- defaults and derived values ------------------------------------------------------------------
def test_follow_up_reports_are_numbered(app):
    with app.app_context():
        incident = make(db.session, Incident, title="续报编号测试")
        for hour in (9, 12, 15):
            incident.reports.append(IncidentReport(report_type="XUBAO",
                                                   reported_at=dt.datetime(2026, 3, 2, hour, 0)))
        db.session.flush()
        assert sorted(r.seq for r in incident.reports) == [1, 2, 3]
        db.session.add(IncidentReport(incident_id=incident.id, report_type="XUBAO",
                                      reported_at=dt.datetime(2026, 3, 3, 9, 0)))
        db.session.flush()
        assert max(r.seq for r in db.session.query(IncidentReport).filter_by(incident_id=incident.id)) == 4
        db.session.rollback()


def test_timeliness_follows_the_sla_table(app):
    with app.app_context():
        db.session.query(IncidentSLA).delete()  # rows other tests left: the built-in defaults apply
        assert incident_limits("SHEHUI", "III", db.session)[:2] == (30, 60)
        received = dt.datetime(2026, 3, 2, 10, 0)
        incident = Incident(title="时效测试", category="SHEHUI", level="III", received_at=received,
                            phone_reported_at=received + dt.timedelta(minutes=25),
                            written_reported_at=received + dt.timedelta(minutes=55))
        assert incident.timeliness() == "OK"
        incident.written_reported_at = received + dt.timedelta(minutes=75)
        assert incident.timeliness() == "LATE"
        incident.written_reported_at = None
        assert incident.timeliness(now=received + dt.timedelta(minutes=40)) == "PENDING"
        assert incident.timeliness(now=received + dt.timedelta(minutes=90)) == "LATE"
        # an admin tightens one category of the seeded table: the tightest matching row wins
        seed_incident_sla(db.session)
        db.session.add(IncidentSLA(category="SHEHUI", level=None, phone_minutes=20, written_minutes=40,
                                   active=True))
        db.session.flush()
        assert incident_limits("SHEHUI", "III", db.session)[:2] == (20, 40)
        assert incident_limits("ZIRAN", "III", db.session)[:2] == (30, 60)
        db.session.rollback()


def test_hotline_due_time_skips_weekends(app):
    friday = dt.datetime(2026, 3, 6, 16, 0)
    assert add_workdays(friday, 2) == dt.datetime(2026, 3, 10, 16, 0)
    assert add_workdays(dt.datetime(2026, 3, 7, 10, 0), 0) == dt.datetime(2026, 3, 9, 10, 0)
    with app.app_context():
        db.session.query(HotlineSLA).delete()  # rows other tests left: the built-in defaults apply
        assert hotline_limits("ZIXUN", "YIBAN", db.session) == (24, 2)
        assert hotline_limits("TOUSU", "TEJI", db.session) == (1, 1)
        case = HotlineCase(content="咨询学位", appeal_type="ZIXUN", urgency="YIBAN", received_at=friday)
        db.session.add(case)
        db.session.flush()
        assert case.due_at == dt.datetime(2026, 3, 10, 16, 0)
        assert case.case_no.startswith("20260306-")
        assert case.overdue(now=dt.datetime(2026, 3, 11, 9, 0)) is True
        db.session.rollback()


def test_hotline_sla_rows_replace_the_defaults(app):
    with app.app_context():
        db.session.query(HotlineSLA).delete()
        assert seed_hotline_sla(db.session) == 9
        assert seed_hotline_sla(db.session) == 0  # never twice
        db.session.add(HotlineSLA(appeal_type="ZIXUN", urgency=None, accept_hours=12, finish_workdays=1,
                                  active=True))
        db.session.flush()
        assert hotline_limits("ZIXUN", "YIBAN", db.session) == (12, 1)
        assert hotline_limits("TOUSU", "YIBAN", db.session) == (24, 15)
        db.session.rollback()


def test_query_code_is_stored_hashed():
    stored = hash_query_code("123456")
    assert "123456" not in stored
    assert check_query_code(stored, "123456")
    assert not check_query_code(stored, "654321")
    assert hash_query_code("123456") != stored  # salted


def test_subcategory_lookups_carry_their_parent(app):
    with app.app_context():
        row = db.session.query(Lookup).filter_by(category="incident_subcategory", code="RANQI").one()
        assert row.parent_code == "SHIGU"
        row = db.session.query(Lookup).filter_by(category="hotline_topic_l3", code="YIBAO_BAOXIAO").one()
        assert row.parent_code == "YIBAO"


def test_subcategory_must_belong_to_the_category(app, as_role):
    data = _form(app, Incident)
    data.update(title="类别不符事件", category="WEISHENG", subcategory="TAIFENG")
    response = as_role("clerk", lang="en").post("/incidentview/add", data=data)
    assert response.status_code == 200
    assert any("does not belong to the category" in text for text in alerts(response.data.decode()))
    assert _count(app, Incident, title="类别不符事件") == 0
