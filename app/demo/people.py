"""Retirees of the General Office and the visits paid to them (2025–2026).

About 250 retirees: a few 离休 veterans over 95 who started working before October 1949,
the rest 退休 cadres and service staff. Those who retired recently also have a
personnel record (status 已离退休); the others predate the system. About 600 visits:
Spring Festival and Double Ninth visits, birthday visits on round birthdays, hospital
visits and hardship assistance. Every record passes the domain rules.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from app.demo.names import ROADS, SURNAMES, XIAMEN_STREETS, date_between, id_card, mobile, person_name
from models.base import add_years, today_cn
from models.org import Personnel
from models.people import Retiree, RetireeVisit, retiree_problems, visit_problems

DISTRICT_NAMES = {"350203": "思明区", "350205": "海沧区", "350206": "湖里区", "350211": "集美区",
                  "350212": "同安区", "350213": "翔安区"}
# Where retirees live: mostly on the island, near the old government compounds.
DISTRICT_WEIGHTS = [("350203", 10), ("350206", 5), ("350211", 2), ("350205", 1), ("350212", 1), ("350213", 1)]
# (former post, treatment level, rank before the 2019 reform, rank after it, share)
POSTS = [
    ("市政府副秘书长", "TJ_FU", "副厅级", "二级巡视员", 2),
    ("办公厅副主任", "TJ_FU", "副厅级", "二级巡视员", 2),
    ("办公厅巡视员", "TJ_FU", "巡视员", "一级巡视员", 1),
    ("处长", "XC_ZHENG", "正处级", "一级调研员", 8),
    ("副处长", "XC_FU", "副处级", "三级调研员", 8),
    ("调研员", "XC_ZHENG", "调研员", "二级调研员", 8),
    ("副调研员", "XC_FU", "副调研员", "四级调研员", 8),
    ("主任科员", "XK_ZHENG", "主任科员", "一级主任科员", 10),
    ("副主任科员", "XK_FU", "副主任科员", "三级主任科员", 8),
    ("科员", "QITA", "科员", "一级科员", 3),
    ("驾驶员", "QITA", "高级工", "技师", 6),
    ("机要员", "QITA", "高级工", "技师", 2),
]
FORMER_DIVISIONS = ["秘书一处", "秘书二处", "秘书三处", "秘书四处", "综合处", "文电处", "督查室", "总值班室",
                    "政务信息处", "政策研究室", "人事处", "行政处", "接待处", "市长热线办公室", "电子政务处"]
RELATIONS = [("儿子", 5), ("女儿", 5), ("配偶", 3), ("儿媳", 1), ("女婿", 1), ("孙子", 1)]
HOSPITALS = ["厦门大学附属第一医院", "厦门大学附属中山医院", "厦门市第五医院", "厦门大学附属心血管病医院",
             "厦门市中医院", "复旦大学附属中山医院厦门医院"]
ROUND_BIRTHDAYS = {70: "七十寿辰", 80: "八十寿辰", 90: "九十寿辰", 100: "百岁寿辰"}
GIFTS = {
    "JIERI": ["米、油、年货礼包", "慰问信、春联、年货", "米、油、牛奶"],
    "CHONGYANG": ["重阳糕、水果", "牛奶、水果", "老年保健用品"],
    "ZHONGQIU": ["月饼、水果", "月饼、牛奶"],
    "SHENGRI": ["生日蛋糕、鲜花", "生日蛋糕、寿桃", "鲜花、贺卡"],
    "ZHUYUAN": ["水果、营养品", "鲜花、水果", "营养品"],
    "KUNNAN": ["生活用品", "米、油及生活用品", ""],
}


def _weighted(rng, pairs):
    return rng.choices([p for p, _w in pairs], [w for _p, w in pairs])[0]


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))



def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.s, self.rng = ctx, ctx.session, ctx.rng
        self.today = today_cn()
        data = ctx.data
        self.division = data.get("division") or {}
        staff = data.get("staff") or []
        home = self.division.get("离退休干部处")
        self.carers = [p.name for p in staff if home is not None and p.department is home] or \
            [person_name(self.rng) for _ in range(4)]
        self.leaders = [x for x in (data.get("leaders") or []) if "秘书长" in x] or ["黄秘书长", "吴副秘书长"]
        self.counts = {"Retiree": 0, "RetireeVisit": 0, "Personnel (recent retirees)": 0}

    # --- people ------------------------------------------------------------------------
    def address(self) -> str:
        rng = self.rng
        code = _weighted(rng, DISTRICT_WEIGHTS)
        street = rng.choice(XIAMEN_STREETS[code])
        return (f"厦门市{DISTRICT_NAMES[code]}{street}{rng.choice(ROADS)}{rng.randint(1, 480)}号"
                f"{rng.randint(1, 12)}-{rng.randint(1, 18)}0{rng.randint(1, 4)}室")

    def health(self, age: int) -> str:
        if age >= 90:
            pairs = [("LIANGHAO", 1), ("MANBING", 4), ("SHINENG", 4), ("ZHUYUAN", 2)]
        elif age >= 80:
            pairs = [("LIANGHAO", 3), ("MANBING", 5), ("SHINENG", 2), ("ZHUYUAN", 1)]
        elif age >= 70:
            pairs = [("LIANGHAO", 6), ("MANBING", 4), ("SHINENG", 1), ("ZHUYUAN", 0.5)]
        else:
            pairs = [("LIANGHAO", 8), ("MANBING", 3), ("ZHUYUAN", 0.3)]
        return _weighted(self.rng, pairs)

    def retiree(self, *, lixiu: bool) -> Retiree:
        rng, today = self.rng, self.today
        gender = rng.choice("1112") if lixiu else rng.choice("11122")
        if lixiu:
            birth = date_between(rng, dt.date(1926, 3, 1), dt.date(1931, 6, 30))
            work_start = date_between(rng, add_years(birth, 15), min(add_years(birth, 21), dt.date(1949, 9, 1)))
            retire_date = _month_end(add_years(birth, 60 if gender == "1" else 55) + dt.timedelta(days=20))
            post, level, old_rank, _new, _w = rng.choice([p for p in POSTS if p[1].startswith(("TJ", "XC"))])
            level = rng.choice([level, "TJ_FU", "TJ_ZHENG"]) if level.startswith("XC") else level
            rank = old_rank
        else:
            post, level, old_rank, new_rank, _w = rng.choices(POSTS, [p[4] for p in POSTS])[0]
            senior = level.startswith(("TJ", "XC")) and rng.random() < 0.5
            age = 60 if gender == "1" or senior else 55
            birth = date_between(rng, dt.date(1934, 1, 1), dt.date(1966, 6, 30))
            retire_date = _month_end(add_years(birth, age) + dt.timedelta(days=3))
            if birth.year >= 1965:  # 2025 reform: retirement age raised by a few months
                retire_date = _month_end(retire_date + dt.timedelta(days=31 * rng.randint(1, 4)))
            if retire_date > today:
                retire_date = _month_end(today - dt.timedelta(days=rng.randint(40, 400)))
                birth = add_years(retire_date, -age).replace(day=rng.randint(1, 28))
            work_start = date_between(rng, add_years(birth, 17), add_years(birth, 24))
            rank = new_rank if retire_date >= dt.date(2019, 6, 1) else old_rank
        age_now = _age(birth, today)
        surname = rng.choice(SURNAMES)
        name = surname + person_name(rng)[1:]
        relation = _weighted(rng, RELATIONS)
        contact = (surname if relation in ("儿子", "女儿", "孙子") else rng.choice(SURNAMES)) + person_name(rng)[1:]
        r = Retiree(
            name=name, gender=gender, birth_date=birth, work_start_date=work_start,
            retire_type="LIXIU" if lixiu else "TUIXIU", retire_date=retire_date,
            former_department=self.division.get(rng.choice(FORMER_DIVISIONS)) if not lixiu or rng.random() < 0.5
            else None,
            former_post=post, former_rank=rank, treatment_level=level,
            party_branch=("离休干部党支部" if lixiu else
                          f"离退休干部第{'一二三四五六'[rng.randrange(6)]}党支部" if rng.random() < 0.85 else None),
            address=self.address(),
            mobile=mobile(rng) if age_now < 90 or rng.random() < 0.4 else None,
            emergency_contact=contact, emergency_relation=relation, emergency_phone=mobile(rng),
            health_status=self.health(age_now),
            living_alone=rng.random() < (0.22 if age_now >= 85 else 0.08),
            alive_status="JIANZAI",
        )
        # deaths: rarer among the younger; the oldest veterans are still with us (a few are over 95)
        p_death = 0.0 if lixiu else (0.25 if age_now >= 88 else 0.10 if age_now >= 78 else 0.02)
        first_possible = max(retire_date + dt.timedelta(days=200), dt.date(2018, 1, 1))
        if rng.random() < p_death and first_possible < today - dt.timedelta(days=30):
            r.alive_status = "YIGU"
            r.date_of_death = date_between(rng, first_possible, today - dt.timedelta(days=3))
            r.health_status = None
            r.living_alone = False
            r.remark = "家属已办理丧葬费、抚恤金相关手续。"
        elif r.health_status == "ZHUYUAN":
            r.remark = f"现住{rng.choice(HOSPITALS)}。"
        elif r.health_status == "SHINENG":
            r.remark = rng.choice(["居家，有保姆照料。", "入住养老机构。", "由子女轮流照料。"])
        if lixiu:
            r.remark = ((r.remark or "") + "享受离休干部医疗待遇。").strip()
        if retire_date >= dt.date(2016, 1, 1) and not lixiu and rng.random() < 0.8:
            r.personnel = self.personnel_record(r)
        assert not retiree_problems(r), (r.name, retiree_problems(r))
        self.s.add(r)
        self.counts["Retiree"] += 1
        return r

    def personnel_record(self, r: Retiree) -> Personnel:
        """Recent retirees are in the personnel register too, with status 已离退休."""
        rng = self.rng
        political = "01" if r.party_branch else rng.choice(["13", "05", "12"])
        p = Personnel(
            name=r.name, gender=r.gender, ethnicity="01", birth_date=r.birth_date,
            id_card_no=id_card(rng, r.birth_date, r.gender),
            native_place=rng.choice(["福建厦门", "福建泉州", "福建漳州", "福建龙岩", "福建莆田"]),
            political_status=political,
            party_join_date=date_between(rng, r.work_start_date, add_years(r.work_start_date, 12))
            if political == "01" else None,
            work_start_date=r.work_start_date, category="GONGQIN" if r.treatment_level == "QITA" else "GWY",
            department=r.former_department, post_title=r.former_post, mobile=r.mobile, status="LITUIXIU",
            party_branch=r.party_branch,
        )
        self.s.add(p)
        self.counts["Personnel (recent retirees)"] += 1
        return p

    # --- visits ------------------------------------------------------------------------
    def visitors(self, senior: bool) -> str:
        rng = self.rng
        team = rng.sample(self.carers, min(len(self.carers), rng.randint(1, 2)))
        names = "、".join(team)
        if senior:
            return f"{rng.choice(self.leaders)}、离退休干部处{names}"
        return f"离退休干部处{names}"

    def visit(self, r: Retiree, day: dt.date, kind: str, occasion: str, amount: int, senior: bool = False,
              remark: Optional[str] = None) -> None:
        if day > self.today or (r.date_of_death is not None and day >= r.date_of_death) or day < r.retire_date:
            return
        gifts = GIFTS["CHONGYANG" if "重阳" in occasion else "ZHONGQIU" if "中秋" in occasion else kind]
        v = RetireeVisit(retiree=r, visit_date=day, visit_type=kind, occasion=occasion,
                         visitors=self.visitors(senior), amount=Decimal(amount),
                         gifts=self.rng.choice(gifts) or None, remark=remark)
        assert not visit_problems(v)
        self.s.add(v)
        self.counts["RetireeVisit"] += 1

    def visits(self, r: Retiree) -> None:
        rng = self.rng
        lixiu, senior = r.retire_type == "LIXIU", (r.treatment_level or "").startswith(("SB", "TJ"))
        frail = r.health_status in ("SHINENG", "ZHUYUAN") or bool(r.living_alone)
        for year, (lo, hi) in ((2025, (dt.date(2025, 1, 13), dt.date(2025, 1, 27))),
                               (2026, (dt.date(2026, 1, 30), dt.date(2026, 2, 14)))):
            age = _age(r.birth_date, lo)
            if lixiu or senior or age >= 80 or frail:
                amount = 2000 if lixiu else 1000 if senior else 800
                self.visit(r, date_between(rng, lo, hi), "JIERI", f"{year}年春节", amount, senior=lixiu or senior)
        for day in (dt.date(2025, 10, 6), dt.date(2026, 9, 25)):  # 中秋节: the veterans and bureau-level cadres
            if lixiu or senior:
                self.visit(r, day - dt.timedelta(days=rng.randint(1, 6)), "JIERI", f"{day.year}年中秋节",
                           1000 if lixiu else 600, senior=True)
        for day in (dt.date(2025, 10, 29), dt.date(2026, 10, 18)):  # 重阳节
            if _age(r.birth_date, day) >= 80 and rng.random() < 0.9:
                self.visit(r, day + dt.timedelta(days=rng.randint(-3, 2)), "JIERI", f"{day.year}年重阳节",
                           500 if not lixiu else 1000, senior=lixiu)
        for year in (2025, 2026):
            birthday = add_years(r.birth_date, year - r.birth_date.year)
            age = year - r.birth_date.year
            # every birthday from 80 on (and the veterans'), the round ones from 70
            if lixiu or (age >= 70 and age % 5 == 0) or (age >= 80 and rng.random() < 0.7):
                label = ROUND_BIRTHDAYS.get(age, f"{age}岁生日")
                self.visit(r, birthday, "SHENGRI", label, 1000 if age >= 90 else 600, senior=lixiu or age >= 90)
        if r.health_status == "ZHUYUAN" or (r.health_status in ("SHINENG", "MANBING") and rng.random() < 0.18) \
                or (r.alive_status == "YIGU" and rng.random() < 0.5):
            for _ in range(rng.randint(1, 2)):
                day = date_between(rng, dt.date(2025, 1, 5), self.today)
                self.visit(r, day, "ZHUYUAN", "住院探视", rng.choice([500, 800, 1000]), senior=lixiu or senior,
                           remark=f"在{rng.choice(HOSPITALS)}住院治疗。")
        if (r.living_alone and r.health_status in ("SHINENG", "MANBING") and rng.random() < 0.5) \
                or rng.random() < 0.02:
            day = date_between(rng, dt.date(2025, 3, 1), self.today)
            self.visit(r, day, "KUNNAN", "困难帮扶", rng.choice([2000, 3000, 5000]),
                       remark=rng.choice(["因病致困，经处务会研究给予帮扶。", "独居高龄，协调社区落实助餐服务。",
                                          "配偶重病，家庭医疗支出较大。"]))

    def run(self) -> dict[str, int]:
        total = self.ctx.n(250)
        lixiu = max(2, min(7, total // 40))
        retirees = [self.retiree(lixiu=i < lixiu) for i in range(total)]
        self.s.flush()
        for r in retirees:
            self.visits(r)
        self.ctx.data["retirees"] = retirees
        return self.counts


def seed(ctx) -> dict[str, int]:
    return _Seeder(ctx).run()
