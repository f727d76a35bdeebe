"""What a workbook unpacks to, known before calamine parses it.

An xlsx is a zip of XML parts, and calamine holds what it parses in memory: a 2 MB file
of one row repeated a million times (a zip bomb) took the server from 357 MB to 2.4 GB,
and a 5 KB file with one cell in A1 and one in ALL100000 makes calamine allocate the
whole 100,000 x 1,000 rectangle between them (3 GB). So, before parsing:

  - the parts: at most IMPORT_MAX_ENTRIES, only stored or deflated (what every
    spreadsheet program writes), none unpacking to more than IMPORT_MAX_RATIO times its
    packed size, all together to at most IMPORT_MAX_UNCOMPRESSED_MB as declared;
  - the declared sizes are not trusted: every part is inflated here, in 1 MB steps
    counted as they come, and the file is refused the moment a part outgrows its
    declared size or the parts outgrow the limit (memory stays at one step);
  - while inflating, the sheets are scanned for the rectangle their cells span (what
    calamine will allocate) and the shared-strings part for how many texts it holds,
    both at most IMPORT_MAX_CELLS.

Inflating costs about a tenth of calamine's parse; the scan a third of it
(bench/import_limits.py).
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext

from app.importer.errors import FileRefused

MB = 1024 * 1024
#: Inflated per step; also the most the check holds at once.
STEP = MB
#: Parts smaller than this unpacked are not held to the ratio (a few KB of styles or
#: an empty sheet compress far better than rows do, and cannot hurt).
RATIO_FLOOR = MB
STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED

SHEET_PART = re.compile(r"^xl/(worksheets|dialogsheets|macrosheets)/[^/]+\.xml$", re.IGNORECASE)
SHARED_STRINGS_PART = re.compile(r"^xl/sharedStrings\.xml$", re.IGNORECASE)

#: The usual writing of cells and rows (Excel, WPS, LibreOffice, xlsxwriter, openpyxl):
#: `<row r="12" ...>` and `<c r="AB12" ...>`, the reference first. Literal starts make
#: these scans run at memory speed.
USUAL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
USUAL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
#: Any writing (slow, for the unusual files only).
CELL_COLUMN = re.compile(rb'\sr=["\']([A-Z]{1,3})[0-9]')
ROW_NUMBER = re.compile(rb'\sr=["\'][A-Z]{0,3}([0-9]{1,9})["\']')
CELL_TAG = re.compile(rb'<(?:[\w.-]{1,32}:)?c[\s>/]')
ROW_TAG = re.compile(rb'<(?:[\w.-]{1,32}:)?row[\s>/]')
ROW_WITH_NUMBER = re.compile(rb'<(?:[\w.-]{1,32}:)?row\s[^>]*?\br=')
SHARED_STRING = re.compile(rb'<(?:[\w.-]{1,32}:)?si[\s>/]')


def limits() -> tuple[int, int, int, int]:
    """(entries, unpacked bytes, ratio, cells) from the configuration."""
    config = current_app.config
    return (config["IMPORT_MAX_ENTRIES"], config["IMPORT_MAX_UNCOMPRESSED_MB"] * MB,
            config["IMPORT_MAX_RATIO"], config["IMPORT_MAX_CELLS"])


def unreadable() -> FileRefused:
    return FileRefused(gettext("The workbook cannot be read; it may be damaged or password-protected."))


def too_big(limit: int) -> FileRefused:
    return FileRefused(gettext("The workbook unpacks to more than %(mb)d MB; split the rows into smaller files "
                               "and upload them one by one.", mb=limit // MB))


def check_workbook(data: bytes) -> None:
    """Refuse, with the reason in the user's language, a workbook whose parts are more
    than the server will unpack; return quietly otherwise."""
    max_entries, max_bytes, max_ratio, max_cells = limits()
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable() from None
    if len(infos) > max_entries:
        raise FileRefused(gettext("The workbook is made of more than %(n)d parts, which no spreadsheet "
                                  "program writes; it is not imported.", n=max_entries))
    if sum(info.file_size for info in infos) > max_bytes:
        raise too_big(max_bytes)
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (STORED, DEFLATED):
            raise unreadable()
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise FileRefused(gettext("A part of the workbook unpacks to more than %(ratio)d times its "
                                      "packed size, which no real spreadsheet does; it is not imported.",
                                      ratio=max_ratio))
    budget = max_bytes
    for info in infos:
        scanner = _scanner_for(info.filename, max_cells)
        budget -= _inflate(data, info, budget, scanner)
        if scanner is not None:
            scanner.finish()


def _scanner_for(name: str, max_cells: int):
    if SHEET_PART.match(name):
        return SheetExtent(max_cells)
    if SHARED_STRINGS_PART.match(name):
        return TextCount(max_cells)
    return None


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: int, scanner) -> int:
    """Inflate one part step by step, feeding `scanner`; its real unpacked size."""
    raw = _packed(data, info)
    if info.compress_type == STORED:
        if len(raw) != info.file_size:
            raise unreadable()
        if len(raw) > budget:
            raise too_big(limits()[1])
        for start in range(0, len(raw), STEP):
            if scanner is not None:
                scanner.feed(bytes(raw[start:start + STEP]))
        return len(raw)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    pending = raw
    try:
        while True:
            out = inflater.decompress(pending, STEP)
            pending = inflater.unconsumed_tail
            size += len(out)
            if size > info.file_size:         # a header lying about the size
                raise unreadable()
            if size > budget:
                raise too_big(limits()[1])
            if out and scanner is not None:
                scanner.feed(out)
            if inflater.eof or (not pending and not out):
                break
    except zlib.error:
        raise unreadable() from None
    if size != info.file_size:
        raise unreadable()
    return size


def _packed(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The part's packed bytes, located from its local header (not copied)."""
    start = info.header_offset
    header = data[start:start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise unreadable()
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    if begin + info.compress_size > len(data):
        raise unreadable()
    return memoryview(data)[begin:begin + info.compress_size]


@dataclass
class _Extent:
    rows: int = 0            # the highest row number reached
    columns: int = 0         # the highest column number reached


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class SheetExtent:
    """The rectangle a sheet's cells span, as calamine will allocate it, read from the
    sheet's XML as it is inflated: the highest row and column its cell references name,
    plus cells and rows written without a reference (placed one after another)."""

    def __init__(self, max_cells: int):
        self.max_cells = max_cells
        self.extent = _Extent()
        self.tail = b""
        self.open_row_cells = 0         # unreferenced cells of the row a step ended in
        self.widest_unreferenced = 0
        self.unreferenced_rows = 0

    def feed(self, chunk: bytes) -> None:
        text = self.tail + chunk
        cut = text.rfind(b">") + 1          # scan whole tags only; the rest waits for the next step
        self.tail, text = text[cut:], text[:cut]
        if len(self.tail) > STEP:           # one tag longer than a step: not a spreadsheet
            raise unreadable()
        columns = USUAL_COLUMN.findall(text)
        # every "<c" a usual cell or another element (<col>, <cfRule>), every "<row" a usual
        # row, no prefixed tag: then the usual scan saw every cell
        usual = (text.count(b"<c") == len(columns) + text.count(b"<co") + text.count(b"<cf")
                 and text.count(b"<row") == text.count(b'<row r="') + text.count(b"<rowB")
                 and b":c" not in text and b":row" not in text)
        if usual:
            self._reach(columns, USUAL_ROW.findall(text))
            self.open_row_cells = 0
        else:
            self._scan_any(text)
        self._check()

    def _reach(self, columns: list[bytes], rows: list[bytes]) -> None:
        if columns:
            widest = max(set(columns), key=lambda c: (len(c), c))
            self.extent.columns = max(self.extent.columns, column_number(widest))
        if rows:
            self.extent.rows = max(self.extent.rows, max(map(int, set(rows))))

    def _scan_any(self, text: bytes) -> None:
        """Any writing XML allows: references in either quotes after any attribute,
        namespace prefixes, rows and cells without a reference."""
        columns = CELL_COLUMN.findall(text)
        self._reach(columns, ROW_NUMBER.findall(text))
        rows = len(ROW_TAG.findall(text))
        self.unreferenced_rows += rows - len(ROW_WITH_NUMBER.findall(text))
        if len(CELL_TAG.findall(text)) > len(columns):
            self._count_unreferenced(text)
        elif rows:
            self.open_row_cells = 0

    def _count_unreferenced(self, text: bytes) -> None:
        """Cells without a reference go one after another: the widest row of them."""
        for i, piece in enumerate(ROW_TAG.split(text)):
            if i > 0:
                self.open_row_cells = 0
            cells = len(CELL_TAG.findall(piece)) - len(CELL_COLUMN.findall(piece))
            self.open_row_cells += max(cells, 0)
            self.widest_unreferenced = max(self.widest_unreferenced, self.open_row_cells)

    def _check(self) -> None:
        rows = self.extent.rows + self.unreferenced_rows
        columns = self.extent.columns + self.widest_unreferenced
        if rows * columns > self.max_cells:
            raise FileRefused(gettext(
                "The sheet spans %(rows)d rows by %(columns)d columns, more than the %(cells)d cells one "
                "import reads; delete what lies far below or right of the rows, or split the file.",
                rows=rows, columns=columns, cells=self.max_cells))

    def finish(self) -> None:
        self._check()


class TextCount:
    """How many texts the shared-strings part holds: calamine keeps each one."""

    def __init__(self, max_cells: int):
        self.max_cells = max_cells
        self.count = 0
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        text = self.tail + chunk
        cut = text.rfind(b">") + 1
        self.tail, text = text[cut:], text[:cut]
        self.count += len(SHARED_STRING.findall(text))
        if self.count > self.max_cells:
            raise FileRefused(gettext("The workbook holds more than %(cells)d texts, more than one import "
                                      "reads; split the file.", cells=self.max_cells))

    def finish(self) -> None:
        """Nothing is left to count: a text is counted at its start tag."""
