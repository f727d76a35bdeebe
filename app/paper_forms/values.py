"""Words and dates as the office writes them on paper."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import g
from flask_babel import format_date, get_locale

from app.masking import can_see_sensitive, mask_value, sensitive_columns
from models.lookups import lookup_label


def text(value: Any) -> str:
    """A value as the form shows it: nothing for None, a unit or person by its label."""
    if value is None:
        return ""
    return str(value).strip()


def day(value: dt.date | dt.datetime | None) -> str:
    """A date in the reader's long form (2026年12月7日, December 7, 2026); empty if none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "long")


def moment(value: dt.datetime | None) -> str:
    """A date and time to the minute (the receipt of an urgent document)."""
    if value is None:
        return ""
    return f"{day(value)} {value:%H:%M}"


#: Levels that put a marking on the sheet's top left (内部 and above; 非密 is not marked).
UNMARKED = {None, "", "FEIMI"}


def secrecy_marking(record) -> str:
    """The secrecy marking a record's sheet carries top left (内部, 秘密 …), or nothing."""
    level = getattr(record, "secrecy_level", None)
    return "" if level in UNMARKED else label("secrecy_level", level)


def label(category: str, code: str | None) -> str:
    return lookup_label(category, code) if code else ""


def live(rows) -> list:
    """The rows of a child collection that are not in the Trash."""
    return [row for row in rows or [] if not getattr(row, "is_deleted", False)]


def guarded(record, name: str) -> str:
    """A column of `record` as the reader may see it: a sensitive one (a phone, an ID number)
    masked unless his roles let him read it unmasked, as on the record page."""
    value = text(getattr(record, name, None))
    mask = sensitive_columns(type(record)).get(name)
    if value and mask is not None:
        if not can_see_sensitive():
            return text(mask_value(value, mask))
        unmasked = g.setdefault("office_paper_unmasked", {})      # audited by the print screen
        fields = unmasked.setdefault(type(record).__name__, [])
        if name not in fields:
            fields.append(name)
    return value


CHINESE_NUMERALS = "零一二三四五六七八九十"


def heading_number(n: int) -> str:
    """A first-level heading's number as the office writes it: 一、二、…十一、 in Chinese, "1. " in English."""
    if not str(get_locale()).startswith("zh"):
        return f"{n}. "
    if n <= 10:
        words = CHINESE_NUMERALS[n]
    elif n < 20:
        words = "十" + (CHINESE_NUMERALS[n % 10] if n % 10 else "")
    else:
        words = CHINESE_NUMERALS[n // 10] + "十" + (CHINESE_NUMERALS[n % 10] if n % 10 else "")
    return words + "、"
