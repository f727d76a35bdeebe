"""An Excel export reads what its columns show of other records with each chunk of rows
(app/registry/loads.py): its statements do not grow with the rows — and it loads only the
relations its columns read, not every collection of the model (a hotline export loaded all
the actions of its cases). Every entity whose export shows a relation or a computed
column, generated over the registry."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import inspect as sa_inspect

import views  # noqa: F401  (the registry)
from app.registry import deadlines
from app.registry.spec import REGISTRY
from tests.test_list_reads import _add
from tests.test_record_page_reads import counted


def _exported(entity) -> list[str]:
    return deadlines.shown_columns(entity, entity.export or entity.fields)


def _reads_others(entity) -> bool:
    mapper = sa_inspect(entity.model)
    return any(name not in mapper.columns for name in _exported(entity))


EXPORTING = sorted((e for e in REGISTRY.values() if _reads_others(e)), key=lambda e: e.name)


def _same_lists(statements: list[str]) -> list[str]:
    return [_IN_LIST.sub("IN (…)", sql) for sql in statements]


#: An IN list of bound parameters, as SQLite (?) and PostgreSQL (%(id_1_1)s::INTEGER) write them.
_IN_LIST = re.compile(r"IN \((?:\?|%\(\w+\)s(?:::\w+)?)(?:, (?:\?|%\(\w+\)s(?:::\w+)?))*\)")


def _export_url(entity) -> str:
    return f"/{entity.name.lower()}view/export/"


@pytest.mark.parametrize("entity", EXPORTING, ids=lambda e: e.name)
def test_an_exports_statements_do_not_grow_with_its_rows(app, as_role, entity):
    admin = as_role("admin", "zh")
    _add(app, entity, 1)
    response = admin.get(_export_url(entity))
    assert response.status_code == 200 and response.mimetype.endswith("sheet")      # caches warmed
    with counted(app) as one:
        assert admin.get(_export_url(entity)).status_code == 200
    _add(app, entity, 4)
    assert admin.get(_export_url(entity)).status_code == 200
    with counted(app) as five:
        assert admin.get(_export_url(entity)).status_code == 200
    # one look-up per chunk and relation names its ids (IN (?, ?, …)): the same statement, not one per row
    one, five = _same_lists(one), _same_lists(five)
    per_row = {sql: n for sql, n in (Counter(five) - Counter(one)).items() if n > 1}
    assert not per_row, "\n".join(f"{n}× {sql}" for sql, n in per_row.items())
    assert len(five) <= len(one) + 1
