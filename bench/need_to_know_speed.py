"""What the need-to-know clause (知悉范围, app/registry/need_to_know.py) costs a list page.

    python bench/need_to_know_speed.py       (sizes from BENCH_SIZES, default 100000,1000000)

Beside the bench's Personnel rows, N documents over the bench's 40 units: one in ten 内部,
half of those with a need-to-know list of one or two units. A Clerk of one unit opens the
documents list — its first page, and the page filtered to 内部 documents, where the clause
decides most — through the screen as users call it. The baseline is the same request with
the clause switched off (the Clerk read as one who reads every internal record: the unit
scope alone), interleaved in the same process. The clause adds an EXISTS on the list of
each row to the unit scope's conditions; no target was set for it, the ratio is reported.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BACKENDS, PASSWORD, BenchDB, log, logged_in, on_every_db, sizes_from_env, timed
from bench.table import Row, text_table

REPEAT = 20
CLERK = "ntkclerk"
TITLES = ["关于加强安全生产工作的通知", "关于做好防汛备汛工作的通知", "关于推进政务服务改革的意见",
          "关于城市更新项目的请示", "关于财政预算执行情况的报告"]


def _fill(db: BenchDB) -> int:
    """N documents (a tenth 内部, half of those listed) and their lists; returns how many are listed."""
    from sqlalchemy import insert, select

    from app.extensions import db as sa
    from models.base import now_cn
    from models.documents import Document
    from models.need_to_know import NeedToKnow
    from models.org import Department

    rng = random.Random(9)
    with db.app.app_context():
        units = list(sa.session.scalars(select(Department.id).where(Department.name_zh.like("基准单位%"))))
        now = now_cn()
        start, listed = time.perf_counter(), []
        for first in range(0, db.rows, 5000):
            rows = []
            for n in range(first, min(first + 5000, db.rows)):
                internal = n % 10 == 0
                rows.append({"direction": "INCOMING", "title": f"{rng.choice(TITLES)}（{n}）", "status": "HANDLING",
                             "secrecy_level": "NEIBU" if internal else "FEIMI", "urgency": "PUTONG",
                             "receive_no": f"收{n:08d}", "lead_department_id": rng.choice(units),
                             "created_at": now, "updated_at": now, "created_by": "bench", "updated_by": "bench",
                             "is_deleted": False, "row_version": 1})
            ids = sa.session.execute(insert(Document.__table__).returning(Document.id), rows).scalars().all() \
                if db.backend == "PostgreSQL" else _insert_sqlite(sa, Document, rows)
            listed += [pk for pk, row in zip(ids, rows, strict=True)
                       if row["secrecy_level"] == "NEIBU" and rng.random() < 0.5]
        entries = [{"entity": "Document", "record_id": pk, "department_id": unit, "created_at": now,
                    "created_by": "bench"} for pk in listed for unit in rng.sample(units, rng.choice((1, 2)))]
        for first in range(0, len(entries), 5000):
            sa.session.execute(insert(NeedToKnow.__table__), entries[first:first + 5000])
        sa.session.commit()
        log(f"{db.backend}: {db.rows:,} documents, {len(listed):,} with a list ({len(entries):,} entries) "
            f"in {time.perf_counter() - start:.0f} s")
        sa.session.remove()
    return len(listed)


def _insert_sqlite(sa, model, rows: list[dict]) -> list[int]:
    """SQLite: the rows, then their ids (one writer: the ids are the last ones given)."""
    from sqlalchemy import func, insert, select

    sa.session.execute(insert(model.__table__), rows)
    last = sa.session.scalar(select(func.max(model.id)))
    return list(range(last - len(rows) + 1, last + 1))


def _clerk(db: BenchDB):
    from app.extensions import db as sa

    app = db.app
    with app.app_context():
        sm = app.appbuilder.sm
        if sm.find_user(CLERK) is None:
            user = sm.add_user(CLERK, "Bench", "Clerk", f"{CLERK}@bench.invalid", [sm.find_role("Clerk")], PASSWORD)
            user.department_id = db.unit_id
            sa.session.commit()
        sa.session.remove()
    return logged_in(app, CLERK)


def measure(db: BenchDB) -> list[Row]:
    _fill(db)
    client = _clerk(db)
    pages = {"first page": "/documentview/list/",
             "内部 documents only": "/documentview/list/?_flt_0_secrecy_level=NEIBU"}
    out = []
    for name, url in pages.items():
        for answer in (client.get(url),):
            if answer.status_code != 200:
                raise RuntimeError(f"{url} answered {answer.status_code}")
        with_clause = without = None
        for _round in range(2):              # interleaved: the machine's drift falls on both sides
            p50, p95 = timed(lambda u=url: client.get(u), REPEAT)
            with mock.patch("app.registry.need_to_know.current_reader", lambda: None):
                b50, b95 = timed(lambda u=url: client.get(u), REPEAT)
            with_clause = min(with_clause or p50, p50)
            without = min(without or b50, b50)
        ratio = with_clause / without if without else None
        log(f"{db.backend} {db.rows:,}: documents list ({name}) as a Clerk: p50 {with_clause:.1f} ms with the "
            f"need-to-know clause, {without:.1f} ms without")
        out.append(Row(f"documents list as a Clerk, {name}: with need-to-know", db.backend, db.rows, with_clause,
                       unit="ms", p95=p95, baseline="the same page, unit scope only", baseline_value=without,
                       baseline_p95=b95, ratio=ratio, target="— (reported)", met=None))
    return out


def run(sizes: list[int], backends=BACKENDS) -> list[Row]:
    return on_every_db(measure, sizes, backends)


if __name__ == "__main__":
    print(text_table(run(sizes_from_env())))
