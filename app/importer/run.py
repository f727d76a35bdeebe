"""Validate every row, then write all of them in one transaction — or none.

Two ways to write, one set of checks, both the save lifecycle's (app/lifecycle/__init__.py):
  - entities whose declaration names rules or save hooks (chains, numbering, defaults)
    are built as ORM records, so the rules and hooks run exactly as on a form save;
  - the others go in through the lifecycle's bulk path (app/lifecycle/bulk.py: one
    multi-row INSERT with the audit and status-log rows a flush would write), which is
    what lets 100,000 rows import in seconds (bench/import_speed.py).
Either way a file with one bad cell writes nothing and the report names every problem of
every row in one pass: a row with a bad cell still has its other cells, its uniqueness
and its rules checked, so a clerk corrects the file once, not once per kind of check. And
either way every link a row sets is checked against the user's scope in bulk
(app/importer/links.py) before anything is built or written: the bulk path builds no
records for the `links_in_scope` rule to run on.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from flask_babel import gettext
from sqlalchemy import UniqueConstraint, select
from sqlalchemy.exc import SQLAlchemyError

from app.audit import coded, record_act
from app.importer.convert import CellError, converter_for
from app.importer.fields import CUSTOM, ImportField, header_index, import_fields, normalise
from app.importer.links import check_links
from app.importer.mapping import automatic
from app.importer.reader import GROUP, TITLE, FileRefused, read_sheet
from app.importer.references import References
from app.lifecycle import needs_records
from app.lifecycle.bulk import insert_many
from app.registry.checks import RuleViolation
from app.registry.checks import problems as rule_problems
from app.registry.spec import Entity


@dataclass
class Problem:
    row: int                 # Excel row number (the header is row 1 in the template)
    column: str              # the header as written in the file, or "" for the whole record
    value: Any
    reason: str


@dataclass
class ImportResult:
    filename: str
    rows: int = 0
    created: int = 0
    refused: Optional[str] = None                 # the file as a whole was refused
    problems: list[Problem] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    headers: list[Any] = field(default_factory=list)
    bad_rows: list[tuple[int, list[Any], list[Problem]]] = field(default_factory=list)
    checked_only: bool = False
    header_row: int = 0                           # the file's row number of the header found
    warnings: list[str] = field(default_factory=list)   # what was skipped or ignored, imported or not

    @property
    def ok(self) -> bool:
        return self.refused is None and not self.problems


#: Headers of a ledger's running-number column: the file's own row numbers name a row instead.
ROW_NUMBER_HEADERS = {"序号", "序", "编号序号", "no.", "no", "#", "row", "row no."}


class _Headers:
    """The headers the importer knows for an entity: its fields' labels in both languages,
    the export-only columns it skips, a running-number column."""

    def __init__(self, entity: Entity):
        self.fields = import_fields(entity)
        self.index, self.skip = header_index(entity, self.fields)

    def known(self, cell: Any) -> bool:
        key = normalise(cell)
        return key in self.index or key in self.skip or key in ROW_NUMBER_HEADERS


class _Plan:
    """How each file column becomes a field value."""

    def __init__(self, entity: Entity, headers: list[Any], session, words: _Headers,
                 mapping: Optional[dict[int, ImportField]] = None):
        self.entity = entity
        self.fields = words.fields
        skip = words.skip
        if mapping is None:          # no mapping chosen on the page: the proposed one (app/importer/mapping.py)
            mapping = automatic(headers, self.fields, words.index, skip, ROW_NUMBER_HEADERS)
        self.columns: list[tuple[int, ImportField, str]] = []
        unknown, seen, skipped, numbering = [], {}, [], []
        for i, header in enumerate(headers):
            key = normalise(header)
            if i in mapping:
                f = mapping[i]
                seen[f.name] = header
                self.columns.append((i, f, str(header).strip()))
            elif not key:
                continue
            elif key in skip:
                skipped.append(str(header).strip())
            elif key in ROW_NUMBER_HEADERS:
                numbering.append(str(header).strip())
            else:
                unknown.append(str(header).strip())
        self.warnings = []
        if numbering:
            self.warnings.append(gettext("The column %(column)s is ignored: rows are named by their row number "
                                         "in the file.", column="、".join(numbering)))
        if unknown:             # a ledger's own columns (是否公开, 时限): not this list's, never a refusal
            self.warnings.append(gettext("Columns this list has no field for were not imported: %(columns)s.",
                                         columns="、".join(unknown)))
        missing = [f for f in self.fields if f.required and f.name not in seen]
        if missing:
            raise FileRefused(gettext("Required columns are missing: %(columns)s.",
                                      columns="、".join(f.header(_locale()) for f in missing)))
        if not self.columns:
            raise FileRefused(gettext("No column of the file is one this list takes."))
        self.skipped = skipped
        references = References(session)
        self.converters = [(i, f.key, converter_for(entity.model, f, references), f.required, f.default, header)
                           for i, f, header in self.columns]
        self.header_of = {f.key: header for _i, f, header in self.columns}


def _locale() -> str:
    from app.importer.template import locale_code

    return locale_code()


def _convert(plan: _Plan, sheet, result: ImportResult) -> list[dict]:
    """Each row's values, a bad cell's value None (its problem recorded), so the row's
    other checks still run on what is good in it.

    Column by column: one converter runs down one column, which keeps the per-cell cost
    to the conversion itself (at 100,000 rows the loop overhead is what shows)."""
    required_msg = gettext("Required, but the cell is empty")
    numbers, rows = sheet.row_numbers, sheet.rows
    keys, columns = [], []
    for i, key, convert, required, default, header in plan.converters:
        out = []
        append = out.append
        for j, row in enumerate(rows):
            value = row[i] if i < len(row) else ""
            if value == "" or value is None or (value.__class__ is str and not value.strip()):
                if required:
                    result.problems.append(Problem(numbers[j], header, "", required_msg))
                append(default)
                continue
            try:
                append(convert(value))
            except CellError as error:
                result.problems.append(Problem(numbers[j], header, value, str(error)))
                append(None)
        keys.append(key)
        columns.append(out)
    values = [dict(zip(keys, cells, strict=True)) for cells in zip(*columns, strict=True)]
    custom = [k for k in keys if k.startswith(CUSTOM)]
    if custom:                       # admin-defined fields go into the row's JSON column
        for row in values:
            row["custom_fields"] = {k[len(CUSTOM):]: _custom_json(row.pop(k)) for k in custom
                                    if row.get(k) is not None}
    return values


def _custom_json(value: Any) -> Any:
    """JSON-native, as app.custom_fields stores a form's value."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _unique_sets(model) -> list[tuple[str, ...]]:
    table = model.__table__
    sets = [(c.key,) for c in table.columns if c.unique and not c.primary_key]
    sets += [tuple(c.key for c in con.columns) for con in table.constraints if isinstance(con, UniqueConstraint)]
    return sets


def _check_unique(plan: _Plan, sheet, rows: list[dict], session, result: ImportResult) -> None:
    """A value that must be unique may appear once in the file and not yet in the table.

    The report shows the cells as the file has them (人大代表建议, a unit's name), not the
    codes and ids they became."""
    model = plan.entity.model
    mapped = {f.key for _i, f, _h in plan.columns}
    position = {f.key: i for i, f, _h in plan.columns}
    for keys in _unique_sets(model):
        if not set(keys) <= mapped:
            continue
        header = " + ".join(plan.header_of[k] for k in keys)
        first: dict[tuple, int] = {}
        shown: dict[tuple, str] = {}
        for j, (number, values) in enumerate(zip(sheet.row_numbers, rows, strict=True)):
            key = tuple(values[k] for k in keys)
            if any(v is None or v == "" for v in key):
                continue
            cells = sheet.rows[j]
            as_written = " / ".join(_shown(cells, position[k]) for k in keys)
            if key in first:
                result.problems.append(Problem(number, header, as_written,
                                               gettext("Same as row %(row)d: must be unique", row=first[key])))
            else:
                first[key], shown[key] = number, as_written
        if not first:
            continue
        lead = getattr(model, keys[0])
        existing: set[tuple] = set()
        candidates = list({k[0] for k in first})
        for start in range(0, len(candidates), 500):
            query = select(*[getattr(model, k) for k in keys]).where(lead.in_(candidates[start:start + 500]))
            existing.update(tuple(r) for r in session.execute(query))
        for key, number in first.items():
            if key in existing:
                result.problems.append(Problem(number, header, shown[key],
                                               gettext("Already used by an existing record")))


def _shown(cells: tuple, index: int) -> str:
    value = cells[index] if index < len(cells) else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_file(entity: Entity, data: bytes, filename: str, session, *, check_only: bool = False,
                mapping: Optional[dict[int, ImportField]] = None) -> ImportResult:
    """Check the whole file; unless `check_only` or a problem was found, write every row.
    `mapping` ({column position: field}, as the clerk chose it) replaces the proposed one."""
    result = ImportResult(filename=filename, checked_only=check_only)
    try:
        words = _Headers(entity)
        sheet = read_sheet(data, filename, known=words.known)
        result.header_row, result.warnings = sheet.header_row, _skipped_rows(sheet)
        plan = _Plan(entity, sheet.headers, session, words, mapping)
    except FileRefused as refusal:
        result.refused = str(refusal)
        _audit(entity, session, result)
        return result
    result.rows, result.headers, result.skipped_columns = len(sheet.rows), sheet.headers, plan.skipped
    result.warnings += plan.warnings
    rows = _convert(plan, sheet, result)
    check_links(plan, sheet, rows, session, result, Problem)
    _check_unique(plan, sheet, rows, session, result)
    orm = needs_records(entity)
    records = _build_records(entity, plan, sheet, rows, session, result) if orm else None
    if not result.problems and not check_only:
        try:
            result.created = _write_records(entity, records, session) if orm else insert_many(entity, rows, session)
        except RuleViolation as error:          # a rule checked at flush (a chain, a numbering)
            session.rollback()
            result.created, result.refused = 0, "; ".join(error.messages)
        except SQLAlchemyError:
            from app.registry.refusals import SAVE_FAILED

            session.rollback()
            result.created, result.refused = 0, str(SAVE_FAILED)
    else:
        session.rollback()
    if result.problems:
        _collect_bad_rows(sheet, result)
    if result.created and result.warnings:
        _tell(result.warnings)
    _audit(entity, session, result)
    return result


def _tell(warnings: list[str]) -> None:
    """A written import goes on to the list page, which shows flashed messages, not the
    result: say there what was skipped (a title row, 序号, a ledger's own columns), so the
    clerk knows nothing of his was silently lost. A page showing the result lists them itself."""
    from flask import flash, has_request_context

    if has_request_context():
        for warning in warnings:
            flash(warning, "info")


def _skipped_rows(sheet) -> list[str]:
    """The rows above the header, said in the report so the clerk sees they were not lost."""
    out = []
    for number, kind in sheet.skipped_rows:
        if kind == TITLE:
            out.append(gettext("Row %(row)d is a title: skipped.", row=number))
        elif kind == GROUP:
            out.append(gettext("Row %(row)d is a group header: read with the header in row %(header)d.",
                               row=number, header=sheet.header_row))
        else:
            out.append(gettext("Row %(row)d is a note above the header: skipped.", row=number))
    return out


def _build_records(entity, plan, sheet, rows, session, result) -> list:
    """ORM records of the rows, their rules run as a form save runs them — on a row with a
    bad cell too (that cell left empty), so a rule it breaks is reported now, not after
    the cell is corrected. Only rows without problems are added to the session."""
    from app.registry.saving import start_workflow

    model = entity.model
    relations = {f.key: f.name for _i, f, _h in plan.columns if f.kind == "relation"}
    targets = {f.key: f.target for _i, f, _h in plan.columns if f.kind == "relation"}
    records = []
    bad = {problem.row for problem in result.problems}
    with session.no_autoflush:
        for number, values in zip(sheet.row_numbers, rows, strict=True):
            record = model()
            for key, value in values.items():
                if key in relations:
                    setattr(record, relations[key], None if value is None else session.get(targets[key], value))
                else:
                    setattr(record, key, value)
            start_workflow(entity, record)
            found = rule_problems(entity.rules, record)
            for message in found:
                result.problems.append(Problem(number, "", "", message))
            if not found and number not in bad:
                session.add(record)
                records.append(record)
    return records


def _write_records(entity, records, session) -> int:
    from app.workflow import engine as workflow

    session.flush()
    if entity.workflow is not None:
        for record in records:
            workflow.log_initial(entity, record, session)
    return len(records)


def _collect_bad_rows(sheet, result: ImportResult) -> None:
    by_row: dict[int, list[Problem]] = {}
    for problem in result.problems:
        by_row.setdefault(problem.row, []).append(problem)
    position = {number: i for i, number in enumerate(sheet.row_numbers)}
    result.problems.sort(key=lambda p: p.row)
    result.bad_rows = [(number, sheet.rows[position[number]], found) for number, found in sorted(by_row.items())]


def _audit(entity, session, result: ImportResult) -> None:
    if result.refused:     # the reason is a sentence already, in the importing user's language
        detail = coded("import_refused", file=result.filename, reason=str(result.refused)[:1500])
    elif result.problems:
        detail = coded("import_problems", file=result.filename, rows=result.rows, problems=len(result.problems))
    elif result.checked_only:
        detail = coded("import_checked", file=result.filename, rows=result.rows)
    else:
        detail = coded("import_done", file=result.filename, rows=result.created)
    record_act(session, "IMPORT", entity.name, detail=detail)
    session.commit()


