"""Bad input is refused with a 4xx and a message in the user's language, never a 500
(issue 16 item 9: each case below answered 500 under schemathesis)."""
from __future__ import annotations

import json

import pytest

from app.extensions import db
from models.documents import DocumentHandler, DocumentIssuer
from models.it import ITProject
from models.meetings import Meeting
from models.org import Department
from models.services import Vehicle
from tests.helpers import api_client, count, new_record, valid_form

HUGE = "99999999999999999999"           # beyond 64 bits
INT4_PAST = str(2**31)                  # beyond PostgreSQL's integer id column


@pytest.mark.parametrize("pk", [HUGE, INT4_PAST, "abc"])
def test_an_impossible_id_in_the_path_is_not_found(app, as_role, pk):
    client, headers = api_client(app, "admin")
    for method in ("get", "put", "delete") if pk.isdigit() else ():     # the API's routes take digits only
        answer = getattr(client, method)(f"/api/v1/meeting/{pk}", headers=headers, json={})
        assert answer.status_code == 404, (method, answer.get_data(as_text=True)[:300])
    web = as_role("admin")
    for url in (f"/meetingview/show/{pk}", f"/meetingview/edit/{pk}"):
        assert web.get(url).status_code == 404, url


def test_a_page_past_any_count_is_an_empty_page(app, as_role):
    client, headers = api_client(app, "admin")
    answer = client.get(f"/api/v1/meeting/?q=(page:{HUGE},page_size:10)", headers=headers)
    assert answer.status_code == 200 and answer.get_json()["ids"] == []
    web = as_role("admin")
    for query in (f"page_MeetingView={HUGE}", f"psize_MeetingView={HUGE}", "page_MeetingView=abc",
                  "page_MeetingView=-3&psize_MeetingView=-5"):
        assert web.get(f"/meetingview/list/?{query}").status_code == 200, query


def test_an_unknown_sort_column_is_ignored(app, as_role):
    new_record(app, Meeting)
    client, headers = api_client(app, "admin")
    answer = client.get("/api/v1/meeting/?q=(order_column:nope,order_direction:asc)", headers=headers)
    assert answer.status_code == 200 and answer.get_json()["count"] >= 1
    web = as_role("admin")
    for query in ("_oc_MeetingView=nope&_od_MeetingView=asc", "_oc_MeetingView=title&_od_MeetingView=sideways"):
        assert web.get(f"/meetingview/list/?{query}").status_code == 200, query


@pytest.mark.parametrize("lang, words", [("zh", "必须填写"), ("en", "required")])
def test_a_child_without_its_parent_is_refused_naming_the_field(app, lang, words):
    client, headers = api_client(app, "admin")
    department = new_record(app, Department)
    answer = client.post(f"/api/v1/document_handler/?_l_={lang}", json={"department_id": department}, headers=headers)
    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
    assert "document_id" in answer.get_json()["message"]
    assert words in _text(answer).lower()


@pytest.mark.parametrize("lang, words", [("zh", "已被其他记录使用"), ("en", "already used by another record")])
def test_a_duplicate_unique_value_is_a_conflict_naming_the_field(app, lang, words):
    client, headers = api_client(app, "admin")
    code = f"IT-{lang}-DUP"
    with app.app_context():
        kind = db.session.get(ITProject, new_record(app, ITProject, code=code)).project_type
    body = {"code": code, "name": "重复编号的项目", "project_type": kind}
    answer = client.post(f"/api/v1/it_project/?_l_={lang}", json=body, headers=headers)
    assert answer.status_code == 409, answer.get_data(as_text=True)[:300]
    assert "code" in answer.get_json()["message"]
    assert words in _text(answer)
    assert count(app, ITProject, code=code) == 1


def test_a_duplicate_pair_is_a_conflict_naming_both_fields(app):
    client, headers = api_client(app, "admin", "en")
    handler = new_record(app, DocumentHandler)
    with app.app_context():
        saved = db.session.get(DocumentHandler, handler)
        body = {"document_id": saved.document_id, "department_id": saved.department_id}
    answer = client.post("/api/v1/document_handler/", json=body, headers=headers)
    assert answer.status_code == 409, answer.get_data(as_text=True)[:300]
    assert set(answer.get_json()["message"]) == {"document_id", "department_id"}


def test_a_duplicate_pair_on_a_form_is_shown_on_the_form(app, as_role):
    """FAB's form checks a unique column itself ("Already exists."); a unique pair of
    columns it does not check: the refusal names both fields."""
    form = valid_form(app, DocumentIssuer)
    new_record(app, DocumentIssuer, document_id=int(form["document"]), department_id=int(form["department"]))
    for lang, words in (("zh", "已被其他记录使用"), ("en", "already used by another record")):
        page = as_role("admin", lang).post("/documentissuerview/add", data=form, follow_redirects=True)
        assert page.status_code == 200
        assert words in page.get_data(as_text=True), lang
    assert count(app, DocumentIssuer, document_id=int(form["document"])) == 1


def test_a_number_too_big_for_its_column_is_a_form_error(app, as_role):
    form = valid_form(app, Vehicle, plate_no="闽D·R0911")
    form["seats"] = HUGE
    page = as_role("admin", "en").post("/vehicleview/add", data=form, follow_redirects=True)
    assert page.status_code == 200
    assert "whole number" in page.get_data(as_text=True)
    assert count(app, Vehicle, plate_no="闽D·R0911") == 0


@pytest.mark.parametrize("lang, words", [("zh", "不是有效的选项"), ("en", "Not a valid choice")])
def test_an_unknown_lookup_code_on_a_form_is_a_form_error(app, as_role, lang, words):
    form = valid_form(app, Meeting, title="代码不存在的会议")
    form["meeting_type"] = "NO-SUCH-CODE"
    page = as_role("admin", lang).post("/meetingview/add", data=form)
    assert page.status_code == 200
    assert words in page.get_data(as_text=True)
    assert count(app, Meeting, title="代码不存在的会议") == 0


def test_fabs_file_download_is_not_found(as_role):
    assert as_role("admin").get("/documentview/download/x.pdf").status_code == 404


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
@pytest.mark.parametrize("lang, words", [("zh-CN", "重新登录"), ("en", "Sign in again")])
def test_a_malformed_token_is_unauthorized(app, token, lang, words):
    client = app.test_client()
    answer = client.get("/api/v1/meeting/", headers={"Authorization": f"Bearer {token}", "Accept-Language": lang})
    assert answer.status_code == 401, answer.get_data(as_text=True)[:200]
    assert words in answer.get_json()["message"]


def test_no_token_is_unauthorized(app):
    answer = app.test_client().get("/api/v1/meeting/", headers={"Accept-Language": "en"})
    assert answer.status_code == 401
    assert "Sign in" in answer.get_json()["message"]


def _text(answer) -> str:
    """A JSON answer as the user reads it (no \\u escapes)."""
    return json.dumps(answer.get_json(), ensure_ascii=False)


def test_wtforms_own_messages_speak_each_users_language_request_after_request(app, as_role):
    """WTForms' catalogue is kept by the process per language (app/i18n.py OfficeRequest):
    a Chinese user's next request does not get the English one, nor the reverse."""
    form = valid_form(app, Meeting, title="")
    for lang, words in (("zh", "该字段是必填字段。"), ("en", "This field is required."), ("zh", "该字段是必填字段。")):
        page = as_role("admin", lang).post("/meetingview/add", data=form).get_data(as_text=True)
        assert words in page, lang
