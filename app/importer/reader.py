"""Reading an uploaded workbook: refuse what is not a usable xlsx before any row is looked at."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from python_calamine import CalamineWorkbook

from app.settings import setting

#: The sheet of the template that holds the rows; other sheets (instructions) are skipped.
DATA_SHEET_NAMES = {"data", "数据"}


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, in the user's language."""


@dataclass
class Sheet:
    headers: list[Any]
    rows: list[list[Any]]          # data rows, blank rows dropped
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
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        name = next((n for n in names if n.strip().casefold() in DATA_SHEET_NAMES), names[0] if names else None)
        if name is None:
            raise FileRefused(gettext("The workbook has no sheet."))
        cells = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except FileRefused:
        raise
    except Exception:  # calamine raises its own errors for a damaged or encrypted file
        raise FileRefused(gettext("The workbook cannot be read; it may be damaged or password-protected.")) from None
    start = next((i for i, row in enumerate(cells) if _filled_row(row)), None)
    if start is None:
        raise FileRefused(gettext("The file holds no rows."))
    headers = list(cells[start])
    rows, numbers = [], []
    for i in range(start + 1, len(cells)):
        row = cells[i]
        if _filled_row(row):
            rows.append(row)
            numbers.append(i + 1)
    if not rows:
        raise FileRefused(gettext("The file has a header row but no data rows."))
    limit = setting("IMPORT_MAX_ROWS")
    if len(rows) > limit:
        raise FileRefused(gettext("The file has %(rows)d rows; at most %(limit)d can be imported at once.",
                                  rows=len(rows), limit=limit))
    return Sheet(headers, rows, numbers, start + 1)


def _filled_row(row: list[Any]) -> bool:
    """calamine gives "" for an empty cell; counting them runs in C, which matters at 100,000 rows."""
    return row.count("") != len(row)
