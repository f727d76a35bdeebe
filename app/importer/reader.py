"""Reading an uploaded workbook: refuse what is not a usable xlsx before any row is looked at.

What the workbook unpacks to is checked before calamine parses it (app/importer/unpack.py):
a zip bomb is refused at a few MB of memory, not after gigabytes. The rows are then read
one by one, each a tuple of values shared within its column, and the workbook closed:
what stays in memory for the checks and writes is a third of what calamine's lists were
(bench/import_limits.py has the numbers).

A ledger kept by hand seldom starts with its header: a title (2026年建议办理统计表) and a
note (填报单位、日期) come first, and a group header (办理单位 over 主办单位 | 协办单位,
merged cells) may sit above the field row. The header is the row among the first
HEADER_SEARCH filled rows that names the most of the entity's fields, the row above it
joined in where it is a group header; the rows above are skipped and named in the report.
Row numbers stay the file's own."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from python_calamine import CalamineWorkbook

from app.importer.errors import FileRefused
from app.importer.unpack import check_workbook
from app.settings import setting

#: The sheet of the template that holds the rows; other sheets (instructions) are skipped.
DATA_SHEET_NAMES = {"data", "数据"}


#: How many filled rows at the top of a sheet may come before (and include) the header.
HEADER_SEARCH = 10

#: What a row skipped above the header was.
TITLE, NOTE, GROUP = "title", "note", "group"


@dataclass
class Sheet:
    headers: list[Any]
    rows: list[tuple[Any, ...]]    # data rows, blank rows dropped
    row_numbers: list[int]         # the Excel row number of each data row
    header_row: int                # Excel row number of the header
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)   # (row number, TITLE/NOTE/GROUP) above it
    name: str = ""                 # the sheet's name (a ledger export names it after the ledger)
    above: list[str] = field(default_factory=list)   # the text of each row above the header (its title, notes)


def check_size(data: bytes) -> None:
    limit = setting("IMPORT_MAX_MB")
    if len(data) > limit * 1024 * 1024:
        raise FileRefused(gettext("The file is larger than %(mb)d MB; split it into smaller files.", mb=limit))


def read_sheet(data: bytes, filename: str, known: Callable[[Any], bool] | None = None) -> Sheet:
    """The data sheet's header and rows. `known(cell)` says whether a cell names a column
    the importer knows (a field's label, a column it skips): the header is the row with
    the most such cells; without it, the first filled row."""
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
            headers, header_row, rows, numbers, skipped, above = _rows(book.get_sheet_by_name(name), known)
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
    return Sheet(headers, rows, numbers, header_row, skipped, name=str(name), above=above)


def count_rows(data: bytes, filename: str) -> int:
    """The rows the data sheet spans (its header and any title rows included): enough to tell
    a file for the job queue from one imported at once. 0 for a file that cannot be read —
    the import says why."""
    if not data or not filename.lower().endswith(".xlsx") or not zipfile.is_zipfile(io.BytesIO(data)):
        return 0
    try:
        check_size(data)
        check_workbook(data)
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            names = book.sheet_names
            name = next((n for n in names if n.strip().casefold() in DATA_SHEET_NAMES), names[0] if names else None)
            return book.get_sheet_by_name(name).height if name is not None else 0
    except Exception:  # refused or damaged: the import itself reports it
        return 0


#: Cell values kept once however often a column repeats them (a unit, a gender, a date):
#: calamine makes a new object per cell. Not numbers: 1, 1.0 and True are equal keys.
SHARED_KINDS = frozenset({str, dt.date, dt.datetime})
#: After this many rows a column whose values are mostly distinct (names, ID numbers)
#: stops being looked up: its table would cost more than it saves.
SAMPLE_ROWS = 2000


def _rows(sheet, known=None):
    """(header, its Excel row number, the filled rows after it, their row numbers, the
    rows skipped above the header, the text of each of those rows).

    Row by row (`iter_rows` starts at the sheet's first row, so the numbers are Excel's),
    each kept as a tuple of shared values: a 200,000-row staff list is held in 70 MB
    instead of 210 MB (bench/import_limits.py). The first HEADER_SEARCH filled rows are
    held until the header is chosen among them."""
    top: list[tuple[int, list[Any]]] = []
    headers, header_row, skipped, rows, numbers = None, 0, [], [], []
    shared: dict[int, dict] = {}

    def keep(number: int, row: list[Any]) -> None:
        for i, memo in shared.items():
            if i < len(row):
                value = row[i]
                if value.__class__ in SHARED_KINDS:
                    row[i] = memo.setdefault(value, value)
        rows.append(tuple(row))
        numbers.append(number)
        if len(rows) == SAMPLE_ROWS:
            for i in [i for i, memo in shared.items() if len(memo) * 2 >= SAMPLE_ROWS]:
                del shared[i]

    rest = iter(enumerate(sheet.iter_rows(), start=1))
    for number, row in rest:
        if _filled_row(row):
            top.append((number, row))
            if len(top) == HEADER_SEARCH:
                break
    if not top:
        return None, 0, [], [], [], []
    at, headers, group = find_header(top, known)
    header_row = top[at][0]
    shared = {i: {} for i in range(len(headers))}
    skipped = [(number, GROUP if group and j == at - 1 else _kind(row, j))
               for j, (number, row) in enumerate(top[:at])]
    above = [" ".join(str(cell).strip() for cell in row if cell != "") for _number, row in top[:at]]
    for number, row in top[at + 1:]:
        keep(number, row)
    for number, row in rest:
        if _filled_row(row):
            keep(number, row)
    return headers, header_row, rows, numbers, skipped, above


def _kind(row: list[Any], position: int) -> str:
    """The first row of a sheet, alone in its row, is its title; the others say something about it."""
    return TITLE if position == 0 and len(row) - row.count("") == 1 else NOTE


def _count(row: list[Any], known) -> int:
    return sum(1 for cell in row if cell != "" and known(cell))


def joined(upper: list[Any], lower: list[Any]) -> list[Any]:
    """A two-row header as one: the field row's cell, or where it is empty (a cell merged
    down from the row above: 序号, 标题) the group row's."""
    width = max(len(upper), len(lower))
    upper = list(upper) + [""] * (width - len(upper))
    lower = list(lower) + [""] * (width - len(lower))
    return [low if low != "" else up for up, low in zip(upper, lower, strict=True)]


def _is_group(upper: list[Any], lower: list[Any], known) -> bool:
    """The row above a header is part of it when it fills columns the header leaves empty
    (cells merged across both rows) and names a column itself, or has several cells."""
    fills_gap = any(up != "" and (i >= len(lower) or lower[i] == "") for i, up in enumerate(upper))
    filled = len(upper) - upper.count("")
    return fills_gap and (_count(upper, known) > 0 or filled >= 2)


def find_header(top: list[tuple[int, list[Any]]], known) -> tuple[int, list[Any], bool]:
    """(position of the header among `top`, the header's cells, whether the row above is
    joined in). Most known cells wins; on a tie the lower row, which has the fields under
    their groups."""
    if known is None:
        return 0, top[0][1], False
    best, best_score = (0, top[0][1], False), _count(top[0][1], known)
    for j, (number, row) in enumerate(top):
        score = _count(row, known)
        if score > best_score:
            best, best_score = (j, row, False), score
        if j and score and top[j - 1][0] == number - 1 and _is_group(top[j - 1][1], row, known):
            both = joined(top[j - 1][1], row)
            score = _count(both, known)
            if score >= best_score:
                best, best_score = (j, both, True), score
    return best


def _filled_row(row: list[Any]) -> bool:
    """calamine gives "" for an empty cell; counting them runs in C, which matters at 100,000 rows."""
    return row.count("") != len(row)
