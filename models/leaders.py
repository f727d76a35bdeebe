"""Leaders' instructions and assignments (docs/domain.md §3 LeaderInstruction, §4 LeaderTask).

A `LeaderInstruction` (领导批示) is what a leader wrote on a document, an information
report, an incident report …: read only (阅示), to act on (批办) or to forward (转送).
A 批办 instruction names a handling unit and a due date and becomes a supervision item
(source 领导批示) as soon as it is saved, whatever path saves it; 阅示 and 转送 do not. A
`LeaderTask` (领导交办事项) is other work a leader hands to the office, by word of mouth,
in writing, at a meeting or by phone; escalating it (its workflow, views/leaders.py) opens a
supervision item (source 领导交办). Both show their item's status.

The checks are pure functions (`instruction_problems`, `task_problems`) returning
translated messages, for forms, imports and the workflow to call.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import gettext
from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import BusinessRecord, Model, _l, display, fk_column, flag, label, lookup_column, relation
from models.lookups import define_lookup, lookup_label
from models.meetings import brief
from models.supervision import SupervisedRecord, open_item_for, opens_item

# --- Enumerations -------------------------------------------------------------------------
LEADER_LEVEL = define_lookup("leader_level", _l("Leader level"), [
    ("ZHONGYANG", "中央·国务院", "Central Committee / State Council"),
    ("SHENG", "省", "Province"),
    ("SHI", "市", "Municipality"),
    ("BANGONGTING", "办公厅", "General Office"),
])
INSTRUCTION_TYPE = define_lookup("leader_instruction_type", _l("Instruction type"), [
    ("YUESHI", "阅示", "For reading"),
    ("PIBAN", "批办", "For action"),
    ("ZHUANSONG", "转送", "Forwarded"),
])
INSTRUCTION_SOURCE = define_lookup("leader_instruction_source", _l("Instruction source"), [
    ("GONGWEN", "公文", "Document"),
    ("XINXI", "政务信息", "Information report"),
    ("TUFA", "突发事件", "Incident"),
    ("DIAOYAN", "调研报告", "Research report"),
    ("REXIAN", "热线工单", "Hotline case"),
    ("JYTA", "建议提案", "Proposal"),
    ("ZHIBAN", "值班记录", "Duty log"),
    ("QITA", "其他", "Other"),
])
ASSIGN_MODE = define_lookup("leader_assign_mode", _l("Assignment mode"), [
    ("KOUTOU", "口头", "Verbal"),
    ("PISHI", "书面批示", "Written instruction"),
    ("HUIYI", "会议", "At a meeting"),
    ("DIANHUA", "电话短信", "Phone or text message"),
])
LEADER_TASK_STATUS = define_lookup("leader_task_status", _l("Task status"), [
    ("RECEIVED", "已接收", "Received"),
    ("HANDLING", "办理中", "Handling"),
    ("FED_BACK", "已反馈", "Fed back"),
    ("CLOSED", "已办结", "Closed"),
    ("ESCALATED", "转督办", "Escalated to supervision"),
])


class LeaderInstruction(SupervisedRecord, BusinessRecord, Model):
    """领导批示: a leader's written instruction on a record that came before him."""

    __tablename__ = "leader_instruction"

    leader: Mapped[str] = mapped_column(String(50), index=True, info=label(_l("Instructing leader")))
    leader_level: Mapped[str] = lookup_column(LEADER_LEVEL, _l("Leader level"), nullable=False, default="SHI")
    instructed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(
        _l("Instructed at")))
    instruction_type: Mapped[str] = lookup_column(INSTRUCTION_TYPE, _l("Instruction type"), nullable=False,
                                                  default="PIBAN")
    content: Mapped[str] = mapped_column(Text, info=label(_l("Instruction")))
    source_type: Mapped[Optional[str]] = lookup_column(INSTRUCTION_SOURCE, _l("Instruction source"))
    source_id: Mapped[Optional[int]] = mapped_column(Integer, index=True, info=label(
        _l("Source record ID"), description=_l("The record the instruction was written on, in the source's register")))
    source_ref: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Source reference"), description=_l("Source document number, meeting or instruction")))
    document_id: Mapped[Optional[int]] = fk_column("document", _l("Source document"), description=_l(
        "For instructions written on a document"))
    document = relation("Document", document_id, _l("Source document"))
    handler_department_id: Mapped[Optional[int]] = fk_column("department", _l("Handling unit"))
    handler_department = relation("Department", handler_department_id, _l("Handling unit"))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Due date")))
    result: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Handling result")))
    is_done: Mapped[bool] = flag(_l("Completed"), index=True, server_default=False)
    supervision_item_id: Mapped[Optional[int]] = fk_column("supervision_item", _l("Supervision item"))
    supervision_item = relation("SupervisionItem", supervision_item_id, _l("Supervision item"))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    @display(_l("Instruction summary"))
    def content_brief(self) -> str:
        return brief(self.content)

    def __str__(self) -> str:
        when = f"{self.instructed_at:%Y-%m-%d}" if self.instructed_at else ""
        return f"{self.leader or ''} {when} {brief(self.content, 20)}".strip()


class LeaderTask(SupervisedRecord, BusinessRecord, Model):
    """领导交办事项: other work a leader assigns to the office."""

    __tablename__ = "leader_task"

    leader: Mapped[str] = mapped_column(String(50), index=True, info=label(_l("Assigning leader")))
    assign_mode: Mapped[str] = lookup_column(ASSIGN_MODE, _l("Assignment mode"), nullable=False, default="KOUTOU")
    assigned_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(
        _l("Assigned at")))
    title: Mapped[str] = mapped_column(String(200), index=True, info=label(_l("Title")))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Content")))
    handler_department_id: Mapped[Optional[int]] = fk_column("department", _l("Handling unit"))
    handler_department = relation("Department", handler_department_id, _l("Handling unit"))
    handler_person_id: Mapped[Optional[int]] = fk_column("personnel", _l("Handler"))
    handler_person = relation("Personnel", handler_person_id, _l("Handler"))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Due date")))
    result: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Handling result")))
    fed_back_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(_l("Fed back at")))
    status: Mapped[str] = lookup_column(LEADER_TASK_STATUS, _l("Status"), nullable=False, default="RECEIVED")
    supervision_item_id: Mapped[Optional[int]] = fk_column("supervision_item", _l("Supervision item"))
    supervision_item = relation("SupervisionItem", supervision_item_id, _l("Supervision item"))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    def __str__(self) -> str:
        return self.title or ""


# --- Checks (pure: they read, never write) -----------------------------------------------------
def instruction_problems(ins: LeaderInstruction) -> list[str]:
    """A 批办 instruction names its handling unit and due date; a source document goes with
    the source type 公文; a completed 批办 instruction states its result."""
    problems: list[str] = []
    if ins.instruction_type == "PIBAN":
        if ins.handler_department is None and ins.handler_department_id is None:
            problems.append(gettext("An instruction for action needs its handling unit."))
        if ins.due_date is None:
            problems.append(gettext("An instruction for action needs its due date."))
        if ins.is_done and not (ins.result or "").strip():
            problems.append(gettext("A completed instruction for action needs its handling result."))
    if (ins.document is not None or ins.document_id is not None) and ins.source_type not in (None, "GONGWEN"):
        problems.append(gettext("A source document goes with the source type Document."))
    if ins.due_date and ins.instructed_at and ins.due_date < ins.instructed_at.date():
        problems.append(gettext("The due date cannot be earlier than the instruction."))
    return problems


def task_problems(task: LeaderTask) -> list[str]:
    """Feedback needs its result and time, after the assignment; the handler works in the
    handling unit."""
    problems: list[str] = []
    if task.status in ("FED_BACK", "CLOSED"):
        if not (task.result or "").strip():
            problems.append(gettext("A task fed back or closed needs its handling result."))
        if task.fed_back_at is None:
            problems.append(gettext("A task fed back or closed needs the feedback time."))
    if task.fed_back_at and task.assigned_at and task.fed_back_at < task.assigned_at:
        problems.append(gettext("Feedback cannot come before the assignment."))
    if task.due_date and task.assigned_at and task.due_date < task.assigned_at.date():
        problems.append(gettext("The due date cannot be earlier than the assignment."))
    person, unit = task.handler_person, task.handler_department
    if person is not None and unit is not None and person.department is not None and person.department is not unit:
        problems.append(gettext("The handler does not work in the handling unit."))
    return problems


# --- Chains to supervision (docs/domain.md §3, §4) ---------------------------------------------------
def _on(leader: Optional[str], when: Optional[dt.datetime]) -> str:
    return " ".join(x for x in (leader or "", f"{when:%Y-%m-%d}" if when else "") if x)


def instruction_item(ins: LeaderInstruction, session) -> dict:
    """A 批办 instruction's item: the instruction, on what it was written, the unit and time limit it set."""
    ref = " ".join(x for x in (_on(ins.leader, ins.instructed_at), ins.source_ref or "") if x)
    return dict(title=brief(ins.content, 60), content=ins.content, source_ref=ref,
                lead_department=ins.handler_department or ins.handler_department_id,
                due_date=ins.due_date, responsible_leader=ins.leader, priority="ZHONGDIAN")


def is_for_action(ins: LeaderInstruction) -> bool:
    """A 批办 instruction — also one saved without a type, which the column default makes 批办."""
    kind = ins.instruction_type or LeaderInstruction.__table__.c.instruction_type.default.arg
    return kind == "PIBAN"


#: Save hook (a chain, views/leaders.py): an instruction for action opens its supervision item.
instruction_opens_item = opens_item("PISHI", wants=is_for_action, details=instruction_item)


def escalate_task(task: LeaderTask, session) -> None:
    """Effect of escalating a task: the supervision office takes it over (source 领导交办)."""
    mode = lookup_label(ASSIGN_MODE, task.assign_mode) if task.assign_mode else ""
    open_item_for(task, "JIAOBAN", session=session, title=task.title, content=task.content,
                  source_ref=" ".join(x for x in (_on(task.leader, task.assigned_at), mode) if x),
                  lead_department=task.handler_department or task.handler_department_id,
                  due_date=task.due_date, responsible_leader=task.leader, priority="ZHONGDIAN")
