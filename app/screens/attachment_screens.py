"""Attachments on the record page: upload, download, remove — each through the owner's
permission and department scope (the owner is fetched through the view, so a record
the user cannot see has no attachments he can reach)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext

from app.attachments import AttachmentRefused, attachments_of, path_of, store
from app.registry.secrecy import is_classified
from models.attachments import Attachment


class AttachmentScreens:

    def attachment_context(self, item) -> dict:
        if not self.entity.is_business or item is None:
            return {}
        return {"attachments": attachments_of(self.datamodel.session, self.entity.name, item.id),
                "can_attach": self.can("edit") and not is_classified(item),
                "classified": is_classified(item)}

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
        try:
            if upload is None:
                raise AttachmentRefused(gettext("Choose a file to upload."))
            attachment = store(upload.stream, upload.filename or "", entity=self.entity.name, record_id=item.id,
                               title=request.form.get("title"))
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
        attachment = self._attachment(self._owner(pk), aid)
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
