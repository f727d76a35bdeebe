"""The import API (`POST /api/v1/<entity>/import`, app/screens/import_api.py): the page's
checks for a script, answering JSON — the header row, the mapping used, warnings, counts
and every problem as {row, column, value, reason} in the user's language — with the
page's rights, and refusals a script can act on.
"""
from __future__ import annotations

import io
import json
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from models.supervision import SupervisionItem
from tests.factories import make
from tests.helpers import api_client
from tests.test_import import sheet_rows, xlsx

URL = "/api/v1/supervision_item/import"


def post(client, headers, data: bytes, name="督办台账.xlsx", **fields):
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post(URL, data=form, headers=headers, content_type="multipart/form-data")


def tag() -> str:
    return uuid.uuid4().hex[:8].upper()


def numbered(app, number: str) -> SupervisionItem | None:
    with app.app_context():
        item = db.session.scalar(select(SupervisionItem).where(SupervisionItem.item_no == number))
        if item is not None:
            db.session.expunge(item)
        return item


def item_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SupervisionItem))


def ledger(*rows) -> bytes:
    """A supervision ledger as clerks keep it: a title row above the header, a 序号 column."""
    return xlsx([["2026年督办事项台账"], ["序号", "督办编号", "标题", "办理时限"],
                 *[[i, *row] for i, row in enumerate(rows, start=1)]])


def test_check_answers_the_report_and_writes_nothing(app):
    client, headers = api_client(app, "clerk", "en")
    number = f"API-{tag()}"
    before = item_count(app)
    response = post(client, headers, ledger([number, "接口检查", "2026-06-30"]), action="check")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["ok"] is True and body["action"] == "check" and body["mode"] == "insert"
    assert body["header_row"] == 2
    assert body["mapping"] == {"item_no": "督办编号", "title": "标题", "due_date": "办理时限"}
    assert body["counts"] == {"rows": 1, "created": 0, "updated": 0, "problems": 0}
    assert any("Row 1 is a title" in w for w in body["warnings"])
    assert any("序号" in w for w in body["warnings"])
    assert item_count(app) == before


def test_write_imports_and_counts(app):
    client, headers = api_client(app, "clerk", "en")
    first, second = f"API-{tag()}", f"API-{tag()}"
    response = post(client, headers, ledger([first, "接口导入一", "2026-06-30"], [second, "接口导入二", None]),
                    action="write")
    assert response.status_code == 200, response.json
    assert response.json["counts"]["created"] == 2
    assert numbered(app, first).title == "接口导入一" and numbered(app, second).created_by == "clerk"


def test_write_in_update_mode_changes_the_record(app):
    client, headers = api_client(app, "clerk", "en")
    number = f"API-{tag()}"
    with app.app_context():
        make(db.session, SupervisionItem, item_no=number, title="旧标题", created_by="clerk")
        db.session.commit()
    response = post(client, headers, xlsx([["督办编号", "标题"], [number, "接口改的标题"]]),
                    action="write", mode="update")
    assert response.status_code == 200, response.json
    assert response.json["counts"] == {"rows": 1, "created": 0, "updated": 1, "problems": 0}
    assert numbered(app, number).title == "接口改的标题"


@pytest.mark.parametrize("lang,reason", [("en", "Required, but the cell is empty"), ("zh", "必填，但未填写")])
def test_every_problem_is_listed_with_row_column_value_and_reason_in_the_users_language(app, lang, reason):
    client, headers = api_client(app, "clerk", lang)
    number = f"API-{tag()}"
    before = item_count(app)
    response = post(client, headers, ledger([number, "好的一行", "2026-06-30"], [f"API-{tag()}", None, "2026-02-30"],
                                            [number, "重复编号", None]), action="write")
    assert response.status_code == 422
    problems = response.json["problems"]
    assert {"row": 4, "column": "标题", "value": "", "reason": reason} in problems
    assert any(p["row"] == 4 and p["column"] == "办理时限" and p["value"] == "2026-02-30" for p in problems)
    assert any(p["row"] == 5 and p["column"] == "督办编号" and p["value"] == number for p in problems)
    assert response.json["counts"]["problems"] == len(problems) and response.json["ok"] is False
    assert item_count(app) == before                                    # nothing written


def test_the_api_reports_what_the_page_reports_for_the_same_file(app, as_role):
    data = ledger([f"API-{tag()}", None, "2026-02-30"], [f"API-{tag()}", "好", "明天"], [f"API-{tag()}", "好", None])
    client, headers = api_client(app, "clerk", "zh")
    api = post(client, headers, data, action="check").json
    page_client = as_role("clerk", "zh")
    page = page_client.post("/supervisionitemview/import/", data={"file": (io.BytesIO(data), "督办台账.xlsx"),
                                                                  "check_only": "1"},
                            content_type="multipart/form-data").get_data(as_text=True)
    token = page.split("/supervisionitemview/import/report/")[1].split("/")[0]
    rows = sheet_rows(page_client.get(f"/supervisionitemview/import/report/{token}/").data)
    on_page = {int(r[0]): r[-1] for r in rows[1:]}
    from_api: dict[int, list[str]] = {}
    for p in api["problems"]:
        from_api.setdefault(p["row"], []).append(f"{p['column']}: {p['reason']}" if p["column"] else p["reason"])
    assert on_page == {row: "; ".join(reasons) for row, reasons in from_api.items()}
    assert set(on_page) == {3, 4}
    for warning in api["warnings"]:
        assert warning in page


def test_a_mapping_names_the_files_own_headers(app):
    client, headers = api_client(app, "clerk", "en")
    number = f"API-{tag()}"
    data = xlsx([["事项编码", "事项名", "说明"], [number, "按映射导入", "不导入"]])
    mapping = json.dumps({"item_no": "事项编码", "title": "事项名"}, ensure_ascii=False)
    response = post(client, headers, data, action="write", mapping=mapping)
    assert response.status_code == 200, response.json
    assert response.json["mapping"] == {"item_no": "事项编码", "title": "事项名"}
    assert numbered(app, number).title == "按映射导入"


@pytest.mark.parametrize("lang,texts", [
    ("en", ["The mapping names columns the file does not have: 没有这列",
            "The mapping names fields this list does not have: nonsense",
            "The mapping must be a JSON object"]),
    ("zh", ["映射中的列在文件中不存在：没有这列", "映射中的字段本列表没有：nonsense", "映射须是 JSON 对象"]),
])
def test_a_wrong_mapping_is_refused_with_the_reason(app, lang, texts):
    client, headers = api_client(app, "clerk", lang)
    data = xlsx([["督办编号", "标题"], [f"API-{tag()}", "映射错误"]])
    before = item_count(app)
    absent = post(client, headers, data, action="write", mapping=json.dumps({"title": "没有这列"}))
    unknown = post(client, headers, data, action="write", mapping=json.dumps({"nonsense": "标题"}))
    malformed = post(client, headers, data, action="write", mapping="[1, 2]")
    assert absent.status_code == 422 and texts[0] in absent.json["refused"]
    assert unknown.status_code == 422 and texts[1] in unknown.json["refused"]
    assert malformed.status_code == 400 and texts[2] in malformed.json["message"]
    assert item_count(app) == before


@pytest.mark.parametrize("lang,texts", [
    ("en", ["Unknown import mode replace", "Unknown action delete", "This is not an Excel workbook",
            "Choose the Excel file to import."]),
    ("zh", ["未知的导入方式 replace", "未知的操作 delete", "不是 Excel 工作簿", "请选择要导入的 Excel 文件"]),
])
def test_bad_requests_are_refused_with_a_clear_message(app, lang, texts):
    client, headers = api_client(app, "clerk", lang)
    good = xlsx([["督办编号", "标题"], [f"API-{tag()}", "请求错误"]])
    mode = post(client, headers, good, mode="replace")
    action = post(client, headers, good, action="delete")
    malformed = post(client, headers, b"not a workbook at all", name="台账.xlsx", action="write")
    missing = client.post(URL, data={"action": "check"}, headers=headers, content_type="multipart/form-data")
    assert mode.status_code == 400 and texts[0] in mode.json["message"]
    assert action.status_code == 400 and texts[1] in action.json["message"]
    assert malformed.status_code == 422 and texts[2] in malformed.json["refused"]
    assert missing.status_code == 400 and texts[3] in missing.json["message"]


@pytest.mark.parametrize("lang,text", [("en", "You may not import into this list."), ("zh", "您无权向本列表导入")])
def test_a_role_without_the_import_right_is_refused(app, lang, text):
    client, headers = api_client(app, "viewer", lang)
    before = item_count(app)
    response = post(client, headers, xlsx([["督办编号", "标题"], [f"API-{tag()}", "无权导入"]]), action="write")
    assert response.status_code == 403 and text in response.json["message"]
    assert item_count(app) == before


def test_update_needs_the_edit_right(app, monkeypatch):
    sm = app.appbuilder.sm
    real = type(sm).has_access
    monkeypatch.setattr(type(sm), "has_access", lambda self, name, view: name != "can_edit" and real(self, name, view))
    client, headers = api_client(app, "clerk", "en")
    response = post(client, headers, xlsx([["督办编号", "标题"], [f"API-{tag()}", "无权修改"]]),
                    action="write", mode="upsert")
    assert response.status_code == 403 and "You may not change records of this list." in response.json["message"]


def test_the_import_needs_a_token(app):
    response = app.test_client().post(URL, data={"file": (io.BytesIO(b"x"), "a.xlsx")},
                                      content_type="multipart/form-data")
    assert response.status_code == 401


def test_the_openapi_spec_describes_the_import(app):
    client, headers = api_client(app, "admin")
    spec = client.get("/api/v1/_openapi", headers=headers).json
    operation = spec["paths"]["/api/v1/supervision_item/import"]["post"]
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(form["properties"]) == {"file", "mode", "action", "mapping", "historical"}
    assert {"200", "400", "403", "422"} <= set(operation["responses"])
    assert "problems" in spec["components"]["schemas"]["ImportReport"]["properties"]
