"""Excel import: the template, every kind of refusal (nothing written, each bad cell
reported by row and column), all-or-nothing writes, audit, scope and the round trip
from an export."""
from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

import xlsxwriter
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from app.extensions import db
from models.audit import AuditLog
from models.hotline import HotlineCase
from models.org import Department, Personnel
from models.supervision import SupervisionItem, UrgeRecord
from models.workflow import StatusLog
from tests.factories import make


def xlsx(rows: list[list], sheet: str = "Data") -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, value, wb.add_format({"num_format": "yyyy-mm-dd"}))
            elif value is not None:
                ws.write(r, c, value)
    wb.close()
    return out.getvalue()


def upload(client, data: bytes, view="personnelview", name="名单.xlsx", check_only=False):
    form = {"file": (io.BytesIO(data), name)}
    if check_only:
        form["check_only"] = "1"
    return client.post(f"/{view}/import/", data=form, content_type="multipart/form-data", follow_redirects=True)


def unit(app, name: str, **values) -> int:
    with app.app_context():
        dept = make(db.session, Department, name_zh=name, name_en=f"{name} (en)", **values)
        db.session.commit()
        return dept.id


def people(app, department_id: int) -> list[Personnel]:
    with app.app_context():
        rows = db.session.scalars(select(Personnel).where(Personnel.department_id == department_id,
                                                          Personnel.is_deleted.is_(False))
                                  .order_by(Personnel.id)).all()
        db.session.expunge_all()
        return rows


def audit_rows(app, action: str, entity: str) -> list[AuditLog]:
    with app.app_context():
        rows = db.session.scalars(select(AuditLog).where(AuditLog.action == action, AuditLog.entity == entity)
                                  .order_by(AuditLog.id.desc())).all()
        db.session.expunge_all()
        return rows


def sheet_rows(data: bytes, index: int = 0) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(index).to_python()


# --- the template ---------------------------------------------------------------------------
def test_template_in_chinese_marks_required_columns_and_has_drop_downs(as_role):
    response = as_role("clerk", "zh").get("/personnelview/import/template/")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names[:2] == ["数据", "填写说明"]
    header = book.get_sheet_by_index(0).to_python()[0]
    assert "姓名 *" in header and "性别" in header and "单位" in header
    assert "身份证号" in header                     # a clerk registers it, even if lists mask it
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<dataValidation" in sheet and "Lists!" in sheet
    guide = book.get_sheet_by_index(1).to_python()
    assert any("男" in str(cell) and "女" in str(cell) for row in guide for cell in row)


def test_template_in_english(as_role):
    response = as_role("clerk", "en").get("/personnelview/import/template/")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names[:2] == ["Data", "Instructions"]
    header = book.get_sheet_by_index(0).to_python()[0]
    assert "Full name *" in header and "Gender" in header and "Department" in header


# --- a good file ------------------------------------------------------------------------------
def test_clerk_imports_rows_naming_values_in_either_language_or_by_code(app, as_role):
    dept = unit(app, "导入甲处", code="IMP-A")
    data = xlsx([
        ["姓名", "性别", "单位", "出生日期", "参加工作时间", "职务", "备注"],
        ["导入一", "男", "导入甲处", dt.date(1980, 5, 1), "2001-07-01", "=1+1", "首行"],
        ["导入二", "Female", "导入甲处 (en)", "1985/6/2", "2003年8月1日", "科员", None],
        ["导入三", "2", "IMP-A", None, 20100901, "副科长", None],
    ])
    page = upload(as_role("clerk", "en"), data).get_data(as_text=True)
    assert "Imported 3 records" in page
    rows = people(app, dept)
    assert [p.name for p in rows] == ["导入一", "导入二", "导入三"]
    assert [p.gender for p in rows] == ["1", "2", "2"]
    assert rows[0].birth_date == dt.date(1980, 5, 1) and rows[1].birth_date == dt.date(1985, 6, 2)
    assert [p.work_start_date for p in rows] == [dt.date(2001, 7, 1), dt.date(2003, 8, 1), dt.date(2010, 9, 1)]
    assert rows[0].post_title == "=1+1"              # kept as text, never evaluated
    assert {p.created_by for p in rows} == {"clerk"} and {p.row_version for p in rows} == {1}
    (act, *_) = audit_rows(app, "IMPORT", "Personnel")
    assert act.username == "clerk" and "3" in act.detail and "名单.xlsx" in act.detail
    inserts = [a for a in audit_rows(app, "INSERT", "Personnel") if a.record_id in {p.id for p in rows}]
    assert len(inserts) == 3 and inserts[-1].changes["name"] == [None, "导入一"]
    assert "1980-05-01" not in str(inserts[-1].changes)   # the birth date is personal data: masked in the trail


def test_check_only_writes_nothing(app, as_role):
    dept = unit(app, "仅检查处")
    data = xlsx([["姓名", "单位"], ["检查一", "仅检查处"], ["检查二", "仅检查处"]])
    page = upload(as_role("clerk", "en"), data, check_only=True).get_data(as_text=True)
    assert "All 2 rows are correct" in page
    assert people(app, dept) == []


def test_an_exported_file_imports_as_it_is(app, as_role):
    """Round trip: export a unit's staff, remove them for good, import the file: the same records."""
    dept = unit(app, "往返处")
    with app.app_context():
        for i, name in enumerate(["往返甲", "往返乙"]):
            make(db.session, Personnel, name=name, department_id=dept, gender="1", ethnicity="01",
                 birth_date=dt.date(1975 + i, 3, 4), political_status="01", education="BOSHI",
                 post_title="科员", remark=f"备注{i}", mobile="13800000000", id_card_no="350203197503040011")
        db.session.commit()
    fields = ["name", "gender", "ethnicity", "birth_date", "id_card_no", "political_status", "education",
              "post_title", "remark", "mobile", "department_id", "status"]
    before = [{f: getattr(p, f) for f in fields} for p in people(app, dept)]
    admin = as_role("admin", "zh")
    exported = admin.get(f"/personnelview/export/?_flt_0_department={dept}").data
    with app.app_context():
        db.session.execute(Personnel.__table__.delete().where(Personnel.department_id == dept))
        db.session.commit()
    page = upload(admin, exported).get_data(as_text=True)
    assert "导入 2 条记录" in page
    after = [{f: getattr(p, f) for f in fields} for p in people(app, dept)]
    assert sorted(after, key=lambda r: r["name"]) == sorted(before, key=lambda r: r["name"])


# --- refusals: nothing written, every bad cell named ------------------------------------------
def test_every_bad_cell_is_reported_and_nothing_is_written(app, as_role):
    dept = unit(app, "报错处")
    unit(app, "同名处")
    unit(app, "同名处")
    data = xlsx([
        ["姓名", "性别", "单位", "出生日期", "职务"],
        ["好的一行", "男", "报错处", "1990-01-01", "科员"],
        ["坏日期", "男", "报错处", "去年", "科员"],
        ["坏性别", "未知", "报错处", None, "科员"],
        ["无此单位", "女", "没有这个处", None, None],
        ["同名单位", "女", "同名处", None, None],
        [None, "女", "报错处", None, None],
        ["超长职务", "女", "报错处", None, "长" * 101],
    ])
    client = as_role("clerk", "en")
    page = client.post("/personnelview/import/", data={"file": (io.BytesIO(data), "bad.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Nothing was imported: 6 of 7 rows have problems" in page
    assert people(app, dept) == []
    for reason in ("Not a date", "Not one of the allowed values", "No such record that you may use",
                   "Several records are named", "Required, but the cell is empty", "Too long: at most 100 characters"):
        assert reason in page
    token = page.split("/personnelview/import/report/")[1].split("/")[0]
    report = client.get(f"/personnelview/import/report/{token}/")
    assert report.status_code == 200
    rows = sheet_rows(report.data)
    assert rows[0][0] == "Row in your file" and rows[0][-1] == "What is wrong"
    assert [int(r[0]) for r in rows[1:]] == [3, 4, 5, 6, 7, 8]
    assert rows[1][1] == "坏日期" and "出生日期: Not a date" in rows[1][-1]
    # someone else cannot fetch the report
    assert as_role("admin", "en").get(f"/personnelview/import/report/{token}/").status_code == 404
    (act, *_) = audit_rows(app, "IMPORT", "Personnel")
    from flask_babel import force_locale

    from app.history import detail_text

    with app.test_request_context(), force_locale("en"):
        assert "nothing imported" in detail_text(act)


def test_unique_values_within_the_file_and_against_the_table(app, as_role):
    with app.app_context():
        make(db.session, SupervisionItem, item_no="DB-2026-001", title="已有事项")
        db.session.commit()
        before = db.session.scalar(select(func.count()).select_from(SupervisionItem))
    data = xlsx([["督办编号", "标题"], ["DB-2026-001", "重复库中"], ["DB-2026-900", "新一"],
                 ["DB-2026-900", "文件内重复"]])
    page = upload(as_role("admin", "en"), data, view="supervisionitemview").get_data(as_text=True)
    assert "Already used by an existing record" in page and "Same as row 3: must be unique" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupervisionItem)) == before


def test_a_domain_rule_refuses_the_row(app, as_role):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(HotlineCase))
    data = xlsx([["接报时间", "诉求类型", "诉求内容", "回复时间"],
                 ["2026-11-02 09:30", "投诉", "投诉某单位违规收费", "2026-11-01 09:00"],
                 ["2026-11-02 10:00", "咨询", "咨询办事时间", ""]])
    page = upload(as_role("clerk", "en"), data, view="hotlinecaseview").get_data(as_text=True)
    assert "cannot be earlier than" in page and "(the record)" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HotlineCase)) == before


def test_a_rule_with_one_right_answer_is_applied_and_said(app, as_role):
    """A 12345 list has no "keep confidential" column: each 举报 comes in confidential, and
    the report says which rows were changed, instead of refusing them."""
    content = f"举报某单位违规收费{uuid.uuid4().hex[:6]}"
    data = xlsx([["接报时间", "诉求类型", "诉求内容"],
                 ["2026-11-02 09:30", "咨询", f"咨询办事时间{content}"],
                 ["2026-11-02 10:00", "举报", content]])
    page = upload(as_role("clerk", "zh"), data, view="hotlinecaseview", check_only=True).get_data(as_text=True)
    assert "第 3 行：" in page
    assert "举报件一律保密" in page and "已勾选" in page
    page = upload(as_role("clerk", "en"), data, view="hotlinecaseview").get_data(as_text=True)
    assert "Rows 3: A whistle-blowing report is always confidential: &#34;Keep confidential&#34; was ticked." in page
    with app.app_context():
        case = db.session.scalar(select(HotlineCase).where(HotlineCase.content == content))
        assert case is not None and case.keep_confidential is True


def test_workflow_records_start_in_their_initial_state_with_a_status_log(app, as_role):
    data = xlsx([["接报时间", "诉求类型", "诉求内容", "状态"],
                 ["2026-11-03 09:30", "咨询", "导入工作流测试", "已办结"]])
    page = upload(as_role("clerk", "en"), data, view="hotlinecaseview").get_data(as_text=True)
    assert "Imported 1 records" in page
    with app.app_context():
        case = db.session.scalar(select(HotlineCase).where(HotlineCase.content == "导入工作流测试"))
        assert case.status == "RECEIVED"     # the status column is skipped: only steps move it
        log = db.session.scalar(select(StatusLog).where(StatusLog.entity == "HotlineCase",
                                                        StatusLog.record_id == case.id))
        assert log.to_state == "RECEIVED" and log.actor == "clerk"


def test_file_level_refusals(app, as_role):
    client = as_role("clerk", "en")
    cases = [
        (b"", "empty.xlsx", "The file is empty"),
        (b"name,gender\n", "list.csv", "This is not an Excel workbook"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "This is not an Excel workbook"),
        (xlsx([]), "blank.xlsx", "The file holds no rows"),
        (xlsx([["姓名", "性别"]]), "header.xlsx", "a header row but no data rows"),
        (xlsx([["性别"], ["男"]]), "missing.xlsx", "Required columns are missing: Full name"),
        (xlsx([["姓名", "Full name"], ["张三", "张三"]]), "twice.xlsx", "appears twice"),
    ]
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Personnel))
    for data, name, message in cases:
        page = upload(client, data, name=name).get_data(as_text=True)
        assert message in page, name
    app.config["IMPORT_MAX_MB"], old = 0, app.config["IMPORT_MAX_MB"]
    try:
        assert "larger than 0 MB" in upload(client, xlsx([["姓名"], ["张三"]])).get_data(as_text=True)
    finally:
        app.config["IMPORT_MAX_MB"] = old
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Personnel)) == before


def test_refusals_read_in_chinese(as_role):
    page = upload(as_role("clerk", "zh"), xlsx([["性别", "鞋码"], ["男", "42"]])).get_data(as_text=True)
    assert "未导入任何记录" in page and "姓名" in page


# --- who may import what ----------------------------------------------------------------------
def test_a_clerk_cannot_attach_rows_to_a_record_outside_his_scope(app, as_role):
    with app.app_context():
        other = make(db.session, Department, name_zh="他处", parent_id=None)
        item = make(db.session, SupervisionItem, item_no="DB-SCOPE-1", title="他处事项", lead_department=other)
        db.session.commit()
        before = db.session.scalar(select(func.count()).select_from(UrgeRecord))
    data = xlsx([["督办事项", "催办方式"], ["DB-SCOPE-1", "电话"]])
    page = upload(as_role("clerk", "en"), data, view="urgerecordview").get_data(as_text=True)
    assert "No such record that you may use: DB-SCOPE-1" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UrgeRecord)) == before
    assert "Imported 1 records" in upload(as_role("admin", "en"), data, view="urgerecordview").get_data(as_text=True)
    assert item


def test_roles_without_import_neither_see_nor_reach_it(as_role):
    for role in ("viewer", "manager"):
        client = as_role(role, "en")
        assert "Import from Excel" not in client.get("/personnelview/list/").get_data(as_text=True)
        response = client.post("/personnelview/import/", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(xlsx([["姓名"], ["某"]])), "a.xlsx")})
        assert response.status_code in (302, 403)
    assert "Import from Excel" in as_role("clerk", "en").get("/personnelview/list/").get_data(as_text=True)
    assert as_role("admin", "en").get("/auditlogview/import/").status_code in (403, 404)   # a log takes no rows
