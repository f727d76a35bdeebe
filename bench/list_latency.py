"""List-page latency at scale: what the generated screen costs over the bare SQL it needs.

    python bench/list_latency.py            (sizes from BENCH_SIZES, default 100000,1000000)

On a Personnel table of N rows, on SQLite and on PostgreSQL (a throw-away cluster), it
times BENCH_REPEAT (30) requests of:
  - the first page, as a logged-in Admin;
  - a filtered page (one unit, name starting with 王), as Admin;
  - the first page as a Clerk of one unit (the department scope's conditions);
and, as the baseline, the same SQL run directly through SQLAlchemy Core: the capped count
(`count(*)` over at most LIST_COUNT_CAP + 1 rows) and the page's rows (for the Clerk:
the department scope's condition). Target: p50 under 100 ms.

When the schema lacks one of PROPOSED_INDEXES, the filtered and scoped pages are measured
again with them added (rows marked "+ indexes¹"), and they are dropped afterwards.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BACKENDS, PASSWORD, BenchDB, log, logged_in, on_every_db, sizes_from_env, timed
from bench.table import Row, text_table

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
TARGET_MS = 100.0
BASELINE = "bare SQL: same count + page"
#: ¹ The indexes the scoped and filtered lists need at a million rows, measured with them
#: added by the bench (not in the migrations yet): {name: (leading columns, DDL)}.
#: - unit + live rows in id order, with the name for "starts with": the filtered page's
#:   count reads the index alone, its page walks the unit's rows newest first;
#: - created_by: the department scope ORs "or he registered it himself"; without an index
#:   on that term the database scans the table to count a Clerk's list.
PROPOSED_INDEXES = {
    "ix_personnel_department_live": (("department_id", "is_deleted", "id", "name"),
                                     "CREATE INDEX ix_personnel_department_live ON personnel "
                                     "(department_id, is_deleted, id, name)"),
    "ix_personnel_created_by": (("created_by",), "CREATE INDEX ix_personnel_created_by ON personnel (created_by)"),
}


CLERK = "benchclerk"


def _clerk(db: BenchDB):
    """A Clerk of the bench's first unit (created once per database; his Personnel record is
    one of the unit's rows, so the table keeps exactly its N rows), logged in."""
    from sqlalchemy import select

    from app.extensions import db as sa
    from models.org import Personnel

    app = db.app
    with app.app_context():
        sm = app.appbuilder.sm
        if sm.find_user(CLERK) is None:
            user = sm.add_user(CLERK, "Bench", "Clerk", "clerk@bench.invalid", [sm.find_role("Clerk")],
                               PASSWORD)
            user.personnel_id = sa.session.scalar(select(Personnel.id).where(Personnel.department_id == db.unit_id)
                                                  .limit(1))
            user.department_id = db.unit_id
            sa.session.commit()
        sa.session.remove()
    return logged_in(app, CLERK)


def _page_size(app) -> int:
    """Rows per page of the Personnel list, as the screen shows them."""
    view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "PersonnelView")
    with app.test_request_context():        # the page size is a console setting, read per request
        return view.page_size


def _baselines(unit_id: int, cap: int, page_size: int) -> dict:
    from sqlalchemy import false, func, or_, select

    from models.org import Personnel

    live = Personnel.is_deleted == false()          # as FAB's filter writes it (PostgreSQL: indexable)

    def pair(*conditions):
        matching = select(Personnel.id).where(live, *conditions).limit(cap + 1)     # as the list counts
        count = select(func.count()).select_from(matching.subquery())
        page = select(Personnel).where(live, *conditions).order_by(Personnel.id.desc()).limit(page_size)
        return count, page

    return {
        "first page": pair(),
        "filtered page": pair(Personnel.department_id == unit_id, Personnel.name.ilike("王%")),
        # app/registry/scope.py for a Clerk of the unit: its rows, rows of no unit, rows he registered
        "scoped first page (Clerk)": pair(or_(Personnel.department_id.is_(None), Personnel.department_id.in_([unit_id]),
                                              Personnel.created_by == CLERK)),
    }


def _missing_indexes(db: BenchDB) -> dict[str, str]:
    """The proposed indexes whose leading columns no index of the schema has yet."""
    from sqlalchemy import inspect

    from app.extensions import db as sa

    with db.app.app_context():
        leads = [ix["column_names"] for ix in inspect(sa.engine).get_indexes("personnel")]
    return {name: sql for name, (columns, sql) in PROPOSED_INDEXES.items()
            if not any(lead[:len(columns)] == list(columns) for lead in leads)}


def _run(db: BenchDB, *statements: str) -> None:
    """DDL for the bench only (the migrations are the lead's), then fresh planner statistics."""
    from sqlalchemy import text

    from app.extensions import db as sa

    with db.app.app_context():
        for statement in statements:
            sa.session.execute(text(statement))
        sa.session.commit()
        if db.backend == "PostgreSQL":
            with sa.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE personnel"))
        else:
            sa.session.execute(text("ANALYZE personnel"))
            sa.session.commit()
        sa.session.remove()


def measure(db: BenchDB) -> list[Row]:
    from app.screens.interface import LIST_COUNT_CAP

    app = db.app
    admin = logged_in(app)
    pages = {
        "first page": (admin, "/personnelview/list/"),
        "filtered page": (admin, f"/personnelview/list/?_flt_0_department={db.unit_id}&_flt_0_name=王"),
        "scoped first page (Clerk)": (_clerk(db), "/personnelview/list/"),
    }
    baselines = _baselines(db.unit_id, app.config.get("LIST_COUNT_CAP", LIST_COUNT_CAP), _page_size(app))
    out = _measure_pages(db, pages, baselines, "")
    missing = _missing_indexes(db)
    if missing:
        log(f"{db.backend} {db.rows:,}: adding the proposed indexes (bench only): {', '.join(missing)}")
        _run(db, *missing.values())
        scoped = {name: page for name, page in pages.items() if name != "first page"}
        try:
            out += _measure_pages(db, scoped, baselines, " + indexes¹")
        finally:     # later sections find the schema as it was
            _run(db, *(f"DROP INDEX {name}" for name in missing))
    return out


def _measure_pages(db: BenchDB, pages: dict, baselines: dict, suffix: str) -> list[Row]:
    from app.extensions import db as sa

    app = db.app
    out = []
    for name, (client, url) in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        p50, p95 = timed(lambda u=url, c=client: c.get(u), REPEAT)
        count_q, page_q = baselines[name]
        with app.app_context():
            b50, _b95 = timed(lambda c=count_q, p=page_q: (sa.session.execute(c).scalar(),
                                                          sa.session.execute(p).scalars().all()), REPEAT)
            sa.session.remove()
        log(f"{db.backend} {db.rows:,}: list {name}{suffix}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (SQL {b50:.1f} ms)")
        out.append(Row(f"list page: {name}{suffix}", db.backend, db.rows, p50, unit="ms", p95=p95, baseline=BASELINE,
                       baseline_value=b50, ratio=p50 / b50 if b50 else None, target=f"p50 < {TARGET_MS:.0f} ms",
                       met=p50 < TARGET_MS))
    return out


def run(sizes: list[int], backends=BACKENDS) -> list[Row]:
    return on_every_db(measure, sizes, backends)


if __name__ == "__main__":
    print(text_table(run(sizes_from_env())))
