"""The audit log in the console: read only, filtered, searched, sorted and exported.

The trail grows without end, so the list never counts it (flask-admin's simple pager) and
the export streams the list's own query — its filters, search and order — through the
work panel's Excel writer (bounded memory), not flask-admin's export, which holds every
row in memory. The export itself is written to the trail.
"""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from app.audit import coded, record_act
from app.console.base import ConsoleModelView, LazyOptions, Link
from app.downloads import send_xlsx
from app.excel import export_rows
from app.history import changes_text, detail_text, entity_choices, entity_label
from app.registry.introspect import label_of
from models.audit import AuditLog
from models.base import today_cn

#: The export's columns: the stored codes read in the exporting user's language (models/audit.py).
EXPORTED = ["at", "username", "client_addr", "action", "entity_label", "record_id", "record_version", "record_name",
            "changes_text", "detail_text"]


def _changes(_view, _context, model: AuditLog, _name):
    """old → new per field, one line each, fields and lookup codes as labels."""
    return changes_text(model).__html__()


def _entity(_view, _context, model: AuditLog, _name):
    """The entity's name in the user's language."""
    return entity_label(model.entity)


def _detail(_view, _context, model: AuditLog, _name):
    """The message in the user's language (an older row's text as it was written)."""
    return detail_text(model)


class AuditLogView(ConsoleModelView):
    can_create = can_edit = can_delete = False
    can_view_details = True
    simple_list_pager = True            # no count(*) over the whole trail
    column_list = ["at", "username", "client_addr", "action", "entity", "record_id", "record_name", "detail"]
    column_details_list = ["at", "username", "client_addr", "action", "entity", "record_id", "record_version",
                           "record_name", "changes", "detail"]
    column_filters = ["username", "action", "entity", "record_id", "at"]   # entity: a drop-down of labels
    column_searchable_list = ["username", "entity", "record_name", "detail"]
    column_sortable_list = ["at", "username", "action", "entity", "record_id"]
    column_default_sort = ("id", True)
    column_formatters = {"changes": _changes, "entity": _entity, "detail": _detail}
    intro = _l("Who created, changed, deleted, exported, imported or unmasked what, with old → new values. "
               "Nobody edits this log.")

    def __init__(self, db, **kwargs):
        super().__init__(AuditLog, db, **kwargs)

    def _filter(self, model, name, lookups: dict):
        """The entity is picked from its labels (the log stores class names)."""
        if name == "entity":
            return FilterEqual(model.entity, label_of(model, "entity"), options=LazyOptions(entity_choices))
        return super()._filter(model, name, lookups)

    def extra_links(self) -> list[Link]:
        return [Link(url_for(".export_xlsx", **request.args), _l("Export to Excel"), "fa-file-excel-o",
                     "audit-export")]

    def list_query(self):
        """The list's query as the URL filters, searches and sorts it, unpaged."""
        args = self._get_list_extra_args()
        sort = self._get_column_by_idx(args.sort)
        _count, query = self.get_list(0, sort[0] if sort else None, args.sort_desc, args.search, args.filters,
                                      execute=False, page_size=0)
        return query

    @expose("/xlsx/")
    def export_xlsx(self):
        title = str(self.name)
        rows = self.list_query().yield_per(current_app.config["EXPORT_YIELD_PER"])
        path, count = export_rows(AuditLog, EXPORTED, rows, sheet_name=title)
        record_act(self.db_session, "EXPORT", "AuditLog", detail=coded(
            "export", rows=count, filters=request.query_string.decode("utf-8", "replace") or "—"))
        self.db_session.commit()
        return send_xlsx(path, f"{title}-{today_cn():%Y%m%d}.xlsx")
