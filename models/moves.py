"""Status changes a chain effect in models/ makes on another record.

A module of its own, which the core never imports: it reaches up to the workflow engine when
called, and the engine reads the registry, which the models must not load."""
from __future__ import annotations

from typing import Optional


def move(record, target: str, reason: Optional[str] = None, *, session, transition: Optional[str] = None):
    """A chain effect's status change of another record, through the workflow engine
    (`app.workflow.engine.move`: the move must be one its workflow allows, the record's rules
    judge it, the status log and audit record it). Imported when called: the engine reads the
    registry, which the models must not load."""
    from app.workflow.engine import move as engine_move

    return engine_move(record, target, reason, session=session, transition=transition)
