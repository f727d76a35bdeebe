"""The save lifecycle's bulk path: many new records of an entity whose declaration names no
rule and no hook (`lifecycle.needs_records` is false) go in as multi-row INSERTs, with
the same cleaned values, audit stamps, audit-trail rows and first status-log rows a flush
of ORM records would write. The importer writes plain entities through here.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, String, func, insert, select

from app.audit import MAX_VALUE, audit_row, current_username, plain_value
from app.clean_values import clean_values
from app.masking import column_mask, mask_value
from app.search.keep import index_rows
from models.audit import AuditLog
from models.base import now_cn
from models.workflow import StatusLog

#: Rows per INSERT statement.
CHUNK = 2000


def _new_ids(session, table, chunk: list[dict]) -> list[int]:
    """Insert `chunk`; return the new ids in the chunk's order.

    PostgreSQL returns them from one multi-row INSERT ... RETURNING. SQLite cannot order a
    batched RETURNING without a sentinel column, so its rows go in by executemany (one
    statement, fast) and the ids are read back: a writing SQLite transaction holds the
    database's only write lock, so the ids above the previous maximum are exactly ours,
    in insertion order."""
    if session.get_bind().dialect.name == "postgresql":
        return list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                    chunk).scalars())
    before = session.execute(select(func.max(table.c.id))).scalar() or 0
    session.execute(insert(table), chunk)
    ids = list(session.execute(select(table.c.id).where(table.c.id > before).order_by(table.c.id)).scalars())
    if len(ids) != len(chunk):
        raise RuntimeError("another writer inserted rows during the import")
    return ids


def insert_many(entity, rows: list[dict], session, progress=None) -> int:
    """Insert `rows` ({attribute: value} of new records) as one multi-row INSERT per chunk,
    with the audit and status-log rows a flush would write; the number inserted.
    `progress(rows done)`, if given, is told after each chunk (an import job's bar)."""
    model = entity.model
    table = model.__table__
    who, now = current_username(), now_cn()
    stamps = {}
    if entity.is_business:
        stamps = {"created_at": now, "updated_at": now, "created_by": who, "updated_by": who,
                  "is_deleted": False, "row_version": 1}
    flow = entity.workflow
    keys = [k for k in (rows[0] if rows else {}) if k not in stamps]
    masks = {k: column_mask(table.columns[k]) for k in keys if column_mask(table.columns[k]) is not None}
    plain = {k for k in keys if k not in masks and isinstance(table.columns[k].type, (Date, DateTime, Numeric))}
    name_of = _namer(model)
    base = audit_row("INSERT", entity.name, version=1)
    created = 0
    for start in range(0, len(rows), CHUNK):
        chunk = [{**clean_values(model, values), **stamps} for values in rows[start:start + CHUNK]]
        if flow is not None:
            for values in chunk:
                values[flow.field] = flow.initial_state(SimpleNamespace(**values)) or _column_default(table, flow.field)
        ids = _new_ids(session, table, chunk)
        audit = []
        for pk, values in zip(ids, chunk, strict=True):
            changes = {}
            for key in keys:
                value = values[key]
                if value is None or value == "":
                    continue
                if key in masks:
                    value = mask_value(value, masks[key])
                elif key in plain:
                    value = plain_value(value, table.columns[key])       # dates and decimals as the trail writes them
                elif value.__class__ is str and len(value) > MAX_VALUE:
                    value = value[:MAX_VALUE]
                changes[key] = [None, value]
            audit.append({**base, "record_id": pk, "record_name": name_of(values), "changes": changes})
        session.execute(insert(AuditLog.__table__), audit)
        if flow is not None:
            session.execute(insert(StatusLog.__table__), [
                {"entity": entity.name, "record_id": pk, "transition": "create", "from_state": None,
                 "to_state": values[flow.field], "actor": who, "at": now}
                for pk, values in zip(ids, chunk, strict=True)])
        index_rows(session, entity, ids, chunk)
        created += len(ids)
        if progress is not None:
            progress(created)
    return created


def _column_default(table, name: str) -> Any:
    column = table.columns[name]
    return column.default.arg if column.default is not None and not callable(column.default.arg) else None


def _namer(model):
    """The record's name for the audit trail, without building the record: its first
    naming column."""
    for key in ("name", "title", "name_zh", "code"):
        if key in model.__table__.columns and isinstance(model.__table__.columns[key].type, String):
            return lambda values, key=key: (values.get(key) or None) and str(values[key])[:300]
    return lambda values: None
