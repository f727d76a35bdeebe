"""What every bench section shares: the app on a filled database, per backend and size,
and a way to measure one operation's time and peak memory in a child process.

A database is filled once per (backend, rows) and process, however many sections use
it. PostgreSQL runs in a throw-away cluster (`tests/pg.py`), started on first use and
stopped at exit.
"""
from __future__ import annotations

import atexit
import datetime as dt
import os
import pickle
import random
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Every bench login (the admin, the Clerk): it has to pass the password policy (app/passwords.py).
PASSWORD = "Bench-Pass-2026!"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红"
PLACES = ["福建厦门", "福建泉州", "福建漳州", "福建福州", "福建莆田", "福建龙岩", "江西上饶", "浙江温州", "广东汕头"]
POSTS = ["科员", "副主任科员", "主任科员", "副处长", "处长", "副主任", "主任", "秘书", "办事员"]
BRANCHES = [f"第{n}党支部" for n in "一二三四五六七八"]
REMARKS = ["", "", "", "", "借调至市委办", "挂职锻炼两年", "=HYPERLINK(\"http://x\")", "兼任工会委员"]
UNITS = 40
CLERKS = 200
BATCH = 5000


def sizes_from_env(default: tuple[int, ...] = (100_000, 1_000_000)) -> list[int]:
    """BENCH_SIZES=10000,100000 (commas or spaces) or the default."""
    raw = os.environ.get("BENCH_SIZES", "").replace(",", " ").split()
    return [int(x) for x in raw] or list(default)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- memory and time of one operation ----------------------------------------------------------
def _status(key: str) -> int:
    """A /proc/self/status value in bytes (VmRSS, VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def _release_free_memory() -> None:
    """Collect garbage and hand free heap pages back to the OS (glibc `malloc_trim`), so that
    what the operation allocates shows as growth whatever the parent left free before the fork."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class PeakMemory:
    """Peak RSS growth from `start()` to `peak_mb()` (VmHWM minus the RSS at start)."""

    def start(self) -> None:
        _release_free_memory()
        _reset_peak()
        self.base = _status("VmRSS")

    def peak_mb(self) -> float:
        return max(_status("VmHWM") - self.base, 0) / 2**20


def in_child(fn: Callable[[PeakMemory], Any]) -> Any:
    """Run `fn(memory)` in a forked child and return its result, so that each operation's
    peak memory is its own. `fn` calls `memory.start()` when what it measures begins."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                  # the child
        os.close(read_end)
        try:
            payload = pickle.dumps(("ok", fn(PeakMemory())))
        except BaseException:
            payload = pickle.dumps(("error", traceback.format_exc()))
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as src:
        data = src.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("bench child died without a result")
    status, value = pickle.loads(data)
    if status != "ok":
        raise RuntimeError(f"bench child failed:\n{value}")
    return value


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


# --- databases -----------------------------------------------------------------------------------
_cluster = None


def postgres_url(name: str, template: str | None = None) -> str:
    """A new database in the bench's throw-away PostgreSQL cluster (a copy of `template`)."""
    global _cluster
    from tests.pg import Cluster, available

    if not available():
        raise RuntimeError("PostgreSQL 15 binaries not found (PG_BIN)")
    if _cluster is None:
        _cluster = Cluster()
        _cluster.start()
        atexit.register(_cluster.stop)
    if template is None:
        return _cluster.create_database(name)
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={_cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:{_cluster.port}/{name}"


@dataclass
class BenchDB:
    app: Any
    backend: str                # "SQLite" or "PostgreSQL"
    rows: int
    unit_id: int                # a unit that holds about rows/UNITS records


_databases: dict[tuple[str, int], BenchDB] = {}


def bench_db(backend: str, rows: int) -> BenchDB:
    """The app on a database with `rows` Personnel rows (filled once per process)."""
    key = (backend, rows)
    if key not in _databases:
        _databases[key] = _make(backend, rows)
    return _databases[key]


#: The databases each section measures on, in this order.
BACKENDS = ("SQLite", "PostgreSQL")


def on_every_db(measure: Callable[[BenchDB], list], sizes: list[int], backends=BACKENDS) -> list:
    """A section's rows: `measure` on each backend at each size."""
    return [row for backend in backends for rows in sizes for row in measure(bench_db(backend, rows))]


_templates: dict[str, str] = {}


def _template(backend: str) -> str:
    """A database with the schema, the reference data, the roles and the admin, made once
    per backend (`flask init-office` writes FAB's permissions one commit at a time: slow);
    each bench database starts as a copy of it."""
    if backend not in _templates:
        from flask_migrate import upgrade

        from app import create_app
        from app.extensions import db

        log(f"{backend}: schema, reference data and roles (once)")
        if backend == "SQLite":
            folder = Path(tempfile.mkdtemp(prefix="bench-"))
            atexit.register(shutil.rmtree, folder, True)
            url = f"sqlite:///{folder / 'template.db'}"
        else:
            url = postgres_url("bench_template")
        app = create_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, SECRET_KEY="bench" * 8)
        with app.app_context():
            upgrade()
        runner = app.test_cli_runner()
        for args in (["init-office"], ["create-admin", "--password", PASSWORD]):
            result = runner.invoke(args=args)
            if result.exit_code != 0:
                raise RuntimeError(f"flask {' '.join(args)} failed: {result.output}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()          # PostgreSQL copies a template only when nobody is connected
        _templates[backend] = url
    return _templates[backend]


def _copy_of_template(backend: str, rows: int) -> str:
    template = _template(backend)
    if backend == "SQLite":
        source = Path(template.removeprefix("sqlite:///"))
        target = source.with_name(f"bench_{rows}.db")
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    return postgres_url(f"bench_{rows}", template=template.rsplit("/", 1)[1])


def _make(backend: str, rows: int) -> BenchDB:
    from app import create_app
    from app.extensions import db

    url = _copy_of_template(backend, rows)
    app = create_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, SECRET_KEY="bench" * 8)
    from bench.flask_admin_view import install as install_flask_admin

    install_flask_admin(app)             # before the first request (Flask refuses blueprints later)
    log(f"{backend}: filling {rows:,} Personnel rows")
    start = time.perf_counter()
    unit_id = fill(app, rows, backend)
    log(f"{backend}: {rows:,} rows in {time.perf_counter() - start:.0f} s")
    with app.app_context():
        db.session.remove()
    return BenchDB(app, backend, rows, unit_id)


def _date(rng: random.Random, first: int, last: int) -> dt.date:
    return dt.date(first, 1, 1) + dt.timedelta(days=rng.randrange((last - first) * 365))


def person(rng: random.Random, unit_ids: list[int], now: dt.datetime) -> dict[str, Any]:
    """One realistic Personnel row: every exported column filled the way an office fills it."""
    birth = _date(rng, 1962, 2000)
    clerk = f"clerk{rng.randrange(CLERKS)}"          # who registered it: the scope's "his own records"
    member = rng.random() < 0.6
    leader = rng.random() < 0.15
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else ""),
        "gender": rng.choice("12"),
        "ethnicity": "01" if rng.random() < 0.9 else f"{rng.randrange(2, 57):02d}",
        "birth_date": birth,
        "id_card_no": f"350203{birth:%Y%m%d}{rng.randrange(10000):04d}",
        "native_place": rng.choice(PLACES),
        "political_status": "01" if member else rng.choice(["03", "12", "13"]),
        "party_join_date": _date(rng, birth.year + 18, min(birth.year + 40, 2025)) if member else None,
        "work_start_date": _date(rng, birth.year + 20, min(birth.year + 25, 2025)),
        "education": rng.choice(["BOSHI", "SHUOSHI", "BENKE", "BENKE", "ZHUANKE"]),
        "category": rng.choice(["GWY", "GWY", "CANGONG", "SHIYE", "GONGQIN"]),
        "department_id": rng.choice(unit_ids),
        "post_title": rng.choice(POSTS),
        "post_since": _date(rng, 2010, 2025),
        "leadership_level": rng.choice(["XC_ZHENG", "XC_FU", "XK_ZHENG", "XK_FU"]) if leader else None,
        "rank": rng.choice(["ZRKY1", "ZRKY2", "ZRKY3", "ZRKY4", "KY1", "KY2", "DYY3"]),
        "mobile": f"13{rng.randrange(10**9):09d}",
        "status": rng.choice(["ZAIZHI"] * 8 + ["JIEDIAO", "GUAZHI"]),
        "party_branch": rng.choice(BRANCHES) if member else None,
        "remark": rng.choice(REMARKS) or None,
        "created_at": now, "updated_at": now, "created_by": clerk, "updated_by": clerk,
        "is_deleted": False, "row_version": 1, "custom_fields": None,
    }


def fill(app, rows: int, backend: str) -> int:
    """Departments, then `rows` Personnel rows by DB-API batches (COPY on PostgreSQL);
    returns the id of the first unit."""
    from sqlalchemy import select, text

    from app.extensions import db
    from models.base import now_cn
    from models.org import Department, Personnel

    rng = random.Random(7)
    with app.app_context():
        db.session.add_all(Department(name_zh=f"基准单位{i}", name_en=f"Bench unit {i}", unit_type="MUNI_DEPT",
                                      sort_order=i) for i in range(UNITS))
        db.session.commit()
        unit_ids = list(db.session.scalars(select(Department.id).where(Department.name_zh.like("基准单位%"))
                                           .order_by(Department.id)))
        now = now_cn()
        if backend == "PostgreSQL":
            _copy(db, Personnel, (person(rng, unit_ids, now) for _ in range(rows)))
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE personnel"))
        else:
            _sqlite_insert(db, Personnel, (person(rng, unit_ids, now) for _ in range(rows)))
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        return unit_ids[0]


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy's SQLite types store: ISO dates, datetimes with microseconds, 0/1."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _sqlite_insert(db, model, records) -> None:
    """Plain DB-API `executemany` in batches: several times faster than Core for a million rows."""
    first = next(records)
    columns = list(first)
    sql = f"INSERT INTO {model.__tablename__} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        batch = [[_sqlite_value(first[c]) for c in columns]]
        for record in records:
            batch.append([_sqlite_value(record[c]) for c in columns])
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
        raw.commit()
    finally:
        raw.close()


def _copy(db, model, records) -> None:
    """PostgreSQL's COPY: ten times faster than INSERTs for a million rows."""
    first = next(records)
    columns = list(first)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY {model.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write_row([first[c] for c in columns])
            for record in records:
                copy.write_row([record[c] for c in columns])
        raw.commit()
    finally:
        raw.close()


def logged_in(app, username: str = "admin"):
    """A test client signed in as `username`. A refused sign-in answers 302 too, back to the
    login page: only a redirect elsewhere is a success."""
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": PASSWORD})
    if response.status_code != 302 or "/login" in (response.location or ""):
        raise RuntimeError(f"login of {username} failed: {response.status_code} {response.location or ''}")
    return client


def after_fork(app) -> None:
    """In a forked child: drop the parent's pooled connections without closing them."""
    from app.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)
