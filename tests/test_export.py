"""Excel export of a filtered list: exactly the filtered rows, headers in the user's language,
labels not codes, real dates, text that never turns into a formula."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from app.extensions import db
from models.base import today_cn
from models.org import Department, Personnel
from tests.factories import make


def _read(data: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def _setup(app):
    with app.app_context():
        unit = make(db.session, Department, name_zh="导出测试处", name_en="Export Test Division")
        for i, name in enumerate(["导出甲", "导出乙", "导出丙"]):
            make(db.session, Personnel, name=name, department=unit, gender="2",
                 birth_date=dt.date(1990, 1, 1 + i), post_title="=SUM(A1:A9)" if i == 0 else "科员")
        make(db.session, Personnel, name="未筛选", department=unit)
        db.session.commit()
        return unit.id


def test_export_contains_exactly_the_filtered_rows_zh(app, as_role):
    unit_id = _setup(app)
    client = as_role("manager", lang="zh")
    response = client.get(f"/personnelview/export/?_flt_0_department={unit_id}&_flt_0_name=导出")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    rows = _read(response.data)
    header = rows[0]
    assert "姓名" in header
    assert "性别" in header and "单位" in header
    name_col = header.index("姓名")
    names = sorted(r[name_col] for r in rows[1:])
    assert names == sorted(["导出甲", "导出乙", "导出丙"])
    gender_col = header.index("性别")
    assert {r[gender_col] for r in rows[1:]} == {"女"}
    birth_col = header.index("出生日期")
    # the birth date is sensitive personal data (docs/domain.md §9): a manager's export keeps its year only
    assert {r[birth_col] for r in rows[1:]} == {"1990-**-**"}
    post_col = header.index("职务")
    assert "=SUM(A1:A9)" in [r[post_col] for r in rows[1:]]  # written as text, not a formula


def test_export_shows_dates_to_a_role_that_may_see_sensitive_data(app, as_role):
    unit_id = _setup(app)
    rows = _read(as_role("admin", lang="zh").get(
        f"/personnelview/export/?_flt_0_department={unit_id}&_flt_0_name=导出").data)
    birth_col = rows[0].index("出生日期")
    assert sorted(r[birth_col] for r in rows[1:]) == [dt.date(1990, 1, d) for d in (1, 2, 3)]


def test_export_headers_follow_the_language(app, as_role):
    unit_id = _setup(app)
    client = as_role("manager", lang="en")
    rows = _read(client.get(f"/personnelview/export/?_flt_0_department={unit_id}&_flt_0_name=导出").data)
    header = rows[0]
    assert "Gender" in header and "Department" in header
    gender_col = header.index("Gender")
    assert {r[gender_col] for r in rows[1:]} == {"Female"}
    assert len(rows) == 4


# --- what the file is made of --------------------------------------------------------------
def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _by_header(rows: list[list], key_header: str) -> dict:
    """{value of the key column: {header: cell}} of the data rows."""
    header = rows[0]
    return {row[header.index(key_header)]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def _people(app, prefix: str, **values) -> int:
    with app.app_context():
        unit = make(db.session, Department, name_zh=f"{prefix}处", name_en=f"{prefix} Division")
        for i, post in enumerate(["=1+1", "+1", "-1", "@SUM(A1:A2)", "科员"]):
            make(db.session, Personnel, name=f"{prefix}{i}", department=unit, post_title=post,
                 political_status="01", education="BOSHI", work_start_date=dt.date(2010, 3, 1 + i), **values)
        db.session.commit()
        return unit.id


def test_cells_that_start_like_a_formula_stay_text(app, as_role):
    _people(app, "公式")
    data = as_role("admin", lang="en").get("/personnelview/export/?_flt_0_name=公式").data
    posts = {row["Post"] for row in _by_header(_read(data), "Full name").values()}
    assert posts == {"=1+1", "+1", "-1", "@SUM(A1:A2)", "科员"}
    assert "<f>" not in _sheet_xml(data)                  # not one formula in the sheet


def test_lookups_and_relations_read_as_labels_in_the_users_language(app, as_role):
    _people(app, "标签")
    zh = _by_header(_read(as_role("manager", lang="zh").get("/personnelview/export/?_flt_0_name=标签").data), "姓名")
    en = _by_header(_read(as_role("manager", lang="en").get("/personnelview/export/?_flt_0_name=标签").data),
                    "Full name")
    assert {r["学历"] for r in zh.values()} == {"博士研究生"}
    assert {r["Education"] for r in en.values()} == {"Doctorate"}
    # political status is sensitive personal data (docs/domain.md §9): hidden from a Manager
    assert {r["政治面貌"] for r in zh.values()} == {"****"}
    assert {r["单位"] for r in zh.values()} == {"标签处"}
    assert {r["Department"] for r in en.values()} == {"标签 Division"}


def test_dates_are_real_excel_dates_and_the_header_is_frozen_with_a_filter(app, as_role):
    _people(app, "日期")
    data = as_role("manager", lang="en").get("/personnelview/export/?_flt_0_name=日期").data
    rows = _by_header(_read(data), "Full name")
    assert sorted(r["Started working"] for r in rows.values()) == [dt.date(2010, 3, d) for d in range(1, 6)]
    xml = _sheet_xml(data)
    assert '<pane ySplit="1"' in xml and 'state="frozen"' in xml
    assert '<autoFilter ref="A1:' in xml


def test_export_holds_only_the_rows_in_the_users_scope(app, as_role):
    with app.app_context():
        outside = make(db.session, Department, parent_id=None, name_zh="范围外导出处")
        make(db.session, Personnel, name="范围导出外", department=outside)
        make(db.session, Personnel, name="范围导出内", department=make(db.session, Department))
        db.session.commit()
    names = {r[0] for r in _read(as_role("manager").get("/personnelview/export/?_flt_0_name=范围导出").data)[1:]}
    assert names == {"范围导出内"}
    names = {r[0] for r in _read(as_role("admin").get("/personnelview/export/?_flt_0_name=范围导出").data)[1:]}
    assert names == {"范围导出内", "范围导出外"}


def test_computed_and_many_valued_columns_are_exported(app, as_role):
    from models.supervision import SupervisionAssignment, SupervisionItem

    with app.app_context():
        lead = make(db.session, Department, name_zh="督办主办处", name_en="Lead Division")
        co = make(db.session, Department, name_zh="督办协办处", name_en="Co Division")
        item = make(db.session, SupervisionItem, title="导出督办甲", lead_department=lead, status="IN_PROGRESS",
                    due_date=today_cn() - dt.timedelta(days=3))
        make(db.session, SupervisionAssignment, item=item, department=co, role="XIEBAN")
        make(db.session, SupervisionItem, title="导出督办乙", lead_department=lead, status="IN_PROGRESS",
             due_date=None)
        db.session.commit()
    data = as_role("admin", lang="en").get("/supervisionitemview/export/?_flt_0_title=导出督办").data
    rows = _by_header(_read(data), "Title")
    late, open_ended = rows["导出督办甲"], rows["导出督办乙"]
    assert late["Lead unit"] == "Lead Division" and late["Co-handling units"] == "Co Division"
    assert late["Light"] == "Overdue" and late["Overdue days"] == 3
    assert late["Due date"] == today_cn() - dt.timedelta(days=3)
    assert open_ended["Co-handling units"] == "" and open_ended["Light"] == ""


def test_the_fast_path_writes_what_the_object_path_writes(app, monkeypatch):
    """`export_list` (selected columns, look-ups per chunk) and `export_rows` (one ORM object
    per row) must not disagree on a single cell, masked or not — even when the related
    labels' cache overflows between chunks."""
    import app.excel as excel
    from app.excel import export_list, export_rows
    from app.registry import deadlines
    from app.registry.spec import entity_for

    monkeypatch.setattr(excel, "LABEL_CACHE_MAX", 1)
    for prefix in ("双路甲", "双路乙"):
        _people(app, prefix, birth_date=dt.date(1980, 5, 6), id_card_no="350203198005061234", mobile="13912345678")
    entity = entity_for(Personnel)
    names = deadlines.shown_columns(entity, entity.fields)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        query = db.session.query(Personnel).filter(Personnel.name.like("双路%")).order_by(Personnel.id)
        for unmasked in (True, False):
            fast, fast_count = export_list(Personnel, names, query, "P", unmasked=unmasked, chunk_rows=2)
            slow, slow_count = export_rows(Personnel, names, query.all(), "P", unmasked=unmasked)
            try:
                assert fast_count == slow_count == 10
                assert _read(Path(fast).read_bytes()) == _read(Path(slow).read_bytes())
            finally:
                Path(fast).unlink()
                Path(slow).unlink()


def test_time_zone_aware_datetimes_are_written_as_xiamen_time():
    from app.excel import ExportColumn, SheetWriter, new_workbook

    moment = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
    wb, path = new_workbook()
    try:
        sheet = SheetWriter(wb, "T", [ExportColumn("at", "At", "datetime", lambda obj: obj, 17)])
        sheet.write(moment)                                       # the object path
        sheet.cell_writer("datetime")(sheet.row, 0, moment)       # the fast path
        sheet.row += 1
        sheet.finish()
        wb.close()
        rows = _read(Path(path).read_bytes())
    finally:
        Path(path).unlink()
    assert rows[1:] == [[dt.datetime(2026, 3, 2, 9, 30)]] * 2


def test_the_exported_file_is_removed_once_sent(app, as_role, monkeypatch):
    import app.screens.views as views

    made = []
    real = views.export_list

    def remember(*args, **kwargs):
        path, count = real(*args, **kwargs)
        made.append(path)
        return path, count

    monkeypatch.setattr(views, "export_list", remember)
    response = as_role("manager").get("/personnelview/export/?_flt_0_name=导出")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert made and not Path(made[0]).exists()
