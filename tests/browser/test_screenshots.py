"""Screenshots of the key pages in Chinese and in English, for a person to look at: the home
page (dashboard), a list, a record page with its workflow buttons, an add form, the import
page with its report, the console's home; and the dashboard, a list, a form and a record page
at a laptop's width (1366 px) and a phone's (390 px). Saved as PNG in tests/browser/screenshots/
(or $BROWSER_SCREENSHOTS)."""
from __future__ import annotations

import uuid

import pytest

from tests.browser.support import download, fill_sheet

expect = pytest.importorskip("playwright.sync_api").expect
pytest.importorskip("openpyxl")

#: What the pages show in each language (a sign that the page is the right one, in the right language).
TEXTS = {
    "zh": {"documents": "公文", "add": "新增公文", "plate": "车牌号", "category": "车辆类别",
           "nothing": "未导入任何记录", "console": "配置控制台"},
    "en": {"documents": "Documents", "add": "New Document", "plate": "Plate number", "category": "Vehicle category",
           "nothing": "Nothing was imported", "console": "Configuration console"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_key_pages(browse, screenshots, draft_document, tmp_path, lang):
    text = TEXTS[lang]
    page = browse.page("admin", lang)
    shots = []

    def shoot(name: str) -> None:
        page.wait_for_load_state()
        path = screenshots / f"{lang}-{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    expect(page.locator("#dashboard")).to_be_visible()
    expect(page.locator("#dashboard canvas").first).to_be_visible()           # the charts are drawn
    shoot("home")

    page.locator("nav.office-sidebar").get_by_role("link", name=text["documents"], exact=True).click()
    expect(page.locator("table.table-bordered.table-hover > tbody > tr").first).to_be_visible()
    shoot("document-list")

    pk, title = draft_document
    page.goto(browse.url(f"/documentview/show/{pk}"))
    expect(page.locator(".office-record-name")).to_have_text(title)
    expect(page.locator("a.office-transition").first).to_be_visible()
    shoot("document-show")

    page.goto(browse.url("/documentview/add"))
    expect(page.locator(".panel-heading").first).to_contain_text(text["add"])
    shoot("document-add")

    page.goto(browse.url("/vehicleview/import/"))
    template = download(page, page.locator("a.office-import-template"), tmp_path)
    prefix = f"闽D{uuid.uuid4().hex[:3].upper()}"
    rows = [{text["plate"]: f"{prefix}1", text["category"]: "机要通信用车"},
            {text["plate"]: f"{prefix}2", text["category"]: "热气球"},
            {text["plate"]: f"{prefix}1", text["category"]: "应急保障用车"}]           # the same plate twice
    upload = tmp_path / f"vehicles-{lang}.xlsx"
    fill_sheet(template, rows).save(upload)
    page.locator("form.office-import-form input[type=file]").set_input_files(upload)
    page.locator("form.office-import-form button[name=review]").click()
    expect(page.locator("#import-mapping select").first).to_be_visible()
    shoot("import-mapping")
    page.locator("#import-mapping [type=submit]").click()
    expect(page.locator("#import-problems")).to_contain_text(text["nothing"])
    shoot("import-report")

    page.locator("#console-link").click()
    expect(page.locator(".console-badge")).to_contain_text(text["console"])
    shoot("console-home")

    assert all(path.stat().st_size > 10_000 for path in shots), shots


#: A laptop's screen and a phone's (CSS pixels).
SCREENS = {1366: 768, 390: 844}


@pytest.mark.parametrize("width", SCREENS)
def test_pages_at_laptop_and_phone_widths(browse, screenshots, draft_document, width):
    page = browse.page("admin", "zh")
    page.set_viewport_size({"width": width, "height": SCREENS[width]})
    pk, title = draft_document
    pages = [("home", "/", "#dashboard canvas"),
             ("document-list", "/documentview/list/", "table.table-bordered.table-hover > tbody > tr"),
             ("document-add", "/documentview/add", "#title"),
             ("document-show", f"/documentview/show/{pk}", ".office-record-name")]
    shots, too_wide = [], []
    for i, (name, path, sign) in enumerate(pages, start=1):
        page.goto(browse.url(path))
        expect(page.locator(sign).first).to_be_visible()
        page.wait_for_load_state()
        shot = screenshots / f"zh-{width}px-{i:02d}-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        shots.append(shot)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:                 # the page itself pans sideways (a wide table scrolls in its box)
            too_wide.append(f"{path}: {wide} px")
    assert all(shot.stat().st_size > 5_000 for shot in shots), shots
    assert not too_wide, f"wider than the {width} px screen: {too_wide}"
