"""Cell value → stored value, one converter per field, chosen once per import.

A converter raises `CellError` with a message in the user's language; the importer
turns it into a line of the report (row, column, reason). Cells arrive as python-calamine
gives them: str, float, int, bool, date, datetime or "" for an empty cell.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext
from sqlalchemy import Numeric

from app.importer.fields import ImportField, normalise
from app.registry.introspect import column_of
from models.lookups import lookup_label, lookup_table

EMPTY = object()       # a blank cell: the field's default, or an error if required

TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "✓", "有"}
FALSE_WORDS = {"否", "no", "n", "false", "0", "×", "✗", "无"}

DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
TIME_PATTERN = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
#: 9时30分, 9点30分, 9时, 9点半 — the clock as a ledger writes it
CHINESE_TIME = re.compile(r"^(\d{1,2})\s*[时点](?:\s*(\d{1,2})\s*分?|\s*(半))?(?:\s*(\d{1,2})\s*秒)?$")
#: Where the date part of a date-time written in Chinese ends and the clock begins
DATE_END = re.compile(r"^(.*?[日号])\s*(.*)$")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot become the field's value; the message is the report's reason."""


Converter = Callable[[Any], Any]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def plain(text: str) -> str:
    """Full-width digits, letters and punctuation (２０２６／３／１, ：) as their ASCII forms:
    a ledger typed with a Chinese input method has them."""
    return unicodedata.normalize("NFKC", text)


def _calendar_date(year: int, month: int, day: int) -> dt.date:
    """The day, or the reason it does not exist — a clerk reads "February has no 30th",
    not "wrong format", for a date written correctly that the calendar lacks."""
    if not 1 <= month <= 12:
        raise CellError(gettext("There is no month %(month)d", month=month))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(gettext("%(year)d-%(month)02d has no day %(day)d", year=year, month=month,
                                day=day)) from None


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
    text = plain(str(value)).strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _calendar_date(*(int(part) for part in match.groups()))
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text):          # an Excel day number kept as text
        number = float(text)
        if 1 <= number < 2958466:
            return (EXCEL_EPOCH + dt.timedelta(days=int(number))).date()
    raise CellError(gettext("Not a date: write it as 2026-03-01"))


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return (EXCEL_EPOCH + dt.timedelta(days=float(value))).replace(microsecond=0)
    text = plain(str(value)).strip().replace("T", " ")
    chinese = DATE_END.match(text)
    if chinese:                                    # 2026年3月1日9时30分: no space before the clock
        day, clock = chinese.group(1), chinese.group(2)
    else:
        day, _, clock = text.partition(" ")
    wrong = gettext("Not a date and time: write it as 2026-03-01 09:30")
    try:
        date = _date(day)
    except CellError as error:
        if str(error) == gettext("Not a date: write it as 2026-03-01"):
            raise CellError(wrong) from None
        raise                                      # a day that does not exist says so
    clock = clock.strip()
    if not clock:
        return dt.datetime(date.year, date.month, date.day)
    match = TIME_PATTERN.match(clock)
    if match:
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    else:
        match = CHINESE_TIME.match(clock)
        if not match:
            raise CellError(wrong)
        hour = int(match.group(1))
        minute = 30 if match.group(3) else int(match.group(2) or 0)
        second = int(match.group(4) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(wrong)
    return dt.datetime(date.year, date.month, date.day, hour, minute, second)


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


#: Separators of a path through a two- or three-level lookup: 城市管理/市政设施, 城市管理-市政设施, 城市管理>市政设施
PATH_SEPARATORS = re.compile(r"\s*[/／>＞\\、-]\s*|\s+[—–]\s+")
#: A word shorter than this is not matched inside a longer label: 市 would match half the list.
SYNONYM_MIN = 2


class _LookupWords:
    """The words a clerk may use for an entry of one category: its code and labels, a word
    that is the only label containing it or contained in it (代表建议 → 人大代表建议), and a
    path naming its parent first (城市管理/市政设施)."""

    def __init__(self, category: str):
        self.rows = [row for row in lookup_table().get(category, []) if row.active]
        self.index, self.inactive = lookup_index(category)
        self.labels = [(normalise(text), row.code) for row in self.rows
                       for text in (row.label_zh, row.label_en) if text]
        self.parent = {row.code: row.parent_code for row in self.rows}
        self._parent_words: dict[str, set[str]] | None = None

    def codes_of(self, word: str) -> set[str]:
        key = normalise(word)
        if key in self.index:
            return {self.index[key]}
        if len(key) < SYNONYM_MIN:
            return set()
        return {code for label, code in self.labels if key in label or (len(label) >= SYNONYM_MIN and label in key)}

    def parent_words(self, code: str) -> set[str]:
        """Normalised code and labels of the parent entry (any category: a level-1 list is
        its own category)."""
        if self._parent_words is None:
            wanted = {p for p in self.parent.values() if p}
            self._parent_words = {}
            for rows in lookup_table().values():
                for row in rows:
                    if row.code in wanted:
                        self._parent_words.setdefault(row.code, set()).update(
                            normalise(t) for t in (row.code, row.label_zh, row.label_en) if t)
        return self._parent_words.get(self.parent.get(code) or "", set())

    def by_path(self, text: str) -> set[str] | None:
        """The entries the path names, or None when the text is not a path to an entry of
        this category. A path whose last step exists under another parent raises: the
        clerk wrote the parent for a reason."""
        parts = [p for p in PATH_SEPARATORS.split(text) if p.strip()]
        if len(parts) < 2:
            return None
        codes = self.codes_of(parts[-1])
        if not codes:
            return None
        parent = normalise(parts[-2])
        found = {code for code in codes if parent in self.parent_words(code)}
        if not found:
            raise CellError(gettext("%(child)s is not under %(parent)s", child=parts[-1].strip(),
                                    parent=parts[-2].strip()))
        return found


def _lookup(category: str) -> Converter:
    words = _LookupWords(category)
    exact = {text: row.code for row in words.rows for text in (row.code, row.label_zh, row.label_en) if text}
    matched: dict[str, str] = {}

    def convert(value: Any) -> str:
        code = exact.get(value) if value.__class__ is str else None
        if code is not None:                 # the label as the template's drop-down wrote it
            return code
        text = plain(_text(None)(value))
        key = normalise(text)
        code = words.index.get(key)
        if code is not None:
            return code
        if key in words.inactive:
            raise CellError(gettext("%(value)s is no longer in use", value=value))
        if key in matched:                   # a ledger repeats its words down a column
            return matched[key]
        found = words.by_path(text)
        if found is None:
            found = words.codes_of(text)
        if len(found) == 1:
            matched[key] = found.pop()
            return matched[key]
        if found:
            labels = "、".join(sorted(lookup_label(category, code) for code in found))
            raise CellError(gettext("%(value)s could be any of: %(labels)s", value=value, labels=labels))
        raise CellError(gettext("Not one of the allowed values (see the template's drop-down)"))
    return convert


#: Between the values of a cell naming several (协办单位: 市发改委、市财政局，市应急局; a line each).
SEVERAL_SEPARATORS = re.compile(r"[、，,；;\n]+")
#: Chinese names hold no space, so a space between two of them separates them too (市发改委 市财政局);
#: an English name holds spaces (Haicang District Government) and is kept whole.
LATIN = re.compile(r"[A-Za-z]")


def _values(text: str) -> list[str]:
    parts = []
    for part in SEVERAL_SEPARATORS.split(text):
        part = part.strip()
        if part:
            parts += [part] if LATIN.search(part) else part.split()
    return parts


def _several(convert: Converter) -> Converter:
    """A cell of several values: the list of each one's value; every value that cannot be
    read is named in the one message of the cell."""
    def several(value: Any) -> list:
        parts = _values(plain(_text(None)(value)))
        out, wrong = [], []
        for part in parts:
            try:
                out.append(convert(part))
            except CellError as error:
                wrong.append(str(error))
        if wrong:
            raise CellError("；".join(wrong))
        return out
    return several


def converter_for(model, f: ImportField, references) -> Converter:
    convert = _one_converter(model, f, references)
    return _several(convert) if f.several else convert


def _one_converter(model, f: ImportField, references) -> Converter:
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
