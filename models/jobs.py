"""Work done by the job queue for a user (app/jobs): a large export, ledger or import, or a
rebuild of the search index.

A row is written when the work is asked for and kept while its file waits in My downloads;
its progress while it runs lives in the queue's own store (the database may be busy with
the very rows being exported). The file is named by the row, never by the user's input.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, now_cn

QUEUED, RUNNING, DONE, FAILED = "QUEUED", "RUNNING", "DONE", "FAILED"


class Job(Model):
    """One piece of work for `user_id`, replayed in his name, language and rights."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)          # export | ledger | import | reindex
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The view's endpoint and the address the work was asked at (its filters and order).
    endpoint: Mapped[str] = mapped_column(String(100), nullable=False)
    address: Mapped[str] = mapped_column(Text, nullable=False)
    key: Mapped[Optional[str]] = mapped_column(String(64))                # the ledger's key
    title: Mapped[str] = mapped_column(String(200), nullable=False)       # the file's name for the user
    lang: Mapped[str] = mapped_column(String(16), nullable=False)
    #: What the work needs beyond its address (an import's kept file, mode and mapping), as JSON.
    params: Mapped[Optional[str]] = mapped_column(Text)
    #: What the work found (an import's counts and first problems), as JSON, shown on its page.
    outcome: Mapped[Optional[str]] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=QUEUED, index=True)
    total: Mapped[Optional[int]] = mapped_column(Integer)
    rows: Mapped[Optional[int]] = mapped_column(Integer)
    path: Mapped[Optional[str]] = mapped_column(String(500))
    size: Mapped[Optional[int]] = mapped_column(Integer)
    #: Why it failed, as a message code and its parameters (put into words when read).
    error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, nullable=False)
    started_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    expires_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
