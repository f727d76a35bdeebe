"""Which columns of an entity a file may fill, and how a header names one.

The importable fields are the add form's fields, minus what a form computes: so a
clerk's import can do what his add form can, no more. A header names a field by its
label in Chinese or English (a trailing "*", the template's required mark, is ignored)
or by its column name; export-only columns (a deadline light, the status, the record's
stamps) are recognised and skipped, so an exported file imports as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import force_locale
from sqlalchemy import String

from app.registry import deadlines
from app.registry.introspect import column_of, kind_of, label_of, lookup_of, relationship_of
from models.base import BusinessRecord

IMPORTABLE_KINDS = {"lookup", "relation", "date", "datetime", "bool", "int", "number", "text", "string"}


@dataclass
class ImportField:
    name: str                      # the model attribute the form fills
    kind: str                      # app.registry.introspect.kind_of
    key: str                       # the table column written (an FK column for a relation)
    required: bool
    default: Any = None
    category: Optional[str] = None          # lookup category
    target: Optional[type] = None           # related model
    max_length: Optional[int] = None
    unique: bool = False
    labels: dict[str, str] = field(default_factory=dict)   # locale -> label
    synonyms: tuple[str, ...] = ()          # other headers naming it (a child column's: app/importer/children.py)
    several: bool = False                   # a cell names several values, one child record each

    def header(self, locale: str) -> str:
        return self.labels.get(locale) or self.name


def labels_of(model, name: str) -> dict[str, str]:
    """The field's label in both languages (headers are matched in either)."""
    out = {}
    for locale in ("zh", "en"):
        with force_locale(locale):
            out[locale] = str(label_of(model, name))
    return out


def _default(column) -> Any:
    if column is None or column.default is None or callable(column.default.arg):
        return None
    return column.default.arg


#: The key of a custom field's value in a converted row, before the row's values are
#: gathered into its `custom_fields` JSON.
CUSTOM = "custom_fields:"
CUSTOM_KINDS = {"TEXT": "string", "LONG_TEXT": "text", "NUMBER": "number", "DATE": "date", "BOOL": "bool",
                "CHOICE": "lookup"}


def custom_import_fields(entity) -> list[ImportField]:
    """The admin-defined fields of the entity (app/custom_fields.py), after its own."""
    from app.custom_fields import TEXT_MAX, definitions

    if not entity.is_business:
        return []
    out = []
    for defn in definitions(entity.name):
        kind = CUSTOM_KINDS.get(defn.kind, "string")
        out.append(ImportField(
            name=defn.key, kind=kind, key=CUSTOM + defn.key, required=defn.required,
            category=defn.lookup_category if kind == "lookup" else None,
            max_length=TEXT_MAX if kind == "string" else None,
            labels={"zh": defn.label_zh or defn.key, "en": defn.label_en or defn.key}))
    return out


def import_fields(entity) -> list[ImportField]:
    """The fields a file may fill, in the add form's order, then the admin-defined ones,
    then the columns that create child records (`register(..., import_children=...)`)."""
    from app.importer.children import child_import_fields  # it builds on this module

    return own_import_fields(entity) + custom_import_fields(entity) + child_import_fields(entity)


def field_of(model, name: str) -> Optional[ImportField]:
    """The import field of `model.name`, or None if its kind cannot be imported."""
    kind = kind_of(model, name)
    if kind not in IMPORTABLE_KINDS:
        return None
    if kind == "relation":
        rel = relationship_of(model, name)
        column = next(iter(rel.local_columns))
        target = rel.mapper.class_
    else:
        column, target = column_of(model, name), None
    required = column is not None and not column.nullable and _default(column) is None
    max_length = column.type.length if column is not None and isinstance(column.type, String) else None
    return ImportField(
        name=name, kind=kind, key=column.key, required=required, default=_default(column),
        category=lookup_of(model, name), target=target, max_length=max_length,
        unique=bool(column is not None and column.unique), labels=labels_of(model, name))


def own_import_fields(entity) -> list[ImportField]:
    return [f for f in (field_of(entity.model, name) for name in entity.form_fields) if f is not None]


def known_names(entity) -> set[str]:
    """Every field an export of the entity may carry: recognised in a header, then skipped
    if not importable."""
    names = set(entity.fields) | set(entity.list) | set(entity.export or ())
    names |= set(deadlines.shown_columns(entity, list(names)))
    if entity.is_business:
        names |= set(BusinessRecord.SYSTEM_FIELDS)
    return names


def normalise(header: Any) -> str:
    """How two headers are compared: case, spaces and the required mark do not count."""
    text = "" if header is None else str(header)
    text = text.strip().rstrip("*＊").strip()
    return re.sub(r"\s+", " ", text).casefold()


def header_index(entity, fields: list[ImportField]) -> tuple[dict[str, ImportField], set[str]]:
    """(normalised header -> importable field, normalised headers of known fields to skip).

    A field is named by its label in either language, its column name, or one of the
    synonyms its entity's declaration gives it (`register(..., synonyms=...)`)."""
    index: dict[str, ImportField] = {}
    for f in fields:
        for text in (f.name, *f.labels.values()):
            index.setdefault(normalise(text), f)
    for f in fields:                 # the paper ledger's words, after every label: a label wins
        for text in (*entity.synonyms.get(f.name, ()), *f.synonyms):
            index.setdefault(normalise(text), f)
    skipped: set[str] = set()
    importable = {f.name for f in fields}
    for name in known_names(entity) - importable:
        for text in (name, *labels_of(entity.model, name).values()):
            key = normalise(text)
            if key not in index:
                skipped.add(key)
    return index, skipped
