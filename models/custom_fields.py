"""Fields an admin adds to an entity from the console, without a migration.

A definition names the entity, the field's key, kind, labels in both languages, whether
it is required, where it sits, and whether lists show and filter it. The values live in
the record's own `custom_fields` JSON column (every business table has one), keyed by
the field's key — so removing a field (deactivating it) hides it and keeps every value.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import BusinessRecord, Model, _l, bilingual, flag, label, lookup_column
from models.lookups import define_lookup

TEXT, LONG_TEXT, NUMBER, DATE, BOOL, CHOICE = "TEXT", "LONG_TEXT", "NUMBER", "DATE", "BOOL", "CHOICE"
FIELD_KIND = define_lookup("custom_field_kind", _l("Kind of field"), [
    (TEXT, "文本", "Text"),
    (LONG_TEXT, "长文本", "Long text"),
    (NUMBER, "数字", "Number"),
    (DATE, "日期", "Date"),
    (BOOL, "是/否", "Yes/No"),
    (CHOICE, "代码表选项", "Choice from a lookup"),
])


class CustomField(BusinessRecord, Model):
    """One admin-defined field of one entity."""

    __tablename__ = "custom_field"
    __table_args__ = (UniqueConstraint("entity", "key", name="uq_custom_field_entity_key"),)

    entity: Mapped[str] = mapped_column(String(64), index=True, info=label(
        _l("Entity"), description=_l("The kind of record the field belongs to")))
    key: Mapped[str] = mapped_column(String(40), info=label(
        _l("Key"), description=_l("Letters, digits and _; used in the API and in Excel, never changed")))
    label_zh: Mapped[str] = mapped_column(String(60), info=label(_l("Chinese label")))
    label_en: Mapped[str] = mapped_column(String(60), info=label(_l("English label")))
    kind: Mapped[str] = lookup_column(FIELD_KIND, _l("Kind of field"), nullable=False, default=TEXT)
    lookup_category: Mapped[Optional[str]] = mapped_column(String(64), info=label(
        _l("Lookup category"), description=_l("For a choice: the lookup whose codes it offers")))
    required: Mapped[bool] = flag(_l("Required field"), server_default=False)
    position: Mapped[int] = mapped_column(Integer, default=100, info=label(
        _l("Order on the form"), description=_l("Order among the added fields")))
    in_list: Mapped[bool] = flag(_l("Shown in the list"), server_default=False)
    in_filter: Mapped[bool] = flag(_l("Offered as a filter"), server_default=False)
    active: Mapped[bool] = flag(_l("Active"),
                                description=_l("A removed field is deactivated: its stored values are kept"),
                                default=True, server_default=False)

    @property
    def label(self) -> str:
        return bilingual(self.label_zh, self.label_en)

    def __str__(self) -> str:
        return f"{self.entity}.{self.key}"
