"""Historical import (issue 18): last year's ledger comes in as it stands.

An ordinary import starts every record at its workflow's beginning, whatever the file
says: a clerk may not skip the approvals a record has to pass. A ledger kept before the
system, though, holds records already closed, in progress, assigned — started over, they
would be a year of false work in every "My tasks" list. So a user holding the right
`can_import_history` on the entity (app/registry/permissions.py `IMPORT_HISTORY`: Admin's
alone by default, granted to another role in the console's workflow matrix) may import in
historical mode:

- the workflow's status column becomes importable and required, read by its label or a
  synonym (`STATUS_WORDS`, the entity's own `synonyms`) and its values by the lookup's
  labels in either language (已办结, 办结, Closed …);
- each record keeps the state its row states, which must be one of the workflow's; a
  state the workflow does not have is a problem of that row, reported with all others;
- the workflow's initial-state logic is skipped, the entity's rules still judge the
  record in that state (a closed item needs its closing date);
- the status log gets one line per record, "imported in this state"
  (app/registry/status.py `log_imported`), and the audit entry its own code,
  `import_historical`.

Historical mode adds new records only; the page and the API check the right again at
every step (a posted field is no proof).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

from flask_babel import gettext

from app.importer.fields import ImportField, import_fields, labels_of, normalise
from app.registry.introspect import column_of, lookup_of
from app.registry.permissions import IMPORT_HISTORY
from models.lookups import lookup_label

#: How ledgers head their status column, besides the field's label and the entity's synonyms.
STATUS_WORDS = ("办理状态", "当前状态", "事项状态", "状态", "Status", "State", "Current status")

#: The act (`can_<act>`) a historical import needs besides `import` and `add`.
ACT = IMPORT_HISTORY.permission.removeprefix("can_")


def offered(entity) -> bool:
    """Whether the entity's records have a workflow state a file could state."""
    return entity.workflow is not None and not entity.read_only


def refusal(entity, can: Callable[[str], bool]) -> Optional[str]:
    """Why the user may not import `entity` historically (page and API alike), or None.
    `can(act)` says whether he holds the right `act` on the entity."""
    if not offered(entity):
        return gettext("The records of this list have no workflow state: they cannot be imported in a stated state.")
    if not can(ACT):
        return gettext("You may not import records in their stated state (historical records): an administrator "
                       "grants that right in the console's workflow permissions.")
    return None


def status_field(entity) -> ImportField:
    """The workflow's status column as a required importable field."""
    model, name = entity.model, entity.workflow.field
    column = column_of(model, name)
    category = lookup_of(model, name)
    return ImportField(name=name, kind="lookup" if category else "string", key=column.key, required=True,
                       category=category, max_length=getattr(column.type, "length", None),
                       labels=labels_of(model, name))


def fields_for(entity, historical: bool) -> list[ImportField]:
    """The fields a file may fill: in historical mode, the status field as well."""
    fields = import_fields(entity)
    return fields + [status_field(entity)] if historical else fields


def add_status_words(entity, fields: list[ImportField], index: dict[str, ImportField], skip: set[str]) -> None:
    """Let the status column be named by the common ledger words too (after every label and
    synonym of the entity's own fields: those win), and no longer skipped."""
    status = next((f for f in fields if f.name == entity.workflow.field), None)
    if status is None:
        return
    for word in STATUS_WORDS:
        index.setdefault(normalise(word), status)
    for key, f in index.items():
        if f is status:
            skip.discard(key)


def states(entity) -> list[str]:
    """Every state of the entity's workflow, the initial one included."""
    flow = entity.workflow
    found = list(flow.states())
    extra = [] if callable(flow.initial) else [flow.initial]
    column = column_of(entity.model, flow.field)
    if column is not None and column.default is not None and not callable(column.default.arg):
        extra.append(column.default.arg)
    return found + [s for s in extra if s is not None and s not in found]


def state_problems(entity, plan, sheet, rows: list[dict], problem: Callable[..., Any]) -> list:
    """A row whose status converted to a value the workflow has no state for (a lookup
    entry the workflow never reaches): a problem of that cell, by the file's row number."""
    field = entity.workflow.field
    column = next(((i, header) for i, f, header in plan.columns if f.name == field), None)
    if column is None:
        return []
    position, header = column
    allowed = states(entity)
    category = lookup_of(entity.model, field)
    named = "、".join(_label(category, s) for s in allowed)
    out = []
    for number, cells, values in zip(sheet.row_numbers, sheet.rows, rows, strict=True):
        state = values.get(field)
        if state is None or state in allowed:
            continue
        written = cells[position] if position < len(cells) else ""
        out.append(problem(number, header, written, gettext(
            "%(state)s is not a state of this list's workflow: use one of %(states)s",
            state=_label(category, state), states=named)))
    return out


def _label(category: Optional[str], code: str) -> str:
    return (lookup_label(category, code) if category else None) or code

