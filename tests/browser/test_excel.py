"""Excel out and in, through the screens: a filtered list exported, an import with one bad row."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser import support
from tests.browser.support import choose, download, fill_sheet

pytest.importorskip("openpyxl")
expect = pytest.importorskip("playwright.sync_api").expect


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def add_filter(page, field: str, operation: str, value: str) -> None:
    """The list's Search panel: Add Filter, pick the column, the operation and the value."""
    page.locator("a.accordion-toggle[href='#accordion1_href']").click()
    page.locator("#filter_form .dropdown-toggle").click()
    page.locator(f"#filter_form a.filter[name={field}]").click()
    row = page.locator("#filter_form table.filters tr").last
    choose(page, "", operation, within=row.locator("td.filter").first.locator(".select2-selection"))
    choose(page, field, value)
    page.locator("#filter_form [type=submit]").click()


def _internal_titles(app) -> set[str]:
    """Titles of the 内部 outgoing documents: a bulk export leaves them out (docs/domain.md §9)."""
    from app.extensions import db
    from models.documents import Document

    with app.app_context():
        return {title for (title,) in db.session.query(Document.title).filter_by(
            direction="OUTGOING", secrecy_level="NEIBU", is_deleted=False)}


def _left_out(book) -> int:
    """The number of 内部 records the export's notes sheet says it left out (0 without one)."""
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                found = re.search(r"(\d+) ", str(cell or ""))
                if found and ("内部" in str(cell)):
                    return int(found.group(1))
    return 0


def test_filter_the_list_then_export_what_it_shows(browse, tmp_path, app):
    page = browse.page("leader", "zh")
    page.locator("nav.office-sidebar").get_by_role("link", name="公文", exact=True).click()
    add_filter(page, "direction", "等于", "发文")

    expect(page).to_have_url(re.compile(r"_flt_\d+_direction=OUTGOING"))
    listed = page.locator("table.table-bordered.table-hover > tbody > tr")
    expect(listed.first).to_be_visible()
    count = int(re.search(r"(\d+)", page.locator(".pull-right", has_text="记录数目").inner_text()).group(1))
    assert 0 < count, "the filter shows no document"
    headers = [h.strip() for h in page.locator("table.table-bordered.table-hover > thead th").all_inner_texts()]
    direction_col = headers.index("收发类别")
    title_col = headers.index("标题")
    shown_rows = [[c.strip() for c in row.locator("td").all_inner_texts()] for row in listed.all()]
    assert {row[direction_col] for row in shown_rows} == {"发文"}, shown_rows
    shown_titles = [row[title_col] for row in shown_rows]
    assert len(shown_titles) <= count

    book = download(page, page.locator("a.office-export"), tmp_path)
    sheet = book.worksheets[0]
    rows = rows_of(sheet)
    header = rows[0]
    assert header[:3] == ["收发类别", "发文字号", "收文编号"], header
    assert "标题" in header and "状态" in header, header
    data = [row for row in rows[1:] if any(cell not in (None, "") for cell in row)]
    left_out = _left_out(book)          # 内部 rows are not exported in bulk; the notes sheet says how many
    assert len(data) + left_out == count, f"the list counts {count}, the export has {len(data)} rows + {left_out}"
    assert {row[header.index("收发类别")] for row in data} == {"发文"}
    internal = _internal_titles(app)
    expected = [title for title in shown_titles if title not in internal]
    assert [row[header.index("标题")] for row in data][:len(expected)] == expected, "not the list's order"

    support.switch_language(page, "en")                 # the same filtered list, exported in English
    expect(page).to_have_url(re.compile(r"_flt_\d+_direction=OUTGOING"))
    book = download(page, page.locator("a.office-export"), tmp_path)
    rows = rows_of(book.worksheets[0])
    assert rows[0][:3] == ["Document direction", "Document number", "Receipt number"], rows[0]
    assert {row[0] for row in rows[1:] if row[0]} == {"Outgoing"}
    assert len([row for row in rows[1:] if row[0]]) + _left_out(book) == count


def test_import_with_one_bad_row_imports_nothing_and_reports_it(browse, tmp_path, app):
    page = browse.page("clerk", "zh")
    page.goto(browse.url("/vehicleview/list/"))
    page.locator("a.office-import-link").click()
    expect(page.locator(".panel-title").first).to_contain_text("导入")

    template = download(page, page.locator("a.office-import-template"), tmp_path)
    header = [cell.value for cell in template.worksheets[0][1]]
    assert header[:2] == ["车牌号 *", "车辆类别 *"], header
    prefix = f"闽D{uuid.uuid4().hex[:3].upper()}"
    rows = [
        {"车牌号": f"{prefix}01", "车辆类别": "机要通信用车", "品牌": "红旗", "座位数": 5},
        {"车牌号": f"{prefix}02", "车辆类别": "应急保障用车", "品牌": "比亚迪", "座位数": 7},
        {"车牌号": f"{prefix}03", "车辆类别": "热气球", "品牌": "东风", "座位数": 4},          # no such category
        {"车牌号": f"{prefix}04", "车辆类别": "执法执勤用车", "品牌": "吉利", "座位数": 5},
    ]
    upload = tmp_path / "车辆导入.xlsx"
    fill_sheet(template, rows).save(upload)

    page.locator("form.office-import-form input[type=file]").set_input_files(upload)
    page.locator("form.office-import-form button[name=review]").click()
    # the mapping step: each field with the column proposed for it (the template's own headers)
    mapping = page.locator("#import-mapping")
    expect(mapping.locator("#map-plate_no option:checked")).to_contain_text("车牌号")
    expect(mapping.locator("#map-category option:checked")).to_contain_text("车辆类别")
    mapping.locator("[type=submit]").click()

    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("未导入任何记录")
    expect(problems).to_contain_text("4")
    errors = page.locator("table.office-import-errors tbody tr")
    expect(errors).to_have_count(1)
    cells = errors.first.locator("td")
    expect(cells.nth(0)).to_have_text("4")                      # the spreadsheet's row number
    expect(cells.nth(1)).to_contain_text("车辆类别")
    expect(cells.nth(2)).to_have_text("热气球")
    expect(cells.nth(3)).not_to_be_empty()

    report = download(page, page.locator("a.office-import-report"), tmp_path)
    report_rows = [row for row in rows_of(report.worksheets[0]) if any(c not in (None, "") for c in row)]
    assert len(report_rows) == 2, report_rows                    # the header and the one bad row
    head, bad = report_rows
    assert head[1:3] == ["车牌号 *", "车辆类别 *"] and head[-1] == "问题", head     # "what is wrong", last
    assert bad[0] == 4 and bad[1:3] == [f"{prefix}03", "热气球"], bad
    assert "车辆类别" in bad[-1], bad

    page.goto(browse.url(f"/vehicleview/list/?_flt_0_plate_no={prefix}"))        # all or nothing: no good row either
    expect(page.locator("main")).to_contain_text("没有找到记录")
    with app.app_context():
        from app.extensions import db
        from models.services import Vehicle

        assert db.session.query(Vehicle).filter(Vehicle.plate_no.like(f"{prefix}%")).count() == 0
