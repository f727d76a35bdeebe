"""Research reports of 2025–2026 (政策研究室 and municipal departments), government-affairs
information from departments and districts with its screening and adoptions upward, and
the default information scoring rules.

Every record passes the domain's own rules (checked at the end). Leaves
`ctx.data["research_reports"]` and `ctx.data["info_reports"]`.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.demo.names import XIAMEN_STREETS, date_between, datetime_on, mobile, person_name
from models.base import today_cn
from models.info import (
    InfoAdoption,
    InfoReport,
    InfoScoreRule,
    ResearchConversion,
    ResearchCoUnit,
    ResearchReport,
    adoption_problems,
    co_unit_problems,
    compute_score,
    conversion_problems,
    info_problems,
    load_rules,
    research_problems,
    score_rule_problems,
)
from models.org import Department

# --- scoring rules (年度政务信息工作考核计分办法) ---------------------------------------------
#: (year_from, level, basis, publication or None, points, remark)
SCORE_RULES = [
    (2025, "BENJI", "CAIYONG", None, "1", "《厦门政务信息》等本级刊物采用"),
    (2025, "BENJI", "CAIYONG", "SONGYUE", "2", "《送阅件》采用"),
    (2025, "BENJI", "CAIYONG", "XMZWZB", "3", "《厦门政务信息·专报》采用"),
    (2025, "SHIWEI", "CAIYONG", None, "2", "市委办公厅刊物采用"),
    (2025, "SHIWEI", "PISHI", None, "3", "市领导批示"),
    (2025, "SHENG", "CAIYONG", None, "5", "省政府办公厅采用"),
    (2025, "SHENG", "CAIYONG", "FJZWYQ", "8", "《政务要情》采用"),
    (2025, "SHENG", "PISHI", None, "5", "省领导批示"),
    (2025, "GUOBAN", "CAIYONG", None, "10", "国务院办公厅采用"),
    (2025, "GUOBAN", "CAIYONG", "GBZB", "15", "《国办信息专报》采用"),
    (2025, "GUOBAN", "PISHI", None, "10", "国务院领导批示"),
    (2026, "SHENG", "CAIYONG", None, "6", "2026年起省政府办公厅采用计分调整"),
]

# --- research ------------------------------------------------------------------------------
RESEARCH_TOPICS = [
    "关于我市因地制宜发展新质生产力的调研报告",
    "关于岛外新城产城融合发展的调研报告",
    "关于推进两岸融合发展示范区先行区建设的调研报告",
    "关于金砖国家新工业革命伙伴关系创新基地建设成效的调研报告",
    "关于我市低空经济发展路径的研究",
    "关于促进民营经济高质量发展的调研报告",
    "关于进一步优化营商环境的调研报告",
    "关于我市人口老龄化趋势及养老服务体系建设的调研报告",
    "关于普惠托育服务供给情况的调研报告",
    "关于城市更新中历史风貌保护与利用的调研报告",
    "关于海洋经济高质量发展的调研报告",
    "关于数字政府建设和公共数据开发利用的调研报告",
    "关于扩大消费和提振内需的调研报告",
    "关于稳外贸稳外资工作的调研报告",
    "关于高校毕业生留厦就业创业情况的调研报告",
    "关于新就业形态劳动者权益保障的调研报告",
    "关于基层医疗卫生服务能力提升的调研报告",
    "关于义务教育学位供给与布局优化的调研报告",
    "关于保障性住房建设和租赁市场发展的调研报告",
    "关于乡村振兴示范村建设的调研报告",
    "关于跨岛发展重点片区基础设施配套的调研报告",
    "关于国际航运中心建设的调研报告",
    "关于集成电路产业链补链强链的调研报告",
    "关于生物医药产业集群发展的调研报告",
    "关于科技成果转化机制的调研报告",
    "关于高层次人才引进培养政策实施效果的调研报告",
    "关于地方政府债务风险防范化解的调研报告",
    "关于国有企业改革深化提升行动的调研报告",
    "关于基层减负和“一件事”集成服务的调研报告",
    "关于应急管理体系和能力现代化的调研报告",
    "关于防汛防台风基础设施短板的调研报告",
    "关于文旅深度融合和夜间经济发展的调研报告",
    "关于鼓浪屿世界文化遗产保护利用的调研报告",
    "关于近岸海域综合治理的调研报告",
    "关于“无废城市”建设的调研报告",
    "关于城市交通拥堵治理的调研报告",
    "关于轨道交通沿线土地综合开发的调研报告",
    "关于社区嵌入式服务设施建设的调研报告",
    "关于“十五五”时期我市发展思路的研究",
    "关于厦门自贸片区制度创新的调研报告",
    "关于政府投资项目全过程管理的调研报告",
    "关于厦金融合发展的调研报告",
]
RESEARCH_LEAD = ["政策研究室"] * 5 + ["市发改委", "市工信局", "市商务局", "市民政局", "市卫健委", "市教育局",
                                     "市建设局", "市资源规划局", "市台港澳办", "市数据管理局", "市海洋发展局"]
SUMMARY = ("报告系统梳理了{short}的现状和主要做法，分析了存在的短板和制约因素，借鉴先进城市经验，"
           "提出了完善政策体系、强化要素保障、健全工作机制等{n}方面对策建议。")
INSTRUCTION = "{leader}批示：报告很有参考价值，请{unit}会同有关部门认真研究吸收，提出具体落实举措。"

# --- information -----------------------------------------------------------------------------
INFO_TOPICS = [
    "稳外贸稳外资", "优化营商环境", "城市更新", "老旧小区改造", "防汛防台风", "安全生产隐患排查",
    "高校毕业生就业", "老年助餐服务", "普惠托育", "基层医疗服务", "义务教育学位供给", "垃圾分类",
    "近岸海域综合治理", "两岸融合发展", "金砖创新基地建设", "数字政府建设", "政务服务“一件事”改革",
    "消费品以旧换新", "文旅消费", "乡村振兴", "重大项目建设", "招商引资", "科技创新", "人才引进",
    "食品安全监管", "交通拥堵治理", "轨道交通建设", "保障性住房建设", "社区治理", "矛盾纠纷化解",
]
TITLES = {
    "DONGTAI": ["{unit}多措并举推进{topic}工作", "{unit}{topic}工作取得阶段性成效",
                "{unit}扎实推进{topic}", "前三季度{unit}{topic}主要指标稳中向好"],
    "JINGYAN": ["{unit}创新“{n}个一”工作机制推动{topic}", "{unit}以“小切口”撬动{topic}大提升",
                "{unit}探索{topic}新路径的经验做法"],
    "WENTI": ["当前{topic}工作中值得关注的几个问题及建议", "{topic}中存在的薄弱环节亟待破解",
              "关于进一步做好{topic}工作的建议"],
    "JINJI": ["{unit}发生一起{event}，已妥善处置", "{unit}迅速处置一起{event}"],
    "YUEGAO": ["{unit}关于{topic}工作情况的报告（约稿）", "{unit}贯彻落实{topic}部署情况（约稿）"],
    "DIAOYAN": ["关于{unit}{topic}情况的调查与思考", "{topic}情况调研报告"],
    "YUQING": ["网民关注{topic}相关问题", "近期{topic}相关舆情及处置情况"],
}
EVENTS = ["燃气泄漏事故", "道路塌陷险情", "民房火灾", "强降雨内涝险情", "渣土车侧翻事故", "山体滑坡险情"]
EVENT_BODY = ("{when}，{unit}{street}发生一起{event}。接报后，区政府主要领导、分管领导第一时间赶赴现场指挥处置，"
              "应急、公安、消防、住建等部门迅速到场，及时疏散周边群众、设置警戒区域。截至目前，险情已得到控制，"
              "未造成人员伤亡，事件原因正在进一步调查中。")
BODY = ("今年以来，{unit}坚持以人民为中心的发展思想，围绕{topic}目标任务，强化统筹协调，"
        "细化工作举措。一是建立工作专班，压实责任链条；二是聚焦重点难点，实行清单化管理；"
        "三是加强督促检查，推动各项任务落地见效。下一步，将持续巩固成效，健全长效机制。")
RESULT_OPINION = {
    "CAIYONG": "内容翔实，做法有借鉴意义，拟在本级刊物采用。",
    "TUIXIU": "请补充具体数据和典型案例，修改后再报。",
    "BUCAIYONG": "内容较为一般化，暂不采用。",
    "CUNDANG": "作为工作动态存档备查。",
}


def seed(ctx) -> dict[str, int]:
    counts: dict[str, int] = {}
    rules = _score_rules(ctx)
    counts["InfoScoreRule"] = len(rules)
    counts.update(_research(ctx))
    counts.update(_information(ctx, rules))
    return counts


def _units(ctx) -> dict:
    rows = ctx.session.query(Department).filter(
        Department.valid_to.is_(None),
        Department.unit_type.notin_(("EXTERNAL",))).all()
    return {d.short_name_zh or d.name_zh: d for d in rows}


def _score_rules(ctx) -> list[InfoScoreRule]:
    rules = []
    for year, level, basis, publication, points, remark in SCORE_RULES:
        rule = InfoScoreRule(year_from=year, level=level, basis=basis, publication=publication,
                             points=Decimal(points), remark=remark)
        ctx.session.add(rule)
        rules.append(rule)
    ctx.session.flush()
    return rules


# --- research ------------------------------------------------------------------------------
def _research(ctx) -> dict[str, int]:
    s, rng = ctx.session, ctx.rng
    today = today_cn()
    units = _units(ctx)
    divisions = ctx.data.get("division", {})
    depts = [d for d in ctx.data.get("depts", []) if d.valid_to is None]
    leaders = ctx.data.get("leaders") or ["张市长"]
    meetings = [m for m in ctx.data.get("meetings", []) if m.meeting_type in ("CHANGWU", "SHIZHANG", "ZHUANTI")]
    policy_docs = [d for d in ctx.data.get("outgoing", [])
                   if d.doc_type in ("YIJIAN", "TONGZHI") and d.secrecy_level in ("FEIMI", "NEIBU")]
    counts = dict.fromkeys(("ResearchReport", "ResearchCoUnit", "ResearchConversion"), 0)
    reports: list[ResearchReport] = []
    per_year = max(1, ctx.n(80) // 2)
    for year in (2025, 2026):
        topics = rng.sample(RESEARCH_TOPICS, min(per_year, len(RESEARCH_TOPICS)))
        while len(topics) < per_year:
            topics.append(rng.choice(RESEARCH_TOPICS))
        for topic in topics:
            origin = rng.choice(["LINGDAO_DIANTI"] * 3 + ["NIANDU_JIHUA"] * 4 + ["ZIXUAN"] * 2 + ["SHANGJI_BUSHU"])
            lead_name = rng.choice(RESEARCH_LEAD)
            lead = divisions.get(lead_name) or units.get(lead_name) or rng.choice(depts)
            start = date_between(rng, dt.date(year, 2, 15), dt.date(year, 9, 30))
            end = start + dt.timedelta(days=rng.choice((45, 60, 75, 90, 120)))
            secrecy = rng.choice(["FEIMI"] * 14 + ["NEIBU"] * 5 + ["MIMI"])
            short = topic.removeprefix("关于").removesuffix("的调研报告").removesuffix("的研究")
            r = ResearchReport(
                topic=topic, year=year, origin=origin,
                requested_by=rng.choice(leaders) if origin == "LINGDAO_DIANTI" else None,
                lead_department=lead, team_leader=person_name(rng),
                members="、".join(person_name(rng) for _ in range(rng.randrange(3, 7))),
                planned_start=start, planned_end=end,
                method_field=rng.random() < 0.9, method_forum=rng.random() < 0.8,
                method_survey=rng.random() < 0.4, method_data=rng.random() < 0.5,
                secrecy_level=secrecy,
            )
            s.add(r)
            co_pool = [d for d in depts if d is not lead]
            for seq, unit in enumerate(rng.sample(co_pool, rng.randrange(1, 4)), start=1):
                s.add(ResearchCoUnit(report=r, seq=seq, department=unit,
                                     task=rng.choice(["提供数据资料", "参与实地调研", "组织座谈会", "起草专题部分"])))
                counts["ResearchCoUnit"] += 1
            _research_progress(ctx, r, short, today, leaders, meetings, policy_docs, counts)
            reports.append(r)
            counts["ResearchReport"] += 1
    s.flush()
    found = []
    for r in reports:
        found += research_problems(r)
        found += [m for c in r.co_unit_links for m in co_unit_problems(c)]
        found += [m for c in r.conversions for m in conversion_problems(c)]
    if found:
        raise AssertionError(f"demo research reports break rules: {found[:5]}")
    ctx.data["research_reports"] = reports
    return counts


def _research_progress(ctx, r: ResearchReport, short: str, today, leaders, meetings, policy_docs, counts):
    rng = ctx.rng
    start, end = r.planned_start, r.planned_end
    if today < start:
        r.status = "PLANNED"
        return
    if today < start + dt.timedelta(days=(end - start).days * 2 // 3):
        r.status = "IN_FIELD"
        return
    stub = r.secrecy_level == "MIMI"
    if not stub:
        r.summary = SUMMARY.format(short=short, n=rng.choice(("三", "四", "五")))
        r.body = (f"一、基本情况\n{r.summary}\n二、存在问题\n要素保障不足、部门协同不够、政策精准度有待提升。\n"
                  f"三、对策建议\n（一）强化规划引领；（二）完善政策体系；（三）健全推进机制。")
    submitted = end + dt.timedelta(days=rng.randrange(5, 30))
    if submitted > today:
        r.status = rng.choice(["DRAFTING", "REVIEW"])
        return
    r.submitted_at = submitted
    r.submitted_to = rng.choice(["市长", "市长、常务副市长", "分管副市长", "市政府主要领导和分管领导"])
    r.attachment_note = rng.choice([None, "附件：1.调研问卷统计 2.座谈会纪要", "附件：典型案例汇编"])
    r.status = "SUBMITTED"
    if rng.random() < 0.35 or today - submitted < dt.timedelta(days=10):
        return
    unit = r.lead_department.short_name_zh if r.lead_department is not None else "有关部门"
    r.leader_instruction = INSTRUCTION.format(leader=rng.choice(leaders), unit=unit)
    r.status = "INSTRUCTED"
    if rng.random() < 0.4:
        return
    converted_at = submitted + dt.timedelta(days=rng.randrange(20, 150))
    if converted_at > today:
        return
    kinds = rng.sample(["ZHENGCE", "YITI", "KANFA", "HUOJIANG"], rng.choice((1, 1, 2)))
    for kind in kinds:
        conversion = ResearchConversion(report=r, conversion_type=kind, converted_at=converted_at)
        if kind == "ZHENGCE":
            doc = rng.choice(policy_docs) if policy_docs else None
            conversion.document = doc
            conversion.description = f"研究成果吸收进{doc.title}" if doc is not None else "研究成果转化为政策文件"
        elif kind == "YITI":
            later = [m for m in meetings if m.start_at and m.start_at.date() >= submitted]
            meeting = rng.choice(later) if later else None
            conversion.meeting = meeting
            conversion.description = f"作为议题提交{meeting}" if meeting is not None else "提交市政府常务会议研究"
            if meeting is not None:
                conversion.converted_at = max(converted_at, meeting.start_at.date())
        elif kind == "KANFA":
            conversion.description = rng.choice(["刊发于《厦门政务信息·专报》", "刊发于《调研与决策》",
                                                 "刊发于《厦门发展》"])
        else:
            conversion.description = rng.choice(["获全市优秀调研成果一等奖", "获全市优秀调研成果二等奖",
                                                 "获全省政府系统优秀调研成果三等奖"])
        ctx.session.add(conversion)
        counts["ResearchConversion"] += 1
    r.status = "CLOSED" if (today - converted_at).days > 60 and rng.random() < 0.5 else "CONVERTED"


# --- information -----------------------------------------------------------------------------
def _information(ctx, rules) -> dict[str, int]:
    s, rng = ctx.session, ctx.rng
    today = today_cn()
    senders = [*ctx.data.get("districts", []), *[d for d in ctx.data.get("depts", []) if d.valid_to is None],
               *ctx.data.get("zones", [])]
    # districts and the busiest departments send most
    weights = [6 if d in ctx.data.get("districts", []) else 2 for d in senders]
    division = ctx.data.get("division", {}).get("政务信息处")
    screeners = [p for p in ctx.data.get("staff", []) if division is not None and p.department_id == division.id] \
        or ctx.data.get("staff", [])[:5]
    counts = dict.fromkeys(("InfoReport", "InfoAdoption"), 0)
    reports: list[InfoReport] = []
    first, last = dt.date(2025, 1, 3), today
    districts = ctx.data.get("districts") or senders
    for _ in range(ctx.n(400)):
        info_type = rng.choice(["DONGTAI"] * 8 + ["JINGYAN"] * 4 + ["WENTI"] * 3 + ["JINJI"] * 1
                               + ["YUEGAO"] * 1 + ["DIAOYAN"] * 2 + ["YUQING"] * 1)
        # urgent information about incidents comes from the districts
        unit = rng.choice(districts) if info_type == "JINJI" else rng.choices(senders, weights=weights)[0]
        topic = rng.choice(INFO_TOPICS)
        event = rng.choice(EVENTS)
        name = unit.short_name_zh or unit.name_zh
        if info_type == "JINJI":
            name = name.removesuffix("政府")  # 思明区政府 -> 思明区: the place, not the reporter
        title = rng.choice(TITLES[info_type]).format(unit=name, topic=topic, n=rng.choice(("三", "四", "五")),
                                                    event=event)
        # the last weeks are busier than the average day: some are still waiting for screening
        day = date_between(rng, first, last) if rng.random() < 0.95 else today - dt.timedelta(days=rng.randrange(8))
        submitted = datetime_on(rng, day, 8, 20)
        secrecy = rng.choice(["FEIMI"] * 30 + ["NEIBU"] * 6 + ["MIMI"])
        if info_type == "JINJI":
            streets = XIAMEN_STREETS.get(unit.division_code or "", ["有关街道"])
            body = EVENT_BODY.format(when=f"{day.month}月{day.day}日{rng.randrange(6, 22)}时许", unit=name,
                                     street=rng.choice(streets), event=event)
        else:
            body = BODY.format(unit=name, topic=topic)
        r = InfoReport(
            title=title, info_type=info_type, department=unit, author=person_name(rng),
            author_phone=mobile(rng), signer=person_name(rng), submitted_at=submitted, secrecy_level=secrecy,
            body=None if secrecy == "MIMI" else body,
        )
        s.add(r)
        age = (today - submitted.date()).days
        if age < 2 and rng.random() < 0.5:
            r.status = "DRAFT"
        elif age < 7:
            r.status = rng.choice(["SUBMITTED", "SCREENING"])
        else:
            counts["InfoAdoption"] += _screen(ctx, r, screeners, today)
        reports.append(r)
        counts["InfoReport"] += 1
    # a publication comes out weekly with what was adopted that week; issues count from 1 each year
    issue_no: dict[tuple[str, int], int] = {}
    weeks: dict[tuple[str, int, int], int] = {}
    for r in sorted((r for r in reports if r.local_publication), key=lambda r: (r.screened_at, r.submitted_at)):
        year, week = r.screened_at.year, r.screened_at.isocalendar()[1]
        if (r.local_publication, year, week) not in weeks:
            issue_no[(r.local_publication, year)] = issue_no.get((r.local_publication, year), 0) + 1
            weeks[(r.local_publication, year, week)] = issue_no[(r.local_publication, year)]
        r.local_issue_no = f"{year}年第{weeks[(r.local_publication, year, week)]}期"
    s.flush()  # the scores are computed on flush, from the rules just seeded
    found = [f"score of {r.title}" for r in reports if r.score != compute_score(r, rules)]
    found += [m for r in reports for m in info_problems(r) + [x for a in r.adoptions for x in adoption_problems(a)]]
    found += [m for rule in load_rules(s) for m in score_rule_problems(rule)]
    if found:
        raise AssertionError(f"demo information breaks rules: {found[:5]}")
    ctx.data["info_reports"] = reports
    return counts


def _screen(ctx, r: InfoReport, screeners, today) -> int:
    rng = ctx.rng
    result = rng.choice(["CAIYONG"] * 55 + ["TUIXIU"] * 10 + ["BUCAIYONG"] * 15 + ["CUNDANG"] * 20)
    if r.secrecy_level == "MIMI":
        result = rng.choice(["CAIYONG", "CUNDANG"])
    r.screening_result = result
    r.screener = rng.choice(screeners) if screeners else None
    r.screened_at = r.submitted_at.date() + dt.timedelta(days=rng.choice((0, 1, 1, 2)))
    r.screening_opinion = RESULT_OPINION[result]
    r.status = {"CAIYONG": "ADOPTED", "TUIXIU": "REVISE", "BUCAIYONG": "REJECTED", "CUNDANG": "FILED"}[result]
    if result != "CAIYONG":
        return 0
    r.local_publication = rng.choice(["XMZWXX"] * 7 + ["XMZWZB"] * 2 + ["SONGYUE"])
    if r.secrecy_level == "MIMI" or r.info_type == "YUQING":
        return 0
    # what goes up: the better pieces to the province, a few to the State Council, some to the city's leaders
    targets = []
    if rng.random() < 0.45:
        targets.append("SHENG")
        if rng.random() < 0.18:
            targets.append("GUOBAN")
    if rng.random() < 0.2:
        targets.append("SHIWEI")
    if not targets:
        return 0
    made = 0
    outcomes = []
    for level in targets:
        sent = r.screened_at + dt.timedelta(days=rng.choice((0, 1, 1, 2)))
        a = InfoAdoption(report=r, target_level=level, sent_at=sent)
        wait = (today - sent).days
        chance = {"SHENG": 0.45, "GUOBAN": 0.3, "SHIWEI": 0.6}[level]
        if wait > 7 and rng.random() < chance:
            a.adopted = True
            a.adopted_at = sent + dt.timedelta(days=rng.randrange(1, 8))
            a.publication = {"SHENG": rng.choice(["FJZWXX"] * 3 + ["FJZWYQ"]),
                             "GUOBAN": rng.choice(["GBXX"] * 3 + ["GBZB"]), "SHIWEI": "SWXX"}[level]
            a.issue_no = f"{a.adopted_at.year}年第{rng.randrange(1, 260)}期"
            if rng.random() < {"SHENG": 0.15, "GUOBAN": 0.2, "SHIWEI": 0.25}[level]:
                a.leader_instructed = True
                who = {"SHENG": "省领导", "GUOBAN": "国务院领导", "SHIWEI": "市领导"}[level]
                a.instruction_note = f"{who}于{a.adopted_at + dt.timedelta(days=2):%Y年%m月%d日}作出批示，" \
                                     "要求总结推广相关经验做法。"
            outcomes.append(True)
        elif wait > 20:
            outcomes.append(False)
        else:
            outcomes.append(None)
        ctx.session.add(a)
        made += 1
    if any(o is True for o in outcomes):
        r.status = "ADOPTED_UP"
    elif all(o is False for o in outcomes):
        r.status = "NOT_ADOPTED_UP"
    else:
        r.status = "SENT_UP"
    return made
