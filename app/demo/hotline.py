"""Demo 12345 hotline cases of 2025–2026: realistic appeals (noise, property management,
street vending, bus routes, school places, medical insurance …) across channels,
districts and streets, each with an action log consistent with its status — received,
dispatched, accepted, sometimes returned or extended, replied, visited, reopened when the
citizen was dissatisfied, archived. Statuses follow the dates relative to today.

Then the steps of real practice, a few cases each: dispatched to a lead unit with co-handling
units (主办 + 协办), passed on by a district to one of its streets (二级派单; the demo adds the
street offices of one district to the unit tree), harassment and invalid calls not accepted
(不予受理), and duplicates merged into a main case (并案) — one group whose main case is
answered, so the duplicates show its result.

Runs after the org seeder (units, districts) and, when present, the supervision seeder
(a few cases are linked to its 12345 items).
"""
from __future__ import annotations

import datetime as dt

from app.demo.names import ROADS, XIAMEN_STREETS, address, id_card, mobile, person_name
from models.base import now_cn
from models.hotline import (
    HOTLINE_TOPIC_L2,
    HOTLINE_TOPIC_L3,
    HotlineAction,
    HotlineCase,
    action_problems,
    add_workdays,
    case_problems,
    hash_query_code,
    hotline_limits,
    seed_hotline_sla,
)
from models.lookups import CATEGORIES
from models.org import Department

FIRST_DAY = dt.date(2025, 1, 2)
#: The demo stores real salted hashes, with fewer rounds than production so seeding stays quick.
DEMO_HASH_ITERATIONS = 1_000

ESTATES = ["海湾花园", "莲花五村", "瑞景新村", "湖里万达广场", "禹洲城上城", "国贸蓝海", "建发央著", "当代天境",
           "金山小区", "枋湖花园", "嘉园小区", "康城一期", "侨英花园", "杏林湾一号", "滨海花园", "西柯美地",
           "大唐世家", "保利叁仟栋", "翔安新城尚城", "阳光城翡丽湾"]
BUS_LINES = ["1路", "18路", "29路", "37路", "42路", "83路", "BRT1号线", "BRT3号线", "912路", "655路", "L17路"]
SCHOOLS = ["思明区第二实验小学", "湖里区第二实验小学", "集美区乐安小学", "海沧区海沧实验小学", "同安区第三实验小学",
           "翔安区第一实验小学", "厦门第二外国语学校", "湖里中学"]

# (topic l1, l2, l3, appeal type weights, handling unit short name (None: the case's district),
#  [content templates], reply template)
TEMPLATES = [
    ("HUANBAO", "ZAOSHENG", "ZAOSHENG_SHIGONG", {"TOUSU": 9, "JUBAO": 1}, None,
     ["反映{street}{road}一处在建工地夜间22时以后仍在施工，机械噪声很大，严重影响周边居民休息，要求查处。",
      "{estate}旁工地连续多日凌晨浇筑混凝土，噪声扰民，希望相关部门核实是否办理夜间施工许可。"],
     "经核查，该工地未办理夜间施工许可，已责令立即停止夜间施工，并对施工单位依法立案处理，后续将加强巡查。"),
    ("HUANBAO", "ZAOSHENG", "ZAOSHENG_SHENGHUO", {"TOUSU": 10}, None,
     ["反映{estate}小区楼上住户长期在深夜制造噪音（拖拽家具、跳动），多次沟通无果，请求协调处理。",
      "{street}{road}附近广场舞音响音量过大，每晚持续到21时30分以后，影响学生学习和居民休息。"],
     "属地社区会同派出所上门调解，已与当事人沟通，约定降低音量并控制活动时间，社区将持续跟踪。"),
    ("HUANBAO", "ZAOSHENG", "ZAOSHENG_SHANGYE", {"TOUSU": 10}, "市执法局",
     ["反映{road}沿街一商铺使用高音喇叭招揽顾客，噪声扰民。", "{estate}楼下酒吧营业至凌晨，音乐声很大，要求整治。"],
     "执法人员已到现场核查，责令商户停止使用高音喇叭，并将纳入日常巡查重点。"),
    ("HUANBAO", "DAQI", "DAQI_YOUYAN", {"TOUSU": 8, "JUBAO": 2}, "市生态环境局",
     ["反映{estate}底商餐饮店油烟直排，油烟和异味进入居民家中，要求安装油烟净化设施。"],
     "经现场检查，该餐饮店油烟净化设施未正常使用，已责令限期整改并定期清洗，逾期不改将依法处罚。"),
    ("HUANBAO", "DAQI", "DAQI_YANGCHEN", {"TOUSU": 9, "JUBAO": 1}, "市建设局",
     ["反映{road}一工地渣土车未覆盖，沿途撒漏，扬尘严重。"],
     "已督促施工单位落实围挡、冲洗、覆盖等扬尘防治措施，对撒漏路段进行清扫，后续加强执法巡查。"),
    ("CHENGJIAN", "WUYE", "WUYE_FEI", {"TOUSU": 6, "ZIXUN": 4}, "市建设局",
     ["反映{estate}物业公司擅自上调物业服务费，未经业主大会表决，要求核查。",
      "咨询{estate}物业费收费标准如何确定，公摊水电费是否应当公示。"],
     "经核实，物业服务企业调价未履行法定程序，已约谈物业企业，暂停执行新标准，并指导依法召开业主大会。"),
    ("CHENGJIAN", "WUYE", "WUYE_DIANTI", {"QIUZHU": 6, "TOUSU": 4}, None,
     ["反映{estate}3号楼电梯频繁故障停梯，老人上下楼困难，物业称维修资金不足，请求帮助。"],
     "街道已协调物业和维保单位完成电梯维修，并指导业委会申请使用专项维修资金更换主要部件。"),
    ("CHENGJIAN", "WUYE", "WUYE_FUWU", {"TOUSU": 10}, None,
     ["反映{estate}物业管理不到位，小区垃圾清运不及时、绿化无人修剪、门禁长期损坏。"],
     "街道已约谈物业服务企业，督促其限期整改保洁、绿化和门禁问题，社区将组织回头看。"),
    ("CHENGJIAN", "SHANGPINFANG", "SPF_JIAOFU", {"TOUSU": 10}, "市建设局",
     ["反映购买的{estate}商品房合同约定交房日期已过，开发商迟迟不交房也未说明原因。"],
     "已约谈开发企业，督促其公布工程进度和交付计划，逾期交付违约责任可依合同约定协商或通过司法途径解决。"),
    ("CHENGJIAN", "SHANGPINFANG", "SPF_BANZHENG", {"ZIXUN": 8, "QIUZHU": 2}, "市资源规划局",
     ["咨询{estate}购房后办理不动产权证需要准备哪些材料，能否网上办理。"],
     "已电话答复：可通过“i厦门”或不动产登记网上平台预约办理，所需材料为身份证明、购房合同、完税凭证等。"),
    ("CHENGGUAN", "ZHANDAO", "ZHANDAO_TANFAN", {"TOUSU": 9, "JIANYI": 1}, None,
     ["反映{road}{street}地铁站出口流动摊贩聚集，占道经营，影响行人通行，晚上尤为严重。",
      "{estate}门口每天早上有流动摊贩占道卖菜，堵塞小区出入口。"],
     "执法中队已加强该路段早晚高峰巡查，劝离流动摊贩，并引导其进入附近便民市场经营。"),
    ("CHENGGUAN", "ZHANDAO", "ZHANDAO_DIANWAI", {"TOUSU": 10}, "市执法局",
     ["反映{road}沿街商铺店外摆放桌椅、货物，占用人行道。"],
     "执法人员已责令商户清理店外经营物品，对屡教不改者依法处罚。"),
    ("CHENGGUAN", "SHIZHENG", "SHIZHENG_LUDENG", {"QIUZHU": 7, "TOUSU": 3}, "市市政园林局",
     ["反映{road}{street}段多盏路灯不亮已一周，夜间出行不安全。"],
     "养护单位已完成线路检修，故障路灯全部恢复照明。"),
    ("CHENGGUAN", "SHIZHENG", "SHIZHENG_LUMIAN", {"QIUZHU": 6, "TOUSU": 4}, "市市政园林局",
     ["反映{road}靠近{estate}路段路面坑洼，雨天积水，电动车容易摔倒。"],
     "已安排养护单位对破损路面进行修补，并将该路段纳入年度维修计划。"),
    ("CHENGGUAN", "PAISHUI", "PAISHUI_JISHUI", {"QIUZHU": 6, "TOUSU": 3, "JIANYI": 1}, "市市政园林局",
     ["反映{road}{street}路段每逢下雨就积水严重，影响通行，请求整治。"],
     "已对该路段雨水口和管道进行清疏，并纳入内涝点整治项目，汛期前完成改造。"),
    ("CHENGGUAN", "LAJI", None, {"TOUSU": 6, "JIANYI": 4}, None,
     ["反映{estate}垃圾分类投放点异味大，建议增加清运频次。"],
     "街道已协调环卫公司增加清运频次，并对投放点进行清洗消毒。"),
    ("CHENGGUAN", "WEIJIAN", None, {"JUBAO": 7, "TOUSU": 3}, None,
     ["举报{estate}顶楼住户违规搭建阳光房，存在安全隐患。"],
     "经执法人员现场核查，违法建设情况属实，已下达限期拆除通知书，当事人已自行拆除。"),
    ("JIAOTONG", "GONGJIAO", "GONGJIAO_XIANLU", {"JIANYI": 7, "ZIXUN": 3}, "市交通运输局",
     ["建议{bus}公交延伸至{estate}，方便周边居民出行。", "咨询{bus}调整线路后在{road}的站点位置。"],
     "已转公交集团研究，将结合客流调查和道路条件论证线路优化方案，感谢您的建议。"),
    ("JIAOTONG", "GONGJIAO", "GONGJIAO_BANCI", {"TOUSU": 6, "JIANYI": 4}, "市交通运输局",
     ["反映{bus}早高峰发车间隔过长，等车超过30分钟，要求加密班次。"],
     "公交集团已在早高峰增加配车，发车间隔缩短至10分钟以内。"),
    ("JIAOTONG", "GONGJIAO", "GONGJIAO_FUWU", {"TOUSU": 7, "BIAOYANG": 3}, "市交通运输局",
     ["反映{bus}驾驶员不等乘客坐稳就急刹急起，服务态度差。", "表扬{bus}驾驶员帮助老人上下车，热心服务。"],
     "公交集团已对驾驶员进行约谈和服务培训，并按规定处理。"),
    ("JIAOTONG", "TINGCHE", "TINGCHE_LUANTING", {"TOUSU": 10}, "市公安局",
     ["反映{estate}周边道路车辆乱停放，消防通道被占用。"],
     "交警部门已加强该区域违停巡查，对占用消防通道车辆依法处罚。"),
    ("JIAOTONG", "TINGCHE", "TINGCHE_SHOUFEI", {"ZIXUN": 5, "TOUSU": 5}, "市发改委",
     ["咨询{road}路边停车位收费标准和收费时段。"],
     "已答复：路内停车收费标准按市发改委核定执行，具体时段以现场公示为准。"),
    ("SHEBAO", "YIBAO", "YIBAO_BAOXIAO", {"ZIXUN": 7, "QIUZHU": 3}, "市医保局",
     ["咨询在外地住院后回厦门报销医疗费用需要哪些材料、报销比例是多少。",
      "咨询门诊特殊病种（慢性病）如何申请和报销。"],
     "已答复：可通过“闽政通”或医保经办窗口办理，需提供发票、费用清单、出院小结等材料，报销比例按政策执行。"),
    ("SHEBAO", "YIBAO", "YIBAO_CANBAO", {"ZIXUN": 9, "QIUZHU": 1}, "市医保局",
     ["咨询灵活就业人员如何参加医疗保险及缴费标准。"],
     "已答复参保渠道和缴费标准，可通过税务部门线上渠道缴费。"),
    ("SHEBAO", "YIBAO", "YIBAO_YIDI", {"ZIXUN": 8, "QIUZHU": 2}, "市医保局",
     ["咨询异地就医备案如何办理，备案后能否直接结算。"],
     "已答复：可通过国家医保服务平台APP办理备案，备案后在联网定点医院可直接结算。"),
    ("SHEBAO", "QIANXIN", "QIANXIN_NONGMINGONG", {"QIUZHU": 6, "TOUSU": 4}, "市人社局",
     ["反映在{street}一工地务工，工程结束已三个月，包工头拖欠工资{k}万元未支付。"],
     "劳动保障监察机构已立案调查，督促总包单位先行垫付，被拖欠工资已全部支付到位。"),
    ("SHEBAO", "JIUYE", None, {"ZIXUN": 9, "QIUZHU": 1}, "市人社局",
     ["咨询高校毕业生来厦就业的生活补贴和租房补贴申请条件。"],
     "已答复申请条件和办理渠道，可通过厦门市人社局网上办事大厅申请。"),
    ("JIAOYU", "XUEWEI", "XUEWEI_XIAOSHENG", {"ZIXUN": 8, "QIUZHU": 2}, None,
     ["咨询孩子今年秋季入学，户籍在{estate}，对应{school}的招生片区和报名时间。"],
     "已答复：招生片区和报名时间以区教育局发布的招生公告为准，可登录区教育局网站查询。"),
    ("JIAOYU", "XUEWEI", "XUEWEI_SUIQIAN", {"ZIXUN": 7, "QIUZHU": 3}, None,
     ["咨询非本市户籍随迁子女在{district}申请公办学校学位需要满足哪些条件。"],
     "已答复：需提供居住证、社保缴交证明等材料，具体按区教育局招生办法执行。"),
    ("JIAOYU", "XIAOWAI", None, {"JUBAO": 5, "TOUSU": 5}, "市教育局",
     ["反映{street}一校外培训机构预收费后关门，学费无法退还。"],
     "教育、市场监管部门已联合约谈机构负责人，督促制定退费方案，已为部分家长办理退费。"),
    ("SHICHANG", "SHIPIN", None, {"TOUSU": 6, "JUBAO": 4}, "市市场监管局",
     ["反映{road}一餐饮店后厨卫生条件差，吃后出现腹泻。", "举报{street}一无证食品小作坊。"],
     "市场监管部门已现场检查，责令停业整改并抽检相关食品，发现的违法行为已依法立案。"),
    ("SHICHANG", "XIAOFEI", "XIAOFEI_YUFUKA", {"TOUSU": 10}, "市市场监管局",
     ["反映{estate}附近一健身房突然关门，办理的预付卡余额{k}千元无法退还。"],
     "已组织调解，经营者同意分期退还预付卡余额，部分消费者已收到退款。"),
    ("SHICHANG", "XIAOFEI", "XIAOFEI_WANGGOU", {"TOUSU": 10}, "市市场监管局",
     ["反映在本市一网店购买商品存在质量问题，商家拒绝七天无理由退货。"],
     "已联系经营者调解，商家同意办理退货退款。"),
    ("GONGAN", "HUJI", None, {"ZIXUN": 10}, "市公安局",
     ["咨询人才落户厦门需要满足的条件和办理流程。", "咨询身份证异地补办的办理地点和所需材料。"],
     "已答复办理条件和流程，可通过“i厦门”平台预约办理。"),
    ("MINZHENG", "YANGLAOFUWU", None, {"ZIXUN": 6, "QIUZHU": 4}, "市民政局",
     ["咨询{district}的老年人助餐点位置及补贴政策。"],
     "已答复助餐点分布和补贴政策，符合条件的老人可向所在社区申请。"),
    ("MINZHENG", "SHEQU", None, {"JIANYI": 8, "BIAOYANG": 2}, None,
     ["建议在{estate}增设健身器材和休闲座椅。", "表扬{street}社区工作人员耐心帮助老人办理业务。"],
     "街道已将增设设施纳入社区微更新项目，预计年内实施。"),
    ("WENLV", "LVYOU", None, {"TOUSU": 8, "ZIXUN": 2}, "市文旅局",
     ["反映在鼓浪屿参加一日游被导游诱导购物。", "咨询节假日鼓浪屿船票预约方式。"],
     "文旅部门已调查核实，对违规旅行社依法处理，并提醒游客选择正规旅行社。"),
    ("QIYE", "ZHENGWU", None, {"JIANYI": 5, "ZIXUN": 3, "TOUSU": 2}, "市数据管理局",
     ["建议“i厦门”平台优化公积金提取流程，减少重复提交材料。"],
     "已转相关部门研究优化，目前已实现部分材料免提交。"),
    ("QIYE", "QIYESUQIU", None, {"QIUZHU": 6, "JIANYI": 4}, "市工信局",
     ["企业反映申请技改补助资金审核时间较长，希望加快拨付进度。"],
     "已协调财政部门加快审核，补助资金已于近日拨付。"),
    ("QITA", "QITAWENTI", None, {"XINFANG": 5, "JIANYI": 3, "BIAOYANG": 2}, None,
     ["反映多年前的房屋征收补偿问题一直未得到解决，要求重新核查。", "表扬{street}工作人员为民服务热情周到。"],
     "属地政府已调阅原征收档案，并当面向信访人说明政策依据，将依法依规妥善处理。"),
]
CHANNEL_WEIGHTS = {"DIANHUA": 55, "WEIXIN": 12, "WANGZHAN": 10, "APP": 8, "XINXIANG": 7, "DUANXIN": 3,
                   "SHANGJI": 3, "MEITI": 2}
#: 中文 label of every topic code, for the case titles (e.g. 殿前街道流动摊贩问题).
TOPIC_ZH = {code: zh for key in (HOTLINE_TOPIC_L2, HOTLINE_TOPIC_L3) for code, zh, _en in CATEGORIES[key].codes}
TITLE_SUFFIX = {"ZIXUN": "咨询", "QIUZHU": "求助", "TOUSU": "问题投诉", "JUBAO": "问题举报", "JIANYI": "建议",
                "BIAOYANG": "表扬", "XINFANG": "信访事项"}
#: An appeal that starts with one of these verbs is of that type, whatever the topic.
VERBS = {"咨询": "ZIXUN", "表扬": "BIAOYANG", "建议": "JIANYI", "举报": "JUBAO"}
VISIT_RESULTS = {
    "MANYI": ["市民表示满意，问题已解决。", "市民对办理结果和办理态度表示满意。"],
    "JIBEN": ["市民表示基本满意，希望后续持续跟进。", "问题基本解决，市民对办理时效有意见。"],
    "BUMANYI": ["市民表示不满意，认为问题未实际解决。", "市民对答复内容不认可，要求重新办理。"],
    "WEIPINGJIA": ["多次回访未接通，按规定视为未评价。"],
}


class HotlineSeeder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.s = ctx, ctx.rng, ctx.session
        self.now = now_cn()
        data = ctx.data
        self.districts = list(data.get("districts") or [])
        self.units = {d.short_name_zh: d for d in list(data.get("depts") or []) + self.districts}
        self.office = (data.get("division") or {}).get("市长热线办公室")
        self.items = [i for i in (data.get("supervision_items") or []) if getattr(i, "source_type", None) == "REXIAN"]
        self.operators = [person_name(self.rng) for _ in range(12)]
        self.counts = {"HotlineCase": 0, "HotlineAction": 0, "HotlineSLA": 0}

    def when(self) -> dt.datetime:
        """A receipt time, more of them recently; office hours mostly, some at night."""
        span = (self.now.date() - FIRST_DAY).days
        day = FIRST_DAY + dt.timedelta(days=int(span * (self.rng.random() ** 0.7)))
        hour = self.rng.choices([self.rng.randrange(8, 18), self.rng.randrange(18, 23), self.rng.randrange(0, 8)],
                                weights=[8, 2, 1])[0]
        at = dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)))
        return min(at, self.now - dt.timedelta(minutes=self.rng.randrange(5, 120)))

    def act(self, case: HotlineCase, action_type: str, at: dt.datetime, content: str, *, actor=None,
            department=None, review=None) -> dt.datetime:
        case.actions.append(HotlineAction(action_type=action_type, acted_at=at, content=content,
                                          actor=actor or self.rng.choice(self.operators),
                                          department=department, review_result=review))
        self.counts["HotlineAction"] += 1
        return at

    def make_case(self) -> HotlineCase:
        rng = self.rng
        l1, l2, l3, types, unit_name, contents, reply = rng.choice(TEMPLATES)
        content = rng.choice(contents)
        appeal_type = next((code for verb, code in VERBS.items() if content.startswith(verb)), None)
        if appeal_type is None:
            choices = {k: v for k, v in types.items() if k not in ("ZIXUN", "BIAOYANG")} or {"TOUSU": 1}
            appeal_type = rng.choices(list(choices), weights=list(choices.values()))[0]
        if appeal_type == "BIAOYANG":
            reply = "感谢您的表扬，已将您的表扬转达相关单位和工作人员。"
        received = self.when()
        district = rng.choice(self.districts) if self.districts else None
        code = getattr(district, "division_code", None) or "350203"
        street = rng.choice(XIAMEN_STREETS.get(code, ["鹭江街道"]))
        dname = (district.short_name_zh or "").replace("政府", "") if district is not None else "思明区"
        text = content.format(
            street=street, road=rng.choice(ROADS), estate=rng.choice(ESTATES), bus=rng.choice(BUS_LINES),
            school=rng.choice(SCHOOLS), district=dname, k=rng.randrange(2, 9))
        urgency = rng.choices(["YIBAN", "JINJI", "TEJI"], weights=[92, 7, 1])[0]
        anonymous = rng.random() < (0.4 if appeal_type == "JUBAO" else 0.06)
        case = HotlineCase(
            query_code_hash=hash_query_code(f"{rng.randrange(10**6):06d}", iterations=DEMO_HASH_ITERATIONS),
            channel=rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0],
            appeal_type=appeal_type, urgency=urgency, topic_l1=l1, topic_l2=l2, topic_l3=l3,
            title=f"{street}{TOPIC_ZH.get(l3 or l2, '')}{TITLE_SUFFIX[appeal_type]}", content=text,
            citizen_name=None if anonymous else person_name(rng),
            citizen_phone=mobile(rng), is_anonymous=anonymous,
            citizen_address=None if anonymous or rng.random() < 0.5 else address(rng),
            keep_confidential=appeal_type == "JUBAO" or rng.random() < 0.05,
            district=district, street=street, received_at=received,
        )
        if appeal_type == "XINFANG" and not anonymous:
            case.citizen_id_card = id_card(rng, dt.date(1950 + rng.randrange(45), rng.randrange(1, 13),
                                                        rng.randrange(1, 28)), rng.choice("12"), code)
        handler = self.units.get(unit_name) if unit_name else district
        if handler is None or (unit_name and rng.random() < 0.25):
            handler = district or handler
        self.lifecycle(case, handler, reply)
        return case

    def lifecycle(self, case: HotlineCase, handler, reply: str) -> None:
        rng, now = self.rng, self.now
        accept_hours, workdays = hotline_limits(case.appeal_type, case.urgency, self.s) or (24, 15)
        received = case.received_at
        case.due_at = add_workdays(received, workdays)
        office = self.office
        self.act(case, "SHOULI", received, "话务员受理登记。", department=office)
        age = now - received
        # 咨询 answered on the spot from the knowledge base
        if case.appeal_type == "ZIXUN" and rng.random() < 0.35:
            at = received + dt.timedelta(minutes=rng.randrange(3, 15))
            case.reply = reply
            case.replied_at = at
            self.act(case, "ZHIJIE", at, "依据知识库直接答复市民。", department=office)
            if age > dt.timedelta(days=2):
                case.status = "CLOSED"
                case.closed_at = at + dt.timedelta(days=1)
                case.is_resolved = True
                self.act(case, "GUIDANG", case.closed_at, "直接答复件归档。", department=office)
            else:
                case.status = "ANSWERED_DIRECT"
            return
        dispatched = received + dt.timedelta(minutes=rng.randrange(15, 240))
        if dispatched > now:
            case.status = "RECEIVED"
            return
        case.handler_department = handler
        case.dispatched_at = dispatched
        self.act(case, "PAIDAN", dispatched, f"派{handler}办理。" if handler else "派单办理。", department=office)
        clerk = person_name(rng)
        on_time = rng.random() < 0.93
        accepted = dispatched + (dt.timedelta(minutes=rng.randrange(10, max(11, accept_hours * 50))) if on_time
                                 else dt.timedelta(hours=accept_hours + rng.randrange(1, 24)))
        if accepted > now:
            case.status = "DISPATCHED"
            return
        # some units ask to return the case first (wrong unit)
        if rng.random() < 0.06:
            case.return_count = 1
            self.act(case, "TUIDAN_SQ", accepted, "该事项不属于本单位职责，申请退单。", actor=clerk, department=handler)
            reviewed = accepted + dt.timedelta(hours=rng.randrange(1, 8))
            if reviewed > now:
                case.status = "RETURN_PENDING"
                return
            approved = rng.random() < 0.5 and self.districts
            if approved:
                new_handler = case.district or handler
                self.act(case, "TUIDAN_SH", reviewed, f"同意退单，改派{new_handler}办理。", department=office,
                         review="APPROVED")
                handler = new_handler
                case.handler_department = handler
                self.act(case, "PAIDAN", reviewed + dt.timedelta(minutes=10), f"改派{handler}办理。", department=office)
            else:
                self.act(case, "TUIDAN_SH", reviewed, "退单理由不充分，不同意退单，请按职责办理。", department=office,
                         review="REJECTED")
            accepted = reviewed + dt.timedelta(minutes=rng.randrange(20, 180))
            if accepted > now:
                case.status = "DISPATCHED"
                return
        case.accepted_at = accepted
        clerk = person_name(rng)
        self.act(case, "QIANSHOU", accepted, "已签收，转业务科室办理。", actor=clerk, department=handler)
        due = case.due_at
        late = rng.random() < 0.06
        if rng.random() < 0.07 and case.appeal_type in ("TOUSU", "JUBAO", "QIUZHU", "XINFANG", "JIANYI"):
            asked = accepted + (due - accepted) * 0.6
            if asked <= now:
                case.extension_count = 1
                self.act(case, "YANQI_SQ", asked, "涉及多部门协调，申请延期5个工作日。", actor=clerk,
                         department=handler)
                reviewed = asked + dt.timedelta(hours=rng.randrange(2, 20))
                if reviewed > now:
                    case.status = "EXTENSION_PENDING"
                    return
                self.act(case, "YANQI_SH", reviewed, "同意延期5个工作日。", department=office, review="APPROVED")
                case.due_at = due = add_workdays(due, 5)
        span = max(dt.timedelta(hours=2), (due - accepted) * rng.uniform(0.3, 0.95))
        span = dt.timedelta(minutes=int(span.total_seconds() // 60))   # a clerk writes minutes, not microseconds
        replied = accepted + span if not late else due + dt.timedelta(hours=rng.randrange(4, 72))
        if replied > now:
            case.status = "HANDLING"
            if now > due:
                self.act(case, "CUIBAN", min(now, due + dt.timedelta(hours=2)), "工单已超期，请抓紧办理并回复。",
                         department=office)
            return
        if late:
            self.act(case, "CUIBAN", due + dt.timedelta(hours=1), "工单已超期，请加快办理。", department=office)
        case.reply, case.replied_at = reply, replied
        self.act(case, "BANJIE", replied, reply, actor=clerk, department=handler)
        visited = replied + dt.timedelta(hours=rng.randrange(4, 48))
        if visited > now:
            case.status = "REPLIED"
            return
        satisfaction = rng.choices(["MANYI", "JIBEN", "BUMANYI", "WEIPINGJIA"], weights=[80, 12, 5, 3])[0]
        if satisfaction == "BUMANYI" and rng.random() < 0.6:
            self.act(case, "HUIFANG", visited, rng.choice(VISIT_RESULTS["BUMANYI"]), department=office)
            case.reopen_count = 1
            reopened = visited + dt.timedelta(hours=1)
            self.act(case, "CHONGBAN", reopened, "市民不满意，退回承办单位重新办理。", department=office)
            if self.items and rng.random() < 0.5:
                case.supervision_item = rng.choice(self.items)
                self.act(case, "DUBAN", reopened + dt.timedelta(hours=2), "列入督查事项跟踪督办。", department=office)
            second = reopened + dt.timedelta(days=rng.randrange(2, 8))
            if second > now:
                case.status = "REOPENED"
                case.satisfaction, case.visit_result, case.visited_at = "BUMANYI", rng.choice(
                    VISIT_RESULTS["BUMANYI"]), visited
                return
            case.reply = reply + "重办后，承办单位再次上门核实并落实整改措施。"
            case.replied_at = second
            self.act(case, "BANJIE", second, case.reply, actor=clerk, department=handler)
            visited = second + dt.timedelta(hours=rng.randrange(4, 48))
            if visited > now:
                case.status = "REPLIED"
                return
            satisfaction = rng.choice(["MANYI", "JIBEN", "JIBEN", "BUMANYI"])
        case.visited_at = visited
        case.satisfaction = satisfaction
        case.visit_result = rng.choice(VISIT_RESULTS[satisfaction])
        case.is_resolved = satisfaction in ("MANYI", "JIBEN") or (satisfaction == "WEIPINGJIA" and rng.random() < 0.5)
        self.act(case, "HUIFANG", visited, case.visit_result, department=office)
        closed = visited + dt.timedelta(days=rng.randrange(1, 4))
        if closed > now:
            case.status = "VISITED"
            return
        case.status, case.closed_at = "CLOSED", closed
        self.act(case, "GUIDANG", closed, "工单办结归档。", department=office)

    def run(self) -> dict[str, int]:
        self.counts["HotlineSLA"] = seed_hotline_sla(self.s)
        cases = sorted((self.make_case() for _ in range(self.ctx.n(1500))), key=lambda c: c.received_at)
        seq_by_day: dict = {}
        for case in cases:
            day = case.received_at.date()
            seq_by_day[day] = seq_by_day.get(day, 0) + 1
            case.case_no = f"{day:%Y%m%d}-{seq_by_day[day]:04d}"
        with self.s.no_autoflush:
            for case in cases:
                problems = case_problems(case)
                assert not problems, (case.case_no, problems)
                for action in case.actions:
                    assert not action_problems(action), action_problems(action)
        self.s.add_all(cases)
        self.counts["HotlineCase"] = len(cases)
        self.s.flush()
        self.practice(cases)
        with self.s.no_autoflush:
            for case in cases:
                problems = case_problems(case)
                assert not problems, (case.case_no, problems)
        self.s.flush()
        self.ctx.data["hotline_cases"] = cases
        return self.counts

    # --- co-handling, passing on, not accepting, merging ---------------------------------------
    def streets_of(self, district) -> list:
        """The street offices of `district` in the unit tree (made here: the organisation demo
        stops at the district governments)."""
        code = getattr(district, "division_code", None) or "350203"
        short = (district.short_name_zh or "").replace("政府", "")
        streets = []
        for i, name in enumerate(XIAMEN_STREETS.get(code, ["鹭江街道"])[:4]):
            full = f"厦门市{short}{name}办事处" if name.endswith("街道") else f"厦门市{short}{name}人民政府"
            unit = Department(name_zh=full,
                              short_name_zh=name, name_en=f"{name} office, {district.name_en or ''}".strip(", "),
                              unit_type="STREET", parent=district, division_code=code, sort_order=500 + i,
                              valid_from=dt.date(2019, 3, 1))
            self.s.add(unit)
            streets.append(unit)
        self.counts["Department"] = self.counts.get("Department", 0) + len(streets)
        self.s.flush()
        return streets

    def practice(self, cases: list) -> None:
        rng = self.rng
        units = [u for u in self.units.values() if getattr(u, "unit_type", None) != "DISTRICT"]
        handling = [c for c in cases if c.status in ("ACCEPTED", "HANDLING") and c.handler_department is not None
                    and not c.co_departments]
        # 主办 + 协办: a few open and finished cases get one or two co-handling units
        co_cases = handling[:4] + [c for c in cases if c.status in ("VISITED", "CLOSED")
                                   and c.handler_department is not None][:6]
        for case in co_cases:
            others = [u for u in units if u is not case.handler_department]
            chosen = rng.sample(others, k=min(len(others), rng.choice([1, 1, 2])))
            case.co_departments = chosen
            for unit in chosen:
                self.act(case, "XIEBAN", (case.accepted_at or case.dispatched_at) + dt.timedelta(days=1),
                         f"{unit.short_name_zh or unit}：已配合现场核查，意见已反馈主办单位。", department=unit)
        # 二级派单: a district passes its cases on to a street office under it, which then handles them
        district = next((d for d in self.districts if d.division_code == "350203"), None) or (
            self.districts[0] if self.districts else None)
        if district is not None:
            streets = self.streets_of(district)
            held = [c for c in cases if c.handler_department is district and c.accepted_at is not None
                    and c not in co_cases]
            for case in held[-6:]:
                street = next((s for s in streets if s.short_name_zh == case.street), rng.choice(streets))
                at = case.accepted_at + dt.timedelta(minutes=rng.randrange(20, 120))
                case.passed_by_department, case.passed_at = district, at
                case.handler_department = street
                for action in case.actions:          # what the district did after passing it, the street did
                    if action.department is district and action.acted_at > case.accepted_at:
                        action.department = street
                self.act(case, "ERJI_PAIDAN", at, f"{district}转派{street}办理。", department=district)
                case.accepted_at = at + dt.timedelta(minutes=30)
                self.act(case, "QIANSHOU", case.accepted_at, "街道已签收。", department=street)
        # 不予受理: harassment and invalid calls of the last days, left out of the rates
        reasons = [("SAORAO", "来电人反复拨打并辱骂话务员，无具体诉求。"),
                   ("WUXIAO", "来电接通后无人说话，回拨无人接听。"),
                   ("JINJI_FENLIU", "来电反映正在发生的交通事故，已指引拨打122。"),
                   ("SHESU", "反映的劳动争议已进入法院诉讼程序，告知依法通过诉讼途径解决。")]
        for i, (reason, remark) in enumerate(reasons):
            received = self.now - dt.timedelta(days=i + 1, hours=rng.randrange(1, 8))
            case = HotlineCase(
                case_no=f"{received:%Y%m%d}-N{i + 1:03d}", channel="DIANHUA", appeal_type="ZIXUN", urgency="YIBAN",
                content=remark, title="不予受理来电", citizen_phone=mobile(rng), received_at=received,
                status="NOT_ACCEPTED", rejection_reason=reason, rejected_by="hotline", remark=remark)
            case.due_at = add_workdays(received, 2)
            case.rejected_at = case.closed_at = received + dt.timedelta(minutes=rng.randrange(2, 8))
            self.act(case, "SHOULI", received, "话务员受理登记。", department=self.office)
            self.act(case, "BUYU_SHOULI", case.rejected_at, remark, department=self.office)
            self.s.add(case)
            cases.append(case)
            self.counts["HotlineCase"] += 1
        # 并案: duplicates of an open case, and of one answered since (they show its reply)
        mains = [c for c in cases if c.status in ("HANDLING", "ACCEPTED", "DISPATCHED") and c not in co_cases][-1:] + \
            [c for c in cases if c.status in ("REPLIED", "VISITED") and c not in co_cases][-1:]
        for main in mains:
            for n in range(2):
                duplicate = HotlineCase(
                    case_no=f"{main.case_no}-B{n + 1}", channel="DIANHUA", appeal_type=main.appeal_type,
                    urgency=main.urgency, topic_l1=main.topic_l1, topic_l2=main.topic_l2, topic_l3=main.topic_l3,
                    title=main.title, content=f"同一事项再次来电：{main.content}", citizen_name=person_name(rng),
                    citizen_phone=mobile(rng), keep_confidential=main.keep_confidential, district=main.district,
                    street=main.street,
                    received_at=min(main.received_at + dt.timedelta(minutes=40 + 15 * n), self.now),
                    due_at=main.due_at, status="MERGED", merged_into=main)
                duplicate.merged_at = duplicate.closed_at = duplicate.received_at + dt.timedelta(minutes=5)
                self.act(duplicate, "SHOULI", duplicate.received_at, "话务员受理登记。", department=self.office)
                self.act(duplicate, "BINGAN", duplicate.merged_at,
                         f"与工单{main.case_no}诉求相同，并入该工单办理。", department=self.office)
                self.act(main, "BINGAN", duplicate.merged_at, f"工单{duplicate.case_no}并入本工单。",
                         department=self.office)
                self.s.add(duplicate)
                cases.append(duplicate)
                self.counts["HotlineCase"] += 1


def seed(ctx) -> dict[str, int]:
    return HotlineSeeder(ctx).run()

