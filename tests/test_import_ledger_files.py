"""A ledger's file uploaded on its entity's import page (issue 18, item 2): the 收文登记簿 a
clerk exported or kept by hand imports into Documents as incoming documents, with no
收发类别 column and no mapping — the importer recognises the ledger by the file's title
or by its columns, says so in the report, and a column of the file always wins."""
from __future__ import annotations

import datetime as dt
import io
import uuid

from sqlalchemy import select

from app.extensions import db
from models.documents import Document
from tests.helpers import api_client
from tests.test_import import unit, upload
from tests.test_import_ledgers import workbook
from tests.test_import_mapping import review, send, token_of

VIEW = "documentview"


def marker() -> str:
    return uuid.uuid4().hex[:8].upper()


def documents(app, tag: str) -> list[Document]:
    with app.app_context():
        found = db.session.scalars(select(Document).where(Document.title.like(f"%{tag}%"))
                                   .order_by(Document.id)).all()
        db.session.expunge_all()
        return found


def clerks_register(tag: str, issuer: str, lead: str, *, title: str = "2025年收文登记簿",
                    bad_day: bool = False) -> bytes:
    """A 收文登记簿 as a clerk keeps it: a title row, a note, 序号, the paper's own headers,
    dates written the Chinese way, full-width digits, a blank row, units by short names."""
    return workbook([
        [title],
        ["填报单位：市政府办公厅秘书处", None, None, None, "填报日期：2025年12月31日"],
        ["序号", "收文日期", "来文单位", "来文字号", "文件标题", "密级", "份数", "承办单位", "办结时限", "办理情况",
         "备注"],
        [1, "2025年3月5日", issuer, "厦发改〔2025〕12号", f"关于报送项目计划的函{tag}", "非密", "２", lead,
         "2025年2月30日" if bad_day else "2025年3月20日", "已办结", "原件存档"],
        [None] * 11,
        [2, "2025.3.6", issuer, "厦发改〔2025〕13号", f"关于征求意见的函{tag}", "内部", 1, lead, "2025/3/25", "",
         ""],
    ])


def test_a_clerks_incoming_register_imports_as_incoming_documents(app, as_role):
    tag = marker()
    issuer = unit(app, f"厦门市来文局{tag}")
    lead = unit(app, f"厦门市承办局{tag}")
    page = upload(as_role("admin", "zh"), clerks_register(tag, f"来文局{tag}", f"市承办局{tag}"), view=VIEW,
                  name="收文登记簿.xlsx").get_data(as_text=True)
    assert "导入 2 条记录" in page
    assert "第1行是标题，已跳过。" in page
    assert "按文件标题识别为“收文登记簿”，各行均按该台账的固定值导入（收发类别：收文）。" in page
    assert "序号" in page                                   # the running number ignored, and said so
    first, second = documents(app, tag)
    assert (first.direction, first.status, first.received_at, first.issuer_id, first.source_doc_no) == (
        "INCOMING", "PENDING_SIGN", dt.datetime(2025, 3, 5), issuer, "厦发改〔2025〕12号")
    assert (first.copies, first.lead_department_id, first.due_date, first.handling_result, first.remark) == (
        2, lead, dt.date(2025, 3, 20), "已办结", "原件存档")
    assert (second.direction, second.secrecy_level, second.received_at, second.due_date) == (
        "INCOMING", "NEIBU", dt.datetime(2025, 3, 6), dt.date(2025, 3, 25))


def test_a_bad_row_of_the_register_is_named_and_nothing_is_written(app, as_role):
    tag = marker()
    unit(app, f"厦门市来文局{tag}")
    page = upload(as_role("admin", "zh"), clerks_register(tag, f"来文局{tag}", f"市无此局{tag}", bad_day=True),
                  view=VIEW, name="收文登记簿.xlsx").get_data(as_text=True)
    assert "2025年2月没有30日" in page
    assert f"市无此局{tag}" in page                           # the unknown unit, in the same pass
    assert documents(app, tag) == []


def test_the_register_is_recognised_by_its_columns_without_a_title(app, as_role):
    tag = marker()
    data = workbook([["收文编号", "来文字号", "标题"], [f"SW-{tag}", "闽政〔2025〕1号", f"来文{tag}"]])
    page = upload(as_role("admin", "en"), data, view=VIEW, name="register.xlsx").get_data(as_text=True)
    assert "Imported 1 records" in page
    assert "read as the ledger Incoming documents register (by its columns)" in page
    assert [d.direction for d in documents(app, tag)] == ["INCOMING"]


def test_the_outgoing_register_gives_its_rows_the_outgoing_direction(app, as_role):
    tag = marker()
    data = workbook([["发文登记簿"], ["发文字号", "标题", "成文日期"], ["", f"发文{tag}", "2025年4月1日"]])
    page = upload(as_role("admin", "en"), data, view=VIEW, name="register.xlsx").get_data(as_text=True)
    assert "Imported 1 records" in page
    assert [(d.direction, d.status, d.written_date) for d in documents(app, tag)] == [
        ("OUTGOING", "DRAFT", dt.date(2025, 4, 1))]


def test_a_register_of_both_directions_names_neither(app, as_role):
    """收发文登记簿 holds 发文登记簿 run into 收文登记簿's first character: a register of both
    needs its direction column, and says so."""
    tag = marker()
    data = workbook([["2025年收发文登记簿"], ["标题", "备注"], [f"混合{tag}", ""]])
    page = upload(as_role("admin", "en"), data, view=VIEW, name="register.xlsx").get_data(as_text=True)
    assert "Required columns are missing: Document direction." in page
    assert "read as the ledger" not in page
    assert documents(app, tag) == []


def test_a_direction_column_of_the_file_wins_over_the_title(app, as_role):
    tag = marker()
    data = workbook([["2025年收文登记簿"], ["收发类别", "标题"], ["发文", f"发文{tag}"]])
    page = upload(as_role("admin", "en"), data, view=VIEW, name="register.xlsx").get_data(as_text=True)
    assert "Imported 1 records" in page and "read as the ledger" not in page
    assert [d.direction for d in documents(app, tag)] == ["OUTGOING"]


def test_the_mapping_step_says_how_the_register_is_read_and_asks_no_direction(app, as_role):
    tag = marker()
    issuer = unit(app, f"厦门市来文局{tag}")
    lead = unit(app, f"厦门市承办局{tag}")
    client = as_role("admin", "en")
    page = review(client, clerks_register(tag, f"来文局{tag}", f"市承办局{tag}"), view=VIEW)
    assert "read as the ledger Incoming documents register (named in its title)" in page
    # the clerk leaves the date out and imports: no direction column asked for
    response = send(client, token_of(page), {"title": "4", "issuer": "2", "lead_department": "7",
                                              "received_at": ""}, view=VIEW)
    assert "Imported 2 records" in response.get_data(as_text=True)
    found = documents(app, tag)
    assert [(d.direction, d.issuer_id, d.lead_department_id, d.received_at) for d in found] == [
        ("INCOMING", issuer, lead, None)] * 2



def test_the_import_api_reads_the_register_as_the_page_does(app):
    """A script posting the register gets the same reading: the warning, the rows written
    as incoming documents."""
    tag = marker()
    issuer = unit(app, f"厦门市来文局{tag}")
    lead = unit(app, f"厦门市承办局{tag}")
    client, headers = api_client(app, "admin", "en")
    form = {"file": (io.BytesIO(clerks_register(tag, f"来文局{tag}", f"市承办局{tag}")), "收文登记簿.xlsx"),
            "action": "write"}
    response = client.post("/api/v1/document/import", data=form, headers=headers,
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["counts"]["created"] == 2 and "direction" not in body["mapping"]
    assert any("read as the ledger Incoming documents register (named in its title)" in w for w in body["warnings"])
    assert [(d.direction, d.issuer_id, d.lead_department_id) for d in documents(app, tag)] == [
        ("INCOMING", issuer, lead)] * 2
