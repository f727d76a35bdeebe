"""Settings applied to every database connection the app opens.

SQLite: `SQLITE_PRAGMAS` (config) names them. The embedded default sets none: SQLite's own
defaults (a rollback journal, a full sync at each commit) keep a laptop's data safe
through a power cut. The test suite sets `synchronous=OFF`: its databases are thrown away,
and the sync of each of its tens of thousands of commits was a third of `make test-fast`
(8 ms a commit on this machine's disk, 1,856 of them only to build one test database).

PostgreSQL: `POSTGRES_SETTINGS` (config), by default `jit=off`. The unit scope of a
scoped user is a condition of nested EXISTS (a meeting decision is seen through its lead
unit, its co-units, its topic and its meeting's participants); the planner prices such a
query far above `jit_above_cost`, so PostgreSQL 15 compiled each one to machine code
first: 238 ms of JIT for a 1 ms count of 2,000 rows, 60 % of the database's CPU in the
load test (bench/load.py). An admin panel runs short queries; JIT pays only for long
analytic scans. A deployment may change this in config (or per role in PostgreSQL).
"""
from __future__ import annotations

import re

from sqlalchemy import event

#: A pragma name or value is spliced into SQL (PRAGMA takes no parameters): words only.
_WORD = re.compile(r"^[A-Za-z0-9_]+$")


def install(app, engine) -> None:
    if engine.dialect.name == "sqlite":
        _install_sqlite(dict(app.config.get("SQLITE_PRAGMAS") or {}), engine)
    elif engine.dialect.name == "postgresql":
        _install_postgres(dict(app.config.get("POSTGRES_SETTINGS") or {}), engine)


def _install_sqlite(pragmas: dict, engine) -> None:
    if not pragmas:
        return
    bad = [f"{name}={value}" for name, value in pragmas.items()
           if not _WORD.match(str(name)) or not _WORD.match(str(value))]
    if bad:
        raise ValueError(f"SQLITE_PRAGMAS: not a pragma name and value: {', '.join(bad)}")
    statements = [f"PRAGMA {name}={value}" for name, value in pragmas.items()]

    @event.listens_for(engine, "connect")
    def _set(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for statement in statements:
            cursor.execute(statement)
        cursor.close()


def _install_postgres(settings: dict, engine) -> None:
    if not settings:
        return
    # set_config takes parameters (SET does not): names and values are never spliced into SQL.
    calls = ", ".join(["set_config(%s, %s, false)"] * len(settings))
    params = [str(part) for pair in settings.items() for part in pair]

    @event.listens_for(engine, "connect")
    def _set(dbapi_connection, _record):
        # Outside a transaction, so that the settings hold for the session, not one transaction.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"SELECT {calls}", params)
            cursor.close()
        finally:
            dbapi_connection.autocommit = autocommit
