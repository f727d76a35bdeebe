"""Every page of the menu and of the configuration console opens cleanly (the watcher of
conftest.py fails the test on a console error, an uncaught error, a request to another host
or a server error on any of them)."""
from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def visit_all(page, base: str, links: list[str]) -> None:
    refused = []
    for href in dict.fromkeys(links):
        response = page.goto(base + href)
        if response is None or not response.ok:
            refused.append(f"{href}: {response.status if response else 'no answer'}")
    assert not refused, refused


def test_every_menu_page_opens_cleanly(browse):
    page = browse.page("admin", "zh")
    links = page.locator("nav.office-sidebar a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(links) > 30, links
    visit_all(page, browse.base, links)


def test_every_console_page_opens_cleanly(browse):
    page = browse.page("admin", "zh")
    page.locator("#console-link").click()
    expect(page.locator(".console-badge")).to_be_visible()
    links = page.locator("nav.console-sidebar a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert len(links) > 5, links
    visit_all(page, browse.base, links)
