"""What every console screen shares: the gate, the look, labels from the models.

`ConsoleView` is a hand-written page (the workflow matrix, the settings); `ConsoleModelView`
a flask-admin list/form over one configuration table. The model view reads column labels,
descriptions and lookup categories from the model (`info=label(...)`), like the work
panel does, so a label is still written once; lookup codes read as their labels in the
user's language and are picked from a drop-down of the lookup table, read per request.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple, Optional

from flask import current_app
from flask_admin import BaseView
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_admin.contrib.sqla.typefmt import DEFAULT_FORMATTERS
from flask_admin.form import Select2Widget
from flask_babel import gettext
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import insert
from sqlalchemy import inspect as sa_inspect

from app.audit import _changes, audit_row, audited
from app.console.access import may_use_console, refuse
from app.registry.fields import LookupSelectField
from app.registry.introspect import column_info, label_of, lookup_of
from models.audit import AuditLog
from models.base import BusinessRecord, current_lang
from models.lookups import lookup_choices, lookup_label


class ConsoleAccess:
    """The console right on every view of the console; the work panel's objects for its pages."""

    intro: Any = None           # a sentence under the page title (and on the console's home page)

    def is_accessible(self) -> bool:
        return may_use_console()

    def inaccessible_callback(self, name, **kwargs):
        return refuse()

    def render(self, template: str, **kwargs: Any) -> str:
        kwargs.setdefault("appbuilder", current_app.appbuilder)
        return super().render(template, **kwargs)


class Link(NamedTuple):
    url: str
    text: Any
    icon: str
    id: str


class QuickFilter(NamedTuple):
    """A drop-down on the list's menu bar that applies one filter at once."""
    label: Any
    param: str                      # flask-admin's URL argument of the filter
    options: list[tuple[str, str]]
    current: Optional[str]


class ConsoleView(ConsoleAccess, BaseView):
    """A hand-written console page."""


class ConsoleLookupField(LookupSelectField):
    """The work panel's lookup drop-down, drawn with flask-admin's select2; it sets its own
    validators (required or not), so flask-admin's are dropped."""

    widget = Select2Widget()

    def __init__(self, label=None, validators=None, category: str = "", required: bool = False, **kwargs):
        kwargs.pop("allow_blank", None)
        super().__init__(label, category=category, required=required, **kwargs)


class LazyOptions:
    """A filter's options that are read when the filter is drawn, not when the view is
    built: a code added in the console is offered at once, in the user's language."""

    def __init__(self, read: Callable[[], list[tuple[str, str]]]):
        self.read = read

    def __bool__(self) -> bool:
        return True

    def __iter__(self):
        return iter(self.read())


def joined(items) -> str:
    """A list in a sentence: 甲、乙 in Chinese, A, B in English."""
    return ("、" if current_lang() == "zh" else ", ").join(str(i) for i in items)


def yes_no(_view, value, _name):
    """flask-admin's tick, titled in the user's language (its own says "active: true")."""
    icon, text = ("fa-check-circle", gettext("Yes")) if value else ("fa-minus-circle", gettext("No"))
    return Markup('<span class="fa {}" title="{}"></span>').format(icon, text)


def lookup_formatter(category: str):
    return lambda _view, _context, model, name: lookup_label(category, getattr(model, name))


class ConsoleModelView(ConsoleAccess, ModelView):
    """A configuration table in the console.

    Set `column_list` (the list and the form, unless `form_columns` says otherwise) and
    `readonly_on_edit` (fields fixed once the row exists, like a lookup's code). Rows of a
    business table that are in the work panel's trash are left out. Deleting here is for
    good — an admin act, written to the audit log with every value.
    """

    form_base_class = FlaskForm         # CSRF, like every form of the app
    can_view_details = False
    can_export = False                  # exports go through the work panel's streaming export
    can_set_page_size = False           # flask-admin's page-size menu has untranslatable labels ("20 items")
    page_size = 50
    column_type_formatters = {**DEFAULT_FORMATTERS, bool: yes_no}
    list_template = "console/model/list.html"
    edit_template = "console/model/edit.html"
    readonly_on_edit: tuple[str, ...] = ()

    @property
    def db_session(self):
        """The SQLAlchemy session: flask-admin keeps the db object it was given in `self.session`."""
        return self.session.session

    def __init__(self, model, db, **kwargs):
        names = [c.key for c in sa_inspect(model).column_attrs]
        self.column_labels = {**{n: label_of(model, n) for n in names}, **dict(self.column_labels or {})}
        self.column_descriptions = {n: column_info(model, n)["description"] for n in names
                                    if column_info(model, n).get("description")}
        lookups = {n: lookup_of(model, n) for n in names if lookup_of(model, n)}
        self.column_formatters = {**{n: lookup_formatter(c) for n, c in lookups.items()},
                                  **dict(self.column_formatters or {})}
        self.form_overrides = {**{n: ConsoleLookupField for n in lookups}, **dict(self.form_overrides or {})}
        self.form_args = {**{n: self._lookup_args(model, n, c) for n, c in lookups.items()},
                          **dict(self.form_args or {})}
        if self.form_columns is None and self.column_list is not None:
            self.form_columns = [n for n in self.column_list if n in names]
        self.column_filters = [self._filter(model, n, lookups) for n in (self.column_filters or [])]
        super().__init__(model, db, **kwargs)

    @staticmethod
    def _lookup_args(model, name: str, category: str) -> dict:
        column = sa_inspect(model).columns[name]
        return {"category": category, "required": not column.nullable}

    def _filter(self, model, name, lookups: dict):
        """A lookup column filters by a drop-down of its codes' labels."""
        if isinstance(name, str) and name in lookups:
            options = LazyOptions(partial(lookup_choices, lookups[name]))
            return FilterEqual(getattr(model, name), label_of(model, name), options=options)
        return name

    # --- rows ---------------------------------------------------------------------------------
    def _live(self, query):
        if issubclass(self.model, BusinessRecord):
            return query.filter(self.model.is_deleted.is_(False))
        return query

    def get_query(self):
        return self._live(super().get_query())

    def get_count_query(self):
        return self._live(super().get_count_query())

    def get_one(self, id):
        record = super().get_one(id)
        if record is not None and getattr(record, "is_deleted", False):
            return None
        return record

    def extra_links(self) -> list[Link]:
        """Links the list's menu bar shows besides flask-admin's own."""
        return []

    def quick_filter(self) -> Optional[QuickFilter]:
        """A drop-down on the list's menu bar for the filter used most."""
        return None

    def filter_param(self, flt) -> str:
        """The URL argument that applies filter `flt` (an object of `column_filters`) alone."""
        index = next(i for i, f in enumerate(self._filters) if f is flt)
        return f"flt0_{self.get_filter_arg(index, flt)}"

    @action("delete", admin_lazy_gettext("Delete"),
            admin_lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        """flask-admin's bulk delete (each row through `delete_model`, so `check_delete` holds),
        with the ids as numbers: PostgreSQL refuses to compare an integer key with text."""
        return super().action_delete([int(i) for i in ids if str(i).isdigit()])

    def edit_form(self, obj: Optional[Any] = None):
        form = super().edit_form(obj)
        for name in self.readonly_on_edit:
            if hasattr(form, name):
                delattr(form, name)
        return form

    def fixed_fields(self, model) -> list[tuple[Any, str]]:
        """(label, value) of the fields an edit form leaves out: shown above it."""
        out = []
        for name in self.readonly_on_edit:
            formatter = self.column_formatters.get(name)
            value = formatter(self, None, model, name) if formatter else getattr(model, name)
            out.append((self.get_column_name(name), "" if value is None else value))
        return out

    # --- the audit trail of tables the flush hook does not audit (lookups) ---------------------
    def on_model_change(self, form, model, is_created: bool) -> None:
        self.check(model, is_created)
        if audited(model):
            return
        if is_created:
            self.db_session.flush()
        changes = _changes(model, new=is_created)
        if changes:
            self._audit("INSERT" if is_created else "UPDATE", model, changes)

    def on_model_delete(self, model) -> None:
        self.check_delete(model)
        if not audited(model):
            self._audit("DELETE", model, _changes(model, gone=True))

    def _audit(self, action: str, model, changes: dict) -> None:
        row = audit_row(action, type(model).__name__, model.id, str(model)[:300], changes)
        self.db_session.execute(insert(AuditLog.__table__), [row])

    def check(self, model, is_created: bool) -> None:
        """Refuse a save with `wtforms.ValidationError(message)` (shown, nothing written)."""

    def check_delete(self, model) -> None:
        """Refuse a delete with `wtforms.ValidationError(message)` (shown, nothing deleted)."""
