"""The audit trail: who changed what, when, from where — on every path."""
from __future__ import annotations

from app.extensions import db
from models.audit import AuditLog
from models.org import Personnel
from models.supervision import SupervisionItem
from tests.factories import make
from tests.helpers import api_client


def _rows(app, entity, pk):
    """The trail of the record `pk` from its (last) INSERT on: SQLite gives a deleted record's id
    to the next one, so an earlier test's record of that id may have left rows of its own."""
    with app.app_context():
        rows = [(r.action, r.username, r.changes, r.detail) for r in db.session.query(AuditLog)
                .filter_by(entity=entity, record_id=pk).order_by(AuditLog.id)]
    inserts = [i for i, row in enumerate(rows) if row[0] == "INSERT"]
    return rows[inserts[-1]:] if inserts else rows


def test_edit_records_old_and_new_value_user_and_address(app, as_role):
    with app.app_context():
        item = make(db.session, SupervisionItem, title="原标题")
        db.session.commit()
        pk = item.id
    client, headers = api_client(app, "clerk")
    assert client.put(f"/api/v1/supervision_item/{pk}", json={"title": "新标题", "row_version": 1},
                      headers=headers).status_code == 200
    action, user, changes, _ = _rows(app, "SupervisionItem", pk)[-1]
    assert (action, user) == ("UPDATE", "clerk")
    assert changes["title"] == ["原标题", "新标题"]
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(record_id=pk, entity="SupervisionItem",
                                                    action="UPDATE").one().client_addr == "127.0.0.1"


def test_history_tab_shows_labels_in_the_users_language(app, as_role):
    client, headers = api_client(app, "clerk")
    response = client.post("/api/v1/supervision_item/", json={"title": "测试历史", "priority": "YIBAN"},
                           headers=headers)
    pk = response.json["id"]
    client.put(f"/api/v1/supervision_item/{pk}", json={"priority": "ZHONGDIAN", "row_version": 1},
               headers=headers)
    page = as_role("admin", "en").get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)
    assert "History" in page and "Supervision level" in page and "Ordinary" in page and "Key" in page
    page = as_role("admin", "zh").get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)
    assert "修改记录" in page and "一般" in page and "重点" in page


def test_transition_is_audited_as_a_workflow_step(app):
    with app.app_context():
        item = make(db.session, SupervisionItem, status="DRAFT")
        db.session.commit()
        pk = item.id
    client, headers = api_client(app, "leader")
    assert client.post(f"/api/v1/supervision_item/{pk}/transition/approve", json={},
                       headers=headers).status_code == 200
    action, user, changes, detail = _rows(app, "SupervisionItem", pk)[-1]
    assert (action, user, detail) == ("TRANSITION", "leader", "approve")
    assert changes["status"] == ["DRAFT", "APPROVED"]


def test_sensitive_values_are_masked_in_the_trail(app):
    with app.app_context():
        person = make(db.session, Personnel, id_card_no="350203198801011234", mobile="13812345678")
        db.session.commit()
        pk = person.id
    (action, _user, changes, _), *_ = _rows(app, "Personnel", pk)
    assert action == "INSERT"
    assert changes["id_card_no"] == [None, "350203********1234"]
    assert changes["mobile"] == [None, "138****5678"]


def test_export_is_audited_with_its_filter_and_row_count(app, as_role):
    with app.app_context():
        make(db.session, SupervisionItem, title="导出审计")
        db.session.commit()
    response = as_role("manager").get("/supervisionitemview/export/?_flt_0_title=导出审计")
    assert response.status_code == 200
    with app.app_context():
        row = db.session.query(AuditLog).filter_by(action="EXPORT").order_by(AuditLog.id.desc()).first()
        assert row.username == "manager" and row.entity == "SupervisionItem"
        from app.history import detail_text

        assert detail_text(row).startswith("1 ") and "_flt_0_title" in detail_text(row)


def test_second_of_two_concurrent_edits_is_refused_with_what_changed(app, as_role):
    with app.app_context():
        item = make(db.session, SupervisionItem, title="并发编辑")
        db.session.commit()
        pk, version = item.id, item.row_version
    first, second = as_role("clerk", "en"), as_role("admin", "en")
    form = first.get(f"/supervisionitemview/edit/{pk}").get_data(as_text=True)
    assert f'name="row_version" type="hidden" value="{version}"' in form or f'value="{version}"' in form
    from tests.helpers import valid_form  # noqa: F401  (same data a clerk types)
    with app.app_context():
        from app.registry.spec import entity_for
        from tests.factories import form_data
        data = form_data(entity_for(SupervisionItem), db.session.get(SupervisionItem, pk))
    first.post(f"/supervisionitemview/edit/{pk}", data={**data, "title": "甲的修改", "row_version": version})
    page = second.post(f"/supervisionitemview/edit/{pk}", data={**data, "title": "乙的修改", "row_version": version},
                       follow_redirects=True).get_data(as_text=True)
    assert "someone else saved this record" in page and "clerk" in page and "甲的修改" in page
    with app.app_context():
        assert db.session.get(SupervisionItem, pk).title == "甲的修改"


def test_api_put_with_an_old_version_gets_409(app):
    with app.app_context():
        item = make(db.session, SupervisionItem, title="接口并发")
        db.session.commit()
        pk, version = item.id, item.row_version
    client, headers = api_client(app, "clerk", "en")
    ok = client.put(f"/api/v1/supervision_item/{pk}", json={"title": "第一次", "row_version": version}, headers=headers)
    assert ok.status_code == 200, ok.json
    late = client.put(f"/api/v1/supervision_item/{pk}", json={"title": "第二次", "row_version": version},
                      headers=headers)
    assert late.status_code == 409 and "第一次" in " ".join(late.json["message"])
    with app.app_context():
        assert db.session.get(SupervisionItem, pk).title == "第一次"


def test_delete_moves_to_trash_and_restore_brings_it_back(app, as_role):
    with app.app_context():
        item = make(db.session, SupervisionItem, title="回收站测试")
        db.session.commit()
        pk = item.id
    admin = as_role("admin", "en")
    admin.post(f"/supervisionitemview/delete/{pk}")
    with app.app_context():
        assert db.session.get(SupervisionItem, pk).is_deleted is True
    assert admin.get(f"/supervisionitemview/show/{pk}").status_code == 404
    assert "回收站测试" not in admin.get("/supervisionitemview/list/").get_data(as_text=True)
    client, headers = api_client(app, "admin")
    assert client.get(f"/api/v1/supervision_item/{pk}", headers=headers).status_code == 404
    trash = admin.get("/supervisionitemview/trash/").get_data(as_text=True)
    assert "回收站测试" in trash
    admin.post(f"/supervisionitemview/restore/{pk}")
    assert admin.get(f"/supervisionitemview/show/{pk}").status_code == 200
    with app.app_context():
        actions = [r.action for r in db.session.query(AuditLog).filter_by(entity="SupervisionItem", record_id=pk)
                   .order_by(AuditLog.id)]
    assert actions[-2:] == ["SOFT_DELETE", "RESTORE"]


def test_only_admin_deletes_for_good_and_it_is_audited(app, as_role):
    with app.app_context():
        item = make(db.session, SupervisionItem, title="彻底删除", is_deleted=True)
        db.session.commit()
        pk = item.id
    assert as_role("clerk").post(f"/supervisionitemview/purge/{pk}").status_code in (302, 403)
    with app.app_context():
        assert db.session.get(SupervisionItem, pk) is not None
    as_role("admin").post(f"/supervisionitemview/purge/{pk}")
    with app.app_context():
        assert db.session.get(SupervisionItem, pk) is None
        row = db.session.query(AuditLog).filter_by(entity="SupervisionItem", record_id=pk, action="DELETE").one()
        assert row.username == "admin"


def test_admin_browses_and_filters_the_whole_log_and_nobody_edits_it(app, as_role):
    with app.app_context():
        item = make(db.session, SupervisionItem, title="日志浏览")
        db.session.commit()
        pk = item.id
    client, headers = api_client(app, "clerk")
    client.put(f"/api/v1/supervision_item/{pk}", json={"title": "日志浏览改", "row_version": 1}, headers=headers)
    admin = as_role("admin", "en")
    page = admin.get("/auditlogview/list/?_flt_0_username=clerk").get_data(as_text=True)
    assert "Audit log" in page and "日志浏览改" in page
    assert admin.get("/auditlogview/add").status_code in (302, 403, 404)
    assert as_role("manager").get("/auditlogview/list/").status_code in (302, 403)
    with app.app_context():
        row = db.session.query(AuditLog).order_by(AuditLog.id.desc()).first()
    admin.post(f"/auditlogview/delete/{row.id}")
    with app.app_context():
        assert db.session.get(AuditLog, row.id) is not None
