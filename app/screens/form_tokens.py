"""One record per submitted form: one-time form tokens and the API's Idempotency-Key.

The add and edit forms carry a random token issued when they are rendered. A save
writes the token to `form_token` in its own transaction; a second submission of the
same form finds it and is sent to the record the first one saved, instead of making a
second record (a double click, a reload that re-posts, a retry after a slow answer).
Two submissions racing each other both miss the lookup, but only one can commit: the
table's unique key (user, entity, token) fails the other, which rolls back whole.

The rows live in the database, not in process memory, so the check holds across
gunicorn workers. They are kept a day (TOKEN_LIFETIME) and pruned now and then by the
save that writes every PRUNE_EVERY-th token, one indexed DELETE.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.audit import current_username
from models.base import now_cn
from models.form_tokens import FormToken

#: The hidden form field that carries the token.
FIELD = "form_token"
#: The request header of the REST API with the same meaning.
HEADER = "Idempotency-Key"
#: Longest token or key accepted (the column's width).
MAX_LENGTH = 100
TOKEN_LIFETIME = dt.timedelta(days=1)
PRUNE_EVERY = 100


def issue() -> str:
    """A fresh token for a form being rendered."""
    return secrets.token_urlsafe(24)


def usable(token: Optional[str]) -> Optional[str]:
    """The token as submitted, or None when there is none (an old form, a scripted client)."""
    token = (token or "").strip()
    return token or None


def too_long(token: Optional[str]) -> bool:
    return token is not None and len(token) > MAX_LENGTH


def earlier_record(session: Session, entity: str, token: Optional[str]) -> Optional[int]:
    """The id of the record an earlier submission of `token` saved, or None if it is new."""
    if token is None or too_long(token):
        return None
    return session.execute(
        select(FormToken.record_id).where(FormToken.username == current_username(), FormToken.entity == entity,
                                          FormToken.token == token, FormToken.created_at >= now_cn() - TOKEN_LIFETIME)
    ).scalar()


def spend(session: Session, entity: str, token: Optional[str], record_id: int) -> None:
    """Mark `token` used by the save under way (same transaction; flushed now so that a
    concurrent twin fails here, on the unique key, before anything commits)."""
    if token is None or too_long(token):
        return
    row = FormToken(username=current_username(), entity=entity, token=token, record_id=record_id)
    session.add(row)
    session.flush()
    if row.id % PRUNE_EVERY == 0:
        prune(session)


def prune(session: Session) -> int:
    """Forget tokens older than TOKEN_LIFETIME (the created_at index makes this cheap)."""
    result = session.execute(delete(FormToken).where(FormToken.created_at < now_cn() - TOKEN_LIFETIME))
    return result.rowcount or 0
