"""A list page reads the relations it shows with its rows (app/screens/interface.py
`list_loads`): its queries do not grow with the records its rows point to — on PostgreSQL a
page of 20 staff in 18 units made 18 more round trips (issue 19). Every entity whose list
shows a relation, generated over the registry."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import inspect as sa_inspect

import views  # noqa: F401  (the registry)
from app.extensions import db
from app.registry.spec import REGISTRY
from tests.factories import make
from tests.test_ledgers import list_url
from tests.test_record_page_reads import counted


def _listed_relations(entity) -> list:
    mapper = sa_inspect(entity.model)
    out = []
    for name in entity.list:
        rel = mapper.relationships.get(name.split(".")[0])
        if rel is not None and not rel.uselist and rel not in out:
            out.append(rel)
    return out


def _reads_others(entity) -> bool:
    """Its list shows a relation or a computed column (which may follow relations)."""
    mapper = sa_inspect(entity.model)
    return any(name.split(".")[0] in mapper.relationships or isinstance(getattr(entity.model, name, None), property)
               for name in entity.list)


LISTING_RELATIONS = sorted((e for e in REGISTRY.values() if _reads_others(e)), key=lambda e: e.name)


def _add(app, entity, n: int) -> None:
    """`n` records, each pointing to records of its own (a unit, a meeting …) in every listed relation."""
    with app.app_context():
        for _ in range(n):
            make(db.session, entity.model, **{rel.key: make(db.session, rel.mapper.class_)
                                              for rel in _listed_relations(entity)})
        db.session.commit()


@pytest.mark.parametrize("entity", LISTING_RELATIONS, ids=lambda e: e.name)
def test_a_lists_queries_do_not_grow_with_the_records_its_rows_point_to(app, as_role, entity):
    url = list_url(app, entity.model)
    admin = as_role("admin", "zh")
    _add(app, entity, 1)
    assert admin.get(url).status_code == 200          # the process's caches warmed
    with counted(app) as one:
        assert admin.get(url).status_code == 200
    _add(app, entity, 4)
    assert admin.get(url).status_code == 200          # new units: the kept filter form drawn again
    with counted(app) as five:
        assert admin.get(url).status_code == 200
    # a statement run once per row shows up ~5 times more; a read once per request (the work
    # calendar, asked only when a row's light needs it) may come or go with the rows shown
    per_row = {sql: n for sql, n in (Counter(five) - Counter(one)).items() if n > 1}
    assert not per_row, "\n".join(f"{n}× {sql}" for sql, n in per_row.items())
    assert len(five) <= len(one) + 1
