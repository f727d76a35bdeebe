"""A workbook is weighed before it is parsed (app/importer/unpack.py): zip bombs, lying
headers, a sheet spanning a huge empty rectangle and a zip of thousands of parts are
refused with a reason in the user's language, and nothing is written."""
from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app.extensions import db
from bench.import_limits import bomb, many_parts, sparse
from models.org import Personnel
from tests.test_import import sheet_rows, unit, upload, xlsx


def personnel_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Personnel))


@pytest.fixture(scope="module")
def bomb_2mb() -> bytes:
    return bomb(2, lying=False)


@pytest.mark.parametrize("lang, message", [
    ("en", "The workbook unpacks to more than 300 MB; split the rows into smaller files"),
    ("zh", "工作簿解压后超过 300 MB"),
])
def test_a_zip_bomb_is_refused_before_it_is_parsed(app, as_role, bomb_2mb, lang, message):
    before = personnel_count(app)
    page = upload(as_role("clerk", lang), bomb_2mb, name="炸弹.xlsx").get_data(as_text=True)
    assert message in page
    assert personnel_count(app) == before


def test_a_part_packed_far_tighter_than_rows_pack_is_refused(app, as_role, bomb_2mb):
    """Under the size limit, but 1,000:1: no spreadsheet program writes that."""
    app.config["IMPORT_MAX_UNCOMPRESSED_MB"], old = 100_000, app.config["IMPORT_MAX_UNCOMPRESSED_MB"]
    try:
        page = upload(as_role("clerk", "en"), bomb_2mb).get_data(as_text=True)
    finally:
        app.config["IMPORT_MAX_UNCOMPRESSED_MB"] = old
    assert "unpacks to more than 100 times its packed size" in page


def test_a_header_lying_about_the_size_is_caught_while_inflating(app, as_role):
    """The zip declares 40 MB (20:1, an ordinary sheet); the part holds gigabytes. The
    check counts what it inflates and stops at the declared size."""
    before = personnel_count(app)
    page = upload(as_role("clerk", "en"), bomb(2, lying=True)).get_data(as_text=True)
    assert "The workbook cannot be read" in page
    assert personnel_count(app) == before
    assert "无法读取该工作簿" in upload(as_role("clerk", "zh"), bomb(2, lying=True)).get_data(as_text=True)


def test_a_sheet_spanning_a_huge_empty_rectangle_is_refused(app, as_role):
    """Two cells, A1 and ALL100000: calamine would allocate the 100,000,000 cells between."""
    page = upload(as_role("clerk", "en"), sparse()).get_data(as_text=True)
    assert "The sheet spans 100000 rows by 1000 columns" in page
    page = upload(as_role("clerk", "zh"), sparse()).get_data(as_text=True)
    assert "工作表跨 100000 行 1000 列" in page


def test_cells_written_without_references_are_counted_too(app, as_role):
    """A row of cells without `r` attributes goes one cell after another: still counted."""
    good = xlsx([["姓名"], ["张三"]])
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                wide = b'<row r="3">' + b"<c><v>1</v></c>" * 5000 + b"</row>"
                far = b'<row r="9000"><c r="A9000" t="s"><v>1</v></c></row>'
                data = data.replace(b"</sheetData>", wide + far + b"</sheetData>")
            target.writestr(info.filename, data)
    page = upload(as_role("clerk", "en"), out.getvalue()).get_data(as_text=True)
    assert "The sheet spans 9000 rows by 5001 columns" in page


def test_a_zip_of_thousands_of_parts_is_refused(app, as_role):
    before = personnel_count(app)
    page = upload(as_role("clerk", "en"), many_parts(2000)).get_data(as_text=True)
    assert "The workbook is made of more than 1000 parts" in page
    assert "工作簿由超过 1000 个部分组成" in upload(as_role("clerk", "zh"), many_parts(2000)).get_data(as_text=True)
    assert personnel_count(app) == before


def test_an_ordinary_file_still_imports(app, as_role):
    dept = unit(app, "限额处")
    rows = [["姓名", "单位", "备注"]] + [[f"限额{i}", "限额处", "备注" * 20] for i in range(2000)]
    page = upload(as_role("clerk", "en"), xlsx(rows)).get_data(as_text=True)
    assert "Imported 2000 records" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Personnel)
                                 .where(Personnel.department_id == dept)) == 2000


def test_rows_keep_their_excel_numbers_after_blank_rows(app, as_role):
    """Rows are read one by one now: the report still names the rows of the file."""
    unit(app, "行号处")
    data = xlsx([[None], ["姓名", "单位"], ["行号一", "行号处"], [None, None], ["行号二", "没有这个处"]])
    client = as_role("clerk", "en")
    page = upload(client, data).get_data(as_text=True)
    assert "Nothing was imported: 1 of 2 rows have problems" in page
    token = page.split("/personnelview/import/report/")[1].split("/")[0]
    rows = sheet_rows(client.get(f"/personnelview/import/report/{token}/").data)
    assert [int(r[0]) for r in rows[1:]] == [5] and rows[1][1] == "行号二"
