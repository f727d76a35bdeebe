"""The configuration console /console: who gets in, and what an admin changes there takes
effect at once in the work panel (lookups, calendar, workflow rights, settings), with
refusals that say why and change nothing."""
from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pytest
import xlsxwriter
from flask import url_for
from python_calamine import CalamineWorkbook
from werkzeug.routing import IntegerConverter, PathConverter

from app.console.access import CONSOLE
from app.extensions import db
from models.audit import AuditLog
from models.base import today_cn
from models.calendar import WorkCalendar, add_working_days, is_working_day
from models.hotline import HotlineCase
from models.lookups import Lookup
from models.meetings import Meeting
from models.settings import Setting
from models.supervision import SupervisionItem
from tests.factories import make
from tests.helpers import api_client
from tests.pages import ALLOWED_LATIN, LATIN_WORD, alerts, chinese_leftovers, english_leftovers

PAGES = ["/console/", "/console/lookups/", "/console/document-sla/", "/console/incident-sla/",
         "/console/hotline-sla/", "/console/calendar/", "/console/calendar/import/", "/console/numbering/",
         "/console/workflow/", "/console/settings/", "/console/audit/", "/console/lookups/new/",
         "/console/numbering/new/", "/console/hotline-sla/new/", "/console/calendar/new/",
         "/console/custom-fields/", "/console/custom-fields/new/", "/console/unit-aliases/",
         "/console/unit-aliases/new/"]


#: What reads the same in both languages on a console page: the placeholders of a number
#: format ({prefix}〔{year}〕{number}号) and the unit MB.
SAME_IN_BOTH = re.compile(r"\{(prefix|year|number)\}|\bMB\b")


def _english_left(html: str) -> list[str]:
    return [t for t in english_leftovers(html)
            if [w for w in LATIN_WORD.findall(SAME_IN_BOTH.sub("", t)) if w not in ALLOWED_LATIN]]


def _uid() -> str:
    return uuid.uuid4().hex[:6].upper()


def _console_urls(app) -> list[tuple[str, str]]:
    """(method, URL) of every rule under /console, its arguments filled with samples."""
    out = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/console"):
                continue
            values = {}
            for arg in rule.arguments:
                converter = rule._converters[arg]
                if isinstance(converter, PathConverter):
                    values[arg] = "admin/css/bootstrap4/admin.css"
                elif isinstance(converter, IntegerConverter):
                    values[arg] = 1
                else:
                    values[arg] = "csv" if arg == "export_type" else "1"
            method = "GET" if "GET" in rule.methods else "POST"
            out.append((method, url_for(rule.endpoint, **values)))
    return out


def _view(app, endpoint: str):
    admin = next(a for a in app.extensions["admin"] if a.endpoint == "console")
    return next(v for v in admin._views if v.endpoint == endpoint)


# --- who gets in --------------------------------------------------------------------------------
def test_the_console_has_pages_actions_ajax_and_assets(app):
    urls = {url for _m, url in _console_urls(app)}
    assert len(urls) > 50
    for part in ("/console/lookups/ajax/update/", "/console/lookups/delete/", "/console/lookups/action/",
                 "/console/audit/xlsx/", "/console/calendar/import/", "/console/static/"):
        assert any(part in url for url in urls), part


@pytest.mark.parametrize("username", ["clerk", "manager", "viewer", "leader"])
def test_other_roles_reach_no_console_url(app, as_role, username):
    client = as_role(username)
    for method, url in _console_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url, response.status_code)
    assert "console-link" not in client.get("/").get_data(as_text=True)


def test_anonymous_is_sent_to_the_login_page(app):
    client = app.test_client()
    for method, url in _console_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login/" in response.location, (method, url)


def test_refused_posts_change_nothing(app, as_role):
    clerk = as_role("clerk")
    code = f"T{_uid()}"
    clerk.post("/console/lookups/new/", data={"category": "hotline_appeal_type", "code": code, "label_zh": "越权",
                                               "label_en": "Intruder", "sort": "1", "active": "y"})
    clerk.post("/console/workflow/?entity=Meeting", data={})          # would revoke every Meeting step
    clerk.post("/console/settings/", data={"DEADLINE_YELLOW_DAYS": "9"})
    with app.app_context():
        assert db.session.query(Lookup).filter_by(code=code).count() == 0
        clerk_rights = {(p.permission.name, p.view_menu.name) for p in app.appbuilder.sm.find_role("Clerk").permissions}
        assert ("wf_notify", "Meeting") in clerk_rights
        assert db.session.query(Setting).filter_by(key="DEADLINE_YELLOW_DAYS", value="9").count() == 0


def test_admin_reaches_every_page_and_the_work_panel_links_to_it(as_role):
    admin = as_role("admin")
    for url in PAGES:
        assert admin.get(url).status_code == 200, url
    home = admin.get("/").get_data(as_text=True)
    assert 'id="console-link"' in home and 'href="/console/"' in home


def test_the_right_is_granted_in_the_role_screen_like_any_other(app, as_role):
    with app.app_context():
        sm = app.appbuilder.sm
        right = sm.find_permission_view_menu(*CONSOLE)
        viewer = sm.find_role("Viewer")
        sm.add_permission_role(viewer, right)
    try:
        assert as_role("viewer").get("/console/lookups/").status_code == 200
    finally:
        with app.app_context():
            sm = app.appbuilder.sm
            sm.del_permission_role(sm.find_role("Viewer"), sm.find_permission_view_menu(*CONSOLE))
    assert as_role("viewer").get("/console/lookups/").status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_pages_speak_the_users_language(as_role, url):
    zh = as_role("admin", "zh").get(url).get_data(as_text=True)
    assert _english_left(zh) == [], url
    assert "配置控制台" in zh and "返回工作台" in zh
    en = as_role("admin", "en").get(url).get_data(as_text=True)
    assert chinese_leftovers(en) == [], url
    assert "Configuration console" in en and "Back to the work panel" in en


def test_pages_load_nothing_from_another_host(as_role):
    page = as_role("admin").get("/console/lookups/").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))]


# --- lookups ------------------------------------------------------------------------------------
def _add_code(client, code: str, label_zh: str, category: str = "hotline_appeal_type"):
    return client.post("/console/lookups/new/", data={
        "category": category, "code": code, "label_zh": label_zh, "label_en": f"Test {code}", "sort": "990",
        "active": "y"}, follow_redirects=True)


def _lookup(app, code: str) -> Lookup | None:
    with app.app_context():
        row = db.session.query(Lookup).filter_by(category="hotline_appeal_type", code=code).one_or_none()
        if row is not None:
            db.session.expunge(row)
        return row


def test_a_new_code_shows_in_a_work_panel_form_at_once_and_an_unused_one_can_go(app, as_role):
    admin, clerk = as_role("admin"), as_role("clerk")
    code, label = f"T{_uid()}", f"测试诉求{_uid()}"
    assert label not in clerk.get("/hotlinecaseview/add").get_data(as_text=True)
    _add_code(admin, code, label)
    assert label in clerk.get("/hotlinecaseview/add").get_data(as_text=True)           # no restart
    row = _lookup(app, code)
    with app.app_context():
        # a deleted code's id comes back on SQLite: earlier trails of the same id are other codes'
        trails = db.session.query(AuditLog).filter_by(entity="Lookup", record_id=row.id, action="INSERT")
        (trail,) = [t for t in trails if t.changes["code"] == [None, code]]
        assert trail.username == "admin"
    page = admin.post("/console/lookups/delete/", data={"id": row.id}, follow_redirects=True).get_data(as_text=True)
    assert _lookup(app, code) is None, alerts(page)
    assert label not in clerk.get("/hotlinecaseview/add").get_data(as_text=True)


def test_a_code_is_checked_before_it_is_added(app, as_role):
    admin = as_role("admin", "en")
    page = _add_code(admin, "ZIXUN", "重复的咨询").get_data(as_text=True)
    assert any("already exists" in a for a in alerts(page))
    page = _add_code(admin, "有 空格", "坏代码").get_data(as_text=True)
    assert any("letters, digits" in a for a in alerts(page))
    with app.app_context():
        assert db.session.query(Lookup).filter_by(label_zh="重复的咨询").count() == 0
        assert db.session.query(Lookup).filter_by(label_zh="坏代码").count() == 0


def test_a_code_in_use_cannot_be_deleted_only_switched_off(app, as_role):
    code, label = f"T{_uid()}", f"在用诉求{_uid()}"
    with app.app_context():
        db.session.add(Lookup(category="hotline_appeal_type", code=code, label_zh=label, label_en="In use",
                              sort=991, active=True))
        make(db.session, HotlineCase, appeal_type=code)
        db.session.commit()
    row = _lookup(app, code)
    for lang, words in (("zh", "不能删除"), ("en", "cannot be deleted")):
        page = as_role("admin", lang).post("/console/lookups/delete/", data={"id": row.id},
                                           follow_redirects=True).get_data(as_text=True)
        assert any(words in a and code in a for a in alerts(page)), alerts(page)
        assert _lookup(app, code) is not None
    # the bulk action takes the same road
    as_role("admin").post("/console/lookups/action/", data={"action": "delete", "rowid": [str(row.id)]})
    assert _lookup(app, code) is not None
    # switched off in the list (inline edit): the record keeps it, new forms no longer offer it
    response = as_role("admin").post("/console/lookups/ajax/update/", data={"list_form_pk": row.id, "active": ""})
    assert response.status_code == 200
    assert _lookup(app, code).active is False
    assert label not in as_role("clerk").get("/hotlinecaseview/add").get_data(as_text=True)


def test_labels_and_order_are_edited_in_the_list(app, as_role):
    code = f"T{_uid()}"
    _add_code(as_role("admin"), code, "改名前")
    row = _lookup(app, code)
    admin = as_role("admin")
    for field, value in (("label_zh", "改名后"), ("sort", "5")):
        response = admin.post("/console/lookups/ajax/update/", data={"list_form_pk": row.id, field: value})
        assert response.status_code == 200
    assert (_lookup(app, code).label_zh, _lookup(app, code).sort) == ("改名后", 5)
    listing = admin.get("/console/lookups/?flt0_0=hotline_appeal_type").get_data(as_text=True)
    assert "改名后" in listing and "ZIXUN" in listing and ">MIMI<" not in listing          # one category
    admin.post("/console/lookups/delete/", data={"id": row.id})


# --- time limits and the calendar ---------------------------------------------------------------
def test_calendar_edits_apply_at_once(app, as_role):
    day = dt.date(2031, 3, 5)            # a Wednesday
    admin = as_role("admin")
    admin.post("/console/calendar/new/", data={"day": day.isoformat(), "kind": "HOLIDAY", "name": "测试假日"})
    with app.app_context():
        row = db.session.query(WorkCalendar).filter_by(day=day).one()
        assert not is_working_day(day)
        assert add_working_days(dt.date(2031, 3, 4), 1) == dt.date(2031, 3, 6)
    page = as_role("admin", "en").post("/console/calendar/new/", data={"day": day.isoformat(), "kind": "WORKDAY"},
                                       follow_redirects=True).get_data(as_text=True)
    assert any("already has a row" in a for a in alerts(page)), alerts(page)
    admin.post("/console/calendar/delete/", data={"id": row.id})
    with app.app_context():
        assert db.session.query(WorkCalendar).filter_by(day=day).count() == 0
        assert is_working_day(day)
        trail = db.session.query(AuditLog).filter_by(entity="WorkCalendar", record_id=row.id, action="DELETE")
        assert trail.count() == 1


def _calendar_file(rows) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = wb.add_worksheet()
    for r, values in enumerate([("日期", "日期类型", "节日名称", "备注"), *rows]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value)
    wb.close()
    return out.getvalue()


def test_a_year_is_imported_from_excel_all_or_nothing(app, as_role):
    admin = as_role("admin", "en")
    days = [dt.date(2032, 1, 1), dt.date(2032, 1, 2), dt.date(2032, 1, 4)]
    bad = _calendar_file([(days[0].isoformat(), "法定节假日", "元旦", ""), ("2032-13-45", "法定节假日", "元旦", "")])
    page = admin.post("/console/calendar/import/", data={"file": (io.BytesIO(bad), "2032.xlsx")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "Nothing was imported" in page and "2032-13-45" in page
    with app.app_context():
        assert db.session.query(WorkCalendar).filter(WorkCalendar.day.in_(days)).count() == 0
    good = _calendar_file([(days[0].isoformat(), "法定节假日", "元旦", "通知"),
                           (days[1].isoformat(), "HOLIDAY", "元旦", ""),
                           (days[2].isoformat(), "调休上班", "元旦", "")])
    response = admin.post("/console/calendar/import/", data={"file": (io.BytesIO(good), "2032.xlsx")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    try:
        with app.app_context():
            assert not is_working_day(days[0]) and not is_working_day(days[1])
            assert is_working_day(days[2])                                     # a Sunday, worked
    finally:
        with app.app_context():
            db.session.query(WorkCalendar).filter(WorkCalendar.day.in_(days)).delete(synchronize_session=False)
            db.session.commit()
    template = admin.get("/console/calendar/import/template/")
    assert template.status_code == 200 and template.data[:2] == b"PK"


def test_an_sla_row_is_switched_off_in_the_list(app, as_role):
    from models.hotline import HotlineSLA

    with app.app_context():
        row = db.session.query(HotlineSLA).filter_by(appeal_type="BIAOYANG").first()
        pk = row.id
    admin = as_role("admin")
    assert "不限" in admin.get("/console/hotline-sla/").get_data(as_text=True)      # an empty key: any value
    assert admin.post("/console/hotline-sla/ajax/update/", data={"list_form_pk": pk, "active": ""}).status_code == 200
    with app.app_context():
        assert db.session.get(HotlineSLA, pk).active is False
    admin.post("/console/hotline-sla/ajax/update/", data={"list_form_pk": pk, "active": "1"})
    with app.app_context():
        assert db.session.get(HotlineSLA, pk).active is True


def test_a_time_limit_is_added_with_an_empty_key_and_removed(app, as_role):
    from models.hotline import HotlineSLA

    admin = as_role("admin", "en")
    page = admin.get("/console/hotline-sla/new/").get_data(as_text=True)
    assert "Complaint" in page and "Extra-urgent" in page                 # lookup labels in the user's language
    admin.post("/console/hotline-sla/new/", data={"appeal_type": "", "urgency": "TEJI", "accept_hours": "1",
                                                  "finish_workdays": "1", "description": "测试时限", "active": "y"})
    with app.app_context():
        row = db.session.query(HotlineSLA).filter_by(description="测试时限").one()
        assert (row.appeal_type, row.urgency, row.created_by) == (None, "TEJI", "admin")
        pk = row.id
    admin.post("/console/hotline-sla/delete/", data={"id": pk})
    with app.app_context():
        assert db.session.get(HotlineSLA, pk) is None
        assert db.session.query(AuditLog).filter_by(entity="HotlineSLA", record_id=pk, action="DELETE").count() == 1


# --- workflow rights ----------------------------------------------------------------------------
def _matrix(client, entity: str) -> set[str]:
    page = client.get(f"/console/workflow/?entity={entity}").get_data(as_text=True)
    return set(re.findall(r'name="grant" value="([^"]+)"[^>]*\bchecked\b', page.replace("\n", " ")))


def test_the_matrix_revokes_a_step_and_the_api_refuses_it_at_once(app, as_role):
    admin = as_role("admin", "en")
    with app.app_context():
        meeting = make(db.session, Meeting, status="PLANNED", start_at=dt.datetime(2031, 5, 6, 9, 0))
        db.session.commit()
        pk = meeting.id
        clerk_id = app.appbuilder.sm.find_role("Clerk").id
    ticks = _matrix(admin, "Meeting")
    assert f"{clerk_id}:notify" in ticks
    page = admin.post("/console/workflow/?entity=Meeting", data={"grant": sorted(ticks - {f"{clerk_id}:notify"})},
                      follow_redirects=True).get_data(as_text=True)
    assert any("revoked" in a and "wf_notify" in a for a in alerts(page)), alerts(page)
    try:
        api, headers = api_client(app, "clerk", "en")
        response = api.post(f"/api/v1/meeting/{pk}/transition/notify", json={"comment": "x"}, headers=headers)
        assert response.status_code == 403
        with app.app_context():
            assert db.session.get(Meeting, pk).status == "PLANNED"
            entry = db.session.query(AuditLog).filter_by(entity="Role", record_id=clerk_id).order_by(
                AuditLog.id.desc()).first()
            from app.history import detail_text

            assert entry.action == "UPDATE" and "wf_notify" in detail_text(entry) and entry.username == "admin"
            from app.roles import sync_roles

            sync_roles()                                   # the next start does not give it back
        assert f"{clerk_id}:notify" not in _matrix(admin, "Meeting")
    finally:
        admin.post("/console/workflow/?entity=Meeting", data={"grant": sorted(ticks)})
    assert _matrix(admin, "Meeting") == ticks
    response = api.post(f"/api/v1/meeting/{pk}/transition/notify", json={"comment": "x"}, headers=headers)
    assert response.status_code == 200, response.json


# --- settings -----------------------------------------------------------------------------------
@pytest.fixture()
def yellow_days(app):
    yield
    with app.app_context():
        db.session.query(Setting).filter_by(key="DEADLINE_YELLOW_DAYS").update({"value": None})
        db.session.commit()


def _light(client, tag: str) -> str:
    page = client.get(f"/supervisionitemview/list/?_flt_0_title={tag}").get_data(as_text=True)
    return re.findall(r'office-light">([^<]+)<', page)[0]


def test_a_setting_changes_the_lists_light_at_once(app, as_role, yellow_days):
    tag = f"YD{_uid()}"
    with app.app_context():
        make(db.session, SupervisionItem, title=f"{tag} 事项", status="IN_PROGRESS",
             due_date=add_working_days(today_cn(), 5))
        db.session.commit()
    manager, admin = as_role("manager", "en"), as_role("admin", "en")
    assert _light(manager, tag) == "On track"
    page = admin.post("/console/settings/", data={"DEADLINE_YELLOW_DAYS": "6"}, follow_redirects=True)
    assert any("Saved" in a for a in alerts(page.get_data(as_text=True)))
    assert _light(manager, tag) == "Due soon"
    with app.app_context():
        entry = db.session.query(AuditLog).filter_by(entity="Setting", action="INSERT").order_by(
            AuditLog.id.desc()).first()
        assert entry.username == "admin" and entry.changes["value"] == [None, "6"]


def test_a_bad_setting_is_refused_with_a_message(app, as_role, yellow_days):
    admin = as_role("admin", "en")
    for value, words in (("abc", "not a whole number"), ("999", "from 0 to 60")):
        page = admin.post("/console/settings/", data={"DEADLINE_YELLOW_DAYS": value, "ATTACHMENT_MAX_MB": "5"},
                          follow_redirects=True).get_data(as_text=True)
        assert words in page and any("Nothing was saved" in a for a in alerts(page))
    page = admin.post("/console/settings/", data={"ATTACHMENT_TYPES": "pdf, exe!"}).get_data(as_text=True)
    assert "separated by commas" in page
    with app.app_context():
        stored = {s.key: s.value for s in db.session.query(Setting)}
        assert stored.get("ATTACHMENT_MAX_MB") is None and stored.get("ATTACHMENT_TYPES") is None
        assert stored.get("DEADLINE_YELLOW_DAYS") is None


def test_upload_limits_follow_the_setting(app, as_role):
    from app.settings import setting

    admin = as_role("admin")
    admin.post("/console/settings/", data={"ATTACHMENT_TYPES": "PDF, .docx", "IMPORT_MAX_ROWS": "10"})
    try:
        with app.test_request_context():
            from app.attachments import allowed_types

            assert allowed_types() == ["pdf", "docx"]
            assert setting("IMPORT_MAX_ROWS") == 10
    finally:
        admin.post("/console/settings/", data={"ATTACHMENT_TYPES": "", "IMPORT_MAX_ROWS": ""})
    with app.test_request_context():
        assert setting("IMPORT_MAX_ROWS") == app.config["IMPORT_MAX_ROWS"]


# --- the audit log ------------------------------------------------------------------------------
def test_the_audit_log_is_filtered_and_exported_as_the_list_shows_it(app, as_role):
    tag = f"AU{_uid()}"
    with app.app_context():
        for i in range(3):
            db.session.add(AuditLog(username=f"{tag}-user", action="EXPORT", entity="Personnel", detail=f"{tag} {i}"))
        db.session.add(AuditLog(username="someone-else", action="EXPORT", entity="Personnel", detail=f"{tag} x"))
        db.session.commit()
        view = _view(app, "console_audit")
        user_filter = next(f"flt0_{view.get_filter_arg(i, f)}" for i, f in enumerate(view._filters)
                           if f.column.key == "username" and type(f).__name__ == "FilterEqual")
    admin = as_role("admin", "en")
    listing = admin.get(f"/console/audit/?{user_filter}={tag}-user").get_data(as_text=True)
    assert listing.count(f"{tag}-user") >= 3 and "someone-else" not in listing
    assert "/console/audit/xlsx/?" in listing
    response = admin.get(f"/console/audit/xlsx/?{user_filter}={tag}-user")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.data)).get_sheet_by_index(0).to_python()
    data = [r for r in rows if any(f"{tag}-user" == str(c) for c in r)]
    assert len(data) == 3
    assert as_role("admin").get(f"/console/audit/?search={tag}").status_code == 200
    with app.app_context():
        assert db.session.query(AuditLog).filter(AuditLog.entity == "AuditLog", AuditLog.action == "EXPORT",
                                                 AuditLog.detail.contains(tag)).count() == 1


def test_the_audit_log_cannot_be_changed(app, as_role):
    with app.app_context():
        entry = AuditLog(username="x", action="EXPORT", entity="Personnel")
        db.session.add(entry)
        db.session.commit()
        pk = entry.id
    admin = as_role("admin")
    assert admin.get("/console/audit/new/").status_code in (302, 404)
    admin.post("/console/audit/delete/", data={"id": pk})
    admin.post(f"/console/audit/edit/?id={pk}", data={"username": "y"})
    with app.app_context():
        assert db.session.get(AuditLog, pk).username == "x"


def test_the_custom_field_form_offers_every_entity_and_lookup_category(as_role):
    """Both drop-downs are filled when the form is shown (they were once empty: the options
    hook they overrode was gone from WTForms)."""
    page = as_role("admin", "en").get("/console/custom-fields/new/").get_data(as_text=True)
    entity = re.search(r'<select[^>]*name="entity".*?</select>', page, re.S).group(0)
    category = re.search(r'<select[^>]*name="lookup_category".*?</select>', page, re.S).group(0)
    assert 'value="Meeting"' in entity and 'value="HotlineCase"' in entity
    assert 'value="hotline_action_type"' in category and "Action (hotline_action_type)" in category
