"""Counting the way the lists count: SQL aggregates over the list's own base query.

Every count starts from the entity's list query with the list's base filters (deleted
records out, and the user's department scope), so the number on the
dashboard is the number of rows the linked list shows. Counts are GROUP BY queries, one
per figure: the tables reach a million rows.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

from flask import current_app
from sqlalchemy import func
from sqlalchemy.orm import Query

from app.dashboard.links import IN, NOT_IN, filter_index, url_value, view_of
from app.extensions import db
from app.registry.introspect import lookup_of
from app.registry.scope import scope_condition
from app.seams import all_filters
from models.lookups import lookup_label, lookup_table


def may_read(entity) -> bool:
    return bool(current_app.appbuilder.sm.has_access("can_read", entity.name))


def base_query(entity, *columns) -> Query:
    """`SELECT columns FROM entity` restricted as the entity's list restricts it."""
    query = db.session.query(*columns).select_from(entity.model) if columns else db.session.query(entity.model)
    view = view_of(entity)
    if view is not None:
        query = view.datamodel.apply_filters(query, view._base_filters)
    elif entity.is_business:
        query = query.filter(entity.model.is_deleted.is_(False))
    scope = scope_condition(entity)
    return query.filter(scope) if scope is not None else query


def count(entity, *conditions) -> int:
    return base_query(entity, func.count()).filter(*conditions).scalar() or 0


def count_listed(entity, filters: Sequence[tuple[str, str, Any]], condition=None) -> int:
    """Rows of the entity's list with `(column, arg_name, value)` URL filters, counted
    through the list's own filter objects given the values as the URL gives them; where
    the list offers no such filter, rows meeting `condition` (the filters as SQL)."""
    view = view_of(entity)
    query = base_query(entity, func.count())
    found = [(column, arg, value, filter_index(view, column, arg) if view is not None else None)
             for column, arg, value in filters]
    if any(index is None for *_rest, index in found):
        return (query.filter(condition).scalar() or 0) if condition is not None else 0
    for column, arg, value, index in found:
        flt = all_filters(view)[column][index]
        values = url_value(value)
        values = values if isinstance(values, list) else [values]    # FAB reads request.args.getlist
        if arg in (IN, NOT_IN):
            query = flt.apply(query, values)
        else:
            for one in values:                                      # as FAB's Filters.apply_all does
                query = flt.apply(query, one)
    return query.scalar() or 0


def count_by(entity, column, *conditions) -> dict[Any, int]:
    """{value of `column`: rows} of the entity's live records meeting `conditions`."""
    rows = base_query(entity, column, func.count()).filter(*conditions).group_by(column).all()
    return {value: n for value, n in rows}


def lookup_order(category: Optional[str], codes: Sequence[Any], first: Sequence[Any] = ()) -> list[Any]:
    """`codes` in the order an admin gave the lookup (then `first`'s order, then the rest)."""
    order = [row.code for row in lookup_table().get(category, [])] if category else []
    order += [c for c in first if c not in order]
    known = [c for c in order if c in codes]
    return known + sorted((c for c in codes if c not in order), key=lambda c: (c is None, str(c)))


def code_label(entity, column: str, code: Any) -> str:
    category = lookup_of(entity.model, column)
    return lookup_label(category, code) if category else str(code)
