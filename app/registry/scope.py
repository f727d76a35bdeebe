"""Department scope (docs/domain.md §9 "scoped by unit"): whose records a user sees.

A user of a unit that runs a function (models/ownership.py: the supervision office for
supervision items, 文电处 for documents, …) sees every record of that function. Otherwise
a Clerk or Manager sees the records his unit (or a unit under it) leads or co-handles,
the records he registered himself, and records not yet given to any unit (the registry
desk routes them); Leader and Admin see all, and so does any role an admin grants the
"all departments" permission. His unit is the one an admin set on his account.

The condition is applied by the data layer (`OfficeInterface`) to every list, count,
fetch by id, export, related tab, bulk action and API call, so no screen can forget
it; an out-of-scope id is simply not found (404). It includes the need-to-know lists of
内部 records (app/registry/need_to_know.py), which no unit, function or role but
"read every internal record" lifts.

An entity declares the paths from its rows to a Department with
`register(..., scope=["lead_department", "assignments.department"])`; `scope=()` means
office-wide (the organisation tree, configuration). Without a declaration the paths are
inferred: its own links to a Department, its child rows' links (co-handlers), and for a
child entity its parent's paths.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Optional

from flask import current_app, g, has_request_context
from sqlalchemy import and_, event, not_, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapper

from app.registry.ownership import owned_groups, owns

#: FAB permission (on the pseudo view below) that lifts the department scope.
ALL_DEPARTMENTS = ("all_departments", "DepartmentScope")


def _department_model():
    from models.org import Department

    return Department


def _links_to_department(model) -> list[str]:
    dept = _department_model()
    return [rel.key for rel in sa_inspect(model).relationships
            if rel.direction.name == "MANYTOONE" and rel.mapper.class_ is dept]


def infer_paths(model, registry: dict, depth: int = 0) -> list[str]:
    """Paths from `model` to a Department: own links, children's links, parent's paths."""
    if model is _department_model() or depth > 2:
        return []
    paths = list(_links_to_department(model))
    mapper = sa_inspect(model)
    for rel in mapper.relationships:
        target = rel.mapper.class_
        if rel.direction.name == "ONETOMANY" and depth == 0:
            paths += [f"{rel.key}.{link}" for link in _links_to_department(target)]
    if not paths:
        for rel in mapper.relationships:
            target = rel.mapper.class_
            if rel.direction.name == "MANYTOONE" and target in registry and target is not model \
                    and target is not _department_model():
                paths += [f"{rel.key}.{p}" for p in paths_of(registry[target], registry, depth + 1)]
    return paths


def paths_of(entity, registry: dict, depth: int = 0) -> list[str]:
    if entity.scope is not None:
        return list(entity.scope)
    return infer_paths(entity.model, registry, depth)


def _condition(model, path: Sequence[str], ids: Optional[list[int]], without=None):
    """Rows whose `path` reaches a unit in `ids` (None: reaches any unit at all), not
    counting the row `without` on the way (the record being saved).

    A co-handling child in the Trash (an assignment, a recipient, a party) no longer brings
    its parent into a unit's scope: trashing it is how the access is taken away. It still
    counts as the parent having been given to a unit (`ids` None), so that trashing the
    last one does not turn the parent into an unassigned record every unit sees."""
    rel = sa_inspect(model).relationships[path[0]]
    if len(path) == 1:
        column = getattr(model, next(iter(rel.local_columns)).key)
        return column.isnot(None) if ids is None else column.in_(ids)
    target = rel.mapper.class_
    inner = _condition(target, path[1:], ids, without)
    if without is not None and type(without) is target and getattr(without, "id", None) is not None:
        inner = and_(inner, target.id != without.id)
    if ids is not None and rel.uselist and hasattr(target, "is_deleted"):
        inner = and_(inner, target.is_deleted.is_(False))
    attr = getattr(model, path[0])
    return attr.any(inner) if rel.uselist else attr.has(inner)


def in_my_units(model, relation: str):
    """SQL: rows whose `relation` (a link to a unit) is the current user's unit or a unit under
    it — the list filter "my unit" and what a lead-unit guard lets through; None when no unit
    limits the user."""
    ids = current_department_ids()
    if ids is None:
        return None
    rel = sa_inspect(model).relationships[relation]
    return getattr(model, next(iter(rel.local_columns)).key).in_(ids)


def user_department_ids(user) -> Optional[list[int]]:
    """The ids a scoped user sees (his unit and the units under it); None: no limit."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    sm = current_app.appbuilder.sm
    if sm.has_access(*ALL_DEPARTMENTS):
        return None
    root = getattr(user, "department_id", None)      # set by an admin on the account
    if root is None:
        return []
    from app.registry.unit_tree import units_under

    return units_under(sm.session, root)


def current_department_ids() -> Optional[list[int]]:
    """`user_department_ids` of the request's user, read once per request."""
    if not has_request_context():
        return None                      # CLI, seeding, background work: no user, no scope
    if "_office_scope" not in g:
        g._office_scope = user_department_ids(getattr(g, "user", None))
    return g._office_scope


def scope_condition(entity, registry: Optional[dict] = None, without=None):
    """SQL condition limiting `entity`'s rows to the current user's scope, or None.
    `without`: a record whose own links do not count (a child being saved must not bring
    its parent into scope).

    The scope is the unit scope (below) and the need-to-know lists of 内部 records
    (app/registry/need_to_know.py): a record whose list does not name the user is out of
    it, even for a user no unit limits."""
    if entity is None:
        return None
    from app.registry import need_to_know
    from app.registry.spec import REGISTRY

    paths = paths_of(entity, registry or REGISTRY)
    ids = current_department_ids()
    limited = bool(paths) and ids is not None and not owns(entity.group)  # else: no unit limit, or
    reader = need_to_know.current_reader() if need_to_know.gated(entity, registry or REGISTRY) else None
    if not limited and reader is None:                                    # his unit runs the function
        return None
    if without is not None or not has_request_context() or registry not in (None, REGISTRY):
        return _scoped(entity, paths, ids if limited else None, reader, registry, without)
    # The condition is a tree of a few hundred SQL elements (a meeting decision reaches its
    # units through topics and the meeting's participants): built once per process for each
    # combination of what it depends on, not a dozen times a request. SQL elements are
    # immutable, so requests and threads share them.
    user = getattr(g, "user", None)
    key = (entity.name, tuple(ids) if limited else None, owned_groups(), getattr(user, "username", None), reader)
    kept = current_app.extensions.setdefault("scope_conditions", {})
    condition = kept.get(key)
    if condition is None:
        if len(kept) >= _KEPT_CONDITIONS:
            kept.clear()
        condition = kept[key] = _scoped(entity, paths, ids if limited else None, reader, registry, without)
    return condition


def unit_scope_limits(entity) -> bool:
    """Whether the unit scope (not the need-to-know lists) limits the user on `entity`."""
    from app.registry.spec import REGISTRY

    return bool(paths_of(entity, REGISTRY)) and current_department_ids() is not None and not owns(entity.group)


def _scoped(entity, paths, ids, reader, registry, without):
    """The unit scope over `ids` (None: no unit limit) with the need-to-know lists for `reader`."""
    from app.registry import need_to_know
    from app.registry.spec import REGISTRY

    unit = _build(entity, paths, ids, registry, without) if ids is not None else None
    return need_to_know.gate(entity, unit, reader, registry or REGISTRY)


#: Scope conditions a process keeps (entities × users seen since the last clear): the
#: largest, a meeting decision's, takes 25 KB, so the bound keeps a worker's share under
#: 25 MB; 100 users at work touch about 600.
_KEPT_CONDITIONS = 1000


def _build(entity, paths, ids, registry, without):
    from app.registry.spec import REGISTRY

    model = entity.model
    split = [p.split(".") for p in paths]
    # Not yet given to any unit (a document just registered): the registry desk must see it.
    # A child without a unit of its own (a step, a recipient not yet named) is its
    # parent's: seen by whoever sees the parent, not by every unit.
    # Written as "no link is set" (x IS NULL AND NOT EXISTS …), not NOT(x IS NOT NULL OR …):
    # SQLite answers "x IS NULL OR x IN (…) OR created_by = …" from the indexes, but not a
    # negated disjunction (a scoped clerk's last page walked every row of the table).
    unassigned = and_(*[not_(_condition(model, p, None, without)) for p in split])
    parents = parent_links(entity, registry or REGISTRY)
    if parents:
        unassigned = and_(unassigned, *[_parent_visible(rel, target, registry or REGISTRY)
                                        for rel, target in parents])
    mine = [unassigned]
    if ids:
        mine += [_condition(model, p, ids, without) for p in split]
    user = getattr(g, "user", None)
    if hasattr(model, "created_by") and getattr(user, "username", None):
        mine.append(model.created_by == user.username)     # what he registered himself
    return or_(*mine)


def _parent_visible(rel, target, registry):
    """The child's parent link is empty or leads to a record the user sees."""
    condition = scope_condition(target, registry)
    if condition is None:
        return and_(True)
    column = getattr(rel.parent.class_, next(iter(rel.local_columns)).key)
    return or_(column.is_(None), getattr(rel.parent.class_, rel.key).has(condition))


def parent_links(entity, registry: dict) -> list:
    """The links of a child entity to the parents whose scope reads through it (an
    assignment's item: the item's paths go through `assignments.department`)."""
    out = []
    for rel, target in scoped_links(entity, registry):
        reverse = {r.key for r in rel._reverse_property}
        if reverse and any(path.split(".")[0] in reverse for path in paths_of(target, registry)):
            out.append((rel, target))
    return out


def scoped_links(entity, registry: dict) -> list:
    """The many-to-one relations of `entity` to registered records that a scope limits."""
    out = []
    for rel in sa_inspect(entity.model).relationships:
        target = registry.get(rel.mapper.class_)
        if rel.direction.name == "MANYTOONE" and target is not None and paths_of(target, registry):
            out.append((rel, target))
    return out


#: Where a record keeps the link values it was read with (the rule compares against them:
#: a save's own autoflush would already have cleared SQLAlchemy's change history).
LOADED_LINKS = "_office_loaded_links"


@cache
def _link_columns(model) -> tuple[str, ...]:
    from app.registry.spec import REGISTRY

    entity = REGISTRY.get(model)
    if entity is None:
        return ()
    links = [next(iter(rel.local_columns)).key for rel, _target in scoped_links(entity, REGISTRY)]
    return tuple(links + _unit_columns(model))


def _unit_columns(model) -> list[str]:
    """The record's own link columns to a Department (its unit, its co-handler's unit)."""
    relationships = sa_inspect(model).relationships
    return [next(iter(relationships[key].local_columns)).key for key in _links_to_department(model)]


@event.listens_for(Mapper, "load")
def _remember_links(record, _context) -> None:
    columns = _link_columns(type(record))
    if columns:
        record.__dict__[LOADED_LINKS] = {name: record.__dict__.get(name) for name in columns}


@event.listens_for(Mapper, "refresh")
def _remember_refreshed_links(record, _context, attrs) -> None:
    """Only what was read again: an unloaded column fetched after the save set a link
    (FAB's PUT reads the version after the body is loaded) must not take the new value
    for the one read from the database."""
    columns = _link_columns(type(record))
    if not columns:
        return
    remembered = record.__dict__.setdefault(LOADED_LINKS, {})
    for name in columns:
        if attrs is None or name in attrs:
            remembered[name] = record.__dict__.get(name)


def loaded_links(record) -> dict:
    return record.__dict__.get(LOADED_LINKS, {})


def _linked_id(record, rel):
    """The id a many-to-one link of `record` holds now: a form sets the related object
    and leaves the column as it was until the flush, the API sets the column."""
    value = getattr(record, next(iter(rel.local_columns)).key)
    added = sa_inspect(record).attrs[rel.key].history.added
    if added:                                   # set through the relation since it was read
        return getattr(added[0], "id", None) if added[0] is not None else None
    if value is None and rel.key in record.__dict__:
        return getattr(record.__dict__[rel.key], "id", None)
    return value


def links_in_scope(record) -> list[str]:
    """Rule run on every save (forms, API, import, workflow): a link the save sets or
    changes points to a record the user may see — a Clerk cannot hang a progress report
    on another unit's supervision item, or name another unit's staff member, by typing its
    id. A link the record already had is left alone (it was set by someone who could)."""
    from flask_babel import gettext

    from app.registry.introspect import label_of
    from app.registry.spec import REGISTRY

    entity = REGISTRY.get(type(record))
    if entity is None or current_department_ids() is None:
        return []
    state = sa_inspect(record)
    found = []
    # A unit link moved (a recipient given a unit, an assignment moved to another): the
    # parents read their scope through it, so they are checked again as if newly linked —
    # else a Clerk could move a child of someone else's item to his unit and see the item.
    loaded = loaded_links(record)
    relationships = sa_inspect(type(record)).relationships
    moved = not (state.transient or state.pending) and any(
        loaded.get(next(iter(relationships[key].local_columns)).key) != _linked_id(record, relationships[key])
        for key in _links_to_department(type(record)))
    for rel, target in scoped_links(entity, REGISTRY):
        column = next(iter(rel.local_columns)).key
        pk = _linked_id(record, rel)
        if pk is None:
            continue
        if not (state.transient or state.pending or moved) and loaded.get(column) == pk:
            continue                                # as it was read from the database
        condition = scope_condition(target, without=record)
        query = select(target.model.id).where(target.model.id == pk)
        if target.is_business:
            query = query.where(target.model.is_deleted.is_(False))
        if condition is not None:
            query = query.where(condition)
        session = state.session or current_app.appbuilder.sm.session
        if session.execute(query).first() is None:
            found.append(gettext("%(field)s: there is no such record among those you may use.",
                                 field=label_of(entity.model, rel.key)))
    return found
