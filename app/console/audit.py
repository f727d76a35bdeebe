"""The audit log in the console: read only, filtered, searched, sorted and exported.

The trail grows without end, so the list never counts it (flask-admin's simple pager) and
the export streams the list's own query — its filters, search and order — through the
work panel's Excel writer (bounded memory), not flask-admin's export, which holds every
row in memory. The export itself is written to the trail.
"""
from __future__ import annotations

import json

from flask import current_app, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.audit import record_act
from app.console.base import ConsoleModelView, Link
from app.downloads import send_xlsx
from app.excel import export_rows
from app.registry.spec import REGISTRY
from models.audit import AuditLog
from models.base import today_cn

EXPORTED = ["at", "username", "client_addr", "action", "entity", "record_id", "record_version", "record_name",
            "changes", "detail"]


def _changes(_view, _context, model: AuditLog, _name):
    """old → new per field, one line each."""
    if not model.changes:
        return ""
    lines = [Markup("<div><b>{}</b>: {} → {}</div>").format(field, _plain(old), _plain(new))
             for field, (old, new) in sorted(model.changes.items())]
    return Markup("").join(lines)


def _entity(_view, _context, model: AuditLog, _name):
    """The entity's name in the user's language where the registry knows it."""
    entity = next((e for e in REGISTRY.values() if e.name == model.entity), None)
    return entity.title if entity is not None else model.entity


def _plain(value) -> str:
    if value is None:
        return "∅"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class AuditLogView(ConsoleModelView):
    can_create = can_edit = can_delete = False
    can_view_details = True
    simple_list_pager = True            # no count(*) over the whole trail
    column_list = ["at", "username", "client_addr", "action", "entity", "record_id", "record_name", "detail"]
    column_details_list = EXPORTED
    column_filters = ["username", "action", "entity", "record_id", "at"]
    column_searchable_list = ["username", "entity", "record_name", "detail"]
    column_sortable_list = ["at", "username", "action", "entity", "record_id"]
    column_default_sort = ("id", True)
    column_formatters = {"changes": _changes, "entity": _entity}
    intro = _l("Who created, changed, deleted, exported, imported or unmasked what, with old → new values. "
               "Nobody edits this log.")

    def __init__(self, session, **kwargs):
        super().__init__(AuditLog, session, **kwargs)

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
        record_act(self.session, "EXPORT", "AuditLog", detail=gettext(
            "%(rows)d rows; filters: %(filters)s", rows=count,
            filters=request.query_string.decode("utf-8", "replace") or "—"))
        self.session.commit()
        return send_xlsx(path, f"{title}-{today_cn():%Y%m%d}.xlsx")
