"""The base screen class every registered entity's ModelView derives from."""
from __future__ import annotations

from functools import partial

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from flask_appbuilder.forms import GeneralModelConverter
from flask_appbuilder.urltools import get_filter_args, get_order_args, get_page_args, get_page_size_args
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import not_
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import object_session
from wtforms import HiddenField, StringField

from app import custom_fields
from app.audit import coded, record_act, record_read
from app.downloads import send_xlsx
from app.excel import export_list
from app.history import record_history
from app.jobs import runner
from app.ledgers.screens import LedgerScreens
from app.masking import can_see_sensitive, mask_value, sensitive_columns
from app.recent import remember
from app.registry import deadlines, need_to_know
from app.registry.checks import RuleViolation
from app.registry.introspect import kind_of
from app.registry.permissions import ENTITY_PERMISSIONS
from app.registry.refusals import SAVE_FAILED, bounded_page
from app.registry.saving import judge, log_start
from app.screens import columns, form_tokens, pickers, related_tabs
from app.screens.attachment_screens import AttachmentScreens
from app.screens.choices import keep_current
from app.screens.custom_field_screens import CustomFieldScreens
from app.screens.import_screens import ImportScreens
from app.screens.locking import (
    VERSION_MISSING,
    conflict_message,
    is_save_conflict,
    is_stale,
    lost_race_message,
    submitted_version,
)
from app.screens.need_to_know_screens import NeedToKnowScreens
from app.screens.print_screens import PrintScreens
from app.screens.search_form import KeptSearchWidget
from app.screens.unit_filters import UnitFilters
from app.seams import CrudViewSeams
from app.settings import setting
from app.workflow.screens import WorkflowScreens
from models.base import today_cn

#: One permission per kind of act, shared by the screens and the REST API of an entity:
#: a role granted "read" on Meeting can list it on screen and GET it from the API.
VIEW_PERMISSIONS = {
    "list": "read", "show": "read",
    "add": "add", "edit": "edit", "delete": "delete",
    "action": "edit", "action_post": "edit",
    "export": "export",
    "transition": "read",       # and the transition's own wf_ permission, checked by the engine
    "trash": "delete", "restore": "delete",    # who may delete may look in the Trash and restore
    "purge": "purge",                          # removing for good: Admin only
    "attach": "edit", "detach": "edit", "fetch_attachment": "read", "download": "read",
    "set_need_to_know": "edit", "need_to_know_choices": "edit",   # the record's need-to-know list
    "import_template": "import", "import_upload": "import", "import_errors": "import",
    "ledger": "export",                        # a named ledger report (台账) of the list
    "report": "read",                          # a report ledger's page (its export is "ledger")
    "report_print": "read",                    # a report ledger on paper (app/ledgers/screens.py)
    "choices": "read",                         # a search-as-you-type field's records (pickers.py)
    "related": "read",                         # a record page's related tab, drawn when opened
    "choose_columns": "read",                  # the list's column chooser (columns.py)
    "print_record": "read",                    # the record on paper (print_screens.py)
    "print_paper": "read",                     # one of the office's paper forms of it (app/paper_forms)
    "paper_file": "read",                      # the record written as a file (GB/T 9704 PDF/Word, app/paper)
}

ALREADY_SAVED = _l("This form was already saved: here is the record it saved. Nothing was saved a second time.")

#: The screens and the API of an entity share one permission view (the entity's name).
#: FAB prunes a view's permissions down to the last registered class's base_permissions,
#: so both declare the same full set.

#: Rows per page of the Trash.
TRASH_PAGE = 50


class CarriedField(HiddenField):
    """A hidden field the form carries back but the record does not take: the version the
    form was read at (the row's own counter moves on save) and the one-time token. It
    stays on the form, so a form shown again after a refusal still carries both."""

    def populate_obj(self, obj, name) -> None:
        return None


class EntityView(UnitFilters, CustomFieldScreens, WorkflowScreens, AttachmentScreens, NeedToKnowScreens, ImportScreens,
                 LedgerScreens, PrintScreens, CrudViewSeams, ModelView):
    """Generated screens: list, show (with related tabs), add, edit, export."""

    entity = None  # the Entity declaration, set by the registry
    step_form = None  # the `step_only` fields' form (init_forms)
    step_form_extra_fields: dict = {}
    list_template = "office/list.html"
    show_template = "office/show.html"
    add_template = "office/add.html"
    edit_template = "office/edit.html"
    method_permission_name = VIEW_PERMISSIONS
    base_permissions = ENTITY_PERMISSIONS
    search_widget = KeptSearchWidget

    @property
    def delete_row_message(self):
        if self.entity.is_business:
            return gettext("Moved to the Trash; it can be restored from there.")
        return gettext("Deleted Row")

    def init_forms(self):
        """The edit form carries the version it was read at (optimistic locking); both
        forms carry a one-time token (app/screens/form_tokens.py: one save per form). The
        fields only a workflow step writes (`step_only`) are in a form of their own, which the
        steps' forms draw from."""
        super().init_forms()
        if self.entity is not None and self.entity.step_only:
            self.step_form = GeneralModelConverter(self.datamodel).create_form(
                self.label_columns, list(self.entity.step_only), self.description_columns,
                self.validators_columns, self.step_form_extra_fields, self.edit_form_query_rel_fields)
        pickers.install(self)
        if self.entity is not None and self.entity.is_business:
            self.edit_form.row_version = CarriedField()
        if self.entity is not None:
            setattr(self.add_form, form_tokens.FIELD, CarriedField())
            setattr(self.edit_form, form_tokens.FIELD, CarriedField())

    @property
    def page_size(self) -> int:
        """Rows per list page: the console's setting, else PAGE_SIZE (FAB's own is a fixed 25)."""
        return setting("PAGE_SIZE")

    def process_form(self, form, is_created):
        """Custom fields leave the form here: they go to the record's JSON, not attributes."""
        self._take_custom(form)
        super().process_form(form, is_created)

    def related_title(self, view) -> str:
        """The title of the record page's tab listing `view`'s records (`register(related_titles=…)`)."""
        entity = getattr(view, "entity", None)
        return self.entity.related_titles.get(getattr(entity, "model", None), view.title)

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
                kwargs["record"] = item
                if template == self.show_template:
                    remember(self.entity.name, pk)          # the dashboard's "Recently viewed"
                    kwargs.update(self.workflow_context(item))
                    kwargs["history"] = record_history(self.entity, item.id, self.datamodel.session)
                    kwargs.update(self.attachment_context(item))
                    kwargs.update(self.need_to_know_context(item))
                    self._audit_unmasked(self.show_columns, item)
        if template == self.list_template:
            self._audit_unmasked(columns.shown(self))
        return super().render_template(template, **kwargs)

    # --- sensitive personal data (docs/domain.md §9) --------------------------------------------
    def _audit_unmasked(self, shown, item=None) -> None:
        """A user allowed to read sensitive data unmasked leaves a trace each time he does."""
        fields = [f for f in shown if f in sensitive_columns(self.entity.model)]
        if not fields or not can_see_sensitive():
            return
        record_read(self.datamodel.session, self.entity.name,
                    record_id=getattr(item, "id", None), record_name=str(item)[:300] if item is not None else None,
                    detail=coded("unmask", fields=fields))

    def _hide_sensitive(self, form, item, *, submitted: bool) -> list[str]:
        """For a user who may not see them, sensitive text fields show masked (and an
        unchanged mask keeps the stored value); other sensitive fields leave the form —
        a drop-down of codes too, which would show no choice and save whatever came first.
        Returns the names removed."""
        if can_see_sensitive():
            return []
        removed = []
        for name, mask in sensitive_columns(self.entity.model).items():
            if name not in form:
                continue
            stored = getattr(item, name)
            typed = isinstance(form[name], StringField)   # a drop-down cannot show a mask: it leaves
            if typed and (isinstance(stored, str) or (stored is None and kind_of(self.entity.model, name) == "string")):
                if not submitted:
                    form[name].data = mask_value(stored, mask)
                elif stored is not None and form[name].data == mask_value(stored, mask):
                    form[name].data = stored
            else:
                del form[name]
                removed.append(name)
        return removed

    # --- saving: the entity's rules run before anything is written -----------------------
    # as the API's (app/screens/api.py): the rules judge the record before any flush
    def pre_add(self, item):
        with self.datamodel.session.no_autoflush:
            self._store_custom(item)
            judge(self.entity, item, self.datamodel.session, new=True)

    def post_add(self, item):
        log_start(self.entity, item, self.datamodel.session)

    def pre_update(self, item):
        with self.datamodel.session.no_autoflush:
            self._store_custom(item)
            judge(self.entity, item, self.datamodel.session, new=False)

    # --- one save per form: a second submission of the same form goes to the first's record
    def _already_saved(self, token) -> bool:
        """Whether this form was saved before (its token is spent): then the user is sent
        to the record that save made or changed, with a word why nothing happened now."""
        record_id = form_tokens.earlier_record(self.datamodel.session, self.entity.name, token)
        if record_id is None:
            return False
        flash(gettext(ALREADY_SAVED), "info")
        g._office_form_redirect = url_for(f"{self.endpoint}.show", pk=record_id)
        return True

    def post_add_redirect(self):
        target = g.pop("_office_form_redirect", None)
        return redirect(target) if target else super().post_add_redirect()

    def post_edit_redirect(self):
        target = g.pop("_office_form_redirect", None)
        return redirect(target) if target else super().post_edit_redirect()

    def _refuse(self, error: RuleViolation) -> None:
        """Nothing of a refused save may reach the database."""
        self.datamodel.session.rollback()
        for message in error.messages:
            flash(message, "danger")

    def add_screen(self):
        """FAB's add, except that a broken rule re-shows the form with the user's input
        and the reasons, instead of redirecting and losing what was typed."""
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self._custom_form(self.add_form).refresh()
        if request.method == "POST":
            # A POST without a token (a form rendered before tokens existed, a script) still
            # saves: CSRF already proves it comes from our form; the token only stops repeats.
            token = form_tokens.usable(request.form.get(form_tokens.FIELD))
            if self._already_saved(token):
                return None
            self._fill_form_exclude_cols(exclude_cols, form)
            if self._validate(form):
                self.process_form(form, True)
                item = self.datamodel.obj()
                try:
                    form.populate_obj(item)
                    self.pre_add(item)
                except RuleViolation as error:
                    self._refuse(error)
                    return self.add_widgets(form, exclude_cols=exclude_cols)
                try:
                    self.datamodel.add(item, commit=False)     # the record, its first log line
                    self.datamodel.session.flush()             # and the spent token:
                    self.post_add(item)                        # one transaction
                    form_tokens.spend(self.datamodel.session, self.entity.name, token, item.id)
                    self.datamodel.session.commit()
                except (SQLAlchemyError, DatabaseException):
                    self.datamodel.session.rollback()
                    if self._already_saved(token):             # a twin submission committed first
                        return None
                    self._explain_refused_save(form)
                    return self.add_widgets(form, exclude_cols=exclude_cols)
                flash(self.add_row_message, "success")
                return None
        else:
            form[form_tokens.FIELD].data = form_tokens.issue()
            self.update_redirect()
        return self.add_widgets(form, exclude_cols=exclude_cols)

    def _explain_refused_save(self, form, item=None) -> None:
        """A save the database refused after the rules had passed — another user's save won
        the race (the same room booked a moment earlier, a number taken): the rules run again
        on what was typed, now seeing the winner, and say why; else the general message.
        Nothing of the second run is kept."""
        session = self.datamodel.session
        messages = [gettext(SAVE_FAILED)]
        try:
            with session.no_autoflush:
                probe = self.datamodel.obj() if item is None else session.get(type(item), item.id)
                if probe is not None:
                    form.populate_obj(probe)
                    self._store_custom(probe)
                    judge(self.entity, probe, session, new=item is None)
        except RuleViolation as error:
            messages = list(error.messages)
        except (SQLAlchemyError, DatabaseException, ValueError, TypeError):
            pass
        finally:
            session.rollback()
        for message in messages:
            flash(message, "danger")

    def _validate(self, form) -> bool:
        """The form's rules; its relation fields look up only the records chosen (pickers.py)."""
        return form.validate()

    def related_views_widgets(self, item, orders=None, pages=None, page_sizes=None, widgets=None, **args):
        """Each related tab is drawn when the user opens it (related_tabs.py)."""
        return related_tabs.placeholders(self, item, widgets)

    @expose("/related/<pk>/<int:index>")
    @has_access
    def related(self, pk, index):
        """One related tab of the record `pk`, as a fragment of its page (related_tabs.py)."""
        return related_tabs.draw(self, pk, index)

    @expose("/choices/<string:field>")
    @has_access
    def choices(self, field):
        """The records a search-as-you-type field offers for what was typed (pickers.py)."""
        return pickers.answer(self, field, request.args)

    @staticmethod
    def _keep_current_choices(form, item) -> None:
        """Relation drop-downs offer only records in the user's scope (OfficeInterface.
        get_related_interface); a record may already link to one outside it, set by someone
        who could. That value stays on offer, so the record can be saved unchanged. A unit
        (many-to-one) is noted by its id now, as the record holds it before the form is
        applied, and read only if asked for."""
        mapper = sa_inspect(type(item))
        session = object_session(item)
        for field in form:
            if not isinstance(field, QuerySelectField):
                continue
            rel = mapper.relationships.get(field.name)
            if rel is not None and not rel.uselist and len(rel.local_columns) == 1 and session is not None:
                (column,) = rel.local_columns
                pk = getattr(item, mapper.get_property_by_column(column).key)
                if pk is not None:
                    keep_current(field, partial(_held_record, session, rel.mapper.class_, pk))
                continue
            current = getattr(item, field.name, None)
            held = list(current or []) if isinstance(field, QuerySelectMultipleField) else \
                ([current] if current is not None else [])
            if held:
                keep_current(field, partial(list, held))

    def edit_screen(self, pk):
        """FAB's edit with the same treatment of broken rules as `add_screen`, the version check
        (locking.py) and the one-time token."""
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        pk = self.datamodel.get_pk_value(item)
        if request.method == "POST":
            form = self._custom_form(self.edit_form).refresh(request.form)
            self._keep_current_choices(form, item)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = pk
            exclude_cols = list(exclude_cols) + self._hide_sensitive(form, item, submitted=True)
            token = form_tokens.usable(request.form.get(form_tokens.FIELD))
            versioned = self.entity.is_business
            # A second submission of a saved edit form carries the version the first one
            # raised, so it always meets the version check: the token is looked up there
            # (and for entities without versions), not in a round trip of every save.
            if not versioned and self._already_saved(token):
                return None
            submitted = submitted_version(request.form.get("row_version")) if versioned else None
            if versioned and submitted is None:
                if self._already_saved(token):
                    return None
                flash(gettext(VERSION_MISSING), "danger")
                form.row_version.data = item.row_version   # saving again means: this version, knowingly
            elif versioned and is_stale(item, submitted):
                if self._already_saved(token):
                    return None
                for message in conflict_message(self.entity, item, submitted, self.datamodel.session):
                    flash(message, "warning")
                form.row_version.data = item.row_version   # saving again means: overwrite, knowingly
            elif self._validate(form):
                self.process_form(form, False)
                try:
                    form.populate_obj(item)
                    self.pre_update(item)
                except RuleViolation as error:
                    self._refuse(error)
                else:
                    if self._save_edit(item, token, submitted, form):
                        return None
        else:
            form = self._custom_form(self.edit_form).refresh(obj=item)
            form[form_tokens.FIELD].data = form_tokens.issue()
            self._keep_current_choices(form, item)
            self._prefill_custom(form, item)
            exclude_cols = list(exclude_cols) + self._hide_sensitive(form, item, submitted=False)
            self.prefill_form(form, pk)
            self.update_redirect()
        widgets = self.edit_widgets(form, exclude_cols=exclude_cols)
        return self._get_related_views_widgets(
            self.datamodel.get(pk, self._base_filters) or item, filters={}, orders=get_order_args(),
            pages=get_page_args(), page_sizes=get_page_size_args(), widgets=widgets)

    def _save_edit(self, item, token, submitted, form):
        """Write the edit and spend the token in one transaction. False when it was
        refused (the messages are flashed, the form shows again with the user's input);
        True when the view is done (saved, or sent to what a twin submission saved)."""
        session = self.datamodel.session
        try:
            self.datamodel.edit(item, commit=False)
            session.flush()     # UPDATE … WHERE row_version = :read — StaleDataError if it moved on
            form_tokens.spend(session, self.entity.name, token, item.id)
            session.commit()
        except (SQLAlchemyError, DatabaseException) as error:
            session.rollback()
            if self._already_saved(token):                   # a twin submission committed first
                return True
            if submitted is not None and is_save_conflict(error):
                for message in lost_race_message(self.entity, item, submitted, session):
                    flash(message, "warning")
                form.row_version.data = item.row_version
            else:
                self._explain_refused_save(form, item)
            return False
        self.post_update(item)
        flash(self.edit_row_message, "success")
        return True

    def list_screen(self, **kwargs):
        self._sync_custom_filters()          # the filters of fields an admin added meanwhile
        return super().list_screen(**kwargs)

    def list_widgets(self, filters, actions=None, order_column="", order_direction="", page=None,
                     page_size=None, widgets=None, **kwargs):
        """Every list (the entity's own, a record's related tabs) sorts only by a column it
        offers — an unknown or hidden one in the URL is ignored, as the API does — and
        pages within what the database can count to."""
        listed = columns.shown(self)
        own = columns.is_own(self, listed)
        sortable = self.order_columns if own else columns.sortable(self, listed)
        if order_column and order_column not in sortable:
            order_column, order_direction = "", ""
        page, page_size = bounded_page(page, page_size)
        if own:
            return super().list_widgets(filters, actions=actions, order_column=order_column,
                                        order_direction=order_direction, page=page, page_size=page_size,
                                        widgets=widgets, **kwargs)
        return self._chosen_list_widget(filters, listed, sortable, actions=actions, order_column=order_column,
                                        order_direction=order_direction, page=page, page_size=page_size,
                                        widgets=widgets, **kwargs)

    def _chosen_list_widget(self, filters, listed, sortable, actions=None, order_column="", order_direction="",
                            page=None, page_size=None, widgets=None, **kwargs):
        """FAB's list widget (BaseCRUDView._get_list_widget) over the columns the user chose,
        their relations read with the page's rows."""
        widgets = widgets or {}
        page_size = page_size or self.page_size
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        joined = filters.get_joined_filters(self._base_filters)
        count, rows = self.datamodel.query(joined, order_column, order_direction, page=page,
                                           page_size=page_size, listed=listed)
        widgets["list"] = self.list_widget(
            label_columns=self.label_columns, include_columns=listed,
            value_columns=self.datamodel.get_values(rows, listed), order_columns=sortable,
            formatters_columns=self.formatters_columns, page=page, page_size=page_size, count=count,
            pks=[self._serialize_pk_if_composite(pk) for pk in self.datamodel.get_keys(rows)],
            actions=actions or self.actions, filters=filters, modelview_name=self.__class__.__name__, **kwargs)
        return widgets

    def shown_columns(self) -> list[str]:
        """The columns this request's list shows (app/screens/columns.py)."""
        return columns.shown(self)

    def column_chooser(self) -> list[tuple[str, str, bool]]:
        return columns.chooser(self)

    @expose("/columns/", methods=["POST"])
    @has_access
    def choose_columns(self):
        """Keep the columns the user chose (or, with `reset`, forget them) and show the list
        again as it was, filters and order kept."""
        chosen = [] if request.form.get("reset") else columns.parse(",".join(request.form.getlist("col")), self)
        if not chosen and not request.form.get("reset"):
            flash(gettext("Choose at least one column."), "warning")
        else:
            columns.keep(self, chosen)
        return redirect(url_for(f"{self.endpoint}.list") + columns.address(request.form.get("query", "")))

    @expose("/download/<string:filename>")
    @has_access
    def download(self, filename):
        """FAB's download of a FileColumn upload: no entity has one (attachments have
        their own checked route), and FAB's answered any name with a 500."""
        abort(404)

    # --- bulk actions: FAB fetches their rows by id without the view's filters ------------
    def _action_items(self, name: str, pks: list):
        """The rows an action may touch: all found through the view's filters and scope,
        or a 404 — never a partial run on whatever ids were posted."""
        if name not in self.actions or not pks:
            abort(404)
        items = [self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters) for pk in pks]
        if any(item is None for item in items):
            abort(404)
        if not self.appbuilder.sm.has_access(self.get_action_permission_name(name), self.class_permission_name):
            abort(403)
        return items

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name, pk):
        if request.method == "GET" and not self.is_get_mutation_allowed():
            abort(405)
        (item,) = self._action_items(name, [pk])
        return self.actions[name].func(item)

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        name = request.form.get("action", "")
        items = self._action_items(name, request.form.getlist("rowid"))
        return self.actions[name].func(items)

    # --- the Trash: deleted records, restored with one click ------------------------------
    @expose("/trash/")
    @has_access
    def trash(self):
        if not self.entity.is_business:
            abort(404)
        model = self.datamodel.obj
        page = max(request.args.get("page", 0, type=int), 0)
        query = self.datamodel.deleted_query()
        total = query.count()
        rows = query.order_by(model.updated_at.desc(), model.id.desc()).offset(page * TRASH_PAGE).limit(TRASH_PAGE)
        return self.render_template("office/trash.html", rows=list(rows), total=total, page=page,
                                    pages=(total + TRASH_PAGE - 1) // TRASH_PAGE,
                                    title=_l("Trash: %(title)s", title=self.entity.title))

    @expose("/restore/<pk>", methods=["POST"])
    @has_access
    def restore(self, pk):
        item = self.datamodel.get_deleted(pk)
        if item is None:
            abort(404)
        self.datamodel.restore(item)
        flash(gettext("Restored: %(record)s", record=str(item)), "success")
        return redirect(url_for(f"{self.endpoint}.trash"))

    @expose("/purge/<pk>", methods=["POST"])
    @has_access
    def purge(self, pk):
        item = self.datamodel.get_deleted(pk)
        if item is None:
            abort(404)
        name = str(item)
        try:
            self.datamodel.purge(item)
        except DatabaseException:
            flash(gettext("Not deleted: other records still refer to %(record)s.", record=name), "danger")
        else:
            flash(gettext("Deleted for good: %(record)s", record=name), "success")
        return redirect(url_for(f"{self.endpoint}.trash"))

    def export_query(self):
        """The list's own query: its filters, its order, its base filters (scope). ORM
        objects, streamed; `export` narrows it to the exported columns."""
        self._sync_custom_filters()
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
        """The filtered list as a workbook: at once, or above EXPORT_JOB_ROWS prepared by the
        job queue (app/jobs), the user sent to its progress."""
        name = f"{self.entity.title}-{today_cn():%Y%m%d}.xlsx"
        query, _left_out = self.exportable(self.export_query(), count=False)
        if runner.more_rows_than(query, current_app.config["EXPORT_JOB_ROWS"]):
            return runner.start(self, kind="export", title=name)
        path, _count = self.export_file()
        return send_xlsx(path, name)

    def exportable(self, query, *, count: bool = True):
        """(the rows a bulk export may write, how many 内部 rows it leaves out): the list's
        内部 records stay out of exports and ledgers unless the user's role may export them
        (app/registry/need_to_know.py); `count=False` does not count them."""
        if not count:
            internal = need_to_know.internal_rows(self.entity)
            if internal is None or need_to_know.may_export_internal():
                return query, 0
            return query.filter(not_(internal)), 0
        return need_to_know.leave_out_internal(self.entity, query)

    def export_file(self, progress=None) -> tuple[str, int]:
        """Write the filtered list's workbook and audit it: (path, rows)."""
        entity = self.entity
        unmasked = can_see_sensitive()
        names = deadlines.shown_columns(entity, entity.export or entity.fields) + custom_fields.export_names(entity)
        query, left_out = self.exportable(self.export_query())
        notes = [need_to_know.left_out_message(left_out)] if left_out else []
        path, count = export_list(entity.model, names, query, sheet_name=str(entity.title),
                                  unmasked=unmasked, chunk_rows=current_app.config["EXPORT_YIELD_PER"],
                                  progress=progress, notes=notes)
        detail = coded("export", rows=count, filters=request.query_string.decode("utf-8", "replace") or "—",
                       unmasked=bool(unmasked and set(names) & set(sensitive_columns(entity.model))),
                       **self.internal_audit(left_out))
        record_act(self.datamodel.session, "EXPORT", entity.name, detail=detail)
        self.datamodel.session.commit()
        for note in notes:
            flash(note, "warning")
        return path, count

    def internal_audit(self, left_out: int) -> dict:
        """What an export's audit row says of the 内部 records: how many it left out, or that
        it included them by the right to export them."""
        if left_out:
            return {"internal_left_out": left_out}
        if need_to_know.internal_rows(self.entity) is not None and need_to_know.may_export_internal():
            return {"internal_included": True}
        return {}

    # --- work done by the job queue in the user's name (app/jobs/runner.py) -----------------
    def job_total(self, job) -> int:
        """The rows the job will write (its progress bar's end)."""
        query = self.export_query()
        if job.kind == "ledger":
            query = self._found(job.key).narrow(query)
        query, _left_out = self.exportable(query, count=False)
        return query.order_by(None).count()

    def job_output(self, job, progress) -> tuple[str, int]:
        if job.kind == "ledger":
            return self.ledger_file(self._found(job.key), progress)
        return self.export_file(progress)


def _held_record(session, model, pk) -> list:
    """The record a many-to-one field holds, as a list of choices (none once it is gone)."""
    record = session.get(model, pk)
    return [record] if record is not None else []
