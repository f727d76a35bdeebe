"""A piece of the working day of each division that runs a function of the office (function
ownership, DESIGN.md "Scoped, three ways"), signed in as its demo login, in Chinese:

- 督查室 (`manager`, its head): the supervision items, only the overdue ones, to Excel;
- 文电处 (`clerk`): registers an incoming document received at 2026-12-04 09:30;
- 总值班室 (`duty`): logs a call (接报时间) and registers the incident it reports, with its times;
- 市长热线办公室, the 12345 centre (`hotline`): registers a hotline case.

A division whose login the demo data does not have is skipped, with the reason.
"""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.support import detail, download, pick, type_into

expect = pytest.importorskip("playwright.sync_api").expect
pytest.importorskip("openpyxl")

ADDED = "记录已添加"


def login_of(app, username: str, division: str) -> str:
    """`username`, the demo login of `division`; the test is skipped where there is none."""
    with app.app_context():
        if app.appbuilder.sm.find_user(username=username) is None:
            pytest.skip(f"the demo data has no login {username!r} for {division} yet")
    return username


def open_menu(page, entry: str) -> None:
    page.locator("nav.office-sidebar").get_by_role("link", name=entry, exact=True).click()
    expect(page.locator("table.table-bordered.table-hover").first).to_be_visible()


def listed_count(page) -> int:
    """The list's own count of its records (记录数目)."""
    return int(re.search(r"(\d+)", page.locator(".pull-right", has_text="记录数目").first.inner_text()).group(1))


def save(page) -> None:
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success, .alert-danger").first).to_be_visible()
    refusals = page.locator(".alert-danger").all_inner_texts()
    assert not refusals, f"the save was refused: {refusals}"
    expect(page.locator(".alert-success").first).to_contain_text(ADDED)


def newest(app, model, **values) -> int:
    """The id of the record just saved, found by what was typed into it (lists sort by time
    or status: the new row need not be on their first page)."""
    from app.extensions import db

    with app.app_context():
        found = db.session.query(model.id).filter_by(**values).order_by(model.id.desc()).first()
    assert found, f"no {model.__name__} with {values}"
    return found[0]


def shows(page, expected: dict[str, str]) -> None:
    """The record page shows each `label: value`."""
    for label, value in expected.items():
        expect(detail(page, label).first, f"{label} on the record page").to_have_text(value)


def test_supervision_office_exports_its_overdue_items(browse, tmp_path):
    page = browse.page("manager", "zh")
    open_menu(page, "督查督办事项")
    everything = listed_count(page)

    page.locator(".office-deadline-filters").get_by_role("link", name="已逾期").click()
    expect(page).to_have_url(re.compile(r"_flt_\d+_due_date="))
    overdue = listed_count(page)
    assert 0 < overdue <= everything, f"{overdue} overdue of {everything} supervision items"
    table = page.locator("table.table-bordered.table-hover")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    days = headers.index("逾期天数")
    shown_days = [row.locator("td").nth(days).inner_text().strip() for row in table.locator("tbody > tr").all()]
    assert shown_days and all(d.isdigit() and int(d) > 0 for d in shown_days), shown_days

    book = download(page, page.locator("a.office-export"), tmp_path)
    rows = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    header, data = list(rows[0]), [row for row in rows[1:] if any(cell not in (None, "") for cell in row)]
    assert len(data) == overdue, f"the list counts {overdue} overdue items, the file has {len(data)} rows"
    assert "逾期天数" in header, header
    late = [row[header.index("逾期天数")] for row in data]
    assert all(isinstance(d, (int, float)) and d > 0 for d in late), late


def test_document_office_registers_an_incoming_document(browse, app):
    from models.documents import Document

    uid = uuid.uuid4().hex[:6].upper()
    title = f"关于报送2026年度安全生产工作总结的通知（{uid}）"
    receipt = f"收2026-{uid}"
    page = browse.page(login_of(app, "clerk", "文电处"), "zh")
    open_menu(page, "公文")
    page.locator("a[href$='/documentview/add']").first.click()
    pick(page, "direction", "收文")
    type_into(page.locator("#title"), title)
    pick(page, "doc_type", "通知")
    pick(page, "issuer", "厦门市应急管理局")
    type_into(page.locator("#source_doc_no"), "厦应急〔2026〕88号")
    type_into(page.locator("#receive_no"), receipt)
    type_into(page.locator("#received_at"), "2026-12-04 09:30")
    save(page)

    page.goto(browse.url(f"/documentview/show/{newest(app, Document, receive_no=receipt)}"))
    expect(page.locator(".office-record-name")).to_contain_text(title)
    shows(page, {"收发类别": "收文", "标题": title, "收文编号": receipt, "收文时间": "2026-12-04 09:30",
                 "来文字号": "厦应急〔2026〕88号", "发文机关": "厦门市应急管理局"})


def test_duty_office_logs_a_call_and_the_incident_it_reports(browse, app):
    from models.duty import DutyLog, Incident

    uid = uuid.uuid4().hex[:6]
    page = browse.page(login_of(app, "duty", "总值班室"), "zh")
    open_menu(page, "值班记录")
    page.locator("a[href$='/dutylogview/add']").first.click()
    type_into(page.locator("#received_at"), "2026-12-04 09:30")
    pick(page, "category", "突发事件")
    type_into(page.locator("#caller_unit"), "思明区应急管理局")
    type_into(page.locator("#caller_name"), "陈建华")
    summary = f"思明区莲前街道一民房起火，明火已扑灭，无人员伤亡（{uid}）。"
    type_into(page.locator("#summary"), summary)
    save(page)
    page.goto(browse.url(f"/dutylogview/show/{newest(app, DutyLog, summary=summary)}"))
    shows(page, {"接报时间": "2026-12-04 09:30", "来源渠道": "电话", "类别": "突发事件",
                 "来电单位": "思明区应急管理局", "内容摘要": summary})

    open_menu(page, "突发事件")
    page.locator("a[href$='/incidentview/add']").first.click()
    title = f"思明区莲前街道民房火灾（{uid}）"
    type_into(page.locator("#title"), title)
    pick(page, "category", "事故灾难")
    type_into(page.locator("#occurred_at"), "2026-12-04 09:10")
    type_into(page.locator("#received_at"), "2026-12-04 09:30")
    type_into(page.locator("#phone_reported_at"), "2026-12-04 09:45")
    pick(page, "district", "思明区人民政府")
    save(page)
    page.goto(browse.url(f"/incidentview/show/{newest(app, Incident, title=title)}"))
    expect(page.locator(".office-record-name")).to_contain_text(title)
    shows(page, {"突发事件类别": "事故灾难", "发生时间": "2026-12-04 09:10", "接报时间": "2026-12-04 09:30",
                 "电话报告时间": "2026-12-04 09:45"})


def test_hotline_centre_registers_a_case(browse, app):
    from models.hotline import HotlineCase

    uid = uuid.uuid4().hex[:6]
    page = browse.page(login_of(app, "hotline", "市长热线办公室"), "zh")
    open_menu(page, "热线工单")
    page.locator("a[href$='/hotlinecaseview/add']").first.click()
    pick(page, "appeal_type", "投诉")
    type_into(page.locator("#received_at"), "2026-12-04 09:30")
    title = f"湖里区殿前街道夜间施工噪音扰民（{uid}）"
    type_into(page.locator("#title"), title)
    type_into(page.locator("#content"), "市民反映殿前街道某工地连续多日夜间22点后施工，噪音严重影响休息，请求查处。")
    pick(page, "district", "湖里区人民政府")
    type_into(page.locator("#citizen_name"), "王女士")
    type_into(page.locator("#citizen_phone"), "13812345678")
    save(page)
    page.goto(browse.url(f"/hotlinecaseview/show/{newest(app, HotlineCase, title=title)}"))
    shows(page, {"来源渠道": "电话", "诉求类型": "投诉", "接报时间": "2026-12-04 09:30", "标题": title,
                 "所在区": "湖里区人民政府",
                 "诉求人电话": "138****5678"})          # personal data: masked for a Clerk
