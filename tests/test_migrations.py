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


def _old_database(app, request, tmp_path, name: str):
    """(an app, an engine) on an empty database of the backend under test, for an upgrade from
    an older revision: a throw-away PostgreSQL database, or a SQLite file."""
    import uuid

    from sqlalchemy import create_engine

    from app import create_app

    if app.config["BACKEND"] == "postgresql":
        url = request.getfixturevalue("pg_cluster").create_database(f"{name}_{uuid.uuid4().hex[:8]}")
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, SECRET_KEY="m" * 40,
                     JOBS_URL=f"sqlite:///{tmp_path / 'jobs.db'}")
    return old, create_engine(url)


def test_an_upgrade_indexes_the_records_already_there(app, request, tmp_path):
    """A database that held records before the search index (0016) finds them after `flask db
    upgrade`: the index is built once the last migration has run, with the models it reads."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    old, engine = _old_database(app, request, tmp_path, "upgrade")
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


def test_the_proposal_windows_upgrade_moves_the_rows_already_there(app, request, tmp_path):
    """0025: a report filed (存档) but stored as REJECTED becomes FILED; a confidential proposer's names
    move to the sensitive columns; a reply gets its evaluation window on the work calendar and the
    date of its evaluation; a seeded label is corrected, an administrator's own label is kept."""
    import datetime as dt

    from flask_migrate import upgrade
    from sqlalchemy import text

    old, engine = _old_database(app, request, tmp_path, "windows")
    try:
        with old.app_context():
            upgrade(revision="0015_cache_stamps")     # before the search index, built with the models of head
            with engine.begin() as conn:
                _fill_required(conn, "lookup", category="handling_role", code="FENBAN", label_zh="分办",
                               label_en="Separate", sort=30, active=True)
                _fill_required(conn, "lookup", category="disclosure", code="ZHUDONG", label_zh="主动公开",
                               label_en="Published proactively", sort=10, active=True)
                _fill_required(conn, "work_calendar", day=dt.date(2026, 10, 1), kind="HOLIDAY", is_deleted=False)
                _fill_required(conn, "department", code="OLD-2", name_zh="迁移前的报送单位", unit_type="MUNI_DEPT",
                               is_deleted=False)
                unit = conn.execute(text("SELECT id FROM department WHERE code = 'OLD-2'")).scalar()
                for status, result in (("REJECTED", "CUNDANG"), ("REJECTED", "BUCAIYONG")):
                    _fill_required(conn, "info_report", title=f"迁移前{result}", status=status, department_id=unit,
                                   screening_result=result, is_deleted=False)
                _fill_required(conn, "proposal", kind="NPC_JIANYI", session_label="迁移届", number=1, title="保密",
                               lead_proposer="迁移前保密", co_proposers="附议甲", confidentiality_requested=True,
                               is_key=False, is_deleted=False)
                _fill_required(conn, "proposal", kind="NPC_JIANYI", session_label="迁移届", number=2, title="公开",
                               lead_proposer="迁移前公开", confidentiality_requested=False, is_key=False,
                               is_deleted=False)
                pid = conn.execute(text("SELECT id FROM proposal WHERE number = 1")).scalar()
                _fill_required(conn, "proposal_reply", proposal_id=pid, reply_type="FIRST", answer_category="A",
                               reply_date=dt.date(2026, 9, 29), is_public=False, is_deleted=False)
                rid = conn.execute(text("SELECT id FROM proposal_reply")).scalar()
                _fill_required(conn, "proposal_evaluation", proposal_id=pid, reply_id=rid, result="MANYI",
                               evaluated_at=dt.date(2026, 10, 12), is_deleted=False)
            upgrade()
        with engine.connect() as conn:
            reports = dict(conn.execute(text("SELECT screening_result, status FROM info_report")).all())
            assert reports == {"CUNDANG": "FILED", "BUCAIYONG": "REJECTED"}
            people = conn.execute(text("SELECT number, lead_proposer, co_proposers, confidential_lead_proposer, "
                                       "confidential_co_proposers FROM proposal ORDER BY number")).all()
            assert [tuple(p) for p in people] == [(1, None, None, "迁移前保密", "附议甲"),
                                                  (2, "迁移前公开", None, None, None)]
            due, evaluated = conn.execute(text("SELECT evaluation_due, evaluated_on FROM proposal_reply")).one()
            # 15 working days from 29 September with 1 October off (only that day is in this calendar)
            assert str(due)[:10] == "2026-10-21" and str(evaluated)[:10] == "2026-10-12"
            labels = dict(conn.execute(text("SELECT code, label_en FROM lookup WHERE code IN ('FENBAN', 'ZHUDONG')"))
                          .all())
            assert labels == {"FENBAN": "Separate handling", "ZHUDONG": "Published proactively"}
    finally:
        engine.dispose()
