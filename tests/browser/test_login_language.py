"""Signing in through the form, and the language picker of the top bar."""
from __future__ import annotations

import re

import pytest

from tests.browser import support

expect = pytest.importorskip("playwright.sync_api").expect


def test_sign_in_lands_on_the_home_page_with_the_users_name(browse):
    page = browse.page()
    page.goto(browse.url("/login/"))
    expect(page.locator("form[name=login]")).to_be_visible()
    page.fill("#username", "signin")
    page.fill("#password", support.PASSWORD)
    page.locator("form[name=login] [type=submit]").click()

    expect(page).to_have_url(browse.url("/"))
    page.wait_for_load_state()
    expect(page.locator("#dashboard .office-welcome h2")).to_have_text("Signin 测试，您好")
    expect(page.locator("#user-menu")).to_contain_text("Signin 测试")
    expect(page.locator("nav.office-sidebar")).to_contain_text("公文")
    expect(page.locator("form[name=login]")).to_have_count(0)


def test_wrong_password_says_so_and_stays_on_the_login_page(browse):
    page = browse.page()
    page.goto(browse.url("/login/"))
    page.fill("#username", "signin")
    page.fill("#password", "Not-The-Password-1")        # once: accounts lock after a few failures
    page.locator("form[name=login] [type=submit]").click()

    expect(page.locator(".alert")).to_contain_text("无效的用户名或密码")
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("form[name=login]")).to_be_visible()
    expect(page.locator("#user-menu")).to_have_count(0)
    expect(page.locator("nav.office-sidebar")).to_have_count(0)


def test_switch_language_zh_en_zh(browse):
    page = browse.page("viewer", "zh")
    page.locator("nav.office-sidebar").get_by_role("link", name="公文", exact=True).click()
    sidebar = page.locator("nav.office-sidebar")
    heading = page.locator(".panel-heading .panel-title").first

    expect(sidebar).to_contain_text("首页")
    expect(heading).to_have_text("公文")
    expect(page.locator("#lang-menu")).to_contain_text("中文")

    support.switch_language(page, "en")
    expect(page).to_have_url(re.compile(r"/documentview/list/"))    # the same page, now in English
    expect(sidebar).to_contain_text("Home")
    expect(sidebar.get_by_role("link", name="Documents", exact=True)).to_be_visible()
    expect(sidebar).not_to_contain_text("公文")
    expect(heading).to_have_text("Documents")
    expect(page.locator("#lang-menu")).to_contain_text("English")

    page.reload()                                                           # kept on the user, not on the page
    expect(heading).to_have_text("Documents")

    support.switch_language(page, "zh")
    expect(sidebar.get_by_role("link", name="公文", exact=True)).to_be_visible()
    expect(sidebar).not_to_contain_text("Documents")
    expect(heading).to_have_text("公文")


def test_pages_declare_their_language(browse):
    """<html lang> follows the interface language: screen readers read with it, and chromium
    picks the Chinese glyphs (not the Japanese forms) of the shared Han characters by it."""
    page = browse.page("viewer", "zh")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))
    support.switch_language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^en"))
    support.switch_language(page, "zh")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))
    visitor = browse.page()
    visitor.goto(browse.url("/login/"))
    expect(visitor.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))
