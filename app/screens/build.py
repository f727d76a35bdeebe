"""Turn every `register(...)` declaration into screens, API, permissions and menu."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from marshmallow import ValidationError
from wtforms import BooleanField

from app.masking import can_see_sensitive, mask_value, sensitive_columns
from app.menu import GROUPS
from app.registry import deadlines
from app.registry.dates import OfficeDateField, OfficeDateTimeField
from app.registry.fields import LookupSelectField
from app.registry.introspect import column_info, column_of, kind_of, label_of, lookup_of, relationship_of
from app.registry.spec import PAGES, REGISTRY, Entity
from app.screens.api import EntityApi
from app.screens.interface import OfficeInterface
from app.screens.views import EntityView
from models.base import BusinessRecord
from models.lookups import CATEGORIES, lookup_codes, lookup_label

NOT_IN_API = {"custom_fields", "is_deleted"}


def _fmt_bool(value):
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


def _fmt_datetime(value):
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else _blank(value)


def _blank(value):
    return "" if value is None else value


def _fmt_any(value):
    """A computed value: formatted by what it turns out to be."""
    if isinstance(value, bool) or value is None:
        return _fmt_bool(value)
    return _fmt_datetime(value)


def _lookup_formatter(category: str):
    styles = CATEGORIES[category].styles if category in CATEGORIES else {}
    if not styles:
        return lambda code: lookup_label(category, code)

    def badge(code):
        text = lookup_label(category, code)
        if not text:
            return ""
        return Markup('<span class="label label-{}">{}</span>').format(styles.get(code, "default"), text)
    return badge


def _formatters(entity: Entity, names) -> dict:
    """How values read on lists and record pages: lookup labels in the user's language,
    Yes/No, minutes-precision times, nothing (not "None") for an empty value."""
    out = {}
    for name in names:
        kind = kind_of(entity.model, name)
        if kind == "lookup":
            category = lookup_of(entity.model, name)
            out[name] = _lookup_formatter(category)
        elif kind == "bool":
            out[name] = _fmt_bool
        elif kind == "datetime":
            out[name] = _fmt_datetime
        elif kind == "relations":
            out[name] = lambda items: "、".join(str(x) for x in (items or []))
        elif kind == "computed":
            out[name] = _fmt_any
        else:
            out[name] = _blank
    sensitive = sensitive_columns(entity.model)
    for name in set(out) & set(sensitive):
        out[name] = _masking_formatter(out[name], sensitive[name])
    return out


def _masking_formatter(inner, mask: str):
    """Sensitive personal data reads masked unless the user may see it (docs/domain.md §9)."""
    def fmt(value):
        if can_see_sensitive():
            return inner(value)
        return "" if value is None else mask_value(value, mask)
    return fmt


#: The form field of each column kind FAB would get wrong (app/registry/dates.py).
PICKERS = {"date": OfficeDateField, "datetime": OfficeDateTimeField}


def _form_fields(entity: Entity, names) -> dict:
    """Fields FAB would get wrong: lookups (a select of codes), booleans (FAB makes a
    NOT NULL boolean a *required* checkbox, so "no" could never be saved), dates and
    date-times (FAB's picker is date-only and empties a refused value)."""
    fields = _lookup_fields(entity, names)
    for name in names:
        kind = kind_of(entity.model, name)
        description = column_info(entity.model, name).get("description", "")
        if kind == "bool":      # ticked on a new record where the column defaults to true (a lookup's "active")
            col = column_of(entity.model, name)
            default = col.default.arg if col is not None and col.default is not None else None
            fields[name] = BooleanField(label_of(entity.model, name), description=description,
                                        default=default is True)
        elif kind in PICKERS:
            col = column_of(entity.model, name)
            required = name in entity.required or (not col.nullable and col.default is None
                                                   and col.server_default is None)
            fields[name] = PICKERS[kind](label_of(entity.model, name), required=required, description=description)
    return fields


def _lookup_fields(entity: Entity, names, *, for_search: bool = False) -> dict:
    fields = {}
    for name in names:
        category = lookup_of(entity.model, name)
        if not category:
            continue
        col = column_of(entity.model, name)
        required = not for_search and (bool(col is not None and not col.nullable) or name in entity.required)
        default = (
            col.default.arg
            if (col is not None and col.default is not None and not for_search and not callable(col.default.arg))
            else None
        )
        fields[name] = LookupSelectField(
            label_of(entity.model, name),
            category=category,
            required=required,
            default=default,
            description=column_info(entity.model, name).get("description", ""),
        )
    return fields


def _default_search(entity: Entity) -> list[str]:
    names = list(entity.list) + [
        f for f in entity.fields if kind_of(entity.model, f) in ("string", "lookup", "relation")
    ]
    out: list[str] = []
    for n in names:
        if n not in out and kind_of(entity.model, n) != "computed":
            out.append(n)
    return out


def _default_order(entity: Entity) -> list[str]:
    """Sortable list columns: the table's own columns (FAB cannot sort by a relation)."""
    return [n for n in entity.list if kind_of(entity.model, n) not in ("computed", "relation", "relations", "text")]


def _labels(entity: Entity, names) -> dict:
    return {n: label_of(entity.model, n) for n in names}


def _system_section(entity: Entity) -> list:
    if not entity.is_business:
        return []
    return [(_l("Record"), {"fields": list(BusinessRecord.SYSTEM_FIELDS), "expanded": False})]


def _fieldsets(entity: Entity, *, form: bool) -> list:
    sets = []
    for title, names in entity.sections:
        fields = [n for n in names
                  if not (form and (n not in entity.form_fields or kind_of(entity.model, n) == "computed"))]
        if fields:
            sets.append((title, {"fields": fields}))
    return sets


def _relation_order(entity: Entity) -> dict:
    """Drop-downs of related records in their official order (units by sort_order)."""
    order = {}
    for name in entity.form_fields:
        rel = relationship_of(entity.model, name)
        if rel is not None and not rel.uselist:
            target_order = getattr(rel.mapper.class_, "__order__", None)
            if target_order:
                order[name] = target_order
    return order


def make_view(entity: Entity) -> type:
    model = entity.model
    has_deadline = deadlines.install_columns(entity)   # light and overdue days on list and record page
    listed = deadlines.list_columns(entity)
    show_sets = deadlines.show_fieldsets(entity, _fieldsets(entity, form=False)) + _system_section(entity)
    shown = [f for _t, spec in show_sets for f in spec["fields"]]
    # No list filters or sorts on sensitive data: a "starts with" filter on an ID number
    # gives it away digit by digit to a role that sees it masked (the API refuses them by role).
    secret = set(sensitive_columns(model))
    # relation filters of growing tables too: their fields are search-as-you-type (pickers.py)
    search = [n for n in (entity.search if entity.search is not None else _default_search(entity))
              if n not in secret]
    if has_deadline and deadlines.deadline_of(entity).due not in search:
        search.append(deadlines.deadline_of(entity).due)   # its "Past due" / "Due within" filters
    attrs = dict(
        entity=entity,
        datamodel=OfficeInterface(model, entity=entity, capped_count=True,    # count stops at LIST_COUNT_CAP
                                  listed=listed),
        class_permission_name=entity.name,
        list_title=entity.title,
        show_title=_l("%(item)s: details", item=entity.item),
        add_title=_l("New %(item)s", item=entity.item),
        edit_title=_l("Edit %(item)s", item=entity.item),
        list_columns=listed,
        show_fieldsets=show_sets,
        add_fieldsets=_fieldsets(entity, form=True),
        edit_fieldsets=_fieldsets(entity, form=True),
        search_columns=search,
        order_columns=[n for n in (entity.order if entity.order is not None else _default_order(entity))
                       if n not in secret],
        label_columns=_labels(entity, set(listed) | set(shown) | set(search)),
        description_columns={
            n: column_info(model, n)["description"] for n in entity.fields if column_info(model, n).get("description")
        },
        formatters_columns={**_formatters(entity, set(listed) | set(shown)),
                            **(deadlines.FORMATTERS if has_deadline else {})},
        add_form_extra_fields=_form_fields(entity, entity.form_fields),
        edit_form_extra_fields=_form_fields(entity, entity.form_fields),
        step_form_extra_fields=_form_fields(entity, entity.step_only),
        search_form_extra_fields=_lookup_fields(entity, search, for_search=True),
        base_order=entity.base_order,
        base_filters=[["is_deleted", FilterEqual, False]] if entity.is_business else [],
        order_rel_fields=_relation_order(entity),
        base_permissions=entity.permissions,
        # the forms hide a conditional section until its condition holds (app/static/js/conditions.js)
        extra_args={"form_conditions": {name: when for name, when in entity.field_conditions.items()
                                        if name in entity.form_fields}},
    )
    attrs.update(entity.view_attrs)
    bases = (deadlines.DeadlineFilters, EntityView) if has_deadline else (EntityView,)
    return type(f"{entity.name}View", bases, attrs)


def _api_columns(entity: Entity, names) -> list[str]:
    """Screens speak relations; the API speaks their FK ids and lookup codes."""
    out: list[str] = []
    for name in names:
        rel = relationship_of(entity.model, name)
        if rel is not None:
            if rel.uselist:
                continue
            name = next(iter(rel.local_columns)).key
        elif column_of(entity.model, name) is None or name in NOT_IN_API:
            continue
        if name not in out:
            out.append(name)
    return out


def _lookup_validator(category: str):
    def validate(value):
        if value not in (None, "") and value not in lookup_codes(category):
            raise ValidationError(gettext("Unknown code %(code)s for %(what)s", code=value, what=category))

    return validate


def make_api(entity: Entity) -> type:
    model = entity.model
    columns = [c.key for c in model.__table__.columns
               if c.key not in NOT_IN_API and not (c.info or {}).get("secret")]
    writable = _api_columns(entity, entity.form_fields)
    if entity.is_business:          # admin-defined fields, checked by EntityApi._check_custom
        columns.append("custom_fields")
        writable.append("custom_fields")
    filters = deadlines.search_filters(entity)   # "past_due" / "due_within" on the due column
    descriptions = {}
    for name in columns:
        info = column_info(model, name)
        if info.get("lookup"):
            descriptions[name] = gettext("Code from the lookup '%(category)s'", category=info["lookup"])
    attrs = dict(
        entity=entity,
        datamodel=OfficeInterface(model, entity=entity),
        resource_name=entity.slug,
        class_permission_name=entity.name,
        # a client PUTs back the row_version it read (optimistic locking), from a list too
        list_columns=["id"] + [c for c in _api_columns(entity, entity.list) if c not in ("id", "row_version")]
        + (["row_version"] if entity.is_business else []),
        show_columns=columns,
        add_columns=writable,
        edit_columns=writable,
        step_columns=_api_columns(entity, entity.step_only),
        order_columns=columns,
        search_columns=[c for c in writable if c != "custom_fields"] + [c for c in filters if c not in writable],
        search_filters=filters,
        label_columns={c: label_of(model, c) for c in columns},
        description_columns=descriptions,
        validators_columns={c: _lookup_validator(lookup_of(model, c)) for c in writable if lookup_of(model, c)},
        base_filters=[["is_deleted", FilterEqual, False]] if entity.is_business else [],
        openapi_spec_tag=str(entity.name),
        base_permissions=entity.permissions,
    )
    return type(f"{entity.name}Api", (EntityApi,), attrs)


def build(appbuilder) -> dict[type, tuple[type, type]]:
    """Create and register every entity's view and API, menu in the order of GROUPS; the
    pages of a group (`register_page`) come after its entities."""
    views = {model: make_view(entity) for model, entity in REGISTRY.items()}
    for model, view in views.items():
        view.related_views = [views[m] for m in REGISTRY[model].related]
    built = {}
    # children (no menu entry) first, so related tabs find their registered views
    for model, entity in REGISTRY.items():
        if not entity.menu:
            appbuilder.add_view_no_menu(views[model])
    for group in GROUPS:
        entries = [(m, e) for m, e in REGISTRY.items() if e.group == group.key and e.menu]
        for model, entity in sorted(entries, key=lambda pair: group.rank(pair[1].name)):   # stable sort
            appbuilder.add_view(
                views[model],
                entity.name,
                label=entity.title,
                icon=entity.icon,
                category=group.key,
                category_label=group.label,
                category_icon=group.icon,
            )
        for page in PAGES:
            if page.group != group.key:
                continue
            if page.view is None:
                appbuilder.add_link(page.name, href=page.href, label=page.label, icon=page.icon, category=group.key,
                                    category_label=group.label, category_icon=group.icon)
            else:
                appbuilder.add_view(page.view, page.name, label=page.label, icon=page.icon, category=group.key,
                                    category_label=group.label, category_icon=group.icon)
    for model, entity in REGISTRY.items():
        api = make_api(entity)
        appbuilder.add_api(api)
        built[model] = (views[model], api)
    _security_menu_last(appbuilder)
    return built


def _security_menu_last(appbuilder) -> None:
    """FAB adds its Security menu before any of ours; clerks look for their ledgers
    first, so the office's functions come first and user administration last."""
    items = appbuilder.menu.menu
    security = [m for m in items if m.name == "Security"]
    appbuilder.menu.menu = [m for m in items if m.name != "Security"] + security
