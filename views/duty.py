"""Duty and emergencies (值班与突发事件): the roster, the duty logs, incidents and their reports."""
from flask_babel import gettext
from sqlalchemy import and_, case, func, literal, or_
from wtforms.validators import NumberRange, Optional

from app.console import register_sla_table
from app.dashboard import domains as panels
from app.dashboard.figures import Rate, colours_for, single
from app.dashboard.links import list_url
from app.dashboard.queries import base_query, code_label, may_read
from app.dashboard.sql import seconds_between
from app.extensions import db
from app.ledgers import SERIAL, ByUnit, Count, code_counts, in_role, lookup_rows, register_ledger, share
from app.registry import register
from app.registry.introspect import label_of, lookup_of
from app.registry.spec import CalendarSpec, entity_for
from app.workflow import Transition, Workflow
from models.base import _l, now_cn
from models.duty import (
    DUTY_SHIFT_TYPE,
    INCIDENT_CATEGORY,
    DutyLog,
    DutyOfficer,
    DutyShift,
    Incident,
    IncidentReport,
    IncidentSLA,
    duty_log_problems,
    incident_limits,
    incident_problems,
    incident_report_problems,
    note_first_report,
    number_follow_up,
    officer_problems,
    shift_problems,
)
from models.lookups import lookup_label

# Children first: their parents' record pages show them as tabs.
register(
    DutyOfficer, group="F05_Duty", title=_l("Officers on duty"), item=_l("Officer on duty"), menu=False,
    checks=[officer_problems],
    list=["seq", "personnel", "role", "office_phone", "remark"],
    search=["personnel", "role", "office_phone"],
    sections=[(_l("Officer on duty"), ["shift", "seq", "personnel", "role", "office_phone", "remark"])],
    base_order=("seq", "asc"),
)

register(
    IncidentReport, group="F05_Duty", title=_l("Incident reports"), item=_l("Incident report"), menu=False,
    on_save=[number_follow_up, note_first_report],
    checks=[incident_report_problems],
    list=["report_name", "direction", "channel", "recipient", "reported_at", "on_time", "approved_by"],
    search=["incident", "report_type", "direction", "channel", "recipient", "reported_at", "approved_by"],
    order=["direction", "channel", "reported_at", "approved_by"],
    sections=[
        (_l("Incident report"), ["incident", "report_type", "seq", "direction", "channel", "recipient", "reported_at",
                                 "on_time"]),
        (_l("Content"), ["content"]),
        (_l("Sign-off"), ["drafter", "approved_by"]),
    ],
    readonly=["report_name", "on_time"],
    base_order=("reported_at", "asc"),
)

register(
    DutyShift, group="F05_Duty", title=_l("Duty roster"), item=_l("Duty shift"), icon="fa-calendar",
    calendar=CalendarSpec(start="duty_date", color="#6f42c1",      # the shift and who leads it
                          title=lambda shift: " ".join(filter(None, [lookup_label(DUTY_SHIFT_TYPE, shift.shift_type),
                                                                     shift.leader_name]))),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"duty_date": ["日期", "值班时间"], "shift_type": ["班次类型"],
              "leader_name": ["值班领导", "带班领导姓名"], "handover_note": ["交接班情况", "交接记录"]},
    checks=[shift_problems],
    list=["duty_date", "shift_type", "leader_name", "officer_names", "special_period", "special_note", "log_count"],
    search=["duty_date", "shift_type", "leader_name", "special_period", "special_note"],
    order=["duty_date", "shift_type", "leader_name", "special_period"],
    sections=[
        (_l("Shift"), ["duty_date", "shift_type", "leader_name", "officer_names", "duty_phone"]),
        (_l("Special period"), ["special_period", "special_note"]),
        (_l("Handover"), ["handover_note", "remark"]),
    ],
    readonly=["officer_names"],
    # 值班表 (docs/domain.md §10): date, shift, leader, officers, contact (office lines only).
    export=["duty_date", "shift_type", "leader_name", "officer_names", "contact_phones", "special_period",
            "special_note"],
    base_order=("duty_date", "desc"),
    related=[DutyOfficer],
)

register(
    DutyLog, group="F05_Duty", title=_l("Duty logs"), item=_l("Duty log"), icon="fa-phone-square",
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"received_at": ["来电时间", "接报日期"], "caller_name": ["来电人姓名"], "caller_phone": ["来电电话"],
              "summary": ["来电内容", "主要内容"], "actions": ["处理结果", "办理情况"],
              "recorder": ["值班员", "登记人"]},
    checks=[duty_log_problems],
    list=["received_at", "channel", "category", "caller_unit", "summary_brief", "incident", "recorder", "is_closed"],
    search=["received_at", "channel", "category", "caller_unit", "caller_name", "summary", "reported_to",
            "incident", "recorder", "shift", "is_closed"],
    order=["received_at", "channel", "category", "caller_unit", "is_closed"],
    sections=[
        (_l("Received"), ["shift", "received_at", "channel", "category"]),
        (_l("Caller"), ["caller_unit", "caller_name", "caller_post", "caller_phone"]),
        (_l("Content"), ["summary", "reported_to", "actions", "incident"]),
        (_l("Registration"), ["recorder", "is_closed"]),
    ],
    export=["received_at", "channel", "category", "caller_unit", "caller_name", "caller_post", "summary",
            "reported_to", "actions", "incident", "recorder", "is_closed"],
    base_order=("received_at", "desc"),
)

register(
    Incident, group="F05_Duty", title=_l("Incidents"), item=_l("Incident"), icon="fa-exclamation-triangle",
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"title": ["事件名称"], "category": ["事件类别"], "level": ["事件等级"],
              "occurred_at": ["事发时间", "发生日期"], "received_at": ["接报日期"], "district": ["发生区域"],
              "address": ["事发地点", "发生地点"], "deaths": ["死亡"], "injured": ["受伤"], "measures": ["处置情况"]},
    checks=[incident_problems],
    list=["title", "category", "subcategory", "level", "district", "received_at", "timeliness_ok", "status"],
    search=["title", "category", "subcategory", "level", "warning_level", "district", "occurred_at", "received_at",
            "source", "is_sensitive", "secrecy_level", "status"],
    order=["title", "category", "subcategory", "level", "received_at", "status"],
    sections=[
        (_l("Incident"), ["title", "category", "subcategory", "level", "warning_level", "secrecy_level",
                          "is_sensitive", "status"]),
        (_l("Time and place"), ["occurred_at", "received_at", "district", "address", "latitude", "longitude"]),
        (_l("Incident information"), ["source", "cause", "impact"]),
        (_l("Casualties and losses"), ["deaths", "missing", "injured", "trapped", "direct_loss"]),
        (_l("Emergency response"), ["measures", "leaders_on_site"]),
        (_l("Reporting"), ["phone_reported_at", "written_reported_at", "reported_to_province_at", "phone_due",
                           "written_due", "timeliness_ok", "xubao_count"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["phone_due", "written_due", "timeliness_ok", "xubao_count"],
    # 突发事件信息报送统计表 (docs/domain.md §10)
    export=["title", "category", "subcategory", "level", "district", "occurred_at", "received_at",
            "phone_reported_at", "written_reported_at", "reported_to_province_at", "timeliness_ok", "xubao_count",
            "casualties", "direct_loss", "measures", "status"],
    base_order=("received_at", "desc"),
    related=[IncidentReport, DutyLog],
    view_attrs={"validators_columns": {
        name: [Optional(), NumberRange(min=0)] for name in ("deaths", "missing", "injured", "trapped")}},
    # REPORTED → VERIFYING → RESPONDING → CONTROLLED → ENDED → FINAL_REPORTED → CLOSED (docs/domain.md §6).
    # The duty officer (Clerk) records what happens, the duty office's head (Manager) confirms the
    # verification and closes, a leader may do all of it. The final report state needs the 终报
    # registered (the incident's own rule, `incident_problems`, refuses it otherwise).
    workflow=Workflow(finished=["CLOSED"], transitions=[
        Transition("start_verification", _l("Start verifying the incident"), ["REPORTED"], "VERIFYING",
                   roles=["Clerk", "Manager", "Leader"]),
        Transition("confirm_incident", _l("Confirm and respond"), ["VERIFYING"], "RESPONDING",
                   roles=["Manager", "Leader"], fields=["level", "warning_level", "measures"], requires=["level"],
                   style="success"),
        Transition("mark_controlled", _l("Mark as under control"), ["RESPONDING"], "CONTROLLED",
                   roles=["Clerk", "Manager", "Leader"], fields=["measures"]),
        Transition("mark_ended", _l("Mark the response as ended"), ["CONTROLLED"], "ENDED",
                   roles=["Clerk", "Manager", "Leader"], fields=["deaths", "missing", "injured", "direct_loss"]),
        Transition("record_final_report", _l("Final report sent"), ["ENDED"], "FINAL_REPORTED",
                   roles=["Clerk", "Manager", "Leader"], style="success"),
        Transition("close_incident", _l("Close and file the incident"), ["FINAL_REPORTED"], "CLOSED",
                   roles=["Manager", "Leader"], style="success", todo=False),
    ]),
)

register(
    IncidentSLA, group="F05_Duty", title=_l("Incident reporting time limits"), item=_l("Reporting time limit"),
    icon="fa-clock-o", admin_only=True,
    list=["category", "level", "phone_minutes", "written_minutes", "upward_hours", "active"],
    search=["category", "level", "active"],
    order=["category", "level", "phone_minutes", "written_minutes", "upward_hours"],
    sections=[(_l("Time limit"), ["category", "level", "phone_minutes", "written_minutes", "upward_hours",
                                  "description", "active"])],
    base_order=("id", "asc"),
)

# --- the ledgers (docs/domain.md §10) -----------------------------------------------------------------
register_ledger(
    "duty_roster", _l("Duty roster"), DutyShift,
    ["duty_date", "shift_type", "leader_name", "officer_names", "contact_phones", "special_period", "special_note"],
    note=_l("Who is on duty when, with the office lines that reach them (never a private number)."),
    load=["officers.personnel"],
)


#: 时效达标率 = incidents reported by phone and in writing within their limits / incidents whose
#: reports are due (on time or late): the dashboard's "Incidents reported on time"; an incident
#: whose reports are not yet due counts in neither.
INCIDENTS_BY_CATEGORY = ByUnit(
    title=_l("Incident reporting by category"), sheet=_l("By category"), unit_header=_l("Incident category"),
    units=lambda incident: [(incident.category, None)], **lookup_rows(INCIDENT_CATEGORY),
    measures=[
        Count("incidents", _l("Number of incidents"), in_role(None, lambda incident: True)),
        *code_counts(Incident.timeliness, [("OK", _l("Reported within the limits")),
                                           ("LATE", _l("Reported late")), ("PENDING", _l("Reports not yet due"))]),
        *share("on_time", _l("Reported on time rate"), lambda i: i.timeliness() == "OK",
               lambda i: i.timeliness() in ("OK", "LATE")),
    ],
)

register_ledger(
    "incident_reporting", _l("Incident reporting statistics"), Incident,
    [SERIAL, "title", "category", "subcategory", "level", "district", "occurred_at", "received_at",
     "phone_reported_at", "written_reported_at", "timeliness_ok", "xubao_count", "casualties", "measures", "status"],
    summary=[INCIDENTS_BY_CATEGORY],
    load=["district", "reports"],
    note=_l("Each incident with its first reports by phone and in writing and whether they were on time; "
            "a sheet of on-time rates per category."),
)


# --- the dashboard's panel (app/dashboard/domains.py) ------------------------------------------------
def _limit(pairs: dict, index: int):
    """CASE over (category, level): the reporting limit of each pair, in seconds."""
    whens = []
    for (category, level), limits in pairs.items():
        if limits is None or limits[index] is None:
            continue
        match = and_(Incident.category.is_(None) if category is None else Incident.category == category,
                     Incident.level.is_(None) if level is None else Incident.level == level)
        whens.append((match, limits[index] * 60))
    return case(*whens, else_=None) if whens else literal(None)


def timeliness_counts(entity, now=None) -> tuple[int, int, int]:
    """(on time, late, all) incidents, as `Incident.timeliness()` judges each one: on
    time when reported by phone and in writing within the limits; late when a report
    came (or is still missing) after its limit. Two queries: the (category, level) pairs
    present, then one aggregate with their limits."""
    pairs = {pair: incident_limits(*pair, db.session)
             for pair in base_query(entity, Incident.category, Incident.level).distinct().all()}
    now = now or now_cn()
    phone, written = _limit(pairs, 0), _limit(pairs, 1)
    phone_took = seconds_between(Incident.received_at, func.coalesce(Incident.phone_reported_at, now))
    written_took = seconds_between(Incident.received_at, func.coalesce(Incident.written_reported_at, now))
    late = or_(phone_took > phone, written_took > written)
    ok = and_(Incident.phone_reported_at.isnot(None), Incident.written_reported_at.isnot(None),
              phone_took <= phone, written_took <= written)
    n_ok, n_late, n_all = base_query(entity, func.sum(case((ok, 1), else_=0)), func.sum(case((late, 1), else_=0)),
                                     func.count()).one()
    return n_ok or 0, n_late or 0, n_all or 0


def incidents_panel() -> "panels.Panel | None":
    entity = entity_for(Incident)
    if not may_read(entity):
        return None
    n_ok, n_late, n_all = timeliness_counts(entity)
    link = list_url(entity)
    rate = Rate(key="incident-timeliness", title=gettext("Incidents reported on time"), numerator=n_ok,
                denominator=n_ok + n_late, numerator_label=gettext("reported within the limits"),
                denominator_label=gettext("reports due"), numerator_url=link, denominator_url=link,
                note=gettext("Incidents whose reports are not yet due are not counted."))
    category = lookup_of(Incident, "timeliness_ok")
    codes = ["OK", "LATE", "PENDING"]
    values = [n_ok, n_late, n_all - n_ok - n_late]
    rows = [(code_label(entity, "timeliness_ok", c), n, link) for c, n in zip(codes, values, strict=True)]
    figure = single("incident-timeliness-chart", gettext("Incidents by reporting timeliness"), gettext("Incidents"),
                    rows, chart="doughnut", colours=colours_for(category, codes), link=link,
                    heading=str(label_of(Incident, "timeliness_ok")))
    return panels.Panel("incidents", gettext("Incident reporting"), entity.group, figures=[figure], rates=[rate],
                        link=link)


panels.register_panel(Incident, incidents_panel, order=30)


# --- the configuration console's time-limit table (app/console) -------------------------------------------
register_sla_table(IncidentSLA, "incident-sla", order=20)
