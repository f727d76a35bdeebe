"""Historical import (issue 18, item 5): last year's supervision ledger comes in as it stands —
each item in the state its 办理状态 column states, one status-log line "imported in this
state" each, the audit entry saying it was a historical import — for whoever holds the
right `can_import_history` (Admin by default, another role when the console's workflow
matrix grants it), through the page and the API alike. Everyone else is refused with a
sentence and nothing is written; an ordinary import still starts every item at the
beginning.
"""
from __future__ import annotations

import io
import re
import uuid

from sqlalchemy import select

from app.extensions import db
from models.audit import AuditLog
from models.lookups import Lookup
from models.supervision import SupervisionItem
from models.workflow import StatusLog
from tests.helpers import api_client
from tests.test_import import xlsx

VIEW = "supervisionitemview"
API = "/api/v1/supervision_item/import"
CHECKBOX = 'name="historical"'


def marker() -> str:
    return uuid.uuid4().hex[:8].upper()


def ledger(*rows, status_header: str = "办理状态") -> bytes:
    """A supervision ledger as the office kept it last year: a title row, 序号, the paper words."""
    header = ["序号", "督办编号", "标题", "办理时限", status_header, "办结时间", "办结意见"]
    return xlsx([["2025年督办事项台账"], header, *[[i, *row] for i, row in enumerate(rows, start=1)]])


def items(app, prefix: str) -> dict[str, tuple[int, str]]:
    """{item number: (id, status)} of the items whose number starts with `prefix`."""
    with app.app_context():
        rows = db.session.execute(select(SupervisionItem.item_no, SupervisionItem.id, SupervisionItem.status)
                                  .where(SupervisionItem.item_no.like(f"{prefix}%"))).all()
        return {number: (pk, status) for number, pk, status in rows}


def status_lines(app, pk: int) -> list[tuple[str, str | None, str]]:
    with app.app_context():
        rows = db.session.scalars(select(StatusLog).where(StatusLog.entity == "SupervisionItem",
                                                          StatusLog.record_id == pk)).all()
        return [(row.transition, row.from_state, row.to_state) for row in rows]


def import_audit(app, filename: str) -> str:
    """The audit entry of the import of `filename`, in English words."""
    from flask_babel import force_locale

    from app.history import detail_text

    with app.test_request_context(), force_locale("en"):
        rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "IMPORT",
                                                         AuditLog.entity == "SupervisionItem")
                                  .order_by(AuditLog.id.desc()).limit(50)).all()
        found = [detail_text(row) for row in rows if filename in (row.detail or "")]
        assert found, f"no audit entry for {filename}"
        return found[0]


def upload(client, data: bytes, filename: str, view: str = VIEW, **fields):
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post(f"/{view}/import/", data=form, content_type="multipart/form-data", follow_redirects=True)


def post_api(client, headers, data: bytes, filename: str, url: str = API, **fields):
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post(url, data=form, headers=headers, content_type="multipart/form-data")


def grant_in_console(app, admin, role: str, entity: str = "SupervisionItem") -> None:
    """The admin ticks the role's box of the historical import in the console's workflow matrix."""
    page = admin.get(f"/console/workflow/?entity={entity}").get_data(as_text=True).replace("\n", " ")
    ticks = set(re.findall(r'name="grant" value="([^"]+)"[^>]*\bchecked\b', page))
    with app.app_context():
        role_id = app.appbuilder.sm.find_role(role).id
    assert f'value="{role_id}:import_history"' in page
    assert f"{role_id}:import_history" not in ticks
    admin.post(f"/console/workflow/?entity={entity}", data={"grant": sorted(ticks | {f"{role_id}:import_history"})})


# --- the page -----------------------------------------------------------------------------------------
def test_admin_imports_last_years_ledger_in_the_states_it_states(app, as_role):
    tag = f"HIS-{marker()}"
    filename = f"{tag}.xlsx"
    admin = as_role("admin", "en")
    assert CHECKBOX in admin.get(f"/{VIEW}/import/").get_data(as_text=True)
    data = ledger([f"{tag}-1", "已办结事项", "2025-06-30", "已办结", "2025-06-20", "按期办结"],
                  [f"{tag}-2", "办理中事项", "2025-12-31", "办理中", None, None],
                  [f"{tag}-3", "办结简称事项", "2025-09-30", "办结", "2025-09-01", "已完成"],
                  [f"{tag}-4", "英文状态事项", "2025-10-31", "Assigned", None, None])
    page = upload(admin, data, filename, historical="1").get_data(as_text=True)
    assert "Imported 4 records" in page, page
    found = items(app, tag)
    assert {number: status for number, (_pk, status) in found.items()} == {
        f"{tag}-1": "CLOSED", f"{tag}-2": "IN_PROGRESS", f"{tag}-3": "CLOSED", f"{tag}-4": "ASSIGNED"}
    for _pk, status in found.values():
        assert status_lines(app, _pk) == [("import", None, status)]
    closed = found[f"{tag}-1"][0]
    show = admin.get(f"/{VIEW}/show/{closed}").get_data(as_text=True)
    assert "Imported in this state (historical record)" in show
    assert "historical import" in import_audit(app, filename) and "4 rows" in import_audit(app, filename)


def test_the_choice_survives_the_mapping_step(app, as_role):
    tag = f"HIS-{marker()}"
    admin = as_role("admin", "zh")
    form = {"file": (io.BytesIO(ledger([f"{tag}-1", "映射步骤事项", "2025-06-30", "已立项", None, None])),
                     f"{tag}.xlsx"), "review": "1", "historical": "1"}
    page = admin.post(f"/{VIEW}/import/", data=form, content_type="multipart/form-data").get_data(as_text=True)
    assert '<input type="hidden" name="historical" value="1">' in page
    status = re.search(r'<select[^>]*name="map-status".*?</select>', page, re.S)
    assert status is not None and re.search(r'<option value="\d+" selected>办理状态', status.group(0))
    chosen = {name: value for name, value in re.findall(
        r'<select[^>]*name="(map-[a-z_]+)".*?<option value="(\d*)" selected', page, re.S)}
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    admin.post(f"/{VIEW}/import/", data={"token": token, "historical": "1", **chosen}, follow_redirects=True)
    ((pk, state),) = items(app, tag).values()
    assert state == "APPROVED" and status_lines(app, pk) == [("import", None, "APPROVED")]


def test_a_clerk_sees_no_checkbox_and_a_posted_one_is_refused(app, as_role):
    tag = f"HIS-{marker()}"
    clerk = as_role("clerk", "en")
    assert CHECKBOX not in clerk.get(f"/{VIEW}/import/").get_data(as_text=True)
    data = ledger([f"{tag}-1", "越权事项", "2025-06-30", "已办结", "2025-06-20", "办结"])
    page = upload(clerk, data, f"{tag}.xlsx", historical="1").get_data(as_text=True)
    assert "You may not import records in their stated state" in page
    # nor at the mapping step, whose hidden field a clerk could forge
    form = {"file": (io.BytesIO(data), f"{tag}.xlsx"), "review": "1"}
    page = clerk.post(f"/{VIEW}/import/", data=form, content_type="multipart/form-data").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    page = clerk.post(f"/{VIEW}/import/", data={"token": token, "historical": "1", "map-item_no": "1",
                                                "map-title": "2", "map-due_date": "3", "map-status": "4"},
                      follow_redirects=True).get_data(as_text=True)
    assert "You may not import records in their stated state" in page
    assert items(app, tag) == {}


def test_an_ordinary_import_still_starts_every_item_at_the_beginning(app, as_role):
    tag = f"HIS-{marker()}"
    clerk = as_role("clerk", "en")
    page = upload(clerk, ledger([f"{tag}-1", "普通导入事项", "2025-06-30", "办理中", None, None]),
                  f"{tag}.xlsx").get_data(as_text=True)
    assert "Imported 1 records" in page and "办理状态" in page          # said not imported
    ((pk, state),) = items(app, tag).values()
    assert state == "DRAFT" and status_lines(app, pk) == [("create", None, "DRAFT")]


def test_no_checkbox_for_a_list_without_a_workflow(as_role):
    page = as_role("admin", "en").get("/personnelview/import/").get_data(as_text=True)
    assert CHECKBOX not in page


# --- one pass, every problem ---------------------------------------------------------------------------
def test_an_unknown_state_is_reported_by_row_with_every_other_problem(app):
    tag = f"HIS-{marker()}"
    client, headers = api_client(app, "admin", "en")
    data = ledger([f"{tag}-1", "好的一行", "2025-06-30", "办理中", None, None],
                  [f"{tag}-2", "未知状态", "2025-06-30", "查无此状态", None, None],
                  [f"{tag}-3", "", "2025-13-45", "已办结", None, None],
                  [f"{tag}-4", "空状态", "2025-06-30", None, None, None])
    response = post_api(client, headers, data, f"{tag}.xlsx", historical="1", action="write")
    assert response.status_code == 422, response.json
    problems = {(p["row"], p["column"]) for p in response.json["problems"]}
    assert (4, "办理状态") in problems                     # the unknown state, by the file's row number
    assert (5, "标题") in problems and (5, "办理时限") in problems
    assert any(p["row"] == 5 and p["column"] == "" and "closing date" in p["reason"]
               for p in response.json["problems"])       # the rule, on the item in its stated state
    assert (6, "办理状态") in problems                     # required in historical mode
    assert response.json["historical"] is True and response.json["counts"]["created"] == 0
    assert items(app, tag) == {}


def test_a_lookup_entry_the_workflow_never_reaches_is_not_a_state(app):
    tag = f"HIS-{marker()}"
    with app.app_context():
        db.session.add(Lookup(category="sup_status", code=f"X{tag[-6:]}", label_zh=f"搁置{tag}",
                              label_en=f"Shelved {tag}", active=True, sort=99))
        db.session.commit()
    client, headers = api_client(app, "admin", "en")
    response = post_api(client, headers, ledger([f"{tag}-1", "搁置事项", "2025-06-30", f"搁置{tag}", None, None]),
                        f"{tag}.xlsx", historical="1", action="write")
    assert response.status_code == 422, response.json
    (problem,) = response.json["problems"]
    assert problem["row"] == 3 and problem["column"] == "办理状态"
    assert "is not a state of this list's workflow" in problem["reason"] and "Closed" in problem["reason"]
    assert items(app, tag) == {}


def test_the_status_column_is_required(app):
    client, headers = api_client(app, "admin", "en")
    tag = f"HIS-{marker()}"
    data = xlsx([["督办编号", "标题", "办理时限"], [f"{tag}-1", "无状态列", "2025-06-30"]])
    response = post_api(client, headers, data, f"{tag}.xlsx", historical="1", action="write")
    assert response.status_code == 422 and "Required columns are missing: Status" in response.json["refused"]
    assert items(app, tag) == {}


# --- the API and the right ------------------------------------------------------------------------------
def test_the_api_refuses_a_clerk_with_403_and_writes_nothing(app):
    tag = f"HIS-{marker()}"
    client, headers = api_client(app, "clerk", "zh")
    response = post_api(client, headers, ledger([f"{tag}-1", "越权接口", "2025-06-30", "已办结", "2025-06-20", "办结"]),
                        f"{tag}.xlsx", historical="1", action="write")
    assert response.status_code == 403
    assert "您无权按台账所载状态导入" in response.json["message"]
    assert items(app, tag) == {}


def test_a_role_granted_the_right_in_the_console_imports_historically(app, as_role):
    tag = f"HIS-{marker()}"
    admin = as_role("admin", "en")
    grant_in_console(app, admin, "Clerk")
    clerk = as_role("clerk", "en")
    assert CHECKBOX in clerk.get(f"/{VIEW}/import/").get_data(as_text=True)
    client, headers = api_client(app, "clerk", "en")
    response = post_api(client, headers, ledger([f"{tag}-1", "授权后导入", "2025-06-30", "已报结", None, None]),
                        f"{tag}.xlsx", historical="1", action="write")
    assert response.status_code == 200, response.json
    ((pk, state),) = items(app, tag).values()
    assert state == "SUBMITTED" and status_lines(app, pk) == [("import", None, "SUBMITTED")]
    assert "historical import" in import_audit(app, f"{tag}.xlsx")
    # the grant is in the audit log, named in the reader's words
    with app.app_context():
        from flask_babel import force_locale

        from app.history import detail_text

        role_id = app.appbuilder.sm.find_role("Clerk").id
        entry = db.session.scalars(select(AuditLog).where(AuditLog.entity == "Role", AuditLog.record_id == role_id)
                                   .order_by(AuditLog.id.desc())).first()
        with app.test_request_context(), force_locale("en"):
            assert "Import records in their stated state (historical records) (can_import_history)" in \
                detail_text(entry)


def test_only_admin_holds_the_right_by_default(app):
    with app.app_context():
        sm = app.appbuilder.sm
        for role in ("Leader", "Manager", "Clerk", "Viewer"):
            held = {(p.permission.name, p.view_menu.name) for p in sm.find_role(role).permissions}
            assert ("can_import_history", "SupervisionItem") not in held, role
        admin = {(p.permission.name, p.view_menu.name) for p in sm.find_role("Admin").permissions}
        assert ("can_import_history", "SupervisionItem") in admin
        assert not any(name == "can_import_history" and view == "Personnel" for name, view in admin)


def test_the_api_refuses_historical_mode_for_a_list_without_a_workflow(app):
    client, headers = api_client(app, "admin", "en")
    data = xlsx([["姓名"], ["历史人员"]])
    response = post_api(client, headers, data, "人员.xlsx", url="/api/v1/personnel/import", historical="1",
                        action="check")
    assert response.status_code == 400 and "no workflow state" in response.json["message"]


def test_historical_mode_adds_new_records_only(app):
    client, headers = api_client(app, "admin", "en")
    tag = f"HIS-{marker()}"
    response = post_api(client, headers, ledger([f"{tag}-1", "更新", "2025-06-30", "已办结", None, None]),
                        f"{tag}.xlsx", historical="1", mode="upsert", action="write")
    assert response.status_code == 422 and "only adds new records" in response.json["refused"]
    assert items(app, tag) == {}


def test_a_manager_needs_the_import_rights_beside_the_historical_one(app, as_role):
    """The historical right widens an import, it is not one: a Manager (who reads and approves)
    granted it in the console is still refused until he may import and add as well."""
    tag = f"HIS-{marker()}"
    grant_in_console(app, as_role("admin", "en"), "Manager")
    client, headers = api_client(app, "manager", "en")
    data = ledger([f"{tag}-1", "处长导入", "2025-06-30", "长期跟踪", None, None])
    response = post_api(client, headers, data, f"{tag}.xlsx", historical="1", action="write")
    assert response.status_code == 403 and response.json["message"] == "You may not import into this list."
    with app.app_context():                       # the role screen's grants, as an admin makes them there
        sm = app.appbuilder.sm
        manager = sm.find_role("Manager")
        for act in ("can_import", "can_add"):
            sm.add_permission_role(manager, sm.find_permission_view_menu(act, "SupervisionItem"))
    response = post_api(client, headers, data, f"{tag}.xlsx", historical="1", action="write")
    assert response.status_code == 200, response.json
    ((pk, state),) = items(app, tag).values()
    assert state == "LONG_TERM" and status_lines(app, pk) == [("import", None, "LONG_TERM")]
