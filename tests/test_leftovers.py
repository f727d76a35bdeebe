"""Words a user should never meet: werkzeug's English error pages, role codes, True/None,
class names and frozen sentences in the audit log, developer notes in seeded data, a space
inside a Chinese name, and the wording of a few labels."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from app.extensions import db
from models.audit import AuditLog
from tests.conftest import PASSWORD, login
from tests.pages import chinese_leftovers, english_leftovers

ZH, EN = {"Accept-Language": "zh-CN,zh;q=0.9"}, {"Accept-Language": "en-US,en;q=0.9"}


def _lang_of(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


# --- error pages -------------------------------------------------------------------------------
@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unknown_address_is_a_404_page_in_the_layout_in_either_language(app, as_role, signed_in):
    zh = as_role("viewer", "zh") if signed_in else app.test_client()
    response = zh.get("/no/such/page", headers=ZH)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert _lang_of(page) == "zh-CN" and "页面不存在" in page and "该地址没有对应的页面" in page
    assert 'class="office-top"' in page and "office-footer" in page       # the panel's layout
    assert ("office-sidebar" in page) is signed_in                          # the menu only when signed in
    assert "Not Found" not in page and english_leftovers(page) == []

    en = as_role("viewer", "en") if signed_in else app.test_client()
    response = en.get("/no/such/page", headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert _lang_of(page) == "en" and "Page not found" in page and "There is no page at this address" in page
    assert chinese_leftovers(page) == []


def test_a_record_that_is_not_there_and_a_wrong_method_answer_in_chinese(app, as_role):
    admin = as_role("admin", "zh")
    missing = admin.get("/personnelview/show/987654321")
    assert missing.status_code == 404 and "页面不存在" in missing.get_data(as_text=True)
    wrong = admin.get("/lang/en")                     # a POST-only address opened by a link
    assert wrong.status_code == 405 and "不能以这种方式打开该地址" in wrong.get_data(as_text=True)


def test_the_api_answers_404_in_json(app):
    response = app.test_client().get("/api/v1/no_such_thing/", headers=EN)
    assert response.status_code == 404 and response.is_json


def test_forbidden_and_throttled_pages_use_the_layout_too(app, as_role):
    page = as_role("clerk", "en").get("/console/lookups/").get_data(as_text=True)
    assert "You do not have the right to open this page" in page and 'class="office-top"' in page


@pytest.fixture()
def failing_home(app):
    """The home page raises, as a bug or a lost database would; exceptions reach the handler
    (TESTING propagates them otherwise)."""
    endpoint = "HomeView.index"
    original, propagate = app.view_functions[endpoint], app.config.get("PROPAGATE_EXCEPTIONS")

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated failure")

    app.view_functions[endpoint] = broken
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.view_functions[endpoint] = original
    app.config["PROPAGATE_EXCEPTIONS"] = propagate


def test_a_server_error_is_a_simple_page_in_the_users_language(app, as_role, failing_home):
    response = as_role("leader", "en").get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert _lang_of(page) == "en" and "Server error" in page and "the error has been logged" in page
    assert 'class="office-top"' in page and "simulated failure" not in page and "Traceback" not in page
    response = app.test_client().get("/", headers=ZH)
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and _lang_of(page) == "zh-CN" and "系统出错" in page


def test_the_server_error_page_needs_neither_the_database_nor_the_user(app, as_role, failing_home, monkeypatch):
    import app.i18n

    def database_down():
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(app.i18n, "select_locale", database_down)     # the user's saved language: his row
    monkeypatch.setattr(db.session, "rollback", database_down)
    response = as_role("leader", "zh").get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "系统出错" in page


# --- roles, True/None, names -----------------------------------------------------------------------
ROLE_ZH = {"Admin": "系统管理员", "Leader": "市政府领导", "Manager": "处室负责人", "Clerk": "录入员", "Viewer": "只读"}


def _cells(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", page, flags=re.S)]


def test_users_and_roles_read_in_chinese_on_chinese_pages(app, as_role):
    admin = as_role("admin", "zh")
    # the role users (conftest: last name "Test"), whatever accounts other tests made before this one
    users = admin.get("/users/list/?_flt_3_last_name=Test&psize_OfficeUserView=100").get_data(as_text=True)
    cells = _cells(users)
    for code, label in ROLE_ZH.items():
        assert label in cells, (code, label)
    assert not [c for c in cells if c.startswith("[")]          # no "[Leader]"
    assert "True" not in cells and "False" not in cells and "None" not in cells and "是" in cells
    assert english_leftovers(users) == []

    roles = admin.get("/roles/list/").get_data(as_text=True)
    assert all(label in _cells(roles) for label in ROLE_ZH.values())
    assert english_leftovers(roles) == []

    with app.app_context():
        leader_id = app.appbuilder.sm.find_user(username="leader").id
    shown = admin.get(f"/users/show/{leader_id}").get_data(as_text=True)
    assert "市政府领导" in shown and ">True<" not in shown and ">None<" not in shown and "None" not in _cells(shown)
    assert english_leftovers(shown) == []

    profile = admin.get("/users/userinfo/").get_data(as_text=True)
    assert "系统管理员" in _cells(profile) and "[Admin]" not in profile

    form = admin.get("/users/add").get_data(as_text=True)
    assert ">处室负责人<" in form.replace("\n", "") or "处室负责人" in form
    assert english_leftovers(form) == []            # the help texts too
    assert english_leftovers(admin.get("/groups/add").get_data(as_text=True)) == []
    assert english_leftovers(admin.get("/groups/list/").get_data(as_text=True)) == []


def test_users_and_roles_read_in_english_on_english_pages(app, as_role):
    admin = as_role("admin", "en")
    # the role users (conftest: last name "Test"), whatever accounts other tests made before this one
    cells = _cells(admin.get("/users/list/?_flt_3_last_name=Test&psize_OfficeUserView=100").get_data(as_text=True))
    assert "Municipal leader" in cells and "System administrator" in cells and "Yes" in cells
    assert "市政府领导" not in cells


def test_role_names_in_the_database_stay_what_permissions_need(app):
    with app.app_context():
        names = {role.name for role in app.appbuilder.sm.get_all_roles()}
        assert {"Admin", "Leader", "Manager", "Clerk", "Viewer", "Public"} <= names
        from app.user_screens import role_label

        with app.test_request_context(), force_locale("zh"):
            assert role_label("Leader") == "市政府领导" and role_label("Someone's new role") == "Someone's new role"


def test_a_chinese_name_is_written_without_a_space(app):
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username="wendian-clerk") or sm.add_user(
            "wendian-clerk", "文电处", "录入员", "wendian-clerk@test.xm.gov.cn", [sm.find_role("Clerk")], PASSWORD)
        assert user.get_full_name() == "文电处录入员"
        assert sm.find_user(username="clerk").get_full_name() == "Clerk Test"      # a Latin name keeps it
    client = app.test_client()
    login(client, "wendian-clerk")
    home = client.get("/").get_data(as_text=True)
    assert "文电处录入员" in home and "文电处 录入员" not in home


def test_show_and_back_read_as_people_say_them(app, as_role):
    with app.app_context():
        leader_id = app.appbuilder.sm.find_user(username="leader").id
    page = as_role("admin", "zh").get(f"/users/show/{leader_id}").get_data(as_text=True)
    assert "详情" in page and "返回" in page and "详细" not in page and "后退" not in page


# --- the audit log: codes stored, words at reading time ----------------------------------------------
def _export_personnel(client):
    response = client.get("/personnelview/export/")
    assert response.status_code == 200


def _last(app, **filters) -> AuditLog:
    with app.app_context():
        row = db.session.query(AuditLog).filter_by(**filters).order_by(AuditLog.id.desc()).first()
        db.session.expunge(row)
        return row


def test_an_audit_entry_written_in_chinese_reads_in_english(app, as_role):
    _export_personnel(as_role("manager", "zh"))
    row = _last(app, action="EXPORT", entity="Personnel", username="manager")
    stored = json.loads(row.detail)
    assert stored["msg"] == "export" and not re.search(r"[\u3400-\u9fff]", row.detail)   # codes, no words

    en = as_role("admin", "en").get(f"/console/audit/details/?id={row.id}").get_data(as_text=True)
    assert "rows; filters:" in en and "行" not in en.split("Detail")[-1]
    assert chinese_leftovers(en) == []
    zh = as_role("admin", "zh").get(f"/console/audit/details/?id={row.id}").get_data(as_text=True)
    assert "行；筛选条件" in zh

    panel = as_role("admin", "en").get(f"/auditlogview/show/{row.id}").get_data(as_text=True)
    assert "&lt;AuditLog" not in panel and "<AuditLog" not in panel and "Exported" in panel
    assert "rows; filters:" in panel


def test_the_audit_log_names_entities_and_fields_not_classes(app, as_role):
    with app.app_context():
        entry = AuditLog(username="admin", action="UPDATE", entity="HotlineSLA", record_id=1,
                         changes={"accept_hours": [24, 12], "appeal_type": [None, "ZIXUN"], "active": [True, False]})
        db.session.add(entry)
        db.session.commit()
        pk = entry.id
    zh = as_role("admin", "zh")
    console = next(a for a in app.extensions["admin"] if a.endpoint == "console")
    view = next(v for v in console._views if v.endpoint == "console_audit")
    entity_filter = next(f"flt0_{view.get_filter_arg(i, f)}" for i, f in enumerate(view._filters)
                         if f.column.key == "entity")
    listing = zh.get(f"/console/audit/?{entity_filter}=HotlineSLA").get_data(as_text=True)
    assert "热线办理时限" in _cells(listing) and "HotlineSLA" not in _cells(listing)
    details = zh.get(f"/console/audit/details/?id={pk}").get_data(as_text=True)
    assert "签收时限" in details and "accept_hours" not in details and "咨询" in details and "ZIXUN" not in details
    panel = zh.get(f"/auditlogview/show/{pk}").get_data(as_text=True)
    assert "热线办理时限" in panel and "HotlineSLA" not in panel and "accept_hours" not in panel
    assert "HotlineSLA" not in "".join(_cells(zh.get("/auditlogview/list/").get_data(as_text=True)))


def test_an_older_audit_sentence_is_shown_as_it_was_written(app, as_role):
    with app.app_context():
        entry = AuditLog(username="admin", action="EXPORT", entity="Personnel", detail="42 行；筛选条件：—")
        db.session.add(entry)
        db.session.commit()
        pk = entry.id
    page = as_role("admin", "en").get(f"/console/audit/details/?id={pk}").get_data(as_text=True)
    assert "42 行；筛选条件：—" in page


def test_a_workflow_step_and_a_rights_change_read_in_the_readers_language(app):
    from app.history import detail_text

    step = AuditLog(action="TRANSITION", entity="SupervisionItem", detail="approve")
    rights = AuditLog(action="UPDATE", entity="Role", detail=json.dumps(
        {"msg": "role_rights", "role": "Clerk", "entity": "Meeting", "granted": ["notify"], "revoked": []}))
    with app.test_request_context():
        with force_locale("en"):
            assert detail_text(step) != "approve"
            english = detail_text(rights)
            assert english.startswith("Data-entry clerk on Meetings") and "(wf_notify)" in english
        with force_locale("zh_Hans_CN"):
            assert "录入员" in detail_text(rights) and not re.search(r"[A-Za-z]{4,}", detail_text(step))


def test_a_failed_sign_in_series_reads_in_the_readers_language(app):
    from app.history import detail_text

    locked = AuditLog(action="LOCKED", entity="User", detail=json.dumps({"msg": "failed_in_a_row", "n": 5}))
    with app.test_request_context():
        with force_locale("en"):
            assert detail_text(locked) == "5 failed sign-ins in a row"
        with force_locale("zh_Hans_CN"):
            assert detail_text(locked) == "连续 5 次登录失败"


# --- seeded data and labels --------------------------------------------------------------------
def test_no_developer_note_in_any_seeded_time_limit(app):
    from models.duty import DEFAULT_INCIDENT_SLA, IncidentSLA
    from models.hotline import DEFAULT_HOTLINE_SLA, HotlineSLA
    from models.sla import DEFAULT_DOCUMENT_SLA, DocumentSLA

    for defaults in (DEFAULT_INCIDENT_SLA, DEFAULT_HOTLINE_SLA, DEFAULT_DOCUMENT_SLA):
        assert not [row for row in defaults if "verify" in str(row[-1])]
    with app.app_context():
        for model in (IncidentSLA, HotlineSLA, DocumentSLA):
            rows = db.session.query(model).all()
            assert rows and not [r.description for r in rows if "verify" in (r.description or "")]
    page = app.test_client()
    login(page, "admin", lang="zh")
    form = page.get("/documentslaview/add").get_data(as_text=True)
    assert "verify" not in form


def _migration():
    path = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "0010_leftover_words.py"
    spec = importlib.util.spec_from_file_location("leftover_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_cleans_rows_seeded_before_the_fix(app):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from models.hotline import HotlineSLA
    from models.lookups import Lookup

    with app.app_context():
        sla = db.session.query(HotlineSLA).first()
        old_description = sla.description
        sla.description = "咨询类：2个工作日内办结（厦门）[verify]"
        closed = db.session.query(Lookup).filter_by(category="hotline_status", code="CLOSED").one()
        closed.label_en = "Closed"
        edited = db.session.query(Lookup).filter_by(category="incident_status", code="CLOSED").one()
        edited.label_en = "Filed away"                       # an admin's own wording stays
        db.session.commit()
        with db.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
            _migration().upgrade()
        db.session.expire_all()
        assert db.session.get(HotlineSLA, sla.id).description == "咨询类：2个工作日内办结（厦门）"
        assert db.session.get(Lookup, closed.id).label_en == "Archived"
        assert db.session.get(Lookup, edited.id).label_en == "Filed away"
        sla = db.session.get(HotlineSLA, sla.id)
        sla.description, db.session.get(Lookup, edited.id).label_en = old_description, "Archived"
        db.session.commit()


def test_labels_of_archived_social_security_and_confidential(app):
    from models.lookups import lookup_label

    with app.test_request_context(), force_locale("en"):
        assert lookup_label("incident_status", "CLOSED") == "Archived"
        assert lookup_label("hotline_status", "CLOSED") == "Archived"
        assert lookup_label("incident_category", "SHEHUI") == "Social security event"
        assert lookup_label("secrecy_level", "MIMI") == "Confidential"
        from flask_babel import gettext

        assert "Confidential" in gettext("A record classified Confidential or above keeps no attachment.")
