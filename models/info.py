"""Government-affairs information and research (docs/domain.md §7, functions 8 and 9).

**ResearchReport 调研**: a research project for the city's leaders — topic, origin
(领导点题, 年度计划 …), lead unit with its co-units (`ResearchCoUnit`, one row per real
Department), methods, the report, to whom it went, and what it turned into
(`ResearchConversion`: a policy document, a meeting topic, a publication, an award).

**InfoReport 政务信息**: one piece of information a department or district sends the
office (动态, 经验做法, 问题建议, 紧急信息 …). The information division screens it
(采用 / 退修 / 不采用 / 存档), prints it in its own publication and sends it up
(`InfoAdoption`: 省政府办公厅, 国务院办公厅, 市委·市政府), where it may be adopted and
draw a leader's instruction. Each adoption and instruction earns points set in the
configuration table `InfoScoreRule(year_from, level, basis, publication, points)`.

The score is **stored** on the report and recomputed whenever the report or one of its
adoptions is saved (a `before_flush` hook): lists sort and filter by it and the ranking
ledger sums it. A later change of the rule table does not rewrite old scores (a score
is what the rules gave when the adoption was recorded); saving the report again
recomputes it with the current rules.

Both entities carry a secrecy level: at 秘密 or above they keep a registration stub
only (`stub_problems`), since 涉密不上网.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from flask_babel import gettext
from sqlalchemy import Date, DateTime, Integer, Numeric, String, Text, select
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
    parent_relation,
    relation,
)
from models.base import live as _live
from models.base import parent_of as _parent
from models.base import record_session as _db_session
from models.lookups import SECRECY, define_lookup, lookup_label, stub_problems

# --- Enumerations: research (docs/domain.md §7) --------------------------------------------------
RESEARCH_ORIGIN = define_lookup("research_origin", _l("Research origin"), [
    ("LINGDAO_DIANTI", "领导点题", "Topic set by a leader"),
    ("NIANDU_JIHUA", "年度计划", "Annual plan"),
    ("ZIXUAN", "自选", "Self-selected"),
    ("SHANGJI_BUSHU", "上级部署", "Assigned by higher authorities"),
])
RESEARCH_STATUS = define_lookup("research_status", _l("Research status"), [
    ("PLANNED", "已立项", "Planned"),
    ("IN_FIELD", "调研中", "In the field"),
    ("DRAFTING", "撰写中", "Drafting"),
    ("REVIEW", "审核中", "Under review"),
    ("SUBMITTED", "已报送", "Submitted"),
    ("INSTRUCTED", "领导已批示", "Instructed by a leader"),
    ("CONVERTED", "成果已转化", "Results converted"),
    ("CLOSED", "已结题", "Closed"),
])
RESEARCH_CONVERSION = define_lookup("research_conversion", _l("Conversion type"), [
    ("ZHENGCE", "转化为政策文件", "Policy document"),
    ("YITI", "提交会议议题", "Meeting topic"),
    ("KANFA", "刊发", "Publication"),
    ("HUOJIANG", "获奖", "Award"),
])

# --- Enumerations: information (docs/domain.md §7) ----------------------------------------------
INFO_TYPE = define_lookup("info_type", _l("Information type"), [
    ("DONGTAI", "动态", "News"),
    ("JINGYAN", "经验做法", "Good practice"),
    ("WENTI", "问题建议", "Problems and suggestions"),
    ("JINJI", "紧急信息", "Urgent information"),
    ("YUEGAO", "约稿", "Commissioned article"),
    ("DIAOYAN", "调研类", "Research-based"),
    ("YUQING", "舆情", "Public opinion"),
])
INFO_SCREENING = define_lookup("info_screening", _l("Screening result"), [
    ("CAIYONG", "采用", "Adopted"),
    ("TUIXIU", "退修", "Returned for revision"),
    ("BUCAIYONG", "不采用", "Not adopted"),
    ("CUNDANG", "存档", "Filed"),
])
INFO_STATUS = define_lookup("info_status", _l("Information status"), [
    ("DRAFT", "草稿", "Draft"),
    ("SUBMITTED", "已报送", "Submitted"),
    ("SCREENING", "筛选中", "Screening"),
    ("ADOPTED", "本级采用", "Adopted locally"),
    ("REVISE", "退修", "Returned for revision"),
    ("REJECTED", "不采用", "Not adopted"),
    ("FILED", "已存档", "Filed"),
    ("SENT_UP", "已上报", "Sent up"),
    ("ADOPTED_UP", "上级采用", "Adopted above"),
    ("NOT_ADOPTED_UP", "上级未采用", "Not adopted above"),
])
INFO_TARGET_LEVEL = define_lookup("info_target_level", _l("Sent to"), [
    ("SHENG", "省政府办公厅", "General Office of the Provincial Government"),
    ("GUOBAN", "国务院办公厅", "General Office of the State Council"),
    ("SHIWEI", "市委·市政府", "Municipal Party Committee and Government"),
])
#: The levels a score rule applies to: the office's own adoption (本级) and the three targets.
INFO_SCORE_LEVEL = define_lookup("info_score_level", _l("Scoring level"), [
    ("BENJI", "本级（市政府办公厅）采用", "Adopted by the General Office itself"),
    ("SHIWEI", "市委·市政府", "Municipal Party Committee and Government"),
    ("SHENG", "省政府办公厅", "General Office of the Provincial Government"),
    ("GUOBAN", "国务院办公厅", "General Office of the State Council"),
])
INFO_SCORE_BASIS = define_lookup("info_score_basis", _l("Scored for"), [
    ("CAIYONG", "采用", "Adoption"),
    ("PISHI", "领导批示", "Leader's instruction"),
])
INFO_PUBLICATION = define_lookup("info_publication", _l("Publication"), [
    ("XMZWXX", "《厦门政务信息》", "Xiamen Government Information"),
    ("XMZWZB", "《厦门政务信息·专报》", "Xiamen Government Information: Special Report"),
    ("SONGYUE", "《送阅件》", "For Leaders' Reading"),
    ("SWXX", "《厦门信息》（市委办）", "Xiamen Information (Party Committee Office)"),
    ("FJZWXX", "《福建政务信息》", "Fujian Government Information"),
    ("FJZWYQ", "《政务要情》（省）", "Government Affairs Essentials (province)"),
    ("GBXX", "《国务院办公厅信息》", "State Council General Office Information"),
    ("GBZB", "《国办信息专报》", "State Council General Office Special Report"),
])

#: Statuses in which a report has been submitted: it names its signer.
INFO_SUBMITTED_STATES = frozenset({"SUBMITTED", "SCREENING", "ADOPTED", "REVISE", "REJECTED", "FILED",
                                   "SENT_UP", "ADOPTED_UP", "NOT_ADOPTED_UP"})
#: Statuses that follow a screening, and the screening results each one allows (only what the
#: office adopted is sent up).
SCREENING_OF_STATUS = {"ADOPTED": ("CAIYONG",), "REVISE": ("TUIXIU",), "REJECTED": ("BUCAIYONG",),
                       "FILED": ("CUNDANG",), "SENT_UP": ("CAIYONG",), "ADOPTED_UP": ("CAIYONG",),
                       "NOT_ADOPTED_UP": ("CAIYONG",)}
#: Statuses in which the information has gone up: where it went is recorded (an `InfoAdoption`).
INFO_SENT_UP_STATES = frozenset({"SENT_UP", "ADOPTED_UP", "NOT_ADOPTED_UP"})
#: Research statuses in which the report has gone to the leaders.
RESEARCH_SUBMITTED_STATES = frozenset({"SUBMITTED", "INSTRUCTED", "CONVERTED", "CLOSED"})








# ============================================================================================
# Research
# ============================================================================================
class ResearchReport(BusinessRecord, Model):
    """调研课题: research done for the city's leaders, from plan to report and its results."""

    __tablename__ = "research_report"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("topic",)
    __order__ = ("id", "desc")

    topic: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Research topic")))
    year: Mapped[int] = mapped_column(Integer, index=True, info=label(_l("Year")))
    origin: Mapped[str] = lookup_column(RESEARCH_ORIGIN, _l("Research origin"), nullable=False)
    requested_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Topic set by"), description=_l("The leader who set the topic, when a leader did")))
    lead_department_id: Mapped[Optional[int]] = fk_column("department", _l("Lead unit"))
    lead_department = relation("Department", lead_department_id, _l("Lead unit"))
    team_leader: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Research team leader")))
    members: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Research team members"), description=_l("Names separated by commas")))
    planned_start: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Planned start")))
    planned_end: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Planned end")))
    method_field: Mapped[bool] = flag(_l("Field visits"))
    method_forum: Mapped[bool] = flag(_l("Forums"))
    method_survey: Mapped[bool] = flag(_l("Questionnaires"))
    method_data: Mapped[bool] = flag(_l("Data analysis"))
    secrecy_level: Mapped[str] = lookup_column(SECRECY, _l("Secrecy level"), nullable=False, default="FEIMI")
    summary: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Report summary"), description=_l("Not allowed at secrecy Confidential or above")))
    body: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Report text"), description=_l("Not allowed at secrecy Confidential or above")))
    report_file_name: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Report file name (earlier records)"),
        description=_l("Kept from records registered before reports were attached; the report itself goes "
                       "in the Attachments tab")))
    attachment_note: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Attachment note")))
    submitted_to: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Submitted to"), description=_l("The leaders the report went to")))
    submitted_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Submitted on")))
    leader_instruction: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Leaders' instructions")))
    status: Mapped[str] = lookup_column(RESEARCH_STATUS, _l("Status"), nullable=False, default="PLANNED")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    co_unit_links = child_rows("ResearchCoUnit", "report", _l("Co-units"), order_by="ResearchCoUnit.seq")
    conversions = child_rows("ResearchConversion", "report", _l("Conversions"),
                             order_by="ResearchConversion.converted_at")

    @display(_l("Co-units"), reads=("co_unit_links.department",))
    def co_units(self) -> str:
        return "、".join(str(link.department) for link in _live(self.co_unit_links) if link.department is not None)

    @display(_l("Methods"))
    def methods(self) -> str:
        names = [(self.method_field, _l("Field visits")), (self.method_forum, _l("Forums")),
                 (self.method_survey, _l("Questionnaires")), (self.method_data, _l("Data analysis"))]
        return "、".join(str(text) for on, text in names if on)

    @display(_l("Results converted into"), reads=("conversions",))
    def conversion_summary(self) -> str:
        return "、".join(lookup_label(RESEARCH_CONVERSION, c.conversion_type) for c in _live(self.conversions))

    def __str__(self) -> str:
        return self.topic or ""


class ResearchCoUnit(BusinessRecord, Model):
    """One co-unit (参与单位) of a research project."""

    __tablename__ = "research_co_unit"

    report_id: Mapped[int] = parent_key("research_report", _l("Research report"))
    report = parent_relation("ResearchReport", "co_unit_links", _l("Research report"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    department_id: Mapped[int] = fk_column("department", _l("Department"), nullable=False)
    department = relation("Department", department_id, _l("Department"))
    task: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Task in the research")))

    def __str__(self) -> str:
        return str(self.department) if self.department is not None else ""


class ResearchConversion(BusinessRecord, Model):
    """成果转化: what a research report turned into."""

    __tablename__ = "research_conversion"

    report_id: Mapped[int] = parent_key("research_report", _l("Research report"))
    report = parent_relation("ResearchReport", "conversions", _l("Research report"))
    conversion_type: Mapped[str] = lookup_column(RESEARCH_CONVERSION, _l("Conversion type"), nullable=False)
    converted_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Converted on")))
    description: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Conversion result"), description=_l("e.g. the policy issued, the meeting, the journal or the award")))
    document_id: Mapped[Optional[int]] = fk_column("document", _l("Linked document"), ondelete="SET NULL")
    document = relation("Document", document_id, _l("Linked document"))
    meeting_id: Mapped[Optional[int]] = fk_column("meeting", _l("Linked meeting"), ondelete="SET NULL")
    meeting = relation("Meeting", meeting_id, _l("Linked meeting"))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return lookup_label(RESEARCH_CONVERSION, self.conversion_type)


def research_problems(report: ResearchReport) -> list[str]:
    """涉密不上网; plans end after they start; a report that went to the leaders says when."""
    problems = stub_problems(report, "summary", "body", "report_file_name")
    if report.planned_start and report.planned_end and report.planned_end < report.planned_start:
        problems.append(gettext("The planned end cannot be earlier than the planned start."))
    if report.status in RESEARCH_SUBMITTED_STATES and report.submitted_at is None:
        problems.append(gettext("A submitted research report needs its submission date."))
    if report.year is not None and not 1000 <= report.year <= 9999:
        problems.append(gettext("Give the year as four digits."))
    if report.status == "CONVERTED" and not _live(report.conversions):
        problems.append(gettext("Register what the research turned into (a conversion) before marking its "
                                "results as converted."))
    return problems


def co_unit_problems(link: ResearchCoUnit) -> list[str]:
    """No co-unit twice, and the lead unit is not also a co-unit."""
    report = _parent(link, "report", ResearchReport)
    if report is None:
        return []
    unit = link.department_id or getattr(link.department, "id", None)
    problems: list[str] = []
    if unit is not None and unit == (report.lead_department_id or getattr(report.lead_department, "id", None)):
        problems.append(gettext("The lead unit cannot also be a co-unit."))
    others = [x for x in _live(report.co_unit_links) if x is not link and (link.id is None or x.id != link.id)]
    if unit is not None and any((x.department_id or getattr(x.department, "id", None)) == unit for x in others):
        problems.append(gettext("A co-unit is listed more than once."))
    return problems


def conversion_problems(conversion: ResearchConversion) -> list[str]:
    report = _parent(conversion, "report", ResearchReport)
    if report is not None and report.submitted_at and conversion.converted_at \
            and conversion.converted_at < report.submitted_at:
        return [gettext("Results cannot be converted before the report was submitted.")]
    return []


# ============================================================================================
# Government-affairs information
# ============================================================================================
class InfoReport(BusinessRecord, Model):
    """政务信息: one piece of information sent to the office, screened and perhaps sent up."""

    __tablename__ = "info_report"
    __order__ = ("id", "desc")

    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    info_type: Mapped[str] = lookup_column(INFO_TYPE, _l("Information type"), nullable=False)
    department_id: Mapped[int] = fk_column("department", _l("Submitting unit"), nullable=False)
    department = relation("Department", department_id, _l("Submitting unit"))
    author: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Author")))
    author_phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Author's phone"), sensitive=True, mask="phone"))
    signer: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Signed off by"), description=_l("The unit head who approved sending the information")))
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(
        _l("Submitted at")))
    secrecy_level: Mapped[str] = lookup_column(SECRECY, _l("Secrecy level"), nullable=False, default="FEIMI")
    body: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Body"), description=_l("Not allowed at secrecy Confidential or above")))
    screening_result: Mapped[Optional[str]] = lookup_column(INFO_SCREENING, _l("Screening result"))
    screener_id: Mapped[Optional[int]] = fk_column("personnel", _l("Screened by"))
    screener = relation("Personnel", screener_id, _l("Screened by"))
    screened_at: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Screened on")))
    screening_opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Screening opinion")))
    local_publication: Mapped[Optional[str]] = lookup_column(INFO_PUBLICATION, _l("Local publication"),
                                                             description=_l("Where the office printed it"))
    local_issue_no: Mapped[Optional[str]] = mapped_column(String(40), info=label(
        _l("Issue number"), description=_l("e.g. 2026年第58期")))
    score: Mapped[Optional[Decimal]] = mapped_column(Numeric(8, 1), default=Decimal("0"), index=True, info=label(
        _l("Score"), description=_l("Computed from the scoring rules when the information or an adoption is saved")))
    status: Mapped[str] = lookup_column(INFO_STATUS, _l("Status"), nullable=False, default="DRAFT")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    adoptions = child_rows("InfoAdoption", "report", _l("Sent up and adopted"), order_by="InfoAdoption.sent_at")

    @display(_l("Adopted above by"), reads=("adoptions",))
    def adopted_by(self) -> str:
        return "、".join(lookup_label(INFO_TARGET_LEVEL, a.target_level) for a in _live(self.adoptions) if a.adopted)

    @display(_l("Leaders' instructions received"), reads=("adoptions",))
    def instruction_count(self) -> int:
        return sum(1 for a in _live(self.adoptions) if a.leader_instructed)

    def __str__(self) -> str:
        return self.title or ""


class InfoAdoption(BusinessRecord, Model):
    """报送与采用: the information sent to a higher office, and what that office made of it."""

    __tablename__ = "info_adoption"

    report_id: Mapped[int] = parent_key("info_report", _l("Information"))
    report = parent_relation("InfoReport", "adoptions", _l("Information"))
    target_level: Mapped[str] = lookup_column(INFO_TARGET_LEVEL, _l("Sent to"), nullable=False)
    sent_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Sent on")))
    adopted: Mapped[bool] = flag(_l("Adopted"), index=True)
    publication: Mapped[Optional[str]] = lookup_column(INFO_PUBLICATION, _l("Publication"))
    issue_no: Mapped[Optional[str]] = mapped_column(String(40), info=label(_l("Issue number")))
    adopted_at: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Adopted on")))
    leader_instructed: Mapped[bool] = flag(_l("Leader's instruction received"), index=True)
    instruction_note: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Instruction"), description=_l("Who instructed, when, and what")))
    points: Mapped[Optional[Decimal]] = mapped_column(Numeric(8, 1), default=Decimal("0"), info=label(
        _l("Points"), description=_l("Computed from the scoring rules when saved")))

    def __str__(self) -> str:
        return lookup_label(INFO_TARGET_LEVEL, self.target_level)


class InfoScoreRule(BusinessRecord, Model):
    """信息计分规则: how many points an adoption or a leader's instruction earns.

    A rule with a publication applies to that publication only; a rule without one to any
    publication of its level; the more specific rule wins. Offices revise their scoring
    every year or so: a rule applies from its year on, until a later rule for the same
    level, basis and publication replaces it."""

    __tablename__ = "info_score_rule"
    __order__ = ("level", "asc")

    year_from: Mapped[int] = mapped_column(Integer, index=True, info=label(
        _l("Applies from year"), description=_l("The rule applies to adoptions of this year and later")))
    level: Mapped[str] = lookup_column(INFO_SCORE_LEVEL, _l("Scoring level"), nullable=False)
    basis: Mapped[str] = lookup_column(INFO_SCORE_BASIS, _l("Scored for"), nullable=False, default="CAIYONG")
    publication: Mapped[Optional[str]] = lookup_column(INFO_PUBLICATION, _l("Publication"), description=_l(
        "Leave empty for any publication of the level"))
    points: Mapped[Decimal] = mapped_column(Numeric(6, 1), info=label(_l("Points")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        parts = [lookup_label(INFO_SCORE_LEVEL, self.level), lookup_label(INFO_SCORE_BASIS, self.basis),
                 lookup_label(INFO_PUBLICATION, self.publication)]
        return " ".join(p for p in parts if p)


def info_problems(report: InfoReport) -> list[str]:
    """涉密不上网; a screening outcome in the status agrees with the screening result;
    submitted information names the unit head who signed it off."""
    problems = stub_problems(report, "body")
    expected = SCREENING_OF_STATUS.get(report.status)
    if expected and report.screening_result not in expected:
        problems.append(gettext("The status %(status)s needs the screening result %(result)s.",
                                status=lookup_label(INFO_STATUS, report.status),
                                result=" / ".join(lookup_label(INFO_SCREENING, code) for code in expected)))
    if report.local_issue_no and not report.local_publication:
        problems.append(gettext("An issue number needs its publication."))
    if report.status in INFO_SUBMITTED_STATES and not (report.signer or "").strip():
        problems.append(gettext("Submitted information needs the unit head who signed it off."))
    adoptions = _live(report.adoptions)
    if report.status in INFO_SENT_UP_STATES and not adoptions:
        problems.append(gettext("Record where the information was sent (under “Sent up and adopted”) before "
                                "marking it as sent up."))
    elif report.status == "ADOPTED_UP" and not any(a.adopted for a in adoptions):
        problems.append(gettext("Mark the adoption by the higher office (under “Sent up and adopted”) before "
                                "marking the information as adopted above."))
    return problems


def start_screening(report: InfoReport, _session=None) -> None:
    """A screening round starts afresh: the last round's result and date (a report returned
    for revision and submitted again) no longer stand; the round's decision stamps new ones."""
    report.screening_result = None
    report.screened_at = None


def adoption_problems(adoption: InfoAdoption) -> list[str]:
    problems: list[str] = []
    if adoption.adopted_at and not adoption.adopted:
        problems.append(gettext("An adoption date is given only for adopted information."))
    if adoption.adopted_at and adoption.sent_at and adoption.adopted_at < adoption.sent_at:
        problems.append(gettext("Information cannot be adopted before it was sent."))
    return problems


def score_rule_problems(rule: InfoScoreRule) -> list[str]:
    """One rule per year, level, basis and publication: two would make the score ambiguous."""
    problems: list[str] = []
    if rule.points is not None and rule.points < 0:
        problems.append(gettext("Points cannot be negative."))
    session = _db_session(rule)
    if session is None or not rule.level or not rule.basis or rule.year_from is None:
        return problems
    query = select(InfoScoreRule.id).where(
        InfoScoreRule.year_from == rule.year_from,
        InfoScoreRule.level == rule.level, InfoScoreRule.basis == rule.basis,
        InfoScoreRule.is_deleted.is_(False),
        InfoScoreRule.publication.is_(None) if not rule.publication else InfoScoreRule.publication == rule.publication)
    if rule.id is not None:
        query = query.where(InfoScoreRule.id != rule.id)
    with session.no_autoflush:
        if session.execute(query.limit(1)).first() is not None:
            problems.append(gettext("A scoring rule for this year, level, basis and publication already exists."))
    return problems


# --- Scores --------------------------------------------------------------------------------
def rule_points(rules, level: Optional[str], basis: str, publication: Optional[str],
                year: Optional[int] = None) -> Decimal:
    """Points of the rule for (level, basis, publication) in force in `year` (the latest
    rules when the year is unknown); the rule naming the publication beats the general
    one; 0 when no rule applies."""
    best = None
    for rule in rules:
        if rule.level != level or rule.basis != basis:
            continue
        if rule.publication and rule.publication != publication:
            continue
        if year is not None and rule.year_from is not None and rule.year_from > year:
            continue
        key = (1 if rule.publication else 0, rule.year_from or 0)
        if best is None or key > best[0]:
            best = (key, rule)
    return Decimal(best[1].points or 0) if best is not None else Decimal("0")


def _year(*days) -> Optional[int]:
    for day in days:
        if day is not None:
            return day.year
    return None


def adoption_points(adoption: InfoAdoption, rules) -> Decimal:
    year = _year(adoption.adopted_at, adoption.sent_at)
    points = Decimal("0")
    if adoption.adopted:
        points += rule_points(rules, adoption.target_level, "CAIYONG", adoption.publication, year)
    if adoption.leader_instructed:
        points += rule_points(rules, adoption.target_level, "PISHI", adoption.publication, year)
    return points


def compute_score(report: InfoReport, rules, *, gone=(), extra=()) -> Decimal:
    """The local adoption's points plus each live adoption's points (`gone`: adoptions being
    deleted; `extra`: new adoptions not yet in the report's collection)."""
    total = Decimal("0")
    if report.screening_result == "CAIYONG":
        total += rule_points(rules, "BENJI", "CAIYONG", report.local_publication,
                             _year(report.screened_at, report.submitted_at))
    adoptions = list(report.adoptions) + [a for a in extra if a not in report.adoptions]
    for adoption in _live(adoptions):
        if adoption in gone:
            continue
        total += adoption_points(adoption, rules)
    return total


def load_rules(session) -> list[InfoScoreRule]:
    return list(session.execute(select(InfoScoreRule).where(InfoScoreRule.is_deleted.is_(False))).scalars())


def _rules(change) -> list[InfoScoreRule]:
    """The scoring rules, read once per flush."""
    if "info_score_rules" not in change.flush:
        change.flush["info_score_rules"] = load_rules(change.session)
    return change.flush["info_score_rules"]


def _rescore(report: InfoReport, change) -> None:
    session = change.session
    if report in session.deleted:
        return
    gone = {o for o in session.deleted if isinstance(o, InfoAdoption)}
    pending = [o for o in session.new if isinstance(o, InfoAdoption) and o.report is None
               and o.report_id is not None and o.report_id == report.id]
    score = compute_score(report, _rules(change), gone=gone, extra=pending)
    if report.score is None or Decimal(report.score) != score:
        report.score = score


def score_report(report: InfoReport, change) -> None:
    """Save hook (views/info.py): whatever path saves an information report (screen, API,
    import), its score follows the scoring rules."""
    _rescore(report, change)


def score_adoption(adoption: InfoAdoption, change) -> None:
    """Save and delete hook (views/info.py): an adoption's points follow the scoring rules,
    and its report's score follows its adoptions (one deleted counts no more)."""
    if not change.deleted:
        points = adoption_points(adoption, _rules(change))
        if adoption.points is None or Decimal(adoption.points) != points:
            adoption.points = points
    report = adoption.report if adoption.report is not None or adoption.report_id is None \
        else change.session.get(InfoReport, adoption.report_id)
    if report is not None:
        _rescore(report, change)
