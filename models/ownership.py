"""Function ownership (DESIGN.md "Scoped, three ways", rule 1): which office divisions run
which function of the office.

The supervision office works on supervision items whose lead unit is an outside
department; the unit scope alone (lead or co-handling unit) showed it none of them. A row
here says "the users of this unit (and the units under it) see and work every record of
this function". An admin edits the table in the console; the demo data fills it with the
office's usual division of work (app/demo/org.py `FUNCTION_OWNERS`).
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import BusinessRecord, Model, _l, fk_column, label, lookup_column, relation
from models.lookups import define_lookup

#: The office's functions: the menu groups of app/menu.py, by the same keys.
OFFICE_FUNCTION = define_lookup(
    "office_function",
    _l("Function of the office"),
    [
        ("F01_Meetings", "会议与议定事项", "Meetings & decisions"),
        ("F02_Documents", "公文与公报", "Documents & gazette"),
        ("F03_DistrictRequests", "区政府请示", "District requests"),
        ("F04_Disputes", "部门争议协调", "Department disputes"),
        ("F05_Duty", "值班与应急", "Duty & emergencies"),
        ("F06_Supervision", "督查督办", "Supervision"),
        ("F07_Proposals", "建议提案办理", "NPC & CPPCC proposals"),
        ("F08_Research", "调查研究", "Research"),
        ("F09_Information", "政务信息", "Government information"),
        ("F10_Hotline", "12345热线与市长信箱", "12345 Hotline & Mayor's Mailbox"),
        ("F11_IT", "信息化建设", "Informatization"),
        ("F12_Organisation", "单位与部门", "Units & departments"),
        ("F13_People", "人事、党建与离退休", "Personnel, Party & retirees"),
        ("F14_Services", "后勤与接待", "Logistics & reception"),
        ("F15_LeaderTasks", "领导交办", "Leaders' assignments"),
    ],
)


class FunctionOwner(BusinessRecord, Model):
    """职能归口: one unit that runs one function."""

    __tablename__ = "function_owner"
    __table_args__ = (UniqueConstraint("function", "department_id", name="uq_function_owner"),)
    __order__ = ("function", "asc")

    function: Mapped[str] = lookup_column(OFFICE_FUNCTION, _l("Function"), nullable=False)
    department_id: Mapped[int] = fk_column("department", _l("Owning unit"), nullable=False, description=_l(
        "Its users, and those of the units under it, see and work every record of the function"))
    department = relation("Department", department_id, _l("Owning unit"))
    note: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Note")))

    def __str__(self) -> str:
        return f"{self.function} · {self.department}"
