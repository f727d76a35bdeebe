"""Values as a clerk means them, whatever path wrote the record (form, API, import).

* An emptied text box is *no value*, not an empty string. Stored as '' it would
  collide with the next empty one on every unique column that allows NULL (a
  document's receive number, a supervision item's number): the second record without
  one could not be saved.
* Times are kept to the second. A time with microseconds (a computed deadline, an API
  client's `isoformat()`) cannot be shown and sent back by the date-time picker, so
  the record could never be edited again through its form.

Bookkeeping columns (created_at, updated_at, ...) are the system's own and left alone.
"""
from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import DateTime, String, inspect

from models.base import BusinessRecord


@cache
def _columns(model: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(nullable text attributes, date-time attributes) of a mapped class."""
    texts, times = [], []
    for attr in inspect(model).column_attrs:
        if attr.key in BusinessRecord.SYSTEM_FIELDS or len(attr.columns) != 1:
            continue
        column = attr.columns[0]
        if isinstance(column.type, String) and column.nullable:
            texts.append(attr.key)
        elif isinstance(column.type, DateTime):
            times.append(attr.key)
    return tuple(texts), tuple(times)


def clean(obj) -> None:
    """Run by the save lifecycle (app/lifecycle/__init__.py) on every record a flush writes."""
    texts, times = _columns(type(obj))
    values = obj.__dict__          # only what is loaded: never trigger a lazy load here
    for key in texts:
        value = values.get(key)
        if isinstance(value, str) and not value.strip():
            setattr(obj, key, None)
    for key in times:
        value = values.get(key)
        if isinstance(value, dt.datetime) and value.microsecond:
            setattr(obj, key, value.replace(microsecond=0))


def clean_values(model: type, values: dict) -> dict:
    """`clean` for the values of a record not built (the bulk path, app/lifecycle/bulk.py)."""
    texts, times = _columns(model)
    out = dict(values)
    for key in texts:
        value = out.get(key)
        if isinstance(value, str) and not value.strip():
            out[key] = None
    for key in times:
        value = out.get(key)
        if isinstance(value, dt.datetime) and value.microsecond:
            out[key] = value.replace(microsecond=0)
    return out
