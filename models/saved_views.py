"""What a user keeps of a list: his own choice of its columns, and named views of it.

A clerk who reads the 12345 cases of his district, overdue first, with the handling unit
and the due date beside the title, should not set the same filters, order and columns
every morning. A *saved view* keeps them under a name and shows in his menu; a manager may
share one with his unit (and the units under it). The *column choice* is what a user last
picked in a list's column chooser, kept until he resets it.

Neither holds records: a view is the list's own query string, opened through the list's
scope, so a view shared with a colleague never shows him a record he may not see.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, now_cn


class SavedView(Model):
    """A list's filters and order (its query string) and columns, under a name."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("user_id", "entity", "name", name="uq_saved_view_owner_entity_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    #: The list's query string without the page: filters, order, page size.
    query: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The columns shown, in order; None: the list's own.
    columns: Mapped[Optional[list]] = mapped_column(JSON)
    #: Shared with the users of this unit and of the units under it; None: the owner's alone.
    shared_unit_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, nullable=False)


class ListColumnChoice(Model):
    """The columns a user chose for an entity's list, in order."""

    __tablename__ = "list_column_choice"
    __table_args__ = (UniqueConstraint("user_id", "entity", name="uq_list_column_choice_user_entity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    columns: Mapped[list] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, onupdate=now_cn, nullable=False)
