"""A record's first status-log line: created in its workflow's initial state.

Core, below the workflow engine: every save path (screens, API, importer) writes it
through `app.registry.saving.log_start`, and the engine re-exports it.
"""
from __future__ import annotations

from typing import Optional

from flask import g

from models.workflow import log_status


def log_initial(entity, record, session) -> None:
    """The first line of a record's history: created in its initial state."""
    log_status(session, record, "create", None, getattr(record, entity.workflow.field), actor=actor())


#: The transition name of the one status-log line of a record a historical import brought
#: in the state its row stated (app/importer/historical.py): shown as "Imported in this state".
IMPORTED = "import"


def log_imported(entity, record, session) -> None:
    """The first line of a historically imported record: it came in in its stated state,
    no step led there."""
    log_status(session, record, IMPORTED, None, getattr(record, entity.workflow.field), actor=actor())


def actor() -> Optional[str]:
    user = getattr(g, "user", None)
    return getattr(user, "username", None)
