"""Where a figure leads: the entity's list, filtered to exactly the records counted.

FAB reads list filters from URL arguments `_flt_<index>_<column>=<value>`, where
`<index>` is the position of the filter class in the list FAB builds for that column
(FilterEqual is 3rd for a string, 1st for a relation). The index is looked up in the
view's own filter list, never hard-coded, so a column of another type, or a filter an
entity adds, is addressed correctly. A column the list does not let users search is
ignored by FAB; a link through it would show more than was counted, so none is made.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from flask import url_for

from app.registered_views import view_of
from app.seams import all_filters

#: FAB's `arg_name`s of the filters we use: equal, in, their negations, relation equal.
EQUAL, IN, NOT_EQUAL, NOT_IN, RELATION = "eq", "in", "neq", "not_in", "rel_o_m"


def record_url(entity, pk: int) -> str:
    """The record page: where the workflow buttons are."""
    return url_for(f"{entity.name}View.show", pk=pk)


def list_url(entity, *filters: tuple[str, str, Any]) -> Optional[str]:
    """The entity's list with `(column, arg_name, value)` filters; a list value is sent
    as repeated arguments (FAB's "in" filter takes them all). None when one filter is
    not one the list accepts."""
    view = view_of(entity)
    if view is None:
        return None
    args: dict[str, Any] = {}
    for column, arg_name, value in filters:
        index = filter_index(view, column, arg_name)
        if index is None:
            return None
        args[f"_flt_{index}_{column}"] = url_value(value)
    return url_for(f"{entity.name}View.list", **args)


def url_value(value: Any) -> Any:
    """A filter's value as the URL carries it (and FAB hands it to the filter): text, or a
    list of texts."""
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)


def filter_index(view, column: str, arg_name: str) -> Optional[int]:
    """Position of the `arg_name` filter among the filters FAB accepts on `column` from a
    URL (FAB only reads one digit)."""
    if column not in view._filters.get_search_filters():
        return None
    for index, flt in enumerate(all_filters(view).get(column, [])):
        if flt.arg_name == arg_name and index < 10:
            return index
    return None


def equal(column: str, value: Any) -> tuple[str, str, Any]:
    return (column, EQUAL, value)


def one_of(column: str, values: Iterable[Any]) -> tuple[str, str, Any]:
    """`column` in `values`; a single value is an equality (the list shows it as such)."""
    values = list(values)
    return (column, EQUAL, values[0]) if len(values) == 1 else (column, IN, values)


def related(relation: str, pk: int) -> tuple[str, str, Any]:
    return (relation, RELATION, pk)
