"""The browser tests: Debian's chromium driven by Playwright against the app served for real.

One app for the whole run: a fresh SQLite file, migrated, demo data (`seed-demo`), CSRF on
and the sign-in throttle on, exactly as production runs it; served by werkzeug on
127.0.0.1 in a thread. Not parametrized over the databases (the screens are the same).

Every page any test opens is watched (support.Watcher): a JavaScript console error, an
uncaught error, a request to another host (a CDN) or an answer 500 fails the test that
opened it, with the offending URL and message.

Skipped, with the reason, where /usr/bin/chromium or Playwright is missing.
"""
from __future__ import annotations

import importlib.util
import os
import re
import uuid
from pathlib import Path

import pytest

from app.demo.org import DEMO_USERS
from tests.browser import support

PASSWORD = support.PASSWORD
#: username: (role, demo login whose unit he works in). The demo logins get PASSWORD too.
USERS = {
    "admin": ("Admin", None),
    "leader": ("Leader", None),
    "manager": ("Manager", None),
    "clerk": ("Clerk", None),
    "viewer": ("Viewer", None),
    "signin": ("Clerk", "clerk"),       # only the sign-in test logs in as him (the throttle counts per name)
    "supervisor": ("Clerk", "manager"),  # a Clerk of 督查室, which the demo gives its head only
}
#: The demo login of each owning division (app/demo/org.py: `duty` of 总值班室, `hotline` of the
#: 12345 centre, ...), with PASSWORD too where the demo data has him.
DIVISION_LOGINS = [login for login, *_ in DEMO_USERS if login not in USERS]
#: Demo data: enough for full lists, charts and filters; more only costs seconds.
DEMO_SCALE = float(os.environ.get("BROWSER_DEMO_SCALE", "0.2"))


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed"
    if not os.access(support.CHROMIUM, os.X_OK):
        return f"{support.CHROMIUM} not found (apt-get install chromium)"
    return None


@pytest.fixture(scope="package")
def live_server():
    reason = _missing()
    if reason:
        pytest.skip(reason)
    server = support.serve({**USERS, **{login: (None, None) for login in DIVISION_LOGINS}}, PASSWORD, DEMO_SCALE)
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser(live_server):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = support.launch(playwright)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="package")
def _signed_in() -> dict:
    """The cookies of each user's one sign-in through the form, reused by every later page
    of his: the throttle allows a handful of sign-ins per minute and name, as it should."""
    return {}


class Browse:
    """Opens pages for a test: `browse.page("clerk", "en")` is a new browser context, signed
    in as the clerk, with the interface in English (switched through the top bar when it is
    not), on the home page or on `path`. `browse.page()` is an anonymous visitor whose browser
    asks for Chinese."""

    def __init__(self, browser, live_server, signed_in: dict):
        self.browser, self.base, self._signed_in = browser, live_server.base, signed_in
        self.watcher = support.Watcher(re.sub(r"^https?://", "", self.base))
        self.contexts = []

    def context(self, storage_state=None):
        context = self.browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                           accept_downloads=True, storage_state=storage_state)
        context.set_default_timeout(15_000)
        self.watcher.attach(context)
        self.contexts.append(context)
        return context

    def page(self, username: str | None = None, lang: str = "zh", path: str = "/"):
        """`path`: the page to open first (the home page, the dashboard, by default)."""
        state = self._signed_in.get(username) if username else None
        page = self.context(storage_state=state).new_page()
        if username is None:
            return page
        if state is None:
            support.login(page, self.base, username, PASSWORD, None if path == "/" else path)
            self._signed_in[username] = page.context.storage_state()
        else:
            page.goto(self.base + path)
        if support.current_language(page) != lang:
            support.switch_language(page, lang)
        return page

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture()
def browse(browser, live_server, _signed_in):
    pages = Browse(browser, live_server, _signed_in)
    yield pages
    pages.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test's own assertions: fail it if any page it opened misbehaved."""
    result = yield
    pages = item.funcargs.get("browse")
    if isinstance(pages, Browse) and pages.watcher.problems:
        pytest.fail("The pages of this test misbehaved:\n" + pages.watcher.report(), pytrace=False)
    return result


@pytest.fixture()
def app(live_server):
    """The served app (for setting up records and checking what was written). Overrides the
    parent conftest's `app`, which is parametrized over the databases."""
    return live_server.app


@pytest.fixture()
def draft_document(app):
    """(id, title) of an outgoing draft the clerk registered, made directly in the database:
    the tests that use it are about what comes after the add form."""
    from app.extensions import db
    from models.documents import Document

    title = f"关于推进政务服务流程再造的通知（{uuid.uuid4().hex[:6]}）"
    with app.app_context():
        doc = Document(direction="OUTGOING", status="DRAFT", title=title, doc_type="TONGZHI",
                       writing_direction="XIAXING", urgency="PUTONG", secrecy_level="FEIMI", created_by="clerk")
        db.session.add(doc)
        db.session.commit()
        return doc.id, title


@pytest.fixture(scope="package")
def screenshots() -> Path:
    support.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return support.SCREENSHOTS
