"""The import screen of every entity a clerk registers: the template, the upload, the
report. One page does it all, so the clerk who gets a refusal corrects and re-uploads
where he stands."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.audit import coded
from app.downloads import send_xlsx
from app.importer import build_template, import_file
from app.importer import historical as stated
from app.importer.errors import FileRefused
from app.importer.fields import import_fields
from app.importer.mapping import (
    fixed_fields,
    forget_upload,
    from_form,
    keep_upload,
    kept_upload,
    propose,
    remember,
)
from app.importer.reader import check_size, count_rows
from app.importer.report import report_path, write_report
from app.importer.run import INSERT, UPDATE, UPSERT, import_modes, key_fields
from app.importer.template import _format_hint, header_text, locale_code
from app.jobs import runner
from models.base import today_cn

#: Problems listed on the page; the downloadable report holds them all.
SHOWN_PROBLEMS = 200
#: Reports a user may download again in his session.
KEPT_REPORTS = 10

MODE_LABELS = {INSERT: _l("Add new records"), UPDATE: _l("Update existing records by key"),
               UPSERT: _l("Update those found by key, add the others")}
#: The rights a mode needs besides `import`, as a form save would: adding, changing.
MODE_RIGHTS = {INSERT: ("add",), UPDATE: ("edit",), UPSERT: ("add", "edit")}


def mode_refusal(entity, mode: str, can) -> str | None:
    """Why the user may not import `entity` in `mode` (page and API alike), or None.
    `can(act)` says whether he holds the right `act` on the entity."""
    if mode not in import_modes(entity):
        return gettext("Unknown import mode %(mode)s: use one of %(modes)s.", mode=mode,
                       modes=", ".join(import_modes(entity)))
    missing = [act for act in MODE_RIGHTS[mode] if not can(act)]
    if missing:
        if missing[0] == "add":
            return gettext("You may not add records to this list.")
        return gettext("You may not change records of this list.")
    return None


class ImportScreens:

    def can_import(self) -> bool:
        return not self.entity.read_only and self.can("import")

    def _columns_help(self) -> list[tuple[str, bool, str]]:
        locale = locale_code()
        return [(header_text(f, locale), f.required, _format_hint(f)) for f in import_fields(self.entity)]

    @expose("/import/", methods=["GET", "POST"])
    @has_access
    def import_upload(self):
        """Upload, then either the mapping step (the "review the columns" button) or the
        check and write with the proposed mapping; the mapping step posts back here with
        the kept file's token and the clerk's choice of column for each field."""
        if self.entity.read_only:
            abort(404)
        result = report_token = proposal = None
        if request.method == "POST" and request.form.get("token"):
            return self._import_mapped(request.form["token"])
        if request.method == "POST":
            upload = request.files.get("file")
            mode = request.form.get("mode") or INSERT
            refusal = mode_refusal(self.entity, mode, self.can) or self._historical_refusal()
            if upload is None or not upload.filename:
                flash(gettext("Choose the Excel file to import."), "warning")
            elif refusal:
                flash(refusal, "warning")
            elif request.form.get("review"):
                proposal, result = self._review(upload.read(), upload.filename)
            elif self._large(data := upload.read(), upload.filename):
                return self._queue_import(data, upload.filename, mode=mode)
            else:
                result = import_file(self.entity, data, upload.filename, self.datamodel.session,
                                     check_only=bool(request.form.get("check_only")), mode=mode,
                                     historical=self._historical())
                report_token = self._keep_report(result)
                if result.ok and not result.checked_only:
                    return self._imported(result)
        return self._import_page(result, report_token, proposal)

    def _mode(self) -> str:
        return request.form.get("mode") or INSERT

    def _historical(self) -> bool:
        """Whether the form asks for a historical import (app/importer/historical.py)."""
        return request.method == "POST" and bool(request.form.get("historical"))

    def _historical_refusal(self) -> str | None:
        """Why a historical import asked for may not be done: checked at the upload and
        again at the mapping step, whose hidden field proves nothing."""
        return stated.refusal(self.entity, self.can) if self._historical() else None

    def _import_page(self, result, report_token, proposal):
        return self.render_template(
            "office/import.html", result=result, report_token=report_token, shown=SHOWN_PROBLEMS,
            proposal=proposal, locale=locale_code(), columns=self._columns_help(),
            title=_l("Import: %(title)s", title=self.entity.title),
            modes=[(m, MODE_LABELS[m]) for m in import_modes(self.entity)], mode=self._mode(),
            historical=self._historical(),
            historical_offered=stated.offered(self.entity) and self.can(stated.ACT),
            key_headers="、".join(f.header(locale_code()) for f in key_fields(self.entity)))

    def _keep_report(self, result):
        if not result.bad_rows:
            return None
        token = write_report(result)
        session["import_reports"] = ([token] + session.get("import_reports", []))[:KEPT_REPORTS]
        return token

    def _imported(self, result):
        if result.updated:
            flash(gettext("Imported %(rows)d records and updated %(updated)d from %(file)s.",
                          rows=result.created, updated=result.updated, file=result.filename), "success")
        else:
            flash(gettext("Imported %(rows)d records from %(file)s.", rows=result.created, file=result.filename),
                  "success")
        return redirect(url_for(f"{self.endpoint}.list"))

    def _review(self, data: bytes, filename: str):
        """The mapping step of a new upload, or the refusal of a file that cannot be read."""
        from app.importer.run import ImportResult

        try:
            check_size(data)
        except FileRefused as refusal:
            return None, ImportResult(filename=filename, refused=str(refusal))
        token = keep_upload(self.entity, data, filename)
        try:
            return propose(self.entity, data, filename, token, self.datamodel.session,
                           historical=self._historical()), None
        except FileRefused as refusal:          # not kept: there is nothing to map
            forget_upload(token)
            return None, ImportResult(filename=filename, refused=str(refusal))

    def _import_mapped(self, token: str):
        """Check (and unless only checking, write) a kept upload with the clerk's mapping.
        A token not of this user's session, a forged column or field, a required field
        left out, a mode he may not use: said, nothing imported, nothing remembered."""
        kept = kept_upload(self.entity, token)
        if kept is None:
            flash(gettext("The uploaded file is no longer available; upload it again."), "danger")
            return self._import_page(None, None, None)
        data, filename = kept
        historical = self._historical()
        fields = stated.fields_for(self.entity, historical)
        session_db = self.datamodel.session
        try:
            shown = propose(self.entity, data, filename, token, session_db, historical=historical)
        except FileRefused as refusal:
            flash(str(refusal), "danger")
            return self._import_page(None, None, None)
        refusal = mode_refusal(self.entity, self._mode(), self.can) or self._historical_refusal()
        if refusal:
            flash(refusal, "warning")
            return self._import_page(None, None, shown)
        width = max((i for i, _h, _s in shown.columns), default=-1) + 1
        headers = [next((h for i, h, _s in shown.columns if i == j), "") for j in range(width)]
        try:
            chosen = from_form(request.form, headers, fields, complete=self._mode() != UPDATE,
                               fixed=lambda mapped: fixed_fields(self.entity, data, filename, mapped))
        except FileRefused as refusal:
            flash(str(refusal), "danger")
            return self._import_page(None, None, shown)
        proposal = propose(self.entity, data, filename, token, session_db, chosen=chosen, historical=historical)
        if not historical:               # a one-off file: the next ordinary import keeps its own proposal
            remember(self.entity, headers, chosen, session_db)
        if self._large(data, filename):
            forget_upload(token)
            return self._queue_import(data, filename, mode=self._mode(), mapping=chosen)
        result = import_file(self.entity, data, filename, session_db, check_only=bool(request.form.get("check_only")),
                             mode=self._mode(), mapping=chosen, historical=historical)
        report_token = self._keep_report(result)
        if result.ok and not result.checked_only:
            forget_upload(token)
            return self._imported(result)
        return self._import_page(result, report_token, proposal)

    # --- a large file: checked and written by the job queue (app/jobs) ----------------------
    @staticmethod
    def _large(data: bytes, filename: str) -> bool:
        return count_rows(data, filename) > current_app.config["IMPORT_JOB_ROWS"] + 1     # + its header

    def _queue_import(self, data: bytes, filename: str, *, mode: str, mapping=None):
        """Queue the import of `data` as the page would do it (mode, only checking, historical,
        the clerk's mapping); his next page is the job's, with its progress and then its outcome."""
        params = {"filename": filename, "mode": mode, "check_only": bool(request.form.get("check_only")),
                  "historical": self._historical(),
                  "mapping": {str(i): f.name for i, f in mapping.items()} if mapping else None}
        job = runner.queue_job(kind="import", title=filename, entity=self.entity.name, endpoint=self.endpoint,
                               params=params, before_queue=lambda job: _keep_file(job, data))
        flash(gettext("%(file)s has more than %(rows)d rows: it is being checked and imported in the background. "
                      "You may leave this page; the outcome will wait for you in My downloads.",
                      file=filename, rows=current_app.config["IMPORT_JOB_ROWS"]), "info")
        return redirect(url_for("DownloadsView.show", job_id=job.id))

    def job_import(self, job, progress) -> runner.Made:
        """The queued import of `job`, in the asking user's name (app/jobs/runner.py): his rights
        for the mode asked are checked again, the file imported as on the page, the outcome and
        any rows to correct kept for him."""
        params = runner.params_of(job)
        mode, historical = params.get("mode") or INSERT, bool(params.get("historical"))
        refusal = mode_refusal(self.entity, mode, self.can) or (
            stated.refusal(self.entity, self.can) if historical else None)
        if refusal:
            return runner.Made(outcome={"refused": refusal}, failed=coded("import_refused", reason=refusal))
        path = runner.upload_path(job.id)
        if not path.is_file():
            raise runner.Refused("lost")
        fields = {f.name: f for f in stated.fields_for(self.entity, historical)}
        mapping = params.get("mapping")
        if mapping:
            mapping = {int(i): fields[name] for i, name in mapping.items() if name in fields}
        result = import_file(self.entity, path.read_bytes(), params.get("filename") or job.title,
                             self.datamodel.session, check_only=bool(params.get("check_only")), mode=mode,
                             mapping=mapping or None, historical=historical, progress=progress)
        report = report_path(write_report(result)) if result.bad_rows else None
        outcome = {"created": result.created, "updated": result.updated, "rows": result.rows,
                   "checked_only": result.checked_only, "refused": result.refused,
                   "problems": len(result.problems), "bad_rows": len(result.bad_rows),
                   "shown": [[p.row, p.column, str(p.value if p.value is not None else ""), p.reason]
                             for p in result.problems[:SHOWN_PROBLEMS]],
                   "warnings": result.warnings}
        failed = None
        if result.refused:
            failed = coded("import_refused", reason=result.refused)
        elif result.problems:
            failed = coded("import_problems", problems=len(result.problems), rows=len(result.bad_rows))
        return runner.Made(path=report, rows=result.created + result.updated if result.ok else None,
                           outcome=outcome, failed=failed)

    @expose("/import/template/")
    @has_access
    def import_template(self):
        if self.entity.read_only:
            abort(404)
        name = gettext("Import template - %(title)s", title=str(self.entity.title))
        return send_xlsx(build_template(self.entity), f"{name}.xlsx")

    @expose("/import/report/<token>/")
    @has_access
    def import_errors(self, token):
        """Only the user who ran the import gets its report back (the token is in his session)."""
        path = report_path(token) if token in session.get("import_reports", []) else None
        if path is None:
            abort(404)
        name = gettext("Rows to correct - %(title)s", title=str(self.entity.title))
        return send_xlsx(path, f"{name}-{today_cn():%Y%m%d}.xlsx", remove=False)


def _keep_file(job, data: bytes) -> None:
    """The uploaded file, where the consumer reads it (named by the job)."""
    path = runner.upload_path(job.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
