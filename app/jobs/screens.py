"""My downloads: the user's jobs, a job's page with its progress (and, for an import or a
rebuild of the search index, its outcome), and its file.

Only the job's owner sees it; the file is sent under the name the user knows it by, and
each download is audited like the export it is.
"""
from __future__ import annotations

from pathlib import Path

from flask import abort, flash, g, jsonify, redirect, send_file, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from app.audit import coded, record_act
from app.downloads import XLSX
from app.extensions import db
from app.jobs.queue import progress_of
from app.jobs.runner import outcome_of, reason_of, tidy
from app.registry.spec import REGISTRY
from app.signed_in import signed_in, signed_in_json
from models.base import now_cn
from models.jobs import DONE, FAILED, QUEUED, RUNNING, Job

#: Jobs listed on My downloads (the newest first).
LISTED = 100

STATUS = {QUEUED: _l("Waiting"), RUNNING: _l("Being prepared"), DONE: _l("Ready"), FAILED: _l("Failed")}
KINDS = {"export": _l("Export"), "ledger": _l("Ledger"), "import": _l("Import"),
         "reindex": _l("Search index")}
#: The stages of an import, and the share of the bar each takes (from, to).
STAGES = {"read": (_l("Reading the file"), 0, 5), "check": (_l("Checking the rows"), 5, 50),
          "write": (_l("Writing the records"), 50, 99)}
#: Kinds whose page shows an outcome when finished (drawn by the server: the page reloads).
WITH_OUTCOME = {"import", "reindex"}


def _stage(job: Job, stage: str) -> tuple[str, int, int]:
    """(label, from %, to %) of the stage a running job notes."""
    if stage in STAGES:
        label, low, high = STAGES[stage]
        return str(label), low, high
    if stage:                       # the search index: the entity being indexed
        entity = next((e for e in REGISTRY.values() if e.name == stage), None)
        return gettext("Indexing: %(title)s", title=entity.title if entity else stage), 0, 100
    return str(STATUS[job.status]), 0, 100


def state(job: Job) -> dict:
    """What the job's page shows, also as JSON to its progress bar."""
    noted = progress_of(job.id) if job.status == RUNNING else None
    done, stage = noted or (0, "")
    label, low, high = _stage(job, stage) if job.status == RUNNING else (str(STATUS[job.status]), 0, 100)
    if job.kind == "import" and job.status == FAILED:
        label = gettext("Not imported")
    if job.status == DONE:
        done = job.rows or 0
    total = job.total
    if job.status == DONE:
        percent = 100
    elif total:
        percent = min(99, high, low + int(min(done, total) * (high - low) / total))
    else:
        percent = low
    out = {"status": job.status, "label": label, "done": done, "total": total,
           "percent": percent, "finished": job.status in (DONE, FAILED), "reload": job.kind in WITH_OUTCOME}
    if job.path and job.status in (DONE, FAILED):
        out["url"] = url_for("DownloadsView.fetch", job_id=job.id)
    if job.status == FAILED:
        out["reason"] = reason_of(job)
    return out


class DownloadsView(BaseView):
    route_base = "/downloads"
    default_view = "index"

    def _mine(self, job_id) -> Job:
        """The signed-in user's job `job_id`; another's, or none, is not found."""
        job = db.session.get(Job, job_id)
        if job is None or job.user_id != g.user.id:
            abort(404)
        return job


    @expose("/")
    @signed_in
    def index(self):
        tidy()
        jobs = (db.session.query(Job).filter(Job.user_id == g.user.id)
                .order_by(Job.created_at.desc(), Job.id.desc()).limit(LISTED).all())
        return self.render_template("office/downloads.html", jobs=jobs, state=state, kinds=KINDS,
                                    reason_of=reason_of, title=_l("My downloads"), now=now_cn())

    @expose("/<int:job_id>")
    @signed_in
    def show(self, job_id):
        job = self._mine(job_id)
        return self.render_template("office/job.html", job=job, state=state(job), kinds=KINDS,
                                    outcome=outcome_of(job), list_url=_list_url(job), title=job.title)

    @expose("/<int:job_id>/state")
    @signed_in_json
    def progress(self, job_id):
        return jsonify(state(self._mine(job_id)))

    @expose("/<int:job_id>/file")
    @signed_in
    def fetch(self, job_id):
        job = self._mine(job_id)
        if job.status not in (DONE, FAILED) or not job.path or not Path(job.path).is_file():
            flash(gettext("This file is no longer kept: ask for the export again."), "warning")
            return redirect(url_for("DownloadsView.index"))
        if job.kind == "import":            # the rows to correct: the clerk's own file back
            entity = next((e for e in REGISTRY.values() if e.name == job.entity), None)
            name = gettext("Rows to correct - %(title)s", title=entity.title if entity else job.entity)
            return send_file(job.path, as_attachment=True, download_name=f"{name}.xlsx", mimetype=XLSX)
        record_act(db.session, "EXPORT", job.entity, detail=coded("download", file=job.title, rows=job.rows or 0))
        db.session.commit()
        return send_file(job.path, as_attachment=True, download_name=job.title, mimetype=XLSX)

    @expose("/<int:job_id>/delete", methods=["POST"])
    @signed_in
    def delete(self, job_id):
        job = self._mine(job_id)
        if job.status in (QUEUED, RUNNING):
            flash(gettext("It is still being prepared: remove it once it is ready."), "warning")
        else:
            if job.path:
                Path(job.path).unlink(missing_ok=True)
            db.session.delete(job)
            db.session.commit()
            flash(gettext("Removed: %(title)s", title=job.title), "success")
        return redirect(url_for("DownloadsView.index"))


def _list_url(job: Job) -> str | None:
    """The list an import wrote into, for its page's link."""
    if job.kind != "import":
        return None
    try:
        return url_for(f"{job.endpoint}.list")
    except BuildError:       # a view no longer registered
        return None
