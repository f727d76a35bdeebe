"""Organisation and people (docs/domain.md §2): units, personnel, appraisals."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Date, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import (
    BusinessRecord,
    Model,
    _l,
    bilingual,
    child_rows,
    display,
    fk_column,
    label,
    lookup_column,
    parent_key,
    parent_relation,
    reference_seed,
    relation,
)
from models.lookups import define_lookup

UNIT_TYPE = define_lookup(
    "unit_type",
    _l("Unit type"),
    [
        ("DISTRICT", "区人民政府", "District government"),
        ("STREET", "街道办事处（镇政府）", "Street office / town government"),
        ("MUNI_DEPT", "市政府工作部门", "Municipal department"),
        ("DIRECT_AGENCY", "直属机构", "Directly affiliated agency"),
        ("DEV_ZONE", "开发区管委会", "Development zone management committee"),
        ("OFFICE_DIVISION", "办公厅内设处室", "General Office division"),
        ("SUBORDINATE", "所属单位", "Subordinate unit"),
        ("FOREIGN_AFFAIRS", "外事机构", "Foreign-affairs office"),
        ("VERTICAL", "驻厦单位", "Units stationed in Xiamen"),
        ("PARTY_NPC_CPPCC", "党委·人大·政协机关", "Party, NPC and CPPCC organs"),
        ("SOE", "国有企业", "State-owned enterprise"),
        ("EXTERNAL", "外部来文机关", "External issuing authority"),
    ],
)
GENDER = define_lookup("gender", _l("Gender"), [("1", "男", "Male"), ("2", "女", "Female")])
ETHNICITY = define_lookup(
    "ethnicity",
    _l("Ethnicity"),
    [
        (f"{i:02d}", zh, en)
        for i, (zh, en) in enumerate(
            [
                ("汉族", "Han"),
                ("蒙古族", "Mongol"),
                ("回族", "Hui"),
                ("藏族", "Tibetan"),
                ("维吾尔族", "Uyghur"),
                ("苗族", "Miao"),
                ("彝族", "Yi"),
                ("壮族", "Zhuang"),
                ("布依族", "Buyei"),
                ("朝鲜族", "Korean"),
                ("满族", "Manchu"),
                ("侗族", "Dong"),
                ("瑶族", "Yao"),
                ("白族", "Bai"),
                ("土家族", "Tujia"),
                ("哈尼族", "Hani"),
                ("哈萨克族", "Kazakh"),
                ("傣族", "Dai"),
                ("黎族", "Li"),
                ("傈僳族", "Lisu"),
                ("佤族", "Va"),
                ("畲族", "She"),
                ("高山族", "Gaoshan"),
                ("拉祜族", "Lahu"),
                ("水族", "Sui"),
                ("东乡族", "Dongxiang"),
                ("纳西族", "Nakhi"),
                ("景颇族", "Jingpo"),
                ("柯尔克孜族", "Kyrgyz"),
                ("土族", "Monguor"),
                ("达斡尔族", "Daur"),
                ("仫佬族", "Mulao"),
                ("羌族", "Qiang"),
                ("布朗族", "Blang"),
                ("撒拉族", "Salar"),
                ("毛南族", "Maonan"),
                ("仡佬族", "Gelao"),
                ("锡伯族", "Xibe"),
                ("阿昌族", "Achang"),
                ("普米族", "Pumi"),
                ("塔吉克族", "Tajik"),
                ("怒族", "Nu"),
                ("乌孜别克族", "Uzbek"),
                ("俄罗斯族", "Russian"),
                ("鄂温克族", "Evenk"),
                ("德昂族", "De'ang"),
                ("保安族", "Bonan"),
                ("裕固族", "Yugur"),
                ("京族", "Gin"),
                ("塔塔尔族", "Tatar"),
                ("独龙族", "Derung"),
                ("鄂伦春族", "Oroqen"),
                ("赫哲族", "Hezhen"),
                ("门巴族", "Monpa"),
                ("珞巴族", "Lhoba"),
                ("基诺族", "Jino"),
            ],
            start=1,
        )
    ],
)
POLITICAL_STATUS = define_lookup(
    "political_status",
    _l("Political status"),
    [
        ("01", "中共党员", "CPC member"),
        ("02", "中共预备党员", "CPC probationary member"),
        ("03", "共青团员", "Communist Youth League member"),
        ("04", "民革党员", "RCCK member"),
        ("05", "民盟盟员", "CDL member"),
        ("06", "民建会员", "CNDCA member"),
        ("07", "民进会员", "CAPD member"),
        ("08", "农工党党员", "CPWDP member"),
        ("09", "致公党党员", "CZGP member"),
        ("10", "九三学社社员", "Jiusan Society member"),
        ("11", "台盟盟员", "TDSL member"),
        ("12", "无党派人士", "Non-party personage"),
        ("13", "群众", "Ordinary citizen"),
    ],
)
PERSONNEL_CATEGORY = define_lookup(
    "personnel_category",
    _l("Staff category"),
    [
        ("GWY", "公务员", "Civil servant"),
        ("CANGONG", "参照公务员法管理", "Managed as civil servant"),
        ("SHIYE", "事业人员", "Public institution staff"),
        ("GONGQIN", "工勤", "Service staff"),
        ("BIANWAI", "编外", "Non-establishment staff"),
    ],
)
LEADERSHIP_LEVEL = define_lookup(
    "leadership_level",
    _l("Leadership level"),
    [
        ("TJ_ZHENG", "厅局级正职", "Bureau level, chief"),
        ("TJ_FU", "厅局级副职", "Bureau level, deputy"),
        ("XC_ZHENG", "县处级正职", "Division level, chief"),
        ("XC_FU", "县处级副职", "Division level, deputy"),
        ("XK_ZHENG", "乡科级正职", "Section level, chief"),
        ("XK_FU", "乡科级副职", "Section level, deputy"),
    ],
)
RANK = define_lookup(
    "civil_rank",
    _l("Rank"),
    [
        ("XSY1", "一级巡视员", "Inspector, grade 1"),
        ("XSY2", "二级巡视员", "Inspector, grade 2"),
        ("DYY1", "一级调研员", "Consultant, grade 1"),
        ("DYY2", "二级调研员", "Consultant, grade 2"),
        ("DYY3", "三级调研员", "Consultant, grade 3"),
        ("DYY4", "四级调研员", "Consultant, grade 4"),
        ("ZRKY1", "一级主任科员", "Principal staff member, grade 1"),
        ("ZRKY2", "二级主任科员", "Principal staff member, grade 2"),
        ("ZRKY3", "三级主任科员", "Principal staff member, grade 3"),
        ("ZRKY4", "四级主任科员", "Principal staff member, grade 4"),
        ("KY1", "一级科员", "Staff member, grade 1"),
        ("KY2", "二级科员", "Staff member, grade 2"),
    ],
)
APPRAISAL = define_lookup(
    "appraisal_result",
    _l("Appraisal result"),
    [
        ("YOUXIU", "优秀", "Excellent"),
        ("CHENZHI", "称职", "Competent"),
        ("JIBEN", "基本称职", "Basically competent"),
        ("BUCHENZHI", "不称职", "Incompetent"),
    ],
)
PERSONNEL_STATUS = define_lookup(
    "personnel_status",
    _l("Employment status"),
    [
        ("ZAIZHI", "在职", "In post"),
        ("JIEDIAO", "借调", "On secondment"),
        ("GUAZHI", "挂职", "Temporary post"),
        ("DIAOLI", "调离", "Transferred out"),
        ("LITUIXIU", "已离退休", "Retired"),
    ],
)
EDUCATION = define_lookup(
    "education",
    _l("Education"),
    [
        ("BOSHI", "博士研究生", "Doctorate"),
        ("SHUOSHI", "硕士研究生", "Master's"),
        ("BENKE", "大学本科", "Bachelor's"),
        ("ZHUANKE", "大学专科", "Associate degree"),
        ("ZHONGZHUAN", "中专及以下", "Secondary or below"),
    ],
)


class Department(BusinessRecord, Model):
    """A unit: district government, municipal department, office division or external
    issuer. Never deleted when institutions are reformed: old documents cite old names,
    so a unit gets `valid_to` and a successor instead."""

    __small_table__ = True   # a few hundred units: offered as a drop-down filter on every list

    __tablename__ = "department"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("name_zh", "short_name_zh", "name_en")
    __table_args__ = (UniqueConstraint("name_zh", "valid_from", name="uq_department_name_valid_from"),)
    __order__ = ("sort_order", "asc")

    code: Mapped[Optional[str]] = mapped_column(
        String(32),
        index=True,
        info=label(_l("Unit code"), description=_l("Unified social credit code where it exists")),
    )
    name_zh: Mapped[str] = mapped_column(String(100), index=True, info=label(_l("Name (Chinese)")))
    short_name_zh: Mapped[Optional[str]] = mapped_column(
        String(50), info=label(_l("Short name"), description=_l("Used in recipient lists"))
    )
    name_en: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Name (English)")))
    agency_code: Mapped[Optional[str]] = mapped_column(
        String(20), info=label(_l("Agency code"), description=_l("The prefix of its document numbers, e.g. 厦府"))
    )
    unit_type: Mapped[str] = lookup_column(UNIT_TYPE, _l("Unit type"), nullable=False)
    parent_id: Mapped[Optional[int]] = fk_column("department", _l("Parent unit"))
    parent = relation("Department", parent_id, _l("Parent unit"), remote_side="Department.id", backref="children")
    division_code: Mapped[Optional[str]] = mapped_column(
        String(6), info=label(_l("Division code"), description=_l("GB/T 2260 code, e.g. 350203 for Siming"))
    )
    valid_from: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Valid from")))
    valid_to: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Valid to")))
    successor_id: Mapped[Optional[int]] = fk_column("department", _l("Successor unit"))
    successor = relation("Department", successor_id, _l("Successor unit"), remote_side="Department.id")
    sort_order: Mapped[int] = mapped_column(
        Integer, default=100, index=True, info=label(_l("Official order"), description=_l("Order in recipient lists"))
    )
    address: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Address")))
    phone: Mapped[Optional[str]] = mapped_column(String(40), info=label(_l("Office phone")))

    @display(_l("Name"))
    def name(self) -> str:
        return bilingual(self.name_zh, self.name_en)

    def __str__(self) -> str:
        return self.name or ""


class Personnel(BusinessRecord, Model):
    """A member of staff of the office (or a unit it administers)."""

    __tablename__ = "personnel"
    #: Found by the global search by its pinyin initials too (王小明 → wxm: app/search/words.py).
    __person_names__ = ("name",)
    # A unit's staff list, newest first, counted from the index alone (bench/list_latency.py)
    __table_args__ = (Index("ix_personnel_department_live", "department_id", "is_deleted", "id", "name"),)
    __order__ = ("name", "asc")

    name: Mapped[str] = mapped_column(String(50), index=True, info=label(_l("Full name")))
    gender: Mapped[Optional[str]] = lookup_column(GENDER, _l("Gender"))
    ethnicity: Mapped[Optional[str]] = lookup_column(ETHNICITY, _l("Ethnicity"))
    birth_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Date of birth"), sensitive=True))
    id_card_no: Mapped[Optional[str]] = mapped_column(
        String(18), info=label(_l("ID card number"), sensitive=True, mask="id_card")
    )
    native_place: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Native place")))
    # 政治面貌 and 年度考核 are sensitive personal data (docs/domain.md §9): hidden unless the
    # reader's role may see sensitive data, and each unmasked read audited
    political_status: Mapped[Optional[str]] = lookup_column(POLITICAL_STATUS, _l("Political status"),
                                                            sensitive=True, mask="other")
    party_join_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Joined the Party")))
    work_start_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Started working")))
    education: Mapped[Optional[str]] = lookup_column(EDUCATION, _l("Education"))
    category: Mapped[Optional[str]] = lookup_column(PERSONNEL_CATEGORY, _l("Staff category"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Department"))
    department = relation("Department", department_id, _l("Department"))
    post_title: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Post")))
    post_since: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("In current post since")))
    leadership_level: Mapped[Optional[str]] = lookup_column(LEADERSHIP_LEVEL, _l("Leadership level"))
    rank: Mapped[Optional[str]] = lookup_column(RANK, _l("Rank"))
    mobile: Mapped[Optional[str]] = mapped_column(String(20), info=label(_l("Mobile"), sensitive=True, mask="phone"))
    status: Mapped[str] = lookup_column(PERSONNEL_STATUS, _l("Employment status"), nullable=False, default="ZAIZHI")
    party_branch: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Party branch")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    appraisals = child_rows("PersonnelAppraisal", "personnel", _l("Annual appraisals"),
                            order_by="PersonnelAppraisal.year.desc()", owned=False)

    def __str__(self) -> str:
        return self.name or ""


class PersonnelAppraisal(BusinessRecord, Model):
    """One year's appraisal result (年度考核) of a member of staff."""

    __tablename__ = "personnel_appraisal"
    __table_args__ = (UniqueConstraint("personnel_id", "year", name="uq_appraisal_person_year"),)

    personnel_id: Mapped[int] = parent_key("personnel", _l("Personnel"), ondelete=None)
    personnel = parent_relation("Personnel", "appraisals", _l("Personnel"))
    year: Mapped[int] = mapped_column(Integer, info=label(_l("Year")))
    result: Mapped[str] = lookup_column(APPRAISAL, _l("Appraisal result"), nullable=False, sensitive=True,
                                        mask="other")
    remark: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return f"{self.year}"


class UnitAlias(BusinessRecord, Model):
    """Other names of units (单位别名): the names clerks write in their ledgers.

    A ledger names a unit as people say it — 市发展改革委, 市住房城乡建设局, 思明区 — while the
    unit list holds 厦门市发展和改革委员会 with the short name 市发改委. An alias maps one such
    name to the full Chinese name of a unit in the unit list (by name, not by id: `flask
    init-office` seeds the usual names before any unit is loaded, and an alias keeps working
    when the units are reloaded). The importer reads the table (app/importer/references.py);
    admins edit it in the console (Codes and time limits → Unit aliases)."""

    __tablename__ = "unit_alias"
    __order__ = ("unit_name", "asc")

    alias: Mapped[str] = mapped_column(String(100), unique=True, info=label(
        _l("Other name"), description=_l("As ledgers write it, e.g. 市发展改革委 or 思明区")))
    unit_name: Mapped[str] = mapped_column(String(100), index=True, info=label(
        _l("Unit (full Chinese name)"), description=_l("Exactly as in the unit list, e.g. 厦门市发展和改革委员会")))
    note: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Note")))

    def __str__(self) -> str:
        return f"{self.alias} → {self.unit_name}"


#: (other name, full name of the unit): the official short names (机构简称) of the units
#: the office works with, where they differ from the short name the unit list carries,
#: and the districts by their plain names. "厦门市…" forms need no row: the importer
#: tries a name with and without the 厦门市 prefix.
SEED_ALIASES = [
    ("市发展改革委", "厦门市发展和改革委员会"),
    ("市发改委", "厦门市发展和改革委员会"),
    ("市发展和改革委", "厦门市发展和改革委员会"),
    ("市工业和信息化局", "厦门市工业和信息化局"),
    ("市科学技术局", "厦门市科学技术局"),
    ("市人力资源社会保障局", "厦门市人力资源和社会保障局"),
    ("市人社局", "厦门市人力资源和社会保障局"),
    ("市自然资源和规划局", "厦门市自然资源和规划局"),
    ("市资源规划局", "厦门市自然资源和规划局"),
    ("市自然资源局", "厦门市自然资源和规划局"),
    ("市住房城乡建设局", "厦门市住房和建设局"),
    ("市住建局", "厦门市住房和建设局"),
    ("市建设局", "厦门市住房和建设局"),
    ("市卫生健康委", "厦门市卫生健康委员会"),
    ("市卫健委", "厦门市卫生健康委员会"),
    ("市应急管理局", "厦门市应急管理局"),
    ("市应急局", "厦门市应急管理局"),
    ("市文化和旅游局", "厦门市文化和旅游局"),
    ("市退役军人局", "厦门市退役军人事务局"),
    ("市市场监督管理局", "厦门市市场监督管理局"),
    ("市场监管局", "厦门市市场监督管理局"),
    ("市医疗保障局", "厦门市医疗保障局"),
    ("市城市管理局", "厦门市城市管理行政执法局"),
    ("市城管执法局", "厦门市城市管理行政执法局"),
    ("市国资委", "厦门市国有资产监督管理委员会"),
    ("市政府外办", "厦门市人民政府外事办公室"),
    ("市外办", "厦门市人民政府外事办公室"),
    ("市政府台港澳办", "厦门市人民政府台港澳事务办公室"),
    ("市数据管理局", "厦门市数据管理局"),
    ("市数据局", "厦门市数据管理局"),
    ("市行政审批管理局", "厦门市数据管理局"),
    ("市大数据管理局", "厦门市数据管理局"),
    ("市大数据局", "厦门市数据管理局"),
    ("厦门市大数据管理局", "厦门市数据管理局"),
    ("思明区", "思明区人民政府"),
    ("海沧区", "海沧区人民政府"),
    ("湖里区", "湖里区人民政府"),
    ("集美区", "集美区人民政府"),
    ("同安区", "同安区人民政府"),
    ("翔安区", "翔安区人民政府"),
]


@reference_seed
def seed_unit_aliases(session) -> int:
    """Insert the usual names that are missing; an admin's edits and deletions of other
    rows stay as they are."""
    existing = set(session.scalars(select(UnitAlias.alias)))
    added = 0
    for alias, unit_name in SEED_ALIASES:
        if alias not in existing:
            session.add(UnitAlias(alias=alias, unit_name=unit_name))
            existing.add(alias)
            added += 1
    session.flush()
    return added
