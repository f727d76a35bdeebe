"""Every test runs twice: on an SQLite file and on a throw-away PostgreSQL cluster.

The schema is built by the Alembic migrations (so every test run also proves that
`flask db upgrade` builds an empty database), then the reference data and one user
per role are added. Tests create the records they need; nothing depends on demo data.
"""

from __future__ import annotations

import gc
import os
import tempfile
import threading
import uuid

import pytest

from tests import pg
from tests.baseline import Baseline

PASSWORD = "Test-Pass-2026!"
ROLE_USERS = {"admin": "Admin", "leader": "Leader", "manager": "Manager", "clerk": "Clerk", "viewer": "Viewer"}

BACKENDS = ["sqlite", "postgresql"]
if os.environ.get("TEST_BACKENDS"):
    BACKENDS = [b.strip() for b in os.environ["TEST_BACKENDS"].split(",") if b.strip()]


#: Test files `make test-fast` leaves to `make test`: a real browser, `make serve` on a real
#: PostgreSQL and Redis, and the hypothesis sweep of the whole API — minutes each, and none is
#: what a change to a screen or a rule usually breaks.
SLOW = ("tests/browser/", "tests/test_production.py", "tests/test_fuzz.py")


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        where = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        if where.startswith(SLOW):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter, config):
    """The order's seed under the summary, where a failure is read: `-q` (addopts) hides the
    header line in which pytest-randomly prints it."""
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.hasplugin("randomly") and isinstance(seed, int):
        terminalreporter.write_line(f"random order: replay with -p randomly --randomly-seed={seed}")


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Exit at once after the summary. A full run leaves a heap of gigabytes (apps, sessions,
    pages kept by tracebacks), and the interpreter's shutdown runs full garbage collections
    over all of it while it clears modules: minutes between the summary line and the prompt
    (seen with gdb in gc_collect_main under finalize_modules). Frozen objects are skipped by
    those collections; the memory goes back to the system with the process. The exit status
    is already decided here, and every fixture and cluster is torn down."""
    gc.freeze()


@pytest.fixture(scope="session")
def pg_cluster():
    if not pg.available():
        pytest.skip("PostgreSQL 15 binaries not found")
    cluster = pg.Cluster()
    cluster.start()
    yield cluster
    cluster.stop()


def build_app(url: str):
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    app = create_app(
        SQLALCHEMY_DATABASE_URI=url,
        WTF_CSRF_ENABLED=False,
        AUTH_RATE_LIMITED=False,   # hundreds of sign-ins a minute; tests/test_security.py throttles its own app
        TESTING=True,
        SQLITE_PRAGMAS={"synchronous": "OFF"},   # thrown away after the run: no sync at each commit
        # FAB's default scrypt costs 80–300 ms a sign-in, by design; the suite signs in thousands of
        # times with one known password. The hash of a password a test sets is as short.
        FAB_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
        SECRET_KEY="test-secret-key-that-is-long-enough-for-jwt",
        ATTACHMENT_DIR=tempfile.mkdtemp(prefix="office-attachments-"),
        IMPORT_REPORT_DIR=tempfile.mkdtemp(prefix="office-import-reports-"),
        DOWNLOADS_DIR=tempfile.mkdtemp(prefix="office-downloads-"),
        # each test app its own queue (tests/test_jobs.py runs a consumer on it)
        JOBS_URL=f"sqlite:///{tempfile.mkdtemp(prefix='office-jobs-')}/jobs.db",
    )
    with app.app_context():
        if os.environ.get("TEST_SCHEMA") == "create_all":  # while a model has no migration yet
            from flask_appbuilder import Model

            Model.metadata.create_all(db.engine)
        else:
            upgrade()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init-office"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        sm = app.appbuilder.sm
        unit = make_test_unit(db.session)
        for username, role in ROLE_USERS.items():
            user = sm.add_user(
                username, username.title(), "Test", f"{username}@test.xm.gov.cn", [sm.find_role(role)], PASSWORD
            )
            place_user(db.session, user, unit)
    return app


#: The unit the test users work in. Departments the factories create go under it, so the
#: scoped roles (Clerk, Manager, Viewer) see the records tests make for them; scope tests
#: create units outside it on purpose.
TEST_UNIT_CODE = "TEST-UNIT"


def make_test_unit(session):
    from models.org import Department

    unit = Department(code=TEST_UNIT_CODE, name_zh="测试处", name_en="Test Division", unit_type="OFFICE_DIVISION")
    session.add(unit)
    session.commit()
    return unit


def place_user(session, user, department):
    """Put a login in `department` (where his scope comes from, set on the account as an
    admin does) and link him to a Personnel record there."""
    from models.org import Personnel

    person = Personnel(name=f"{user.username}测试", department=department)
    session.add(person)
    session.flush()
    user.personnel_id = person.id
    user.department_id = department.id if department is not None else None
    session.commit()
    return user


@pytest.fixture(scope="session", params=BACKENDS)
def app(request):
    if request.param == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database(f"office_{uuid.uuid4().hex[:8]}")
    else:
        handle = tempfile.NamedTemporaryFile(prefix="office-test-", suffix=".db", delete=False)
        handle.close()
        url = f"sqlite:///{handle.name}"
    application = build_app(url)
    application.config["BACKEND"] = request.param
    application.extensions["test_baseline"] = Baseline(application)
    yield application


def _pop_leftover_contexts() -> None:
    """A request or app context a test pushed and never popped stays current for every later
    test: Flask reuses it for the test client's requests, so its `g` (the per-request caches of
    settings and custom-field definitions) outlives the request and serves rows long deleted."""
    from flask.globals import _cv_app, _cv_request

    while (leftover := _cv_request.get(None)) is not None:
        leftover.pop()
    while (leftover := _cv_app.get(None)) is not None:
        leftover.pop()


@pytest.fixture(autouse=True)
def restore_baseline(request):
    """Every test starts from the state the session app was built with (tests/baseline.py),
    whatever the tests before it changed, cleaned up or forgot to."""
    yield
    _pop_leftover_contexts()
    # the value the test got, read without asking the fixture again: the browser suite's `app`
    # is function-scoped and already torn down here (it has no baseline: it runs its own server)
    app = getattr(request.node, "funcargs", {}).get("app")
    baseline = app.extensions.get("test_baseline") if app is not None else None
    if baseline is not None:  # the browser suite and the fuzz run have apps of their own
        baseline.restore()


@pytest.fixture()
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture()
def db_session(app):
    from app.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


def login(client, username: str, password: str = PASSWORD, lang: str | None = "zh"):
    """Sign in and choose `lang` ("zh" or "en") as the user does with the language picker, so the
    pages the test reads are in that language whatever an earlier test saved on the account.
    `lang=None` keeps the account's saved language (the tests of that choice itself)."""
    response = client.post(
        "/login/",
        data={"username": username, "password": password},
        headers={"Accept-Language": "en-US" if lang == "en" else "zh-CN"},
    )
    assert response.status_code == 302 and "/login" not in response.location, f"login of {username} failed"
    if lang is not None:
        client.post("/lang/en" if lang == "en" else "/lang/zh_Hans_CN")
    return client


@pytest.fixture()
def as_role(app):
    """as_role('clerk', lang='en') -> a logged-in test client."""

    def make(username: str, lang: str = "zh"):
        return login(app.test_client(), username, lang=lang)

    return make


@pytest.fixture()
def worker(app):
    """A consumer of the test app's queue, in a thread: what `flask jobs-worker` runs."""
    from app.jobs import queue, runner

    queue.use(app.config["JOBS_URL"])
    runner.bind(app)
    queue.huey.flush()
    stop = threading.Event()

    def consume():
        while not stop.is_set():
            task = queue.huey.dequeue()
            if task is None:
                stop.wait(0.05)
            else:
                queue.huey.execute(task)

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(10)
    runner.bind(None)
