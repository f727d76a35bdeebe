"""Need-to-know (知悉范围, docs/domain.md §9): who reads a 内部 record.

Every record with a `secrecy_level` may carry a need-to-know list (models/need_to_know.py):
units and people. While the record is 内部 `NEIBU` and its list holds anyone, the list
*is* the record's reading scope, in place of the unit scope: it is read by

- the users of a listed unit and of the units under it (a section of a listed division),
- the listed people,
- the user who registered it (`created_by`),
- roles holding "read every internal record" (`read_all_internal` on `NeedToKnow`:
  Leader and Admin by default; an admin may grant it to another role).

Nobody else — not the record's own units, not the units that run its function — reads it.
A 内部 record with an empty list is read as its unit scope says (and its page asks for a
list); at any other level the list is kept but decides nothing.

The condition is part of `scope_condition` (app/registry/scope.py), so the data layer
applies it wherever it applies the unit scope: lists, counts, fetch by id (404), exports,
ledgers, related tabs, pickers, search, the calendar, print and paper, the dashboard and
the API. A child record owned by such a record (a document's steps and handling units, a
meeting's topics and decisions — a many-to-one link whose other side deletes its orphans)
follows its owner: it is seen only by whoever the owner's list lets read the owner.

Bulk exports (Excel exports, ledgers, their jobs, the API's list) leave 内部 records — and
the child records of a 内部 owner — out unless the user's role holds `export_internal` on
`NeedToKnow` (Admin by default): see `leave_out_internal`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask import current_app, g, has_request_context
from sqlalchemy import and_, delete, exists, not_, or_, select
from sqlalchemy import inspect as sa_inspect

from models.lookups import INTERNAL_LEVEL
from models.need_to_know import NeedToKnow

#: FAB permissions (on the pseudo view below): read every 内部 record whatever its list;
#: export 内部 records in bulk.
READ_ALL_INTERNAL = ("read_all_internal", "NeedToKnow")
EXPORT_INTERNAL = ("export_internal", "NeedToKnow")


def has_level(model) -> bool:
    """Whether the model's records carry a secrecy level (and so may carry a list)."""
    table = getattr(model, "__table__", None)
    return table is not None and "secrecy_level" in table.columns


#: {entity name: its owners}, worked out once per process for the registry's entities (every
#: scope condition asks; the declarations do not change while the process runs).
_OWNERS: dict[str, list] = {}


def owners(entity, registry: dict, depth: int = 0) -> list:
    """(relation, owner entity) of `entity`'s links to the records that own it and whose
    secrecy it follows: a many-to-one link whose other side deletes its orphans (the
    owner's `child_rows`), to an owner that has a level or follows one itself."""
    from app.registry.spec import REGISTRY

    if depth == 0 and registry is REGISTRY:
        found = _OWNERS.get(entity.name)
        if found is None:
            found = _OWNERS[entity.name] = _owners(entity, registry, 0)
        return found
    return _owners(entity, registry, depth)


def _owners(entity, registry: dict, depth: int) -> list:
    if depth > 3:
        return []
    out = []
    for rel in sa_inspect(entity.model).relationships:
        target = registry.get(rel.mapper.class_)
        if rel.direction.name != "MANYTOONE" or target is None or target is entity:
            continue
        if not any(reverse.cascade.delete_orphan for reverse in rel._reverse_property):
            continue
        if has_level(target.model) or _owners(target, registry, depth + 1):
            out.append((rel, target))
    return out


def gated(entity, registry: dict) -> bool:
    """Whether a need-to-know list can keep some user from `entity`'s rows."""
    return has_level(entity.model) or bool(owners(entity, registry))


@dataclass(frozen=True)
class Reader:
    """Who reads, as the lists name him: his login, and his unit with the units above it."""

    username: Optional[str]
    user_id: Optional[int]
    units: tuple[int, ...]


def reader_of(user) -> Optional[Reader]:
    """The user as the lists see him; None for a user who reads every internal record."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Reader(None, None, ())
    sm = current_app.appbuilder.sm
    if sm.has_access(*READ_ALL_INTERNAL):
        return None
    from app.registry.unit_tree import units_above

    root = getattr(user, "department_id", None)      # set by an admin on the account
    units = tuple(units_above(sm.session, root)) if root is not None else ()
    return Reader(getattr(user, "username", None), getattr(user, "id", None), units)


def current_reader() -> Optional[Reader]:
    """`reader_of` the request's user, once per request; None outside a request (CLI,
    seeding, background work run as the system) and for those who read every internal record."""
    if not has_request_context():
        return None
    if "_office_reader" not in g:
        g._office_reader = reader_of(getattr(g, "user", None))
    return g._office_reader


# --- the SQL ------------------------------------------------------------------------------------
def _entries(model, name: str):
    return select(NeedToKnow.id).where(NeedToKnow.entity == name, NeedToKnow.record_id == model.id)


def _listed(model, name: str, reader: Reader):
    """The record's list names the reader: his login, or his unit or a unit above it."""
    who = []
    if reader.units:
        who.append(NeedToKnow.department_id.in_(reader.units))
    if reader.user_id is not None:
        who.append(NeedToKnow.user_id == reader.user_id)
    if not who:
        return None
    return exists(_entries(model, name).where(or_(*who)))


def _unlisted(model, name: str):
    """Not (yet) read by a list: not 内部, or 内部 with an empty list."""
    return or_(model.secrecy_level != INTERNAL_LEVEL, not_(exists(_entries(model, name))))


def _own_gate(entity, reader: Reader, unit):
    """The rows of a model with a level the reader may read: those the unit scope `unit`
    gives him (None: every row) that no list reads, those whose list names him, those he
    registered."""
    model, name = entity.model, entity.name
    unlisted = _unlisted(model, name)
    opened = [unlisted if unit is None else and_(unit, unlisted)]
    listed = _listed(model, name, reader)
    if listed is not None:
        opened.append(and_(model.secrecy_level == INTERNAL_LEVEL, listed))
    if reader.username and hasattr(model, "created_by"):
        opened.append(model.created_by == reader.username)
    return or_(*opened)


def _owners_gate(entity, reader: Reader, registry: dict) -> list:
    """For a child record: its owner (if any) is one the reader's lists let him read."""
    parts = []
    for rel, target in owners(entity, registry):
        column = getattr(entity.model, next(iter(rel.local_columns)).key)
        parts.append(or_(column.is_(None), getattr(entity.model, rel.key).has(open_to(target, reader, registry))))
    return parts


def open_to(entity, reader: Reader, registry: dict):
    """The records of `entity` whose own secrecy (and their owner's) lets `reader` read
    them, the unit scope aside: the condition an owner must meet for its children."""
    parts = []
    if has_level(entity.model):
        parts.append(_own_gate(entity, reader, None))
    parts += _owners_gate(entity, reader, registry)
    return and_(*parts) if parts else and_(True)


def gate(entity, unit, reader: Optional[Reader], registry: dict):
    """`entity`'s scope condition: the unit scope `unit` (None: no unit limit) with the
    need-to-know lists of the records (or of their owners) for `reader`. None: no limit."""
    if reader is None or not gated(entity, registry):
        return unit
    condition = _own_gate(entity, reader, unit) if has_level(entity.model) else unit
    for part in _owners_gate(entity, reader, registry):
        condition = part if condition is None else and_(condition, part)
    return condition


def may_read(entity, record, session) -> bool:
    """Whether the request's user passes `record`'s need-to-know list (and its owner's):
    the check a 内部 attachment's download makes on top of fetching its record."""
    from app.registry.spec import REGISTRY

    reader = current_reader()
    if reader is None or not gated(entity, REGISTRY):
        return True
    model = entity.model
    query = select(model.id).where(model.id == record.id, open_to(entity, reader, REGISTRY))
    return session.execute(query).first() is not None


# --- who a record's list lets read it, outside a request (the reminders and the bell) ----------------
def readers_among(session, entity_name: Optional[str], record_id: Optional[int], user_ids) -> set[int]:
    """Those of `user_ids` who may read the record (entity, id) as far as its need-to-know
    list goes: all of them for a record that is not 内部 or has an empty list; else the listed
    people, the users of a listed unit or a unit under one, its registrar and the holders of
    `read_all_internal`. A notification tells nobody else of it, not even its title."""
    from app.registry.spec import REGISTRY
    from app.registry.unit_tree import units_above

    OfficeUser = current_app.appbuilder.sm.user_model      # app.security's, not imported: the core imports no screen
    wanted = set(user_ids)
    entity = next((e for e in REGISTRY.values() if e.name == entity_name), None)
    if not wanted or entity is None or record_id is None or not has_level(entity.model):
        return wanted
    model = entity.model
    found = session.execute(select(model.secrecy_level, model.created_by).where(model.id == record_id)).first()
    if found is None or found[0] != INTERNAL_LEVEL:
        return wanted
    rows = session.execute(select(NeedToKnow.department_id, NeedToKnow.user_id)
                           .where(NeedToKnow.entity == entity.name, NeedToKnow.record_id == record_id)).all()
    if not rows:
        return wanted
    units = {unit for unit, _user in rows if unit is not None}
    people = {user for _unit, user in rows if user is not None}
    exempt = {rid for rid, rights in current_app.appbuilder.sm.rights_by_role().items()
              if READ_ALL_INTERNAL in rights}
    link = OfficeUser.roles.property.secondary
    roles: dict[int, set[int]] = {}
    for uid, rid in session.execute(select(link.c.user_id, link.c.role_id).where(link.c.user_id.in_(wanted))):
        roles.setdefault(uid, set()).add(rid)
    allowed = set()
    for uid, unit, username in session.execute(select(OfficeUser.id, OfficeUser.department_id, OfficeUser.username)
                                               .where(OfficeUser.id.in_(wanted))):
        if (uid in people or username == found[1] or roles.get(uid, set()) & exempt
                or (unit is not None and units & set(units_above(session, unit)))):
            allowed.add(uid)
    return allowed


# --- bulk exports -------------------------------------------------------------------------------
def may_export_internal() -> bool:
    """Whether the user may export 内部 records in bulk (outside a request: the system may)."""
    if not has_request_context():
        return True
    return bool(current_app.appbuilder.sm.has_access(*EXPORT_INTERNAL))


def internal_rows(entity):
    """The SQL condition of `entity`'s 内部 rows — its own level's or, for a child record, its
    owner's (the decisions of a 内部 meeting are as internal as the meeting) — or None if
    neither it nor an owner carries a level."""
    from app.registry.spec import REGISTRY

    if entity is None:
        return None
    parts = [entity.model.secrecy_level == INTERNAL_LEVEL] if has_level(entity.model) else []
    for rel, target in owners(entity, REGISTRY):
        inner = internal_rows(target)
        if inner is not None:
            parts.append(getattr(entity.model, rel.key).has(inner))
    return or_(*parts) if parts else None


def left_out_message(count: int) -> str:
    """What an export says of the 内部 records it left out, in the user's language."""
    from flask_babel import gettext

    return gettext("%(n)d internal (内部) records left out: internal records are not exported in bulk.", n=count)


def leave_out_internal(entity, query):
    """(query without the 内部 rows, how many it leaves out) for a bulk export by a user who
    may not export them; (query, 0) otherwise."""
    internal = internal_rows(entity)
    if internal is None or may_export_internal():
        return query, 0
    left_out = query.filter(internal).order_by(None).count()
    return query.filter(not_(internal)), left_out


def forget_deleted(session) -> None:
    """A record deleted for good takes its list along (called after each flush by the save
    lifecycle): a record later given the same id must not inherit it."""
    gone = [(type(record).__name__, record.id) for record in session.deleted
            if has_level(type(record)) and getattr(record, "id", None) is not None]
    if gone:
        table = NeedToKnow.__table__
        connection = session.connection()
        for name, pk in gone:
            connection.execute(delete(table).where(table.c.entity == name, table.c.record_id == pk))
