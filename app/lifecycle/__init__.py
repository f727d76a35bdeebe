"""What happens to a record when it is saved, trashed, restored, deleted or moved — run by
one dispatcher for every path that writes: a form, the API, the importer, a workflow
step, a script.

An entity's declaration names its hooks (app/registry/spec.py `register`):

    register(IncidentReport, ..., on_save=[number_follow_up, note_first_report])

and the functions live in the domain's models/ file. A hook is called as
`hook(record, change)`; `change.kind` says what happened (CREATED, CHANGED, TRASHED,
RESTORED on `on_save`; the last three only on `on_change`; DELETED on `on_delete`),
`change.session` is the flushing session and `change.flush` a dict the hooks of one flush
share (numbers handed out, rules read once). `on_move` hooks are called by the workflow
engine as `hook(record, move)` after a status change is logged.

The order of one flush (docs/architecture.md, "The save order"):

1. clean values — blank text becomes NULL, times are kept to the second (app/clean_values.py);
2. entity hooks — every record of the flush, its entity's plain hooks in declaration order;
3. chains — hooks marked with `@chain` (a record that opens or moves another record, such
   as the supervision item a meeting decision asks for), after every plain hook, so they
   see the defaults those filled in;
   a record that steps 2–3 added or touched for the first time gets the same steps in a
   next round (each record is handled once per flush);
4. the audit stamp — who and when, last, so whatever a hook changed is stamped too
   (app/audit.py; its trail is written after the flush by the audit's own listener).

After the flush, the global search index takes what was written (app/search/keep.py), a
record deleted for good takes its need-to-know list along (app/registry/need_to_know.py), work
that needs the new ids (`when_saved`) runs, and the caches of tables that changed
(`forget_when_changed`) are dropped, again at commit and on rollback.
These session events and the audit trail are the only session-wide listeners of the app.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, attributes

from app.audit import stamp
from app.caches import CACHES
from app.clean_values import clean
from app.registry.need_to_know import forget_deleted as forget_need_to_know
from app.registry.spec import REGISTRY
from app.search.keep import on_flush as keep_search_index
from models.base import BusinessRecord
from models.cache_stamps import SHARED

CREATED, CHANGED, TRASHED, RESTORED, DELETED = "created", "changed", "trashed", "restored", "deleted"

#: A flush whose hooks keep adding records for more rounds than this is a loop between hooks.
MAX_ROUNDS = 20


@dataclass(frozen=True)
class Change:
    """What happened to one record in this flush."""

    kind: str
    session: Session
    flush: dict

    @property
    def created(self) -> bool:
        return self.kind == CREATED

    @property
    def deleted(self) -> bool:
        """Deleted for good (a trashed record is `trashed`, still in the table)."""
        return self.kind == DELETED

    @property
    def trashed(self) -> bool:
        return self.kind == TRASHED


@dataclass(frozen=True)
class Move:
    """A status change the workflow engine logged: a user's step or a chain's move."""

    transition: str
    from_state: Optional[str]
    to_state: str
    comment: Optional[str]
    session: Session
    actor: Optional[str] = None          # the login that fired it (a chain's move: the saving user's)


def chain(hook: Callable) -> Callable:
    """Mark an `on_save` hook as a chain: it runs after every plain hook of the flush."""
    hook.lifecycle_chain = True
    return hook


def is_chain(hook: Callable) -> bool:
    return getattr(hook, "lifecycle_chain", False)


def changed(record, *names: str) -> bool:
    """Whether this flush changes one of the attributes `names` of `record`."""
    return any(attributes.get_history(record, name).has_changes() for name in names)


def previous(record, name: str) -> Any:
    """The value attribute `name` had before this unit of work changed it (the current
    value when it did not change)."""
    history = attributes.get_history(record, name)
    if history.deleted:
        return history.deleted[0]
    return getattr(record, name)


def needs_records(entity) -> bool:
    """Whether saving a new record of `entity` runs more than cleaning and stamping — rules
    to judge, save hooks, caches to drop, the mapper's own insert events — read from its
    declaration. Many new records of such an entity are written as ORM records (the
    importer's way too); the others may go in through the bulk path (app/lifecycle/bulk.py).
    `on_change` hooks do not count: they never run for a new record."""
    mapper = sa_inspect(entity.model)
    return bool(entity.rules or entity.fixes or entity.on_save or entity.caches
                or mapper.dispatch.before_insert or mapper.dispatch.after_insert)


# --- the dispatcher --------------------------------------------------------------------------------
def _entity_of(cls: type):
    return REGISTRY.get(cls)


def _kind(record, new: set[int], gone: set[int]) -> str:
    if id(record) in gone:
        return DELETED
    if id(record) in new:
        return CREATED
    if isinstance(record, BusinessRecord):
        history = attributes.get_history(record, "is_deleted")
        if history.added and history.deleted and bool(history.added[0]) != bool(history.deleted[0]):
            return TRASHED if history.added[0] else RESTORED
    return CHANGED


def _run(session: Session, batch: list, shared: dict) -> None:
    new = {id(o) for o in session.new}
    gone = {id(o) for o in session.deleted}
    work = []
    for record in batch:
        kind = _kind(record, new, gone)
        if kind != DELETED and isinstance(record, BusinessRecord):
            clean(record)
        entity = _entity_of(type(record))
        if entity is None:
            continue
        if kind == DELETED:
            hooks = entity.on_delete
        elif kind == CREATED:
            hooks = entity.on_save
        else:
            hooks = [*entity.on_save, *entity.on_change]
        if hooks:
            work.append((record, Change(kind, session, shared), hooks))
    for chains in (False, True):
        for record, change, hooks in work:
            for hook in hooks:
                if is_chain(hook) == chains:
                    hook(record, change)


@event.listens_for(Session, "before_flush")
def _dispatch(session: Session, _flush_context, _instances) -> None:
    handled: set[int] = set()
    shared: dict = {}
    for _round in range(MAX_ROUNDS):
        batch = [o for o in (*session.new, *session.dirty, *session.deleted) if id(o) not in handled]
        if not batch:
            break
        handled.update(id(o) for o in batch)
        _run(session, batch, shared)
    else:
        raise RuntimeError("save hooks kept adding records: a loop between hooks")
    stamp(session)


#: `hook(entity, record, move)` run after every entity's own on_move hooks, whatever the entity:
#: what a feature does on any move (app/reminders tells whoever's step comes next) plugs in here.
AFTER_ANY_MOVE: list[Callable] = []


def moved(entity, record, move: Move) -> None:
    """Run `entity`'s on_move hooks (the engine calls this after it logged the move), then the
    hooks of every move."""
    for hook in entity.on_move:
        hook(record, move)
    for hook in AFTER_ANY_MOVE:
        hook(entity, record, move)


# --- after the flush --------------------------------------------------------------------------------
_LATER = "office_lifecycle_later"
_FORGET = "office_lifecycle_forget"


def when_saved(session: Session, record, work: Callable[[], None]) -> None:
    """Run `work()` once `record` has its id: after the flush that inserts it (this one or
    a later one). A rollback forgets it."""
    session.info.setdefault(_LATER, []).append((record, work))


def _caches() -> list[tuple[type, Callable[[], None]]]:
    """Every declared cache: a table's own (app/caches.py) and those entities declare in
    `register(..., caches=[...])`."""
    return CACHES + [(entity.model, forget) for entity in REGISTRY.values() for forget in entity.caches]


@event.listens_for(Session, "after_flush")
def _drop_caches(session: Session, _flush_context) -> None:
    written = (*session.new, *session.dirty, *session.deleted)
    _drop_caches_of(session, lambda models: any(isinstance(o, models) for o in written))
    keep_search_index(session)       # the global search's words, in the same transaction
    forget_need_to_know(session)     # a record deleted for good takes its need-to-know list along


def _drop_caches_of(session: Session, wrote: Callable[[Any], bool]) -> None:
    """Drop the caches of the models `wrote` says were written (again at the commit or
    rollback), and raise the stamps of the shared ones — other processes see them at commit."""
    for model, forget in _caches():
        if wrote(model):
            forget()
            session.info.setdefault(_FORGET, set()).add(forget)
    for cache in SHARED:
        if wrote(cache.models):
            cache.bump(session.connection())
            cache.forget()
            session.info.setdefault(_FORGET, set()).add(cache.forget)


@event.listens_for(Session, "do_orm_execute")
def _drop_caches_of_bulk_writes(state) -> None:
    """A bulk statement through the session (`session.execute(delete(CustomField)…)`, the
    importer's multi-row INSERT) flushes no object, so `_drop_caches` never sees it: the
    caches of the table it writes are dropped, and their stamps raised, here."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    target = state.bind_mapper.class_ if state.bind_mapper is not None else getattr(state.statement, "table", None)
    if target is None:
        return
    _drop_caches_of(state.session, lambda models: _writes(target, models))


def _writes(target, models) -> bool:
    """Whether a bulk statement's model (or, for a Core statement, table) is one of `models`."""
    models = models if isinstance(models, tuple) else (models,)
    if isinstance(target, type):
        return issubclass(target, models)
    return any(getattr(m, "__table__", None) is target for m in models)


@event.listens_for(Session, "after_flush_postexec")
def _run_later(session: Session, _flush_context) -> None:
    waiting = session.info.pop(_LATER, None) or []
    kept = []
    for record, work in waiting:
        if record.id is None:
            kept.append((record, work))
        else:
            work()
    if kept:
        session.info[_LATER] = kept


def _forget_flagged(session: Session) -> None:
    for forget in session.info.pop(_FORGET, None) or ():
        forget()


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    _forget_flagged(session)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous_transaction) -> None:
    session.info.pop(_LATER, None)
    _forget_flagged(session)
