"""Files attached to records (docs/domain.md §0 `Attachment`).

One table for every entity: a row names its owner (entity and id). The bytes live in a
directory outside the web root (config ATTACHMENT_DIR) under a random name; the row
keeps the original name, type, size and sha256, so a file's integrity can be proven
later and a download can only go through the owner's permission and scope check.

An attachment has a secrecy level of its own (docs/domain.md §9), at most its record's and
never 秘密 or above (涉密不上网): a 内部 file of a record is read only by whoever passes the
record's need-to-know list.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import BusinessRecord, Model, _l, label
from models.lookups import SECRECY


class Attachment(BusinessRecord, Model):
    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "entity", "record_id"),)

    entity: Mapped[str] = mapped_column(String(64), info=label(_l("Entity")))
    record_id: Mapped[int] = mapped_column(Integer, info=label(_l("Record")))
    title: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Title")))
    filename: Mapped[str] = mapped_column(String(255), info=label(_l("File name")))
    stored_name: Mapped[str] = mapped_column(String(255), unique=True, info=label(_l("Stored as")))
    mime: Mapped[Optional[str]] = mapped_column(String(120), info=label(_l("File type")))
    size: Mapped[int] = mapped_column(Integer, info=label(_l("Size (bytes)")))
    sha256: Mapped[str] = mapped_column(String(64), index=True, info=label(_l("SHA-256")))
    secrecy_level: Mapped[str] = mapped_column(String(32), nullable=False, default="FEIMI", server_default="FEIMI",
                                               info=label(_l("Secrecy level"), lookup=SECRECY))

    def __str__(self) -> str:
        return self.title or self.filename or ""
