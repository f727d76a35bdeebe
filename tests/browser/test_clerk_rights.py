"""What a Clerk does not get: a delete button anywhere, the configuration console."""
from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def test_clerk_sees_no_delete_button_on_lists_and_records(browse):
    page = browse.page("clerk", "zh")
    page.locator("nav.office-sidebar").get_by_role("link", name="公文", exact=True).click()
    rows = page.locator("table.table-bordered.table-hover > tbody > tr")
    expect(rows.first).to_be_visible()
    page.wait_for_load_state()                  # the whole page parsed before looking for what must not be there
    expect(rows.first.get_by_role("link", name="编辑")).to_be_visible()        # he may edit ...
    main = page.locator("main")
    expect(main.locator("a[href*='/delete/'], [id^='btn-delete']")).to_have_count(0)     # ... never delete
    expect(main.get_by_text("删除", exact=True)).to_have_count(0)
    expect(page.locator("a.office-trash-link")).to_have_count(0)

    rows.first.get_by_role("link", name="查看").click()
    expect(page).to_have_url(re.compile(r"/documentview/show/\d+"))
    page.wait_for_load_state()
    actions = page.locator(".office-record-actions")
    expect(actions.get_by_role("link", name="编辑")).to_be_visible()
    expect(actions).not_to_contain_text("删除")
    expect(page.locator("main a[href*='/delete/'], main [id^='btn-delete']")).to_have_count(0)   # related tabs too


def test_clerk_has_no_console_link_and_the_console_refuses_him(browse):
    page = browse.page("clerk", "zh")
    expect(page.locator("nav.office-sidebar")).to_be_visible()
    page.wait_for_load_state()
    expect(page.locator("#console-link")).to_have_count(0)
    page.click("#user-menu")
    expect(page.locator("#user-menu ~ .dropdown-menu")).to_be_visible()
    expect(page.locator("a[href^='/console']")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("配置控制台")

    browse.watcher.expect_refusal(403)
    for path in ("/console/", "/console/lookups/", "/console/settings/"):
        response = page.goto(browse.url(path))
        assert response.status == 403 or "/login" in page.url, f"{path}: {response.status} {page.url}"
        expect(page.locator(".console-badge")).to_have_count(0)
        expect(page.locator("body")).not_to_contain_text("代码表")
