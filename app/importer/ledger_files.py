"""A ledger's file imported into its entity's list (issue 18, item 2).

A ledger with a fixed filter is a view of its entity (the 收文登记簿 reads the documents
whose direction is 收文), so its export has no column for what the filter fixes: every
row of it is incoming. A clerk exports the 收文登记簿, corrects it, and uploads it on the
Documents import page; the importer must know that its rows are incoming documents
without asking. It recognises the ledger the file is, and each row takes the ledger's
fixed values for the fields no column of the file fills:

  1. by its title: the sheet's name or a row above the header (the title row every
     ledger export writes, and the one a clerk's own ledger has: 2025年收文登记簿) names
     the ledger — its title in either language, or one of the other names its
     declaration gives it (`register_ledger(..., names=...)`: 收文登记表). A name run
     into the first character of a sibling's (收发文登记簿: 收 + 发文登记簿) names a
     register of both, and neither ledger;
  2. otherwise by its columns: the file fills fields that only one of the entity's
     ledgers shows (a 收文编号 and a 来文字号 are the incoming register's), at least
     OWN_FIELDS of them, and none that only another one shows.

A file naming no ledger, or naming two, takes no fixed value: its required column is
missing, as before, and the report says so. A column of the file that fills a fixed
field (a 收发类别 column) always wins. The report says which ledger the file was read as
and which value every row took, so nothing is set behind the clerk's back; an update
leaves a found record's fixed fields as they are (a key of an outgoing document found
through an incoming register does not turn it around).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import force_locale, gettext

from app.importer.fields import ImportField, normalise
from app.importer.mapping import automatic
from app.ledgers.spec import Ledger, ledgers_of
from models.lookups import lookup_label

#: How many fields only one ledger shows a file must fill to be read as that ledger.
OWN_FIELDS = 2
#: What a ledger was recognised by.
BY_TITLE, BY_COLUMNS = "title", "columns"


@dataclass
class LedgerFile:
    """The ledger a file was read as, and the values every row takes from it."""

    ledger: Ledger
    by: str                                     # BY_TITLE or BY_COLUMNS
    fixed: dict[str, tuple[ImportField, Any]]   # field name -> (field, stored value)

    def warning(self) -> str:
        """The report's line: read as which ledger, every row taking which value."""
        values = "、".join(gettext("%(column)s: %(value)s", column=_header(f), value=_shown(f, value))
                          for f, value in self.fixed.values())
        if self.by == BY_TITLE:
            return gettext("The file is read as the ledger %(ledger)s (named in its title): every row takes "
                           "%(values)s.", ledger=str(self.ledger.title), values=values)
        return gettext("The file is read as the ledger %(ledger)s (by its columns): every row takes %(values)s.",
                       ledger=str(self.ledger.title), values=values)


def _header(f: ImportField) -> str:
    from app.importer.template import locale_code

    return f.header(locale_code())


def _shown(f: ImportField, value: Any) -> str:
    return lookup_label(f.category, value) if f.category else str(value)


def _candidates(entity) -> list[Ledger]:
    return [ledger for ledger in ledgers_of(entity.model) if ledger.where and not ledger.is_report]


def _names(ledger: Ledger) -> list[str]:
    out = []
    for locale in ("zh", "en"):
        with force_locale(locale):
            out.append(normalise(str(ledger.title)))
    return out + [normalise(name) for name in ledger.names]


def _named(text: str, name: str, siblings: list[str]) -> bool:
    """`text` names `name`, not run into the first character of a sibling's name."""
    start = text.find(name)
    while start >= 0:
        before = text[start - 1] if start else ""
        if not before or not any(sibling.startswith(before) for sibling in siblings):
            return True
        start = text.find(name, start + 1)
    return False


def _by_title(candidates: list[Ledger], sheet) -> Optional[Ledger]:
    texts = [normalise(text) for text in [sheet.name, *sheet.above] if normalise(text)]
    names = {ledger.key: _names(ledger) for ledger in candidates}
    found = []
    for ledger in candidates:
        siblings = [name for key, own in names.items() if key != ledger.key for name in own]
        if any(_named(text, name, siblings) for text in texts for name in names[ledger.key]):
            found.append(ledger)
    return found[0] if len(found) == 1 else None


def _field_columns(ledger: Ledger) -> set[str]:
    return {column for column in ledger.columns if isinstance(column, str)}


def _by_columns(candidates: list[Ledger], mapped: set[str]) -> Optional[Ledger]:
    own = {}
    for ledger in candidates:
        others = set().union(*(_field_columns(o) for o in candidates if o is not ledger))
        own[ledger.key] = len((_field_columns(ledger) - others) & mapped)
    found = [ledger for ledger in candidates if own[ledger.key] >= OWN_FIELDS]
    if len(found) == 1 and all(own[ledger.key] == 0 for ledger in candidates if ledger is not found[0]):
        return found[0]
    return None


def recognise(entity, sheet, fields: list[ImportField], mapped: set[str]) -> Optional[LedgerFile]:
    """The ledger `sheet` is a file of, if its fixed values fill fields no column of the
    file fills (`mapped`: the field names the file's columns fill); else None."""
    candidates = [ledger for ledger in _candidates(entity) if set(ledger.where) - mapped]
    if not candidates:
        return None
    by, ledger = BY_TITLE, _by_title(candidates, sheet)
    if ledger is None:
        by, ledger = BY_COLUMNS, _by_columns(candidates, mapped)
    if ledger is None:
        return None
    by_name = {f.name: f for f in fields}
    fixed = {name: (by_name[name], value) for name, value in ledger.where.items()
             if name in by_name and name not in mapped}
    return LedgerFile(ledger, by, fixed) if fixed else None


def read_as(entity, sheet, words, mapping: Optional[dict[int, ImportField]],
            ignore: set[str] = frozenset()) -> Optional[LedgerFile]:
    """The ledger an uploaded `sheet` is read as, for the import of `entity`: with the
    clerk's `mapping` ({column position: field}), or the one the importer proposes.
    `words` holds the entity's importable fields and header index (run.py's _Headers)."""
    if not _candidates(entity):
        return None
    if mapping is None:
        mapping = automatic(sheet.headers, words.fields, words.index, words.skip, ignore, strict=False)
    return recognise(entity, sheet, words.fields, {f.name for f in mapping.values()})
