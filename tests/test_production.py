"""The README's "Running for real", run as written: `make serve` (gunicorn, several
workers) on PostgreSQL with a real SECRET_KEY, CSRF on, throttled sign-in, and — when a
`redis-server` binary is on the machine — the throttle's count shared by the workers
through Redis.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests import pg
from tests.helpers import csrf_token_in

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not pg.available(), reason="PostgreSQL 15 binaries not found")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser: cookies, forms with their CSRF token, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def open(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def token(self, path: str = "/login/") -> str:
        return csrf_token_in(self.open(path)[2])

    def sign_in(self, username: str, password: str) -> int:
        return self.open("/login/", {"username": username, "password": password, "csrf_token": self.token()})[0]


@pytest.fixture(scope="module")
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = pg.free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def served(pg_cluster, redis_url):
    """`make serve` with the README's variables, on its own database; yields (base URL, admin password)."""
    port = pg.free_port()
    env = {**os.environ,
           "DATABASE_URL": pg_cluster.create_database(f"serve_{uuid.uuid4().hex[:8]}"),
           "SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
           "LOGIN_RATE_LIMIT": "4 per minute",
           "RATELIMIT_STORAGE_URI": redis_url or "memory://",
           "ATTACHMENT_DIR": str(Path(pg_cluster.dir) / "attachments"),
           "IMPORT_REPORT_DIR": str(Path(pg_cluster.dir) / "import-reports"),
           # the job queue on Redis as in production (an SQLite file without it); every export a job
           "JOBS_URL": redis_url[:-1] + "1" if redis_url else f"sqlite:///{pg_cluster.dir}/jobs.db",
           "DOWNLOADS_DIR": str(Path(pg_cluster.dir) / "downloads"),
           "EXPORT_JOB_ROWS": "0"}
    env.pop("OFFICE_EMBEDDED", None)
    log = open(Path(pg_cluster.dir) / "serve.log", "w")
    server = subprocess.Popen(["make", "-s", "serve", "HOST=127.0.0.1", f"PORT={port}", "WORKERS=3"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            assert server.poll() is None, (Path(pg_cluster.dir) / "serve.log").read_text()[-3000:]
            try:
                if Browser(base).open("/login/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline, "gunicorn did not answer within 3 minutes"
            time.sleep(0.5)
        admin = subprocess.run([str(ROOT / ".venv/bin/flask"), "create-admin"], cwd=ROOT, capture_output=True,
                               text=True, env={**env, "FLASK_APP": "app:create_app", "PYTHONPATH": str(ROOT)})
        assert admin.returncode == 0, admin.stderr
        password = re.search(r"admin / (\S+)", admin.stdout).group(1)
        yield base, password, env["DATABASE_URL"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()


@pytest.fixture(scope="module")
def admin(served) -> Browser:
    """The Admin signed in once for the tests that work as him: the throttle allows 4 sign-ins a
    minute per name, and the default-password test spends three."""
    base, password, _url = served
    browser = Browser(base)
    assert browser.sign_in("admin", password) == 302
    return browser


def test_make_serve_runs_several_gunicorn_workers_on_postgresql(admin):
    browser = admin
    status, headers, page = browser.open("/documentview/list/")
    assert status == 200 and "公文" in page
    assert headers["X-Frame-Options"] == "DENY" and "nonce-" in headers["Content-Security-Policy"]
    # Forms work across workers (the session and its CSRF token are signed with the shared key).
    for _ in range(6):
        status, _headers, _page = browser.open("/lang/", {"locale": "en", "csrf_token": browser.token("/")})
        assert status == 302
    assert "Documents" in browser.open("/documentview/list/")[2]


def test_an_export_is_prepared_by_the_consumer_make_serve_starts(admin):
    """`make serve` runs huey_consumer beside gunicorn: an export above EXPORT_JOB_ROWS (0 here)
    is queued by one worker, prepared by the consumer, and fetched through any worker."""
    browser = admin
    status, headers, _page = browser.open("/unitaliasview/export/")
    assert status == 302 and re.search(r"/downloads/\d+$", headers["Location"]), (status, headers)
    job = headers["Location"].rsplit("/", 1)[1]
    deadline = time.time() + 90
    while True:
        state = json.loads(browser.open(f"/downloads/{job}/state")[2])
        if state["finished"]:
            break
        assert time.time() < deadline, f"the consumer did not prepare the export: {state}"
        time.sleep(0.5)
    assert state["status"] == "DONE" and state["done"] > 0, state
    status, headers, _body = browser.open(state["url"])
    assert status == 200 and "attachment" in headers["Content-Disposition"]


def test_the_default_admin_password_does_not_exist(served):
    base, password, _url = served
    assert password not in ("admin", "Admin-2026!", "Demo-2026!")
    for guess in ("admin", "Admin-2026!"):
        assert Browser(base).sign_in("admin", guess) == 302     # back to the login page
    assert Browser(base).sign_in("admin", password) == 302


def test_workers_share_the_sign_in_throttle_through_redis(served, redis_url):
    if redis_url is None:
        pytest.skip("redis-server not installed")
    base, _password, _url = served
    browser = Browser(base)
    # 4 per minute per address and name: with three workers counting apart, a fifth try
    # could land on a worker that had seen only one; with Redis every worker sees all.
    codes = [browser.sign_in("nobody-at-all", "Wrong-Pass-2026") for _ in range(6)]
    assert codes[:4] == [302] * 4 and codes[4:] == [429, 429]


def test_backup_and_restore_as_the_readme_says(served, pg_cluster):
    """pg_dump --format=custom, then pg_restore --no-owner into an empty database: same rows."""
    import psycopg

    _base, _password, url = served
    source = url.rsplit("/", 1)[1]
    copy = f"restored_{uuid.uuid4().hex[:8]}"
    dump = Path(pg_cluster.dir) / "office.dump"
    connect = ["-h", "127.0.0.1", "-p", str(pg_cluster.port), "-U", "postgres"]
    subprocess.run([str(pg.PG_BIN / "pg_dump"), *connect, "--format=custom", f"--file={dump}", source], check=True)
    subprocess.run([str(pg.PG_BIN / "createdb"), *connect, "--encoding", "UTF8", copy], check=True)
    subprocess.run([str(pg.PG_BIN / "pg_restore"), *connect, "--no-owner", "-d", copy, str(dump)], check=True)

    def counts(db: str) -> dict:
        with psycopg.connect(f"host=127.0.0.1 port={pg_cluster.port} user=postgres dbname={db}") as conn:
            return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("ab_user", "ab_permission_view_role", "lookup", "audit_log", "alembic_version")}

    original = counts(source)
    assert original["ab_user"] >= 1 and original["lookup"] > 100
    assert counts(copy) == original
