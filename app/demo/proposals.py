"""NPC suggestions and CPPCC proposals of Xiamen's 2025 and 2026 sessions
(市十六届人大四次、五次会议; 市政协十四届四次、五次会议) and some made between sessions.

Each proposal is assigned to one lead unit and up to two co-handlers (协办, now and then a
joint unit 会办 whose opinion the answer waits for); most are answered (A ~45%, B ~35%, C ~15%,
D ~5%), B and C answers carry a follow-up date, and most evaluations are 满意. A reply's
evaluation is due 15 working days after it (a few are still awaited, some overdue); a 不满意
evaluation opens a re-handling (started within 5 working days, answered again within a month of
the start;
one not yet started, one started late). A few proposals are merged (并案) into a main proposal on
the same subject; about one in twenty-five proposers asked for confidentiality (their names
masked). Every record passes the domain's own rules (checked at the end).
Leaves `ctx.data["proposals"]`.
"""
from __future__ import annotations

import datetime as dt
import re

from app.demo.names import date_between, mobile, person_name
from models.base import today_cn
from models.calendar import add_working_days
from models.lookups import CO_HANDLER, JOINT, LEAD
from models.org import Department
from models.proposals import (
    FOLLOW_UP_ANSWERS,
    Proposal,
    ProposalAssignment,
    ProposalEvaluation,
    ProposalRehandling,
    ProposalReply,
    add_months,
    assignment_problems,
    evaluation_problems,
    proposal_problems,
    rehandle_reply_months,
    rehandle_start_days,
    reply_problems,
)

# (subject of the title, topic category, lead unit, possible co-handlers)
SUBJECTS = [
    ("加快推进岛外新城公共服务配套建设", "CHENGJIAN", "市发改委", ["市教育局", "市卫健委", "市资源规划局"]),
    ("加强老年助餐服务体系建设", "SHEBAO", "市民政局", ["市财政局", "市市场监管局"]),
    ("完善居家社区养老服务网络", "SHEBAO", "市民政局", ["市卫健委", "市医保局"]),
    ("推进普惠托育服务发展", "SHEBAO", "市卫健委", ["市教育局", "市民政局"]),
    ("缓解中心城区中小学学位紧张问题", "JIAOYU", "市教育局", ["市资源规划局", "思明区政府", "湖里区政府"]),
    ("推动义务教育优质均衡发展", "JIAOYU", "市教育局", ["市财政局", "市人社局"]),
    ("加强中小学生心理健康教育", "JIAOYU", "市教育局", ["市卫健委", "团市委"]),
    ("提升职业教育产教融合水平", "JIAOYU", "市教育局", ["市人社局", "市工信局"]),
    ("优化地铁与公交接驳换乘", "JIAOTONG", "市交通运输局", ["市资源规划局", "市公安局"]),
    ("缓解学校医院周边交通拥堵", "JIAOTONG", "市公安局", ["市交通运输局", "市教育局"]),
    ("加快推进公共停车设施建设", "JIAOTONG", "市交通运输局", ["市资源规划局", "市建设局"]),
    ("规范电动自行车停放和充电管理", "ZHILI", "市公安局", ["市应急局", "市建设局"]),
    ("加快新能源汽车充电基础设施建设", "JINGJI", "市发改委", ["市工信局", "市资源规划局"]),
    ("推进老旧小区改造和加装电梯", "CHENGJIAN", "市建设局", ["市资源规划局", "市市场监管局"]),
    ("加强城市内涝治理", "CHENGJIAN", "市市政园林局", ["市水利局", "市建设局"]),
    ("推进筼筜湖片区生态品质提升", "HUANJING", "思明区政府", ["市生态环境局", "市市政园林局"]),
    ("加强近岸海域生态环境保护", "HUANJING", "市生态环境局", ["市海洋发展局", "市农业农村局"]),
    ("推进生活垃圾分类提质增效", "HUANJING", "市执法局", ["市生态环境局", "市建设局"]),
    ("打造山海健康步道特色品牌", "WENLV", "市市政园林局", ["市文旅局", "市体育局"]),
    ("促进文旅融合和夜间经济发展", "WENLV", "市文旅局", ["市商务局", "思明区政府"]),
    ("加强鼓浪屿世界文化遗产保护", "WENLV", "思明区政府", ["市文旅局", "市资源规划局"]),
    ("推进闽南文化生态保护区建设", "WENLV", "市文旅局", ["市财政局"]),
    ("支持民营经济高质量发展", "JINGJI", "市发改委", ["市工信局", "市市场监管局", "市财政局"]),
    ("持续优化营商环境", "JINGJI", "市发改委", ["市市场监管局", "市政务服务中心"]),
    ("加大对中小微企业融资支持力度", "JINGJI", "市财政局", ["市工信局", "人行厦门市分行"]),
    ("培育发展低空经济", "JINGJI", "市发改委", ["市工信局", "市交通运输局"]),
    ("推动跨境电商高质量发展", "JINGJI", "市商务局", ["厦门海关", "自贸委"]),
    ("推进金砖创新基地建设走深走实", "JINGJI", "市工信局", ["市发改委", "市商务局", "市外办"]),
    ("加快集成电路产业集聚发展", "KEJI", "市工信局", ["市科技局", "火炬管委会"]),
    ("支持生物医药产业创新发展", "KEJI", "市科技局", ["市工信局", "市卫健委"]),
    ("完善高层次人才引进和服务保障", "KEJI", "市人社局", ["市科技局", "市建设局"]),
    ("促进高校毕业生留厦就业创业", "SHEBAO", "市人社局", ["市教育局", "团市委"]),
    ("加强新就业形态劳动者权益保障", "SHEBAO", "市人社局", ["市总工会", "市医保局"]),
    ("提升基层医疗卫生服务能力", "WEISHENG", "市卫健委", ["市医保局", "市财政局"]),
    ("推进紧密型城市医疗集团建设", "WEISHENG", "市卫健委", ["市医保局"]),
    ("完善院前急救网络布局", "WEISHENG", "市卫健委", ["市交通运输局", "市财政局"]),
    ("加强罕见病用药保障", "WEISHENG", "市医保局", ["市卫健委"]),
    ("深化两岸融合发展示范区建设", "LIANGAN", "市台港澳办", ["市发改委", "市商务局"]),
    ("便利台胞台企在厦就业生活", "LIANGAN", "市台港澳办", ["市人社局", "市教育局"]),
    ("推进厦金通水通电通桥", "LIANGAN", "市台港澳办", ["市发改委", "市交通运输局"]),
    ("推动乡村产业振兴和农民增收", "XIANGCUN", "市农业农村局", ["市财政局", "同安区政府", "翔安区政府"]),
    ("加强农村人居环境整治", "XIANGCUN", "市农业农村局", ["市生态环境局", "市建设局"]),
    ("发展现代都市农业", "XIANGCUN", "市农业农村局", ["市科技局"]),
    ("加强预制菜产业质量安全监管", "ZHILI", "市市场监管局", ["市农业农村局", "市商务局"]),
    ("加强校园食品安全管理", "ZHILI", "市市场监管局", ["市教育局"]),
    ("提升物业服务管理水平", "ZHILI", "市建设局", ["市民政局", "市市场监管局"]),
    ("推进基层社会治理数字化", "ZHILI", "市数据管理局", ["市民政局", "市公安局"]),
    ("加快推进公共数据开放共享", "KEJI", "市数据管理局", ["市发改委", "市工信局"]),
    ("提升台风等极端天气应急处置能力", "ZHILI", "市应急局", ["市气象局", "市水利局"]),
    ("加强高层建筑消防安全管理", "ZHILI", "市应急局", ["市消防救援支队", "市建设局"]),
    ("推动海洋经济高质量发展", "JINGJI", "市海洋发展局", ["市发改委", "市科技局"]),
    ("加快翔安新机场片区配套建设", "CHENGJIAN", "翔安区政府", ["市交通运输局", "市资源规划局"]),
    ("推进马銮湾新城产城融合", "CHENGJIAN", "海沧区政府", ["市发改委", "市资源规划局"]),
    ("加快同安新城产业导入", "JINGJI", "同安区政府", ["市工信局", "市商务局"]),
    ("完善全民健身公共服务体系", "WENLV", "市体育局", ["市教育局", "市资源规划局"]),
    ("提升退役军人服务保障水平", "SHEBAO", "市退役军人事务局", ["市人社局"]),
    ("加强残疾人就业帮扶", "SHEBAO", "市民政局", ["市残联", "市人社局"]),
    ("完善住房租赁市场和保障性住房供给", "CHENGJIAN", "市建设局", ["市资源规划局", "市财政局"]),
    ("加强预付式消费监管", "ZHILI", "市市场监管局", ["市商务局", "市教育局"]),
    ("规范网约车和出租车行业管理", "JIAOTONG", "市交通运输局", ["市公安局"]),
    ("加快建设国际航运中心", "JINGJI", "市交通运输局", ["市港口局", "厦门海关"]),
    ("推进无障碍环境建设", "CHENGJIAN", "市建设局", ["市残联", "市民政局"]),
    ("加强未成年人网络保护", "ZHILI", "市公安局", ["市教育局", "团市委"]),
    ("推进公共法律服务体系建设", "ZHILI", "市司法局", ["市民政局"]),
    ("提升政务服务“一件事”集成办理水平", "ZHILI", "市政务服务中心", ["市数据管理局"]),
]
DELEGATIONS = ["思明代表团", "湖里代表团", "海沧代表团", "集美代表团", "同安代表团", "翔安代表团", "解放军代表团"]
SECTORS = ["中共界", "民革界", "民盟界", "民建界", "民进界", "农工党界", "致公党界", "九三学社界", "台盟界",
           "无党派人士界", "工商联界", "科技界", "经济界", "教育界", "医药卫生界", "文化艺术界", "特邀界"]
PARTY_ORGS = ["民革厦门市委会", "民盟厦门市委会", "民建厦门市委会", "民进厦门市委会", "农工党厦门市委会",
              "致公党厦门市委会", "九三学社厦门市委会", "台盟厦门市委会", "厦门市工商联", "共青团厦门市委",
              "厦门市妇联"]
COMMITTEES = ["市政协经济委员会", "市政协社会和法制委员会", "市政协教科卫体委员会", "市政协人口资源环境委员会",
              "市政协港澳台侨和外事委员会"]

# (kind, session label, plenary date, assignment date of the plenary batch)
SESSIONS = [
    ("NPC_JIANYI", "十六届四次", dt.date(2025, 1, 13), dt.date(2025, 2, 24)),
    ("CPPCC_TIAN", "十四届四次", dt.date(2025, 1, 11), dt.date(2025, 2, 24)),
    ("NPC_JIANYI", "十六届五次", dt.date(2026, 1, 12), dt.date(2026, 2, 26)),
    ("CPPCC_TIAN", "十四届五次", dt.date(2026, 1, 10), dt.date(2026, 2, 26)),
]
SHARES = {"十六届四次": 0.2, "十四届四次": 0.2, "十六届五次": 0.3, "十四届五次": 0.3}

#: How the supervision office cites a session in an item's source (督办事项的来源).
SESSION_OF_SOURCE = {"市十六届人大四次会议": "十六届四次", "市十六届人大五次会议": "十六届五次",
                     "市政协十四届四次会议": "十四届四次", "市政协十四届五次会议": "十四届五次"}
SOURCE_RE = re.compile(r"^(市.+会议)第(\d+)号$")
TOPIC_WORDS = [("交通", "JIAOTONG"), ("停车", "JIAOTONG"), ("养老", "SHEBAO"), ("托育", "SHEBAO"),
               ("劳动者", "SHEBAO"), ("就业", "SHEBAO"), ("教育", "JIAOYU"), ("学生", "JIAOYU"), ("医", "WEISHENG"),
               ("海", "HUANJING"), ("生态", "HUANJING"), ("垃圾", "HUANJING"), ("厦金", "LIANGAN"),
               ("两岸", "LIANGAN"), ("台", "LIANGAN"), ("更新", "CHENGJIAN"), ("片区", "CHENGJIAN"),
               ("住房", "CHENGJIAN"), ("乡村", "XIANGCUN"), ("农", "XIANGCUN"), ("科技", "KEJI"), ("人才", "KEJI"),
               ("产业", "JINGJI"), ("经济", "JINGJI"), ("文旅", "WENLV"), ("旅游", "WENLV")]

ANSWERS = ["A"] * 45 + ["B"] * 35 + ["C"] * 15 + ["D"] * 5
SATISFACTION_MIX = ["MANYI"] * 86 + ["JIBEN"] * 11 + ["BUMANYI"] * 3

PROBLEM_LINES = [
    "当前仍存在统筹协调不够、资源配置不均衡、政策落地“最后一公里”不畅等问题，群众反映较多。",
    "从调研情况看，相关设施建设滞后于人口增长，服务供给与群众需求之间还有差距。",
    "部分政策知晓度不高，部门间信息共享不充分，基层反映办事仍需多头跑。",
    "资金投入渠道较为单一，社会力量参与不足，长效运营机制尚未建立。",
]
SUGGESTION_LINES = [
    "一是加强规划统筹，将相关项目纳入年度重点建设计划；二是加大财政投入，完善配套政策；"
    "三是建立部门联动机制，定期研究解决推进中的困难问题。",
    "一是开展专项摸底调查，建立问题清单；二是借鉴先进城市经验，出台实施细则；"
    "三是强化督促检查，确保各项措施落到实处。",
    "一是优化资源布局，优先保障岛外新城和人口密集片区；二是引导社会资本参与建设运营；"
    "三是加强宣传引导，提高群众知晓率和满意度。",
]
ANSWER_TEXT = {
    "A": "您提出的建议已采纳并落实。{year}年我单位会同相关部门出台了专项工作方案，相关问题已基本解决，"
         "下一步将巩固成效、建立长效机制。",
    "B": "您提出的建议很有针对性，我单位已将相关工作列入{year}年工作计划，目前正在推进实施，"
         "预计年内完成主要任务，届时将及时向您反馈。",
    "C": "您提出的建议具有前瞻性。受用地、资金等条件限制，目前尚难以全部实施，我单位将结合"
         "“十五五”规划编制统筹研究，待条件成熟后逐步推进。",
    "D": "感谢您对相关工作的关心。经认真研究，您提出的建议涉及事项需进一步论证，我单位将作为"
         "今后工作的参考。",
}
ADOPTION_BY_ANSWER = {"A": ["QUANBU"] * 4 + ["BUFEN"], "B": ["QUANBU", "BUFEN", "BUFEN"], "C": ["BUFEN"],
                      "D": ["WEICAINA"]}
COMMITMENT = {
    "B": "{date}前完成项目建设（政策出台），并书面告知办理结果。",
    "C": "纳入“十五五”相关专项规划统筹研究，{date}前报告研究进展。",
}


def _units(ctx) -> dict:
    """Units by short name (districts, departments, zones, vertical units), current ones only."""
    rows = ctx.session.query(Department).filter(
        Department.valid_to.is_(None),
        Department.unit_type.notin_(("OFFICE_DIVISION", "EXTERNAL"))).all()
    return {d.short_name_zh: d for d in rows if d.short_name_zh}


def _unit(units, name, fallback):
    return units.get(name) or fallback


def _assigned_dates(rng, plenary_assigned: dt.date, year: int, today: dt.date) -> tuple[str, dt.date]:
    """Most proposals come in during the plenary session; about one in eight between sessions."""
    if rng.random() < 0.85:
        return "DAHUI", plenary_assigned + dt.timedelta(days=rng.choice((0, 0, 0, 3, 7)))
    if year == today.year:  # this year's come in through the autumn: many still open
        return "BIHUI", date_between(rng, dt.date(year, 8, 1), today)
    return "BIHUI", date_between(rng, dt.date(year, 4, 1), dt.date(year, 11, 20))


def seed(ctx) -> dict[str, int]:
    s, rng = ctx.session, ctx.rng
    today = today_cn()
    units = _units(ctx)
    depts = [d for d in ctx.data.get("depts", []) if d.valid_to is None] or list(units.values())
    leaders = [x for x in ctx.data.get("leaders", []) if "市长" in x] or ["张市长"]
    counts = dict.fromkeys(("Proposal", "ProposalAssignment", "ProposalReply", "ProposalEvaluation",
                            "ProposalRehandling"), 0)
    proposals: list[Proposal] = []
    total = ctx.n(300)

    key_items = _key_items(ctx)
    for kind, session_label, plenary, batch in SESSIONS:
        year = plenary.year
        n = max(1, round(total * SHARES[session_label]))
        # key proposals first: the supervision office already follows them under their numbers
        keyed = key_items.get(session_label, [])[:n]
        for number, item in keyed:
            p = _key_proposal(ctx, kind, session_label, number, item, batch, leaders)
            lead = item.lead_department or rng.choice(depts)
            co = [a.department for a in item.assignments if a.role != LEAD and a.department is not None]
            counts["ProposalAssignment"] += _assign(ctx, p, lead, co)
            _progress(ctx, p, lead, today, counts)
            proposals.append(p)
            counts["Proposal"] += 1
        n -= len(keyed)
        taken = {number for number, _item in keyed}
        numbers = sorted(rng.sample([x for x in range(1, n * 3 + 1) if x not in taken], n))
        subjects = rng.sample(SUBJECTS, min(n, len(SUBJECTS))) if n <= len(SUBJECTS) else \
            [rng.choice(SUBJECTS) for _ in range(n)]
        for number, (subject, topic, lead_name, co_names) in zip(numbers, subjects, strict=False):
            period, assigned = _assigned_dates(rng, batch, year, today)
            if assigned > today:
                continue
            suffix = "的建议" if kind == "NPC_JIANYI" else "的提案"
            proposer_type, lead_proposer, group = _proposer(rng, kind)
            co_proposers = "、".join(person_name(rng) for _ in range(rng.choice((0, 0, 2, 3, 5)))) \
                if proposer_type in ("DAIBIAO_LIANMING", "WEIYUAN_LIANMING", "DAIBIAOTUAN") else None
            is_key = False
            p = Proposal(
                kind=kind, level="SHI", session_label=session_label, period=period, number=number,
                title=f"关于{subject}{suffix}", topic_category=topic,
                content=(f"{subject}事关群众切身利益和城市高质量发展。{rng.choice(PROBLEM_LINES)}为此建议："
                         f"{rng.choice(SUGGESTION_LINES)}"),
                lead_proposer=lead_proposer, co_proposers=co_proposers or None, proposer_group=group,
                proposer_type=proposer_type, is_key=is_key,
                supervising_leader=rng.choice(leaders) if is_key else None,
                confidentiality_requested=rng.random() < 0.04,
                assigned_at=assigned, due_date=add_months(assigned, 3),
            )
            # complex items: a few get more time, never beyond 6 months after assignment
            if rng.random() < 0.06:
                p.extended_due_date = add_months(assigned, rng.choice((4, 5, 6)))
                p.extension_reason = "办理事项涉及多个部门和项目前期工作，需进一步协调论证。"
            s.add(p)
            lead = _unit(units, lead_name, rng.choice(depts))
            counts["ProposalAssignment"] += _assign(ctx, p, lead, [units[c] for c in co_names if c in units])
            _progress(ctx, p, lead, today, counts)
            proposals.append(p)
            counts["Proposal"] += 1
    _merge_some(ctx, proposals)
    _recent_rehandlings(ctx, proposals, today, counts)
    s.flush()
    _check(proposals)
    ctx.data["proposals"] = proposals
    return counts


def _recent_rehandlings(ctx, proposals: list[Proposal], today: dt.date, counts) -> None:
    """Two proposers lately dissatisfied: one unit has yet to start again (the start's 5 working
    days run), the other is handling it again (the month to answer runs)."""
    waiting = [p for p in proposals if p.status == "REPLIED" and p.replies and not p.rehandlings
               and p.merged_into is None]
    for p, days_ago, started in zip(waiting[:2], (2, 12), (False, True), strict=False):
        reply = max(p.replies, key=lambda r: r.reply_date)
        day = min(today, max(reply.reply_date, today - dt.timedelta(days=days_ago)))
        evaluation = _evaluate(ctx, p, reply, day, "BUMANYI")
        counts["ProposalEvaluation"] += 1
        start_due = add_working_days(day, rehandle_start_days())
        row = ProposalRehandling(proposal=p, evaluation=evaluation, department=p.lead_department,
                                 requested_on=day, start_due=start_due)
        ctx.session.add(row)
        counts["ProposalRehandling"] += 1
        p.status = "EVALUATED"
        if started:
            row.started_on = min(today, add_working_days(day, 2))
            row.reply_due = add_months(row.started_on, rehandle_reply_months())
            p.status = "REHANDLING"


def _merge_some(ctx, proposals: list[Proposal]) -> None:
    """并案: in each session, a few proposals not yet answered join a main proposal of the same
    topic that is not closed; the main one's reply answers them."""
    rng = ctx.rng
    by_session: dict[tuple, list[Proposal]] = {}
    for p in proposals:
        by_session.setdefault((p.kind, p.session_label), []).append(p)
    for group in by_session.values():
        waiting = [p for p in group if p.status in ("ACCEPTED", "HANDLING") and not p.is_key]
        merged = 0
        for p in waiting:
            if merged >= 2:
                break
            mains = [m for m in group if m is not p and m.topic_category == p.topic_category
                     and m.status not in ("CLOSED", "MERGED") and m.merged_into is None]
            if not mains:
                continue
            p.merged_into = rng.choice(mains)
            p.merged_at = p.assigned_at + dt.timedelta(days=rng.randrange(5, 15))
            p.status = "MERGED"
            p.remark = "与主件所提事项相同，并案办理，由主办单位统一研究答复。"
            merged += 1


def _key_items(ctx) -> dict[str, list]:
    """The supervision office's items on key proposals (source JYTA), by session, each
    with the number its source cites; one item per number."""
    found: dict[str, dict[int, object]] = {}
    for item in ctx.data.get("supervision_items", []):
        if item.source_type != "JYTA":
            continue
        match = SOURCE_RE.match(item.source_ref or "")
        session_label = SESSION_OF_SOURCE.get(match.group(1)) if match else None
        if session_label is None:
            continue
        found.setdefault(session_label, {}).setdefault(int(match.group(2)), item)
    return {label: sorted(items.items()) for label, items in found.items()}


def _key_proposal(ctx, kind, session_label, number, item, batch, leaders) -> Proposal:
    rng = ctx.rng
    title = (item.content or item.title or "").removeprefix("重点督办：")
    topic = next((code for word, code in TOPIC_WORDS if word in title), "ZHILI")
    proposer_type, lead_proposer, group = _proposer(rng, kind)
    subject = title.removeprefix("关于").removesuffix("的建议").removesuffix("的提案")
    p = Proposal(
        kind=kind, level="SHI", session_label=session_label, period="DAHUI", number=number, title=title,
        topic_category=topic,
        content=(f"{subject}事关群众切身利益和城市高质量发展。{rng.choice(PROBLEM_LINES)}为此建议："
                 f"{rng.choice(SUGGESTION_LINES)}"),
        lead_proposer=lead_proposer, proposer_group=group, proposer_type=proposer_type, is_key=True,
        supervising_leader=item.responsible_leader or rng.choice(leaders), supervision_item=item,
        assigned_at=batch, due_date=add_months(batch, 3),
    )
    ctx.session.add(p)
    return p


def _proposer(rng, kind) -> tuple[str, str, str]:
    if kind == "NPC_JIANYI":
        proposer_type = rng.choice(["DAIBIAO_GEREN"] * 6 + ["DAIBIAO_LIANMING"] * 3 + ["DAIBIAOTUAN"])
        delegation = rng.choice(DELEGATIONS)
        lead = delegation if proposer_type == "DAIBIAOTUAN" else person_name(rng)
        return proposer_type, lead, delegation
    proposer_type = rng.choice(["WEIYUAN_GEREN"] * 5 + ["WEIYUAN_LIANMING"] * 2 + ["DANGPAI_TUANTI"] * 2
                               + ["JIEBIE", "ZHUANWEIHUI"])
    sector = rng.choice(SECTORS)
    if proposer_type == "DANGPAI_TUANTI":
        return proposer_type, rng.choice(PARTY_ORGS), sector
    if proposer_type == "JIEBIE":
        return proposer_type, f"{sector}委员", sector
    if proposer_type == "ZHUANWEIHUI":
        return proposer_type, rng.choice(COMMITTEES), sector
    return proposer_type, person_name(rng), sector


def _assign(ctx, p: Proposal, lead, co_units) -> int:
    rng = ctx.rng
    received = p.assigned_at + dt.timedelta(days=rng.choice((1, 1, 2, 3)))
    rows = [ProposalAssignment(proposal=p, department=lead, role=LEAD, received_at=received,
                               contact_person=person_name(rng), contact_phone=mobile(rng))]
    p.lead_department = lead
    for unit in rng.sample(co_units, min(len(co_units), rng.choice((0, 1, 1, 2)))):
        if unit is lead:
            continue
        role = JOINT if rng.random() < 0.2 else CO_HANDLER      # 会办: the answer waits for its opinion
        rows.append(ProposalAssignment(proposal=p, department=unit, role=role, received_at=received,
                                       contact_person=person_name(rng), contact_phone=mobile(rng),
                                       co_opinion_due=add_months(p.assigned_at, 2)))
    for row in rows:
        ctx.session.add(row)
    return len(rows)


def _reply_no(ctx, unit, day: dt.date) -> str:
    seqs = ctx.data.setdefault("_proposal_reply_seq", {})
    key = (unit.id if unit.id is not None else id(unit), day.year)
    seqs[key] = seqs.get(key, ctx.rng.randrange(5, 30)) + ctx.rng.randrange(1, 4)
    prefix = unit.agency_code or (unit.short_name_zh or "厦")[:2]
    return f"{prefix}函〔{day.year}〕{seqs[key]}号"


def _progress(ctx, p: Proposal, lead, today: dt.date, counts) -> None:
    """Move the proposal along its workflow as far as its dates allow."""
    rng = ctx.rng
    due = p.extended_due_date or p.due_date
    age = (today - p.assigned_at).days
    live = [a for a in p.assignments]
    # a unit asks to hand the proposal back in the first days, now and then
    if age < 60 and not p.is_key and rng.random() < 0.12:
        lead_row = live[0]
        lead_row.return_requested = True
        lead_row.return_requested_at = lead_row.received_at + dt.timedelta(days=rng.randrange(1, 5))
        lead_row.return_reason = "该建议所提事项主要职责不在我单位，建议改由相关职能部门主办。"
        if age > 12:
            lead_row.return_approved = True
            lead_row.return_decided_at = lead_row.return_requested_at + dt.timedelta(days=2)
            new_lead = rng.choice([d for d in ctx.data.get("depts", []) if d is not lead and d.valid_to is None])
            ctx.session.add(ProposalAssignment(
                proposal=p, department=new_lead, role=LEAD,
                received_at=lead_row.return_decided_at + dt.timedelta(days=1),
                contact_person=person_name(rng), contact_phone=mobile(rng)))
            counts["ProposalAssignment"] += 1
            p.lead_department = new_lead
            p.status = "REASSIGNED" if age < 25 else "HANDLING"
        else:
            p.status = "RETURN_REQUESTED"
        return
    for row in live:
        if row.role in (CO_HANDLER, JOINT) and age > 45:
            row.co_opinion_at = p.assigned_at + dt.timedelta(days=rng.randrange(30, 60))
    # most units answer in the last weeks before the deadline; a few still work on it
    reply_day = due - dt.timedelta(days=rng.randrange(0, 40))
    if rng.random() < 0.04:
        reply_day = due + dt.timedelta(days=rng.randrange(3, 20))  # answered late
    if reply_day > today or (age < 75 and rng.random() < 0.7):
        p.status = rng.choice(["ACCEPTED", "HANDLING", "HANDLING"]) if age > 3 else "ASSIGNED"
        return
    reply_day = max(reply_day, p.assigned_at + dt.timedelta(days=20))
    for row in live:       # the lead answers once the joint units (会办) have given their opinion
        if row.role == JOINT and (row.co_opinion_at is None or row.co_opinion_at > reply_day):
            row.co_opinion_at = max(p.assigned_at + dt.timedelta(days=10), reply_day - dt.timedelta(days=7))
    answer = rng.choice(ANSWERS)
    unit = p.lead_department or lead
    reply = _reply(ctx, p, unit, reply_day, answer, "FIRST")
    counts["ProposalReply"] += 1
    p.status = "REPLIED"
    eval_day = reply_day + dt.timedelta(days=rng.randrange(4, 20))
    # the proposer evaluates within 15 working days; a few have not (the reply's light turns red)
    if eval_day > today or rng.random() < 0.05:
        return
    result = rng.choice(SATISFACTION_MIX)
    evaluation = _evaluate(ctx, p, reply, eval_day, result)
    counts["ProposalEvaluation"] += 1
    if result == "BUMANYI":
        # 不满意: re-handling starts within 5 working days and answers again within a month
        start_due = add_working_days(eval_day, rehandle_start_days())
        started = add_working_days(eval_day, rng.choice((1, 2, 3, 3, 4, 7)))     # now and then late
        row = ProposalRehandling(proposal=p, evaluation=evaluation, department=unit, requested_on=eval_day,
                                 start_due=start_due)
        ctx.session.add(row)
        counts["ProposalRehandling"] += 1
        if started > today:
            p.status = "EVALUATED"          # the unit has yet to start again: the start's limit runs
            return
        row.started_on = started
        row.reply_due = add_months(started, rehandle_reply_months())        # a month from the start
        again = started + dt.timedelta(days=rng.randrange(12, 28))
        p.status = "REHANDLING"
        if again <= today:
            row.replied_on = again
            second = _reply(ctx, p, unit, again, rng.choice(["A", "B"]), "REHANDLE")
            counts["ProposalReply"] += 1
            p.status = "REPLIED"
            later = again + dt.timedelta(days=rng.randrange(5, 15))
            if later <= today:
                _evaluate(ctx, p, second, later, rng.choice(["MANYI", "JIBEN"]))
                counts["ProposalEvaluation"] += 1
                p.status = "FOLLOW_UP" if second.answer_category in FOLLOW_UP_ANSWERS else "CLOSED"
        return
    if answer in FOLLOW_UP_ANSWERS:
        p.status = "FOLLOW_UP"
        if reply.follow_up_due and reply.follow_up_due <= today and rng.random() < 0.7:
            day = reply.follow_up_due - dt.timedelta(days=rng.randrange(0, 20))
            _reply(ctx, p, unit, day, "A" if rng.random() < 0.6 else "B", "FOLLOW_UP")
            counts["ProposalReply"] += 1
            p.status = "CLOSED"
        return
    # the office closes the year's proposals in its year-end summary (办理工作总结)
    p.status = "CLOSED" if p.assigned_at.year < today.year else "EVALUATED"


def _reply(ctx, p: Proposal, unit, day: dt.date, answer: str, reply_type: str) -> ProposalReply:
    rng = ctx.rng
    follow_up = None
    commitments = None
    if answer in FOLLOW_UP_ANSWERS:
        follow_up = add_months(day, rng.choice((6, 9, 12)) if answer == "C" else rng.choice((3, 6)))
        commitments = COMMITMENT[answer].format(date=f"{follow_up.year}年{follow_up.month}月")
    reply = ProposalReply(
        proposal=p, department=unit, reply_type=reply_type, reply_doc_no=_reply_no(ctx, unit, day),
        reply_date=day, signed_by=person_name(rng), answer_category=answer,
        adoption=rng.choice(ADOPTION_BY_ANSWER[answer]),
        contact_method=rng.choice(["MIANSHANG", "MIANSHANG", "ZUOTAN", "DIANHUA", "ZOUFANG", "SHICHA"]),
        is_public=not p.confidentiality_requested and rng.random() < 0.85,
        summary=ANSWER_TEXT[answer].format(year=day.year), commitments=commitments, follow_up_due=follow_up,
    )
    ctx.session.add(reply)
    return reply


def _evaluate(ctx, p: Proposal, reply: ProposalReply, day: dt.date, result: str) -> ProposalEvaluation:
    comments = {
        "MANYI": "承办单位态度诚恳，沟通充分，答复具体，对办理结果满意。",
        "JIBEN": "承办单位能够主动沟通，但部分措施仍需进一步细化落实。",
        "BUMANYI": "答复内容较为原则，未针对所提问题提出具体解决措施，希望重新办理。",
    }[result]
    personal = p.proposer_type in ("DAIBIAO_GEREN", "DAIBIAO_LIANMING", "WEIYUAN_GEREN", "WEIYUAN_LIANMING")
    # a proposer who asked for confidentiality is not named on the evaluation either
    evaluator = p.lead_proposer if personal and not p.confidentiality_requested else None
    evaluation = ProposalEvaluation(proposal=p, reply=reply, evaluated_at=day, evaluator=evaluator,
                                    result=result, comments=comments)
    ctx.session.add(evaluation)
    return evaluation


def _check(proposals: list[Proposal]) -> None:
    """The demo obeys the domain's own rules."""
    found = []
    for p in proposals:
        found += [(str(p), m) for m in proposal_problems(p)]
        for a in p.assignments:
            found += [(str(p), m) for m in assignment_problems(a)]
        for r in p.replies:
            found += [(str(p), m) for m in reply_problems(r)]
        for e in p.evaluations:
            found += [(str(p), m) for m in evaluation_problems(e)]
    if found:
        raise AssertionError(f"demo proposals break rules: {found[:5]}")
