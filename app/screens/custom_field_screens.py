"""Admin-defined fields on the generated screens: add and edit forms, the record page,
the list's columns and its filters — all decided per request from the definitions
(app/custom_fields.py), so a field added in the console shows on the next page load.

FAB builds forms, fieldsets, columns and filters once, when a view is created; each
hook below takes FAB's static set and adds the entity's current custom fields to it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l

from app import custom_fields as cf
from app import seams
from models.custom_fields import BOOL, CHOICE, DATE, NUMBER

SECTION = _l("Additional fields")


@dataclass(frozen=True)
class FilterSpec:
    """What a filter needs of a definition, as plain values: the filter classes live on the
    view for the process's life, and an ORM row kept there is detached once its request
    ends (reading it in a later request raised DetachedInstanceError)."""

    key: str
    kind: str
    lookup_category: str | None

    @classmethod
    def of(cls, defn) -> FilterSpec:
        return cls(defn.key, defn.kind, defn.lookup_category)


class _CustomFilter(BaseFilter):
    """A filter on one key of the record's `custom_fields` JSON. FAB re-creates filters
    from their class alone, so each field gets its own subclass carrying its definition."""

    defn: FilterSpec | None = None

    def _expression(self):
        value = self.model.custom_fields[self.defn.key]
        if self.defn.kind == NUMBER:
            return value.as_float()
        if self.defn.kind == BOOL:
            return value.as_boolean()
        return value.as_string()


class FilterCustomEqual(_CustomFilter):
    name = _l("Equal to")

    def apply(self, query, value):
        if self.defn.kind == NUMBER:
            try:
                value = float(value)
            except (TypeError, ValueError):
                return query.filter(False)
        elif self.defn.kind == BOOL:
            value = str(value).lower() in ("y", "yes", "true", "1", "on")
        elif self.defn.kind == DATE and hasattr(value, "isoformat"):
            value = value.isoformat()
        return query.filter(self._expression() == value)


class FilterCustomContains(_CustomFilter):
    name = _l("Contains")

    def apply(self, query, value):
        return query.filter(self._expression().contains(str(value), autoescape=True))


def _filters_of(defn) -> list[type]:
    kinds = [FilterCustomEqual] if defn.kind in (NUMBER, BOOL, DATE, CHOICE) else [FilterCustomContains,
                                                                                     FilterCustomEqual]
    spec = FilterSpec.of(defn)
    return [type(f"{kind.__name__}_{defn.key}", (kind,), {"defn": spec}) for kind in kinds]


class CustomFieldScreens:

    def _custom_definitions(self) -> list:
        return cf.definitions(self.entity.name) if self.entity is not None and self.entity.is_business else []

    # --- forms --------------------------------------------------------------------------------
    def _custom_form(self, form_class):
        """The form class with the entity's current custom fields appended."""
        defs = self._custom_definitions()
        if not defs:
            return form_class
        attrs = {cf.form_name(d.key): cf.form_field(d) for d in defs}
        return type(form_class.__name__, (form_class,), attrs)

    def _prefill_custom(self, form, item) -> None:
        for defn in self._custom_definitions():
            name = cf.form_name(defn.key)
            if name in form:
                form[name].data = cf.read(item, defn)

    def _take_custom(self, form) -> None:
        """Lift the custom values out of the form before FAB copies it onto the record
        (they are no attributes of the model); `_store_custom` writes them to the JSON."""
        values = {}
        for defn in self._custom_definitions():
            name = cf.form_name(defn.key)
            if name in form:
                values[defn.key] = cf.to_json(defn, form[name].data)
                del form[name]
        g._custom_values = values

    def _store_custom(self, item) -> None:
        values = g.pop("_custom_values", None)
        if values:
            cf.write(item, values)

    def _custom_fieldsets(self, fieldsets):
        names = [cf.form_name(d.key) for d in self._custom_definitions()]
        if not names:
            return fieldsets
        return list(fieldsets or []) + [(SECTION, {"fields": names})]

    def form_fieldsets(self, fieldsets):
        """The add and edit forms end with a section of the entity's current custom fields."""
        return self._custom_fieldsets(super().form_fieldsets(fieldsets))

    # --- record page and list ------------------------------------------------------------------
    def _custom_labels_and_formatters(self, defs) -> tuple[dict, dict]:
        labels = dict(self.label_columns)
        formatters = dict(self.formatters_columns)
        for defn in defs:
            name = cf.form_name(defn.key)
            labels[name] = defn.label
            formatters[name] = lambda value, defn=defn: cf.display(defn, cf.from_json(defn, value))
        return labels, formatters

    def show_widgets(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        defs = self._custom_definitions()
        if not defs:
            return super().show_widgets(pk, item, widgets=widgets, actions=actions, show_fieldsets=show_fieldsets)
        widgets = widgets or {}
        fieldsets = list(show_fieldsets or self.show_fieldsets)
        names = [cf.form_name(d.key) for d in defs]
        system = [i for i, (_t, spec) in enumerate(fieldsets) if "row_version" in spec.get("fields", [])]
        fieldsets.insert(system[0] if system else len(fieldsets), (SECTION, {"fields": names}))
        columns = list(self.show_columns) + names
        labels, formatters = self._custom_labels_and_formatters(defs)
        widgets["show"] = self.show_widget(
            pk=pk, label_columns=labels, include_columns=columns,
            value_columns=self.datamodel.get_values_item(item, columns), formatters_columns=formatters,
            actions=actions or self.actions, fieldsets=fieldsets, modelview_name=self.__class__.__name__)
        return widgets

    def list_widgets(self, filters, actions=None, order_column="", order_direction="", page=None,
                     page_size=None, widgets=None, **kwargs):
        """FAB's list widget, with the custom columns of this request (no shared state changed)."""
        shown = [d for d in self._custom_definitions() if d.in_list]
        widgets = widgets or {}
        page_size = page_size or self.page_size
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        joined_filters = filters.get_joined_filters(self._base_filters)
        count, lst = self.datamodel.query(joined_filters, order_column, order_direction, page=page,
                                          page_size=page_size)
        columns = list(self.list_columns) + [cf.form_name(d.key) for d in shown]
        labels, formatters = self._custom_labels_and_formatters(shown)
        widgets["list"] = self.list_widget(
            label_columns=labels, include_columns=columns, value_columns=self.datamodel.get_values(lst, columns),
            order_columns=self.order_columns, formatters_columns=formatters, page=page, page_size=page_size,
            count=count, pks=[self._serialize_pk_if_composite(pk) for pk in self.datamodel.get_keys(lst)],
            actions=actions or self.actions, filters=filters, modelview_name=self.__class__.__name__, **kwargs)
        return widgets

    # --- filters -------------------------------------------------------------------------------
    def _sync_custom_filters(self) -> None:
        """Give the view's filter set one entry per custom field offered as a filter, and
        drop the entries of fields no longer offered."""
        wanted = {cf.form_name(d.key): d for d in self._custom_definitions() if d.in_filter}
        filters = self._filters
        search, every = dict(seams.search_filters(self)), dict(seams.all_filters(self))
        seams.replace_filters(self, every=every, search=search)
        for name in [n for n in search if n.startswith(cf.PREFIX) and n not in wanted]:
            search.pop(name, None)
            every.pop(name, None)
        for name, defn in wanted.items():
            current = search.get(name)
            if current and current[0].defn == FilterSpec.of(defn):
                continue
            search[name] = every[name] = [f(name, self.datamodel) for f in _filters_of(defn)]
        filters.search_columns = [c for c in filters.search_columns if not c.startswith(cf.PREFIX)] + list(wanted)

    def search_widgets(self, form=None, exclude_cols=None, widgets=None):
        offered = [d for d in self._custom_definitions() if d.in_filter]
        if offered and form is not None:
            extra = {cf.form_name(d.key): cf.form_field(d) for d in offered}
            form = type(type(form).__name__, (type(form),), extra)()
        widgets = widgets or {}
        widgets["search"] = self.search_widget(
            route_base=self.route_base, form=form,
            include_cols=list(self.search_columns) + [cf.form_name(d.key) for d in offered],
            exclude_cols=exclude_cols or [], filters=self._filters)
        return widgets
