"""NPC suggestions and CPPCC proposals: assignment to units, replies and evaluations (建议提案处)."""

from flask_babel import gettext

from app.dashboard import deadlines as dashboard_deadlines
from app.dashboard import domains as panels
from app.dashboard.figures import single
from app.dashboard.links import equal, list_url
from app.dashboard.queries import count, may_read
from app.ledgers import CO, LEAD, SERIAL, ByUnit, Count, code_counts, in_role, register_ledger, satisfaction_rate, share
from app.registry import register
from app.registry.deadlines import Deadline, overdue_condition, running_condition
from app.registry.spec import ChildColumn, ImportChild, entity_for
from app.workflow import Transition, Workflow
from models.base import _l, live
from models.lookups import CO_HANDLER, JOINT
from models.lookups import LEAD as LEAD_ROLE
from models.proposals import (
    ANSWERED_STATES,
    MERGEABLE_STATES,
    Proposal,
    ProposalAssignment,
    ProposalEvaluation,
    ProposalRehandling,
    ProposalReply,
    assignment_defaults,
    assignment_problems,
    closing_step_problems,
    evaluation_defaults,
    evaluation_problems,
    evaluation_step_problems,
    follow_up_closing_problems,
    follow_up_step_problems,
    key_to_supervision,
    merge_step,
    proposal_defaults,
    proposal_problems,
    rehandling_defaults,
    rehandling_problems,
    reply_defaults,
    reply_problems,
    reply_step_problems,
    return_window_problems,
    start_rehandling,
)
from models.supervision import refusing

# Children first: the proposal's record page shows them as tabs.
register(
    ProposalAssignment, group="F07_Proposals", title=_l("Handling units"), item=_l("Handling unit"), menu=False,
    on_save=[assignment_defaults],
    checks=[assignment_problems],
    list=["proposal", "department", "role", "received_at", "return_deadline", "return_requested", "return_approved",
          "co_opinion_due", "co_opinion_at"],
    search=["department", "role", "received_at", "return_requested", "return_approved", "contact_person"],
    sections=[
        (_l("Assignment"), ["proposal", "department", "role", "received_at"]),
        (_l("Contact"), ["contact_person", "contact_phone"]),
        (_l("Return request"), ["return_deadline", "return_requested", "return_requested_at", "return_reason",
                                "return_approved", "return_decided_at"]),
        (_l("Co-handler opinion"), ["co_opinion_due", "co_opinion_at"]),
        (_l("Remarks"), ["remark"]),
    ],
    # the contact's mobile stays out of the spreadsheet until exports mask sensitive columns
    readonly=["return_deadline"],
    export=["proposal", "department", "role", "received_at", "contact_person", "return_requested",
            "return_requested_at", "return_reason", "return_approved", "return_decided_at", "co_opinion_due",
            "co_opinion_at", "remark"],
    base_order=("id", "asc"),
)

register(
    ProposalReply, group="F07_Proposals", title=_l("Replies"), item=_l("Reply"), menu=False,
    on_save=[reply_defaults],
    checks=[reply_problems],
    # the proposer evaluates a first reply or a reply after re-handling within 15 working days:
    # the reply's light says whether the evaluation is awaited, due soon or overdue
    deadline=Deadline(due="evaluation_due", stopped_by="evaluated_on", department="department"),
    list=["proposal", "reply_type", "department", "reply_doc_no", "reply_date", "answer_category", "adoption",
          "is_public", "follow_up_due", "evaluation_due", "evaluated_on"],
    search=["reply_doc_no", "department", "reply_type", "reply_date", "answer_category", "adoption",
            "contact_method", "is_public", "signed_by", "follow_up_due"],
    sections=[
        (_l("Reply"), ["proposal", "reply_type", "department", "reply_doc_no", "reply_date", "signed_by"]),
        (_l("Answer"), ["answer_category", "adoption", "contact_method", "is_public", "summary"]),
        (_l("Follow-up"), ["commitments", "follow_up_due"]),
        (_l("Evaluation"), ["evaluation_due", "evaluated_on"]),
    ],
    readonly=["evaluated_on"],
    base_order=("reply_date", "desc"),
)

register(
    ProposalEvaluation, group="F07_Proposals", title=_l("Evaluations"), item=_l("Evaluation"), menu=False,
    on_save=[evaluation_defaults],
    checks=[evaluation_problems],
    list=["proposal", "reply", "evaluated_at", "evaluator", "result"],
    search=["evaluated_at", "evaluator", "result"],
    sections=[(_l("Evaluation"), ["proposal", "reply", "evaluated_at", "evaluator", "result", "comments"])],
    base_order=("evaluated_at", "desc"),
)

register(
    ProposalRehandling, group="F07_Proposals", title=_l("Re-handling"), item=_l("Re-handling"), menu=False,
    on_save=[rehandling_defaults],
    checks=[rehandling_problems],
    # start within 5 working days of the dissatisfied evaluation, answer again within one month
    # of it: `due_date` is whichever of the two is running
    deadline=Deadline(due="due_date", stopped_by="replied_on", department="department"),
    list=["proposal", "department", "requested_on", "start_due", "started_on", "reply_due", "replied_on",
          "due_date"],
    search=["department", "requested_on", "start_due", "started_on", "reply_due", "replied_on", "due_date"],
    sections=[(_l("Re-handling"), ["proposal", "evaluation", "department", "requested_on", "start_due",
                                   "started_on", "reply_due", "replied_on", "due_date", "remark"])],
    readonly=["due_date"],
    base_order=("requested_on", "desc"),
)

register(
    Proposal, group="F07_Proposals", title=_l("Suggestions and proposals"), item=_l("Suggestion or proposal"),
    import_key=["kind", "session_label", "number"],
    # the words of the office's statistics tables of proposals (issue 18): imported without renaming
    synonyms={"number": ["建议号", "提案号", "建议编号", "提案编号", "建议提案编号"], "kind": ["类别", "类型"],
              "lead_proposer": ["领衔人", "提出人", "领衔代表", "提案人"], "session_label": ["届次会次", "会次"],
              "topic_category": ["分类", "内容类别", "建议类别"], "assigned_at": ["交办时间"],
              "due_date": ["办结时限", "办理期限", "答复时限"], "co_proposers": ["附议人", "联名人"]},
    # a statistics table's units, reply and evaluation come in as the proposal's children (issue 18);
    # the proposal's lead unit follows its lead assignment (assignment_defaults)
    import_children=[
        ImportChild("assignments", fixed={"role": LEAD_ROLE}, same=["department"], columns=[
            ChildColumn("lead", "department", _l("Lead handler"), reads=["lead_department"],
                        synonyms=["主办", "主办部门", "牵头单位", "牵头部门", "主办单位名称"])]),
        ImportChild("assignments", fixed={"role": CO_HANDLER}, same=["department"], columns=[
            ChildColumn("co", "department", _l("Co-handlers"), reads=["co_departments"], several=True,
                        synonyms=["协办", "协办部门", "配合单位"])]),
        ImportChild("assignments", fixed={"role": JOINT}, same=["department"], columns=[
            ChildColumn("joint", "department", _l("Joint handling units"), reads=["joint_departments"],
                        several=True, synonyms=["会办", "会办单位", "会办部门"])]),
        ImportChild("replies", same=["reply_date"], columns=[
            ChildColumn("date", "reply_date", _l("Reply date"), reads=["reply_date"],
                        synonyms=["答复时间", "办复日期", "办复时间", "复函日期"]),
            ChildColumn("category", "answer_category", _l("Answer category"), reads=["answer_category"],
                        synonyms=["答复类型", "答复分类", "办理结果", "办复类别"]),
            ChildColumn("doc_no", "reply_doc_no", _l("Reply document number"), synonyms=["复函文号", "答复函文号"]),
            ChildColumn("follow_up", "follow_up_due", _l("Follow-up due date"), synonyms=["跟踪办理时限"])]),
        ImportChild("evaluations", same=["evaluated_at", "result"], links={"reply": "replies"}, columns=[
            ChildColumn("result", "result", _l("Evaluation"), reads=["evaluation_result"],
                        synonyms=["满意度", "评价结果", "代表评价", "委员评价", "满意程度", "评价意见"]),
            ChildColumn("date", "evaluated_at", _l("Evaluated on"), synonyms=["评价时间"])]),
    ],
    on_save=[proposal_defaults],
    icon="fa-comments-o",
    checks=[proposal_problems],
    list=["kind", "session_label", "number", "title", "lead_proposer", "confidential_lead_proposer",
          "lead_department", "due_date", "status", "rag_light"],
    search=["kind", "session_label", "number", "title", "lead_proposer", "co_proposers", "proposer_group",
            "proposer_type", "topic_category", "level", "period", "lead_department", "is_key", "assigned_at",
            "due_date", "status"],
    order=["kind", "session_label", "number", "title", "lead_proposer", "due_date", "status"],
    sections=[
        (_l("Proposal"), ["kind", "level", "session_label", "period", "number", "title", "topic_category",
                          "content"]),
        (_l("Proposers"), ["lead_proposer", "proposer_type", "proposer_group", "co_proposers",
                           "confidentiality_requested", "confidential_lead_proposer", "confidential_co_proposers"]),
        (_l("Assignment"), ["lead_department", "co_departments", "joint_departments", "assigned_at", "is_key",
                            "supervising_leader", "supervision_link", "supervision_status"]),
        (_l("Time limits"), ["due_date", "extended_due_date", "extension_reason", "effective_due_date",
                             "rag_light", "overdue_days", "evaluation_due"]),
        (_l("Handling"), ["status", "reply_date", "replied_on_time", "answer_category", "reply_is_public",
                          "evaluation_result", "rehandling_count", "remark"]),
        (_l("Merged handling"), ["merged_into", "merged_at", "merged_summary"]),
    ],
    readonly=["lead_department", "co_departments", "joint_departments", "effective_due_date", "rag_light",
              "overdue_days", "reply_date", "replied_on_time", "answer_category", "reply_is_public",
              "evaluation_result", "supervision_status", "evaluation_due", "rehandling_count", "merged_at",
              "merged_summary"],
    # 建议提案办理情况统计表 (detail, docs/domain.md §10)
    export=["session_label", "kind", "number", "title", "lead_proposer", "confidential_lead_proposer",
            "topic_category", "lead_department", "co_departments", "joint_departments", "assigned_at",
            "effective_due_date", "reply_date", "answer_category", "reply_is_public", "evaluation_result",
            "merged_into", "status"],
    base_order=("assigned_at", "desc"),
    related=[ProposalAssignment, ProposalReply, ProposalEvaluation, ProposalRehandling],
    # ASSIGNED → ACCEPTED | RETURN_REQUESTED → REASSIGNED → ACCEPTED/HANDLING; ACCEPTED → HANDLING →
    # REPLIED → EVALUATED → CLOSED; dissatisfied → REHANDLING → REPLIED; B/C answers → FOLLOW_UP →
    # CLOSED (docs/domain.md §5). Replies and evaluations are recorded in their tabs; the steps check
    # them. Units taking a key proposal on open its supervision item.
    workflow=Workflow(finished=sorted(ANSWERED_STATES), transitions=[
        Transition("accept", _l("Accept the proposal for handling"), ["ASSIGNED", "REASSIGNED"], "ACCEPTED",
                   roles=["Clerk", "Manager"], effect=key_to_supervision),
        Transition("request_return", _l("Ask to return the proposal"), ["ASSIGNED"], "RETURN_REQUESTED",
                   roles=["Clerk", "Manager"], comment="required", style="warning", todo=False,
                   effect=refusing(return_window_problems)),
        Transition("reassign", _l("Reassign the proposal"), ["RETURN_REQUESTED"], "REASSIGNED", roles=["Manager"]),
        Transition("refuse_return", _l("Refuse the return"), ["RETURN_REQUESTED"], "ACCEPTED", roles=["Manager"],
                   comment="required", effect=key_to_supervision, style="danger", todo=False),
        Transition("start", _l("Start handling"), ["ACCEPTED", "REASSIGNED"], "HANDLING", roles=["Clerk", "Manager"],
                   effect=key_to_supervision),
        Transition("reply", _l("Mark as replied"), ["HANDLING", "REHANDLING"], "REPLIED", roles=["Clerk", "Manager"],
                   effect=refusing(reply_step_problems)),
        Transition("evaluate", _l("Mark as evaluated"), ["REPLIED"], "EVALUATED", roles=["Clerk", "Manager"],
                   effect=refusing(evaluation_step_problems)),
        Transition("close", _l("Close the proposal"), ["EVALUATED"], "CLOSED", roles=["Manager"],
                   effect=refusing(closing_step_problems), style="success"),
        Transition("rehandle", _l("Handle again"), ["EVALUATED"], "REHANDLING", roles=["Manager"],
                   effect=start_rehandling, style="warning"),
        Transition("follow_up", _l("Follow up the answer"), ["EVALUATED"], "FOLLOW_UP", roles=["Manager"],
                   effect=refusing(follow_up_step_problems)),
        Transition("close_follow_up", _l("Close after the follow-up reply"), ["FOLLOW_UP"], "CLOSED",
                   roles=["Manager"], effect=refusing(follow_up_closing_problems), style="success"),
        # 并案: handled and answered with a main proposal on the same subject
        Transition("merge", _l("Merge into a main proposal"), list(MERGEABLE_STATES), "MERGED", roles=["Manager"],
                   fields=["merged_into"], requires=["merged_into"], effect=merge_step, todo=False),
    ]),
)


# --- the ledger (docs/domain.md §10): detail, and the count per handling unit ------------------------------
def _handling_units(proposal: Proposal):
    """A proposal counts for its lead unit as 主办 and for each co-handler still on it (a
    co-handler whose return was approved has left it) as 协办."""
    yield proposal.lead_department, LEAD
    for assignment in live(proposal.assignments):
        if assignment.role != LEAD and not assignment.return_approved and assignment.department is not None:
            yield assignment.department, CO


def _replied(proposal: Proposal) -> bool:
    return proposal.reply_date is not None


def _replied_by_due(proposal: Proposal) -> bool:
    """The first reply on or before the effective due date (the extended one once granted);
    a proposal without any due date has no limit to miss."""
    due = proposal.effective_due_date
    return due is None or proposal.reply_date <= due


#: 按期答复率 = proposals first replied on or before their effective due date / proposals
#: replied (not yet replied: in neither). 满意率 = satisfied or basically satisfied / evaluated
#: (满意 + 基本满意 + 不满意), each proposal by its latest evaluation, as the detail's 评价 column
#: shows it; the dashboard's rate counts evaluations, so a proposal evaluated twice counts there
#: twice: the two agree whenever each proposal was evaluated once.
PROPOSALS_BY_UNIT = ByUnit(
    title=_l("Suggestions and proposals by handling unit"), sheet=_l("By handling unit"),
    unit_header=_l("Handling unit"), no_unit=_l("(no lead unit yet)"), units=_handling_units,
    measures=[
        Count("lead", _l("Cases led"), in_role(LEAD, lambda p: True)),
        Count("co", _l("Cases co-handled"), in_role(CO, lambda p: True)),
        # a merged proposal stays a proposal received; the main proposal's reply answers it
        Count("merged", _l("Merged into a main proposal"), in_role(LEAD, lambda p: p.status == "MERGED")),
        *share("on_time", _l("Replied on time rate"), _replied_by_due, _replied, role=LEAD, shown=_l("Replied")),
        *code_counts(lambda p: p.answer_category, [(c, _l("Answer %(code)s", code=c)) for c in "ABCD"], role=LEAD),
        *code_counts(lambda p: p.evaluation_result, [("MANYI", _l("Satisfied")), ("JIBEN", _l("Basically satisfied")),
                                                     ("BUMANYI", _l("Dissatisfied"))], role=LEAD, key="verdict"),
        *satisfaction_rate(lambda p: p.evaluation_result, role=LEAD),
    ],
)

register_ledger(
    "proposals", _l("Handling of suggestions and proposals"), Proposal,
    [SERIAL, "session_label", "kind", "number", "title", "lead_proposer", "topic_category", "lead_department",
     "co_departments", "joint_departments", "assigned_at", "effective_due_date", "reply_date", "answer_category",
     "reply_is_public", "evaluation_due", "evaluation_result", "rehandling_count", "merged_into", "status"],
    summary=[PROPOSALS_BY_UNIT],
    load=["lead_department", "assignments.department", "replies", "evaluations", "rehandlings",
          "merged_into.replies"],
    note=_l("Each proposal with its units, dates, answer and evaluation; a sheet of rates per handling unit."),
)


# --- the dashboard's panel (app/dashboard/domains.py) ------------------------------------------------
def proposals_panel() -> "panels.Panel | None":
    replies, evaluations = entity_for(ProposalReply), entity_for(ProposalEvaluation)
    proposal = entity_for(Proposal)
    panel = panels.Panel("proposals", gettext("Suggestions and proposals"), proposal.group,
                         link=list_url(proposal) if may_read(proposal) else None)
    if may_read(replies):
        panel.figures.append(panels.by_code(replies, "answer_category",
                                            panels.code_counts(replies, "answer_category"),
                                            "proposal-answers", gettext("Replies by answer category")))
    if may_read(evaluations):
        counts = panels.code_counts(evaluations, "result")
        panel.figures.append(panels.by_code(evaluations, "result", counts, "proposal-satisfaction",
                                            gettext("Evaluations of the replies")))
        panel.rates.append(panels.satisfaction_rate(evaluations, "result", counts, "proposal-satisfaction-rate"))
    limits = _time_limits_figure(proposal, replies)
    if limits is not None:
        panel.figures.append(limits)
    return panel if panel.figures else None


def _time_limits_figure(proposal, replies):
    """The proposers' evaluations awaited and overdue (15 working days), re-handlings under way and
    overdue (5 working days to start, a month to answer), proposals merged (并案)."""
    rehandlings = entity_for(ProposalRehandling)
    rows = []

    def past_due(entity):
        overdue = dashboard_deadlines.past_due_filter(entity)
        return list_url(entity, overdue) if overdue is not None else list_url(entity)

    if may_read(replies):
        rows.append((gettext("Evaluations awaited"), count(replies, ProposalReply.evaluation_due.is_not(None),
                                                          running_condition(replies)), list_url(replies)))
        rows.append((gettext("Evaluations overdue"), count(replies, overdue_condition(replies)), past_due(replies)))
    if may_read(rehandlings):
        rows.append((gettext("Re-handlings under way"), count(rehandlings, running_condition(rehandlings)),
                     list_url(rehandlings)))
        rows.append((gettext("Re-handlings overdue"), count(rehandlings, overdue_condition(rehandlings)),
                     past_due(rehandlings)))
    if may_read(proposal):
        rows.append((gettext("Merged into a main proposal"), count(proposal, Proposal.status == "MERGED"),
                     list_url(proposal, equal("status", "MERGED"))))
    if not rows:
        return None
    return single("proposal-time-limits", gettext("Evaluation, re-handling and merged proposals"),
                  gettext("Records"), rows)


panels.register_panel(Proposal, proposals_panel, order=10)
