"""Rules with one right answer, applied by the importer instead of refusing the row.

A form asks the clerk to correct such a value himself (he sees the rule's message next to
the field). A ledger cannot be asked: the office's 12345 lists have no "keep confidential"
column, and refusing each 举报 row for it would refuse a hundred rows of a good file. So
an entity declares the fix beside the rule (`register(..., fixes=[...])`, a function that
sets the one right value and says what it set) and the importer applies it before the
rules run, then says once in the report which rows it changed — never silently.
"""
from __future__ import annotations

from flask_babel import gettext

#: Row numbers a warning lists before it says how many more there are.
SHOWN_ROWS = 20


class Fixes:
    """The fixes applied during one import: {what was set: the file's row numbers}."""

    def __init__(self, entity):
        self.fixes = list(entity.fixes)
        self.applied: dict[str, list[int]] = {}

    def apply(self, record, row: int) -> None:
        for fix in self.fixes:
            said = fix(record)
            if said:
                self.applied.setdefault(str(said), []).append(row)

    def warnings(self) -> list[str]:
        out = []
        for said, rows in self.applied.items():
            shown = "、".join(str(row) for row in rows[:SHOWN_ROWS])
            if len(rows) > SHOWN_ROWS:
                shown = gettext("%(rows)s and %(more)d more", rows=shown, more=len(rows) - SHOWN_ROWS)
            out.append(gettext("Rows %(rows)s: %(fix)s", rows=shown, fix=said))
        return out
