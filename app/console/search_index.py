"""The search index in the console: what each list is found by, and its rebuild as a job.

The index is kept current by every save (app/search/keep.py); a rebuild is for after a
restore from a backup, a bulk change made outside the application, or a change of what an
entity is found by. It runs on the job queue (app/jobs) — at a million records it takes
minutes — with a progress bar; the search keeps answering meanwhile, from the entities not
yet cleared and those already rebuilt. `flask search-reindex` does the same from a shell.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.console.access import may_use_console
from app.console.base import ConsoleView
from app.extensions import db
from app.jobs import runner
from app.registry.spec import REGISTRY
from app.search.index import fields_of
from app.search.keep import reindex, searchable

KIND = "reindex"
#: Rebuilds listed on the page (the newest first).
LISTED = 5


def _entities():
    """The searchable entities in the work panel's menu order (by function, then as declared)."""
    return sorted((e for e in REGISTRY.values() if searchable(e)), key=lambda e: e.group or "")


def _found_by(entity) -> str:
    labels = []
    for name in fields_of(entity):
        column = entity.model.__table__.columns.get(name)
        label = (column.info.get("label") if column is not None else None) or name
        labels.append(str(label))
    return "、".join(labels)


def rebuild(job, progress: runner.Progress) -> runner.Made:
    """The job: the chosen entities' index rebuilt, each committed when done (the search reads
    the others meanwhile); its right checked again as it runs."""
    if not may_use_console():
        raise runner.Refused("no_console")
    names = set(runner.params_of(job).get("entities") or [])
    chosen = [e for e in _entities() if not names or e.name in names]
    session = db.session
    progress.total(sum(session.scalar(select(func.count()).select_from(e.model).where(
        e.model.is_deleted.is_(False))) or 0 for e in chosen))
    counts: list[tuple[str, int]] = []
    done = {"before": 0}

    def report(entity, total):
        counts.append((str(entity.title), total - done["before"]))
        done["before"] = total
        session.commit()

    indexed = reindex(session, chosen, report=report, progress=progress)
    session.commit()
    return runner.Made(rows=indexed, outcome={"indexed": indexed, "entities": counts})


runner.WORKS[KIND] = rebuild


class SearchIndexView(ConsoleView):
    intro = _l("The global search finds records by these fields. Every save keeps the index current; rebuild it "
               "after restoring a backup or changing data outside the application. The rebuild runs in the "
               "background with a progress bar.")

    @expose("/", methods=["GET", "POST"])
    def index(self):
        entities = _entities()
        if request.method == "POST":
            wanted = request.form.getlist("entity")
            known = {e.name for e in entities}
            if any(name not in known for name in wanted):
                abort(400)
            everything = not wanted or set(wanted) == known
            title = gettext("Search index: every list") if everything else gettext(
                "Search index: %(lists)s", lists="、".join(str(e.title) for e in entities if e.name in wanted))
            job = runner.queue_job(kind=KIND, title=title[:200], entity="*", endpoint="console_search",
                                   params={"entities": [] if everything else wanted})
            flash(gettext("The search index is being rebuilt in the background."), "info")
            return redirect(url_for("DownloadsView.show", job_id=job.id))
        recent = runner.latest(KIND, LISTED)
        return self.render("console/search_index.html", entities=[(e, _found_by(e)) for e in entities],
                           recent=recent, reason_of=runner.reason_of)
