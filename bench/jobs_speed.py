"""Work on the job queue (app/jobs, app/reminders): a large export as a job, and the daily
reminder run with its digest.

    python bench/jobs_speed.py            (sizes from BENCH_SIZES, default 100000,1000000)

- export as a job: on a Personnel table of N rows, the Admin's export is asked for with
  EXPORT_JOB_ROWS below N; a real consumer process (`huey_consumer app.huey`)
  prepares it while the web side polls the job's state as the page does. Measured: the time
  from the request to "ready" against the same export downloaded at once (the baseline,
  same process, same rows), and the web process's RSS growth while the job runs (the work is
  the consumer's: the web side should not grow);
- the reminder run: 10,000 users in 500 units, 5 items a unit due soon or overdue, and the
  run that tells each unit's users (in the app) and mails the digest to a local SMTP server
  (aiosmtpd). Baseline: writing the same number of notification rows with one bulk INSERT
  (the floor any run stands on).
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchDB, _status, in_child, log, logged_in, on_every_db, sizes_from_env
from bench.table import Row, text_table

ROOT = Path(__file__).resolve().parent.parent
JOB_TARGET, WEB_MEMORY_TARGET_MB = 1.3, 50.0
DIGEST_USERS, DIGEST_UNITS, ITEMS_PER_UNIT = 10_000, 500, 5


def _direct(db: BenchDB) -> float:
    """Seconds of the Admin's export downloaded at once (the baseline)."""
    def measure(_memory):
        from bench.common import after_fork

        after_fork(db.app)
        db.app.config["EXPORT_JOB_ROWS"] = 10 ** 9
        client = logged_in(db.app)
        start = time.perf_counter()
        response = client.get("/personnelview/export/", buffered=False)
        for _chunk in response.iter_encoded():
            pass
        response.close()
        if response.status_code != 200:
            raise RuntimeError(f"export answered {response.status_code}")
        return time.perf_counter() - start
    return in_child(measure)


def _as_job(db: BenchDB) -> tuple[float, float]:
    """(seconds from the request to ready, MiB the web process grew meanwhile)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    jobs_url, downloads = f"sqlite:///{folder / 'jobs.db'}", str(folder / "downloads")

    def measure(_memory):
        from app.jobs import queue
        from bench.common import after_fork

        after_fork(db.app)
        db.app.config.update(EXPORT_JOB_ROWS=1000, JOBS_URL=jobs_url, DOWNLOADS_DIR=downloads)
        queue.use(jobs_url)
        env = {**os.environ, "DATABASE_URL": str(db.app.config["SQLALCHEMY_DATABASE_URI"]), "JOBS_URL": jobs_url,
               "DOWNLOADS_DIR": downloads, "SECRET_KEY": "bench" * 8, "PYTHONPATH": str(ROOT)}
        consumer = subprocess.Popen([str(Path(sys.executable).parent / "huey_consumer"), "app.huey",
                                     "-w", "1", "-k", "thread", "-n", "-m", "1"], cwd=ROOT, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            for line in consumer.stdout:                   # a consumer running: its app built, waiting
                if "consumer started" in line.lower():
                    break
            threading.Thread(target=consumer.stdout.read, daemon=True).start()
            client = logged_in(db.app)
            client.get("/downloads/")                      # the web side warm before the clock starts
            base = _status("VmRSS")
            peak = base
            start = time.perf_counter()
            answer = client.get("/personnelview/export/")
            if answer.status_code != 302 or "/downloads/" not in answer.location:
                raise RuntimeError(f"the export was not queued: {answer.status_code} {answer.location}")
            job = answer.location.rsplit("/", 1)[1]
            while True:
                state = client.get(f"/downloads/{job}/state").get_json()
                peak = max(peak, _status("VmRSS"))
                if state["finished"]:
                    break
                if time.perf_counter() - start > 3600:
                    raise RuntimeError("the job did not finish within an hour")
                time.sleep(0.2)
            if state["status"] != "DONE":
                raise RuntimeError(f"the job failed: {state}")
            return time.perf_counter() - start, (peak - base) / 2**20
        finally:
            consumer.terminate()
            consumer.wait(60)
    return in_child(measure)


def export_rows(db: BenchDB) -> list[Row]:
    log(f"{db.backend} {db.rows:,}: export at once")
    direct = _direct(db)
    log(f"{db.backend} {db.rows:,}: export as a job")
    seconds, grew = _as_job(db)
    ratio = seconds / direct
    return [
        Row("export xlsx as a job: request to ready", db.backend, db.rows, round(seconds, 1),
            baseline="the same export downloaded at once", baseline_value=round(direct, 1), ratio=round(ratio, 2),
            target=f"≤ {JOB_TARGET}×", met=ratio <= JOB_TARGET),
        Row("  web process while the job runs (RSS growth)", db.backend, db.rows, peak_mb=round(grew, 1),
            target=f"< {WEB_MEMORY_TARGET_MB:.0f} MB", met=grew < WEB_MEMORY_TARGET_MB),
    ]


# --- the reminder run -----------------------------------------------------------------------------
def _digest_db(backend: str):
    """The app on a copy of the bench template with the units, users and items of the run."""
    from sqlalchemy import insert, select, text

    from app import create_app
    from app.extensions import db
    from bench.common import _copy_of_template
    from models.org import Department
    from models.supervision import SupervisionItem

    url = _copy_of_template(backend, -DIGEST_USERS)
    app = create_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, SECRET_KEY="bench" * 8)
    with app.app_context():
        sm = app.appbuilder.sm
        clerk = sm.find_role("Clerk")
        db.session.add_all(Department(code=f"DIG{i:04d}", name_zh=f"提醒单位{i}", unit_type="MUNI_DEPT", sort_order=i)
                           for i in range(DIGEST_UNITS))
        db.session.commit()
        units = list(db.session.scalars(select(Department.id).where(Department.code.like("DIG%"))
                                        .order_by(Department.id)))
        users = sm.user_model.__table__
        now = dt.datetime(2026, 7, 6, 7, 0)
        db.session.execute(insert(users), [
            {"first_name": f"用户{i}", "last_name": "测", "username": f"digest{i:05d}", "password": "x",
             "active": True, "email": f"digest{i:05d}@bench.xm.gov.cn", "department_id": units[i % DIGEST_UNITS],
             "created_on": now, "changed_on": now, "login_count": 0, "fail_login_count": 0}
            for i in range(DIGEST_USERS)])
        ids = list(db.session.scalars(select(users.c.id).where(users.c.username.like("digest%"))))
        db.session.execute(insert(sm.user_model.roles.property.secondary),
                           [{"user_id": uid, "role_id": clerk.id} for uid in ids])
        monday = dt.date(2026, 7, 6)
        for n, unit in enumerate(units):
            for k in range(ITEMS_PER_UNIT):
                db.session.add(SupervisionItem(
                    title=f"提醒基准事项{n}-{k}", lead_department_id=unit, opened_at=dt.date(2026, 6, 1),
                    status="IN_PROGRESS", due_date=monday + dt.timedelta(days=(k % 3) - 1)))
        db.session.commit()
        if backend == "SQLite":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return app


def digest_rows(backend: str) -> list[Row]:
    from aiosmtpd.controller import Controller
    from sqlalchemy import delete, func, insert, select

    from app.extensions import db
    from app.reminders.run import daily
    from models.notifications import Notification
    from tests.pg import free_port

    log(f"{backend}: {DIGEST_USERS:,} users, {DIGEST_UNITS * ITEMS_PER_UNIT:,} items for the reminder run")
    app = _digest_db(backend)

    class Inbox:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Inbox.count += 1
            return "250 OK"

    port = free_port()
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        with app.app_context():
            start = time.perf_counter()
            counts = daily(db.session, dt.date(2026, 7, 6), send_mail=True)
            seconds = time.perf_counter() - start
            told = db.session.scalar(select(func.count()).select_from(Notification))
            rows = [{c: r[c] for c in ("user_id", "kind", "key", "entity", "record_id", "record_name", "detail",
                                       "created_at")}
                    for r in db.session.execute(select(Notification.__table__)).mappings()]
            db.session.execute(delete(Notification))
            db.session.commit()
            floor_start = time.perf_counter()
            db.session.execute(insert(Notification.__table__), rows)
            db.session.commit()
            floor = time.perf_counter() - floor_start
    finally:
        controller.stop()
    log(f"{backend}: reminder run {seconds:.1f} s, {told:,} told, {counts.get('MAILED', 0):,} mailed "
        f"({Inbox.count:,} received)")
    return [Row(f"reminder run: {told:,} notifications, {counts.get('MAILED', 0):,} digests mailed (SMTP)", backend,
                DIGEST_USERS, round(seconds, 1), baseline="bulk INSERT of the same notification rows",
                baseline_value=round(floor, 1), ratio=round(seconds / floor, 1) if floor else None,
                note="no target set by the issue")]


def run(sizes: list[int]) -> list[Row]:
    rows = on_every_db(export_rows, sizes)
    for backend in ("SQLite", "PostgreSQL"):
        rows += digest_rows(backend)
    return rows


if __name__ == "__main__":
    print(text_table(run(sizes_from_env())))
