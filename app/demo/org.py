"""Xiamen's districts, municipal departments, the office's divisions, external issuers,
the office's staff, and one demo login per role."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from app.demo.names import date_between, id_card, mobile, person_name
from models.org import Department, Personnel, PersonnelAppraisal
from models.ownership import FunctionOwner

DISTRICTS = [
    ("思明区人民政府", "思明区政府", "Siming District Government", "思政", "350203"),
    ("海沧区人民政府", "海沧区政府", "Haicang District Government", "海政", "350205"),
    ("湖里区人民政府", "湖里区政府", "Huli District Government", "湖政", "350206"),
    ("集美区人民政府", "集美区政府", "Jimei District Government", "集政", "350211"),
    ("同安区人民政府", "同安区政府", "Tong'an District Government", "同政", "350212"),
    ("翔安区人民政府", "翔安区政府", "Xiang'an District Government", "翔政", "350213"),
]
MUNI_DEPTS = [
    ("厦门市发展和改革委员会", "市发改委", "Xiamen Development and Reform Commission", "厦发改"),
    ("厦门市教育局", "市教育局", "Xiamen Education Bureau", "厦教"),
    ("厦门市科学技术局", "市科技局", "Xiamen Science and Technology Bureau", "厦科"),
    ("厦门市工业和信息化局", "市工信局", "Xiamen Industry and Information Technology Bureau", "厦工信"),
    ("厦门市公安局", "市公安局", "Xiamen Public Security Bureau", "厦公"),
    ("厦门市民政局", "市民政局", "Xiamen Civil Affairs Bureau", "厦民"),
    ("厦门市司法局", "市司法局", "Xiamen Justice Bureau", "厦司"),
    ("厦门市财政局", "市财政局", "Xiamen Finance Bureau", "厦财"),
    ("厦门市人力资源和社会保障局", "市人社局", "Xiamen Human Resources and Social Security Bureau", "厦人社"),
    ("厦门市自然资源和规划局", "市资源规划局", "Xiamen Natural Resources and Planning Bureau", "厦资源规划"),
    ("厦门市生态环境局", "市生态环境局", "Xiamen Ecology and Environment Bureau", "厦环"),
    ("厦门市住房和建设局", "市建设局", "Xiamen Housing and Construction Bureau", "厦建"),
    ("厦门市交通运输局", "市交通运输局", "Xiamen Transport Bureau", "厦交"),
    ("厦门市农业农村局", "市农业农村局", "Xiamen Agriculture and Rural Affairs Bureau", "厦农"),
    ("厦门市商务局", "市商务局", "Xiamen Commerce Bureau", "厦商务"),
    ("厦门市文化和旅游局", "市文旅局", "Xiamen Culture and Tourism Bureau", "厦文旅"),
    ("厦门市卫生健康委员会", "市卫健委", "Xiamen Health Commission", "厦卫"),
    ("厦门市退役军人事务局", "市退役军人事务局", "Xiamen Veterans Affairs Bureau", "厦退役"),
    ("厦门市应急管理局", "市应急局", "Xiamen Emergency Management Bureau", "厦应急"),
    ("厦门市审计局", "市审计局", "Xiamen Audit Bureau", "厦审"),
    ("厦门市人民政府外事办公室", "市外办", "Foreign Affairs Office of Xiamen", "厦外"),
    ("厦门市人民政府台港澳事务办公室", "市台港澳办", "Taiwan, Hong Kong and Macao Affairs Office of Xiamen", "厦台"),
    ("厦门市市场监督管理局", "市市场监管局", "Xiamen Administration for Market Regulation", "厦市监"),
    ("厦门市体育局", "市体育局", "Xiamen Sports Bureau", "厦体"),
    ("厦门市统计局", "市统计局", "Xiamen Statistics Bureau", "厦统"),
    ("厦门市医疗保障局", "市医保局", "Xiamen Healthcare Security Bureau", "厦医保"),
    ("厦门市市政园林局", "市市政园林局", "Xiamen Municipal Utilities and Landscaping Bureau", "厦市政园林"),
    ("厦门市城市管理行政执法局", "市执法局", "Xiamen Urban Management Law Enforcement Bureau", "厦执法"),
    ("厦门市国有资产监督管理委员会", "市国资委", "Xiamen State-owned Assets Supervision Commission", "厦国资"),
    ("厦门市海洋发展局", "市海洋发展局", "Xiamen Ocean Development Bureau", "厦海洋"),
    ("厦门市信访局", "市信访局", "Xiamen Letters and Visits Bureau", "厦信访"),
    ("厦门市数据管理局", "市数据管理局", "Xiamen Municipal Data Administration", "厦数据"),
]
DEV_ZONES = [
    (
        "厦门火炬高技术产业开发区管理委员会",
        "火炬管委会",
        "Xiamen Torch Hi-tech Zone Administrative Committee",
        "厦火炬",
    ),
    ("厦门自贸片区管理委员会", "自贸委", "Xiamen Area of China (Fujian) Pilot FTZ Committee", "厦自贸"),
]
OFFICE_DIVISIONS = [
    ("秘书一处", "Secretariat Division I"),
    ("秘书二处", "Secretariat Division II"),
    ("秘书三处", "Secretariat Division III"),
    ("秘书四处", "Secretariat Division IV"),
    ("综合处", "General Affairs Division"),
    ("文电处", "Documents and Telegrams Division"),
    ("督查室", "Supervision Office"),
    ("建议提案处", "Proposals Division"),
    ("总值班室", "Duty Office"),
    ("政务信息处", "Government Information Division"),
    ("政策研究室", "Policy Research Office"),
    ("市长热线办公室", "Mayor Hotline Office"),
    ("电子政务处", "E-Government Division"),
    ("人事处", "Personnel Division"),
    ("机关党委", "Office Party Committee"),
    ("离退休干部处", "Retired Cadres Division"),
    ("行政处", "Administration Division"),
    ("接待处", "Reception Division"),
    ("政府公报编辑部", "Government Gazette Editorial Office"),
]
EXTERNAL = [
    ("中共中央办公厅", "中办", "General Office of the CPC Central Committee", "中办发"),
    ("国务院办公厅", "国办", "General Office of the State Council", "国办发"),
    ("国务院", "国务院", "State Council", "国发"),
    ("中共福建省委", "省委", "CPC Fujian Provincial Committee", "闽委"),
    ("福建省人民政府", "省政府", "Fujian Provincial Government", "闽政"),
    ("福建省人民政府办公厅", "省政府办公厅", "General Office of Fujian Provincial Government", "闽政办"),
    ("中共厦门市委", "市委", "CPC Xiamen Municipal Committee", "厦委"),
    ("中共厦门市委办公厅", "市委办公厅", "General Office of CPC Xiamen Committee", "厦委办"),
    ("厦门市人大常委会", "市人大常委会", "Standing Committee of Xiamen People's Congress", "厦人大"),
    ("政协厦门市委员会", "市政协", "Xiamen Committee of the CPPCC", "厦政协"),
]
POSTS = [
    ("主任", "XC_ZHENG", "DYY1"),
    ("副主任", "XC_FU", "DYY2"),
    ("处长", "XC_ZHENG", "DYY1"),
    ("副处长", "XC_FU", "DYY3"),
    ("四级调研员", None, "DYY4"),
    ("一级主任科员", None, "ZRKY1"),
    ("二级主任科员", None, "ZRKY2"),
    ("三级主任科员", None, "ZRKY3"),
    ("四级主任科员", None, "ZRKY4"),
    ("一级科员", None, "KY1"),
    ("二级科员", None, "KY2"),
]
#: Which division runs which function (models/ownership.py), as the office divides its work;
#: an admin changes it in the console.
FUNCTION_OWNERS = {
    "F01_Meetings": ["秘书一处", "综合处"],
    "F02_Documents": ["文电处", "秘书一处", "政府公报编辑部"],
    "F03_DistrictRequests": ["秘书二处"],
    "F04_Disputes": ["秘书三处"],
    "F05_Duty": ["总值班室"],
    "F06_Supervision": ["督查室"],
    "F07_Proposals": ["建议提案处"],
    "F08_Research": ["政策研究室"],
    "F09_Information": ["政务信息处"],
    "F10_Hotline": ["市长热线办公室"],
    "F11_IT": ["电子政务处"],
    "F12_Organisation": ["人事处"],
    "F13_People": ["人事处", "机关党委", "离退休干部处"],
    "F14_Services": ["行政处", "接待处"],
    "F15_LeaderTasks": ["督查室"],
}
#: (login, role, first name, last name, division): one login for each owning division.
DEMO_USERS = [
    ("leader", "Leader", "市政府", "领导", None),
    ("manager", "Manager", "督查室", "负责人", "督查室"),
    ("clerk", "Clerk", "文电处", "录入员", "文电处"),
    ("viewer", "Viewer", "综合处", "只读", "综合处"),
    ("secretary", "Clerk", "秘书一处", "录入员", "秘书一处"),
    ("districts", "Clerk", "秘书二处", "录入员", "秘书二处"),
    ("disputes", "Clerk", "秘书三处", "录入员", "秘书三处"),
    ("duty", "Clerk", "总值班室", "值班员", "总值班室"),
    ("proposals", "Clerk", "建议提案处", "录入员", "建议提案处"),
    ("research", "Clerk", "政策研究室", "录入员", "政策研究室"),
    ("info", "Clerk", "政务信息处", "录入员", "政务信息处"),
    ("hotline", "Clerk", "市长热线办公室", "话务员", "市长热线办公室"),
    ("egov", "Clerk", "电子政务处", "录入员", "电子政务处"),
    ("personnel", "Clerk", "人事处", "录入员", "人事处"),
    ("party", "Clerk", "机关党委", "录入员", "机关党委"),
    ("retirees", "Clerk", "离退休干部处", "录入员", "离退休干部处"),
    ("logistics", "Clerk", "行政处", "录入员", "行政处"),
    ("reception", "Clerk", "接待处", "录入员", "接待处"),
    ("gazette", "Clerk", "政府公报编辑部", "录入员", "政府公报编辑部"),
]
DEMO_PASSWORD = "Demo-2026!"


def seed(ctx) -> dict[str, int]:
    s, rng = ctx.session, ctx.rng
    counts = {"Department": 0, "Personnel": 0, "PersonnelAppraisal": 0}

    def unit(**kw) -> Department:
        d = Department(valid_from=dt.date(2019, 3, 1), **kw)
        s.add(d)
        counts["Department"] += 1
        return d

    gov = unit(
        name_zh="厦门市人民政府",
        short_name_zh="市政府",
        name_en="Xiamen Municipal Government",
        agency_code="厦府",
        unit_type="MUNI_DEPT",
        sort_order=1,
        division_code="350200",
        address="厦门市湖滨北路61号",
        code="11350200003650386L",
    )
    office = unit(
        name_zh="厦门市人民政府办公厅",
        short_name_zh="市政府办公厅",
        name_en="General Office of Xiamen Municipal Government",
        agency_code="厦府办",
        unit_type="MUNI_DEPT",
        parent=gov,
        sort_order=2,
        address="厦门市湖滨北路61号市政府西楼",
        # the numbers the office publishes (issue 23)
        phone="0592-5052330、0592-5052331",
    )
    districts = [
        unit(
            name_zh=zh,
            short_name_zh=short,
            name_en=en,
            agency_code=code,
            unit_type="DISTRICT",
            division_code=div,
            parent=gov,
            sort_order=10 + i,
        )
        for i, (zh, short, en, code, div) in enumerate(DISTRICTS)
    ]
    depts = [
        unit(
            name_zh=zh,
            short_name_zh=short,
            name_en=en,
            agency_code=code,
            unit_type="FOREIGN_AFFAIRS" if "外事" in zh else "MUNI_DEPT",
            parent=gov,
            sort_order=30 + i,
        )
        for i, (zh, short, en, code) in enumerate(MUNI_DEPTS)
    ]
    zones = [
        unit(
            name_zh=zh,
            short_name_zh=short,
            name_en=en,
            agency_code=code,
            unit_type="DEV_ZONE",
            parent=gov,
            sort_order=80 + i,
        )
        for i, (zh, short, en, code) in enumerate(DEV_ZONES)
    ]
    divisions = [
        unit(name_zh=zh, short_name_zh=zh, name_en=en, unit_type="OFFICE_DIVISION", parent=office, sort_order=200 + i)
        for i, (zh, en) in enumerate(OFFICE_DIVISIONS)
    ]
    unit(
        name_zh="厦门市机关事务管理局",
        short_name_zh="市机关事务局",
        name_en="Xiamen Government Offices Administration",
        unit_type="SUBORDINATE",
        parent=office,
        sort_order=250,
    )
    unit(
        name_zh="厦门市政务服务中心管理委员会",
        short_name_zh="市政务服务中心",
        name_en="Xiamen Administrative Service Center",
        unit_type="SUBORDINATE",
        parent=office,
        sort_order=251,
    )
    old = unit(
        name_zh="厦门市信息化局",
        short_name_zh="市信息化局",
        name_en="Xiamen Informatization Bureau",
        unit_type="MUNI_DEPT",
        parent=gov,
        sort_order=299,
        valid_to=dt.date(2019, 2, 28),
    )
    old.valid_from = dt.date(2002, 1, 1)
    old.successor = next(d for d in depts if d.short_name_zh == "市工信局")
    unit(
        name_zh="国家税务总局厦门市税务局",
        short_name_zh="市税务局",
        name_en="Xiamen Tax Service, STA",
        unit_type="VERTICAL",
        sort_order=300,
    )
    unit(name_zh="厦门海关", short_name_zh="厦门海关", name_en="Xiamen Customs", unit_type="VERTICAL", sort_order=301)
    unit(
        name_zh="厦门港务控股集团有限公司",
        short_name_zh="港务控股",
        name_en="Xiamen Port Holding Group",
        unit_type="SOE",
        sort_order=400,
    )
    externals = [
        unit(
            name_zh=zh,
            short_name_zh=short,
            name_en=en,
            agency_code=code,
            unit_type="PARTY_NPC_CPPCC" if zh.startswith(("中共厦门", "厦门市人大", "政协厦门")) else "EXTERNAL",
            sort_order=500 + i,
        )
        for i, (zh, short, en, code) in enumerate(EXTERNAL)
    ]
    s.flush()

    staff: list[Personnel] = []
    division_by_name = {d.name_zh: d for d in divisions}
    for division in divisions:
        for j in range(ctx.n(rng.randrange(8, 14))):
            gender = rng.choice("1122111")
            birth = date_between(rng, dt.date(1966, 1, 1), dt.date(2000, 12, 31))
            post, level, rank = POSTS[0 if j == 0 else min(len(POSTS) - 1, rng.randrange(1, len(POSTS)))]
            if j == 0:
                post = "主任" if division.name_zh.endswith(("室", "办公室")) else "处长"
            political = rng.choice(["01"] * 7 + ["02", "03", "13", "05", "12"])
            work_start = birth.replace(year=birth.year + rng.randrange(21, 26))
            p = Personnel(
                name=person_name(rng),
                gender=gender,
                ethnicity=rng.choice(["01"] * 18 + ["22", "04", "08"]),
                birth_date=birth,
                id_card_no=id_card(rng, birth, gender),
                native_place=rng.choice(
                    [
                        "福建厦门",
                        "福建泉州",
                        "福建漳州",
                        "福建福州",
                        "福建莆田",
                        "福建龙岩",
                        "江西上饶",
                        "浙江温州",
                        "湖南长沙",
                    ]
                ),
                political_status=political,
                party_join_date=date_between(rng, work_start, dt.date(2024, 7, 1))
                if political in ("01", "02")
                else None,
                work_start_date=work_start,
                education=rng.choice(["SHUOSHI", "BENKE", "BENKE", "BENKE", "BOSHI", "ZHUANKE"]),
                category=rng.choice(["GWY"] * 8 + ["CANGONG", "SHIYE", "GONGQIN"]),
                department=division,
                post_title=post,
                post_since=date_between(rng, dt.date(2016, 1, 1), dt.date(2025, 12, 31)),
                leadership_level=level,
                rank=rank,
                mobile=mobile(rng),
                status=rng.choice(["ZAIZHI"] * 12 + ["JIEDIAO", "GUAZHI"]),
                party_branch=f"{division.name_zh}党支部" if political in ("01", "02") else None,
            )
            s.add(p)
            staff.append(p)
            for year in (2023, 2024, 2025):
                s.add(
                    PersonnelAppraisal(
                        personnel=p, year=year, result=rng.choice(["CHENZHI"] * 6 + ["YOUXIU", "YOUXIU", "JIBEN"])
                    )
                )
                counts["PersonnelAppraisal"] += 1
    counts["Personnel"] = len(staff)
    s.flush()

    ctx.data.update(
        gov=gov,
        office=office,
        districts=districts,
        depts=depts,
        zones=zones,
        divisions=divisions,
        division=division_by_name,
        externals={d.short_name_zh: d for d in externals},
        staff=staff,
        leaders=["张市长", "李常务副市长", "王副市长", "陈副市长", "林副市长", "黄秘书长", "吴副秘书长"],
    )
    counts["FunctionOwner"] = _function_owners(s, division_by_name)
    counts["demo logins"] = _demo_users(ctx, division_by_name, staff)
    return counts


def _function_owners(session, divisions) -> int:
    rows = [FunctionOwner(function=function, department=divisions[name])
            for function, names in FUNCTION_OWNERS.items() for name in names]
    session.add_all(rows)
    return len(rows)


def _demo_users(ctx, divisions, staff) -> int:
    sm = current_app.appbuilder.sm
    made = 0
    for username, role_name, first, last, division_name in DEMO_USERS:
        if sm.find_user(username=username):
            continue
        # commit=False: the demo data is one transaction (app/demo seed_all commits it), which
        # a failed seed, or a test that rolls it back, leaves with nothing written
        user = sm.add_user(
            username, first, last, f"{username}@demo.xm.gov.cn", [sm.find_role(role_name)],
            ctx.password or DEMO_PASSWORD, commit=False)
        if user and division_name:
            user.department_id = divisions[division_name].id
            person = next((p for p in staff if p.department is divisions[division_name]), None)
            user.personnel_id = person.id if person else None
        made += 1
    ctx.session.flush()
    return made
