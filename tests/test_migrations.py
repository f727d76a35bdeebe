"""The migrations build exactly the schema the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model

import models  # noqa: F401
from app.extensions import db


def test_models_and_migrations_do_not_drift(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Model.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"
