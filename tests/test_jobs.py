"""Large exports and ledgers on the job queue (app/jobs): above EXPORT_JOB_ROWS the user is
sent to a page with a progress bar, a consumer prepares the file in his name, scope and
language, and it waits in My downloads — his alone, each download audited; a job that
may not or cannot be done says why in his language."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from python_calamine import CalamineWorkbook

from app.extensions import db
from app.jobs import queue, runner
from models.audit import AuditLog
from models.base import now_cn
from models.documents import Document
from models.jobs import DONE, FAILED, QUEUED, RUNNING, Job
from models.org import Department
from tests.factories import make

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def small_threshold(app):
    app.config["EXPORT_JOB_ROWS"] = 3          # put back after the test (tests/baseline.py)


@pytest.fixture()
def documents(app):
    """Five documents of the test unit with one word in their titles, and one of another unit."""
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        outside = make(db.session, Department, code=f"JOB-{tag}", name_zh=f"外单位{tag}")
        outside.parent_id = None
        for n in range(5):
            make(db.session, Document, title=f"导出任务{tag}-{n}", direction="INCOMING", created_by="manager")
        make(db.session, Document, title=f"导出任务{tag}-外", direction="INCOMING", lead_department=outside,
             created_by="someone")
        db.session.commit()
    return tag


def _job(app, job_id) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def _wait(app, job_id, timeout: float = 30) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _job(app, job_id)
        if job.status in (DONE, FAILED):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status}")


def _job_id(answer) -> int:
    assert answer.status_code == 302, answer.status_code
    found = re.search(r"/downloads/(\d+)$", answer.location)
    assert found, answer.location
    return int(found.group(1))


def _titles(data: bytes) -> list[str]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return sorted(str(cell) for row in sheet for cell in row if str(cell).startswith("导出任务"))


def test_a_large_export_is_prepared_in_the_background_and_kept_in_my_downloads(
        app, as_role, worker, small_threshold, documents):
    manager = as_role("manager", "zh")
    answer = manager.get(f"/documentview/export/?_flt_0_title={documents}")
    job_id = _job_id(answer)
    page = manager.get(answer.location).get_data(as_text=True)
    assert "正在后台生成" in page or "可下载" in page           # the flash, or already done
    job = _wait(app, job_id)
    assert job.status == DONE and job.rows == 5 and job.total == 5
    state = manager.get(f"/downloads/{job_id}/state").get_json()
    assert state["percent"] == 100 and state["url"].endswith(f"/downloads/{job_id}/file")
    listing = manager.get("/downloads/").get_data(as_text=True)
    assert job.title in listing and "我的下载" in listing
    file = manager.get(state["url"])
    assert file.status_code == 200 and quote(job.title) in file.headers["Content-Disposition"]
    data = file.data
    file.close()
    # what the list shows the manager, and nothing of another unit
    assert _titles(data) == [f"导出任务{documents}-{n}" for n in range(5)]
    with app.app_context():
        acts = (db.session.query(AuditLog).filter(AuditLog.username == "manager", AuditLog.action == "EXPORT")
                .order_by(AuditLog.id.desc()).limit(2).all())
        assert '"msg": "download"' in acts[0].detail and '"msg": "export"' in acts[1].detail
    # another user finds neither the job nor its file
    clerk = as_role("clerk", "zh")
    for url in (f"/downloads/{job_id}", f"/downloads/{job_id}/state", state["url"]):
        assert clerk.get(url).status_code == 404
    assert job.title not in clerk.get("/downloads/").get_data(as_text=True)


def test_a_small_export_still_downloads_at_once(app, as_role, documents):
    answer = as_role("manager", "en").get(f"/documentview/export/?_flt_0_title={documents}")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert len(_titles(answer.data)) == 5


def test_a_large_ledger_is_a_job_too(app, as_role, worker, small_threshold, documents):
    from app.ledgers.spec import ledgers_of

    ledger = next(x for x in ledgers_of(Document) if x.key == "incoming_documents")
    leader = as_role("leader", "en")
    job_id = _job_id(leader.get(f"/documentview/ledger/{ledger.key}/?_flt_0_title={documents}"))
    job = _wait(app, job_id)
    assert job.status == DONE and job.kind == "ledger" and job.rows == 6      # the leader's: every unit's
    assert len(_titles(leader.get(f"/downloads/{job_id}/file").data)) == 6


@pytest.mark.parametrize("lang, reason", [("zh", "您已无权导出该列表。"),
                                          ("en", "You may no longer export this list.")])
def test_a_job_whose_user_lost_the_right_fails_with_the_reason_in_his_language(app, as_role, worker, lang, reason):
    """The rights are checked again when the job runs, not only when it was asked for."""
    with app.app_context():
        viewer = app.appbuilder.sm.find_user("viewer")
        job = Job(user_id=viewer.id, kind="export", entity="Document", endpoint="DocumentView",
                  address="/documentview/export/", title="公文.xlsx", lang="zh_Hans_CN" if lang == "zh" else "en")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    runner.run_job(job_id)
    job = _wait(app, job_id)
    assert job.status == FAILED and job.path is None
    client = as_role("viewer", lang)
    assert client.get(f"/downloads/{job_id}/state").get_json()["reason"] == reason
    assert reason in client.get("/downloads/").get_data(as_text=True)
    # a failed job has no file to fetch: the user is told so, nothing is sent
    assert client.get(f"/downloads/{job_id}/file").status_code == 302


def test_a_job_that_breaks_fails_and_leaves_no_file(app, as_role, worker, small_threshold, documents, monkeypatch):
    from app.screens.views import EntityView

    def broken(self, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(EntityView, "export_file", broken)
    manager = as_role("manager", "en")
    job_id = _job_id(manager.get(f"/documentview/export/?_flt_0_title={documents}"))
    job = _wait(app, job_id)
    assert job.status == FAILED and job.path is None
    assert "could not be prepared" in manager.get(f"/downloads/{job_id}/state").get_json()["reason"]
    assert list(Path(app.config["DOWNLOADS_DIR"]).glob(f"{job_id}-*")) == []


def test_the_bar_follows_the_rows_done(app, as_role):
    with app.app_context():
        user = app.appbuilder.sm.find_user("manager")
        job = Job(user_id=user.id, kind="export", entity="Document", endpoint="DocumentView",
                  address="/documentview/export/", title="公文.xlsx", lang="en", status=RUNNING, total=2000,
                  started_at=now_cn())
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    queue.use(app.config["JOBS_URL"])
    queue.note_progress(job_id, 500)
    manager = as_role("manager", "en")
    state = manager.get(f"/downloads/{job_id}/state").get_json()
    assert (state["done"], state["total"], state["percent"], state["finished"]) == (500, 2000, 25, False)
    page = manager.get(f"/downloads/{job_id}").get_data(as_text=True)
    assert "500 of 2,000 rows" in page and "You may leave this page" in page
    # a running job cannot be removed
    manager.post(f"/downloads/{job_id}/delete")
    assert _job(app, job_id).status == RUNNING
    queue.forget_progress(job_id)


def test_lost_and_expired_jobs_are_tidied(app, as_role):
    folder = Path(app.config["DOWNLOADS_DIR"])
    with app.app_context():
        user = app.appbuilder.sm.find_user("manager")
        old = now_cn() - dt.timedelta(days=30)
        kept = folder / f"expired-{uuid.uuid4().hex}.xlsx"
        kept.write_bytes(b"x")
        expired = Job(user_id=user.id, kind="export", entity="Document", endpoint="DocumentView", address="/",
                      title="old.xlsx", lang="en", status=DONE, path=str(kept), created_at=old,
                      finished_at=old, expires_at=old + dt.timedelta(days=7))
        lost = Job(user_id=user.id, kind="export", entity="Document", endpoint="DocumentView", address="/",
                   title="lost.xlsx", lang="en", status=RUNNING, started_at=old, created_at=old)
        db.session.add_all([expired, lost])
        db.session.commit()
        expired_id, lost_id = expired.id, lost.id
    page = as_role("manager", "en").get("/downloads/").get_data(as_text=True)
    assert "old.xlsx" not in page and not kept.exists()
    assert "lost.xlsx" in page and "The job queue stopped while preparing it" in page
    with app.app_context():
        assert db.session.get(Job, expired_id) is None
        assert db.session.get(Job, lost_id).status == FAILED


def test_huey_consumer_runs_a_job_as_make_serve_does(app, as_role, small_threshold, documents):
    """The consumer of `make serve`: `huey_consumer app.huey`, in a process of its
    own with the web process's environment, builds the app and prepares the file."""
    queue.use(app.config["JOBS_URL"])
    queue.huey.flush()
    manager = as_role("manager", "en")
    job_id = _job_id(manager.get(f"/documentview/export/?_flt_0_title={documents}"))
    assert _job(app, job_id).status == QUEUED
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "JOBS_URL": app.config["JOBS_URL"],
           "DOWNLOADS_DIR": app.config["DOWNLOADS_DIR"], "SECRET_KEY": "consumer-test-" + "k" * 32,
           "OFFICE_EMBEDDED": "0", "PYTHONPATH": str(ROOT)}
    consumer = subprocess.Popen([str(Path(sys.executable).parent / "huey_consumer"), "app.huey",
                                 "-w", "1", "-k", "thread", "-m", "1"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        job = _wait(app, job_id, timeout=90)
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode(errors="replace")
    assert job.status == DONE, output[-2000:]
    assert len(_titles(manager.get(f"/downloads/{job_id}/file").data)) == 5
