"""Cell value → stored value, one converter per field, chosen once per import.

A converter raises `CellError` with a message in the user's language; the importer
turns it into a line of the report (row, column, reason). Cells arrive as python-calamine
gives them: str, float, int, bool, date, datetime or "" for an empty cell.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext
from sqlalchemy import Numeric

from app.importer.fields import ImportField, normalise
from app.registry.introspect import column_of
from models.lookups import lookup_table

EMPTY = object()       # a blank cell: the field's default, or an error if required

TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "✓", "有"}
FALSE_WORDS = {"否", "no", "n", "false", "0", "×", "✗", "无"}

DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
TIME_PATTERN = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot become the field's value; the message is the report's reason."""


Converter = Callable[[Any], Any]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _date(value: Any) -> dt.date:
    if value.__class__ is dt.date:
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:                       # an Excel day number in a cell not formatted as date
            return (EXCEL_EPOCH + dt.timedelta(days=int(value))).date()
        if float(value).is_integer():                  # 20260301 typed as a number
            value = int(value)
    text = str(value).strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellError(gettext("Not a date: write it as 2026-03-01"))


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return (EXCEL_EPOCH + dt.timedelta(days=float(value))).replace(microsecond=0)
    text = str(value).strip().replace("T", " ")
    day, _, clock = text.partition(" ")
    try:
        date = _date(day)
    except CellError:
        raise CellError(gettext("Not a date and time: write it as 2026-03-01 09:30")) from None
    if not clock.strip():
        return dt.datetime(date.year, date.month, date.day)
    match = TIME_PATTERN.match(clock.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise CellError(gettext("Not a date and time: write it as 2026-03-01 09:30"))
    return dt.datetime(date.year, date.month, date.day, int(match.group(1)), int(match.group(2)),
                       int(match.group(3) or 0))


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if isinstance(value, float) and value in (0.0, 1.0):
        return bool(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(gettext("Write Yes or No"))


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(gettext("Not a whole number"))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(gettext("Not a whole number"))
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    raise CellError(gettext("Not a whole number"))


def _number(as_decimal: bool) -> Converter:
    def convert(value: Any):
        if isinstance(value, bool):
            raise CellError(gettext("Not a number"))
        try:
            number = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, (int, float)) else value
        except InvalidOperation:
            raise CellError(gettext("Not a number")) from None
        if as_decimal:
            return Decimal(str(number))
        return float(number)
    return convert


def _text(max_length: int | None) -> Converter:
    def convert(value: Any) -> str:
        if value.__class__ is str:
            text = value.strip()
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))          # a phone number or a code Excel kept as a number
        elif isinstance(value, dt.datetime):
            text = value.strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value).strip()
        if max_length is not None and len(text) > max_length:
            raise CellError(gettext("Too long: at most %(n)d characters (%(given)d given)",
                                    n=max_length, given=len(text)))
        return text
    return convert


def lookup_index(category: str) -> tuple[dict[str, str], set[str]]:
    """(normalised code / zh label / en label -> code of an active entry, inactive codes)."""
    index: dict[str, str] = {}
    inactive: set[str] = set()
    rows = lookup_table().get(category, [])
    for row in rows:
        if not row.active:
            inactive.update(normalise(t) for t in (row.code, row.label_zh, row.label_en) if t)
            continue
        for text in (row.code, row.label_zh, row.label_en):
            if text:
                index.setdefault(normalise(text), row.code)
    return index, inactive - set(index)


def _lookup(category: str) -> Converter:
    index, inactive = lookup_index(category)
    exact = {text: row.code for row in lookup_table().get(category, []) if row.active
             for text in (row.code, row.label_zh, row.label_en) if text}

    def convert(value: Any) -> str:
        code = exact.get(value) if value.__class__ is str else None
        if code is not None:                 # the label as the template's drop-down wrote it
            return code
        key = normalise(_text(None)(value))
        code = index.get(key)
        if code is not None:
            return code
        if key in inactive:
            raise CellError(gettext("%(value)s is no longer in use", value=value))
        raise CellError(gettext("Not one of the allowed values (see the template's drop-down)"))
    return convert


def converter_for(model, f: ImportField, references) -> Converter:
    if f.kind == "lookup":
        return _lookup(f.category)
    if f.kind == "relation":
        return references.converter(f.target)
    if f.kind == "date":
        return _date
    if f.kind == "datetime":
        return _datetime
    if f.kind == "bool":
        return _bool
    if f.kind == "int":
        return _int
    if f.kind == "number":
        column = column_of(model, f.name)
        return _number(column is not None and isinstance(column.type, Numeric) and column.type.asdecimal)
    return _text(f.max_length)
