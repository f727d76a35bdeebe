"""Demo supervision items (督查督办): from meeting decisions, leaders' instructions and
escalated leader tasks made by earlier seeders, plus tasks from higher authorities, the
government work report, practical matters for the people, key proposals and 12345
hotline / media issues. Each item gets one lead unit, up to three co-handlers, progress
reports, urging records when overdue and a few extension requests; statuses follow the
dates (relative to today), so the lights are right whenever the seed runs.

Runs after the meetings seeder; everything it reads from `ctx.data` is optional.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from app.demo.names import XIAMEN_STREETS, date_between, datetime_on, mobile, person_name
from models.base import today_cn
from models.lookups import CO_HANDLER, LEAD, SEPARATE
from models.supervision import (
    ExtensionRequest,
    ProgressReport,
    SupervisionAssignment,
    SupervisionItem,
    UrgeRecord,
    describe_report,
    format_item_no,
)
from models.workflow import StatusLog

LEADERS = ["张市长", "李常务副市长", "王副市长", "陈副市长", "林副市长", "黄秘书长", "吴副秘书长"]
CN_NUM = "一二三四五六七八九十"

# (title, lead unit, co-handling units, requirement)
SHANGJI = [
    ("落实国务院第十一次大督查反馈问题整改", "市发改委", ["市财政局", "市市场监管局"],
     "逐项建立整改台账，按月报送整改进展"),
    ("推进“高效办成一件事”2026年度重点事项清单落实", "市数据管理局", ["市人社局", "市市场监管局", "市公安局"],
     "确保年度重点事项全部上线运行"),
    ("落实国务院关于推动大规模设备更新和消费品以旧换新工作部署", "市发改委", ["市商务局", "市工信局"],
     "按季度报送资金使用和项目进展情况"),
    ("落实国务院办公厅关于推进保障性住房建设有关要求", "市建设局", ["市资源规划局", "市财政局"],
     "按节点完成年度筹集建设任务"),
    ("落实中央生态环境保护督察反馈意见整改任务", "市生态环境局", ["市海洋发展局", "市市政园林局", "市农业农村局"],
     "整改一项、销号一项，按月报送"),
    ("国务院安委会安全生产考核巡查反馈问题整改", "市应急局", ["市建设局", "市交通运输局", "市公安局"],
     "限期整改到位，重大隐患挂牌督办"),
    ("落实国务院关于根治拖欠农民工工资工作要求", "市人社局", ["市建设局", "市交通运输局"],
     "春节前实现欠薪问题动态清零"),
    ("落实国务院食安委食品安全工作评议考核反馈问题", "市市场监管局", ["市农业农村局", "市卫健委"],
     "30日内报送整改方案"),
    ("落实省政府关于加快建设福厦泉国家自主创新示范区的部署", "市科技局", ["市发改委", "火炬管委会"],
     "按季度报送重点任务推进情况"),
    ("省政府交办：翔安国际机场建设要素保障", "市发改委", ["市资源规划局", "市交通运输局"],
     "确保航站区工程按期推进"),
    ("省政府督查室交办：城市内涝治理专项整改", "市市政园林局", ["市建设局", "市执法局"],
     "汛期前完成易涝点整治"),
    ("落实省政府稳外贸稳外资工作部署", "市商务局", ["厦门海关", "自贸委"], "按月报送进出口和利用外资数据"),
    ("省政府交办：农村供水保障水质提升工程", "市市政园林局", ["市农业农村局", "同安区政府", "翔安区政府"],
     "年底前完成工程建设"),
    ("落实省政府关于九龙江流域生态补偿的工作要求", "市生态环境局", ["市财政局", "海沧区政府"],
     "按节点报送资金到位和项目实施情况"),
    ("落实国家数据局关于公共数据资源开发利用的部署", "市数据管理局", ["市发改委", "市财政局"],
     "形成年度公共数据开放清单"),
    ("落实《中华人民共和国民营经济促进法》配套措施", "市发改委", ["市工信局", "市司法局", "市市场监管局"],
     "年内出台配套政策文件"),
    ("推进两岸融合发展示范区建设重点任务", "市台港澳办", ["市发改委", "市商务局", "市文旅局"],
     "按季度报送任务清单完成情况"),
    ("落实省政府关于闽西南协同发展区重点项目推进要求", "市发改委", ["市交通运输局", "市工信局"],
     "按节点推进重点项目"),
    ("落实国务院关于加强基层医疗卫生服务能力建设的要求", "市卫健委", ["市医保局", "市财政局"],
     "年内完成社区卫生服务中心提升改造"),
    ("省政府交办：沿海防护林体系建设和海岸带保护修复", "市资源规划局", ["市海洋发展局", "市农业农村局"],
     "汛前完成年度修复任务"),
    ("落实国务院关于进一步优化营商环境降低制度性交易成本的意见", "市发改委", ["市市场监管局", "市数据管理局"],
     "形成可复制推广的改革经验"),
    ("省政府交办：电动自行车安全隐患全链条整治", "市应急局", ["市公安局", "市市场监管局", "市建设局"],
     "集中整治期内完成隐患排查"),
    ("落实国务院关于促进银发经济发展增进老年人福祉的意见", "市民政局", ["市卫健委", "市商务局"],
     "按季度报送推进情况"),
    ("落实省委省政府关于海上福建建设的部署", "市海洋发展局", ["市发改委", "市交通运输局"],
     "按节点完成重点项目"),
    ("审计署审计发现问题整改", "市审计局", ["市财政局", "市国资委"], "在规定期限内报送整改结果"),
]

# 2026年市政府工作报告重点任务
GZBG = [
    ("加快翔安国际机场航站区及配套工程建设，确保具备通航条件", "市发改委", ["翔安区政府", "市交通运输局"]),
    ("推进地铁6号线集美至同安段、4号线后续段建设", "市交通运输局", ["市建设局", "集美区政府", "同安区政府"]),
    ("推进厦门东站综合交通枢纽建设", "市交通运输局", ["市资源规划局", "翔安区政府"]),
    ("新增中小学幼儿园学位2万个", "市教育局", ["市资源规划局", "市财政局"]),
    ("新增普惠性托位2000个，完善托育服务体系", "市卫健委", ["市教育局", "市民政局"]),
    ("筹集建设保障性住房1.2万套（间）", "市建设局", ["市资源规划局", "市财政局"]),
    ("实施城镇老旧小区改造100个", "市建设局", ["思明区政府", "湖里区政府"]),
    ("推动规模以上工业增加值增长7%以上", "市工信局", ["市统计局", "火炬管委会"]),
    ("新培育国家级专精特新“小巨人”企业15家", "市工信局", ["市科技局"]),
    ("国家高新技术企业突破5000家", "市科技局", ["火炬管委会", "市财政局"]),
    ("推进金砖国家新工业革命伙伴关系创新基地建设", "市工信局", ["市商务局", "市外办"]),
    ("推动厦金“同城生活圈”建设，深化两岸融合发展", "市台港澳办", ["翔安区政府", "市交通运输局"]),
    ("新增“高效办成一件事”集成服务场景20个", "市数据管理局", ["市人社局", "市市场监管局"]),
    ("数字经济核心产业营业收入增长10%", "市工信局", ["市数据管理局", "市统计局"]),
    ("跨境电商进出口额增长15%，推动外贸稳中提质", "市商务局", ["自贸委", "厦门海关"]),
    ("实际使用外资保持稳定增长", "市商务局", ["火炬管委会", "自贸委"]),
    ("城镇新增就业12万人", "市人社局", ["市教育局", "市财政局"]),
    ("实施筼筜湖生态修复提升二期工程", "市市政园林局", ["思明区政府", "市生态环境局"]),
    ("PM2.5年均浓度控制在20微克/立方米以下", "市生态环境局", ["市工信局", "市交通运输局", "市建设局"]),
    ("推进海漂垃圾综合治理常态化", "市海洋发展局", ["市生态环境局", "思明区政府", "翔安区政府"]),
    ("新建改造城市公园和口袋公园30个", "市市政园林局", ["市资源规划局"]),
    ("推进复旦大学附属中山医院厦门医院二期建设", "市卫健委", ["市建设局", "湖里区政府"]),
    ("新增养老床位2000张，建设社区嵌入式养老服务设施", "市民政局", ["市卫健委", "市资源规划局"]),
    ("统筹推进环东海域新城、马銮湾新城、同翔高新城建设", "市发改委", ["同安区政府", "海沧区政府", "翔安区政府"]),
    ("建设和美乡村示范村30个", "市农业农村局", ["同安区政府", "翔安区政府", "集美区政府"]),
    ("全年接待游客人次增长8%以上，推进鼓浪屿—万石山景区品质提升", "市文旅局", ["思明区政府"]),
    ("办好第二十六届中国国际投资贸易洽谈会", "市商务局", ["市外办", "市公安局"]),
    ("办好厦门马拉松和世界田联钻石联赛厦门站", "市体育局", ["市公安局", "市卫健委"]),
    ("深化国有企业改革，推动国有资本布局优化", "市国资委", ["市财政局"]),
    ("深入推进安全生产治本攻坚三年行动", "市应急局", ["市建设局", "市交通运输局"]),
    ("巩固国家食品安全示范城市创建成果", "市市场监管局", ["市农业农村局", "市卫健委"]),
    ("推进医保支付方式改革，实现DRG/DIP付费全覆盖", "市医保局", ["市卫健委"]),
    ("建设城市运行管理服务平台（城市大脑）二期", "市数据管理局", ["市执法局", "市应急局"]),
    ("争创全国法治政府建设示范市", "市司法局", ["市市场监管局", "市执法局"]),
    ("集装箱吞吐量突破1300万标箱", "市交通运输局", ["港务控股", "厦门海关"]),
    ("新建省级以上创新平台20个", "市科技局", ["市发改委", "市工信局"]),
    ("推进海洋高新产业园区建设，壮大蓝色经济", "市海洋发展局", ["海沧区政府", "市科技局"]),
    ("实施“无废城市”建设年度任务", "市生态环境局", ["市执法局", "市建设局"]),
    ("开展违法建设治理攻坚行动", "市执法局", ["市资源规划局", "湖里区政府", "集美区政府"]),
    ("完成年度财政收支预算目标，严格落实过紧日子要求", "市财政局", ["市税务局"]),
    ("推进低空经济示范区建设，开通低空物流航线10条", "市发改委", ["市交通运输局", "市工信局"]),
    ("建设人工智能创新应用先导区", "市工信局", ["市科技局", "市数据管理局"]),
    ("实施提振消费专项行动，社会消费品零售总额增长6%", "市商务局", ["市文旅局", "市统计局"]),
    ("推进城中村现代化治理和城市更新", "市建设局", ["市资源规划局", "湖里区政府"]),
    ("推进退役军人服务保障体系标准化建设", "市退役军人事务局", ["市人社局"]),
]

SHISHI = [
    ("新增公办中小学学位1.5万个", "市教育局", ["市财政局"]),
    ("新增普惠托位1000个", "市卫健委", ["市民政局"]),
    ("改造提升农贸市场10个", "市商务局", ["市市场监管局", "思明区政府"]),
    ("新建公共充电桩3000个", "市发改委", ["市建设局", "市资源规划局"]),
    ("新建社区老年助餐点50个", "市民政局", ["市市场监管局"]),
    ("新增公共停车泊位1万个", "市交通运输局", ["市资源规划局", "市公安局"]),
    ("实施背街小巷改造提升50条", "市建设局", ["思明区政府", "湖里区政府"]),
    ("为65岁以上老年人免费接种流感疫苗", "市卫健委", ["市财政局"]),
    ("新建社区多功能运动场20个，打造“15分钟健身圈”", "市体育局", ["市资源规划局"]),
    ("改造城市燃气老旧管网100公里", "市市政园林局", ["市建设局"]),
    ("既有住宅加装电梯300台", "市建设局", ["市市场监管局", "市资源规划局"]),
    ("新建改造公共厕所50座", "市市政园林局", ["市执法局"]),
    ("开展适龄妇女“两癌”免费筛查6万人", "市卫健委", ["市民政局"]),
    ("新建中小学生校外托管服务点30个", "市教育局", ["市民政局"]),
    ("实施农村公路提级改造80公里", "市交通运输局", ["同安区政府", "翔安区政府"]),
    ("建设新就业形态劳动者服务驿站100个", "市人社局", ["市执法局"]),
    ("开展困难重度残疾人家庭无障碍改造500户", "市民政局", ["市建设局"]),
    ("建设“家门口”就业服务站30个", "市人社局", ["集美区政府", "同安区政府"]),
    ("改善地铁站点周边慢行接驳设施", "市交通运输局", ["市市政园林局", "市公安局"]),
    ("建设“一刻钟便民生活圈”20个", "市商务局", ["市资源规划局"]),
    ("推进校园食堂“明厨亮灶”全覆盖", "市市场监管局", ["市教育局"]),
    ("新增AED（自动体外除颤器）设备1000台", "市卫健委", ["市财政局"]),
]

# (issue, lead unit (None: the district), co-handling units)
REXIAN_ISSUES = [
    ("周边工地夜间施工噪音扰民", None, ["市建设局", "市执法局"]),
    ("路段雨后积水严重影响通行", None, ["市市政园林局"]),
    ("小区电梯频繁故障存在安全隐患", "市市场监管局", ["市建设局"]),
    ("沿街餐饮店油烟扰民", None, ["市生态环境局", "市执法局"]),
    ("农贸市场周边占道经营", None, ["市执法局"]),
    ("学校周边上下学时段交通拥堵", "市公安局", ["市教育局"]),
    ("安置房项目逾期交房", None, ["市建设局"]),
    ("工地拖欠农民工工资", "市人社局", ["市建设局"]),
    ("小区物业服务纠纷长期未解决", None, ["市建设局"]),
    ("路口信号灯配时不合理", "市公安局", []),
    ("公交线路班次过少候车时间长", "市交通运输局", []),
    ("老旧小区充电桩安装难", None, ["市发改委", "市建设局"]),
    ("空地建筑垃圾偷倒", None, ["市执法局", "市建设局"]),
    ("溪流水体发黑发臭", None, ["市生态环境局", "市市政园林局"]),
    ("片区频繁停水", "市市政园林局", []),
    ("健身房预付卡商家关门退费难", "市市场监管局", ["市商务局"]),
    ("养老机构服务质量问题", "市民政局", []),
    ("景区周边出租车拒载议价", "市交通运输局", ["市文旅局"]),
    ("路段路灯长期不亮", "市市政园林局", []),
    ("学区划片入学政策咨询集中", "市教育局", []),
    ("城中村消防通道被占用", None, ["市应急局", "市公安局"]),
    ("新建小区配套幼儿园迟迟未开办", None, ["市教育局"]),
]
PLACES = ["某小区", "某安置房小区", "某城中村", "某商住楼", "某学校周边", "某农贸市场周边", "某工业园区",
          "某回迁小区", "某老旧小区", "某商业街"]
MEDIA = ["厦门日报", "厦门广电《新闻直通车》", "海西晨报", "人民网领导留言板", "福建日报", "东南网"]

WENJIAN = [
    ("落实《厦门市进一步优化营商环境若干措施》", "市发改委", ["市市场监管局", "市数据管理局"]),
    ("落实《厦门市促进民营经济高质量发展若干措施》", "市工信局", ["市发改委", "市财政局"]),
    ("落实《厦门市加快发展银发经济若干措施》", "市民政局", ["市卫健委", "市商务局"]),
    ("落实《厦门市推动低空经济高质量发展行动方案》", "市发改委", ["市交通运输局", "市工信局"]),
    ("落实《厦门市促进人工智能产业发展若干措施》", "市工信局", ["市科技局", "市数据管理局"]),
    ("落实《厦门市提振消费专项行动方案》", "市商务局", ["市文旅局", "市体育局"]),
    ("落实《厦门市城市更新实施方案》", "市建设局", ["市资源规划局", "市发改委"]),
    ("落实《厦门市生育支持若干措施》", "市卫健委", ["市医保局", "市教育局"]),
    ("落实《厦门市加快建设东南国际航运中心若干措施》", "市交通运输局", ["港务控股", "自贸委"]),
    ("落实《厦门市推动文旅经济高质量发展若干措施》", "市文旅局", ["市商务局"]),
    ("落实《厦门市推进海洋经济高质量发展三年行动方案》", "市海洋发展局", ["市发改委"]),
    ("落实《厦门市稳就业若干措施》", "市人社局", ["市财政局", "市教育局"]),
]

JYTA = [
    ("关于加快推进岛内外交通一体化衔接的建议", "市交通运输局", ["市资源规划局"]),
    ("关于完善社区嵌入式养老服务的建议", "市民政局", ["市卫健委"]),
    ("关于加强中小学生心理健康教育的建议", "市教育局", ["市卫健委"]),
    ("关于支持低空经济产业发展的建议", "市发改委", ["市工信局"]),
    ("关于加强新就业形态劳动者权益保障的提案", "市人社局", ["市医保局"]),
    ("关于推进筼筜湖片区城市更新的提案", "市建设局", ["思明区政府"]),
    ("关于加强近岸海域海漂垃圾治理的建议", "市海洋发展局", ["市生态环境局"]),
    ("关于提升公共停车资源利用效率的建议", "市交通运输局", ["市公安局"]),
    ("关于深化厦金融合发展的提案", "市台港澳办", ["市商务局"]),
    ("关于推动预制菜产业规范发展的提案", "市市场监管局", ["市农业农村局"]),
    ("关于优化营商环境助力中小企业发展的建议", "市发改委", ["市工信局"]),
    ("关于加快充电基础设施建设的提案", "市发改委", ["市建设局"]),
]

QITA = [
    ("市领导调研指出的物流园区交通组织问题整改", "市交通运输局", ["湖里区政府"]),
    ("市领导调研指出的旧村改造推进缓慢问题", "市建设局", ["集美区政府"]),
    ("第十二届海峡论坛服务保障工作", "市台港澳办", ["市公安局", "市文旅局"]),
    ("春节期间市场保供稳价工作", "市商务局", ["市发改委", "市市场监管局"]),
    ("台风灾后恢复重建工作", "市应急局", ["市建设局", "市农业农村局"]),
]

PISHI_FALLBACK = [
    ("关于加快推进老旧小区电梯加装工作的批示", "市建设局"),
    ("关于做好近期防汛防台工作的批示", "市应急局"),
    ("关于进一步做好高校毕业生就业工作的批示", "市人社局"),
    ("关于《政务信息》反映企业用工难问题的批示", "市人社局"),
    ("关于加强校园周边食品安全监管的批示", "市市场监管局"),
    ("关于推动重大项目早开工早投产的批示", "市发改委"),
    ("关于群众反映公交运力不足问题的批示", "市交通运输局"),
    ("关于做好春运期间交通保障工作的批示", "市交通运输局"),
    ("关于加强海漂垃圾源头治理的批示", "市海洋发展局"),
    ("关于省政府督查反馈问题整改的批示", "市发改委"),
]

PROGRESS_EARLY = [
    "已召开专题推进会，制定工作方案，明确责任分工和时间节点。",
    "已完成前期调研和方案论证，正在组织实施。",
    "相关政策文件已起草完成，正在征求{co}意见。",
    "已成立工作专班，梳理任务清单，完成{p}%。",
]
PROGRESS = [
    "项目已开工建设，累计完成年度计划投资的{p}%。",
    "已完成年度目标任务的{p}%，整体进度符合预期。",
    "已会同{co}开展现场核查，问题整改完成{p}%。",
    "已建立工作专班，每周调度，目前完成{p}%。",
    "已完成招标采购，施工单位已进场，形象进度{p}%。",
]
PROBLEMS = [
    "用地报批进度滞后，需资源规划部门加快办理。",
    "资金拨付需进一步协调。",
    "涉及多部门职责交叉，需市政府统筹协调。",
    "受雨季天气影响，施工进度有所延后。",
    "群众诉求较多，需加强沟通解释。",
    "征迁工作难度较大，个别户未签约。",
    "", "", "",
]
NEXT_STEPS = [
    "下一步将加快推进，确保按期完成。",
    "加强与{co}沟通对接，倒排工期、挂图作战。",
    "每月跟踪调度，及时报送进展情况。",
    "对照时间节点，逐项抓好落实。",
    "提请分管市领导召开协调会，研究解决存在问题。",
]
CLOSE_OPINIONS = [
    "经督查室核实，该事项已按要求办结，同意销号。",
    "承办单位已书面报告办理结果，经核查属实，同意办结。",
    "事项办理成效明显，群众反映良好，同意办结。",
    "经实地核查，整改措施已落实到位，同意销号。",
]
URGE_CONTENT = [
    "电话催促{dept}报送办理进展，要求于{date}前书面反馈。",
    "通过督查督办系统发出催办提醒，请{dept}抓紧办理。",
    "印发催办通知单，要求{dept}说明逾期原因并提出整改措施。",
    "督查室会同相关处室赴现场督查，听取{dept}情况汇报。",
]
URGE_RESPONSE = [
    "{dept}表示已加快推进，预计{date}前完成。",
    "{dept}已书面说明逾期原因并提出整改措施。",
    "{dept}分管领导带队现场办公，研究解决存在问题。",
    None,
]
EXT_REASONS = [
    "项目涉及用地报批，审批周期较长，无法在原定时限内完成。",
    "受台风天气影响，施工进度延误。",
    "需上级部门批复后方可实施，申请延期办理。",
    "涉及多部门协调，相关方案尚在征求意见。",
    "征迁工作尚未完成，申请延长办理时限。",
]
POSTS = ("局长", "副局长", "主任", "副主任")


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    """The first attribute of `obj` among `names` that is set (other seeders' field names vary)."""
    for name in names:
        value = getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def _as_date(value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _text(value: Any) -> Optional[str]:
    return str(value)[:50] if value not in (None, "") else None


def _code_label(obj: Any, attr: str) -> str:
    """The label of a lookup-coded attribute of another seeder's record, or ''."""
    from sqlalchemy import inspect as sa_inspect

    from models.lookups import lookup_label

    code = getattr(obj, attr, None)
    try:
        category = sa_inspect(type(obj)).columns[attr].info.get("lookup")
    except Exception:  # not a mapped column
        category = None
    return lookup_label(category, code) if category and code else ""


def _doc(value: Any):
    """`value` if it is a Document row (the source-document relation takes nothing else)."""
    return value if getattr(type(value), "__tablename__", None) == "document" else None


def _short(text: str, n: int = 60) -> str:
    text = (text or "").strip().replace("\n", " ")
    return text if len(text) <= n else text[:n - 1] + "…"


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.s, self.rng = ctx, ctx.session, ctx.rng
        self.today = today_cn()
        data = ctx.data
        self.districts = list(data.get("districts") or [])
        self.depts = list(data.get("depts") or [])
        self.zones = list(data.get("zones") or [])
        units = self.depts + self.districts + self.zones
        if not units:
            from models.org import Department
            units = self.s.query(Department).filter(
                Department.unit_type.in_(("MUNI_DEPT", "DISTRICT", "DEV_ZONE", "VERTICAL", "SOE")),
                Department.is_deleted.is_(False)).all()
            self.districts = [d for d in units if d.unit_type == "DISTRICT"]
            self.depts = [d for d in units if d.unit_type != "DISTRICT"]
        self.units = units
        self.by_short = {}
        for d in units:
            self.by_short.setdefault(d.short_name_zh or d.name_zh, d)
        if not any(getattr(d, "short_name_zh", None) == "市税务局" for d in units):
            from models.org import Department
            for d in self.s.query(Department).filter(Department.unit_type.in_(("VERTICAL", "SOE"))).all():
                self.by_short.setdefault(d.short_name_zh or d.name_zh, d)
        staff = list(data.get("staff") or [])
        division = (data.get("division") or {}).get("督查室")
        self.supervisors = [p for p in staff if division is not None and p.department is division] or staff
        self.leaders = list(data.get("leaders") or LEADERS)
        self.vice_mayors = [x for x in self.leaders if "副市长" in x] or self.leaders
        docs = data.get("documents") or data.get("incoming_documents") or data.get("incoming") or []
        self.docs_in = [d for d in docs if _doc(d) is not None and _get(d, "direction") in (None, "INCOMING")]
        self.docs_out = [d for d in (data.get("outgoing_documents") or docs)
                         if _doc(d) is not None and _get(d, "direction") == "OUTGOING"]
        self.items: list[SupervisionItem] = []
        self.counts = {"SupervisionItem": 0, "SupervisionAssignment": 0, "ProgressReport": 0,
                       "UrgeRecord": 0, "ExtensionRequest": 0}

    # --- units ------------------------------------------------------------------------
    def unit(self, short: Optional[str]):
        if short and short in self.by_short:
            return self.by_short[short]
        pool = self.depts or self.units
        return self.rng.choice(pool) if pool else None

    def co_units(self, names, lead, extra: int = 0) -> list:
        out = []
        for name in names:
            u = self.by_short.get(name)
            if u is not None and u is not lead and u not in out:
                out.append(u)
        pool = [u for u in (self.depts or self.units) if u is not lead and u not in out]
        for _ in range(extra):
            if pool:
                out.append(pool.pop(self.rng.randrange(len(pool))))
        return out[:3]

    def random_co(self, lead, k_max: int = 3) -> list:
        return self.co_units([], lead, extra=min(self.rng.choice([0, 0, 0, 1, 1, 2]), k_max))

    # --- dates and statuses --------------------------------------------------------------
    def plan(self, opened: dt.date, due: dt.date, long_term: bool = False) -> tuple[str, Optional[dt.date]]:
        """A status consistent with the dates, and the closing date if closed."""
        rng, today = self.rng, self.today
        if long_term:
            return "LONG_TERM", None
        age = (today - opened).days
        if due < today:
            late = (today - due).days
            # long-overdue items were almost all closed meanwhile; open ones are mostly recent
            if rng.random() < (0.55 if late <= 60 else 0.85 if late <= 180 else 0.96):
                return "CLOSED", self.closing_date(opened, due)
            r = rng.random()
            if late <= 30 and r < 0.30:
                return "SUBMITTED", None
            if r < 0.45:
                return "REDO", None
            return "IN_PROGRESS", None
        if age <= 2:
            return rng.choice(["DRAFT", "APPROVED"]), None
        if age <= 6:
            return "ASSIGNED", None
        r = rng.random()
        if r < 0.12:
            return "CLOSED", self.closing_date(opened, min(due, today))
        if r < 0.20:
            return "SUBMITTED", None
        if r < 0.23:
            return "REDO", None
        return "IN_PROGRESS", None

    def opened_for(self, earliest: dt.date, days: int, p_soon: float = 0.15) -> dt.date:
        """An opening date; a share of items are opened so that they fall due in the next days."""
        if self.rng.random() < p_soon:
            return self.today - dt.timedelta(days=max(0, days - self.rng.randrange(0, 6)))
        return date_between(self.rng, earliest, self.today)

    def closing_date(self, opened: dt.date, due: dt.date) -> dt.date:
        rng, today = self.rng, self.today
        span = max(1, (due - opened).days)
        start = opened + dt.timedelta(days=max(1, int(span * 0.6)))
        end = due + dt.timedelta(days=rng.choice([0] * 8 + [3, 10, 20]))  # a few are closed late
        end = min(end, today)
        if end <= start:
            return min(max(opened, end), today)
        return date_between(rng, start, end + dt.timedelta(days=1))

    # --- one item --------------------------------------------------------------------------
    def item(self, *, source_type: str, title: str, content: str, requirement: str = "", source_ref: str = "",
             opened: dt.date, due: dt.date, lead, co: list, leader: Optional[str] = None, priority: str = "YIBAN",
             cycle: str = "YICIXING", source_document=None, prefix: str = "厦府督",
             long_term: bool = False, closed_hint: Optional[bool] = None) -> SupervisionItem:
        rng = self.rng
        opened = min(opened, self.today)
        due = max(due, opened + dt.timedelta(days=3))
        original_due = due
        ext = None
        # A few items had an extension approved or refused before their original due date.
        if not long_term and (due - opened).days > 40 and rng.random() < 0.09:
            filed = due - dt.timedelta(days=rng.randrange(3, 15))
            if opened < filed <= self.today - dt.timedelta(days=3):
                approved = rng.random() < 0.75
                requested = due + dt.timedelta(days=rng.choice([30, 45, 60, 90]))
                ext = dict(filed=filed, requested=requested, approved=approved,
                           decided=min(filed + dt.timedelta(days=rng.randrange(2, 7)), self.today))
                if approved:
                    due = requested
        status, closed_at = self.plan(opened, due, long_term)
        if closed_hint and status != "CLOSED" and not long_term and (self.today - opened).days > 3:
            status, closed_at = "CLOSED", self.closing_date(opened, min(due, self.today))
        elif closed_hint is False and status == "CLOSED":
            status, closed_at = rng.choice(["IN_PROGRESS", "IN_PROGRESS", "REDO"]), None
        pending_ext = None
        if status == "IN_PROGRESS" and ext is None and 0 <= (due - self.today).days <= 30 and rng.random() < 0.4:
            status = "EXTENSION_PENDING"
            pending_ext = self.today - dt.timedelta(days=rng.randrange(0, 5))
        item = SupervisionItem(
            item_no=None, title=_short(title, 290), content=content, requirement=requirement or None,
            source_type=source_type, source_ref=source_ref or None, source_document=source_document,
            responsible_leader=leader or rng.choice(self.vice_mayors),
            supervisor=rng.choice(self.supervisors) if self.supervisors else None,
            lead_department=lead, opened_at=opened, due_date=due, feedback_cycle=cycle, priority=priority,
            status=status, closed_at=closed_at,
            close_opinion=self.close_opinion(due, closed_at) if status == "CLOSED" else None,
            # 办结销号: struck off by the supervision office (its basis: the final report, below)
            struck_off_by=rng.choice(self.supervisors).name if status == "CLOSED" and self.supervisors else None,
        )
        item._no_prefix = prefix  # numbered once all items exist, in date order
        self.s.add(item)
        self.items.append(item)
        self.counts["SupervisionItem"] += 1
        self.assign(item, lead, co)
        self.reports(item, lead, co)
        self.urges(item, lead)
        if ext is not None:
            self.extension(item, lead, original_due, ext["filed"], ext["requested"],
                           "APPROVED" if ext["approved"] else "REJECTED", ext["decided"])
        if pending_ext is not None:
            self.extension(item, lead, due, max(opened, pending_ext),
                           due + dt.timedelta(days=rng.choice([30, 60])), "PENDING", None)
        return item

    def close_opinion(self, due: dt.date, closed: Optional[dt.date]) -> str:
        text = self.rng.choice(CLOSE_OPINIONS)
        if closed and closed > due:
            text += f"该事项逾期{(closed - due).days}天办结，已在督查通报中予以提醒。"
        return text

    def assign(self, item: SupervisionItem, lead, co: list) -> None:
        rng = self.rng
        accepted = item.status not in ("DRAFT", "APPROVED")
        for role, unit in [(LEAD, lead)] + [(rng.choice([CO_HANDLER] * 5 + [SEPARATE]), u) for u in co]:
            if unit is None:
                continue
            dept_due = item.due_date
            if role != LEAD and item.due_date and item.opened_at and (item.due_date - item.opened_at).days > 20:
                dept_due = item.due_date - dt.timedelta(days=rng.choice([5, 7, 10]))
            self.s.add(SupervisionAssignment(
                item=item, department=unit, role=role, contact_person=person_name(rng), contact_phone=mobile(rng),
                accepted_at=datetime_on(rng, min(item.opened_at + dt.timedelta(days=rng.randrange(1, 4)), self.today))
                if accepted else None,
                dept_due_date=dept_due,
            ))
            self.counts["SupervisionAssignment"] += 1

    def period_label(self, cycle: str, day: dt.date, i: int, final: bool) -> str:
        if cycle == "MEIYUE":
            return f"{day.year}年{day.month}月"
        if cycle == "MEIJI":
            return f"{day.year}年第{CN_NUM[(day.month - 1) // 3]}季度"
        if cycle == "MEIZHOU":
            return f"{day.year}年第{day.isocalendar()[1]}周"
        if cycle == "ANJIEDIAN":
            return f"节点{CN_NUM[min(i, 9)]}"
        return "办理结果" if final else "阶段进展"

    def reports(self, item: SupervisionItem, lead, co: list) -> None:
        rng = self.rng
        status = item.status
        if status in ("DRAFT", "APPROVED"):
            return
        end = item.closed_at or self.today
        start = item.opened_at + dt.timedelta(days=7)
        if end <= start:
            n = 1 if status in ("CLOSED", "SUBMITTED") else 0
            start = item.opened_at
        else:
            n = {"ASSIGNED": rng.randrange(0, 2), "CLOSED": rng.randrange(2, 7), "SUBMITTED": rng.randrange(2, 7),
                 "LONG_TERM": rng.randrange(3, 7)}.get(status, rng.randrange(1, 6))
            n = min(n, max(1, (end - start).days // 7 + 1))
        if n == 0:
            return
        days = sorted({date_between(rng, start, end + dt.timedelta(days=1)) for _ in range(n)})
        if status in ("CLOSED", "SUBMITTED"):
            days[-1] = end if status == "CLOSED" else days[-1]
        finished = status in ("CLOSED", "SUBMITTED")
        percent = 0
        co_name = str(co[0]) if co else "相关单位"
        for i, day in enumerate(days):
            final = finished and i == len(days) - 1
            remaining = len(days) - i
            cap = 70 if status == "LONG_TERM" else 95
            percent = 100 if final else min(cap, percent + rng.randrange(5, max(6, (cap - percent) // remaining + 15)))
            unit = lead if (not co or rng.random() < 0.8) else rng.choice(co)
            if final:
                progress = "已全面完成督办事项要求，办理结果已书面报告市政府。"
                problems, steps = "", "持续跟踪，巩固办理成效。"
            else:
                progress = rng.choice(PROGRESS_EARLY if percent < 30 else PROGRESS).format(p=percent, co=co_name)
                problems = rng.choice(PROBLEMS)
                steps = rng.choice(NEXT_STEPS).format(co=co_name)
            posts = ("区长", "副区长") if getattr(unit, "unit_type", None) == "DISTRICT" else POSTS
            report = ProgressReport(
                item=item, department=unit, period_label=self.period_label(item.feedback_cycle or "", day, i, final),
                report_date=day, progress=progress, percent=percent, problems=problems or None, next_steps=steps,
                signed_off_by=f"{person_name(rng)}（{rng.choice(posts)}）", is_final=final,
            )
            self.s.add(report)
            if final and status == "CLOSED":
                item.strike_off_basis = describe_report(report)
            self.counts["ProgressReport"] += 1

    def urges(self, item: SupervisionItem, lead) -> None:
        rng, today = self.rng, self.today
        due = item.due_date
        if item.status == "CLOSED" and item.closed_at and item.closed_at > due:
            window = (due, item.closed_at)  # closed late: it was chased
            n = rng.randrange(1, 3)
        elif item.status not in ("CLOSED", "DRAFT", "APPROVED") and due < today:
            window = (due, today)
            n = rng.randrange(1, 4)
        elif item.status not in ("CLOSED", "DRAFT", "APPROVED") and 0 <= (due - today).days <= 7 \
                and rng.random() < 0.3:
            window = (today - dt.timedelta(days=3), today)
            n = 1
        else:
            return
        name = str(lead) if lead is not None else "承办单位"
        for _ in range(n):
            day = date_between(rng, window[0], window[1] + dt.timedelta(days=1))
            method = rng.choice(["DIANHUA", "DIANHUA", "XITONG", "XITONG", "CUIBANDAN", "SHIDI"])
            content_i = {"DIANHUA": 0, "XITONG": 1, "CUIBANDAN": 2, "SHIDI": 3}[method]
            reply_by = day + dt.timedelta(days=rng.choice([3, 5, 7]))
            by = f"{reply_by.month}月{reply_by.day}日"
            response = rng.choice(URGE_RESPONSE)
            self.s.add(UrgeRecord(
                item=item, department=lead, method=method, urged_at=datetime_on(rng, day),
                urged_by=rng.choice(self.supervisors) if self.supervisors else None,
                content=URGE_CONTENT[content_i].format(dept=name, date=by),
                response=response.format(dept=name, date=by) if response else None,
            ))
            self.counts["UrgeRecord"] += 1

    def extension(self, item, lead, original_due, filed, requested, status, decided) -> None:
        leader = item.responsible_leader if status != "PENDING" else None
        self.s.add(ExtensionRequest(
            item=item, department=lead, filed_at=filed, original_due=original_due, reason=self.rng.choice(EXT_REASONS),
            requested_due=requested, status=status, approved_due=requested if status == "APPROVED" else None,
            approver=leader, decided_at=decided,
            opinion={"APPROVED": "同意延期，请抓紧推进，按新时限办结。",
                     "REJECTED": "不同意延期，请按原定时限办结。"}.get(status),
        ))
        self.counts["ExtensionRequest"] += 1

    def number(self) -> None:
        seqs: dict[tuple[str, int], int] = {}
        order = sorted(range(len(self.items)), key=lambda i: (self.items[i].opened_at, i))
        for item in (self.items[i] for i in order):
            key = (item._no_prefix, item.opened_at.year)
            seqs[key] = seqs.get(key, 0) + 1
            item.item_no = format_item_no(key[0], key[1], seqs[key])

    # --- sources -----------------------------------------------------------------------------
    def relink(self, record, item: SupervisionItem) -> None:
        """Link the demo's item in place of the bare one the chain opened when `record` was saved
        (models.supervision.opens_item): the demo's carries units, reports and plausible dates."""
        opened = record.supervision_item
        record.supervision_item = item
        if opened is not None and opened is not item:
            self.s.query(StatusLog).filter_by(entity="SupervisionItem", record_id=opened.id).delete()
            self.s.delete(opened)

    def from_decisions(self, decisions) -> int:
        made = 0
        for dec in decisions:
            if not _get(dec, "needs_supervision", default=False):
                continue
            meeting = _get(dec, "meeting")
            mdate = _as_date(_get(meeting, "start_at", "held_at", "date")) if meeting is not None else None
            opened = (mdate + dt.timedelta(days=self.rng.randrange(2, 8))) if mdate else self.today
            due = _as_date(_get(dec, "due_date")) or opened + dt.timedelta(days=self.rng.choice([30, 60, 90]))
            content = _get(dec, "content", default="") or ""
            topic = _get(dec, "topic")
            topic_title = (_get(topic, "title", default="") or "") if topic is not None else ""
            title = _short(content, 60) or topic_title or "会议议定事项"
            m_label = (_get(meeting, "session_label", default="") or "") if meeting is not None else ""
            m_title = (_get(meeting, "title", default="") or "") if meeting is not None else ""
            seq = _get(dec, "seq")
            ref = "".join(x for x in (m_label or m_title, f"第{seq}项议定事项" if seq else "") if x) or "会议议定事项"
            lead = _get(dec, "lead_department", "lead_dept", "department") or self.unit(None)
            co_raw = _get(dec, "co_departments", "co_depts", default=[]) or []
            co = []
            for c in co_raw if isinstance(co_raw, (list, tuple)) else []:
                unit = _get(c, "department", default=c)
                if hasattr(unit, "name_zh") and unit is not lead and unit not in co:
                    co.append(unit)
            if topic_title and content:
                content = f"议题：{topic_title}。\n议定事项：{content}"
            item = self.item(source_type="HUIYI", title=title, content=content or title,
                             requirement="按会议议定要求抓好落实，按期报送办理情况", source_ref=ref,
                             opened=opened, due=due, lead=lead, co=co[:3] or self.random_co(lead, 2),
                             leader=_text(_get(dec, "responsible_leader")),
                             priority=self.rng.choice(["YIBAN", "ZHONGDIAN"]),
                             cycle=self.rng.choice(["YICIXING", "MEIYUE"]),
                             source_document=_doc(_get(meeting, "minutes_document", "minutes")) if meeting else None)
            if hasattr(dec, "supervision_item"):
                self.relink(dec, item)
            made += 1
        return made

    def from_instructions(self, instructions) -> int:
        made = 0
        for ins in instructions:
            if _get(ins, "type", "instruction_type", "kind") != "PIBAN":
                continue
            at = _as_date(_get(ins, "instructed_at", "created_at")) or self.today
            leader = _text(_get(ins, "leader", "leader_name"))
            content = _get(ins, "content", default="") or ""
            doc = _doc(_get(ins, "source_document", "document"))
            doc_title = _get(doc, "title", default="") if doc is not None else ""
            ref = _get(ins, "source_ref", default="") or ""
            if doc_title:
                inner = _short(doc_title, 60).replace("《", "〈").replace("》", "〉")
                title = f"关于《{inner}》的批示办理"
            elif ref:
                title = f"{_short(ref, 60)}（{leader or '市领导'}批示）"
            else:
                title = _short(content, 60) or "领导批示办理"
            suffix = f"（{ref}）" if ref else ""
            lead = _get(ins, "handler_department", "lead_department", "department") or self.unit(None)
            due = _as_date(_get(ins, "due_date")) or at + dt.timedelta(days=self.rng.choice([15, 30, 30, 60]))
            item = self.item(source_type="PISHI", title=title, content=content or title,
                             requirement="请按批示要求认真研究办理，及时报告办理结果",
                             source_ref=_short(f"{leader or '市领导'}{at.month}月{at.day}日批示" + suffix, 290),
                             opened=at + dt.timedelta(days=1), due=due,
                             lead=lead, co=self.random_co(lead, 2), leader=leader, priority="ZHONGDIAN",
                             source_document=doc, closed_hint=bool(_get(ins, "is_done", default=False)))
            if hasattr(ins, "supervision_item"):
                self.relink(ins, item)
            made += 1
        return made

    def from_tasks(self, tasks) -> int:
        made = 0
        for task in tasks:
            if _get(task, "status") != "ESCALATED":
                continue
            at = _as_date(_get(task, "assigned_at", "created_at")) or self.today
            leader = _text(_get(task, "assigning_leader", "leader"))
            content = _get(task, "content", default="") or "领导交办事项"
            title = _get(task, "title", default="") or _short(content, 60)
            lead = _get(task, "handler_department", "department", "lead_department") or self.unit(None)
            task_due = _as_date(_get(task, "due_date")) or at + dt.timedelta(days=15)
            opened = task_due + dt.timedelta(days=self.rng.randrange(1, 6))  # escalated once overdue
            mode = _code_label(task, "assign_mode") or "书面"
            item = self.item(source_type="JIAOBAN", title=title, content=content,
                             requirement="交办事项逾期未办结，转入督办，请限期办结并报告",
                             source_ref=f"{leader or '市领导'}交办（{mode}）",
                             opened=opened, due=opened + dt.timedelta(days=self.rng.choice([10, 15, 30])),
                             lead=lead, co=self.random_co(lead, 1), leader=leader, priority="ZHONGDIAN")
            if hasattr(task, "supervision_item"):
                task.supervision_item = item
            made += 1
        return made

    def pick_doc(self, docs, p: float):
        return self.rng.choice(docs) if docs and self.rng.random() < p else None

    def others(self, total: int) -> None:
        rng, today = self.rng, self.today
        ext = self.ctx.data.get("externals") or {}
        # shares of the extra items per source
        plan = [("GZBG", 0.26), ("REXIAN", 0.24), ("SHANGJI", 0.16), ("SHISHI", 0.14), ("WENJIAN", 0.07),
                ("JYTA", 0.07), ("QITA", 0.03), ("PISHI", 0.03)]
        quota = {k: max(1, round(total * w)) for k, w in plan}

        # 政府工作报告任务: the 2026 report (all), and part of 2025's (mostly finished)
        n26 = min(len(GZBG), quota["GZBG"])
        for i, (title, lead_s, co_s) in enumerate(rng.sample(GZBG, n26)):
            self.gzbg(title, lead_s, co_s, 2026, i)
        for i, (title, lead_s, co_s) in enumerate(rng.sample(GZBG, min(len(GZBG), quota["GZBG"] - n26))):
            self.gzbg(title, lead_s, co_s, 2025, i)

        for i in range(quota["SHANGJI"]):
            title, lead_s, co_s, req = SHANGJI[i % len(SHANGJI)]
            if i >= len(SHANGJI):
                title = f"{title}（第{CN_NUM[min(9, i // len(SHANGJI))]}批）"
            issuer = rng.choice(["国务院", "国办", "省政府", "省政府办公厅", "省政府办公厅"])
            code = {"国务院": "国发", "国办": "国办发", "省政府": "闽政", "省政府办公厅": "闽政办"}[issuer]
            days = rng.choice([30, 60, 90, 120, 180])
            opened = self.opened_for(dt.date(2025, 3, 1), days)
            year = opened.year
            issuer_name = ext[issuer].name_zh if ext.get(issuer) is not None else issuer
            ref = rng.choice([f"{code}〔{year}〕{rng.randrange(2, 60)}号",
                              f"{issuer_name}督查室交办单（{year}）第{rng.randrange(1, 90)}号"])
            lead = self.unit(lead_s)
            self.item(source_type="SHANGJI", title=title, content=f"{title}。{req}。", requirement=req,
                      source_ref=ref, opened=opened, due=opened + dt.timedelta(days=days),
                      lead=lead, co=self.co_units(co_s, lead), priority=rng.choice(["ZHONGDIAN", "ZHUANXIANG"]),
                      cycle=rng.choice(["ANJIEDIAN", "MEIYUE", "YICIXING"]),
                      source_document=self.pick_doc(self.docs_in, 0.4))

        for i in range(quota["SHISHI"]):
            title, lead_s, co_s = SHISHI[i % len(SHISHI)]
            year = 2026 if i < len(SHISHI) else 2025
            opened = dt.date(year, 2, rng.randrange(18, 28))
            if year == 2026 and i % 5 == 4:
                due = dt.date(2026, rng.choice([6, 9]), 30)  # half-year milestone items
            else:
                due = dt.date(year, 12, 31)
            lead = self.unit(lead_s)
            self.item(source_type="SHISHI", title=f"{year}年为民办实事：{title}", content=f"{title}，年底前全面完成。",
                      requirement="按月报送进展，年底前完成并接受群众评议",
                      source_ref=f"{year}年市委市政府为民办实事项目",
                      opened=opened, due=due, lead=lead, co=self.co_units(co_s, lead), priority="ZHONGDIAN",
                      cycle="MEIYUE")

        used: set[str] = set()
        for _ in range(quota["REXIAN"]):
            self.rexian(used)

        for i in range(quota["WENJIAN"]):
            title, lead_s, co_s = WENJIAN[i % len(WENJIAN)]
            opened = date_between(rng, dt.date(2025, 4, 1), today)
            lead = self.unit(lead_s)
            self.item(source_type="WENJIAN", title=title, content=f"{title}，细化分工，确保各项措施落地见效。",
                      requirement="按季度报送政策兑现和实施情况",
                      source_ref=f"厦府〔{opened.year}〕{rng.randrange(5, 300)}号",
                      opened=opened, due=opened + dt.timedelta(days=rng.choice([90, 180, 270])), lead=lead,
                      co=self.co_units(co_s, lead), cycle="MEIJI", priority="ZHONGDIAN",
                      source_document=self.pick_doc(self.docs_out, 0.5))

        for i in range(quota["JYTA"]):
            title, lead_s, co_s = JYTA[i % len(JYTA)]
            year = rng.choice([2025, 2026])
            session = "市十六届人大四次会议" if year == 2025 else "市十六届人大五次会议"
            if "提案" in title:
                session = "市政协十四届四次会议" if year == 2025 else "市政协十四届五次会议"
            opened = dt.date(year, 3, rng.randrange(5, 25))
            lead = self.unit(lead_s)
            self.item(source_type="JYTA", title=f"重点督办：{title}", content=title,
                      requirement="主要领导亲自研究，面商代表委员，按期答复",
                      source_ref=f"{session}第{rng.randrange(1, 600)}号", opened=opened,
                      due=opened + dt.timedelta(days=91), lead=lead, co=self.co_units(co_s, lead),
                      priority="ZHONGDIAN", cycle="ANJIEDIAN")

        for i in range(quota["QITA"]):
            title, lead_s, co_s = QITA[i % len(QITA)]
            days = rng.choice([15, 30, 45])
            opened = self.opened_for(dt.date(2025, 6, 1), days)
            lead = self.unit(lead_s)
            self.item(source_type="QITA", title=title, content=title, source_ref="市政府领导交代",
                      opened=opened, due=opened + dt.timedelta(days=days), lead=lead,
                      co=self.co_units(co_s, lead))

        if not any(i.source_type == "PISHI" for i in self.items):
            for title, lead_s in PISHI_FALLBACK[: quota["PISHI"] * 3]:
                at = date_between(rng, dt.date(2025, 5, 1), today)
                leader = rng.choice(self.leaders)
                lead = self.unit(lead_s)
                self.item(source_type="PISHI", title=title,
                          content=f"{leader}批示：请{lead}认真研究，提出具体措施，抓好落实。",
                          requirement="按批示要求办理，及时报告结果", source_ref=f"{leader}{at.month}月{at.day}日批示",
                          opened=at, due=at + dt.timedelta(days=rng.choice([15, 30])), lead=lead,
                          co=self.random_co(lead, 1), leader=leader, priority="ZHONGDIAN")

    def gzbg(self, title, lead_s, co_s, year: int, i: int) -> None:
        rng = self.rng
        opened = dt.date(year, 2, rng.randrange(10, 25))
        long_term = year == 2026 and rng.random() < 0.08
        due = dt.date(year + 1, 12, 31) if long_term else (
            dt.date(year, 12, 31) if rng.random() < 0.7 else dt.date(year, rng.choice([6, 9]), 30))
        lead = self.unit(lead_s)
        self.item(source_type="GZBG", title=title if year == 2026 else f"（{year}年）{title}",
                  content=f"{year}年市政府工作报告重点任务：{title}。", requirement="按月报送进展，确保完成年度目标",
                  source_ref=f"{year}年市政府工作报告重点工作任务分解第{i + 1}项", opened=opened, due=due,
                  lead=lead, co=self.co_units(co_s, lead), priority="ZHONGDIAN",
                  cycle=rng.choice(["MEIYUE", "MEIJI"]), long_term=long_term,
                  leader=rng.choice(self.vice_mayors))

    def rexian(self, used: set) -> None:
        rng = self.rng
        for _ in range(20):
            issue, lead_s, co_s = rng.choice(REXIAN_ISSUES)
            district = rng.choice(self.districts) if self.districts else None
            streets = XIAMEN_STREETS.get(getattr(district, "division_code", None) or "", [""])
            dname = (district.short_name_zh or district.name_zh).replace("政府", "") if district else ""
            where = f"{dname}{rng.choice(streets)}{rng.choice(PLACES)}"
            title = f"{where}{issue}"
            if title not in used:
                used.add(title)
                break
        days = rng.choice([10, 15, 15, 30])
        opened = self.opened_for(dt.date(2025, 7, 1), days, 0.2)
        lead = self.unit(lead_s) if lead_s else (district or self.unit(None))
        co = self.co_units(co_s, lead)
        if lead_s and district is not None and district not in co:
            co = (co + [district])[:3]
        if rng.random() < 0.7:
            ref = f"12345工单 XM{opened:%Y%m%d}{rng.randrange(10000, 99999)}"
            content = f"市民通过12345热线反映：{title}，多次投诉未得到有效解决。"
        else:
            ref = f"{rng.choice(MEDIA)}{opened.month}月{opened.day}日报道"
            content = f"媒体报道：{title}，引发社会关注。"
        self.item(source_type="REXIAN", title=title, content=content, requirement="限期核查处置，及时回应群众关切",
                  source_ref=ref, opened=opened, due=opened + dt.timedelta(days=days),
                  lead=lead, co=co, priority=rng.choice(["YIBAN"] * 4 + ["ZHONGDIAN"]), prefix="厦府办督")


def seed(ctx) -> dict[str, int]:
    seeder = _Seeder(ctx)
    data = ctx.data
    made_huiyi = seeder.from_decisions(data.get("decisions", []) or [])
    seeder.from_instructions(data.get("instructions", []) or [])
    seeder.from_tasks(data.get("leader_tasks", []) or [])
    if made_huiyi == 0:
        _fallback_decisions(seeder, ctx.n(25))
    seeder.others(ctx.n(160))
    seeder.number()
    ctx.session.flush()
    data["supervision_items"] = seeder.items
    return seeder.counts


def _fallback_decisions(seeder: _Seeder, n: int) -> None:
    """Meeting decisions to supervise when the meetings seeder made none."""
    rng = seeder.rng
    topics = [
        ("研究推进岛内大提升工作", "市建设局"), ("研究新机场片区开发建设有关事项", "市发改委"),
        ("研究2026年重大项目建设计划", "市发改委"), ("研究城市内涝治理有关工作", "市市政园林局"),
        ("研究中小学校建设三年行动计划", "市教育局"), ("研究安全生产重点工作", "市应急局"),
        ("研究推进数字政府建设有关事项", "市数据管理局"), ("研究优化营商环境重点任务", "市发改委"),
        ("研究促进消费若干措施", "市商务局"), ("研究保障性租赁住房建设有关事项", "市建设局"),
    ]
    for i in range(n):
        topic, lead_s = topics[i % len(topics)]
        held = date_between(rng, dt.date(2025, 3, 1), seeder.today)
        lead = seeder.unit(lead_s)
        session = f"市政府第{rng.randrange(60, 130)}次常务会议" if rng.random() < 0.6 else "市长办公会议"
        seeder.item(source_type="HUIYI", title=f"{topic}议定事项", content=f"会议{topic[2:]}，请{lead}牵头抓好落实。",
                    requirement="按会议议定要求抓好落实，按期报送办理情况",
                    source_ref=f"{session}纪要第{rng.randrange(1, 8)}项",
                    opened=held + dt.timedelta(days=rng.randrange(2, 8)),
                    due=held + dt.timedelta(days=rng.choice([30, 60, 90])), lead=lead, co=seeder.random_co(lead, 2),
                    priority=rng.choice(["YIBAN", "ZHONGDIAN"]), cycle=rng.choice(["YICIXING", "MEIYUE"]))
