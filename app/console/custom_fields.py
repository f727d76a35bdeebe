"""Custom fields in the console: an admin adds, orders, shows or hides a field of any
business entity; the work panel and the API pick it up on the next request
(app/custom_fields.py). Removing a field deactivates it, so no stored value is lost."""
from __future__ import annotations

import re

from flask import flash
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.console.base import ConsoleModelView
from app.registry.spec import REGISTRY
from models.custom_fields import CHOICE, CustomField
from models.lookups import CATEGORIES

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def entity_choices() -> list[tuple[str, str]]:
    """Every business entity, by its title in the user's language."""
    return sorted(((e.name, f"{e.title} ({e.name})") for e in REGISTRY.values()
                   if e.is_business and not e.read_only), key=lambda pair: pair[1])


def category_choices() -> list[tuple[str, str]]:
    return [("", "—")] + sorted(((key, f"{c.title} ({key})") for key, c in CATEGORIES.items()),
                                key=lambda pair: pair[1])


class _Choices(SelectField):
    """A select whose options are read when the form is built (titles in the user's language)."""

    def __init__(self, label=None, options=None, **kwargs):
        super().__init__(label, choices=lambda: [SelectChoice(value, text) for value, text in options()], **kwargs)
        self._options = options

    def pre_validate(self, form):
        if self.data not in {value for value, _label in self._options()}:
            raise ValueError(gettext("Choose a value from the list."))


def _entity_title(_view, _context, model: CustomField, _name):
    entity = next((e for e in REGISTRY.values() if e.name == model.entity), None)
    return str(entity.title) if entity is not None else model.entity


class CustomFieldView(ConsoleModelView):
    column_list = ["entity", "key", "label_zh", "label_en", "kind", "lookup_category", "required", "position",
                   "in_list", "in_filter", "active"]
    column_editable_list = ["label_zh", "label_en", "position", "in_list", "in_filter", "active"]
    column_searchable_list = ["key", "label_zh", "label_en"]
    column_filters = ["entity", "kind", "active"]
    column_sortable_list = ["entity", "key", "position", "active"]
    column_default_sort = [("entity", False), ("position", False)]
    column_formatters = {"entity": _entity_title}
    form_overrides = {"entity": _Choices, "lookup_category": _Choices}
    form_args = {"entity": {"options": entity_choices}, "lookup_category": {"options": category_choices},
                 "position": {"default": 100}, "active": {"default": True}}
    readonly_on_edit = ("entity", "key", "kind")
    intro = _l("A field added here appears at once in the forms, the record page, the import template, Excel "
               "and the API of its entity; a list column and a filter when ticked. Removing a field switches it "
               "off: its stored values are kept and come back if it is switched on again.")

    def __init__(self, db, **kwargs):
        super().__init__(CustomField, db, **kwargs)

    def check(self, model: CustomField, is_created: bool) -> None:
        problems = []
        if is_created:
            model.key = (model.key or "").strip()
            if not KEY.match(model.key):
                problems.append(gettext("The key is lower-case letters, digits and _, starting with a letter."))
            with self.db_session.no_autoflush:
                if self.db_session.scalar(select(exists().where(CustomField.entity == model.entity,
                                                             CustomField.key == model.key))):
                    problems.append(gettext("This entity has a field %(key)s already.", key=model.key))
        if model.kind == CHOICE and not model.lookup_category:
            problems.append(gettext("A choice needs its lookup category."))
        if model.kind != CHOICE:
            model.lookup_category = None
        if problems:
            raise ValidationError(" ".join(problems))

    def delete_model(self, model: CustomField) -> bool:
        """Removing a field switches it off: the records keep its values."""
        model.active = False
        self.db_session.commit()
        flash(gettext("%(field)s is switched off; the values stored in records are kept.", field=model.label),
              "success")
        return True
