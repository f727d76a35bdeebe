"""NPC deputies' suggestions and CPPCC proposals (建议提案, docs/domain.md §5, function 7).

A `Proposal` is one 人大代表建议 (kind NPC_JIANYI) or 政协提案 (CPPCC_TIAN), numbered
within its kind and session (届次, e.g. 十六届五次). The office assigns it to units
(`ProposalAssignment`: one lead 主办, co-handlers 协办, joint units 会办 or separate handlers 分办); the
lead answers (`ProposalReply`, category A/B/C/D; B and C answers are followed up and
answered again) and the deputy or member evaluates the answer (`ProposalEvaluation`).

Time limits (厦门市人民代表大会代表建议、批评和意见办理办法, revised 2025): reply within
3 months of assignment, complex items up to 3 more months (6 at most); co-handlers send
their opinion to the lead within 2 months. The months are settings (console, else the
configuration: PROPOSAL_REPLY_MONTHS, PROPOSAL_MAX_MONTHS, PROPOSAL_CO_OPINION_MONTHS), not constants.

Defaults are applied in one `before_flush` hook, so a screen, the REST API and an import
alike get them: an empty due date becomes assignment date + 3 calendar months, an empty
co-handler opinion due date becomes assignment date + 2 months, and the proposal's lead
unit follows its lead assignment. The rules docs/domain.md states are functions returning
translated messages (`proposal_problems`, `assignment_problems`, `reply_problems`,
`evaluation_problems`), run by the registry on every save.

Issue 23 added the limits that run after the answer, counted on the work calendar and each a
console setting: the proposer evaluates a reply within 15 working days (`ProposalReply.
evaluation_due`, the reply's deadline); a 不满意 verdict opens a `ProposalRehandling`, started
within 5 working days and answered again within one month of the start (its `due_date` is
whichever runs),
once per proposal; a handling unit may ask to return a proposal within 5 working days of
receiving it. A joint handling unit (会办) gives its opinion like a co-handler, and the lead's
answer waits for it; a proposal on the same subject is merged (并案) into a main one and answered
by its reply; a proposer who asks for confidentiality has his names kept in sensitive columns.

The status moves through the workflow engine (views/proposals.py). What a move needs beyond
its fields — a reply letter before "replied", a dissatisfied evaluation before re-handling,
a B/C answer before follow-up — is said by the `*_step_problems` functions, which the
transitions' effects apply. A key proposal (重点督办) gets its supervision item (source 重点建议提案)
when a unit takes it on (`key_to_supervision`).
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Optional

from flask import current_app, has_app_context
from flask_babel import gettext
from sqlalchemy import (
    Date,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

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
    parent_relation,
    refuse,
    relation,
    today_cn,
)
from models.base import live as _live
from models.base import parent_of as _parent
from models.base import record_session as _db_session
from models.calendar import add_working_days
from models.label_sql import joined
from models.lookups import (
    CO_HANDLER,
    HANDLING_ROLE,
    JOINT,
    LEAD,
    RAG_LIGHT,
    SATISFACTION,
    define_lookup,
    lookup_label,
)
from models.settings import INT, define_setting
from models.supervision import SupervisedRecord, open_item_for

# --- Enumerations (docs/domain.md §5) ----------------------------------------------------------
PROP_KIND = define_lookup("prop_kind", _l("Proposal kind"), [
    ("NPC_JIANYI", "人大代表建议", "NPC deputy's suggestion"),
    ("CPPCC_TIAN", "政协提案", "CPPCC proposal"),
])
PROP_LEVEL = define_lookup("prop_level", _l("Congress level"), [
    ("SHI", "市级", "Municipal"),
    ("SHENG", "省级", "Provincial"),
    ("QUANGUO", "全国", "National"),
])
PROP_PERIOD = define_lookup("prop_period", _l("Submitted during"), [
    ("DAHUI", "大会期间", "During the plenary session"),
    ("BIHUI", "闭会期间", "Between sessions"),
])
PROP_PROPOSER_TYPE = define_lookup("prop_proposer_type", _l("Proposer type"), [
    ("DAIBIAO_GEREN", "代表个人", "Individual deputy"),
    ("DAIBIAO_LIANMING", "代表联名", "Deputies jointly"),
    ("DAIBIAOTUAN", "代表团", "Delegation"),
    ("WEIYUAN_GEREN", "委员个人", "Individual member"),
    ("WEIYUAN_LIANMING", "委员联名", "Members jointly"),
    ("DANGPAI_TUANTI", "党派团体", "Party or organisation"),
    ("JIEBIE", "界别", "Sector"),
    ("ZHUANWEIHUI", "专委会", "Special committee"),
])
PROP_TOPIC = define_lookup("prop_topic", _l("Topic category"), [
    ("JINGJI", "经济发展", "Economic development"),
    ("CHENGJIAN", "城乡建设", "Urban and rural construction"),
    ("JIAOTONG", "交通出行", "Transport"),
    ("JIAOYU", "教育", "Education"),
    ("WEISHENG", "医疗卫生", "Health care"),
    ("SHEBAO", "社会保障", "Social security"),
    ("HUANJING", "生态环境", "Ecology and environment"),
    ("WENLV", "文化旅游", "Culture and tourism"),
    ("XIANGCUN", "乡村振兴", "Rural revitalisation"),
    ("ZHILI", "社会治理", "Social governance"),
    ("KEJI", "科技人才", "Science, technology and talent"),
    ("LIANGAN", "两岸融合", "Cross-Strait integration"),
    ("QITA", "其他", "Other"),
])
PROP_STATUS = define_lookup("prop_status", _l("Proposal status"), [
    ("ASSIGNED", "已交办", "Assigned"),
    ("ACCEPTED", "已签收", "Accepted"),
    ("RETURN_REQUESTED", "申请退回", "Return requested"),
    ("REASSIGNED", "已重新交办", "Reassigned"),
    ("HANDLING", "办理中", "Handling"),
    ("REPLIED", "已答复", "Replied"),
    ("EVALUATED", "已评价", "Evaluated"),
    ("CLOSED", "已办结", "Closed"),
    ("REHANDLING", "重新办理", "Re-handling"),
    ("FOLLOW_UP", "跟踪办理", "Follow-up"),
    ("MERGED", "已并案", "Merged into a main proposal"),
])
PROP_ANSWER = define_lookup("prop_answer", _l("Answer category"), [
    ("A", "A类（已解决或基本解决）", "A (solved or basically solved)"),
    ("B", "B类（正在解决或列入计划）", "B (being solved or planned)"),
    ("C", "C类（受条件限制以后解决）", "C (to be solved when conditions allow)"),
    ("D", "D类（留作参考）", "D (kept for reference)"),
], styles={"A": "success", "B": "info", "C": "warning", "D": "default"})
PROP_ADOPTION = define_lookup("prop_adoption", _l("Adoption"), [
    ("QUANBU", "全部采纳", "Fully adopted"),
    ("BUFEN", "部分采纳", "Partly adopted"),
    ("WEICAINA", "未采纳", "Not adopted"),
])
PROP_CONTACT = define_lookup("prop_contact", _l("Contact method"), [
    ("MIANSHANG", "面商", "Face-to-face consultation"),
    ("ZUOTAN", "座谈", "Forum"),
    ("DIANHUA", "电话", "Telephone"),
    ("ZOUFANG", "走访", "Visit"),
    ("SHICHA", "视察", "Inspection tour"),
])
PROP_REPLY_TYPE = define_lookup("prop_reply_type", _l("Reply type"), [
    ("FIRST", "首次答复", "First reply"),
    ("FOLLOW_UP", "跟踪答复", "Follow-up reply"),
    ("REHANDLE", "重新办理答复", "Reply after re-handling"),
])

#: Answers that promise more: the unit follows them up and answers again (docs/domain.md §5).
FOLLOW_UP_ANSWERS = frozenset({"B", "C"})
#: States in which the reply deadline no longer runs: the proposal has been answered.
ANSWERED_STATES = frozenset({"REPLIED", "EVALUATED", "CLOSED", "FOLLOW_UP", "REHANDLING", "MERGED"})
#: States from which a proposal may be merged (并案) into a main proposal: not yet answered.
MERGEABLE_STATES = ("ASSIGNED", "ACCEPTED", "REASSIGNED", "HANDLING")
#: Reply types the proposer evaluates (a follow-up reply reports progress on a promise).
EVALUATED_REPLY_TYPES = frozenset({"FIRST", "REHANDLE"})
#: States in which the handling units have taken the proposal on: a lead unit is needed.
HANDLED_STATES = frozenset({"ACCEPTED", "HANDLING", "REPLIED", "EVALUATED", "CLOSED", "REHANDLING", "FOLLOW_UP"})

REPLY_MONTHS = 3
MAX_MONTHS = 6
CO_OPINION_MONTHS = 2
YELLOW_DAYS = 7
EVALUATION_DAYS = 15
REHANDLE_START_DAYS = 5
REHANDLE_REPLY_MONTHS = 1
RETURN_DAYS = 5
MAX_REHANDLINGS = 1

# The time limits an admin changes in the console's settings (models/settings.py); empty: the
# configuration's value of the same name, else the default above.
define_setting("PROPOSAL_REPLY_MONTHS", INT, "建议提案答复时限（月）", "Proposals: months to reply",
               "自交办之日起答复代表、委员的月数。", "Months from assignment to the reply to the proposer.",
               minimum=1, maximum=12)
define_setting("PROPOSAL_MAX_MONTHS", INT, "建议提案延期上限（月）", "Proposals: latest extension (months)",
               "延期后的答复期限距交办之日最多的月数。", "Months from assignment that an extended due date may reach.",
               minimum=1, maximum=24)
define_setting("PROPOSAL_CO_OPINION_MONTHS", INT, "协办、会办意见时限（月）",
               "Proposals: months for co-handlers' opinions",
               "协办、会办单位自交办之日起向主办单位提出书面意见的月数。",
               "Months from assignment within which co-handling and joint units send their opinion to the lead.",
               minimum=1, maximum=12)
define_setting("PROPOSAL_EVALUATION_DAYS", INT, "代表委员评价时限（工作日）",
               "Proposals: working days for the proposer's evaluation",
               "答复后代表、委员评价办理结果的工作日数。",
               "Working days after a reply within which the proposer evaluates it.", minimum=1, maximum=60)
define_setting("PROPOSAL_REHANDLE_START_DAYS", INT, "重新办理启动时限（工作日）",
               "Proposals: working days to start re-handling",
               "不满意评价后承办单位启动重新办理的工作日数。",
               "Working days after a dissatisfied evaluation within which the unit starts handling again.",
               minimum=1, maximum=60)
define_setting("PROPOSAL_REHANDLE_REPLY_MONTHS", INT, "重新办理答复时限（月）",
               "Proposals: months to answer again",
               "自重新交办（启动重新办理）之日起再次答复的月数。",
               "Months after re-handling starts within which the unit answers again.", minimum=1, maximum=12)
define_setting("PROPOSAL_MAX_REHANDLINGS", INT, "重新办理次数上限", "Proposals: re-handlings allowed",
               "每件建议提案最多重新办理的次数。", "How many times one proposal may be handled again.",
               minimum=1, maximum=5)
define_setting("PROPOSAL_RETURN_DAYS", INT, "申请退回时限（工作日）", "Proposals: working days to ask for a return",
               "承办单位自收到交办之日起申请退回（调整）的工作日数，逾期不予调整。",
               "Working days after receiving an assignment within which a handling unit may ask to return it.",
               minimum=1, maximum=60)


def _setting(key: str, default: int) -> int:
    """The console's value of `key`, else the configuration's, else `default`."""
    if not has_app_context():
        return default
    from app.settings import setting

    return int(setting(key, default=current_app.config.get(key, default)))


def evaluation_days() -> int:
    """Working days the proposer has to evaluate a reply (15)."""
    return _setting("PROPOSAL_EVALUATION_DAYS", EVALUATION_DAYS)


def rehandle_start_days() -> int:
    """Working days after a dissatisfied evaluation to start handling again (5)."""
    return _setting("PROPOSAL_REHANDLE_START_DAYS", REHANDLE_START_DAYS)


def rehandle_reply_months() -> int:
    """Months after re-handling starts to answer again (1)."""
    return _setting("PROPOSAL_REHANDLE_REPLY_MONTHS", REHANDLE_REPLY_MONTHS)


def max_rehandlings() -> int:
    return _setting("PROPOSAL_MAX_REHANDLINGS", MAX_REHANDLINGS)


def return_days() -> int:
    """Working days after receipt in which a handling unit may ask to return a proposal (5)."""
    return _setting("PROPOSAL_RETURN_DAYS", RETURN_DAYS)


def reply_months() -> int:
    """Months from assignment to the reply deadline (3 in Xiamen's rules)."""
    return _setting("PROPOSAL_REPLY_MONTHS", REPLY_MONTHS)


def max_months() -> int:
    """Months from assignment to the latest extended deadline (3 + 3 more at most)."""
    return _setting("PROPOSAL_MAX_MONTHS", MAX_MONTHS)


def co_opinion_months() -> int:
    return _setting("PROPOSAL_CO_OPINION_MONTHS", CO_OPINION_MONTHS)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's end
    (30 Nov + 3 months = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_due_date(assigned_at: Optional[dt.date]) -> Optional[dt.date]:
    return add_months(assigned_at, reply_months()) if assigned_at else None


def latest_extended_due(assigned_at: Optional[dt.date]) -> Optional[dt.date]:
    return add_months(assigned_at, max_months()) if assigned_at else None


def return_deadline(proposal, assignment=None) -> Optional[dt.date]:
    """The last day a handling unit may ask to return the proposal: `return_days()` working days
    (work calendar) after the unit received it, or after the assignment date when no receipt is
    recorded."""
    start = (assignment.received_at if assignment is not None else None) or proposal.assigned_at
    return add_working_days(start, return_days()) if start else None




class Proposal(SupervisedRecord, BusinessRecord, Model):
    """人大代表建议 / 政协提案: one suggestion or proposal the government must answer."""

    __tablename__ = "proposal"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("title", "session_label", lambda cls: joined(cls.session_label, "第", cls.number, "号"))
    __table_args__ = (UniqueConstraint("kind", "session_label", "number", name="uq_proposal_kind_session_number"),)
    __order__ = ("id", "desc")

    kind: Mapped[str] = lookup_column(PROP_KIND, _l("Proposal kind"), nullable=False)
    level: Mapped[str] = lookup_column(PROP_LEVEL, _l("Congress level"), nullable=False, default="SHI")
    session_label: Mapped[str] = mapped_column(String(30), index=True, info=label(
        _l("Term and session"), description=_l("e.g. 十六届五次")))
    period: Mapped[Optional[str]] = lookup_column(PROP_PERIOD, _l("Submitted during"))
    number: Mapped[int] = mapped_column(Integer, index=True, info=label(
        _l("Proposal number"), description=_l("Unique within the kind and the session")))
    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Content")))
    # masked in the audit trail (`audit_mask`): a name typed here moves to the confidential column
    # once confidentiality is asked for, and the trail must not keep it in clear
    lead_proposer: Mapped[Optional[str]] = mapped_column(String(100), index=True, info=label(
        _l("Lead proposer"), description=_l("The deputy or member who leads the proposal, or the organisation"),
        audit_mask="name"))
    co_proposers: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Co-proposers"), description=_l("Names separated by commas"), audit_mask=""))
    proposer_group: Mapped[Optional[str]] = mapped_column(String(100), info=label(
        _l("Delegation or sector"), description=_l("e.g. 思明代表团, 经济界")))
    proposer_type: Mapped[Optional[str]] = lookup_column(PROP_PROPOSER_TYPE, _l("Proposer type"))
    topic_category: Mapped[Optional[str]] = lookup_column(PROP_TOPIC, _l("Topic category"))
    is_key: Mapped[bool] = flag(_l("Key supervision"), index=True)
    supervising_leader: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Supervising leader"), description=_l("Required for a proposal under key supervision")))
    supervision_item_id: Mapped[Optional[int]] = fk_column(
        "supervision_item", _l("Supervision item"), ondelete="SET NULL",
        description=_l("The item the supervision office opened for a key proposal"))
    supervision_item = relation("SupervisionItem", supervision_item_id, _l("Supervision item"))
    confidentiality_requested: Mapped[bool] = flag(
        _l("Confidentiality requested"),
        description=_l("The proposer asked that the proposal and its reply not be made public; the proposer's "
                       "names are then kept as sensitive data, masked for users who may not see it"))
    # A confidential proposer's names live here (sensitive columns, masked like any personal data,
    # docs/domain.md §9); `proposal_defaults` moves them between these and the public columns.
    confidential_lead_proposer: Mapped[Optional[str]] = mapped_column(String(100), info=label(
        _l("Lead proposer (confidential)"), sensitive=True, mask="name",
        description=_l("Filled from the lead proposer when confidentiality is requested")))
    confidential_co_proposers: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Co-proposers (confidential)"), sensitive=True,
        description=_l("Filled from the co-proposers when confidentiality is requested")))
    merged_into_id: Mapped[Optional[int]] = fk_column(
        "proposal", _l("Merged into"), ondelete="SET NULL",
        description=_l("The main proposal on the same subject this one is handled and answered with (并案)"))
    merged_into = relation("Proposal", merged_into_id, _l("Merged into"), remote_side="Proposal.id")
    merged_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Merged on")))
    lead_department_id: Mapped[Optional[int]] = fk_column("department", _l("Lead handler"), description=_l(
        "Kept in step with the lead assignment"))
    lead_department = relation("Department", lead_department_id, _l("Lead handler"))
    assigned_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Assigned on")))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Reply due date"), description=_l("Left empty: the assignment date plus 3 months")))
    extended_due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Extended due date"), description=_l("At most 6 months after the assignment date")))
    extension_reason: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Reason for extension")))
    status: Mapped[str] = lookup_column(PROP_STATUS, _l("Status"), nullable=False, default="ASSIGNED")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    assignments = child_rows("ProposalAssignment", "proposal", _l("Handling units"), order_by="ProposalAssignment.id")
    replies = child_rows("ProposalReply", "proposal", _l("Replies"), order_by="ProposalReply.reply_date")
    evaluations = child_rows("ProposalEvaluation", "proposal", _l("Evaluations"),
                             order_by="ProposalEvaluation.evaluated_at")
    rehandlings = child_rows("ProposalRehandling", "proposal", _l("Re-handling"),
                             order_by="ProposalRehandling.requested_on")

    # --- derived ------------------------------------------------------------------------
    def _own_replies(self) -> list:
        return [r for r in _live(self.replies) if r.reply_date is not None]

    def _replies(self) -> list:
        """Its dated replies; a merged proposal's are its main proposal's (并案: answered together)."""
        main = self.merged_into
        if main is not None and main is not self and not main.is_deleted:
            return main._own_replies()
        return self._own_replies()

    @display(_l("Proposals merged into this one"))
    def merged_summary(self) -> str:
        session = _db_session(self)
        if session is None or self.id is None:
            return ""
        with session.no_autoflush:
            rows = session.scalars(select(Proposal).where(Proposal.merged_into_id == self.id,
                                                          Proposal.is_deleted.is_(False)).order_by(Proposal.number))
            return "、".join(str(p) for p in rows)

    @display(_l("Re-handlings"), reads=("rehandlings",))
    def rehandling_count(self) -> int:
        return len(_live(self.rehandlings))
    def _latest_reply(self):
        replies = self._replies()
        return max(replies, key=lambda r: (r.reply_date, r.id or 0)) if replies else None

    def _latest_evaluation(self):
        evaluations = [e for e in _live(self.evaluations) if e.evaluated_at is not None]
        return max(evaluations, key=lambda e: (e.evaluated_at, e.id or 0)) if evaluations else None

    @display(_l("Effective due date"))
    def effective_due_date(self) -> Optional[dt.date]:
        return self.extended_due_date or self.due_date or default_due_date(self.assigned_at)

    @display(_l("Co-handlers"), reads=("assignments.department",))
    def co_departments(self) -> str:
        """The co-handling (协办) and separate (分办) units still on it; the joint units (会办) apart."""
        return "、".join(str(a.department) for a in _live(self.assignments)
                        if a.role not in (LEAD, JOINT) and not a.return_approved and a.department is not None)

    @display(_l("Joint handling units"), reads=("assignments.department",))
    def joint_departments(self) -> str:
        return "、".join(str(a.department) for a in _live(self.assignments)
                        if a.role == JOINT and not a.return_approved and a.department is not None)

    @display(_l("Evaluation due date"), reads=("replies",))
    def evaluation_due(self) -> Optional[dt.date]:
        """When the proposer's evaluation of the latest reply is due, while it is awaited."""
        reply = _unevaluated_reply(self)
        return reply.evaluation_due if reply is not None else None

    @display(_l("Reply date"), reads=("replies", "merged_into.replies"))
    def reply_date(self) -> Optional[dt.date]:
        replies = self._replies()
        return min(r.reply_date for r in replies) if replies else None

    @display(_l("Answer category"), lookup=PROP_ANSWER, reads=("replies", "merged_into.replies"))
    def answer_category(self) -> Optional[str]:
        reply = self._latest_reply()
        return reply.answer_category if reply is not None else None

    @display(_l("Reply made public"), reads=("replies",))
    def reply_is_public(self) -> str:
        reply = self._latest_reply()
        if reply is None:
            return ""
        return gettext("Yes") if reply.is_public else gettext("No")

    @display(_l("Evaluation"), lookup=SATISFACTION, reads=("evaluations",))
    def evaluation_result(self) -> Optional[str]:
        evaluation = self._latest_evaluation()
        return evaluation.result if evaluation is not None else None

    @display(_l("Replied on time"), reads=("replies",))
    def replied_on_time(self) -> str:
        first, due = self.reply_date, self.effective_due_date
        if first is None or due is None:
            return ""
        return gettext("Yes") if first <= due else gettext("No")

    @display(_l("Light"), lookup=RAG_LIGHT)
    def rag_light(self) -> str:
        due = self.effective_due_date
        if self.status in ANSWERED_STATES or due is None:
            return "GREEN"
        today = today_cn()
        if today > due:
            return "RED"
        return "YELLOW" if (due - today).days <= _setting("PROPOSAL_YELLOW_DAYS", YELLOW_DAYS) else "GREEN"

    @display(_l("Overdue days"))
    def overdue_days(self) -> int:
        due = self.effective_due_date
        if self.status in ANSWERED_STATES or due is None:
            return 0
        return max(0, (today_cn() - due).days)

    def __str__(self) -> str:
        prefix = f"{self.session_label or ''}第{self.number}号" if self.number is not None else ""
        return f"{prefix} {self.title or ''}".strip()


class ProposalAssignment(BusinessRecord, Model):
    """交办: one unit handling a proposal — the lead (主办), a co-handler (协办), a joint unit (会办) or a
    separate handler (分办)."""

    __tablename__ = "proposal_assignment"

    proposal_id: Mapped[int] = parent_key("proposal", _l("Proposal"))
    proposal = parent_relation("Proposal", "assignments", _l("Proposal"))
    department_id: Mapped[int] = fk_column("department", _l("Handling unit"), nullable=False)
    department = relation("Department", department_id, _l("Handling unit"))
    role: Mapped[str] = lookup_column(HANDLING_ROLE, _l("Handling role"), nullable=False, default=LEAD)
    received_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Received on")))
    contact_person: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Contact person")))
    contact_phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Contact phone"), sensitive=True, mask="phone"))
    return_requested: Mapped[bool] = flag(_l("Return requested"))
    return_requested_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Return requested on"), description=_l("The unit asks within a few days of receiving the proposal")))
    return_reason: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Reason for return")))
    return_approved: Mapped[bool] = flag(_l("Return approved"))
    return_decided_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Return decided on"), description=_l("Empty while the request is pending")))
    co_opinion_due: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Co-handler opinion due"),
        description=_l("Co-handlers send their opinion to the lead unit; left empty: assignment date plus 2 months")))
    co_opinion_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Co-handler opinion sent on")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    @display(_l("Return may be asked until"))
    def return_deadline(self) -> Optional[dt.date]:
        proposal = self.proposal
        return return_deadline(proposal, self) if proposal is not None else None

    def __str__(self) -> str:
        return str(self.department) if self.department is not None else ""


class ProposalReply(BusinessRecord, Model):
    """答复: the answering unit's official reply letter to the deputy or member."""

    __tablename__ = "proposal_reply"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("reply_doc_no", "reply_date", "reply_type")

    proposal_id: Mapped[int] = parent_key("proposal", _l("Proposal"))
    proposal = parent_relation("Proposal", "replies", _l("Proposal"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Answering unit"))
    department = relation("Department", department_id, _l("Answering unit"))
    reply_type: Mapped[str] = lookup_column(PROP_REPLY_TYPE, _l("Reply type"), nullable=False, default="FIRST")
    reply_doc_no: Mapped[Optional[str]] = mapped_column(String(60), index=True, info=label(
        _l("Reply document number"), description=_l("e.g. 厦教函〔2026〕35号")))
    reply_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Reply date")))
    signed_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Signed by unit head"), description=_l("The head of the answering unit who signed the reply")))
    answer_category: Mapped[str] = lookup_column(PROP_ANSWER, _l("Answer category"), nullable=False)
    adoption: Mapped[Optional[str]] = lookup_column(PROP_ADOPTION, _l("Adoption"))
    contact_method: Mapped[Optional[str]] = lookup_column(PROP_CONTACT, _l("Contact method"), description=_l(
        "How the unit consulted the proposer before answering"))
    is_public: Mapped[bool] = flag(_l("Reply made public"), index=True)
    summary: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Reply summary")))
    commitments: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Commitments"), description=_l("What the unit promised to do")))
    follow_up_due: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Follow-up due date"), description=_l("Required for B and C answers: when the unit answers again")))
    evaluation_due: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Evaluation due date"),
        description=_l("Left empty: the reply date plus 15 working days, for a first reply or a reply after "
                       "re-handling")))
    evaluated_on: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Evaluated on"), description=_l("Filled when the proposer's evaluation of this reply is recorded")))

    def __str__(self) -> str:
        said = " ".join(x for x in (self.reply_doc_no or "", str(self.reply_date or "")) if x)
        return said or lookup_label(PROP_REPLY_TYPE, self.reply_type)     # a reply not yet numbered nor dated


class ProposalEvaluation(BusinessRecord, Model):
    """评价: the deputy's or member's opinion of the answer (满意度)."""

    __tablename__ = "proposal_evaluation"
    #: Found in a drop-down as it reads there (满意 2026-11-30): a re-handling picks its evaluation.
    __label_columns__ = ("result", "evaluated_at")

    proposal_id: Mapped[int] = parent_key("proposal", _l("Proposal"))
    proposal = parent_relation("Proposal", "evaluations", _l("Proposal"))
    reply_id: Mapped[Optional[int]] = fk_column("proposal_reply", _l("Reply evaluated"), ondelete="SET NULL")
    reply = relation("ProposalReply", reply_id, _l("Reply evaluated"))
    evaluated_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Evaluated on")))
    evaluator: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Evaluated by")))
    result: Mapped[str] = lookup_column(SATISFACTION, _l("Evaluation result"), nullable=False)
    comments: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Evaluation comments")))

    def __str__(self) -> str:
        return f"{lookup_label(SATISFACTION, self.result)} {self.evaluated_at or ''}".strip()


class ProposalRehandling(BusinessRecord, Model):
    """重新办理: a proposal handled again after the proposer's dissatisfied evaluation — started
    within 5 working days of it, answered again within one month of the start (重新交办之日起一个月,
    the 2025 rules' article 29).

    Opened by the dissatisfied evaluation itself (`evaluation_defaults`); the `rehandle` step
    stamps its start, the reply after re-handling its answer. `due_date` is the limit now
    running: the start's until the unit starts, then the answer's (app/registry/deadlines.py)."""

    __tablename__ = "proposal_rehandling"
    __label_columns__ = ("requested_on",)

    proposal_id: Mapped[int] = parent_key("proposal", _l("Proposal"))
    proposal = parent_relation("Proposal", "rehandlings", _l("Proposal"))
    evaluation_id: Mapped[Optional[int]] = fk_column("proposal_evaluation", _l("Dissatisfied evaluation"),
                                                     ondelete="SET NULL")
    evaluation = relation("ProposalEvaluation", evaluation_id, _l("Dissatisfied evaluation"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Handling unit"))
    department = relation("Department", department_id, _l("Handling unit"))
    requested_on: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Dissatisfied on"), description=_l("The date of the evaluation asking for re-handling")))
    start_due: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Start due date"), description=_l("Left empty: 5 working days after the dissatisfied evaluation")))
    started_on: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Re-handling started on")))
    reply_due: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Answer again by"), description=_l("Left empty: one month after re-handling starts")))
    replied_on: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Answered again on")))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Current due date"), description=_l("The start's due date until re-handling starts, then the answer's")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    def __str__(self) -> str:
        return f"{gettext('Re-handling')} {self.requested_on or ''}".strip()


# --- Checks docs/domain.md states (they read, never write) -----------------------------------------




def number_problems(proposal: Proposal) -> list[str]:
    """建议号/提案号 are unique within a kind and a session: say so before the database refuses.

    Soft-deleted proposals count too: the database constraint still sees them."""
    if not proposal.kind or not proposal.session_label or proposal.number is None:
        return []
    session = _db_session(proposal)
    if session is None:
        return []
    query = select(Proposal.id).where(
        Proposal.kind == proposal.kind, Proposal.session_label == proposal.session_label,
        Proposal.number == proposal.number)
    if proposal.id is not None:
        query = query.where(Proposal.id != proposal.id)
    with session.no_autoflush:
        taken = session.execute(query.limit(1)).first()
    if taken is None:
        return []
    return [gettext("Number %(number)s is already used by another %(kind)s of session %(session)s.",
                    number=proposal.number, kind=lookup_label(PROP_KIND, proposal.kind),
                    session=proposal.session_label)]


def deadline_problems(proposal: Proposal) -> list[str]:
    """Reply within 3 months of assignment; an extension reaches 6 months after it at most."""
    problems: list[str] = []
    assigned = proposal.assigned_at
    if proposal.number is not None and proposal.number < 1:
        problems.append(gettext("The proposal number starts at 1."))
    if assigned and proposal.due_date and proposal.due_date < assigned:
        problems.append(gettext("The reply due date cannot be earlier than the assignment date."))
    if proposal.extended_due_date:
        if assigned is None:
            problems.append(gettext("Give the assignment date before extending the due date."))
        else:
            latest = latest_extended_due(assigned)
            if proposal.extended_due_date > latest:
                problems.append(gettext(
                    "The extended due date may be at most %(months)d months after the assignment date "
                    "(%(latest)s).", months=max_months(), latest=latest.isoformat()))
            due = proposal.due_date or default_due_date(assigned)
            if proposal.extended_due_date <= due:
                problems.append(gettext("The extended due date must be later than the reply due date (%(due)s).",
                                        due=due.isoformat()))
    if proposal.is_key and not (proposal.supervising_leader or "").strip():
        problems.append(gettext("A proposal under key supervision needs its supervising leader."))
    return problems


def lead_problems(proposal: Proposal) -> list[str]:
    """Once units have taken a proposal on, it has exactly one lead unit (a lead whose
    return was approved has handed it back).

    Not checked while the proposal is only assigned: a clerk registers the proposal
    first and adds its handling units afterwards."""
    if proposal.status not in HANDLED_STATES:
        return []
    leads = [a for a in _live(proposal.assignments) if a.role == LEAD and not a.return_approved]
    if len(leads) != 1:
        return [gettext("A proposal being handled needs exactly one lead unit; it has %(n)d.", n=len(leads))]
    return []


def merge_problems(proposal: Proposal) -> list[str]:
    """并案: a proposal merges into a main one on the same subject — not into itself, not into one
    already merged elsewhere or closed, only within one kind and one session (届次)."""
    main = _parent(proposal, "merged_into", Proposal)
    if main is None:
        return []
    if proposal.status != "MERGED":
        return [gettext("A proposal is merged into a main one with the step “Merge into a main proposal”.")]
    if main is proposal or (proposal.id is not None and main.id == proposal.id):
        return [gettext("A proposal cannot be merged into itself.")]
    if main.merged_into_id is not None or main.merged_into is not None or main.status == "MERGED":
        return [gettext("%(main)s is itself merged into another proposal: merge into that one.", main=str(main))]
    if main.status == "CLOSED":
        return [gettext("%(main)s is closed: a proposal cannot be merged into it.", main=str(main))]
    if main.is_deleted:
        return [gettext("%(main)s is in the Trash.", main=str(main))]
    if main.kind != proposal.kind or main.session_label != proposal.session_label:
        return [gettext("Only proposals of the same kind and the same session are merged; %(main)s is a %(kind)s "
                        "of session %(session)s.", main=str(main), kind=lookup_label(PROP_KIND, main.kind),
                        session=main.session_label)]
    return []


def proposal_problems(proposal: Proposal) -> list[str]:
    return (number_problems(proposal) + deadline_problems(proposal) + lead_problems(proposal)
            + merge_problems(proposal))


def assignment_problems(assignment: ProposalAssignment) -> list[str]:
    """One lead unit per proposal, no unit twice (a unit whose return was approved no
    longer counts); a return request gives its reason, and only a requested return can
    be approved."""
    problems: list[str] = []
    proposal = _parent(assignment, "proposal", Proposal)
    if proposal is not None:
        # a unit whose return was approved no longer handles the proposal
        others = [a for a in _live(proposal.assignments) if a is not assignment
                  and (assignment.id is None or a.id != assignment.id) and not a.return_approved]
        if assignment.role == LEAD and not assignment.is_deleted and not assignment.return_approved \
                and any(a.role == LEAD for a in others):
            problems.append(gettext("This proposal already has a lead unit."))
        unit = assignment.department_id or getattr(assignment.department, "id", None)
        if unit is not None and any((a.department_id or getattr(a.department, "id", None)) == unit for a in others):
            problems.append(gettext("The unit %(unit)s is assigned more than once.",
                                    unit=str(assignment.department or unit)))
    if assignment.return_requested and not (assignment.return_reason or "").strip():
        problems.append(gettext("A return request needs its reason."))
    if assignment.return_approved and not assignment.return_requested:
        problems.append(gettext("Only a requested return can be approved."))
    if assignment.return_requested_at and assignment.received_at \
            and assignment.return_requested_at < assignment.received_at:
        problems.append(gettext("A return cannot be requested before the proposal was received."))
    if proposal is not None and assignment.return_requested and _return_request_changed(assignment):
        last = return_deadline(proposal, assignment)
        asked = assignment.return_requested_at or today_cn()
        if last is not None and asked > last:
            problems.append(_late_return(last))
    return problems


def _late_return(last: dt.date) -> str:
    return gettext("A return had to be asked for by %(deadline)s (%(days)d working days after the unit received "
                   "the proposal); the unit handles it.", deadline=last.isoformat(), days=return_days())


def _return_request_changed(assignment) -> bool:
    """A new return request, or its date changed: the window is judged when the request is made,
    not each time an old request's row is saved again (the setting may have changed since)."""
    from sqlalchemy import inspect as sa_inspect

    state = sa_inspect(assignment)
    if state.transient or state.pending:
        return True
    return any(state.attrs[name].history.has_changes() for name in ("return_requested", "return_requested_at"))


def return_window_problems(proposal: Proposal) -> list[str]:
    """The `request_return` step: only within the window after the lead unit received the proposal."""
    leads = [a for a in _live(proposal.assignments) if a.role == LEAD and not a.return_approved]
    last = return_deadline(proposal, leads[0] if leads else None)
    if last is not None and today_cn() > last:
        return [_late_return(last)]
    return []


def reply_problems(reply: ProposalReply) -> list[str]:
    """B and C answers are followed up: they need the date by which the unit answers again."""
    problems: list[str] = []
    if reply.answer_category in FOLLOW_UP_ANSWERS:
        if reply.follow_up_due is None:
            problems.append(gettext("A reply in category B or C needs a follow-up due date."))
        elif reply.reply_date and reply.follow_up_due <= reply.reply_date:
            problems.append(gettext("The follow-up due date must be later than the reply date."))
    proposal = _parent(reply, "proposal", Proposal)
    if proposal is not None and proposal.assigned_at and reply.reply_date \
            and reply.reply_date < proposal.assigned_at:
        problems.append(gettext("A reply cannot be dated before the proposal was assigned."))
    return problems


def evaluation_problems(evaluation: ProposalEvaluation) -> list[str]:
    problems: list[str] = []
    reply = _parent(evaluation, "reply", ProposalReply)
    proposal = _parent(evaluation, "proposal", Proposal)
    if reply is not None and proposal is not None and _parent(reply, "proposal", Proposal) is not proposal:
        problems.append(gettext("The evaluated reply belongs to another proposal."))
    if reply is not None and reply.reply_date and evaluation.evaluated_at \
            and evaluation.evaluated_at < reply.reply_date:
        problems.append(gettext("An evaluation cannot be dated before the reply."))
    return problems


# --- What the workflow's steps need (applied by the transitions' effects) ---------------------
#: The deputy's verdict that sends a proposal back for re-handling (docs/domain.md §5).
DISSATISFIED = "BUMANYI"


def _unevaluated_reply(proposal: Proposal):
    """The latest dated reply, if no evaluation has judged it yet."""
    reply, evaluation = proposal._latest_reply(), proposal._latest_evaluation()
    if reply is None:
        return None
    if evaluation is not None and (evaluation.reply is reply or (evaluation.reply_id is not None
                                                                 and evaluation.reply_id == reply.id)
                                   or reply.reply_date < evaluation.evaluated_at):
        return None
    return reply


def reply_step_problems(proposal: Proposal) -> list[str]:
    """"Replied" needs a reply letter (dated, with its answer category) not yet evaluated: after
    re-handling, the unit answers again. The lead's answer waits for the opinion of every joint
    handling unit (会办) still on the proposal."""
    if _unevaluated_reply(proposal) is None:
        return [gettext("Record the reply letter (date and answer category) in the Replies tab first.")]
    waiting = [str(a.department) for a in _live(proposal.assignments)
               if a.role == JOINT and not a.return_approved and a.co_opinion_at is None]
    if waiting:
        return [gettext("The joint handling units %(units)s have not sent their opinion yet: the lead unit "
                        "answers once it has them (record the date in the Handling units tab).",
                        units="、".join(waiting))]
    return []


def evaluation_step_problems(proposal: Proposal) -> list[str]:
    """"Evaluated" needs the proposer's evaluation of the latest reply."""
    if proposal._latest_evaluation() is None or _unevaluated_reply(proposal) is not None:
        return [gettext("Record the deputy's or member's evaluation in the Evaluations tab first.")]
    return []


def closing_step_problems(proposal: Proposal) -> list[str]:
    """An evaluated proposal closes unless its proposer is dissatisfied (re-handled) or its
    answer is B or C (followed up)."""
    if proposal.evaluation_result == DISSATISFIED:
        return [gettext("The proposer is dissatisfied: the proposal is handled again, not closed.")]
    if proposal.answer_category in FOLLOW_UP_ANSWERS:
        return [gettext("An answer in category B or C is followed up before the proposal is closed.")]
    return []


def rehandling_step_problems(proposal: Proposal) -> list[str]:
    if proposal.evaluation_result != DISSATISFIED:
        return [gettext("Only a proposal whose proposer is dissatisfied is handled again.")]
    started = [r for r in _live(proposal.rehandlings) if r.started_on is not None]
    if len(started) >= max_rehandlings():
        return [gettext("This proposal has already been handled again %(n)d time(s), the most allowed; close it "
                        "with the proposer's evaluation on record.", n=len(started))]
    return []


def _open_rehandling(proposal: Proposal, *, started: bool):
    """The latest live re-handling not yet answered (started or not, as asked)."""
    rows = [r for r in _live(proposal.rehandlings) if r.replied_on is None
            and (r.started_on is not None) == started]
    return max(rows, key=lambda r: (r.requested_on or dt.date.min, r.id or 0)) if rows else None


def start_rehandling(proposal: Proposal, session) -> None:
    """Effect of `rehandle`: refused unless the proposer is dissatisfied and the limit of
    re-handlings is not reached; stamps the start on the re-handling the evaluation opened (one
    is opened now if the evaluation came in another way), whose running limit becomes the answer's."""
    refuse(rehandling_step_problems(proposal))
    row = _open_rehandling(proposal, started=False)
    if row is None:
        evaluation = proposal._latest_evaluation()
        row = _new_rehandling(proposal, evaluation, evaluation.evaluated_at if evaluation else today_cn())
        session.add(row)
    row.started_on = today_cn()
    if row.reply_due is None:
        row.reply_due = add_months(row.started_on, rehandle_reply_months())
    row.due_date = row.reply_due


def _new_rehandling(proposal: Proposal, evaluation, day: dt.date) -> ProposalRehandling:
    start_due = add_working_days(day, rehandle_start_days())
    return ProposalRehandling(proposal=proposal, evaluation=evaluation, requested_on=day, start_due=start_due,
                              due_date=start_due, department=proposal.lead_department)


def merge_step(proposal: Proposal, session) -> None:
    """Effect of `merge` (并案): the main proposal is required and checked; the date is stamped."""
    if _parent(proposal, "merged_into", Proposal) is None:
        refuse([gettext("Choose the main proposal this one is merged into.")])
    refuse(merge_problems(proposal))
    if proposal.merged_at is None:
        proposal.merged_at = today_cn()


def follow_up_step_problems(proposal: Proposal) -> list[str]:
    if proposal.evaluation_result == DISSATISFIED:
        return [gettext("The proposer is dissatisfied: the proposal is handled again first.")]
    if proposal.answer_category not in FOLLOW_UP_ANSWERS:
        return [gettext("Only an answer in category B or C is followed up.")]
    return []


def follow_up_closing_problems(proposal: Proposal) -> list[str]:
    """A followed-up proposal closes once the unit has answered again (a follow-up reply)."""
    if not any(r.reply_type == "FOLLOW_UP" for r in proposal._replies()):
        return [gettext("Record the follow-up reply in the Replies tab first.")]
    return []


def key_to_supervision(proposal: Proposal, session) -> None:
    """Effect of a unit taking a proposal on: a key proposal (重点督办) gets its supervision
    item (source 重点建议提案), once, under its supervising leader."""
    if not proposal.is_key:
        return
    open_item_for(proposal, "JYTA", session=session, title=proposal.title, content=proposal.content,
                  source_ref=str(proposal), lead_department=proposal.lead_department or proposal.lead_department_id,
                  due_date=proposal.effective_due_date, responsible_leader=proposal.supervising_leader,
                  priority="ZHONGDIAN")


# --- Defaults, whatever path saves the record -------------------------------------------------
def _proposal_of(session: Session, obj) -> Optional[Proposal]:
    if obj.proposal is not None or obj.proposal_id is None:
        return obj.proposal
    return session.get(Proposal, obj.proposal_id)


def proposal_defaults(proposal: Proposal, _change) -> None:
    """Save hook (views/proposals.py): an empty reply due date is assignment + 3 months; a
    proposer who asked for confidentiality has his names kept in the sensitive columns (masked
    for users who may not see sensitive data), and back in the public ones once the request is
    withdrawn."""
    if proposal.due_date is None and proposal.assigned_at is not None:
        proposal.due_date = default_due_date(proposal.assigned_at)
    if proposal.confidentiality_requested:
        if proposal.lead_proposer:
            proposal.confidential_lead_proposer, proposal.lead_proposer = proposal.lead_proposer, None
        if proposal.co_proposers:
            proposal.confidential_co_proposers, proposal.co_proposers = proposal.co_proposers, None
    else:
        if proposal.confidential_lead_proposer:
            proposal.lead_proposer = proposal.lead_proposer or proposal.confidential_lead_proposer
            proposal.confidential_lead_proposer = None
        if proposal.confidential_co_proposers:
            proposal.co_proposers = proposal.co_proposers or proposal.confidential_co_proposers
            proposal.confidential_co_proposers = None


def reply_defaults(reply: ProposalReply, change) -> None:
    """Save hook: a first reply or a reply after re-handling is evaluated within 15 working days
    (an empty evaluation due date is filled from the reply date on the work calendar); a reply
    after re-handling answers the open re-handling."""
    if reply.is_deleted or reply.reply_date is None:
        return
    if reply.reply_type in EVALUATED_REPLY_TYPES and reply.evaluation_due is None:
        reply.evaluation_due = add_working_days(reply.reply_date, evaluation_days(), session=change.session)
    if reply.reply_type == "REHANDLE":
        proposal = _proposal_of(change.session, reply)
        row = _open_rehandling(proposal, started=True) if proposal is not None else None
        if row is not None:
            row.replied_on = reply.reply_date


def evaluation_defaults(evaluation: ProposalEvaluation, change) -> None:
    """Save hook: the evaluated reply records when it was evaluated (its evaluation window
    closes); a dissatisfied verdict opens a re-handling with its two limits, unless the proposal
    has had the re-handlings allowed."""
    if evaluation.is_deleted or evaluation.evaluated_at is None:
        return
    proposal = _proposal_of(change.session, evaluation)
    reply = evaluation.reply
    if reply is None and evaluation.reply_id is not None:
        reply = change.session.get(ProposalReply, evaluation.reply_id)
    if reply is None and proposal is not None:
        reply = _unevaluated_reply(proposal)
        if reply is not None:
            evaluation.reply = reply
    if reply is not None and reply.evaluated_on is None:
        reply.evaluated_on = evaluation.evaluated_at
    if proposal is None or evaluation.result != DISSATISFIED:
        return
    rows = _live(proposal.rehandlings)
    if any(r.evaluation is evaluation or (evaluation.id is not None and r.evaluation_id == evaluation.id)
           for r in rows) or len(rows) >= max_rehandlings():
        return
    change.session.add(_new_rehandling(proposal, evaluation, evaluation.evaluated_at))


def rehandling_defaults(row: ProposalRehandling, _change) -> None:
    """Save hook: an empty start limit comes from the dissatisfied date, an empty answer limit from
    the start; the running one follows the start."""
    if row.requested_on is not None and row.start_due is None:
        row.start_due = add_working_days(row.requested_on, rehandle_start_days())
    if row.started_on is not None and row.reply_due is None:
        row.reply_due = add_months(row.started_on, rehandle_reply_months())
    running = row.reply_due if row.started_on is not None else row.start_due
    if running is not None and row.due_date != running:
        row.due_date = running


def rehandling_problems(row: ProposalRehandling) -> list[str]:
    problems: list[str] = []
    if row.started_on and row.requested_on and row.started_on < row.requested_on:
        problems.append(gettext("Re-handling cannot start before the dissatisfied evaluation."))
    if row.replied_on and row.requested_on and row.replied_on < row.requested_on:
        problems.append(gettext("The answer after re-handling cannot be dated before the dissatisfied evaluation."))
    return problems


def assignment_defaults(assignment: ProposalAssignment, change) -> None:
    """Save hook (views/proposals.py): an empty co-handler opinion due date is assignment +
    2 months; the proposal's lead unit follows its lead assignment."""
    if assignment.is_deleted:
        return
    proposal = _proposal_of(change.session, assignment)
    if proposal is None:
        return
    if assignment.role in (CO_HANDLER, JOINT) and assignment.co_opinion_due is None \
            and proposal.assigned_at is not None:
        assignment.co_opinion_due = add_months(proposal.assigned_at, co_opinion_months())
    if assignment.role == LEAD and not assignment.return_approved:
        if assignment.department is not None:
            if proposal.lead_department is not assignment.department:
                proposal.lead_department = assignment.department
        elif assignment.department_id is not None and proposal.lead_department_id != assignment.department_id:
            proposal.lead_department_id = assignment.department_id
