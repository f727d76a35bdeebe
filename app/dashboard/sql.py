"""One SQL expression the two databases write differently: seconds between two times.

Incident reporting is on time when the report came within N minutes of receipt; the
comparison must run in SQL (a million incidents are not loaded to be compared in
Python). Whole seconds on both backends, so "exactly 15 minutes" is on time on both.
"""
from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class seconds_between(FunctionElement):
    """seconds_between(start, end): whole seconds from `start` to `end` (negative if earlier)."""

    type = Integer()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between)
def _standard(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS INTEGER)"


@compiles(seconds_between, "sqlite")
def _sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST(strftime('%s', {end}) AS INTEGER) - CAST(strftime('%s', {start}) AS INTEGER))"
