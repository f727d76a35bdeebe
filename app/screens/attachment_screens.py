"""Attachments on the record page: upload, download, remove — each through the owner's
permission and department scope (the owner is fetched through the view, so a record
the user cannot see has no attachments he can reach).

Each file has its own secrecy level (docs/domain.md §9), chosen on upload: at most the
record's (a record without a level takes unclassified files only) and never 秘密 or above
(涉密不上网). A 内部 file is downloaded only by a user who passes the record's need-to-know
list (app/registry/need_to_know.py)."""
from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext

from app.attachments import AttachmentRefused, attachments_of, path_of, store
from app.registry import need_to_know
from app.registry.secrecy import attachment_level_problem, attachment_levels, is_classified
from models.attachments import Attachment
from models.lookups import INTERNAL_LEVEL, SECRECY, lookup_label


class AttachmentScreens:

    def attachment_context(self, item) -> dict:
        if not self.entity.is_business or item is None:
            return {}
        return {"attachments": attachments_of(self.datamodel.session, self.entity.name, item.id),
                "can_attach": self.can("edit") and not is_classified(item),
                "classified": is_classified(item),
                "attachment_levels": attachment_levels(item),
                "secrecy_label": partial(lookup_label, SECRECY)}

    def _owner(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None or not self.entity.is_business:
            abort(404)
        return item

    def _attachment(self, item, aid: int) -> Attachment:
        attachment = self.datamodel.session.get(Attachment, aid)
        if attachment is None or attachment.is_deleted or attachment.entity != self.entity.name \
                or attachment.record_id != item.id:
            abort(404)
        return attachment

    def _back(self, pk):
        return redirect(url_for(f"{self.endpoint}.show", pk=pk) + "#Attachments")

    @expose("/attachments/<pk>/upload", methods=["POST"])
    @has_access
    def attach(self, pk):
        item = self._owner(pk)
        if is_classified(item):
            flash(gettext("A record classified Confidential or above keeps no attachment."), "danger")
            return self._back(pk)
        upload = request.files.get("file")
        level = request.form.get("secrecy_level") or "FEIMI"
        try:
            problem = attachment_level_problem(item, level)
            if problem:
                raise AttachmentRefused(problem)
            if upload is None:
                raise AttachmentRefused(gettext("Choose a file to upload."))
            attachment = store(upload.stream, upload.filename or "", entity=self.entity.name, record_id=item.id,
                               title=request.form.get("title"))
            attachment.secrecy_level = level
        except AttachmentRefused as refused:
            flash(str(refused), "danger")
            return self._back(pk)
        session = self.datamodel.session
        session.add(attachment)
        session.commit()
        flash(gettext("Attached: %(name)s", name=attachment.filename), "success")
        return self._back(pk)

    @expose("/attachments/<pk>/<int:aid>")
    @has_access
    def fetch_attachment(self, pk, aid):
        item = self._owner(pk)
        attachment = self._attachment(item, aid)
        if attachment.secrecy_level == INTERNAL_LEVEL and \
                not need_to_know.may_read(self.entity, item, self.datamodel.session):
            abort(404)          # as a record outside his scope: he is not told it exists
        try:
            path = path_of(attachment)
        except FileNotFoundError:
            abort(404)
        if not path.exists():
            abort(404)
        return send_file(path, as_attachment=True, download_name=attachment.filename,
                         mimetype=attachment.mime or "application/octet-stream")

    @expose("/attachments/<pk>/<int:aid>/delete", methods=["POST"])
    @has_access
    def detach(self, pk, aid):
        attachment = self._attachment(self._owner(pk), aid)
        attachment.is_deleted = True          # the file stays: the audit trail may need it
        self.datamodel.session.commit()
        flash(gettext("Attachment removed: %(name)s", name=attachment.filename), "success")
        return self._back(pk)
