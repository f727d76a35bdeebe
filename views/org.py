"""Units and people: how clerks and managers work with them."""
from app.ledgers import SERIAL, register_ledger
from app.registry import register
from models.base import _l
from models.org import Department, Personnel, PersonnelAppraisal
from models.party import members_follow_name

register(
    Department, group="F12_Organisation", title=_l("Units"), item=_l("Unit"), icon="fa-sitemap",
    scope=(),   # the organisation tree is the office's common reference
    admin_edits=True,   # a user's scope is his unit and the units under it: only admins move units
    list=["name_zh", "short_name_zh", "unit_type", "agency_code", "parent", "division_code", "sort_order"],
    search=["name_zh", "name_en", "short_name_zh", "unit_type", "agency_code", "parent", "code"],
    sections=[
        (_l("Identity"), ["name_zh", "short_name_zh", "name_en", "code", "agency_code", "unit_type"]),
        (_l("Place in the organisation"), ["parent", "division_code", "sort_order", "address", "phone"]),
        (_l("Validity"), ["valid_from", "valid_to", "successor"]),
    ],
    base_order=("sort_order", "asc"),
    related=[Personnel],
)

register(
    PersonnelAppraisal, group="F13_People", title=_l("Annual appraisals"), item=_l("Annual appraisal"), menu=False,
    list=["personnel", "year", "result", "remark"],
    sections=[(_l("Appraisal"), ["personnel", "year", "result", "remark"])],
    base_order=("year", "desc"),
)

register(
    Personnel, group="F13_People", title=_l("Personnel"), item=_l("Personnel record"), icon="fa-id-card-o",
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"name": ["姓 名"], "gender": ["性 别"], "birth_date": ["出生年月", "出生时间"],
              "id_card_no": ["身份证号码", "公民身份号码"], "native_place": ["籍 贯"],
              "education": ["文化程度", "学历学位"], "mobile": ["手机号码"],
              "party_join_date": ["入党日期", "入党年月"], "department": ["工作单位", "所在单位"],
              "post_title": ["现任职务", "职务名称"], "post_since": ["任现职日期", "任职时间"],
              "leadership_level": ["职务级别"], "work_start_date": ["参加工作日期", "参加工作年月"]},
    on_change=[members_follow_name],   # a rename reaches his Party membership records
    list=["name", "gender", "department", "post_title", "leadership_level", "rank", "political_status", "status"],
    search=["name", "department", "post_title", "gender", "political_status", "leadership_level", "rank",
            "category", "status", "education"],
    sections=[
        (_l("Basic information"), ["name", "gender", "ethnicity", "birth_date", "id_card_no", "native_place",
                                   "education", "mobile"]),
        (_l("Political status"), ["political_status", "party_join_date", "party_branch"]),
        (_l("Post"), ["department", "category", "post_title", "post_since", "leadership_level", "rank",
                      "work_start_date", "status"]),
        (_l("Remarks"), ["remark"]),
    ],
    related=[PersonnelAppraisal],
)

# --- the ledger (docs/domain.md §10): never the ID number, never the mobile ------------------------------
register_ledger(
    "staff_roster", _l("Staff roster"), Personnel,
    [SERIAL, "name", "gender", "ethnicity", "birth_date", "native_place", "political_status", "party_join_date",
     "work_start_date", "education", "post_title", "leadership_level", "rank", "post_since", "department",
     "status"],
    note=_l("The staff with their posts and ranks; no ID number and no mobile number."),
)
