"""Used one-time form tokens and API idempotency keys: a form submitted twice, or a POST
a client retries, makes one record (app/screens/form_tokens.py).

A row is written in the same transaction as the record it made, so of two concurrent
submissions with the same token the unique key lets exactly one commit. Rows are kept a
day (TOKEN_LIFETIME); the table is bookkeeping, not history.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, now_cn


class FormToken(Model):
    """One submission that was saved: who sent which token for which entity, and the
    record it made (or changed)."""

    __tablename__ = "form_token"
    __table_args__ = (UniqueConstraint("username", "entity", "token", name="uq_form_token_user_entity_token"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The client chooses an Idempotency-Key: the same key from two users, or for two
    # entities, names two different submissions.
    username: Mapped[str] = mapped_column(String(128), nullable=False)
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    token: Mapped[str] = mapped_column(String(100), nullable=False)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, nullable=False, index=True)
