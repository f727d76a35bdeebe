"""The office's paper forms in the console: each form's layout (a template), to download, to
replace with a changed one, or to restore to the shipped default; what each form's values are
called. An upload that does not parse or cannot be drawn from a real record is refused with
the reason and changes nothing (app/paper_forms/layouts.py); every change is audited.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.console.base import ConsoleView
from app.downloads import send_bytes
from app.extensions import db
from app.paper_forms import layouts
from app.registry.spec import REGISTRY


def papers() -> list[tuple]:
    """(entity, paper) of every declared form drawn from a layout, in the menu's order (a file
    in the national format is laid out by the standard's measures, app/paper, not a layout)."""
    return [(entity, paper) for entity in sorted(REGISTRY.values(), key=lambda e: e.group or "")
            for paper in entity.papers if paper.fill is not None]


def _found(key: str):
    found = next(((e, p) for e, p in papers() if p.key == key), None)
    if found is None:
        abort(404)
    return found


def sample_values(entity, paper) -> dict:
    """The values of the newest record the form applies to (what an upload is tried on)."""
    model = entity.model
    query = db.session.query(model)
    if hasattr(model, "is_deleted"):
        query = query.filter(model.is_deleted.is_(False))
    for record in query.order_by(model.id.desc()).limit(50):
        if paper.applies(record):
            return paper.fill(record)
    return paper.fill(model())


class PaperFormsView(ConsoleView):
    intro = _l("The layout of each paper form printed from the record pages. Download one, change it (HTML with "
               "the placeholders listed), upload it; restore the default at any time. Every change is audited.")

    @expose("/")
    def index(self):
        rows = []
        for entity, paper in papers():
            stored = layouts.stored(db.session, paper.key)
            rows.append({"entity": entity, "paper": paper, "stored": stored,
                         "placeholders": layouts.placeholders(paper.key)})
        return self.render("console/paper_forms.html", rows=rows)

    @expose("/<key>/download")
    def download(self, key):
        _entity, paper = _found(key)
        body = layouts.source(db.session, key).encode("utf-8")
        return send_bytes(body, f"{key}.html", "text/html; charset=utf-8")

    @expose("/<key>/upload", methods=["POST"])
    def upload(self, key):
        entity, paper = _found(key)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(gettext("Choose the template file to upload."), "warning")
            return redirect(url_for(".index"))
        try:
            body = upload.read(layouts.MAX_BYTES + 1).decode("utf-8")
        except UnicodeDecodeError:
            flash(gettext("Not saved: %(form)s — the file is not UTF-8 text.", form=paper.title), "danger")
            return redirect(url_for(".index"))
        reason = layouts.refusal(key, body, sample_values(entity, paper))
        db.session.rollback()          # the sample's reads: nothing of them is kept
        if reason:
            flash(gettext("Not saved: %(form)s — %(reason)s", form=paper.title, reason=reason), "danger")
            return redirect(url_for(".index"))
        row = layouts.stored(db.session, key) or layouts.PaperTemplate(key=key)
        row.body, row.updated_by = body, getattr(g.user, "username", None)
        db.session.add(row)
        db.session.commit()
        flash(gettext("Saved: %(form)s now prints with your layout.", form=paper.title), "success")
        return redirect(url_for(".index"))

    @expose("/<key>/restore", methods=["POST"])
    def restore(self, key):
        _entity, paper = _found(key)
        row = layouts.stored(db.session, key)
        if row is not None:
            db.session.delete(row)
            db.session.commit()
        flash(gettext("%(form)s prints with the default layout again.", form=paper.title), "success")
        return redirect(url_for(".index"))
