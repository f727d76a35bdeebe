"""涉密不上网 (docs/domain.md §9): the rule every record with a secrecy level obeys, and the
secrecy level of its attachments.

Core: `Entity.rules` adds the record's rules, and the attachment screens (app/attachments.py)
refuse an upload by the same tests, so neither imports the other's package.
"""
from __future__ import annotations

from typing import Optional

from flask_babel import gettext

from models.attachments import Attachment


def is_classified(record) -> bool:
    from models.lookups import CLASSIFIED_LEVELS

    return getattr(record, "secrecy_level", None) in CLASSIFIED_LEVELS


def _rank(level: Optional[str]) -> int:
    from models.lookups import SECRECY_ORDER

    return SECRECY_ORDER.index(level) if level in SECRECY_ORDER else 0


def record_level(record) -> str:
    """The record's level; a record of an entity without one is unclassified."""
    return getattr(record, "secrecy_level", None) or "FEIMI"


def attachment_levels(record) -> list[str]:
    """The levels a new attachment of `record` may have: up to the record's own, never 秘密
    or above (a record at 秘密 or above takes no file at all)."""
    from models.lookups import CLASSIFIED_LEVELS, SECRECY_ORDER

    if is_classified(record):
        return []
    return [level for level in SECRECY_ORDER
            if level not in CLASSIFIED_LEVELS and _rank(level) <= _rank(record_level(record))]


def attachment_level_problem(record, level: str) -> Optional[str]:
    """Why an attachment of `record` may not have `level`, in the user's language; None if it may."""
    from models.lookups import CLASSIFIED_LEVELS, SECRECY, SECRECY_ORDER, lookup_label

    if level not in SECRECY_ORDER:
        return gettext("Choose the attachment's secrecy level from the list.")
    if level in CLASSIFIED_LEVELS:
        return gettext("A file classified Confidential or above is never stored here (涉密不上网).")
    if _rank(level) > _rank(record_level(record)):
        return gettext("An attachment cannot be more secret than its record: the record is %(record)s, the file "
                       "%(file)s.", record=lookup_label(SECRECY, record_level(record)),
                       file=lookup_label(SECRECY, level))
    return None


def _live_attachments(record):
    from models.base import record_session

    session = record_session(record)
    if session is None or getattr(record, "id", None) is None:
        return None, None
    return session, (session.query(Attachment)
                     .filter_by(entity=type(record).__name__, record_id=record.id, is_deleted=False))


def classified_without_files(record) -> list[str]:
    """涉密不上网 (docs/domain.md §9): a record at 秘密 or above keeps no attachment."""
    if not is_classified(record):
        return []
    session, attachments = _live_attachments(record)
    if session is None:
        return []
    with session.no_autoflush:
        count = attachments.count()
    if count:
        return [gettext("A record classified Confidential or above keeps no attachment: remove its %(n)d attachment(s) "
                        "first.", n=count)]
    return []


def files_within_level(record) -> list[str]:
    """An attachment is never more secret than its record: the record's level is not lowered
    below a file's (remove the 内部 files before making the record unclassified)."""
    from sqlalchemy import inspect as sa_inspect

    from models.lookups import CLASSIFIED_LEVELS, SECRECY_ORDER

    if is_classified(record):
        return []                      # classified_without_files speaks for it
    above = [level for level in SECRECY_ORDER
             if _rank(level) > _rank(record_level(record)) and level not in CLASSIFIED_LEVELS]
    state = sa_inspect(record)
    if not above or state.transient or state.pending or not state.attrs.secrecy_level.history.has_changes():
        return []                      # only a lowered level can leave a file above it
    session, attachments = _live_attachments(record)
    if session is None:
        return []
    with session.no_autoflush:
        count = attachments.filter(Attachment.secrecy_level.in_(above)).count()
    if count:
        return [gettext("%(n)d attachment(s) are more secret than the record's new level: remove them first.",
                        n=count)]
    return []
