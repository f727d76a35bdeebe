"""The status log every workflow writes (docs/domain.md §0 `StatusLog`).

One table for all entities: a row names the entity (its class name) and the record's
id, so any record's history of transitions is one indexed query, and the dashboard can
count transitions across the office without a join per entity.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, _l, label, now_cn


class StatusLog(Model):
    """One fired transition: who moved which record from which state to which, and why."""

    __tablename__ = "status_log"
    __table_args__ = (Index("ix_status_log_owner", "entity", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(64), info=label(_l("Entity")))
    record_id: Mapped[int] = mapped_column(Integer, info=label(_l("Record")))
    transition: Mapped[str] = mapped_column(String(64), info=label(_l("Action")))
    from_state: Mapped[Optional[str]] = mapped_column(String(32), info=label(_l("From")))
    to_state: Mapped[str] = mapped_column(String(32), info=label(_l("To")))
    actor: Mapped[Optional[str]] = mapped_column(String(100), index=True, info=label(_l("By")))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, index=True, info=label(_l("At")))
    comment: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Comment")))

    def __repr__(self) -> str:
        return f"<StatusLog {self.entity}#{self.record_id} {self.from_state}->{self.to_state}>"


def log_status(session, record, transition: str, from_state: Optional[str], to_state: str, *,
               actor: Optional[str], comment: Optional[str] = None) -> StatusLog:
    """Add the status-log row of one move of `record`: the engine's steps and the moves a
    chain makes elsewhere write the same row, so a record's history tells the whole story."""
    row = StatusLog(entity=type(record).__name__, record_id=record.id, transition=transition,
                    from_state=from_state, to_state=to_state, actor=actor, comment=comment)
    session.add(row)
    return row
