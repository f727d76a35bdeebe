"""Lookups (code tables) in the console: labels, order and on/off edited in the list, new
codes added, and no code deleted while a record still holds it.

Every model column whose `info["lookup"]` names a category holds that category's codes
(`lookup_columns`); a code found in any of them — in live or trashed records alike — can
only be switched off, which keeps the records readable and takes it out of the forms.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Optional
from urllib.parse import parse_qs, urlparse

from flask import request
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Column, exists, select
from wtforms import SelectField
from wtforms.validators import DataRequired, ValidationError

from app.console.base import ConsoleModelView, LazyOptions, QuickFilter, joined
from app.registry.introspect import label_of
from app.registry.spec import REGISTRY
from models.base import Model
from models.lookups import CATEGORIES, Lookup

CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")


@cache
def lookup_columns() -> dict[str, list[tuple[type, Column]]]:
    """{category: [(model, column), ...]} of every mapped column holding a lookup's codes."""
    out: dict[str, list[tuple[type, Column]]] = {}
    for mapper in Model.registry.mappers:
        for attr in mapper.column_attrs:
            category = (attr.columns[0].info or {}).get("lookup")
            if category:
                out.setdefault(category, []).append((mapper.class_, attr.columns[0]))
    return out


def code_users(session, category: str, code: str) -> list[str]:
    """Where `code` of `category` is in use: "entity (column)" for each column holding it."""
    where = []
    for model, column in lookup_columns().get(category, []):
        if session.scalar(select(exists().where(column == code))):
            entity = REGISTRY.get(model)
            name = str(entity.title) if entity is not None else model.__name__
            where.append(gettext("%(entity)s (%(field)s)", entity=name, field=label_of(model, column.key)))
    return where


def category_choices() -> list[tuple[str, str]]:
    return sorted(((key, f"{cat.title} · {key}") for key, cat in CATEGORIES.items()), key=lambda c: c[0])


def _category_of(url: Optional[str], param: str) -> Optional[str]:
    """The category a list URL (the create form's way back) filters on."""
    values = parse_qs(urlparse(url or "").query).get(param)
    return values[0] if values else None


def category_formatter(_view, _context, model, _name):
    category = CATEGORIES.get(model.category)
    if category is None:
        return model.category
    return Markup('{} <small class="text-muted">{}</small>').format(category.title, model.category)


class CategoryField(SelectField):
    """The categories the code declares, in the user's language, read when the form is built."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.pop("allow_blank", None)
        super().__init__(label, validators=[DataRequired()], choices=lambda: category_choices(), **kwargs)


BY_CATEGORY = FilterEqual(Lookup.category, label_of(Lookup, "category"), options=LazyOptions(category_choices))


class LookupView(ConsoleModelView):
    column_list = ["category", "code", "label_zh", "label_en", "parent_code", "sort", "active"]
    form_columns = ["category", "code", "label_zh", "label_en", "parent_code", "sort", "active"]
    column_editable_list = ["label_zh", "label_en", "sort", "active"]
    column_searchable_list = ["code", "label_zh", "label_en"]
    column_filters = [BY_CATEGORY, "code", "active"]
    column_sortable_list = ["category", "code", "label_zh", "label_en", "sort", "active"]
    column_default_sort = [("category", False), ("sort", False), ("id", False)]
    column_formatters = {"category": category_formatter}
    form_overrides = {"category": CategoryField}
    readonly_on_edit = ("category", "code")
    intro = _l("A new code is offered in every form, filter, export and import at once. A code that records "
                    "hold cannot be deleted: switch it off instead (Active).")

    def __init__(self, db, **kwargs):
        super().__init__(Lookup, db, **kwargs)

    def quick_filter(self) -> QuickFilter:
        param = self.filter_param(BY_CATEGORY)
        return QuickFilter(label_of(Lookup, "category"), param, category_choices(), request.args.get(param))

    def create_form(self, obj=None):
        """A new code goes into the category the list shows, unless the admin picks another."""
        form = super().create_form(obj)
        category = _category_of(request.args.get("url"), self.filter_param(BY_CATEGORY))
        if request.method == "GET" and category in CATEGORIES:
            form.category.data = category
        return form

    def check(self, model: Lookup, is_created: bool) -> None:
        if not is_created:
            return
        model.code = (model.code or "").strip()
        if not CODE.match(model.code):
            raise ValidationError(gettext("A code is 1 to 32 letters, digits, “_”, “-” or “.” (no spaces), "
                                          "e.g. TOUSU."))
        with self.db_session.no_autoflush:
            taken = self.db_session.scalar(select(exists().where(
                Lookup.category == model.category, Lookup.code == model.code)))
        if taken:
            raise ValidationError(gettext("The code %(code)s already exists in this lookup.", code=model.code))

    def check_delete(self, model: Lookup) -> None:
        users = code_users(self.db_session, model.category, model.code)
        if users:
            raise ValidationError(gettext(
                "The code %(code)s (%(label)s) cannot be deleted: records hold it in %(where)s. "
                "Switch it off instead (untick Active): records keep it, forms no longer offer it.",
                code=model.code, label=model.label, where=joined(users)))
