"""The print view of every record page (`/<view>/print/<pk>`), and the office's paper forms
an entity declares (`/<view>/paper/<key>/<pk>`: 发文稿纸, 收文处理笺 …, app/paper_forms).

The print view shows the record as the page shows it — the same fields, masking and scope —
on a sheet without menus or buttons, headed with the office's name and the record's secrecy
marking, followed by its status history and stamped with who printed it and when. The
browser prints it (print CSS in static/css/print.css).

Printing is a way out of the system like an export: each print is written to the audit log,
and a user allowed to see sensitive data unmasked leaves the same trace as on the page.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext

from app.audit import coded, record_act, record_read
from app.downloads import send_bytes
from app.paper.pdf_fonts import PaperFontsMissing
from app.paper_forms import layouts
from app.paper_forms.files import render_form
from app.paper_forms.values import secrecy_marking
from models.base import now_cn

#: The media type of each file format a paper is written in.
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

class PrintScreens:

    @expose("/print/<pk>")
    @has_access
    def print_record(self, pk):
        pk = self._deserialize_pk_if_composite(pk)
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        widgets = self._get_show_widget(pk, item)
        self._audit_unmasked(self.show_columns, item)
        self._audit_print(item, coded("print"))
        context = self.workflow_context(item)
        context.pop("transitions", None)
        return self.render_template("office/print.html", pk=pk, title=self.show_title, widgets=widgets,
                                    **self._sheet(item), **context)

    def _sheet(self, item) -> dict:
        """What every sheet shows around its content: the record's name, its secrecy marking,
        who printed it and when."""
        return {"record_name": str(item), "secrecy": secrecy_marking(item), "printed_at": now_cn(),
                "printed_by": getattr(g.user, "username", "")}

    def _audit_print(self, item, detail: str) -> None:
        """A print or a file of the record, written to the audit log like an export."""
        session = self.datamodel.session
        record_act(session, "EXPORT", self.entity.name, record_id=item.id, record_name=str(item)[:300],
                   detail=detail)
        session.commit()

    def papers_of(self, item) -> list:
        """The paper forms this record prints as (its entity's that apply to it)."""
        return [paper for paper in self.entity.papers if paper.applies(item)]

    def _paper_and_record(self, key, pk):
        """The entity's paper `key` and the record `pk` it applies to, within the user's scope; else 404."""
        paper = next((p for p in self.entity.papers if p.key == key), None)
        item = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters) if paper else None
        if item is None or not paper.applies(item):
            abort(404)
        return paper, item

    def _audit_paper_unmasked(self, session, item) -> None:
        """The sensitive values a form showed in full ({entity: fields}; a child's, such as a
        unit's phone), as its fill function noted them."""
        for entity_name, fields in (g.pop("office_paper_unmasked", None) or {}).items():
            record_read(session, entity_name, record_id=item.id if entity_name == self.entity.name else None,
                        record_name=str(item)[:300], detail=coded("unmask", fields=fields))

    @expose("/paper/<key>/<pk>/<fmt>")
    @has_access
    def paper_file(self, key, pk, fmt):
        """A paper written as a file, audited like an export, naming the paper and the format:
        a document in the GB/T 9704 format (its own `render`), or a form (`fill` and no
        `render`) drawn by its layout in force and written by app/paper_forms/files.py."""
        paper, item = self._paper_and_record(key, pk)
        if fmt not in paper.formats or (paper.render is None and paper.fill is None):
            abort(404)
        session = self.datamodel.session
        try:
            if paper.render is not None:
                data, filename = paper.render(item, fmt)
            else:
                data, filename = render_form(session, paper, item, fmt)
        except PaperFontsMissing as missing:
            g.pop("office_paper_unmasked", None)
            flash(gettext("This server cannot make the PDF: a font it embeds is not installed (%(missing)s). "
                          "Tell the administrator; the Word file can be downloaded meanwhile.", missing=str(missing)),
                  "danger")
            return redirect(url_for(f"{self.endpoint}.show", pk=pk))
        self._audit_paper_unmasked(session, item)
        self._audit_print(item, coded("paper", form=key, fmt=fmt, file=filename))
        return send_bytes(data, filename, MEDIA_TYPES.get(fmt, "application/octet-stream"))

    @expose("/paper/<key>/<pk>")
    @has_access
    def print_paper(self, key, pk):
        """One of the office's forms filled from the record: within the user's scope, only for a
        record the form applies to; each print audited, naming the form."""
        paper, item = self._paper_and_record(key, pk)
        if paper.fill is None:
            abort(404)
        values = paper.fill(item)
        session = self.datamodel.session
        self._audit_paper_unmasked(session, item)
        self._audit_print(item, coded("paper", form=key))
        return self.render_template("paper/_sheet.html", pk=pk, paper=paper, title=paper.title,
                                    form=layouts.draw(session, key, values), **self._sheet(item))
