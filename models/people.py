"""Retirees of the General Office (离退休人员, docs/domain.md §2, function 13).

A `Retiree` is a former member of staff the Retired Cadres Division (离退休干部处) looks
after. Many retired long before this system existed, so the link to their `Personnel`
record is optional and the retiree carries name, gender and birth date himself (when a
personnel record is linked, empty ones are filled from it). 离休 (LIXIU) is reserved
for those who started working before the founding of the People's Republic
(1949-10-01); everyone else is 退休 (TUIXIU). Contact details, birth date and health are
personal information (docs/domain.md §9): marked sensitive and masked by default.

`RetireeVisit` rows are the visits and allowances (慰问): festival visits (春节, 重阳节),
birthdays, hospital visits and hardship assistance, with the amount in yuan.

The rules are pure functions (`retiree_problems`, `visit_problems`) returning translated
messages.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from flask import has_app_context
from flask_babel import gettext
from sqlalchemy import CheckConstraint, Date, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import (
    BusinessRecord,
    Model,
    _l,
    child_rows,
    fk_column,
    flag,
    label,
    lookup_column,
    parent_key,
    parent_relation,
    relation,
    today_cn,
)
from models.lookups import define_lookup
from models.org import GENDER

# --- Enumerations (docs/domain.md §2) ----------------------------------------------------------
# 退休 first: it is what a clerk enters nine times out of ten (and the default).
RETIRE_TYPE = define_lookup("retiree_type", _l("Retirement type"), [
    ("TUIXIU", "退休", "Retired"),
    ("LIXIU", "离休", "Retired veteran (lixiu)"),
])
TREATMENT_LEVEL = define_lookup("retiree_treatment", _l("Treatment level"), [
    ("SB_FU", "省部级副职", "Provincial or ministerial level, deputy"),
    ("TJ_ZHENG", "厅局级正职", "Bureau level, chief"),
    ("TJ_FU", "厅局级副职", "Bureau level, deputy"),
    ("XC_ZHENG", "县处级正职", "Division level, chief"),
    ("XC_FU", "县处级副职", "Division level, deputy"),
    ("XK_ZHENG", "乡科级正职", "Section level, chief"),
    ("XK_FU", "乡科级副职", "Section level, deputy"),
    ("QITA", "其他", "Other"),
])
HEALTH_STATUS = define_lookup("retiree_health", _l("Health status"), [
    ("LIANGHAO", "良好", "Good"),
    ("MANBING", "慢病", "Chronic illness"),
    ("SHINENG", "失能·半失能", "Disabled or semi-disabled"),
    ("ZHUYUAN", "住院", "In hospital"),
])
ALIVE_STATUS = define_lookup("retiree_alive", _l("Living status"), [
    ("JIANZAI", "健在", "Living"),
    ("YIGU", "已故", "Deceased"),
])
VISIT_TYPE = define_lookup("retiree_visit_type", _l("Visit type"), [
    ("JIERI", "节日慰问", "Festival visit"),
    ("SHENGRI", "生日", "Birthday"),
    ("ZHUYUAN", "住院探视", "Hospital visit"),
    ("KUNNAN", "困难帮扶", "Hardship assistance"),
])

#: 离休 (中共中央〔1982〕13号 and the 离休 rules): only cadres who joined the revolution /
#: started working before the People's Republic was founded.
LIXIU_CUTOFF = dt.date(1949, 10, 1)


class Retiree(BusinessRecord, Model):
    """离退休人员: a retired member of the office's staff."""

    __tablename__ = "retiree"
    #: Found by the global search by its pinyin initials too (王小明 → wxm: app/search/words.py).
    __person_names__ = ("name",)
    __order__ = ("name", "asc")

    personnel_id: Mapped[Optional[int]] = fk_column("personnel", _l("Personnel record"), description=_l(
        "Optional: many retirees left before this system existed"))
    personnel = relation("Personnel", personnel_id, _l("Personnel record"))
    name: Mapped[str] = mapped_column(String(50), index=True, info=label(_l("Full name")))
    gender: Mapped[Optional[str]] = lookup_column(GENDER, _l("Gender"))
    birth_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Date of birth"), sensitive=True))
    work_start_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Started working"), description=_l("Lixiu requires a date before 1 October 1949")))

    retire_type: Mapped[str] = lookup_column(RETIRE_TYPE, _l("Retirement type"), nullable=False, default="TUIXIU")
    retire_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Retirement date")))
    former_department_id: Mapped[Optional[int]] = fk_column("department", _l("Former unit"))
    former_department = relation("Department", former_department_id, _l("Former unit"))
    former_post: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Former post")))
    former_rank: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Former rank"), description=_l("e.g. 二级巡视员, 正处级调研员")))
    treatment_level: Mapped[Optional[str]] = lookup_column(TREATMENT_LEVEL, _l("Treatment level"))
    party_branch: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Party branch")))

    # contact (personal information)
    address: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Home address"), sensitive=True, mask="address"))
    mobile: Mapped[Optional[str]] = mapped_column(String(20), info=label(_l("Mobile"), sensitive=True, mask="phone"))
    emergency_contact: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Emergency contact"), sensitive=True, mask="name"))
    emergency_relation: Mapped[Optional[str]] = mapped_column(String(20), info=label(
        _l("Relationship"), description=_l("e.g. 儿子, 女儿, 配偶")))
    emergency_phone: Mapped[Optional[str]] = mapped_column(String(20), info=label(
        _l("Emergency contact phone"), sensitive=True, mask="phone"))

    # wellbeing (personal information)
    health_status: Mapped[Optional[str]] = lookup_column(HEALTH_STATUS, _l("Health status"), sensitive=True)
    # Nullable only because FAB turns a NOT NULL boolean into a required checkbox.
    living_alone: Mapped[Optional[bool]] = flag(_l("Living alone"), index=True)
    alive_status: Mapped[str] = lookup_column(ALIVE_STATUS, _l("Living status"), nullable=False, default="JIANZAI")
    date_of_death: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Date of death")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    visits = child_rows("RetireeVisit", "retiree", _l("Visits"), order_by="RetireeVisit.visit_date.desc()")

    def linked_personnel(self):
        """The personnel record, also when only its id is set (a form or API save not yet flushed)."""
        if self.personnel is not None or self.personnel_id is None or not has_app_context():
            return self.personnel
        from app.extensions import db
        from models.org import Personnel

        return db.session.get(Personnel, self.personnel_id)

    def effective_work_start(self) -> Optional[dt.date]:
        """The date he started working: his own, else his personnel record's."""
        if self.work_start_date is not None:
            return self.work_start_date
        return getattr(self.linked_personnel(), "work_start_date", None)

    def __str__(self) -> str:
        return self.name or ""


class RetireeVisit(BusinessRecord, Model):
    """慰问: one visit to a retiree (festival, birthday, hospital, hardship), with the money given."""

    __tablename__ = "retiree_visit"
    __table_args__ = (CheckConstraint("amount IS NULL OR amount >= 0", name="ck_retiree_visit_amount"),)

    retiree_id: Mapped[int] = parent_key("retiree", _l("Retiree"))
    retiree = parent_relation("Retiree", "visits", _l("Retiree"))
    visit_date: Mapped[dt.date] = mapped_column(Date, default=today_cn, index=True, info=label(_l("Visit date")))
    visit_type: Mapped[str] = lookup_column(VISIT_TYPE, _l("Visit type"), nullable=False, default="JIERI")
    occasion: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Occasion"), description=_l("e.g. 2026年春节, 重阳节, 九十寿辰")))
    visitors: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Visitors"), description=_l("Who went, e.g. leaders and staff of the Retired Cadres Division")))
    amount: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2), info=label(
        _l("Amount (yuan)"), description=_l("Allowance given; not negative")))
    gifts: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Gifts")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        who = str(self.retiree) if self.retiree is not None else ""
        return f"{who} {self.visit_date or ''}".strip()


# --- Checks docs/domain.md states (pure: they read, never write) -----------------------------------
def retiree_problems(retiree: Retiree) -> list[str]:
    """离休 only for those who started working before 1949-10-01; a deceased retiree has a
    date of death (and only a deceased one); dates in their natural order."""
    problems: list[str] = []
    if retiree.retire_type == "LIXIU":
        start = retiree.effective_work_start()
        if start is None:
            problems.append(gettext("Lixiu requires the date the person started working, before 1 October 1949."))
        elif start >= LIXIU_CUTOFF:
            problems.append(gettext("Lixiu is only for those who started working before 1 October 1949 "
                                    "(this person started on %(date)s): choose Retired.", date=start.isoformat()))
    if retiree.alive_status == "YIGU":
        if retiree.date_of_death is None:
            problems.append(gettext("A deceased retiree needs the date of death."))
        elif retiree.date_of_death > today_cn():
            problems.append(gettext("The date of death cannot be in the future."))
    elif retiree.date_of_death is not None:
        problems.append(gettext("Only a deceased retiree has a date of death: set the living status to Deceased."))
    if retiree.birth_date and retiree.retire_date and retiree.retire_date <= retiree.birth_date:
        problems.append(gettext("The retirement date must be later than the date of birth."))
    start = retiree.work_start_date
    if start and retiree.retire_date and retiree.retire_date < start:
        problems.append(gettext("The retirement date cannot be earlier than the date the person started working."))
    if retiree.date_of_death and retiree.birth_date and retiree.date_of_death < retiree.birth_date:
        problems.append(gettext("The date of death cannot be earlier than the date of birth."))
    return problems


def visit_problems(visit: RetireeVisit) -> list[str]:
    """The money given on a visit is never negative."""
    if visit.amount is not None and Decimal(visit.amount) < 0:
        return [gettext("The amount of a visit cannot be negative.")]
    return []


def fill_from_personnel(retiree: Retiree, change) -> None:
    """Save hook (views/people.py): whatever path saves a retiree linked to a personnel
    record (screen, API, import), gender, birth date and work start left empty are taken
    from that record."""
    from models.org import Personnel

    person = retiree.personnel
    if person is None and retiree.personnel_id is not None:
        person = change.session.get(Personnel, retiree.personnel_id)
    if person is None:
        return
    for name in ("gender", "birth_date", "work_start_date"):
        if getattr(retiree, name) is None and getattr(person, name, None) is not None:
            setattr(retiree, name, getattr(person, name))
