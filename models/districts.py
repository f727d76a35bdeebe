"""Requests and reports of the district governments (区政府请示/报告, docs/domain.md §5, function 3).

A `DistrictRequest` is one 请示 (a reply is required) or 报告 (read for information) that a
district government sends the municipal government. The office checks its form
(一文一事, one main recipient, no level-skipping 越级, signer shown, countersigning
done), asks the municipal departments concerned for their opinions
(`Consultation`, 征求意见), proposes how to handle it (拟办意见) and submits it up the
approval chain (`DistrictRequestApproval`: 副秘书长 → 秘书长 → 分管副市长 → 市长, or
the executive meeting for major matters). The outcome is a 批复, a 函复, a refusal,
a transfer to a department, a return (退文) or, for a report, 阅知; a follow-up is
supervised as a `SupervisionItem`.

Status changes go through the workflow declared with the entity (views/districts.py);
the request's incoming document moves with it (`DOCUMENT_STATUS_OF`). The checks are
pure functions (`district_request_problems`, `consultation_problems`) returning
translated messages.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import gettext
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, object_session

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
    parent_key,
    parent_of,
    parent_relation,
    relation,
    today_cn,
)
from models.calendar import add_working_days  # also imported from here by the demo seeder
from models.label_sql import joined
from models.lookups import RAG_LIGHT, REQUEST_FOR_INSTRUCTIONS, URGENCY, YES_NO_STANCE, define_lookup
from models.moves import move
from models.supervision import open_item_for

# --- Enumerations (docs/domain.md §5) ----------------------------------------------------------
DR_KIND = define_lookup("district_request_kind", _l("Request kind"), [
    (REQUEST_FOR_INSTRUCTIONS, "请示", "Request for instructions"),
    ("BAOGAO", "报告", "Report"),
])
DR_STATUS = define_lookup("district_request_status", _l("District request status"), [
    ("RECEIVED", "已收文", "Received"),
    ("REVIEWED", "已审核", "Reviewed"),
    ("RETURNED", "已退文", "Returned"),
    ("CONSULTING", "征求意见中", "Consulting"),
    ("PROPOSED", "已拟办", "Opinion proposed"),
    ("PENDING_APPROVAL", "报批中", "Pending approval"),
    ("DECIDED", "已决定", "Decided"),
    ("REPLIED", "已答复", "Replied"),
    ("CLOSED", "已办结", "Closed"),
])
DR_OUTCOME = define_lookup("district_request_outcome", _l("Handling outcome"), [
    ("PIFU", "批复同意", "Approved by official reply"),
    ("HANFU", "函复", "Answered by letter"),
    ("BUTONGYI", "不同意", "Not approved"),
    ("ZHUANBAN", "转部门办理", "Transferred to a department"),
    ("TUIWEN", "退文", "Returned"),
    ("YUEZHI", "阅知", "Read for information"),
])
DR_APPROVAL_STEP = define_lookup("district_request_approval_step", _l("Approval level"), [
    ("FUMISHUZHANG", "副秘书长", "Deputy secretary-general"),
    ("MISHUZHANG", "秘书长", "Secretary-general"),
    ("FENGUAN", "分管副市长", "Vice-mayor in charge"),
    ("SHIZHANG", "市长", "Mayor"),
    ("CHANGWU", "市政府常务会议", "Executive meeting"),
])
DR_APPROVAL_RESULT = define_lookup("district_request_approval_result", _l("Approval result"), [
    ("TONGYI", "同意", "Agreed"),
    ("CHENGSONG", "呈上级领导审示", "Forwarded to the next leader"),
    ("TUIHUI", "退回修改", "Returned for revision"),
    ("BUTONGYI", "不同意", "Disagreed"),
    ("YUEYUE", "已阅", "Read"),
])

#: A request in these states has been handled: no light, no overdue days.
DR_FINISHED = frozenset({"DECIDED", "REPLIED", "CLOSED", "RETURNED"})
#: States in which the office has decided: the outcome must be known.
DR_DECIDED = frozenset({"DECIDED", "REPLIED", "CLOSED"})
#: States a request reaches only after passing the formal review (RETURNED is the failure).
DR_PAST_REVIEW = frozenset({"REVIEWED", "CONSULTING", "PROPOSED", "PENDING_APPROVAL", "DECIDED", "REPLIED",
                            "CLOSED"})
#: A request moves its incoming Document (1:1) along: request status → the document's
#: status at that point of the 收文 flow (consulting is still the review; awaiting approval
#: is still the proposal; a reply ends the document's handling).
DOCUMENT_STATUS_OF = {
    "REVIEWED": "REVIEWED", "RETURNED": "RETURNED", "CONSULTING": "REVIEWED", "PROPOSED": "PROPOSED",
    "PENDING_APPROVAL": "PROPOSED", "DECIDED": "INSTRUCTED", "REPLIED": "DONE", "CLOSED": "DONE",
}
#: Default time a consulted department has to answer (docs/domain.md: common practice [verify]).
CONSULTATION_WORKING_DAYS = 7


def _brief(text: Optional[str], length: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length] + "…"


def _district_and_title(cls):
    """A request's label: its district's short name run into its title (集美区政府关于…)."""
    from models.org import Department

    district = (select(func.coalesce(Department.short_name_zh, Department.name_zh))
                .where(Department.id == cls.district_id).scalar_subquery())
    return joined(district, cls.title)


class DistrictRequest(BusinessRecord, Model):
    """区政府请示/报告: one request or report of a district government and how the office handles it."""

    __tablename__ = "district_request"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("title", _district_and_title)
    __str_reads__ = ("district",)    # its label names it: lists load it with the row

    # --- registration -----------------------------------------------------------------
    document_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("document.id"), unique=True, nullable=True, index=True, info=label(
            _l("Incoming document"), description=_l(
                "The registered incoming document; may be linked later, when the paper arrives")))
    document = relation("Document", document_id, _l("Incoming document"))
    district_id: Mapped[int] = fk_column("department", _l("Requesting district"), nullable=False, description=_l(
        "A district government"))
    district = relation("Department", district_id, _l("Requesting district"))
    kind: Mapped[str] = lookup_column(DR_KIND, _l("Request kind"), nullable=False, default=REQUEST_FOR_INSTRUCTIONS,
                                      description=_l("A request for instructions needs a reply; a report does not"))
    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    source_doc_no: Mapped[Optional[str]] = mapped_column(String(60), index=True, info=label(
        _l("Source document number"), description=_l("e.g. 思政〔2026〕12号")))
    received_date: Mapped[Optional[dt.date]] = mapped_column(Date, default=today_cn, index=True, info=label(
        _l("Received on")))
    urgency: Mapped[str] = lookup_column(URGENCY, _l("Urgency"), nullable=False, default="PUTONG")
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Due date"), description=_l("Required for a request for instructions")))
    matter_summary: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Matter summary")))
    district_basis: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("District's grounds"), description=_l("The reasons and legal or policy grounds the district gives")))
    is_major: Mapped[bool] = flag(_l("Major matter"),
                                  description=_l("Decided by the executive meeting of the municipal government"),
                                  index=True)

    # --- formal review (形式审核) -----------------------------------------------------------
    chk_one_matter: Mapped[bool] = flag(_l("One matter per request"))
    chk_single_recipient: Mapped[bool] = flag(_l("Single main recipient"))
    chk_no_level_skipping: Mapped[bool] = flag(_l("No level-skipping"))
    chk_signer: Mapped[bool] = flag(_l("Signer shown"))
    chk_countersign: Mapped[bool] = flag(_l("Countersigning done"),
                                         description=_l("Or not needed: no other unit is concerned"))
    review_note: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Review notes")))

    # --- handling ----------------------------------------------------------------------
    handling_division_id: Mapped[Optional[int]] = fk_column("department", _l("Handling division"))
    handling_division = relation("Department", handling_division_id, _l("Handling division"))
    handler_id: Mapped[Optional[int]] = fk_column("personnel", _l("Handled by"))
    handler = relation("Personnel", handler_id, _l("Handled by"))
    office_opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Proposed handling opinion")))
    status: Mapped[str] = lookup_column(DR_STATUS, _l("Status"), nullable=False, default="RECEIVED")
    outcome: Mapped[Optional[str]] = lookup_column(DR_OUTCOME, _l("Handling outcome"))
    decided_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Decision date")))
    reply_document_id: Mapped[Optional[int]] = fk_column("document", _l("Reply document"), description=_l(
        "The official reply or letter sent to the district"))
    reply_document = relation("Document", reply_document_id, _l("Reply document"))
    replied_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Replied on")))
    follow_up_item_id: Mapped[Optional[int]] = fk_column("supervision_item", _l("Follow-up supervision item"))
    follow_up_item = relation("SupervisionItem", follow_up_item_id, _l("Follow-up supervision item"))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    consultations = child_rows("Consultation", "request", _l("Consultations"), order_by="Consultation.seq")
    approvals = child_rows("DistrictRequestApproval", "request", _l("Approval chain"),
                           order_by="DistrictRequestApproval.seq")

    # --- derived ------------------------------------------------------------------------
    @display(_l("Consultations answered"), reads=("consultations",))
    def consultation_progress(self) -> str:
        live = [c for c in self.consultations if not c.is_deleted]
        if not live:
            return ""
        return f"{sum(1 for c in live if c.replied_at is not None)}/{len(live)}"

    @display(_l("Light"), lookup=RAG_LIGHT)
    def rag_light(self) -> str:
        from models.supervision import rag_light_for

        return "GREEN" if self.status in DR_FINISHED else rag_light_for(self.status, self.due_date)

    @display(_l("Overdue days"))
    def overdue_days(self) -> int:
        if self.status in DR_FINISHED or self.due_date is None:
            return 0
        return max(0, (today_cn() - self.due_date).days)

    def __str__(self) -> str:
        district = (self.district.short_name_zh or self.district.name_zh or "") if self.district is not None else ""
        return f"{district}{self.title or ''}"


class Consultation(BusinessRecord, Model):
    """征求意见: one municipal department asked for its opinion on a district's request.

    `due_at` defaults to `sent_at` + 7 working days when left empty (working days of the
    work calendar: weekends and public holidays skipped, make-up working days counted)."""

    __tablename__ = "consultation"
    __str_reads__ = ("department",)    # its label names it: lists load it with the row

    request_id: Mapped[int] = parent_key("district_request", _l("District request"))
    request = parent_relation("DistrictRequest", "consultations", _l("District request"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    department_id: Mapped[int] = fk_column("department", _l("Consulted department"), nullable=False)
    department = relation("Department", department_id, _l("Consulted department"))
    sent_at: Mapped[Optional[dt.date]] = mapped_column(Date, default=today_cn, index=True, info=label(
        _l("Sent on")))
    due_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Due date"), description=_l("Leave empty for 7 working days after sending")))
    opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Opinion")))
    stance: Mapped[Optional[str]] = lookup_column(YES_NO_STANCE, _l("Stance taken"))
    replied_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Replied on")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    @display(_l("Light"), lookup=RAG_LIGHT)
    def rag_light(self) -> str:
        from models.supervision import rag_light_for

        return "GREEN" if self.replied_at is not None else rag_light_for(None, self.due_at)

    @display(_l("Opinion"))
    def opinion_brief(self) -> str:
        return _brief(self.opinion, 50)

    def __str__(self) -> str:
        return str(self.department) if self.department is not None else ""


def consultation_due(consultation: Consultation, change) -> None:
    """Save hook (views/districts.py): whatever path saves a consultation (screen, API,
    import, seeding), an empty due date becomes 7 working days after sending."""
    if consultation.sent_at is None:
        consultation.sent_at = today_cn()
    if consultation.due_at is None:
        consultation.due_at = add_working_days(consultation.sent_at, CONSULTATION_WORKING_DAYS,
                                               session=change.session)


class DistrictRequestApproval(BusinessRecord, Model):
    """One step of the approval chain: a leader's (or the executive meeting's) decision."""

    __tablename__ = "district_request_approval"

    request_id: Mapped[int] = parent_key("district_request", _l("District request"))
    request = parent_relation("DistrictRequest", "approvals", _l("District request"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    step: Mapped[str] = lookup_column(DR_APPROVAL_STEP, _l("Approval level"), nullable=False,
                                      default="FUMISHUZHANG")
    approver: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Approver")))
    meeting_id: Mapped[Optional[int]] = fk_column("meeting", _l("Executive meeting"), description=_l(
        "For a decision of the executive meeting"))
    meeting = relation("Meeting", meeting_id, _l("Executive meeting"))
    acted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(_l("Acted at")))
    result: Mapped[Optional[str]] = lookup_column(DR_APPROVAL_RESULT, _l("Approval result"))
    opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Approval opinion")))

    def __str__(self) -> str:
        from models.lookups import lookup_label

        try:
            step = lookup_label(DR_APPROVAL_STEP, self.step)
        except Exception:  # no database at hand
            step = self.step or ""
        return f"{self.seq or ''} {step} {self.approver or ''}".strip()


# --- Checks (pure: they read, never write) --------------------------------------------------
#: The form checks a request must pass before it is handled; a report may cover several
#: matters (a half-year work report does), a request for instructions may not.
REQUIRED_CHECKS = {
    REQUEST_FOR_INSTRUCTIONS: ("chk_one_matter", "chk_single_recipient", "chk_no_level_skipping", "chk_signer",
                               "chk_countersign"),
    "BAOGAO": ("chk_single_recipient", "chk_no_level_skipping", "chk_signer", "chk_countersign"),
}


def district_request_problems(req: DistrictRequest) -> list[str]:
    """The district is a district government; a 请示 has a due date; a request past the
    review has passed every form check (otherwise it is returned, 退文); a decided
    request has its outcome; the linked document is an incoming one, linked to no other
    request."""
    from app.registry.introspect import label_of
    from models.documents import Document
    from models.org import Department

    problems: list[str] = []
    district = parent_of(req, "district", Department)
    if district is not None and district.unit_type != "DISTRICT":
        problems.append(gettext("The district must be a district government; %(unit)s is not.", unit=str(district)))
    if req.kind == REQUEST_FOR_INSTRUCTIONS and req.due_date is None:
        problems.append(gettext("A request for instructions needs a due date."))
    if req.status in DR_PAST_REVIEW:
        failed = [name for name in REQUIRED_CHECKS.get(req.kind, ()) if not getattr(req, name)]
        if failed:
            names = "、".join(str(label_of(DistrictRequest, name)) for name in failed)
            problems.append(gettext("The request has not passed the formal review (%(checks)s): return it to the "
                                    "district or tick the checks it passes.", checks=names))
    if req.status in DR_DECIDED and not req.outcome:
        problems.append(gettext("A decided request needs its handling outcome."))
    document = parent_of(req, "document", Document)
    if document is not None:
        if document.direction != "INCOMING":
            problems.append(gettext("The linked document must be an incoming document."))
        session = object_session(document)
        if session is not None and document.id is not None:
            with session.no_autoflush:
                other = session.scalar(select(DistrictRequest.id).where(
                    DistrictRequest.document_id == document.id, DistrictRequest.id != (req.id or 0)))
            if other is not None:
                problems.append(gettext("This document is already linked to another district request."))
    return problems


def consultation_problems(con: Consultation) -> list[str]:
    """Dates of a consultation follow one another: sent, then due and replied."""
    problems: list[str] = []
    if con.sent_at and con.due_at and con.due_at < con.sent_at:
        problems.append(gettext("The due date cannot be earlier than the sending date."))
    if con.sent_at and con.replied_at and con.replied_at < con.sent_at:
        problems.append(gettext("The reply cannot be earlier than the sending date."))
    return problems


# --- Workflow effects (the request workflow in views/districts.py names them) ----------------------
def move_document(req: DistrictRequest, session) -> None:
    """The request's incoming document follows the request (DOCUMENT_STATUS_OF): forward
    only, never back (engine.move); the document's rules still hold and its history shows
    the move as the transition that reaches that state."""
    doc = req.document
    target = DOCUMENT_STATUS_OF.get(req.status)
    if doc is None or doc.direction != "INCOMING" or target is None:
        return
    move(doc, target, gettext("With the district request %(request)s", request=str(req)), session=session)


def return_to_district(req: DistrictRequest, session) -> None:
    """退文: whatever outcome had been pencilled in, a returned request's outcome is the return."""
    req.outcome = "TUIWEN"
    move_document(req, session)


def open_follow_up(req: DistrictRequest, session) -> None:
    """Closing with follow-up: the district carries out what was approved, the supervision
    office follows it (source 领导批示: the approval chain decided), once."""
    move_document(req, session)
    leader = next((a.approver for a in reversed(req.approvals) if a.approver), None)
    open_item_for(req, "PISHI", title=gettext("Follow-up of %(request)s", request=str(req)), session=session,
                  content=req.office_opinion, source_ref=str(req.reply_document or req.source_doc_no or ""),
                  lead_department=req.district, responsible_leader=leader, link="follow_up_item")
