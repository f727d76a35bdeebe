"""The base screen class every registered entity's ModelView derives from."""
from __future__ import annotations

import os

from flask import after_this_request, current_app, send_file
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.urltools import get_filter_args, get_order_args

from app.excel import export_rows
from models.base import today_cn

#: One permission per kind of act, shared by the screens and the REST API of an entity:
#: a role granted "read" on Meeting can list it on screen and GET it from the API.
VIEW_PERMISSIONS = {
    "list": "read", "show": "read", "download": "read",
    "add": "add", "edit": "edit", "delete": "delete",
    "action": "edit", "action_post": "edit",
    "export": "export",
}

#: The screens and the API of an entity share one permission view (the entity's name).
#: FAB prunes a view's permissions down to the last registered class's base_permissions,
#: so both declare the same full set.
ENTITY_PERMISSIONS = ["can_read", "can_add", "can_edit", "can_delete", "can_export"]


class EntityView(ModelView):
    """Generated screens: list, show (with related tabs), add, edit, export."""

    entity = None  # the Entity declaration, set by the registry
    list_template = "office/list.html"
    show_template = "office/show.html"
    add_template = "office/add.html"
    edit_template = "office/edit.html"
    method_permission_name = VIEW_PERMISSIONS
    base_permissions = ENTITY_PERMISSIONS

    def can(self, act: str) -> bool:
        """Whether the current user holds `act` (read, add, export, ...) on this entity."""
        return self.appbuilder.sm.has_access(f"can_{act}", self.class_permission_name)

    def render_template(self, template, **kwargs):
        kwargs.setdefault("entity_view", self)
        return super().render_template(template, **kwargs)

    def export_query(self):
        """The list's own query: its filters, its order, its base filters (scope)."""
        get_filter_args(self._filters)
        order = get_order_args().get(self.__class__.__name__)
        order_column, order_direction = order or self.base_order or ("", "")
        joined = self._filters.get_joined_filters(self._base_filters)
        query = self.datamodel.session.query(self.datamodel.obj)
        query = self.datamodel.apply_all(query, joined, order_column, order_direction)
        return query.yield_per(current_app.config["EXPORT_YIELD_PER"])

    @expose("/export/")
    @has_access
    def export(self):
        entity = self.entity
        title = str(entity.title)
        path, _count = export_rows(entity.model, list(entity.export or entity.fields),
                                   self.export_query(), sheet_name=title)

        @after_this_request
        def _cleanup(response):
            try:
                os.unlink(path)
            except OSError:
                pass
            return response

        return send_file(
            path, as_attachment=True,
            download_name=f"{title}-{today_cn():%Y%m%d}.xlsx",
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
