"""`POST /api/v1/<entity>/import`: the import page's checks and writes for a script.

A script that feeds a ledger in every week, or a test asserting an import's report,
should not scrape the page: it sends the file and gets the report as JSON — the header
row found, the mapping used, the warnings, the counts and every problem as {row, column,
value, reason}, in the user's language. It runs the same `import_file` as the page, with
the same rights (`import`, plus `add` and/or `edit` as the mode needs: `mode_refusal`),
so whatever the page would refuse, the API refuses with the same sentence. The route is
guarded by the `read` right, like a workflow step's, and checks `import` itself: a
user without it gets a sentence in his language, not FAB's bare "Forbidden".
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import request
from flask_appbuilder import expose
from flask_appbuilder.api import protect, safe
from flask_babel import gettext

from app.importer import historical as stated
from app.importer import import_file
from app.importer.run import INSERT, ImportResult
from app.screens.import_screens import mode_refusal

CHECK, WRITE = "check", "write"

_PROBLEM = {"type": "object", "properties": {
    "row": {"type": "integer"}, "column": {"type": "string"}, "value": {"type": "string"},
    "reason": {"type": "string"}}}
#: The answer to a check, a write and a refused file alike (a refusal has `refused` set).
REPORT_SCHEMA = {"type": "object", "properties": {
    "file": {"type": "string"}, "mode": {"type": "string"}, "action": {"type": "string"},
    "ok": {"type": "boolean"}, "refused": {"type": "string", "nullable": True},
    "historical": {"type": "boolean"},
    "header_row": {"type": "integer"},
    "mapping": {"type": "object", "additionalProperties": {"type": "string"}},
    "warnings": {"type": "array", "items": {"type": "string"}},
    "skipped_columns": {"type": "array", "items": {"type": "string"}},
    "counts": {"type": "object", "properties": {name: {"type": "integer"} for name in
                                               ("rows", "created", "updated", "problems")}},
    "problems": {"type": "array", "items": _PROBLEM}}}


def _text(value: Any) -> str:
    """A cell as the file had it, as text (a date cell is a datetime, a number a float)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def report(result: ImportResult, action: str) -> dict:
    """The JSON answer of an import: what the page shows, as data."""
    return {
        "file": result.filename, "mode": result.mode, "action": action, "ok": result.ok,
        "historical": result.historical,
        "refused": result.refused, "header_row": result.header_row, "mapping": result.mapping,
        "warnings": list(result.warnings), "skipped_columns": list(result.skipped_columns),
        "counts": {"rows": result.rows, "created": result.created, "updated": result.updated,
                   "problems": len(result.problems)},
        "problems": [{"row": p.row, "column": p.column, "value": _text(p.value), "reason": str(p.reason)}
                     for p in result.problems],
    }


def _mapping(text: str | None) -> dict[str, str]:
    """The `mapping` form field: a JSON object {field name: the file's header}."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                              for k, v in value.items()):
        raise ValueError(gettext('The mapping must be a JSON object of field names and column headers, '
                                 'such as {"title": "事项名称"}.'))
    return value


def _flag(value: str | None) -> bool:
    """A form switch as a script sends it: 1, true, yes, on."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


class ImportApi:
    """API mixin of `EntityApi`: the import endpoint."""

    @expose("/import", methods=["POST"])
    @protect()
    @safe
    def import_rows(self):
        """---
        post:
          summary: "Import an xlsx file with the import page's checks: check it, or write it (all rows
            or none)"
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema:
                  type: object
                  required: [file]
                  properties:
                    file: {type: string, format: binary, description: The .xlsx file}
                    mode: {type: string, enum: [insert, update, upsert], default: insert}
                    action: {type: string, enum: [check, write], default: check}
                    historical:
                      type: string
                      enum: ["0", "1"]
                      description: '1: each record keeps the state its row states (the status column is
                        required); needs the right can_import_history on the entity'
                    mapping:
                      type: string
                      description: 'JSON object {field name: column header} for columns the file names its
                        own way; a column of child records by its name, such as assignments.lead'
          responses:
            200:
              description: The file was checked (action check) or written (action write) without a problem
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ImportReport'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            422:
              description: The file was refused or rows have problems; nothing was written
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/ImportReport'}
        """
        entity = self.entity
        if entity.read_only:
            return self.response_404()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return self.response_400(message=gettext("Choose the Excel file to import."))
        mode = request.form.get("mode") or INSERT
        action = request.form.get("action") or CHECK
        if action not in (CHECK, WRITE):
            return self.response_400(message=gettext("Unknown action %(action)s: use check or write.",
                                                     action=action))
        try:
            mapping = _mapping(request.form.get("mapping"))
        except ValueError as error:
            return self.response_400(message=str(error))
        unknown = mode_refusal(entity, mode, lambda act: True)
        if unknown:
            return self.response_400(message=unknown)
        historical = _flag(request.form.get("historical"))
        if historical and not stated.offered(entity):
            return self.response_400(message=stated.refusal(entity, lambda act: True))
        sm = self.appbuilder.sm
        if not sm.has_access("can_import", entity.name):
            return self.response(403, message=gettext("You may not import into this list."))
        refusal = mode_refusal(entity, mode, lambda act: sm.has_access(f"can_{act}", entity.name))
        if refusal:
            return self.response(403, message=refusal)
        refusal = stated.refusal(entity, lambda act: sm.has_access(f"can_{act}", entity.name)) if historical else None
        if refusal:
            return self.response(403, message=refusal)
        result = import_file(entity, upload.read(), upload.filename, self.datamodel.session,
                             check_only=action == CHECK, mode=mode, named=mapping, historical=historical)
        return self.response(200 if result.ok else 422, **report(result, action))

    def add_api_spec(self, api_spec) -> None:
        if "ImportReport" not in api_spec.components.schemas:
            api_spec.components.schema("ImportReport", REPORT_SCHEMA)
        super().add_api_spec(api_spec)
