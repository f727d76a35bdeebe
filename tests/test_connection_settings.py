"""Every connection the app opens carries the configured database settings
(app/connection_settings.py): on PostgreSQL JIT is off — it compiled each scoped list's
query before running it, most of the database's CPU under load."""
from __future__ import annotations

from sqlalchemy import text

from app.extensions import db


def _setting(app, sql: str):
    with app.app_context():
        with db.engine.connect() as conn:     # a connection of the app's own pool
            return conn.execute(text(sql)).scalar()


def test_each_connection_has_the_settings(app):
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":
        assert _setting(app, "SHOW jit") == "off"
        # a session setting, not one transaction's: still off after a commit and a rollback
        with app.app_context():
            db.session.execute(text("SELECT 1"))
            db.session.commit()
            db.session.execute(text("SELECT 1"))
            db.session.rollback()
            assert db.session.execute(text("SHOW jit")).scalar() == "off"
    else:
        assert _setting(app, "PRAGMA synchronous") == 0      # the suite's SQLITE_PRAGMAS


def test_a_fresh_pool_applies_them_again(app):
    """A connection opened after the pool was emptied (a worker's restart, a recycled
    connection) gets the settings too."""
    with app.app_context():
        db.engine.dispose()
        dialect = db.engine.dialect.name
    expected = "off" if dialect == "postgresql" else 0
    assert _setting(app, "SHOW jit" if dialect == "postgresql" else "PRAGMA synchronous") == expected
