"""Loader options that read what a page or a file shows of other records with its rows.

A list page, and each chunk of an Excel export, names the columns it shows; the relations
those columns follow are loaded with the rows — a unit joined to its row, a list of
co-handlers in one more query for the whole page — instead of one query per row.
"""
from __future__ import annotations

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import joinedload, selectinload

from app.registry.introspect import column_info


def list_loads(model, listed) -> tuple:
    """Loader options for what a list shows of other records: read with the page's rows,
    not one query per row and relation — on PostgreSQL a page of 20 staff made 18 more
    round trips for their units. A listed relation (`department`, `request.reason`) is
    loaded with what its label reads (the model's `__str_reads__`); a computed column with
    the relations it declares it reads (`display(..., reads=("parties.department",))`)."""
    mapper = sa_inspect(model)
    paths: list[str] = []
    for name in listed:
        if name.split(".")[0] in mapper.relationships:
            paths.append(name)
        else:
            paths.extend(column_info(model, name).get("reads", ()))
    return tuple(_loads_for(mapper, paths, depth=0))


def _loads_for(mapper, paths, depth: int) -> list:
    """One loader per relation the paths start with: a unit joined to its row, a list of
    records (co-handlers) read in one more query for the whole page; deeper steps nested."""
    rests: dict[str, list[str]] = {}
    for path in paths:
        key, _, rest = path.partition(".")
        if key in mapper.relationships:
            rests.setdefault(key, []).extend([rest] if rest else [])
    out = []
    for key, more in rests.items():
        rel = mapper.relationships[key]
        option = (selectinload if rel.uselist else joinedload)(rel.class_attribute)
        more = more + list(getattr(rel.mapper.class_, "__str_reads__", ()))
        inner = _loads_for(rel.mapper, more, depth + 1) if more and depth < 3 else []
        out.append(option.options(*inner) if inner else option)
    return out
