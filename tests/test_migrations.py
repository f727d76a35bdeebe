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
