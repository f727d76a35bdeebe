"""Requests and reports of the six district governments, 2025–2026, with the municipal
departments' opinions (征求意见), the approval chain and the outcome.

Links, when the earlier seeders made them: a request registered from an incoming
district document (`ctx.data["incoming"]`) carries it; a 批复 the municipal government
issued to a district (`ctx.data["outgoing"]`) gets the request it answers; a major
matter goes through an executive meeting (`ctx.data["meetings"]`). Some decided
requests open a follow-up supervision item. Puts `district_requests` into `ctx.data`.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.demo.names import date_between
from models.base import today_cn
from models.districts import (
    Consultation,
    DistrictRequest,
    DistrictRequestApproval,
    add_working_days,
    consultation_problems,
    district_request_problems,
)
from models.lookups import CO_HANDLER, LEAD, REQUEST_FOR_INSTRUCTIONS
from models.org import Department
from models.supervision import SupervisionAssignment, SupervisionItem, format_item_no, item_problems

FIRST_DAY = dt.date(2025, 1, 6)

PLACES = {
    "350203": ["沙坡尾", "湖滨", "莲前", "筼筜", "黄厝", "曾厝垵"],
    "350205": ["马銮湾", "东孚", "嵩屿", "海沧湾", "新阳"],
    "350206": ["五缘湾", "枋湖", "高林", "殿前", "禾山", "县后"],
    "350211": ["杏林湾", "灌口", "后溪", "侨英", "杏滨"],
    "350212": ["西柯", "五显", "洪塘", "汀溪", "新民"],
    "350213": ["大嶝", "新店", "马巷", "内厝", "香山"],
}
STREAMS = {"350203": "筼筜湖", "350205": "过芸溪", "350206": "湖边水库", "350211": "后溪",
           "350212": "东西溪", "350213": "九溪"}
PROJECTS = ["片区道路拓宽改造工程", "污水管网提质增效工程", "安置房项目", "九年一贯制学校新建工程",
            "综合体育公园项目", "标准厂房建设项目", "社区卫生服务中心新建工程", "城市更新示范项目"]
TYPHOONS = {2025: ["丹娜丝", "韦帕", "杨柳", "桦加沙"], 2026: ["第5号台风", "第9号台风", "第12号台风"]}

# area -> (handling division, index of the vice-mayor in charge)
AREAS = {"fin": ("秘书一处", 0), "urban": ("秘书二处", 1), "social": ("秘书三处", 2), "agri": ("秘书四处", 3)}

#: Requests for instructions. `consult`: departments asked, in order; `outcomes`: weights;
#: `ask`: what the district asks, as the office's opinion quotes it.
QINGSHI = {
    "keyproj": dict(
        title="关于申请将{place}{project}列入{y}年市重点项目的请示", area="fin",
        summary="{district}拟将{place}{project}（总投资约{money}亿元）列入{y}年市重点项目，"
                "享受重点项目审批绿色通道和用地、资金等要素保障。",
        basis="项目已列入区“十五五”规划项目库，完成可行性研究报告批复和用地预审，具备年内开工条件；"
              "依据市重点项目管理有关规定申报。",
        consult=["市发改委", "市资源规划局", "市财政局", "市建设局"], ask="将该项目列入市重点项目", fiscal=True,
        outcomes={"HANFU": 55, "ZHUANBAN": 30, "BUTONGYI": 15}),
    "oldvillage": dict(
        title="关于申请{place}片区旧村改造项目立项的请示", area="urban",
        summary="{district}拟对{place}片区实施旧村改造，涉及房屋约{houses}户，规划安置房约{flats}套，"
                "申请市政府同意项目立项并纳入全市城中村改造计划。",
        basis="片区房屋老旧、消防和排水隐患突出，群众改造意愿强烈（签约意愿率超过95%）；"
              "符合国土空间总体规划和全市城中村改造专项规划。",
        consult=["市建设局", "市资源规划局", "市财政局", "市国资委"], ask="实施该片区旧村改造项目",
        outcomes={"PIFU": 70, "HANFU": 20, "BUTONGYI": 10}, major=0.5),
    "flood": dict(
        title="关于申请追加{y}年防汛救灾补助资金的请示", area="agri",
        summary="受强降雨影响，{district}部分道路、堤防、农田水利设施受损，直接经济损失约{wan}万元，"
                "申请市级追加防汛救灾补助资金{aid}万元。",
        basis="依据市级自然灾害救灾资金管理有关规定，区级已先行安排应急资金用于抢险和群众安置。",
        consult=["市应急局", "市财政局", "市农业农村局"], ask="申请追加防汛救灾补助资金", fiscal=True,
        outcomes={"HANFU": 70, "ZHUANBAN": 15, "BUTONGYI": 15}),
    "community": dict(
        title="关于申请设立{place}社区的请示", area="social",
        summary="{district}拟从现有社区中析出设立{place}社区，辖区面积约{area}平方公里，"
                "常住人口约{people}人，申请市政府批准。",
        basis="现有社区管辖人口超过两万人，服务半径过大；依据《城市居民委员会组织法》和我市社区设置标准提出。",
        consult=["市民政局", "市资源规划局", "市财政局"], ask="设立该社区",
        outcomes={"PIFU": 80, "BUTONGYI": 20}),
    "plan": dict(
        title="关于{place}片区控制性详细规划调整的请示", area="urban",
        summary="为满足{place}片区公共服务设施和产业项目落地需要，{district}申请对片区控制性详细规划"
                "部分地块用地性质和容积率进行调整。",
        basis="调整方案已完成公示和专家论证，不涉及生态控制线和永久基本农田。",
        consult=["市资源规划局", "市建设局", "市交通运输局"], ask="调整该片区控制性详细规划",
        outcomes={"PIFU": 75, "BUTONGYI": 25}, major=0.3),
    "renovation": dict(
        title="关于{place}片区改造资金补助的请示", area="fin",
        summary="{district}正在实施{place}片区老旧小区和背街小巷改造，总投资约{wan}万元，"
                "申请市级按规定给予补助资金{aid}万元。",
        basis="项目已列入{y}年全市城镇老旧小区改造计划，依据市区两级改造资金分担办法申请补助。",
        consult=["市建设局", "市财政局", "市发改委"], ask="申请片区改造补助资金", fiscal=True,
        outcomes={"HANFU": 65, "BUTONGYI": 20, "ZHUANBAN": 15}),
    "school": dict(
        title="关于申请新建{place}中学的请示", area="social",
        summary="{place}片区新增入学需求快速增长，{district}拟新建一所{classes}个班的初级中学，"
                "申请市政府同意建设并给予市级补助。",
        basis="依据全市中小学幼儿园建设规划和学位供需测算，片区初中学位缺口约{seats}个。",
        consult=["市教育局", "市资源规划局", "市发改委", "市财政局"], ask="新建该中学",
        outcomes={"PIFU": 60, "HANFU": 30, "ZHUANBAN": 10}),
    "river": dict(
        title="关于{stream}流域综合治理项目资金的请示", area="agri",
        summary="{district}拟实施{stream}流域综合治理，包括截污纳管、生态补水和岸线整治，总投资约{wan}万元，"
                "申请市级资金支持{aid}万元。",
        basis="{stream}水质尚未稳定达到考核要求，已列入全市水污染防治重点任务。",
        consult=["市生态环境局", "市市政园林局", "市农业农村局", "市财政局"],
        ask="申请流域综合治理资金支持", fiscal=True,
        outcomes={"HANFU": 70, "BUTONGYI": 15, "ZHUANBAN": 15}),
    "market": dict(
        title="关于申请{place}农贸市场提升改造补助资金的请示", area="fin",
        summary="{district}拟对{place}农贸市场实施智慧化和环境提升改造，总投资约{wan}万元，"
                "申请市级补助{aid}万元。",
        basis="依据全市农贸市场提升改造工作方案，该市场已列入年度改造计划。",
        consult=["市商务局", "市市场监管局", "市财政局"], ask="申请农贸市场提升改造补助资金", fiscal=True,
        outcomes={"HANFU": 60, "ZHUANBAN": 30, "BUTONGYI": 10}),
    "clinic": dict(
        title="关于{place}社区卫生服务中心建设的请示", area="social",
        summary="{district}拟新建{place}社区卫生服务中心，建筑面积约{area2}平方米，"
                "申请市政府同意建设并纳入市级补助范围。",
        basis="片区常住人口增长较快，现有基层医疗服务能力不足；符合全市医疗卫生服务体系规划。",
        consult=["市卫健委", "市发改委", "市财政局"], ask="建设该社区卫生服务中心",
        outcomes={"PIFU": 55, "HANFU": 35, "ZHUANBAN": 10}),
    "bus": dict(
        title="关于调整{place}公交首末站用地性质的请示", area="urban",
        summary="为完善{place}片区公共交通服务，{district}申请将片区内一宗储备用地调整为公交首末站用地。",
        basis="片区现有公交线路无首末站，车辆占道停放问题突出，群众多次通过12345热线反映。",
        consult=["市交通运输局", "市资源规划局"], ask="调整该地块用地性质",
        outcomes={"PIFU": 70, "ZHUANBAN": 20, "BUTONGYI": 10}),
}
#: Reports: read for information, sometimes with matters for departments to study.
BAOGAO = {
    "bg_half": dict(
        title="关于{y}年上半年工作情况的报告", area="fin", one_matter=False,
        summary="报告{district}上半年经济运行、重点项目建设、民生保障和安全稳定等工作情况，"
                "以及下半年工作安排。",
        basis="按照市政府要求报送。", consult=["市发改委", "市统计局"]),
    "bg_econ": dict(
        title="关于{y}年上半年经济社会发展情况的报告", area="fin", one_matter=False,
        summary="报告{district}上半年地区生产总值、固定资产投资、财政收入等主要指标完成情况和存在的困难。",
        basis="按照市政府经济运行分析工作要求报送。", consult=["市发改委", "市统计局", "市财政局"]),
    "bg_q3": dict(
        title="关于{y}年前三季度经济运行情况的报告", area="fin", one_matter=False,
        summary="报告{district}前三季度经济运行情况，反映部分重点项目用地报批进度偏慢等问题。",
        basis="按照市政府经济运行分析工作要求报送。", consult=["市发改委", "市统计局"]),
    "bg_shishi": dict(
        title="关于{y}年为民办实事项目推进情况的报告", area="social", one_matter=True,
        summary="报告{district}承担的为民办实事项目进展情况，反映个别项目因征迁原因进度滞后。",
        basis="按照市为民办实事项目推进工作要求报送。", consult=["市发改委", "市财政局"]),
    "bg_safety": dict(
        title="关于安全生产治本攻坚三年行动进展情况的报告", area="agri", one_matter=True,
        summary="报告{district}安全生产治本攻坚三年行动推进情况、重大事故隐患排查整治情况和下一步措施。",
        basis="按照市安委会工作部署报送。", consult=["市应急局"]),
    "bg_typhoon": dict(
        title="关于防御台风“{typhoon}”工作情况的报告", area="agri", one_matter=True,
        summary="报告{district}防御台风期间人员转移、工地停工、渔船回港和灾后恢复等工作情况。",
        basis="按照市防汛抗旱指挥部要求报送。", consult=["市应急局", "市海洋发展局"]),
    "bg_law": dict(
        title="关于{y0}年度法治政府建设情况的报告", area="social", one_matter=True,
        summary="报告{district}{y0}年度法治政府建设主要举措、成效、存在问题和{y}年工作打算。",
        basis="依据《法治政府建设与责任落实督察工作规定》报送。", consult=["市司法局"]),
    "bg_river": dict(
        title="关于{y0}年度河湖长制工作情况的报告", area="agri", one_matter=True,
        summary="报告{district}{y0}年度河湖长制落实、{stream}等重点河湖水质改善情况。",
        basis="按照全市河湖长制工作考核要求报送。", consult=["市生态环境局", "市农业农村局"]),
    "bg_village": dict(
        title="关于城中村改造工作推进情况的报告", area="urban", one_matter=True,
        summary="报告{district}城中村改造项目征收签约、安置房建设和资金平衡情况，"
                "提出安置房建设资金缺口需市级支持。",
        basis="按照市城中村改造工作领导小组要求报送。", consult=["市建设局", "市财政局"]),
}

#: Opinions a department sends back, by stance; {district} and {ask} are filled in.
OPINIONS = {
    "市发改委": {
        "TONGYI": ["经研究，我委同意{district}{ask}的意见，请区政府抓紧完善项目前期工作。"],
        "YUANZE": ["原则同意。建议在年度重点项目计划调整时统筹考虑，区政府应进一步落实项目资金来源。",
                   "原则同意。项目投资估算偏高，建议区政府进一步优化建设方案、压减投资规模。"],
        "BUTONGYI": ["项目前期工作深度不足，尚不具备列入年度计划的条件，建议待条件成熟后再行申报。"]},
    "市财政局": {
        "TONGYI": ["同意按市区财政体制给予补助，补助资金在市级相关专项资金中统筹安排。"],
        "YUANZE": ["原则同意。建议市级补助按现行市区分担比例执行，待项目竣工结算审核后据实拨付。",
                   "原则同意。请区政府先行落实区级配套资金，市级资金按项目进度分期拨付。"],
        "BUTONGYI": ["该事项属区级事权，不符合市级补助资金使用范围，建议由区级财政统筹解决。",
                     "今年市级预算已安排到位，暂无调剂空间，建议区政府在区级预算中统筹安排。"]},
    "市资源规划局": {
        "TONGYI": ["经核，项目选址符合国土空间总体规划，我局同意，请按程序办理用地手续。"],
        "YUANZE": ["原则同意。调整方案应严格控制开发强度，按程序报市规委会审议后报批。",
                   "原则同意。项目部分用地尚未完成征收，请区政府加快推进。"],
        "BUTONGYI": ["拟调整地块部分位于生态控制线范围内，不符合规划管控要求，不同意调整。"]},
    "市建设局": {
        "TONGYI": ["同意。请区政府严格落实建设单位首要责任，确保工程质量安全。"],
        "YUANZE": ["原则同意。建议区政府统筹做好安置房源保障和群众工作，稳妥有序推进。"],
        "BUTONGYI": ["该项目改造范围与已批复片区改造计划重叠，建议区政府统筹调整后再行报送。"]},
    "市国资委": {
        "TONGYI": ["同意由市属国有企业参与项目投融资和建设，具体合作方式由企业与区政府协商确定。"],
        "YUANZE": ["原则同意。市属国企参与须严格履行投资决策程序，防范债务风险。"],
        "BUTONGYI": ["项目收益难以平衡，不符合市属国企投资要求，不同意由市属国企参与投资。"]},
}
GENERIC_OPINIONS = {
    "TONGYI": ["经研究，我单位同意{district}{ask}。", "同意。无其他意见。"],
    "YUANZE": ["原则同意。建议区政府进一步细化实施方案，明确责任分工和时间节点。",
               "原则同意。请区政府按规定程序办理相关手续，并加强事中事后监管。"],
    "BUTONGYI": ["经研究，该事项不符合现行政策规定，我单位不同意。"],
}
REPORT_OPINIONS = ["已阅。报告所反映问题已纳入我单位下一步工作统筹研究。", "已阅，无其他意见。",
                   "已阅。建议区政府针对报告中提出的困难问题，进一步细化工作措施。"]

RETURN_REASONS = [
    ("chk_one_matter", "该请示一文多事，同时请示项目立项和资金补助两个事项，不符合“一文一事”要求。"),
    ("chk_single_recipient", "该请示同时主送市政府和市有关部门，属多头主送。"),
    ("chk_signer", "该请示未标注签发人。"),
    ("chk_countersign", "事项涉及区有关部门职责，未会签一致即行报送。"),
    ("chk_no_level_skipping", "该请示系区属部门直接报送市政府，未经区政府审核，属越级行文。"),
]

ISSUED = {"PRINTED", "DISTRIBUTED", "ARCHIVED", "PUBLISHED", "DONE"}


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _leaders(ctx) -> dict:
    names = ctx.data.get("leaders") or []
    mayor = next((n for n in names if n.endswith("市长") and "副" not in n), "张市长")
    vices = [n for n in names if "副市长" in n] or ["李常务副市长", "王副市长", "陈副市长", "林副市长"]
    sg = next((n for n in names if n.endswith("秘书长") and "副" not in n), "黄秘书长")
    dsg = [n for n in names if "副秘书长" in n] or ["吴副秘书长"]
    return dict(mayor=mayor, vices=vices, sg=sg, dsg=dsg)


def _short(unit) -> str:
    return (unit.short_name_zh or unit.name_zh) if unit is not None else ""


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.s, self.rng = ctx, ctx.session, ctx.rng
        self.today = today_cn()
        data = ctx.data
        self.districts = list(data.get("districts") or self.s.scalars(
            select(Department).where(Department.unit_type == "DISTRICT")).all())
        units = list(data.get("depts") or self.s.scalars(
            select(Department).where(Department.unit_type == "MUNI_DEPT")).all())
        self.units = {d.short_name_zh: d for d in units if d.short_name_zh}
        self.divisions = data.get("division") or {}
        self.staff = data.get("staff") or []
        self.leaders = _leaders(ctx)
        self.changwu = sorted(
            (m for m in data.get("meetings") or []
             if m.meeting_type == "CHANGWU" and m.start_at is not None
             and m.status in ("HELD", "MINUTES_ISSUED", "CLOSED")),
            key=lambda m: m.start_at)
        self.counts = {"DistrictRequest": 0, "Consultation": 0, "DistrictRequestApproval": 0,
                       "SupervisionItem (district follow-up)": 0}
        self.requests: list[DistrictRequest] = []
        self.items: list[SupervisionItem] = []

    # --- helpers -------------------------------------------------------------------------------
    def handler_of(self, division):
        people = [p for p in self.staff if p.department is division]
        return self.rng.choice(people) if people else None

    def vice(self, area: str) -> str:
        vices = self.leaders["vices"]
        return vices[AREAS[area][1] % len(vices)]

    def fill(self, text: str, district, place: str, y: int, project: str | None = None) -> str:
        rng = self.rng
        return text.format(
            district=district.name_zh, place=place, y=y, y0=y - 1, project=project or rng.choice(PROJECTS),
            money=rng.choice(["3.2", "5.8", "8.6", "12", "15.4", "21"]), houses=rng.randrange(300, 1800),
            flats=rng.randrange(800, 3000), wan=rng.randrange(1200, 9800), aid=rng.randrange(300, 3000),
            area=rng.choice(["0.8", "1.2", "1.6", "2.3"]), people=rng.randrange(8000, 16000),
            classes=rng.choice([24, 30, 36]), seats=rng.randrange(800, 2000), area2=rng.randrange(3000, 9000),
            stream=STREAMS.get(district.division_code, "溪流"),
            typhoon=rng.choice(TYPHOONS.get(y, TYPHOONS[2025])))

    # --- one request ---------------------------------------------------------------------------
    def make(self, *, district, key: str, received: dt.date, title=None, document=None, reply_doc=None,
             place=None) -> DistrictRequest:
        rng = self.rng
        kind = REQUEST_FOR_INSTRUCTIONS if key in QINGSHI else "BAOGAO"
        spec = (QINGSHI if kind == REQUEST_FOR_INSTRUCTIONS else BAOGAO)[key]
        y = received.year
        place = place or rng.choice(PLACES.get(district.division_code, ["中心"]))
        project = rng.choice(PROJECTS)
        named = re.search(r"将(.+?)列入", title or "")
        if named:  # a registered document names its project: the summary follows it
            place, project = "", named.group(1)
        title = title or self.fill(spec["title"], district, place, y, project)
        division = self.divisions.get(AREAS[spec["area"]][0])
        urgency = getattr(document, "urgency", None) or rng.choices(["PUTONG", "JIAJI", "TEJI"], [78, 18, 4])[0]
        due = None
        if kind == REQUEST_FOR_INSTRUCTIONS:
            due = getattr(document, "due_date", None) or add_working_days(
                received, {"TEJI": 5, "JIAJI": 10}.get(urgency, rng.choice([15, 20, 20, 30])))
        source_no = getattr(document, "source_doc_no", None) or \
            f"{district.agency_code or '区政'}〔{y}〕{rng.randrange(3, 180)}号"
        req = DistrictRequest(
            document=document, district=district, kind=kind, title=title, source_doc_no=source_no,
            received_date=received, urgency=urgency, due_date=due,
            matter_summary=self.fill(spec["summary"], district, place, y, project),
            district_basis=self.fill(spec["basis"], district, place, y),
            handling_division=division, handler=self.handler_of(division), status="RECEIVED")
        self.s.add(req)
        self.requests.append(req)
        self.counts["DistrictRequest"] += 1

        # --- timeline: fractions of the time from receipt to reply ------------------------------
        if reply_doc is not None and reply_doc.printed_date:
            span = max(20, (reply_doc.printed_date - received).days)
        else:
            span = rng.randint(22, 65)

        def at(fraction: float) -> dt.date:
            return _workday(received + dt.timedelta(days=max(1, round(span * fraction))))

        reviewed = at(0.04)
        if reviewed > self.today:
            return req  # just received: not yet reviewed
        returned = kind == REQUEST_FOR_INSTRUCTIONS and reply_doc is None and rng.random() < 0.07
        if returned:
            field, reason = rng.choice(RETURN_REASONS)
            for name in ("chk_one_matter", "chk_single_recipient", "chk_no_level_skipping", "chk_signer",
                         "chk_countersign"):
                setattr(req, name, name != field)
            req.review_note = reason
            req.status, req.outcome, req.decided_at = "RETURNED", "TUIWEN", reviewed
            req.office_opinion = f"{reason}建议退回{district.name_zh}，按要求修改完善后重新报送。"
            return req
        req.chk_one_matter = spec.get("one_matter", True)
        req.chk_single_recipient = req.chk_no_level_skipping = req.chk_signer = req.chk_countersign = True
        req.status = "REVIEWED"

        # --- outcome planned from the start, so the opinions point the same way -----------------
        if kind == "BAOGAO":
            outcome = "YUEZHI"
        elif reply_doc is not None:
            outcome = "PIFU"
        else:
            outcome = rng.choices(list(spec["outcomes"]), list(spec["outcomes"].values()))[0]
        major = kind == REQUEST_FOR_INSTRUCTIONS and outcome == "PIFU" and rng.random() < spec.get("major", 0.1)

        # --- consultations ---------------------------------------------------------------------
        sent = _workday(reviewed + dt.timedelta(days=rng.choice([1, 1, 2, 3])))
        proposed = max(at(0.5), add_working_days(sent, 5))
        if sent > self.today:
            return req
        req.status = "CONSULTING"
        pool = [u for u in (self.units.get(n) for n in spec["consult"]) if u is not None]
        k = min(len(pool), rng.randint(1, 2) if kind == "BAOGAO" else rng.randint(max(1, min(2, len(pool))), 4))
        consulted = pool[:1] + rng.sample(pool[1:], max(0, k - 1)) if pool else []
        against = consulted[-1] if outcome == "BUTONGYI" and consulted else None
        ask = spec.get("ask", "")
        stances = []
        for seq, unit in enumerate(consulted, start=1):
            due_at = add_working_days(sent, 7)
            replied = add_working_days(sent, rng.choice([2, 3, 4, 5, 6, 7, 7, 8, 9]))
            if proposed <= self.today:
                replied = min(replied, proposed - dt.timedelta(days=1))
            con = Consultation(request=req, seq=seq, department=unit, sent_at=sent, due_at=due_at)
            if replied <= self.today and replied >= sent:
                if kind == "BAOGAO":
                    stance, text = None, rng.choice(REPORT_OPINIONS)
                else:
                    stance = "BUTONGYI" if unit is against else rng.choices(["TONGYI", "YUANZE"], [45, 55])[0]
                    table = OPINIONS.get(unit.short_name_zh, GENERIC_OPINIONS)
                    text = rng.choice(table.get(stance) or GENERIC_OPINIONS[stance])
                con.replied_at, con.stance = replied, stance
                con.opinion = text.format(district=district.short_name_zh, ask=ask)
                stances.append((unit, stance))
            self.s.add(con)
            self.counts["Consultation"] += 1
        if proposed > self.today:
            return req

        # --- a major matter goes to an executive meeting held in time -------------------------
        first, last = at(0.58), at(0.88)
        meeting = None
        if major:
            latest = first + dt.timedelta(days=45)
            if reply_doc is not None:
                latest = min(latest, reply_doc.printed_date - dt.timedelta(days=3))
            meeting = next((m for m in self.changwu if first < m.start_at.date() <= latest), None)
            major = meeting is not None
            if major:
                last = max(last, meeting.start_at.date())

        # --- the office's proposal ------------------------------------------------------------
        req.status, req.is_major = "PROPOSED", major
        names = "、".join(_short(u) for u in consulted) or "有关部门"
        lead = consulted[0] if consulted else None
        vice = self.vice(spec["area"])
        if kind == "BAOGAO":
            req.office_opinion = (f"{district.short_name_zh}报告了{title[2:-3]}。经送{names}阅研，"
                                  f"拟呈{vice}阅知，报告中反映的困难问题请{names}按职责研究支持。")
        else:
            agreed = all(st != "BUTONGYI" for _u, st in stances)
            opinion = (f"经征求{names}意见，各单位均同意或原则同意。" if agreed else
                       f"经征求{names}意见，{_short(against)}不同意该事项。")
            action = {
                "PIFU": f"拟同意{district.short_name_zh}{ask}，以市政府名义批复。",
                "HANFU": f"拟原则同意，由{_short(lead)}按有关规定办理，"
                         f"以市政府办公厅名义函复{district.short_name_zh}。",
                "ZHUANBAN": f"拟转{_short(lead)}按职责研究办理，并直接答复{district.short_name_zh}。",
                "BUTONGYI": (f"拟不同意该事项，请{district.short_name_zh}按市区事权划分自行统筹解决，"
                             "以市政府办公厅名义函复。") if spec.get("fiscal") else
                            (f"拟暂不同意该事项，请{district.short_name_zh}根据{_short(against)}意见修改完善后"
                             "再行报送，以市政府办公厅名义函复。"),
            }[outcome]
            if major:
                action += "该事项属重大事项，建议提请市政府常务会议研究。"
            req.office_opinion = f"{opinion}{action}妥否，请领导批示。"

        # --- the approval chain ------------------------------------------------------------------
        chain = [("FUMISHUZHANG", rng.choice(self.leaders["dsg"])), ("MISHUZHANG", self.leaders["sg"]),
                 ("FENGUAN", vice)]
        if kind == "BAOGAO" and rng.random() < 0.4 or kind == REQUEST_FOR_INSTRUCTIONS and (outcome == "PIFU" or major):
            chain.append(("SHIZHANG", self.leaders["mayor"]))
        if major:
            chain.append(("CHANGWU", self.leaders["mayor"]))
        dates = [first + (last - first) * i / max(1, len(chain) - 1) for i in range(len(chain))]
        for seq, ((step, who), day) in enumerate(zip(chain, dates, strict=True), start=1):
            day = _workday(day if step != "CHANGWU" else meeting.start_at.date())
            if day > self.today:
                break
            final = seq == len(chain)
            nxt = chain[seq][1] if not final else ""
            result, text = self.approval_text(step, final, kind, outcome, district, lead, nxt, meeting,
                                              spec.get("fiscal", False))
            acted = dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.choice([0, 10, 20, 30, 40, 50])))
            self.s.add(DistrictRequestApproval(request=req, seq=seq, step=step, approver=who, acted_at=acted,
                                               result=result, opinion=text,
                                               meeting=meeting if step == "CHANGWU" else None))
            self.counts["DistrictRequestApproval"] += 1
            req.status = "PENDING_APPROVAL"
            if final:
                req.status, req.outcome, req.decided_at = "DECIDED", outcome, day
        if req.status != "DECIDED":
            return req

        # --- reply and closing ------------------------------------------------------------------
        decided = req.decided_at
        if outcome in ("PIFU", "HANFU", "BUTONGYI"):
            replied = reply_doc.printed_date if reply_doc is not None and reply_doc.printed_date else \
                _workday(decided + dt.timedelta(days=rng.randint(3, 10)))
            replied = max(replied, decided)
            if replied > self.today:
                return req
            req.status, req.replied_at, req.reply_document = "REPLIED", replied, reply_doc
            closed = replied + dt.timedelta(days=rng.randint(2, 25))
        else:
            closed = decided + dt.timedelta(days=rng.randint(2, 10))
        if closed <= self.today and rng.random() < 0.85:
            req.status = "CLOSED"
        if kind == REQUEST_FOR_INSTRUCTIONS and outcome in ("PIFU", "HANFU") and rng.random() < 0.3:
            self.follow_up(req, lead, vice, title)
        return req

    def approval_text(self, step, final, kind, outcome, district, lead, nxt, meeting, fiscal) -> tuple[str, str]:
        d = district.short_name_zh
        if step == "FUMISHUZHANG" and kind == "BAOGAO":
            return "CHENGSONG", f"呈{nxt}阅示。"
        if step == "FUMISHUZHANG":
            return "CHENGSONG", self.rng.choice([f"拟同意办理意见，呈{nxt}审示。", f"呈{nxt}审示。"])
        if step == "MISHUZHANG":
            return "CHENGSONG", f"呈{nxt}阅示。"
        if step == "CHANGWU":
            return "TONGYI", f"经市政府{meeting.session_label or '常务会议'}研究，原则同意。"
        if not final and kind == "BAOGAO":
            return "CHENGSONG", f"已阅，呈{nxt}阅示。"
        if not final:
            return "CHENGSONG", (f"同意，呈{nxt}审定。" if step == "FENGUAN" else "提请市政府常务会议研究。")
        if kind == "BAOGAO":
            return "YUEYUE", "已阅。请有关部门按职责研究支持。" if step == "FENGUAN" else "已阅。"
        return {
            "PIFU": ("TONGYI", f"同意，请办公厅按程序批复{d}。"),
            "HANFU": ("TONGYI", f"同意，请{_short(lead)}按规定办理，办公厅函复{d}。"),
            "ZHUANBAN": ("TONGYI", f"请{_short(lead)}研究办理，并直接答复{d}。"),
            "BUTONGYI": ("BUTONGYI", f"不同意。请{d}按市区事权划分自行统筹解决。" if fiscal
                         else f"暂不同意。请{d}根据有关部门意见修改完善后再行报送。"),
        }[outcome]

    # --- follow-up supervision --------------------------------------------------------------------
    def follow_up(self, req, lead, vice, title) -> None:
        rng = self.rng
        opened = _workday(req.decided_at + dt.timedelta(days=rng.randint(2, 6)))
        if opened > self.today:
            return
        due = opened + dt.timedelta(days=rng.choice([60, 90, 90, 180]))
        district = req.district
        topic = title.removeprefix("关于").removesuffix("的请示")
        status, closed_at, close_opinion = "IN_PROGRESS", None, None
        if due < self.today and rng.random() < 0.8:
            closed_at = min(self.today, due - dt.timedelta(days=rng.randint(0, 20)))
            closed_at = max(closed_at, opened)
            status, close_opinion = "CLOSED", "已按市政府批复要求落实到位，同意办结。"
        item = SupervisionItem(
            title=f"督促落实{district.short_name_zh}{topic}有关事项",
            content=f"市政府已同意{district.name_zh}{topic}。请{district.short_name_zh}"
                    f"会同{_short(lead) or '市有关部门'}抓紧组织实施，按季度报送进展情况。",
            requirement="按批复要求抓好落实，按季度报送进展",
            source_type="PISHI", source_ref=str(req.reply_document or req.source_doc_no or title),
            responsible_leader=vice, lead_department=district, opened_at=opened, due_date=due,
            feedback_cycle="MEIJI", priority="YIBAN", status=status, closed_at=closed_at,
            close_opinion=close_opinion)
        self.s.add(item)
        self.s.add(SupervisionAssignment(item=item, department=district, role=LEAD))
        if lead is not None:
            self.s.add(SupervisionAssignment(item=item, department=lead, role=CO_HANDLER))
        req.follow_up_item = item
        self.items.append(item)
        self.counts["SupervisionItem (district follow-up)"] += 1


def number_items(session, items, prefix: str) -> None:
    """Give new supervision items the next numbers of `prefix`, per year, after the ones
    the supervision seeder issued."""
    pattern = re.compile(re.escape(prefix) + r"〔(\d{4})〕(\d+)号$")
    last: dict[int, int] = {}
    for no in session.scalars(select(SupervisionItem.item_no).where(SupervisionItem.item_no.like(f"{prefix}〔%"))):
        m = pattern.match(no or "")
        if m:
            last[int(m.group(1))] = max(last.get(int(m.group(1)), 0), int(m.group(2)))
    for item in sorted(items, key=lambda i: (i.opened_at, i.title)):
        year = item.opened_at.year
        last[year] = last.get(year, 0) + 1
        item.item_no = format_item_no(prefix, year, last[year])


def _key_for(title: str, kind: str) -> str:
    """The template a district document's title is about."""
    rules = [("重点项目", "keyproj"), ("旧村改造", "oldvillage"), ("防汛", "flood"), ("社区卫生", "clinic"),
             ("设立", "community"), ("控制性详细规划", "plan"), ("经济社会发展", "bg_econ"),
             ("为民办实事", "bg_shishi"), ("安全生产", "bg_safety"), ("工作情况", "bg_half")]
    for word, key in rules:
        if word in title and (key in QINGSHI) == (kind == REQUEST_FOR_INSTRUCTIONS):
            return key
    return "keyproj" if kind == REQUEST_FOR_INSTRUCTIONS else "bg_half"


def _place_in(title: str, district) -> str | None:
    return next((p for p in PLACES.get(district.division_code, []) if p in title), None)


def seed(ctx) -> dict[str, int]:
    seeder = _Seeder(ctx)
    rng, today = ctx.rng, seeder.today
    if not seeder.districts:
        return {}
    districts = set(seeder.districts)

    # 1. requests registered from incoming district documents
    for doc in ctx.data.get("incoming") or []:
        if (doc.issuer not in districts or doc.doc_type not in (REQUEST_FOR_INSTRUCTIONS, "BAOGAO")
                or doc.received_at is None):
            continue
        district = doc.issuer
        title = doc.title.removeprefix(district.name_zh)
        seeder.make(district=district, key=_key_for(title, doc.doc_type), received=doc.received_at.date(),
                    title=title, document=doc, place=_place_in(title, district))

    # 2. requests answered by an official reply the government issued to a district
    for doc in ctx.data.get("outgoing") or []:
        if doc.doc_type != "PIFU" or doc.status not in ISSUED or not doc.printed_date:
            continue
        mains = [r.department for r in doc.recipients if r.kind == "MAIN" and r.department in districts]
        if not mains:
            continue
        district = mains[0]
        topic = doc.title.split("关于同意", 1)[-1].removesuffix("的批复")
        topic = topic.removeprefix(district.short_name_zh.replace("政府", ""))
        key = "community" if topic.startswith("设立") else ("plan" if "规划" in topic else "oldvillage")
        title = f"关于申请{topic}的请示" if key == "community" else f"关于{topic}的请示"
        received = max(FIRST_DAY, doc.printed_date - dt.timedelta(days=rng.randint(35, 70)))
        seeder.make(district=district, key=key, received=received, title=title, reply_doc=doc,
                    place=_place_in(topic, district))

    # 3. the rest: requests and reports without a registered document
    keys_q, keys_b = list(QINGSHI), list(BAOGAO)
    recent = today - dt.timedelta(days=60)
    for _ in range(ctx.n(6)):  # this week's mail: not yet reviewed or just reviewed
        seeder.make(district=rng.choice(seeder.districts), key=rng.choice(keys_q + keys_b),
                    received=today - dt.timedelta(days=rng.randint(0, 4)))
    while seeder.counts["DistrictRequest"] < ctx.n(150):
        district = rng.choice(seeder.districts)
        key = rng.choice(keys_q) if rng.random() < 0.72 else rng.choice(keys_b)
        received = date_between(rng, recent, today) if rng.random() < 0.35 else date_between(rng, FIRST_DAY, today)
        seeder.make(district=district, key=key, received=min(_workday(received), today))

    number_items(ctx.session, seeder.items, "厦府办督")
    ctx.session.flush()
    for req in seeder.requests:
        assert not district_request_problems(req), (req.title, district_request_problems(req))
        for con in req.consultations:
            assert not consultation_problems(con), consultation_problems(con)
    for item in seeder.items:
        assert not item_problems(item), item_problems(item)
    ctx.data["district_requests"] = seeder.requests
    return seeder.counts
