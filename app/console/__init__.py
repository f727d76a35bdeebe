"""The configuration console `/console` (flask-admin): what admins change without code.

Lookups, time limits and the work calendar, numbering series, who may fire which workflow
step, run-time settings, and the audit log — configuration tables only, never business
records (those stay in the work panel, behind its department scope). One login (FAB's)
and one right (`can_access` on `Console`, app/console/access.py) gate every URL under
/console, including flask-admin's ajax endpoints and assets.
"""
from __future__ import annotations

from flask import has_request_context
from flask_babel import lazy_gettext as _l

from app.console.access import CONSOLE_URL, gate, may_use_console

CODES = _l("Codes and time limits")
RULES = _l("Rules and numbering")
OVERSIGHT = _l("Oversight")

#: Time-limit tables a domain declares (`register_sla_table` in views/*.py), shown under
#: "Codes and time limits" by `order`: the console names no domain model itself.
SLA_TABLES: list[tuple[int, type, str]] = []


def register_sla_table(model: type, slug: str, order: int = 100) -> None:
    """Edit `model` (a registered time-limit table) in the console at /console/<slug>."""
    SLA_TABLES[:] = sorted([t for t in SLA_TABLES if t[1] is not model] + [(order, model, slug)],
                           key=lambda t: t[0])


def install(app) -> None:
    from flask_admin import Admin, AdminIndexView, expose
    from flask_admin.theme import Bootstrap4Theme

    from app.console.audit import AuditLogView
    from app.console.base import ConsoleAccess
    from app.console.custom_fields import CustomFieldView
    from app.console.lookups import LookupView
    from app.console.paper_forms import PaperFormsView
    from app.console.search_index import SearchIndexView
    from app.console.settings import SettingsView
    from app.console.tables import (
        FunctionOwnerView,
        NumberSeriesView,
        SLAView,
        UnitAliasView,
        WorkCalendarView,
    )
    from app.console.workflow import WorkflowMatrixView
    from app.extensions import db
    from app.registry.spec import REGISTRY
    from app.web_security import csp_nonce
    from models.org import UnitAlias
    from models.ownership import FunctionOwner
    from models.sla import DocumentSLA, TelegramSLA

    class ConsoleHome(ConsoleAccess, AdminIndexView):
        intro = _l("Settings that take effect without code or a restart. Every change is written to the audit log.")

        @expose("/")
        def index(self):
            return self.render("console/index.html")

    def menu(icon: str, category=None) -> dict:
        return {"menu_icon_type": "fa", "menu_icon_value": icon, "category": category}

    admin = Admin(app, name=_l("Configuration console"), url=CONSOLE_URL, endpoint="console",
                  index_view=ConsoleHome(name=_l("Configuration console"), url=CONSOLE_URL, endpoint="console",
                                         menu_icon_type="fa", menu_icon_value="fa-cogs"),
                  theme=Bootstrap4Theme(base_template="console/base.html", fluid=True),
                  csp_nonce_generator=csp_nonce)
    admin.add_view(LookupView(db, name=_l("Lookups"), endpoint="console_lookups", url="lookups",
                              **menu("fa-list", CODES)))
    for model, slug in [(DocumentSLA, "document-sla"), (TelegramSLA, "telegram-sla")] \
            + [(model, slug) for _order, model, slug in SLA_TABLES]:
        admin.add_view(SLAView(model, db, name=REGISTRY[model].title, endpoint=f"console_{slug}", url=slug,
                               **menu("fa-clock-o", CODES)))
    admin.add_view(WorkCalendarView(db, name=_l("Work calendar"), endpoint="console_calendar", url="calendar",
                                    **menu("fa-calendar", CODES)))
    admin.add_view(UnitAliasView(UnitAlias, db, name=_l("Unit aliases"), endpoint="console_unit_aliases",
                                 url="unit-aliases", **menu("fa-tags", CODES)))
    admin.add_view(FunctionOwnerView(FunctionOwner, db, name=_l("Function owners"), endpoint="console_owners",
                                     url="function-owners", **menu("fa-sitemap", RULES)))
    admin.add_view(NumberSeriesView(db, name=_l("Numbering series"), endpoint="console_numbering",
                                    url="numbering", **menu("fa-sort-numeric-asc", RULES)))
    admin.add_view(CustomFieldView(db, name=_l("Custom fields"), endpoint="console_custom_fields",
                                   url="custom-fields", **menu("fa-plus-square", RULES)))
    admin.add_view(WorkflowMatrixView(name=_l("Workflow permissions"), endpoint="console_workflow", url="workflow",
                                      **menu("fa-random", RULES)))
    admin.add_view(SettingsView(name=_l("Settings"), endpoint="console_settings", url="settings",
                                **menu("fa-sliders", RULES)))
    admin.add_view(PaperFormsView(name=_l("Paper forms"), endpoint="console_papers", url="paper-forms",
                                  **menu("fa-print", RULES)))
    admin.add_view(AuditLogView(db, name=_l("Audit log"), endpoint="console_audit", url="audit",
                                **menu("fa-history", OVERSIGHT)))
    admin.add_view(SearchIndexView(name=_l("Search index"), endpoint="console_search", url="search-index",
                                   **menu("fa-search", OVERSIGHT)))

    app.before_request(gate)

    @app.context_processor
    def console_link():
        """The work panel's top bar links to the console for those who may use it."""
        return {"console_url": (CONSOLE_URL + "/") if has_request_context() and may_use_console() else None}
