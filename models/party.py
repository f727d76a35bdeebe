"""Party affairs of the office (党务, docs/domain.md §2, function 13).

The office's Party organisation is the Office Party Committee (机关党委) with one branch
(党支部) per division. A `PartyBranch` has a secretary and a committee
(`PartyBranchCommittee`: 书记, 副书记, 组织委员, 宣传委员, 纪检委员) elected for a term of
three years: the term light turns yellow when the next election (换届) is due within
PARTY_TERM_YELLOW_DAYS days (app setting, 90 by default) and red once the term has ended.

A `PartyMember` links a `Personnel` record whose political status is 01 中共党员 or
02 中共预备党员, with the dates of admission (joined) and of confirmation as a full member
(转正). A probationary member is normally confirmed one year after admission (党章 Art. 7):
`confirmation_overdue` flags those past that year and not confirmed. Transfers of the
organisational relation in and out (组织关系转接) are `PartyTransfer` rows.

`PartyActivity` records the "three meetings and one lesson" (三会一课: 支部党员大会,
支部委员会, 党小组会, 党课) and the themed Party day (主题党日), with one
`PartyActivityAttendance` row per member. `activity_ledger()` compares what was held in
a quarter with what the branch work regulations require (`ACTIVITY_REQUIREMENTS`).

`DuesPayment` is one month's Party dues (党费) of one member. The rate follows the
Organisation Department's bands (中组部《关于中国共产党党费收缴、使用和管理的规定》2008):
monthly income up to 3000 yuan 0.5%, up to 5000 1%, up to 10000 1.5%, above 2%.
`dues_arrears()` lists the months not paid up to the current month.

Rules are pure functions (`*_problems(record) -> list[str]`) with translated messages;
defaults (term end, dues rate and amount, month = first day) are applied by the model
itself, so screens, the REST API and imports behave alike.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from flask import current_app, has_app_context
from flask_babel import gettext
from sqlalchemy import (
    CheckConstraint,
    Date,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column, validates

from models.base import (
    BusinessRecord,
    Model,
    _l,
    add_years,
    child_rows,
    display,
    fk_column,
    flag,
    label,
    lookup_column,
    parent_key,
    parent_relation,
    relation,
    today_cn,
)
from models.lookups import RAG_LIGHT, define_lookup, lookup_label
from models.org import POLITICAL_STATUS

# --- Enumerations ------------------------------------------------------------------------------
COMMITTEE_POST = define_lookup("party_committee_post", _l("Committee post"), [
    ("SHUJI", "书记", "Secretary"),
    ("FUSHUJI", "副书记", "Deputy secretary"),
    ("ZUZHI", "组织委员", "Organisation member"),
    ("XUANCHUAN", "宣传委员", "Publicity member"),
    ("JIJIAN", "纪检委员", "Discipline inspection member"),
])
MEMBER_STATUS = define_lookup("party_member_status", _l("Membership status"), [
    ("NORMAL", "正常", "Normal"),
    ("MOBILE", "流动", "Mobile"),
    ("TRANSFERRED_OUT", "组织关系转出", "Transferred out"),
])
TRANSFER_DIRECTION = define_lookup("party_transfer_direction", _l("Transfer direction"), [
    ("IN", "转入", "Transferred in"),
    ("OUT", "转出", "Transferred out"),
])
ACTIVITY_TYPE = define_lookup("party_activity_type", _l("Activity type"), [
    ("DANGYUAN_DAHUI", "支部党员大会", "Branch general meeting"),
    ("ZHIWEIHUI", "支部委员会", "Branch committee meeting"),
    ("DANGXIAOZU", "党小组会", "Party group meeting"),
    ("DANGKE", "党课", "Party lecture"),
    ("ZHUTI_DANGRI", "主题党日", "Themed Party day"),
])

#: Statuses of a member who still belongs to the branch (counted, owes dues).
ACTIVE_MEMBER_STATUSES = frozenset({"NORMAL", "MOBILE"})
#: A full member may sit on a branch committee; a probationary one may not (党章 Art. 7:
#: probationary members have no right to vote, elect or be elected).
FULL_MEMBER = "01"
PARTY_STATUSES = frozenset({"01", "02"})

#: Years of a branch committee's term (《中国共产党支部工作条例（试行）》2018: 3 years).
TERM_YEARS = 3
#: Days before the end of the term at which the light turns yellow (app setting PARTY_TERM_YELLOW_DAYS).
TERM_YELLOW_DAYS = 90
#: Days before the end of the probationary year at which the light turns yellow
#: (app setting PARTY_CONFIRM_YELLOW_DAYS).
CONFIRM_YELLOW_DAYS = 30
#: A probationary member is confirmed after one year (党章 Art. 7).
PROBATION_YEARS = 1


def _setting(key: str, default: int) -> int:
    if has_app_context():
        return int(current_app.config.get(key, default))
    return default



def first_of_month(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.replace(day=1)


def _light(due: Optional[dt.date], yellow_days: int, today: Optional[dt.date] = None) -> Optional[str]:
    if due is None:
        return None
    today = today or today_cn()
    if today > due:
        return "RED"
    if (due - today).days <= yellow_days:
        return "YELLOW"
    return "GREEN"


# --- Branches -----------------------------------------------------------------------------------
class PartyBranch(BusinessRecord, Model):
    """党支部: one branch of the Office Party Committee, usually one per division."""

    __tablename__ = "party_branch"
    __table_args__ = (CheckConstraint("term_end IS NULL OR term_start IS NULL OR term_end > term_start",
                                      name="ck_party_branch_term"),)
    __order__ = ("sort_order", "asc")

    name: Mapped[str] = mapped_column(String(100), index=True, info=label(
        _l("Branch name"), description=_l("e.g. 秘书一处党支部")))
    parent_org_id: Mapped[Optional[int]] = fk_column("department", _l("Parent Party organisation"), description=_l(
        "e.g. the Office Party Committee"))
    parent_org = relation("Department", parent_org_id, _l("Parent Party organisation"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Division"), description=_l(
        "The division whose staff the branch organises"))
    department = relation("Department", department_id, _l("Division"))
    secretary_id: Mapped[Optional[int]] = fk_column("personnel", _l("Branch secretary"))
    secretary = relation("Personnel", secretary_id, _l("Branch secretary"))
    established_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Established on")))
    term_start: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Current term from"), description=_l("Date the current committee was elected")))
    term_end: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Current term until"), description=_l("Leave empty for three years after the start of the term")))
    sort_order: Mapped[int] = mapped_column(Integer, default=100, index=True, info=label(
        _l("Official order"), description=_l("Order in ledgers and lists")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    committee = child_rows("PartyBranchCommittee", "branch", _l("Committee members"),
                           order_by="PartyBranchCommittee.seq")
    members = child_rows("PartyMember", "branch", _l("Party members"), owned=False)

    @display(_l("Election light"), lookup=RAG_LIGHT,
             description=_l("Yellow when the term ends within the warning period, red once it has ended"))
    def term_light(self) -> Optional[str]:
        return _light(self.term_end, _setting("PARTY_TERM_YELLOW_DAYS", TERM_YELLOW_DAYS))

    @display(_l("Members"), reads=("members",), description=_l("Members in normal or mobile status"))
    def member_count(self) -> int:
        return sum(1 for m in self.members if not m.is_deleted and m.status in ACTIVE_MEMBER_STATUSES)

    def __str__(self) -> str:
        return self.name or ""


class PartyBranchCommittee(BusinessRecord, Model):
    """支部委员: one seat on a branch committee."""

    __tablename__ = "party_branch_committee"
    __str_reads__ = ("personnel",)    # its label names it: lists load it with the row

    branch_id: Mapped[int] = parent_key("party_branch", _l("Branch"))
    branch = parent_relation("PartyBranch", "committee", _l("Branch"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    personnel_id: Mapped[int] = fk_column("personnel", _l("Committee member"), nullable=False)
    personnel = relation("Personnel", personnel_id, _l("Committee member"))
    post: Mapped[str] = lookup_column(COMMITTEE_POST, _l("Committee post"), nullable=False)
    remark: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Remarks")))

    def __str__(self) -> str:
        who = str(self.personnel) if self.personnel is not None else ""
        return f"{lookup_label(COMMITTEE_POST, self.post)} {who}".strip()


# --- Members -------------------------------------------------------------------------------------
class PartyMember(BusinessRecord, Model):
    """党员: a member of staff registered in a branch."""

    __tablename__ = "party_member"
    #: Found by the global search by its pinyin initials too (王小明 → wxm: app/search/words.py).
    __person_names__ = ("name",)
    __table_args__ = (CheckConstraint("confirmed_date IS NULL OR joined_date IS NULL OR confirmed_date >= joined_date",
                                      name="ck_party_member_dates"),)
    __order__ = ("name", "asc")

    personnel_id: Mapped[int] = fk_column("personnel", _l("Personnel record"), nullable=False, description=_l(
        "Political status must be CPC member or CPC probationary member"))
    personnel = relation("Personnel", personnel_id, _l("Personnel record"))
    name: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Full name"), description=_l("Taken from the personnel record")))
    branch_id: Mapped[int] = fk_column("party_branch", _l("Party branch"), nullable=False)
    branch = parent_relation("PartyBranch", "members", _l("Party branch"), foreign_keys=[branch_id])
    party_group: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Party group"), description=_l("e.g. 第一党小组")))
    joined_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Joined the Party"), description=_l("Date of admission as a probationary member")))
    confirmed_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Confirmed as full member"), description=_l("Normally one year after joining")))
    status: Mapped[str] = lookup_column(MEMBER_STATUS, _l("Membership status"), nullable=False, default="NORMAL")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    transfers = child_rows("PartyTransfer", "member", _l("Transfers"), order_by="PartyTransfer.transfer_date.desc()")
    dues = child_rows("DuesPayment", "member", _l("Party dues"), order_by="DuesPayment.month.desc()", owned=False)

    def linked_personnel(self):
        """The personnel record, also when only its id is set (a form or API save not yet flushed)."""
        if self.personnel is not None or self.personnel_id is None or not has_app_context():
            return self.personnel
        from app.extensions import db
        from models.org import Personnel

        return db.session.get(Personnel, self.personnel_id)

    @display(_l("Political status"), lookup=POLITICAL_STATUS, reads=("personnel",), sensitive=True, mask="other")
    def political_status(self) -> Optional[str]:
        return getattr(self.linked_personnel(), "political_status", None)

    @display(_l("Division"), reads=("personnel.department",))
    def division(self) -> str:
        person = self.linked_personnel()
        return str(person.department) if person is not None and person.department is not None else ""

    @display(_l("Confirmation due"), description=_l("One year after joining"))
    def confirmation_due(self) -> Optional[dt.date]:
        return add_years(self.joined_date, PROBATION_YEARS) if self.joined_date else None

    @display(_l("Confirmation overdue"), description=_l("Joined more than a year ago and not yet confirmed"))
    def confirmation_overdue(self) -> bool:
        return is_confirmation_overdue(self)

    @display(_l("Confirmation light"), lookup=RAG_LIGHT,
             description=_l("Probationary members only: red once the probationary year is over"))
    def confirmation_light(self) -> Optional[str]:
        if self.confirmed_date is not None or self.joined_date is None:
            return None
        return _light(self.confirmation_due, _setting("PARTY_CONFIRM_YELLOW_DAYS", CONFIRM_YELLOW_DAYS))

    def __str__(self) -> str:
        if self.name:
            return self.name
        return str(self.personnel) if self.personnel is not None else ""


def is_confirmation_overdue(member: PartyMember, today: Optional[dt.date] = None) -> bool:
    """Joined more than a year ago and not confirmed."""
    if member.joined_date is None or member.confirmed_date is not None:
        return False
    return (today or today_cn()) > add_years(member.joined_date, PROBATION_YEARS)


class PartyTransfer(BusinessRecord, Model):
    """组织关系转接: the member's organisational relation transferred in or out."""

    __tablename__ = "party_transfer"

    member_id: Mapped[int] = parent_key("party_member", _l("Party member"))
    member = parent_relation("PartyMember", "transfers", _l("Party member"))
    direction: Mapped[str] = lookup_column(TRANSFER_DIRECTION, _l("Transfer direction"), nullable=False)
    transfer_date: Mapped[dt.date] = mapped_column(Date, default=today_cn, index=True, info=label(
        _l("Transfer date")))
    from_org: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("From organisation"), description=_l("e.g. 中共厦门市发展和改革委员会机关委员会")))
    to_org: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("To organisation")))
    letter_no: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Letter number"), description=_l("Number of the letter of introduction")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return f"{lookup_label(TRANSFER_DIRECTION, self.direction)} {self.transfer_date or ''}".strip()


# --- Activities ----------------------------------------------------------------------------------
class PartyActivity(BusinessRecord, Model):
    """三会一课 / 主题党日: one meeting, lecture or themed day a branch held."""

    __tablename__ = "party_activity"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("activity_date", "activity_type", "topic")

    branch_id: Mapped[int] = fk_column("party_branch", _l("Branch"), nullable=False)
    branch = relation("PartyBranch", branch_id, _l("Branch"))
    activity_type: Mapped[str] = lookup_column(ACTIVITY_TYPE, _l("Activity type"), nullable=False)
    activity_date: Mapped[dt.date] = mapped_column(Date, default=today_cn, nullable=False, index=True, info=label(
        _l("Date held")))
    topic: Mapped[str] = mapped_column(String(200), index=True, info=label(_l("Topic")))
    venue: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Venue")))
    presider_id: Mapped[Optional[int]] = fk_column("personnel", _l("Presided by"))
    presider = relation("Personnel", presider_id, _l("Presided by"))
    recorder_id: Mapped[Optional[int]] = fk_column("personnel", _l("Recorded by"))
    recorder = relation("Personnel", recorder_id, _l("Recorded by"))
    minutes: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Meeting record")))
    attachments_note: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Attachments"), description=_l("Where the sign-in sheet, photos and materials are kept")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    attendance = child_rows("PartyActivityAttendance", "activity", _l("Attendance"),
                            order_by="PartyActivityAttendance.id")

    @display(_l("Present"), reads=("attendance",), description=_l("Members present / members recorded"))
    def attendance_summary(self) -> str:
        rows = [a for a in self.attendance if not a.is_deleted]
        if not rows:
            return ""
        return f"{sum(1 for a in rows if a.attended)}/{len(rows)}"

    def __str__(self) -> str:
        kind = lookup_label(ACTIVITY_TYPE, self.activity_type)
        return f"{self.activity_date or ''} {kind} {self.topic or ''}".strip()


class PartyActivityAttendance(BusinessRecord, Model):
    """出席情况: whether one member attended one activity, and why not."""

    __tablename__ = "party_activity_attendance"
    __str_reads__ = ("member",)    # its label names it: lists load it with the row
    __table_args__ = (UniqueConstraint("activity_id", "member_id", name="uq_party_attendance_member"),)

    activity_id: Mapped[int] = parent_key("party_activity", _l("Activity"))
    activity = parent_relation("PartyActivity", "attendance", _l("Activity"))
    member_id: Mapped[int] = fk_column("party_member", _l("Party member"), nullable=False)
    member = relation("PartyMember", member_id, _l("Party member"))
    # Nullable only because FAB turns a NOT NULL boolean into a required checkbox.
    attended: Mapped[Optional[bool]] = flag(_l("Attended"), default=True)
    absence_reason: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Reason for absence"), description=_l("e.g. 因公出差, 病假")))

    def __str__(self) -> str:
        return str(self.member) if self.member is not None else ""


# --- Dues ----------------------------------------------------------------------------------------
#: (upper limit of the monthly income, inclusive; rate in %) — the last band has no limit.
DUES_BANDS: list[tuple[Optional[Decimal], Decimal]] = [
    (Decimal("3000"), Decimal("0.5")),
    (Decimal("5000"), Decimal("1")),
    (Decimal("10000"), Decimal("1.5")),
    (None, Decimal("2")),
]
CENT = Decimal("0.01")


def standard_rate(base) -> Decimal:
    """The rate (%) of the band the monthly income `base` falls in."""
    base = Decimal(str(base))
    for limit, rate in DUES_BANDS:
        if limit is None or base <= limit:
            return rate
    return DUES_BANDS[-1][1]


def dues_amount(base, rate) -> Decimal:
    """base × rate / 100, to the cent (half up)."""
    return (Decimal(str(base)) * Decimal(str(rate)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


class DuesPayment(BusinessRecord, Model):
    """党费: one month's dues of one member."""

    __tablename__ = "dues_payment"
    __table_args__ = (
        UniqueConstraint("member_id", "month", name="uq_dues_member_month"),
        CheckConstraint("base >= 0", name="ck_dues_base"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="ck_dues_amount"),
    )

    member_id: Mapped[int] = fk_column("party_member", _l("Party member"), nullable=False)
    member = parent_relation("PartyMember", "dues", _l("Party member"), foreign_keys=[member_id])
    month: Mapped[dt.date] = mapped_column(Date, index=True, info=label(
        _l("Month"), description=_l("Any day of the month: stored as its first day")))
    base: Mapped[Decimal] = mapped_column(Numeric(10, 2), info=label(
        _l("Dues base (yuan)"), description=_l("Monthly income the dues are calculated on")))
    rate: Mapped[Optional[Decimal]] = mapped_column(Numeric(5, 2), info=label(
        _l("Rate (%)"), description=_l("Leave empty for the standard rate of the base: "
                                       "0.5% up to 3000 yuan, 1% up to 5000, 1.5% up to 10000, 2% above")))
    amount: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2), info=label(
        _l("Dues amount (yuan)"), description=_l("Leave empty for base times rate")))
    paid_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Paid on"), description=_l("Empty while unpaid")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    @validates("month")
    def _first_day(self, _key, value):
        return first_of_month(value) if isinstance(value, dt.date) else value

    @display(_l("Paid"))
    def is_paid(self) -> bool:
        return self.paid_date is not None

    def apply_defaults(self) -> None:
        """Rate from the base's band, amount = base × rate / 100, when left empty."""
        if self.rate is None and self.base is not None:
            self.rate = standard_rate(self.base)
        if self.amount is None and self.base is not None and self.rate is not None:
            self.amount = dues_amount(self.base, self.rate)

    def __str__(self) -> str:
        who = str(self.member) if self.member is not None else ""
        return f"{who} {self.month:%Y-%m}".strip() if self.month else who


# --- Rules (pure: they read, never write) ----------------------------------------------------------
def _session():
    if not has_app_context():
        return None
    from app.extensions import db

    return db.session


def _person(record, attr: str):
    obj = getattr(record, attr, None)
    if obj is not None:
        return obj
    pk = getattr(record, f"{attr}_id", None)
    session = _session()
    if pk is None or session is None:
        return None
    from models.org import Personnel

    return session.get(Personnel, pk)


def _id_of(record, attr: str) -> Optional[int]:
    obj = getattr(record, attr, None)
    if obj is not None and obj.id is not None:
        return obj.id
    return getattr(record, f"{attr}_id", None)


def _not_future(day: Optional[dt.date], what) -> list[str]:
    if day is not None and day > today_cn():
        return [gettext("%(what)s cannot be in the future.", what=what)]
    return []


def _full_member_problems(person, role) -> list[str]:
    if person is None or person.political_status == FULL_MEMBER:
        return []
    return [gettext("%(name)s cannot be %(role)s: only a full CPC member can sit on a branch committee "
                    "(political status: %(status)s).", name=person.name, role=role,
                    status=lookup_label(POLITICAL_STATUS, person.political_status) or gettext("empty"))]


def branch_problems(branch: PartyBranch) -> list[str]:
    """The term ends after it starts; the secretary is a full member."""
    problems: list[str] = []
    if branch.term_start and branch.term_end and branch.term_end <= branch.term_start:
        problems.append(gettext("The end of the term must be later than its start."))
    if branch.established_date and branch.term_start and branch.term_start < branch.established_date:
        problems.append(gettext("The current term cannot start before the branch was established."))
    problems += _full_member_problems(_person(branch, "secretary"), gettext("branch secretary"))
    return problems


def committee_problems(seat: PartyBranchCommittee) -> list[str]:
    """Only full members sit on a committee; a branch has one secretary and each person one seat."""
    problems = _full_member_problems(_person(seat, "personnel"), lookup_label(COMMITTEE_POST, seat.post))
    session, branch_id = _session(), _id_of(seat, "branch")
    if session is None or branch_id is None:
        return problems
    others = select(PartyBranchCommittee).where(
        PartyBranchCommittee.branch_id == branch_id, PartyBranchCommittee.is_deleted.is_(False))
    if seat.id is not None:
        others = others.where(PartyBranchCommittee.id != seat.id)
    others = session.scalars(others).all()
    if seat.post == "SHUJI" and any(o.post == "SHUJI" for o in others):
        problems.append(gettext("This branch already has a secretary on its committee."))
    person_id = _id_of(seat, "personnel")
    if person_id is not None and any(o.personnel_id == person_id for o in others):
        problems.append(gettext("This person already has a seat on the committee of this branch."))
    return problems


def member_problems(member: PartyMember) -> list[str]:
    """The personnel record says 中共党员 or 中共预备党员; one member record per person; dates in order."""
    problems: list[str] = []
    person = member.linked_personnel()
    if person is not None and person.political_status not in PARTY_STATUSES:
        problems.append(gettext(
            "%(name)s cannot be registered as a Party member: the political status on the personnel record is "
            "%(status)s, not CPC member or CPC probationary member.", name=person.name,
            status=lookup_label(POLITICAL_STATUS, person.political_status) or gettext("empty")))
    session, person_id = _session(), _id_of(member, "personnel")
    if session is not None and person_id is not None:
        query = select(func.count()).select_from(PartyMember).where(
            PartyMember.personnel_id == person_id, PartyMember.is_deleted.is_(False))
        if member.id is not None:
            query = query.where(PartyMember.id != member.id)
        if session.scalar(query):
            problems.append(gettext("%(name)s is already registered as a Party member.",
                                    name=getattr(person, "name", "")))
    if member.joined_date and member.confirmed_date and member.confirmed_date < member.joined_date:
        problems.append(gettext("The confirmation date cannot be earlier than the date of joining the Party."))
    problems += _not_future(member.joined_date, gettext("The date of joining the Party"))
    problems += _not_future(member.confirmed_date, gettext("The confirmation date"))
    return problems


def transfer_problems(transfer: PartyTransfer) -> list[str]:
    return _not_future(transfer.transfer_date, gettext("The transfer date"))


def activity_problems(activity: PartyActivity) -> list[str]:
    """An activity is recorded once held: its date is not in the future (the ledger counts what was held)."""
    return _not_future(activity.activity_date, gettext("The date of an activity"))


def attendance_problems(row: PartyActivityAttendance) -> list[str]:
    """An absence has its reason; a member is recorded once per activity."""
    problems: list[str] = []
    if row.attended is False and not (row.absence_reason or "").strip():
        problems.append(gettext("Give the reason for the absence."))
    session, activity_id, member_id = _session(), _id_of(row, "activity"), _id_of(row, "member")
    if session is not None and activity_id is not None and member_id is not None:
        query = select(func.count()).select_from(PartyActivityAttendance).where(
            PartyActivityAttendance.activity_id == activity_id, PartyActivityAttendance.member_id == member_id)
        if row.id is not None:
            query = query.where(PartyActivityAttendance.id != row.id)
        if session.scalar(query):
            problems.append(gettext("This member is already recorded for this activity."))
    return problems


def dues_problems(payment: DuesPayment) -> list[str]:
    """Amounts not negative, the rate a percentage, one payment per member and month."""
    problems: list[str] = []
    if payment.base is not None and Decimal(payment.base) < 0:
        problems.append(gettext("The dues base cannot be negative."))
    if payment.rate is not None and not (0 <= Decimal(payment.rate) <= 100):
        problems.append(gettext("The rate is a percentage between 0 and 100."))
    if payment.amount is not None and Decimal(payment.amount) < 0:
        problems.append(gettext("The amount cannot be negative."))
    if payment.month and payment.paid_date and payment.paid_date > today_cn():
        problems.append(gettext("The payment date cannot be in the future."))
    session, member_id = _session(), _id_of(payment, "member")
    if session is not None and member_id is not None and payment.month is not None:
        query = select(func.count()).select_from(DuesPayment).where(
            DuesPayment.member_id == member_id, DuesPayment.month == first_of_month(payment.month))
        if payment.id is not None:
            query = query.where(DuesPayment.id != payment.id)
        if session.scalar(query):
            problems.append(gettext("The dues of this member for %(month)s are already recorded.",
                                    month=f"{payment.month:%Y-%m}"))
    return problems


# --- Save hooks (views/party.py declares them; app/lifecycle/__init__.py runs them) -----------------
def branch_defaults(branch: PartyBranch, change) -> None:
    """Term end = start + 3 years; a renamed branch's name follows on its active members'
    personnel records."""
    if branch.term_start is not None and branch.term_end is None:
        branch.term_end = add_years(branch.term_start, TERM_YEARS)
    if branch.id is not None and sa_inspect(branch).attrs.name.history.deleted:
        for member in branch.members:
            person = member.personnel
            if person is not None and member.status in ACTIVE_MEMBER_STATUSES:
                person.party_branch = branch.name


def dues_defaults(payment: DuesPayment, _change) -> None:
    """The month is its first day; the rate and amount follow the base (`apply_defaults`)."""
    if payment.month is not None:
        payment.month = first_of_month(payment.month)
    payment.apply_defaults()


def member_follows_personnel(member: PartyMember, change) -> None:
    """A member's name comes from his personnel record, and the personnel record is kept in
    step with the membership (branch name; 预备党员 → 中共党员 on confirmation; join date)."""
    from models.org import Personnel

    session = change.session
    person = member.personnel
    if person is None and member.personnel_id is not None:
        person = session.get(Personnel, member.personnel_id)
    branch = member.branch
    if branch is None and member.branch_id is not None:
        branch = session.get(PartyBranch, member.branch_id)
    if person is None:
        return
    if member.name != person.name:
        member.name = person.name
    if member.is_deleted or member.status not in ACTIVE_MEMBER_STATUSES:
        return
    if branch is not None and person.party_branch != branch.name:
        person.party_branch = branch.name
    if member.confirmed_date is not None and person.political_status == "02":
        person.political_status = FULL_MEMBER
    if person.party_join_date is None and member.joined_date is not None:
        person.party_join_date = member.joined_date


def members_follow_name(person, change) -> None:
    """A personnel record renamed: his Party membership records take the new name
    (declared on Personnel in views/org.py)."""
    if person.id is None or not sa_inspect(person).attrs.name.history.deleted:
        return
    for member in change.session.scalars(select(PartyMember).where(PartyMember.personnel_id == person.id)):
        member.name = person.name


# --- The activity-gap ledger (三会一课台账) ------------------------------------------------------------
@dataclass(frozen=True)
class ActivityRequirement:
    activity_type: str
    frequency: str          # MONTHLY or QUARTERLY: how the regulations state it
    per_quarter: int


#: 《中国共产党支部工作条例（试行）》(2018) Art. 19: the branch general meeting once a
#: quarter, the branch committee once a month, the Party group meeting once a month,
#: a Party lecture once a quarter. The ledger reads this table and nothing else.
ACTIVITY_REQUIREMENTS: tuple[ActivityRequirement, ...] = (
    ActivityRequirement("DANGYUAN_DAHUI", "QUARTERLY", 1),
    ActivityRequirement("ZHIWEIHUI", "MONTHLY", 3),
    ActivityRequirement("DANGXIAOZU", "MONTHLY", 3),
    ActivityRequirement("DANGKE", "QUARTERLY", 1),
)
FREQUENCY_LABELS = {"MONTHLY": _l("Monthly"), "QUARTERLY": _l("Quarterly")}


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1..4, not {quarter!r}")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


@dataclass
class LedgerRow:
    branch_id: int
    branch_name: str
    activity_type: str
    frequency: str
    required: int
    held: int
    light: str
    last_held: Optional[dt.date] = None

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.held)

    @property
    def met(self) -> bool:
        return self.held >= self.required


def activity_ledger(session, year: int, quarter: int, branch_ids: Optional[Iterable[int]] = None, *,
                    today: Optional[dt.date] = None) -> list[LedgerRow]:
    """One row per branch × required activity type: required in the quarter, held (non-deleted
    activities dated in the quarter), and the light — GREEN met, YELLOW not yet met while the
    quarter runs (or has not begun), RED not met in a quarter that is over. Branches established
    after the quarter are left out."""
    start, end = quarter_bounds(year, quarter)
    today = today or today_cn()
    query = select(PartyBranch).where(PartyBranch.is_deleted.is_(False)).where(
        (PartyBranch.established_date.is_(None)) | (PartyBranch.established_date <= end))
    ids = None if branch_ids is None else [int(i) for i in branch_ids]
    if ids is not None:
        query = query.where(PartyBranch.id.in_(ids))
    branches = session.scalars(query.order_by(PartyBranch.sort_order, PartyBranch.name, PartyBranch.id)).all()
    if not branches:
        return []
    held_query = (
        select(PartyActivity.branch_id, PartyActivity.activity_type, func.count(),
               func.max(PartyActivity.activity_date))
        .where(PartyActivity.is_deleted.is_(False), PartyActivity.activity_date >= start,
               PartyActivity.activity_date <= end, PartyActivity.branch_id.in_([b.id for b in branches]))
        .group_by(PartyActivity.branch_id, PartyActivity.activity_type)
    )
    held = {(b, t): (n, last) for b, t, n, last in session.execute(held_query)}
    rows = []
    for branch in branches:
        for req in ACTIVITY_REQUIREMENTS:
            count, last = held.get((branch.id, req.activity_type), (0, None))
            if count >= req.per_quarter:
                light = "GREEN"
            else:
                light = "RED" if today > end else "YELLOW"
            rows.append(LedgerRow(branch.id, branch.name, req.activity_type, req.frequency, req.per_quarter,
                                  count, light, last))
    return rows


# --- Dues in arrears (党费欠缴) ------------------------------------------------------------------------
@dataclass
class ArrearsRow:
    member_id: int
    member_name: str
    branch_name: str
    status: str
    months: list[dt.date] = field(default_factory=list)
    owed: Optional[Decimal] = None
    last_paid: Optional[dt.date] = None

    @property
    def month_count(self) -> int:
        return len(self.months)

    @property
    def months_text(self) -> str:
        return "、".join(f"{m:%Y-%m}" for m in self.months)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], first_of_month(start)
    while day <= end:
        out.append(day)
        day = next_month(day)
    return out


def dues_arrears(session, year: Optional[int] = None, branch_ids: Optional[Iterable[int]] = None, *,
                 today: Optional[dt.date] = None) -> list[ArrearsRow]:
    """Members (normal or mobile) with months of `year` up to the current month that are not
    paid. A member owes from the later of January, the month he joined the Party and the
    month after his latest transfer in (the sending organisation collected that month);
    a transferred-out member settled his dues with the transfer letter and is left out.
    `owed` adds the recorded amount of each unpaid month, or the last known monthly amount
    where no row exists (None when nothing is known)."""
    today = today or today_cn()
    year = year or today.year
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 1), first_of_month(today))
    if last < first:
        return []
    query = (select(PartyMember).join(PartyBranch, PartyMember.branch_id == PartyBranch.id)
             .where(PartyMember.is_deleted.is_(False), PartyMember.status.in_(ACTIVE_MEMBER_STATUSES)))
    if branch_ids is not None:
        query = query.where(PartyMember.branch_id.in_([int(i) for i in branch_ids]))
    members = session.scalars(query.order_by(PartyBranch.sort_order, PartyBranch.name, PartyMember.name)).all()
    if not members:
        return []
    ids = [m.id for m in members]
    payments: dict[int, dict[dt.date, DuesPayment]] = {}
    last_amount: dict[int, tuple[dt.date, Decimal]] = {}
    last_paid: dict[int, dt.date] = {}
    for p in session.scalars(select(DuesPayment).where(DuesPayment.member_id.in_(ids),
                                                       DuesPayment.is_deleted.is_(False))):
        payments.setdefault(p.member_id, {})[p.month] = p
        if p.amount is not None and (p.member_id not in last_amount or p.month > last_amount[p.member_id][0]):
            last_amount[p.member_id] = (p.month, Decimal(p.amount))
        if p.paid_date is not None and (p.member_id not in last_paid or p.month > last_paid[p.member_id]):
            last_paid[p.member_id] = p.month
    transfers_in: dict[int, dt.date] = {}
    for member_id, day in session.execute(
            select(PartyTransfer.member_id, func.max(PartyTransfer.transfer_date))
            .where(PartyTransfer.member_id.in_(ids), PartyTransfer.direction == "IN",
                   PartyTransfer.is_deleted.is_(False))
            .group_by(PartyTransfer.member_id)):
        transfers_in[member_id] = day
    rows = []
    for m in members:
        start = first
        if m.joined_date is not None:
            start = max(start, first_of_month(m.joined_date))
        if m.id in transfers_in and transfers_in[m.id] is not None:
            start = max(start, next_month(transfers_in[m.id]))
        paid = payments.get(m.id, {})
        unpaid = [month for month in _months(start, last) if month not in paid or paid[month].paid_date is None]
        if not unpaid:
            continue
        owed: Optional[Decimal] = Decimal("0")
        for month in unpaid:
            row = paid.get(month)
            if row is not None and row.amount is not None:
                owed += Decimal(row.amount)
            elif m.id in last_amount:
                owed += last_amount[m.id][1]
            else:
                owed = None
                break
        rows.append(ArrearsRow(m.id, str(m), str(m.branch) if m.branch is not None else "", m.status, unpaid,
                               owed, last_paid.get(m.id)))
    return rows
