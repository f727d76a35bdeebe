"""The office's Party organisation (2025–2026): the Office Party Committee (机关党委) and
one branch per division.

Members are the staff whose political status is 中共党员 or 中共预备党员, in their
division's branch. Probationary members joined in 2025–2026; most are within their
probationary year, a few are past it and not yet confirmed. Committees of 3 or 5 full
members, terms started 2023–2025 (a few due for election within 90 days, two already
past). The "three meetings and one lesson" and the themed Party days from January 2025 to
today, mostly as the regulations require with some realistic gaps (two weaker branches
miss more), with an attendance row per member. Monthly dues for 2026 for every member,
the rate by the band of the base, a few members in arrears. Every record passes the
domain rules.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.demo.names import date_between
from models.base import today_cn
from models.party import (
    DuesPayment,
    PartyActivity,
    PartyActivityAttendance,
    PartyBranch,
    PartyBranchCommittee,
    PartyMember,
    PartyTransfer,
    activity_problems,
    add_years,
    attendance_problems,
    branch_problems,
    committee_problems,
    dues_problems,
    member_problems,
    next_month,
    standard_rate,
    transfer_problems,
)

START = dt.date(2025, 1, 1)
ABSENCE_REASONS = ["因公出差", "病假", "参加市政府会议保障", "公休假", "在外参加培训", "值班", "事假", "陪同领导调研"]
TOPICS = {
    "ZHIWEIHUI": [
        "研究部署本月党建和业务工作", "讨论确定发展对象人选", "研究党员教育培训计划", "研究预备党员转正事宜",
        "研究部署主题党日活动安排", "研究年度民主评议党员工作方案", "通报党费收缴情况", "传达学习机关党委会议精神",
        "研究落实全面从严治党主体责任清单", "研究“三会一课”季度计划", "分析党员思想状况",
    ],
    "DANGYUAN_DAHUI": [
        "学习贯彻党的二十届四中全会精神", "学习贯彻习近平总书记来闽考察重要讲话精神",
        "深入贯彻中央八项规定精神学习教育专题学习", "讨论接收预备党员", "预备党员转正表决",
        "开展年度民主评议党员", "支部年度工作总结和组织生活会", "传达学习市委全会精神",
        "学习《中国共产党纪律处分条例》", "学习贯彻《中国共产党党和国家机关基层组织工作条例》",
    ],
    "DANGXIAOZU": [
        "学习习近平新时代中国特色社会主义思想专题", "围绕办文办会办事提质增效开展讨论",
        "开展批评与自我批评", "交流学习体会", "学习中央八项规定及其实施细则精神",
        "学习《习近平谈治国理政》第五卷", "讨论处室作风建设存在问题及整改措施", "学习党章",
    ],
    "DANGKE": [
        "书记讲党课：以高质量党建引领办公厅工作高质量发展", "专题党课：深入学习贯彻中央八项规定精神",
        "专题党课：弘扬“四下基层”优良作风", "专题党课：学习习近平同志在福建工作期间的重要理念和重大实践",
        "警示教育党课：以案为鉴、以案促改", "专题党课：做党和人民满意的模范机关",
        "专题党课：践行“三服务”，当好参谋助手",
    ],
    "ZHUTI_DANGRI": [
        ("重温入党誓词", "市政府西楼党员活动室"), ("参观中共福建省委旧址", "中共福建省委旧址（开禾路）"),
        ("赴厦门破狱斗争旧址开展红色教育", "厦门破狱斗争旧址"), ("学习嘉庚精神", "陈嘉庚纪念馆"),
        ("赴英雄三岛战地观光园开展主题党日", "大嶝英雄三岛战地观光园"),
        ("参观厦门市廉政教育基地", "厦门市廉政教育基地"), ("志愿服务进社区", "思明区筼筜街道社区"),
        ("赴鼓浪屿开展红色寻访", "鼓浪屿"), ("开展“文明城市”创建志愿服务", "湖滨北路沿线"),
    ],
}
ROOMS = ["市政府西楼第一会议室", "市政府西楼第三会议室", "市政府西楼党员活动室", "处室会议室", "机关党委会议室"]
OTHER_ORGS = ["中共厦门市发展和改革委员会机关委员会", "中共厦门市财政局机关委员会", "中共思明区委组织部",
              "中共湖里区委组织部", "中共厦门市人力资源和社会保障局机关委员会", "中共厦门市商务局机关委员会",
              "中共厦门大学委员会", "中共集美大学委员会", "中共厦门市委组织部"]


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.s, self.rng = ctx, ctx.session, ctx.rng
        self.today = today_cn()
        self.counts = {"PartyBranch": 0, "PartyBranchCommittee": 0, "PartyMember": 0, "PartyTransfer": 0,
                       "PartyActivity": 0, "PartyActivityAttendance": 0, "DuesPayment": 0}
        data = ctx.data
        self.divisions = sorted(data.get("divisions") or (data.get("division") or {}).values(),
                                key=lambda d: d.sort_order)
        self.committee = (data.get("division") or {}).get("机关党委")
        self.staff = data.get("staff") or []

    def add(self, obj):
        self.s.add(obj)
        self.counts[type(obj).__name__] += 1
        return obj

    # --- branches and members ----------------------------------------------------------------
    def branches(self) -> list[tuple[PartyBranch, list[PartyMember]]]:
        rng, today = self.rng, self.today
        n = len(self.divisions)
        # term starts: two already past the three years, three due within 90 days, the rest later
        order = list(range(n))
        rng.shuffle(order)
        kinds = {i: ("red" if k < 2 else "yellow" if k < 5 else "green") for k, i in enumerate(order)}
        out = []
        for i, division in enumerate(self.divisions):
            end_of_term = {
                "red": date_between(rng, today - dt.timedelta(days=200), today - dt.timedelta(days=20)),
                "yellow": date_between(rng, today + dt.timedelta(days=10), today + dt.timedelta(days=85)),
                "green": date_between(rng, today + dt.timedelta(days=120), add_years(today, 2)),
            }[kinds[i]]
            term_start = add_years(end_of_term, -3)
            branch = self.add(PartyBranch(
                name=f"{division.name_zh}党支部", parent_org=self.committee, department=division,
                established_date=date_between(rng, dt.date(2016, 3, 1), min(term_start, dt.date(2020, 12, 31))),
                term_start=term_start, sort_order=10 * (i + 1),
            ))
            people = [p for p in self.staff if p.department is division and p.political_status in ("01", "02")]
            members = [self.member(branch, p) for p in people]
            out.append((branch, members))
        self.s.flush()
        return out

    def member(self, branch: PartyBranch, person) -> PartyMember:
        rng, today = self.rng, self.today
        if person.political_status == "02":
            # within the probationary year, or (one in six) past it and not yet confirmed
            if rng.random() < 1 / 6:
                joined = date_between(rng, dt.date(2025, 4, 1), today - dt.timedelta(days=380))
            else:
                joined = date_between(rng, today - dt.timedelta(days=330), today - dt.timedelta(days=20))
            confirmed = None
        else:
            joined = person.party_join_date
            if rng.random() < 0.06:  # confirmed this year
                joined = date_between(rng, dt.date(2025, 1, 5), today - dt.timedelta(days=400))
            elif joined is None or joined > dt.date(2024, 6, 30):
                joined = date_between(rng, dt.date(2005, 7, 1), dt.date(2024, 6, 30))
            confirmed = min(today, add_years(joined, 1) + dt.timedelta(days=rng.randrange(0, 25)))
        person.party_join_date = joined
        status = "MOBILE" if person.status in ("GUAZHI", "JIEDIAO") and rng.random() < 0.4 else "NORMAL"
        return self.add(PartyMember(personnel=person, name=person.name, branch=branch, joined_date=joined,
                                    confirmed_date=confirmed, status=status))

    def committees(self, branches) -> None:
        rng = self.rng
        for branch, members in branches:
            full = [m for m in members if m.confirmed_date is not None and m.status == "NORMAL"]
            if not full:
                continue
            head = next((m for m in full if (m.personnel.post_title or "") in ("处长", "主任")), None)
            rng.shuffle(full)
            if head is not None:
                full.remove(head)
                full.insert(0, head)
            posts = ["SHUJI", "FUSHUJI", "ZUZHI", "XUANCHUAN", "JIJIAN"] if len(members) >= 9 else \
                ["SHUJI", "ZUZHI", "XUANCHUAN"]
            for seq, (post, member) in enumerate(zip(posts, full, strict=False), start=1):
                self.add(PartyBranchCommittee(branch=branch, seq=seq, personnel=member.personnel, post=post))
            branch.secretary = full[0].personnel
            groups = 2 if len(members) >= 8 else 1
            for k, member in enumerate(members):
                member.party_group = "第一党小组" if groups == 1 or k % 2 == 0 else "第二党小组"

    def transfers(self, branches) -> None:
        rng, today = self.rng, self.today
        for _branch, members in branches:
            for member in members:
                if rng.random() < 0.15:  # came from another unit
                    day = date_between(rng, max(member.joined_date or START, dt.date(2019, 1, 1)), today)
                    self.add(PartyTransfer(
                        member=member, direction="IN", transfer_date=day, from_org=rng.choice(OTHER_ORGS),
                        to_org="中共厦门市人民政府办公厅机关委员会",
                        letter_no=f"厦委组转〔{day.year}〕{rng.randrange(10, 999)}号"))
        # a few moved to other units this year: relation transferred out
        seated = {c.personnel_id for b, _ms in branches for c in b.committee}
        candidates = [m for _b, ms in branches for m in ms
                      if m.status == "NORMAL" and m.confirmed_date is not None and m.personnel_id not in seated]
        for member in rng.sample(candidates, min(3, len(candidates))):
            day = date_between(rng, dt.date(2026, 3, 1), today - dt.timedelta(days=30))
            member.status = "TRANSFERRED_OUT"
            member.remark = "调任其他单位"
            self.add(PartyTransfer(
                member=member, direction="OUT", transfer_date=day, from_org="中共厦门市人民政府办公厅机关委员会",
                to_org=rng.choice(OTHER_ORGS), letter_no=f"厦府办党转〔{day.year}〕{rng.randrange(1, 60)}号",
                remark="党费已交至转出当月"))
        self.s.flush()

    # --- three meetings and one lesson -----------------------------------------------------------
    def activities(self, branches) -> None:
        rng, today = self.rng, self.today
        weak = {b.id for b, _m in rng.sample(branches, min(2, len(branches)))}
        for branch, members in branches:
            seats = [c.personnel for c in branch.committee]
            by_person = {m.personnel.id: m for m in members}
            board = [by_person[p.id] for p in seats if p.id in by_person]
            monthly, quarterly = (0.75, 0.7) if branch.id in weak else (0.96, 0.93)
            month = START
            while month <= today:
                last_day = min(today, next_month(month) - dt.timedelta(days=1))
                if rng.random() < monthly:
                    self.activity(branch, "ZHIWEIHUI", month, last_day, board)
                if rng.random() < monthly - 0.03:
                    self.activity(branch, "DANGXIAOZU", month, last_day, members)
                if rng.random() < 0.9:
                    self.activity(branch, "ZHUTI_DANGRI", month, last_day, members)
                if (month.month - 1) % 3 == 0:  # the quarter's general meeting and lecture
                    quarter_end = next_month(next_month(next_month(month))) - dt.timedelta(days=1)
                    last_day = min(today, quarter_end)
                    share = 1.0 if quarter_end <= today else 0.8  # the running quarter is not over
                    if rng.random() < quarterly * share:
                        self.activity(branch, "DANGYUAN_DAHUI", month, last_day, members)
                    if rng.random() < 0.04:  # a second one: admitting a new member
                        self.activity(branch, "DANGYUAN_DAHUI", month, last_day, members)
                    if rng.random() < (quarterly - 0.05) * share:
                        self.activity(branch, "DANGKE", month, last_day, members)
                month = next_month(month)
        self.s.flush()

    def activity(self, branch, kind: str, first: dt.date, last: dt.date, people) -> None:
        rng = self.rng
        if last < first:
            return
        day = date_between(rng, first, last + dt.timedelta(days=1))
        if kind == "DANGKE" and first.month == 7 and rng.random() < 0.6:
            day = min(last, dt.date(first.year, 7, 1))  # 七一 Party lecture
        topic, venue = rng.choice(TOPICS[kind]), rng.choice(ROOMS)
        if kind == "ZHUTI_DANGRI":
            topic, venue = topic
        if kind == "DANGYUAN_DAHUI" and day.month in (12, 1) and rng.random() < 0.5:
            topic = "支部年度工作总结和组织生活会"
        secretary = branch.secretary
        attendees = [m for m in people if m.joined_date is None or m.joined_date <= day]
        attendees = [m for m in attendees if m.status != "TRANSFERRED_OUT" or not m.transfers
                     or all(t.transfer_date > day for t in m.transfers if t.direction == "OUT")]
        recorder = next((m.personnel for m in attendees if m.personnel is not secretary), None)
        activity = self.add(PartyActivity(
            branch=branch, activity_type=kind, activity_date=day, topic=topic, venue=venue,
            presider=secretary, recorder=recorder,
            minutes=(f"{day.month}月{day.day}日，{branch.name}召开{_KIND_ZH[kind]}，{topic}。"
                     f"与会党员结合工作实际交流发言，会议对下一步工作作出安排。"),
            attachments_note=rng.choice(["签到表、会议记录本存支部", "签到表、照片已报机关党委", "会议材料存支部档案盒",
                                         ""]) or None,
        ))
        for member in attendees:
            present = rng.random() < 0.92
            self.add(PartyActivityAttendance(activity=activity, member=member, attended=present,
                                             absence_reason=None if present else rng.choice(ABSENCE_REASONS)))

    # --- dues --------------------------------------------------------------------------------------
    def dues(self, branches) -> None:
        rng, today = self.rng, self.today
        current = today.replace(day=1)
        members = [m for _b, ms in branches for m in ms]
        late = set(rng.sample([m.id for m in members if m.status != "TRANSFERRED_OUT"],
                              min(6, len(members))))
        for member in members:
            person = member.personnel
            base = Decimal(_base(rng, person.post_title or "", person.category or "")).quantize(Decimal("1"))
            rate = standard_rate(base)
            start = dt.date(2026, 1, 1)
            if member.joined_date and member.joined_date > start:
                start = member.joined_date.replace(day=1)
            transfer_in = [t.transfer_date for t in member.transfers if t.direction == "IN"]
            if transfer_in and max(transfer_in) >= start:
                start = next_month(max(transfer_in))
            end = current
            transfer_out = [t.transfer_date for t in member.transfers if t.direction == "OUT"]
            if transfer_out:
                end = max(transfer_out).replace(day=1)
            missing = set()
            if member.id in late:
                gap = rng.randint(1, 3)
                month = current
                for _ in range(gap):
                    missing.add(month)
                    month = (month - dt.timedelta(days=1)).replace(day=1)
            month = start
            while month <= end:
                if month in missing and rng.random() < 0.5:
                    month = next_month(month)
                    continue  # nothing recorded for the month
                paid = None
                if month not in missing:
                    paid = date_between(rng, month + dt.timedelta(days=4), month + dt.timedelta(days=25))
                    if paid > today:
                        paid = None if rng.random() < 0.5 else today
                self.add(DuesPayment(member=member, month=month, base=base, rate=rate, paid_date=paid,
                                     remark="微信缴纳" if paid and rng.random() < 0.3 else None))
                month = next_month(month)
        self.s.flush()

    def check(self) -> None:
        s = self.s
        for model, rule in ((PartyBranch, branch_problems), (PartyBranchCommittee, committee_problems),
                            (PartyMember, member_problems), (PartyTransfer, transfer_problems),
                            (PartyActivity, activity_problems), (DuesPayment, dues_problems)):
            for obj in s.query(model):
                problems = rule(obj)
                assert not problems, (model.__name__, str(obj), problems)
        for row in s.query(PartyActivityAttendance).limit(2000):
            assert not attendance_problems(row), (str(row), attendance_problems(row))


_KIND_ZH = {"ZHIWEIHUI": "支部委员会", "DANGYUAN_DAHUI": "支部党员大会", "DANGXIAOZU": "党小组会",
            "DANGKE": "党课", "ZHUTI_DANGRI": "主题党日活动"}


def _base(rng, post: str, category: str) -> int:
    """A plausible monthly income (after tax) the dues are calculated on, to the 10 yuan."""
    if post in ("处长", "主任"):
        low, high = 11500, 15500
    elif post in ("副处长", "副主任", "四级调研员"):
        low, high = 9000, 12500
    elif category == "GONGQIN":
        low, high = 4200, 5800
    elif post.startswith(("一级主任", "二级主任")):
        low, high = 7500, 10500
    else:
        low, high = 5200, 8500
    return rng.randrange(low, high, 10)


def seed(ctx) -> dict[str, int]:
    seeder = _Seeder(ctx)
    if not seeder.divisions:
        return seeder.counts
    branches = seeder.branches()
    seeder.committees(branches)
    seeder.s.flush()
    seeder.transfers(branches)
    seeder.activities(branches)
    seeder.dues(branches)
    seeder.check()
    ctx.data["party_branches"] = [b for b, _m in branches]
    ctx.data["party_members"] = [m for _b, ms in branches for m in ms]
    return seeder.counts
