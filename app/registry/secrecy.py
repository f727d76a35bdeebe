"""涉密不上网 (docs/domain.md §9): the rule every record with a secrecy level obeys.

Core: `Entity.rules` adds it, and the attachment screens (app/attachments.py) refuse an
upload by the same test, so neither imports the other's package.
"""
from __future__ import annotations

from flask_babel import gettext

from models.attachments import Attachment


def is_classified(record) -> bool:
    from models.lookups import CLASSIFIED_LEVELS

    return getattr(record, "secrecy_level", None) in CLASSIFIED_LEVELS


def classified_without_files(record) -> list[str]:
    """涉密不上网 (docs/domain.md §9): a record at 秘密 or above keeps no attachment."""
    if not is_classified(record) or getattr(record, "id", None) is None:
        return []
    from models.base import record_session

    session = record_session(record)
    if session is None:
        return []
    with session.no_autoflush:
        count = (session.query(Attachment)
                 .filter_by(entity=type(record).__name__, record_id=record.id, is_deleted=False).count())
    if count:
        return [gettext("A record classified Confidential or above keeps no attachment: remove its %(n)d attachment(s) "
                        "first.", n=count)]
    return []
