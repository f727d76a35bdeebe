"""The office's paper forms in the console: each form's layout (a template) and the office's
layout of the national-format document (app/paper/office_layout.py), to download, to replace
with a changed one, or to restore to the shipped default; what each one's values are called.
An upload that does not parse or cannot be drawn from a real record is refused with the reason
and changes nothing (app/paper_forms/layouts.py, the declared `PaperSpec.layout`); every change
is audited.
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


class FormLayout:
    """A form's layout, as the console handles it: an HTML template (app/paper_forms/layouts.py)."""

    suffix = "html"
    media_type = "text/html; charset=utf-8"
    accept = ".html,.htm,text/html"

    def __init__(self, entity, paper):
        self.entity, self.paper = entity, paper

    def default_source(self) -> str:
        return layouts.default_source(self.paper.key)

    def placeholders(self) -> str:
        return layouts.placeholders(self.paper.key)

    def refusal(self, body: str, record) -> str | None:
        values = self.paper.fill(record if record is not None else self.entity.model())
        return layouts.refusal(self.paper.key, body, values)


def layout_of(entity, paper):
    """The console's handle on a paper's layout: the declared one of a file, else the form's."""
    return paper.layout if paper.layout is not None else FormLayout(entity, paper)


def papers() -> list[tuple]:
    """(entity, paper) of every declared form drawn from a layout and every file with a layout an
    admin may change, in the menu's order."""
    return [(entity, paper) for entity in sorted(REGISTRY.values(), key=lambda e: e.group or "")
            for paper in entity.papers if paper.fill is not None or paper.layout is not None]


def _found(key: str):
    found = next(((e, p) for e, p in papers() if p.key == key), None)
    if found is None:
        abort(404)
    return found


def sample_record(entity, paper):
    """The newest record the paper applies to (what an upload is tried on), or None."""
    model = entity.model
    query = db.session.query(model)
    if hasattr(model, "is_deleted"):
        query = query.filter(model.is_deleted.is_(False))
    for record in query.order_by(model.id.desc()).limit(50):
        if paper.applies(record):
            return record
    return None


class PaperFormsView(ConsoleView):
    intro = _l("The layout of each paper form printed from the record pages (HTML with the placeholders listed), "
               "and the office's choices in the national-format document (a short settings file: the red mark's "
               "words, the signature with or without a seal, labels, the Word file's fonts). Download one, change "
               "it, upload it; restore the default at any time. Every change is audited.")

    @expose("/")
    def index(self):
        rows = []
        for entity, paper in papers():
            stored = layouts.stored(db.session, paper.key)
            handle = layout_of(entity, paper)
            rows.append({"entity": entity, "paper": paper, "stored": stored, "accept": handle.accept,
                         "placeholders": handle.placeholders()})
        return self.render("console/paper_forms.html", rows=rows)

    @expose("/<key>/download")
    def download(self, key):
        entity, paper = _found(key)
        handle = layout_of(entity, paper)
        row = layouts.stored(db.session, key)
        body = (row.body if row is not None else handle.default_source()).encode("utf-8")
        return send_bytes(body, f"{key}.{handle.suffix}", handle.media_type)

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
        reason = layout_of(entity, paper).refusal(body, sample_record(entity, paper))
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
