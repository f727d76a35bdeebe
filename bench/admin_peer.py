"""This project's screens against a Django 5.2 admin over the same rows (issue 19).

    make bench-peer-setup                      Django's own virtualenv (bench/django_peer/.venv)
    python bench/admin_peer.py                 sizes from BENCH_SIZES, default 100000,1000000

On the bench database of each backend and size (bench/common.py: the same Personnel and
Department rows list_latency reads), a Django admin (bench/django_peer/: models over the
project's tables, a ModelAdmin equal to the project's Personnel screen) runs in its own
process and virtualenv (bench/django_peer/driver.py); the project runs in this process.
Each timed request goes to one side then the other, the first side alternating, so that
machine noise hits both alike. Each side times its own requests in-process (its framework's
test client, the response read in full): wall and CPU milliseconds.

Measured, as the Admin (a superuser in Django) and as a Clerk of one unit (his unit scope;
a Django staff user with view and change rights on Personnel only), BENCH_PEER_REPEAT
(default BENCH_REPEAT, 30) samples each: the list's first page, page 500 (a Clerk's last
page when he sees fewer), the filtered list (one unit, name starting with 王), the record
page (Django's change view: it has no other) at a record's first view and after 200 views
of it, the edit form, a save (the form read untimed, sent back with a new name; timed: the
POST and its redirect answer). At 1,000,000 rows (or BENCH_PEER_CAPPED=1) the lists are
measured again against Django's capped-count variant (`show_full_result_count = False`).
Page weight: bytes of the list page, the record page and the edit form.

The ratio is of CPU p50s, project / Django: below 1 the project is ahead. The targets are
issue 19's. At 10,000 rows a run takes a few minutes; at the default sizes, about as long as
the databases take to fill plus ~5 minutes per (backend, size).
"""
from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BACKENDS, ROOT, BenchDB, log, logged_in, on_every_db, sizes_from_env
from bench.peer_forms import form_fields
from bench.peer_protocol import timed_call
from bench.table import Row, text_table

REPEAT = int(os.environ.get("BENCH_PEER_REPEAT", os.environ.get("BENCH_REPEAT", "30")))
PEER_PYTHON = ROOT / "bench" / "django_peer" / ".venv" / "bin" / "python"
VIEWS_BEFORE = 200          # "after 200 views": the record page viewed this often before the timed views
PAGE = 500
PAGE_SIZE = 20              # both sides: the project's console default, Django's list_per_page
CAPPED_FROM = 1_000_000     # Django's capped-count variant is measured from this size on
NAME_START = "王"
DJANGO = "Django admin 5.2"
DJANGO_CAPPED = "Django admin, show_full_result_count=False"
WEIGHT_TARGET_KB = 40.0
ROLES = {"admin": "Admin", "clerk": "Clerk"}


@dataclass(frozen=True)
class Call:
    """One request of one side: a GET, or a save (the form at `url` read untimed, then posted)."""

    op: str                     # "get" or "save"
    role: str                   # "admin" or "clerk"
    url: str
    form_id: str = ""           # save: the id of the edit page's form
    value: str = ""             # save: the new name

    def message(self) -> dict:
        return {"op": self.op, "role": self.role, "url": self.url, "form_id": self.form_id, "field": "name",
                "value": self.value}


Pair = tuple[Call, Call]        # (the project's request, Django's)


@dataclass
class Measure:
    """One row of the table: the same request on both sides, `samples` times, after `warmup`."""

    name: str
    role: str
    samples: list[Pair]
    warmup: list[Pair] = field(default_factory=list)
    peer: str = DJANGO
    target: float = 1.0         # CPU p50 ratio at most
    weight: bool = False        # also a page-weight row


@dataclass
class Sample:
    wall_ms: float
    cpu_ms: float
    bytes: int


@dataclass(frozen=True)
class Setup:
    """What the plan needs to know of a bench database."""

    rows: int
    unit_id: int
    clerk_rows: int             # rows the Clerk's scope lets him see
    record_ids: Sequence[int]   # live rows of the Clerk's unit, distinct, enough for the plan
    capped: bool
    repeat: int = REPEAT


class Urls:
    """The same screen on each side."""

    def __init__(self, django_root: str = "/admin") -> None:
        self.root = f"{django_root}/peer/personnel/"

    @staticmethod
    def project_list(page: int = 1, unit: int | None = None) -> str:
        query = [f"page_PersonnelView={page - 1}"] if page > 1 else []
        if unit is not None:
            query += [f"_flt_0_department={unit}", f"_flt_0_name={NAME_START}"]
        return "/personnelview/list/" + ("?" + "&".join(query) if query else "")

    def django_list(self, page: int = 1, unit: int | None = None) -> str:
        query = [f"p={page}"] if page > 1 else []
        if unit is not None:
            query += [f"department__id__exact={unit}", f"q={NAME_START}"]
        return self.root + ("?" + "&".join(query) if query else "")

    def django_record(self, pk: int) -> str:
        return f"{self.root}{pk}/change/"


def records_needed(repeat: int) -> int:
    """Distinct records one role's plan uses: the fresh views (and their warm-up), the viewed
    record, the edit form's, and one record per side to save."""
    return (repeat + 1) + 1 + 1 + 2


def _pairs(project: Call, django: Call, n: int) -> list[Pair]:
    return [(project, django)] * n


def lists(setup: Setup, role: str, urls: Urls, peer: str) -> list[Measure]:
    """First page, page 500 (or the Clerk's last), the filtered list."""
    n = setup.repeat
    visible = setup.rows if role == "admin" else setup.clerk_rows
    page = max(1, min(PAGE, math.ceil(visible / PAGE_SIZE)))
    paged = f"list page {PAGE}" if page == PAGE else f"list page {page} (the last)"
    out = []
    for name, project, django in (
            ("list first page", Urls.project_list(), urls.django_list()),
            (paged, Urls.project_list(page), urls.django_list(page)),
            ("filtered list (unit + name)", Urls.project_list(unit=setup.unit_id),
             urls.django_list(unit=setup.unit_id))):
        p, d = Call("get", role, project), Call("get", role, django)
        out.append(Measure(name, role, _pairs(p, d, n), warmup=[(p, d)], peer=peer,
                           weight=name == "list first page" and peer == DJANGO))
    return out


def records(setup: Setup, role: str, ids: Sequence[int], urls: Urls) -> list[Measure]:
    """Record page fresh and after 200 views, edit form, save, on `ids` (records_needed of them)."""
    n = setup.repeat
    fresh, (viewed, edited, saved_p, saved_d) = ids[:n + 1], ids[n + 1:n + 5]

    def show(pk: int) -> Pair:
        return Call("get", role, f"/personnelview/show/{pk}"), Call("get", role, urls.django_record(pk))

    edit = Call("get", role, f"/personnelview/edit/{edited}"), Call("get", role, urls.django_record(edited))

    def save(i: int) -> Pair:
        value = f"基准改名{role}{i}"
        return (Call("save", role, f"/personnelview/edit/{saved_p}", "model_form", value),
                Call("save", role, urls.django_record(saved_d), "personnel_form", value))

    return [
        Measure("record page, first view", role, [show(pk) for pk in fresh[1:]], warmup=[show(fresh[0])],
                weight=True),
        Measure(f"record page after {VIEWS_BEFORE} views", role, _pairs(*show(viewed), n),
                warmup=_pairs(*show(viewed), VIEWS_BEFORE)),
        Measure("edit form", role, _pairs(*edit, n), warmup=[edit], weight=True),
        Measure("save", role, [save(i) for i in range(1, n + 1)], warmup=[save(0)], target=1.3),
    ]


def plan(setup: Setup) -> list[Measure]:
    """Every measure of one database, in the order of the table."""
    per_role = records_needed(setup.repeat)
    if len(setup.record_ids) < 2 * per_role:
        raise ValueError(f"the Clerk's unit holds {len(setup.record_ids)} rows; the plan needs {2 * per_role} "
                         "(more rows, or a smaller BENCH_PEER_REPEAT)")
    out: list[Measure] = []
    for i, role in enumerate(ROLES):
        out += lists(setup, role, Urls(), DJANGO)
        out += records(setup, role, setup.record_ids[i * per_role:(i + 1) * per_role], Urls())
    if setup.capped:
        for role in ROLES:
            out += lists(setup, role, Urls("/capped"), DJANGO_CAPPED)
    return out


# --- the figures -------------------------------------------------------------------------------------
def p50(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """Nearest rank: the smallest value at or above 95 % of the samples (of 30, the 29th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def cpu_ratio(project: Sequence[Sample], django: Sequence[Sample]) -> float | None:
    """Project CPU p50 / Django CPU p50: below 1 the project is ahead."""
    theirs = p50([s.cpu_ms for s in django])
    return p50([s.cpu_ms for s in project]) / theirs if theirs > 0 else None


def rows_of(measure: Measure, backend: str, rows: int, project: Sequence[Sample],
            django: Sequence[Sample]) -> list[Row]:
    """The table's row for a measure, and its page-weight row when it has one."""
    label = f"{measure.name} ({ROLES[measure.role]})"
    ratio = cpu_ratio(project, django)
    out = [Row(f"vs Django admin: {label}", backend, rows, p50([s.wall_ms for s in project]), unit="ms",
               p95=p95([s.wall_ms for s in project]), cpu=p50([s.cpu_ms for s in project]), baseline=measure.peer,
               baseline_value=p50([s.wall_ms for s in django]), baseline_p95=p95([s.wall_ms for s in django]),
               baseline_cpu=p50([s.cpu_ms for s in django]), ratio=ratio, target=f"CPU ≤ {measure.target:.1f}×",
               met=None if ratio is None else ratio <= measure.target)]
    if measure.weight:
        ours, theirs = project[0].bytes / 1024, django[0].bytes / 1024
        is_list = measure.name.startswith("list")
        out.append(Row(f"page weight: {label}", backend, rows, ours, unit="KB", baseline=measure.peer,
                       baseline_value=theirs, ratio=ours / theirs if theirs else None,
                       target=f"≤ {WEIGHT_TARGET_KB:.0f} KB" if is_list else "",
                       met=ours <= WEIGHT_TARGET_KB if is_list else None))
    return out


# --- the two sides -------------------------------------------------------------------------------------
def peer_env(url: str, clerk: str) -> dict[str, str]:
    """The Django driver's database settings for the project's SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return {"PEER_DB_VENDOR": "sqlite", "PEER_DB_NAME": parsed.database or "", "PEER_CLERK": clerk}
    return {"PEER_DB_VENDOR": "postgresql", "PEER_DB_NAME": parsed.database or "",
            "PEER_DB_HOST": parsed.host or "127.0.0.1", "PEER_DB_PORT": str(parsed.port or 5432),
            "PEER_DB_USER": parsed.username or "postgres", "PEER_DB_PASSWORD": parsed.password or "",
            "PEER_CLERK": clerk}


def _check(side: str, call: Call, status: int, location: str) -> None:
    """A GET answers 200; a save redirects away from its form (a form shown again is a refusal;
    the project redirects to the page visited before the form, Django to its list)."""
    if call.op == "get" and status != 200:
        raise RuntimeError(f"{side}: {call.url} as {call.role} answered {status}")
    if call.op == "save" and (status != 302 or location.split("?")[0].endswith(call.url)):
        raise RuntimeError(f"{side}: the save of {call.url} as {call.role} was not taken ({status} {location})")


class DjangoSide:
    """The driver process in Django's virtualenv, one request per line."""

    def __init__(self, url: str, clerk: str) -> None:
        if not PEER_PYTHON.exists():
            raise RuntimeError(f"no {PEER_PYTHON}: run `make bench-peer-setup` (Django's own virtualenv)")
        self.process = subprocess.Popen([str(PEER_PYTHON), "-m", "bench.django_peer.driver"], cwd=ROOT,
                                        env={**os.environ, **peer_env(url, clerk)}, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.version = self._read()["django"]

    def _read(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Django driver ended (status {self.process.wait()}); see its log above")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"Django driver:\n{answer['error']}")
        return answer

    def call(self, call: Call) -> Sample:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(call.message()) + "\n")
        self.process.stdin.flush()
        answer = self._read()
        _check("Django", call, answer["status"], answer["location"])
        return Sample(answer["wall_ms"], answer["cpu_ms"], answer["bytes"])

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)


class ProjectSide:
    """This project's app, in this process: the bench Admin and Clerk, signed in."""

    def __init__(self, db: BenchDB, clerk) -> None:
        self.clients = {"admin": logged_in(db.app), "clerk": clerk}

    def call(self, call: Call) -> Sample:
        client = self.clients[call.role]
        if call.op == "get":
            wall, cpu, response = timed_call(lambda: client.get(call.url))
        else:
            data = form_fields(client.get(call.url).get_data(as_text=True), call.form_id)
            data["name"] = call.value
            wall, cpu, response = timed_call(lambda: client.post(call.url, data=data))
        _check("project", call, response.status_code, response.location or "")
        return Sample(wall, cpu, len(response.data))


def interleaved(pairs: Sequence[Pair], project: ProjectSide, django: DjangoSide,
                first: int = 0) -> tuple[list[Sample], list[Sample]]:
    """Each pair's two requests back to back, the side going first alternating."""
    ours, theirs = [], []
    for i, (p, d) in enumerate(pairs):
        if (i + first) % 2 == 0:
            ours.append(project.call(p))
            theirs.append(django.call(d))
        else:
            theirs.append(django.call(d))
            ours.append(project.call(p))
    return ours, theirs


def _setup(db: BenchDB, clerk_name: str) -> Setup:
    from sqlalchemy import false, func, or_, select

    from app.extensions import db as sa
    from models.org import Personnel

    live = Personnel.is_deleted == false()
    with db.app.app_context():
        clerk_rows = sa.session.scalar(select(func.count()).select_from(Personnel).where(
            live, or_(Personnel.department_id.is_(None), Personnel.department_id == db.unit_id,
                      Personnel.created_by == clerk_name)))
        ids = list(sa.session.scalars(select(Personnel.id).where(live, Personnel.department_id == db.unit_id)
                                      .order_by(Personnel.id).limit(2 * records_needed(REPEAT))))
        sa.session.remove()
    capped = db.rows >= CAPPED_FROM or os.environ.get("BENCH_PEER_CAPPED") == "1"
    return Setup(db.rows, db.unit_id, clerk_rows or 0, ids, capped)


def _saved_names(db: BenchDB, measure: Measure) -> None:
    """After the saves: each side's record carries the last name it sent (both saves were real)."""
    from app.extensions import db as sa
    from models.org import Personnel

    project, django = measure.samples[-1]
    with db.app.app_context():
        for side, call in (("project", project), ("Django", django)):
            pk = int(call.url.rstrip("/").split("/")[-2 if side == "Django" else -1])
            name = sa.session.get(Personnel, pk).name
            if name != call.value:
                raise RuntimeError(f"{side}'s save left the name {name!r}, not {call.value!r}")
        sa.session.remove()


def measure(db: BenchDB) -> list[Row]:
    from bench.list_latency import CLERK, _clerk

    clerk = _clerk(db)                    # the project's Clerk; the Django driver reads his unit
    setup = _setup(db, CLERK)
    measures = plan(setup)
    project = ProjectSide(db, clerk)
    django = DjangoSide(db.app.config["SQLALCHEMY_DATABASE_URI"], CLERK)
    log(f"{db.backend} {db.rows:,}: Django {django.version} peer started; {len(measures)} measures")
    out: list[Row] = []
    try:
        for i, m in enumerate(measures):
            interleaved(m.warmup, project, django, first=i)
            ours, theirs = interleaved(m.samples, project, django, first=i)
            if m.name == "save":
                _saved_names(db, m)
            rows = rows_of(m, db.backend, db.rows, ours, theirs)
            out += rows
            log(f"{db.backend} {db.rows:,}: {m.name} ({ROLES[m.role]}) vs {m.peer}: CPU p50 "
                f"{rows[0].cpu:.1f} / {rows[0].baseline_cpu:.1f} ms = {rows[0].ratio or 0:.2f}×")
    finally:
        django.close()
    return out


def run(sizes: list[int], backends=BACKENDS) -> list[Row]:
    return on_every_db(measure, sizes, backends)


if __name__ == "__main__":
    print(text_table(run(sizes_from_env())))
