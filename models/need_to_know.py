"""Need-to-know lists (知悉范围) of the records that carry a secrecy level (docs/domain.md §9).

One table for every entity, as attachments have: a row names its record (entity and id)
and one unit or one person (a login) who needs to know it. While the record is 内部
`NEIBU` and its list holds anyone, only those listed — a listed unit's users and the users
of the units under it, a listed person —, the record's registrar and the roles holding
"read every internal record" read it (app/registry/need_to_know.py); at any other level the
list is kept but decides nothing. Rows are replaced, not edited: each change of a list is
one line of the record's History (app/screens/need_to_know_screens.py).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, _l, label, now_cn


class NeedToKnow(Model):
    """One unit or one person on a record's need-to-know list."""

    __tablename__ = "need_to_know"
    __table_args__ = (
        Index("ix_need_to_know_owner", "entity", "record_id"),
        UniqueConstraint("entity", "record_id", "department_id", name="uq_need_to_know_unit"),
        UniqueConstraint("entity", "record_id", "user_id", name="uq_need_to_know_user"),
        # a row names a unit or a person, never both, never neither
        CheckConstraint("(department_id IS NULL) <> (user_id IS NULL)", name="ck_need_to_know_one_reader"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(64), nullable=False, info=label(_l("Entity")))
    record_id: Mapped[int] = mapped_column(Integer, nullable=False, info=label(_l("Record")))
    department_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), nullable=True, index=True, info=label(_l("Unit")))
    user_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=True, index=True, info=label(_l("Person")))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, nullable=False)
    created_by: Mapped[Optional[str]] = mapped_column(String(128))

    department = relationship("Department", foreign_keys=[department_id])
    user = relationship("OfficeUser", foreign_keys=[user_id])
