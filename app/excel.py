"""Streaming Excel export.

Rows come from the database in chunks (`yield_per`) and go straight into xlsxwriter's
`constant_memory` mode, so memory stays flat whatever the row count. Text is written
with `write_string` (a title starting with '=' stays text: no formula injection),
dates as real Excel dates, lookups as their label in the reader's language.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from flask_babel import gettext

from app.masking import mask_value, sensitive_columns
from app.registry.introspect import kind_of, label_of, lookup_of
from models.lookups import lookup_label

MAX_WIDTH = 60


@dataclass
class ExportColumn:
    name: str
    header: str
    kind: str
    value: Callable[[Any], Any]
    width: float


def _getter(model, name: str, kind: str) -> Callable[[Any], Any]:
    if kind == "lookup":
        category = lookup_of(model, name)
        return lambda obj: lookup_label(category, getattr(obj, name))
    if kind == "relations":
        return lambda obj: "、".join(str(x) for x in (getattr(obj, name) or []))
    if kind == "relation":
        return lambda obj: "" if getattr(obj, name) is None else str(getattr(obj, name))
    return lambda obj: getattr(obj, name)


def _masking(getter: Callable[[Any], Any], mask: str) -> Callable[[Any], Any]:
    return lambda obj: mask_value(getter(obj), mask)


def columns_for(model, names: Iterable[str], *, unmasked: bool = False) -> list[ExportColumn]:
    """The export's columns; sensitive ones masked (DOMAIN.md §9) unless `unmasked`."""
    cols = []
    sensitive = {} if unmasked else sensitive_columns(model)
    for name in names:
        kind = kind_of(model, name)
        header = str(label_of(model, name))
        width = {"date": 12, "datetime": 17, "bool": 8, "int": 10, "number": 12,
                 "text": 40}.get(kind, 16)
        width = max(width, min(MAX_WIDTH, _display_width(header) + 2))
        getter = _getter(model, name, kind)
        if name in sensitive:
            getter, kind = _masking(getter, sensitive[name]), "string"
        cols.append(ExportColumn(name, header, kind, getter, width))
    return cols


def _display_width(text: str) -> int:
    """Excel column units: a CJK character is about two Latin ones wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def safe_sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name.strip()[:31] or "Sheet1"


class SheetWriter:
    """One worksheet written row by row; remembers widths seen in the first rows."""

    SAMPLE_ROWS = 200

    def __init__(self, workbook: xlsxwriter.Workbook, name: str, columns: list[ExportColumn],
                 title: str | None = None):
        self.wb = workbook
        self.ws = workbook.add_worksheet(safe_sheet_name(name))
        self.columns = columns
        self.fmt_header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1,
                                               "text_wrap": True, "valign": "vcenter"})
        self.fmt_title = workbook.add_format({"bold": True, "font_size": 14})
        self.fmt_date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.fmt_datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.fmt_text = workbook.add_format({"text_wrap": False})
        self.row = 0
        widths = [c.width for c in columns]
        # constant_memory writes each row as it goes: widths must be set up front.
        for i, w in enumerate(widths):
            self.ws.set_column(i, i, w)
        if title:
            self.ws.write_string(0, 0, title, self.fmt_title)
            self.row = 2
        self.header_row = self.row
        for i, col in enumerate(columns):
            self.ws.write_string(self.row, i, col.header, self.fmt_header)
        self.ws.freeze_panes(self.row + 1, 0)
        self.row += 1

    def write(self, obj: Any) -> None:
        ws, r = self.ws, self.row
        for i, col in enumerate(self.columns):
            self._cell(ws, r, i, col.kind, col.value(obj))
        self.row += 1

    def write_values(self, values: list[Any], kinds: list[str] | None = None) -> None:
        for i, value in enumerate(values):
            self._cell(self.ws, self.row, i, kinds[i] if kinds else "", value)
        self.row += 1

    def _cell(self, ws, r: int, c: int, kind: str, value: Any) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_string(r, c, gettext("Yes") if value else gettext("No"))
        elif isinstance(value, dt.datetime):
            ws.write_datetime(r, c, value, self.fmt_datetime)
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), self.fmt_date)
        elif isinstance(value, (int, float, Decimal)):
            ws.write_number(r, c, float(value))
        else:
            ws.write_string(r, c, str(value))

    def finish(self) -> int:
        """Autofilter over what was written; returns the number of data rows."""
        last_col = max(len(self.columns) - 1, 0)
        self.ws.autofilter(self.header_row, 0, max(self.row - 1, self.header_row), last_col)
        return self.row - self.header_row - 1


def new_workbook() -> tuple[xlsxwriter.Workbook, str]:
    handle = tempfile.NamedTemporaryFile(prefix="export-", suffix=".xlsx", delete=False)
    handle.close()
    wb = xlsxwriter.Workbook(handle.name, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False})
    return wb, handle.name


def export_rows(model, names: list[str], rows: Iterable[Any], sheet_name: str,
                title: str | None = None, *, unmasked: bool = False) -> tuple[str, int]:
    """Write `rows` of `model` into a new workbook; returns (path, row count)."""
    wb, path = new_workbook()
    sheet = SheetWriter(wb, sheet_name, columns_for(model, names, unmasked=unmasked), title=title)
    for obj in rows:
        sheet.write(obj)
    count = sheet.finish()
    wb.close()
    return path, count
