"""The migrations build exactly the schema the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model

import models  # noqa: F401
from app.extensions import db
from app.search.index import is_index_table


def _modelled(name, type_, _parent) -> bool:
    """Tables a model describes: not the global search index's (created by its migration)."""
    return not (type_ == "table" and is_index_table(name))


def test_models_and_migrations_do_not_drift(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _modelled})
        diff = compare_metadata(context, Model.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def _fill_required(conn, table_name: str, **values) -> None:
    """Insert a row with `values` and something valid in every other NOT NULL column."""
    import datetime as dt

    from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, Numeric, Table, insert

    table = Table(table_name, MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key or column.server_default is not None:
            continue
        kind = column.type
        row[column.name] = (False if isinstance(kind, Boolean) else dt.datetime(2026, 1, 5, 9) if isinstance(
            kind, DateTime) else dt.date(2026, 1, 5) if isinstance(kind, Date) else 1 if isinstance(
            kind, (Integer, Numeric)) else "X")
    conn.execute(insert(table), [row])


def test_an_upgrade_indexes_the_records_already_there(app, request, tmp_path):
    """A database that held records before the search index (0016) finds them after `flask db
    upgrade`: the index is built once the last migration has run, with the models it reads."""
    import uuid

    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from app import create_app

    if app.config["BACKEND"] == "postgresql":
        url = request.getfixturevalue("pg_cluster").create_database(f"upgrade_{uuid.uuid4().hex[:8]}")
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, SECRET_KEY="m" * 40,
                     JOBS_URL=f"sqlite:///{tmp_path / 'jobs.db'}")
    engine = create_engine(url)
    try:
        with old.app_context():
            upgrade(revision="0015_cache_stamps")
            with engine.begin() as conn:
                _fill_required(conn, "department", code="OLD-1", name_zh="迁移前的燃气办公室",
                               unit_type="OFFICE_DIVISION", is_deleted=False)
            upgrade()
        with engine.connect() as conn:
            found = conn.execute(text("SELECT count(*) FROM search_index WHERE entity = 'Department'")).scalar()
        assert found == 1
    finally:
        engine.dispose()
