"""List-page latency at scale: how much the generated screen costs over the bare query.

    python bench/list_latency.py [ROWS ...]        (default 10000 100000)

For each size it fills `personnel` on a fresh SQLite file with ROWS rows, then times, in
one process and one run:
  - the generated list page (first page, and a filtered page), through the Flask test
    client as a logged-in Admin: p50 and p95 over REPEAT requests;
    and the first page as a Clerk of one unit (the department scope's EXISTS conditions);
  - the baseline: the same two SQL statements the page needs (count + first page) run
    directly through SQLAlchemy Core (for the Clerk: the plain department filter).
It prints one table with the ratio page/baseline. Not a test: numbers vary by machine;
the ratios are what to compare between runs.
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红"


def timed(fn, repeat: int = REPEAT) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def fill(app, rows: int) -> int:
    from sqlalchemy import insert, select

    from app.extensions import db
    from models.base import now_cn
    from models.org import Department, Personnel

    rng = random.Random(7)
    with app.app_context():
        units = [Department(name_zh=f"基准单位{i}", unit_type="MUNI_DEPT", sort_order=i) for i in range(40)]
        db.session.add_all(units)
        db.session.commit()
        unit_ids = list(db.session.scalars(select(Department.id)))
        now = now_cn()
        batch = []
        for _ in range(rows):
            batch.append({
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "gender": rng.choice("12"), "political_status": rng.choice(["01", "13", "03"]),
                "department_id": rng.choice(unit_ids), "post_title": "科员", "status": "ZAIZHI",
                "created_at": now, "updated_at": now, "is_deleted": False, "row_version": 1,
            })
            if len(batch) == 5000:
                db.session.execute(insert(Personnel), batch)
                batch = []
        if batch:
            db.session.execute(insert(Personnel), batch)
        db.session.commit()
        return unit_ids[0]


def measure(rows: int) -> list[tuple]:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from models.org import Personnel

    path = Path(tempfile.mkdtemp(prefix="bench-")) / "bench.db"
    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", WTF_CSRF_ENABLED=False, SECRET_KEY="bench" * 8)
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    runner.invoke(args=["init-office"])
    runner.invoke(args=["create-admin", "--password", "bench-pass"])
    unit_id = fill(app, rows)
    client = app.test_client()
    client.post("/login/", data={"username": "admin", "password": "bench-pass"})
    clerk = app.test_client()                     # a Clerk of one unit: the department scope applies
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user("benchclerk", "Bench", "Clerk", "c@bench", [sm.find_role("Clerk")], "bench-pass")
        person = Personnel(name="基准录入员", department_id=unit_id)
        db.session.add(person)
        db.session.flush()
        user.personnel_id = person.id
        db.session.commit()
    clerk.post("/login/", data={"username": "benchclerk", "password": "bench-pass"})

    pages = {
        "first page": (client, "/personnelview/list/"),
        "filtered page": (client, f"/personnelview/list/?_flt_0_department={unit_id}&_flt_0_name=王"),
        "scoped (Clerk)": (clerk, "/personnelview/list/"),
    }
    live = Personnel.is_deleted.is_(False)
    baselines = {
        "first page": (select(func.count()).select_from(Personnel).where(live),
                       select(Personnel).where(live).order_by(Personnel.id.desc()).limit(20)),
        "filtered page": (
            select(func.count()).select_from(Personnel).where(
                live, Personnel.department_id == unit_id, Personnel.name.like("王%")),
            select(Personnel).where(live, Personnel.department_id == unit_id, Personnel.name.like("王%"))
            .order_by(Personnel.id.desc()).limit(20)),
        "scoped (Clerk)": (
            select(func.count()).select_from(Personnel).where(live, Personnel.department_id == unit_id),
            select(Personnel).where(live, Personnel.department_id == unit_id).order_by(Personnel.id.desc()).limit(20)),
    }
    out = []
    for name, (who, url) in pages.items():
        assert who.get(url).status_code == 200
        page_p50, page_p95 = timed(lambda u=url, c=who: c.get(u))
        with app.app_context():
            count_q, page_q = baselines[name]
            base_p50, base_p95 = timed(lambda c=count_q, p=page_q: (db.session.execute(c).scalar(),
                                                                    db.session.execute(p).scalars().all()))
        out.append((rows, name, page_p50, page_p95, base_p50, base_p95))
    return out


def main(sizes: list[int]) -> None:
    results = []
    for rows in sizes:
        results += measure(rows)
    print(f"{'rows':>9} {'page':<14} {'list p50 ms':>11} {'list p95 ms':>11} {'SQL p50 ms':>10} "
          f"{'SQL p95 ms':>10} {'p50 ratio':>9}")
    for rows, name, p50, p95, b50, b95 in results:
        print(f"{rows:>9,} {name:<14} {p50:>11.1f} {p95:>11.1f} {b50:>10.1f} {b95:>10.1f} {p50 / b50:>8.1f}x")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
