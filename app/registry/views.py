"""The base screen class every registered entity's ModelView derives from."""
from __future__ import annotations

import os

from flask import abort, after_this_request, current_app, flash, request, send_file
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.urltools import get_filter_args, get_order_args, get_page_args, get_page_size_args
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from app.audit import record_act
from app.excel import export_rows
from app.history import record_history
from app.registry.checks import RuleViolation, enforce
from app.workflow import engine as workflow
from app.workflow.screens import WorkflowScreens
from models.base import today_cn

#: One permission per kind of act, shared by the screens and the REST API of an entity:
#: a role granted "read" on Meeting can list it on screen and GET it from the API.
VIEW_PERMISSIONS = {
    "list": "read", "show": "read", "download": "read",
    "add": "add", "edit": "edit", "delete": "delete",
    "action": "edit", "action_post": "edit",
    "export": "export",
    "transition": "read",       # and the transition's own wf_ permission, checked by the engine
}

SAVE_FAILED = _l("Not saved: a value that must be unique is already used, or a linked record no longer exists.")

#: The screens and the API of an entity share one permission view (the entity's name).
#: FAB prunes a view's permissions down to the last registered class's base_permissions,
#: so both declare the same full set.
ENTITY_PERMISSIONS = ["can_read", "can_add", "can_edit", "can_delete", "can_export"]


def start_workflow(entity, item) -> None:
    """A new record starts in its workflow's initial state, whatever the input said."""
    flow = entity.workflow
    if flow is None:
        return
    state = flow.initial_state(item)
    if state is None:
        column = entity.model.__table__.columns[flow.field]
        state = column.default.arg if column.default is not None else None
    setattr(item, flow.field, state)


def log_start(entity, item, session) -> None:
    if entity.workflow is not None and item.id is not None:
        workflow.log_initial(entity, item, session)
        session.commit()


class EntityView(WorkflowScreens, ModelView):
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
        pk = kwargs.get("pk") or (request.view_args or {}).get("pk")
        if pk is not None and template in (self.show_template, self.edit_template):
            item = self.datamodel.get(pk, self._base_filters)
            if item is not None:
                kwargs["record_name"] = str(item)
                if template == self.show_template:
                    kwargs.update(self.workflow_context(item))
                    kwargs["history"] = record_history(self.entity, item.id, self.datamodel.session)
        return super().render_template(template, **kwargs)

    # --- saving: the entity's rules run before anything is written -----------------------
    def pre_add(self, item):
        start_workflow(self.entity, item)
        enforce(self.entity.checks, item, self.datamodel.session)

    def post_add(self, item):
        log_start(self.entity, item, self.datamodel.session)

    def pre_update(self, item):
        enforce(self.entity.checks, item, self.datamodel.session)

    def _refuse(self, error: RuleViolation) -> None:
        """Nothing of a refused save may reach the database."""
        self.datamodel.session.rollback()
        for message in error.messages:
            flash(message, "danger")

    def _add(self):
        """FAB's add, except that a broken rule re-shows the form with the user's input
        and the reasons, instead of redirecting and losing what was typed."""
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if form.validate():
                self.process_form(form, True)
                item = self.datamodel.obj()
                try:
                    form.populate_obj(item)
                    self.pre_add(item)
                except RuleViolation as error:
                    self._refuse(error)
                    return self._get_add_widget(form=form, exclude_cols=exclude_cols)
                try:
                    self.datamodel.add(item)
                except (SQLAlchemyError, DatabaseException):
                    flash(gettext(SAVE_FAILED), "danger")
                    return self._get_add_widget(form=form, exclude_cols=exclude_cols)
                self.post_add(item)
                flash(self.add_row_message, "success")
                return None
        else:
            self.update_redirect()
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def _edit(self, pk):
        """FAB's edit with the same treatment of broken rules as `_add`."""
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        pk = self.datamodel.get_pk_value(item)
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = pk
            if form.validate():
                self.process_form(form, False)
                try:
                    form.populate_obj(item)
                    self.pre_update(item)
                except RuleViolation as error:
                    self._refuse(error)
                else:
                    try:
                        self.datamodel.edit(item)
                    except (SQLAlchemyError, DatabaseException):
                        flash(gettext(SAVE_FAILED), "danger")
                    else:
                        self.post_update(item)
                        flash(self.edit_row_message, "success")
                        return None
        else:
            form = self.edit_form.refresh(obj=item)
            self.prefill_form(form, pk)
            self.update_redirect()
        widgets = self._get_edit_widget(form=form, exclude_cols=exclude_cols)
        return self._get_related_views_widgets(
            self.datamodel.get(pk, self._base_filters) or item, filters={}, orders=get_order_args(),
            pages=get_page_args(), page_sizes=get_page_size_args(), widgets=widgets)

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
        path, count = export_rows(entity.model, list(entity.export or entity.fields),
                                  self.export_query(), sheet_name=title)
        record_act(self.datamodel.session, "EXPORT", entity.name,
                   detail=gettext("%(rows)d rows; filters: %(filters)s", rows=count,
                                  filters=request.query_string.decode("utf-8", "replace") or "—"))
        self.datamodel.session.commit()

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
