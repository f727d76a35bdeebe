"""The mayor hotline (12345 / 市长信箱): cases, their log, and their time limits."""
import datetime as dt

from flask_babel import gettext
from sqlalchemy import and_, case, func
from wtforms.validators import NumberRange, Optional

from app.console import register_sla_table
from app.dashboard import domains as panels
from app.dashboard.figures import Rate, single
from app.dashboard.links import equal, list_url, one_of
from app.dashboard.queries import base_query, code_label, count_by, lookup_order, may_read
from app.ledgers import SERIAL, ByUnit, Count, in_role, joined, register_ledger, satisfaction_rate, share
from app.registry import register
from app.registry.introspect import lookup_of
from app.registry.scope import in_my_units
from app.registry.spec import entity_for
from app.screens.unit_filters import MY_UNITS
from app.workflow import Transition, Workflow
from models.base import _l, now_cn
from models.hotline import (
    ANSWERED_STATES,
    FINISHED_STATES,
    MERGEABLE_STATES,
    NOT_COUNTED_STATES,
    PASSABLE_STATES,
    HotlineAction,
    HotlineCase,
    HotlineSLA,
    action_problems,
    case_defaults,
    case_problems,
    co_handler_edits,
    dispatched,
    escalate_case,
    extension_approved,
    lead_unit_refusal,
    merged,
    not_accepted,
    passed_on,
    reopened,
    return_approved,
    whistleblowing_confidential,
)


def lead_unit_rows():
    """`lead_unit_refusal` as a list filter, for "My tasks": the cases whose lead unit is the
    user's or one under it. None for the 12345 centre and those no unit limits. A case not yet
    dispatched (no lead) waits for the centre: a district's clerk who sees it in his scope
    finds it in the list, not among his tasks."""
    from app.registry.ownership import owns

    if owns("F10_Hotline"):
        return None
    condition = in_my_units(HotlineCase, "handler_department")
    return None if condition is None else (("handler_department", MY_UNITS, "y"), condition)


#: Every step of a case is the lead unit's (or the 12345 centre's): a co-handling unit sees the
#: case and writes its opinion in the case log, but takes no step (models/hotline.py), and
#: finds none of it among his tasks.
LEAD = {"guard": lead_unit_refusal, "guard_rows": lead_unit_rows}

register(
    HotlineAction, group="F10_Hotline", title=_l("Case log"), item=_l("Case action"), menu=False,
    checks=[action_problems],
    list=["acted_at", "action_type", "actor", "department", "review_result", "content"],
    search=["action_type", "acted_at", "actor", "department", "review_result"],
    order=["acted_at", "action_type", "actor", "review_result"],
    sections=[(_l("Action"), ["case", "action_type", "acted_at", "actor", "department", "review_result",
                              "content"])],
    base_order=("acted_at", "asc"),
)

register(
    HotlineCase, group="F10_Hotline", title=_l("Hotline cases"), item=_l("Hotline case"), icon="fa-phone",
    import_key=["case_no"],
    # the words of the 12345 platform's case lists (issue 18): imported without renaming; a list
    # carries the appeal's summary (诉求摘要) where the record holds its content
    synonyms={"case_no": ["工单号", "工单编码", "工单"], "received_at": ["受理时间", "来电时间", "登记时间"],
              "content": ["诉求摘要", "摘要", "反映内容", "来电内容", "Appeal summary"], "topic_l1": ["分类"],
              "district": ["区", "所属区", "区域"], "handler_department": ["承办部门", "处理单位", "责任单位"],
              "due_at": ["办结时限", "处理时限"], "closed_at": ["办结时间"], "replied_at": ["回复时间"],
              "citizen_name": ["来电人", "诉求人"], "citizen_phone": ["来电号码", "联系电话"]},
    on_save=[case_defaults],
    checks=[case_problems, co_handler_edits],
    fixes=[whistleblowing_confidential],
    list=["case_no", "received_at", "appeal_type", "content_brief", "citizen_display", "district",
          "handler_department", "due_at", "status", "is_overdue"],
    search=["case_no", "title", "content", "channel", "appeal_type", "urgency", "topic_l1", "topic_l2", "topic_l3",
            "district", "street", "handler_department", "received_at", "due_at", "replied_at", "status",
            "satisfaction", "is_resolved", "keep_confidential", "supervision_item", "passed_by_department",
            "rejection_reason", "merged_into"],
    # the lead and co-handling units, the unit that passed the case on, and any unit of its log
    scope=["district", "handler_department", "passed_by_department", "co_units.department", "actions.department"],
    order=["case_no", "received_at", "channel", "appeal_type", "topic_l1", "due_at", "status"],
    sections=[
        (_l("Case"), ["case_no", "channel", "appeal_type", "urgency", "received_at", "status"]),
        (_l("Appeal"), ["topic_l1", "topic_l2", "topic_l3", "title", "content", "district", "street"]),
        (_l("Citizen"), ["citizen_name", "citizen_phone", "citizen_id_card", "citizen_address", "is_anonymous",
                         "keep_confidential"]),
        (_l("Handling"), ["handler_department", "co_departments", "passed_by_department", "passed_at",
                          "dispatched_at", "accepted_at", "accept_due", "due_at", "is_overdue", "replied_at",
                          "reply"]),
        (_l("Not accepted or merged"), ["rejection_reason", "rejected_at", "rejected_by", "merged_into",
                                        "merged_at", "main_case_result"]),
        (_l("Follow-up visit"), ["visited_at", "visit_result", "satisfaction", "is_resolved"]),
        (_l("Returns, extensions and supervision"), ["return_count", "extension_count", "reopen_count",
                                                     "supervision_link", "supervision_status", "closed_at",
                                                     "remark"]),
    ],
    readonly=["accept_due", "is_overdue", "supervision_status", "passed_by_department", "passed_at", "rejected_at",
              "rejected_by", "merged_at", "main_case_result"],
    # 12345 工单明细 (docs/domain.md §10); the citizen's personal data is never exported.
    export=["case_no", "received_at", "channel", "appeal_type", "urgency", "topic_l1", "topic_l2", "topic_l3",
            "content_brief", "district", "street", "handler_department", "co_departments", "passed_by_department",
            "dispatched_at", "accepted_at", "replied_at", "due_at", "is_overdue", "return_count", "extension_count",
            "reopen_count",
            "visit_result", "satisfaction", "is_resolved", "status", "rejection_reason", "merged_into"],
    base_order=("received_at", "desc"),
    # the log, and the duplicates merged into this case (their citizens follow its answer)
    related=[HotlineAction, HotlineCase],
    related_titles={HotlineCase: _l("Cases merged into this one")},
    view_attrs={"validators_columns": {
        name: [Optional(), NumberRange(min=0)] for name in ("return_count", "extension_count", "reopen_count")}},
    # RECEIVED → (ANSWERED_DIRECT → CLOSED) | DISPATCHED → ACCEPTED | RETURN_PENDING → HANDLING ⇄
    # EXTENSION_PENDING → REPLIED → VISITED → CLOSED | REOPENED (docs/domain.md §7). An approved return
    # goes back to the centre for a new dispatch; a refused one back to the unit. A case reopened
    # after a dissatisfied visit goes back to the unit — plainly (重办) or under supervision (督办),
    # which opens a supervision item: the office's answer to a citizen who keeps calling.
    # Beside the answer: a call not taken up (RECEIVED → NOT_ACCEPTED, 不予受理), a duplicate merged
    # into its main case (RECEIVED | DISPATCHED → MERGED, 并案), and the lead unit passing the case
    # on to a unit under it (二级派单: back to DISPATCHED, for the new unit to accept).
    workflow=Workflow(finished=sorted(FINISHED_STATES), transitions=[
        Transition("answer_direct", _l("Answer the citizen directly"), ["RECEIVED"], "ANSWERED_DIRECT",
                   roles=["Clerk", "Manager"], fields=["reply"], requires=["reply"], stamp={"replied_at": now_cn},
                   **LEAD),
        Transition("dispatch", _l("Dispatch to a handling unit"), ["RECEIVED"], "DISPATCHED",
                   roles=["Clerk", "Manager"], fields=["handler_department", "co_departments"],
                   requires=["handler_department"], stamp={"dispatched_at": now_cn}, effect=dispatched, **LEAD),
        Transition("not_accept", _l("Do not accept the call"), ["RECEIVED"], "NOT_ACCEPTED",
                   roles=["Clerk", "Manager"], fields=["rejection_reason"], requires=["rejection_reason"],
                   stamp={"rejected_at": now_cn, "closed_at": now_cn}, effect=not_accepted, style="danger",
                   todo=False, **LEAD),
        Transition("merge", _l("Merge into a main case"), MERGEABLE_STATES, "MERGED", roles=["Clerk", "Manager"],
                   fields=["merged_into"], requires=["merged_into"], stamp={"merged_at": now_cn}, effect=merged,
                   style="warning", todo=False, **LEAD),
        Transition("accept", _l("Accept the case"), ["DISPATCHED"], "ACCEPTED", roles=["Clerk", "Manager"],
                   stamp={"accepted_at": now_cn}, **LEAD),
        Transition("pass_on", _l("Pass on to a unit below"), PASSABLE_STATES, "DISPATCHED",
                   roles=["Clerk", "Manager"], fields=["handler_department"], requires=["handler_department"],
                   effect=passed_on, style="warning", todo=False, **LEAD),
        Transition("request_return", _l("Ask to return the case"), ["DISPATCHED"], "RETURN_PENDING",
                   roles=["Clerk", "Manager"], comment="required", style="warning", todo=False, **LEAD),
        Transition("approve_return", _l("Approve the return"), ["RETURN_PENDING"], "RECEIVED", roles=["Manager"],
                   effect=return_approved, **LEAD),
        Transition("refuse_return", _l("Refuse the return"), ["RETURN_PENDING"], "DISPATCHED", roles=["Manager"],
                   comment="required", style="danger", todo=False, **LEAD),
        Transition("start", _l("Start handling"), ["ACCEPTED"], "HANDLING", roles=["Clerk", "Manager"], **LEAD),
        Transition("request_extension", _l("Request extension"), ["HANDLING"], "EXTENSION_PENDING",
                   roles=["Clerk", "Manager"], comment="required", style="warning", todo=False, **LEAD),
        Transition("approve_extension", _l("Approve extension"), ["EXTENSION_PENDING"], "HANDLING",
                   roles=["Manager"], fields=["due_at"], requires=["due_at"], effect=extension_approved,
                   style="success", **LEAD),
        Transition("refuse_extension", _l("Refuse extension"), ["EXTENSION_PENDING"], "HANDLING", roles=["Manager"],
                   comment="required", style="danger", todo=False, **LEAD),
        Transition("reply", _l("Record the reply to the citizen"), ["HANDLING"], "REPLIED", roles=["Clerk", "Manager"],
                   fields=["reply", "is_resolved"], requires=["reply"], stamp={"replied_at": now_cn}, **LEAD),
        Transition("visit", _l("Record the follow-up visit"), ["REPLIED"], "VISITED", roles=["Clerk", "Manager"],
                   fields=["visit_result", "satisfaction", "is_resolved"], requires=["visit_result", "satisfaction"],
                   stamp={"visited_at": now_cn}, **LEAD),
        Transition("close", _l("Archive the case"), ["ANSWERED_DIRECT", "VISITED"], "CLOSED",
                   roles=["Clerk", "Manager"], stamp={"closed_at": now_cn}, style="success", todo=False, **LEAD),
        Transition("reopen", _l("Reopen the case"), ["VISITED"], "REOPENED", roles=["Manager"], comment="required",
                   effect=reopened, style="warning", todo=False, **LEAD),
        Transition("rehandle", _l("Send back to the unit"), ["REOPENED"], "HANDLING", roles=["Clerk", "Manager"],
                   **LEAD),
        Transition("escalate", _l("Send back under supervision"), ["REOPENED"], "HANDLING",
                   roles=["Manager", "Leader"], effect=escalate_case, style="warning", todo=False, **LEAD),
    ]),
)

register(
    HotlineSLA, group="F10_Hotline", title=_l("Hotline time limits"), item=_l("Hotline time limit"),
    icon="fa-clock-o", admin_only=True,
    list=["appeal_type", "urgency", "accept_hours", "finish_workdays", "active"],
    search=["appeal_type", "urgency", "active"],
    order=["appeal_type", "urgency", "accept_hours", "finish_workdays"],
    sections=[(_l("Time limit"), ["appeal_type", "urgency", "accept_hours", "finish_workdays", "description",
                                  "active"])],
    base_order=("id", "asc"),
)


# --- the ledger (docs/domain.md §10): case detail, and the figures per handling unit ----------------------
def _accepted(case: HotlineCase) -> bool:
    return case.counted and case.dispatched_at is not None and case.accepted_at is not None


def _accepted_in_time(case: HotlineCase) -> bool:
    """签收 within the accept hours of the case's time limits (HotlineSLA, counted from
    dispatch, as the record page's "Accept by" shows); with no limit, in time."""
    limits = case.limits()
    if limits is None or limits[0] is None:
        return True
    return case.accepted_at <= case.dispatched_at + dt.timedelta(hours=limits[0])


def _answered(case: HotlineCase) -> bool:
    return case.status in ANSWERED_STATES


def _answered_in_time(case: HotlineCase) -> bool:
    """Answered by the due time: the case's own `overdue()` (replied after `due_at`) is
    the lateness the list and the dashboard's "Answered on time" count."""
    return not case.overdue()


LEAD_ROLE, CO_ROLE = "LEAD", "CO"


def _units(case: HotlineCase) -> list:
    """The lead unit (None: not dispatched) and each co-handling unit, with its role: a unit's
    rates are those of the cases it leads; the cases it co-handles are counted apart."""
    return [(case.handler_department, LEAD_ROLE)] + [(unit, CO_ROLE) for unit in case.co_departments or []]


#: Per handling unit (cases never dispatched form their own row). 按时签收率 = accepted within
#: the accept hours / accepted (dispatched and accepted); 按时办结率 = answered by the due time /
#: answered (answered directly, replied, visited or closed) — the dashboard's "Answered on time";
#: 解决率 = answered and resolved / answered; 满意率 = satisfied or basically satisfied / evaluated,
#: as on the dashboard. A merged group counts once, through its main case (the duplicates are
#: counted apart as merged); calls not accepted are counted apart and in no rate.
HOTLINE_BY_UNIT = ByUnit(
    title=_l("Hotline cases by handling unit"), sheet=_l("By handling unit"), unit_header=_l("Handling unit"),
    no_unit=_l("(not dispatched)"), units=_units,
    measures=[
        Count("received", _l("Cases received"), in_role(LEAD_ROLE, lambda case: case.counted)),
        Count("co_handled", _l("Cases co-handled"), in_role(CO_ROLE, lambda case: case.counted)),
        Count("not_accepted", _l("Calls not accepted"),
              in_role(LEAD_ROLE, lambda case: case.status == "NOT_ACCEPTED")),
        Count("merged", _l("Duplicates merged"), in_role(LEAD_ROLE, lambda case: case.status == "MERGED")),
        *share("accepted_in_time", _l("Accepted on time rate"), _accepted_in_time, _accepted,
               shown=_l("Cases accepted"), role=LEAD_ROLE),
        *share("answered_in_time", _l("Answered on time rate"), _answered_in_time, _answered,
               shown=_l("Cases answered"), role=LEAD_ROLE),
        *share("resolved", _l("Resolution rate"), lambda case: case.is_resolved, _answered, role=LEAD_ROLE),
        *satisfaction_rate(lambda case: case.satisfaction if case.counted else None, role=LEAD_ROLE),
    ],
)

register_ledger(
    "hotline_cases", _l("12345 hotline cases and summary"), HotlineCase,
    [SERIAL, "case_no", "received_at", "channel", "appeal_type",
     joined(_l("Appeal category"), "topic_l1", "topic_l2", "topic_l3", of=HotlineCase, sep="/", width=30),
     "content_brief", "district", "street", "handler_department", "co_departments", "passed_by_department",
     "dispatched_at", "accepted_at", "replied_at",
     "due_at", "is_overdue", "return_count", "extension_count", "visit_result", "satisfaction", "is_resolved",
     "status", "rejection_reason", "merged_into"],
    summary=[HOTLINE_BY_UNIT],
    load=["district", "handler_department", "co_departments", "passed_by_department", "merged_into"],
    note=_l("Every case without the citizen's personal data; a sheet of on-time, resolution and satisfaction "
            "rates per handling unit, a merged group counted once and calls not accepted apart."),
)


# --- the dashboard's panel (app/dashboard/domains.py) ------------------------------------------------
def hotline_panel() -> "panels.Panel | None":
    entity = entity_for(HotlineCase)
    if not may_read(entity):
        return None
    answered = lookup_order(lookup_of(HotlineCase, "status"), list(ANSWERED_STATES))
    late = and_(HotlineCase.replied_at.isnot(None), HotlineCase.due_at.isnot(None),
                HotlineCase.replied_at > HotlineCase.due_at)
    total, n_late = (base_query(entity, func.count(), func.sum(case((late, 1), else_=0)))
                     .filter(HotlineCase.status.in_(answered)).one())
    on_time = Rate(key="hotline-on-time", title=gettext("Answered on time"),
                   numerator=(total or 0) - (n_late or 0), denominator=total or 0,
                   numerator_label=gettext("answered by the due time"), denominator_label=gettext("answered"),
                   denominator_url=list_url(entity, one_of("status", answered)))
    # a merged group counts once (its main case), a call not accepted not at all: both apart
    counted = HotlineCase.status.notin_(list(NOT_COUNTED_STATES))
    counts = count_by(entity, HotlineCase.satisfaction, counted)
    counts.pop(None, None)
    figure = panels.by_code(entity, "satisfaction", counts, "hotline-satisfaction",
                            gettext("Satisfaction of the callers"))
    satisfaction = panels.satisfaction_rate(entity, "satisfaction", counts, "hotline-satisfaction-rate")
    apart = count_by(entity, HotlineCase.status, HotlineCase.status.in_(list(NOT_COUNTED_STATES)))
    left_out = single("hotline-left-out", gettext("Not counted in the rates"), gettext("Records"),
                      [(code_label(entity, "status", code), apart.get(code, 0), list_url(entity, equal("status", code)))
                       for code in lookup_order(lookup_of(HotlineCase, "status"), list(NOT_COUNTED_STATES))],
                      link=list_url(entity), heading=str(gettext("Status")))
    return panels.Panel("hotline", gettext("12345 Hotline & Mayor's Mailbox"), entity.group,
                        figures=[figure, left_out], rates=[on_time, satisfaction], link=list_url(entity))


panels.register_panel(HotlineCase, hotline_panel, order=20)


# --- the configuration console's time-limit table (app/console) -------------------------------------------
register_sla_table(HotlineSLA, "hotline-sla", order=30)
