"""Everyday use (static/js/office.js, office.css): a drop-down opens ready for typing and Enter
in it never saves the form; a text filter starts at "contains"; on a phone the sidebar waits
behind the menu button and a list scrolls sideways with its title readable; a record page
shows its empty fields only when asked; a filter that reads no value hides its value field; the
top bar's search box finds a record; a large import shows its progress and then what it wrote."""
from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {"width": 390, "height": 844}


def _count(app, model) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.query(model).count()


def test_a_drop_down_opens_with_its_search_box_focused_and_enter_never_saves(browse, app):
    from models.hotline import HotlineCase

    before = _count(app, HotlineCase)
    page = browse.page("clerk", "zh", "/hotlinecaseview/add")
    select = page.locator("select.select2-hidden-accessible").first
    box = page.locator(f"#select2-{select.get_attribute('id')}-container")
    box.click()
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()                    # typing filters at once
    options = page.locator(".select2-results__option").all_inner_texts()
    page.keyboard.type(options[2][:2])
    page.keyboard.press("Enter")                      # picks the option ...
    expect(box).to_contain_text(options[2])
    expect(page).to_have_url(re.compile(r"/hotlinecaseview/add$"))      # ... and saves nothing
    expect(page.locator(".select2-container--open")).to_have_count(0)
    page.keyboard.press("Enter")                      # on the closed drop-down: it opens, nothing is sent
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)                        # a form sent would have left the page by now
    expect(page).to_have_url(re.compile(r"/hotlinecaseview/add$"))
    assert _count(app, HotlineCase) == before


@pytest.mark.parametrize("lang, contains", [("zh", "包含"), ("en", "Contains")])
def test_a_text_filter_starts_at_contains(browse, draft_document, lang, contains):
    _pk, title = draft_document                       # 关于推进政务服务流程再造的通知（…）
    page = browse.page("clerk", lang, "/documentview/list/")
    page.locator(".panel-group .accordion-toggle").first.click()
    page.locator("#filter_form .dropdown-toggle").click()
    page.locator("#filter_form a.filter[name=title]").click()
    row = page.locator("#filter_form .filters tr").last
    operation = row.locator("select.filter-op")
    assert operation.evaluate("s => s.options[s.selectedIndex].text") == contains
    row.locator("input.filter_val").fill("政务服务流程再造")     # a word in the middle of the title
    page.locator("#filter_form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"_flt_0_title="))
    expect(page.locator(".office-list-table td.office-col-wide", has_text=title)).to_have_count(1)


@pytest.mark.parametrize("lang, mine", [("zh", "本单位（含下属单位）"), ("en", "Is my unit (or under it)")])
def test_the_my_unit_filter_asks_for_no_value(browse, lang, mine):
    """A filter that reads no value hides its value field, when chosen and when the list
    comes back with it active."""
    page = browse.page("clerk", lang, "/hotlinecaseview/list/")
    page.locator(".panel-group .accordion-toggle").first.click()
    page.locator("#filter_form .dropdown-toggle").click()
    page.locator("#filter_form a.filter[name=handler_department]").click()
    row = page.locator("#filter_form .filters tr").last
    value = row.locator("td.filter").last
    expect(value).not_to_have_class(re.compile("office-filter-valueless"))
    row.locator("td.filter").first.locator(".select2-selection").click()
    page.locator(".select2-results__option", has_text=mine).click()
    expect(value).to_have_class(re.compile("office-filter-valueless"))
    page.locator("#filter_form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"_flt_\d_handler_department="))
    page.locator(".panel-group .accordion-toggle").first.click()
    row = page.locator("#filter_form .filters tr").last
    assert row.locator("select.filter-op").evaluate("s => s.options[s.selectedIndex].text") == mine
    expect(row.locator("td.filter").last).to_have_class(re.compile("office-filter-valueless"))


def test_on_a_phone_the_menu_button_opens_the_sidebar(browse):
    page = browse.page("clerk", "zh", "/documentview/list/")
    page.set_viewport_size(PHONE)
    sidebar = page.locator("#office-sidebar")
    expect(sidebar).to_be_hidden()                                     # closed at first
    page.click("#office-nav-toggle")
    expect(sidebar).to_be_visible()
    expect(page.locator("#office-nav-toggle")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(sidebar).to_be_hidden()
    page.click("#office-nav-toggle")
    sidebar.get_by_role("link", name="电报", exact=True).click()
    expect(page).to_have_url(re.compile(r"/telegramview/list/"))
    expect(page.locator("#office-sidebar")).to_be_hidden()              # a new page starts closed again


def test_on_a_phone_a_list_scrolls_sideways_with_its_title_readable(browse):
    page = browse.page("clerk", "zh", "/documentview/list/")
    page.set_viewport_size(PHONE)
    expect(page.locator(".office-list-table td.office-col-wide").first).to_be_visible()
    sizes = page.evaluate("""() => {
        const scroll = document.querySelector('.office-list-scroll');
        const width = kind => document.querySelector('.office-list-table td.office-col-' + kind)
            .getBoundingClientRect().width;
        const lines = td => {           // the line boxes of the cell's text
            const range = document.createRange();
            range.selectNodeContents(td);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        };
        const numbers = [...document.querySelectorAll('.office-list-table td.office-col-code')]
            .filter(td => td.textContent.trim());
        return {scroll: scroll.scrollWidth, shown: scroll.clientWidth, page: document.documentElement.scrollWidth,
                title: width('wide'), actions: width('actions'),
                numbers: numbers.length, numberLines: Math.max(0, ...numbers.map(lines))};
    }""")
    assert sizes["scroll"] > sizes["shown"]            # the table scrolls inside its panel ...
    assert sizes["page"] <= PHONE["width"]              # ... the page itself does not
    assert sizes["title"] >= 150                        # a title keeps ~13 characters a line
    assert sizes["actions"] <= 100                      # the buttons do not take the width
    assert sizes["numbers"] and sizes["numberLines"] == 1     # 国办发〔2026〕18号 on one line


@pytest.mark.parametrize("lang, more, less",
                         [("zh", "显示全部字段", "隐藏空字段"), ("en", "Show all fields", "Hide empty fields")])
def test_a_record_page_shows_its_empty_fields_when_asked(browse, draft_document, lang, more, less):
    pk, _title = draft_document
    page = browse.page("clerk", lang, f"/documentview/show/{pk}")
    empty = page.locator("tr.office-empty")
    assert empty.count() > 0
    expect(empty.first).to_be_hidden()
    expect(page.locator("tr.office-field:not(.office-empty)").first).to_be_visible()
    button = page.locator(".office-show-all")
    expect(button).to_have_text(more)
    button.click()
    expect(empty.first).to_be_visible()                  # no reload: the same page shows them
    expect(button).to_have_text(less)
    button.click()
    expect(empty.first).to_be_hidden()


@pytest.mark.parametrize("lang, question", [("zh", "确定要删除这条记录吗？"),
                                            ("en", "Are you sure you want to delete this item?")])
def test_a_rows_delete_button_asks_then_puts_the_record_in_the_trash(browse, app, draft_document, lang, question):
    """The list's delete buttons share one listener (no script per row): it still asks first."""
    from urllib.parse import quote

    from app.extensions import db
    from models.documents import Document

    pk, title = draft_document
    page = browse.page("admin", lang, f"/documentview/list/?_flt_0_title={quote(title)}")
    rows = page.locator(".office-list-table > tbody > tr")
    expect(rows).to_have_count(1)
    expect(page.locator(".office-list-table script")).to_have_count(0)
    rows.first.locator("a.office-delete").click()
    dialog = page.locator("#modal-confirm")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".modal-body")).to_have_text(question)
    dialog.locator("#modal-confirm-ok").click()
    expect(page.locator(".office-list-table > tbody > tr")).to_have_count(0)
    with app.app_context():
        assert db.session.get(Document, pk).is_deleted is True


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_top_bar_finds_a_record_by_a_two_character_word(browse, draft_document, lang):
    """"/" puts the cursor in the top bar's box; a two-character word and the title's tag find
    the draft, the word marked; its link opens the record."""
    pk, title = draft_document                       # 关于推进政务服务流程再造的通知（tag）
    tag = title[title.index("（") + 1:title.index("）")]
    page = browse.page("clerk", lang, "/")
    page.keyboard.press("/")
    expect(page.locator("#office-search-box")).to_be_focused()
    page.keyboard.type(f"流程 {tag}")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    link = page.locator(f".office-search a[href='/documentview/show/{pk}']")
    expect(link).to_have_count(1)
    expect(link.locator("mark").first).to_have_text("流程")
    link.click()
    expect(page.locator(".office-record-name")).to_have_text(title)


@pytest.mark.parametrize("lang, saved", [("zh", "已保存"), ("en", "was saved")])
def test_a_clerk_chooses_columns_saves_the_view_and_opens_it_from_the_menu(browse, draft_document, lang, saved):
    """Through the toolbar's real drop-downs: tick a column, move it up, show; filter; save
    the view under a name; it is in the sidebar and opens with its filter and columns."""
    _pk, title = draft_document
    tag = title[title.index("（") + 1:title.index("）")]
    page = browse.page("clerk", lang, f"/documentview/list/?_flt_0_title={tag}")
    page.locator(".office-columns > button").click()
    chooser = page.locator(".office-column-chooser")
    expect(chooser).to_be_visible()
    extra = chooser.locator("li:not(:has(input:checked))").first
    column = extra.get_attribute("data-column")
    label = extra.locator("label").inner_text().strip()
    extra.locator("input").check()                    # the drop-down stays open while ticking
    for _ in range(3):
        chooser.locator(f"li[data-column={column}] [data-move=up]").click()
    position = chooser.locator("li").evaluate_all(
        "(items, name) => items.findIndex(li => li.dataset.column === name)", column)
    chooser.locator("button[type=submit]:not([name])").click()
    expect(page).to_have_url(re.compile(rf"_flt_0_title={tag}"))          # its filter kept
    headers = page.locator(".office-list-table thead th:not(.office-col-actions):not(.office-col-check)")
    expect(headers.nth(position)).to_have_text(re.compile(re.escape(label)))
    expect(page.locator(".office-list-table td.office-col-wide", has_text=title)).to_have_count(1)
    page.locator(".office-views > button").click()
    name = f"view-{tag}"
    expect(page.locator("#office-view-name")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text(saved)
    entry = page.locator(".office-side-views a", has_text=name)
    expect(entry).to_have_count(1)
    page.goto(browse.url("/documentview/list/?_cols=title"))            # elsewhere, other columns
    page.locator(".office-side-views a", has_text=name).click()
    expect(page.locator(".office-list-table td.office-col-wide", has_text=title)).to_have_count(1)
    expect(headers.nth(position)).to_have_text(re.compile(re.escape(label)))
    page.locator(".office-columns > button").click()                    # back to the list's own
    page.locator(".office-column-chooser button[name=reset]").click()
    expect(page.locator(".office-list-table thead th", has_text=label)).to_have_count(0)


@pytest.mark.parametrize("lang, moved", [("zh", "已调整。"), ("en", "Moved.")])
def test_a_clerk_drags_a_meeting_to_the_next_day_on_the_calendar(browse, app, lang, moved):
    """The calendar (app/agenda) shows the clerk's meeting on its day; dragging it to the next
    day moves the meeting — start and end — through its rules."""
    import datetime as dt
    import uuid

    from app.extensions import db
    from models.base import today_cn
    from models.meetings import Meeting

    day = today_cn()
    title = f"日历拖动{uuid.uuid4().hex[:6]}"
    with app.app_context():
        meeting = Meeting(meeting_type="ZHUANTI", title=title, start_at=dt.datetime.combine(day, dt.time(9)),
                          end_at=dt.datetime.combine(day, dt.time(10, 30)), created_by="clerk")
        db.session.add(meeting)
        db.session.commit()
        pk = meeting.id
    page = browse.page("clerk", lang, "/calendar/")
    event = page.locator(".fc-event", has_text=title)
    expect(event).to_have_count(1)
    target = day + dt.timedelta(days=1)
    event.drag_to(page.locator(f"td.fc-daygrid-day[data-date='{target.isoformat()}']"))
    expect(page.locator(".office-agenda-message")).to_have_text(moved)
    with app.app_context():
        meeting = db.session.get(Meeting, pk)
        assert (meeting.start_at, meeting.end_at) == (dt.datetime.combine(target, dt.time(9)),
                                                      dt.datetime.combine(target, dt.time(10, 30)))
    event.click()                                          # an event is a link to its record
    expect(page).to_have_url(re.compile(rf"/meetingview/show/{pk}$"))


@pytest.mark.parametrize("lang, imported", [("zh", "导入 4 条记录"), ("en", "Imported 4 records")])
def test_a_large_import_runs_in_the_background_and_its_page_says_what_it_wrote(browse, app, worker, lang, imported):
    """Above IMPORT_JOB_ROWS the upload goes to the job queue (app/jobs): the clerk lands on the
    job's page, whose bar follows the work and which then says what was written, with a link
    to the list."""
    import io
    import uuid

    import xlsxwriter

    tag = uuid.uuid4().hex[:6]
    data = io.BytesIO()
    book = xlsxwriter.Workbook(data, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    for r, row in enumerate([["姓名", "性别", "单位"]] + [[f"后台{tag}{n}", "男", "市政府办公厅"] for n in range(4)]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    before = app.config["IMPORT_JOB_ROWS"]
    app.config["IMPORT_JOB_ROWS"] = 2
    try:
        page = browse.page("admin", lang, "/personnelview/import/")
        page.set_input_files("input[name=file]", files=[{
            "name": f"名单{tag}.xlsx", "buffer": data.getvalue(),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
        page.locator("button[type=submit]:has(i.fa-upload)").click()
        expect(page).to_have_url(re.compile(r"/downloads/\d+$"))
        expect(page.locator(".office-job-outcome")).to_contain_text(imported, timeout=30_000)
        page.locator(".office-job-outcome a").click()
        expect(page).to_have_url(re.compile(r"/personnelview/list/"))
    finally:
        app.config["IMPORT_JOB_ROWS"] = before


@pytest.mark.parametrize("lang, heading", [("zh", "厦门市人民政府办公厅"),
                                           ("en", "General Office of the Xiamen Municipal People's Government")])
def test_a_record_page_opens_its_print_sheet_without_menus(browse, draft_document, lang, heading):
    pk, title = draft_document
    page = browse.page("clerk", lang, f"/documentview/show/{pk}")
    page.locator(".office-print-menu > button").click()       # a document has its forms beside the record
    with page.expect_popup() as opened:
        page.locator("a.office-print-link").click()
    sheet = opened.value
    expect(sheet.locator(".office-print-org")).to_have_text(heading)
    expect(sheet.locator(".office-print-name")).to_have_text(title)
    expect(sheet.locator("nav.office-sidebar")).to_have_count(0)
    sheet.emulate_media(media="print")                      # on paper: the sheet only, not its buttons
    expect(sheet.locator(".office-print-bar")).to_be_hidden()
    page.locator(".office-print-menu > button").click()       # the draft's 发文稿纸, from the same menu
    with page.expect_popup() as opened:
        page.locator("a.office-paper-link[data-paper='draft_sheet']").click()
    form = opened.value
    expect(form.locator(".office-paper-title")).to_have_text(
        "发文稿纸" if lang == "zh" else "Outgoing document draft sheet")
    expect(form.locator(".office-paper-title-row td")).to_have_text(title)


@pytest.mark.parametrize("lang, chosen, refused, saved", [
    ("zh", "未选择文件", "未保存", "已保存"), ("en", "No file chosen", "Not saved", "Saved")])
def test_an_admin_changes_the_documents_layout_in_the_console_through_its_file_button(browse, lang, chosen, refused,
                                                                                      saved):
    """Rules › Paper forms: the file button speaks the console's language and names the file
    chosen; a broken settings file is refused with its line, a good one saved, then restored."""
    page = browse.page("admin", lang, "/console/paper-forms/")
    row = page.locator("#paper-gbt9704")
    with page.expect_download() as got:
        row.locator("a:has(i.fa-download)").click()
    shipped = open(got.value.path(), encoding="utf-8").read()
    expect(row.locator("[data-file-name]")).to_have_text(chosen)
    broken = shipped.replace('signature = "unsealed"', 'signature = unsealed')
    row.locator("input[type=file]").set_input_files(files=[{
        "name": "gbt9704.toml", "buffer": broken.encode(), "mimeType": "text/plain"}])
    expect(row.locator("[data-file-name]")).to_have_text("gbt9704.toml")
    row.locator("button[type=submit]:has(i.fa-upload)").click()
    expect(page.locator(".alert-danger")).to_contain_text(refused)
    row = page.locator("#paper-gbt9704")
    sealed = shipped.replace('signature = "unsealed"', 'signature = "sealed"')
    row.locator("input[type=file]").set_input_files(files=[{
        "name": "gbt9704.toml", "buffer": sealed.encode(), "mimeType": "text/plain"}])
    row.locator("button[type=submit]:has(i.fa-upload)").click()
    expect(page.locator(".alert-success")).to_contain_text(saved)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#paper-gbt9704 button:has(i.fa-undo)").click()
    expect(page.locator("#paper-gbt9704 button:has(i.fa-undo)")).to_have_count(0)
