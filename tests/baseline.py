"""The shared state of a session-scoped test app, captured once and put back after every test.

The apps of tests/conftest.py live for the whole session (building one runs every
migration), so whatever a test changes on them is seen by every later test: a user's saved
language turns the next test's English page Chinese, a setting moves the deadline lights, a
right granted to Viewer opens a page another test expects refused, a required custom field
makes every later add form fail. A test that forgets its `finally`, or fails before it, must
not decide whether the next one passes — so the suite does not rely on each test cleaning up:
the autouse fixture in conftest.py restores this baseline after every test.

What is restored:
* the office's configuration tables (settings, custom fields, the work calendar, lookups, time
  limits):
  exactly the rows of the baseline — rows added are deleted, changed or deleted ones put back;
* the accounts of the baseline users (language, password, lockout, unit, active) and which
  roles they hold, the rights of the baseline roles, and no role beyond them;
* the app's `config` values (a test that sets one and fails before putting it back).

Business records (meetings, documents, ...) and users a test creates are left: tests
give them their own names and never count on the table being empty. So are the number series:
their counters only move forward, and putting one back would hand out a number twice.

Done on a connection of its own, outside the ORM: no audit row, no save lifecycle, and no
interference with whatever session a test left open.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Table, delete, insert, select, tuple_, update

from models.cache_stamps import bump_table

#: Tables whose rows are the office's configuration rather than its records.
CONFIG_TABLES = ("setting", "custom_field", "work_calendar", "lookup", "document_sla", "incident_sla", "hotline_sla",
                 "telegram_sla",
                 # a user's columns of a list and his saved views: another test's would change his lists
                 "list_column_choice", "saved_view",
                 # what users were told, and what they want to be told: another test's would ring his bell
                 "notification", "notification_choice")

#: Columns of ab_user every sign-in or sign-out moves; putting them back would only cost writes.
VOLATILE_USER_COLUMNS = {"last_login", "login_count", "changed_on", "changed_by_fk", "session_epoch"}

#: Association tables: (table, the column naming the owner whose rows are restored, the other column).
ASSOCIATIONS = (("ab_user_role", "user_id", "role_id"), ("ab_permission_view_role", "role_id", "permission_view_id"))


def _table(name: str) -> Table:
    from flask_appbuilder import Model

    return Model.metadata.tables[name]


def _rows(conn, table: Table, where=None) -> dict[Any, dict]:
    """{primary key: {column: value}} of `table` (its `where` rows)."""
    (pk,) = table.primary_key.columns
    query = select(table) if where is None else select(table).where(where)
    return {row[pk.name]: dict(row) for row in conn.execute(query).mappings()}


class Baseline:
    def __init__(self, app) -> None:
        self.app = app
        self.config = dict(app.config)
        with app.app_context():
            from app.extensions import db

            with db.engine.connect() as conn:
                self.tables = {name: _rows(conn, _table(name)) for name in CONFIG_TABLES}
                self.users = _rows(conn, _table("ab_user"))
                roles = {row.id for row in conn.execute(select(_table("ab_role").c.id))}
                self.owners = {"ab_user_role": set(self.users), "ab_permission_view_role": roles}
                self.links = {name: self._links(conn, name, owner, other) for name, owner, other in ASSOCIATIONS}

    def _links(self, conn, name: str, owner: str, other: str) -> set[tuple]:
        table = _table(name)
        query = select(table.c[owner], table.c[other]).where(table.c[owner].in_(self.owners[name]))
        return {tuple(row) for row in conn.execute(query)}

    def restore(self) -> list[str]:
        """Put the baseline back; returns what had to be restored (empty: the test left nothing)."""
        changed: list[str] = []
        for key, value in self.config.items():
            if key not in self.app.config or (self.app.config[key] is not value and self.app.config[key] != value):
                self.app.config[key] = value
                changed.append(f"config {key}")
        with self.app.app_context():
            from app.extensions import db

            with db.engine.begin() as conn:
                for name, rows in self.tables.items():
                    restored = self._restore_rows(conn, _table(name), rows)
                    if restored:           # the rows a process keeps (the lookups): every app reloads
                        bump_table(conn, name)
                    changed += restored
                changed += self._restore_users(conn)
                dropped = self._drop_new_roles(conn)
                if dropped:
                    bump_table(conn, "ab_role")
                changed += dropped
                for name, owner, other in ASSOCIATIONS:
                    restored = self._restore_links(conn, name, owner, other)
                    if restored:               # a role's grants: the rights every app keeps
                        bump_table(conn, name)
                    changed += restored
        return changed

    @staticmethod
    def _restore_rows(conn, table: Table, baseline: dict[Any, dict]) -> list[str]:
        (pk,) = table.primary_key.columns
        now = _rows(conn, table)
        changed = []
        extra = [key for key in now if key not in baseline]
        if extra:
            conn.execute(delete(table).where(pk.in_(extra)))
            changed.append(f"{table.name}: {len(extra)} added")
        for key, row in baseline.items():
            if key not in now:
                conn.execute(insert(table).values(**row))
                changed.append(f"{table.name} {key} deleted")
            elif now[key] != row:
                conn.execute(update(table).where(pk == key).values(**row))
                changed.append(f"{table.name} {key} changed")
        return changed

    def _restore_users(self, conn) -> list[str]:
        table = _table("ab_user")
        now = _rows(conn, table, table.c.id.in_(self.users))
        changed = []
        for key, row in self.users.items():
            kept = {column: value for column, value in row.items() if column not in VOLATILE_USER_COLUMNS}
            current = now.get(key)
            if current is not None and any(current[column] != value for column, value in kept.items()):
                conn.execute(update(table).where(table.c.id == key).values(**kept))
                changed.append(f"user {row['username']}")
        return changed

    def _drop_new_roles(self, conn) -> list[str]:
        """A role a test made shows on every page that lists the roles (the console's workflow
        matrix): gone with its grants and memberships; its users stay, without it."""
        roles = _table("ab_role")
        known = self.owners["ab_permission_view_role"]
        extra = [key for (key,) in conn.execute(select(roles.c.id)) if key not in known]
        if not extra:
            return []
        for name in ("ab_user_role", "ab_permission_view_role", "ab_group_role"):
            conn.execute(delete(_table(name)).where(_table(name).c.role_id.in_(extra)))
        conn.execute(delete(roles).where(roles.c.id.in_(extra)))
        return [f"ab_role: {len(extra)} added"]

    def _restore_links(self, conn, name: str, owner: str, other: str) -> list[str]:
        table = _table(name)
        now, baseline = self._links(conn, name, owner, other), self.links[name]
        changed = []
        if now - baseline:
            conn.execute(delete(table).where(tuple_(table.c[owner], table.c[other]).in_(now - baseline)))
            changed.append(f"{name}: {len(now - baseline)} added")
        if baseline - now:
            conn.execute(insert(table), [{owner: a, other: b} for a, b in baseline - now])
            changed.append(f"{name}: {len(baseline - now)} removed")
        return changed
