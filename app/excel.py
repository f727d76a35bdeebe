"""Streaming Excel export.

Rows come from the database in chunks (`yield_per`) and go straight into xlsxwriter's
`constant_memory` mode, so memory stays flat whatever the row count. Text is written
with `write_string` (a title starting with '=' stays text: no formula injection),
dates as real Excel dates, lookups as their label in the reader's language.

Two ways in:

- `SheetWriter.write(obj)` / `export_rows(...)`: one ORM object per row, a Python getter
  per cell. Simple, for reports of a few thousand rows (ledgers, summaries).
- `export_list(...)`: a list's whole result, the fast path. It selects only the
  exported columns from the list's own query (its filters, order and department scope
  stay), maps lookup codes through one dict and related records through an id→label
  cache filled by one `IN` query per chunk, and writes each column with the xlsxwriter
  call chosen once for its kind. The time goes into xlsxwriter, not into the ORM.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter
from flask_babel import gettext
from sqlalchemy import String, type_coerce
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.sqlite import base as sqlite_types
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from app.custom_fields import cell as custom_cell
from app.custom_fields import definition_of
from app.masking import mask_value, sensitive_columns
from app.registry.introspect import kind_of, label_of, lookup_of
from app.registry.loads import list_loads
from models.lookups import lookup_label, lookup_table

MAX_WIDTH = 60
#: Wall-clock zone the office works in: an aware datetime is shown in it (xlsxwriter
#: refuses aware datetimes; the stored ones are naive Xiamen time already).
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
#: Rows per chunk of the fast path when the caller does not say.
CHUNK_ROWS = 500
#: Related records' labels kept at most (a relation to a big table must not grow memory).
LABEL_CACHE_MAX = 50_000
#: Ids per `IN (...)` of the per-chunk look-ups (below every backend's bind limit).
IN_BATCH = 900

#: A cell writer: (row, col, value) -> xlsxwriter's return code.
CellWriter = Callable[[int, int, Any], Any]


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


def _custom_getter(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda obj: convert(getattr(obj, "custom_fields", None))


def _masking(getter: Callable[[Any], Any], mask: str) -> Callable[[Any], Any]:
    return lambda obj: mask_value(getter(obj), mask)


def columns_for(model, names: Iterable[str], *, unmasked: bool = False) -> list[ExportColumn]:
    """The export's columns; sensitive ones masked (docs/domain.md §9) unless `unmasked`."""
    cols = []
    sensitive = {} if unmasked else sensitive_columns(model)
    for name in names:
        custom = definition_of(model, name)
        if custom is not None:                   # an admin-defined field (app/custom_fields.py)
            kind, convert = custom_cell(custom)
            header = custom.label
            cols.append(ExportColumn(name, header, kind, _custom_getter(convert),
                                     max(16, min(MAX_WIDTH, _display_width(header) + 2))))
            continue
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


def naive_local(value: dt.datetime) -> dt.datetime:
    """An aware datetime as Xiamen wall-clock time without tzinfo (what Excel shows)."""
    return value if value.tzinfo is None else value.astimezone(LOCAL_ZONE).replace(tzinfo=None)


#: Excel's day 0 (1900 date system); days after 1900-02-28 count Excel's phantom 1900-02-29.
_EXCEL_EPOCH = dt.date(1899, 12, 31).toordinal()


def excel_date(value: dt.date) -> int:
    """A date as Excel's serial day number (what xlsxwriter's write_datetime stores)."""
    days = value.toordinal() - _EXCEL_EPOCH
    return days + 1 if days > 59 else days


def excel_datetime(value: dt.date) -> float:
    """A datetime (aware ones in Xiamen time) as Excel's serial number: day plus fraction."""
    if not isinstance(value, dt.datetime):
        return excel_date(value)
    value = naive_local(value)
    serial = value.toordinal() - _EXCEL_EPOCH + (
        value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    return serial + 1 if serial > 59 else serial


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
        """Any value, its type found out per cell (the slow, general path)."""
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_string(r, c, gettext("Yes") if value else gettext("No"))
        elif isinstance(value, dt.datetime):
            ws.write_datetime(r, c, naive_local(value), self.fmt_datetime)
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, value, self.fmt_date)
        elif isinstance(value, (int, float, Decimal)):
            ws.write_number(r, c, float(value))
        else:
            ws.write_string(r, c, str(value))

    def cell_writer(self, kind: str) -> CellWriter:
        """The xlsxwriter call for a column of `kind`, chosen once for the whole column.
        The value it receives is already the cell's final value (a label, a masked text)."""
        ws = self.ws
        if kind in ("date", "datetime"):
            # the serial number write_datetime would compute, computed 20 times faster: the
            # cell in the file is the same (a number with a date format)
            write_number = ws.write_number
            serial, fmt = (excel_date, self.fmt_date) if kind == "date" else (excel_datetime, self.fmt_datetime)
            return lambda r, c, value: write_number(r, c, serial(value), fmt)
        if kind == "int":
            return ws.write_number
        if kind == "number":
            write_number = ws.write_number
            return lambda r, c, value: write_number(r, c, float(value))
        if kind in ("string", "text", "lookup", "relation", "relations", "bool"):
            return ws.write_string      # these values are text already (a label, a masked value)
        return lambda r, c, value: self._cell(ws, r, c, kind, value)

    def write_rows(self, rows: Iterable[Sequence[Any]], cells: Sequence[tuple[int, Any, CellWriter]]) -> None:
        """The fast path's inner loop: for each row, each cell is `put(row[index])`, passed
        through `convert` first when there is one. Blank values leave the cell empty."""
        r = self.row
        for row in rows:
            for c, (index, convert, put) in enumerate(cells):
                value = row[index]
                if value is None:
                    continue
                if convert is not None:
                    value = convert(value)
                    if value is None:
                        continue
                if value != "":
                    put(r, c, value)
            r += 1
        self.row = r

    def finish(self) -> int:
        """Autofilter over what was written; returns the number of data rows."""
        last_col = max(len(self.columns) - 1, 0)
        self.ws.autofilter(self.header_row, 0, max(self.row - 1, self.header_row), last_col)
        return self.row - self.header_row - 1


def new_workbook() -> tuple[xlsxwriter.Workbook, str]:
    handle = tempfile.NamedTemporaryFile(prefix="export-", suffix=".xlsx", delete=False)
    handle.close()
    wb = xlsxwriter.Workbook(handle.name, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False, "strings_to_numbers": False,
                                          "remove_timezone": True})
    return wb, handle.name


def export_rows(model, names: list[str], rows: Iterable[Any], sheet_name: str,
                title: str | None = None, *, unmasked: bool = False) -> tuple[str, int]:
    """Write `rows` (ORM objects) of `model` into a new workbook; returns (path, row count)."""
    wb, path = new_workbook()
    sheet = SheetWriter(wb, sheet_name, columns_for(model, names, unmasked=unmasked), title=title)
    for obj in rows:
        sheet.write(obj)
    count = sheet.finish()
    wb.close()
    return path, count


# --- the fast path: selected columns, not ORM objects ------------------------------------------
def lookup_labels(category: str) -> dict[str, str]:
    """{code: label in the current language} of a lookup category, read once per export."""
    return {row.code: row.label for row in lookup_table().get(category, [])}


def _in_batches(ids: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(ids), IN_BATCH):
        yield ids[start:start + IN_BATCH]


class _RelationLabels:
    """id → label of a many-to-one relation's targets. Each chunk asks once, with one
    `IN` query, for the ids it has not seen yet; the cache is dropped when it grows past
    LABEL_CACHE_MAX, so a relation to a big table keeps memory bounded."""

    def __init__(self, session, target, index: int):
        self.session, self.target, self.index = session, target, index
        self.pk = sa_inspect(target).primary_key[0]
        self.labels: dict[Any, str] = {}
        # what the target's label names (a request's applicant), read with the targets
        self.options = list_loads(target, getattr(target, "__str_reads__", ()))

    def prefetch(self, chunk: list) -> None:
        i = self.index
        wanted = {row[i] for row in chunk}
        wanted.discard(None)
        missing = [pk for pk in wanted if pk not in self.labels]
        if not missing:
            return
        if len(self.labels) + len(missing) > LABEL_CACHE_MAX:
            self.labels.clear()
            missing = list(wanted)
        for batch in _in_batches(missing):
            for obj in self.session.query(self.target).filter(self.pk.in_(batch)).options(*self.options):
                self.labels[getattr(obj, self.pk.key)] = str(obj)

    def convert(self, pk: Any) -> str | None:
        return self.labels.get(pk)


class _ChunkObjects:
    """The chunk's ORM objects, for the columns only Python can compute (properties such
    as the deadline light, many-valued relations): one query per chunk, with the relations
    those columns read (app/registry/loads.py) — not every collection of the model: a
    hotline export loaded all 18,000 actions of its 3,000 cases for a light and a label."""

    def __init__(self, session, model, index: int, shown: Sequence[str]):
        self.session, self.model, self.index = session, model, index
        self.pk = sa_inspect(model).primary_key[0]
        self.options = list_loads(model, shown)
        self.objects: dict[Any, Any] = {}

    def prefetch(self, chunk: list) -> None:
        i = self.index
        ids = [row[i] for row in chunk]
        self.objects = {}
        for batch in _in_batches(ids):
            query = self.session.query(self.model).filter(self.pk.in_(batch)).options(*self.options)
            self.objects.update((getattr(obj, self.pk.key), obj) for obj in query)

    def getter(self, get: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """A converter from the selected primary key to `get(object)`."""
        return lambda pk: get(self.objects[pk])


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):               # not what SQLAlchemy writes: let it parse
        return _SQLITE_DATE(text)


def _iso_datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return _SQLITE_DATETIME(text)


_SQLITE_DATE = sqlite_types.DATE().result_processor(sqlite_dialect(), None)
_SQLITE_DATETIME = sqlite_types.DATETIME().result_processor(sqlite_dialect(), None)


def _compose(first: Callable | None, then: Callable | None) -> Callable | None:
    if first is None:
        return then
    if then is None:
        return first
    return lambda value: then(first(value))


def _labelled_relation(mapper, name: str):
    """The many-to-one relation `name` on one foreign key, whose labels are looked up by
    id per chunk (`_RelationLabels`), or None: the column comes from the chunk's objects."""
    rel = mapper.relationships.get(name)
    if rel is not None and not rel.uselist and rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1:
        return rel
    return None


class QueryPlan:
    """What the fast path selects and how each selected value becomes a cell value.

    `entities` are the SQL expressions to select (the primary key first); `cells` are,
    per exported column, (index in the selected row, converter or None, kind of writer).
    `prefetch(chunk)` runs the per-chunk look-ups (related labels, ORM objects) before
    the chunk's rows are written."""

    def __init__(self, model, names: Sequence[str], session, *, unmasked: bool = False):
        self.model, self.session = model, session
        mapper = sa_inspect(model)
        self.entities: list[Any] = [mapper.primary_key[0]]
        self.cells: list[tuple[int, Callable | None, str]] = []
        self._relations: dict[str, _RelationLabels] = {}
        self._objects: _ChunkObjects | None = None
        self._custom_index: int | None = None
        # SQLite keeps dates as ISO text: `fromisoformat` reads it five times faster than
        # SQLAlchemy's regular-expression processor (a tenth of a large export's time)
        self._dates_as_text = session.get_bind().dialect.name == "sqlite"
        # The columns read from the chunk's objects (not those a label look-up serves), with
        # the relations each declares it reads loaded alongside (app/registry/loads.py).
        shown = [name for name in names if name not in mapper.columns and definition_of(model, name) is None
                 and _labelled_relation(mapper, name) is None]
        sensitive = {} if unmasked else sensitive_columns(model)
        yes, no = gettext("Yes"), gettext("No")
        for name in names:
            custom = definition_of(model, name)
            if custom is not None:               # one selected JSON column serves every custom field
                kind, convert = custom_cell(custom)
                if self._custom_index is None:
                    self._custom_index = self._select(model.custom_fields)
                self.cells.append((self._custom_index, convert, kind))
                continue
            kind = kind_of(model, name)
            index, convert = self._source(mapper, name, kind, shown)
            if kind == "lookup":
                convert = _compose(convert, self._label_of(lookup_of(model, name)))
            elif kind == "bool":
                convert = _compose(convert, {True: yes, False: no}.get)
            if name in sensitive:
                mask = sensitive[name]
                convert = _compose(convert, lambda value, mask=mask: mask_value(value, mask))
                kind = "string"
            self.cells.append((index, convert, kind))

    @staticmethod
    def _label_of(category: str) -> Callable[[Any], Any]:
        labels = lookup_labels(category)
        return lambda code: labels.get(code, code)

    def _select(self, expression) -> int:
        self.entities.append(expression)
        return len(self.entities) - 1

    def _source(self, mapper, name: str, kind: str, shown: list[str]) -> tuple[int, Callable | None]:
        """Where the column's value comes from: a selected column, a related label keyed
        by the selected foreign key, or the chunk's ORM object."""
        if name in mapper.columns:
            column = getattr(self.model, name)
            if self._dates_as_text and kind in ("date", "datetime"):
                return self._select(type_coerce(column, String)), _iso_date if kind == "date" else _iso_datetime
            return self._select(column), None
        rel = _labelled_relation(mapper, name)
        if rel is not None:
            fk = next(iter(rel.local_columns))
            index = self._select(getattr(self.model, mapper.get_property_by_column(fk).key))
            labels = self._relations[name] = _RelationLabels(self.session, rel.mapper.class_, index)
            return index, labels.convert
        if self._objects is None:
            self._objects = _ChunkObjects(self.session, self.model, 0, shown)
        getter = _getter(self.model, name, kind if kind in ("relation", "relations") else "plain")
        return 0, self._objects.getter(getter)

    def prefetch(self, chunk: list) -> None:
        for labels in self._relations.values():
            labels.prefetch(chunk)
        if self._objects is not None:
            self._objects.prefetch(chunk)

    def chunks(self, query, size: int) -> Iterator[list]:
        """The query's rows, only the planned columns, `size` at a time, looked-up."""
        rows = iter(query.with_entities(*self.entities).yield_per(size))
        while chunk := list(islice(rows, size)):
            self.prefetch(chunk)
            yield chunk


def export_list(model, names: Sequence[str], query, sheet_name: str, title: str | None = None, *,
                unmasked: bool = False, chunk_rows: int = CHUNK_ROWS,
                progress: Callable[[int], None] | None = None, notes: Sequence[str] = ()) -> tuple[str, int]:
    """Write every row of `query` (an ORM query of `model`, filtered, ordered and scoped
    as the list is) into a new workbook through the fast path; returns (path, row count).
    `progress` hears the rows written so far after each chunk (a job's progress bar).
    `notes`: lines about what the export holds (the 内部 records it left out), on a second
    sheet — the first stays the list as it imports back."""
    plan = QueryPlan(model, names, query.session, unmasked=unmasked)
    wb, path = new_workbook()
    try:
        sheet = SheetWriter(wb, sheet_name, columns_for(model, names, unmasked=unmasked), title=title)
        cells = [(index, convert, sheet.cell_writer(kind)) for index, convert, kind in plan.cells]
        written = 0
        for chunk in plan.chunks(query, chunk_rows):
            sheet.write_rows(chunk, cells)
            written += len(chunk)
            if progress is not None:
                progress(written)
        count = sheet.finish()
        if notes:
            write_notes(wb, notes)
        wb.close()
    except BaseException:
        _discard(wb, path)
        raise
    return path, count


def write_notes(wb: xlsxwriter.Workbook, notes: Sequence[str]) -> None:
    """A sheet of notes about the export after its data sheet (“说明” / “Notes”)."""
    ws = wb.add_worksheet(safe_sheet_name(gettext("Notes")))
    ws.set_column(0, 0, 100)
    for row, note in enumerate(notes):
        ws.write_string(row, 0, note)


def _discard(wb: xlsxwriter.Workbook, path: str) -> None:
    """A failed export leaves no half-written file behind."""
    try:
        wb.close()
    except Exception:  # the workbook may be what failed
        pass
    Path(path).unlink(missing_ok=True)
