"""An admin's own layout of one of the office's paper forms (app/paper_forms): the template text
that replaces the shipped one until he restores the default. Every change is audited."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, _l, label, now_cn


class PaperTemplate(Model):
    """The changed template of the paper form `key` (the shipped one is app/templates/paper/forms/<key>.html)."""

    __tablename__ = "paper_template"
    __audited__ = True          # app.audit writes every change (old → new text, who, when)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True, nullable=False, info=label(_l("Form")))
    body: Mapped[str] = mapped_column(Text, nullable=False, info=label(_l("Template")))
    updated_by: Mapped[Optional[str]] = mapped_column(String(64), info=label(_l("Changed by")))
    updated_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, default=now_cn, onupdate=now_cn,
                                                              info=label(_l("Changed at")))

    def __str__(self) -> str:
        return self.key
