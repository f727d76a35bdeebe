"""Writing a ledger: the detail sheet streamed row by row, then its summary sheets.

Every sheet opens with two title lines — the ledger's title, then the export date, the
filters applied and the unit scope — above a frozen, filtered header row, so the file a
manager hands on says what it is without him typing a word.

`app.excel.SheetWriter` writes the title on row 0 and the header on row 2, and in
xlsxwriter's constant_memory mode a row can no longer be written once a later one has
been; the second title line therefore has to be written between the two, as the title
is written. `_with_subtitle` hands SheetWriter the worksheet with a one-shot hook that
does exactly that and then removes itself (the rows that follow go straight to
xlsxwriter).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.excel import ExportColumn, SheetWriter, new_workbook
from app.ledgers.columns import detail_columns, fitted_width
from app.ledgers.spec import Ledger
from app.ledgers.summary import SummaryTable

#: Summary column widths by kind.
SUMMARY_WIDTHS = {"text": 28, "int": 10, "number": 10, "rate": 12}


class _SubtitledBook:
    """The workbook as SheetWriter sees it, except that the worksheet it adds writes
    `subtitle` on row 1 right after the title on row 0."""

    def __init__(self, workbook, subtitle: str):
        self._workbook, self._subtitle = workbook, subtitle

    def __getattr__(self, name: str) -> Any:
        return getattr(self._workbook, name)

    def add_worksheet(self, name: str | None = None):
        ws = self._workbook.add_worksheet(name)
        subtitle_format = self._workbook.add_format({"italic": True, "font_color": "#555555"})
        subtitle = self._subtitle

        def write_string(row, col, string, cell_format=None):
            del ws.write_string                     # back to xlsxwriter's own method
            result = ws.write_string(row, col, string, cell_format)
            if (row, col) == (0, 0) and subtitle:
                ws.write_string(1, 0, subtitle, subtitle_format)
            return result

        ws.write_string = write_string
        return ws


def _sheet(workbook, name: str, columns: list[ExportColumn], title: str, subtitle: str) -> SheetWriter:
    return SheetWriter(_SubtitledBook(workbook, subtitle), name, columns, title=title)


def _summary_sheet(workbook, table: SummaryTable, subtitle: str, formats: dict) -> None:
    columns = [ExportColumn(name=h, header=h, kind=k, value=None, width=fitted_width(h, SUMMARY_WIDTHS[k]))
               for h, k in zip(table.headers, table.kinds, strict=True)]
    sheet = _sheet(workbook, table.name, columns, table.title, subtitle)
    for row in table.rows:
        _summary_row(sheet, row, table.kinds, formats, total=False)
    sheet.finish()                              # the filter covers the units, not the totals row
    _summary_row(sheet, table.totals, table.kinds, formats, total=True)


def _summary_row(sheet: SheetWriter, values: list[Any], kinds: list[str], formats: dict, *, total: bool) -> None:
    ws, r = sheet.ws, sheet.row
    for c, (value, kind) in enumerate(zip(values, kinds, strict=True)):
        fmt = formats[(kind, total)]
        if value is None:
            if total:
                ws.write_blank(r, c, None, fmt)
        elif kind == "text":
            ws.write_string(r, c, str(value), fmt)
        else:
            ws.write_number(r, c, float(value), fmt)
    sheet.row += 1


def _formats(workbook) -> dict:
    bold = {"bold": True, "top": 1}
    out = {}
    for total in (False, True):
        extra = bold if total else {}
        out[("text", total)] = workbook.add_format(dict(extra))
        out[("int", total)] = workbook.add_format(dict(extra))
        out[("number", total)] = workbook.add_format({"num_format": "0.0", **extra})
        out[("rate", total)] = workbook.add_format({"num_format": "0.0%", **extra})
    return out


def write_ledger(ledger: Ledger, rows: Iterable[Any], *, subtitle: str, unmasked: bool,
                 title: str | None = None) -> tuple[str, int]:
    """Write `rows` (the ledger's records, streamed) into a new workbook: the detail
    sheet, then one sheet per summary. Returns (path, number of detail rows). `title`
    (default: the ledger's) is the title row and the detail sheet's name: a report's
    title for its parameters."""
    workbook, path = new_workbook()
    try:
        title = title or str(ledger.title)
        detail = _sheet(workbook, title, detail_columns(ledger, unmasked=unmasked), title, subtitle)
        tallies = [summary.start() for summary in ledger.summary]
        for record in rows:
            detail.write(record)
            for tally in tallies:
                tally.add(record)
        count = detail.finish()
        formats = _formats(workbook) if tallies else {}
        for tally in tallies:
            _summary_sheet(workbook, tally.table(), subtitle, formats)
        workbook.close()
    except BaseException:
        try:
            workbook.close()
        except Exception:  # the workbook may be what failed
            pass
        Path(path).unlink(missing_ok=True)
        raise
    return path, count
