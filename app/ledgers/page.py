"""The "Ledgers" page: every ledger the user may export, by function, each with what it
holds, a link to the list it reads (to filter it first: the ledger button there takes the
filters along) and the whole ledger of his scope as one download.

The page itself is open to the roles that export (app/roles.py); each ledger shows only
where the user holds "export" on the entity it reads, which the download checks again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from flask import url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l

from app.ledgers.spec import LEDGERS, PAGE_GROUP, PAGE_NAME, Ledger
from app.registry import register_page


@dataclass
class LedgerLink:
    ledger: Ledger
    columns: str
    list_url: Optional[str]
    download_url: str


@dataclass
class LedgerGroup:
    group: Any                                  # app.menu.Group
    links: list[LedgerLink]


class LedgersView(BaseView):
    route_base = "/ledgers"
    default_view = "index"
    class_permission_name = PAGE_NAME
    method_permission_name = {"index": "export"}
    base_permissions = ["can_export"]

    def may_export(self, ledger: Ledger) -> bool:
        return bool(self.appbuilder.sm.has_access("can_export", ledger.entity.name))

    def _link(self, ledger: Ledger) -> LedgerLink:
        from app.dashboard.links import equal, list_url
        from app.ledgers.columns import describe

        entity = ledger.entity
        if ledger.is_report:        # its page to choose the parameters; the download takes the defaults
            return LedgerLink(ledger=ledger, columns=describe(ledger),
                              list_url=url_for(f"{entity.name}View.report", key=ledger.key),
                              download_url=url_for(f"{entity.name}View.ledger", key=ledger.key))
        return LedgerLink(
            ledger=ledger, columns=describe(ledger),
            list_url=list_url(entity, *[equal(name, value) for name, value in ledger.where.items()]),
            download_url=url_for(f"{entity.name}View.ledger", key=ledger.key))

    def groups(self) -> list[LedgerGroup]:
        from app.menu import GROUPS

        mine = [ledger for ledger in LEDGERS.values() if self.may_export(ledger)]
        out = []
        for group in GROUPS:
            links = [self._link(ledger) for ledger in mine if ledger.entity.group == group.key]
            if links:
                out.append(LedgerGroup(group, links))
        return out

    @expose("/")
    @has_access
    def index(self):
        return self.render_template("office/ledgers/index.html", title=_l("Ledger reports"), groups=self.groups())


register_page(LedgersView, PAGE_GROUP, PAGE_NAME, _l("Ledger reports"), "fa-table")
