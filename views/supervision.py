"""Supervision (督查督办): items with their handling units, progress, urging and extensions; the
monthly bulletin (督查通报)."""
import datetime as dt

from flask import url_for
from flask_babel import gettext
from sqlalchemy import and_, case, func
from wtforms.validators import NumberRange, Optional

from app.dashboard import deadlines as dashboard_deadlines
from app.dashboard import domains as panels
from app.dashboard.figures import Rate, single
from app.dashboard.links import equal, list_url
from app.dashboard.queries import base_query, count, may_read
from app.extensions import db
from app.ledgers import SERIAL, Computed, Param, register_ledger
from app.lifecycle import chain
from app.paper_forms.files import FORMATS as FORM_FILES
from app.paper_forms.supervision import supervision_notice, urge_notice
from app.registry import register
from app.registry.scope import scope_condition
from app.registry.spec import ChildColumn, ImportChild, PaperSpec, entity_for
from app.reminders.feeds import extension_decided, urge_received
from app.workflow import Transition, Workflow
from models.base import _l, today_cn
from models.lookups import CO_HANDLER, LEAD
from models.supervision import (
    SUPERVISION_FUNCTION,
    BulletinRow,
    ExtensionRequest,
    ProgressReport,
    SupervisionAssignment,
    SupervisionItem,
    UrgeRecord,
    assignment_problems,
    extension_filed,
    extension_problems,
    grant_extension,
    item_problems,
    lead_unit_follows,
    monthly_bulletin,
    progress_problems,
    refuse_extension,
    strike_off,
)

# Children first: the item's record page shows them as tabs.
register(
    SupervisionAssignment, group="F06_Supervision", title=_l("Handling units"), item=_l("Handling unit"),
    on_delete=[lead_unit_follows],
    on_save=[lead_unit_follows],
    checks=[lambda a: assignment_problems(a.item, while_assigning=True) if a.item else []],
    menu=False,
    list=["item", "department", "role", "contact_person", "contact_phone", "accepted_at", "dept_due_date"],
    search=["department", "role", "contact_person", "dept_due_date"],
    sections=[
        (_l("Assignment"), ["item", "department", "role", "dept_due_date"]),
        (_l("Contact"), ["contact_person", "contact_phone", "accepted_at", "remark"]),
    ],
    order=["role", "accepted_at", "dept_due_date"],
    base_order=("id", "asc"),
)

register(
    ProgressReport, group="F06_Supervision", title=_l("Progress reports"), item=_l("Progress report"), menu=False,
    checks=[progress_problems],
    list=["item", "department", "period_label", "report_date", "percent", "signed_off_by", "is_final"],
    search=["department", "period_label", "report_date", "signed_off_by", "is_final"],
    sections=[
        (_l("Report"), ["item", "department", "period_label", "report_date", "percent", "is_final"]),
        (_l("Progress"), ["progress", "problems", "next_steps"]),
        (_l("Sign-off"), ["signed_off_by"]),
    ],
    base_order=("report_date", "desc"),
    view_attrs={"validators_columns": {"percent": [Optional(), NumberRange(min=0, max=100)]}},
)

register(
    UrgeRecord, group="F06_Supervision", title=_l("Urging records"), item=_l("Urging record"), menu=False,
    on_save=[urge_received],           # the urged unit hears it at once (app/reminders)
    papers=[PaperSpec("urge_notice", _l("Urging notice"), fill=urge_notice, formats=FORM_FILES)],
    list=["item", "department", "method", "urged_at", "urged_by"],
    search=["department", "method", "urged_at", "urged_by"],
    sections=[
        (_l("Urging"), ["item", "department", "method", "urged_at", "urged_by"]),
        (_l("Content"), ["content", "response"]),
    ],
    base_order=("urged_at", "desc"),
)

register(
    ExtensionRequest, group="F06_Supervision", title=_l("Extension requests"), item=_l("Extension request"),
    on_save=[chain(extension_filed), extension_decided],    # the asking unit hears the decision
    checks=[extension_problems],
    menu=False,
    list=["item", "department", "filed_at", "original_due", "requested_due", "status", "approved_due", "approver"],
    search=["department", "status", "filed_at", "requested_due", "approver"],
    sections=[
        (_l("Request"), ["item", "department", "filed_at", "original_due", "requested_due", "reason"]),
        (_l("Approval"), ["status", "approved_due", "approver", "decided_at", "opinion"]),
    ],
    readonly=["decided_at"],
    base_order=("filed_at", "desc"),
    # PENDING → APPROVED | REJECTED. Filing a request puts an item in progress into
    # EXTENSION_PENDING; the decision moves it back to IN_PROGRESS (and, when granted, to the
    # approved due date). The item's own extension transitions stay for requests made
    # without a written application (e.g. by telephone).
    workflow=Workflow(finished=["APPROVED", "REJECTED"], transitions=[
        Transition("grant", _l("Grant the extension"), ["PENDING"], "APPROVED", roles=["Leader", "Manager"],
                   fields=["approved_due", "approver", "opinion"], requires=["approved_due", "approver"],
                   stamp={"decided_at": today_cn}, effect=grant_extension, style="success"),
        Transition("refuse", _l("Refuse the extension"), ["PENDING"], "REJECTED", roles=["Leader", "Manager"],
                   fields=["approver", "opinion"], requires=["approver"], comment="required",
                   stamp={"decided_at": today_cn}, effect=refuse_extension, style="danger", todo=False),
    ]),
)

register(
    SupervisionItem, group="F06_Supervision", title=_l("Supervision items"), item=_l("Supervision item"),
    papers=[PaperSpec("supervision_notice", _l("Supervision notice"), fill=supervision_notice, formats=FORM_FILES)],
    import_key=["item_no"],
    # the words of the office's paper supervision ledgers (issue 18): imported without renaming
    synonyms={"item_no": ["督办号", "督办事项编号", "编号"], "source_type": ["事项来源", "督办来源", "来源类别"],
              "source_ref": ["来源文号", "来源名称", "来源文件名称"], "content": ["督办内容", "督办事项", "事项内容"],
              "lead_department": ["责任单位", "主办单位", "牵头部门"], "opened_at": ["立项时间", "交办日期"],
              "due_date": ["办结时限", "完成时限", "时限要求"], "closed_at": ["办结时间", "办结日期", "销号时间"],
              "strike_off_basis": ["销号理由"],
              "responsible_leader": ["分管领导", "责任领导（分管）"]},
    # a ledger's units and latest progress come in as the item's children (issue 18): the lead unit's
    # cell also makes the lead assignment, which the item's lead unit follows (lead_unit_follows)
    import_children=[
        ImportChild("assignments", fixed={"role": LEAD}, same=["department"],
                    from_parent={"department": "lead_department"}),
        ImportChild("assignments", fixed={"role": CO_HANDLER}, same=["department"], columns=[
            ChildColumn("co", "department", _l("Co-handling units"), reads=["co_departments"], several=True,
                        synonyms=["协办单位", "协办部门", "配合部门", "协办", "配合"])]),
        ImportChild("progress_reports", same=["report_date", "progress"], columns=[
            ChildColumn("progress", "progress", _l("Latest progress"), reads=["latest_progress"],
                        synonyms=["进展情况", "办理进展", "工作进展", "进展"]),
            ChildColumn("date", "report_date", _l("Latest report date"), reads=["latest_report_date"],
                        synonyms=["反馈时间", "进展反馈日期", "报送日期"]),
            ChildColumn("percent", "percent", _l("Completion (%)"), synonyms=["完成比例", "完成进度", "完成率"])]),
    ],
    checks=[item_problems],
    icon="fa-check-square-o",
    list=["item_no", "title", "source_type", "lead_department", "due_date", "status", "rag_light", "overdue_days"],
    search=["item_no", "title", "source_type", "lead_department", "status", "priority", "feedback_cycle",
            "responsible_leader", "supervisor", "opened_at", "due_date", "closed_at", "struck_off_by", "source_ref"],
    order=["item_no", "title", "source_type", "due_date", "status", "opened_at"],
    sections=[
        (_l("Item"), ["item_no", "title", "source_type", "source_ref", "source_document", "priority",
                      "content", "requirement"]),
        (_l("Responsibility"), ["lead_department", "co_departments", "responsible_leader", "supervisor"]),
        (_l("Time limits"), ["opened_at", "due_date", "feedback_cycle", "rag_light", "overdue_days"]),
        (_l("Handling"), ["status", "latest_progress", "latest_report_date", "remark"]),
        (_l("Striking off"), ["closed_at", "struck_off_by", "strike_off_basis", "close_opinion"]),
    ],
    readonly=["co_departments", "rag_light", "overdue_days", "latest_progress", "latest_report_date",
              "struck_off_by"],
    # 督办事项台账 (docs/domain.md §10)
    export=["item_no", "source_type", "source_ref", "title", "content", "lead_department", "co_departments",
            "responsible_leader", "opened_at", "due_date", "latest_progress", "latest_report_date", "status",
            "closed_at", "struck_off_by", "overdue_days", "rag_light", "remark"],
    base_order=("opened_at", "desc"),
    related=[SupervisionAssignment, ProgressReport, UrgeRecord, ExtensionRequest],
    # DRAFT → APPROVED → ASSIGNED → IN_PROGRESS ⇄ EXTENSION_PENDING → SUBMITTED → CLOSED | REDO → IN_PROGRESS;
    # LONG_TERM for multi-year tasks (docs/domain.md §4)
    workflow=Workflow(finished=["CLOSED"], transitions=[
        Transition("approve", _l("Approve for supervision"), ["DRAFT"], "APPROVED", roles=["Leader", "Manager"],
                   style="success"),
        Transition("assign", _l("Assign to units"), ["APPROVED"], "ASSIGNED", roles=["Clerk", "Manager"],
                   fields=["lead_department", "due_date"], requires=["lead_department", "due_date"]),
        Transition("start", _l("Start handling"), ["ASSIGNED", "REDO"], "IN_PROGRESS", roles=["Clerk", "Manager"]),
        Transition("request_extension", _l("Request extension"), ["IN_PROGRESS"], "EXTENSION_PENDING",
                   roles=["Clerk", "Manager"], comment="required", style="warning", todo=False),
        Transition("approve_extension", _l("Approve extension"), ["EXTENSION_PENDING"], "IN_PROGRESS",
                   roles=["Leader", "Manager"], fields=["due_date"], requires=["due_date"], style="success"),
        Transition("reject_extension", _l("Refuse extension"), ["EXTENSION_PENDING"], "IN_PROGRESS",
                   roles=["Leader", "Manager"], comment="required", style="danger", todo=False),
        Transition("long_term", _l("Track long-term"), ["IN_PROGRESS"], "LONG_TERM", roles=["Leader", "Manager"],
                   style="default", todo=False),
        Transition("submit", _l("Submit for closing"), ["IN_PROGRESS", "LONG_TERM"], "SUBMITTED",
                   roles=["Clerk", "Manager"]),
        # 办结销号: the supervision office alone strikes an item off, on the units' final report
        Transition("close", _l("Close and strike off"), ["SUBMITTED"], "CLOSED", roles=["Clerk", "Manager"],
                   fields=["closed_at", "strike_off_basis", "close_opinion"], requires=["close_opinion"],
                   stamp={"closed_at": today_cn}, effect=strike_off, owners_only=SUPERVISION_FUNCTION,
                   style="success"),
        Transition("redo", _l("Return for redo"), ["SUBMITTED"], "REDO", roles=["Leader", "Manager"],
                   comment="required", style="danger", todo=False),
    ]),
)

# --- the ledger (docs/domain.md §10) ------------------------------------------------------------------
register_ledger(
    "supervision", _l("Supervision items ledger"), SupervisionItem,
    [SERIAL, "item_no", "source_type", "source_ref", "title", "content", "lead_department", "co_departments",
     "responsible_leader", "opened_at", "due_date", "latest_progress", "latest_report_date", "status",
     "closed_at", "struck_off_by", "overdue_days", "rag_light", "remark"],
    note=_l("Every item with its units, time limit, latest progress, light and overdue days, and when and by "
            "whom it was struck off."),
    load=["lead_department", "assignments.department", "progress_reports"],
)


# --- 督查通报: the monthly supervision bulletin (docs/domain.md §4, §10) --------------------------------
# A report ledger (app/ledgers/spec.py) in the Reports menu: per lead unit, for the month chosen (last
# month by default), items opened, struck off on time and late, overdue and still open, and urgings,
# over the items the reader's scope shows; its Excel file and print view carry the same rows.
BULLETIN_MONTHS = 36


def _last_month() -> str:
    first = today_cn().replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


def _months() -> list[tuple[str, str]]:
    """This month and the 35 before it, the newest first."""
    year, month = today_cn().year, today_cn().month
    out = []
    for _ in range(BULLETIN_MONTHS):
        out.append((f"{year}-{month:02d}", gettext("%(year)s-%(month)02d", year=year, month=month)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


def _bulletin_rows(month: str) -> list[BulletinRow]:
    year, number = (int(part) for part in month.split("-"))
    rows = monthly_bulletin(db.session, year, number, scope_condition(entity_for(SupervisionItem)),
                            no_unit=gettext("(no lead unit yet)"))
    if rows:
        rows[-1].unit = gettext("Total")
    return rows


def _bulletin_heading(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return gettext("Supervision bulletin, %(year)s-%(month)02d", year=year, month=number)


def _bulletin_caption(rows: list[BulletinRow]) -> str:
    if not rows:
        return ""
    total = rows[-1]
    return gettext("%(opened)s items opened; %(struck)s struck off, %(late)s of them late; %(overdue)s overdue and "
                   "still open; %(urged)s urgings.", opened=total.opened, struck=total.struck_off, late=total.late,
                   overdue=total.overdue, urged=total.urged)


register_ledger(
    "supervision_bulletin", _l("Supervision bulletin"), SupervisionItem,
    report=_bulletin_rows,
    params=[Param("month", _l("Month"), _months, default=_last_month, parse=str)],
    heading=_bulletin_heading,
    columns=[
        Computed(_l("No."), lambda r: r.seq, "int", 6),
        Computed(_l("Lead unit"), lambda r: r.unit, width=28),
        Computed(_l("Opened"), lambda r: r.opened, "int", 12),
        Computed(_l("Struck off on time"), lambda r: r.on_time, "int", 12),
        Computed(_l("Struck off late"), lambda r: r.late, "int", 12,
                 badge=lambda r: "warning" if r.late else None),
        Computed(_l("Overdue, not struck off"), lambda r: r.overdue, "int", 14,
                 badge=lambda r: "danger" if r.overdue else None),
        Computed(_l("Urgings"), lambda r: r.urged, "int", 12),
        Computed(_l("On-time rate (%)"), lambda r: r.on_time_rate, "number", 14,
                 shown=lambda r: None if r.on_time_rate is None else f"{r.on_time_rate:.1f}"),
    ],
    caption=_bulletin_caption, empty=_l("No supervision item of your scope was opened, struck off, overdue or "
                                        "urged in this month."),
    note=_l("督查通报: per lead unit and month, items opened, struck off on time and late, overdue and not struck "
            "off, and urgings; the totals last."),
    icon="fa-bullhorn", menu="Reports",
)


# --- the dashboard's panel (app/dashboard/domains.py) ------------------------------------------------
def supervision_panel() -> "panels.Panel | None":
    """办结销号 this year: struck off on time and late, and what is overdue and not struck off; the
    rate of items struck off by their due date; a link to the month's bulletin."""
    entity = entity_for(SupervisionItem)
    if not may_read(entity):
        return None
    item = SupervisionItem
    struck = and_(item.status == "CLOSED", item.closed_at >= today_cn().replace(month=1, day=1))
    late = and_(item.due_date.isnot(None), item.closed_at > item.due_date)
    total, n_late = base_query(entity, func.count(), func.sum(case((late, 1), else_=0))).filter(struck).one()
    total, n_late = total or 0, n_late or 0
    overdue = count(entity, dashboard_deadlines.overdue_condition(entity))
    past_due = dashboard_deadlines.past_due_filter(entity)
    closed_url = list_url(entity, equal("status", "CLOSED"))
    overdue_url = list_url(entity, past_due) if past_due is not None else list_url(entity)
    rate = Rate(key="supervision-on-time", title=gettext("Struck off on time this year"),
                numerator=total - n_late, denominator=total, numerator_label=gettext("struck off by the due date"),
                denominator_label=gettext("struck off this year"), denominator_url=closed_url)
    rows = [(gettext("Struck off on time"), total - n_late, closed_url),
            (gettext("Struck off late"), n_late, closed_url),
            (gettext("Overdue, not struck off"), overdue, overdue_url)]
    figure = single("supervision-struck-off", gettext("Supervision items this year"), gettext("Items"), rows,
                    chart="doughnut", colours=["#2e7d32", "#f0ad4e", "#c9302c"], link=list_url(entity))
    return panels.Panel("supervision", gettext("Supervision"), entity.group, figures=[figure], rates=[rate],
                        link=url_for("SupervisionItemView.report", key="supervision_bulletin"))


panels.register_panel(SupervisionItem, supervision_panel, order=15)
