"""The version of each table a process keeps in memory, and the caches that read it (`SharedCache`)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import Integer, String, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model


class CacheStamp(Model):
    """Raised in the transaction of every write to its table: a process whose copy carries
    another version loads the table again. Not an entity of the panel: nobody edits it."""

    __tablename__ = "cache_stamp"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


STAMPS = CacheStamp.__table__
_REQUEST_STAMPS = "_cache_stamps"


class SharedCache:
    """A table's rows loaded once per process (per app: tests run several on other databases)
    and served to every request while the table's stamp is unchanged.

    A request reads all stamps in one query, the first time a shared cache is asked; a write
    to the table — through the ORM (the save lifecycle calls `bump`) or a script that says
    so — raises the stamp in its own transaction, so every worker of a gunicorn pool, and
    every process on other machines, reloads at its next request after the commit. The
    stamp is read before the rows: a load racing a commit keeps the older stamp and is
    loaded again next time, never the reverse."""

    def __init__(self, name: str, model: type, load: Callable[[Any], Any], *, also: tuple = (),
                 tables: tuple[str, ...] = ()):
        """`model`, and the models in `also`, are the tables whose writes the lifecycle sees;
        `tables` names association tables written with them (a role's rights), for
        `bump_table` — the tests' baseline restores them with plain SQL."""
        self.name, self.load = name, load
        self.models = (model, *also)
        self.tables = {m.__tablename__ for m in self.models} | set(tables)
        SHARED.append(self)

    def get(self, session) -> Any:
        kept = current_app.extensions.setdefault("shared_caches", {})
        stamp = _stamps(session).get(self.name, 0)
        version, data = kept.get(self.name, (None, None))
        if version != stamp or data is None:
            data = self.load(session)
            kept[self.name] = (stamp, data)
        return data

    def forget(self) -> None:
        """This process's copy is stale (its own write, a rollback): load again next time."""
        if has_app_context():
            current_app.extensions.get("shared_caches", {}).pop(self.name, None)
            g.pop(_REQUEST_STAMPS, None)

    def bump(self, connection) -> None:
        """Raise the stamp in `connection`'s transaction: other processes see it at commit."""
        if connection.execute(update(STAMPS).where(STAMPS.c.name == self.name)
                              .values(version=STAMPS.c.version + 1)).rowcount == 0:
            connection.execute(insert(STAMPS).values(name=self.name, version=1))


#: Every shared cache, in declaration order.
SHARED: list[SharedCache] = []


def _stamps(session) -> dict[str, int]:
    """All stamps, read once per request (or app context)."""
    stamps = g.get(_REQUEST_STAMPS)
    if stamps is None:
        stamps = {name: version for name, version in session.execute(select(STAMPS.c.name, STAMPS.c.version))}
        g.setdefault(_REQUEST_STAMPS, stamps)
    return stamps


def bump_table(connection, table_name: str) -> None:
    """Raise the stamps of the shared caches of `table_name`, written by SQL the ORM did not see."""
    for cache in SHARED:
        if table_name in cache.tables:
            cache.bump(connection)
