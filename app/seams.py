"""Every place this app reaches into Flask-AppBuilder, flask-admin or WTForms below their
public surface: the overrides of their private methods, the patches of their objects and
the reads of their private attributes.

A framework upgrade may rename or reshape any of these without notice. Keeping them here,
listed in `SEAMS` and checked by tests/test_framework_seams.py against the installed
versions, makes such an upgrade fail in one place instead of misbehaving in many.

Each override is glue only: it has the framework's exact signature and hands over to a
public-named hook. The hook's default here does what the framework does; our classes
(app/screens, app/registry, app/security.py) override the hook and call `super()` for the
framework's behaviour. So the mixins here sit last among a class's own bases, right before
the framework class, below every mixin whose hooks they call.

This module imports only the frameworks: whatever of ours `install()` needs, it imports
when called (tests/test_import_graph.py forbids cycles).
"""
from __future__ import annotations

import re
import sys

from flask import request
from flask_appbuilder import fields as fab_fields
from flask_appbuilder import urltools
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.baseviews import BaseCRUDView, BaseModelView
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.manager import BaseSecurityManager
from flask_appbuilder.security.sqla.models import Role, User
from wtforms.fields.datetime import DateTimeField

#: The framework versions every seam below was read against (requirements.txt pins the
#: same): an upgrade is a new reading of each seam, then a new number here.
CHECKED_WITH = {"Flask-AppBuilder": "5.3.0", "Flask-Admin": "2.2.1", "WTForms": "3.3.2"}

#: (framework class or module, name, signature of the framework's own) for every private
#: method we override and every framework attribute we replace. The test compares each
#: signature, without annotations (a change of type hints alone does not concern the
#: override), with the installed framework's.
SEAMS: list[tuple[object, str, str | None]] = [
    (BaseCRUDView, "_init_forms", "(self)"),
    (BaseCRUDView, "_init_properties", "(self)"),
    (BaseCRUDView, "_list", "(self, **kwargs)"),
    (BaseCRUDView, "_add", "(self)"),
    (BaseCRUDView, "_edit", "(self, pk)"),
    (BaseCRUDView, "_get_add_widget", "(self, form, exclude_cols=None, widgets=None)"),
    (BaseCRUDView, "_get_related_views_widgets",
     "(self, item, orders=None, pages=None, page_sizes=None, widgets=None, **args)"),
    (BaseCRUDView, "_get_related_view_widget",
     "(self, item, related_view, order_column='', order_direction='', page=None, page_size=None)"),
    (BaseCRUDView, "_get_edit_widget", "(self, form, exclude_cols=None, widgets=None)"),
    (BaseCRUDView, "_get_show_widget", "(self, pk, item, widgets=None, actions=None, show_fieldsets=None)"),
    (BaseCRUDView, "_get_list_widget",
     "(self, filters, actions=None, order_column='', order_direction='', page=None, page_size=None, "
     "widgets=None, **kwargs)"),
    (BaseModelView, "_get_search_widget", "(self, form=None, exclude_cols=None, widgets=None)"),
    (SQLAInterface, "_apply_inner_all",
     "(self, query, filters=None, order_column='', order_direction='', page=None, page_size=None, "
     "select_columns=None, aliases_mapping=None)"),
    (ModelRestApi, "_init_model_schemas", "(self)"),
    (ModelRestApi, "_get_field_info", "(self, field, filter_rel_field, page=None, page_size=None)"),
    (ModelRestApi, "_merge_update_item", "(self, model_item, data)"),
    (BaseSecurityManager, "_has_view_access", "(self, user, permission_name, view_name)"),
    (DateTimeField, "_value", "(self)"),
    (fab_fields.QuerySelectField, "_get_object_list", "(self)"),
    # patched: the framework's own, as found before install() (ORIGINALS)
    # QuerySelectField sets `blank_text` in __init__, which our property then receives
    (fab_fields.QuerySelectField, "__init__",
     "(self, label=None, validators=None, query_func=None, get_pk_func=None, get_label=None, "
     "allow_blank=False, blank_text='', **kwargs)"),
    (urltools, "get_page_args", "()"),
    (urltools, "get_page_size_args", "()"),
    (Role, "__str__", None),
    (User, "get_full_name", "(self)"),
    (Filters, "_get_filters", "(self, cols)"),
]

#: Private names patched on the framework's class itself (not overridden in a subclass of ours).
PATCHED_PRIVATE = {"__str__", "_get_filters"}

#: What the patched names were before `install()` replaced them: the framework's own.
ORIGINALS = {(owner, name): getattr(owner, name) for owner, name, _signature in SEAMS
             if not name.startswith("_") or name in PATCHED_PRIVATE}

#: Private attributes of FAB's `Filters` (a view's `_filters`) that this app reads or
#: replaces: only through `all_filters` and `search_filters` below.
FILTERS_ATTRIBUTES = ("_all_filters", "_search_filters")


# --- the screens: FAB's BaseCRUDView / BaseModelView ------------------------------------------
class CrudViewSeams:
    """FAB's private view steps, each handed to a public hook (EntityView and its mixins)."""

    def _init_forms(self):
        self.init_forms()

    def init_forms(self):
        """FAB's form classes are built once per view: a hook may add fields to them."""
        super()._init_forms()

    def _init_properties(self):
        self.init_properties()

    def init_properties(self):
        """FAB's columns and filters, built once per view: a hook may add to them."""
        super()._init_properties()

    def _list(self, **kwargs):
        return self.list_screen(**kwargs)

    def list_screen(self, **kwargs):
        return super()._list(**kwargs)

    def _add(self):
        return self.add_screen()

    def add_screen(self):
        return super()._add()

    def _edit(self, pk):
        return self.edit_screen(pk)

    def edit_screen(self, pk):
        return super()._edit(pk)

    def _get_related_views_widgets(self, item, orders=None, pages=None, page_sizes=None, widgets=None, **args):
        return self.related_views_widgets(item, orders=orders, pages=pages, page_sizes=page_sizes, widgets=widgets,
                                          **args)

    def related_views_widgets(self, item, orders=None, pages=None, page_sizes=None, widgets=None, **args):
        """The record page's (and edit page's) related lists, one widget per related view."""
        return super()._get_related_views_widgets(item, orders=orders, pages=pages, page_sizes=page_sizes,
                                                  widgets=widgets, **args)

    def related_view_instances(self) -> list:
        """The related views as FAB set them up (instances of `related_views`)."""
        return self._related_views

    def related_view_widget(self, item, related_view, order_column="", order_direction="", page=None,
                            page_size=None):
        """One related view's list of the records of `item` (FAB's `_get_related_view_widget`)."""
        return self._get_related_view_widget(item, related_view, order_column, order_direction, page=page,
                                             page_size=page_size)

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        return self.add_widgets(form, exclude_cols=exclude_cols, widgets=widgets)

    def add_widgets(self, form, exclude_cols=None, widgets=None):
        widgets = widgets or {}
        widgets["add"] = self.add_widget(form=form, include_cols=self.add_columns, exclude_cols=exclude_cols or [],
                                         fieldsets=self.form_fieldsets(self.add_fieldsets))
        return widgets

    def _get_edit_widget(self, form, exclude_cols=None, widgets=None):
        return self.edit_widgets(form, exclude_cols=exclude_cols, widgets=widgets)

    def edit_widgets(self, form, exclude_cols=None, widgets=None):
        widgets = widgets or {}
        widgets["edit"] = self.edit_widget(form=form, include_cols=self.edit_columns, exclude_cols=exclude_cols or [],
                                           fieldsets=self.form_fieldsets(self.edit_fieldsets))
        return widgets

    def form_fieldsets(self, fieldsets):
        """The add or edit form's fieldsets as FAB declares them; a hook may add sections."""
        return fieldsets

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        return self.show_widgets(pk, item, widgets=widgets, actions=actions, show_fieldsets=show_fieldsets)

    def show_widgets(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        return super()._get_show_widget(pk, item, widgets=widgets, actions=actions, show_fieldsets=show_fieldsets)

    def _get_list_widget(self, filters, actions=None, order_column="", order_direction="", page=None,
                         page_size=None, widgets=None, **kwargs):
        return self.list_widgets(filters, actions=actions, order_column=order_column,
                                 order_direction=order_direction, page=page, page_size=page_size,
                                 widgets=widgets, **kwargs)

    def list_widgets(self, filters, actions=None, order_column="", order_direction="", page=None,
                     page_size=None, widgets=None, **kwargs):
        return super()._get_list_widget(filters, actions=actions, order_column=order_column,
                                        order_direction=order_direction, page=page, page_size=page_size,
                                        widgets=widgets, **kwargs)

    def _get_search_widget(self, form=None, exclude_cols=None, widgets=None):
        return self.search_widgets(form=form, exclude_cols=exclude_cols, widgets=widgets)

    def search_widgets(self, form=None, exclude_cols=None, widgets=None):
        return super()._get_search_widget(form=form, exclude_cols=exclude_cols, widgets=widgets)


def all_filters(view) -> dict:
    """{column: [filter, ...]} of every filter a FAB view knows, searchable or not (FAB
    looks a URL's `_flt_<i>_<column>` up by its position in this list)."""
    return view._filters._all_filters


def search_filters(view) -> dict:
    """{column: [filter, ...]} of the filters the view's search form offers."""
    return view._filters._search_filters


def replace_filters(view, *, every: dict, search: dict) -> None:
    """Give a view's filter set new {column: [filter, ...]} maps (copies: FAB shares the
    originals between the instances of a view class)."""
    view._filters._all_filters = every
    view._filters._search_filters = search


# --- the data layer: FAB's SQLAInterface --------------------------------------------------------
class DataInterfaceSeams:
    """FAB's one query step every list, count and fetch by id passes through."""

    def _apply_inner_all(self, query, filters=None, order_column="", order_direction="", page=None,
                         page_size=None, select_columns=None, aliases_mapping=None):
        return self.apply_inner_all(query, filters=filters, order_column=order_column,
                                    order_direction=order_direction, page=page, page_size=page_size,
                                    select_columns=select_columns, aliases_mapping=aliases_mapping)

    def apply_inner_all(self, query, filters=None, order_column="", order_direction="", page=None,
                        page_size=None, select_columns=None, aliases_mapping=None):
        return super()._apply_inner_all(query, filters, order_column, order_direction, page, page_size,
                                        select_columns, aliases_mapping)


# --- the REST API: FAB's ModelRestApi --------------------------------------------------------
class ModelApiSeams:

    def _init_model_schemas(self) -> None:
        self.init_model_schemas()

    def init_model_schemas(self) -> None:
        """FAB's marshmallow schemas, built once per API: a hook may wrap them."""
        super()._init_model_schemas()

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        return self.field_info(field, filter_rel_field, page=page, page_size=page_size)

    def field_info(self, field, filter_rel_field, page=None, page_size=None):
        """A field's description in `_info` answers."""
        return super()._get_field_info(field, filter_rel_field, page=page, page_size=page_size)

    def _merge_update_item(self, model_item, data):
        return self.merge_update_item(model_item, data)

    def merge_update_item(self, model_item, data):
        """A PUT's body merged over the stored record before the schema loads it."""
        return super()._merge_update_item(model_item, data)


# --- security: FAB's BaseSecurityManager --------------------------------------------------------
class SecuritySeams:

    def _has_view_access(self, user, permission_name, view_name):
        return self.view_access(user, permission_name, view_name)

    def view_access(self, user, permission_name: str, view_name: str) -> bool:
        """Whether `user` holds `permission_name` on `view_name` (asked per menu entry and button)."""
        return super()._has_view_access(user, permission_name, view_name)


# --- forms: WTForms fields ----------------------------------------------------------------
class ChoiceListSeams:
    """FAB's QuerySelectField reads the records it offers, and looks a submitted id up among
    them, through `_get_object_list`, caching [(id as text, record)] in `_object_list`."""

    def _get_object_list(self):
        if self._object_list is None:
            self._object_list = self.object_list()
        return self._object_list

    def object_list(self) -> list:
        """[(id as text, record)] the field offers; FAB's: every record its query returns."""
        return [(str(self.get_pk_func(obj)), obj) for obj in self.query_func()]

    def submitted_value(self):
        """The id as the form sent it, before it is looked up (None when nothing was sent)."""
        return self._formdata

    def current_value(self):
        """The record the field holds without looking a submitted id up (set from the record
        edited, or by the view from the list filter a form was opened from)."""
        return self._data


class FieldTextSeams:
    """WTForms renders a field's value through `_value`."""

    def _value(self):
        return self.shown_text()

    def shown_text(self) -> str:
        return super()._value()


# --- patches, installed once by create_app() ----------------------------------------------------
def _blank_label() -> None:
    """FAB's relation drop-downs have an empty blank option; WTForms 3.3 renders an
    empty label as the option's value, so users saw "__None". Show a dash instead."""
    if isinstance(fab_fields.QuerySelectField.__dict__.get("blank_text"), property):
        return

    def _get(self):
        return self.__dict__.get("_blank_text") or "—"

    def _set(self, value):
        self.__dict__["_blank_text"] = value

    fab_fields.QuerySelectField.blank_text = property(_get, _set)


def _numbers_in_url(prefix: str) -> dict:
    """{view name: number} of the `<prefix><view>=<n>` arguments that are whole numbers:
    FAB's int() of `page_X=abc` was a 500; a non-number is ignored (the first page)."""
    found = {}
    for arg in request.args:
        match = re.fullmatch(re.escape(prefix) + "(.*)", arg)
        if match:
            try:
                found[match.group(1)] = int(request.args.get(arg))
            except ValueError:
                continue
    return found


def get_page_args() -> dict:
    return _numbers_in_url("page_")


def get_page_size_args() -> dict:
    return _numbers_in_url("psize_")


def _lenient_url_numbers() -> None:
    """FAB's page and page-size readers, replaced wherever a module imported them."""
    originals = {"get_page_args": urltools.get_page_args, "get_page_size_args": urltools.get_page_size_args}
    replacements = {"get_page_args": get_page_args, "get_page_size_args": get_page_size_args}
    for module in list(sys.modules.values()):
        for name, original in originals.items():
            try:
                imported = getattr(module, name, None)
            except Exception:        # a module whose attribute access does more than look up
                continue
            if imported is original:
                setattr(module, name, replacements[name])


def _readable_users_and_roles() -> None:
    """Drop-downs of roles (user form, group form) print the role: FAB's Role has only a
    __repr__, the name, which lists and logs keep. Users loaded through FAB's own
    relationships (a group's users, "created by") are FAB's User, not OfficeUser: they
    read their names the same way."""
    from app.user_screens import full_name, role_label

    def role_str(self) -> str:
        return role_label(self)

    def user_full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    Role.__str__ = role_str
    User.get_full_name = user_full_name


def _filters_converted_once() -> None:
    """FAB's `Filters` turns every column of the model into its filters each time one is
    built, and FAB builds one for each query step and copy: four a save, a millisecond each
    (a sixth of a save). The columns and the converter are fixed for a data interface, so
    the filters it gets are kept on it; each `Filters` receives its own lists (FAB appends
    a view's extra filters to them)."""
    original = ORIGINALS[(Filters, "_get_filters")]

    def _get_filters(self, cols):
        kept = self.datamodel.__dict__.setdefault("_office_filters", {})
        key = (self.filter_converter, tuple(cols))
        found = kept.get(key)
        if found is None:
            found = kept[key] = original(self, cols)
        return {col: list(filters) for col, filters in found.items()}

    Filters._get_filters = _get_filters


def install() -> None:
    """The patches, before AppBuilder is created (its views import FAB's URL readers)."""
    _blank_label()
    _lenient_url_numbers()
    _readable_users_and_roles()
    _filters_converted_once()
