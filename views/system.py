"""Configuration tables on the work panel, Admin only (the console comes later)."""
from app.registry import register
from models.audit import AuditLog
from models.base import _l
from models.calendar import WorkCalendar, forget_calendar
from models.lookups import Lookup
from models.org import UnitAlias
from models.ownership import FunctionOwner
from models.sla import DocumentSLA, TelegramSLA, telegram_sla_problems

register(
    Lookup, group="System", title=_l("Lookups"), item=_l("Lookup code"), icon="fa-list", admin_only=True,
    list=["category", "code", "label_zh", "label_en", "parent_code", "sort", "active"],
    search=["category", "code", "label_zh", "label_en", "active"],
    sections=[(_l("Code"), ["category", "code", "label_zh", "label_en", "parent_code", "sort", "active"])],
    base_order=("category", "asc"),
)

# The work calendar: public holidays and make-up working days (调休) that every
# working-day time limit counts with; an edit applies at once.
register(
    WorkCalendar, group="System", title=_l("Work calendar"), item=_l("Calendar day"), icon="fa-calendar",
    caches=[forget_calendar],
    admin_only=True,
    list=["day", "kind", "name", "note"],
    search=["day", "kind", "name"],
    sections=[(_l("Calendar day"), ["day", "kind", "name", "note"])],
    base_order=("day", "desc"),
)

register(
    DocumentSLA, group="F02_Documents", title=_l("Document time limits"), item=_l("Document time limit"),
    icon="fa-clock-o", admin_only=True,
    list=["urgency", "days", "basis", "active"],
    search=["urgency", "basis", "active"],
    sections=[(_l("Time limit"), ["urgency", "days", "basis", "description", "active"])],
    base_order=("id", "asc"),
)

register(
    TelegramSLA, group="F02_Documents", title=_l("Telegram time limits"), item=_l("Telegram time limit"),
    icon="fa-clock-o", admin_only=True,
    required=["priority"],      # the console's rows name their priority (a row without one, imported, matches any)
    checks=[telegram_sla_problems],
    list=["priority", "hours", "workdays", "active"],
    search=["priority", "active"],
    sections=[(_l("Time limit"), ["priority", "hours", "workdays", "description", "active"])],
    base_order=("id", "asc"),
)

# Which units run which function (DESIGN.md "Scoped, three ways" rule 1): their users see
# every record of it. Edited in the console (Rules and numbering → Function owners).
register(
    FunctionOwner, group="System", title=_l("Function owners"), item=_l("Function owner"), icon="fa-sitemap",
    admin_only=True, menu=False, scope=(),
    list=["function", "department", "note"],
    search=["function", "department"],
    sections=[(_l("Function owner"), ["function", "department", "note"])],
    base_order=("function", "asc"),
)

# The names ledgers give units (市发展改革委, 思明区), resolved by the importer
# (app/importer/references.py). Edited in the console (Codes and time limits → Unit aliases).
register(
    UnitAlias, group="System", title=_l("Unit aliases"), item=_l("Unit alias"), icon="fa-tags",
    admin_only=True, menu=False, scope=(),
    list=["alias", "unit_name", "note"],
    search=["alias", "unit_name"],
    sections=[(_l("Unit alias"), ["alias", "unit_name", "note"])],
    base_order=("unit_name", "asc"),
)

# Who changed, exported or unmasked what: the whole trail, filterable and exportable;
# nobody edits or deletes it (each record shows its own part on its History tab).
register(
    AuditLog, group="System", title=_l("Audit log"), item=_l("Audit entry"), icon="fa-history",
    admin_only=True, read_only=True,
    # entity_label, changes_text, detail_text: the stored codes read in the reader's language
    list=["at", "username", "client_addr", "action", "entity_label", "record_id", "record_name", "detail_text"],
    search=["at", "username", "client_addr", "action", "entity", "record_id", "record_name", "detail"],
    sections=[(_l("Audit entry"), ["at", "username", "client_addr", "action", "entity_label", "record_id",
                                  "record_version", "record_name", "changes_text", "detail_text"])],
    base_order=("id", "desc"),
)
