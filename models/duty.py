"""Duty and emergencies (docs/domain.md §6, function 5): the duty roster, what the duty
office receives, the incidents it reports and the reports it sends.

- `DutyShift` 值班 (one shift of one day) with its officers (`DutyOfficer`, one row per
  person on duty, office line only);
- `DutyLog` 值班记录: one call, fax or message received, to the minute;
- `Incident` 突发事件 with its reports (`IncidentReport`: 初报, numbered 续报, one 终报);
- `IncidentSLA` 报送时限: how many minutes the office has to report an incident by phone
  and in writing, per category and level (configuration, Admin only).

An incident is reported on time (`timeliness_ok`) when it was reported by phone within
`phone_minutes` and in writing within `written_minutes` of its receipt. Every SLA row
matching the incident applies (a row with an empty category or level matches any) and
the tightest limit wins, so an admin can tighten one category without repeating the
others. The incident's two report times are filled from its reports: the earliest upward
report through a phone channel (电话, 短信) and through a written one (传真, 应急平台,
书面报告); those two reports show on their own whether they were on time. `judge` is the
one place that compares a report time with its limit.

The rules are pure functions returning translated messages (`shift_problems`,
`duty_log_problems`, `incident_problems`, `incident_report_problems`); the registry runs
them on every save through the form and the API.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from flask import has_app_context, has_request_context
from flask_babel import gettext
from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Text,
    event,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

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
    parent_relation,
    reference_seed,
    relation,
)
from models.base import record_session as _session
from models.lookups import (
    INCIDENT_CATEGORY,
    INCIDENT_LEVEL,
    SECRECY,
    WARNING_LEVEL,
    Lookup,
    define_lookup,
    lookup_table,
    stub_problems,
)
from models.lookups import safe_lookup_label as _label
from models.meetings import brief
from models.sla import SLARow, seed_defaults, sla_rows, tightest

# --- Lookups whose codes hang under a parent code -------------------------------------------
#: (category, code) -> parent code, for codes declared with `define_child_lookup`.
LOOKUP_PARENTS: dict[tuple[str, str], str] = {}


def define_child_lookup(key: str, title, codes: list[tuple[str, str, str, str]], **kwargs) -> str:
    """`define_lookup` for a category whose codes belong to a parent code
    [(code, 中文, English, parent_code), ...]: the parent is written to `lookup.parent_code`
    when the code is seeded (and read from there, so admins can extend the tree)."""
    for code, _zh, _en, parent in codes:
        LOOKUP_PARENTS[(key, code)] = parent
    return define_lookup(key, title, [(code, zh, en) for code, zh, en, _parent in codes], **kwargs)


@event.listens_for(Lookup, "before_insert")
def _lookup_parent(_mapper, _connection, row: Lookup) -> None:
    if row.parent_code is None:
        row.parent_code = LOOKUP_PARENTS.get((row.category, row.code))


def parent_of(category: str, code: Optional[str]) -> Optional[str]:
    """The parent code of `code` in `category` (the admin's value wins over the seed)."""
    if not code:
        return None
    try:
        if has_request_context():  # the lookup table is read once per request
            for row in lookup_table().get(category, []):
                if row.code == code and row.parent_code:
                    return row.parent_code
        elif has_app_context():
            from app.extensions import db

            with db.session.no_autoflush:
                parent = db.session.scalar(select(Lookup.parent_code).where(
                    Lookup.category == category, Lookup.code == code))
            if parent:
                return parent
    except Exception:  # no database yet
        pass
    return LOOKUP_PARENTS.get((category, code))




def _fk(record, rel: str, fk: str) -> Optional[int]:
    """The id a many-to-one points at, whether the form set the object or the API the id."""
    target = getattr(record, rel, None)
    if target is not None:
        return target.id
    return getattr(record, fk, None)


# --- Enumerations (docs/domain.md §6) --------------------------------------------------------------
DUTY_SHIFT_TYPE = define_lookup("duty_shift_type", _l("Shift"), [
    ("DAY", "白班", "Day shift"),
    ("NIGHT", "夜班", "Night shift"),
    ("FULL", "24小时", "24 hours"),
])
DUTY_SPECIAL_PERIOD = define_lookup("duty_special_period", _l("Special period"), [
    ("JIEJIARI", "节假日", "Public holiday"),
    ("ZHONGDA", "重大活动", "Major event"),
    ("XUNQI", "汛期", "Flood season"),
    ("TAIFENG", "台风", "Typhoon"),
])
DUTY_OFFICER_ROLE = define_lookup("duty_officer_role", _l("Duty role"), [
    ("ZHUBAN", "主班", "Lead officer"),
    ("FUBAN", "副班", "Assistant officer"),
])
DUTY_CHANNEL = define_lookup("duty_channel", _l("Channel"), [
    ("DIANHUA", "电话", "Telephone"),
    ("CHUANZHEN", "传真", "Fax"),
    ("PINGTAI", "应急平台", "Emergency platform"),
    ("YUQING", "媒体舆情", "Media and public opinion"),
    ("LAIREN", "来人", "In person"),
])
DUTY_LOG_CATEGORY = define_lookup("duty_log_category", _l("Duty log category"), [
    ("TUFA", "突发事件", "Emergency incident"),
    ("YUJING", "预警", "Warning"),
    ("SHANGJI", "上级指示", "Instruction from above"),
    ("QINGSHI", "请示报告", "Request or report"),
    ("TONGZHI", "通知转达", "Notice to pass on"),
    ("ZIXUN", "咨询", "Inquiry"),
    ("QITA", "其他", "Other"),
])
INCIDENT_SUBCATEGORY = define_child_lookup("incident_subcategory", _l("Incident subcategory"), [
    ("TAIFENG", "台风", "Typhoon", "ZIRAN"),
    ("BAOYU", "暴雨", "Rainstorm", "ZIRAN"),
    ("NEILAO", "暴雨内涝", "Urban waterlogging", "ZIRAN"),
    ("HONGSHUI", "洪水", "Flood", "ZIRAN"),
    ("DIZHI", "地质灾害", "Geological hazard", "ZIRAN"),
    ("DIZHEN", "地震", "Earthquake", "ZIRAN"),
    ("FENGBAOCHAO", "风暴潮", "Storm surge", "ZIRAN"),
    ("HANCHAO", "寒潮大风", "Cold wave and gale", "ZIRAN"),
    ("SENLIN", "森林火灾", "Forest fire", "ZIRAN"),
    ("DAOLU", "道路交通事故", "Road traffic accident", "SHIGU"),
    ("HUOZAI", "火灾", "Fire", "SHIGU"),
    ("RANQI", "燃气泄漏", "Gas leak", "SHIGU"),
    ("WEIHUA", "危险化学品事故", "Hazardous chemicals accident", "SHIGU"),
    ("JIANZHU", "建筑施工事故", "Construction accident", "SHIGU"),
    ("SHUISHANG", "水上交通事故", "Maritime accident", "SHIGU"),
    ("TEZHONG", "特种设备事故", "Special equipment accident", "SHIGU"),
    ("GUIDAO", "轨道交通运营事故", "Metro operation accident", "SHIGU"),
    ("GONGGONG", "供水供电供气中断", "Utility outage", "SHIGU"),
    ("HUANJING", "突发环境事件", "Environmental incident", "SHIGU"),
    ("CHUANRAN", "传染病疫情", "Infectious disease outbreak", "WEISHENG"),
    ("SHIWU", "食物中毒", "Food poisoning", "WEISHENG"),
    ("SHIPIN", "食品安全", "Food safety", "WEISHENG"),
    ("BUMING", "群体性不明原因疾病", "Cluster of unexplained illness", "WEISHENG"),
    ("ZHIYE", "职业中毒", "Occupational poisoning", "WEISHENG"),
    ("DONGWU", "动物疫情", "Animal epidemic", "WEISHENG"),
    ("QUNTI", "群体性事件", "Mass incident", "SHEHUI"),
    ("XINGSHI", "重大刑事案件", "Major criminal case", "SHEHUI"),
    ("YONGJI", "拥挤踩踏", "Crowd crush", "SHEHUI"),
    ("SHEWAI", "涉外突发事件", "Foreign-related incident", "SHEHUI"),
    ("WANGLUO", "网络与信息安全事件", "Cyber and information security incident", "SHEHUI"),
    ("JINRONG", "金融突发事件", "Financial emergency", "SHEHUI"),
    ("YUQING", "重大舆情", "Major public-opinion event", "SHEHUI"),
])
INCIDENT_SOURCE = define_lookup("incident_source", _l("Information source"), [
    ("QUZHENGFU", "区政府报告", "District government"),
    ("BUMEN", "部门报告", "Municipal department"),
    ("LIANDONG", "110/119/120联动", "Emergency call centres"),
    ("REXIAN", "12345热线", "12345 hotline"),
    ("MEITI", "媒体舆情", "Media and public opinion"),
    ("QUNZHONG", "群众报告", "Member of the public"),
    ("SHANGJI", "上级通报", "Higher authorities"),
    ("PINGTAI", "应急平台", "Emergency platform"),
])
INCIDENT_STATUS = define_lookup("incident_status", _l("Incident status"), [
    ("REPORTED", "已接报", "Reported"),
    ("VERIFYING", "核实中", "Verifying"),
    ("RESPONDING", "处置中", "Responding"),
    ("CONTROLLED", "已控制", "Under control"),
    ("ENDED", "已结束", "Ended"),
    ("FINAL_REPORTED", "已终报", "Final report sent"),
    ("CLOSED", "已归档", "Archived"),
])
INCIDENT_TIMELINESS = define_lookup("incident_timeliness", _l("Timely reporting"), [
    ("OK", "达标", "On time"),
    ("LATE", "超时", "Late"),
    ("PENDING", "待报", "Not yet reported"),
], styles={"OK": "success", "LATE": "danger", "PENDING": "warning"})
INCIDENT_REPORT_TYPE = define_lookup("incident_report_type", _l("Report type"), [
    ("CHUBAO", "初报", "Initial report"),
    ("XUBAO", "续报", "Follow-up report"),
    ("ZHONGBAO", "终报", "Final report"),
])
INCIDENT_REPORT_DIRECTION = define_lookup("incident_report_direction", _l("Report direction"), [
    ("SHANGBAO", "上报", "Upward"),
    ("XIAFA", "下发", "Downward"),
])
#: The two report time limits of `IncidentSLA`, and the incident field each one fills.
PHONE, WRITTEN = "PHONE", "WRITTEN"
REPORTED_AT_FIELD = {PHONE: "phone_reported_at", WRITTEN: "written_reported_at"}
#: A channel's parent code says which limit a report through it answers: a call or a text
#: message is the phone report, a fax, the emergency platform or a written report the written
#: one. Admins set the parent code of a channel they add (empty: the channel answers neither).
INCIDENT_REPORT_CHANNEL = define_child_lookup("incident_report_channel", _l("Report channel"), [
    ("DIANHUA", "电话", "Telephone", PHONE),
    ("CHUANZHEN", "传真", "Fax", WRITTEN),
    ("PINGTAI", "应急平台", "Emergency platform", WRITTEN),
    ("SHUMIAN", "书面报告", "Written report", WRITTEN),
    ("DUANXIN", "短信", "Text message", PHONE),
])

#: States in which the final report (终报) has been sent.
FINAL_STATES = frozenset({"FINAL_REPORTED", "CLOSED"})

#: Default reporting time limits, seeded into `IncidentSLA` and used while it is empty:
#: (category or None = any, level or None = any, phone minutes, written minutes,
#: hours to report upward, note).
DEFAULT_INCIDENT_SLA = [
    (None, "I", 15, 30, 1, "特别重大：电话15分钟、书面30分钟内报告"),
    (None, "II", 15, 30, 1, "重大：电话15分钟、书面30分钟内报告"),
    (None, "III", 30, 60, 2, "较大：电话30分钟、书面1小时内报告"),
    (None, "IV", 60, 120, 2, "一般：电话1小时、书面2小时内报告"),
    (None, "UNGRADED", 30, 60, 2, "未定级的首报按较大事件时限报送"),
    ("SHIGU", None, 60, 120, 1,
     "生产安全事故：1小时内报告，逐级上报每级不超过2小时（国务院令第493号）"),
    ("WEISHENG", None, 60, 120, 2, "突发公共卫生事件：责任报告单位2小时内报告"),
]


# --- Duty roster --------------------------------------------------------------------------------
class DutyShift(BusinessRecord, Model):
    """值班: one shift of one day, its leader on duty and its officers."""

    __tablename__ = "duty_shift"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("duty_date", "shift_type")
    __order__ = ("duty_date", "desc")

    duty_date: Mapped[dt.date] = mapped_column(Date, index=True, info=label(_l("Duty date")))
    shift_type: Mapped[str] = lookup_column(DUTY_SHIFT_TYPE, _l("Shift"), nullable=False, default="DAY")
    leader_name: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Leader on duty"), description=_l("The leader in charge of the shift")))
    special_period: Mapped[Optional[str]] = lookup_column(DUTY_SPECIAL_PERIOD, _l("Special period"), description=_l(
        "Holidays, major events, flood season and typhoons: daily reports, nil reports included"))
    special_note: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Special period note"), description=_l("e.g. 春节, 第12号台风“泰利”")))
    duty_phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Duty phone"), description=_l("The duty office's line; never a personal mobile")))
    handover_note: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Handover note")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    officers = child_rows("DutyOfficer", "shift", _l("Officers on duty"), order_by="DutyOfficer.seq")
    logs = child_rows("DutyLog", "shift", _l("Duty logs"), order_by="DutyLog.received_at", owned=False)

    def _live_officers(self) -> list[DutyOfficer]:
        return [o for o in self.officers if not o.is_deleted]

    @display(_l("Officers on duty"), reads=("officers",))
    def officer_names(self) -> str:
        return "、".join(str(o) for o in self._live_officers())

    @display(_l("Contact"), description=_l("Office lines only"))
    def contact_phones(self) -> str:
        phones = [self.duty_phone] + [o.office_phone for o in self._live_officers()]
        seen: list[str] = []
        for phone in phones:
            if phone and phone not in seen:
                seen.append(phone)
        return "、".join(seen)

    @display(_l("Log entries"), reads=("logs",))
    def log_count(self) -> int:
        return len([entry for entry in self.logs if not entry.is_deleted])

    def __str__(self) -> str:
        if self.duty_date is None:
            return ""
        return f"{self.duty_date:%Y-%m-%d} {_label(DUTY_SHIFT_TYPE, self.shift_type)}".strip()



class DutyOfficer(BusinessRecord, Model):
    """One member of staff on one shift, with the office line to reach the shift."""

    __tablename__ = "duty_officer"
    __str_reads__ = ("personnel",)    # its label names it: lists load it with the row

    shift_id: Mapped[int] = parent_key("duty_shift", _l("Duty shift"))
    shift = parent_relation("DutyShift", "officers", _l("Duty shift"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    personnel_id: Mapped[int] = fk_column("personnel", _l("Staff member"), nullable=False)
    personnel = relation("Personnel", personnel_id, _l("Staff member"))
    role: Mapped[str] = lookup_column(DUTY_OFFICER_ROLE, _l("Duty role"), nullable=False, default="ZHUBAN")
    office_phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Office phone"), description=_l("Office line only; the roster never shows mobiles")))
    remark: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return str(self.personnel) if self.personnel is not None else ""


class DutyLog(BusinessRecord, Model):
    """值班记录: one call, fax, platform message, media item or visitor the duty office received."""

    __tablename__ = "duty_log"
    __order__ = ("received_at", "desc")

    shift_id: Mapped[Optional[int]] = fk_column("duty_shift", _l("Duty shift"), ondelete="SET NULL")
    shift = parent_relation("DutyShift", "logs", _l("Duty shift"), foreign_keys=[shift_id])
    # Required, with no default: the minute the call came in is what the clerk must write down.
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True, info=label(
        _l("Received at"), description=_l("To the minute")))
    channel: Mapped[str] = lookup_column(DUTY_CHANNEL, _l("Channel"), nullable=False, default="DIANHUA")
    caller_unit: Mapped[Optional[str]] = mapped_column(String(200), index=True, info=label(_l("Caller's unit")))
    caller_name: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Caller")))
    caller_post: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Caller's post")))
    caller_phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Caller's phone"), sensitive=True, mask="phone"))
    category: Mapped[str] = lookup_column(DUTY_LOG_CATEGORY, _l("Category"), nullable=False, default="QITA")
    summary: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Message summary")))
    reported_to: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Reported to"), description=_l("Leaders and units informed, and when")))
    actions: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Actions taken")))
    incident_id: Mapped[Optional[int]] = fk_column("incident", _l("Incident"), ondelete="SET NULL")
    incident = parent_relation("Incident", "duty_logs", _l("Incident"), foreign_keys=[incident_id])
    recorder_id: Mapped[Optional[int]] = fk_column("personnel", _l("Recorded by"))
    recorder = relation("Personnel", recorder_id, _l("Recorded by"))
    # Nullable only because FAB turns a NOT NULL boolean into a required checkbox.
    is_closed: Mapped[Optional[bool]] = flag(_l("Closed"), description=_l("Nothing left to follow up"))

    @validates("received_at")
    def _to_the_minute(self, _key, value):
        if isinstance(value, dt.datetime):
            return value.replace(second=0, microsecond=0)
        return value

    @display(_l("Message summary"))
    def summary_brief(self) -> str:
        return brief(self.summary, 50)

    def __str__(self) -> str:
        when = f"{self.received_at:%Y-%m-%d %H:%M}" if self.received_at else ""
        return f"{when} {brief(self.summary, 30)}".strip()


# --- Incidents ------------------------------------------------------------------------------------
class IncidentSLA(SLARow, BusinessRecord, Model):
    """报送时限: minutes to report an incident by phone and in writing, hours to report it upward.

    An empty category or level matches every category or level; when several rows match
    an incident, the tightest limit of each kind applies."""

    __tablename__ = "incident_sla"

    category: Mapped[Optional[str]] = lookup_column(INCIDENT_CATEGORY, _l("Incident category"), description=_l(
        "Empty: every category"))
    level: Mapped[Optional[str]] = lookup_column(INCIDENT_LEVEL, _l("Incident level"), description=_l(
        "Empty: every level"))
    phone_minutes: Mapped[int] = mapped_column(Integer, info=label(
        _l("Phone report within (minutes)"), description=_l("Counted from the time the office received it")))
    written_minutes: Mapped[int] = mapped_column(Integer, info=label(
        _l("Written report within (minutes)"), description=_l("Counted from the time the office received it")))
    upward_hours: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Report upward within (hours)"), description=_l("To the provincial government")))

    SLA_KEYS = (("category", INCIDENT_CATEGORY), ("level", INCIDENT_LEVEL))

    def limits_text(self) -> str:
        return f"{self.phone_minutes}/{self.written_minutes}"


INCIDENT_SLA_COLUMNS = ("category", "level", "phone_minutes", "written_minutes", "upward_hours")


def incident_limits(category: Optional[str], level: Optional[str], session=None) -> Optional[tuple]:
    """(phone minutes, written minutes, upward hours) for an incident: the tightest of every
    matching row, or None when no row matches."""
    rows = sla_rows(session, IncidentSLA, INCIDENT_SLA_COLUMNS, DEFAULT_INCIDENT_SLA)
    return tightest(rows, (category, level))


@reference_seed
def seed_incident_sla(session) -> int:
    """Insert the default limits when the table is empty; returns how many were added."""
    return seed_defaults(session, IncidentSLA, INCIDENT_SLA_COLUMNS, DEFAULT_INCIDENT_SLA)


class Incident(BusinessRecord, Model):
    """突发事件: one emergency or important incident, from first notice to its final report."""

    __tablename__ = "incident"
    __order__ = ("received_at", "desc")

    title: Mapped[str] = mapped_column(String(200), index=True, info=label(_l("Title")))
    category: Mapped[str] = lookup_column(INCIDENT_CATEGORY, _l("Incident category"), nullable=False)
    subcategory: Mapped[Optional[str]] = lookup_column(INCIDENT_SUBCATEGORY, _l("Incident subcategory"),
                                                       description=_l("Must belong to the category"))
    level: Mapped[str] = lookup_column(INCIDENT_LEVEL, _l("Incident level"), nullable=False, default="UNGRADED",
                                       description=_l("Ungraded is allowed in a first report"))
    warning_level: Mapped[Optional[str]] = lookup_column(WARNING_LEVEL, _l("Warning level"))
    occurred_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(_l("Occurred at")))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True, default=now_cn, info=label(
        _l("Received at"), description=_l("When the duty office learned of it; report time limits count from here")))
    district_id: Mapped[Optional[int]] = fk_column("department", _l("District"))
    district = relation("Department", district_id, _l("District"))
    address: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Address")))
    latitude: Mapped[Optional[Decimal]] = mapped_column(Numeric(9, 6), info=label(
        _l("Latitude"), description=_l("e.g. 24.479834")))
    longitude: Mapped[Optional[Decimal]] = mapped_column(Numeric(9, 6), info=label(
        _l("Longitude"), description=_l("e.g. 118.089425")))
    source: Mapped[Optional[str]] = lookup_column(INCIDENT_SOURCE, _l("Information source"))
    cause: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Cause")))
    deaths: Mapped[Optional[int]] = mapped_column(Integer, default=0, info=label(_l("Deaths")))
    missing: Mapped[Optional[int]] = mapped_column(Integer, default=0, info=label(_l("Missing")))
    injured: Mapped[Optional[int]] = mapped_column(Integer, default=0, info=label(_l("Injured")))
    trapped: Mapped[Optional[int]] = mapped_column(Integer, default=0, info=label(_l("Trapped")))
    direct_loss: Mapped[Optional[Decimal]] = mapped_column(Numeric(14, 2), info=label(
        _l("Direct economic loss (10,000 yuan)")))
    impact: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Impact")))
    measures: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Response measures")))
    leaders_on_site: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Leaders on site")))
    is_sensitive: Mapped[bool] = flag(
        _l("Sensitive"), description=_l("Likely to draw public attention; handle its information with care"),
        index=True, server_default=False)
    secrecy_level: Mapped[str] = lookup_column(SECRECY, _l("Secrecy level"), nullable=False, default="FEIMI",
                                               description=_l("Confidential or above: registration stub only"))
    phone_reported_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(
        _l("Reported by phone at"), description=_l(
            "First report to the city leaders by phone; filled from the first phone report registered")))
    written_reported_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(
        _l("Reported in writing at"), description=_l(
            "First written report; filled from the first written report registered")))
    reported_to_province_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(
        _l("Reported to the province at")))
    status: Mapped[str] = lookup_column(INCIDENT_STATUS, _l("Status"), nullable=False, default="REPORTED")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    reports = child_rows("IncidentReport", "incident", _l("Incident reports"), order_by="IncidentReport.reported_at")
    duty_logs = child_rows("DutyLog", "incident", _l("Duty logs"), order_by="DutyLog.received_at", owned=False)

    # --- derived ---------------------------------------------------------------------------
    def limits(self) -> Optional[tuple]:
        return incident_limits(self.category, self.level, _session(self))

    def _deadline(self, index: int) -> Optional[dt.datetime]:
        limits = self.limits()
        if self.received_at is None or limits is None or limits[index] is None:
            return None
        return self.received_at + dt.timedelta(minutes=limits[index])

    def due(self, kind: str) -> Optional[dt.datetime]:
        """When the phone (PHONE) or written (WRITTEN) report is due; None without a limit."""
        return self._deadline(0 if kind == PHONE else 1)

    @display(_l("Phone report due"))
    def phone_due(self) -> str:
        due = self.due(PHONE)
        return f"{due:%Y-%m-%d %H:%M}" if due else ""

    @display(_l("Written report due"))
    def written_due(self) -> str:
        due = self.due(WRITTEN)
        return f"{due:%Y-%m-%d %H:%M}" if due else ""

    def timeliness(self, now: Optional[dt.datetime] = None) -> Optional[str]:
        """OK, LATE or PENDING (a report still due, its limit not passed); None without a limit."""
        dues = {kind: self.due(kind) for kind in REPORTED_AT_FIELD}
        if None in dues.values():
            return None
        now = now or now_cn()
        return worst(judge(getattr(self, field), dues[kind], now) for kind, field in REPORTED_AT_FIELD.items())

    @display(_l("Timely reporting"), lookup=INCIDENT_TIMELINESS,
             description=_l("Phone and written reports within the limits of the reporting time limits table"))
    def timeliness_ok(self) -> str:
        return self.timeliness() or ""

    def note_report(self, kind: str, at: dt.datetime) -> None:
        """A `kind` report was made at `at`: the incident's first report time of that kind
        is filled when empty, or moved back when this report came earlier."""
        field = REPORTED_AT_FIELD[kind]
        current = getattr(self, field)
        if current is None or at < current:
            setattr(self, field, at)

    def _live_reports(self) -> list[IncidentReport]:
        return [r for r in self.reports if not r.is_deleted]

    @display(_l("Follow-up reports"), reads=("reports",))
    def xubao_count(self) -> int:
        return len([r for r in self._live_reports() if r.report_type == "XUBAO"])

    @display(_l("Casualties"))
    def casualties(self) -> str:
        parts = []
        if self.deaths:
            parts.append(gettext("%(n)d dead", n=self.deaths))
        if self.missing:
            parts.append(gettext("%(n)d missing", n=self.missing))
        if self.injured:
            parts.append(gettext("%(n)d injured", n=self.injured))
        if self.trapped:
            parts.append(gettext("%(n)d trapped", n=self.trapped))
        return gettext(", ").join(parts) if parts else ""

    def __str__(self) -> str:
        return self.title or ""


class IncidentReport(BusinessRecord, Model):
    """One report about an incident: the first (初报), a numbered follow-up (续报) or the final one (终报)."""

    __tablename__ = "incident_report"

    incident_id: Mapped[int] = parent_key("incident", _l("Incident"))
    incident = parent_relation("Incident", "reports", _l("Incident"))
    report_type: Mapped[str] = lookup_column(INCIDENT_REPORT_TYPE, _l("Report type"), nullable=False,
                                             default="CHUBAO")
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Follow-up no."), description=_l("Numbered on save for a follow-up report when left empty")))
    direction: Mapped[str] = lookup_column(INCIDENT_REPORT_DIRECTION, _l("Report direction"), nullable=False,
                                           default="SHANGBAO")
    channel: Mapped[Optional[str]] = lookup_column(INCIDENT_REPORT_CHANNEL, _l("Report channel"))
    recipient: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Reported to"), description=_l("e.g. 市委、市政府主要领导, 省政府总值班室")))
    reported_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, default=now_cn, index=True, info=label(
        _l("Reported at")))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Content"), description=_l("Not allowed when the incident is Confidential or above")))
    approved_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Approved by"), description=_l("The leader who signed the report off")))
    drafter_id: Mapped[Optional[int]] = fk_column("personnel", _l("Drafter"))
    drafter = relation("Personnel", drafter_id, _l("Drafter"))

    @display(_l("Reported on time"), lookup=INCIDENT_TIMELINESS, reads=("incident.reports",), description=_l(
        "For the first phone and the first written report upward: made within the limit of the reporting "
        "time limits table"))
    def on_time(self) -> str:
        incident = self.incident
        kind = report_kind(self)
        if incident is None or kind is None or first_reports(incident.reports).get(kind) is not self:
            return ""
        due = incident.due(kind)
        return judge(self.reported_at, due) if due is not None else ""

    @display(_l("Report type"))
    def report_name(self) -> str:
        name = _label(INCIDENT_REPORT_TYPE, self.report_type)
        if self.report_type == "XUBAO" and self.seq:
            return gettext("%(type)s no. %(n)d", type=name, n=self.seq)
        return name

    def __str__(self) -> str:
        when = f"{self.reported_at:%Y-%m-%d %H:%M}" if self.reported_at else ""
        return f"{self.report_name} {when}".strip()


# --- Report timeliness: one derivation for the incident and its reports --------------------------
def judge(done: Optional[dt.datetime], due: dt.datetime, now: Optional[dt.datetime] = None) -> str:
    """OK (made by `due`), LATE (made after it, or not made and `due` passed) or PENDING."""
    if done is None:
        return "LATE" if (now or now_cn()) > due else "PENDING"
    return "LATE" if done > due else "OK"


def worst(results) -> str:
    """The incident's verdict over its reports: LATE if one is late, else PENDING if one is due."""
    results = list(results)
    return next((r for r in ("LATE", "PENDING") if r in results), "OK")


def report_kind(report: IncidentReport) -> Optional[str]:
    """PHONE or WRITTEN for an upward report through a channel that answers a time limit."""
    if report.direction != "SHANGBAO" or not report.channel:
        return None
    kind = parent_of(INCIDENT_REPORT_CHANNEL, report.channel)
    return kind if kind in REPORTED_AT_FIELD else None


def first_reports(reports) -> dict[str, IncidentReport]:
    """The earliest live upward report of each kind: the reports the time limits judge."""
    first: dict[str, IncidentReport] = {}
    for report in reports:
        kind = report_kind(report)
        if report.is_deleted or kind is None or report.reported_at is None:
            continue
        if kind not in first or report.reported_at < first[kind].reported_at:
            first[kind] = report
    return first


# --- Rules (pure: they read, never write) ------------------------------------------------------
def shift_problems(shift: DutyShift) -> list[str]:
    """One shift of a kind per day; a 24-hour shift is the only shift of its day."""
    problems: list[str] = []
    if shift.duty_date is None:
        return [gettext("Give the duty date.")]
    session = _session(shift)
    if session is None:
        return problems
    others = session.execute(select(DutyShift.shift_type).where(
        DutyShift.duty_date == shift.duty_date, DutyShift.is_deleted.is_(False),
        DutyShift.id != (shift.id or 0))).scalars().all()
    if shift.shift_type in others:
        problems.append(gettext("There is already a %(shift)s on %(date)s.",
                                shift=_label(DUTY_SHIFT_TYPE, shift.shift_type), date=shift.duty_date.isoformat()))
    elif others and (shift.shift_type == "FULL" or "FULL" in others):
        problems.append(gettext("A 24-hour shift is the only shift of its day (%(date)s).",
                                date=shift.duty_date.isoformat()))
    return problems


def officer_problems(officer: DutyOfficer) -> list[str]:
    """A person is on a shift once."""
    shift = officer.shift
    person = _fk(officer, "personnel", "personnel_id")
    if shift is None or person is None:
        return []
    for other in shift.officers:
        if other is not officer and not other.is_deleted and _fk(other, "personnel", "personnel_id") == person \
                and (officer.id is None or other.id != officer.id):
            return [gettext("%(name)s is already on this shift.", name=str(officer.personnel or other.personnel))]
    return []


def duty_log_problems(entry: DutyLog) -> list[str]:
    """A duty log records the minute the call or message came in."""
    if entry.received_at is None:
        return [gettext("Give the time the call or message was received, to the minute.")]
    return []


def incident_problems(incident: Incident) -> list[str]:
    """Secrecy stub, subcategory within the category, times in order, no negative figures,
    and the final-report states only once the final report is registered.

    The 终报 is a child record, entered after the incident: requiring it is meaningful
    only when the status moves to FINAL_REPORTED or CLOSED, so a new incident is never
    blocked by it."""
    problems = stub_problems(incident, "cause", "impact", "measures", "leaders_on_site", "remark")
    parent = parent_of(INCIDENT_SUBCATEGORY, incident.subcategory)
    if incident.subcategory and parent and parent != incident.category:
        problems.append(gettext("The subcategory %(sub)s does not belong to the category %(cat)s.",
                                sub=_label(INCIDENT_SUBCATEGORY, incident.subcategory),
                                cat=_label(INCIDENT_CATEGORY, incident.category)))
    received = incident.received_at
    if received and incident.occurred_at and incident.occurred_at > received:
        problems.append(gettext("An incident cannot be received before it occurred."))
    from app.registry.introspect import label_of

    for field in ("phone_reported_at", "written_reported_at", "reported_to_province_at"):
        value = getattr(incident, field)
        if received and value and value < received:
            problems.append(gettext("%(field)s cannot be earlier than the time the incident was received.",
                                    field=str(label_of(Incident, field))))
    for field in ("deaths", "missing", "injured", "trapped", "direct_loss"):
        value = getattr(incident, field)
        if value is not None and value < 0:
            problems.append(gettext("%(field)s cannot be negative.", field=str(label_of(Incident, field))))
    if incident.status in FINAL_STATES and not _final_reports(incident):
        problems.append(gettext("Register the final report before marking the incident as final-reported "
                                "or closed."))
    return problems


def _final_reports(incident: Incident, *, besides: Optional[IncidentReport] = None) -> list:
    """The incident's live final reports, saved or about to be, other than `besides`."""
    found = [r for r in incident.reports if r is not besides and not r.is_deleted and r.report_type == "ZHONGBAO"
             and (besides is None or besides.id is None or r.id != besides.id)]
    session = _session(incident)
    if incident.id is not None and session is not None:
        seen = {r.id for r in found if r.id is not None}
        query = select(IncidentReport.id).where(
            IncidentReport.incident_id == incident.id, IncidentReport.report_type == "ZHONGBAO",
            IncidentReport.is_deleted.is_(False))
        if besides is not None and besides.id is not None:
            query = query.where(IncidentReport.id != besides.id)
        found += [pk for pk in session.execute(query).scalars() if pk not in seen]
    return found


def incident_report_problems(report: IncidentReport) -> list[str]:
    """One final report (终报) per incident; a classified incident's reports carry no content."""
    problems: list[str] = []
    incident = report.incident
    if incident is None and report.incident_id is not None:
        session = _session(report)
        incident = session.get(Incident, report.incident_id) if session is not None else None
    if incident is None:
        return problems
    if report.report_type == "ZHONGBAO" and not report.is_deleted and _final_reports(incident, besides=report):
        problems.append(gettext("This incident already has its final report; an incident has only one."))
    if incident.secrecy_level in ("MIMI", "JIMI", "JUEMI") and (report.content or "").strip():
        problems.append(gettext("The incident is classified Confidential or above: its reports keep no content."))
    if report.reported_at and incident.received_at and report.reported_at < incident.received_at:
        problems.append(gettext("A report cannot be made before the incident was received."))
    return problems


# --- Defaults applied on every save (form, API, import) -----------------------------------------
def number_follow_up(report: IncidentReport, change) -> None:
    """Save hook (views/duty.py): a new follow-up report (续报) left without a number gets the
    next one of its incident (numbers handed out in this flush are remembered)."""
    if not change.created or report.report_type != "XUBAO" or report.seq:
        return
    session, pending = change.session, change.flush.setdefault("incident_report_seq", {})
    incident = report.incident
    key = id(incident) if incident is not None else report.incident_id
    if key not in pending:
        numbers = [r.seq or 0 for r in (incident.reports if incident is not None else [])
                   if r is not report and r.report_type == "XUBAO"]
        incident_id = incident.id if incident is not None else report.incident_id
        if incident_id is not None:
            numbers.append(session.scalar(select(func.max(IncidentReport.seq)).where(
                IncidentReport.incident_id == incident_id, IncidentReport.report_type == "XUBAO")) or 0)
        pending[key] = max(numbers or [0])
    pending[key] += 1
    report.seq = pending[key]


def note_first_report(report: IncidentReport, change) -> None:
    """Save hook (views/duty.py): whatever path saves an upward phone or written report
    (screen, API, import), the incident's first report time of that kind follows it (see
    `Incident.note_report`), so the incident's timeliness never waits for a clerk to copy
    the time over."""
    if report.is_deleted:
        return
    kind = report_kind(report)
    if kind is None:
        return
    if report.reported_at is None:
        report.reported_at = now_cn()
    incident = report.incident
    if incident is None and report.incident_id is not None:
        incident = change.session.get(Incident, report.incident_id)
    if incident is not None:
        incident.note_report(kind, report.reported_at)
