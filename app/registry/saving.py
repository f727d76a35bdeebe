"""What every save of a record is judged by, on the screens, the API and the importer.

One order for all of them, so a user meets the same answer whichever way he saves:

1. values the database could not store (too big, too long, wrong type) — refused first,
   since a rule would otherwise judge a number the database will never hold;
2. a new record starts in its workflow's first state, whatever the input said;
3. the entity's domain rules (docs/domain.md), in the domain's own words ("dues for this month
   are already recorded", "number 101 is already used");
4. only then the generic uniqueness check, for a unique column no rule speaks of: its
   message names the field but cannot say more.
"""
from __future__ import annotations

from flask_babel import gettext

from app.registry import status as workflow
from app.registry.checks import RuleViolation, enforce
from app.registry.introspect import label_of
from app.registry.refusals import duplicate_problems, value_problems


def start_workflow(entity, item) -> None:
    """A new record starts in its workflow's initial state, whatever the input said."""
    flow = entity.workflow
    if flow is None:
        return
    state = flow.initial_state(item)
    if state is None:
        column = entity.model.__table__.columns[flow.field]
        state = column.default.arg if column.default is not None else None
    if state is None:       # the first state follows a value the record lacks (a document's direction)
        missing = [name for name, column in entity.model.__table__.columns.items()
                   if not column.nullable and column.default is None and column.server_default is None
                   and not column.primary_key and getattr(item, name, None) in (None, "")
                   and name != flow.field]
        raise RuleViolation([gettext("%(field)s: a value is required.", field=label_of(entity.model, name))
                             for name in missing] or [gettext("The record cannot start its workflow.")])
    setattr(item, flow.field, state)


def log_start(entity, item, session) -> None:
    """The record's first status-log line, in the save's own transaction (the caller commits)."""
    if entity.workflow is not None and item.id is not None:
        workflow.log_initial(entity, item, session)
        session.flush()


def judge(entity, item, session, *, new: bool) -> None:
    """Raise RuleViolation (or its Duplicate) when `item` may not be saved; a new record
    is put in its first workflow state. Nothing is flushed while the record is judged: a
    flush on the way would let listeners move a parent along and the rules judge that."""
    with session.no_autoflush:
        found = value_problems(item)
        if found:
            raise RuleViolation(found)
        if new:
            start_workflow(entity, item)
        enforce(entity.rules, item, session)
        duplicate_problems(item, session)
