"""The column mapping a clerk last chose for an entity's import (app/importer/mapping.py).

A clerk's ledger keeps its headers from year to year: the mapping he checked once is
proposed first for his next file whose columns match, so he does not pick the same
columns again. One row per user and entity, replaced when he confirms a new mapping;
another user's choice is never proposed to him.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, now_cn


class ImportMapping(Model):
    """{field name: the file's header, normalised} as the user confirmed it for `entity`."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("username", "entity", name="uq_import_mapping_user_entity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(128), nullable=False)
    entity: Mapped[str] = mapped_column(String(64), nullable=False)
    columns: Mapped[dict] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, onupdate=now_cn, nullable=False)
