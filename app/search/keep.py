"""The index kept current by the save lifecycle: in the flush that writes a record, in its
transaction — whatever path writes (form, API, import, workflow step, script). A new
record is added, a changed one rewritten when a searchable field changed, a trashed or
deleted one removed, a restored one added again; the importer's bulk path adds its rows
(`index_rows`). `flask search-reindex` rebuilds it all (`reindex`).
"""
from __future__ import annotations

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from app.registry.spec import REGISTRY
from app.search.index import analyse, clear, drop, fields_of, put, record_values, words_of

#: Records read per round of a rebuild.
CHUNK = 2000


def searchable(entity) -> bool:
    """Entities the global search covers: the office's records, not configuration tables or
    logs, with something to find them by."""
    return (entity is not None and entity.is_business and not entity.admin_only and not entity.read_only
            and bool(fields_of(entity)))


def _watched(entity) -> tuple[str, ...]:
    return (*fields_of(entity), *getattr(entity.model, "__person_names__", ()), "custom_fields", "is_deleted")


def _changed(record, entity) -> bool:
    attrs = sa_inspect(record).attrs
    return any(name in attrs and attrs[name].history.has_changes() for name in _watched(entity))


def on_flush(session) -> None:
    """Index what this flush wrote (called by app/lifecycle after each flush)."""
    puts, drops = [], []
    for record in session.new:
        entity = REGISTRY.get(type(record))
        if searchable(entity) and not record.is_deleted:
            puts.append((entity.name, record.id, words_of(entity, record_values(entity, record))))
    for record in session.dirty:
        entity = REGISTRY.get(type(record))
        if not searchable(entity) or record in session.deleted or not _changed(record, entity):
            continue
        if record.is_deleted:
            drops.append((entity.name, record.id))
        else:
            puts.append((entity.name, record.id, words_of(entity, record_values(entity, record))))
    for record in session.deleted:
        entity = REGISTRY.get(type(record))
        if searchable(entity) and record.id is not None:
            drops.append((entity.name, record.id))
    if puts or drops:
        connection = session.connection()
        drop(connection, drops)
        put(connection, puts)


def index_rows(session, entity, ids: list[int], rows: list[dict]) -> None:
    """Index records the bulk path inserted (their ids and {attribute: value})."""
    if searchable(entity):
        model = entity.model
        put(session.connection(), [
            (entity.name, pk, words_of(entity, record_values(entity, model(**{k: v for k, v in values.items()
                                                                             if hasattr(model, k)}))))
            for pk, values in zip(ids, rows, strict=True)])


def reindex(session, entities=None, report=None, progress=None) -> int:
    """Rebuild the index of `entities` (default: every searchable one); records indexed.
    `report(entity, total)` is told after each entity, `progress(total, entity name)` after
    each round (a job's bar)."""
    total = 0
    for entity in entities or REGISTRY.values():
        if not searchable(entity):
            continue
        model = entity.model
        connection = session.connection()
        clear(connection, entity.name)
        last = 0
        while True:
            records = session.execute(select(model).where(model.id > last, model.is_deleted.is_(False))
                                      .order_by(model.id).limit(CHUNK)).scalars().all()
            if not records:
                break
            put(connection, [(entity.name, r.id, words_of(entity, record_values(entity, r))) for r in records])
            last = records[-1].id
            total += len(records)
            session.expunge_all()
            if progress is not None:
                progress(total, entity.name)
        if report is not None:
            report(entity, total)
    analyse(session.connection())
    return total
