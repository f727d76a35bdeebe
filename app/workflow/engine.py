"""Firing transitions: the one place a status changes, for screens and API alike.

`fire()` refuses — with translated reasons, writing nothing — an unknown action, a
record in the wrong state, a user whose roles do not hold the transition's permission,
a missing required field or comment, and a result that breaks the entity's rules.
Otherwise it sets the new state, stamps dates, runs the transition's chain effect
(opening a supervision item, moving a linked document) and writes the status log, all
in one transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

from flask import current_app, g
from flask_babel import gettext
from sqlalchemy import and_, false, or_

from app.audit import current_username, mark_transition
from app.lifecycle import Move, moved
from app.registry.checks import RuleViolation, enforce
from app.registry.introspect import label_of, lookup_of
from app.registry.status import log_initial  # noqa: F401  (the importer logs a record's start through the engine)
from app.workflow.spec import REQUIRED_COMMENT, Transition
from models.lookups import lookup_label
from models.workflow import StatusLog, log_status


class WorkflowError(Exception):
    """A refused transition. `status` is the HTTP answer the API gives."""

    def __init__(self, messages, status: int = 422):
        self.messages = [str(m) for m in (messages if isinstance(messages, (list, tuple)) else [messages])]
        self.status = status
        super().__init__("; ".join(self.messages))


def state_label(entity, code: Optional[str]) -> str:
    if code is None:
        return ""
    category = lookup_of(entity.model, entity.workflow.field)
    return lookup_label(category, code) if category else code


def may_fire(entity, transition: Transition) -> bool:
    """Whether the current user's roles hold the transition's permission and, for a step only the
    units running a function take (`owners_only`), his unit runs it."""
    return current_app.appbuilder.sm.has_access(transition.permission, entity.name) and not transition.refusal()


def available(entity, record) -> list[Transition]:
    """Transitions the current user may fire on `record` now: the buttons to show."""
    workflow = entity.workflow
    if workflow is None or record is None:
        return []
    state = getattr(record, workflow.field)
    return [t for t in workflow.transitions
            if state in t.source and t.applies_to(record) and may_fire(entity, t) and not t.refusal(record)]


def waiting_condition(entity):
    """SQL condition: records in a state where the current user may fire a transition
    they wait for (`Transition.todo`)."""
    workflow = entity.workflow
    model = entity.model
    column = getattr(model, workflow.field)
    parts = []
    for t in workflow.transitions:
        if not t.todo or not may_fire(entity, t):
            continue
        conds = [column.in_(list(t.source))]
        conds += [getattr(model, k) == v for k, v in t.when.items()]
        parts.append(and_(*conds))
    return or_(*parts) if parts else false()


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check(entity, record, name: str) -> Transition:
    """The transition `name`, if it may be fired on `record` by the current user now."""
    workflow = entity.workflow
    transition = workflow.get(name) if workflow else None
    if transition is None:
        raise WorkflowError(gettext("There is no action “%(action)s” for this record.", action=name), 404)
    state = getattr(record, workflow.field)
    if state not in transition.source:
        raise WorkflowError(gettext("“%(action)s” cannot be done while the record is “%(state)s”.",
                                    action=transition.label, state=state_label(entity, state)), 409)
    if not transition.applies_to(record):
        raise WorkflowError(gettext("“%(action)s” does not apply to this record: only where %(condition)s.",
                                    action=transition.label, condition=_condition(entity, transition)), 409)
    if not current_app.appbuilder.sm.has_access(transition.permission, entity.name):
        raise WorkflowError(gettext("Your role may not “%(action)s” this record.", action=transition.label), 403)
    refusal = transition.refusal(record)
    if refusal:
        raise WorkflowError(refusal, 403)
    return transition


def _condition(entity, transition: Transition) -> str:
    """A transition's `when` in words: “Document direction: Outgoing; Normative document: Yes”."""
    parts = []
    for name, value in transition.when.items():
        category = lookup_of(entity.model, name)
        if isinstance(value, bool):
            shown = gettext("Yes") if value else gettext("No")
        else:
            shown = lookup_label(category, value) if category else str(value)
        parts.append(f"{label_of(entity.model, name)}: {shown}")
    return gettext("; ").join(parts)


def fire(entity, record, name: str, *, session, comment: Optional[str] = None,
         apply: Optional[Callable[[Transition], None]] = None) -> StatusLog:
    """Fire transition `name` on `record` and commit, or raise WorkflowError having
    written nothing. `apply(transition)` copies the user's input for the transition's
    fields onto the record (a form's or the API's job); it may raise WorkflowError."""
    transition = check(entity, record, name)
    workflow = entity.workflow
    comment = (comment or "").strip() or None
    try:
        with session.no_autoflush:
            if apply is not None:
                apply(transition)
            missing = [label_of(entity.model, f) for f in transition.requires if _empty(getattr(record, f, None))]
            problems = [gettext("“%(action)s” needs “%(field)s”.", action=transition.label, field=m)
                        for m in missing]
            if transition.comment == REQUIRED_COMMENT and comment is None:
                problems.append(gettext("“%(action)s” needs a comment.", action=transition.label))
            if problems:
                raise WorkflowError(problems)
            before = getattr(record, workflow.field)
            target = transition.target if transition.target is not None else before   # an action keeps the state
            setattr(record, workflow.field, target)
            for column, value in transition.stamp.items():
                if _empty(getattr(record, column, None)):
                    setattr(record, column, value())
        # The chain first: the rules then judge the whole result (e.g. the number it allocated).
        if transition.effect is not None:
            transition.effect(record, session)
        enforce(entity.rules, record, session)
        mark_transition(session, record, transition.name)
        log = log_status(session, record, transition.name, before, target, actor=_actor(), comment=comment)
        moved(entity, record, Move(transition.name, before, target, comment, session, log.actor))
        session.commit()
    except RuleViolation as error:
        session.rollback()
        raise WorkflowError(error.messages) from error
    except Exception:
        session.rollback()
        raise
    return log


def ahead_of(workflow, record) -> set[str]:
    """The states `record` can still reach through its workflow: what lies ahead of it."""
    ahead: set[str] = set()
    todo = [getattr(record, workflow.field)]
    while todo:
        state = todo.pop()
        for t in workflow.transitions:
            if t.target is not None and state in t.source and t.applies_to(record) and t.target not in ahead:
                ahead.add(t.target)
                todo.append(t.target)
    return ahead


def move(record, target: str, reason: Optional[str] = None, *, session,
         transition: Optional[str] = None) -> Optional[StatusLog]:
    """A status change a chain makes: `record` moves because something happened to another
    record (its extension request was granted, the district request it came with closed).

    Not the user's own step on `record`, so no role is asked; but the workflow must lead
    there: `transition` names the declared transition to log it under, whose source must
    hold the current state; without a name the move goes forward only, to a state ahead of
    the current one, logged under the transition that reaches `target`. A move the workflow
    does not allow, or to where the record already is, does nothing and returns None. The
    entity's rules judge the result (RuleViolation, rolled back by the caller's save); the
    status log and the audit trail record the move. The caller commits."""
    from app.registry.spec import entity_for

    entity = entity_for(type(record))
    workflow = entity.workflow
    before = getattr(record, workflow.field)
    if before == target:
        return None
    if transition is not None:
        step = workflow.get(transition)
        if step is None or step.target != target or before not in step.source or not step.applies_to(record):
            return None
    else:
        if target not in ahead_of(workflow, record):
            return None
        step = next((t for t in workflow.transitions if t.target == target and t.applies_to(record)), None)
    name = step.name if step is not None else target
    setattr(record, workflow.field, target)
    enforce(entity.rules, record, session)
    mark_transition(session, record, name)
    log = log_status(session, record, name, before, target, actor=current_username(), comment=reason)
    moved(entity, record, Move(name, before, target, reason, session, log.actor))
    return log


def history(entity, record_id: int, session) -> list[StatusLog]:
    return (session.query(StatusLog)
            .filter(StatusLog.entity == entity.name, StatusLog.record_id == record_id)
            .order_by(StatusLog.at.desc(), StatusLog.id.desc()).all())


def _actor() -> Optional[str]:
    user = getattr(g, "user", None)
    return getattr(user, "username", None)
