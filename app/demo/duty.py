"""Demo duty data: the roster of every day of 2026 so far (day and night shifts, the
leader on duty by the week, two officers of the 总值班室 per shift, the holidays, major
events, the flood season and typhoons), the incidents the duty office received with their
初报 / 续报 / 终报 (mostly on time, some late), and the duty logs of the calls, faxes and
platform messages behind them.

Statuses follow the dates relative to today, so the timeliness flags are right whenever
the seed runs. Leaves `ctx.data["duty_shifts"]` and `ctx.data["incidents"]`.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from app.demo.names import ROADS, XIAMEN_STREETS, mobile, person_name
from models.base import now_cn, today_cn
from models.duty import (
    DutyLog,
    DutyOfficer,
    DutyShift,
    Incident,
    IncidentReport,
    duty_log_problems,
    incident_limits,
    incident_problems,
    incident_report_problems,
    seed_incident_sla,
    shift_problems,
)

FIRST_DAY = dt.date(2026, 1, 1)
DUTY_PHONE = "0592-2892110"
DAY_START, NIGHT_START = dt.time(8, 30), dt.time(17, 30)

# (first day, last day, special period, note)
SPECIAL_PERIODS = [
    (dt.date(2026, 1, 1), dt.date(2026, 1, 3), "JIEJIARI", "元旦"),
    (dt.date(2026, 1, 4), dt.date(2026, 1, 4), "ZHONGDA", "2026厦门马拉松赛"),
    (dt.date(2026, 2, 14), dt.date(2026, 2, 23), "JIEJIARI", "春节"),
    (dt.date(2026, 3, 3), dt.date(2026, 3, 3), "JIEJIARI", "元宵节"),
    (dt.date(2026, 4, 4), dt.date(2026, 4, 6), "JIEJIARI", "清明节"),
    (dt.date(2026, 5, 1), dt.date(2026, 5, 5), "JIEJIARI", "劳动节"),
    (dt.date(2026, 6, 19), dt.date(2026, 6, 21), "JIEJIARI", "端午节"),
    (dt.date(2026, 7, 18), dt.date(2026, 7, 21), "TAIFENG", "第5号台风“泰利”"),
    (dt.date(2026, 8, 10), dt.date(2026, 8, 13), "TAIFENG", "第9号台风“海葵”"),
    (dt.date(2026, 9, 8), dt.date(2026, 9, 11), "ZHONGDA", "第二十六届中国国际投资贸易洽谈会"),
    (dt.date(2026, 9, 14), dt.date(2026, 9, 16), "TAIFENG", "第14号台风“小犬”"),
    (dt.date(2026, 9, 25), dt.date(2026, 9, 27), "JIEJIARI", "中秋节"),
    (dt.date(2026, 10, 1), dt.date(2026, 10, 7), "JIEJIARI", "国庆节"),
]
FLOOD_SEASON = (dt.date(2026, 4, 15), dt.date(2026, 10, 15))

HANDOVER = [
    "本班无重大突发事件，各类信息已按程序报送，无遗留事项。",
    "本班接报信息均已处理完毕，值班电话、传真、应急平台运行正常。",
    "已按要求向省政府总值班室报送值班情况，请下一班继续关注天气变化。",
    "请下一班跟踪{district}相关事件后续处置情况，及时续报。",
    "值班设备运行正常；市应急局反馈情况已报告带班领导。",
]
SPECIAL_HANDOVER = {
    "JIEJIARI": "按要求17时前向省政府总值班室报送节日期间值班情况（含零报告）。",
    "ZHONGDA": "重大活动期间实行领导带班和24小时值班，每日报送安全保障情况。",
    "XUNQI": "汛期每日关注气象预警，按要求报送防汛情况（含零报告）。",
    "TAIFENG": "防台风应急响应期间，每2小时向省政府总值班室报送防御情况，零报告也须报送。",
}

DISTRICT_CENTRES = {
    "350203": (24.4798, 118.0894), "350205": (24.4920, 118.0330), "350206": (24.5129, 118.1465),
    "350211": (24.5760, 118.0970), "350212": (24.7236, 118.1521), "350213": (24.6183, 118.2475),
}

# Incident templates: (category, subcategory, title pattern, level weights, casualty ranges
# (deaths, injured, trapped), loss range (万元), cause, impact, measures, municipal unit).
INCIDENTS = [
    ("ZIRAN", "TAIFENG", "第{n}号台风“{name}”影响我市", {"IV": 5, "III": 2}, (0, 3, 0), (200, 3000),
     "受第{n}号台风“{name}”外围环流影响，我市出现大风和强降雨天气。",
     "部分路段树木倒伏，{street}等地出现短时积水，部分航班、动车停运，轮渡暂停运营。",
     "市防指启动防台风Ⅳ级应急响应，转移危险区域群众{k}人，渔船全部回港避风，在建工地停工。",
     "市应急局"),
    ("ZIRAN", "NEILAO", "{district}{street}暴雨内涝", {"IV": 8, "III": 1}, (0, 1, 6), (20, 400),
     "短时强降雨导致排水不畅，{road}沿线积水深度约40厘米。",
     "{road}部分路段交通中断约{h}小时，周边小区地下车库进水。",
     "市政、交警部门到场排涝疏导，转移受困群众{k}人，设置警示标志。",
     "市市政园林局"),
    ("ZIRAN", "DIZHI", "{district}{street}山体滑坡", {"IV": 6, "III": 1}, (0, 1, 2), (10, 200),
     "连日降雨导致边坡土体松动发生滑坡，方量约{k}00立方米。",
     "坡下一处厂房围墙受损，临近道路单向通行。",
     "已疏散周边群众，设置警戒区域，自然资源部门现场监测。",
     "市资源规划局"),
    ("SHIGU", "DAOLU", "{district}{road}道路交通事故", {"IV": 10, "III": 2}, (0, 6, 1), (5, 120),
     "一辆{vehicle}与一辆小型轿车发生碰撞，初步判断系{reason}所致。",
     "事故造成{road}部分车道临时封闭，交通拥堵约{h}小时。",
     "交警、急救部门到场处置，伤员已送{hospital}救治，事故原因正在调查。",
     "市公安局"),
    ("SHIGU", "HUOZAI", "{district}{street}一{place}火灾", {"IV": 10, "III": 2}, (0, 3, 4), (10, 500),
     "初步判断系{fire_cause}引发火灾。",
     "过火面积约{k}0平方米，周边群众已安全疏散。",
     "消防救援队伍到场扑救，明火已扑灭，现场清理和原因调查正在进行。",
     "市应急局"),
    ("SHIGU", "RANQI", "{district}{street}燃气泄漏", {"IV": 9, "III": 1}, (0, 2, 0), (1, 60),
     "{place}燃气管道被施工机械挖断导致燃气泄漏。",
     "周边{k}00余户居民临时停气，附近道路实行交通管制。",
     "燃气公司抢修人员到场关阀堵漏，消防人员现场警戒，已恢复供气。",
     "市市政园林局"),
    ("SHIGU", "JIANZHU", "{district}一在建工地发生安全事故", {"IV": 8, "III": 1}, (1, 2, 0), (30, 300),
     "在建项目施工中发生{accident}，有工人受伤。",
     "项目已全面停工整改。",
     "住建、应急部门到场调查，伤员已送医，责令施工单位开展隐患排查。",
     "市建设局"),
    ("SHIGU", "TEZHONG", "{district}{street}一小区电梯困人", {"IV": 10}, (0, 1, 3), (0, 5),
     "电梯运行中突发故障停梯。",
     "被困群众情绪稳定，无人员伤亡。",
     "维保单位和消防人员到场救援，被困人员全部安全解救，市场监管部门对电梯进行检验。",
     "市市场监管局"),
    ("SHIGU", "SHUISHANG", "厦门湾海域船舶碰撞事故", {"IV": 6, "III": 1}, (0, 2, 0), (50, 800),
     "两艘船舶在{sea}海域发生碰撞，一艘船舶进水。",
     "无油污泄漏，相关航道短时管制。",
     "海事、海洋部门组织救援，落水人员全部获救，事故原因正在调查。",
     "市海洋发展局"),
    ("SHIGU", "GONGGONG", "{district}大面积停水", {"IV": 10}, (0, 0, 0), (5, 80),
     "{road}一处DN800供水主管爆管。",
     "{street}等片区约{k}万户居民用水受影响，时长约{h}小时。",
     "供水企业连夜抢修，调派送水车保障居民用水，已恢复供水。",
     "市市政园林局"),
    ("WEISHENG", "SHIWU", "{district}一{canteen}疑似食物中毒", {"IV": 9, "III": 1}, (0, 20, 0), (0, 10),
     "就餐人员出现呕吐、腹泻等症状，疑似食用{food}所致。",
     "发病{k}人，均为轻症，无危重病例。",
     "患者已送医救治，市场监管、卫生健康部门封存留样食品，流行病学调查正在进行。",
     "市卫健委"),
    ("WEISHENG", "CHUANRAN", "{district}一学校发生诺如病毒聚集性疫情", {"IV": 10}, (0, 0, 0), (0, 2),
     "学校报告多名学生出现呕吐腹泻症状，检测诺如病毒阳性。",
     "发病{k}人，均为轻症。",
     "疾控部门开展流调和消杀，停课相关班级，加强晨午检。",
     "市卫健委"),
    ("SHEHUI", "QUNTI", "{district}一项目工人聚集讨薪", {"IV": 10}, (0, 0, 0), (0, 0),
     "{k}0余名工人因工资拖欠在{place}聚集。",
     "现场秩序基本平稳，未发生极端行为。",
     "人社、住建部门和属地政府到场协调，督促企业制定清偿方案，人员已劝离。",
     "市人社局"),
    ("SHEHUI", "YUQING", "网传{district}有关情况引发舆情关注", {"IV": 10}, (0, 0, 0), (0, 0),
     "有网民发布涉及{district}{street}的信息，引发转发讨论。",
     "相关话题阅读量较高，部分信息不实。",
     "属地政府核实情况并发布情况通报，网信部门加强舆情监测引导。",
     "市委网信办"),
]
TYPHOON_NAMES = {7: ("5", "泰利"), 8: ("9", "海葵"), 9: ("14", "小犬")}
VEHICLES = ["重型货车", "水泥搅拌车", "公交车", "电动自行车", "渣土车", "旅游大巴"]
REASONS = ["雨天路滑车辆失控", "未保持安全车距", "违规变道", "疲劳驾驶"]
HOSPITALS = ["厦门大学附属中山医院", "厦门大学附属第一医院", "厦门市第五医院", "复旦中山厦门医院", "厦门弘爱医院"]
PLACES = ["居民楼", "厂房", "仓库", "商铺", "餐饮店", "城中村出租屋"]
FIRE_CAUSES = ["电动自行车充电", "电气线路短路", "厨房用火不慎", "违规动火作业"]
ACCIDENTS = ["高处坠落", "脚手架局部坍塌", "起重机械倾覆", "基坑局部塌方"]
CANTEENS = ["企业食堂", "学校食堂", "建筑工地食堂", "宴席"]
FOODS = ["凉拌菜", "海鲜", "米粉", "卤味"]
SEAS = ["鼓浪屿以南", "厦金海域", "东渡港区", "大嶝海域"]

LOG_TEMPLATES = {
    "YUJING": [
        ("市气象局", "值班员", "市气象台{t}发布暴雨黄色预警信号，预计未来6小时全市有50毫米以上降水。"),
        ("市气象局", "值班员", "市气象台{t}发布大风蓝色预警信号，沿海海面阵风8至9级。"),
        ("市应急局", "值班员", "省防指发布防台风预警，要求沿海各地做好防御准备。"),
        ("市资源规划局", "值班员", "市地质灾害气象风险预警：未来24小时同安、翔安北部山区地质灾害风险较高（黄色）。"),
        ("市气象局", "值班员", "市气象台{t}发布高温橙色预警信号，最高气温将达37℃以上。"),
    ],
    "SHANGJI": [
        ("省政府总值班室", "值班员", "通知：做好节日期间值班值守工作，每日17时前报送值班情况，零报告也须报送。"),
        ("省政府总值班室", "值班员", "核实网传我市有关情况，要求1小时内反馈核实结果。"),
        ("国务院办公厅值班室", "值班员", "了解我市防御台风工作情况，要求书面报告。"),
        ("市委办公厅值班室", "值班员", "转达市委主要领导批示精神，要求做好安全防范工作。"),
    ],
    "QINGSHI": [
        ("市应急局", "值班主任", "请示启动防台风Ⅳ级应急响应，已拟报告稿。"),
        ("市应急局", "值班主任", "报告全市防汛防台风工作部署和落实情况。"),
        ("{district}总值班室", "值班员", "报告辖区节日期间安全生产检查情况，无异常。"),
        ("市公安局指挥中心", "值班长", "报告重大活动期间安保工作情况，社会面总体平稳。"),
    ],
    "TONGZHI": [
        ("市委办公厅值班室", "值班员", "通知：明日上午9时召开全市安全生产工作视频会议，请通知相关市领导和部门。"),
        ("省政府总值班室", "值班员", "转发国务院安委办关于加强节日期间安全防范工作的通知。"),
        ("市应急局", "值班员", "转告：市防指决定于{t}起解除防台风应急响应。"),
        ("市政府办公厅秘书处", "工作人员", "通知：市政府常务会议时间调整，请通知各参会单位。"),
    ],
    "ZIXUN": [
        ("市民", "", "来电咨询节日期间市政府机关对外办公安排。"),
        ("媒体记者", "记者", "来电询问台风期间轮渡、航班停运安排，已告知向相关部门了解。"),
        ("市民", "", "来电反映所在片区停电情况，已转12345热线受理。"),
        ("驻厦单位", "值班员", "咨询市防指应急响应期间的工作要求。"),
    ],
    "QITA": [
        ("市公安局指挥中心", "值班长", "通报：今晚鼓浪屿周边海域开展夜间演练，请知悉。"),
        ("市数据管理局", "值班员", "报告：政务外网计划于今晚22时至24时进行设备割接。"),
        ("市信访局", "值班员", "报告：今日有群众到市政府上访，已妥善处置。"),
        ("行政处", "值班员", "值班室电话线路检修，已启用备用线路。"),
    ],
}
REPORTED_TO = [
    "{hm}报告带班领导{leader}，按指示转告相关单位",
    "{hm}报告{leader}，并抄告市应急局",
    "已于{hm}短信报送值班领导，同时通报相关部门",
    "按规定登记，{hm}报告带班领导{leader}",
]
ACTIONS = [
    "已转告相关单位按职责处置，跟踪落实情况。",
    "已按要求报送，并通知相关单位做好应对准备。",
    "已电话核实，情况属实，后续续报。",
    "已登记备查，无需进一步处理。",
    "已按领导要求督促有关单位做好防范工作。",
]


class DutySeeder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.s = ctx, ctx.rng, ctx.session
        self.today = today_cn()
        self.now = now_cn()
        data = ctx.data
        self.leaders = list(data.get("leaders") or ["黄秘书长", "吴副秘书长"])
        divisions = data.get("division", {})
        duty_office = divisions.get("总值班室")
        staff = list(data.get("staff") or [])
        self.officers = [p for p in staff if duty_office is not None and p.department is duty_office] or staff[:6]
        self.districts = list(data.get("districts") or [])
        self.units = {d.short_name_zh: d for d in list(data.get("depts") or []) + self.districts}
        self.counts = {"DutyShift": 0, "DutyOfficer": 0, "DutyLog": 0, "Incident": 0, "IncidentReport": 0,
                       "IncidentSLA": 0}
        self.shifts: dict[tuple[dt.date, str], DutyShift] = {}

    # --- roster --------------------------------------------------------------------------
    def special(self, day: dt.date) -> tuple[Optional[str], Optional[str]]:
        for first, last, code, note in SPECIAL_PERIODS:
            if first <= day <= last:
                return code, note
        if FLOOD_SEASON[0] <= day <= FLOOD_SEASON[1]:
            return "XUNQI", "汛期"
        return None, None

    def roster(self) -> None:
        rng, officers = self.rng, self.officers
        day = FIRST_DAY
        n = 0
        while day <= self.today:
            week = (day - FIRST_DAY).days // 7
            leader = self.leaders[week % len(self.leaders)]
            code, note = self.special(day)
            for shift_type in ("DAY", "NIGHT"):
                shift = DutyShift(duty_date=day, shift_type=shift_type, leader_name=leader, special_period=code,
                                  special_note=note, duty_phone=DUTY_PHONE)
                if day < self.today or shift_type == "DAY":
                    text = rng.choice(HANDOVER).format(district=rng.choice(["思明区", "湖里区", "集美区", "同安区"]))
                    if code:
                        text = SPECIAL_HANDOVER[code] + text
                    shift.handover_note = text
                self.s.add(shift)
                self.shifts[(day, shift_type)] = shift
                self.counts["DutyShift"] += 1
                if officers:
                    lead = officers[n % len(officers)]
                    second = officers[(n + 3) % len(officers)]
                    n += 1
                    pair = [(lead, "ZHUBAN")] + ([(second, "FUBAN")] if second is not lead else [])
                    for seq, (person, role) in enumerate(pair, start=1):
                        shift.officers.append(DutyOfficer(
                            seq=seq, personnel=person, role=role,
                            office_phone=f"0592-28921{10 + seq:02d}" if role == "ZHUBAN" else "0592-2892119"))
                        self.counts["DutyOfficer"] += 1
            day += dt.timedelta(days=1)
        self.s.flush()

    def shift_at(self, when: dt.datetime) -> Optional[DutyShift]:
        """The shift on duty at `when`: the day shift 08:30–17:30, else the night shift of
        the day it started on."""
        day, t = when.date(), when.time()
        if DAY_START <= t < NIGHT_START:
            return self.shifts.get((day, "DAY"))
        if t < DAY_START:
            day -= dt.timedelta(days=1)
        return self.shifts.get((day, "NIGHT"))

    def recorder(self, shift: Optional[DutyShift]):
        if shift is not None and shift.officers:
            return shift.officers[0].personnel
        return self.rng.choice(self.officers) if self.officers else None

    # --- incidents -------------------------------------------------------------------------
    def incidents(self) -> list[Incident]:
        rng = self.rng
        made: list[Incident] = []
        total = self.ctx.n(60)
        horizon = (self.today - FIRST_DAY).days
        for i in range(total):
            tpl = INCIDENTS[i % len(INCIDENTS)] if i < len(INCIDENTS) else rng.choice(INCIDENTS)
            category, sub, title_p, levels, (dmax, imax, tmax), (lmin, lmax), cause, impact, measures, unit = tpl
            if sub == "TAIFENG":
                month = rng.choice(sorted(TYPHOON_NAMES))
                first = next(p for p in SPECIAL_PERIODS if p[2] == "TAIFENG" and p[0].month == month)
                day = first[0] + dt.timedelta(days=rng.randrange(0, 2))
                number, name = TYPHOON_NAMES[month]
            else:
                day = FIRST_DAY + dt.timedelta(days=rng.randrange(horizon + 1))
                number, name = "", ""
            occurred = dt.datetime.combine(day, dt.time(rng.randrange(0, 24), rng.randrange(0, 60)))
            received = occurred + dt.timedelta(minutes=rng.randrange(8, 75))
            if received > self.now:
                occurred -= dt.timedelta(days=1)
                received -= dt.timedelta(days=1)
            district = rng.choice(self.districts) if self.districts else None
            code = getattr(district, "division_code", None) or "350203"
            dname = (district.short_name_zh or "").replace("政府", "") if district is not None else "思明区"
            street = rng.choice(XIAMEN_STREETS.get(code, ["鹭江街道"]))
            fill = dict(
                n=number, name=name, district=dname, street=street, road=rng.choice(ROADS),
                vehicle=rng.choice(VEHICLES), reason=rng.choice(REASONS), hospital=rng.choice(HOSPITALS),
                place=rng.choice(PLACES), fire_cause=rng.choice(FIRE_CAUSES), accident=rng.choice(ACCIDENTS),
                canteen=rng.choice(CANTEENS), food=rng.choice(FOODS), sea=rng.choice(SEAS),
                k=rng.randrange(2, 9), h=rng.randrange(1, 5),
            )
            level = rng.choices(list(levels), weights=list(levels.values()))[0]
            deaths = rng.randrange(0, dmax + 1) if dmax and rng.random() < 0.4 else 0
            if level == "III" and category == "SHIGU":
                deaths = max(deaths, rng.randrange(3, 6))
            injured = rng.randrange(0, imax + 1) if imax else 0
            if sub == "SHIWU":
                injured = fill["k"] * 3
            lat, lng = DISTRICT_CENTRES.get(code, (24.48, 118.09))
            incident = Incident(
                title=title_p.format(**fill), category=category, subcategory=sub, level=level,
                warning_level=rng.choice(["BLUE", "YELLOW", "ORANGE"]) if category == "ZIRAN" else None,
                occurred_at=occurred, received_at=received, district=district,
                address=f"{dname}{street}{fill['road']}附近" if sub not in ("TAIFENG", "SHUISHANG", "YUQING")
                else (f"{fill['sea']}海域" if sub == "SHUISHANG" else None),
                latitude=Decimal(f"{lat + rng.uniform(-0.03, 0.03):.6f}"),
                longitude=Decimal(f"{lng + rng.uniform(-0.03, 0.03):.6f}"),
                source=rng.choice(["QUZHENGFU", "BUMEN", "LIANDONG", "PINGTAI", "MEITI", "REXIAN"]),
                cause=cause.format(**fill), deaths=deaths, missing=0, injured=injured,
                trapped=rng.randrange(0, tmax + 1) if tmax else 0,
                direct_loss=Decimal(f"{rng.uniform(lmin, lmax):.2f}") if lmax else None,
                impact=impact.format(**fill), measures=measures.format(**fill),
                leaders_on_site=("、".join(rng.sample(self.leaders[:5], 2)) if level in ("II", "III")
                                 else f"{dname}分管副区长"),
                is_sensitive=sub in ("QUNTI", "YUQING") or level in ("II", "III"),
                secrecy_level="FEIMI" if rng.random() < 0.9 else "NEIBU",
            )
            self._reporting(incident, unit)
            self.s.add(incident)
            made.append(incident)
            self.counts["Incident"] += 1
        made.append(self._stub_incident())
        self.s.flush()
        for incident in made:
            assert not incident_problems(incident), (incident.title, incident_problems(incident))
            for report in incident.reports:
                assert not incident_report_problems(report), incident_report_problems(report)
        return made

    def _stub_incident(self) -> Incident:
        """A classified incident: a registration stub only (涉密不上网)."""
        received = dt.datetime.combine(self.today - dt.timedelta(days=40), dt.time(10, 12))
        incident = Incident(title="涉密事件登记（内容见机要件）", category="SHEHUI", subcategory="SHEWAI", level="IV",
                            occurred_at=received - dt.timedelta(minutes=30), received_at=received,
                            source="SHANGJI", secrecy_level="MIMI", is_sensitive=True,
                            phone_reported_at=received + dt.timedelta(minutes=12),
                            written_reported_at=received + dt.timedelta(minutes=50), status="CLOSED")
        for report_type, minutes in (("CHUBAO", 50), ("ZHONGBAO", 60 * 24 * 3)):
            incident.reports.append(IncidentReport(
                report_type=report_type, direction="SHANGBAO", channel="SHUMIAN", recipient="省政府总值班室",
                reported_at=received + dt.timedelta(minutes=minutes), approved_by=self.leaders[-1]))
            self.counts["IncidentReport"] += 1
        self.s.add(incident)
        self.counts["Incident"] += 1
        return incident

    def _reporting(self, incident: Incident, unit: str) -> None:
        """Report times (mostly within the limits, some late), reports and a status that
        fits the incident's age."""
        rng = self.rng
        phone_limit, written_limit, upward = incident_limits(incident.category, incident.level, self.s) or (30, 60, 2)
        received = incident.received_at
        late = rng.random() < 0.15
        phone = received + dt.timedelta(minutes=rng.randrange(3, max(4, int(phone_limit * 0.9))))
        written = received + dt.timedelta(minutes=rng.randrange(max(phone_limit // 2, 10),
                                                                max(phone_limit // 2 + 1, int(written_limit * 0.95))))
        if late:
            if rng.random() < 0.5:
                phone = received + dt.timedelta(minutes=phone_limit + rng.randrange(5, 40))
            written = received + dt.timedelta(minutes=written_limit + rng.randrange(10, 90))
        written = max(written, phone + dt.timedelta(minutes=5))
        age = self.now - received
        if age < dt.timedelta(minutes=written_limit) and rng.random() < 0.5:
            written = None  # still within the limit, not yet written
        if phone > self.now:
            phone = None
        incident.phone_reported_at = phone
        incident.written_reported_at = written
        if incident.level in ("I", "II", "III") or incident.is_sensitive:
            delay = dt.timedelta(minutes=rng.randrange(10, 60 * upward))
            incident.reported_to_province_at = (written or received) + delay
            if incident.reported_to_province_at > self.now:
                incident.reported_to_province_at = None
        days = age.days
        if days < 2:
            status = rng.choice(["REPORTED", "VERIFYING", "RESPONDING"])
        elif days < 8:
            status = rng.choice(["RESPONDING", "CONTROLLED", "ENDED"])
        else:
            status = rng.choices(["CLOSED", "FINAL_REPORTED", "ENDED"], weights=[16, 3, 1])[0]
        incident.status = status
        leader = rng.choice(self.leaders[:5])
        if written is not None:
            incident.reports.append(IncidentReport(
                report_type="CHUBAO", direction="SHANGBAO", channel=rng.choice(["PINGTAI", "CHUANZHEN", "SHUMIAN"]),
                recipient="市委、市政府主要领导，省政府总值班室", reported_at=written,
                content=f"【初报】{incident.title}。{incident.cause}{incident.impact}目前，{unit}及属地政府正在处置。",
                approved_by=leader))
            self.counts["IncidentReport"] += 1
        else:
            return
        at = written
        follow_ups = {"REPORTED": 0, "VERIFYING": rng.randrange(0, 2)}.get(status, rng.randrange(0, 5))
        for seq in range(1, follow_ups + 1):
            at = at + dt.timedelta(hours=rng.randrange(2, 20))
            if at > self.now:
                break
            incident.reports.append(IncidentReport(
                report_type="XUBAO", seq=seq, direction="SHANGBAO", channel=rng.choice(["PINGTAI", "SHUMIAN"]),
                recipient="市委、市政府领导，省政府总值班室", reported_at=at,
                content=f"【续报{seq}】{incident.title}最新情况：{incident.measures}", approved_by=leader))
            self.counts["IncidentReport"] += 1
        if rng.random() < 0.3:
            incident.reports.append(IncidentReport(
                report_type="XUBAO", direction="XIAFA", channel="DIANHUA",
                recipient=f"{unit}、{incident.district.short_name_zh if incident.district else ''}",
                reported_at=min(self.now, written + dt.timedelta(minutes=rng.randrange(10, 60))),
                content=f"转达市领导批示：全力做好{incident.title}处置工作，及时续报。", approved_by=leader))
            self.counts["IncidentReport"] += 1
        follow = sorted((r for r in incident.reports if r.report_type == "XUBAO"), key=lambda r: r.reported_at)
        for seq, report in enumerate(follow, start=1):
            report.seq = seq
        if status in ("FINAL_REPORTED", "CLOSED"):
            at = at + dt.timedelta(days=rng.randrange(1, 4))
            incident.reports.append(IncidentReport(
                report_type="ZHONGBAO", direction="SHANGBAO", channel="SHUMIAN",
                recipient="市委、市政府领导，省政府总值班室", reported_at=min(at, self.now),
                content=f"【终报】{incident.title}处置工作已结束。{incident.measures}下一步将举一反三开展隐患排查。",
                approved_by=leader))
            self.counts["IncidentReport"] += 1

    # --- duty logs ---------------------------------------------------------------------------
    def logs(self, incidents: list[Incident]) -> None:
        rng = self.rng
        made: list[DutyLog] = []
        for incident in incidents:
            if incident.secrecy_level != "FEIMI" and incident.secrecy_level != "NEIBU":
                continue
            shift = self.shift_at(incident.received_at)
            made.append(DutyLog(
                shift=shift, received_at=incident.received_at,
                channel=rng.choice(["DIANHUA", "PINGTAI", "DIANHUA", "CHUANZHEN"]),
                caller_unit=(incident.district.short_name_zh.replace("政府", "") + "总值班室")
                if incident.district else "市应急局",
                caller_name=person_name(rng), caller_post="值班员", caller_phone=self._phone(),
                category="TUFA", summary=f"报告：{incident.title}。{incident.cause}",
                reported_to=self._reported_to(incident.received_at, shift),
                actions="已要求属地和相关部门全力处置，按时限报送初报，跟踪续报。",
                incident=incident, recorder=self.recorder(shift), is_closed=incident.status in ("CLOSED",)))
        total = max(self.ctx.n(400), len(made))
        categories = list(LOG_TEMPLATES)
        first = min(self.shifts)[0] if self.shifts else FIRST_DAY
        span = max(1, int((self.now - dt.datetime.combine(first, DAY_START)).total_seconds() // 60))
        while len(made) < total:
            when = dt.datetime.combine(first, DAY_START) + dt.timedelta(minutes=rng.randrange(span))
            shift = self.shift_at(when)
            category = rng.choices(categories, weights=[5, 3, 3, 4, 3, 2])[0]
            unit, post, text = rng.choice(LOG_TEMPLATES[category])
            district = rng.choice(["思明区", "湖里区", "海沧区", "集美区", "同安区", "翔安区"])
            made.append(DutyLog(
                shift=shift, received_at=when,
                channel="YUQING" if unit == "媒体记者" else rng.choice(["DIANHUA", "DIANHUA", "CHUANZHEN", "PINGTAI"]),
                caller_unit=unit.format(district=district), caller_name=person_name(rng) if unit != "市民" else None,
                caller_post=post or None, caller_phone=self._phone(),
                category=category, summary=text.format(t=f"{when:%H时%M分}"),
                reported_to=self._reported_to(when, shift), actions=rng.choice(ACTIONS),
                recorder=self.recorder(shift), is_closed=when < self.now - dt.timedelta(days=2)))
        for entry in made:
            assert not duty_log_problems(entry)
            self.s.add(entry)
        self.counts["DutyLog"] = len(made)
        self.s.flush()

    def _phone(self) -> str:
        if self.rng.random() < 0.6:
            return f"0592-{self.rng.randrange(2000000, 8999999)}"
        return mobile(self.rng)

    def _reported_to(self, when: dt.datetime, shift: Optional[DutyShift]) -> str:
        leader = shift.leader_name if shift is not None and shift.leader_name else self.leaders[-1]
        hm = (when + dt.timedelta(minutes=self.rng.randrange(3, 25))).strftime("%H:%M")
        return self.rng.choice(REPORTED_TO).format(hm=hm, leader=leader)

    def run(self) -> dict[str, int]:
        self.counts["IncidentSLA"] = seed_incident_sla(self.s)
        self.roster()
        for shift in list(self.shifts.values())[:5]:
            assert not shift_problems(shift)
        incidents = self.incidents()
        self.logs(incidents)
        self.ctx.data["duty_shifts"] = list(self.shifts.values())
        self.ctx.data["incidents"] = incidents
        return self.counts


def seed(ctx) -> dict[str, int]:
    return DutySeeder(ctx).run()
