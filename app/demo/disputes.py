"""Disputes between municipal departments, 2025–2026, with their parties' positions.

A dispute is submitted by the department that consulted the others first and could not
agree (先行协商); the office investigates, coordinates — some disputes at a meeting from
`ctx.data["meetings"]` —, proposes a solution and a leader decides; a decision being
implemented is followed by a supervision item the seeder opens. Pure questions of who
holds a duty are referred to the establishment office (编办). Puts `disputes` into
`ctx.data`.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.demo.districts import _leaders, _short, _workday, number_items
from app.demo.names import date_between
from models.base import today_cn
from models.disputes import Dispute, DisputeParty, dispute_problems, party_problems
from models.lookups import CO_HANDLER, LEAD
from models.org import Department
from models.supervision import SupervisionAssignment, SupervisionItem, item_problems

FIRST_DAY = dt.date(2025, 1, 6)

# Each template: type, title (with {scope}), scopes, background, parties [(unit, position,
# grounds)] — the first submits —, the index of the party the office proposes to lead, the
# office's proposal and the decision ({lead}, {co}: the lead and the other parties).
TEMPLATES = [
    dict(type="ZHIZE", title="关于{scope}共享单车停放秩序管理职责的争议",
         scopes=["地铁站点周边", "岛内重点商圈", "BRT沿线站点", "高校周边区域"],
         background="{scope}共享单车乱停乱放问题突出，12345热线投诉量持续上升。市执法局认为共享单车"
                    "属交通运输行业管理范畴，市交通运输局认为乱停放属市容秩序管理，双方经协商未能达成一致。",
         parties=[("市执法局", "共享单车投放总量调控、企业运营监管属行业管理职责，应由交通运输部门牵头，"
                                "执法部门依法配合查处占道行为。",
                   "《厦门市互联网租赁自行车管理办法》关于行业主管部门的规定"),
                  ("市交通运输局", "本局负责总量调控和企业服务质量考核，道路及公共场所停放秩序属市容管理，"
                                    "应由城管执法部门牵头整治。", "本局“三定”规定及互联网租赁自行车管理有关规定"),
                  ("市公安局", "机动车道内违规停放影响通行的，公安交管部门依法处置；人行道和公共场所停放"
                               "秩序不属公安职责。", "《道路交通安全法》及本局“三定”规定")],
         lead=1, proposal="建议由{lead}牵头负责共享单车行业管理和停放秩序综合治理，{co}按职责配合；"
                          "建立企业运维考核与投放指标挂钩机制。",
         decision="明确由{lead}牵头负责{scope}共享单车停放秩序综合治理，{co}按职责做好配合；"
                  "{lead}于一个月内牵头制定专项整治方案。", bianban=0.15),
    dict(type="ZHIZE", title="关于{scope}农村宅基地违法建设查处职责的争议",
         scopes=["同安区部分村庄", "翔安区部分村庄", "海沧区东孚片区", "集美区后溪片区"],
         background="{scope}存在未批先建、超面积建房等问题，涉及宅基地审批、规划许可和违法建设查处，"
                    "各部门对查处主体认识不一致，影响专项整治推进。",
         parties=[("市执法局", "农村宅基地违法占地建房属宅基地管理范畴，应由农业农村部门牵头认定和查处。",
                   "《土地管理法》关于农村宅基地管理的规定"),
                  ("市农业农村局", "本局负责宅基地改革和管理的指导，具体违法建设查处属综合执法范围，"
                                    "应由执法部门依法实施。", "本局“三定”规定及农村宅基地管理有关规定"),
                  ("市资源规划局", "乡村建设规划许可由本局负责，违反规划建设的认定可由本局出具意见，"
                                    "查处主体应依照综合执法改革确定。", "《城乡规划法》及本局“三定”规定")],
         lead=0, proposal="建议按照综合行政执法改革有关规定，由{lead}牵头查处，{co}负责出具认定意见并做好源头管控。",
         decision="明确由{lead}牵头负责农村违法建设查处，{co}按职责做好宅基地审批、规划许可和认定工作；"
                  "各区政府落实属地责任。", bianban=0.3),
    dict(type="ZHIZE", title="关于{scope}河道保洁职责的争议",
         scopes=["城市建成区内河", "过芸溪下游河段", "后溪入海口段", "东西溪城区段"],
         background="{scope}水面漂浮物和岸坡垃圾清理责任不明，群众多次反映。各部门对河道保洁是否属于"
                    "市政环卫作业范围存在分歧。",
         parties=[("市市政园林局", "城市河道水面保洁属水利工程管理范畴，应由水行政主管部门负责。",
                   "本局“三定”规定及城市市容和环境卫生管理有关规定"),
                  ("市农业农村局", "本局负责水利工程建设管理，城区河道水面及岸坡保洁属环卫作业，"
                                    "应纳入市政环卫一体化管理。", "本局“三定”规定及河道管理有关规定"),
                  ("市生态环境局", "本局负责水环境质量监测和考核，不承担具体保洁作业，可配合做好监督考核。",
                   "《水污染防治法》及本局“三定”规定")],
         lead=0, proposal="建议城市建成区河道水面及岸坡保洁纳入环卫一体化作业，由{lead}牵头，{co}按职责配合监督。",
         decision="明确建成区河道保洁由{lead}牵头纳入环卫一体化管理，{co}按职责做好水利工程管理和水质监测考核。",
         bianban=0.1),
    dict(type="ZHIZE", title="关于{scope}渣土运输车辆撒漏查处职责的争议",
         scopes=["岛内主干道", "翔安南路沿线", "集美大道沿线", "海沧大道沿线"],
         background="{scope}渣土车带泥上路、沿途撒漏问题反弹，源头工地、运输企业和道路执法环节的监管"
                    "责任存在交叉。",
         parties=[("市执法局", "撒漏查处涉及运输车辆资质和工地出场管理，源头在工地和运输企业，"
                                "应由建设和交通部门牵头。", "本局“三定”规定及建筑废土管理有关规定"),
                  ("市交通运输局", "本局负责道路运输经营资质管理，对车辆撒漏污染路面的处罚不属本局职责。",
                   "《道路运输条例》及本局“三定”规定"),
                  ("市建设局", "本局负责在建工地出入口冲洗等文明施工管理，道路撒漏查处不属本局职责。",
                   "本局“三定”规定及建设工程文明施工有关规定"),
                  ("市公安局", "对车辆超载、未密闭等交通违法行为依法查处，路面污染查处属市容管理。",
                   "《道路交通安全法》")],
         lead=0, proposal="建议建立渣土运输全链条联合监管机制，由{lead}牵头，{co}分别负责源头、运输和路面环节监管。",
         decision="明确由{lead}牵头建立渣土运输联合监管机制，{co}按“源头—运输—路面”分段负责；"
                  "{lead}每月通报查处情况。", bianban=0.1),
    dict(type="ZHIZE", title="关于{scope}海漂垃圾清理职责的争议",
         scopes=["环岛路沿线岸滩", "大嶝岛周边海域", "海沧湾沿岸", "五缘湾海域"],
         background="受台风和潮汐影响，{scope}海漂垃圾集中上岸，海上打捞、岸滩清理和转运处置各环节"
                    "责任衔接不畅。",
         parties=[("市海洋发展局", "本局负责海上漂浮垃圾打捞，岸滩垃圾清理属环卫作业范围。",
                   "本局“三定”规定及海漂垃圾治理有关规定"),
                  ("市市政园林局", "岸滩不属于城市道路环卫作业范围，潮间带垃圾应由海洋部门统一清理。",
                   "本局“三定”规定"),
                  ("市生态环境局", "本局负责近岸海域环境质量监测和监督，可牵头开展考核，不承担清理作业。",
                   "《海洋环境保护法》及本局“三定”规定")],
         lead=0, proposal="建议实行“海上打捞、岸滩清理、陆上转运”分段负责，由{lead}牵头统筹，{co}按职责配合。",
         decision="明确由{lead}牵头统筹海漂垃圾治理，{co}按分段职责落实；各沿海区政府落实属地责任。",
         bianban=0.15),
    dict(type="ZHIZE", title="关于{scope}餐饮油烟扰民查处职责的争议",
         scopes=["居民住宅楼底商", "城中村出租屋", "夜市集中区域", "商业综合体"],
         background="{scope}餐饮油烟扰民投诉多发，各部门对油烟排放查处、经营许可和场所选址管理的"
                    "职责边界存在分歧。",
         parties=[("市生态环境局", "按照综合执法改革，餐饮服务业油烟污染的行政处罚已划转城管执法部门。",
                   "综合行政执法改革划转事项清单"),
                  ("市执法局", "本局可依法查处油烟超标排放，但需生态环境部门提供监测数据支撑。",
                   "综合行政执法改革划转事项清单"),
                  ("市市场监管局", "本局负责食品经营许可，许可不以油烟排放为前置条件，不承担查处职责。",
                   "《食品安全法》及本局“三定”规定")],
         lead=1, proposal="建议由{lead}牵头查处餐饮油烟扰民，{co}负责监测支持和经营主体信息共享。",
         decision="明确由{lead}牵头查处餐饮油烟扰民问题，{co}按职责提供监测和许可信息支持。", bianban=0.2),
    dict(type="ZHIZE", title="关于{scope}预付式消费卡监管职责的争议",
         scopes=["健身行业", "校外培训行业", "美容美发行业", "餐饮行业"],
         background="{scope}经营者卷款闭店事件时有发生，群众投诉集中，行业主管部门与市场监管部门对"
                    "预付卡监管职责认识不一。",
         parties=[("市商务局", "单用途商业预付卡备案管理仅限零售、住宿餐饮、居民服务三类企业，其他行业应由"
                               "行业主管部门负责。", "《单用途商业预付卡管理办法》"),
                  ("市市场监管局", "本局负责查处价格欺诈和侵害消费者权益行为，预付资金监管应由行业主管部门负责。",
                   "《消费者权益保护法》及本局“三定”规定"),
                  ("市教育局", "本局负责校外培训机构预收费资金监管，其他行业不属本局职责。",
                   "校外培训预收费监管有关规定"),
                  ("市体育局", "本局可对体育健身企业加强行业指导，但缺乏资金监管手段。", "本局“三定”规定")],
         lead=0, proposal="建议按照“谁审批谁监管、谁主管谁监管”原则，由{lead}牵头建立预付式消费联合监管机制，"
                          "{co}按行业分工负责。",
         decision="明确由{lead}牵头建立预付式消费联合监管机制，{co}按行业分工负责，市场监管部门负责消费维权。",
         bianban=0.2),
    dict(type="ZHIZE", title="关于{scope}流浪犬只收容管理职责的争议",
         scopes=["岛内城区", "岛外新城", "城乡接合部"],
         background="{scope}流浪犬伤人事件引发关注，捕捉、收容、防疫和处置各环节责任主体不明确。",
         parties=[("市农业农村局", "本局负责动物防疫，流浪犬捕捉收容属城市管理和公共安全范畴。",
                   "《动物防疫法》及本局“三定”规定"),
                  ("市公安局", "本局负责养犬登记和违法养犬查处，流浪犬不属登记管理对象。",
                   "城市养犬管理有关规定"),
                  ("市执法局", "流浪犬捕捉收容需要专业队伍和场所，本局不具备条件。", "本局“三定”规定")],
         lead=1, proposal="建议由{lead}牵头负责犬只管理和流浪犬收容，{co}按职责做好防疫和配合工作。",
         decision="明确由{lead}牵头负责流浪犬收容管理，{co}按职责做好防疫和配合；收容场所由各区政府保障。",
         bianban=0.3),
    dict(type="ZHIZE", title="关于{scope}电动自行车违规停放充电查处职责的争议",
         scopes=["老旧住宅小区", "城中村出租屋", "高层住宅楼道"],
         background="{scope}电动自行车进楼入户、飞线充电问题突出，存在较大火灾隐患，物业管理、消防监管和"
                    "产品质量监管职责存在交叉。",
         parties=[("市应急局", "楼道违规停放充电属物业管理和消防监管范畴，应由住建部门和消防救援机构负责。",
                   "本局“三定”规定"),
                  ("市建设局", "本局负责物业服务企业监管，对居民违规停放充电行为无执法权。",
                   "《物业管理条例》及本局“三定”规定"),
                  ("市市场监管局", "本局负责电动自行车及充电器产品质量监管，不涉及停放充电行为管理。",
                   "《产品质量法》及本局“三定”规定")],
         lead=1, proposal="建议由{lead}牵头督促物业企业落实管理责任，{co}按职责配合，消防救援机构依法查处。",
         decision="明确由{lead}牵头推进住宅小区电动自行车停放充电管理，{co}按职责配合；"
                  "各区政府组织街道社区开展排查。", bianban=0.1),
    dict(type="ZHIZE", title="关于{scope}“三无”船舶处置职责的争议",
         scopes=["同安湾海域", "大嶝海域", "海沧港区周边"],
         background="{scope}发现一批“三无”船舶和废弃船舶，扣押、认定、拆解处置各环节责任不清。",
         parties=[("市海洋发展局", "本局负责渔船管理，非渔业“三无”船舶不属本局管理对象。",
                   "本局“三定”规定"),
                  ("市交通运输局", "本局负责港口和水路运输管理，海上“三无”船舶查扣属海上执法范畴。",
                   "本局“三定”规定"),
                  ("市公安局", "本局可依法对涉嫌违法犯罪船舶开展调查，船舶认定和处置应由行业部门负责。",
                   "本局“三定”规定")],
         lead=0, proposal="建议由{lead}牵头建立“三无”船舶联合整治机制，{co}按职责配合认定和处置。",
         decision="明确由{lead}牵头开展“三无”船舶清理整治，{co}按职责配合；处置费用由市财政统筹保障。",
         bianban=0.2),
    dict(type="ZHENGCE", title="关于{scope}人才住房补贴政策适用口径的争议",
         scopes=["新引进博士", "高层次人才", "青年人才"],
         background="{scope}住房补贴政策与保障性租赁住房政策存在叠加享受问题，各部门对政策适用口径理解不一。",
         parties=[("市人社局", "人才住房补贴属人才政策，可与保障性租赁住房叠加享受。", "市人才政策有关规定"),
                  ("市建设局", "保障性住房政策应避免重复保障，已享受人才住房补贴的不应同时承租保障性租赁住房。",
                   "保障性住房管理有关规定"),
                  ("市财政局", "同意按照避免重复保障原则执行，补贴资金按现行渠道保障。", "本局“三定”规定")],
         lead=0, proposal="建议由{lead}会同{co}统一政策口径，明确不得重复享受的情形，并向社会公布。",
         decision="同意由{lead}会同{co}出台政策适用口径说明，原则上不得重复享受同类住房保障。"),
    dict(type="ZHENGCE", title="关于{scope}充电设施建设补贴政策执行的争议",
         scopes=["公共充电桩", "居民小区充电桩", "换电站"],
         background="{scope}建设补贴申报审核中，补贴对象、审核主体和资金来源在部门间存在分歧。",
         parties=[("市工信局", "补贴政策由发改部门牵头制定，审核拨付应由政策制定部门负责。", "市有关补贴政策文件"),
                  ("市发改委", "本委负责充电设施规划布局，补贴资金属产业扶持，应由工信部门审核拨付。",
                   "本委“三定”规定"),
                  ("市财政局", "补贴资金已列入年度预算，需明确审核主体后方可拨付。", "预算管理有关规定")],
         lead=1, proposal="建议由{lead}牵头负责补贴申报审核，{co}按职责配合资金拨付和产业数据共享。",
         decision="明确由{lead}负责补贴审核，{co}按职责配合；已申报项目于两个月内完成审核拨付。"),
    dict(type="ZHENGCE", title="关于{scope}历史遗留房屋不动产登记政策执行的争议",
         scopes=["城中村改造安置房", "原国有企业职工住房", "集体土地上历史遗留房屋"],
         background="{scope}因建设手续不全无法办理不动产登记，群众反映强烈，各部门对补办手续的认定标准不一致。",
         parties=[("市资源规划局", "需建设部门出具竣工验收或质量安全认定意见后方可登记。", "《不动产登记暂行条例》"),
                  ("市建设局", "历史遗留房屋无法按现行标准补办竣工验收，可委托第三方出具质量安全鉴定意见。",
                   "本局“三定”规定"),
                  ("市执法局", "对未构成违法建设的历史遗留房屋，本局可出具不予处罚的意见。", "本局“三定”规定")],
         lead=0, proposal="建议由{lead}牵头制定历史遗留房屋分类处置办法，{co}按职责出具认定意见。",
         decision="同意由{lead}牵头制定分类处置办法，{co}按职责出具认定意见；各区政府负责具体组织实施。"),
    dict(type="SHENPI", title="关于{scope}既有住宅增设电梯审批衔接的争议",
         scopes=["思明区老旧小区", "湖里区老旧小区", "岛外安置小区"],
         background="{scope}增设电梯规划审批、施工许可与特种设备安装告知环节衔接不畅，群众反映办理周期过长。",
         parties=[("市建设局", "规划审批应当简化，本局可实行告知承诺制，但需资源规划部门先行出具规划意见。",
                   "既有住宅增设电梯有关规定"),
                  ("市资源规划局", "增设电梯涉及规划条件变更，需按程序公示，不宜简化。", "《城乡规划法》"),
                  ("市市场监管局", "特种设备安装告知可与施工许可并联办理，使用登记须在验收合格后办理。",
                   "《特种设备安全法》")],
         lead=0, proposal="建议由{lead}牵头推行增设电梯“一件事”集成办理，{co}并联审批、限时办结。",
         decision="明确由{lead}牵头推行增设电梯“一件事”集成办理，{co}并联审批，办理时限压缩至30个工作日内。"),
    dict(type="SHENPI", title="关于{scope}户外广告设施设置审批与执法衔接的争议",
         scopes=["主干道沿线", "商业街区", "高速公路沿线"],
         background="{scope}户外广告设施设置审批与违规设置查处之间信息不共享，出现“批管脱节”。",
         parties=[("市市政园林局", "本局负责户外广告设置审批，违规设置查处属执法部门职责。",
                   "户外广告设置管理有关规定"),
                  ("市执法局", "需审批部门及时推送审批信息，否则无法判断是否违规设置。", "综合行政执法有关规定"),
                  ("市资源规划局", "户外广告设置规划由本局编制，具体审批不属本局职责。", "本局“三定”规定")],
         lead=0, proposal="建议建立审批与执法信息实时推送机制，由{lead}牵头，{co}按职责配合。",
         decision="明确由{lead}牵头建立审批信息实时推送机制，{co}按职责做好查处和规划管控。"),
    dict(type="SHENPI", title="关于{scope}占道施工许可与交通组织审批衔接的争议",
         scopes=["地铁施工区域", "管线迁改工程", "市政道路改造工程"],
         background="{scope}占道施工许可和交通组织方案审批分属不同部门，审批顺序和时限不一致，影响工期。",
         parties=[("市市政园林局", "占道施工许可应以交通组织方案审批为前置，需公安交管部门先行审批。",
                   "城市道路管理有关规定"),
                  ("市公安局", "交通组织方案审查可与占道许可并联开展，不宜作为前置条件。", "《道路交通安全法》"),
                  ("市交通运输局", "涉及公交线路调整的，本局可同步审查，时限不超过5个工作日。", "本局“三定”规定")],
         lead=0, proposal="建议实行占道施工许可与交通组织方案并联审批，由{lead}牵头，{co}同步审查。",
         decision="同意实行并联审批，由{lead}牵头统一受理，{co}在5个工作日内出具意见。"),
    dict(type="ZIJIN", title="关于{scope}管线迁改费用分担的争议",
         scopes=["地铁6号线沿线", "地铁4号线沿线", "第二东通道沿线"],
         background="{scope}管线迁改工程量大，建设单位与管线产权单位对迁改费用分担比例存在分歧。",
         parties=[("市交通运输局", "管线迁改费用应由管线产权单位按规定承担，不应全部纳入轨道交通项目投资。",
                   "城市地下管线管理有关规定"),
                  ("市市政园林局", "因重大项目建设需要迁改的，费用应由建设单位承担。", "城市道路管理有关规定"),
                  ("市财政局", "建议按照“谁受益、谁承担”原则分担，市级财政不新增资金。", "本局“三定”规定"),
                  ("市国资委", "涉及市属国企产权管线的，企业承担部分费用需履行决策程序。", "国有资产管理有关规定")],
         lead=0, proposal="建议按管线权属和迁改原因分类确定分担比例，由{lead}牵头细化方案，{co}按职责配合。",
         decision="同意按分类分担原则执行，由{lead}牵头于一个月内提出具体分担方案，{co}按职责配合。"),
    dict(type="ZIJIN", title="关于{scope}运维经费承担的争议",
         scopes=["政务云平台", "城市运行管理服务平台", "公共数据共享平台"],
         background="{scope}建成后进入运维期，建设单位与使用单位对运维经费列支渠道存在分歧。",
         parties=[("市数据管理局", "平台承载各部门业务系统，运维经费应由使用单位分摊。", "政务信息化项目管理有关规定"),
                  ("市财政局", "信息化运维经费应由平台建设管理单位统一申报，避免重复安排。", "预算管理有关规定"),
                  ("市工信局", "本局系统已迁移上云，不应另行承担平台运维费用。", "本局“三定”规定")],
         lead=0, proposal="建议运维经费由{lead}统一申报、集约保障，{co}按职责配合核定运维标准。",
         decision="明确由{lead}统一申报平台运维经费，{co}按职责配合核定标准，使用单位不再重复安排。"),
    dict(type="ZIJIN", title="关于{scope}二次供水设施改造资金分担的争议",
         scopes=["老旧小区改造项目", "城中村改造安置区", "岛外早期商品房小区"],
         background="{scope}二次供水设施改造涉及供水企业、业主和政府投入，资金分担方式未形成共识。",
         parties=[("市建设局", "二次供水设施改造后移交供水企业管理，改造资金应由供水企业承担主要部分。",
                   "老旧小区改造有关规定"),
                  ("市市政园林局", "供水企业已承担正常运维，改造资金应纳入老旧小区改造资金统筹。",
                   "城市供水管理有关规定"),
                  ("市财政局", "可按现行老旧小区改造资金分担办法给予适当补助。", "本局“三定”规定")],
         lead=0, proposal="建议按照“政府补助、企业出资、业主分担”方式，由{lead}牵头制定实施细则，{co}配合。",
         decision="同意按“政府补助、企业出资、业主分担”方式实施，由{lead}牵头制定实施细则，{co}按职责配合。"),
    dict(type="XIANGMU", title="关于{scope}配套道路建设主体的争议",
         scopes=["东部体育会展新城", "新机场片区", "马銮湾新城"],
         background="{scope}部分配套道路已列入年度计划，但建设主体未明确，影响项目前期工作推进。",
         parties=[("市交通运输局", "片区内部市政道路应由片区指挥部或属地政府建设。", "政府投资项目管理有关规定"),
                  ("市建设局", "城市主干道建设属交通部门职责范围。", "本局“三定”规定"),
                  ("市市政园林局", "本局负责道路建成后的养护管理，不承担建设任务。", "本局“三定”规定")],
         lead=0, proposal="建议区分主干道和片区内部道路，由{lead}牵头主干道建设，{co}按职责配合。",
         decision="明确由{lead}负责片区主干道建设，片区内部道路由属地政府组织建设，{co}按职责配合。"),
    dict(type="XIANGMU", title="关于{scope}数据归集共享项目建设的争议",
         scopes=["城市视频资源", "人口基础信息", "企业信用信息"],
         background="{scope}归集共享项目推进中，数据提供部门和平台建设部门对数据安全责任和接口建设主体存在分歧。",
         parties=[("市数据管理局", "数据提供部门应负责接口改造和数据质量，平台负责归集共享。", "公共数据管理有关规定"),
                  ("市公安局", "涉及敏感数据，须在本局专网内处理，不宜直接汇聚至公共平台。", "数据安全有关规定"),
                  ("市市场监管局", "本局系统接口改造需要资金保障，建议由平台建设单位统一实施。", "本局“三定”规定")],
         lead=0, proposal="建议由{lead}牵头制定数据分级分类共享方案，{co}按职责落实数据安全和接口改造。",
         decision="同意由{lead}牵头实施，{co}按分级分类方案提供数据；敏感数据采用“可用不可见”方式共享。"),
    dict(type="XIANGMU", title="关于{scope}配套学校建成后移交管理的争议",
         scopes=["保障性住房项目", "城中村改造安置区", "国企开发片区"],
         background="{scope}配套学校已竣工，但移交接收主体和办学经费保障未明确，学校迟迟不能开学。",
         parties=[("市教育局", "配套学校应无偿移交教育部门，并由建设单位完成验收和产权登记。",
                   "居住区配套教育设施建设管理有关规定"),
                  ("市建设局", "学校已竣工验收，移交手续应由教育部门牵头办理。", "本局“三定”规定"),
                  ("市国资委", "国企投资建设的学校移交涉及国有资产处置，需履行相关程序。", "国有资产管理有关规定")],
         lead=0, proposal="建议由{lead}牵头接收，{co}按职责完成资产移交和产权登记。",
         decision="明确由{lead}牵头接收配套学校，{co}于一个月内完成资产移交和产权登记，确保按期开学。"),
    dict(type="QITA", title="关于{scope}野生动物致害补偿职责的争议",
         scopes=["同安区山区", "翔安区农村", "海沧区东孚片区"],
         background="{scope}野猪等野生动物损毁农作物事件增多，群众要求补偿，各部门对补偿主体和资金来源认识不一。",
         parties=[("市资源规划局", "本局负责陆生野生动物保护，致害补偿应纳入农业保险统筹。", "《野生动物保护法》"),
                  ("市农业农村局", "农作物损失补偿可纳入政策性农业保险，但需林业部门出具致害认定。",
                   "政策性农业保险有关规定"),
                  ("市财政局", "补偿资金可在现有农业保险保费补贴中统筹。", "本局“三定”规定")],
         lead=0, proposal="建议由{lead}牵头建立野生动物致害补偿机制，{co}按职责做好保险衔接和资金保障。",
         decision="同意由{lead}牵头建立致害补偿机制，{co}按职责配合；补偿纳入政策性农业保险统筹。"),
    dict(type="QITA", title="关于{scope}无主窨井盖管理维护的争议",
         scopes=["岛内次干道", "老旧小区周边道路", "城乡接合部道路"],
         background="{scope}存在一批无法确认权属的窨井盖，破损缺失后无人维护，存在安全隐患。",
         parties=[("市市政园林局", "无主井盖应由道路管理部门负责，本局仅负责自有排水设施。", "城市道路管理有关规定"),
                  ("市交通运输局", "本局负责公路管理，城市道路上的窨井盖不属本局职责。", "本局“三定”规定"),
                  ("市执法局", "本局可对占道行为执法，但不承担设施维护。", "本局“三定”规定")],
         lead=0, proposal="建议由{lead}牵头开展窨井盖权属普查，对确属无主的统一接收管养，{co}按职责配合。",
         decision="明确由{lead}牵头开展普查并统一接收管养无主窨井盖，{co}按职责配合。"),
]
WITHDRAW_NOTES = ["经进一步协商，相关部门已达成一致意见，提请单位申请撤回。",
                  "争议事项已通过修订相关管理办法予以明确，提请单位申请撤回。"]
PRIOR_NOTES = ["{raiser}于{day}召集{others}召开协调会，各方未能达成一致。",
               "{raiser}于{day}书面征求{others}意见，{others}回复不同意承担。",
               "{raiser}分别于{day}及此后一周内与{others}沟通协商，分歧仍未解决。"]
BIANBAN_PROPOSAL = "该争议属于部门职责分工问题，建议提请市委编办按程序研究明确；明确前由{lead}临时牵头负责。"
BIANBAN_DECISION = "同意转市委编办研究明确职责分工；明确前由{lead}临时牵头，{co}按职责配合。"

# Each state and the share of disputes at it when the calendar allows.
STAGES = ["SUBMITTED", "ACCEPTED", "INVESTIGATING", "COORDINATING", "PROPOSED", "PENDING_DECISION", "DECIDED",
          "IMPLEMENTING", "CLOSED"]


def seed(ctx) -> dict[str, int]:
    s, rng, today = ctx.session, ctx.rng, today_cn()
    data = ctx.data
    units = list(data.get("depts") or s.scalars(select(Department).where(Department.unit_type == "MUNI_DEPT")))
    by_short = {d.short_name_zh: d for d in units if d.short_name_zh}
    divisions = [d for n, d in (data.get("division") or {}).items() if n.startswith("秘书")]
    staff = data.get("staff") or []
    leaders = _leaders(ctx)
    meetings = sorted((m for m in data.get("meetings") or []
                       if m.meeting_type == "SHIZHANG" and m.start_at is not None
                       and m.status in ("HELD", "MINUTES_ISSUED", "CLOSED") and m.secrecy_level == "FEIMI"),
                      key=lambda m: m.start_at)
    counts = {"Dispute": 0, "DisputeParty": 0, "SupervisionItem (dispute follow-up)": 0}
    disputes: list[Dispute] = []
    items: list[SupervisionItem] = []
    used: set[str] = set()

    todo = [(t, sc) for t in TEMPLATES for sc in t["scopes"]]
    rng.shuffle(todo)
    for template, scope in todo[:ctx.n(60)]:
        title = template["title"].format(scope=scope)
        if title in used:
            continue
        used.add(title)
        cast = [(by_short.get(u), pos, basis) for u, pos, basis in template["parties"]]
        if any(unit is None for unit, _p, _b in cast):
            continue
        lead_unit = cast[template["lead"]][0]
        # the submitter and the proposed lead are always parties; others join at random
        k = rng.randint(2, len(cast))
        keep = {0, template["lead"]}
        rest = [i for i in range(len(cast)) if i not in keep]
        keep |= set(rng.sample(rest, max(0, k - len(keep))))
        cast = [cast[i] for i in sorted(keep)]
        raiser = cast[0][0]
        others = [unit for unit, _p, _b in cast if unit is not lead_unit]
        co = "、".join(_short(u) for u in others) or "有关部门"

        raised = _workday(date_between(rng, FIRST_DAY, today) if rng.random() < 0.5
                          else date_between(rng, today - dt.timedelta(days=150), today))
        raised = min(raised, today)
        # a timeline: each stage a few working days after the previous one
        stage_days = [raised]
        for gap in (rng.randint(2, 5), rng.randint(5, 15), rng.randint(10, 30), rng.randint(7, 25), rng.randint(3, 10),
                    rng.randint(5, 20), rng.randint(5, 10), rng.randint(60, 180)):
            stage_days.append(_workday(stage_days[-1] + dt.timedelta(days=gap)))
        reached = max(i for i, day in enumerate(stage_days) if day <= today)
        status = STAGES[reached]
        withdrawn = reached >= 1 and rng.random() < 0.07
        bianban = template["type"] == "ZHIZE" and rng.random() < template.get("bianban", 0)
        if bianban and status == "IMPLEMENTING":
            status = "CLOSED"  # referred: nothing to implement here
        if withdrawn:
            status = "WITHDRAWN"

        others_txt = "、".join(_short(u) for u, _p, _b in cast[1:])
        prior_day = raised - dt.timedelta(days=rng.randint(10, 40))
        division = rng.choice(divisions) if divisions else None
        people = [p for p in staff if division is not None and p.department is division]
        dispute = Dispute(
            dispute_no=f"待编号{len(disputes) + 1}", title=title, dispute_type=template["type"], raised_by=raiser,
            raised_at=raised,
            background=template["background"].format(scope=scope), prior_consultation=True,
            prior_consultation_note=rng.choice(PRIOR_NOTES).format(
                raiser=_short(raiser), others=others_txt, day=f"{prior_day.month}月{prior_day.day}日"),
            handling_division=division if reached >= 1 else None,
            handler=rng.choice(people) if people and reached >= 1 else None, status=status,
            refer_to_bianban=bianban and reached >= 4 and not withdrawn)
        s.add(dispute)
        disputes.append(dispute)
        counts["Dispute"] += 1
        if withdrawn:
            dispute.remark = rng.choice(WITHDRAW_NOTES)
        fmt = dict(lead=_short(lead_unit), co=co, scope=scope)
        if reached >= 3 and not withdrawn and meetings and rng.random() < 0.6:
            # discussed at a mayor's office meeting ("研究……等事项") while being coordinated
            window = (stage_days[3], stage_days[min(6, reached)])
            dispute.meeting = next((m for m in meetings if window[0] <= m.start_at.date() <= window[1]), None)
        if reached >= 4 and not withdrawn:
            dispute.office_proposal = (BIANBAN_PROPOSAL if dispute.refer_to_bianban
                                       else template["proposal"]).format(**fmt)
        if reached >= 6 and not withdrawn:
            dispute.decision_leader = rng.choice(leaders["vices"] + [leaders["sg"]])
            dispute.decided_at = stage_days[6]
            dispute.decision = (BIANBAN_DECISION if dispute.refer_to_bianban else template["decision"]).format(**fmt)

        for seq, (unit, position, basis) in enumerate(cast, start=1):
            role = "TIQING" if seq == 1 else "XIANGGUAN"
            if unit is lead_unit and reached >= 4 and not withdrawn and seq != 1:
                role = "NIQIANTOU"
            signer = rng.choice("王李张刘陈杨黄林吴郑") + rng.choice(["局长", "主任", "副局长"])
            s.add(DisputeParty(dispute=dispute, seq=seq, department=unit, role=role, position=position,
                               basis=basis, signed_by=signer))
            counts["DisputeParty"] += 1

        if status in ("IMPLEMENTING", "CLOSED") and not dispute.refer_to_bianban and dispute.decided_at:
            opened = _workday(dispute.decided_at + dt.timedelta(days=rng.randint(2, 6)))
            if opened <= today:
                due = opened + dt.timedelta(days=rng.choice([30, 60, 90]))
                done = status == "CLOSED"
                closed_at = min(today, max(opened, due - dt.timedelta(days=rng.randint(0, 15)))) if done else None
                item = SupervisionItem(
                    title=f"落实{title.removeprefix('关于').removesuffix('的争议')}协调意见",
                    content=f"经{dispute.decision_leader}同意：{dispute.decision}",
                    requirement="按协调意见明确的分工抓好落实，按月报送进展",
                    source_type="JIAOBAN", source_ref=f"部门争议协调意见（{title}）",
                    responsible_leader=dispute.decision_leader, lead_department=lead_unit, opened_at=opened,
                    due_date=due, feedback_cycle="MEIYUE", priority="YIBAN",
                    status="CLOSED" if done else "IN_PROGRESS", closed_at=closed_at,
                    close_opinion="协调意见已落实，职责分工已明确并纳入日常管理，同意办结。" if done else None)
                s.add(item)
                s.add(SupervisionAssignment(item=item, department=lead_unit, role=LEAD))
                for unit in others:
                    s.add(SupervisionAssignment(item=item, department=unit, role=CO_HANDLER))
                dispute.supervision_item = item
                items.append(item)
                counts["SupervisionItem (dispute follow-up)"] += 1

    # 厦府办协〔year〕n号, in the order they were submitted
    per_year: dict[int, int] = {}
    for dispute in sorted(disputes, key=lambda d: (d.raised_at, d.title)):
        per_year[dispute.raised_at.year] = per_year.get(dispute.raised_at.year, 0) + 1
        dispute.dispute_no = f"厦府办协〔{dispute.raised_at.year}〕{per_year[dispute.raised_at.year]}号"
    number_items(s, items, "厦府办督")
    s.flush()
    for dispute in disputes:
        assert not dispute_problems(dispute), (dispute.title, dispute_problems(dispute))
        for party in dispute.parties:
            assert not party_problems(party), party_problems(party)
    for item in items:
        assert not item_problems(item), item_problems(item)
    data["disputes"] = disputes
    return counts
