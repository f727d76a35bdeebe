"""Retirees and the visits paid to them: how the Retired Cadres Division works with them.

Personnel (and its appraisals) is registered in views/org.py, before these.
"""
from app.ledgers import SERIAL, register_ledger
from app.registry import register
from models.base import _l
from models.people import Retiree, RetireeVisit, fill_from_personnel, retiree_problems, visit_problems

register(
    Retiree, group="F13_People", title=_l("Retirees"), item=_l("Retiree"), icon="fa-user-circle-o",
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"birth_date": ["出生年月"], "retire_type": ["离退休类型"], "retire_date": ["离退休日期", "退休时间"],
              "former_department": ["原单位", "原处室"], "former_post": ["退休前职务"], "mobile": ["手机号码"],
              "address": ["住址", "现住址"], "emergency_contact": ["紧急联系人姓名"]},
    on_save=[fill_from_personnel],
    checks=[retiree_problems],
    list=["name", "gender", "retire_type", "retire_date", "former_post", "treatment_level", "party_branch",
          "alive_status"],
    search=["name", "retire_type", "retire_date", "former_department", "former_post", "treatment_level",
            "party_branch", "health_status", "living_alone", "alive_status", "gender"],
    order=["name", "retire_type", "retire_date", "treatment_level", "party_branch", "alive_status"],
    sections=[
        (_l("Basic information"), ["name", "gender", "birth_date", "personnel", "work_start_date"]),
        (_l("Retirement"), ["retire_type", "retire_date", "former_department", "former_post", "former_rank",
                            "treatment_level", "party_branch"]),
        (_l("Contact"), ["address", "mobile", "emergency_contact", "emergency_relation", "emergency_phone"]),
        (_l("Wellbeing"), ["health_status", "living_alone", "alive_status", "date_of_death"]),
        (_l("Remarks"), ["remark"]),
    ],
    # 离退休人员花名册 (docs/domain.md §10): name, gender, born, lixiu/tuixiu, date, former post,
    # treatment, Party branch, health, contact (the phone masked by the export).
    export=["name", "gender", "birth_date", "retire_type", "retire_date", "former_post", "former_rank",
            "treatment_level", "party_branch", "health_status", "living_alone", "alive_status", "emergency_contact",
            "emergency_relation", "emergency_phone"],
    base_order=("retire_date", "desc"),
    related=[RetireeVisit],
)

# The division keeps a visit ledger across retirees (慰问台账): visits get their own menu entry.
register(
    RetireeVisit, group="F13_People", title=_l("Retiree visits"), item=_l("Retiree visit"), icon="fa-gift",
    checks=[visit_problems],
    list=["visit_date", "retiree", "visit_type", "occasion", "visitors", "amount"],
    search=["retiree", "visit_date", "visit_type", "occasion", "visitors"],
    sections=[
        (_l("Visit"), ["retiree", "visit_date", "visit_type", "occasion", "visitors"]),
        (_l("Allowance"), ["amount", "gifts", "remark"]),
    ],
    base_order=("visit_date", "desc"),
)

# --- the ledger (docs/domain.md §10): contacts and health masked unless the reader may see them ---------------
register_ledger(
    "retirees_roster", _l("Retirees roster"), Retiree,
    [SERIAL, "name", "gender", "birth_date", "retire_type", "retire_date", "former_department", "former_post",
     "former_rank", "treatment_level", "party_branch", "health_status", "emergency_contact", "emergency_relation",
     "emergency_phone"],
    note=_l("Retired staff with their former posts, treatment and Party branch; contacts masked."),
)
