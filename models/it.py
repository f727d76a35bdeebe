"""Government informatization projects (信息化项目, docs/domain.md §7, function 11).

An `ITProject` is one informatization project of a municipal unit, followed from its
proposal (项目建议书) through approval, procurement, construction, trial operation and
acceptance to operation, post-evaluation and retirement. It carries its money in
万元 (approved budget ≥ contract amount ≥ amount paid), its classified-protection
(等级保护, GB/T 22239-2019) filing and assessment, its commercial-cryptography
assessment (密评) and whether it shares data. `ITProjectMilestone` rows are its
schedule: planned and actual dates, deliverables.

A project's status moves only through its workflow (views/it.py), which stamps the
approval, contract, start, go-live and acceptance dates; a milestone's status is a plain
field (it tracks a schedule row, nobody decides it). The rules are pure functions
(`it_project_problems`, `milestone_problems`) returning translated messages.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from flask_babel import gettext
from sqlalchemy import CheckConstraint, Date, Integer, Numeric, String, Text
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
from models.lookups import define_lookup

# --- Enumerations (docs/domain.md §7) ----------------------------------------------------------
IT_PROJECT_TYPE = define_lookup("it_project_type", _l("Project type"), [
    ("XINJIAN", "新建", "New build"),
    ("SHENGJI", "升级改造", "Upgrade"),
    ("YUNWEI", "运维", "Operation and maintenance"),
    ("PINGTAI", "平台", "Platform"),
    ("SHUJU", "数据", "Data"),
])
IT_NETWORK = define_lookup("it_network", _l("Network"), [
    ("HULIANWANG", "互联网", "Internet"),
    ("ZWWW", "电子政务外网", "E-government extranet"),
])
IT_FUNDING = define_lookup("it_funding_source", _l("Funding source"), [
    ("SHIJI", "市级财政资金", "Municipal budget"),
    ("SHANGJI", "上级补助资金", "Grants from higher levels"),
    ("ZHAIQUAN", "地方政府专项债券", "Local government special bonds"),
    ("QUJI", "区级财政资金", "District budget"),
    ("ZICHOU", "单位自筹", "Unit's own funds"),
    ("QITA", "其他", "Other"),
])
IT_APPROVAL_STAGE = define_lookup("it_approval_stage", _l("Approval stage"), [
    ("JIANYISHU", "项目建议书", "Project proposal"),
    ("KEYAN", "可研报告", "Feasibility study"),
    ("CHUSHE", "初步设计及概算", "Preliminary design and budget estimate"),
])
IT_PROCUREMENT = define_lookup("it_procurement_method", _l("Procurement method"), [
    ("GKZB", "公开招标", "Open tender"),
    ("YQZB", "邀请招标", "Invited tender"),
    ("JZXTP", "竞争性谈判", "Competitive negotiation"),
    ("JZXCS", "竞争性磋商", "Competitive consultation"),
    ("DYLY", "单一来源", "Single source"),
    ("XUNJIA", "询价", "Request for quotation"),
    ("KJXY", "框架协议", "Framework agreement"),
])
IT_DJCP_LEVEL = define_lookup("it_djcp_level", _l("Classified protection level"), [
    ("1", "第一级", "Level 1"),
    ("2", "第二级", "Level 2"),
    ("3", "第三级", "Level 3"),
    ("4", "第四级", "Level 4"),
    ("5", "第五级", "Level 5"),
])
IT_DJCP_RESULT = define_lookup("it_djcp_result", _l("Assessment conclusion"), [
    ("YOU", "优", "Excellent"),
    ("LIANG", "良", "Good"),
    ("ZHONG", "中", "Fair"),
    ("CHA", "差", "Poor"),
])
IT_CRYPTO_RESULT = define_lookup("it_crypto_result", _l("Cryptography assessment conclusion"), [
    ("FUHE", "符合", "Compliant"),
    ("JIBEN", "基本符合", "Basically compliant"),
    ("BUFUHE", "不符合", "Non-compliant"),
])
IT_STATUS = define_lookup("it_project_status", _l("Project status"), [
    ("PROPOSED", "已申报", "Proposed"),
    ("APPROVED", "已批复", "Approved"),
    ("PROCURING", "采购中", "Procuring"),
    ("CONTRACTED", "已签约", "Contracted"),
    ("BUILDING", "建设中", "Under construction"),
    ("TRIAL", "试运行", "Trial operation"),
    ("PRELIM_ACCEPTED", "已初验", "Preliminarily accepted"),
    ("ACCEPTED", "已终验", "Finally accepted"),
    ("OPERATING", "运行中", "Operating"),
    ("EVALUATED", "已绩效评价", "Evaluated"),
    ("RETIRED", "已下线", "Retired"),
])
IT_MILESTONE_STATUS = define_lookup("it_milestone_status", _l("Milestone status"), [
    ("PLANNED", "未开始", "Not started"),
    ("IN_PROGRESS", "进行中", "In progress"),
    ("DONE", "已完成", "Done"),
    ("DELAYED", "已延误", "Delayed"),
    ("CANCELLED", "已取消", "Cancelled"),
])

#: 等保 levels at which a system must be filed with the public security organ (GB/T 22239-2019
#: and the 网络安全等级保护 rules: level 3 and above are filed and assessed every year).
FILING_LEVELS = frozenset({"3", "4", "5"})
#: States in which the system runs in production: a level-3+ system needs its filing number.
#: RETIRED is left out: a system taken offline has its filing cancelled.
RUNNING_STATES = frozenset({"OPERATING", "EVALUATED"})

MONEY = Numeric(12, 2)


def _money(text, description=None):
    extra = {"description": description} if description is not None else {}
    return mapped_column(MONEY, info=label(text, **extra))


def _amount(value) -> str:
    """万元 with two decimals, as the ledger shows it."""
    return f"{Decimal(value):,.2f}"


class ITProject(BusinessRecord, Model):
    """信息化项目: one government informatization project, from proposal to retirement."""

    __tablename__ = "it_project"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("code", "name")
    __order__ = ("code", "asc")
    __table_args__ = (
        CheckConstraint("budget_approved IS NULL OR budget_approved >= 0", name="ck_it_project_budget"),
        CheckConstraint("contract_amount IS NULL OR contract_amount >= 0", name="ck_it_project_contract"),
        CheckConstraint("paid_amount IS NULL OR paid_amount >= 0", name="ck_it_project_paid"),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True, index=True, info=label(
        _l("Project code"), description=_l(
            "Unique; usually the investment project code, e.g. 2026-350200-65-01-012345")))
    name: Mapped[str] = mapped_column(String(200), index=True, info=label(_l("Project name")))
    owner_department_id: Mapped[Optional[int]] = fk_column("department", _l("Owner unit"), description=_l(
        "The unit that builds and runs the system"))
    owner_department = relation("Department", owner_department_id, _l("Owner unit"))
    project_type: Mapped[str] = lookup_column(IT_PROJECT_TYPE, _l("Project type"), nullable=False,
                                              default="XINJIAN")
    network: Mapped[Optional[str]] = lookup_column(IT_NETWORK, _l("Network"))
    funding_source: Mapped[Optional[str]] = lookup_column(IT_FUNDING, _l("Funding source"))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Construction content")))
    contact_person: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Contact person")))

    # approval and procurement
    approval_stage: Mapped[Optional[str]] = lookup_column(IT_APPROVAL_STAGE, _l("Approval stage"), description=_l(
        "The last document approved: proposal, feasibility study, preliminary design and estimate"))
    approval_doc_no: Mapped[Optional[str]] = mapped_column(String(60), info=label(
        _l("Approval document number"), description=_l("e.g. 厦发改审〔2026〕12号")))
    approved_on: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Approved on")))
    procurement_method: Mapped[Optional[str]] = lookup_column(IT_PROCUREMENT, _l("Procurement method"))
    vendor: Mapped[Optional[str]] = mapped_column(String(200), index=True, info=label(
        _l("Vendor"), description=_l("The contractor that builds the system")))
    contract_signed_on: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Contract signed on")))

    # money, in 万元
    budget_approved: Mapped[Optional[Decimal]] = _money(_l("Approved budget (10k yuan)"))
    contract_amount: Mapped[Optional[Decimal]] = _money(_l("Contract amount (10k yuan)"), _l(
        "Not more than the approved budget"))
    paid_amount: Mapped[Optional[Decimal]] = _money(_l("Amount paid (10k yuan)"), _l(
        "Not more than the contract amount"))

    # schedule
    start_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Start date")))
    go_live_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Go-live date"), description=_l("Not earlier than the start date")))
    prelim_acceptance_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Preliminary acceptance date")))
    final_acceptance_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Final acceptance date"), description=_l("Not earlier than the preliminary acceptance")))

    # security: classified protection (等保) and commercial cryptography (密评)
    djcp_level: Mapped[Optional[str]] = lookup_column(IT_DJCP_LEVEL, _l("Classified protection level"),
                                                      description=_l("GB/T 22239-2019, levels 1 to 5"))
    djcp_filing_no: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Protection filing number"),
        description=_l("Required for level 3 and above once the system operates")))
    djcp_assessed_on: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Protection assessed on")))
    djcp_result: Mapped[Optional[str]] = lookup_column(IT_DJCP_RESULT, _l("Protection assessment conclusion"))
    # Nullable only because FAB turns a NOT NULL boolean into a required checkbox.
    crypto_assessed: Mapped[Optional[bool]] = flag(_l("Cryptography assessed"))
    crypto_assessed_on: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Cryptography assessed on")))
    crypto_result: Mapped[Optional[str]] = lookup_column(IT_CRYPTO_RESULT, _l("Cryptography assessment conclusion"))
    data_sharing: Mapped[Optional[bool]] = flag(_l("Shares data"))
    data_sharing_note: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Data sharing note"), description=_l("What is shared, with whom, through which platform")))

    status: Mapped[str] = lookup_column(IT_STATUS, _l("Status"), nullable=False, default="PROPOSED")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    milestones = child_rows("ITProjectMilestone", "project", _l("Milestones"), order_by="ITProjectMilestone.seq")

    @display(_l("Paid share (%)"))
    def paid_percent(self) -> Optional[Decimal]:
        if not self.contract_amount or self.paid_amount is None:
            return None
        return (Decimal(self.paid_amount) * 100 / Decimal(self.contract_amount)).quantize(Decimal("0.1"))

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else (self.name or "")


class ITProjectMilestone(BusinessRecord, Model):
    """项目节点: one step of a project's schedule, with its deliverable."""

    __tablename__ = "it_project_milestone"

    project_id: Mapped[int] = parent_key("it_project", _l("IT project"))
    project = parent_relation("ITProject", "milestones", _l("IT project"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    name: Mapped[str] = mapped_column(String(200), info=label(_l("Milestone")))
    planned_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Planned date")))
    actual_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Actual date")))
    deliverable: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Deliverable"), description=_l("e.g. 需求规格说明书, 初验报告")))
    status: Mapped[str] = lookup_column(IT_MILESTONE_STATUS, _l("Status"), nullable=False, default="PLANNED")
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}" if self.seq else (self.name or "")


# --- Checks docs/domain.md states (pure: they read, never write) -----------------------------------
def it_project_problems(project: ITProject) -> list[str]:
    """Money: paid ≤ contract ≤ approved budget, none negative. Dates: go-live not before
    the start, final acceptance not before the preliminary one. Security: a system at
    等保 level 3 or above runs only with its filing number."""
    problems: list[str] = []
    budget, contract, paid = project.budget_approved, project.contract_amount, project.paid_amount
    if any(v is not None and Decimal(v) < 0 for v in (budget, contract, paid)):
        problems.append(gettext("Amounts cannot be negative."))
    if paid is not None and contract is not None and Decimal(paid) > Decimal(contract):
        problems.append(gettext(
            "The amount paid (%(paid)s) cannot exceed the contract amount (%(contract)s), in 10k yuan.",
            paid=_amount(paid), contract=_amount(contract)))
    if contract is not None and budget is not None and Decimal(contract) > Decimal(budget):
        problems.append(gettext(
            "The contract amount (%(contract)s) cannot exceed the approved budget (%(budget)s), in 10k yuan.",
            contract=_amount(contract), budget=_amount(budget)))
    elif contract is None and paid is not None and budget is not None and Decimal(paid) > Decimal(budget):
        problems.append(gettext(
            "The amount paid (%(paid)s) cannot exceed the approved budget (%(budget)s), in 10k yuan.",
            paid=_amount(paid), budget=_amount(budget)))
    if project.start_date and project.go_live_date and project.go_live_date < project.start_date:
        problems.append(gettext("The go-live date cannot be earlier than the start date."))
    if project.prelim_acceptance_date and project.final_acceptance_date \
            and project.final_acceptance_date < project.prelim_acceptance_date:
        problems.append(gettext("The final acceptance date cannot be earlier than the preliminary acceptance date."))
    if project.djcp_level in FILING_LEVELS and project.status in RUNNING_STATES \
            and not (project.djcp_filing_no or "").strip():
        problems.append(gettext("A system at classified protection level 3 or above needs its filing number "
                                "once it is operating."))
    return problems


def milestone_problems(milestone: ITProjectMilestone) -> list[str]:
    """A milestone marked done says when it was done."""
    if milestone.status == "DONE" and milestone.actual_date is None:
        return [gettext("A milestone that is done needs its actual date.")]
    return []
