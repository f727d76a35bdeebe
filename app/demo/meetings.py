"""Meetings of 2025–2026 with participants, topics and decisions; leaders' instructions and
leaders' assignments.

Puts `meetings`, `decisions`, `instructions` and `leader_tasks` into `ctx.data`: the
supervision seeder opens items for decisions that need supervision, for 批办
instructions and for escalated tasks, and links them back.
"""
from __future__ import annotations

import calendar
import datetime as dt

from app.demo.names import date_between, datetime_on, person_name
from models.base import today_cn
from models.leaders import LeaderInstruction, LeaderTask
from models.lookups import CO_HANDLER
from models.meetings import Meeting, MeetingDecision, MeetingDecisionCoDept, MeetingParticipant, MeetingTopic
from models.org import Department

FIRST_DAY, LAST_DAY = dt.date(2025, 1, 6), dt.date(2026, 12, 25)

# Subjects the government works on: each topic is (title, reporting unit, co-units, document reviewed or None).
SUBJECTS: dict[str, dict] = {
    "金砖创新基地建设": {
        "topics": [
            ("关于金砖国家新工业革命伙伴关系创新基地{year}年工作要点的汇报", "市发改委",
             ["市工信局", "市商务局", "市科技局", "火炬管委会"], "金砖国家新工业革命伙伴关系创新基地{year}年工作要点"),
            ("关于金砖创新基地人才培训中心建设情况的汇报", "市人社局", ["市工信局", "市教育局", "市财政局"], None),
            ("关于{year}年金砖国家新工业革命伙伴关系论坛筹备工作的汇报", "市外办",
             ["市商务局", "市公安局", "市文旅局", "思明区政府"], "{year}年金砖国家新工业革命伙伴关系论坛总体方案"),
            ("关于金砖创新基地赋能平台和示范项目建设的汇报", "市工信局", ["市发改委", "市数据管理局", "自贸委"], None),
        ],
        "decisions": [
            "{lead}要对标金砖国家合作机制要求，梳理形成年度重点项目清单，{deadline}报市政府。",
            "同意成立论坛筹备工作专班，由{lead}牵头，{co}按职责分工做好会务、安保、宣传等保障工作。",
            "{lead}会同{co}加快推进新工业革命领域人才培训，{deadline}制定年度培训计划并组织实施。",
            "{lead}要加强与金砖国家驻华使领馆、行业机构的对接，{deadline}形成合作项目对接清单。",
        ],
    },
    "岛内大提升": {
        "topics": [
            ("关于岛内大提升{year}年度项目计划的汇报", "市资源规划局",
             ["市建设局", "思明区政府", "湖里区政府", "市财政局"],
             "岛内大提升{year}年度项目计划"),
            ("关于湖里区老旧片区有机更新实施方案的汇报", "湖里区政府", ["市资源规划局", "市建设局", "市国资委"],
             "湖里区老旧片区有机更新实施方案"),
            ("关于筼筜湖片区综合提升工程推进情况的汇报", "思明区政府",
             ["市市政园林局", "市生态环境局", "市建设局"], None),
            ("关于岛内低效工业用地再开发工作的汇报", "市资源规划局", ["市工信局", "湖里区政府", "火炬管委会"],
             "厦门市低效工业用地再开发实施意见"),
        ],
        "decisions": [
            "{lead}要会同{co}逐个项目明确责任单位、时间节点，{deadline}完成项目前期工作。",
            "岛内两区要落实属地责任，{lead}加强统筹协调，每月通报项目进展。",
            "{lead}牵头做好片区规划设计，注重保留城市历史文脉，{deadline}提交规划方案。",
            "{lead}会同{co}研究完善低效用地认定标准和收储补偿政策，{deadline}报市政府。",
        ],
    },
    "跨岛发展": {
        "topics": [
            ("关于跨岛发展重点片区{year}年建设计划的汇报", "市发改委",
             ["市资源规划局", "集美区政府", "同安区政府", "翔安区政府"],
             "跨岛发展重点片区{year}年建设计划"),
            ("关于马銮湾新城建设推进情况的汇报", "海沧区政府", ["市资源规划局", "市建设局", "市交通运输局"], None),
            ("关于同安新城产业导入工作的汇报", "同安区政府", ["市工信局", "市商务局", "市发改委"], None),
            ("关于翔安新机场片区配套设施建设的汇报", "翔安区政府",
             ["市交通运输局", "市建设局", "市资源规划局", "市财政局"], None),
        ],
        "decisions": [
            "{lead}要加快片区基础设施和公共服务配套建设，{deadline}制定年度配套项目清单。",
            "{lead}会同{co}研究片区产业准入和招商政策，推动一批优质项目落地。",
            "市财政局要统筹安排片区建设资金，{lead}抓紧编制资金使用计划，{deadline}报送。",
            "{lead}要建立重点项目挂图作战机制，每季度向市政府报告推进情况。",
        ],
    },
    "防汛防台风": {
        "topics": [
            ("关于{year}年防汛防台风工作部署的汇报", "市应急局",
             ["市农业农村局", "市建设局", "市市政园林局", "市海洋发展局"],
             "厦门市{year}年防汛防台风工作方案"),
            ("关于防御今年第{n}号台风工作情况的汇报", "市应急局",
             ["市海洋发展局", "市交通运输局", "市公安局", "市教育局"], None),
            ("关于城市易涝点整治工作的汇报", "市市政园林局",
             ["市建设局", "市资源规划局", "思明区政府", "湖里区政府"], None),
            ("关于地质灾害隐患点排查整治情况的汇报", "市资源规划局", ["市应急局", "同安区政府", "翔安区政府"], None),
        ],
        "decisions": [
            "各区、各部门要严格落实防汛防台风责任制，{lead}牵头开展汛前隐患大排查，{deadline}完成整改。",
            "{lead}会同{co}抓紧完成易涝点改造工程，确保主汛期前发挥作用。",
            "{lead}要做好渔船回港、人员转移和在建工地停工等工作，灾后及时组织恢复生产生活秩序。",
            "{lead}要完善预警信息发布和应急响应联动机制，{deadline}修订完善应急预案。",
        ],
    },
    "优化营商环境": {
        "topics": [
            ("关于厦门市优化营商环境{year}年工作要点的汇报", "市发改委",
             ["市市场监管局", "市司法局", "市数据管理局", "市商务局"],
             "厦门市优化营商环境{year}年工作要点"),
            ("关于推进“高效办成一件事”改革工作的汇报", "市政务服务中心",
             ["市数据管理局", "市人社局", "市市场监管局"], None),
            ("关于涉企违规收费专项整治情况的汇报", "市市场监管局", ["市发改委", "市财政局", "市工信局"], None),
            ("关于促进民营经济高质量发展若干措施的汇报", "市工信局", ["市发改委", "市财政局", "市商务局", "市科技局"],
             "厦门市促进民营经济高质量发展若干措施"),
        ],
        "decisions": [
            "原则同意工作要点，{lead}会同{co}细化任务分工，{deadline}印发实施。",
            "{lead}要建立企业诉求“直通车”机制，对企业反映的问题实行清单化管理、限时办结。",
            "{lead}会同{co}对照先进城市做法，{deadline}提出新一批改革事项清单。",
            "市司法局要对相关政策措施开展合法性审核，{lead}按程序报批后公布实施。",
        ],
    },
    "城中村改造": {
        "topics": [
            ("关于城中村改造{year}年实施计划的汇报", "市建设局",
             ["市资源规划局", "市财政局", "湖里区政府", "思明区政府"],
             "厦门市城中村改造{year}年实施计划"),
            ("关于湖里区县后、高林片区城中村改造项目推进情况的汇报", "湖里区政府", ["市建设局", "市资源规划局"], None),
            ("关于城中村改造安置房建设和分配工作的汇报", "市建设局", ["市财政局", "市资源规划局", "集美区政府"], None),
            ("关于城中村出租屋消防安全隐患整治工作的汇报", "市应急局",
             ["市公安局", "市建设局", "湖里区政府", "思明区政府"], None),
        ],
        "decisions": [
            "{lead}要坚持“留改拆”并举，{deadline}完成年度改造项目征收签约工作。",
            "{lead}会同{co}加快安置房建设，确保群众按期回迁。",
            "市财政局要做好改造资金保障，{lead}积极争取中央、省专项资金和政策性金融支持。",
            "{lead}牵头开展出租屋消防安全隐患排查整治，{deadline}完成整改并建立长效管理机制。",
        ],
    },
    "地铁6号线建设": {
        "topics": [
            ("关于地铁6号线（林埭西至华侨大学段）建设推进情况的汇报", "市交通运输局",
             ["集美区政府", "海沧区政府", "市资源规划局", "市建设局"], None),
            ("关于轨道交通6号线漳州角美延伸段衔接工作的汇报", "市发改委",
             ["市交通运输局", "海沧区政府", "市财政局"], None),
            ("关于轨道交通沿线征地拆迁和管线迁改工作的汇报", "市资源规划局",
             ["集美区政府", "海沧区政府", "市市政园林局"], None),
            ("关于轨道交通第三期建设规划报批工作的汇报", "市发改委", ["市交通运输局", "市资源规划局", "市财政局"],
             "厦门市城市轨道交通第三期建设规划"),
        ],
        "decisions": [
            "{lead}要倒排工期、挂图作战，确保{deadline}完成年度投资和形象进度目标。",
            "沿线各区要加快征地拆迁和管线迁改，{lead}会同{co}协调解决施工用地问题。",
            "{lead}要加强与漳州市对接，{deadline}形成延伸段建设运营合作方案。",
            "{lead}要强化施工安全和交通疏导，减少施工对沿线群众出行的影响。",
        ],
    },
    "东部体育会展新城": {
        "topics": [
            ("关于东部体育会展新城建设推进情况的汇报", "翔安区政府", ["市发改委", "市资源规划局", "市建设局"], None),
            ("关于新会展中心运营管理方案的汇报", "市商务局",
             ["市国资委", "翔安区政府", "市财政局"], "厦门新会展中心运营管理方案"),
            ("关于东部体育中心赛事引进和场馆运营工作的汇报", "市体育局", ["市文旅局", "市国资委", "翔安区政府"], None),
        ],
        "decisions": [
            "{lead}要加快片区道路、公交、商业等配套建设，{deadline}完成配套项目清单。",
            "原则同意运营管理方案，{lead}会同{co}完善市场化运营机制，{deadline}报市政府。",
            "{lead}要积极引进国际国内高水平赛事和品牌展会，提高场馆利用率。",
        ],
    },
    "科技创新": {
        "topics": [
            ("关于厦门科学城建设{year}年工作计划的汇报", "市科技局",
             ["火炬管委会", "市发改委", "市资源规划局", "同安区政府"],
             "厦门科学城{year}年建设工作计划"),
            ("关于嘉庚创新实验室建设运行情况的汇报", "市科技局", ["市财政局", "市人社局", "翔安区政府"], None),
            ("关于支持高新技术企业发展若干措施的汇报", "火炬管委会", ["市科技局", "市财政局", "市工信局"],
             "厦门市支持高新技术企业发展若干措施"),
        ],
        "decisions": [
            "{lead}要聚焦新一代信息技术、生物医药、新材料等领域，{deadline}提出重大创新平台布局方案。",
            "市财政局要落实科技创新资金保障，{lead}完善资金绩效评价办法。",
            "{lead}会同{co}完善高层次人才引进配套政策，{deadline}报市政府。",
        ],
    },
    "安全生产": {
        "topics": [
            ("关于安全生产治本攻坚三年行动{year}年工作情况的汇报", "市应急局",
             ["市公安局", "市交通运输局", "市建设局", "市市场监管局"],
             None),
            ("关于城镇燃气安全专项整治工作的汇报", "市市政园林局", ["市应急局", "市市场监管局", "市公安局"], None),
            ("关于电动自行车安全隐患全链条整治工作的汇报", "市公安局",
             ["市市场监管局", "市应急局", "市建设局", "市执法局"], None),
        ],
        "decisions": [
            "{lead}要压实企业主体责任和部门监管责任，{deadline}完成重点行业领域隐患排查整治。",
            "{lead}会同{co}开展燃气管网老化更新改造，{deadline}完成年度改造任务。",
            "{lead}牵头组织开展安全生产明查暗访，对问题突出的单位予以通报。",
            "各区要落实属地管理责任，{lead}加强督促指导，{deadline}报送整治情况。",
        ],
    },
    "财政预算": {
        "topics": [
            ("关于{year}年上半年市级预算执行情况和下半年工作安排的汇报", "市财政局",
             ["市发改委", "市税务局", "市审计局"], None),
            ("关于市级政府投资项目{year}年度计划调整的汇报", "市发改委", ["市财政局", "市建设局", "市交通运输局"],
             "市级政府投资项目{year}年度计划调整方案"),
            ("关于政府专项债券资金使用管理情况的汇报", "市财政局", ["市发改委", "市审计局"], None),
        ],
        "decisions": [
            "原则同意调整方案，由{lead}按程序报市人大常委会审议。",
            "各部门要坚持过紧日子，{lead}会同{co}从严控制一般性支出，{deadline}报送压减方案。",
            "{lead}要加快专项债券资金支出进度，对支出进度慢的项目及时调整用途。",
        ],
    },
    "规章和规范性文件": {
        "topics": [
            ("关于《厦门市物业管理若干规定（修订草案）》的说明", "市建设局", ["市司法局", "市市场监管局"],
             "厦门市物业管理若干规定（修订草案）"),
            ("关于《厦门市公共数据管理办法（草案）》的说明", "市数据管理局",
             ["市司法局", "市公安局"], "厦门市公共数据管理办法（草案）"),
            ("关于《厦门市海域使用管理规定（修订草案）》的说明", "市海洋发展局", ["市司法局", "市资源规划局"],
             "厦门市海域使用管理规定（修订草案）"),
            ("关于《厦门市养犬管理办法（修订草案）》的说明", "市公安局", ["市司法局", "市执法局", "市农业农村局"],
             "厦门市养犬管理办法（修订草案）"),
        ],
        "decisions": [
            "原则通过《{doc}》，由{lead}会同市司法局根据会议意见修改完善后，按程序公布施行。",
            "{lead}要做好政策解读和宣传工作，{deadline}完成配套制度制定。",
            "{lead}要广泛听取社会公众意见，{deadline}修改完善后再提交审议。",
        ],
    },
    "民生实事": {
        "topics": [
            ("关于{year}年为民办实事项目安排的汇报", "市发改委", ["市财政局", "市教育局", "市卫健委", "市民政局"],
             "{year}年厦门市为民办实事项目"),
            ("关于新增中小学幼儿园学位建设工作的汇报", "市教育局", ["市资源规划局", "市建设局", "市财政局"], None),
            ("关于国家区域医疗中心建设推进情况的汇报", "市卫健委", ["市发改委", "市医保局", "市财政局"], None),
            ("关于居家社区养老服务体系建设的汇报", "市民政局", ["市卫健委", "市医保局", "市财政局"], None),
        ],
        "decisions": [
            "原则同意为民办实事项目安排，{lead}会同{co}逐项明确责任单位和完成时限，{deadline}向社会公布。",
            "{lead}要加快学位建设项目进度，确保秋季学期按时投入使用。",
            "{lead}会同{co}完善养老服务设施布局，{deadline}新增一批社区嵌入式养老服务机构。",
        ],
    },
    "两岸融合发展": {
        "topics": [
            ("关于建设两岸融合发展示范区先行区工作的汇报", "市台港澳办", ["市商务局", "市发改委", "市人社局"], None),
            ("关于“厦金通”建设和服务保障工作的汇报", "市台港澳办", ["市交通运输局", "市海洋发展局", "自贸委"], None),
            ("关于台胞台企同等待遇政策落实情况的汇报", "市台港澳办", ["市人社局", "市教育局", "市市场监管局"], None),
        ],
        "decisions": [
            "{lead}要加强政策集成创新，{deadline}形成新一批惠台利民政策清单。",
            "{lead}会同{co}推进厦金基础设施联通，做好通航、通关保障。",
            "{lead}要做好台胞在厦就业创业服务，定期梳理政策落实情况。",
        ],
    },
    "生态环境保护": {
        "topics": [
            ("关于中央生态环境保护督察反馈问题整改情况的汇报", "市生态环境局",
             ["市海洋发展局", "市农业农村局", "市资源规划局"], None),
            ("关于九龙江—厦门湾污染物排海总量控制工作的汇报", "市生态环境局",
             ["市海洋发展局", "市市政园林局", "海沧区政府"], None),
            ("关于{year}年大气污染防治攻坚行动的汇报", "市生态环境局", ["市建设局", "市交通运输局", "市工信局"], None),
        ],
        "decisions": [
            "{lead}要对照整改清单逐项销号，{deadline}完成阶段性整改任务并报送整改情况。",
            "{lead}会同{co}加快污水处理设施提标改造，{deadline}完成年度建设任务。",
            "各区要落实属地责任，{lead}加强监测预警和执法检查。",
        ],
    },
    "文化旅游": {
        "topics": [
            ("关于鼓浪屿世界文化遗产保护管理工作的汇报", "思明区政府", ["市文旅局", "市资源规划局", "市执法局"], None),
            ("关于{year}年节假日旅游市场和交通保障工作的汇报", "市文旅局",
             ["市交通运输局", "市公安局", "思明区政府"], None),
            ("关于促进文旅消费若干措施的汇报", "市文旅局",
             ["市商务局", "市财政局", "市体育局"], "厦门市促进文旅消费若干措施"),
        ],
        "decisions": [
            "{lead}要严格落实遗产地保护管理规定，{deadline}完成遗产监测预警平台升级。",
            "{lead}会同{co}做好节假日客流疏导和市场秩序整治，确保安全有序。",
            "原则同意若干措施，{lead}根据会议意见修改完善后印发实施。",
        ],
    },
}
GENERIC_DECISIONS = [
    "{lead}要会同{co}细化工作任务清单，明确责任单位和完成时限，{deadline}报市政府。",
    "{lead}要加强统筹协调，建立工作推进机制，定期向市政府报告工作进展。",
    "市财政局要统筹做好资金保障，{lead}抓紧编制资金使用计划，{deadline}报送。",
]
DOC_DECISIONS = [
    "原则同意《{doc}》，由{lead}根据会议讨论意见修改完善后，按程序印发实施。",
    "原则同意《{doc}》，{lead}要会同{co}抓好贯彻落实，{deadline}报送实施情况。",
]
DEFERRED = "请{lead}根据会议意见进一步修改完善，会同{co}充分沟通协调后再提交市政府研究。"
REJECTED = "该事项暂不实施，由{lead}做好相关政策解释和后续工作。"
MENTIONED_UNITS = ("市财政局", "市司法局", "市审计局")

VENUES = ["市政府第一会议室（西楼四楼）", "市政府第二会议室（西楼三楼）", "市政府常务会议室", "市行政中心第五会议室",
          "市政府西楼七楼会议室"]
VIDEO_VENUE = "市政府西楼三楼视频会议室"
EVENT_VENUES = ["厦门国际会议中心", "厦门国际会展中心", "人民会堂", "厦门佰翔软件园酒店"]

GONGZUO = [("全市安全生产工作会议", "安全生产"), ("全市优化营商环境工作推进会", "优化营商环境"),
           ("全市防汛防台风工作会议", "防汛防台风"), ("全市城中村改造工作推进会", "城中村改造"),
           ("全市科技创新工作会议", "科技创新"), ("全市生态环境保护工作会议", "生态环境保护")]
VIDEO = [("全省防汛防台风工作视频会议（厦门分会场）", "防汛防台风"),
         ("全国安全生产电视电话会议（厦门分会场）", "安全生产"),
         ("全省优化营商环境工作视频会议（厦门分会场）", "优化营商环境"),
         ("全省生态环境保护工作视频会议（厦门分会场）", "生态环境保护")]
HUODONG = ["第{cifit}届中国国际投资贸易洽谈会开幕式", "第{strait}届海峡论坛大会", "{year}厦门马拉松赛开赛仪式",
           "{year}金砖国家新工业革命伙伴关系论坛开幕式", "{year}厦门国际海洋周开幕式", "市政府与驻厦高校合作签约仪式"]
LEAVE_REASONS = ["公务外出", "出差", "参加省里会议", "病假"]

PROVINCE_LEADERS = ["赵省长", "周常务副省长", "郑副省长", "孙副省长"]
OFFICE_LEADERS = ["黄秘书长", "吴副秘书长", "郭副秘书长"]
YUESHI_TEXTS = ["已阅。", "阅。情况很好，请继续跟踪。", "已阅，请办公厅跟踪了解后续情况。", "阅。请分管领导阅示。"]
ZHUANSONG_TEXTS = ["转{dept}阅研。", "请转{dept}参阅。", "转{dept}，请结合工作参考。"]
PIBAN_TEXTS = {
    "SHI": ["请{dept}高度重视，认真核查，妥善处置，{deadline}将办理结果报我。",
            "此事关系群众切身利益，请{dept}牵头抓紧研究解决，及时反馈。",
            "请{dept}认真研究，提出具体贯彻落实意见，{deadline}报市政府。",
            "请{dept}举一反三，建立长效机制，{deadline}报送整改情况。"],
    "SHENG": ["请厦门市政府认真研究，抓好落实，有关情况{deadline}报省政府。",
              "请厦门市认真核查处理，结果报省政府办公厅。"],
    "ZHONGYANG": ["请福建省政府督促厦门市认真核查处理，有关情况及时报送。"],
    "BANGONGTING": ["请{dept}抓紧办理，{deadline}反馈。", "请{dept}会同有关单位研究提出意见。"],
}
# Sources other than documents: (source type, reference, handling unit, PIBAN text or None).
SOURCES = [
    ("XINXI", "《厦门政务信息》{year}年第{n}期《我市外贸企业订单回流情况调查》", "市商务局", None),
    ("XINXI", "《厦门政务信息》{year}年第{n}期《部分城中村出租屋消防隐患突出》", "市应急局", None),
    ("XINXI", "《厦门政务信息》{year}年第{n}期《跨境电商企业发展面临的困难和建议》", "市商务局", None),
    ("TUFA", "同安区一在建工地发生塔吊倾覆事故", "市建设局",
     "请{dept}全力做好伤员救治和善后处置工作，查明事故原因，举一反三开展隐患排查，{deadline}报告处置情况。"),
    ("TUFA", "集美区杏林一居民楼发生火灾", "市应急局",
     "请{dept}督促做好善后工作，深入开展高层建筑消防安全隐患排查，{deadline}报送情况。"),
    ("TUFA", "强降雨致海沧区部分路段积水", "市市政园林局", "请{dept}抓紧排涝，尽快恢复交通，研究提出易涝点整治方案。"),
    ("DIAOYAN", "《关于我市低空经济发展情况的调研报告》", "市发改委",
     "调研报告很有参考价值，请{dept}结合实际吸收采纳，{deadline}形成支持政策措施。"),
    ("DIAOYAN", "《关于我市人口老龄化与养老服务供给的调研报告》", "市民政局",
     "请{dept}认真研究报告提出的建议，纳入养老服务体系建设统筹考虑。"),
    ("REXIAN", "12345热线反映莲前西路夜间施工噪声扰民", "市生态环境局",
     "所反映问题请{dept}核实并限期整改，{deadline}反馈处理结果。"),
    ("REXIAN", "12345热线反映集美学村周边停车难", "集美区政府", "请{dept}研究解决，改善群众出行条件。"),
    ("REXIAN", "市长信箱来信反映老旧小区加装电梯推进缓慢",
     "市建设局", "请{dept}梳理共性问题，{deadline}提出加快推进措施。"),
    ("JYTA", "市人大代表建议第{n}号《关于加强校园周边交通安全管理的建议》", "市公安局",
     "请{dept}认真办理，按时答复代表，办理情况报市政府。"),
    ("JYTA", "市政协提案第{n}号《关于加快发展银发经济的提案》",
     "市民政局", "请{dept}认真办理，按时答复委员，办理情况报市政府。"),
    ("ZHIBAN", "总值班室值班信息：翔安区一化工企业发生少量危化品泄漏", "市应急局",
     "请{dept}立即组织核查，做好环境监测，{deadline}报告处置情况。"),
    ("QITA", "《福建日报》报道我市推进“高效办成一件事”改革", "市政务服务中心", None),
]
HIGHER_SOURCES = [
    ("GONGWEN", "省政府办公厅领导批示件转办单〔{year}〕{n}号"),
    ("XINXI", "《八闽快讯》{year}年第{n}期《厦门市推进政务服务“一网通办”》"),
    ("XINXI", "国务院办公厅《昨日要情》{year}年第{n}期刊发厦门有关情况"),
    ("QITA", "《福建日报》内参{year}年第{n}期"),
]
DOC_PIBAN_UNITS = ["市发改委", "市工信局", "市商务局", "市财政局", "市建设局", "市资源规划局", "市应急局",
                   "市生态环境局", "市交通运输局", "市教育局", "市卫健委", "市民政局", "市公安局", "市科技局"]
PIBAN_RESULTS = ["{dept}已报送办理情况：已完成核查处置，相关问题已整改到位。",
                 "{dept}已按批示要求组织专题研究，形成贯彻落实意见报市政府。",
                 "{dept}已制定整改方案并完成整改，建立了长效管理机制。",
                 "{dept}已办理完毕，并向有关方面作了答复。"]

# Leaders' assignments: (title, handling unit, content); a division gets a handler from its staff.
TASKS = [
    ("牵头起草市政府{next_year}年工作报告初稿", "政策研究室",
     "请政策研究室牵头，商市发改委等部门，{deadline}形成政府工作报告初稿。"),
    ("梳理近期市政府常务会议议定事项落实情况", "督查室",
     "请督查室逐项梳理议定事项落实情况，对进展滞后的事项提出督办建议。"),
    ("起草市长在全市优化营商环境推进会上的讲话稿", "秘书二处", "请秘书二处起草讲话稿，{deadline}送审。"),
    ("协调解决翔安新机场片区施工用电问题", "秘书三处", "请秘书三处协调供电企业和翔安区政府，尽快解决施工用电问题。"),
    ("了解台风过境后各区灾后恢复情况", "总值班室", "请总值班室汇总各区受灾和恢复生产生活秩序情况，当日报告。"),
    ("准备省政府督查组来厦督查汇报材料", "督查室", "请督查室会同有关部门准备汇报材料，{deadline}送审。"),
    ("整理近期企业反映的融资难问题并提出建议", "政务信息处", "请政务信息处整理企业诉求，形成专报。"),
    ("安排外国友好城市代表团来访接待", "接待处", "请接待处会同市外办制定接待方案，做好接待工作。"),
    ("研究提出岛内停车难问题解决思路", "政策研究室", "请政策研究室开展专题调研，{deadline}提出解决思路。"),
    ("核查媒体报道的岛外某地块长期闲置问题", "秘书四处", "请秘书四处商市资源规划局核实情况，提出处置建议。"),
    ("组织节前安全生产检查的有关安排", "秘书一处", "请秘书一处商市应急局提出节前安全生产检查安排，报我审定。"),
    ("协调研究高校毕业生就业补贴政策", "秘书二处", "请秘书二处协调市人社局、市财政局研究提出政策调整意见。"),
    ("做好市长赴同安区调研乡村振兴的行程安排", "秘书一处", "请秘书一处商同安区政府拟定调研行程和点位。"),
    ("汇总各区防汛备汛工作情况", "总值班室", "请总值班室汇总各区防汛物资、队伍和预案准备情况。"),
    ("了解地铁6号线施工影响周边交通的情况", "秘书三处", "请秘书三处会同市交通运输局了解情况，提出疏导措施建议。"),
    ("督促市建设局报送城中村改造最新进展", "督查室", "请督查室督促市建设局{deadline}报送城中村改造项目进展。"),
    ("统计12345热线上月群众诉求热点", "市长热线办公室", "请市长热线办公室统计分析上月诉求热点，形成分析报告。"),
    ("准备市政府全体会议有关材料", "综合处", "请综合处做好全体会议材料准备和会务安排。"),
    ("梳理人大代表建议办理中的共性问题", "建议提案处", "请建议提案处梳理共性问题，提出改进办理工作的建议。"),
    ("核实政务信息反映的外贸企业用工问题", "政务信息处", "请政务信息处商市人社局核实情况，续报进展。"),
    ("起草关于做好节日期间保供稳价工作的通知", "秘书二处", "请秘书二处商市发改委、市商务局起草通知，{deadline}送审。"),
    ("研究精简市政府系统会议活动的措施", "综合处", "请综合处研究提出精简会议活动、改进会风的具体措施。"),
    ("完善电子政务外网安全防护措施", "电子政务处", "请电子政务处开展安全检查，{deadline}提出整改措施。"),
    ("安排重阳节走访慰问离退休老同志", "离退休干部处", "请离退休干部处拟定走访慰问名单和安排。"),
    ("研究鼓浪屿游客承载量动态管控方案", "市文旅局",
     "请市文旅局会同思明区政府研究提出动态管控方案，{deadline}报市政府。"),
    ("提出重点产业项目用地保障措施", "市资源规划局", "请市资源规划局梳理重点项目用地需求，提出保障措施。"),
    ("研究新能源汽车充电设施布局规划", "市发改委", "请市发改委牵头研究充电设施布局，{deadline}形成规划初稿。"),
    ("开展校园周边交通安全隐患排查", "市公安局", "请市公安局会同市教育局开展排查整治，{deadline}报送情况。"),
    ("协调解决重点外贸企业出口退税进度问题", "市商务局", "请市商务局协调税务部门加快办理，及时反馈企业。"),
]
TASK_RESULTS = ["已按要求完成，书面报告已报{leader}。", "已协调有关单位解决，情况已向{leader}反馈。",
                "已形成专题材料报{leader}审阅。", "已按要求办结，并将结果告知有关单位。"]


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _deadline_text(due: dt.date, since: dt.date) -> str:
    if due == _month_end(due):
        return f"{due.month}月底前" if due.year == since.year else f"{due.year}年{due.month}月底前"
    return f"{due.month}月{due.day}日前"


def _weekday(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def _post_of(leader: str) -> str:
    """'李常务副市长' -> '常务副市长': the demo leaders are surname + post."""
    return leader[1:]


def _head_post(rng, unit) -> str:
    name = unit.name_zh
    if unit.unit_type == "DISTRICT":
        return rng.choice(["区长", "常务副区长", "副区长"])
    if name.endswith(("委员会", "管理委员会", "办公室", "中心")) or unit.short_name_zh.endswith(("委", "办")):
        return rng.choice(["主任", "副主任"])
    return rng.choice(["局长", "副局长"])


def seed(ctx) -> dict[str, int]:
    s, rng, today = ctx.session, ctx.rng, today_cn()
    units = {d.short_name_zh: d for d in [ctx.data["gov"], ctx.data["office"], *ctx.data["districts"],
                                          *ctx.data["depts"], *ctx.data["zones"]]}
    units.update(ctx.data["division"])
    for short in ("市政务服务中心", "市税务局"):
        found = s.query(Department).filter_by(short_name_zh=short).first()
        if found is not None:
            units[short] = found
    staff_by_unit: dict[int, list] = {}
    for person in ctx.data["staff"]:
        staff_by_unit.setdefault(person.department_id, []).append(person)

    leaders = ctx.data["leaders"]
    mayors = [x for x in leaders if x.endswith("市长") and "副" not in x] or leaders[:1]
    vice_mayors = [x for x in leaders if "副市长" in x] or leaders
    secretaries = [x for x in leaders if "秘书长" in x] or leaders
    in_charge = {subject: rng.choice(vice_mayors) for subject in SUBJECTS}
    secretariats = [ctx.data["division"][n] for n in ("秘书一处", "秘书二处", "秘书三处", "秘书四处")]
    counts = dict.fromkeys(("Meeting", "MeetingParticipant", "MeetingTopic", "MeetingDecision",
                            "MeetingDecisionCoDept", "LeaderInstruction", "LeaderTask"), 0)

    # --- when, what kind ----------------------------------------------------------------
    plan: list[tuple[dt.date, str]] = []
    for year in (2025, 2026):
        n = ctx.n(22)
        for k in range(n):
            day = dt.date(year, 1, 10) + dt.timedelta(days=int(k * 345 / n) + rng.randrange(-3, 4))
            plan.append((_weekday(day), "CHANGWU"))
        plan.append((_weekday(dt.date(year, 1, rng.randrange(20, 28))), "QUANTI"))
        plan.append((_weekday(dt.date(year, 7, rng.randrange(10, 25))), "QUANTI"))
        start, end = max(FIRST_DAY, dt.date(year, 1, 1)), min(LAST_DAY, dt.date(year, 12, 31))
        for kind, base in (("SHIZHANG", 10), ("ZHUANTI", 28), ("GONGZUO", 6), ("HUODONG", 4), ("VIDEO", 3)):
            plan += [(_weekday(date_between(rng, start, end)), kind) for _ in range(ctx.n(base))]
    plan.sort()

    numbers: dict[tuple[int, str], int] = {}
    jiyao = sorted((d for d in ctx.data.get("documents") or [] if getattr(d, "doc_type", None) == "JIYAO"),
                   key=lambda d: d.written_date or d.printed_date or dt.date.min)
    meetings: list[Meeting] = []
    decisions: list[MeetingDecision] = []

    for day, kind in plan:
        year = day.year
        numbers[(year, kind)] = seq = numbers.get((year, kind), 0) + 1
        hour = rng.choice((9, 9, 10, 15, 15)) if kind != "HUODONG" else rng.choice((9, 10, 19))
        start_at = dt.datetime.combine(day, dt.time(hour, rng.choice((0, 0, 30))))
        end_at = start_at + dt.timedelta(minutes=rng.choice((90, 120, 150, 180)))
        subject = rng.choice(list(SUBJECTS))
        organizer = rng.choice(secretariats)
        venue = rng.choice(VENUES)
        session_label = None
        if kind == "CHANGWU":
            session_label, title, chair = f"第{seq}次常务会议", f"市政府{year}年第{seq}次常务会议", mayors[0]
        elif kind == "QUANTI":
            session_label, title, chair = f"第{seq}次全体会议", f"市政府{year}年第{seq}次全体会议", mayors[0]
        elif kind == "SHIZHANG":
            session_label, chair = f"第{seq}次市长办公会议", mayors[0]
            title = ""  # named after its first topic, below
        elif kind == "ZHUANTI":
            session_label, chair = f"第{seq}次专题会议", in_charge[subject]
            title = f"研究{subject}工作专题会议"
        elif kind == "GONGZUO":
            title, subject = rng.choice(GONGZUO)
            chair, venue = rng.choice([mayors[0], in_charge[subject]]), rng.choice(EVENT_VENUES[1:3] + VENUES[:1])
        elif kind == "VIDEO":
            title, subject = rng.choice(VIDEO)
            chair, venue = in_charge[subject], VIDEO_VENUE
        else:
            title = rng.choice(HUODONG).format(year=year, cifit=year - 2000, strait=year - 2008)
            chair, venue = rng.choice(mayors + vice_mayors), rng.choice(EVENT_VENUES)

        # status follows the calendar
        if rng.random() < 0.03:
            status = "CANCELLED"
        elif day > today:
            status = "PLANNED" if (day - today).days > 10 else "NOTIFIED"
        elif kind in ("HUODONG", "VIDEO", "GONGZUO"):
            status = "HELD" if (today - day).days <= 14 else "CLOSED"
        elif (today - day).days <= 7:
            status = "HELD"
        elif (today - day).days <= 120:
            status = "MINUTES_ISSUED" if rng.random() < 0.85 else "HELD"
        else:
            status = "CLOSED" if rng.random() < 0.6 else "MINUTES_ISSUED"
        held = status in ("HELD", "MINUTES_ISSUED", "CLOSED")
        classified = kind == "ZHUANTI" and rng.random() < 0.05
        secrecy = "MIMI" if classified else ("NEIBU" if kind in ("CHANGWU", "SHIZHANG", "ZHUANTI")
                                              and rng.random() < 0.15 else "FEIMI")
        if classified:
            title = "专题会议（涉密，仅登记）"

        meeting = Meeting(meeting_type=kind, session_label=session_label, title=title, chair=chair,
                          start_at=start_at, end_at=end_at, venue=venue, secrecy_level=secrecy,
                          organizer=organizer, status=status)
        s.add(meeting)
        meetings.append(meeting)
        counts["Meeting"] += 1
        if status in ("MINUTES_ISSUED", "CLOSED") and kind in ("CHANGWU", "QUANTI", "SHIZHANG", "ZHUANTI"):
            for doc in jiyao:
                written = doc.written_date or doc.printed_date
                if written is None or day <= written <= day + dt.timedelta(days=45):
                    meeting.minutes_document = doc
                    jiyao.remove(doc)
                    break
        if classified:
            continue  # a registration stub: no summary, no agenda, no decisions

        # --- topics ---------------------------------------------------------------------
        if kind == "HUODONG":
            picked = []
        elif kind in ("ZHUANTI", "GONGZUO", "VIDEO"):
            pool = [(subject, t) for t in SUBJECTS[subject]["topics"]]
            picked = rng.sample(pool, min(len(pool), rng.randint(2, 4) if kind == "ZHUANTI" else 2))
        else:
            pool = [(subj, t) for subj, spec in SUBJECTS.items() for t in spec["topics"]]
            k = {"CHANGWU": rng.randint(3, 6), "SHIZHANG": rng.randint(2, 4)}.get(kind, rng.randint(2, 3))
            picked = rng.sample(pool, k)
            subject = picked[0][0]
            if kind == "SHIZHANG":
                meeting.title = f"研究{subject}等事项的市长办公会议"
        topic_units = []
        seq_decision = 0
        for t_seq, (subj, (t_title, reporter, co_names, doc)) in enumerate(picked, start=1):
            n_typhoon = rng.randint(3, 18)
            t_title = t_title.format(year=year, n=n_typhoon)
            doc = doc.format(year=year) if doc else None
            lead = units[reporter]
            co_units = [units[c] for c in co_names]
            topic_units += [lead, *co_units]
            if not held:
                result = None
            elif doc:
                result = rng.choices(["YUANZE", "XIUGAI", "ZANHUAN", "BUTONGGUO"], [60, 25, 11, 4])[0]
            else:
                result = rng.choices(["TINGQU", "YUANZE"], [65, 35])[0]
            topic = MeetingTopic(meeting=meeting, seq=t_seq, title=t_title, reporting_department=lead,
                                 reporter=f"{person_name(rng)}（{_head_post(rng, lead)}）",
                                 coordinated=rng.random() < 0.8, is_major_decision=bool(doc) and rng.random() < 0.4,
                                 result=result)
            s.add(topic)
            counts["MeetingTopic"] += 1
            if not held or result is None:
                continue

            # --- decisions -------------------------------------------------------------
            if result == "ZANHUAN":
                texts = [DEFERRED]
            elif result == "BUTONGGUO":
                texts = [REJECTED] if rng.random() < 0.6 else []
            else:
                candidates = SUBJECTS[subj]["decisions"] + GENERIC_DECISIONS + (DOC_DECISIONS if doc else [])
                texts = rng.sample(candidates, rng.randint(1, 4))
            for text in texts:
                seq_decision += 1
                decision_lead = lead if rng.random() < 0.85 else rng.choice(co_units)
                others = [u for u in co_units if u is not decision_lead]
                chosen = rng.sample(others, rng.randint(1 if "{co}" in text else 0, min(3, len(others))))
                chosen += [units[m] for m in MENTIONED_UNITS
                           if m in text and units[m] is not decision_lead and units[m] not in chosen]
                due = _month_end(day + dt.timedelta(days=rng.choice((15, 30, 30, 45, 60, 90, 90, 120, 180))))
                content = text.format(lead=decision_lead.short_name_zh,
                                      co="、".join(u.short_name_zh for u in chosen) or "有关部门",
                                      deadline=_deadline_text(due, day), doc=doc or t_title)
                needs = result != "BUTONGGUO" and rng.random() < (0.6 if topic.is_major_decision else 0.38)
                note = None
                if due < today and not needs:
                    note = rng.choice(["已按要求完成。", "已印发实施。", "已完成，并向市政府报送落实情况。",
                                       "已落实，相关工作转入常态化推进。"])
                elif not needs and rng.random() < 0.5:
                    note = "正在按计划推进。"
                decision = MeetingDecision(meeting=meeting, topic=topic, seq=seq_decision, content=content,
                                           lead_department=decision_lead, responsible_leader=in_charge[subj],
                                           due_date=due, needs_supervision=needs, implementation_note=note)
                s.add(decision)
                decisions.append(decision)
                counts["MeetingDecision"] += 1
                for c_seq, unit in enumerate(chosen, start=1):
                    s.add(MeetingDecisionCoDept(decision=decision, seq=c_seq, department=unit, role=CO_HANDLER))
                    counts["MeetingDecisionCoDept"] += 1

        if held and picked:
            meeting.summary = (f"会议由{chair}主持，听取了{len(picked)}个议题的汇报，研究部署了{subject}等工作，"
                               f"形成议定事项{seq_decision}项。")
        elif held:
            meeting.summary = f"活动由{chair}主持，按计划顺利举行。"

        # --- participants ----------------------------------------------------------------
        counts["MeetingParticipant"] += _participants(ctx, meeting, kind, chair, leaders, mayors, secretaries,
                                                      topic_units, staff_by_unit, organizer, units)
    s.flush()

    instructions = _instructions(ctx, units, leaders, mayors, vice_mayors, today)
    tasks = _tasks(ctx, units, leaders, staff_by_unit, today)
    counts["LeaderInstruction"], counts["LeaderTask"] = len(instructions), len(tasks)
    s.flush()
    ctx.data.update(meetings=meetings, decisions=decisions, instructions=instructions, leader_tasks=tasks)
    return counts


def _participants(ctx, meeting, kind, chair, leaders, mayors, secretaries, topic_units, staff_by_unit, organizer,
                  units) -> int:
    rng = ctx.rng
    target = rng.randint(8, 20)
    if kind in ("CHANGWU", "QUANTI"):
        attending = [chair] + [x for x in leaders if x != chair]
    elif kind == "SHIZHANG":
        others = [x for x in leaders if x != chair]
        attending = [chair] + rng.sample(others, min(3, len(others)))
    else:
        others = [x for x in secretaries if x != chair]
        attending = [chair] + rng.sample(others, min(1, len(others)))
    rows: list[dict] = []
    for name in dict.fromkeys(attending):
        unit = units["市政府办公厅"] if "秘书长" in name else units["市政府"]
        rows.append(dict(name=name, department=unit, post=_post_of(name), attendance="CHUXI"))
    guests = list(dict.fromkeys(topic_units))
    pool = [d for d in ctx.data["depts"] if d not in guests]
    while len(rows) + len(guests) + 2 < target and pool:
        guests.append(pool.pop(rng.randrange(len(pool))))
    for unit in guests[:max(0, target - len(rows) - 2)]:
        rows.append(dict(name=person_name(rng), department=unit, post=_head_post(rng, unit),
                         attendance="CHUXI" if kind in ("GONGZUO", "VIDEO", "HUODONG") else "LIEXI"))
    for person in rng.sample(staff_by_unit.get(organizer.id, []), min(2, len(staff_by_unit.get(organizer.id, [])))):
        rows.append(dict(personnel=person, department=person.department, post=person.post_title, attendance="LIEXI"))
    for i, row in enumerate(rows, start=1):
        if i > 1 and rng.random() < 0.06:
            row.update(attendance="QINGJIA", remark=rng.choice(LEAVE_REASONS))
        ctx.session.add(MeetingParticipant(meeting=meeting, seq=i, **row))
    return len(rows)


def _instructions(ctx, units, leaders, mayors, vice_mayors, today) -> list[LeaderInstruction]:
    rng = ctx.rng
    docs = [d for d in ctx.data.get("documents") or []
            if getattr(d, "direction", None) == "INCOMING" and getattr(d, "secrecy_level", None) in ("FEIMI", "NEIBU")]
    out: list[LeaderInstruction] = []
    for _ in range(ctx.n(200)):
        level = rng.choices(["SHI", "SHENG", "ZHONGYANG", "BANGONGTING"], [62, 18, 4, 16])[0]
        leader = {"SHI": lambda: rng.choice(mayors + vice_mayors), "SHENG": lambda: rng.choice(PROVINCE_LEADERS),
                  "ZHONGYANG": lambda: "国务院领导同志", "BANGONGTING": lambda: rng.choice(OFFICE_LEADERS)}[level]()
        kind = rng.choices(["PIBAN", "YUESHI", "ZHUANSONG"], [56, 29, 15])[0]
        if level in ("SHENG", "ZHONGYANG"):
            kind = "PIBAN" if rng.random() < 0.8 else "YUESHI"
        doc, special = None, None
        if level in ("SHENG", "ZHONGYANG"):
            # written on the province's or State Council's own papers, reaching us by a 转办单
            source_type, ref = rng.choice(HIGHER_SOURCES)
            handler = units[rng.choice(DOC_PIBAN_UNITS)]
        elif rng.random() < 0.45:
            source_type, doc = "GONGWEN", rng.choice(docs) if docs else None
            ref = str(doc) if doc is not None else "闽政办〔{year}〕{n}号"
            handler = getattr(doc, "lead_department", None) or units[rng.choice(DOC_PIBAN_UNITS)]
        else:
            source_type, ref, handler_name, special = rng.choice(SOURCES)
            handler = units[handler_name]
        received = getattr(doc, "received_at", None)
        if received is not None and received.date() < today:
            day = min(today, received.date() + dt.timedelta(days=rng.randint(1, 6)))
        else:
            day = date_between(rng, FIRST_DAY, today)
        instructed_at = datetime_on(rng, day)
        if doc is None:
            ref = ref.format(year=day.year, n=rng.randint(1, 160))
        due = None
        result, done = None, False
        if kind == "PIBAN":
            due = day + dt.timedelta(days=rng.choice((7, 10, 15, 15, 30, 30, 45, 60)))
            deadline = _deadline_text(due, day)
            text = special or rng.choice(PIBAN_TEXTS[level])
            content = text.format(dept=handler.short_name_zh, deadline=deadline)
            if rng.random() < (0.85 if due < today else 0.3):
                done, result = True, rng.choice(PIBAN_RESULTS).format(dept=handler.short_name_zh)
        elif kind == "YUESHI":
            content, handler, done = rng.choice(YUESHI_TEXTS), None, True
        else:
            content = rng.choice(ZHUANSONG_TEXTS).format(dept=handler.short_name_zh)
            done, result = True, f"已转送{handler.short_name_zh}。"
        ins = LeaderInstruction(leader=leader, leader_level=level, instructed_at=instructed_at,
                                instruction_type=kind, content=content, source_type=source_type, source_ref=ref,
                                document=doc, source_id=doc.id if doc is not None else None,
                                handler_department=handler, due_date=due, result=result, is_done=done)
        ctx.session.add(ins)
        out.append(ins)
    return out


def _tasks(ctx, units, leaders, staff_by_unit, today) -> list[LeaderTask]:
    rng = ctx.rng
    out: list[LeaderTask] = []
    order: list[tuple] = []
    for _ in range(ctx.n(150)):
        if not order:
            order = rng.sample(TASKS, len(TASKS))
        title, unit_name, content = order.pop()
        unit = units[unit_name]
        staff = staff_by_unit.get(unit.id, [])
        leader = rng.choice(leaders)
        assigned_at = datetime_on(rng, date_between(rng, FIRST_DAY, today), 8, 21)
        day = assigned_at.date()
        due = day + dt.timedelta(days=rng.choice((2, 3, 5, 7, 7, 10, 15, 30)))
        if due >= today:
            status = "RECEIVED" if (today - day).days <= 2 else rng.choice(["HANDLING", "HANDLING", "FED_BACK"])
        else:
            status = rng.choices(["CLOSED", "FED_BACK", "ESCALATED", "HANDLING"], [58, 25, 10, 7])[0]
        fed_back_at = result = None
        if status in ("FED_BACK", "CLOSED"):
            fed_back_at = assigned_at + dt.timedelta(days=rng.randint(1, max(1, (due - day).days + 2)),
                                                     hours=rng.randint(0, 6))
            fed_back_at = min(fed_back_at, dt.datetime.combine(today, dt.time(9, 0)))
            result = rng.choice(TASK_RESULTS).format(leader=leader)
        task = LeaderTask(
            leader=leader, assign_mode=rng.choices(["KOUTOU", "PISHI", "HUIYI", "DIANHUA"], [35, 30, 20, 15])[0],
            assigned_at=assigned_at, title=title.format(next_year=day.year + 1),
            content=content.format(deadline=_deadline_text(due, day)),
            handler_department=unit, handler_person=rng.choice(staff) if staff else None, due_date=due,
            status=status, fed_back_at=fed_back_at, result=result)
        ctx.session.add(task)
        out.append(task)
    return out
