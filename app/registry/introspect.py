"""Read what a model says about its columns: label, lookup category, kind.

Everything the registry generates (screens, Excel headers, API docs) asks here, so a
label written once on the model is the only label there is.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, Text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import RelationshipProperty

from models.base import display  # noqa: F401  (re-exported: the registry's vocabulary)


def column_info(model, name: str) -> dict[str, Any]:
    mapper = sa_inspect(model)
    if name in mapper.relationships:
        return mapper.relationships[name].info
    if name in mapper.columns:
        return mapper.columns[name].info
    attr = getattr(model, name, None)
    if isinstance(attr, property) and attr.fget is not None:
        return getattr(attr.fget, "info", {})
    return {}


def label_of(model, name: str):
    info = column_info(model, name)
    return info.get("label") or name.replace("_", " ").capitalize()


def lookup_of(model, name: str) -> str | None:
    return column_info(model, name).get("lookup")


def is_sensitive(model, name: str) -> bool:
    return bool(column_info(model, name).get("sensitive"))


def relationship_of(model, name: str) -> RelationshipProperty | None:
    return sa_inspect(model).relationships.get(name)


def column_of(model, name: str):
    return sa_inspect(model).columns.get(name)


def kind_of(model, name: str) -> str:
    """One of: lookup, relation, relations, date, datetime, bool, int, number, text, string, computed."""
    if lookup_of(model, name):
        return "lookup"
    rel = relationship_of(model, name)
    if rel is not None:
        return "relations" if rel.uselist else "relation"
    col = column_of(model, name)
    if col is None:
        return "computed"
    t = col.type
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, (Numeric, Float)):
        return "number"
    if isinstance(t, Text):
        return "text"
    return "string"
