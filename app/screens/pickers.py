"""Search-as-you-type relation fields: a drop-down that asks for the records matching what
the user types, a page at a time, instead of carrying every row of the related table.

FAB draws a relation field as a select holding every record the field may offer, and
checks a submitted one by loading them all again: every staff member on a form that
picks a drafter, every supervision item on a filter — pages that grew with the work, so
the relation filters of growing tables had been left out of the lists. Here a relation
field of a registered entity's add, edit and filter form holds only its current value;
Select2 asks `<view>/choices/<field>?q=…&page=…` (static/js/pickers.js), answered
through the same related interface as before — the related entity's scope and the Trash
decide what may be chosen — with the form's own narrowing (`*_form_query_rel_fields`),
matched word by word on the records' labels (app/registry/labels.py). A submitted value is
looked up by its id alone, also through that interface; a value the record already holds
outside the user's scope stays acceptable (`choices.keep_current`).
"""
from __future__ import annotations

from flask import abort, jsonify, url_for
from flask_appbuilder.fields import QuerySelectField
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import inspect as sa_inspect
from wtforms.fields.core import UnboundField
from wtforms.widgets import html_params

from app.registry.labels import label_condition
from app.screens.choices import HELD
from app.seams import ChoiceListSeams

#: Records a drop-down shows per page of results; it asks for the next as the user scrolls.
PAGE = 20

#: Pages of results one drop-down may ask for (20 × 50 = 1,000 records; typing narrows more).
MOST_PAGES = 50

#: The forms whose relation fields become pickers, as `<kind>_form` on the view.
FORMS = ("add", "edit", "search", "step")


class PickerWidget:
    """A select holding the current value only; pickers.js turns it into a Select2 box that
    asks the view for the rest."""

    def __call__(self, field, **kwargs):
        if "name_" in kwargs:          # FAB's search widget renames a filter's field
            field.name = kwargs.pop("name_")
        kwargs.setdefault("id", field.id)
        css = " ".join(c for c in ("form-control office-picker", kwargs.pop("class", "")) if c)
        attrs = {"class": css, "data-picker-url": field.picker_url(), "data-placeholder": gettext("Type to search")}
        if field.flags.required:
            attrs["required"] = True
        options = [Markup('<option value="{}"{}>{}</option>').format(
                       value, Markup(" selected") if selected else "", label)
                   for value, label, selected, *_ in field.iter_choices()]
        return Markup("<select {}>{}</select>").format(
            Markup(html_params(name=field.name, **attrs, **kwargs)), Markup("").join(options))


class PickerField(ChoiceListSeams, QuerySelectField):
    """A relation field whose choices are found by typing, not listed in the page."""

    def __init__(self, label=None, validators=None, *, source, url, **kwargs):
        kwargs.pop("widget", None)
        super().__init__(label, validators, widget=PickerWidget(), **kwargs)
        self.source = source      # () -> (related interface, its FAB filters)
        self.url = url            # () -> the choices URL

    def picker_url(self) -> str:
        return self.url()

    def object_list(self) -> list:
        """Only the record submitted — or, with nothing submitted, the one the view set (a
        child's parent, from the filter its add form was opened with) — looked up by id
        through the scope: a value set from the URL is checked like a typed one."""
        submitted = self.submitted_value()
        if submitted is not None:
            values = [str(submitted)]
        else:
            current = self.current_value()
            values = [] if current is None else [str(self.get_pk_func(current))]
        return [(str(self.get_pk_func(obj)), obj) for obj in self.records(values)]

    def records(self, values: list[str]) -> list:
        """The records among `values` (ids as typed) the field may offer, with the record's
        own current value when it is among them."""
        related, filters = self.source()
        found = by_ids(related, filters, values)
        held = getattr(self, HELD, None)
        if held is None or all(v in {str(related.get_pk_value(obj)) for obj in found} for v in values):
            return found
        return found + [obj for obj in held() if obj not in found and str(related.get_pk_value(obj)) in values]

    def iter_choices(self):
        if self.allow_blank:
            yield ("__None", self.blank_text, self.data is None, {})
        data = self.data
        if data is not None:
            yield (str(self.get_pk_func(data)), self.get_label(data), True, {})


def _pk(related):
    (pk,) = sa_inspect(related.obj).primary_key
    return pk


def by_ids(related, filters, values: list[str]) -> list:
    """The related records with these ids the field may offer (scope, Trash, the form's narrowing)."""
    pk = _pk(related)
    kind = pk.type.python_type
    ids = []
    for value in values:
        try:
            ids.append(kind(value))
        except (TypeError, ValueError):
            continue                  # not an id: matches nothing, refused as "Not a valid choice"
    if not ids:
        return []
    query = related.session.query(related.obj).filter(pk.in_(ids))
    return related.apply_inner_all(query, filters).all()


def install(view) -> None:
    """Turn the relation fields of the view's add, edit and filter forms into pickers."""
    for kind in FORMS:
        form = getattr(view, f"{kind}_form", None)
        if form is None:
            continue
        narrowing = getattr(view, f"{kind}_form_query_rel_fields", None) or {}
        for name, unbound in list(vars(form).items()):
            if not (isinstance(unbound, UnboundField) and unbound.field_class is QuerySelectField):
                continue
            kwargs = dict(unbound.kwargs)
            kwargs.pop("query_func", None)
            setattr(form, name, PickerField(*unbound.args, source=_source(view, name, narrowing.get(name)),
                                            url=_url(view, kind, name), **kwargs))


def _source(view, name: str, narrowing):
    def source():
        related = view.datamodel.get_related_interface(name)
        filters = related.get_filters()
        if narrowing:
            filters = filters.add_filter_list(narrowing)
        return related, filters
    return source


def _url(view, kind: str, name: str):
    return lambda: url_for(f"{view.endpoint}.choices", field=name, form=kind)


def is_picker(view, kind: str, name: str) -> bool:
    form = getattr(view, f"{kind}_form", None)
    unbound = vars(form).get(name) if form is not None else None
    return isinstance(unbound, UnboundField) and unbound.field_class is PickerField


def answer(view, name: str, args):
    """Select2's JSON for the field `name` of the view's `form` (add, edit, search): the records
    whose label holds every word of `q`, a page at a time, or those of the ids asked (`id`:
    the label of a filter's value when the list page opens)."""
    kind = args.get("form", "edit")
    if kind not in FORMS or not is_picker(view, kind, name):
        abort(404)
    unbound = vars(getattr(view, f"{kind}_form"))[name]
    related, filters = unbound.kwargs["source"]()
    get_pk = unbound.kwargs["get_pk_func"]
    ids = args.getlist("id")
    if ids:
        rows, more = by_ids(related, filters, ids[:PAGE]), False
    else:
        page = min(max(args.get("page", 1, type=int) or 1, 1), MOST_PAGES)
        query = related.session.query(related.obj)
        matching = label_condition(related.obj, args.get("q", "")[:200])
        if matching is not None:
            query = query.filter(matching)
        order_column, order_direction = (view.order_rel_fields or {}).get(name) or ("", "")
        query = related.apply_inner_all(query, filters, order_column, order_direction)
        if not order_column:
            query = query.order_by(_pk(related))     # as FAB's drop-downs listed them; `__order__` says otherwise
        rows = query.offset((page - 1) * PAGE).limit(PAGE + 1).all()
        more = len(rows) > PAGE and page < MOST_PAGES
        rows = rows[:PAGE]
    return jsonify(results=[{"id": str(get_pk(obj)), "text": str(obj)} for obj in rows], pagination={"more": more})
