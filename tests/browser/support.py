"""What the browser tests and capture.py share: how chromium is launched, how a user
signs in and switches language through the screens, the watcher that records every
console error, page error, server error and request to another host, and the live server.

No import of Playwright here at module level: the suite must be collectable (and skip)
where Playwright is not installed.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

from tests.pg import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

#: The password of every login of the served app (the demo logins' included).
PASSWORD = "Browser-Pass-2026!"

#: The interface languages, as the app's locale keys and as the `lang` attribute of the
#: language choices in the top bar.
LANGS = {"zh": "zh-CN", "en": "en"}

SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS") or Path(__file__).resolve().parent / "screenshots")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# --- what a user does ------------------------------------------------------------------------------
def login(page, base: str, username: str, password: str, next_path: str | None = None) -> None:
    """Sign in through the login form and wait until the app has let the user in: on the home
    page, or on `next_path` (the login page's `next`, as when a link to a page asked for it)."""
    page.goto(f"{base}/login/" + (f"?next={quote(next_path)}" if next_path else ""))
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("form[name=login] [type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in urlparse(url).path)


_LANG_CHOICES = "#lang-menu ~ .dropdown-menu"


def current_language(page) -> str | None:
    """The language the page speaks, as the top bar's language menu marks it."""
    active = page.locator(f"{_LANG_CHOICES} .active[lang], {_LANG_CHOICES} .active [lang]").first
    attribute = active.get_attribute("lang") if active.count() else None
    return next((key for key, value in LANGS.items() if value == attribute), None)


def switch_language(page, lang: str) -> None:
    """Pick a language in the top bar's language menu, as a user does (the choice is a link
    or a button of a small form, whichever the page has), and wait for the page in it."""
    attribute = LANGS[lang]
    page.click("#lang-menu")
    page.locator(f"{_LANG_CHOICES} [lang='{attribute}']").click()
    page.locator(f"{_LANG_CHOICES} .active[lang='{attribute}'], {_LANG_CHOICES} .active [lang='{attribute}']") \
        .wait_for(state="attached")


def choose(page, field: str, text: str, *, within=None) -> None:
    """Pick `text` in a select2 drop-down (FAB's selects): open it, type to narrow long
    lists, click the option. `field` is the select's id; `within` a locator of the select2
    box instead, for the selects without an id (a list filter's operation)."""
    box = within if within is not None else page.locator(f"#select2-{field}-container")
    box.click()
    dropdown = page.locator(".select2-container--open .select2-dropdown")
    search = dropdown.locator(".select2-search__field")
    if search.count() and search.is_visible():
        search.fill(text)
    exact = re.compile(rf"^\s*{re.escape(text)}\s*$")
    dropdown.locator(".select2-results__option", has_text=exact).first.click()
    dropdown.wait_for(state="detached")


def type_into(box, text: str) -> None:
    """Type `text` into a text box, a text area or a date / date-time box as a user does: click
    it, select what is there, type key by key, leave it with Tab (the blur a picker reacts to)."""
    box.click()
    box.press("ControlOrMeta+a")
    box.press_sequentially(text)
    box.press("Tab")


def pick(page, field: str, text: str) -> None:
    """Choose `text` in the select2 drop-down of the select `field` as a user does: click the
    box, type into the search box that opens (focused: the user types at once), Enter."""
    page.locator(f"#select2-{field}-container").click()
    search = page.locator(".select2-container--open .select2-search__field")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    search.wait_for()
    # office.js focuses the box on the next tick after select2:open; a person's first key
    # comes far later than the second this allows, so only a box never focused fails.
    try:
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.matches("
            "'.select2-container--open .select2-search__field')", timeout=2000)
        focused = True
    except PlaywrightTimeout:
        focused = False
    assert focused, f"the drop-down {field!r} opened with its search box not focused: what the user types goes nowhere"
    page.keyboard.type(text)
    if page.locator(f"select#{field}.office-picker").count():
        # a search-as-you-type field (app/screens/pickers.py) asks the server as the user
        # types; he waits for the list and takes the record he means
        exact = re.compile(rf"^\s*{re.escape(text)}\s*$")
        page.locator(".select2-container--open .select2-results__option", has_text=exact).first.click()
    else:
        page.keyboard.press("Enter")
    page.locator(".select2-container--open").wait_for(state="detached")
    chosen = page.locator(f"select#{field} option:checked").inner_text().strip()
    assert chosen == text, f"typed {text!r} into the drop-down {field!r} and pressed Enter: it holds {chosen!r}"


def detail(page, label: str):
    """The value cells of the rows labelled `label` on a record page's Detail tab."""
    label_cell = page.locator("th", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return page.locator("#Home tr").filter(has=label_cell).locator("td")


def download(page, link, folder: Path):
    """Click `link`, save what it downloads into `folder` and open it as an openpyxl workbook."""
    import openpyxl

    with page.expect_download() as info:
        link.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx", path
    return openpyxl.load_workbook(path)


def fill_sheet(book, rows: list[dict], start: int = 2):
    """Write `rows` ({header without its required mark " *": value}) under the first sheet's header."""
    sheet = book.worksheets[0]
    column = {str(cell.value).rstrip(" *"): cell.column for cell in sheet[1] if cell.value}
    for r, values in enumerate(rows, start=start):
        for name, value in values.items():
            sheet.cell(row=r, column=column[name], value=value)
    return book


# --- what a page must never do ---------------------------------------------------------------------
@dataclass
class Watcher:
    """Collects what must not happen on any page: a console error, an uncaught page error,
    a request to a host other than the app's, an answer 500 or above. A test that means to
    be refused (a 403) says so with `expect_refusal`."""

    host: str
    problems: list[str] = field(default_factory=list)
    refusals: set[int] = field(default_factory=set)

    def attach(self, context) -> None:
        context.on("page", self._page)
        for page in context.pages:
            self._page(page)
        context.on("request", self._request)
        context.on("response", self._response)

    def expect_refusal(self, status: int) -> None:
        """The browser logs every 4xx answer as a console error; this one is wanted."""
        self.refusals.add(status)

    def _console(self, page, message) -> None:
        if message.type != "error":
            return
        if any(f"status of {status} " in message.text for status in self.refusals):
            return
        self.problems.append(f"console error on {page.url}: {message.text}")

    def _page(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"page error on {page.url}: {error}"))

    def _request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlparse(url).netloc != self.host:
            self.problems.append(f"request to another host: {url}")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"server error {response.status}: {response.url}")

    def report(self) -> str:
        return "\n".join(self.problems)


# --- the live server -------------------------------------------------------------------------------
@dataclass
class LiveServer:
    base: str
    app: object
    server: object
    thread: threading.Thread
    setup_seconds: float = 0.0

    def stop(self) -> None:
        """Stop serving and remove the run's database and folders."""
        import shutil

        from app.extensions import db

        self.server.shutdown()
        self.thread.join(timeout=10)
        with self.app.app_context():
            db.engine.dispose()
        Path(self.app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).unlink(missing_ok=True)
        for folder in ("ATTACHMENT_DIR", "IMPORT_REPORT_DIR"):
            shutil.rmtree(self.app.config[folder], ignore_errors=True)


def _app(db_file: str):
    from app import create_app

    return create_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_file}",
        WTF_CSRF_ENABLED=True,
        SECRET_KEY="browser-test-secret-key-long-enough-for-jwt",
        ATTACHMENT_DIR=tempfile.mkdtemp(prefix="office-browser-attachments-"),
        IMPORT_REPORT_DIR=tempfile.mkdtemp(prefix="office-browser-import-reports-"),
        # the job queue and its files: the run's own, never the checkout's instance/ (a `make run` may use it)
        JOBS_URL=f"sqlite:///{tempfile.mkdtemp(prefix='office-browser-jobs-')}/jobs.db",
        DOWNLOADS_DIR=tempfile.mkdtemp(prefix="office-browser-downloads-"),
        # static files cached by the browser, as the reverse proxy in front of production serves them
        # (werkzeug alone answers each page's twenty CSS/JS requests again): a third off the crawl
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        # a throw-away database signed in to hundreds of times (tests/conftest.py says why)
        SQLITE_PRAGMAS={"synchronous": "OFF"},
        FAB_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
    )


def _fill(app, users: dict[str, tuple[str, str | None]], password: str, scale: float) -> None:
    """Migrate, reference data, demo data at `scale`, and `users` ({username: (role, demo
    login whose unit he works in, or None)}), all with `password` (the demo logins too; a
    role None: a demo login, given the password where the demo data has him)."""
    from flask_migrate import upgrade

    from app.extensions import db

    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    for args in (["init-office"], ["seed-demo", "--scale", str(scale)]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, f"{args}: {result.output}\n{result.exception!r}"
    with app.app_context():
        sm = app.appbuilder.sm
        for username, (role, like) in users.items():
            user = sm.find_user(username=username)
            if user is None and role is None:           # a demo login the demo data does not have (yet)
                continue
            if user is None:
                user = sm.add_user(username, username.title(), "测试", f"{username}@browser.xm.gov.cn",
                                   [sm.find_role(role)], password)
                assert user, f"could not add {username}"
            else:
                sm.reset_password(user.id, password)
            if like:
                model = sm.find_user(username=like)
                user.personnel_id, user.department_id = model.personnel_id, model.department_id
            db.session.commit()


def _cache_key(*parts) -> str:
    """What the built database depends on: the code that migrates, seeds and names the
    permissions, the framework's version, the day (demo dates follow today) and `parts`."""
    import datetime as dt
    from importlib.metadata import version

    digest = hashlib.sha256(repr((parts, dt.date.today().isoformat(), version("flask-appbuilder"))).encode())
    for top in ("app", "models", "views", "migrations", "config.py"):
        path = ROOT / top
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


def _copy_database(source: str, target: str) -> None:
    """SQLite's online backup; raises sqlite3.OperationalError when `source` is gone."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def build_app(users: dict[str, tuple[str, str | None]], password: str, scale: float):
    """The app on a fresh SQLite file holding the schema, the reference data, the demo data
    and `users`. CSRF on, the sign-in throttle on: the app as production runs it.

    Building takes most of a minute (`init-office` alone half of it), so the built file is
    kept in the temp directory under a key of everything it depends on, and the next run
    with the same code starts from a copy of it (BROWSER_DB_CACHE=0: always build)."""
    handle = tempfile.NamedTemporaryFile(prefix="office-browser-", suffix=".db", delete=False)
    handle.close()
    use_cache = os.environ.get("BROWSER_DB_CACHE", "1") != "0"
    cached = Path(tempfile.gettempdir()) / "office-browser-db-cache" / f"{_cache_key(users, password, scale)}.db"
    if use_cache and cached.exists():
        try:
            _copy_database(str(cached), handle.name)
            return _app(handle.name)
        except sqlite3.OperationalError:            # replaced meanwhile by another run: build
            pass
    app = _app(handle.name)
    _fill(app, users, password, scale)
    if use_cache:
        cached.parent.mkdir(exist_ok=True)
        for stale in cached.parent.glob("*.db"):        # one kept: the code it was built by has changed
            stale.unlink(missing_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        _copy_database(handle.name, str(partial))
        partial.replace(cached)
    return app


def start_server(app) -> LiveServer:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:    # errors are still logged
            pass

    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{port}", app, server, thread)


def serve(users: dict[str, tuple[str, str]], password: str, scale: float) -> LiveServer:
    started = time.monotonic()
    live = start_server(build_app(users, password, scale))
    live.setup_seconds = time.monotonic() - started
    return live
