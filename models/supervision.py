"""Supervision (督查督办, docs/domain.md §4): items and what happens to them.

A `SupervisionItem` is one matter the office follows up — a meeting decision, a
leader's instruction, a task of the government work report, a hotline issue — with a
due date and a red/yellow/green light. Its children record who handles it
(`SupervisionAssignment`, exactly one lead unit), what they report
(`ProgressReport`), how the office chased them (`UrgeRecord`) and their requests for
more time (`ExtensionRequest`).

Status changes go through the workflow engine (views/supervision.py declares the item's
and the extension request's transitions). The checks docs/domain.md states are pure functions
(`assignment_problems`, `extension_problems`, `item_problems`) returning translated
messages, for forms, imports and the workflow to call.

Chains (the end of this module): meeting decisions, 批办 instructions, escalated leader
tasks, key proposals and unresolved hotline cases open their item through `open_item_for`
— on save (`opens_item`, a chain hook) or in a transition's effect — and show its status
(`SupervisedRecord`). Deciding an extension request moves the item's due date and state.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from flask import g, has_request_context, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Integer,
    String,
    Text,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, attributes, mapped_column
from werkzeug.routing import BuildError

from models.base import (
    BusinessRecord,
    Model,
    _l,
    child_rows,
    display,
    fk_column,
    flag,
    label,
    lookup_column,
    now_cn,
    parent_key,
    parent_of,
    parent_relation,
    refuse,
    relation,
    today_cn,
)
from models.base import live as _live
from models.lookups import CO_HANDLER, HANDLING_ROLE, LEAD, RAG_LIGHT, define_lookup
from models.sla import deadline_yellow_days

# --- Enumerations (docs/domain.md §4) ----------------------------------------------------------
SUP_SOURCE_TYPE = define_lookup("sup_source_type", _l("Supervision source"), [
    ("SHANGJI", "上级交办", "Assigned by higher authorities"),
    ("PISHI", "领导批示", "Leader's instruction"),
    ("HUIYI", "会议议定事项", "Meeting decision"),
    ("WENJIAN", "重要文件", "Important document"),
    ("GZBG", "政府工作报告任务", "Government work report task"),
    ("SHISHI", "为民办实事", "Practical matter for the people"),
    ("JYTA", "重点建议提案", "Key suggestion or proposal"),
    ("REXIAN", "12345/媒体", "12345 hotline / media"),
    ("JIAOBAN", "领导交办", "Assigned by a leader"),
    ("QITA", "其他", "Other"),
])
SUP_FEEDBACK_CYCLE = define_lookup("sup_feedback_cycle", _l("Feedback cycle"), [
    ("YICIXING", "一次性", "Once"),
    ("MEIZHOU", "每周", "Weekly"),
    ("MEIYUE", "每月", "Monthly"),
    ("MEIJI", "每季", "Quarterly"),
    ("ANJIEDIAN", "按节点", "At milestones"),
])
SUP_PRIORITY = define_lookup("sup_priority", _l("Supervision level"), [
    ("YIBAN", "一般", "Ordinary"),
    ("ZHONGDIAN", "重点", "Key"),
    ("ZHUANXIANG", "专项督查", "Special inspection"),
])
SUP_STATUS = define_lookup("sup_status", _l("Supervision status"), [
    ("DRAFT", "拟立项", "Draft"),
    ("APPROVED", "已立项", "Approved"),
    ("ASSIGNED", "已交办", "Assigned"),
    ("IN_PROGRESS", "办理中", "In progress"),
    ("EXTENSION_PENDING", "延期审批中", "Extension pending"),
    ("SUBMITTED", "已报结", "Submitted for closing"),
    ("CLOSED", "已办结销号", "Closed and struck off"),
    ("REDO", "退回重办", "Returned for redo"),
    ("LONG_TERM", "长期跟踪", "Long-term tracking"),
])
SUP_URGE_METHOD = define_lookup("sup_urge_method", _l("Urging method"), [
    ("DIANHUA", "电话", "Telephone"),
    ("XITONG", "系统", "Through the system"),
    ("CUIBANDAN", "催办通知单", "Urging notice"),
    ("SHIDI", "实地督查", "On-site inspection"),
])
SUP_EXTENSION_STATUS = define_lookup("sup_extension_status", _l("Extension status"), [
    ("PENDING", "待审批", "Pending"),
    ("APPROVED", "已批准", "Approved"),
    ("REJECTED", "不予批准", "Rejected"),
])

#: Items in these states are finished: no light, no overdue days.
FINISHED_STATES = frozenset({"CLOSED"})
#: Default number of days before the due date at which the light turns yellow
#: (docs/domain.md: configurable; one setting for every deadline, see `deadline_yellow_days`).
YELLOW_DAYS = 3


def yellow_days() -> int:
    """The app setting DEADLINE_YELLOW_DAYS (the older SUPERVISION_YELLOW_DAYS still counts)."""
    return deadline_yellow_days()


def format_item_no(prefix: str, year: int, seq: int) -> str:
    """督办编号 in the office's style: 厦府督〔2026〕123号 (no zero padding, no 第)."""
    return f"{prefix}〔{year}〕{seq}号"


def rag_light_for(status: Optional[str], due_date: Optional[dt.date], today: Optional[dt.date] = None) -> str:
    """RED when open and past due, YELLOW when due within the warning window, else GREEN."""
    if status in FINISHED_STATES or due_date is None:
        return "GREEN"
    today = today or today_cn()
    if today > due_date:
        return "RED"
    if (due_date - today).days <= yellow_days():
        return "YELLOW"
    return "GREEN"


def overdue_days_for(status: Optional[str], due_date: Optional[dt.date], today: Optional[dt.date] = None) -> int:
    if status in FINISHED_STATES or due_date is None:
        return 0
    return max(0, ((today or today_cn()) - due_date).days)


class SupervisionItem(BusinessRecord, Model):
    """督查督办事项: one matter followed up until it is closed."""

    __tablename__ = "supervision_item"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("item_no", "title")

    item_no: Mapped[Optional[str]] = mapped_column(String(50), unique=True, index=True, info=label(
        _l("Supervision number"), description=_l("e.g. 厦府督〔2026〕123号; unique")))
    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Content")))
    requirement: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Supervision requirement")))
    source_type: Mapped[str] = lookup_column(SUP_SOURCE_TYPE, _l("Source"), nullable=False, default="QITA")
    source_ref: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Source reference"), description=_l("Source document number, meeting or instruction")))
    source_document_id: Mapped[Optional[int]] = fk_column("document", _l("Source document"))
    source_document = relation("Document", source_document_id, _l("Source document"))
    responsible_leader: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Responsible leader")))
    supervisor_id: Mapped[Optional[int]] = fk_column("personnel", _l("Supervisor"))
    supervisor = relation("Personnel", supervisor_id, _l("Supervisor"))
    lead_department_id: Mapped[Optional[int]] = fk_column("department", _l("Lead unit"), description=_l(
        "Kept in step with the lead assignment"))
    lead_department = relation("Department", lead_department_id, _l("Lead unit"))
    opened_at: Mapped[Optional[dt.date]] = mapped_column(Date, default=today_cn, index=True, info=label(
        _l("Opened on")))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Due date")))
    feedback_cycle: Mapped[Optional[str]] = lookup_column(SUP_FEEDBACK_CYCLE, _l("Feedback cycle"))
    priority: Mapped[str] = lookup_column(SUP_PRIORITY, _l("Supervision level"), nullable=False, default="YIBAN")
    status: Mapped[str] = lookup_column(SUP_STATUS, _l("Status"), nullable=False, default="DRAFT")
    # 办结销号: the supervision office strikes the item off its books (the `close` step) — when, who,
    # on what basis (the handling units' final report), and its opinion
    closed_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Struck off on")))
    struck_off_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Struck off by"), description=_l("Who in the supervision office struck the item off")))
    strike_off_basis: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Basis for striking off"), description=_l(
            "The report the item is struck off on; left empty: the handling units' latest final report")))
    close_opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Closing opinion")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    assignments = child_rows("SupervisionAssignment", "item", _l("Handling units"), order_by="SupervisionAssignment.id")
    progress_reports = child_rows("ProgressReport", "item", _l("Progress reports"),
                                  order_by="ProgressReport.report_date")
    urge_records = child_rows("UrgeRecord", "item", _l("Urging records"), order_by="UrgeRecord.urged_at")
    extension_requests = child_rows("ExtensionRequest", "item", _l("Extension requests"),
                                    order_by="ExtensionRequest.id")

    # --- derived ------------------------------------------------------------------------
    def _latest_report(self) -> Optional[ProgressReport]:
        reports = [r for r in self.progress_reports if not r.is_deleted and r.report_date is not None]
        return max(reports, key=lambda r: (r.report_date, r.id or 0)) if reports else None

    @display(_l("Latest progress"), reads=("progress_reports",))
    def latest_progress(self) -> str:
        report = self._latest_report()
        if report is None:
            return ""
        return f"{report.progress or ''}（{report.percent or 0}%）" if report.percent is not None \
            else (report.progress or "")

    def final_report(self) -> Optional[ProgressReport]:
        """The handling units' latest report marked final (办结报告): what the item is struck off on."""
        finals = [r for r in self.progress_reports if not r.is_deleted and r.is_final]
        return max(finals, key=lambda r: (r.report_date or dt.date.min, r.id or 0)) if finals else None

    @display(_l("Latest report date"), reads=("progress_reports",))
    def latest_report_date(self) -> Optional[dt.date]:
        report = self._latest_report()
        return report.report_date if report else None

    @display(_l("Co-handling units"), reads=("assignments.department",))
    def co_departments(self) -> str:
        return "、".join(str(a.department) for a in self.assignments
                        if not a.is_deleted and a.role != LEAD and a.department is not None)

    @display(_l("Light"), lookup=RAG_LIGHT)
    def rag_light(self) -> str:
        return rag_light_for(self.status, self.due_date)

    @display(_l("Overdue days"))
    def overdue_days(self) -> int:
        return overdue_days_for(self.status, self.due_date)

    def __str__(self) -> str:
        return f"{self.item_no} {self.title}" if self.item_no else (self.title or "")


class SupervisionAssignment(BusinessRecord, Model):
    """One unit handling an item: the lead (主办), a co-handler (协办) or a separate handler (分办)."""

    __tablename__ = "supervision_assignment"

    item_id: Mapped[int] = parent_key("supervision_item", _l("Supervision item"))
    item = parent_relation("SupervisionItem", "assignments", _l("Supervision item"))
    department_id: Mapped[int] = fk_column("department", _l("Handling unit"), nullable=False)
    department = relation("Department", department_id, _l("Handling unit"))
    role: Mapped[str] = lookup_column(HANDLING_ROLE, _l("Handling role"), nullable=False, default=CO_HANDLER)
    contact_person: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Contact person")))
    contact_phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Contact phone"), sensitive=True, mask="phone"))
    accepted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Accepted at")))
    dept_due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Unit due date"), description=_l("Leave empty to follow the item's due date")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return str(self.department) if self.department is not None else ""


class ProgressReport(BusinessRecord, Model):
    """进展反馈: what a handling unit reports, signed off by its leader before submission."""

    __tablename__ = "progress_report"
    __table_args__ = (CheckConstraint("percent IS NULL OR (percent >= 0 AND percent <= 100)",
                                      name="ck_progress_report_percent"),)

    item_id: Mapped[int] = parent_key("supervision_item", _l("Supervision item"))
    item = parent_relation("SupervisionItem", "progress_reports", _l("Supervision item"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Reporting unit"))
    department = relation("Department", department_id, _l("Reporting unit"))
    period_label: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Period"), description=_l("e.g. 2026年3月, 第二季度, 节点一")))
    report_date: Mapped[Optional[dt.date]] = mapped_column(Date, default=today_cn, index=True, info=label(
        _l("Report date")))
    progress: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Progress")))
    percent: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Completion (%)"), description=_l("0 to 100")))
    problems: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Problems")))
    next_steps: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Next steps")))
    signed_off_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Signed off by"), description=_l("The unit leader who approved the report")))
    # Nullable only because FAB turns a NOT NULL boolean into a required checkbox (unticked = invalid).
    is_final: Mapped[Optional[bool]] = flag(_l("Final report"))

    def __str__(self) -> str:
        return f"{self.period_label or ''} {self.report_date or ''}".strip()


class UrgeRecord(BusinessRecord, Model):
    """催办: one time the office chased a unit."""

    __tablename__ = "urge_record"

    item_id: Mapped[int] = parent_key("supervision_item", _l("Supervision item"))
    item = parent_relation("SupervisionItem", "urge_records", _l("Supervision item"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Urged unit"))
    department = relation("Department", department_id, _l("Urged unit"))
    method: Mapped[str] = lookup_column(SUP_URGE_METHOD, _l("Urging method"), nullable=False, default="DIANHUA")
    urged_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, default=now_cn, index=True, info=label(
        _l("Urged at")))
    urged_by_id: Mapped[Optional[int]] = fk_column("personnel", _l("Urged by"))
    urged_by = relation("Personnel", urged_by_id, _l("Urged by"))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Content")))
    response: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Response")))

    def __str__(self) -> str:
        return f"{self.urged_at:%Y-%m-%d %H:%M}" if self.urged_at else ""


class ExtensionRequest(BusinessRecord, Model):
    """延期申请: a handling unit asks for a later due date, before the current one passes."""

    __tablename__ = "extension_request"

    item_id: Mapped[int] = parent_key("supervision_item", _l("Supervision item"))
    item = parent_relation("SupervisionItem", "extension_requests", _l("Supervision item"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Requesting unit"))
    department = relation("Department", department_id, _l("Requesting unit"))
    filed_at: Mapped[Optional[dt.date]] = mapped_column(Date, default=today_cn, index=True, info=label(
        _l("Filed on"), description=_l("Must be on or before the item's due date")))
    reason: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Reason")))
    original_due: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Due date before extension"), description=_l("Filled from the item when left empty")))
    requested_due: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Requested due date")))
    status: Mapped[str] = lookup_column(SUP_EXTENSION_STATUS, _l("Status"), nullable=False, default="PENDING")
    approved_due: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Approved due date")))
    approver: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Approver")))
    decided_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Decided on")))
    opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Approval opinion")))

    def __str__(self) -> str:
        return f"{self.requested_due or ''}"


# --- Checks docs/domain.md states (pure: they read, never write) -----------------------------------


def lead_assignment(item: SupervisionItem) -> Optional[SupervisionAssignment]:
    """The item's lead (主办) assignment, when there is exactly one."""
    leads = [a for a in _live(item.assignments) if a.role == LEAD]
    return leads[0] if len(leads) == 1 else None


def assignment_problems(item: SupervisionItem, *, while_assigning: bool = False) -> list[str]:
    """What is wrong with an item's handling units: exactly one lead unit, no unit twice,
    the lead unit on the item matching the lead assignment.

    `while_assigning`: units are being added one by one (the lead may come after a
    co-handler, and saving the lead assignment moves the item's lead unit to it), so
    only what adding a unit can break is checked."""
    problems: list[str] = []
    live = _live(item.assignments)
    leads = [a for a in live if a.role == LEAD]
    if not leads and not while_assigning:
        problems.append(gettext("A supervision item needs exactly one lead unit; it has none."))
    elif len(leads) > 1:
        problems.append(gettext("A supervision item needs exactly one lead unit; it has %(n)d.", n=len(leads)))
    seen: set = set()
    for a in live:
        key = a.department_id if a.department_id is not None else id(a.department)
        if a.department is None and a.department_id is None:
            problems.append(gettext("Every handling unit must name a unit."))
            continue
        if key in seen:
            problems.append(gettext("The unit %(unit)s is assigned more than once.", unit=str(a.department or key)))
        seen.add(key)
    if not while_assigning and len(leads) == 1 and item.lead_department is not None \
            and leads[0].department is not None \
            and leads[0].department is not item.lead_department:
        problems.append(gettext("The lead unit of the item differs from its lead assignment."))
    for a in live:
        if a.dept_due_date and item.due_date and a.dept_due_date > item.due_date:
            problems.append(gettext("The due date of %(unit)s is later than the item's due date.",
                                    unit=str(a.department or "")))
    return problems


def extension_problems(req: ExtensionRequest) -> list[str]:
    """An extension must be filed no later than the item's due date and ask for a later one."""
    problems: list[str] = []
    item = req.item
    # Judged against the due date in force when the request was filed: once approved,
    # the item carries the new one.
    due = req.original_due or (item.due_date if item is not None else None)
    filed = req.filed_at or today_cn()
    if due is not None and filed > due:
        problems.append(gettext("An extension must be requested before the item's due date (%(due)s).",
                                due=due.isoformat()))
    if req.requested_due is None:
        problems.append(gettext("Give the requested due date."))
    elif due is not None and req.requested_due <= due:
        problems.append(gettext("The requested due date must be later than the current due date (%(due)s).",
                                due=due.isoformat()))
    if req.status == "APPROVED":
        if req.approved_due is None:
            problems.append(gettext("An approved extension needs the approved due date."))
        elif due is not None and req.approved_due <= due:
            problems.append(gettext("The approved due date must be later than the current due date (%(due)s).",
                                    due=due.isoformat()))
    if req.status in ("APPROVED", "REJECTED") and not req.approver:
        problems.append(gettext("A decided extension request needs its approver."))
    return problems


def _item_of(req: ExtensionRequest) -> Optional[SupervisionItem]:
    return parent_of(req, "item", SupervisionItem)


def grant_extension(req: ExtensionRequest, session: Session) -> None:
    """Effect of granting an extension request: the item takes the approved due date, and an
    item waiting in 延期审批中 goes back to 办理中 (logged on the item as its extension approval)."""
    item = _item_of(req)
    if item is None:
        return
    if item.status == "CLOSED":
        refuse([gettext("The supervision item is already closed: its due date no longer changes.")])
    item.due_date = req.approved_due
    if item.status == "EXTENSION_PENDING":
        move_item(session, item, "approve_extension", "IN_PROGRESS", req.opinion)


def refuse_extension(req: ExtensionRequest, session: Session) -> None:
    """Effect of refusing an extension request: the item keeps its due date and goes back to 办理中."""
    item = _item_of(req)
    if item is not None and item.status == "EXTENSION_PENDING":
        move_item(session, item, "reject_extension", "IN_PROGRESS", req.opinion)


def progress_problems(report: ProgressReport) -> list[str]:
    """The completion is a share: 0 to 100 (the table refuses others; said before it does, so an
    import names the row and a form the field)."""
    if report.percent is not None and not 0 <= report.percent <= 100:
        return [gettext("The completion must be between 0 and 100 (%%); %(value)s given.", value=report.percent)]
    return []


def item_problems(item: SupervisionItem) -> list[str]:
    """Date and closing consistency of an item."""
    problems: list[str] = []
    if item.due_date and item.opened_at and item.due_date < item.opened_at:
        problems.append(gettext("The due date cannot be earlier than the opening date."))
    if item.status == "CLOSED":
        if item.closed_at is None:
            problems.append(gettext("A closed item needs its closing date."))
        if not (item.close_opinion or "").strip():
            problems.append(gettext("A closed item needs a closing opinion."))
    if item.closed_at and item.opened_at and item.closed_at < item.opened_at:
        problems.append(gettext("The closing date cannot be earlier than the opening date."))
    return problems


# --- 办结销号: striking an item off (the `close` step, views/supervision.py) ------------------------
#: The function whose owning units strike items off: the supervision office (督查室).
SUPERVISION_FUNCTION = "F06_Supervision"


def strike_off_problems(item: SupervisionItem) -> list[str]:
    """What keeps an item from being struck off: the handling units' final report (a progress
    report marked final) must be in — an item is struck off on its final report, not on a
    promise."""
    if item.final_report() is None:
        return [gettext("An item is struck off on the handling units' final report: none of its progress "
                        "reports is marked final yet.")]
    return []


def describe_report(report: ProgressReport) -> str:
    """The final report as the 销号依据 names it: unit, period and date."""
    parts = [str(report.department) if report.department is not None else "",
             report.period_label or "", report.report_date.isoformat() if report.report_date else ""]
    return ("办结报告：" + " ".join(p for p in parts if p))[:300]


def acting_name() -> Optional[str]:
    """Who fires a step, as the office names people: his staff record's name, else his login."""
    from app.audit import current_username

    user = getattr(g, "user", None) if has_request_context() else None
    person = getattr(user, "personnel", None)
    return (getattr(person, "name", None) or current_username() or "")[:50] or None


def strike_off(item: SupervisionItem, _session) -> None:
    """Effect of 办结销号: refused without the final report; the basis defaults to that report,
    and the item records who struck it off (the date is the step's stamp)."""
    refuse(strike_off_problems(item))
    if not (item.strike_off_basis or "").strip():
        item.strike_off_basis = describe_report(item.final_report())
    item.struck_off_by = acting_name()


def extension_filed(req: ExtensionRequest, change) -> None:
    """Save hook, a chain (views/supervision.py): a new extension request remembers the due
    date it asks to move, and filing it puts an item in progress into 延期审批中
    (EXTENSION_PENDING) until the request is decided."""
    if not change.created:
        return
    session = change.session
    item = req.item if req.item is not None or req.item_id is None else session.get(SupervisionItem, req.item_id)
    if item is None:
        return
    if req.original_due is None:
        req.original_due = item.due_date
    if req.status in (None, "PENDING") and item.status == "IN_PROGRESS" and item.id is not None:
        move_item(session, item, "request_extension", "EXTENSION_PENDING", req.reason)


def lead_unit_follows(assignment: SupervisionAssignment, change) -> None:
    """Save and delete hook (views/supervision.py): whatever path saves a lead assignment
    (screen, API, import), the item's lead unit follows; a lead assignment trashed, deleted
    or turned into a co-handler takes its unit off (`_forget_lead`)."""
    if not _is_or_was_lead(assignment):
        return                          # a co-handler's save leaves the item's lead unit alone
    item = assignment.item
    if item is None and assignment.item_id is not None:
        item = change.session.get(SupervisionItem, assignment.item_id)
    if item is None:
        return
    if assignment.role != LEAD or assignment.is_deleted or change.deleted:
        _forget_lead(assignment, item)
        return
    if assignment.department is not None:
        if item.lead_department is not assignment.department:
            item.lead_department = assignment.department
    elif assignment.department_id is not None and item.lead_department_id != assignment.department_id:
        item.lead_department_id = assignment.department_id


def _is_or_was_lead(assignment: SupervisionAssignment) -> bool:
    return assignment.role == LEAD or LEAD in (attributes.get_history(assignment, "role").deleted or ())


def _forget_lead(assignment: SupervisionAssignment, item: SupervisionItem) -> None:
    """A lead assignment trashed, deleted or turned into a co-handler takes its unit off the
    item: the copy on the item must not keep the unit's access once the assignment that gave
    it is gone (issue 16). The next lead assignment saved sets it again."""
    if item.lead_department_id != assignment.department_id:
        return
    if any(a is not assignment and a.role == LEAD and a.department_id == assignment.department_id
           for a in _live(item.assignments)):
        return
    item.lead_department = None


# --- 督查通报: the monthly supervision bulletin (views/supervision.py, a report ledger) -------------------
@dataclass
class BulletinRow:
    """One handling unit's month in the bulletin (or the totals row: `unit_id` None, `seq` None)."""

    seq: Optional[int]
    unit_id: Optional[int]
    unit: str
    opened: int = 0                  # items it leads opened (立项) in the month
    on_time: int = 0                 # struck off in the month by their due date
    late: int = 0                    # struck off in the month after their due date
    overdue: int = 0                 # still open at the month's end (or today) past their due date
    urged: int = 0                   # urging records (催办) sent to it in the month

    @property
    def struck_off(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> Optional[float]:
        """Struck off on time among those struck off, in per cent (one decimal); None without any."""
        return round(100.0 * self.on_time / self.struck_off, 1) if self.struck_off else None

    def add(self, other: BulletinRow) -> None:
        for name in ("opened", "on_time", "late", "overdue", "urged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def monthly_bulletin(session, year: int, month: int, condition=None, *, today: Optional[dt.date] = None,
                     no_unit: str = "") -> list[BulletinRow]:
    """督查通报 of one month, one row per lead (主办) unit with anything to report, in the units'
    official order, then a totals row. `condition` limits the items (the reader's scope).

    - opened: items opened (`opened_at`) in the month, drafts (拟立项) left out;
    - struck off on time / late: items struck off (CLOSED, `closed_at` in the month) on or
      before / after their due date (an item without a due date is on time);
    - overdue: items opened by the month's last day (today, for the month running) and not yet
      struck off then, whose due date had passed;
    - urged: urging records dated in the month, counted for the unit urged (the item's lead unit
      when the record names none).
    """
    from models.org import Department

    first, last = month_bounds(year, month)
    today = today or today_cn()
    ref = min(last, today)
    item = SupervisionItem
    live = [item.is_deleted.is_(False), item.status != "DRAFT"]
    if condition is not None:
        live.append(condition)
    rows: dict[Optional[int], BulletinRow] = {}

    def row(unit_id: Optional[int]) -> BulletinRow:
        if unit_id not in rows:
            rows[unit_id] = BulletinRow(None, unit_id, no_unit)
        return rows[unit_id]

    def tally(attr: str, query) -> None:
        for unit_id, n in session.execute(query):
            setattr(row(unit_id), attr, getattr(row(unit_id), attr) + n)

    lead = item.lead_department_id
    by_lead = lambda *where: select(lead, func.count()).where(*live, *where).group_by(lead)  # noqa: E731
    tally("opened", by_lead(item.opened_at >= first, item.opened_at <= last))
    closed = [item.status == "CLOSED", item.closed_at >= first, item.closed_at <= last]
    tally("on_time", by_lead(*closed, or_(item.due_date.is_(None), item.closed_at <= item.due_date)))
    tally("late", by_lead(*closed, item.due_date.isnot(None), item.closed_at > item.due_date))
    still_open = or_(item.status != "CLOSED", item.closed_at.is_(None), item.closed_at > ref)
    tally("overdue", by_lead(item.opened_at <= ref, item.due_date < ref, still_open))
    urged_unit = func.coalesce(UrgeRecord.department_id, item.lead_department_id)
    tally("urged", select(urged_unit, func.count()).select_from(UrgeRecord).join(item, UrgeRecord.item_id == item.id)
          .where(*live, UrgeRecord.is_deleted.is_(False),
                 UrgeRecord.urged_at >= dt.datetime.combine(first, dt.time.min),
                 UrgeRecord.urged_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
          .group_by(urged_unit))
    ids = [u for u in rows if u is not None]
    units = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(ids)))} if ids else {}
    for unit_id, found in rows.items():
        if unit_id in units:
            found.unit = str(units[unit_id])

    def order(found: BulletinRow):
        unit = units.get(found.unit_id)
        return (unit is None, getattr(unit, "sort_order", 0) or 0, found.unit, found.unit_id or 0)

    out = sorted(rows.values(), key=order)
    total = BulletinRow(None, None, "")
    for seq, found in enumerate(out, start=1):
        found.seq = seq
        total.add(found)
    return out + [total] if out else []


# --- Chains: other records open supervision items (docs/domain.md §4, §5, §7) --------------------

def refusing(problems):
    """A transition effect that refuses the step while `problems(record)` (a rule returning
    translated messages) has something to say."""
    def effect(record, _session) -> None:
        refuse(problems(record))
    effect.__doc__ = problems.__doc__
    return effect


def log_status(session: Session, record, transition: str, from_state: Optional[str], to_state: str,
               comment: Optional[str] = None) -> None:
    """A status-log row for a move a chain makes outside the engine (an item opened by its
    source, an item an extension decision moves): same table and shape as the engine's rows,
    so the record's history tells the whole story."""
    from app.audit import current_username
    from models.workflow import log_status as add_row

    add_row(session, record, transition, from_state, to_state, actor=current_username(), comment=comment)


def move_item(session: Session, item: SupervisionItem, transition: str, to_state: str,
              comment: Optional[str] = None) -> None:
    """Put `item` in `to_state` because of something done elsewhere, through the workflow
    engine's chain move (`models.workflow.move`), logged under the item's own transition (e.g.
    `approve_extension` when its extension request is granted)."""
    from models.moves import move

    move(item, to_state, comment, session=session, transition=transition)


def open_item_for(record, source_type: str, *, title: str, session: Session, content: Optional[str] = None,
                  source_ref: Optional[str] = None, lead_department=None, due_date: Optional[dt.date] = None,
                  responsible_leader: Optional[str] = None, link: str = "supervision_item",
                  priority: str = "YIBAN") -> SupervisionItem:
    """Open the SupervisionItem that follows `record` up, link it on `record.<link>` and
    return it; a record already linked keeps its item (opening twice is a no-op).

    Meeting decisions, 批办 instructions, escalated leader tasks, key proposals and
    unresolved hotline cases all reach supervision through here, so the item always
    carries its source type, a reference back and the lead unit and due date it was given.
    The item starts approved (立项): the source's own decision is the approval.

    `lead_department` is a Department or its id (records built from API input carry the id
    only). A due date already past is not copied: an escalated, overdue matter gets its new
    time limit when the supervision office assigns the item. The item's history starts with
    a "created" row naming its source, written once the item has its id."""
    existing = getattr(record, link, None)
    if existing is None and getattr(record, f"{link}_id", None) is not None:
        existing = session.get(SupervisionItem, getattr(record, f"{link}_id"))
    if existing is not None:
        return existing
    today = today_cn()
    item = SupervisionItem(
        title=(title or "")[:300], content=content, source_type=source_type,
        source_ref=(source_ref or "")[:300] or None,
        due_date=due_date if due_date is not None and due_date >= today else None,
        responsible_leader=(responsible_leader or "")[:50] or None,
        opened_at=today, status="APPROVED", priority=priority,
    )
    if isinstance(lead_department, int):
        item.lead_department_id = lead_department
    else:
        item.lead_department = lead_department
    session.add(item)
    setattr(record, link, item)
    from app.lifecycle import when_saved  # the lifecycle reads the registry: not at the top

    when_saved(session, item, lambda: log_status(session, item, "create", None, item.status, source_ref))
    return item


def opens_item(source_type: str, *, wants, details):
    """A save hook (declared as a chain in the entity's `register(on_save=...)`): a record for
    which `wants(record)` holds gets its supervision item when it is saved — whatever path
    saves it (screen, API, import, script). The item is opened once; a record that stops
    wanting one keeps it. `details(record, session)` gives `open_item_for`'s arguments."""
    def hook(record, change) -> None:
        if record.is_deleted or not wants(record):
            return
        if record.supervision_item_id is None and record.supervision_item is None:
            open_item_for(record, source_type, session=change.session, **details(record, change.session))
    hook.__doc__ = f"Opens the {source_type} supervision item of a record that asks for one (opens_item)."
    return hook


class SupervisedRecord:
    """Mixin of the records a supervision item follows up (they carry `supervision_item`):
    their record page shows the item's status and a link to it, so whoever reads a meeting
    decision or a 12345 case sees at once how its supervision stands."""

    def _live_item(self) -> Optional[SupervisionItem]:
        item = getattr(self, "supervision_item", None)
        return item if item is not None and not item.is_deleted else None

    @display(_l("Supervision status"), lookup=SUP_STATUS)
    def supervision_status(self) -> Optional[str]:
        item = self._live_item()
        return item.status if item is not None else None

    @display(_l("Supervision item"))
    def supervision_link(self):
        """The item's number and title, linked to its record page (plain text outside a request)."""
        item = self._live_item()
        if item is None:
            return ""
        text = str(item)
        if not has_request_context():
            return text
        try:
            url = url_for("SupervisionItemView.show", pk=item.id)
        except (BuildError, RuntimeError):
            return text
        return Markup('<a href="{}">{}</a>').format(url, text)
