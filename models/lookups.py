"""Bilingual code tables (lookups).

Every enumeration is stored as a stable ASCII code. Its labels live in `lookup`, one
row per (category, code), so an admin can add a code or rename a label without a
migration. Each domain module declares the categories it uses with `define_lookup`;
`seed_lookups()` inserts the missing codes (never overwriting an admin's edits).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from flask import has_app_context
from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, _l, bilingual, current_lang, flag, label, reference_seed
from models.cache_stamps import SharedCache


class Lookup(Model):
    """One code of one enumeration, with its label in both languages."""

    __tablename__ = "lookup"
    __table_args__ = (UniqueConstraint("category", "code", name="uq_lookup_category_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(64), index=True, info=label(_l("Category")))
    code: Mapped[str] = mapped_column(String(32), info=label(_l("Code")))
    label_zh: Mapped[str] = mapped_column(String(100), info=label(_l("Chinese label")))
    label_en: Mapped[str] = mapped_column(String(100), info=label(_l("English label")))
    parent_code: Mapped[Optional[str]] = mapped_column(String(32), info=label(_l("Parent code")))
    sort: Mapped[int] = mapped_column(Integer, default=0, info=label(_l("Sort order")))
    active: Mapped[bool] = flag(_l("Active"), default=True, server_default=False)

    @property
    def label(self) -> str:
        return bilingual(self.label_zh, self.label_en)

    def __str__(self) -> str:
        return self.label


@dataclass
class LookupCategory:
    key: str
    title: object  # lazy string
    codes: list[tuple[str, str, str]] = field(default_factory=list)
    #: code -> Bootstrap label style (success, warning, danger, info, default) for codes
    #: that read better as a coloured badge, like the red/yellow/green light.
    styles: dict[str, str] = field(default_factory=dict)


CATEGORIES: dict[str, LookupCategory] = {}


def define_lookup(key: str, title, codes: list[tuple[str, str, str]],
                  styles: Optional[dict[str, str]] = None) -> str:
    """Declare a category and its seed codes: [(code, 中文, English), ...]."""
    CATEGORIES[key] = LookupCategory(key, title, list(codes), dict(styles or {}))
    return key


@dataclass(frozen=True, slots=True)
class LookupRow:
    """A lookup code as lists, forms and the importer read it: plain values, kept by the
    process between requests (an ORM row would belong to one request's session)."""

    id: int
    category: str
    code: str
    label_zh: str
    label_en: str
    parent_code: Optional[str]
    sort: int
    active: bool

    @property
    def label(self) -> str:
        return bilingual(self.label_zh, self.label_en)

    def label_in(self, english: bool) -> str:
        """The label in a language asked once for a whole list (each `label` asks the request)."""
        return (self.label_en or self.label_zh or "") if english else (self.label_zh or self.label_en or "")

    def __str__(self) -> str:
        return self.label


def _table(session) -> dict[str, list[LookupRow]]:
    rows = session.execute(select(Lookup.id, Lookup.category, Lookup.code, Lookup.label_zh, Lookup.label_en,
                                  Lookup.parent_code, Lookup.sort, Lookup.active)
                           .order_by(Lookup.category, Lookup.sort, Lookup.id))
    table: dict[str, list[LookupRow]] = {}
    for row in rows:
        table.setdefault(row.category, []).append(LookupRow(*row))
    return table


#: The lookups, loaded once per process and again after an edit anywhere (models/cache_stamps.py):
#: forms, filters and lists read ~850 codes a request.
_SHARED = SharedCache("lookup", Lookup, _table)


def lookup_table(session=None) -> dict[str, list[LookupRow]]:
    """All lookup codes by category; an admin's edit shows at the next request of every worker."""
    if session is None:
        from app.extensions import db

        session = db.session
    if has_app_context():
        return _SHARED.get(session)
    return _table(session)


def _offered(category: str, include_inactive: Optional[str]) -> list[LookupRow]:
    """The active codes, and an inactive one the record already carries."""
    return [row for row in lookup_table().get(category, []) if row.active or row.code == include_inactive]


def lookup_choices(category: str, *, include_inactive: Optional[str] = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a form select; an inactive code stays selectable on the
    record that already carries it."""
    english = current_lang() == "en"
    return [(row.code, row.label_in(english)) for row in _offered(category, include_inactive)]


def offered_codes(category: str, *, include_inactive: Optional[str] = None) -> set[str]:
    """The codes `lookup_choices` offers, without their labels: what a save checks."""
    return {row.code for row in _offered(category, include_inactive)}


def lookup_label(category: str, code: Optional[str]) -> str:
    if code in (None, ""):
        return ""
    for row in lookup_table().get(category, []):
        if row.code == code:
            return row.label
    return code


def safe_lookup_label(category: str, code: Optional[str]) -> str:
    """`lookup_label`, or the bare code where no lookup table can be read (no app context)."""
    try:
        return lookup_label(category, code)
    except Exception:  # outside an app context
        return code or ""


def lookup_codes(category: str) -> set[str]:
    return {row.code for row in lookup_table().get(category, [])}


@reference_seed
def seed_lookups(session) -> int:
    """Insert the declared codes that are missing; returns how many were added."""
    existing = {(row.category, row.code) for rows in _table(session).values() for row in rows}
    added = 0
    for cat in CATEGORIES.values():
        for sort, (code, zh, en) in enumerate(cat.codes, start=1):
            if (cat.key, code) in existing:
                continue
            session.add(Lookup(category=cat.key, code=code, label_zh=zh, label_en=en,
                               sort=sort * 10, active=True))
            added += 1
    session.flush()
    return added


# --- Shared enumerations (docs/domain.md §1) --------------------------------------------------
SECRECY = define_lookup("secrecy_level", _l("Secrecy level"), [
    ("FEIMI", "非密", "Unclassified"), ("NEIBU", "内部", "Internal"),
    ("MIMI", "秘密", "Confidential"), ("JIMI", "机密", "Secret"), ("JUEMI", "绝密", "Top secret"),
])
#: Levels at or above 秘密: the record may only be a registration stub.
CLASSIFIED_LEVELS = frozenset({"MIMI", "JIMI", "JUEMI"})
#: 内部: read only by the record's need-to-know list when it has one, left out of bulk exports
#: (docs/domain.md §9, app/registry/need_to_know.py).
INTERNAL_LEVEL = "NEIBU"
#: The levels from the lowest up: an attachment's may not be above its record's.
SECRECY_ORDER = ("FEIMI", "NEIBU", "MIMI", "JIMI", "JUEMI")


def stub_problems(record, *content_fields: str) -> list[str]:
    """涉密不上网: a record at 秘密 or above keeps a registration stub only, so none of
    its content fields (body, summary, attachment ...) may hold anything."""
    from flask_babel import gettext

    from app.registry.introspect import label_of

    if getattr(record, "secrecy_level", None) not in CLASSIFIED_LEVELS:
        return []
    filled = [f for f in content_fields if getattr(record, f, None) not in (None, "", b"")]
    if not filled:
        return []
    names = "、".join(str(label_of(type(record), f)) for f in filled)
    return [gettext("A record classified Confidential or above is a registration stub only: "
                    "leave %(fields)s empty.", fields=names)]

URGENCY = define_lookup("doc_urgency", _l("Urgency"), [
    ("PUTONG", "平件", "Normal"), ("JIAJI", "加急", "Urgent"), ("TEJI", "特急", "Extra-urgent"),
])
TELEGRAM_PRIORITY = define_lookup("telegram_priority", _l("Telegram priority"), [
    ("PINGJI", "平急", "Routine"), ("JIAJI", "加急", "Urgent"),
    ("TEJI", "特急", "Very urgent"), ("TETI", "特提", "Flash"),
])
#: 请示: a document kind (and a district request kind) with rules of its own (one matter,
#: one addressee, a time limit for the answer).
REQUEST_FOR_INSTRUCTIONS = "QINGSHI"
DOC_TYPE = define_lookup("doc_type", _l("Document type"), [
    ("JUEYI", "决议", "Resolution"), ("JUEDING", "决定", "Decision"),
    ("MINGLING", "命令(令)", "Order"), ("GONGBAO", "公报", "Communiqué"),
    ("GONGGAO", "公告", "Announcement"), ("TONGGAO", "通告", "Public notice"),
    ("YIJIAN", "意见", "Opinions"), ("TONGZHI", "通知", "Notice"), ("TONGBAO", "通报", "Bulletin"),
    ("BAOGAO", "报告", "Report"), (REQUEST_FOR_INSTRUCTIONS, "请示", "Request for instructions"),
    ("PIFU", "批复", "Official reply"), ("YIAN", "议案", "Motion"), ("HAN", "函", "Letter"),
    ("JIYAO", "纪要", "Minutes"), ("QITA", "其他", "Other"),
])
WRITING_DIRECTION = define_lookup("writing_direction", _l("Writing direction"), [
    ("SHANGXING", "上行文", "Upward"), ("PINGXING", "平行文", "Lateral"),
    ("XIAXING", "下行文", "Downward"),
])
DISCLOSURE = define_lookup("disclosure", _l("Disclosure"), [
    ("ZHUDONG", "主动公开", "Proactive disclosure"), ("YISHENQING", "依申请公开", "On request"),
    ("BUYU", "不予公开", "Not disclosed"),
])
#: Handling role codes the rules compare (one lead per matter, co-handlers beside it).
#: 会办 (JOINT): a unit handling the matter jointly with the lead, whose opinion the lead's answer
#: waits for (proposals, docs/domain.md §5); elsewhere it counts as a co-handler.
LEAD, CO_HANDLER, SEPARATE, JOINT = "ZHUBAN", "XIEBAN", "FENBAN", "HUIBAN"
HANDLING_ROLE = define_lookup("handling_role", _l("Handling role"), [
    (LEAD, "主办", "Lead"), (CO_HANDLER, "协办", "Co-handler"), (SEPARATE, "分办", "Separate handling"),
    (JOINT, "会办", "Joint handling"),
])
SATISFACTION = define_lookup("satisfaction", _l("Satisfaction"), [
    ("MANYI", "满意", "Satisfied"), ("JIBEN", "基本满意", "Basically satisfied"),
    ("BUMANYI", "不满意", "Dissatisfied"), ("WEIPINGJIA", "未评价", "Not evaluated"),
])
#: Satisfaction codes that count as satisfied, and those that count as an evaluation (满意率:
#: the dashboard's panels and the ledgers' summaries count the same way).
SATISFIED = ("MANYI", "JIBEN")
EVALUATED = ("MANYI", "JIBEN", "BUMANYI")
RAG_LIGHT = define_lookup("rag_light", _l("Light"), [
    ("GREEN", "绿灯", "On track"), ("YELLOW", "黄灯", "Due soon"), ("RED", "红灯", "Overdue"),
], styles={"GREEN": "success", "YELLOW": "warning", "RED": "danger"})
INCIDENT_CATEGORY = define_lookup("incident_category", _l("Incident category"), [
    ("ZIRAN", "自然灾害", "Natural disaster"), ("SHIGU", "事故灾难", "Accident"),
    ("WEISHENG", "公共卫生事件", "Public health event"), ("SHEHUI", "社会安全事件", "Social security event"),
])
INCIDENT_LEVEL = define_lookup("incident_level", _l("Incident level"), [
    ("I", "特别重大", "Extraordinarily serious (I)"), ("II", "重大", "Serious (II)"),
    ("III", "较大", "Relatively serious (III)"), ("IV", "一般", "Ordinary (IV)"),
    ("UNGRADED", "未定级", "Ungraded"),
])
WARNING_LEVEL = define_lookup("warning_level", _l("Warning level"), [
    ("RED", "一级(红色)", "Level 1 (red)"), ("ORANGE", "二级(橙色)", "Level 2 (orange)"),
    ("YELLOW", "三级(黄色)", "Level 3 (yellow)"), ("BLUE", "四级(蓝色)", "Level 4 (blue)"),
])
RETENTION = define_lookup("retention", _l("Retention period"), [
    ("YONGJIU", "永久", "Permanent"), ("D30", "定期30年", "30 years"), ("D10", "定期10年", "10 years"),
])
YES_NO_STANCE = define_lookup("consult_stance", _l("Stance"), [
    ("TONGYI", "同意", "Agree"), ("YUANZE", "原则同意", "Agree in principle"),
    ("BUTONGYI", "不同意", "Disagree"),
])
