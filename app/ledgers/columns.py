"""A ledger's detail columns as `app.excel` writes them.

A field column is built by `columns_for`, exactly as the list's export builds it (label,
lookup label, related record's name, masking of sensitive fields); an entity's own
light and overdue-days columns give way to the generic ones its list shows, so a ledger
and its list never disagree (`deadlines.shown_columns`). A computed column becomes an
`ExportColumn` of its own. Columns are built per export: headers are in the reader's
language, and the running number starts again at 1.
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

from flask_babel import gettext

from app.excel import MAX_WIDTH, ExportColumn, columns_for
from app.ledgers.spec import Computed, Ledger
from app.registry import deadlines
from models.base import current_lang

#: Widths of computed columns by kind, as `columns_for` gives its own.
WIDTHS = {"date": 12, "datetime": 17, "bool": 8, "int": 10, "number": 12, "text": 40}


def display_width(text: str) -> int:
    """Excel column units: a CJK character is about two Latin ones wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def fitted_width(header: str, base: float) -> float:
    """At least wide enough for the header, at most MAX_WIDTH."""
    return max(base, min(MAX_WIDTH, display_width(header) + 2))


def computed_column(column: Computed) -> ExportColumn:
    header = str(column.header)
    value = column.value
    if column.is_serial:
        counter = itertools.count(1)
        value = lambda _record: next(counter)  # noqa: E731  (one call per written row)
    width = column.width or fitted_width(header, WIDTHS.get(column.kind, 16))
    return ExportColumn(name=header, header=header, kind=column.kind, value=value, width=width)


def detail_columns(ledger: Ledger, *, unmasked: bool) -> list[ExportColumn]:
    entity = ledger.entity
    out: list[ExportColumn] = []
    for column in ledger.columns:
        if isinstance(column, Computed):
            out.append(computed_column(column))
        else:
            name = deadlines.shown_columns(entity, [column])[0]
            out.extend(columns_for(ledger.model, [name], unmasked=unmasked))
    return out


def describe(ledger: Ledger) -> str:
    """The headers in one line, for the ledgers page."""
    return ("、" if current_lang() == "zh" else ", ").join(c.header for c in detail_columns(ledger, unmasked=False))


# --- a report ledger's page ------------------------------------------------------------------------------
@dataclass
class Cell:
    text: str
    badge: Optional[str] = None                 # bootstrap label colour: success, warning, danger
    link: Optional[str] = None


def _text(value: Any, kind: str) -> str:
    """A value as the page shows it: amounts with two decimals, dates in ISO form."""
    if value is None:
        return ""
    if kind == "number" and isinstance(value, (int, float, Decimal)):
        return f"{value:,.2f}"
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind == "datetime" and isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if kind == "bool":
        return gettext("Yes") if value else gettext("No")
    return str(value)


@dataclass
class PageColumn:
    """A report ledger's column on its page: the header, the alignment, each row's cell."""

    column: Computed

    @property
    def header(self) -> str:
        return str(self.column.header)

    @property
    def width(self) -> float:
        """Its share of a printed table: the column's Excel width, or one by its kind."""
        return self.column.width or WIDTHS.get(self.column.kind, 16)

    @property
    def right(self) -> bool:
        return self.column.kind in ("int", "number") and not self.column.is_serial

    def cell(self, row: Any, number: int) -> Cell:
        column = self.column
        if column.is_serial:
            return Cell(str(number))
        shown = column.shown(row) if column.shown is not None else column.value(row)
        return Cell(_text(shown, column.kind),
                    column.badge(row) if column.badge is not None else None,
                    column.link(row) if column.link is not None else None)


def page_cells(ledger: Ledger) -> list[PageColumn]:
    return [PageColumn(column) for column in ledger.columns if isinstance(column, Computed)]
