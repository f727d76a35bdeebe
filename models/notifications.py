"""What the office tells a user without his asking (app/reminders): a record of his unit due
soon or overdue, a 催办 received, an extension decided — and which of those he wants.

A notification names its record (entity, id, the label it had) and says what happened as a
message code with parameters, put into words in the reader's language when shown. `key`
makes each happening notify a user once (the same overdue item is not announced daily).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, now_cn


class Notification(Model):
    """One thing one user is told; read once he marks it (or opens its record from the bell)."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_notification_user_key"),
                      Index("ix_notification_user_unread", "user_id", "read_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    key: Mapped[str] = mapped_column(String(160), nullable=False)
    entity: Mapped[Optional[str]] = mapped_column(String(64))
    record_id: Mapped[Optional[int]] = mapped_column(Integer)
    record_name: Mapped[Optional[str]] = mapped_column(String(300))
    detail: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, nullable=False, index=True)
    read_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    mailed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)


class NotificationChoice(Model):
    """A user's choice for one kind: in the app (the bell) and in the daily e-mail digest. No row:
    both on."""

    __tablename__ = "notification_choice"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_choice_user_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    in_app: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    by_mail: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
