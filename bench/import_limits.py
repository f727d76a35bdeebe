"""Import limits: what an uploaded workbook costs the server before and while it is read.

Each case runs `app.importer.reader.read_sheet` (the unpack check, then calamine) in a
forked child and reports its peak RSS growth (VmHWM over the RSS at start) and time:

  - zip bombs of 2 MB and 23 MB (one sheet part of repeated rows), with honest sizes in
    the zip's headers and with lying ones (small sizes declared, the rows still inside);
  - a 5 KB sheet with one cell in A1 and one in ALL100000 (calamine would allocate the
    rectangle between them, 3 GB);
  - a zip of 2,000 parts;
  - staff lists of 100,000 rows x 12 columns (the row limit) and 125,000 x 12 (the cell
    limit, IMPORT_MAX_CELLS), read as they are imported, and read the former way
    (`to_python`, lists, no check) for comparison; 200,000 x 12 is refused by the cell
    scan before calamine starts.

    .venv/bin/python bench/import_limits.py

Numbers vary by machine; the refusals must stay far under the issue's 200 MB.
"""
from __future__ import annotations

import functools
import io
import random
import struct
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import in_child, log

#: The bomb's row: no row or cell references, so each copy is the next row for calamine,
#: and identical copies deflate about 1,000:1.
ROW = ('<row><c t="inlineStr"><is><t>姓名重复的一行</t></is></c><c t="inlineStr"><is><t>男</t></is></c>'
       '<c><v>1</v></c></row>')
SHELL = [
    ("[Content_Types].xml",
     '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
     'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
     'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
     'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
     '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
     'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    ("_rels/.rels",
     '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
     '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
     'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    ("xl/workbook.xml",
     '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
     '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
     '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    ("xl/_rels/workbook.xml.rels",
     '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
     '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
     'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
]
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def _zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate stream, crc, declared size) parts, written by hand so a
    part can be any deflate stream and declare any size (zipfile compresses itself)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, raw, crc, size in parts:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(raw), size,
                              len(encoded), 0) + encoded + raw)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(raw),
                                  size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start, directory = out.tell(), central.getvalue()
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), start, 0))
    return out.getvalue()


def _deflated(text: str) -> tuple[bytes, int, int]:
    data = text.encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def bomb(packed_mb: float, lying: bool) -> bytes:
    """A workbook whose sheet is one row repeated until the sheet part packs to
    `packed_mb`; honest sizes are capped at the 4 GB a plain zip header holds. The
    repeated block is deflated once with a full flush (which makes it independent of
    what precedes it) and the copies concatenated: a valid deflate stream of gigabytes
    built in a second. Its CRC is not computed (a reader stops long before it would
    compare it)."""
    block = ROW * 16_000                                                # ~2 MB of rows
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(block.encode()) + packer.flush(zlib.Z_FULL_FLUSH)
    copies = max(1, int(packed_mb * 2**20 / len(piece)))
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = (head.compress(SHEET_HEAD.encode()) + head.flush(zlib.Z_FULL_FLUSH) + piece * copies
           + zlib.compressobj(9, zlib.DEFLATED, -15).flush())
    size = min(len(block.encode()) * copies, 2**32 - 1)
    if lying:                            # declared as an ordinary sheet: ratio 20, far under the limits
        size = len(raw) * 20
    parts = [(name, *_deflated(text)) for name, text in SHELL]
    return _zip(parts + [("xl/worksheets/sheet1.xml", raw, 0, size)])


def sparse() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, ["姓名", "性别"])
    sheet.write(99_999, 999, "x")
    book.close()
    return out.getvalue()


def many_parts(count: int = 2000) -> bytes:
    parts = [(name, *_deflated(text)) for name, text in SHELL]
    parts += [(f"xl/media/image{i}.xml", *_deflated("<x/>")) for i in range(count)]
    return _zip(parts)


@functools.cache
def legit(rows: int) -> bytes:
    """A staff list as clerks keep them, 12 columns: names, ID and phone numbers mostly
    distinct, dates as dates, the coded columns and units repeating."""
    import datetime as dt

    import xlsxwriter

    from bench.common import GIVEN, PLACES, POSTS, REMARKS, SURNAMES

    rnd = random.Random(1)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("数据")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["姓名", "性别", "民族", "出生日期", "身份证号", "籍贯", "政治面貌", "学历", "单位",
                           "职务", "手机号码", "备注"])
    for r in range(1, rows + 1):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(14_000))
        sheet.write_row(r, 0, [rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN), rnd.choice("男女"),
                               "汉族", None, f"350203{born:%Y%m%d}{rnd.randrange(10**4):04d}",
                               rnd.choice(PLACES), rnd.choice(["中共党员", "群众", "共青团员"]),
                               rnd.choice(["大学本科", "硕士研究生", "大专"]), f"第{rnd.randrange(40)}处",
                               rnd.choice(POSTS), f"138{rnd.randrange(10**8):08d}", rnd.choice(REMARKS)])
        sheet.write_datetime(r, 3, dt.datetime(born.year, born.month, born.day), day)
    book.close()
    return out.getvalue()


def _app():
    from app import create_app

    return create_app(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="bench" * 8)


def _read(app, data: bytes, former: bool = False):
    def measure(memory):
        from flask_babel import force_locale

        from app.importer.reader import FileRefused, read_sheet

        with app.test_request_context(), force_locale("en"):
            memory.start()
            started = time.perf_counter()
            try:
                if former:
                    from python_calamine import CalamineWorkbook

                    cells = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(
                        skip_empty_area=False)
                    outcome = f"read {len(cells) - 1:,} rows (lists)"
                else:
                    outcome = f"read {len(read_sheet(data, 'bench.xlsx').rows):,} rows"
            except FileRefused as refusal:
                outcome = f"refused: {refusal}"
            return time.perf_counter() - started, memory.peak_mb(), outcome
    return measure


def run() -> list[tuple[str, float, float, float, str]]:
    app = _app()
    cases = [
        ("zip bomb 2 MB, honest sizes", lambda: bomb(2, False), False),
        ("zip bomb 2 MB, lying sizes", lambda: bomb(2, True), False),
        ("zip bomb 23 MB, honest sizes", lambda: bomb(23, False), False),
        ("zip bomb 23 MB, lying sizes", lambda: bomb(23, True), False),
        ("cells in A1 and ALL100000", sparse, False),
        ("2,000 parts", many_parts, False),
        ("100,000 rows x 12", lambda: legit(100_000), False),
        ("100,000 rows x 12, former read (to_python)", lambda: legit(100_000), True),
        ("125,000 rows x 12 (the cell limit)", lambda: legit(125_000), False),
        ("200,000 rows x 12", lambda: legit(200_000), False),
        ("200,000 rows x 12, former read (to_python)", lambda: legit(200_000), True),
    ]
    out = []
    for name, make, former in cases:
        log(f"import limits: {name}")
        data = make()
        seconds, peak, outcome = in_child(_read(app, data, former))
        out.append((name, len(data) / 2**20, seconds, peak, outcome))
    return out


if __name__ == "__main__":
    print("| file | size | time | peak RSS growth | outcome |")
    print("|---|---:|---:|---:|---|")
    for name, size, seconds, peak, outcome in run():
        print(f"| {name} | {size:.1f} MB | {seconds:.2f} s | {peak:.0f} MB | {outcome[:140]} |")
