"""Disputes between municipal departments (部门争议协调, docs/domain.md §5, function 4).

A `Dispute` is a disagreement between municipal departments — over where one's
duties end and another's begin (共享单车管理, 违建查处, 河道保洁 …), how a policy is
applied, how approvals connect, who pays, or a project — that the lead department
could not settle by consulting the others first (先行协商) and submits to the municipal
government. The office investigates, coordinates (often at a coordination meeting),
proposes a solution (协调意见) for a leader's decision, and follows its implementation
as a `SupervisionItem`; a pure question of which unit holds a duty goes to the
establishment authority (编办). Each department involved is a `DisputeParty` with its
role, position and the grounds it cites.

Status changes go through the workflow declared with the entity (views/disputes.py);
implementing a decision opens its supervision item. The checks are pure functions
(`dispute_problems`, `party_problems`).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import gettext
from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
from models.lookups import define_lookup, lookup_label
from models.supervision import open_item_for

# --- Enumerations (docs/domain.md §5) ----------------------------------------------------------
DISPUTE_TYPE = define_lookup("dispute_type", _l("Dispute type"), [
    ("ZHIZE", "职责边界", "Boundary of responsibilities"),
    ("ZHENGCE", "政策执行", "Policy implementation"),
    ("SHENPI", "审批衔接", "Connection of approvals"),
    ("ZIJIN", "资金", "Funding"),
    ("XIANGMU", "项目", "Project"),
    ("QITA", "其他", "Other"),
])
DISPUTE_STATUS = define_lookup("dispute_status", _l("Dispute status"), [
    ("SUBMITTED", "已提请", "Submitted"),
    ("ACCEPTED", "已受理", "Accepted"),
    ("INVESTIGATING", "调查研究中", "Investigating"),
    ("COORDINATING", "协调中", "Coordinating"),
    ("PROPOSED", "已提出协调意见", "Solution proposed"),
    ("PENDING_DECISION", "待领导决定", "Pending decision"),
    ("DECIDED", "已决定", "Decided"),
    ("IMPLEMENTING", "落实中", "Implementing"),
    ("CLOSED", "已办结", "Closed"),
    ("WITHDRAWN", "已撤回", "Withdrawn"),
])
DISPUTE_PARTY_ROLE = define_lookup("dispute_party_role", _l("Party role"), [
    ("TIQING", "提请方", "Submitting party"),
    ("XIANGGUAN", "相关方", "Party concerned"),
    ("NIQIANTOU", "拟牵头方", "Proposed lead"),
])

#: A dispute can be registered with its submitting party alone: the clerk enters the
#: dispute first and its parties after. These states need no second party yet.
DISPUTE_OPEN_STATES = frozenset({"SUBMITTED", "WITHDRAWN"})
#: States in which a leader has decided: the decision must be on record.
DISPUTE_DECIDED_STATES = frozenset({"DECIDED", "IMPLEMENTING", "CLOSED"})
MIN_PARTIES = 2


class Dispute(BusinessRecord, Model):
    """部门争议: one dispute between municipal departments submitted for coordination."""

    __tablename__ = "dispute"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("dispute_no", "title")

    dispute_no: Mapped[str] = mapped_column(String(50), unique=True, index=True, info=label(
        _l("Dispute number"), description=_l("e.g. 厦府办协〔2026〕12号; unique")))
    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    dispute_type: Mapped[str] = lookup_column(DISPUTE_TYPE, _l("Dispute type"), nullable=False, default="ZHIZE")
    raised_by_id: Mapped[int] = fk_column("department", _l("Submitted by"), nullable=False)
    raised_by = relation("Department", raised_by_id, _l("Submitted by"))
    raised_at: Mapped[Optional[dt.date]] = mapped_column(Date, default=today_cn, index=True, info=label(
        _l("Submitted on")))
    background: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Background")))
    prior_consultation: Mapped[bool] = flag(
        _l("Consulted beforehand"),
        description=_l("The lead department consulted the others before submitting the dispute"))
    prior_consultation_note: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Prior consultation"), description=_l("When, with whom and with what result")))
    handling_division_id: Mapped[Optional[int]] = fk_column("department", _l("Handling division"))
    handling_division = relation("Department", handling_division_id, _l("Handling division"))
    handler_id: Mapped[Optional[int]] = fk_column("personnel", _l("Handled by"))
    handler = relation("Personnel", handler_id, _l("Handled by"))
    office_proposal: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Coordination proposal")))
    meeting_id: Mapped[Optional[int]] = fk_column("meeting", _l("Coordination meeting"))
    meeting = relation("Meeting", meeting_id, _l("Coordination meeting"))
    decision_leader: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Deciding leader")))
    decision: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Leader's decision")))
    decided_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Decision date")))
    supervision_item_id: Mapped[Optional[int]] = fk_column("supervision_item", _l(
        "Implementation supervision item"))
    supervision_item = relation("SupervisionItem", supervision_item_id, _l("Implementation supervision item"))
    refer_to_bianban: Mapped[bool] = flag(
        _l("Referred to the establishment office"),
        description=_l("A pure question of which unit holds a duty goes to the establishment office"), index=True)
    status: Mapped[str] = lookup_column(DISPUTE_STATUS, _l("Status"), nullable=False, default="SUBMITTED")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    parties = child_rows("DisputeParty", "dispute", _l("Parties"), order_by="DisputeParty.seq")

    @display(_l("Parties"), reads=("parties.department",))
    def party_summary(self) -> str:
        out = []
        for p in self.parties:
            if p.is_deleted or p.department is None:
                continue
            unit = p.department.short_name_zh or str(p.department)
            try:
                role = lookup_label(DISPUTE_PARTY_ROLE, p.role)
            except Exception:  # no database at hand
                role = p.role or ""
            out.append(f"{unit}（{role}）" if role else unit)
        return "、".join(out)

    def __str__(self) -> str:
        return f"{self.dispute_no} {self.title}" if self.dispute_no else (self.title or "")


class DisputeParty(BusinessRecord, Model):
    """争议当事方: one department involved in a dispute, its role, position and grounds."""

    __tablename__ = "dispute_party"
    __str_reads__ = ("department",)    # its label names it: lists load it with the row

    dispute_id: Mapped[int] = parent_key("dispute", _l("Dispute"))
    dispute = parent_relation("Dispute", "parties", _l("Dispute"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    department_id: Mapped[int] = fk_column("department", _l("Department"), nullable=False)
    department = relation("Department", department_id, _l("Department"))
    role: Mapped[str] = lookup_column(DISPUTE_PARTY_ROLE, _l("Party role"), nullable=False, default="XIANGGUAN")
    position: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Position")))
    basis: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Grounds"), description=_l("Laws, regulations and the unit's mandate it cites")))
    signed_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Signed off by"), description=_l("The unit leader who signed the unit's position")))

    @display(_l("Position"))
    def position_brief(self) -> str:
        text = " ".join((self.position or "").split())
        return text if len(text) <= 50 else text[:50] + "…"

    def __str__(self) -> str:
        return str(self.department) if self.department is not None else ""


# --- Checks (pure: they read, never write) --------------------------------------------------
def _live_parties(dispute: Dispute) -> list[DisputeParty]:
    return [p for p in dispute.parties if not p.is_deleted]


def _unit_key(party: DisputeParty):
    if party.department_id is not None:
        return party.department_id
    return getattr(party.department, "id", None) or (id(party.department) if party.department is not None else None)


def dispute_problems(dispute: Dispute) -> list[str]:
    """The lead department consulted the others before submitting (先行协商): required
    from registration on. A dispute has at least two parties — but the clerk registers
    the dispute first and adds its parties after, so this is enforced only once the
    dispute moves beyond SUBMITTED (a withdrawn dispute may have stopped short of it).
    A decided dispute has its decision, deciding leader and date."""
    problems: list[str] = []
    if not dispute.prior_consultation:
        problems.append(gettext("A dispute is submitted only after the lead department has consulted the other "
                                "departments: tick the prior consultation."))
    if dispute.status not in DISPUTE_OPEN_STATES:
        parties = {_unit_key(p) for p in _live_parties(dispute) if _unit_key(p) is not None}
        if len(parties) < MIN_PARTIES:
            problems.append(gettext("A dispute needs at least %(n)d parties before it moves beyond Submitted; "
                                    "it has %(count)d.", n=MIN_PARTIES, count=len(parties)))
    if dispute.status in DISPUTE_DECIDED_STATES:
        if not (dispute.decision or "").strip() or not (dispute.decision_leader or "").strip() \
                or dispute.decided_at is None:
            problems.append(gettext("A decided dispute needs its decision, the deciding leader and the date."))
    if dispute.decided_at and dispute.raised_at and dispute.decided_at < dispute.raised_at:
        problems.append(gettext("The decision cannot be earlier than the submission."))
    return problems


def party_problems(party: DisputeParty) -> list[str]:
    """A department is a party to a dispute once."""
    dispute = parent_of(party, "dispute", Dispute)
    unit = _unit_key(party)
    if dispute is None or unit is None:
        return []
    for other in _live_parties(dispute):
        if other is party or (party.id is not None and other.id == party.id):
            continue
        if _unit_key(other) == unit:
            return [gettext("%(unit)s is already a party to this dispute.",
                            unit=str(party.department or other.department or ""))]
    return []


# --- Workflow effects (the dispute workflow in views/disputes.py names them) -----------------------
def open_implementation_item(dispute: Dispute, session) -> None:
    """The leader's decision is carried out under supervision (source 领导交办), led by the
    party proposed to lead; a dispute keeps the one item it opened."""
    lead = next((p.department for p in dispute.parties if p.role == "NIQIANTOU" and not p.is_deleted), None)
    open_item_for(dispute, "JIAOBAN", title=gettext("Carry out the decision on %(dispute)s", dispute=dispute.title),
                  session=session, content=dispute.decision, source_ref=dispute.dispute_no, lead_department=lead,
                  responsible_leader=dispute.decision_leader)
