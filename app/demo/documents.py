"""Demo documents: incoming documents from the State Council, the province, municipal
departments and districts; outgoing 厦府 / 厦府办 documents with their recipients,
drafters and signers; internal memos (签报); telegrams (some cipher stubs); the 2025 and
2026 gazette issues. Every record's handling steps match its status.

Leaves for later seeders: ctx.data["documents"], ["incoming"], ["outgoing"],
["internal"], ["telegrams"], ["gazette_issues"].
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from app.demo.names import person_name
from models.base import now_cn
from models.documents import (
    NUMBERED_STATUSES,
    STATUS_FLOWS,
    Document,
    DocumentCountersign,
    DocumentHandler,
    DocumentIssuer,
    DocumentRecipient,
    DocumentStep,
    Telegram,
    TelegramRecipient,
    format_doc_no,
    system_urge,
)
from models.gazette import GazetteEntry, GazetteIssue
from models.lookups import CO_HANDLER, LEAD, REQUEST_FOR_INSTRUCTIONS

START = dt.date(2025, 1, 2)
TYPE_WORD = {"TONGZHI": "通知", "YIJIAN": "意见", "JUEDING": "决定", "TONGBAO": "通报", "PIFU": "批复",
             "HAN": "函", REQUEST_FOR_INSTRUCTIONS: "请示", "BAOGAO": "报告", "JIYAO": "纪要"}

# --- incoming: from the State Council, the province and the municipal Party organs -----------
UPPER_TOPICS = [
    ("做好{y}年防汛防台风工作", "TONGZHI"),
    ("做好{y}年元旦春节期间安全生产和安全稳定工作", "TONGZHI"),
    ("进一步优化营商环境降低经营主体制度性交易成本", "YIJIAN"),
    ("因地制宜加快发展新质生产力", "YIJIAN"),
    ("印发《推动大规模设备更新和消费品以旧换新行动方案》", "TONGZHI"),
    ("印发《{y}年政府工作报告》重点工作分工方案", "TONGZHI"),
    ("开展{y}年度安全生产大检查", "TONGZHI"),
    ("做好{y}年森林防灭火工作", "TONGZHI"),
    ("做好{y}年高校毕业生等青年就业创业工作", "TONGZHI"),
    ("进一步加强城镇燃气安全管理", "TONGZHI"),
    ("持续推进城市更新行动", "YIJIAN"),
    ("做好{y}年迎峰度夏电力保供工作", "TONGZHI"),
    ("加快推进政务数据有序共享", "YIJIAN"),
    ("健全分层分类的社会救助体系", "YIJIAN"),
    ("做好{y}年国庆节期间有关工作", "TONGZHI"),
    ("开展{y}年国务院大督查", "TONGZHI"),
    ("对{y}年国务院大督查发现的典型经验做法给予表扬", "TONGBAO"),
    ("促进民营经济发展壮大", "YIJIAN"),
    ("加强基层应急管理能力建设", "YIJIAN"),
    ("做好{y}年秋冬季大气污染防治工作", "TONGZHI"),
    ("进一步做好稳就业工作", "TONGZHI"),
    ("深入推进闽西南协同发展区建设", "TONGZHI"),
    ("做好第二十六届中国国际投资贸易洽谈会筹备工作", "TONGZHI"),
    ("开展政务服务“高效办成一件事”重点事项清单工作", "TONGZHI"),
    ("加强耕地保护和粮食安全工作", "YIJIAN"),
    ("进一步规范行政裁量权基准制定和管理工作", "YIJIAN"),
]
PROVINCE_REPLIES = [
    "厦门市{y}年度土地利用计划", "厦门市城市轨道交通第三期建设规划", "设立厦门海洋高新技术产业园区",
    "厦门市东部体育会展新城控制性详细规划", "厦门翔安国际机场综合交通枢纽规划",
]
UPPER_SOURCES = [  # (externals key, weight, agency code of its numbers)
    ("国务院", 8, "国发"), ("国办", 12, "国办发"), ("省政府", 12, "闽政"), ("省政府办公厅", 20, "闽政办"),
    ("省委", 3, "闽委"), ("市委办公厅", 5, "厦委办"),
]

# --- incoming: from municipal departments and districts (upward) --------------------------
DEPT_TOPICS = {
    "市发改委": ["申请将新机场片区综合开发列入{y}年市重点项目", "{y}年上半年全市经济运行情况",
             "调整部分政府定价收费项目"],
    "市教育局": ["{y}年秋季学期中小学学位保障工作情况", "申请新建翔安区第二实验学校", "调整中小学课后服务收费标准"],
    "市财政局": ["申请调整{y}年市级预算", "{y}年市级财政预算执行情况", "下达{y}年第二批专项转移支付资金"],
    "市交通运输局": ["优化调整部分公交线路", "申请实施第二西通道配套道路工程", "{y}年春运工作情况"],
    "市卫健委": ["做好冬春季呼吸道传染病防控工作", "申请建设市急救中心指挥调度系统", "{y}年爱国卫生运动开展情况"],
    "市应急局": ["{y}年第一季度全市安全生产形势", "申请增加应急物资储备库建设资金", "{y}年“五一”假期安全生产情况"],
    "市资源规划局": ["报批《厦门市国土空间总体规划（2021—2035年）》实施方案", "申请调整部分地块用地性质",
                "{y}年度建设用地供应计划"],
    "市建设局": ["申请启动{y}年老旧小区改造项目", "{y}年保障性住房建设情况", "加强建筑工地扬尘治理"],
    "市生态环境局": ["{y}年上半年全市生态环境质量状况", "申请开展近岸海域综合治理专项行动",
               "中央生态环境保护督察整改进展情况"],
    "市商务局": ["申请做好第二十六届投洽会相关工作", "{y}年前三季度全市外贸运行情况", "申请设立跨境电商发展专项资金"],
    "市文旅局": ["{y}年国庆假期文化和旅游市场情况", "申请举办{y}厦门马拉松赛相关保障工作",
             "鼓浪屿世界文化遗产保护管理情况"],
    "市人社局": ["调整{y}年全市最低工资标准", "{y}年高校毕业生就业工作情况", "申请实施企业稳岗返还政策"],
    "市民政局": ["提高城乡居民最低生活保障标准", "{y}年养老服务体系建设情况", "申请调整部分社区管辖范围"],
}
GENERIC_DEPT_TOPICS = ["申请拨付{y}年度专项工作经费", "{y}年工作总结和{y1}年工作计划", "申请召开专题会议研究有关事项"]
DISTRICT_PLACES = {
    "350203": ["沙坡尾", "湖滨", "莲前"], "350205": ["马銮湾", "东孚", "嵩屿"], "350206": ["五缘湾", "枋湖", "高林"],
    "350211": ["杏林湾", "灌口", "后溪"], "350212": ["西柯", "五显", "洪塘"], "350213": ["大嶝", "新店", "马巷"],
}
DISTRICT_TOPICS = [
    "申请{p}片区旧村改造项目立项", "{y}年上半年经济社会发展情况", "申请追加防汛救灾补助资金",
    "申请将{p}片区道路拓宽改造工程列入市重点项目", "{y}年为民办实事项目推进情况", "申请设立{p}社区",
    "安全生产治本攻坚三年行动进展情况",
]

# --- outgoing ----------------------------------------------------------------------------
GOV_PLANS = [
    "厦门市{y}年重点项目建设计划", "厦门市推动大规模设备更新和消费品以旧换新实施方案",
    "厦门市加快发展新质生产力行动方案",
    "厦门市进一步优化营商环境若干措施", "厦门市促进民营经济发展壮大若干措施", "厦门市海洋经济高质量发展三年行动方案",
    "厦门市防汛防台风应急预案", "厦门市突发事件总体应急预案", "厦门市数字政府建设实施方案",
    "厦门市人工智能产业发展行动计划",
]
GOV_OPINIONS = ["加快建设两岸融合发展示范区", "推动实现更加充分更高质量就业", "加强基层应急管理能力建设",
                "深化市属国有企业改革", "推进城市更新提升城市品质"]
GOV_DECISIONS = ["表彰{y}年度全市安全生产先进单位和先进个人", "废止和修改部分市政府规章",
                 "公布{y}年市级行政许可事项清单"]
GOV_BULLETINS = ["{y}年度全市“放管服”改革工作情况", "{y}年度全市政务服务“好差评”工作情况"]
GOV_REPLIES = ["{p}片区控制性详细规划调整", "{p}旧村改造项目实施方案", "设立{p}社区"]
GOV_UPWARD_REQUESTS = ["将东部体育会展新城纳入省重点区域", "支持新机场配套交通项目建设",
                       "设立厦门海洋高新技术产业园区", "调整厦门市城市规划区范围"]
GOV_UPWARD_REPORTS = ["{y}年法治政府建设情况", "{y}年度安全生产工作情况", "{y}年度政务公开工作情况"]
GOV_LETTERS = [("商请支持厦门港口岸扩大开放", "厦门海关"), ("商请协助做好第二十六届投洽会服务保障工作", "厦门海关"),
               ("商请支持优化纳税服务", "市税务局"), ("商请加快东渡港区功能调整", "港务控股")]
NORMATIVE_RULES = ["公共租赁住房管理办法", "城市道路挖掘管理办法", "政府投资项目管理办法", "户籍迁入管理规定",
                   "既有住宅增设电梯管理办法"]
OFFICE_NOTICES = ["防汛防台风", "春节期间安全稳定", "高温天气劳动保护", "国庆节期间有关", "冬季森林防火",
                  "第二十六届投洽会服务保障", "政务公开", "12345热线工作考核", "防范化解重大风险"]
OFFICE_PLANS = ["厦门市{y}年政务公开工作要点", "厦门市{y}年为民办实事项目计划", "厦门市政府系统督查工作办法",
                "厦门市突发事件信息报送办法", "厦门市{y}年营商环境创新试点工作清单"]
OFFICE_NORMATIVE = ["公共数据资源开发利用管理办法", "政府规章立法后评估办法", "行政规范性文件管理办法"]
OFFICE_BULLETINS = ["{y}年第{q}季度全市政务服务“好差评”情况", "{y}年度政务信息报送工作情况",
                    "{y}年第{q}季度12345热线办理情况"]
OFFICE_LETTERS = [("同意{d}举办{y}年相关活动", None), ("同意调整{d}部分工作事项", None)]

INTERNAL_TOPICS = ["召开{y}年全市安全生产工作会议", "申请购置总值班室应急值守设备", "{y}年春节期间市领导走访慰问安排",
                   "市政府常务会议议题安排", "办公厅机关年度预算调整", "组织开展政务信息工作培训",
                   "市长热线系统升级改造", "{y}年度办公厅机关公务接待计划"]

DEPT_RULES = {
    "市资源规划局": ["既有住宅增设电梯规划管理实施细则", "城市更新项目规划管理办法"],
    "市建设局": ["建筑工程施工许可管理实施细则", "住宅专项维修资金管理办法"],
    "市交通运输局": ["网络预约出租汽车经营服务管理实施细则", "城市公共交通运营服务规范"],
    "市民政局": ["最低生活保障审核确认办法", "居家社区养老服务补助办法"],
    "市人社局": ["就业补助资金管理办法", "高层次人才认定办法"],
    "市医保局": ["医疗保障定点医药机构管理办法"],
    "市市场监管局": ["食品小作坊登记管理办法", "个体工商户分型分类培育实施办法"],
    "市财政局": ["市级财政专项资金管理办法", "政府采购内部控制管理办法"],
    "市生态环境局": ["建设项目环境影响评价文件分级审批规定"],
    "市商务局": ["促进会展业发展扶持办法"],
    "市文旅局": ["旅游民宿管理办法"],
    "市教育局": ["民办学校分类登记管理实施细则"],
}
GOV_RULES = ["城市绿化管理规定", "生活垃圾分类管理规定", "公共场所控制吸烟规定实施办法", "政府规章制定程序规定",
             "行政执法监督规定"]
DISTRIBUTION_CC = ["市委各部门", "厦门警备区", "市中级人民法院", "市人民检察院"]


def _pick(rng, weighted):
    total = sum(w for _k, w, *_ in weighted)
    x = rng.uniform(0, total)
    for item in weighted:
        x -= item[1]
        if x <= 0:
            return item
    return weighted[-1]


def _choice_w(rng, pairs):
    """pairs: [(value, weight)]"""
    total = sum(w for _v, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def seed(ctx) -> dict[str, int]:
    return _Seeder(ctx).run()


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.s, self.rng = ctx, ctx.session, ctx.rng
        d = ctx.data
        now = now_cn()
        # the last moment of office hours up to now: no demo step happens at night
        if now.hour < 8:
            now = dt.datetime.combine(now.date() - dt.timedelta(days=1), dt.time(18, 0))
        elif now.hour >= 19 or (now.hour == 18 and now.minute > 30):
            now = dt.datetime.combine(now.date(), dt.time(18, 0))
        self.now = now
        self.today = now_cn().date()
        self.gov, self.office = d["gov"], d["office"]
        self.districts, self.depts, self.zones = d["districts"], d["depts"], d["zones"]
        self.division = d["division"]
        self.ext = d["externals"]
        self.staff = d["staff"]
        leaders = d.get("leaders") or ["市长", "常务副市长", "副市长", "秘书长", "副秘书长"]
        self.city_leaders = [n for n in leaders if "市长" in n] or leaders
        self.office_leaders = [n for n in leaders if "秘书长" in n] or leaders
        self.mayor = self.city_leaders[0]
        self.by_short = {u.short_name_zh: u for u in self.depts + self.districts + self.zones}
        self.by_short.update(self.ext)
        for extra in ("厦门海关", "市税务局", "港务控股"):
            unit = self._find_unit(extra)
            if unit is not None:
                self.by_short[extra] = unit
        self.staff_of = defaultdict(list)
        for p in self.staff:
            self.staff_of[p.department_id].append(p)
        self.counts = defaultdict(int)
        self.archive_seq = defaultdict(int)

    # --- helpers ---------------------------------------------------------------------------
    def _find_unit(self, short):
        from models.org import Department

        return self.s.query(Department).filter(Department.short_name_zh == short).first()

    def people(self, division_name):
        unit = self.division.get(division_name)
        return self.staff_of.get(unit.id, []) if unit is not None else []

    def head_of(self, division_name) -> str:
        staff = self.people(division_name)
        return staff[0].name if staff else person_name(self.rng)

    def member_of(self, division_name):
        staff = self.people(division_name)
        return self.rng.choice(staff) if staff else None

    def clerk_name(self) -> str:
        p = self.member_of("文电处")
        return p.name if p else person_name(self.rng)

    def date_in_range(self, start: dt.date, end: dt.date) -> dt.date:
        span = max(0, (end - start).days)
        return start + dt.timedelta(days=self.rng.randint(0, span))

    def record_date(self) -> dt.date:
        """When a record began: about a third of them in the last five weeks, so that
        the lists show work in progress as well as the archive."""
        if self.rng.random() < 0.3:
            return self.date_in_range(max(START, self.today - dt.timedelta(days=35)), self.today)
        return self.date_in_range(START, self.today)

    def at(self, day: dt.date, start_hour=8, end_hour=18) -> dt.datetime:
        t = dt.datetime.combine(day, dt.time(self.rng.randrange(start_hour, end_hour), self.rng.randrange(0, 60)))
        return min(t, self.now - dt.timedelta(minutes=90))

    def office_hours(self, t: dt.datetime, prev: dt.datetime) -> dt.datetime:
        """Move a time outside 8:00–18:30 to the next morning; never past now, never
        before the previous step."""
        morning = dt.time(8 + self.rng.randrange(0, 3), self.rng.randrange(0, 60))
        if t.hour >= 19 or (t.hour == 18 and t.minute > 30):
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1), morning)
        elif t.hour < 8:
            t = dt.datetime.combine(t.date(), morning)
        if t >= self.now:
            t = self.now - dt.timedelta(minutes=self.rng.randrange(1, 240))
        return max(t, prev + dt.timedelta(minutes=1))

    def archive_no(self, year, retention) -> str:
        self.archive_seq[year] += 1
        code = {"YONGJIU": "Y", "D30": "D30", "D10": "D10"}.get(retention or "D10", "D10")
        return f"{year}-WS-{code}-{self.archive_seq[year]:04d}"

    def add_steps(self, doc, plan, start: dt.datetime, *, fast=False):
        """plan: [(step_type, actor, department, opinion, due_at)] spread from `start`
        to at most now; times keep the order of the plan."""
        if not plan:
            return []
        gaps = [self.rng.uniform(0.5, 6 if fast else 30) for _ in plan]  # hours
        total = sum(gaps)
        room = max(0.2, (self.now - start).total_seconds() / 3600 * 0.9)
        scale = min(1.0, room / total)
        t = start
        steps = []
        for (step_type, actor, dept, opinion, due_at), gap in zip(plan, gaps, strict=True):
            t = self.office_hours(t + dt.timedelta(hours=gap * scale), t)
            step = DocumentStep(document=doc, step_type=step_type, actor=actor, department=dept,
                                opinion=opinion, acted_at=t.replace(second=0, microsecond=0), due_at=due_at)
            self.s.add(step)
            steps.append(step)
            self.counts["DocumentStep"] += 1
        return steps

    def recipient(self, doc, kind, seq, unit=None, group=None):
        self.s.add(DocumentRecipient(document=doc, kind=kind, seq=seq, department=unit, group_name=group))
        self.counts["DocumentRecipient"] += 1

    # --- incoming --------------------------------------------------------------------------
    def incoming_status(self, age: int, read_only: bool, returnable: bool) -> str:
        if age > 60:
            table = [("ARCHIVED", 75), ("DONE", 20), ("RETURNED", 5 if returnable else 0)]
        elif age > 20:
            table = [("DONE", 40), ("ARCHIVED", 20), ("HANDLING", 25), ("CIRCULATING", 10),
                     ("RETURNED", 5 if returnable else 0)]
        elif age > 6:
            table = [("HANDLING", 35), ("CIRCULATING", 15), ("INSTRUCTED", 20), ("PROPOSED", 15), ("DONE", 15)]
        else:
            table = [("PENDING_SIGN", 10), ("RECEIVED", 8), ("REGISTERED", 20), ("REVIEWED", 20), ("PROPOSED", 20),
                     ("INSTRUCTED", 15), ("HANDLING", 10)]
        status = _choice_w(self.rng, [(s, w) for s, w in table if w])
        if read_only and status == "HANDLING":
            status = "CIRCULATING"
        if not read_only and status == "CIRCULATING":
            status = "HANDLING"
        return status

    def make_incoming(self, n: int) -> list[Document]:
        rng = self.rng
        specs = []
        for _ in range(n):
            received = self.record_date()
            y = received.year
            kind = _choice_w(rng, [("upper", 58), ("dept", 24), ("district", 18)])
            if kind == "upper":
                key, _w, code = _pick(rng, UPPER_SOURCES)
                source = self.ext[key]
                if key == "省政府" and rng.random() < 0.25:
                    topic, doc_type = rng.choice(PROVINCE_REPLIES).format(y=y), "PIFU"
                else:
                    topic, doc_type = rng.choice(UPPER_TOPICS)
                    topic = topic.format(y=y)
                if key in ("省委", "市委办公厅"):
                    topic, doc_type = rng.choice([tp for tp in UPPER_TOPICS if "国务院" not in tp[0]])
                    topic = topic.format(y=y)
                writing = "PINGXING" if key == "市委办公厅" else "XIAXING"
                title = f"{source.name_zh}关于{topic}的{TYPE_WORD[doc_type]}"
                signer = None
            else:
                if kind == "dept":
                    source = rng.choice([d for d in self.depts if d.short_name_zh in DEPT_TOPICS]
                                        if rng.random() < 0.8 else self.depts)
                    pool = DEPT_TOPICS.get(source.short_name_zh, GENERIC_DEPT_TOPICS)
                    topic = rng.choice(pool).format(y=y, y1=y + 1)
                else:
                    source = rng.choice(self.districts)
                    place = rng.choice(DISTRICT_PLACES.get(source.division_code, ["中心"]))
                    topic = rng.choice(DISTRICT_TOPICS).format(y=y, p=place)
                code = source.agency_code or "厦"
                doc_type = "BAOGAO" if topic.endswith(("情况", "计划", "状况", "形势")) else REQUEST_FOR_INSTRUCTIONS
                writing = "SHANGXING"
                title = f"{source.name_zh}关于{topic}的{TYPE_WORD[doc_type]}"
                signer = person_name(rng)
            urgency = _choice_w(rng, [("PUTONG", 70), ("JIAJI", 22), ("TEJI", 8)])
            secrecy = _choice_w(rng, [("FEIMI", 78), ("NEIBU", 16), ("MIMI", 4), ("JIMI", 2)]) \
                if kind == "upper" else _choice_w(rng, [("FEIMI", 88), ("NEIBU", 12)])
            specs.append(dict(received=received, kind=kind, source=source, code=code, doc_type=doc_type,
                              writing=writing, title=title, signer=signer, urgency=urgency, secrecy=secrecy))
        specs.sort(key=lambda sp: sp["received"])
        # the two that came in last wait at the door whatever the draw: one awaiting receipt (待签收),
        # one signed for and not yet registered (已签收)
        for sp, status in zip(reversed(specs), ("PENDING_SIGN", "RECEIVED"), strict=False):
            sp["status"] = status
        source_seq = defaultdict(lambda: rng.randrange(1, 20))
        return [self._incoming_doc(sp, source_seq) for sp in specs]

    def _incoming_doc(self, sp, source_seq) -> Document:
        rng = self.rng
        received_at = self.at(sp["received"])
        y = received_at.year
        main_line = {"国务院": "各省、自治区、直辖市人民政府，国务院各部委、各直属机构",
                     "国办": "各省、自治区、直辖市人民政府，国务院各部委、各直属机构",
                     "省委": "各设区市党委和人民政府，平潭综合实验区党工委和管委会，省直各单位",
                     "市委办公厅": "各区党委和人民政府，市直各单位"}.get(
            sp["source"].short_name_zh, "各设区市人民政府，平潭综合实验区管委会，省人民政府各部门、各直属机构")
        # the sender's number
        written = sp["received"] - dt.timedelta(days=rng.randint(1, 6))
        skey = (sp["code"], written.year)
        source_seq[skey] += rng.randint(1, 4)
        source_doc_no = format_doc_no(sp["code"], written.year, source_seq[skey])
        doc_type = sp["doc_type"]
        read_only = doc_type not in (REQUEST_FOR_INSTRUCTIONS, "PIFU") and rng.random() < 0.35
        age = (self.today - sp["received"]).days
        status = sp.get("status") or self.incoming_status(age, read_only, returnable=sp["kind"] != "upper")
        classified = sp["secrecy"] in ("MIMI", "JIMI", "JUEMI")
        urgent = sp["urgency"] in ("JIAJI", "TEJI")
        due_date = None
        if urgent:
            due_date = sp["received"] + dt.timedelta(days=1 if sp["urgency"] == "TEJI" else 3)
        elif not read_only:
            due_date = sp["received"] + dt.timedelta(days=rng.choice((7, 10, 15)))
        reply_required = doc_type == REQUEST_FOR_INSTRUCTIONS or (not read_only and rng.random() < 0.3)
        doc = Document(
            direction="INCOMING", status=status, title=sp["title"], doc_type=doc_type,
            writing_direction=sp["writing"], issuer=sp["source"], source_doc_no=source_doc_no,
            written_date=written, secrecy_level=sp["secrecy"], urgency=sp["urgency"],
            copy_no=f"{rng.randrange(1, 300):06d}" if classified else None,
            secrecy_term=rng.choice(["10年", None]) if sp["secrecy"] == "MIMI" else ("20年" if classified else None),
            signer=sp["signer"], copies=1 if classified else rng.choice((1, 1, 2, 3)),
            read_or_act="YUEJIAN" if read_only else "BANJIAN", due_date=due_date, reply_required=reply_required,
            retention="YONGJIU" if sp["kind"] == "upper" and sp["source"].short_name_zh in ("国务院", "省政府")
            else rng.choice(["D30", "D10", "D10"]),
        )
        doc.received_at = received_at  # the receipt number is given by number_receipts()
        if not classified and rng.random() < 0.6:
            doc.body = (f"{'厦门市人民政府' if sp['kind'] != 'upper' else main_line}：\n"
                        f"　　{sp['title'].split('关于', 1)[-1].rsplit('的', 1)[0]}，"
                        f"现将有关事项{TYPE_WORD[doc_type]}如下：\n"
                        "　　一、提高思想认识，切实加强组织领导。\n　　二、突出工作重点，狠抓责任落实。\n"
                        "　　三、强化督促检查，确保取得实效。")
        self.s.add(doc)
        if doc_type in (REQUEST_FOR_INSTRUCTIONS, "BAOGAO"):
            self.recipient(doc, "MAIN", 1, unit=self.gov)
        elif doc_type == "PIFU":
            self.recipient(doc, "MAIN", 1, unit=self.gov)
        else:
            self.recipient(doc, "MAIN", 1, group=main_line)

        # who handles it
        handlers = self.depts + self.districts + self.zones
        lead = rng.choice(self.depts) if sp["kind"] != "dept" else sp["source"]
        if sp["kind"] == "district" and rng.random() < 0.5:
            lead = rng.choice(self.depts)
        secretary_division = rng.choice(["秘书一处", "秘书二处", "秘书三处", "秘书四处"])
        leader = rng.choice(self.city_leaders)
        past = STATUS_FLOWS["INCOMING"].index
        if past(status) >= past("PROPOSED") and status != "RETURNED":
            if read_only:
                doc.proposed_opinion = f"拟呈{leader}阅示，并送{lead.short_name_zh}阅知。"
            else:
                doc.proposed_opinion = rng.choice([
                    f"拟请{leader}阅示，送{lead.short_name_zh}牵头办理，并于{due_date:%-m月%-d日}前报送办理情况。",
                    f"拟送{lead.short_name_zh}研究提出意见，报{leader}审定。",
                    f"拟请{leader}阅示；由{lead.short_name_zh}会同有关单位抓紧落实。",
                ])
            if not read_only:
                doc.lead_department = lead
                co = rng.sample([h for h in handlers if h is not lead], rng.choice((0, 0, 1, 2)))
                for i, unit in enumerate([lead] + co, start=1):
                    done = status in ("DONE", "ARCHIVED")
                    self.s.add(DocumentHandler(
                        document=doc, seq=i, department=unit, role=LEAD if i == 1 else CO_HANDLER,
                        due_date=due_date if i == 1 else due_date - dt.timedelta(days=1 if urgent else 3),
                        result=("已按要求办理完毕。" if i == 1 else "已向主办单位反馈协办意见。") if done else None))
                    self.counts["DocumentHandler"] += 1
        if status in ("DONE", "ARCHIVED"):
            if not read_only:
                doc.handling_result = rng.choice([
                    "已按要求办理完毕。", "已牵头落实，相关情况已书面报告。", "已研究提出意见，经市政府同意后函复。"])
        if status == "ARCHIVED":
            doc.archive_no = self.archive_no(y, doc.retention)

        # steps up to the status
        office_room = self.division.get("文电处")
        sec_unit = self.division.get(secretary_division)
        due_at = dt.datetime.combine(due_date, dt.time(17, 30)) if due_date else None
        plan = []
        pos = past(status)
        if pos >= past("RECEIVED"):
            plan.append(("QIANSHOU", self.clerk_name(), office_room, None, None))
        if pos >= past("REGISTERED"):
            plan.append(("DENGJI", self.clerk_name(), office_room, None, None))
        if pos >= past("REVIEWED") or status == "RETURNED":
            plan.append(("CHUSHEN", self.head_of("文电处"), office_room,
                         "符合收文要求。" if status != "RETURNED" else "不符合行文规则。", None))
        if status == "RETURNED":
            plan.append(("TUIWEN", self.head_of("文电处"), office_room, rng.choice([
                "该请示一文多事，不符合行文规则，予以退文。", "未经部门会签，请协商一致后再报。",
                "越级行文，请按程序报送。"]), None))
        elif pos >= past("PROPOSED"):
            plan.append(("NIBAN", self.head_of(secretary_division), sec_unit, doc.proposed_opinion, None))
            if pos >= past("INSTRUCTED"):
                plan.append(("PISHI", leader, self.gov, rng.choice(
                    ["阅。", "已阅，请有关部门认真贯彻落实。", "阅。请各相关单位结合实际抓好落实。"] if read_only else
                    ["同意拟办意见。", "请抓紧办理，重要情况及时报告。",
                     f"请{lead.short_name_zh}牵头研究，提出具体意见。"]), None))
            if status in ("CIRCULATING",) or (read_only and pos >= past("HANDLING")):
                for name in rng.sample(self.city_leaders, min(len(self.city_leaders), rng.randint(1, 3))):
                    plan.append(("CHUANYUE", name, self.gov, "已阅。", None))
            if not read_only and pos >= past("HANDLING"):
                plan.append(("CHENGBAN", person_name(rng), lead, "已收悉，正在组织办理。", due_at))
                if status in ("DONE", "ARCHIVED") and due_date and rng.random() < 0.2:
                    plan.append(("CUIBAN", self.head_of("督查室"), self.division.get("督查室"),
                                 "请按时限报送办理情况。", due_at))
            if status in ("DONE", "ARCHIVED"):
                if reply_required:
                    plan.append(("DAFU", person_name(rng), lead, doc.handling_result, None))
                elif not read_only:
                    plan.append(("CHENGBAN", person_name(rng), lead, doc.handling_result, None))
            if status == "ARCHIVED":
                plan.append(("GUIDANG", self.clerk_name(), office_room, f"归档号：{doc.archive_no}", None))
        steps = self.add_steps(doc, plan, received_at, fast=sp["urgency"] != "PUTONG")
        signed_for = next((st for st in steps if st.step_type == "QIANSHOU"), None)
        if signed_for is not None:     # 签收: who signed for it, and when
            doc.received_by, doc.received_at = signed_for.actor, signed_for.acted_at
        reply = next((st for st in steps if st.step_type == "DAFU"), None)
        if reply is not None:
            doc.replied_at = reply.acted_at
        if status in ("DONE", "ARCHIVED") and steps:
            finished = next((st.acted_at for st in reversed(steps) if st.step_type in ("DAFU", "CHENGBAN")),
                            steps[-1].acted_at)
            for handler in doc.handlers:
                handler.done_at = finished
        return doc

    # --- outgoing --------------------------------------------------------------------------
    def outgoing_spec(self, y: int) -> dict:
        rng = self.rng
        q = rng.randint(1, 4)
        district = rng.choice(self.districts)
        place = rng.choice(DISTRICT_PLACES.get(district.division_code, ["中心"]))
        kind = _choice_w(rng, [("gov", 30), ("gov_norm", 5), ("gov_letter", 7), ("gov_reply", 8), ("gov_up", 8),
                               ("office", 25), ("office_norm", 4), ("office_bulletin", 5), ("office_letter", 8)])
        gov = self.gov.name_zh
        off = self.office.name_zh
        spec = dict(kind=kind, normative=False, writing="XIAXING", main=None, cc=None)
        if kind == "gov":
            doc_type = _choice_w(rng, [("TONGZHI", 55), ("YIJIAN", 20), ("JUEDING", 12), ("TONGBAO", 13)])
            if doc_type == "TONGZHI":
                topic = f"印发《{rng.choice(GOV_PLANS).format(y=y)}》"
            elif doc_type == "YIJIAN":
                topic = rng.choice(GOV_OPINIONS)
            elif doc_type == "JUEDING":
                topic = rng.choice(GOV_DECISIONS).format(y=y - 1)
            else:
                topic = rng.choice(GOV_BULLETINS).format(y=y - 1)
            spec.update(prefix="厦府", issuer=self.gov, doc_type=doc_type, main="standard", cc="standard",
                        title=f"{gov}关于{topic}的{TYPE_WORD[doc_type]}")
        elif kind == "gov_norm":
            spec.update(prefix="厦府规", issuer=self.gov, doc_type="TONGZHI", normative=True, main="standard",
                        cc="standard", title=f"{gov}关于印发《厦门市{rng.choice(NORMATIVE_RULES)}》的通知")
        elif kind == "gov_letter":
            topic, to = rng.choice(GOV_LETTERS)
            unit = self.by_short.get(to) or rng.choice(self.depts)
            spec.update(prefix="厦府函", issuer=self.gov, doc_type="HAN", writing="PINGXING", main=[unit],
                        title=f"{gov}关于{topic}的函")
        elif kind == "gov_reply":
            topic = rng.choice(GOV_REPLIES).format(p=place)
            spec.update(prefix="厦府", issuer=self.gov, doc_type="PIFU", main=[district],
                        cc=[self.by_short.get("市发改委"), self.by_short.get("市资源规划局")],
                        title=f"{gov}关于同意{district.short_name_zh.replace('政府', '')}{topic}的批复")
        elif kind == "gov_up":
            province = self.ext["省政府"]
            if rng.random() < 0.6:
                topic = rng.choice(GOV_UPWARD_REQUESTS)
                spec.update(doc_type=REQUEST_FOR_INSTRUCTIONS, title=f"{gov}关于恳请{topic}的请示")
            else:
                topic = rng.choice(GOV_UPWARD_REPORTS).format(y=y - 1)
                spec.update(doc_type="BAOGAO", title=f"{gov}关于{topic}的报告")
            spec.update(prefix="厦府", issuer=self.gov, writing="SHANGXING", main=[province])
        elif kind == "office":
            if rng.random() < 0.55:
                topic = f"做好{y}年{rng.choice(OFFICE_NOTICES)}工作"
            else:
                topic = f"印发《{rng.choice(OFFICE_PLANS).format(y=y)}》"
            spec.update(prefix="厦府办", issuer=self.office, doc_type="TONGZHI", main="standard", cc="sometimes",
                        title=f"{off}关于{topic}的通知")
            party_office = self.ext.get("市委办公厅")
            if party_office is not None and rng.random() < 0.15:
                # 联合行文 with the Party committee's office: our office leads, so our number
                spec.update(joint=[party_office], title=f"{off} {party_office.name_zh}关于{topic}的通知")
        elif kind == "office_norm":
            spec.update(prefix="厦府办规", issuer=self.office, doc_type="TONGZHI", normative=True, main="standard",
                        cc="standard", title=f"{off}关于印发《厦门市{rng.choice(OFFICE_NORMATIVE)}》的通知")
        elif kind == "office_bulletin":
            topic = rng.choice(OFFICE_BULLETINS).format(y=y if q < 4 else y - 1, q="一二三四"[q - 1])
            spec.update(prefix="厦府办", issuer=self.office, doc_type="TONGBAO", main="standard",
                        title=f"{off}关于{topic}的通报")
        else:
            unit = rng.choice(self.depts)
            topic = rng.choice(OFFICE_LETTERS)[0].format(d=unit.short_name_zh, y=y)
            spec.update(prefix="厦府办函", issuer=self.office, doc_type="HAN", writing="XIAXING", main=[unit],
                        title=f"{off}关于{topic}的函")
        return spec

    def outgoing_status(self, age: int, spec, has_countersign: bool, disclosure: str) -> str:
        if age > 45:
            table = [("ARCHIVED", 62), ("PUBLISHED", 22), ("DISTRIBUTED", 12), ("VOID", 4)]
        elif age > 15:
            table = [("DISTRIBUTED", 30), ("PUBLISHED", 20), ("PRINTED", 12), ("SEALED", 4), ("NUMBERED", 6),
                     ("ARCHIVED", 25), ("VOID", 5)]
        elif age > 6:
            table = [("OFFICE_REVIEW", 15), ("SIGNED", 20), ("RECHECKED", 15), ("NUMBERED", 10), ("SEALED", 8),
                     ("PRINTED", 15), ("DISTRIBUTED", 20)]
        else:
            table = [("DRAFT", 25), ("DEPT_REVIEW", 25), ("COUNTERSIGN", 20), ("OFFICE_REVIEW", 20), ("SIGNED", 10)]
        status = _choice_w(self.rng, table)
        if status == "PUBLISHED" and disclosure != "ZHUDONG":
            status = "DISTRIBUTED"
        if status == "COUNTERSIGN" and not has_countersign:
            status = "DEPT_REVIEW"
        return status

    def make_outgoing(self, n: int) -> list[Document]:
        docs = []
        for _ in range(n):
            start = self.record_date()
            docs.append(self._outgoing_doc(start, self.outgoing_spec(start.year)))
        # numbers: in the order the documents were numbered, per prefix and year
        numbered = sorted((d for d in docs if d.status in NUMBERED_STATUSES), key=lambda d: d._numbered_at)
        seq = defaultdict(int)
        for d in numbered:
            key = (d._prefix, d._numbered_at.year)
            seq[key] += 1
            d.doc_no_prefix, d.doc_no_year, d.doc_no_seq = d._prefix, d._numbered_at.year, seq[key]
        for d in numbered:
            if d.status == "ARCHIVED":
                d.archive_no = self.archive_no(d.doc_no_year, d.retention)
            for step in d._pending_steps:
                if step.step_type == "BIANHAO":
                    step.opinion = f"文号：{d.doc_no}"
                if step.step_type == "GUIDANG":
                    step.opinion = f"归档号：{d.archive_no}"
        return docs

    def _outgoing_doc(self, start: dt.date, spec) -> Document:
        rng = self.rng
        classified = spec["doc_type"] not in ("HAN",) and not spec["normative"] and rng.random() < 0.03
        if spec["normative"]:
            disclosure = "ZHUDONG"
        elif classified:
            disclosure = "BUYU"
        elif spec["doc_type"] in (REQUEST_FOR_INSTRUCTIONS, "BAOGAO", "HAN"):
            disclosure = _choice_w(rng, [("YISHENQING", 50), ("BUYU", 35), ("ZHUDONG", 15)])
        else:
            disclosure = _choice_w(rng, [("ZHUDONG", 65), ("YISHENQING", 25), ("BUYU", 10)])
        division_name = rng.choice(["秘书一处", "秘书二处", "秘书三处", "秘书四处", "综合处", "综合处", "督查室",
                                    "政务信息处", "总值班室", "电子政务处"])
        division = self.division.get(division_name)
        drafter = self.member_of(division_name)
        countersign = []
        if spec["doc_type"] not in ("HAN",) and rng.random() < 0.45:
            countersign = rng.sample(self.depts, rng.randint(1, 3))
        age = (self.today - start).days
        status = self.outgoing_status(age, spec, bool(countersign), disclosure)
        if spec["kind"].startswith("gov"):
            major = spec["writing"] == "SHANGXING" or spec["normative"]
            signer = self.mayor if major else rng.choice(self.city_leaders)
        else:
            signer = rng.choice(self.office_leaders)
        publish = spec["doc_type"] in ("TONGZHI", "YIJIAN", "JUEDING") and disclosure == "ZHUDONG" and \
            (spec["normative"] or rng.random() < 0.5)
        doc = Document(
            direction="OUTGOING", status=status, title=spec["title"], doc_type=spec["doc_type"],
            writing_direction=spec["writing"], issuer=spec["issuer"], drafting_division=division, drafter=drafter,
            secrecy_level="MIMI" if classified else _choice_w(rng, [("FEIMI", 88), ("NEIBU", 12)]),
            urgency=_choice_w(rng, [("PUTONG", 80), ("JIAJI", 15), ("TEJI", 5)]),
            disclosure=disclosure, is_normative=spec["normative"], legality_reviewed=spec["normative"],
            publish_to_gazette=publish, printing_org=self.office,
            retention="YONGJIU" if spec["prefix"] in ("厦府", "厦府规")
            else ("D10" if "函" in spec["prefix"] else "D30"),
        )
        if classified:
            doc.copy_no = f"{rng.randrange(1, 120):06d}"
            doc.secrecy_term = "10年"
        if disclosure == "BUYU":
            doc.disclosure_reason = "涉及国家秘密" if classified else rng.choice(
                ["属于内部事务信息", "涉及内部工作安排，不宜公开", "属于过程性信息"])
        if doc.disclosure == "ZHUDONG":
            doc.remark = "（此件主动公开）"
        elif doc.disclosure == "YISHENQING":
            doc.remark = "（此件依申请公开）"
        elif not classified:
            doc.remark = "（此件不予公开）"
        if "印发《" in spec["title"]:
            doc.attachment_note = "附件：" + spec["title"].split("《", 1)[1].split("》", 1)[0]
        self.s.add(doc)
        for i, unit in enumerate(spec.get("joint", []), start=2):
            self.s.add(DocumentIssuer(document=doc, seq=i, department=unit, signer=person_name(rng)))
            self.counts["DocumentIssuer"] += 1
        for i, unit in enumerate(countersign, start=1):
            self.s.add(DocumentCountersign(document=doc, seq=i, department=unit))
            self.counts["DocumentCountersign"] += 1
        doc._prefix = spec["prefix"]
        doc._pending_steps = []

        # recipients
        seq = 0
        main = spec["main"]
        if main == "standard":
            groups = ["各区人民政府", "市直各委、办、局"]
            if rng.random() < 0.6:
                groups.append("各开发区管委会")
            if rng.random() < 0.3:
                groups.append("各有关单位")
            for g in groups:
                seq += 1
                self.recipient(doc, "MAIN", seq, group=g)
        elif main:
            for unit in main:
                if unit is not None:
                    seq += 1
                    self.recipient(doc, "MAIN", seq, unit=unit)
        cc = spec["cc"]
        if cc == "sometimes":
            cc = "standard" if rng.random() < 0.4 else None
        if cc == "standard":
            for unit in (self.ext.get("市委办公厅"), self.ext.get("市人大常委会"), self.ext.get("市政协")):
                if unit is not None:
                    seq += 1
                    self.recipient(doc, "CC", seq, unit=unit)
            for g in DISTRIBUTION_CC:
                seq += 1
                self.recipient(doc, "CC", seq, group=g)
        elif isinstance(cc, list):
            for unit in cc:
                if unit is not None:
                    seq += 1
                    self.recipient(doc, "CC", seq, unit=unit)

        # the way through the office, cut at the status
        flow = STATUS_FLOWS["OUTGOING"]
        pos = flow.index(status) if status != "VOID" else None
        div_head = self.head_of(division_name)
        office_reviewer = rng.choice(self.office_leaders)
        wendian = self.division.get("文电处")
        plan = []  # (step, reaches status)
        plan.append((("QICAO", drafter.name if drafter else person_name(rng), division, "拟稿完成，请审核。", None),
                     "DEPT_REVIEW"))
        plan.append((("HEGAO", div_head, division, "文稿已核，请会签。" if countersign else "文稿已核。", None),
                     "COUNTERSIGN" if countersign else "OFFICE_REVIEW"))
        for unit in countersign:
            opinion = rng.choice(["无意见。", "同意。", "建议修改第三部分表述，已反馈。"])
            plan.append((("HUIQIAN", person_name(rng), unit, opinion, None), "OFFICE_REVIEW"))
        plan.append((("HEGAO", office_reviewer, self.office, "请审签。", None), "SIGNED"))
        plan.append((("QIANFA", signer, self.gov if spec["kind"].startswith("gov") else self.office, "同意。", None),
                     "SIGNED"))
        plan.append((("FUHE", self.head_of("文电处"), wendian, "已复核，无实质性修改。", None), "RECHECKED"))
        plan.append((("BIANHAO", self.clerk_name(), wendian, None, None), "NUMBERED"))
        seal_copies = rng.choice((30, 50, 80, 100, 150, 200, 300))
        plan.append((("YONGYIN", self.clerk_name(), wendian, f"用印{seal_copies}份", None), "SEALED"))
        plan.append((("YINZHI", self.clerk_name(), wendian, None, None), "PRINTED"))
        plan.append((("HEFA", self.clerk_name(), wendian, "已核发。", None), "DISTRIBUTED"))
        if disclosure == "ZHUDONG":
            publisher = self.member_of("政务信息处")
            plan.append((("GONGKAI", publisher.name if publisher else None, self.division.get("政务信息处"),
                          "已在市政府门户网站公开。", None), "PUBLISHED"))
        plan.append((("GUIDANG", self.clerk_name(), wendian, None, None), "ARCHIVED"))

        if status == "VOID":
            cut = rng.randint(1, 3)
            chosen = [p for p, _s in plan[:cut]]
            chosen.append(("ZUOFEI", div_head, division, "该事项已另行发文，本稿作废。", None))
        elif status == "DRAFT":
            chosen = []
        else:
            chosen = [p for p, reach in plan if flow.index(reach) <= pos]
        began = self.at(start)
        doc._began = began
        fast = doc.urgency != "PUTONG"
        last = self._steps_of_outgoing(doc, chosen, began, fast)
        # dates that follow from the steps
        for step in doc._pending_steps:
            if step.step_type == "QIANFA":
                doc.signer, doc.signed_at = signer, step.acted_at
                doc.written_date = step.acted_at.date()
            if step.step_type == "YONGYIN":       # 用印: who sealed, when, how many copies
                doc.sealed_by, doc.sealed_at, doc.seal_copies = step.actor, step.acted_at, seal_copies
            if step.step_type == "YINZHI":
                doc.printed_date = step.acted_at.date()
                doc.print_copies = seal_copies
        signs = [st for st in doc._pending_steps if st.step_type == "HUIQIAN"]
        for row, step in zip(doc.countersigns, signs, strict=False):
            row.signer, row.signed_at, row.opinion = step.actor, step.acted_at, step.opinion
        numbering = next((st for st in doc._pending_steps if st.step_type == "BIANHAO"), None)
        doc._numbered_at = numbering.acted_at if numbering else last
        if doc.writing_direction == "SHANGXING" and not doc.signer:
            doc.signer = signer  # the signer is known from the draft's routing slip
        reviewers = [div_head] + ([office_reviewer] if any(
            st.step_type == "HEGAO" and st.department is self.office for st in doc._pending_steps) else [])
        doc.reviewers = "、".join(reviewers) if any(st.step_type == "HEGAO" for st in doc._pending_steps) else None
        if not classified:
            doc.body = self._outgoing_body(doc, spec)
        return doc

    def _steps_of_outgoing(self, doc, plan, start, fast):
        if not plan:
            return start
        gaps = [self.rng.uniform(1, 8 if fast else 36) for _ in plan]
        room = max(0.2, (self.now - start).total_seconds() / 3600 * 0.9)
        scale = min(1.0, room / sum(gaps))
        t = start
        for (step_type, actor, dept, opinion, due_at), gap in zip(plan, gaps, strict=True):
            t = self.office_hours(t + dt.timedelta(hours=gap * scale), t)
            step = DocumentStep(document=doc, step_type=step_type, actor=actor, department=dept, opinion=opinion,
                                acted_at=t.replace(second=0, microsecond=0), due_at=due_at)
            self.s.add(step)
            doc._pending_steps.append(step)
            self.counts["DocumentStep"] += 1
        return t

    def _outgoing_body(self, doc, spec) -> str:
        mains = "，".join(r.group_name or (r.department.name_zh if r.department else "")
                         for r in doc.recipients if r.kind == "MAIN")
        subject = doc.title.split("关于", 1)[-1].rsplit("的", 1)[0]
        if spec["doc_type"] == "HAN":
            text = f"　　为{subject.replace('商请', '')}，现函商如下，请予支持。"
        elif spec["doc_type"] == "PIFU":
            text = (f"　　你区《关于{subject.replace('同意', '申请')}的请示》收悉。"
                    "经研究，原则同意。请按程序抓紧组织实施。")
        elif spec["doc_type"] in (REQUEST_FOR_INSTRUCTIONS, "BAOGAO"):
            text = f"　　现将{subject}有关情况{'请示' if spec['doc_type'] == 'QINGSHI' else '报告'}如下：……"
        elif "印发《" in doc.title:
            text = f"　　{doc.title.split('《', 1)[1].split('》', 1)[0]}已经市政府同意，现印发给你们，请认真贯彻执行。"
        else:
            text = f"　　为{subject}，经市政府同意，现就有关事项{TYPE_WORD.get(spec['doc_type'], '通知')}如下：\n" \
                   "　　一、加强组织领导。\n　　二、压实工作责任。\n　　三、强化督促落实。"
        return f"{mains}：\n{text}"

    # --- internal memos (签报) ---------------------------------------------------------------
    def make_internal(self, n: int) -> list[Document]:
        rng = self.rng
        docs = []
        flow = STATUS_FLOWS["INTERNAL"]
        for _ in range(n):
            start = self.record_date()
            age = (self.today - start).days
            if age > 30:
                status = _choice_w(rng, [("ARCHIVED", 70), ("DONE", 25), ("VOID", 5)])
            elif age > 7:
                status = _choice_w(rng, [("INSTRUCTED", 25), ("HANDLING", 35), ("DONE", 40)])
            else:
                status = _choice_w(rng, [("DRAFT", 25), ("DEPT_REVIEW", 30), ("OFFICE_REVIEW", 30), ("INSTRUCTED", 15)])
            division_name = rng.choice(["综合处", "总值班室", "行政处", "人事处", "秘书一处", "电子政务处",
                                        "政务信息处"])
            division = self.division.get(division_name)
            drafter = self.member_of(division_name)
            topic = rng.choice(INTERNAL_TOPICS).format(y=start.year)
            leader = rng.choice(self.office_leaders + self.city_leaders[:1])
            leader_unit = self.gov if leader in self.city_leaders else self.office
            instruction = rng.choice(["同意。", "同意，请抓紧落实。", "原则同意，注意节俭。"])
            doc = Document(direction="INTERNAL", status=status, title=f"关于{topic}的签报", drafting_division=division,
                           drafter=drafter, lead_department=division, secrecy_level=rng.choice(["FEIMI", "NEIBU"]),
                           urgency=_choice_w(rng, [("PUTONG", 85), ("JIAJI", 15)]), retention="D10",
                           written_date=start,
                           body=f"{leader}：\n　　{topic}事宜，现将有关情况和建议报告如下，妥否，请批示。")
            self.s.add(doc)
            plan = [(("QICAO", drafter.name if drafter else person_name(rng), division, None, None), "DEPT_REVIEW"),
                    (("HEGAO", self.head_of(division_name), division, "请领导审阅。", None), "OFFICE_REVIEW"),
                    (("HEGAO", rng.choice(self.office_leaders), self.office, "拟同意，请批示。", None), "INSTRUCTED"),
                    (("PISHI", leader, leader_unit, instruction, None), "INSTRUCTED"),
                    (("CHENGBAN", drafter.name if drafter else person_name(rng), division, "正在落实。", None),
                     "HANDLING"),
                    (("CHENGBAN", self.head_of(division_name), division, "已落实完毕。", None), "DONE"),
                    (("GUIDANG", self.clerk_name(), self.division.get("文电处"), None, None), "ARCHIVED")]
            if status == "VOID":
                chosen = [p for p, _r in plan[:rng.randint(1, 2)]] + [
                    ("ZUOFEI", self.head_of(division_name), division, "情况变化，本签报撤回。", None)]
            elif status == "DRAFT":
                chosen = []
            else:
                chosen = [p for p, reach in plan if flow.index(reach) <= flow.index(status)]
            if status == "ARCHIVED":
                doc.archive_no = self.archive_no(start.year, "D10")
            doc._began = self.at(start)
            self.add_steps(doc, chosen, doc._began)
            docs.append(doc)
        return docs

    # --- telegrams ---------------------------------------------------------------------------
    def make_telegrams(self, n: int) -> tuple[list[Telegram], list[Document]]:
        rng = self.rng
        clerks = self.people("文电处") or self.staff[:5]
        teles, routed_docs = [], []
        seq = defaultdict(int)
        items = sorted(self.at(self.record_date(), 0, 24) for _ in range(n))
        for when in items:
            y = when.year
            kind = _choice_w(rng, [("cipher", 20), ("plain_in", 65), ("plain_out", 15)])
            clerk = rng.choice(clerks)
            age = (self.today - when.date()).days
            if kind == "cipher":
                seq[("密", y)] += 1
                t = Telegram(direction=_choice_w(rng, [("INCOMING", 85), ("OUTGOING", 15)]), tele_type="MIDIAN",
                             tele_no=f"密〔{y}〕{seq[('密', y)]}号",
                             priority=_choice_w(rng, [("PINGJI", 30), ("JIAJI", 35), ("TEJI", 25), ("TETI", 10)]),
                             secrecy_level=_choice_w(rng, [("MIMI", 60), ("JIMI", 35), ("JUEMI", 5)]),
                             transmitted_at=when, clerk=clerk,
                             status="REGISTERED" if age < 3 else rng.choice(["DONE", "ARCHIVED", "ARCHIVED"]))
                self.s.add(t)
                teles.append(t)
                continue
            if kind == "plain_in":
                key, code = rng.choice([("国办", "国办发明电"), ("省政府办公厅", "闽政办明电"), ("省政府", "闽政明电"),
                                        ("省委", "闽委明电")])
                sender = self.ext[key]
                seq[(code, y)] += rng.randint(1, 3)
                topic, _t = rng.choice([tp for tp in UPPER_TOPICS if tp[1] == "TONGZHI" and "印发" not in tp[0]])
                topic = topic.format(y=y)
                title = f"关于{topic}的紧急通知" if rng.random() < 0.5 else f"关于{topic}的通知"
                t = Telegram(direction="INCOMING", tele_type="MINGDIAN", tele_no=format_doc_no(code, y, seq[(code, y)]),
                             priority=_choice_w(rng, [("PINGJI", 35), ("JIAJI", 35), ("TEJI", 25), ("TETI", 5)]),
                             secrecy_level=_choice_w(rng, [("FEIMI", 80), ("NEIBU", 20)]), transmitted_at=when,
                             clerk=clerk, sender_org=sender, signer=person_name(rng), title=title,
                             content=f"各设区市人民政府，平潭综合实验区管委会：\n"
                                     f"　　为{topic}，现就有关事项紧急通知如下：……",
                             pages=rng.randint(2, 8))
                self.s.add(t)
                self.s.add(TelegramRecipient(telegram=t, kind="MAIN", seq=1,
                                             group_name="各设区市人民政府，平潭综合实验区管委会"))
                self.s.add(TelegramRecipient(telegram=t, kind="CC", seq=2, group_name="省直有关单位"))
                self.counts["TelegramRecipient"] += 2
                if age < 2:
                    t.status = "REGISTERED"
                else:
                    t.status = "ROUTED" if age < 15 else rng.choice(["DONE", "ARCHIVED"])
                    t.document = self._telegram_document(t, when)
                    routed_docs.append(t.document)
            else:
                seq[("厦府办明电", y)] += 1
                topic = rng.choice(OFFICE_NOTICES)
                t = Telegram(direction="OUTGOING", tele_type="MINGDIAN",
                             tele_no=format_doc_no("厦府办明电", y, seq[("厦府办明电", y)]),
                             priority=_choice_w(rng, [("PINGJI", 40), ("JIAJI", 40), ("TEJI", 20)]),
                             secrecy_level="FEIMI", transmitted_at=when, clerk=clerk, sender_org=self.office,
                             signer=rng.choice(self.office_leaders), title=f"关于做好{y}年{topic}工作的紧急通知",
                             content=f"各区人民政府，市直各委、办、局：\n"
                                     f"　　为做好{y}年{topic}工作，现紧急通知如下：……",
                             pages=rng.randint(1, 4), status="DONE" if age > 3 else "REGISTERED")
                self.s.add(t)
                for i, g in enumerate(["各区人民政府", "市直各委、办、局", "各开发区管委会"], start=1):
                    self.s.add(TelegramRecipient(telegram=t, kind="MAIN", seq=i, group_name=g))
                    self.counts["TelegramRecipient"] += 1
            teles.append(t)
        teles += self.fresh_telegrams(clerks)
        return teles, routed_docs

    def fresh_telegrams(self, clerks) -> list[Telegram]:
        """Telegrams received in the last hours, one of each priority, still to be handled: their due
        times come from the time limits of the priority (TelegramSLA) — the 特急 one already past
        it, so the list, the dashboard and the reminders show an overdue telegram."""
        rng, now, out = self.rng, now_cn(), []
        for priority, minutes_ago, title in (
                ("TETI", 20, "关于立即做好强对流天气防范应对工作的紧急通知"),
                ("TEJI", 300, "关于切实做好岁末年初安全生产工作的紧急通知"),
                ("JIAJI", 90, "关于报送年度重点工作完成情况的通知"),
                ("PINGJI", 45, "关于做好年度政务公开工作总结的通知")):
            when = now - dt.timedelta(minutes=minutes_ago)
            code = "闽政办明电"
            t = Telegram(direction="INCOMING", tele_type="MINGDIAN", priority=priority, secrecy_level="FEIMI",
                         tele_no=format_doc_no(code, when.year, 900 + len(out)), transmitted_at=when,
                         clerk=rng.choice(clerks), sender_org=self.ext["省政府办公厅"], signer=person_name(rng),
                         title=title, content="各设区市人民政府，平潭综合实验区管委会：\n　　现就有关事项通知如下：……",
                         pages=2, status="REGISTERED")
            self.s.add(t)
            out.append(t)
        return out

    def _telegram_document(self, tele: Telegram, when: dt.datetime) -> Document:
        """A registered 明电 is routed as an incoming document."""
        rng = self.rng
        lead = rng.choice(self.depts)
        urgent = tele.priority in ("TEJI", "TETI", "JIAJI")
        due = when.date() + dt.timedelta(days=1 if tele.priority in ("TEJI", "TETI") else 3)
        status = "ARCHIVED" if tele.status == "ARCHIVED" else ("DONE" if tele.status == "DONE" else "HANDLING")
        doc = Document(direction="INCOMING", status=status, title=f"{tele.sender_org.name_zh}{tele.title}",
                       doc_type="TONGZHI", writing_direction="XIAXING", issuer=tele.sender_org,
                       source_doc_no=tele.tele_no, received_at=when, secrecy_level=tele.secrecy_level,
                       urgency="TEJI" if tele.priority in ("TEJI", "TETI") else ("JIAJI" if urgent else "PUTONG"),
                       copies=1, read_or_act="BANJIAN", lead_department=lead, due_date=due, written_date=when.date(),
                       proposed_opinion=f"拟请{rng.choice(self.city_leaders)}阅示，送{lead.short_name_zh}牵头抓好落实。",
                       retention="D30", remark="明传电报")
        self.s.add(doc)
        self.recipient(doc, "MAIN", 1, group="各设区市人民政府，平潭综合实验区管委会")
        office_room = self.division.get("文电处")
        plan = [("QIANSHOU", tele.clerk.name, office_room, None, None),
                ("DENGJI", tele.clerk.name, office_room, None, None),
                ("CHUSHEN", self.head_of("文电处"), office_room, "符合收文要求。", None),
                ("NIBAN", self.head_of("秘书一处"), self.division.get("秘书一处"), doc.proposed_opinion, None),
                ("PISHI", rng.choice(self.city_leaders), self.gov, "请抓紧落实。", None),
                ("CHENGBAN", person_name(rng), lead, "已收悉，正在组织落实。",
                 dt.datetime.combine(due, dt.time(17, 30)))]
        if status in ("DONE", "ARCHIVED"):
            doc.handling_result = "已按电报要求落实。"
            plan.append(("CHENGBAN", person_name(rng), lead, doc.handling_result, None))
        if status == "ARCHIVED":
            doc.archive_no = self.archive_no(when.year, "D30")
            plan.append(("GUIDANG", self.clerk_name(), office_room, f"归档号：{doc.archive_no}", None))
        self.add_steps(doc, plan, when, fast=True)
        return doc

    def number_receipts(self, docs):
        """Receipt numbers follow the receipt order across all incoming documents."""
        seq = defaultdict(int)
        for d in sorted(docs, key=lambda d: d.received_at):
            if d.status in ("PENDING_SIGN", "RECEIVED"):     # not registered yet
                d.receive_no = None
                continue
            y = d.received_at.year
            seq[y] += 1
            d.receive_no = f"收〔{y}〕{seq[y]}"

    # --- gazette -----------------------------------------------------------------------------
    def make_gazette(self, outgoing: list[Document]) -> list[GazetteIssue]:
        rng = self.rng
        editors = self.people("政府公报编辑部") or self.staff[:3]
        issues = []
        cumulative = 700
        number_seq = defaultdict(int)
        number_seq["令"] = 205
        horizon = self.today + dt.timedelta(days=30)
        for year in (2025, 2026):
            for no in range(1, 25):
                month, half = (no + 1) // 2, no % 2 == 0
                day = dt.date(year, month, 25 if half else 10)
                cumulative += 1
                if day > horizon:
                    continue
                if day <= self.today - dt.timedelta(days=7):
                    status = "ONLINE"
                elif day <= self.today:
                    status = "PUBLISHED"
                elif day <= self.today + dt.timedelta(days=7):
                    status = rng.choice(["APPROVING", "PRINTING"])
                else:
                    status = rng.choice(["EDITING", "PROOFING"])
                issue = GazetteIssue(
                    year=year, issue_no=no, cumulative_no=cumulative, publish_date=day, status=status,
                    editor=rng.choice(editors), approver=rng.choice(self.office_leaders),
                    print_run=rng.choice((1500, 2000, 2500, 3000)) if status in ("PRINTING", "PUBLISHED", "ONLINE")
                    else None,
                    pdf_file=f"gazette/{year}/{year}-{no:02d}.pdf" if status in ("PUBLISHED", "ONLINE") else None,
                    web_url=f"https://www.xm.gov.cn/zwgk/szfgb/{year}/{no:02d}/" if status == "ONLINE" else None,
                )
                self.s.add(issue)
                issues.append(issue)
        # outgoing documents marked for the gazette, in the first issue after printing
        candidates = sorted((d for d in outgoing if d.publish_to_gazette and d.printed_date
                             and d.status in ("DISTRIBUTED", "PUBLISHED", "ARCHIVED")),
                            key=lambda d: d.printed_date)
        slots = defaultdict(list)
        for doc in candidates:
            for issue in issues:
                if issue.publish_date >= doc.printed_date + dt.timedelta(days=5) and len(slots[id(issue)]) < 9:
                    slots[id(issue)].append(doc)
                    break
        for issue in issues:
            docs = slots.get(id(issue), [])
            entries = []
            for doc in sorted(docs, key=lambda d: (0 if d.issuer is self.gov else 1, d.doc_no_prefix or "",
                                                   d.doc_no_seq or 0)):
                section = "SZFWJ" if doc.issuer is self.gov else "SZFBWJ"
                entries.append((section, doc.title, doc.doc_no, doc))
            wanted = rng.randint(6, 12)
            y = issue.year
            month = issue.publish_date.month - 1 or 12
            explained = set()
            while len(entries) < wanted:
                pick = _choice_w(rng, [("BMWJ", 40), ("RSRM", 20), ("ZCJD", 20), ("SZFL", 4), ("QITA", 6)])
                kinds = [e[0] for e in entries]
                if pick == "BMWJ":
                    short, rules = rng.choice(list(DEPT_RULES.items()))
                    dept = self.by_short.get(short)
                    if dept is None:
                        continue
                    code = f"{dept.agency_code or '厦'}规"
                    title = f"{dept.name_zh}关于印发《厦门市{rng.choice(rules)}》的通知"
                    if any(e[1] == title for e in entries):
                        continue
                    number_seq[(code, y)] += 1
                    entries.append(("BMWJ", title, format_doc_no(code, y, number_seq[(code, y)]), None))
                elif pick == "RSRM":
                    number_seq[("厦府人", y)] += rng.randint(1, 3)
                    entries.append(("RSRM", f"厦门市人民政府关于{person_name(rng)}等同志职务任免的通知",
                                    format_doc_no("厦府人", y, number_seq[("厦府人", y)]), None))
                elif pick == "ZCJD":
                    subjects = [e[1].split("《", 1)[1].split("》", 1)[0] for e in entries
                                if e[3] is not None and "《" in e[1]]
                    subjects += [rng.choice(GOV_PLANS).format(y=y)]
                    subject = next((sj for sj in subjects if sj not in explained), None)
                    if subject is None:
                        continue
                    explained.add(subject)
                    entries.append(("ZCJD", f"《{subject}》政策解读", None, None))
                elif pick == "SZFL" and "SZFL" not in kinds:
                    number_seq["令"] += 1
                    entries.append(("SZFL", f"厦门市{rng.choice(GOV_RULES)}", f"厦门市人民政府令第{number_seq['令']}号",
                                    None))
                elif pick == "QITA" and "QITA" not in kinds:
                    stats_year = y if month != 12 else y - 1
                    entries.append(("QITA", f"{stats_year}年{month}月份厦门市主要经济指标", None, None))
            order = ["SZFL", "SZFWJ", "SZFBWJ", "BMWJ", "RSRM", "ZCJD", "QITA"]
            entries.sort(key=lambda e: order.index(e[0]))
            page = 3
            made = min(self.now, dt.datetime.combine(issue.publish_date - dt.timedelta(days=20), dt.time(9, 30)))
            issue.created_at, issue.updated_at = made, min(self.now, dt.datetime.combine(issue.publish_date,
                                                                                         dt.time(16, 0)))
            for sort, (section, title, doc_no, doc) in enumerate(entries, start=1):
                pages = rng.randint(1, 8)
                self.s.add(GazetteEntry(issue=issue, section=section, sort=sort, title=title, doc_no=doc_no,
                                        document=doc, page_start=page, page_end=page + pages - 1,
                                        created_at=made, updated_at=made))
                page += pages
                self.counts["GazetteEntry"] += 1
        return issues

    def stamp(self, documents, telegrams):
        """Audit times as they would be: a record is created when it arrives or is
        drafted and last updated at its latest step (set before the first flush, which
        would otherwise stamp everything with the seeding time)."""
        for doc in documents:
            steps = sorted(doc.steps, key=lambda st: st.acted_at)
            created = doc.received_at or getattr(doc, "_began", None) or (steps[0].acted_at if steps else self.now)
            doc.created_at = created
            doc.updated_at = max([created] + [st.acted_at for st in steps])
            for step in steps:
                step.created_at = step.updated_at = step.acted_at
            for child in list(doc.recipients) + list(doc.joint_issuers) + list(doc.handlers) + list(doc.countersigns):
                child.created_at = child.updated_at = created
        for tele in telegrams:
            tele.created_at = tele.updated_at = tele.transmitted_at
            for child in tele.recipients:
                child.created_at = child.updated_at = tele.transmitted_at

    # --- issue 23: 废止 / 撤销, 解密 / 降密, the automatic 催办 --------------------------------------
    def end_some_normative(self, outgoing):
        """Of the issued normative documents (in force by now: their save set the period), the oldest is
        repealed by a newer one and the next revoked on the province's review (备案审查)."""
        issued = sorted((d for d in outgoing if d.is_normative and d.validity == "VALID"),
                        key=lambda d: d.printed_date)
        ends = [("REPEALED", "FEIZHI", "已被新出台的同类规范性文件取代，予以废止。",
                 "市政府关于废止部分市政府规范性文件的决定（厦府规〔{y}〕{n}号）"),
                ("REVOKED", "CHEXIAO", "经省政府办公厅备案审查，部分条款与上位法不一致，予以撤销。",
                 "闽政办函〔{y}〕{n}号")]
        for doc, (code, step_type, reason, basis) in zip(issued, ends, strict=False):
            at = self.office_hours(self.now - dt.timedelta(days=self.rng.randint(3, 20)), doc.created_at)
            doc.validity, doc.validity_reason = code, reason
            doc.validity_basis = basis.format(y=at.year, n=self.rng.randint(1, 30))
            doc.validity_changed_by, doc.validity_changed_at = self.head_of("文电处"), at
            opinion = f"{reason}（依据：{doc.validity_basis}）"
            self.s.add(DocumentStep(document=doc, step_type=step_type, actor=doc.validity_changed_by,
                                    department=self.division.get("文电处"), opinion=opinion, acted_at=at,
                                    created_at=at, updated_at=at))
            self.counts["DocumentStep"] += 1

    def declassify_some(self, incoming):
        """One confidential incoming document downgraded to 内部 when its secrecy term ran out."""
        doc = next((d for d in incoming if d.secrecy_level == "MIMI" and d.status in ("DONE", "ARCHIVED")), None)
        approver = self.member_of("秘书一处")
        if doc is None or approver is None:
            return
        at = self.office_hours(self.now - dt.timedelta(days=self.rng.randint(1, 10)), doc.created_at)
        doc.declassified_from, doc.secrecy_level = "MIMI", "NEIBU"
        doc.declassified_on, doc.declassify_approver = at.date(), approver
        doc.declassify_basis = "保密期限届满，经定密责任人审核同意降为内部"
        opinion = f"秘密→内部；自{at:%Y-%m-%d}起；批准人：{approver.name}；依据：{doc.declassify_basis}"
        self.s.add(DocumentStep(document=doc, step_type="JIEMI", actor=self.head_of("文电处"),
                                department=self.division.get("文电处"), acted_at=at, created_at=at, updated_at=at,
                                opinion=opinion))
        self.counts["DocumentStep"] += 1

    def urge_some(self, incoming):
        """The daily run's 催办 on today's incoming documents due within a working day or overdue — three
        of them, written as the system writes them."""
        horizon = self.today + dt.timedelta(days=1)
        due = [d for d in incoming if d.status in ("HANDLING", "INSTRUCTED", "PROPOSED") and d.due_date is not None
               and d.due_date <= horizon]
        at = self.now.replace(second=0, microsecond=0)
        for doc in due[:3]:
            step = system_urge(doc, self.today, at, self.s)
            step.created_at = step.updated_at = at
            self.s.add(step)
            self.counts["DocumentStep"] += 1

    # --- need-to-know (docs/domain.md §9) ----------------------------------------------------
    def need_to_know(self, documents) -> None:
        """Two 内部 documents read by their need-to-know lists: the newest internal incoming one
        by 文电处 (the `clerk` login), 秘书一处 (`secretary`) and the 督查室 head (`manager`) — not
        by the other units running documents (`gazette`) nor by its handling units —, with a
        内部 attachment; the newest internal 签报 by 秘书一处 alone. Every other 内部 document keeps
        an empty list, so its page asks for one."""
        from app.security import OfficeUser
        from models.need_to_know import NeedToKnow

        internal = sorted((d for d in documents if d.secrecy_level == "NEIBU"), key=lambda d: d.id, reverse=True)
        incoming = next((d for d in internal if d.direction == "INCOMING"), None)
        memo = next((d for d in internal if d.direction == "INTERNAL"), None)
        manager = self.s.query(OfficeUser).filter_by(username="manager").first()
        for doc, units, people in ((incoming, ("文电处", "秘书一处"), [manager] if manager else []),
                                   (memo, ("秘书一处",), [])):
            if doc is None:
                continue
            rows = [NeedToKnow(entity="Document", record_id=doc.id, department_id=self.division[name].id,
                               created_by="clerk") for name in units if name in self.division]
            rows += [NeedToKnow(entity="Document", record_id=doc.id, user_id=user.id, created_by="clerk")
                     for user in people]
            self.s.add_all(rows)
            self.counts["NeedToKnow"] += len(rows)
        if incoming is not None:
            self._internal_attachment(incoming)

    def _internal_attachment(self, doc) -> None:
        """The document's 内部 file: a one-page PDF note, stored as an upload is."""
        import io

        from app.attachments import store

        note = _one_page_pdf("Internal note for the need-to-know list (demo)")
        attachment = store(io.BytesIO(note), "内部情况说明.pdf", entity="Document", record_id=doc.id,
                           title="内部情况说明（仅限知悉范围）")
        attachment.secrecy_level = "NEIBU"
        attachment.created_by = attachment.updated_by = "clerk"
        self.s.add(attachment)
        self.counts["Attachment"] += 1

    # --- all -----------------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        ctx = self.ctx
        incoming = self.make_incoming(ctx.n(190))
        outgoing = self.make_outgoing(ctx.n(150))
        internal = self.make_internal(ctx.n(30))
        telegrams, routed = self.make_telegrams(ctx.n(60))
        incoming += routed
        self.number_receipts(incoming)
        self.stamp(incoming + outgoing + internal, telegrams)
        for d in incoming:
            if d.status == "PENDING_SIGN":     # arrived, not yet signed for: no receipt time, nobody signed
                d.received_at = None
        self.s.flush()
        self.need_to_know(incoming + internal)
        issues = self.make_gazette(outgoing)
        self.s.flush()
        self.end_some_normative(outgoing)
        self.declassify_some(incoming)
        self.urge_some(incoming)
        self.s.flush()
        for d in outgoing + internal:
            for attr in ("_prefix", "_pending_steps", "_numbered_at", "_began"):
                d.__dict__.pop(attr, None)
        documents = incoming + outgoing + internal
        ctx.data.update(documents=documents, incoming=incoming, outgoing=outgoing, internal=internal,
                        telegrams=telegrams, gazette_issues=issues)
        return {
            "Document": len(documents), "Document (incoming)": len(incoming), "Document (outgoing)": len(outgoing),
            "Document (internal)": len(internal), "DocumentRecipient": self.counts["DocumentRecipient"],
            "DocumentStep": self.counts["DocumentStep"], "DocumentHandler": self.counts["DocumentHandler"],
            "DocumentCountersign": self.counts["DocumentCountersign"],
            "DocumentIssuer": self.counts["DocumentIssuer"], "Telegram": len(telegrams),
            "TelegramRecipient": self.counts["TelegramRecipient"], "GazetteIssue": len(issues),
            "GazetteEntry": self.counts["GazetteEntry"], "NeedToKnow": self.counts["NeedToKnow"],
            "Attachment": self.counts["Attachment"],
        }


def _one_page_pdf(text: str) -> bytes:
    """A valid one-page PDF saying `text` (ASCII), its cross-reference table computed."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
