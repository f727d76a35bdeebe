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

Update and upsert (an entity declaring `import_key`): a row finds its record by the key
among the records the user may see — a key of a record outside his scope is "no record",
as a key of none, so a file cannot probe what he may not read. A found record gets the
row's non-empty cells (an empty cell leaves the field as it is) and then the same rules
as a form save; the records are loaded, changed and flushed in the one transaction of
the import, so each UPDATE carries the `row_version` read at the check (the ORM's
version check): a record someone saves between that read and the write refuses the
whole file, nothing written. A file row cannot know a version, so the version it
changes is the one current when the import reads it. Updates always take the ORM path,
so the save hooks run and the audit trail records each changed field, old and new, as
for a form edit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from flask_babel import gettext
from sqlalchemy import UniqueConstraint, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from app.audit import coded, record_act
from app.importer import historical as stated
from app.importer.children import ChildRows
from app.importer.convert import CellError, converter_for
from app.importer.fields import CUSTOM, ImportField, header_index, normalise, own_import_fields
from app.importer.fixes import Fixes
from app.importer.links import check_links
from app.importer.mapping import automatic
from app.importer.reader import GROUP, TITLE, FileRefused, read_sheet
from app.importer.references import References
from app.lifecycle import needs_records
from app.lifecycle.bulk import insert_many
from app.registry.checks import RuleViolation
from app.registry.checks import problems as rule_problems
from app.registry.scope import scope_condition
from app.registry.spec import Entity
from app.registry.status import log_imported

if TYPE_CHECKING:
    from app.importer.ledger_files import LedgerFile


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
    updated: int = 0
    mode: str = "insert"
    mapping: dict[str, str] = field(default_factory=dict)   # field name -> the file's header it was read from
    refused: Optional[str] = None                 # the file as a whole was refused
    problems: list[Problem] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)
    headers: list[Any] = field(default_factory=list)
    bad_rows: list[tuple[int, list[Any], list[Problem]]] = field(default_factory=list)
    checked_only: bool = False
    header_row: int = 0                           # the file's row number of the header found
    warnings: list[str] = field(default_factory=list)   # what was skipped or ignored, imported or not
    historical: bool = False                      # records in their stated state (app/importer/historical.py)

    @property
    def ok(self) -> bool:
        return self.refused is None and not self.problems


INSERT, UPDATE, UPSERT = "insert", "update", "upsert"
MODES = (INSERT, UPDATE, UPSERT)


def key_fields(entity: Entity) -> list[ImportField]:
    """The importable fields of the entity's `import_key`, or [] (insert only)."""
    if not entity.import_key:
        return []
    by_name = {f.name: f for f in own_import_fields(entity)}
    if not all(name in by_name for name in entity.import_key):
        return []
    return [by_name[name] for name in entity.import_key]


def import_modes(entity: Entity) -> tuple[str, ...]:
    """The modes the import of `entity` offers."""
    return MODES if key_fields(entity) else (INSERT,)


#: Headers of a ledger's running-number column: the file's own row numbers name a row instead.
ROW_NUMBER_HEADERS = {"序号", "序", "编号序号", "no.", "no", "#", "row", "row no."}


class _Headers:
    """The headers the importer knows for an entity: its fields' labels in both languages,
    the export-only columns it skips, a running-number column."""

    def __init__(self, entity: Entity, historical: bool = False):
        self.fields = stated.fields_for(entity, historical)
        self.index, self.skip = header_index(entity, self.fields)
        if historical:                  # the status column: read, no longer skipped
            stated.add_status_words(entity, self.fields, self.index, self.skip)

    def known(self, cell: Any) -> bool:
        key = normalise(cell)
        return key in self.index or key in self.skip or key in ROW_NUMBER_HEADERS


class _Plan:
    """How each file column becomes a field value."""

    historical = False               # records keep their stated state (set by import_file)
    progress = None                  # an import job's progress (set by import_file)

    def __init__(self, entity: Entity, headers: list[Any], session, words: _Headers, mode: str = INSERT,
                 mapping: Optional[dict[int, ImportField]] = None, ledger: Optional[LedgerFile] = None):
        self.entity = entity
        # a ledger's file (app/importer/ledger_files.py): {column key: value} every row takes
        self.fixed = {f.key: value for f, value in ledger.fixed.values()} if ledger else {}
        self.fields = words.fields
        self.mode = mode
        self.keys = key_fields(entity) if mode != INSERT else []
        self.empty: list[set[str]] = []        # update/upsert: each row's empty cells (_convert)
        self.deferred: list[Problem] = []      # upsert: required-but-empty, counted for new rows only
        self.matches: dict[int, Any] = {}      # row index -> the stored record its key names (_match)
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
        self.warnings = [ledger.warning()] if ledger else []
        if numbering:
            self.warnings.append(gettext("The column %(column)s is ignored: rows are named by their row number "
                                         "in the file.", column="、".join(numbering)))
        if unknown:             # a ledger's own columns (是否公开, 时限): not this list's, never a refusal
            self.warnings.append(gettext("Columns this list has no field for were not imported: %(columns)s.",
                                         columns="、".join(unknown)))
        missing_keys = [f for f in self.keys if f.name not in seen]
        if missing_keys:
            raise FileRefused(gettext("The key columns are missing: %(columns)s. Update finds each record by them.",
                                      columns="、".join(f.header(_locale()) for f in missing_keys)))
        # An update names only the key and what changes; an upsert's new rows need what an insert needs.
        missing = [f for f in self.fields if f.required and f.name not in seen and f.key not in self.fixed] \
            if mode != UPDATE else []
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
        self.mapping = {f.name: header for _i, f, header in self.columns}


def _named(named: dict[str, str], words: _Headers, headers: list[Any]) -> dict[int, ImportField]:
    """{column position: field} from a caller's choices {field name: the file's header}: a
    named field is read from its column only, whatever other column's header names it; the
    fields it does not name are mapped as without it."""
    by_name = {f.name: f for f in words.fields}
    unknown = [name for name in named if name not in by_name]
    if unknown:
        raise FileRefused(gettext("The mapping names fields this list does not have: %(fields)s.",
                                  fields="、".join(unknown)))
    position = {}
    for i, header in enumerate(headers):
        position.setdefault(normalise(header), i)
    absent = [header for header in named.values() if normalise(header) not in position]
    if absent:
        raise FileRefused(gettext("The mapping names columns the file does not have: %(columns)s.",
                                  columns="、".join(absent)))
    chosen = {position[normalise(header)]: by_name[name] for name, header in named.items()}
    index = {key: f for key, f in words.index.items() if f.name not in named}
    rest = automatic([h if i not in chosen else "" for i, h in enumerate(headers)], words.fields, index,
                     words.skip, ROW_NUMBER_HEADERS)
    return {**rest, **chosen}


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
    # Update and upsert: which cells were empty (an update leaves those fields as they are), and
    # the required-but-empty problems, which count only for the rows that turn out to be new.
    updating = plan.mode != INSERT
    plan.empty = [set() for _row in rows] if updating else []
    plan.deferred = []
    key_names = {f.key for f in plan.keys}
    for i, key, convert, required, default, header in plan.converters:
        out = []
        append = out.append
        for j, row in enumerate(rows):
            value = row[i] if i < len(row) else ""
            if value == "" or value is None or (value.__class__ is str and not value.strip()):
                if updating:
                    plan.empty[j].add(key)
                    if key in key_names and plan.mode == UPDATE:
                        result.problems.append(Problem(numbers[j], header, "", required_msg))
                    elif required:
                        plan.deferred.append(Problem(numbers[j], header, "", required_msg))
                    append(default)
                    continue
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
        if plan.progress is not None:           # column by column: the rows' share of the columns done
            plan.progress(len(rows) * len(columns) // max(len(plan.converters), 1), "check")
    values = [dict(zip(keys, cells, strict=True)) for cells in zip(*columns, strict=True)]
    if plan.fixed:                   # a ledger's fixed values; an update leaves a found record's as they are
        for row in values:
            row.update(plan.fixed)
        for empty in plan.empty:
            empty.update(plan.fixed)
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
    own = {j: record.id for j, record in plan.matches.items()}   # an updated record may keep its own values
    for keys in _unique_sets(model):
        if not set(keys) <= mapped:
            continue
        header = " + ".join(plan.header_of[k] for k in keys)
        first: dict[tuple, int] = {}
        shown: dict[tuple, str] = {}
        row_of: dict[tuple, int] = {}
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
                first[key], shown[key], row_of[key] = number, as_written, j
        if not first:
            continue
        lead = getattr(model, keys[0])
        existing: dict[tuple, set[int]] = {}
        candidates = list({k[0] for k in first})
        for start in range(0, len(candidates), 500):
            query = select(model.id, *[getattr(model, k) for k in keys]).where(
                lead.in_(candidates[start:start + 500]))
            for found_id, *values in session.execute(query):
                existing.setdefault(tuple(values), set()).add(found_id)
        for key, number in first.items():
            if existing.get(key, set()) - {own.get(row_of[key])}:
                result.problems.append(Problem(number, header, shown[key],
                                               gettext("Already used by an existing record")))


def _shown(cells: tuple, index: int) -> str:
    value = cells[index] if index < len(cells) else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_file(entity: Entity, data: bytes, filename: str, session, *, check_only: bool = False,
                mode: str = INSERT, mapping: Optional[dict[int, ImportField]] = None,
                named: Optional[dict[str, str]] = None, historical: bool = False, progress=None) -> ImportResult:
    """Check the whole file; unless `check_only` or a problem was found, write every row.

    `mode`: insert every row (a key already used is a duplicate), update the records the
    rows' keys name, or upsert (update those found, insert the others). `mapping` ({column
    position: field}, as the clerk chose it on the page) replaces the proposed one; `named`
    ({field name: the file's header}, the import API's) overrides it for the fields it names.
    `historical`: each record keeps the state its row states (app/importer/historical.py;
    the caller has checked the user's right). `progress` (an import job's, app/jobs/runner.py
    `Progress`) is told the rows read, checked and written."""
    if progress is not None:
        progress(0, "read")
    result = ImportResult(filename=filename, checked_only=check_only, mode=mode, historical=historical)
    try:
        if mode not in import_modes(entity):
            raise FileRefused(gettext("This list cannot be imported in the mode %(mode)s.", mode=mode))
        if historical and not stated.offered(entity):
            raise FileRefused(stated.refusal(entity, lambda act: True))
        if historical and mode != INSERT:
            raise FileRefused(gettext("A historical import only adds new records: choose “Add new records”."))
        words = _Headers(entity, historical)
        mapped = {normalise(header) for header in (mapping or {}).values()}
        sheet = read_sheet(data, filename, known=lambda cell: words.known(cell) or normalise(cell) in mapped)
        result.header_row, result.warnings = sheet.header_row, _skipped_rows(sheet)
        if named:
            mapping = _named(named, words, sheet.headers)
        from app.importer.ledger_files import read_as  # a ledger's file: the values its rows take

        plan = _Plan(entity, sheet.headers, session, words, mode, mapping,
                     read_as(entity, sheet, words, mapping, ROW_NUMBER_HEADERS))
        plan.historical = historical
        plan.progress = progress
        if progress is not None:
            progress.total(len(sheet.rows))
    except FileRefused as refusal:
        result.refused = str(refusal)
        _audit(entity, session, result)
        return result
    result.rows, result.headers, result.skipped_columns = len(sheet.rows), sheet.headers, plan.skipped
    result.warnings += plan.warnings
    result.mapping = plan.mapping
    rows = _convert(plan, sheet, result)
    children = ChildRows(plan, sheet, rows, session, result, Problem) if entity.import_children else None
    if historical:
        result.problems += stated.state_problems(entity, plan, sheet, rows, Problem)
    check_links(plan, sheet, rows, session, result, Problem)
    plan.matches = _match(plan, sheet, rows, session, result) if mode != INSERT else {}
    _check_unique(plan, sheet, rows, session, result)
    orm = needs_records(entity) or mode != INSERT or historical or bool(entity.import_children)
    records = _build_records(entity, plan, sheet, rows, session, result, children) if orm else None
    if not result.problems and not check_only:
        writing = None if progress is None else (lambda done: progress(done, "write"))
        if writing is not None:
            writing(0)
        try:
            if orm:
                result.created = _write_records(entity, records, session, historical=historical)
                result.updated = len(plan.matches)
                if writing is not None:
                    writing(len(rows))
            else:
                result.created = insert_many(entity, rows, session, progress=writing)
        except RuleViolation as error:          # a rule checked at flush (a chain, a numbering)
            session.rollback()
            result.created = result.updated = 0
            result.refused = "; ".join(error.messages)
        except StaleDataError:                  # saved by someone else since this import read it
            session.rollback()
            result.created = result.updated = 0
            result.refused = gettext("A record of the file was changed by someone else while it was being "
                                     "imported. Nothing was imported: upload the file again.")
        except SQLAlchemyError:
            from app.registry.refusals import SAVE_FAILED

            session.rollback()
            result.created, result.updated, result.refused = 0, 0, str(SAVE_FAILED)
    else:
        session.rollback()
    if result.problems:
        _collect_bad_rows(sheet, result)
    if (result.created or result.updated) and result.warnings:
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


def _match(plan: _Plan, sheet, rows: list[dict], session, result: ImportResult) -> dict[int, Any]:
    """{row index: the stored record its key names}, among the records the user may see and
    not in the Trash. Update mode: a row whose key names none is a problem — worded the same
    whether no record has the key or one outside the user's scope has it."""
    entity = plan.entity
    model = entity.model
    names = [f.key for f in plan.keys]
    wanted = {j: tuple(values[k] for k in names) for j, values in enumerate(rows)
              if not plan.empty[j] & set(names)}
    wanted = {j: key for j, key in wanted.items() if all(v is not None for v in key)}
    found: dict[tuple, Any] = {}
    condition = scope_condition(entity)
    lead = getattr(model, names[0])
    candidates = sorted({key[0] for key in wanted.values()}, key=str)
    for start in range(0, len(candidates), 500):
        query = select(model).where(lead.in_(candidates[start:start + 500]))
        if entity.is_business:
            query = query.where(model.is_deleted.is_(False))
        if condition is not None:
            query = query.where(condition)
        for record in session.scalars(query):
            found[tuple(getattr(record, k) for k in names)] = record
    matches = {j: found[key] for j, key in wanted.items() if key in found}
    position = {f.key: i for i, f, _h in plan.columns}
    header = " + ".join(plan.header_of[k] for k in names)
    numbers = sheet.row_numbers
    for j in range(len(rows)):
        if j in matches:
            continue
        if plan.mode == UPDATE:
            if j in wanted:
                as_written = " / ".join(_shown(sheet.rows[j], position[k]) for k in names)
                result.problems.append(Problem(numbers[j], header, as_written, gettext(
                    "No record with %(field)s %(value)s that you may change", field=header, value=as_written)))
    if plan.mode == UPSERT:                  # the new rows need what an insert needs
        new = {numbers[j] for j in range(len(rows)) if j not in matches}
        result.problems.extend(p for p in plan.deferred if p.row in new)
    return matches


def _build_records(entity, plan, sheet, rows, session, result, children: Optional[ChildRows] = None) -> list:
    """ORM records of the rows, their rules run as a form save runs them — on a row with a
    bad cell too (that cell left empty), so a rule it breaks is reported now, not after
    the cell is corrected. A row's child records (app/importer/children.py) are built and
    checked on it first, so the record's rules see them. Only rows without problems are
    added to the session."""
    from app.registry.saving import start_workflow

    model = entity.model
    relations = {f.key: f.name for _i, f, _h in plan.columns if f.kind == "relation"}
    targets = {f.key: f.target for _i, f, _h in plan.columns if f.kind == "relation"}
    records = []
    bad = {problem.row for problem in result.problems}
    matches = plan.matches
    fixes = Fixes(entity)
    with session.no_autoflush:
        for j, (number, values) in enumerate(zip(sheet.row_numbers, rows, strict=True)):
            stored = matches.get(j)
            record = model() if stored is None else stored
            empty = plan.empty[j] if stored is not None else ()
            for key, value in values.items():
                if key in empty:                       # an update leaves an empty cell's field as it is
                    continue
                if key in relations:
                    setattr(record, relations[key], None if value is None else session.get(targets[key], value))
                elif key == "custom_fields" and stored is not None:
                    record.custom_fields = {**(stored.custom_fields or {}), **value}
                else:
                    setattr(record, key, value)
            if stored is None and not plan.historical:     # a historical record keeps its stated state
                start_workflow(entity, record)
            fixes.apply(record, number)
            child_problems = children is not None and children.attach(j, number, record, stored is not None, result)
            found = rule_problems(entity.rules, record)
            for message in found:
                result.problems.append(Problem(number, "", "", message))
            if not found and not child_problems and number not in bad and stored is None:
                session.add(record)
                records.append(record)
    result.warnings += fixes.warnings()
    return records


def _write_records(entity, records, session, *, historical: bool = False) -> int:
    from app.workflow import engine as workflow

    session.flush()
    if entity.workflow is not None:
        log = log_imported if historical else workflow.log_initial
        for record in records:
            log(entity, record, session)
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
    elif result.historical:
        detail = coded("import_historical", file=result.filename, rows=result.created)
    elif result.updated:
        detail = coded("import_updated", file=result.filename, rows=result.created, updated=result.updated)
    else:
        detail = coded("import_done", file=result.filename, rows=result.created)
    record_act(session, "IMPORT", entity.name, detail=detail)
    session.commit()


