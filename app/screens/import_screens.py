"""The import screen of every entity a clerk registers: the template, the upload, the
report. One page does it all, so the clerk who gets a refusal corrects and re-uploads
where he stands."""
from __future__ import annotations

from flask import abort, flash, redirect, request, session, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.downloads import send_xlsx
from app.importer import build_template, import_file
from app.importer.fields import import_fields
from app.importer.report import report_path, write_report
from app.importer.run import INSERT, UPDATE, UPSERT, import_modes, key_fields
from app.importer.template import _format_hint, header_text, locale_code
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
        if self.entity.read_only:
            abort(404)
        result = report_token = None
        if request.method == "POST":
            upload = request.files.get("file")
            mode = request.form.get("mode") or INSERT
            refusal = mode_refusal(self.entity, mode, self.can)
            if upload is None or not upload.filename:
                flash(gettext("Choose the Excel file to import."), "warning")
            elif refusal:
                flash(refusal, "warning")
            else:
                result = import_file(self.entity, upload.read(), upload.filename, self.datamodel.session,
                                     check_only=bool(request.form.get("check_only")), mode=mode)
                if result.bad_rows:
                    report_token = write_report(result)
                    session["import_reports"] = ([report_token] + session.get("import_reports", []))[:KEPT_REPORTS]
                if result.ok and not result.checked_only:
                    if result.updated:
                        flash(gettext("Imported %(rows)d records and updated %(updated)d from %(file)s.",
                                      rows=result.created, updated=result.updated, file=result.filename), "success")
                    else:
                        flash(gettext("Imported %(rows)d records from %(file)s.", rows=result.created,
                                      file=result.filename), "success")
                    return redirect(url_for(f"{self.endpoint}.list"))
        return self.render_template(
            "office/import.html", result=result, report_token=report_token, shown=SHOWN_PROBLEMS,
            columns=self._columns_help(), title=_l("Import: %(title)s", title=self.entity.title),
            modes=[(m, MODE_LABELS[m]) for m in import_modes(self.entity)],
            mode=request.form.get("mode") or INSERT,
            key_headers="、".join(f.header(locale_code()) for f in key_fields(self.entity)))

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
