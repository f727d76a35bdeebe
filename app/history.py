"""The audit trail read in the reader's language: a record's History tab, the audit log's
screens (console and work panel) and its Excel export.

The trail stores codes: the entity's class name, field names, lookup codes, the workflow
step's name and, for acts that change no row, a message code with its parameters
(`app.audit.coded`). Labels and sentences are made here, when someone reads the row, in
his language. Rows written before details were coded hold a sentence in the language of
whoever wrote them: they are shown as they are.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.registry.introspect import label_of, lookup_of
from models.audit import AUDIT_ACTION, READ_ACTIONS, READERS, AuditLog
from models.lookups import lookup_label

#: How many of a record's most recent audit rows its page shows.
HISTORY_LIMIT = 200

#: Entities the trail names that have no screen of their own in the registry.
ENTITY_LABELS = {
    "User": _l("User"),
    "Role": _l("Role"),
    "Setting": _l("Settings"),
    "NumberSeries": _l("Numbering series"),
    "CustomField": _l("Custom fields"),
}


# --- entities and fields ----------------------------------------------------------------------
def entity_of(name: Optional[str]):
    """The registry's entity of that class name, or None."""
    from app.registry.spec import REGISTRY

    return next((e for e in REGISTRY.values() if e.name == name), None)


def model_of(name: Optional[str]):
    """The model class of that class name (for its field labels), or None."""
    entity = entity_of(name)
    if entity is not None:
        return entity.model
    from flask_appbuilder import Model

    found = Model.registry._class_registry.get(name or "")
    return found if isinstance(found, type) else None


def entity_label(name: Optional[str]) -> str:
    """An entity in the reader's language: its screen title, else a known label, else the code."""
    entity = entity_of(name)
    if entity is not None:
        return str(entity.title)
    label = ENTITY_LABELS.get(name or "")
    return str(label) if label is not None else (name or "")


def entity_choices() -> list[tuple[str, str]]:
    """(code, label) of every entity the trail may name, by label: the audit log's filter."""
    from app.registry.spec import REGISTRY

    names = {e.name for e in REGISTRY.values()} | set(ENTITY_LABELS)
    return sorted(((n, entity_label(n)) for n in names), key=lambda pair: pair[1])


def _field_label(model, field: str) -> str:
    return str(label_of(model, field)) if model is not None and hasattr(model, field) else field


def _readable(model, field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    category = lookup_of(model, field) if model is not None and hasattr(model, field) else None
    if category:
        return lookup_label(category, value) or str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def readable_changes(model, changes: dict | None) -> list[tuple[str, str, str]]:
    """(field label, before, after) in the user's language, lookup codes as labels."""
    out = []
    for field, pair in (changes or {}).items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        out.append((_field_label(model, field), _readable(model, field, before), _readable(model, field, after)))
    return out


class ChangeLines(str):
    """old → new per field: plain lines in a spreadsheet cell, one <div> per field on a page."""

    lines: list[tuple[str, str, str]]

    def __new__(cls, lines: list[tuple[str, str, str]]):
        text = super().__new__(cls, "\n".join(f"{name}: {before} → {after}" for name, before, after in lines))
        text.lines = lines
        return text

    def __html__(self) -> Markup:
        return Markup("").join(
            Markup('<div><b>{}</b>: <span class="office-before">{}</span> → <span class="office-after">{}</span>'
                   '</div>').format(name, before, after) for name, before, after in self.lines)


def changes_text(row: AuditLog) -> ChangeLines:
    return ChangeLines(readable_changes(model_of(row.entity), row.changes))


# --- details: message codes and their parameters -------------------------------------------
def _listed(items) -> str:
    from app.user_screens import listed

    return listed(items)


def _labels(entity_name: str, fields) -> str:
    model = model_of(entity_name)
    return _listed(_field_label(model, f) for f in (fields or []))


def _transitions(entity_name: str, names) -> str:
    """The steps and rights a role was granted or refused in the console's matrix."""
    from app.registry.permissions import WORKFLOW_RIGHTS

    rights = {right.name: right for right in WORKFLOW_RIGHTS}
    found = [_transition(entity_name, n) for n in (names or [])]
    return _listed(f"{rights[name].label} ({rights[name].permission})" if name in rights else f"{label} (wf_{name})"
                   for name, label in found) or "—"


def _transition(entity_name: str, name: str) -> tuple[str, str]:
    entity = entity_of(entity_name)
    workflow = getattr(entity, "workflow", None)
    for t in (workflow.transitions if workflow is not None else ()):
        if t.name == name:
            return name, str(t.label)
    return name, name


def _left_out(p: dict) -> str:
    """What an export says of the 内部 records it left out (docs/domain.md §9), or of those it
    included by the right to export them."""
    from app.registry.need_to_know import left_out_message

    if p.get("internal_left_out"):
        return "; " + left_out_message(p["internal_left_out"])
    if p.get("internal_included"):
        return "; " + gettext("internal records included (right to export them)")
    return ""


def _export(p: dict, _entity: str) -> str:
    text = gettext("%(rows)d rows; filters: %(filters)s", rows=p.get("rows", 0), filters=p.get("filters") or "—")
    return text + ("; " + gettext("sensitive columns unmasked") if p.get("unmasked") else "") + _left_out(p)


def _ledger_export(p: dict, _entity: str) -> str:
    from app.ledgers.spec import LEDGERS

    ledger = LEDGERS.get(p.get("ledger") or "")
    text = gettext("Ledger %(ledger)s: %(rows)d rows; filters: %(filters)s",
                   ledger=str(ledger.title) if ledger is not None else p.get("ledger"),
                   rows=p.get("rows", 0), filters=p.get("filters") or "—")
    return text + ("; " + gettext("sensitive columns unmasked") if p.get("unmasked") else "") + _left_out(p)


def _ledger_print(p: dict, _entity: str) -> str:
    from app.ledgers.spec import LEDGERS

    ledger = LEDGERS.get(p.get("ledger") or "")
    return gettext("Printed the ledger %(ledger)s: %(rows)d rows; %(filters)s",
                   ledger=str(ledger.title) if ledger is not None else p.get("ledger"),
                   rows=p.get("rows", 0), filters=p.get("filters") or "—")


def _role_rights(p: dict, _entity: str) -> str:
    from app.user_screens import role_label

    return gettext("%(role)s on %(entity)s: granted %(granted)s; revoked %(revoked)s",
                   role=role_label(p.get("role")), entity=entity_label(p.get("entity")),
                   granted=_transitions(p.get("entity"), p.get("granted")),
                   revoked=_transitions(p.get("entity"), p.get("revoked")))


def _paper_title(entity_name: str, key: str | None) -> str:
    """The title of an entity's paper form (app/paper_forms) in the reader's language."""
    from app.registry.spec import REGISTRY

    entity = next((e for e in REGISTRY.values() if e.name == entity_name), None)
    paper = next((p for p in (entity.papers if entity else ()) if p.key == key), None)
    return str(paper.title) if paper else (key or "")


def _need_to_know_list(found) -> str:
    """A need-to-know list as kept by the trail ({units: [ids], users: [logins]}) in words:
    the units by their present name, the people by their login."""
    from app.extensions import db
    from models.org import Department

    found = found if isinstance(found, dict) else {}
    ids = [pk for pk in found.get("units") or [] if isinstance(pk, int)]
    names = {unit.id: str(unit) for unit in db.session.query(Department).filter(Department.id.in_(ids))} if ids else {}
    parts = [names.get(pk, f"#{pk}") for pk in ids] + [str(login) for login in found.get("users") or []]
    return _listed(parts) or gettext("nobody")


def _need_to_know(p: dict, _entity: str) -> str:
    return gettext("Need-to-know list: %(before)s → %(after)s", before=_need_to_know_list(p.get("before")),
                   after=_need_to_know_list(p.get("after")))


#: code -> (parameters, entity name of the row) -> the sentence in the reader's language.
MESSAGES: dict[str, Callable[[dict, str], str]] = {
    "export": _export,
    "need_to_know": _need_to_know,
    "ledger_export": _ledger_export,
    "ledger_print": _ledger_print,
    "print": lambda p, _e: gettext("Printed the record"),
    "paper": lambda p, entity: (gettext("Downloaded it as %(form)s: %(file)s", form=_paper_title(entity, p.get("form")),
                                        file=p.get("file")) if p.get("fmt")
                                else gettext("Printed it as %(form)s", form=_paper_title(entity, p.get("form")))),
    "download": lambda p, _e: gettext("Downloaded %(file)s (%(rows)d rows) from My downloads",
                                      file=p.get("file"), rows=p.get("rows", 0)),
    "unmask": lambda p, entity: _labels(entity, p.get("fields")),
    "unmask_api": lambda p, entity: "API: " + _labels(entity, p.get("fields")),
    "import_refused": lambda p, _e: gettext("%(file)s: refused — %(reason)s", file=p.get("file"),
                                            reason=p.get("reason")),
    "import_problems": lambda p, _e: gettext("%(file)s: %(rows)d rows, %(problems)d problems; nothing imported",
                                             file=p.get("file"), rows=p.get("rows", 0),
                                             problems=p.get("problems", 0)),
    "import_checked": lambda p, _e: gettext("%(file)s: %(rows)d rows checked, no problem; nothing imported "
                                            "(check only)", file=p.get("file"), rows=p.get("rows", 0)),
    "import_updated": lambda p, _e: gettext("%(file)s: %(rows)d rows imported, %(updated)d records updated",
                                            file=p.get("file"), rows=p.get("rows", 0), updated=p.get("updated", 0)),
    "import_done": lambda p, _e: gettext("%(file)s: %(rows)d rows imported", file=p.get("file"),
                                         rows=p.get("rows", 0)),
    "import_historical": lambda p, _e: gettext("%(file)s: %(rows)d rows imported in their stated state "
                                               "(historical import)", file=p.get("file"), rows=p.get("rows", 0)),
    "role_rights": _role_rights,
    "account_locked": lambda p, _e: gettext("account locked"),
    "failed_in_a_row": lambda p, _e: gettext("%(n)d failed sign-ins in a row", n=p.get("n", 0)),
}


def coded_detail(detail: Optional[str]) -> Optional[dict]:
    """The code and parameters of a coded detail; None for a sentence (an older row)."""
    if not detail or not detail.startswith('{"msg":'):
        return None
    try:
        found = json.loads(detail)
    except ValueError:
        return None
    return found if isinstance(found, dict) and found.get("msg") in MESSAGES else None


def detail_text(row: AuditLog) -> str:
    """The row's detail in the reader's language (an older row's sentence as written)."""
    detail = row.detail
    if not detail:
        return ""
    if row.action == "TRANSITION":
        return _transition(row.entity, detail)[1]
    coded = coded_detail(detail)
    if coded is None:
        return detail
    try:
        return MESSAGES[coded["msg"]](coded, row.entity)
    except (KeyError, TypeError, ValueError):    # parameters that do not fit the message
        return detail


def action_label(row: AuditLog) -> str:
    return lookup_label(AUDIT_ACTION, row.action) or row.action


# --- a record's History tab --------------------------------------------------------------------
@dataclass
class HistoryLine:
    row: AuditLog
    action: str
    changes: list[tuple[str, str, str]]     # (field label, before, after)
    detail: str = ""


def record_history(entity, record_id: int, session) -> list[HistoryLine]:
    rows = (session.query(AuditLog)
            .filter(AuditLog.entity == entity.name, AuditLog.record_id == record_id,
                    AuditLog.action.notin_(READ_ACTIONS))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(HISTORY_LIMIT).all())
    return [HistoryLine(row, action_label(row), readable_changes(entity.model, row.changes), detail_text(row))
            for row in rows]


def describe(row: AuditLog) -> str:
    """One line naming the row, for a page title: 2026-05-06 10:00 修改 · 人员 #12."""
    at = row.at.strftime("%Y-%m-%d %H:%M") if row.at else ""
    what = entity_label(row.entity) + (f" #{row.record_id}" if row.record_id is not None else "")
    return " ".join(part for part in (at, action_label(row), "·", what) if part)


READERS.update(entity_label=entity_label, changes_text=changes_text, detail_text=detail_text, describe=describe)
