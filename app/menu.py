"""The menu: the office's 15 functions (docs/domain.md's first table), then System.

Keys are stable (they name FAB's menu permissions); labels are translated. A group whose
entries are declared in more than one views/ module names its entries' order (`entries`, by
entity name), so the menu does not follow the order in which Python imported those modules.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Group:
    key: str
    number: int
    label: object
    icon: str
    entries: tuple[str, ...] = field(default=())   # entity names in menu order; the others follow

    def rank(self, name: str) -> int:
        """Position of the entity `name` in this group's menu (undeclared ones after, in the
        order they were registered)."""
        return self.entries.index(name) if name in self.entries else len(self.entries)


GROUPS: list[Group] = [
    Group("F01_Meetings", 1, _l("Meetings & decisions"), "fa-users"),
    Group("F02_Documents", 2, _l("Documents & gazette"), "fa-file-text-o",
          entries=("Document", "Telegram", "GazetteIssue", "DocumentSLA", "TelegramSLA")),
    Group("F03_DistrictRequests", 3, _l("District requests"), "fa-map-o"),
    Group("F04_Disputes", 4, _l("Department disputes"), "fa-balance-scale"),
    Group("F05_Duty", 5, _l("Duty & emergencies"), "fa-bell"),
    Group("F06_Supervision", 6, _l("Supervision"), "fa-check-square-o",
          entries=("LeaderInstruction", "SupervisionItem")),
    Group("F07_Proposals", 7, _l("NPC & CPPCC proposals"), "fa-comments-o"),
    Group("F08_Research", 8, _l("Research"), "fa-search"),
    Group("F09_Information", 9, _l("Government information"), "fa-newspaper-o"),
    Group("F10_Hotline", 10, _l("12345 Hotline & Mayor's Mailbox"), "fa-phone"),
    Group("F11_IT", 11, _l("Informatization"), "fa-server"),
    Group("F12_Organisation", 12, _l("Units & departments"), "fa-sitemap"),
    Group("F13_People", 13, _l("Personnel, Party & retirees"), "fa-id-card-o",
          entries=("Personnel", "Retiree", "RetireeVisit", "PartyBranch", "PartyMember", "PartyActivity",
                   "DuesPayment")),
    Group("F14_Services", 14, _l("Logistics & reception"), "fa-coffee"),
    Group("F15_LeaderTasks", 15, _l("Leaders' assignments"), "fa-flag"),
    Group("Reports", 99, _l("Reports"), "fa-table"),        # ledgers across functions (app/ledgers)
    Group("System", 99, _l("System"), "fa-cogs", entries=("Lookup", "WorkCalendar", "AuditLog")),
]

BY_KEY = {g.key: g for g in GROUPS}
