"""Ledgers as clerks keep them import as they are (issue 18): a title and a note above the
header, a two-row header with merged cells, a 序号 column and columns of their own, units
by the names people use, dates written every Chinese way — and every problem of every row
reported at once, by the file's own row numbers, in the user's language."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import select

from app.extensions import db
from models.hotline import HotlineCase
from models.org import Department, UnitAlias
from models.supervision import SupervisionItem
from tests.factories import make
from tests.test_import import sheet_rows, upload


def workbook(rows: list[list], merged: tuple[str, ...] = ()) -> bytes:
    """A sheet as a clerk's Excel has it: rows from row 1, None an empty cell, merged ranges."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    for cells in merged:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Units as the unit list holds them: full name, short name.
UNITS = {
    "厦门市发展和改革委员会": "市发改委",
    "厦门市应急管理局": "市应急局",
    "厦门市住房和建设局": "市建设局",
    "厦门市卫生健康委员会": "市卫健委",
    "海沧区人民政府": "海沧区政府",
}


def units(app) -> dict[str, int]:
    """The units of UNITS, created once per database (a name twice would be ambiguous)."""
    with app.app_context():
        out = {}
        for name, short in UNITS.items():
            unit = db.session.scalar(select(Department).where(Department.name_zh == name,
                                                              Department.is_deleted.is_(False)))
            if unit is None:
                unit = make(db.session, Department, name_zh=name, short_name_zh=short, unit_type="MUNI_DEPT")
            out[name] = unit.id
        db.session.commit()
        return out


def items(app, prefix: str) -> dict[str, SupervisionItem]:
    with app.app_context():
        rows = db.session.scalars(select(SupervisionItem).where(SupervisionItem.item_no.like(f"{prefix}%"))).all()
        db.session.expunge_all()
        return {row.item_no: row for row in rows}


# --- a supervision ledger as kept on paper ---------------------------------------------------------
def supervision_ledger(prefix: str) -> bytes:
    """Title, note, a blank row, a two-row header (序号, 督办编号, 标题 merged down; 办理情况 over
    three columns), a column of the ledger's own, a blank row among the data."""
    return workbook([
        ["2026年市政府重点督办事项台账"],
        ["填报单位：督查室", None, None, "填报日期：2026年3月"],
        [],
        ["序号", "督办编号", "标题", "办理情况", None, None, "是否公开"],
        [None, None, None, "牵头单位", "立项日期", "办理时限", None],
        [1, f"{prefix}-001", "推进重点项目前期工作", "市发展改革委", "2026年3月1日", "２０２６／６／３０", "是"],
        [],
        [2, f"{prefix}-002", "防汛备汛检查", "厦门市应急管理局", "2026.3.2", 20260630, "否"],
        [3, f"{prefix}-003", "老旧小区改造", "市住房城乡建设局", dt.date(2026, 3, 3), "46203", None],
        [4, f"{prefix}-004", "基层医疗服务", "厦门市卫生健康委", "2026/3/4", "2026-06-30", None],
        [5, f"{prefix}-005", "海沧片区开发", "海沧区", "20260305", "2026年6月30号", None],
    ], merged=("A1:G1", "A4:A5", "B4:B5", "C4:C5", "D4:F4", "G4:G5"))


def test_a_paper_supervision_ledger_imports_as_it_is(app, as_role):
    unit = units(app)
    page = upload(as_role("admin", "en"), supervision_ledger("DB-LEDGER"), view="supervisionitemview",
                  name="台账.xlsx").get_data(as_text=True)
    assert "Imported 5 records" in page
    for said in ("Row 1 is a title: skipped.", "Row 2 is a note above the header: skipped.",
                 "Row 4 is a group header: read with the header in row 5.",
                 "The column 序号 is ignored", "Columns this list has no field for were not imported: 是否公开."):
        assert said in page
    found = items(app, "DB-LEDGER")
    assert [found[f"DB-LEDGER-00{i}"].lead_department_id for i in range(1, 6)] == [
        unit["厦门市发展和改革委员会"], unit["厦门市应急管理局"], unit["厦门市住房和建设局"],
        unit["厦门市卫生健康委员会"], unit["海沧区人民政府"]]
    assert [found[f"DB-LEDGER-00{i}"].opened_at for i in range(1, 6)] == [dt.date(2026, 3, d) for d in range(1, 6)]
    assert {found[f"DB-LEDGER-00{i}"].due_date for i in range(1, 6)} == {dt.date(2026, 6, 30)}


def test_the_skipped_rows_are_named_in_chinese(app, as_role):
    units(app)
    page = upload(as_role("admin", "zh"), supervision_ledger("DB-LEDZH"), view="supervisionitemview",
                  check_only=True).get_data(as_text=True)
    assert "第1行是标题，已跳过" in page and "第2行是表头上方的说明，已跳过" in page
    assert "第4行是分组表头，与第5行的表头合并读取" in page and "是否公开" in page
    assert items(app, "DB-LEDZH") == {}          # only checked


# --- one pass, every problem ------------------------------------------------------------------------
def planted_errors() -> bytes:
    return workbook([
        ["2026年督办事项台账（错误样本）"],
        ["序号", "督办编号", "标题", "牵头单位", "立项日期", "办理时限"],
        [1, "DB-PLANT-OLD", "库中已有编号，日期不存在", "市发改委", "2026-02-30", "2026-06-30"],
        [2, "DB-PLANT-002", "单位写错，立项日期写错", "市发展改委", "去年", "2026-06-30"],
        [],
        [3, "DB-PLANT-002", "文件内重复，月份不存在", "市应急局", "2026-03-01", "2026年13月1日"],
        [4, "DB-PLANT-004", None, "市应急局", "2026-05-01", "2026-04-01"],
        [5, "DB-PLANT-005", "这一行是好的", "市应急局", "2026-03-01", "2026-06-30"],
    ])


def test_every_problem_of_every_row_is_reported_at_once_by_the_files_row_numbers(app, as_role):
    units(app)
    with app.app_context():
        if not items(app, "DB-PLANT-OLD"):
            make(db.session, SupervisionItem, item_no="DB-PLANT-OLD", title="已有")
            db.session.commit()
    client = as_role("admin", "en")
    page = client.post("/supervisionitemview/import/", data={"file": (io.BytesIO(planted_errors()), "错.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Nothing was imported: 4 of 5 rows have problems" in page
    token = page.split("/supervisionitemview/import/report/")[1].split("/")[0]
    report = {int(row[0]): row[-1] for row in sheet_rows(client.get(f"/supervisionitemview/import/report/{token}/")
                                                          .data)[1:]}
    assert sorted(report) == [3, 4, 6, 7]        # the file's rows: a title above, a blank row between
    # a cell error does not hide the row's uniqueness
    assert "2026-02 has no day 30" in report[3] and "Already used by an existing record" in report[3]
    assert "Not a date" in report[4]
    # the closest name first, and one name per unit (not its alias 市发改委 beside it); other tests'
    # units may follow it
    assert "No such record that you may use: 市发展改委. Did you mean 市发展改革委" in report[4]
    offered = report[4].split("Did you mean ")[1].split("?")[0].split("、")
    assert offered[0] == "市发展改革委"
    same_unit = [name for name in offered if any(word in name for word in ("发改", "发展改革", "发展和改革"))]
    assert same_unit == ["市发展改革委"]
    assert "There is no month 13" in report[6] and "Same as row 4: must be unique" in report[6]
    # nor a rule: the empty title and the due date before the opening date, on one row
    assert "Required, but the cell is empty" in report[7]
    assert "The due date cannot be earlier than the opening date." in report[7]
    assert "DB-PLANT-002" in page and items(app, "DB-PLANT-00") == {}


def test_planted_errors_read_in_chinese(app, as_role):
    units(app)
    page = upload(as_role("admin", "zh"), planted_errors(), view="supervisionitemview").get_data(as_text=True)
    assert "2026年2月没有30日" in page and "没有13月" in page
    assert "您是不是要找" in page and "与第 4 行重复" in page


# --- lookups by the words of practice; labels, never codes --------------------------------------
def test_a_lookup_by_a_shorter_word_and_a_duplicate_shown_as_written(as_role):
    header = ["建议提案类型", "届次", "建议提案号", "标题"]
    data = workbook([header,
                     ["代表建议", "十六届九次", 9301, "代表建议简称"],
                     ["政协提案", "十六届九次", 9301, "另一类同号"],
                     ["人大代表建议", "十六届九次", 9301, "同类同号"]])
    page = upload(as_role("admin", "en"), data, view="proposalview", check_only=True).get_data(as_text=True)
    assert "Same as row 2: must be unique" in page          # 代表建议 is 人大代表建议
    assert "人大代表建议 / 十六届九次 / 9301" in page and "NPC_JIANYI" not in page
    data = workbook([header, ["代表建议", "十六届九次", 9302, "代表建议简称"],
                     ["政协提案", "十六届九次", 9302, "另一类同号"]])
    page = upload(as_role("admin", "en"), data, view="proposalview", check_only=True).get_data(as_text=True)
    assert "All 2 rows are correct" in page


def test_a_word_that_fits_several_entries_names_them_in_the_users_language(as_role):
    data = workbook([["接报时间", "诉求类型", "诉求内容", "一级分类"],
                     ["2026-03-01 09:00", "咨询", "多义分类", "环境"]])
    page = upload(as_role("clerk", "zh"), data, view="hotlinecaseview", check_only=True).get_data(as_text=True)
    assert "环境 可指多项：生态环境、营商环境" in page


def test_two_level_categories_by_path_and_chinese_date_times(app, as_role):
    data = workbook([
        ["接报时间", "诉求类型", "诉求内容", "一级分类", "二级分类"],
        ["2026年3月1日9时30分", "咨询", "路径导入一", "城市管理", "城市管理/市政设施"],
        ["２０２６年３月２日 １０：１５", "咨询", "路径导入二", "城市管理", "城市管理-排水与内涝"],
        ["2026-03-03 8点半", "咨询", "路径导入三", "城市管理", "城市管理>园林绿化"],
    ])
    page = upload(as_role("clerk", "en"), data, view="hotlinecaseview").get_data(as_text=True)
    assert "Imported 3 records" in page
    with app.app_context():
        cases = {c.content: c for c in db.session.scalars(select(HotlineCase).where(
            HotlineCase.content.like("路径导入%")))}
        assert [cases[f"路径导入{n}"].topic_l2 for n in "一二三"] == ["SHIZHENG", "PAISHUI", "LVHUA"]
        assert [cases[f"路径导入{n}"].received_at for n in "一二三"] == [
            dt.datetime(2026, 3, 1, 9, 30), dt.datetime(2026, 3, 2, 10, 15), dt.datetime(2026, 3, 3, 8, 30)]


def test_a_path_under_the_wrong_parent_and_a_missing_day_are_said_as_such(app, as_role):
    data = workbook([
        ["接报时间", "诉求类型", "诉求内容", "一级分类", "二级分类"],
        ["2026-02-30 10:00", "咨询", "错路径", "交通运输", "交通运输/市政设施"],
    ])
    page = upload(as_role("clerk", "zh"), data, view="hotlinecaseview").get_data(as_text=True)
    assert "2026年2月没有30日" in page and "市政设施不在交通运输之下" in page


# --- unit aliases: seeded, and edited by admins in the console ---------------------------------------
def test_the_usual_names_are_seeded_and_an_admin_adds_one_in_the_console(app, as_role):
    admin = as_role("admin", "zh")
    listing = admin.get("/console/unit-aliases/").get_data(as_text=True)
    assert "市发展改革委" in listing and "市住房城乡建设局" in listing and "海沧区" in listing
    unit = units(app)
    data = workbook([["督办编号", "标题", "牵头单位"], ["DB-ALIAS-001", "别名导入", "发改部门"]])
    refused = upload(admin, data, view="supervisionitemview").get_data(as_text=True)
    assert "找不到您可使用的记录：发改部门" in refused
    response = admin.post("/console/unit-aliases/new/", follow_redirects=True,
                          data={"alias": "发改部门", "unit_name": "厦门市发展和改革委员会"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(UnitAlias.unit_name).where(UnitAlias.alias == "发改部门")) == \
            "厦门市发展和改革委员会"
    assert "导入 1 条记录" in upload(admin, data, view="supervisionitemview").get_data(as_text=True)
    assert items(app, "DB-ALIAS")["DB-ALIAS-001"].lead_department_id == unit["厦门市发展和改革委员会"]


def test_unit_aliases_are_not_for_the_console_of_a_clerk(as_role):
    assert as_role("clerk", "en").get("/console/unit-aliases/").status_code in (302, 403)
