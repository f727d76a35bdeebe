"""Which file column fills which field: proposed, shown to the clerk, changed by him, remembered.

The proposal, in order: the mapping the user confirmed last time for this entity, when
every column it named is in the file (models/import_mappings.py); otherwise each header
by a field's label in either language, its column name or a synonym the entity's
declaration gives it (`register(..., synonyms=...)`: the paper ledger's words); then,
for the headers still unplaced, the closest unplaced field's label or synonym if it is
close enough (FUZZY_CUTOFF): 办理时限要求 finds 办理时限, while 是否公开 stays out.

The file waits between the mapping step and the check in the import directory under a
random token the user's session holds (`keep_upload`): the form names the token, never a
path, and a token of another user's session is no file at all.
"""
from __future__ import annotations

import difflib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from flask import session as web_session
from flask_babel import gettext
from sqlalchemy import select

from app.importer.errors import FileRefused
from app.importer.fields import ImportField, normalise

#: How alike (difflib's ratio, 0..1) a header and a field's label must be to be proposed.
#: 0.8 takes two characters added to a four-character header (办理时限要求 ~ 办理时限) and
#: leaves a ledger's own columns unplaced — also "Appeal category", a joined path of the
#: three "Appeal category (level n)" fields (0.75), which no one of them can take.
FUZZY_CUTOFF = 0.8
#: Uploads waiting for their mapping a user may have in his session.
KEPT_UPLOADS = 5


def automatic(headers: list[Any], fields: list[ImportField], index: dict[str, ImportField],
              skip: set[str] = frozenset(), ignore: set[str] = frozenset(), *,
              strict: bool = True) -> dict[int, ImportField]:
    """{column position: field}: exact words first, then the closest words for what is
    left. A field two columns name exactly (牵头单位 and 责任单位) is refused when `strict`
    (an import without the mapping step cannot know which one is meant); for the mapping
    step the first is proposed and the clerk decides."""
    chosen: dict[int, ImportField] = {}
    seen: dict[str, Any] = {}
    loose: list[int] = []
    for i, header in enumerate(headers):
        key = normalise(header)
        if not key or key in skip or key in ignore:
            continue
        f = index.get(key)
        if f is None:
            loose.append(i)
            continue
        if f.name in seen:
            if not strict:
                continue
            raise FileRefused(gettext("The column %(column)s appears twice.", column=header))
        seen[f.name] = header
        chosen[i] = f
    words: dict[str, ImportField] = {k: f for k, f in index.items() if f.name not in seen}
    for i in loose:
        best = difflib.get_close_matches(normalise(headers[i]), list(words), n=1, cutoff=FUZZY_CUTOFF)
        if best:
            f = words[best[0]]
            chosen[i] = f
            words = {k: g for k, g in words.items() if g is not f}
    return chosen


# --- the remembered mapping --------------------------------------------------------------------------
def remembered(entity, headers: list[Any], fields: list[ImportField], db_session) -> Optional[dict[int, ImportField]]:
    """The user's last confirmed mapping for the entity, placed on this file's columns, if
    every column it named is in the file and every field it names is still importable."""
    from app.audit import current_username
    from models.import_mappings import ImportMapping

    row = db_session.scalar(select(ImportMapping).where(ImportMapping.username == current_username(),
                                                        ImportMapping.entity == entity.name))
    if row is None or not row.columns:
        return None
    position = {normalise(h): i for i, h in enumerate(headers) if normalise(h)}
    by_name = {f.name: f for f in fields}
    out = {}
    for name, header in row.columns.items():
        if name not in by_name or header not in position:
            return None
        out[position[header]] = by_name[name]
    return out


def remember(entity, headers: list[Any], chosen: dict[int, ImportField], db_session) -> None:
    """Keep the user's confirmed mapping for his next file (committed with the import's audit)."""
    from app.audit import current_username
    from models.import_mappings import ImportMapping

    username = current_username()
    row = db_session.scalar(select(ImportMapping).where(ImportMapping.username == username,
                                                        ImportMapping.entity == entity.name))
    if row is None:
        row = ImportMapping(username=username, entity=entity.name)
        db_session.add(row)
    row.columns = {f.name: normalise(headers[i]) for i, f in chosen.items()}
    db_session.commit()


def from_form(form, headers: list[Any], fields: list[ImportField], *, complete: bool = True,
              fixed: Optional[Callable[[dict[int, ImportField]], set[str]]] = None) -> dict[int, ImportField]:
    """The mapping the clerk sent: `map-<field>` = a column's position or "" (not
    imported). A field that is not importable, a position that is not a column of the
    file, a column given to two fields or (when `complete`: the rows may add records) a
    required field left out is refused; an update needs only its key and what changes.
    `fixed(chosen)` names the fields a ledger's file fills for every row
    (app/importer/ledger_files.py: a 收文登记簿's direction): they need no column."""
    by_name = {f.name: f for f in fields}
    chosen: dict[int, ImportField] = {}
    for key in form:
        if not key.startswith("map-"):
            continue
        name, value = key[4:], form.get(key, "").strip()
        if name not in by_name:
            raise FileRefused(gettext("The field %(field)s cannot be imported.", field=name))
        if value == "":
            continue
        if not value.isdigit() or int(value) >= len(headers) or not normalise(headers[int(value)]):
            raise FileRefused(gettext("The chosen column is not one of the file's columns."))
        if int(value) in chosen:
            raise FileRefused(gettext("The column %(column)s is chosen for two fields.",
                                      column=str(headers[int(value)]).strip()))
        chosen[int(value)] = by_name[name]
    placed = {f.name for f in chosen.values()}
    missing = [f for f in fields if f.required and f.name not in placed] if complete else []
    if missing and fixed is not None:
        exempt = fixed(chosen)
        missing = [f for f in missing if f.name not in exempt]
    if missing:
        from app.importer.template import locale_code

        raise FileRefused(gettext("Choose a column for every required field: %(fields)s.",
                                  fields="、".join(f.header(locale_code()) for f in missing)))
    return chosen


# --- the file between the steps ----------------------------------------------------------------------
def _upload_path(token: str) -> Optional[str]:
    from app.importer.report import report_dir

    if not token or not all(ch.isalnum() or ch in "-_" for ch in token):
        return None
    return os.path.join(report_dir(), f"upload-{token}.xlsx")


def keep_upload(entity, data: bytes, filename: str) -> str:
    """Store the uploaded file for the mapping step; the token goes in the user's session."""
    token = secrets.token_urlsafe(16)
    with open(_upload_path(token), "wb") as out:
        out.write(data)
    kept = [k for k in web_session.get("import_uploads", []) if k[0] != token]
    web_session["import_uploads"] = ([[token, entity.name, filename]] + kept)[:KEPT_UPLOADS]
    return token


def kept_upload(entity, token: str) -> Optional[tuple[bytes, str]]:
    """(data, file name) of an upload this user's session kept for this entity, or None."""
    for kept_token, name, filename in web_session.get("import_uploads", []):
        if kept_token == token and name == entity.name:
            path = _upload_path(token)
            if path and os.path.exists(path):
                with open(path, "rb") as handle:
                    return handle.read(), filename
    return None


def forget_upload(token: str) -> None:
    path = _upload_path(token)
    if path and os.path.exists(path):
        os.unlink(path)
    web_session["import_uploads"] = [k for k in web_session.get("import_uploads", []) if k[0] != token]


# --- the mapping step --------------------------------------------------------------------------------
@dataclass
class Proposal:
    """What the mapping step shows: the file's columns with a sample value each, and for
    each importable field the column proposed (or chosen) for it."""

    token: str
    filename: str
    header_row: int
    columns: list[tuple[int, str, str]]                      # (position, header, sample value)
    fields: list[tuple[ImportField, Optional[int]]]          # (field, column position or None)
    remembered: bool = False
    ledger: Optional[str] = None             # read as a ledger's file: which, and the values every row takes

    def sample(self, position: Optional[int]) -> str:
        return next((s for i, _h, s in self.columns if i == position), "")


def _sample(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "year") and hasattr(value, "isoformat"):
        value = value.isoformat().replace("T00:00:00", "").replace("T", " ")
    text = str(value).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def propose(entity, data: bytes, filename: str, token: str, db_session,
            chosen: Optional[dict[int, ImportField]] = None, historical: bool = False) -> Proposal:
    """The mapping step for a kept upload: the clerk's `chosen` mapping if he sent one,
    else his remembered one, else the automatic one. A file the reader refuses raises
    FileRefused, as an import of it would. A historical import (app/importer/historical.py)
    also maps the status column, and is proposed automatically: the remembered mapping is
    an ordinary import's, without it."""
    from app.importer.reader import read_sheet
    from app.importer.run import ROW_NUMBER_HEADERS, _Headers

    words = _Headers(entity, historical)
    sheet = read_sheet(data, filename, known=words.known)
    headers = sheet.headers
    was_remembered = False
    if chosen is None and not historical:
        chosen = remembered(entity, headers, words.fields, db_session)
        was_remembered = chosen is not None
    if chosen is None:
        chosen = automatic(headers, words.fields, words.index, words.skip, ROW_NUMBER_HEADERS, strict=False)
    columns = []
    for i, header in enumerate(headers):
        if not normalise(header):
            continue
        sample = next((row[i] for row in sheet.rows if i < len(row) and str(row[i]).strip()), "")
        columns.append((i, str(header).strip(), _sample(sample)))
    position = {f.name: i for i, f in chosen.items()}
    from app.importer.ledger_files import read_as  # a ledger's file: say which, and what its rows take

    ledger = read_as(entity, sheet, words, chosen)
    return Proposal(token=token, filename=filename, header_row=sheet.header_row, columns=columns,
                    fields=[(f, position.get(f.name)) for f in words.fields], remembered=was_remembered,
                    ledger=ledger.warning() if ledger else None)


def fixed_fields(entity, data: bytes, filename: str, chosen: dict[int, ImportField]) -> set[str]:
    """The fields a kept upload fills for every row with the clerk's `chosen` mapping,
    being a ledger's file (app/importer/ledger_files.py)."""
    from app.importer.ledger_files import read_as
    from app.importer.reader import read_sheet
    from app.importer.run import _Headers

    words = _Headers(entity)
    found = read_as(entity, read_sheet(data, filename, known=words.known), words, chosen)
    return set(found.fixed) if found else set()
