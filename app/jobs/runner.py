"""Starting a job from a screen, and running it on a consumer.

A job is the screen's own work done later (an export, a ledger, an import): the consumer replays the address the user
asked at (its filters and order) in a request of its own, signed in as him and in his
language, and asks the same view for the same file — so the list's scope, masking and
rights apply exactly as on the screen, checked again when it runs. The file goes to
DOWNLOADS_DIR under a name made from the job's id; the audit log records the export
when it is written and each download of it.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, flash, g, redirect, request, url_for
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from huey import crontab

from app.audit import coded
from app.extensions import db
from app.jobs.queue import forget_progress, huey, note_progress
from models.base import now_cn
from models.jobs import DONE, FAILED, QUEUED, RUNNING, Job

log = logging.getLogger(__name__)

#: Why a job failed, by code (kept in the job's row, put into words when read).
REASONS = {
    "no_right": _l("You may no longer export this list."),
    "no_import_right": _l("You may no longer import into this list."),
    "no_console": _l("You may no longer use the configuration console."),
    "import_refused": _l("Nothing was imported: %(reason)s"),
    "import_problems": _l("Nothing was imported: %(problems)d problems in %(rows)d rows. Download the rows to "
                          "correct, correct them and upload the file again."),
    "no_user": _l("The account that asked for it is no longer active."),
    "lost": _l("The job queue stopped while preparing it. Ask for it again."),
    "failed": _l("It could not be prepared: the server met an error (it is in the server's log). "
                 "Ask for it again; if it fails again, tell the administrator."),
}

#: Rows between two progress notes.
NOTE_EVERY = 500


class Refused(Exception):
    """The job may not be done (any more): `code` says why (REASONS)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def reason_of(job: Job) -> str:
    """Why `job` failed, in the reader's language."""
    try:
        params = json.loads(job.error or "{}")
    except ValueError:
        params = {}
    code = params.pop("msg", "failed")
    if code not in REASONS:
        return str(REASONS["failed"])
    try:
        return str(REASONS[code]) % params if params else str(REASONS[code])
    except (KeyError, TypeError, ValueError):
        return str(REASONS["failed"])


@dataclass
class Made:
    """What a job's work produced: a file for My downloads (or none), the rows it counts, what
    its page shows (`outcome`), and — for work that ran but came to nothing, an import with
    problems — why, as a REASONS code with its parameters (`failed`)."""

    path: str | None = None
    rows: int | None = None
    outcome: dict | None = None
    failed: str | None = None


class Progress:
    """Told the rows done (and the stage: an import reads, checks, writes) as the work goes;
    noted in the queue's store at most every NOTE_EVERY rows, read by the job's page."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.done, self.stage = 0, ""

    def __call__(self, rows: int, stage: str = "") -> None:
        if stage != self.stage or rows - self.done >= NOTE_EVERY or rows < self.done:
            self.done, self.stage = rows, stage
            note_progress(self.job_id, rows, stage)

    def total(self, rows: int | None) -> None:
        """The rows the work will go through (the bar's end)."""
        _finish_total(self.job_id, rows)


#: Work that no list view does (the search index's rebuild), by kind: it checks its own right.
WORKS: dict[str, Callable[[Job, Progress], Made]] = {}


def counting(rows, progress):
    """`rows`, telling `progress` (if any) how many have passed, every NOTE_EVERY."""
    if progress is None:
        yield from rows
        return
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % NOTE_EVERY == 0:
            progress(done)
    progress(done)


# --- the web side ---------------------------------------------------------------------------
def more_rows_than(query, limit: int) -> bool:
    """Whether `query` holds more than `limit` rows (counted no further than that)."""
    from sqlalchemy import func, literal

    capped = query.order_by(None).with_entities(literal(1)).limit(limit + 1).subquery()
    return query.session.query(func.count()).select_from(capped).scalar() > limit


def queue_job(*, kind: str, title: str, entity: str, endpoint: str, key: str | None = None,
              params: dict | None = None, before_queue: Callable[[Job], None] | None = None) -> Job:
    """A job of `kind` for the current user at the current address, queued; `before_queue(job)`
    puts in place what it needs (an import's file) once it has its id."""
    job = Job(user_id=current_user.id, kind=kind, entity=entity, endpoint=endpoint,
              address=request.full_path.rstrip("?"), key=key, title=title, lang=str(get_locale()),
              params=json.dumps(params, ensure_ascii=False) if params is not None else None)
    db.session.add(job)
    db.session.commit()
    if before_queue is not None:
        before_queue(job)
    run_job(job.id)
    return job


def start(view, *, kind: str, title: str, key: str | None = None):
    """Queue `kind` of `view` for the current user at the current address; his next page is
    the job's, with its progress."""
    job = queue_job(kind=kind, title=title, entity=view.entity.name, endpoint=view.endpoint, key=key)
    flash(gettext("“%(title)s” has more than %(rows)d rows: it is being prepared. You may leave this page; "
                  "the file will wait for you in My downloads.",
                  title=title, rows=current_app.config["EXPORT_JOB_ROWS"]), "info")
    return redirect(url_for("DownloadsView.show", job_id=job.id))


# --- the consumer side ----------------------------------------------------------------------
_bound = None
_building = threading.Lock()

#: Builds the app a consumer runs jobs in, from the environment: set by the `app` package when a
#: consumer loads the queue through it (`huey_consumer app.huey`, app/__init__.py).
FACTORY = None


def bind(app) -> None:
    """Run jobs with `app` (the worker command's, a test's); otherwise FACTORY builds one."""
    global _bound
    _bound = app


def flask_app():
    global _bound
    with _building:
        if _bound is None:
            if FACTORY is None:
                raise RuntimeError("no app to run jobs in: start the consumer as `huey_consumer app.huey`")
            _bound = FACTORY()
    return _bound


@huey.on_startup()
def _ready() -> None:
    """A consumer's workers build the app as they start, not when the first job comes."""
    flask_app()


@huey.task()
def run_job(job_id: int) -> None:
    app = flask_app()
    with app.app_context():
        execute(job_id)


@huey.periodic_task(crontab(minute="17", hour="3"))
def tidy_downloads() -> None:
    """Every night: remove the files whose days are over, and their jobs."""
    with flask_app().app_context():
        tidy()


def _reminders_due(when) -> bool:
    """Whether the daily reminder run is due at `when` (REMINDERS_AT, the consumer's minute)."""
    hour, _colon, minute = flask_app().config["REMINDERS_AT"].partition(":")
    return when.hour == int(hour) and when.minute == int(minute or 0)


@huey.periodic_task(_reminders_due)
def run_reminders() -> None:
    """Every morning: the reminders, the weekly summary (Mondays) and the e-mail digest."""
    from app.reminders.run import daily

    with flask_app().app_context():
        daily(db.session)


def execute(job_id: int) -> None:
    """Do job `job_id` once: a job not waiting (done, failed, taken by another consumer) is left."""
    session = db.session
    job = session.get(Job, job_id)
    if job is None or job.status != QUEUED:
        return
    job.status, job.started_at = RUNNING, now_cn()
    session.commit()
    try:
        made = _produce(job)
        stored = _keep(job, made.path) if made.path else None
    except Refused as refused:
        session.rollback()
        _finish(job_id, FAILED, error=coded(refused.code))
    except Exception:
        log.exception("job %s (%s of %s) failed", job_id, job.kind if job else "?", job.entity if job else "?")
        session.rollback()
        _finish(job_id, FAILED, error=coded("failed"))
    else:
        values = {"rows": made.rows,
                  "outcome": json.dumps(made.outcome, ensure_ascii=False, default=str) if made.outcome else None}
        if stored is not None:
            values.update(path=str(stored), size=stored.stat().st_size)
        if made.failed:
            values["error"] = made.failed
        _finish(job_id, FAILED if made.failed else DONE, **values)
    finally:
        forget_progress(job_id)
        _forget_upload(job_id)


#: The right each kind of list work needs on its view, checked again when it runs.
RIGHTS = {"export": ("can_export", "no_right"), "ledger": ("can_export", "no_right"),
          "import": ("can_import", "no_import_right")}


def _produce(job: Job) -> Made:
    """The job's work, done by its view (or its WORKS entry) in a request replayed as the user
    who asked."""
    app = current_app._get_current_object()
    sm = app.appbuilder.sm
    user = sm.get_user_by_id(job.user_id)
    if user is None or not user.is_active:
        raise Refused("no_user")
    with app.test_request_context(job.address), force_locale(job.lang):
        login_user(user)
        g.user = user
        progress = Progress(job.id)
        if job.kind in WORKS:
            return WORKS[job.kind](job, progress)
        view = next((v for v in app.appbuilder.baseviews if getattr(v, "endpoint", None) == job.endpoint), None)
        right, refusal = RIGHTS.get(job.kind, ("can_export", "no_right"))
        if view is None or not sm.has_access(right, view.class_permission_name):
            raise Refused(refusal)
        if job.kind == "import":
            return view.job_import(job, progress)
        progress.total(view.job_total(job))
        path, rows = view.job_output(job, progress)
        return Made(path=path, rows=rows)


def latest(kind: str, count: int) -> list[Job]:
    """The newest `count` jobs of `kind`, whoever asked (the console's last rebuilds)."""
    return (db.session.query(Job).filter(Job.kind == kind)
            .order_by(Job.created_at.desc(), Job.id.desc()).limit(count).all())


def params_of(job: Job) -> dict:
    try:
        return json.loads(job.params or "{}")
    except ValueError:
        return {}


def outcome_of(job: Job) -> dict:
    try:
        return json.loads(job.outcome or "{}")
    except ValueError:
        return {}


def upload_path(job_id: int) -> Path:
    """Where an import job's file waits for the consumer (named by the job, never by the user)."""
    return Path(current_app.config["DOWNLOADS_DIR"]) / f"upload-{job_id}.xlsx"


def _forget_upload(job_id: int) -> None:
    try:
        upload_path(job_id).unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove the upload of job %s", job_id)


def _keep(job: Job, path: str) -> Path:
    """Move the written file into DOWNLOADS_DIR, named by the job (never by user input)."""
    folder = Path(current_app.config["DOWNLOADS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{job.id}-{secrets.token_hex(8)}{Path(path).suffix or '.xlsx'}"
    shutil.move(path, target)
    return target


def _finish_total(job_id: int, total: int | None) -> None:
    db.session.query(Job).filter(Job.id == job_id).update({"total": total})
    db.session.commit()


def _finish(job_id: int, status: str, **values) -> None:
    now = now_cn()
    keep = dt.timedelta(days=current_app.config["DOWNLOADS_KEEP_DAYS"])
    kept = status == DONE or values.get("path")         # a failed import keeps its rows to correct
    values.update(status=status, finished_at=now, expires_at=now + keep if kept else None)
    db.session.query(Job).filter(Job.id == job_id).update(values)
    db.session.commit()


def tidy(session=None) -> None:
    """Remove expired files and their jobs; take a job running past JOB_LOST_MINUTES for lost."""
    session = session or db.session
    now = now_cn()
    for job in session.query(Job).filter(Job.expires_at.isnot(None), Job.expires_at < now):
        if job.path:
            Path(job.path).unlink(missing_ok=True)
        session.delete(job)
    lost = now - dt.timedelta(minutes=current_app.config["JOB_LOST_MINUTES"])
    session.query(Job).filter(Job.status == RUNNING, Job.started_at < lost).update(
        {"status": FAILED, "error": coded("lost"), "finished_at": now})
    session.commit()
