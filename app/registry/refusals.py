"""Refusing bad input before the database does.

The database refuses a number too big for its column, a string too long, a value of the
wrong type or a second row with the same unique value — but it refuses with an
exception the screens and the API turned into a 500, or (SQLite) not at all before the
driver overflows. These checks read the limits from the model itself, so every entity is
covered without a line of its own:

* `value_problems` — every column's value fits its type (whole numbers within the
  column's integer range, text within its length), the field named;
* `duplicate_problems` — the record's values of each unique column or unique constraint
  are not already another row's (a vehicle's plate, a document's handler pair);
* `record_id` / `bounded_page` — a path id or a page number beyond what the database can
  hold finds nothing instead of failing.
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Float, Index, Integer, Numeric, SmallInteger, String, UniqueConstraint, select
from sqlalchemy import inspect as sa_inspect

from app.registry.checks import RuleViolation
from app.registry.introspect import label_of

#: What a save the database refused is told (the screens, and the importer for a whole file).
SAVE_FAILED = _l("Not saved: a value that must be unique is already used, or a linked record no longer exists.")

#: The largest value of each integer type on PostgreSQL (SQLite holds 64 bits in all).
INT_LIMITS = ((BigInteger, 2**63 - 1), (SmallInteger, 2**15 - 1), (Integer, 2**31 - 1))

#: Deepest list page any screen or API call asks the database for, and the most rows per
#: page: beyond these an OFFSET overflows the database's integer (a 500 before).
MAX_PAGE = 2**31 - 1
MAX_PAGE_SIZE = 1000


class Duplicate(RuleViolation):
    """A unique value already used: the API answers 409, a form shows the message."""

    def __init__(self, messages, columns: list[str]):
        super().__init__(messages)
        self.columns = columns


def int_limit(column_type) -> int:
    for kind, limit in INT_LIMITS:
        if isinstance(column_type, kind):
            return limit
    return 2**63 - 1


def record_id(model, pk: Any) -> int | None:
    """`pk` as the model's integer id, or None where no row can have it (not a whole
    number, or beyond the id column's range: PostgreSQL's int4 raised, SQLite overflowed)."""
    columns = sa_inspect(model).primary_key
    if len(columns) != 1 or not isinstance(columns[0].type, Integer):
        return pk
    try:
        value = int(str(pk).strip())
    except (TypeError, ValueError):
        return None
    limit = int_limit(columns[0].type)
    return value if -limit - 1 <= value <= limit else None


def bounded_page(page: int | None, page_size: int | None) -> tuple[int | None, int | None]:
    """A page number and size the database can take: none negative, none past MAX_PAGE."""
    if page is not None:
        page = min(max(int(page), 0), MAX_PAGE)
    if page_size is not None:
        page_size = min(max(int(page_size), 1), MAX_PAGE_SIZE)
    return page, page_size


def _attributes(model) -> list[tuple[str, Any]]:
    """(attribute name, table column) of each mapped column."""
    mapper = sa_inspect(model)
    return [(attr.key, attr.columns[0]) for attr in mapper.column_attrs if attr.columns[0].table is not None]


def _value_problem(model, name: str, column, value) -> str | None:
    field = label_of(model, name)
    kind = column.type
    if isinstance(kind, Integer):
        limit = int_limit(kind)
        if isinstance(value, bool) or not isinstance(value, int) or not -limit - 1 <= value <= limit:
            return gettext("%(field)s: enter a whole number between %(low)s and %(high)s.",
                           field=field, low=-limit - 1, high=limit)
    elif isinstance(kind, Numeric):
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return gettext("%(field)s: enter a number.", field=field)
        digits = kind.precision - (kind.scale or 0) if kind.precision and not isinstance(kind, Float) else 15
        if not math.isfinite(value) or abs(value) >= 10**digits:
            return gettext("%(field)s: the number is out of range.", field=field)
    elif isinstance(kind, String):
        if not isinstance(value, str):
            return gettext("%(field)s: enter text.", field=field)
        if kind.length and len(value) > kind.length:
            return gettext("%(field)s: at most %(count)s characters.", field=field, count=kind.length)
    return None


def value_problems(item) -> list[str]:
    """A message for each column whose value the database could not store."""
    model = type(item)
    found = []
    for name, column in _attributes(model):
        value = item.__dict__.get(name)
        if value is None or column.primary_key:      # ids come from the database
            continue
        problem = _value_problem(model, name, column, value)
        if problem:
            found.append(problem)
    return found


def unique_sets(model) -> list[list[str]]:
    """Attribute names of each unique column and each unique constraint or index."""
    by_column = {column: name for name, column in _attributes(model)}
    table = model.__table__
    sets: list[list] = [[c] for c in table.columns if c.unique and not c.primary_key]
    sets += [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    sets += [list(i.columns) for i in table.indexes if isinstance(i, Index) and i.unique]
    out: list[list[str]] = []
    for columns in sets:
        names = [by_column[c] for c in columns if c in by_column]
        if names and len(names) == len(columns) and names not in out:
            out.append(names)
    return out


def _value_of(item, name: str):
    """The attribute's value; for a foreign key a form set through its relation (the
    column stays empty until the flush), the linked record's id."""
    value = getattr(item, name, None)
    if value is not None:
        return value
    column = getattr(type(item), name).property.columns[0]
    for relation in sa_inspect(type(item)).relationships:
        if relation.uselist or column not in relation.local_columns:
            continue
        linked = getattr(item, relation.key, None)
        if linked is not None:
            for local, remote in relation.local_remote_pairs:
                if local is column:
                    return getattr(linked, remote.key, None)
    return None


def duplicate_problems(item, session) -> None:
    """Raise Duplicate when another row already holds the record's values of a unique
    column or constraint (NULLs never collide; deleted records in the Trash count: the
    database's constraint sees them too)."""
    model = type(item)
    table = model.__table__
    pk = sa_inspect(model).primary_key[0]
    own_id = getattr(item, pk.key, None)
    for names in unique_sets(model):
        values = [_value_of(item, name) for name in names]
        if any(v is None for v in values):
            continue
        query = select(pk).select_from(table).where(*(table.c[getattr(model, n).property.columns[0].key] == v
                                                      for n, v in zip(names, values, strict=True))).limit(1)
        if own_id is not None:
            query = query.where(pk != own_id)
        with session.no_autoflush:
            if session.execute(query).first() is None:
                continue
        fields = " + ".join(str(label_of(model, n)) for n in names)
        raise Duplicate([gettext("%(field)s: this value is already used by another record.", field=fields)], names)
