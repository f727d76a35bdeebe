"""Documents (公文) as a clerk registers and moves them: the add form, the recipients
(主送/抄送, a child table filled from the record page's Recipients tab) and a workflow step."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.support import choose

expect = pytest.importorskip("playwright.sync_api").expect


def shown(page, label: str):
    """The value cell of `label` on a record page's Detail tab."""
    return page.locator("#Home tr").filter(has=page.locator("th", has_text=re.compile(rf"^\s*{label}\s*$"))) \
        .locator("td")


def add_outgoing_document(page, title: str) -> None:
    """From the Documents list, through the add form, as a clerk fills it in; back on the list."""
    page.locator("nav.office-sidebar").get_by_role("link", name="公文", exact=True).click()
    page.click("a[href$='/documentview/add']")
    expect(page.locator(".panel-heading").first).to_contain_text("新增公文")
    choose(page, "direction", "发文")
    page.fill("#title", title)
    choose(page, "doc_type", "通知")
    choose(page, "writing_direction", "下行文")
    choose(page, "issuer", "厦门市人民政府办公厅")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main .alert").first).to_contain_text("记录已添加")     # else: the refusal's reason
    expect(page).to_have_url(re.compile(r"/documentview/list/"))


def open_record(page, title: str) -> None:
    page.locator("table tr", has_text=title).get_by_role("link", name="查看").click()
    expect(page.locator(".office-record-name")).to_have_text(title)


def add_recipient(page, kind: str, unit: str, seq: int) -> None:
    page.locator("ul.nav-tabs").get_by_role("link", name="受文单位").click()
    page.locator("#DocumentRecipientView a[href*='/documentrecipientview/add']").click()
    choose(page, "kind", kind)
    page.fill("#seq", str(seq))
    choose(page, "department", unit)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("记录已添加")


def test_add_document_with_recipients(browse):
    page = browse.page("clerk", "zh")
    title = f"关于做好浏览器测试工作的通知（{uuid.uuid4().hex[:6]}）"
    add_outgoing_document(page, title)
    row = page.locator("table tr", has_text=title)
    expect(row).to_contain_text("发文")
    expect(row).to_contain_text("起草中")

    open_record(page, title)
    add_recipient(page, "主送", "思明区人民政府", 1)
    expect(page).to_have_url(re.compile(r"/documentview/show/\d+"))       # back on the document
    add_recipient(page, "抄送", "厦门市发展和改革委员会", 2)

    recipients = page.locator("#DocumentRecipientView table tbody tr")
    expect(recipients).to_have_count(2)
    expect(recipients.nth(0)).to_contain_text("主送")
    expect(recipients.nth(0)).to_contain_text("思明区人民政府")
    expect(recipients.nth(1)).to_contain_text("抄送")
    expect(recipients.nth(1)).to_contain_text("厦门市发展和改革委员会")

    page.locator("ul.nav-tabs").get_by_role("link", name="详情").click()
    expect(shown(page, "主送")).to_have_text("思明区政府")                  # the short names of a recipient line
    expect(shown(page, "抄送")).to_have_text("市发改委")
    expect(shown(page, "标题")).to_have_text(title)
    expect(shown(page, "状态")).to_have_text("起草中")


def test_two_documents_in_a_row_without_a_receipt_number(browse):
    """An outgoing document has no receipt number (收文编号, a unique column): the empty
    field must be saved as no value, or the second such document is refused as a duplicate."""
    page = browse.page("clerk", "zh")
    first, second = (f"关于第{n}份发文的通知（{uuid.uuid4().hex[:6]}）" for n in ("一", "二"))
    add_outgoing_document(page, first)
    add_outgoing_document(page, second)
    expect(page.locator("table tr", has_text=second)).to_have_count(1)


def test_workflow_step_moves_the_status_and_is_in_the_history(browse, draft_document):
    pk, title = draft_document
    page = browse.page("clerk", "zh")
    page.goto(browse.url(f"/documentview/show/{pk}"))
    expect(shown(page, "状态")).to_have_text("起草中")
    step = page.locator("a.office-transition[data-transition=submit_draft]")
    expect(step).to_have_text("提交审核")

    step.click()
    expect(page.locator(".office-transition-path")).to_contain_text("起草中")
    expect(page.locator(".office-transition-path")).to_contain_text("处室审核")
    choose(page, "drafting_division", "文电处")
    page.fill("textarea[name=comment]", "请处室审核")
    page.get_by_role("button", name="确认: 提交审核").click()

    expect(page).to_have_url(re.compile(rf"/documentview/show/{pk}"))
    expect(page.locator(".alert-success")).to_contain_text("提交审核")
    expect(shown(page, "状态")).to_have_text("处室审核")
    expect(shown(page, "拟稿处室")).to_have_text("文电处")
    page.wait_for_load_state()
    expect(page.locator("a.office-transition[data-transition=submit_draft]")).to_have_count(0)

    history = page.locator(".office-status-history tbody tr")
    expect(history.first).to_contain_text("提交审核")
    expect(history.first).to_contain_text("起草中")
    expect(history.first).to_contain_text("处室审核")
    expect(history.first).to_contain_text("clerk")
    expect(history.first).to_contain_text("请处室审核")

    page.locator("ul.nav-tabs").get_by_role("link", name="流转记录").click()   # the handling step it wrote
    expect(page.locator("#DocumentStepView table tbody tr")).to_contain_text(["起草"])

    page.locator("ul.nav-tabs").get_by_role("link", name="修改记录").click()   # and the audit trail
    change = page.locator("#History tbody tr").filter(has_text="处室审核").first
    expect(change).to_contain_text("clerk")
    expect(change).to_contain_text("起草中")
