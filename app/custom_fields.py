"""Admin-defined fields on every surface: forms, record page, list, filters, Excel, API.

The definitions (models/custom_fields.py) are kept by the process like the lookups,
so a field an admin adds appears on the next page load in every worker — no restart, no
migration. Values are stored in the record's `custom_fields` JSON under the field's key,
as JSON-native values: text, a number, an ISO date, true/false, a lookup code.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from flask import has_app_context
from flask_appbuilder.fieldwidgets import BS3TextAreaFieldWidget, BS3TextFieldWidget
from flask_babel import gettext
from sqlalchemy import select
from wtforms import BooleanField, FloatField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.validators import Optional as OptionalValue

from app.registry.dates import OfficeDateField
from app.registry.fields import LookupSelectField
from models.base import bilingual
from models.cache_stamps import SharedCache
from models.custom_fields import BOOL, CHOICE, DATE, LONG_TEXT, NUMBER, CustomField
from models.lookups import lookup_label

PREFIX = "cf_"
TEXT_MAX = 500


def form_name(key: str) -> str:
    """The field's name in forms, filters and list columns (never clashes with a column)."""
    return PREFIX + key


@dataclass(frozen=True)
class Definition:
    """What forms, lists, filters, Excel and the API read of a definition: a plain copy, so
    the process may keep it across requests (an ORM row belongs to one session)."""

    id: int
    entity: str
    key: str
    label_zh: str
    label_en: str
    kind: str
    lookup_category: Optional[str]
    required: bool
    position: int
    in_list: bool
    in_filter: bool

    @property
    def label(self) -> str:
        return bilingual(self.label_zh, self.label_en)

    def __str__(self) -> str:
        return f"{self.entity}.{self.key}"


def _all(session) -> dict[str, list[Definition]]:
    rows = session.scalars(select(CustomField).where(CustomField.active.is_(True), CustomField.is_deleted.is_(False))
                           .order_by(CustomField.entity, CustomField.position, CustomField.id))
    out: dict[str, list[Definition]] = {}
    for row in rows:
        out.setdefault(row.entity, []).append(Definition(
            row.id, row.entity, row.key, row.label_zh, row.label_en, row.kind, row.lookup_category,
            bool(row.required), row.position, bool(row.in_list), bool(row.in_filter)))
    return out


#: Read by every form, list and API call of an entity: kept by the process until an admin
#: changes a definition in any worker (models/cache_stamps.py).
_SHARED = SharedCache("custom_fields", CustomField, _all)


def definitions(entity_name: str, session=None) -> list[Definition]:
    """The active fields of an entity, in their position order."""
    if session is None:
        from app.extensions import db

        session = db.session
    if has_app_context():
        return _SHARED.get(session).get(entity_name, [])
    return _all(session).get(entity_name, [])


def form_field(defn: Definition):
    """The WTForms field of a definition, labelled in the user's language."""
    label = defn.label
    check = [DataRequired()] if defn.required and defn.kind != BOOL else [OptionalValue()]
    if defn.kind == LONG_TEXT:
        return TextAreaField(label, validators=check + [Length(max=TEXT_MAX * 8)], widget=BS3TextAreaFieldWidget())
    if defn.kind == NUMBER:
        return FloatField(label, validators=check, widget=BS3TextFieldWidget())
    if defn.kind == DATE:
        return OfficeDateField(label, required=defn.required)
    if defn.kind == BOOL:
        return BooleanField(label)
    if defn.kind == CHOICE:
        return LookupSelectField(label, category=defn.lookup_category or "", required=defn.required)
    return StringField(label, validators=check + [Length(max=TEXT_MAX)], widget=BS3TextFieldWidget())


def to_json(defn: Definition, value: Any) -> Any:
    """A form's or file's value as stored."""
    if value in (None, ""):
        return None
    if defn.kind == DATE and isinstance(value, dt.date):
        return value.isoformat()
    if defn.kind == NUMBER:
        number = float(value)
        return int(number) if number.is_integer() else number
    if defn.kind == BOOL:
        return bool(value)
    return value


def from_json(defn: Definition, value: Any) -> Any:
    """A stored value as a form, a cell or a filter wants it."""
    if value in (None, ""):
        return None
    if defn.kind == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value


def read(record, defn: Definition) -> Any:
    return from_json(defn, (getattr(record, "custom_fields", None) or {}).get(defn.key))


def write(record, values: dict[str, Any]) -> None:
    """Merge `values` (key -> stored value) into the record's JSON, keeping every other key:
    the values of a removed (inactive) field survive."""
    merged = dict(record.custom_fields or {})
    merged.update(values)
    record.custom_fields = {k: v for k, v in merged.items() if v is not None}


def display(defn: Definition, value: Any) -> str:
    """The value as a list, a record page or an Excel cell reads it."""
    if value in (None, ""):
        return ""
    if defn.kind == BOOL:
        return gettext("Yes") if value else gettext("No")
    if defn.kind == CHOICE:
        return lookup_label(defn.lookup_category or "", value)
    return str(value)


def problems(defn: Definition, value: Any) -> Optional[str]:
    """Why a value sent through the API cannot be stored, or None."""
    if value in (None, ""):
        return gettext("%(field)s is required", field=defn.label) if defn.required else None
    try:
        if defn.kind == NUMBER and (isinstance(value, bool) or not isinstance(float(value), float)):
            raise ValueError
        if defn.kind == DATE:
            dt.date.fromisoformat(str(value))
        if defn.kind == BOOL and not isinstance(value, bool):
            raise ValueError
    except (TypeError, ValueError):
        return gettext("%(field)s: not a valid value", field=defn.label)
    if defn.kind == CHOICE:
        from models.lookups import lookup_codes

        if value not in lookup_codes(defn.lookup_category or ""):
            return gettext("%(field)s: not one of the allowed codes", field=defn.label)
    if defn.kind in ("TEXT", "LONG_TEXT") and len(str(value)) > (TEXT_MAX if defn.kind == "TEXT" else TEXT_MAX * 8):
        return gettext("%(field)s: too long", field=defn.label)
    return None


def cell(defn: Definition):
    """(writer kind, converter) of the field in an Excel export: the converter takes the
    record's whole `custom_fields` JSON and returns the cell value — a real date for a
    date, a number for a number, the label for a choice, Yes/No for a yes/no."""
    key = defn.key

    def value_of(data: Any) -> Any:
        return (data or {}).get(key) if isinstance(data, dict) else None

    if defn.kind == DATE:
        return "date", lambda data: from_json(defn, value_of(data))
    if defn.kind == NUMBER:
        return "number", value_of
    if defn.kind in (BOOL, CHOICE):
        return "string", lambda data: display(defn, value_of(data)) or None
    return "string", value_of


def export_names(entity) -> list[str]:
    """The custom columns an export of `entity` adds after its own."""
    if not entity.is_business:
        return []
    return [form_name(d.key) for d in definitions(entity.name)]


def definition_of(model, name: str) -> Optional[Definition]:
    """The active definition behind a `cf_<key>` column name of `model`, or None."""
    if not name.startswith(PREFIX):
        return None
    return next((d for d in definitions(model.__name__) if d.key == name[len(PREFIX):]), None)
