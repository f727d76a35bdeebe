"""Reading an uploaded workbook: refuse what is not a usable xlsx before any row is looked at.

What the workbook unpacks to is checked before calamine parses it (app/importer/unpack.py):
a zip bomb is refused at a few MB of memory, not after gigabytes. The rows are then read
one by one, each a tuple of values shared within its column, and the workbook closed:
what stays in memory for the checks and writes is a third of what calamine's lists were
(bench/import_limits.py has the numbers)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from python_calamine import CalamineWorkbook

from app.importer.errors import FileRefused
from app.importer.unpack import check_workbook
from app.settings import setting

#: The sheet of the template that holds the rows; other sheets (instructions) are skipped.
DATA_SHEET_NAMES = {"data", "数据"}


@dataclass
class Sheet:
    headers: list[Any]
    rows: list[tuple[Any, ...]]    # data rows, blank rows dropped
    row_numbers: list[int]         # the Excel row number of each data row
    header_row: int                # Excel row number of the header


def check_size(data: bytes) -> None:
    limit = setting("IMPORT_MAX_MB")
    if len(data) > limit * 1024 * 1024:
        raise FileRefused(gettext("The file is larger than %(mb)d MB; split it into smaller files.", mb=limit))


def read_sheet(data: bytes, filename: str) -> Sheet:
    if not data:
        raise FileRefused(gettext("The file is empty."))
    check_size(data)
    if not filename.lower().endswith(".xlsx") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileRefused(gettext("This is not an Excel workbook (.xlsx). Save the file as .xlsx and upload it again."))
    check_workbook(data)
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            names = book.sheet_names
            name = next((n for n in names if n.strip().casefold() in DATA_SHEET_NAMES), names[0] if names else None)
            if name is None:
                raise FileRefused(gettext("The workbook has no sheet."))
            headers, header_row, rows, numbers = _rows(book.get_sheet_by_name(name))
    except FileRefused:
        raise
    except Exception:  # calamine raises its own errors for a damaged or encrypted file
        raise FileRefused(gettext("The workbook cannot be read; it may be damaged or password-protected.")) from None
    if headers is None:
        raise FileRefused(gettext("The file holds no rows."))
    if not rows:
        raise FileRefused(gettext("The file has a header row but no data rows."))
    limit = setting("IMPORT_MAX_ROWS")
    if len(rows) > limit:
        raise FileRefused(gettext("The file has %(rows)d rows; at most %(limit)d can be imported at once.",
                                  rows=len(rows), limit=limit))
    return Sheet(headers, rows, numbers, header_row)


#: Cell values kept once however often a column repeats them (a unit, a gender, a date):
#: calamine makes a new object per cell. Not numbers: 1, 1.0 and True are equal keys.
SHARED_KINDS = frozenset({str, dt.date, dt.datetime})
#: After this many rows a column whose values are mostly distinct (names, ID numbers)
#: stops being looked up: its table would cost more than it saves.
SAMPLE_ROWS = 2000


def _rows(sheet) -> tuple[list[Any] | None, int, list[tuple[Any, ...]], list[int]]:
    """(header, its Excel row number, the filled rows after it, their row numbers).

    Row by row (`iter_rows` starts at the sheet's first row, so the numbers are Excel's),
    each kept as a tuple of shared values: a 200,000-row staff list is held in 70 MB
    instead of 210 MB (bench/import_limits.py)."""
    headers, header_row, rows, numbers = None, 0, [], []
    shared: dict[int, dict] = {}
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if not _filled_row(row):
            continue
        if headers is None:
            headers, header_row = row, number
            shared = {i: {} for i in range(len(row))}
            continue
        for i, memo in shared.items():
            value = row[i]
            if value.__class__ in SHARED_KINDS:
                row[i] = memo.setdefault(value, value)
        rows.append(tuple(row))
        numbers.append(number)
        if len(rows) == SAMPLE_ROWS:
            shared = {i: memo for i, memo in shared.items() if len(memo) * 2 < SAMPLE_ROWS}
    return headers, header_row, rows, numbers


def _filled_row(row: list[Any]) -> bool:
    """calamine gives "" for an empty cell; counting them runs in C, which matters at 100,000 rows."""
    return row.count("") != len(row)
