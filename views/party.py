"""Party affairs: how the Office Party Committee (机关党委) works with branches, members,
the "three meetings and one lesson" and Party dues — plus two ledgers managers hand to
leaders: the activity-gap ledger (三会一课台账) and dues in arrears (党费欠缴).

The ledgers are pages (FAB BaseViews, `register_page`) on the permissions of the entity
they read: opening one needs "read" on it, its Excel export "export".
"""
from __future__ import annotations

from decimal import Decimal

from flask import request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from sqlalchemy import select

from app.downloads import send_xlsx
from app.excel import ExportColumn, SheetWriter, new_workbook
from app.extensions import db
from app.registry import register, register_page
from app.registry.permissions import ENTITY_PERMISSIONS
from models.base import _l, today_cn
from models.lookups import RAG_LIGHT, lookup_label
from models.party import (
    ACTIVITY_TYPE,
    FREQUENCY_LABELS,
    MEMBER_STATUS,
    DuesPayment,
    PartyActivity,
    PartyActivityAttendance,
    PartyBranch,
    PartyBranchCommittee,
    PartyMember,
    PartyTransfer,
    activity_ledger,
    activity_problems,
    attendance_problems,
    branch_defaults,
    branch_problems,
    committee_problems,
    dues_arrears,
    dues_defaults,
    dues_problems,
    member_follows_personnel,
    member_problems,
    quarter_of,
    transfer_problems,
)
from views import people as _people  # noqa: F401  (personnel and retirees come first in the menu group)

GROUP = "F13_People"

# --- children (tabs only) ----------------------------------------------------------------------------
register(
    PartyBranchCommittee, group=GROUP, title=_l("Committee members"), item=_l("Committee member"), menu=False,
    checks=[committee_problems],
    list=["seq", "post", "personnel", "remark"],
    sections=[(_l("Committee member"), ["branch", "seq", "post", "personnel", "remark"])],
    base_order=("seq", "asc"),
)

register(
    PartyTransfer, group=GROUP, title=_l("Transfers"), item=_l("Transfer"), menu=False,
    checks=[transfer_problems],
    list=["transfer_date", "direction", "from_org", "to_org", "letter_no", "remark"],
    search=["member", "direction", "transfer_date", "from_org", "to_org", "letter_no"],
    sections=[(_l("Transfer of the organisational relation"),
               ["member", "direction", "transfer_date", "from_org", "to_org", "letter_no", "remark"])],
    base_order=("transfer_date", "desc"),
)

register(
    PartyActivityAttendance, group=GROUP, title=_l("Attendance"), item=_l("Attendance record"), menu=False,
    checks=[attendance_problems],
    list=["activity", "member", "attended", "absence_reason"],
    search=["activity", "member", "attended", "absence_reason"],
    sections=[(_l("Attendance"), ["activity", "member", "attended", "absence_reason"])],
    base_order=("id", "asc"),
)

# --- branches, members, activities, dues ---------------------------------------------------------------
register(
    PartyBranch, group=GROUP, title=_l("Party branches"), item=_l("Branch"), icon="fa-flag-o",
    checks=[branch_problems],
    on_save=[branch_defaults],
    list=["name", "secretary", "member_count", "term_start", "term_end", "term_light"],
    search=["name", "department", "secretary", "parent_org", "term_start", "term_end", "established_date"],
    order=["name", "term_start", "term_end"],
    sections=[
        (_l("Branch"), ["name", "parent_org", "department", "sort_order", "established_date", "member_count"]),
        (_l("Committee term"), ["secretary", "term_start", "term_end", "term_light"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["member_count", "term_light"],
    export=["name", "parent_org", "department", "established_date", "secretary", "term_start", "term_end",
            "term_light", "member_count", "remark"],
    base_order=("sort_order", "asc"),
    related=[PartyBranchCommittee, PartyMember, PartyActivity],
)

register(
    PartyMember, group=GROUP, title=_l("Party members"), item=_l("Party member"), icon="fa-user-o",
    checks=[member_problems],
    on_save=[member_follows_personnel],
    list=["name", "branch", "political_status", "joined_date", "confirmed_date", "status", "confirmation_light"],
    search=["name", "branch", "personnel", "party_group", "joined_date", "confirmed_date", "status"],
    order=["name", "joined_date", "confirmed_date", "status"],
    sections=[
        (_l("Party member"), ["personnel", "name", "political_status", "division", "branch", "party_group",
                              "status"]),
        (_l("Party standing"), ["joined_date", "confirmed_date", "confirmation_due", "confirmation_overdue",
                                "confirmation_light"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["name", "political_status", "division", "confirmation_due", "confirmation_overdue",
              "confirmation_light"],
    export=["name", "political_status", "division", "branch", "party_group", "joined_date", "confirmed_date",
            "confirmation_overdue", "status", "remark"],
    base_order=("name", "asc"),
    related=[PartyTransfer, DuesPayment, PartyActivityAttendance],
)

register(
    PartyActivity, group=GROUP, title=_l("Three meetings and one lesson"), item=_l("Party activity"),
    icon="fa-calendar-check-o",
    checks=[activity_problems],
    list=["activity_date", "branch", "activity_type", "topic", "presider", "attendance_summary"],
    search=["branch", "activity_type", "activity_date", "topic", "venue", "presider"],
    order=["activity_date", "activity_type", "topic"],
    sections=[
        (_l("Activity"), ["branch", "activity_type", "activity_date", "topic", "venue", "presider", "recorder",
                          "attendance_summary"]),
        (_l("Minutes and materials"), ["minutes", "attachments_note", "remark"]),
    ],
    readonly=["attendance_summary"],
    export=["branch", "activity_type", "activity_date", "topic", "venue", "presider", "recorder",
            "attendance_summary", "minutes", "attachments_note", "remark"],
    base_order=("activity_date", "desc"),
    related=[PartyActivityAttendance],
)

register(
    DuesPayment, group=GROUP, title=_l("Party dues"), item=_l("Dues payment"), icon="fa-jpy",
    checks=[dues_problems],
    on_save=[dues_defaults],
    list=["month", "member", "base", "rate", "amount", "paid_date"],
    search=["member", "month", "paid_date"],
    order=["month", "base", "rate", "amount", "paid_date"],
    sections=[
        (_l("Dues payment"), ["member", "month", "base", "rate", "amount", "paid_date", "is_paid", "remark"]),
    ],
    readonly=["is_paid"],
    base_order=("month", "desc"),
)


# --- the ledgers --------------------------------------------------------------------------------------
def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def _branch_arg() -> tuple[list[PartyBranch], int | None]:
    branches = db.session.scalars(select(PartyBranch).where(PartyBranch.is_deleted.is_(False))
                                  .order_by(PartyBranch.sort_order, PartyBranch.name)).all()
    chosen = request.args.get("branch", type=int)
    return branches, chosen if chosen in {b.id for b in branches} else None


def _column(header, kind: str, value, width: float) -> ExportColumn:
    return ExportColumn(name=str(header), header=str(header), kind=kind, value=value, width=width)


class _LedgerPage(BaseView):
    """A ledger on an entity's permissions. FAB prunes a permission view down to the last
    registered class's base_permissions, so a page declares the entity's full set."""

    base_permissions = ENTITY_PERMISSIONS

    def can(self, act: str) -> bool:
        return self.appbuilder.sm.has_access(f"can_{act}", self.class_permission_name)


class PartyActivityLedgerView(_LedgerPage):
    """三会一课台账: per branch and required activity type, how many were required and held."""

    route_base = "/partyledger"
    default_view = "ledger"
    class_permission_name = "PartyActivity"
    method_permission_name = {"ledger": "read", "ledger_export": "export"}

    @staticmethod
    def _params():
        year, quarter = quarter_of(today_cn())
        year = _int_arg("year", year, 2000, 2100)
        quarter = _int_arg("quarter", quarter, 1, 4)
        branches, branch = _branch_arg()
        return year, quarter, branches, branch

    @staticmethod
    def title(year: int, quarter: int) -> str:
        return gettext("Implementation of the three meetings and one lesson, Q%(quarter)s %(year)s",
                       year=year, quarter=quarter)

    @expose("/ledger/")
    @has_access
    def ledger(self):
        year, quarter, branches, branch = self._params()
        rows = activity_ledger(db.session, year, quarter, None if branch is None else [branch])
        this_year = today_cn().year
        return self.render_template(
            "office/party/ledger.html", title=self.title(year, quarter), rows=rows, year=year, quarter=quarter,
            years=list(range(this_year + 1, this_year - 6, -1)), branches=branches, branch=branch,
            frequency=FREQUENCY_LABELS, activity_label=lambda code: lookup_label(ACTIVITY_TYPE, code),
            light_label=lambda code: lookup_label(RAG_LIGHT, code),
            met=sum(1 for r in rows if r.met), red=sum(1 for r in rows if r.light == "RED"),
            yellow=sum(1 for r in rows if r.light == "YELLOW"), can_export=self.can("export"),
            query=request.query_string.decode())

    @expose("/export/")
    @has_access
    def ledger_export(self):
        year, quarter, _branches, branch = self._params()
        rows = activity_ledger(db.session, year, quarter, None if branch is None else [branch])
        title = self.title(year, quarter)
        columns = [
            _column(gettext("No."), "int", lambda r: r[0], 6),
            _column(gettext("Branch"), "string", lambda r: r[1].branch_name, 24),
            _column(gettext("Activity type"), "string", lambda r: lookup_label(ACTIVITY_TYPE, r[1].activity_type), 16),
            _column(gettext("Frequency"), "string", lambda r: str(FREQUENCY_LABELS[r[1].frequency]), 10),
            _column(gettext("Required"), "int", lambda r: r[1].required, 10),
            _column(gettext("Held"), "int", lambda r: r[1].held, 10),
            _column(gettext("Shortfall"), "int", lambda r: r[1].shortfall, 10),
            _column(gettext("Light"), "string", lambda r: lookup_label(RAG_LIGHT, r[1].light), 10),
            _column(gettext("Last held on"), "date", lambda r: r[1].last_held, 14),
        ]
        wb, path = new_workbook()
        sheet = SheetWriter(wb, gettext("Q%(quarter)s %(year)s", year=year, quarter=quarter), columns, title=title)
        for i, row in enumerate(rows, start=1):
            sheet.write((i, row))
        sheet.finish()
        wb.close()
        return send_xlsx(path, f"{title}.xlsx")


class DuesArrearsView(_LedgerPage):
    """党费欠缴: members with months not paid, from January (or joining) to the current month."""

    route_base = "/partyarrears"
    default_view = "arrears"
    class_permission_name = "DuesPayment"
    method_permission_name = {"arrears": "read", "arrears_export": "export"}

    @staticmethod
    def _params():
        this_year = today_cn().year
        year = _int_arg("year", this_year, 2000, this_year)
        branches, branch = _branch_arg()
        return year, branches, branch

    @staticmethod
    def title(year: int) -> str:
        return gettext("Party dues in arrears, %(year)s", year=year)

    @expose("/arrears/")
    @has_access
    def arrears(self):
        year, branches, branch = self._params()
        rows = dues_arrears(db.session, year, None if branch is None else [branch])
        this_year = today_cn().year
        owed = sum((r.owed for r in rows if r.owed is not None), Decimal("0"))
        return self.render_template(
            "office/party/arrears.html", title=self.title(year), rows=rows, year=year,
            years=list(range(this_year, this_year - 6, -1)), branches=branches, branch=branch,
            status_label=lambda code: lookup_label(MEMBER_STATUS, code), total_owed=owed,
            total_months=sum(r.month_count for r in rows), can_export=self.can("export"),
            query=request.query_string.decode())

    @expose("/export/")
    @has_access
    def arrears_export(self):
        year, _branches, branch = self._params()
        rows = dues_arrears(db.session, year, None if branch is None else [branch])
        title = self.title(year)
        columns = [
            _column(gettext("No."), "int", lambda r: r[0], 6),
            _column(gettext("Branch"), "string", lambda r: r[1].branch_name, 24),
            _column(gettext("Party member"), "string", lambda r: r[1].member_name, 12),
            _column(gettext("Membership status"), "string", lambda r: lookup_label(MEMBER_STATUS, r[1].status), 12),
            _column(gettext("Months unpaid"), "string", lambda r: r[1].months_text, 40),
            _column(gettext("Number of months"), "int", lambda r: r[1].month_count, 10),
            _column(gettext("Amount owed (yuan)"), "number", lambda r: r[1].owed, 14),
            _column(gettext("Last month paid"), "string",
                    lambda r: f"{r[1].last_paid:%Y-%m}" if r[1].last_paid else "", 14),
        ]
        wb, path = new_workbook()
        sheet = SheetWriter(wb, str(year), columns, title=title)
        for i, row in enumerate(rows, start=1):
            sheet.write((i, row))
        sheet.finish()
        wb.close()
        return send_xlsx(path, f"{title}.xlsx")


register_page(PartyActivityLedgerView, GROUP, "PartyActivity", _l("Three meetings and one lesson ledger"),
              "fa-check-square-o")
register_page(DuesArrearsView, GROUP, "DuesPayment", _l("Party dues in arrears"), "fa-exclamation-circle")
