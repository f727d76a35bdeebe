"""The global search index: one row per searchable record, its words (app/search/words.py)
kept by the database's own full-text engine — SQLite FTS5 on the embedded default,
PostgreSQL's tsvector with a GIN index in production, its lexemes the words as made here
(`array_to_tsvector`: no server parser or locale in between) — behind one interface:
`put`, `drop`, `matching_ids`.

A row's key is the entity's and the record's in one integer (`key_of`), so that a record's
row is replaced or removed by its key on both engines (an FTS5 table has no index but its
rowid). The words are the record's searchable fields (`fields_of`): what the declaration
names in `register(..., find=[...])`, else its text columns; never a sensitive column
(docs/domain.md §9: a role that sees it masked must not be able to search by it) nor a
secret one, and the text custom fields an admin added. Personal names (a model's
`__person_names__`) add their pinyin initials.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable

from sqlalchemy import Integer, bindparam, text

from app.registry.introspect import column_of, is_sensitive, kind_of
from app.search.words import document
from models.custom_fields import LONG_TEXT, TEXT

TABLE = "search_index"


def is_index_table(name: str) -> bool:
    """The index's own tables (an FTS5 table keeps shadow tables beside it): not models,
    so schema comparisons leave them out."""
    return name == TABLE or name.startswith(f"{TABLE}_")


def key_of(entity_name: str, record_id: int) -> int:
    """The index row's key: 20 bits of the entity's name, 32 of the record's id."""
    return ((zlib.crc32(entity_name.encode()) & 0xFFFFF) << 32) | int(record_id)


def fields_of(entity) -> tuple[str, ...]:
    """The columns of `entity` the index keeps the words of: read from its declaration once
    (every flush asks, several times per record written)."""
    found = _FIELDS.get(entity.name)
    if found is None:
        model = entity.model
        declared = entity.find
        if declared is None:
            declared = [c.key for c in model.__table__.columns if kind_of(model, c.key) in ("string", "text")]
        found = _FIELDS[entity.name] = tuple(
            name for name in declared
            if column_of(model, name) is not None and not is_sensitive(model, name)
            and not (column_of(model, name).info or {}).get("secret"))
    return found


#: {entity name: its searchable columns}: declarations do not change while the process runs.
_FIELDS: dict[str, tuple[str, ...]] = {}


def _custom_texts(entity, values: dict) -> list[str]:
    from app.custom_fields import definitions

    if not entity.is_business:
        return []
    stored = values.get("custom_fields") or {}
    return [str(stored[d.key]) for d in definitions(entity.name)
            if d.kind in (TEXT, LONG_TEXT) and stored.get(d.key) not in (None, "")]


def words_of(entity, values: dict) -> str:
    """The index's text for a record given as {attribute: value} (`record_values`)."""
    texts = [str(values[name]) for name in fields_of(entity) if values.get(name) not in (None, "")]
    names = [str(values[name]) for name in getattr(entity.model, "__person_names__", ())
             if values.get(name)]
    return document([values.get(LABEL) or "", *texts, *_custom_texts(entity, values)], names)


#: The record's label among `record_values`: a document's number as it reads (厦府办〔2026〕12号),
#: a proposal's (十六届四次第47号), which no single column holds.
LABEL = "__label__"


def record_values(entity, record) -> dict:
    """What the index reads of a record: its searchable fields, names, custom fields, label."""
    names = set(fields_of(entity)) | set(getattr(entity.model, "__person_names__", ()))
    if entity.is_business:
        names.add("custom_fields")
    values = {name: getattr(record, name, None) for name in names}
    try:
        values[LABEL] = str(record)
    except Exception:        # a label reading a relation of a record not yet whole: its columns suffice
        values[LABEL] = ""
    return values


# --- the two engines ------------------------------------------------------------------------------
def _sqlite_match(asked: list[tuple[str, bool]]) -> str:
    return " AND ".join(f'"{word}"' + ("*" if prefix else "") for word, prefix in asked)


def _pg_query(asked: list[tuple[str, bool]]) -> str:
    """A tsquery in its input syntax: the words as the index holds them, not parsed again
    (the words are runs of letters, digits or ideographs: nothing to quote)."""
    return " & ".join(f"'{word}'" + (":*" if prefix else "") for word, prefix in asked)


def put(connection, rows: Iterable[tuple[str, int, str]]) -> None:
    """Write (entity name, record id, words) rows, replacing what the index held for them
    (one statement: an upsert); a record without words is removed."""
    rows = list(rows)
    if not rows:
        return
    kept = [{"key": key_of(name, pk), "entity": name, "record_id": pk, "body": words}
            for name, pk, words in rows if words]
    empty = [(name, pk) for name, pk, words in rows if not words]
    if empty:
        drop(connection, empty)
    if not kept:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            f"INSERT INTO {TABLE} (key, entity, record_id, body, words) "
            "VALUES (:key, :entity, :record_id, :body, array_to_tsvector(string_to_array(:body, ' '))) "
            "ON CONFLICT (key) DO UPDATE SET body = EXCLUDED.body, words = EXCLUDED.words"), kept)
    else:
        connection.execute(text(f"INSERT OR REPLACE INTO {TABLE} (rowid, entity, record_id, body) "
                                "VALUES (:key, :entity, :record_id, :body)"), kept)


def drop(connection, records: Iterable[tuple[str, int]]) -> None:
    keys = [key_of(name, pk) for name, pk in records]
    if not keys:
        return
    column = "key" if connection.dialect.name == "postgresql" else "rowid"
    for start in range(0, len(keys), 500):
        connection.execute(text(f"DELETE FROM {TABLE} WHERE {column} IN :keys")
                           .bindparams(bindparam("keys", expanding=True)), {"keys": keys[start:start + 500]})


def analyse(connection) -> None:
    """Fresh statistics after a rebuild (PostgreSQL's planner reads them; autovacuum would
    come later)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"ANALYZE {TABLE}"))


def clear(connection, entity_name: str | None = None) -> None:
    if entity_name is None:
        connection.execute(text(f"DELETE FROM {TABLE}"))
    else:
        connection.execute(text(f"DELETE FROM {TABLE} WHERE entity = :entity"), {"entity": entity_name})


def _range(entity_name: str) -> tuple[int, int]:
    low = key_of(entity_name, 0)
    return low, low + 0xFFFFFFFF


def entities_matching(connection, asked: list[tuple[str, bool]]) -> list[str]:
    """The names of the entities with a record holding every word asked — read from the keys
    alone (no row of the index is fetched), so that only those entities are queried."""
    if not asked:
        return []
    if connection.dialect.name == "postgresql":
        found = connection.execute(text(f"SELECT DISTINCT key >> 32 FROM {TABLE} WHERE words @@ CAST(:q AS tsquery)"),
                                   {"q": _pg_query(asked)})
    else:
        found = connection.execute(text(f"SELECT DISTINCT rowid >> 32 FROM {TABLE} WHERE {TABLE} MATCH :q"),
                                   {"q": _sqlite_match(asked)})
    return [_ENTITY_OF[code] for (code,) in found if code in _ENTITY_OF]


#: {entity code in the key: entity name}, filled as entities are indexed or searched.
_ENTITY_OF: dict[int, str] = {}


def know(entity_name: str) -> None:
    _ENTITY_OF[key_of(entity_name, 0) >> 32] = entity_name


def matching_ids(dialect: str, entity_name: str, asked: list[tuple[str, bool]]):
    """A subquery of the ids of `entity_name`'s records holding every word asked — for the
    entity's own scoped list query to take (`Model.id.in_(…)`): the database applies the
    user's scope to every match, not to a first few."""
    if dialect == "postgresql":
        # the entity by name, not by the key's range: the GIN index stays the only way in,
        # whatever the planner's statistics say (a range on the primary key read every row
        # of the entity's range before the table was analysed: 170 ms for a rare word)
        return text(f"SELECT record_id FROM {TABLE} WHERE words @@ CAST(:q AS tsquery) AND entity = :entity") \
            .bindparams(q=_pg_query(asked), entity=entity_name).columns(record_id=Integer)
    low, high = _range(entity_name)
    return text(f"SELECT rowid - :low AS record_id FROM {TABLE} WHERE {TABLE} MATCH :q "
                "AND rowid BETWEEN :low AND :high").bindparams(q=_sqlite_match(asked), low=low, high=high) \
        .columns(record_id=Integer)
