"""The mayor hotline 12345 and the mayor's mailbox (docs/domain.md §7, function 10).

A `HotlineCase` 工单 is one citizen's appeal: how it came in, what it is about (a
three-level topic tree), who the citizen is (sensitive personal information: masked,
never exported), which unit handles it, by when, how it was answered and how satisfied
the citizen was. `HotlineAction` is its event log (受理, 派单, 签收, 退单, 延期, 办结,
回访, 重办, 催办, 督办, 归档 …).

Time limits come from `HotlineSLA(appeal_type, urgency, accept_hours, finish_workdays)`
(configuration, Admin only): every row matching a case applies (an empty appeal type or
urgency matches any) and the tightest limit wins. `due_at` is filled on save when left
empty: `finish_workdays` working days of the work calendar after receipt (holidays
skipped, China's make-up workdays 调休 counted).

A 举报 (JUBAO) is always confidential (the whistle-blower's identity never reaches the
unit reported on): a clerk who unticks "keep confidential" on one is refused with a
message (`case_problems`, form and API); any other path that writes cases (imports,
scripts) gets the flag forced on at flush.

The query code (查询码) a citizen uses to follow a case is stored only as a salted hash
(`query_code_hash`, set with `set_query_code`, checked with `query_code_matches`).

The case's status moves through the workflow engine (views/hotline.py); the effects at the
end of this module keep the return/extension/reopen counts and the times in step, and put
a case reopened after the citizen's dissatisfied visit under supervision (督办, source 12345).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Optional

from flask_babel import gettext
from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

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
from models.calendar import add_working_days
from models.duty import _label, _session, define_child_lookup, parent_of
from models.lookups import SATISFACTION, define_lookup
from models.meetings import brief
from models.sla import SLARow, seed_defaults, sla_rows, tightest
from models.supervision import SupervisedRecord, open_item_for, refuse

# --- Enumerations (docs/domain.md §7) -----------------------------------------------------------------
HOTLINE_CHANNEL = define_lookup("hotline_channel", _l("Channel"), [
    ("DIANHUA", "电话", "Telephone"),
    ("WANGZHAN", "网站", "Website"),
    ("WEIXIN", "微信", "WeChat"),
    ("DUANXIN", "短信", "Text message"),
    ("XINXIANG", "市长信箱", "Mayor's mailbox"),
    ("APP", "APP", "Mobile app"),
    ("SHANGJI", "上级转办", "Referred by higher authorities"),
    ("MEITI", "媒体", "Media"),
])
HOTLINE_APPEAL_TYPE = define_lookup("hotline_appeal_type", _l("Appeal type"), [
    ("ZIXUN", "咨询", "Inquiry"),
    ("QIUZHU", "求助", "Request for help"),
    ("TOUSU", "投诉", "Complaint"),
    ("JUBAO", "举报", "Whistle-blowing report"),
    ("JIANYI", "建议", "Suggestion"),
    ("BIAOYANG", "表扬", "Praise"),
    ("XINFANG", "信访类", "Petition"),
])
HOTLINE_URGENCY = define_lookup("hotline_urgency", _l("Urgency"), [
    ("YIBAN", "一般", "Normal"),
    ("JINJI", "紧急", "Urgent"),
    ("TEJI", "特急", "Extra-urgent"),
], styles={"JINJI": "warning", "TEJI": "danger"})
HOTLINE_STATUS = define_lookup("hotline_status", _l("Case status"), [
    ("RECEIVED", "已受理", "Received"),
    ("ANSWERED_DIRECT", "直接答复", "Answered directly"),
    ("DISPATCHED", "已派单", "Dispatched"),
    ("ACCEPTED", "已签收", "Accepted"),
    ("RETURN_PENDING", "退单审核中", "Return pending"),
    ("HANDLING", "办理中", "Handling"),
    ("EXTENSION_PENDING", "延期审核中", "Extension pending"),
    ("REPLIED", "已办结回复", "Replied"),
    ("VISITED", "已回访", "Visited"),
    ("CLOSED", "已归档", "Archived"),
    ("REOPENED", "重办", "Reopened"),
    ("NOT_ACCEPTED", "不予受理", "Not accepted"),
    ("MERGED", "已并案", "Merged"),
], styles={"NOT_ACCEPTED": "default", "MERGED": "info"})
HOTLINE_OVERDUE = define_lookup("hotline_overdue", _l("Overdue"), [
    ("NO", "未超期", "On time"),
    ("YES", "超期", "Overdue"),
], styles={"YES": "danger"})
HOTLINE_ACTION_TYPE = define_lookup("hotline_action_type", _l("Action"), [
    ("SHOULI", "受理", "Receive"),
    ("ZHIJIE", "直接答复", "Answer directly"),
    ("PAIDAN", "派单", "Dispatch"),
    ("QIANSHOU", "签收", "Accept"),
    ("TUIDAN_SQ", "退单申请", "Request return"),
    ("TUIDAN_SH", "退单审核", "Review return"),
    ("YANQI_SQ", "延期申请", "Request extension"),
    ("YANQI_SH", "延期审核", "Review extension"),
    ("BANJIE", "办结回复", "Reply and finish"),
    ("HUIFANG", "回访", "Follow-up visit"),
    ("CHONGBAN", "重办", "Reopen"),
    ("CUIBAN", "催办", "Urge"),
    ("DUBAN", "督办", "Supervise"),
    ("GUIDANG", "归档", "Archive"),
    ("ERJI_PAIDAN", "二级派单", "Pass on to a unit below"),
    ("XIEBAN", "协办意见", "Co-handling opinion"),
    ("BUYU_SHOULI", "不予受理", "Not accepted"),
    ("BINGAN", "并案", "Merge"),
])
#: Why a call is not taken up as a case (不予受理): recorded with who decided and when.
HOTLINE_REJECTION = define_lookup("hotline_rejection_reason", _l("Reason not accepted"), [
    ("SAORAO", "骚扰电话", "Harassment call"),
    ("WUXIAO", "无效来电", "Invalid call (silent, misdialled, test)"),
    ("FEI_FANWEI", "不属于受理范围", "Not within the hotline's remit"),
    ("SHESU", "涉法涉诉事项", "Under litigation or another legal procedure"),
    ("JINJI_FENLIU", "应由110/119/120/122处置", "An emergency for 110/119/120/122"),
    ("CHONGFU", "重复来电（已答复）", "Repeat call on a matter already answered"),
    ("QITA", "其他", "Other"),
])
HOTLINE_REVIEW = define_lookup("hotline_review", _l("Review result"), [
    ("APPROVED", "同意", "Approved"),
    ("REJECTED", "不同意", "Rejected"),
])
HOTLINE_TOPIC_L1 = define_lookup("hotline_topic_l1", _l("Appeal category (level 1)"), [
    ("CHENGJIAN", "城乡建设", "Urban and rural construction"),
    ("CHENGGUAN", "城市管理", "City management"),
    ("JIAOTONG", "交通运输", "Transport"),
    ("HUANBAO", "生态环境", "Ecology and environment"),
    ("SHEBAO", "劳动和社会保障", "Labour and social security"),
    ("WEISHENG", "卫生健康", "Health"),
    ("JIAOYU", "教育", "Education"),
    ("SHICHANG", "市场监管", "Market regulation"),
    ("GONGAN", "公安政法", "Public security and justice"),
    ("MINZHENG", "民政", "Civil affairs"),
    ("NONGYE", "农业农村", "Agriculture and rural affairs"),
    ("WENLV", "文化旅游", "Culture and tourism"),
    ("QIYE", "营商环境", "Business environment"),
    ("QITA", "其他", "Other"),
])
HOTLINE_TOPIC_L2 = define_child_lookup("hotline_topic_l2", _l("Appeal category (level 2)"), [
    ("WUYE", "物业管理", "Property management", "CHENGJIAN"),
    ("SHANGPINFANG", "商品房交易", "Housing sales", "CHENGJIAN"),
    ("BAOZHANGFANG", "保障性住房", "Affordable housing", "CHENGJIAN"),
    ("JIANZHU", "建筑施工", "Construction works", "CHENGJIAN"),
    ("LAOGAI", "老旧小区改造", "Renovation of old estates", "CHENGJIAN"),
    ("ZHANDAO", "占道经营", "Street vending", "CHENGGUAN"),
    ("WEIJIAN", "违法建设", "Illegal construction", "CHENGGUAN"),
    ("SHIZHENG", "市政设施", "Municipal facilities", "CHENGGUAN"),
    ("PAISHUI", "排水与内涝", "Drainage and waterlogging", "CHENGGUAN"),
    ("LVHUA", "园林绿化", "Parks and greenery", "CHENGGUAN"),
    ("LAJI", "垃圾分类与环卫", "Waste sorting and sanitation", "CHENGGUAN"),
    ("GONGSHUI", "供水供气", "Water and gas supply", "CHENGGUAN"),
    ("GONGJIAO", "公交线路", "Bus routes", "JIAOTONG"),
    ("DITIE", "地铁运营", "Metro operation", "JIAOTONG"),
    ("CHUZU", "出租车与网约车", "Taxis and ride-hailing", "JIAOTONG"),
    ("TINGCHE", "停车管理", "Parking", "JIAOTONG"),
    ("DAOLU", "道路交通", "Road traffic", "JIAOTONG"),
    ("ZAOSHENG", "噪声污染", "Noise", "HUANBAO"),
    ("DAQI", "大气污染", "Air pollution", "HUANBAO"),
    ("SHUIWURAN", "水污染", "Water pollution", "HUANBAO"),
    ("YIBAO", "医疗保障", "Medical insurance", "SHEBAO"),
    ("YANGLAO", "养老保险", "Pension insurance", "SHEBAO"),
    ("QIANXIN", "劳动报酬", "Wages and arrears", "SHEBAO"),
    ("JIUYE", "就业创业", "Employment", "SHEBAO"),
    ("YIYUAN", "医疗服务", "Medical services", "WEISHENG"),
    ("YIMIAO", "疫苗接种", "Vaccination", "WEISHENG"),
    ("XUEWEI", "入学学位", "School places", "JIAOYU"),
    ("XIAOWAI", "校外培训", "Off-campus tutoring", "JIAOYU"),
    ("SHIPIN", "食品安全", "Food safety", "SHICHANG"),
    ("XIAOFEI", "消费维权", "Consumer rights", "SHICHANG"),
    ("HUJI", "户籍证件", "Household registration and IDs", "GONGAN"),
    ("ZHIAN", "治安管理", "Public order", "GONGAN"),
    ("YANGLAOFUWU", "养老服务", "Elderly care", "MINZHENG"),
    ("SHEQU", "社区治理", "Community affairs", "MINZHENG"),
    ("NONGCUN", "农村建设", "Rural development", "NONGYE"),
    ("LVYOU", "旅游市场", "Tourism market", "WENLV"),
    ("ZHENGWU", "政务服务", "Government services", "QIYE"),
    ("QIYESUQIU", "企业诉求", "Business requests", "QIYE"),
    ("QITAWENTI", "其他问题", "Other matters", "QITA"),
])
HOTLINE_TOPIC_L3 = define_child_lookup("hotline_topic_l3", _l("Appeal category (level 3)"), [
    ("WUYE_FEI", "物业收费", "Property fees", "WUYE"),
    ("WUYE_DIANTI", "电梯维修", "Lift repairs", "WUYE"),
    ("WUYE_FUWU", "物业服务质量", "Service quality", "WUYE"),
    ("WUYE_WEIXIUJIJIN", "维修资金使用", "Maintenance fund", "WUYE"),
    ("SPF_JIAOFU", "交房延期", "Late handover", "SHANGPINFANG"),
    ("SPF_BANZHENG", "不动产办证", "Title certificates", "SHANGPINFANG"),
    ("ZHANDAO_TANFAN", "流动摊贩", "Mobile vendors", "ZHANDAO"),
    ("ZHANDAO_DIANWAI", "店外经营", "Trading outside shops", "ZHANDAO"),
    ("SHIZHENG_LUDENG", "路灯损坏", "Broken street lights", "SHIZHENG"),
    ("SHIZHENG_LUMIAN", "路面破损", "Damaged road surface", "SHIZHENG"),
    ("PAISHUI_JISHUI", "道路积水", "Standing water", "PAISHUI"),
    ("PAISHUI_DUSE", "管道堵塞", "Blocked drains", "PAISHUI"),
    ("GONGJIAO_XIANLU", "线路调整", "Route changes", "GONGJIAO"),
    ("GONGJIAO_BANCI", "班次间隔", "Service frequency", "GONGJIAO"),
    ("GONGJIAO_FUWU", "司乘服务", "Driver conduct", "GONGJIAO"),
    ("TINGCHE_SHOUFEI", "停车收费", "Parking fees", "TINGCHE"),
    ("TINGCHE_LUANTING", "乱停乱放", "Illegal parking", "TINGCHE"),
    ("ZAOSHENG_SHIGONG", "施工噪声", "Construction noise", "ZAOSHENG"),
    ("ZAOSHENG_SHENGHUO", "社会生活噪声", "Neighbourhood noise", "ZAOSHENG"),
    ("ZAOSHENG_SHANGYE", "商业经营噪声", "Business noise", "ZAOSHENG"),
    ("DAQI_YOUYAN", "餐饮油烟", "Restaurant fumes", "DAQI"),
    ("DAQI_YANGCHEN", "工地扬尘", "Construction dust", "DAQI"),
    ("YIBAO_BAOXIAO", "医保报销", "Reimbursement", "YIBAO"),
    ("YIBAO_CANBAO", "参保缴费", "Enrolment and contributions", "YIBAO"),
    ("YIBAO_YIDI", "异地就医", "Treatment in another city", "YIBAO"),
    ("QIANXIN_NONGMINGONG", "农民工工资", "Migrant workers' wages", "QIANXIN"),
    ("XUEWEI_XIAOSHENG", "小学招生", "Primary school admission", "XUEWEI"),
    ("XUEWEI_CHUZHONG", "初中招生", "Middle school admission", "XUEWEI"),
    ("XUEWEI_SUIQIAN", "随迁子女入学", "Schooling of migrant children", "XUEWEI"),
    ("XIAOFEI_YUFUKA", "预付卡退费", "Prepaid card refunds", "XIAOFEI"),
    ("XIAOFEI_WANGGOU", "网购纠纷", "Online shopping disputes", "XIAOFEI"),
])

#: States in which the case no longer runs against its due date.
ANSWERED_STATES = frozenset({"ANSWERED_DIRECT", "REPLIED", "VISITED", "CLOSED"})
#: Ways out that are not an answer: a call not taken up (不予受理) and a duplicate merged into
#: its main case (并案). Their clock stops too, and the 12345 rates leave them out: a merged
#: group counts once, through its main case; not-accepted calls are counted on their own.
NOT_COUNTED_STATES = frozenset({"NOT_ACCEPTED", "MERGED"})
FINISHED_STATES = ANSWERED_STATES | NOT_COUNTED_STATES
#: States from which a duplicate may be merged into its main case (before the unit works on it).
MERGEABLE_STATES = ("RECEIVED", "DISPATCHED")
#: States in which the lead unit may pass the case on to a unit under it (二级派单).
PASSABLE_STATES = ("DISPATCHED", "ACCEPTED", "HANDLING")
#: States in which a unit holds the case.
DISPATCHED_STATES = frozenset({"DISPATCHED", "ACCEPTED", "RETURN_PENDING", "HANDLING", "EXTENSION_PENDING",
                               "REPLIED", "VISITED", "REOPENED"})

#: Default limits, seeded into `HotlineSLA` and used while it is empty:
#: (appeal type or None = any, urgency or None = any, accept hours, finish working days, note).
DEFAULT_HOTLINE_SLA = [
    ("ZIXUN", None, 24, 2, "咨询类：2个工作日内办结（厦门）"),
    ("QIUZHU", None, 24, 3, "求助类：3个工作日内办结"),
    ("TOUSU", None, 24, 15, "投诉类：15个工作日内办结"),
    ("JUBAO", None, 24, 15, "举报类：15个工作日内办结"),
    ("JIANYI", None, 24, 15, "建议类：15个工作日内办结"),
    ("BIAOYANG", None, 24, 5, "表扬类：5个工作日内转达"),
    ("XINFANG", None, 24, 42, "信访类：约60日（42个工作日）内办结"),
    (None, "JINJI", 2, 3, "紧急件：2小时内签收，3个工作日内办结"),
    (None, "TEJI", 1, 1, "特急件：1小时内签收，1个工作日内办结"),
]


def add_workdays(start: dt.datetime, days: int, session=None) -> dt.datetime:
    """`days` working days of the work calendar after `start`, at the same time of day
    (holidays skipped, make-up working days 调休 counted); a case received on a day off
    starts counting on the next working day."""
    return add_working_days(start, max(0, days), session=session)


# --- Time limits ---------------------------------------------------------------------------------
class HotlineSLA(SLARow, BusinessRecord, Model):
    """办理时限: hours to accept a dispatched case, working days to finish it.

    An empty appeal type or urgency matches any; when several rows match a case, the
    tightest limit of each kind applies."""

    __tablename__ = "hotline_sla"

    appeal_type: Mapped[Optional[str]] = lookup_column(HOTLINE_APPEAL_TYPE, _l("Appeal type"), description=_l(
        "Empty: every appeal type"))
    urgency: Mapped[Optional[str]] = lookup_column(HOTLINE_URGENCY, _l("Urgency"), description=_l(
        "Empty: every urgency"))
    accept_hours: Mapped[int] = mapped_column(Integer, info=label(
        _l("Accept within (hours)"), description=_l("Counted from dispatch")))
    finish_workdays: Mapped[int] = mapped_column(Integer, info=label(
        _l("Finish within (working days)"), description=_l("Counted from receipt")))

    SLA_KEYS = (("appeal_type", HOTLINE_APPEAL_TYPE), ("urgency", HOTLINE_URGENCY))

    def limits_text(self) -> str:
        return f"{self.accept_hours}h / {self.finish_workdays}d"


HOTLINE_SLA_COLUMNS = ("appeal_type", "urgency", "accept_hours", "finish_workdays")


def hotline_limits(appeal_type: Optional[str], urgency: Optional[str], session=None) -> Optional[tuple]:
    """(accept hours, finish working days): the tightest of every matching row, or None."""
    rows = sla_rows(session, HotlineSLA, HOTLINE_SLA_COLUMNS, DEFAULT_HOTLINE_SLA)
    return tightest(rows, (appeal_type, urgency))


@reference_seed
def seed_hotline_sla(session) -> int:
    """Insert the default limits when the table is empty; returns how many were added."""
    return seed_defaults(session, HotlineSLA, HOTLINE_SLA_COLUMNS, DEFAULT_HOTLINE_SLA)


# --- Query codes ---------------------------------------------------------------------------------
QUERY_CODE_ITERATIONS = 20_000


def hash_query_code(code: str, *, salt: Optional[bytes] = None, iterations: int = QUERY_CODE_ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", code.strip().encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def check_query_code(stored: Optional[str], code: str) -> bool:
    try:
        scheme, iterations, salt, digest = (stored or "").split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    again = hash_query_code(code, salt=bytes.fromhex(salt), iterations=int(iterations))
    return hmac.compare_digest(again.rsplit("$", 1)[1], digest)


# --- Cases -----------------------------------------------------------------------------------------
class HotlineCase(SupervisedRecord, BusinessRecord, Model):
    """12345 工单: one appeal received by the mayor hotline or the mayor's mailbox."""

    __tablename__ = "hotline_case"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("case_no", "title", "content")
    __order__ = ("received_at", "desc")

    case_no: Mapped[Optional[str]] = mapped_column(String(30), unique=True, index=True, info=label(
        _l("Case number"), description=_l("Numbered on save when left empty, e.g. 20260315-0012")))
    query_code_hash: Mapped[Optional[str]] = mapped_column(String(128), info=label(
        _l("Query code (hashed)"), system=True, secret=True))
    channel: Mapped[str] = lookup_column(HOTLINE_CHANNEL, _l("Channel"), nullable=False, default="DIANHUA")
    appeal_type: Mapped[str] = lookup_column(HOTLINE_APPEAL_TYPE, _l("Appeal type"), nullable=False,
                                             default="ZIXUN")
    urgency: Mapped[str] = lookup_column(HOTLINE_URGENCY, _l("Urgency"), nullable=False, default="YIBAN")
    topic_l1: Mapped[Optional[str]] = lookup_column(HOTLINE_TOPIC_L1, _l("Appeal category (level 1)"))
    topic_l2: Mapped[Optional[str]] = lookup_column(HOTLINE_TOPIC_L2, _l("Appeal category (level 2)"), description=_l(
        "Must belong to the level 1 category"))
    topic_l3: Mapped[Optional[str]] = lookup_column(HOTLINE_TOPIC_L3, _l("Appeal category (level 3)"), description=_l(
        "Must belong to the level 2 category"))
    title: Mapped[Optional[str]] = mapped_column(String(200), index=True, info=label(
        _l("Title"), description=_l("A short summary of the appeal")))
    content: Mapped[str] = mapped_column(Text, info=label(_l("Appeal")))
    citizen_name: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Citizen's name"), sensitive=True, mask="name"))
    citizen_phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Citizen's phone"), sensitive=True, mask="phone"))
    citizen_id_card: Mapped[Optional[str]] = mapped_column(String(18), info=label(
        _l("Citizen's ID card number"), sensitive=True, mask="id_card"))
    citizen_address: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Citizen's address"), sensitive=True, mask="address"))
    is_anonymous: Mapped[bool] = flag(_l("Anonymous"), server_default=False)
    keep_confidential: Mapped[bool] = flag(_l("Keep confidential"), index=True, server_default=False, description=_l(
        "The citizen's identity is not passed on to the handling unit; always on for a whistle-blowing report"))
    district_id: Mapped[Optional[int]] = fk_column("department", _l("District"))
    district = relation("Department", district_id, _l("District"))
    street: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Street / town"), description=_l("e.g. 筼筜街道")))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now_cn, index=True, info=label(
        _l("Received at")))
    handler_department_id: Mapped[Optional[int]] = fk_column("department", _l("Handling unit"))
    handler_department = relation("Department", handler_department_id, _l("Handling unit"))
    #: 协办单位: units that help the lead unit (`handler_department`, 主办) and add their opinion to
    #: the case log; chosen when dispatching. They see the case; only the lead answers it.
    co_departments = relationship(
        "Department", secondary="hotline_case_unit", order_by="Department.sort_order", overlaps="co_units",
        info=label(_l("Co-handling units"), description=_l(
            "They see the case and add their opinion to the case log; the lead unit answers the citizen")))
    #: The same links as rows: the department scope reads them (`co_units.department`).
    co_units = relationship("HotlineCaseUnit", viewonly=True)
    passed_by_department_id: Mapped[Optional[int]] = fk_column("department", _l("Passed on by"), description=_l(
        "The unit that passed the case on to a unit under it; it keeps seeing the case"))
    passed_by_department = relation("Department", passed_by_department_id, _l("Passed on by"))
    passed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Passed on at")))
    dispatched_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Dispatched at")))
    accepted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Accepted at")))
    due_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(
        _l("Due at"), description=_l("Left empty: set on save from the time limits table")))
    replied_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(_l("Replied at")))
    reply: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Reply to the citizen")))
    visited_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Visited at")))
    visit_result: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Follow-up visit result")))
    satisfaction: Mapped[Optional[str]] = lookup_column(SATISFACTION, _l("Satisfaction"))
    is_resolved: Mapped[bool] = flag(_l("Resolved"), index=True, server_default=False)
    return_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False, info=label(_l("Returns")))
    extension_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False, info=label(_l("Extensions")))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False, info=label(_l("Reopenings")))
    supervision_item_id: Mapped[Optional[int]] = fk_column("supervision_item", _l("Supervision item"))
    supervision_item = relation("SupervisionItem", supervision_item_id, _l("Supervision item"))
    rejection_reason: Mapped[Optional[str]] = lookup_column(HOTLINE_REJECTION, _l("Reason not accepted"),
                                                            description=_l("Why the call is not taken up as a case"))
    rejected_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Not accepted at")))
    rejected_by: Mapped[Optional[str]] = mapped_column(String(64), info=label(_l("Not accepted by")))
    merged_into_id: Mapped[Optional[int]] = fk_column("hotline_case", _l("Main case"), description=_l(
        "The case this duplicate is merged into; it follows the main case's answer"))
    merged_into = relation("HotlineCase", merged_into_id, _l("Main case"), remote_side="HotlineCase.id")
    merged_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Merged at")))
    status: Mapped[str] = lookup_column(HOTLINE_STATUS, _l("Status"), nullable=False, default="RECEIVED")
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Closed at")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    actions = child_rows("HotlineAction", "case", _l("Case log"), order_by="HotlineAction.acted_at")

    # --- query code ---------------------------------------------------------------------------
    def set_query_code(self, code: str) -> None:
        self.query_code_hash = hash_query_code(code)

    def query_code_matches(self, code: str) -> bool:
        return check_query_code(self.query_code_hash, code)

    # --- derived ------------------------------------------------------------------------------
    def limits(self) -> Optional[tuple]:
        return hotline_limits(self.appeal_type, self.urgency, _session(self))

    def default_due(self) -> Optional[dt.datetime]:
        limits = self.limits()
        if self.received_at is None or limits is None or limits[1] is None:
            return None
        return add_workdays(self.received_at, limits[1], _session(self))

    @display(_l("Accept by"))
    def accept_due(self) -> str:
        limits = self.limits()
        if self.dispatched_at is None or limits is None or limits[0] is None:
            return ""
        return f"{self.dispatched_at + dt.timedelta(hours=limits[0]):%Y-%m-%d %H:%M}"

    def overdue(self, now: Optional[dt.datetime] = None) -> bool:
        """Answered after its due time, or still open past it (a call not accepted and a
        merged duplicate are neither: the main case carries the merged group's time)."""
        if self.due_at is None or self.status in NOT_COUNTED_STATES:
            return False
        if self.status in ANSWERED_STATES and self.replied_at is not None:
            return self.replied_at > self.due_at
        if self.status in ANSWERED_STATES:
            return False
        return (now or now_cn()) > self.due_at

    @display(_l("Overdue"), lookup=HOTLINE_OVERDUE)
    def is_overdue(self) -> str:
        return "YES" if self.overdue() else "NO"

    @display(_l("Appeal summary"))
    def content_brief(self) -> str:
        return self.title or brief(self.content, 40)

    @display(_l("Citizen (surname)"))
    def citizen_display(self) -> str:
        """Who appealed, as shown on lists: anonymous, or the surname only."""
        if self.is_anonymous or not self.citizen_name:
            return gettext("Anonymous")
        return self.citizen_name[0] + "*" * (len(self.citizen_name) - 1)

    @display(_l("Result of the main case"), reads=("merged_into",))
    def main_case_result(self) -> str:
        """A merged duplicate follows its main case: the main case's state and, once answered,
        its reply — what the citizen of the duplicate is told."""
        main = self.merged_into
        if main is None:
            return ""
        state = _label(HOTLINE_STATUS, main.status)
        if main.status in ANSWERED_STATES and main.reply:
            return f"{main.case_no or ''} {state}: {main.reply}".strip()
        return f"{main.case_no or ''} {state}".strip()

    @property
    def counted(self) -> bool:
        """Counted in the 12345 figures: not a call left out (不予受理) nor a merged duplicate."""
        return self.status not in NOT_COUNTED_STATES

    def __str__(self) -> str:
        return f"{self.case_no or ''} {self.content_brief}".strip()


class HotlineCaseUnit(Model):
    """协办单位: one co-handling unit of a case (written through `HotlineCase.co_departments`)."""

    __tablename__ = "hotline_case_unit"
    __table_args__ = (UniqueConstraint("case_id", "department_id", name="uq_hotline_case_unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = parent_key("hotline_case", _l("Hotline case"))
    department_id: Mapped[int] = fk_column("department", _l("Co-handling unit"), nullable=False,
                                           ondelete="CASCADE")
    department = relation("Department", department_id, _l("Co-handling unit"), viewonly=True)
    assigned_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, default=now_cn, info=label(
        _l("Assigned at")))


class HotlineAction(BusinessRecord, Model):
    """One step in a case's life: who did what, when, for which unit."""

    __tablename__ = "hotline_action"

    case_id: Mapped[int] = parent_key("hotline_case", _l("Hotline case"))
    case = parent_relation("HotlineCase", "actions", _l("Hotline case"))
    action_type: Mapped[str] = lookup_column(HOTLINE_ACTION_TYPE, _l("Action"), nullable=False)
    acted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, default=now_cn, index=True, info=label(
        _l("Acted at")))
    actor: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Actor")))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Department"))
    department = relation("Department", department_id, _l("Department"))
    review_result: Mapped[Optional[str]] = lookup_column(HOTLINE_REVIEW, _l("Review result"), description=_l(
        "For the review of a return or an extension"))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Content")))

    def __str__(self) -> str:
        when = f"{self.acted_at:%Y-%m-%d %H:%M}" if self.acted_at else ""
        return f"{_label(HOTLINE_ACTION_TYPE, self.action_type)} {when}".strip()


# --- Rules (pure: they read, never write) --------------------------------------------------------
def case_problems(case: HotlineCase) -> list[str]:
    """A whistle-blowing report is confidential; the topic tree holds together; a case in
    a unit's hands names the unit; an answered case carries its answer; times run forward."""
    problems: list[str] = []
    if case.appeal_type == "JUBAO" and not case.keep_confidential:
        problems.append(gettext("A whistle-blowing report is always confidential: tick \"Keep confidential\"."))
    l2_parent = parent_of(HOTLINE_TOPIC_L2, case.topic_l2)
    l3_parent = parent_of(HOTLINE_TOPIC_L3, case.topic_l3)
    if case.topic_l2 and (case.topic_l1 is None or (l2_parent and l2_parent != case.topic_l1)):
        problems.append(gettext("The level 2 category %(sub)s does not belong to the level 1 category chosen.",
                                sub=_label(HOTLINE_TOPIC_L2, case.topic_l2)))
    if case.topic_l3 and (case.topic_l2 is None or (l3_parent and l3_parent != case.topic_l2)):
        problems.append(gettext("The level 3 category %(sub)s does not belong to the level 2 category chosen.",
                                sub=_label(HOTLINE_TOPIC_L3, case.topic_l3)))
    dispatched = case.status in DISPATCHED_STATES or case.dispatched_at is not None
    if dispatched and case.handler_department is None and case.handler_department_id is None:
        problems.append(gettext("A dispatched case needs its handling unit."))
    if case.status in ANSWERED_STATES and not (case.reply or "").strip():
        problems.append(gettext("An answered case needs its reply."))
    order = [("received_at", case.received_at), ("dispatched_at", case.dispatched_at),
             ("accepted_at", case.accepted_at)]
    from app.registry.introspect import label_of

    known = [(name, value) for name, value in order if value is not None]
    for (first, a), (second, b) in zip(known, known[1:], strict=False):
        if b < a:
            problems.append(gettext("%(later)s cannot be earlier than %(earlier)s.",
                                    later=str(label_of(HotlineCase, second)),
                                    earlier=str(label_of(HotlineCase, first))))
    if case.replied_at and case.received_at and case.replied_at < case.received_at:
        problems.append(gettext("%(later)s cannot be earlier than %(earlier)s.",
                                later=str(label_of(HotlineCase, "replied_at")),
                                earlier=str(label_of(HotlineCase, "received_at"))))
    for name in ("return_count", "extension_count", "reopen_count"):
        value = getattr(case, name)
        if value is not None and value < 0:
            problems.append(gettext("%(field)s cannot be negative.", field=str(label_of(HotlineCase, name))))
    lead = case.handler_department_id or getattr(case.handler_department, "id", None)
    if lead is not None and any(unit.id == lead for unit in case.co_departments or []):
        problems.append(gettext("The lead unit cannot also be one of its co-handling units."))
    if case.status == "NOT_ACCEPTED" and not case.rejection_reason:
        problems.append(gettext("A call not accepted needs its reason."))
    return problems + merge_problems(case)


def merge_problems(case: HotlineCase) -> list[str]:
    """并案: only a merged case names a main case, never itself, and the main case it is merged
    into (or moved to) is one that still counts — not itself merged (no chains) and neither
    archived nor left out as not accepted."""
    main = case.merged_into
    main_id = case.merged_into_id if main is None else main.id
    if case.status == "MERGED" and main is None and main_id is None:
        return [gettext("A merged case needs its main case.")]
    if main is None and main_id is None:
        return []
    if case.status != "MERGED":
        return [gettext("A case is merged into its main case by the step “Merge into a main case”.")]
    if main is case or (case.id is not None and main_id == case.id):
        return [gettext("A case cannot be merged into itself.")]
    if main is None:
        return []
    from app.registry.scope import loaded_links

    if loaded_links(case).get("merged_into_id") == main.id:
        return []                          # merged before: the main case may since have been archived
    if main.status == "MERGED" or main.merged_into_id is not None:
        return [gettext("Case %(case)s is itself merged into another case: merge into that main case.",
                        case=main.case_no or "")]
    if main.status in ("CLOSED", "NOT_ACCEPTED"):
        return [gettext("Case %(case)s is %(state)s: a case is merged only into one still being handled.",
                        case=main.case_no or "", state=_label(HOTLINE_STATUS, main.status))]
    return []


def action_problems(action: HotlineAction) -> list[str]:
    """A review (of a return or an extension) states its result."""
    if action.action_type in ("TUIDAN_SH", "YANQI_SH") and not action.review_result:
        return [gettext("A review needs its result.")]
    return []


# --- Defaults applied on every save (form, API, import) ------------------------------------------
def _next_case_no(session: Session, day: dt.date, taken: set[str]) -> str:
    prefix = f"{day:%Y%m%d}-"
    with session.no_autoflush:      # the day's numbers of the form YYYYMMDD-NNNN (a typed or imported one may differ)
        numbers = session.scalars(select(HotlineCase.case_no).where(HotlineCase.case_no.like(f"{prefix}%")))
        seq = max((int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()), default=0)
    while True:
        seq += 1
        number = f"{prefix}{seq:04d}"
        if number not in taken:
            return number


def whistleblowing_confidential(case: HotlineCase) -> Optional[str]:
    """A 举报 is always confidential: the one right answer to `case_problems`' first rule. A
    form asks the clerk to tick the box; a ledger without the column gets it ticked, and the
    import report says so (views/hotline.py `fixes`)."""
    if case.appeal_type == "JUBAO" and not case.keep_confidential:
        case.keep_confidential = True
        return gettext("A whistle-blowing report is always confidential: \"Keep confidential\" was ticked.")
    return None


def case_defaults(case: HotlineCase, change) -> None:
    """Save hook (views/hotline.py): whatever path writes a case, a whistle-blowing report is
    kept confidential, a case without a number or due time gets them (numbers handed out in
    this flush are remembered, so two new cases of a day never share one)."""
    whistleblowing_confidential(case)
    if case.received_at is None and change.created:
        case.received_at = now_cn()
    if case.due_at is None and case.received_at is not None:
        case.due_at = case.default_due()
    if not case.case_no and case.received_at is not None:
        taken = change.flush.setdefault("hotline_case_nos", set())
        case.case_no = _next_case_no(change.session, case.received_at.date(), taken)
        taken.add(case.case_no)


# --- Workflow effects (views/hotline.py) -----------------------------------------------------------
def _count_one(case: HotlineCase, name: str) -> None:
    setattr(case, name, (getattr(case, name) or 0) + 1)


def return_approved(case: HotlineCase, _session) -> None:
    """A return (退单) approved: the case goes back to the hotline centre for a new dispatch, so
    the unit, dispatch and acceptance times are cleared (the next dispatch stamps its own)."""
    _count_one(case, "return_count")
    case.handler_department = None
    case.handler_department_id = None
    case.dispatched_at = None
    case.accepted_at = None


def extension_approved(case: HotlineCase, _session) -> None:
    """An extension (延期) approved: the new due time, typed by the reviewer, must be later."""
    changed = sa_inspect(case).attrs.due_at.history.deleted   # [the due time before], if it was changed
    if case.due_at is None or not changed or (changed[0] is not None and case.due_at <= changed[0]):
        refuse([gettext("An extension needs a due time later than the current one.")])
    _count_one(case, "extension_count")


def reopened(case: HotlineCase, _session) -> None:
    """A case reopened (重办) after the visit: counted, and the reply time, visit time and
    satisfaction are cleared so that the new reply and the new visit record their own."""
    _count_one(case, "reopen_count")
    case.replied_at = None
    case.visited_at = None
    case.satisfaction = None
    case.is_resolved = False


def escalate_case(case: HotlineCase, session) -> None:
    """Effect of putting a reopened case under supervision (督办): the supervision office opens an
    item (source 12345/媒体) for the handling unit, once, and the unit handles the case again."""
    open_item_for(case, "REXIAN", session=session, title=case.title or brief(case.content, 60),
                  content=case.content, source_ref=case.case_no,
                  lead_department=case.handler_department or case.handler_department_id,
                  due_date=case.due_at.date() if case.due_at else None, priority="ZHONGDIAN")


# --- Who works a case: the lead unit, not its co-handlers (views/hotline.py) ------------------------
def lead_unit_refusal(case: HotlineCase) -> Optional[str]:
    """Why the current user may not take a step of the case, or None.

    The 12345 centre (the unit running the function), a user no unit limits, and the lead
    unit (or a unit above it: the district that passed the case on to its street) take the
    steps; a co-handling unit sees the case and adds its opinion to the case log, but does not
    answer, return, extend or close it. Outside a request (scripts, demo data) nobody is limited."""
    from app.registry.ownership import owns
    from app.registry.scope import current_department_ids, loaded_links

    ids = current_department_ids()
    if ids is None or owns("F10_Hotline"):
        return None
    lead = loaded_links(case).get("handler_department_id", case.handler_department_id)
    if lead is None or lead in ids:
        return None
    return gettext("Only the lead unit %(unit)s takes this step: a co-handling unit adds its opinion to the case "
                   "log.", unit=str(case.handler_department or ""))


def co_handler_edits(case: HotlineCase) -> list[str]:
    """Rule on every save: a co-handling unit (or any unit that sees the case without leading
    it) does not change the case itself — its opinion goes into the case log."""
    from sqlalchemy import inspect as inspect_

    state = inspect_(case)
    if state.transient or state.pending:
        return []
    refusal = lead_unit_refusal(case)
    return [refusal] if refusal else []


# --- The steps of real practice: co-handling, passing on, not accepting, merging -------------------
def _log(case: HotlineCase, action_type: str, content: str, department_id: Optional[int] = None) -> None:
    from app.audit import current_username

    case.actions.append(HotlineAction(action_type=action_type, acted_at=now_cn(), actor=current_username() or None,
                                      department_id=department_id, content=content))


def _unit_name(session, unit_id: Optional[int]) -> str:
    from models.org import Department

    unit = session.get(Department, unit_id) if unit_id is not None else None
    return str(unit) if unit is not None else ""


def dispatched(case: HotlineCase, session) -> None:
    """派单: the case log says which unit leads and which co-handle (the status log has the step)."""
    lead = case.handler_department or _unit_name(session, case.handler_department_id)
    text = gettext("Lead unit: %(lead)s.", lead=str(lead))
    if case.co_departments:
        text += " " + gettext("Co-handling units: %(units)s.", units="、".join(str(u) for u in case.co_departments))
    _log(case, "PAIDAN", text)


def passed_on(case: HotlineCase, session) -> None:
    """二级派单: the unit that holds the case (a district government) passes it to a unit under
    it (a street or town), which accepts and handles it as the new lead; the passing unit keeps
    seeing it (`passed_by_department`). The time limit runs on from the first dispatch: the
    due time and the dispatch time stay, only the acceptance is the new unit's to give."""
    from app.registry.scope import _linked_id, loaded_links
    from app.registry.unit_tree import units_under

    relationship_ = sa_inspect(HotlineCase).relationships["handler_department"]
    before = loaded_links(case).get("handler_department_id")
    after = _linked_id(case, relationship_)
    if before is None:
        refuse([gettext("Only a case a unit has received can be passed on.")])
    passing = _unit_name(session, before)
    if after is None or after == before or after not in units_under(session, before):
        refuse([gettext("%(unit)s is not under %(passing)s: a case is passed on only to a unit under the one "
                        "that received it.", unit=_unit_name(session, after) or "—", passing=passing)])
    case.passed_by_department_id = before
    case.passed_at = now_cn()
    case.accepted_at = None
    _log(case, "ERJI_PAIDAN", gettext("%(passing)s passed the case on to %(unit)s.", passing=passing,
                                      unit=_unit_name(session, after)), department_id=before)


def not_accepted(case: HotlineCase, _session) -> None:
    """不予受理: who decided, and why, on the case and in its log."""
    from app.audit import current_username

    case.rejected_by = current_username() or None
    _log(case, "BUYU_SHOULI", _label(HOTLINE_REJECTION, case.rejection_reason))


def merged(case: HotlineCase, session) -> None:
    """并案: the duplicate is closed as merged and follows its main case. A case other cases were
    merged into is a main case: it is not merged in turn (no chains)."""
    main = case.merged_into or (session.get(HotlineCase, case.merged_into_id) if case.merged_into_id else None)
    if case.id is not None and (main is case or case.merged_into_id == case.id):
        refuse([gettext("A case cannot be merged into itself.")])
    followers = session.scalar(select(func.count()).select_from(HotlineCase).where(
        HotlineCase.merged_into_id == case.id, HotlineCase.is_deleted.is_(False))) if case.id else 0
    if followers:
        refuse([gettext("%(count)s cases are merged into this one: it is their main case and cannot be merged "
                        "in turn.", count=followers)])
    if main is None:
        return
    case.closed_at = case.closed_at or now_cn()
    _log(case, "BINGAN", gettext("Merged into case %(case)s.", case=main.case_no or ""))
    _log(main, "BINGAN", gettext("Case %(case)s merged into this one.", case=case.case_no or ""))
