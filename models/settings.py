"""Settings an admin changes at run time (the configuration console), without a restart.

Each setting is declared here with `define_setting` — its type, its allowed range and its
labels in both languages — and gets a row in `setting` when an admin first saves it in the
console. The row's `value` is what the admin set; no row or an empty value means "the
default", which is the app configuration of the same name (config.py, env var). `app.settings.setting(name)` reads
them once per request, so an edit applies to the very next request of every worker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import gettext
from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, _l, bilingual, label

INT, TEXT, EXTENSIONS = "int", "text", "extensions"
SETTING_TYPE = {INT: _l("Whole number"), TEXT: _l("Text"), EXTENSIONS: _l("List of file extensions")}
EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")


class Setting(Model):
    """One run-time setting: its value (empty: the configured default) and what it means."""

    __tablename__ = "setting"
    __audited__ = True          # app.audit writes every change (old → new value, who, when)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True, nullable=False, info=label(_l("Setting key")))
    value: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Setting value"), description=_l("Empty: the default of the installation")))
    value_type: Mapped[str] = mapped_column(String(16), nullable=False, default=TEXT, info=label(_l("Value type")))
    label_zh: Mapped[str] = mapped_column(String(100), nullable=False, info=label(_l("Chinese label")))
    label_en: Mapped[str] = mapped_column(String(100), nullable=False, info=label(_l("English label")))
    description_zh: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Chinese description")))
    description_en: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("English description")))

    @property
    def label(self) -> str:
        return bilingual(self.label_zh, self.label_en)

    @property
    def description(self) -> str:
        return bilingual(self.description_zh, self.description_en)

    def __str__(self) -> str:
        return self.label or self.key


@dataclass(frozen=True)
class SettingSpec:
    key: str
    kind: str
    label_zh: str
    label_en: str
    description_zh: str = ""
    description_en: str = ""
    minimum: Optional[int] = None
    maximum: Optional[int] = None

    def parse(self, text: Optional[str]) -> Any:
        """The typed value of `text`; ValueError with a message for the user if it is not one."""
        text = (text or "").strip()
        if self.kind == INT:
            return self._number(text)
        if self.kind == EXTENSIONS:
            return self._extensions(text)
        return text

    def _number(self, text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise ValueError(gettext("“%(value)s” is not a whole number.", value=text)) from None
        low, high = self.minimum, self.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(gettext("Give a number from %(low)s to %(high)s.", low=low, high=high))
        return number

    def _extensions(self, text: str) -> str:
        items = [t.strip().lower().lstrip(".") for t in re.split(r"[,，\s]+", text) if t.strip()]
        bad = [t for t in items if not EXTENSION.match(t)]
        if bad or not items:
            raise ValueError(gettext("Give file extensions separated by commas, e.g. pdf,docx,xlsx."))
        return ",".join(dict.fromkeys(items))

    def normalise(self, text: Optional[str]) -> Optional[str]:
        """What is stored for `text`: None for empty (the default), else the checked value."""
        if text is None or not str(text).strip():
            return None
        return str(self.parse(str(text)))


SETTINGS: dict[str, SettingSpec] = {}


def define_setting(key: str, kind: str, label_zh: str, label_en: str, description_zh: str = "",
                   description_en: str = "", *, minimum: Optional[int] = None,
                   maximum: Optional[int] = None) -> SettingSpec:
    spec = SettingSpec(key, kind, label_zh, label_en, description_zh, description_en, minimum, maximum)
    SETTINGS[key] = spec
    return spec


define_setting(
    "DEADLINE_YELLOW_DAYS", INT, "黄灯提前天数", "Yellow light: days before the due date",
    "截止日期前多少个工作日内亮黄灯（所有台账和列表通用）。",
    "Within how many working days before a due date the light turns yellow (every list and ledger).",
    minimum=0, maximum=60)
define_setting(
    "DOCUMENT_URGE_DAYS", INT, "收文自动催办提前天数", "Incoming documents: automatic urging, days before due",
    "办理时限前多少个工作日内（含已逾期），每日自动对未办结的收文催办一次。",
    "Within how many working days before its due date (or once overdue) an unfinished incoming document is urged "
    "automatically, once a day.", minimum=0, maximum=30)
define_setting(
    "PAGE_SIZE", INT, "每页行数", "Rows per list page",
    "各列表每页显示的记录数。", "How many records every list shows per page.", minimum=5, maximum=200)
define_setting(
    "ATTACHMENT_MAX_MB", INT, "附件大小上限（MB）", "Attachment size limit (MB)",
    "单个附件的最大大小。", "The largest file a user may attach.", minimum=1, maximum=1024)
define_setting(
    "ATTACHMENT_TYPES", EXTENSIONS, "允许的附件类型", "Allowed attachment types",
    "允许上传的文件扩展名，用逗号分隔。", "File extensions that may be attached, separated by commas.")
define_setting(
    "IMPORT_MAX_MB", INT, "导入文件大小上限（MB）", "Import file size limit (MB)",
    "一次导入的 Excel 文件的最大大小。", "The largest Excel file one import accepts.", minimum=1, maximum=1024)
define_setting(
    "IMPORT_MAX_ROWS", INT, "导入行数上限", "Import row limit",
    "一次导入的最多行数。", "The most rows one import accepts.", minimum=1, maximum=1_000_000)

