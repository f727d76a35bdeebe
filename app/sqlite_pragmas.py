"""SQLite settings applied to every connection the app opens on an SQLite file.

`SQLITE_PRAGMAS` (config) names them. The embedded default sets none: SQLite's own defaults
(a rollback journal, a full sync at each commit) keep a laptop's data safe through a power
cut. The test suite sets `synchronous=OFF`: its databases are thrown away, and the sync of
each of its tens of thousands of commits was a third of `make test-fast` (8 ms a commit on
this machine's disk, 1,856 of them only to build one test database).
"""
from __future__ import annotations

import re

from sqlalchemy import event

#: A pragma name or value is spliced into SQL (PRAGMA takes no parameters): words only.
_WORD = re.compile(r"^[A-Za-z0-9_]+$")


def install(app, engine) -> None:
    pragmas = dict(app.config.get("SQLITE_PRAGMAS") or {})
    if engine.dialect.name != "sqlite" or not pragmas:
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
