"""Xiamen's government informatization projects (信息化项目) with their milestones.

About 80 projects of the municipal units and the General Office itself — i厦门, 一网通办,
政务云, 城市大脑, the 12345 platform, the digital archives, the video-conference system …
— spread over every stage from proposal to retirement. Money, dates, 等保 filings and
milestones follow the project's status, and every record passes the domain rules.

Leaves `ctx.data["it_projects"]`.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from app.demo.names import date_between, person_name
from models.base import today_cn
from models.it import (
    FILING_LEVELS,
    ITProject,
    ITProjectMilestone,
    it_project_problems,
    milestone_problems,
)
from models.org import Department

OFFICE = "市政府办公厅"
# (name, owner unit short name, type, network, budget range in 万元, 等保 level, data shared)
CATALOG: list[tuple[str, str, str, str, tuple[int, int], str, Optional[str]]] = [
    ("i厦门综合便民服务平台升级改造", "市数据管理局", "SHENGJI", "HULIANWANG", (800, 1500), "3", "人口、社保、公积金"),
    ("i厦门移动端运维服务（{year}年度）", "市数据管理局", "YUNWEI", "HULIANWANG", (280, 480), "3", None),
    ("厦门市“一网通办”政务服务平台升级改造", "市政务服务中心", "SHENGJI", "HULIANWANG", (1200, 2500), "3",
     "电子证照、法人、人口"),
    ("“高效办成一件事”主题服务集成建设", "市政务服务中心", "XINJIAN", "HULIANWANG", (600, 950), "3", "电子证照、办件"),
    ("政务服务“好差评”系统建设", "市政务服务中心", "XINJIAN", "HULIANWANG", (90, 180), "2", "办件评价"),
    ("政务服务“跨省通办”支撑系统", "市政务服务中心", "XINJIAN", "ZWWW", (200, 400), "3", "办件、电子证照"),
    ("厦门市政务云平台（二期）扩容建设", "市数据管理局", "PINGTAI", "ZWWW", (3000, 6000), "3", None),
    ("政务云平台运维服务（{year}年度）", "市数据管理局", "YUNWEI", "ZWWW", (1500, 2200), "3", None),
    ("政务云密码服务平台建设", "市数据管理局", "PINGTAI", "ZWWW", (500, 900), "3", None),
    ("厦门城市大脑（城市运行管理中心）一期", "市数据管理局", "PINGTAI", "ZWWW", (4000, 8000), "3", "交通、应急、城管"),
    ("城市大脑城市运行体征监测专题建设", "市数据管理局", "SHUJU", "ZWWW", (800, 1500), "3", "城市运行指标"),
    ("城市大脑“一网统管”应用接入（二期）", "市数据管理局", "PINGTAI", "ZWWW", (1200, 2000), "3", "视频、物联感知"),
    ("12345政务服务便民热线平台升级改造", OFFICE, "SHENGJI", "HULIANWANG", (600, 1200), "3", "工单、知识库"),
    ("12345热线智能语音与质检系统", OFFICE, "XINJIAN", "HULIANWANG", (200, 400), "2", "工单"),
    ("12345热线知识库及智能辅助派单系统", OFFICE, "XINJIAN", "ZWWW", (150, 300), "2", "知识库"),
    ("12345热线平台运维服务（{year}年度）", OFFICE, "YUNWEI", "HULIANWANG", (120, 220), "3", None),
    ("厦门市数字档案馆（二期）", OFFICE, "XINJIAN", "ZWWW", (1500, 2500), "3", "档案目录"),
    ("数字档案馆馆藏档案数字化加工", OFFICE, "SHUJU", "ZWWW", (300, 600), "2", None),
    ("市政府视频会议系统高清化改造", OFFICE, "SHENGJI", "ZWWW", (400, 800), "2", None),
    ("视频会议系统向镇（街）延伸建设", OFFICE, "XINJIAN", "ZWWW", (300, 600), "2", None),
    ("市政府办公厅协同办公系统升级", OFFICE, "SHENGJI", "ZWWW", (300, 600), "3", "公文"),
    ("督查督办管理系统建设", OFFICE, "XINJIAN", "ZWWW", (150, 300), "2", "督办事项"),
    ("市政府常务会议无纸化会议系统", OFFICE, "XINJIAN", "ZWWW", (100, 200), "2", None),
    ("建议提案网上办理系统升级", OFFICE, "SHENGJI", "ZWWW", (80, 160), "2", "建议提案"),
    ("政府公报电子化发布系统", OFFICE, "XINJIAN", "HULIANWANG", (60, 120), "2", None),
    ("市政府总值班室值班信息系统", OFFICE, "XINJIAN", "ZWWW", (200, 400), "3", "突发事件信息"),
    ("厦门市人民政府门户网站集约化平台升级", OFFICE, "PINGTAI", "HULIANWANG", (500, 900), "3", "政府信息公开"),
    ("政务信息报送系统升级", OFFICE, "SHENGJI", "ZWWW", (60, 120), "2", None),
    ("市政务信息共享协同平台升级", "市数据管理局", "PINGTAI", "ZWWW", (900, 1600), "3", "全市共享目录"),
    ("公共数据资源开放平台建设", "市数据管理局", "SHUJU", "HULIANWANG", (300, 600), "3", "开放数据集"),
    ("人口、法人综合库数据治理", "市数据管理局", "SHUJU", "ZWWW", (500, 900), "3", "人口、法人"),
    ("电子证照库扩容及应用推广", "市数据管理局", "SHUJU", "ZWWW", (300, 500), "3", "电子证照"),
    ("电子政务外网IPv6改造", "市数据管理局", "SHENGJI", "ZWWW", (600, 1200), "3", None),
    ("电子政务外网运维服务（{year}年度）", "市数据管理局", "YUNWEI", "ZWWW", (800, 1200), "3", None),
    ("政务网络安全态势感知平台", "市数据管理局", "XINJIAN", "ZWWW", (600, 1200), "3", "安全事件"),
    ("政务数据资源目录“一本账”系统", "市数据管理局", "SHUJU", "ZWWW", (200, 400), "3", "数据目录"),
    ("公共视频监控联网共享平台（雪亮工程）", "市公安局", "PINGTAI", "ZWWW", (3000, 6000), "3", "视频资源"),
    ("交通运行监测调度中心二期", "市交通运输局", "PINGTAI", "ZWWW", (1500, 3000), "3", "交通运行"),
    ("公交智能调度系统升级", "市交通运输局", "SHENGJI", "HULIANWANG", (400, 800), "2", "公交线路"),
    ("城市智慧停车平台", "市交通运输局", "XINJIAN", "HULIANWANG", (600, 1100), "3", "泊位"),
    ("全民健康信息平台（二期）", "市卫健委", "PINGTAI", "ZWWW", (2000, 4000), "3", "健康档案"),
    ("医保智能监管系统", "市医保局", "XINJIAN", "ZWWW", (800, 1500), "3", "医保结算"),
    ("社会保障卡“一卡通”服务平台", "市人社局", "PINGTAI", "HULIANWANG", (800, 1500), "3", "社保卡"),
    ("智慧教育云平台", "市教育局", "PINGTAI", "HULIANWANG", (800, 1500), "3", "学籍"),
    ("智慧养老服务信息平台", "市民政局", "XINJIAN", "HULIANWANG", (300, 600), "2", "老年人"),
    ("国土空间基础信息平台及城市信息模型基础平台", "市资源规划局", "PINGTAI", "ZWWW", (1500, 3000), "3", "地理空间"),
    ("不动产登记“一窗受理”系统升级", "市资源规划局", "SHENGJI", "HULIANWANG", (300, 600), "3", "不动产"),
    ("智慧工地监管平台", "市建设局", "XINJIAN", "HULIANWANG", (300, 600), "2", None),
    ("城市综合管理服务平台", "市执法局", "PINGTAI", "ZWWW", (800, 1500), "3", "城管案件"),
    ("应急管理综合应用平台", "市应急局", "PINGTAI", "ZWWW", (1500, 2500), "3", "应急资源"),
    ("防汛防台风指挥决策支持系统", "市应急局", "XINJIAN", "ZWWW", (500, 900), "3", "水雨情"),
    ("生态环境监测监控平台", "市生态环境局", "PINGTAI", "ZWWW", (600, 1200), "2", "环境质量"),
    ("市场主体信用监管平台", "市市场监管局", "XINJIAN", "ZWWW", (400, 800), "3", "信用信息"),
    ("预算管理一体化系统", "市财政局", "PINGTAI", "ZWWW", (1500, 2500), "3", None),
    ("审计大数据分析平台", "市审计局", "SHUJU", "ZWWW", (300, 600), "3", "财政、社保"),
    ("统计联网直报系统升级", "市统计局", "SHENGJI", "HULIANWANG", (150, 300), "2", None),
    ("公共法律服务平台", "市司法局", "PINGTAI", "HULIANWANG", (200, 400), "2", None),
    ("农村产权流转交易管理平台", "市农业农村局", "XINJIAN", "HULIANWANG", (150, 300), "2", None),
    ("国际贸易“单一窗口”厦门平台升级", "市商务局", "SHENGJI", "HULIANWANG", (800, 1500), "3", "通关"),
    ("信访信息系统升级", "市信访局", "SHENGJI", "ZWWW", (200, 400), "3", "信访件"),
    ("智慧文旅服务平台", "市文旅局", "XINJIAN", "HULIANWANG", (400, 800), "2", "客流"),
    ("海洋综合管理与海上搜救指挥平台", "市海洋发展局", "PINGTAI", "ZWWW", (500, 900), "2", None),
    ("投资项目在线审批监管平台升级", "市发改委", "SHENGJI", "HULIANWANG", (300, 600), "3", "项目审批"),
    ("“免申即享”惠企政策兑现平台", "市发改委", "XINJIAN", "HULIANWANG", (300, 500), "3", "企业"),
    ("工业互联网标识解析二级节点", "市工信局", "PINGTAI", "HULIANWANG", (1000, 2000), "3", None),
    ("金砖创新基地赋能平台", "市工信局", "PINGTAI", "HULIANWANG", (600, 1200), "2", None),
    ("思明区基层治理“一张网”平台", "思明区政府", "PINGTAI", "ZWWW", (500, 900), "3", "网格事件"),
    ("湖里区智慧社区综合服务平台", "湖里区政府", "XINJIAN", "HULIANWANG", (300, 600), "2", "社区"),
    ("海沧区城市运行管理中心", "海沧区政府", "PINGTAI", "ZWWW", (800, 1500), "3", "城市运行"),
    ("集美区数字乡村综合服务平台", "集美区政府", "XINJIAN", "HULIANWANG", (200, 400), "2", None),
    ("同安区政务服务“一窗通办”系统", "同安区政府", "SHENGJI", "HULIANWANG", (150, 300), "2", "办件"),
    ("翔安区新城建智慧管理平台", "翔安区政府", "XINJIAN", "ZWWW", (400, 800), "2", None),
]
# Old systems taken offline: integrated into the platforms above.
RETIRED = [
    ("厦门市网上审批系统（旧版）", "市政务服务中心", "XINJIAN", "HULIANWANG", (400, 700), "3",
     "已整合至“一网通办”政务服务平台"),
    ("市政府办公厅电子公文传输系统（旧版）", OFFICE, "XINJIAN", "ZWWW", (120, 200), "2", "已整合至协同办公系统"),
    ("市长专线电话受理系统", OFFICE, "XINJIAN", "ZWWW", (80, 150), "2", "已并入12345热线平台"),
    ("市民卡旧版服务网站", "市人社局", "XINJIAN", "HULIANWANG", (60, 120), "2", "已整合至i厦门"),
]
VENDORS = {
    "general": ["厦门美亚柏科信息股份有限公司", "厦门市易联众信息技术股份有限公司", "南威软件股份有限公司",
                "福建博思软件股份有限公司", "太极计算机股份有限公司", "浪潮软件集团有限公司", "厦门信息集团有限公司",
                "厦门市大数据有限公司", "数字政府建设运营（厦门）有限公司", "神州数码信息系统有限公司"],
    "network": ["中国电信股份有限公司厦门分公司", "中国移动通信集团福建有限公司厦门分公司",
                "中国联合网络通信有限公司厦门市分公司", "华为技术服务有限公司"],
    "cloud": ["中国电信股份有限公司厦门分公司", "华为技术服务有限公司", "科华数据股份有限公司", "厦门信息集团有限公司"],
    "video": ["厦门亿联网络技术股份有限公司", "华为技术服务有限公司", "中国电信股份有限公司厦门分公司"],
    "traffic": ["厦门路桥信息股份有限公司", "厦门卫星定位应用股份有限公司", "海信网络科技股份有限公司"],
    "gis": ["厦门精图信息技术有限公司", "武大吉奥信息技术有限公司", "厦门市规划数字技术研究中心"],
    "archives": ["南京大学数字档案技术有限公司", "厦门美亚柏科信息股份有限公司", "北京东方飞扬软件股份有限公司"],
    "hotline": ["科大讯飞股份有限公司", "厦门市易联众信息技术股份有限公司", "中国电信股份有限公司厦门分公司"],
}
# (status, share of the projects)
STATUS_MIX = [("PROPOSED", 6), ("APPROVED", 6), ("PROCURING", 6), ("CONTRACTED", 6), ("BUILDING", 12),
              ("TRIAL", 8), ("PRELIM_ACCEPTED", 6), ("ACCEPTED", 8), ("OPERATING", 14), ("EVALUATED", 4)]
ORDER = ["PROPOSED", "APPROVED", "PROCURING", "CONTRACTED", "BUILDING", "TRIAL", "PRELIM_ACCEPTED", "ACCEPTED",
         "OPERATING", "EVALUATED", "RETIRED"]
# Milestones: (phase, name, deliverable). Phases anchor them on the project's dates.
BUILD_STEPS = [
    ("build", "需求调研与分析", "需求规格说明书"),
    ("build", "总体方案设计评审", "总体设计方案及专家评审意见"),
    ("build", "详细设计", "详细设计说明书"),
    ("build", "系统开发与集成", "系统源代码及部署文档"),
    ("build", "数据迁移与接口对接", "数据迁移报告、接口对接清单"),
    ("build", "用户培训", "培训手册及培训记录"),
    ("golive", "上线试运行", "上线方案及试运行报告"),
    ("prelim", "初步验收", "初验报告"),
    ("djcp", "网络安全等级保护测评", "等级测评报告"),
    ("crypto", "商用密码应用安全性评估", "密码应用安全性评估报告"),
    ("final", "竣工验收（终验）", "终验报告及验收意见"),
]
OM_STEPS = [
    ("build", "运维服务启动及交接", "运维服务方案"),
    ("build", "第一季度运维巡检", "季度运维报告"),
    ("build", "第二季度运维巡检", "季度运维报告"),
    ("golive", "年中运维考核", "运维考核评分表"),
    ("prelim", "第三季度运维巡检", "季度运维报告"),
    ("djcp", "年度等级保护测评", "等级测评报告"),
    ("final", "年度运维总结及考核验收", "年度运维总结报告"),
]
SHARE_NOTES = [
    "通过市政务信息共享协同平台共享{what}数据，日均调用约{n}次",
    "向市公共数据资源开放平台开放{what}类数据集，按需共享",
    "与省一体化政务服务平台对接，共享{what}数据",
]


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _vendor_pool(name: str, network: str) -> list[str]:
    if "视频会议" in name:
        return VENDORS["video"]
    if "12345" in name or "热线" in name or "专线" in name:
        return VENDORS["hotline"]
    if "档案" in name:
        return VENDORS["archives"]
    if any(k in name for k in ("交通", "公交", "停车")):
        return VENDORS["traffic"]
    if any(k in name for k in ("国土", "不动产", "新城建")):
        return VENDORS["gis"]
    if "政务云" in name:
        return VENDORS["cloud"]
    if any(k in name for k in ("外网", "IPv6", "雪亮")):
        return VENDORS["network"]
    return VENDORS["general"]


def _procurement(rng, ptype: str, budget: float) -> str:
    if ptype == "YUNWEI":
        return rng.choice(["KJXY", "KJXY", "GKZB", "DYLY"])
    if budget >= 400:
        return rng.choice(["GKZB"] * 6 + ["JZXCS", "YQZB"])
    if ptype == "SHENGJI" and rng.random() < 0.35:
        return "DYLY"  # the original vendor upgrades its own system
    if budget < 100:
        return rng.choice(["XUNJIA", "JZXCS"])
    return rng.choice(["JZXCS", "JZXCS", "JZXTP", "GKZB"])


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.s, self.rng = ctx, ctx.session, ctx.rng
        self.today = today_cn()
        data = ctx.data
        units = [u for u in [data.get("office"), *(data.get("districts") or []), *(data.get("depts") or [])] if u]
        if not units:
            units = self.s.query(Department).filter(Department.is_deleted.is_(False)).all()
        self.by_short = {}
        for u in units:
            self.by_short.setdefault(u.short_name_zh or u.name_zh, u)
        for u in self.s.query(Department).filter(Department.unit_type == "SUBORDINATE").all():
            self.by_short.setdefault(u.short_name_zh or u.name_zh, u)
        division = (data.get("division") or {}).get("电子政务处")
        self.contacts = [p.name for p in (data.get("staff") or []) if division is not None
                         and p.department is division]
        self.counts = {"ITProject": 0, "ITProjectMilestone": 0}
        self.seq_by_year: dict[int, int] = {}

    def unit(self, short: str):
        return self.by_short.get(short) or self.by_short.get("市数据管理局") \
            or (next(iter(self.by_short.values())) if self.by_short else None)

    def code(self, year: int, owner) -> str:
        """The national investment project code: year, division code, industry 65 (software and
        IT services), type 01, serial number — e.g. 2026-350200-65-01-012345."""
        self.seq_by_year[year] = self.seq_by_year.get(year, 0) + self.rng.randint(7, 400)
        division = getattr(owner, "division_code", None) or "350200"
        return f"{year}-{division}-65-01-{self.seq_by_year[year]:06d}"

    def days_ago(self, lo: int, hi: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(lo, hi))

    # --- one project -------------------------------------------------------------------
    def project(self, entry, status: str, retired_note: Optional[str] = None) -> ITProject:
        rng, today = self.rng, self.today
        name, owner, ptype, network, (lo, hi), level, shared = entry
        # when things happened, working back from today according to the status
        if status == "RETIRED":
            approved = date_between(rng, dt.date(2017, 3, 1), dt.date(2019, 6, 30))
        elif status in ("OPERATING", "EVALUATED"):
            approved = self.days_ago(560, 1000)
        elif status in ("ACCEPTED", "PRELIM_ACCEPTED"):
            approved = self.days_ago(380, 640)
        elif status in ("TRIAL", "BUILDING"):
            approved = self.days_ago(200, 460)
        elif status in ("CONTRACTED", "PROCURING"):
            approved = self.days_ago(60, 200)
        elif status == "APPROVED":
            approved = self.days_ago(10, 120)
        else:  # PROPOSED: not approved yet; the proposal went in recently
            approved = None
        year = (approved or today).year
        name = name.format(year=year + (1 if ptype == "YUNWEI" and status != "RETIRED" and approved
                                        and approved.month >= 10 else 0))
        budget = rng.uniform(lo, hi)
        budget = round(budget, 0) if budget >= 100 else round(budget, 1)
        idx = ORDER.index(status)
        unit = self.unit(owner)
        p = ITProject(
            code=self.code(year, unit), name=name, owner_department=unit, project_type=ptype, network=network,
            funding_source=("QUJI" if owner.endswith("区政府") else
                            rng.choice(["SHIJI"] * 6 + ["ZHAIQUAN"] if budget >= 1500 else ["SHIJI"] * 8 +
                                       ["SHANGJI", "ZICHOU"])),
            content=self.content(name, ptype, network),
            contact_person=rng.choice(self.contacts) if owner == OFFICE and self.contacts else person_name(rng),
            status=status,
        )
        if approved is None:
            p.approval_stage = rng.choice(["JIANYISHU", "JIANYISHU", "KEYAN"])
            p.remark = f"申报估算投资约{budget:.0f}万元，待市数据管理局组织专家评审。"
        else:
            p.approval_stage = "CHUSHE" if budget >= 500 or rng.random() < 0.5 else "KEYAN"
            p.approved_on = approved
            p.approval_doc_no = (f"厦发改审〔{approved.year}〕{rng.randint(3, 180)}号" if budget >= 1000
                                 else f"厦数据审〔{approved.year}〕{rng.randint(2, 120)}号")
            p.budget_approved = _money(budget)
        if idx >= ORDER.index("PROCURING"):
            p.procurement_method = _procurement(rng, ptype, budget)
        contract_signed = None
        if idx >= ORDER.index("CONTRACTED"):
            contract_signed = approved + dt.timedelta(days=rng.randint(45, 110))
            if status == "CONTRACTED":
                contract_signed = min(contract_signed, self.days_ago(3, 50))
            contract_signed = max(contract_signed, approved + dt.timedelta(days=20))
            contract_signed = min(contract_signed, today)
            p.contract_signed_on = contract_signed
            p.vendor = rng.choice(_vendor_pool(name, network))
            p.contract_amount = _money(budget * rng.uniform(0.84, 0.99))
        # the schedule: start, go-live (trial), preliminary and final acceptance
        planned = self.schedule(approved or today + dt.timedelta(days=45), contract_signed, ptype, status)
        start, golive, prelim, final = planned
        if idx >= ORDER.index("CONTRACTED") and start <= today:
            p.start_date = start
        if idx >= ORDER.index("TRIAL"):
            p.go_live_date = golive
        if idx >= ORDER.index("PRELIM_ACCEPTED"):
            p.prelim_acceptance_date = prelim
        if idx >= ORDER.index("ACCEPTED"):
            p.final_acceptance_date = final
        if p.contract_amount is not None:
            share = {"CONTRACTED": (0.0, 0.3), "BUILDING": (0.3, 0.5), "TRIAL": (0.5, 0.7),
                     "PRELIM_ACCEPTED": (0.7, 0.8), "ACCEPTED": (0.9, 0.95), "OPERATING": (0.95, 1.0),
                     "EVALUATED": (1.0, 1.0), "RETIRED": (1.0, 1.0)}[status]
            pct = rng.choice(share) if status == "CONTRACTED" else rng.uniform(*share)
            p.paid_amount = _money(float(p.contract_amount) * pct) if pct else Decimal("0.00")
        self.security(p, level, status, golive, prelim, final)
        if shared and status != "RETIRED":
            p.data_sharing = True
            p.data_sharing_note = rng.choice(SHARE_NOTES).format(what=shared, n=rng.choice([800, 1500, 3200, 12000]))
        else:
            p.data_sharing = False
        if status == "RETIRED":
            p.remark = f"{shared}，{rng.choice(['2025', '2026'])}年完成数据迁移后下线。"
        elif status == "EVALUATED":
            p.remark = f"{final.year + 1 if final.month > 9 else final.year}年完成项目绩效评价，评价等次：" \
                       f"{rng.choice(['优', '良', '良'])}。"
        elif status == "BUILDING" and rng.random() < 0.25:
            p.remark = rng.choice(["受上游数据接口进度影响，开发进度略有滞后。", "已完成主要功能开发，正在联调测试。",
                                   "需求变更已经专家论证，变更金额在合同范围内。"])
        self.s.add(p)
        self.milestones(p, planned, level, status)
        problems = it_project_problems(p)
        assert not problems, (p.code, problems)
        self.counts["ITProject"] += 1
        return p

    def content(self, name: str, ptype: str, network: str) -> str:
        net = "互联网" if network == "HULIANWANG" else "电子政务外网"
        if ptype == "YUNWEI":
            return f"为{name.split('运维')[0]}提供7×24小时运行监控、故障处置、安全加固、数据备份及季度巡检服务，" \
                   f"部署于{net}。"
        parts = {"XINJIAN": "新建", "SHENGJI": "对现有系统进行升级改造，", "PINGTAI": "建设全市统一的",
                 "SHUJU": "开展数据归集、清洗、治理和共享应用，"}[ptype]
        return f"{parts}{name}，部署于{net}，按照“统筹规划、集约建设、数据共享”的原则，依托市政务云资源建设，" \
               f"同步落实网络安全等级保护和商用密码应用要求。"

    def schedule(self, approved: dt.date, signed: Optional[dt.date], ptype: str, status: str):
        """Start, go-live, preliminary and final acceptance (actual where passed, planned beyond)."""
        rng, today = self.rng, self.today
        start = (signed or approved + dt.timedelta(days=rng.randint(60, 120))) + dt.timedelta(days=rng.randint(5, 20))
        build = rng.randint(150, 320) if ptype != "YUNWEI" else rng.randint(170, 190)
        golive = start + dt.timedelta(days=build)
        prelim = golive + dt.timedelta(days=rng.randint(20, 60))
        final = prelim + dt.timedelta(days=rng.randint(90, 130))
        # pull reached milestones back to the past, keep future ones ahead, per status
        if status == "TRIAL" and golive > today:
            shift = (golive - today).days + rng.randint(5, 90)
        elif status == "PRELIM_ACCEPTED" and prelim > today:
            shift = (prelim - today).days + rng.randint(5, 80)
        elif status in ("ACCEPTED", "OPERATING", "EVALUATED") and final > today:
            shift = (final - today).days + rng.randint(5, 120)
        else:
            shift = 0
        if status in ("PROPOSED", "APPROVED", "PROCURING") and start <= today:
            shift = -((today - start).days + rng.randint(15, 60))  # not started yet: all ahead
        dates = [d - dt.timedelta(days=shift) for d in (start, golive, prelim, final)]
        if status == "BUILDING":
            if dates[1] <= today:  # still building: go-live is ahead
                extra = (today - dates[1]).days + rng.randint(20, 120)
                dates[1:] = [d + dt.timedelta(days=extra) for d in dates[1:]]
            if dates[0] > today:
                dates[0] = today - dt.timedelta(days=rng.randint(10, 60))
        if status == "TRIAL" and dates[2] <= today:
            extra = (today - dates[2]).days + rng.randint(10, 60)
            dates[2:] = [d + dt.timedelta(days=extra) for d in dates[2:]]
        if status == "PRELIM_ACCEPTED" and dates[3] <= today:
            dates[3] = today + dt.timedelta(days=rng.randint(10, 60))
        if signed and dates[0] < signed:
            dates[0] = signed + dt.timedelta(days=1)
            dates[1] = max(dates[1], dates[0] + dt.timedelta(days=30))
            dates[2] = max(dates[2], dates[1] + dt.timedelta(days=15))
            dates[3] = max(dates[3], dates[2] + dt.timedelta(days=60))
        return tuple(dates)

    def security(self, p: ITProject, level: str, status: str, golive, prelim, final) -> None:
        rng, today = self.rng, self.today
        idx = ORDER.index(status)
        if idx < ORDER.index("APPROVED"):
            return
        p.djcp_level = level if rng.random() > 0.05 else ("2" if level == "3" else level)
        p.crypto_assessed = False
        if idx >= ORDER.index("TRIAL") and (p.djcp_level in FILING_LEVELS or rng.random() < 0.6):
            filed = golive + dt.timedelta(days=rng.randint(5, 30))
            if filed <= today or p.djcp_level in FILING_LEVELS and status in ("OPERATING", "EVALUATED"):
                p.djcp_filing_no = f"3502{rng.randrange(10**7):07d}-{min(filed, today).year % 100:02d}" \
                                   f"{rng.randint(1, 999):03d}"
        if idx >= ORDER.index("PRELIM_ACCEPTED") and p.djcp_filing_no:
            assessed = prelim + dt.timedelta(days=rng.randint(10, 60))
            if status in ("OPERATING", "EVALUATED", "RETIRED"):  # assessed again every year
                assessed = max(assessed, self.days_ago(20, 330)) if status != "RETIRED" else assessed
            if assessed <= today:
                p.djcp_assessed_on = assessed
                p.djcp_result = rng.choice(["LIANG"] * 6 + ["YOU", "YOU", "ZHONG"])
        if p.djcp_level in FILING_LEVELS and idx >= ORDER.index("PRELIM_ACCEPTED") and rng.random() < 0.85:
            on = prelim + dt.timedelta(days=rng.randint(15, 75))
            if on <= today and (final is None or idx < ORDER.index("ACCEPTED") or on <= final + dt.timedelta(days=5)):
                p.crypto_assessed = True
                p.crypto_assessed_on = on
                p.crypto_result = rng.choice(["FUHE", "FUHE", "JIBEN", "JIBEN", "JIBEN"])

    def milestones(self, p: ITProject, planned, level: str, status: str) -> None:
        rng, today = self.rng, self.today
        start, golive, prelim, final = planned
        steps = OM_STEPS if p.project_type == "YUNWEI" else BUILD_STEPS
        steps = [s for s in steps if s[0] != "djcp" or level in FILING_LEVELS or rng.random() < 0.3]
        steps = [s for s in steps if s[0] != "crypto" or level in FILING_LEVELS]
        keep = {"golive", "prelim", "final"}
        optional = [s for s in steps if s[0] not in keep]
        target = rng.randint(3, 8)
        chosen_opt = sorted(rng.sample(optional, max(0, min(len(optional), target - 3))), key=steps.index)
        chosen = [s for s in steps if s in chosen_opt or s[0] in keep]
        build = [s for s in chosen if s[0] == "build"]
        idx = ORDER.index(status)
        reached = {"golive": idx >= ORDER.index("TRIAL"), "prelim": idx >= ORDER.index("PRELIM_ACCEPTED"),
                   "final": idx >= ORDER.index("ACCEPTED")}
        exact = {"golive": p.go_live_date, "prelim": p.prelim_acceptance_date, "final": p.final_acceptance_date}
        span = max(1, (golive - start).days)
        started = idx >= ORDER.index("BUILDING") or (p.start_date is not None and p.start_date <= today)
        for seq, (phase, name, deliverable) in enumerate(chosen, start=1):
            if phase == "build":
                k = build.index((phase, name, deliverable)) + 1
                plan = start + dt.timedelta(days=span * k // (len(build) + 1))
            elif phase in ("djcp", "crypto"):
                plan = prelim + dt.timedelta(days=rng.randint(20, 70) if phase == "djcp" else rng.randint(30, 80))
                plan = min(plan, final - dt.timedelta(days=3))
            else:
                plan = {"golive": golive, "prelim": prelim, "final": final}[phase]
            m = ITProjectMilestone(project=p, seq=seq, name=name, deliverable=deliverable, planned_date=plan)
            actual: Optional[dt.date] = None
            if phase in reached:
                actual = exact[phase] if reached[phase] else None
            elif phase == "build":
                done = reached["golive"] or (started and plan + dt.timedelta(days=10) < today)
                if done:
                    actual = min(plan + dt.timedelta(days=rng.randint(-5, 15)), golive, today)
            else:  # security assessments: between the preliminary and the final acceptance
                on = p.djcp_assessed_on if phase == "djcp" else p.crypto_assessed_on
                if reached["final"]:
                    final_on = p.final_acceptance_date or plan
                    actual = min(on, final_on) if on is not None else min(plan, final_on)
                elif on is not None and on <= today:
                    actual = on
            if actual is not None and actual <= today:
                m.actual_date = actual
                m.status = "DONE"
            elif not started:
                m.status = "PLANNED"
            elif plan < today:
                m.status = "DELAYED"
                m.remark = rng.choice(["因需求调整顺延", "等待相关单位接口开放", "已协调承建单位增派人员，加快进度"])
            elif plan - dt.timedelta(days=60) < today:
                m.status = "IN_PROGRESS"
            else:
                m.status = "PLANNED"
            assert not milestone_problems(m), (p.code, name)
            self.s.add(m)
            self.counts["ITProjectMilestone"] += 1

    def run(self) -> dict[str, int]:
        rng = self.rng
        total = self.ctx.n(80)
        weights = [w for _s, w in STATUS_MIX]
        statuses = [rng.choices([s for s, _w in STATUS_MIX], weights)[0] for _ in range(total - len(RETIRED))]
        pool = list(CATALOG)
        rng.shuffle(pool)
        # beyond the catalogue (a larger scale): the next phase of a system already built
        phases = [e for e in pool if e[2] != "YUNWEI"]
        projects = []
        for i, status in enumerate(statuses):
            if i < len(pool):
                entry = pool[i]
            else:
                base = phases[(i - len(pool)) % len(phases)]
                suffix = "（三期）" if "（二期）" in base[0] else "（二期）"
                entry = (base[0].replace("（二期）", "") + suffix, *base[1:])
            projects.append(self.project(entry, status))
        for entry in RETIRED[: max(1, min(len(RETIRED), total // 20))]:
            projects.append(self.project(entry, "RETIRED"))
        self.ctx.data["it_projects"] = projects
        return self.counts


def seed(ctx) -> dict[str, int]:
    return _Seeder(ctx).run()
