"""Party affairs: how the Office Party Committee (机关党委) works with branches, members,
the "three meetings and one lesson" and Party dues — plus two ledgers managers hand to
leaders: the activity-gap ledger (三会一课台账) and dues in arrears (党费欠缴).

The ledgers are report ledgers (`register_ledger(..., report=...)`, app/ledgers/spec.py):
their page, Excel file and menu entry come from app/ledgers like every other ledger's, on
the permissions of the entity they read: the page needs "read" on it, the Excel file "export".
"""
from __future__ import annotations

from decimal import Decimal

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.ledgers import SERIAL, Computed, Param, register_ledger
from app.registry import register
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
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"name": ["党支部名称"], "secretary": ["书记"]},
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
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"branch": ["党支部"], "joined_date": ["入党日期"],
              "confirmed_date": ["转正时间"]},
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
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"branch": ["支部"], "activity_date": ["活动日期", "召开时间"], "topic": ["主题", "会议主题"],
              "presider": ["主持"]},
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
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"member": ["姓名"], "month": ["缴费月份"], "base": ["缴费基数"],
              "paid_date": ["缴费日期", "交纳日期"]},
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
# Report ledgers (app/ledgers/spec.py): rows computed by models/party.py for the year,
# quarter and branch chosen on the ledger's page; the page needs "read" on the entity, the
# Excel file "export".
LIGHT_BADGES = {"GREEN": "success", "YELLOW": "warning", "RED": "danger"}


def _branches() -> list[tuple[int, str]]:
    found = db.session.scalars(select(PartyBranch).where(PartyBranch.is_deleted.is_(False))
                               .order_by(PartyBranch.sort_order, PartyBranch.name)).all()
    return [(b.id, b.name) for b in found]


def _years(ahead: int) -> list[tuple[int, str]]:
    """This year and five before it, the next one first when `ahead` is 1."""
    this_year = today_cn().year
    return [(y, str(y)) for y in range(this_year + ahead, this_year - 6, -1)]


BRANCH = Param("branch", _l("Branch"), _branches, blank=_l("All branches"))


def _chosen(branch: int | None) -> list[int] | None:
    return None if branch is None else [branch]


def _activity_rows(year: int, quarter: int, branch: int | None):
    return activity_ledger(db.session, year, quarter, _chosen(branch))


def _activity_caption(rows) -> str:
    return gettext("%(met)s of %(total)s requirements met; %(red)s red and %(yellow)s yellow lights.",
                   met=sum(1 for r in rows if r.met), total=len(rows),
                   red=sum(1 for r in rows if r.light == "RED"), yellow=sum(1 for r in rows if r.light == "YELLOW"))


register_ledger(
    "party_activity", _l("Three meetings and one lesson ledger"), PartyActivity,
    report=_activity_rows,
    params=[
        Param("year", _l("Year"), lambda: _years(1), default=lambda: quarter_of(today_cn())[0]),
        Param("quarter", _l("Quarter"), lambda: [(q, gettext("Q%(n)s", n=q)) for q in range(1, 5)],
              default=lambda: quarter_of(today_cn())[1]),
        BRANCH,
    ],
    heading=lambda year, quarter, branch: gettext(
        "Implementation of the three meetings and one lesson, Q%(quarter)s %(year)s", year=year, quarter=quarter),
    columns=[
        SERIAL,
        Computed(_l("Branch"), lambda r: r.branch_name, width=24),
        Computed(_l("Activity type"), lambda r: lookup_label(ACTIVITY_TYPE, r.activity_type), width=16),
        Computed(_l("Frequency"), lambda r: str(FREQUENCY_LABELS[r.frequency]), width=10),
        Computed(_l("Required"), lambda r: r.required, "int", 10),
        Computed(_l("Held"), lambda r: r.held, "int", 10),
        Computed(_l("Shortfall"), lambda r: r.shortfall, "int", 10, shown=lambda r: r.shortfall or None),
        Computed(_l("Light"), lambda r: lookup_label(RAG_LIGHT, r.light), width=10,
                 badge=lambda r: LIGHT_BADGES.get(r.light)),
        Computed(_l("Last held on"), lambda r: r.last_held, "date", 14),
    ],
    caption=_activity_caption, empty=_l("No Party branch to show."),
    note=_l("Per branch and required activity type: how many were required and held in the quarter."),
    icon="fa-check-square-o",
)


def _arrears_rows(year: int, branch: int | None):
    return dues_arrears(db.session, year, _chosen(branch))


def _arrears_caption(rows) -> str:
    owed = sum((r.owed for r in rows if r.owed is not None), Decimal("0"))
    return gettext("%(members)s members owe %(months)s months of dues, %(amount)s yuan in all.",
                   members=len(rows), months=sum(r.month_count for r in rows), amount=f"{owed:,.2f}")


register_ledger(
    "party_dues_arrears", _l("Party dues in arrears"), DuesPayment,
    report=_arrears_rows,
    params=[Param("year", _l("Year"), lambda: _years(0), default=lambda: today_cn().year), BRANCH],
    heading=lambda year, branch: gettext("Party dues in arrears, %(year)s", year=year),
    columns=[
        SERIAL,
        Computed(_l("Branch"), lambda r: r.branch_name, width=24),
        Computed(_l("Party member"), lambda r: r.member_name, width=12,
                 link=lambda r: url_for("PartyMemberView.show", pk=r.member_id)),
        Computed(_l("Membership status"), lambda r: lookup_label(MEMBER_STATUS, r.status), width=12),
        Computed(_l("Months unpaid"), lambda r: r.months_text, width=40),
        Computed(_l("Number of months"), lambda r: r.month_count, "int", 10,
                 badge=lambda r: "danger" if r.month_count >= 3 else "warning"),
        Computed(_l("Amount owed (yuan)"), lambda r: r.owed, "number", 14),
        Computed(_l("Last month paid"), lambda r: f"{r.last_paid:%Y-%m}" if r.last_paid else "", width=14),
    ],
    caption=_arrears_caption, empty=_l("No dues in arrears."),
    note=_l("Members with months of the year, up to the current month, not paid."),
    icon="fa-exclamation-circle",
)
