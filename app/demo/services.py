"""Receptions of 2025–2026 with their guest lists and costs; the office's fleet and meeting
rooms; logistics requests with their vehicle dispatches, room bookings, repairs and supply
issues.

Everything satisfies the domain's rules (models/services.py): meal companions within the
2013 limit, a letter number on every reception, a full guest list from settlement on,
odometers that only run forwards per vehicle, no vehicle sent out twice at once, no room
booked twice at once, attendees within a room's capacity.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from app.demo.names import date_between, id_card, person_name
from models.base import today_cn
from models.services import (
    GuestMember,
    LogisticsRequest,
    MeetingRoom,
    Reception,
    RepairOrder,
    RoomBooking,
    SupplyIssue,
    Vehicle,
    VehicleDispatch,
    meal_companion_limit,
)

FIRST_DAY, LAST_DAY = dt.date(2025, 1, 3), dt.date(2026, 12, 23)

# --- Receptions ------------------------------------------------------------------------------
# (guest type, organisation, head's post, level, size range, letter prefix, region of the guests' ID cards
#  or a passport kind, purposes)
GUESTS = [
    ("SHANGJI", "福建省人民政府办公厅调研组", "省政府办公厅副主任", "TINGJU", (4, 8), "闽政办函", "350102",
     ["调研厦门市政府系统督查督办和“高效办成一件事”工作推进情况", "调研厦门市政务信息报送和政务公开工作",
      "调研厦门市数字政府建设和一网通办工作"]),
    ("SHANGJI", "福建省人民政府调研组", "副省长", "SHENGBU", (8, 14), "闽政办函", "350102",
     ["调研厦门市跨岛发展和重点项目建设情况", "调研厦门市防汛防台风和安全生产工作",
      "调研厦门市民营经济发展和稳外贸稳外资工作"]),
    ("SHANGJI", "福建省发展和改革委员会调研组", "省发改委副主任", "TINGJU", (4, 7), "闽发改函", "350102",
     ["调研厦门市重大项目建设和投资运行情况", "调研金砖创新基地建设推进情况"]),
    ("SHANGJI", "福建省应急管理厅检查组", "省应急管理厅副厅长", "TINGJU", (5, 9), "闽应急函", "350102",
     ["检查厦门市安全生产和防汛备汛工作", "督导厦门市城镇燃气安全专项整治工作"]),
    ("SHANGJI", "国家发展改革委调研组", "国家发展改革委副主任", "SHENGBU", (6, 12), "发改办函", "110102",
     ["调研厦门经济特区综合改革和营商环境建设", "调研金砖国家新工业革命伙伴关系创新基地建设"]),
    ("SHANGJI", "国务院办公厅调研组", "国务院办公厅秘书局副局长", "TINGJU", (3, 6), "国办秘函", "110102",
     ["调研厦门市12345政务服务便民热线运行情况", "调研厦门市政务服务标准化规范化便利化工作"]),
    ("WAIDI", "深圳市人民政府代表团", "深圳市副市长", "TINGJU", (10, 22), "深府办函", "440304",
     ["考察学习厦门市自贸片区制度创新和两岸融合发展经验", "就深厦两地科技创新和产业协作开展交流"]),
    ("WAIDI", "宁波市党政代表团", "宁波市委副书记、市长", "SHENGBU", (14, 26), "甬政办函", "330203",
     ["考察厦门市港口发展和临港产业", "就甬厦两地港航物流合作开展交流"]),
    ("WAIDI", "青岛市人民政府考察团", "青岛市副市长", "TINGJU", (8, 16), "青政办函", "370202",
     ["考察学习厦门市海洋经济发展和城市更新经验", "考察厦门市会展业和东部体育会展新城建设"]),
    ("WAIDI", "大连市人民政府考察团", "大连市政府副秘书长", "TINGJU", (6, 12), "大政办函", "210202",
     ["考察学习厦门市优化营商环境和政务服务改革经验", "考察厦门市城中村改造和岛内大提升工作"]),
    ("WAIDI", "临夏回族自治州党政代表团", "临夏州委副书记、州长", "TINGJU", (10, 20), "临州办函", "622901",
     ["开展东西部协作对接交流，考察厦门市产业园区和劳务协作项目", "召开厦门·临夏东西部协作联席会议"]),
    ("WAIDI", "三明市党政代表团", "三明市委副书记、市长", "TINGJU", (10, 18), "明政办函", "350402",
     ["开展山海协作对接，考察厦门市产业园区共建项目", "召开厦门·三明山海协作联席会议"]),
    ("WAIDI", "龙岩市人民政府考察团", "龙岩市副市长", "TINGJU", (6, 12), "岩政办函", "350802",
     ["考察厦门市招商引资和产业链协作工作", "就厦龙山海协作经济区建设开展交流"]),
    ("WAIBIN", "日本佐世保市友好访问团", "佐世保市副市长", "QITA", (5, 10), "厦外函", "JP",
     ["友好城市年度交流访问", "商谈友好城市缔结纪念活动及青少年交流事宜"]),
    ("WAIBIN", "新西兰惠灵顿市代表团", "惠灵顿市副市长", "QITA", (4, 8), "厦外函", "NZ",
     ["友好城市交流访问，考察厦门市港口和旅游合作项目", "洽谈教育和文化交流合作"]),
    ("WAIBIN", "英国卡迪夫市代表团", "卡迪夫市议会议员", "QITA", (3, 7), "厦外函", "GB",
     ["友好城市交流访问，洽谈体育和文化交流合作"]),
    ("WAIBIN", "马来西亚槟城州代表团", "槟城州行政议员", "QITA", (6, 12), "厦外函", "MY",
     ["考察厦门市港口物流和电子信息产业", "出席厦门国际投资贸易洽谈会相关活动"]),
    ("WAIBIN", "菲律宾宿务市代表团", "宿务市副市长", "QITA", (4, 9), "厦外函", "PH",
     ["友好城市交流访问，考察厦门市城市管理和旅游发展"]),
    ("WAIBIN", "美国巴尔的摩市代表团", "巴尔的摩市议会议员", "QITA", (3, 6), "厦外函", "US",
     ["友好城市交流访问，洽谈港口和医疗健康领域合作"]),
    ("WAIBIN", "荷兰祖特尔梅尔市代表团", "祖特尔梅尔市副市长", "QITA", (3, 6), "厦外函", "NL",
     ["友好城市交流访问，洽谈智慧城市和园艺合作"]),
    ("GANGAOTAI", "台湾工商界人士参访团", "台湾区电机电子工业同业公会副理事长", "QITA", (10, 24), "厦台函", "TW",
     ["考察厦门市两岸集成电路产业园和台商投资区", "出席海峡论坛相关活动并考察两岸融合发展示范区"]),
    ("GANGAOTAI", "台湾青年创业参访团", "台湾青年创业协会理事长", "QITA", (12, 24), "厦台函", "TW",
     ["考察厦门市台湾青年创业基地和两岸青创项目"]),
    ("GANGAOTAI", "香港特别行政区政府考察团", "香港特区政府商务及经济发展局副局长", "QITA", (5, 10), "厦台函", "HK",
     ["考察厦门市自贸片区和跨境贸易便利化措施", "就厦港两地经贸合作开展交流"]),
    ("GANGAOTAI", "澳门特别行政区经济及科技发展局考察团", "澳门特区经济及科技发展局局长", "QITA", (4, 8),
     "厦台函", "MO", ["考察厦门市会展业和文旅产业发展"]),
    ("QIYE", "中国远洋海运集团考察组", "中国远洋海运集团副总经理", "QITA", (4, 8), "中远海运函", "310104",
     ["洽谈厦门港集装箱航线布局和港航合作", "考察远海自动化码头运营情况"]),
    ("QIYE", "招商局集团考察组", "招商局集团副总经理", "QITA", (4, 8), "招商局函", "440304",
     ["洽谈招商局在厦投资项目", "考察海沧港区和临港物流园区"]),
    ("ZHUANJIA", "中国工程院院士专家咨询团", "中国工程院院士", "QITA", (5, 10), "工程院函", "110108",
     ["为厦门市新能源和新材料产业发展提供咨询", "开展厦门科学城建设专家咨询"]),
    ("ZHUANJIA", "国务院发展研究中心专家调研组", "国务院发展研究中心研究员", "QITA", (3, 6), "国研函", "110102",
     ["开展厦门市城市更新和住房保障课题调研", "开展厦门经济特区综合改革课题调研"]),
    ("QITA", "中央主要新闻媒体采访团", "新华社福建分社副社长", "QITA", (8, 16), "新闽函", "350102",
     ["采访报道厦门经济特区建设成就", "采访报道金砖创新基地建设成效"]),
]
#: How often each kind of guest comes (most visits are official domestic ones).
TYPE_WEIGHTS = {"SHANGJI": 30, "WAIDI": 32, "WAIBIN": 12, "GANGAOTAI": 10, "QIYE": 7, "ZHUANJIA": 5, "QITA": 4}
PASSPORTS = {
    "JP": (["Tanaka Hiroshi", "Sato Yuki", "Suzuki Kenji", "Takahashi Mai", "Watanabe Akira", "Ito Naoko",
            "Yamamoto Daisuke", "Nakamura Emi", "Kobayashi Ryo", "Kato Sakura"], "TK", 7),
    "NZ": (["James Wilson", "Emma Thompson", "William Walker", "Olivia Harris", "Jack Robinson", "Sophie Clark",
            "Thomas King", "Charlotte Wright"], "LA", 6),
    "GB": (["Oliver Jones", "Amelia Evans", "Harry Davies", "Isla Roberts", "George Hughes", "Emily Lewis",
            "Rhys Morgan"], "", 9),
    "MY": (["Lim Wei Ming", "Tan Mei Ling", "Ahmad bin Ismail", "Nurul Aisyah", "Wong Kok Leong", "Lee Siew Lan",
            "Muhammad Hafiz", "Chong Kar Yan", "Raj Kumar", "Ng Boon Huat", "Siti Rahmah", "Ooi Chee Keong"],
           "A", 8),
    "PH": (["Maria Santos", "Jose Reyes", "Ana Cruz", "Juan Bautista", "Carmen Garcia", "Ramon Villanueva",
            "Liza Mendoza", "Paolo Aquino", "Grace Fernandez"], "P", 7),
    "US": (["Michael Brown", "Jennifer Davis", "David Miller", "Sarah Johnson", "Robert Taylor", "Linda Moore"],
           "", 9),
    "NL": (["Jan de Vries", "Anna Jansen", "Pieter Bakker", "Sanne Visser", "Daan Smit", "Lotte Mulder"], "NX", 7),
}
FEMALE_NAMES = {"Yuki", "Mai", "Naoko", "Emi", "Sakura", "Emma", "Olivia", "Sophie", "Charlotte", "Amelia", "Isla",
                "Emily", "Mei", "Nurul", "Siew", "Chong", "Siti", "Maria", "Ana", "Carmen", "Liza", "Grace",
                "Jennifer", "Sarah", "Linda", "Anna", "Sanne", "Lotte"}
CHINESE_PASS = {"TW": ("", 8), "HK": ("H", 8), "MO": ("M", 8)}
MEMBER_POSTS = {
    "SHANGJI": ["处长", "副处长", "一级主任科员", "二级主任科员", "四级调研员", "秘书"],
    "WAIDI": ["市政府副秘书长", "市发改委主任", "市商务局局长", "市科技局副局长", "区长", "市政府办公厅副主任",
              "处长", "秘书"],
    "WAIBIN": ["市议会议员", "国际交流处处长", "经济发展局局长", "翻译", "秘书"],
    "GANGAOTAI": ["董事长", "总经理", "副总经理", "理事", "秘书长", "随团秘书"],
    "QIYE": ["总经理助理", "战略发展部总经理", "投资部副总经理", "办公室主任", "秘书"],
    "ZHUANJIA": ["研究员", "教授", "副研究员", "助理研究员", "博士后"],
    "QITA": ["记者", "编辑", "摄影记者", "主任记者"],
}
HOTELS = ["厦门宾馆", "悦华酒店", "京闽中心酒店", "海悦山庄酒店", "鹭江宾馆", "厦门国际会议中心酒店"]
SITES = ["厦门市政务服务中心", "火炬高新区软件园三期", "金砖创新基地展示中心", "厦门自贸片区综合服务大厅",
         "远海自动化码头", "厦门科学城", "集美学村", "筼筜湖生态修复展示馆", "两岸集成电路产业园",
         "东部体育会展新城", "湖里区县后片区城中村改造现场", "同安区军营村", "翔安区大嶝对台小额商品交易市场",
         "厦门国际会展中心", "海沧区马銮湾新城", "厦门市城市规划展览馆"]
TALK_ROOMS = ["市政府西楼第二会议室", "市政府西楼第三会议室", "市政府东楼第一会议室", "厦门宾馆会议室"]
EXPERT_DEPTS = {"SHANGJI": "市发改委", "WAIDI": "市商务局", "WAIBIN": "市外办", "GANGAOTAI": "市台港澳办",
                "QIYE": "市商务局", "ZHUANJIA": "市科技局", "QITA": "市文旅局"}


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def _guest_id(rng, kind: str, gender: str) -> str:
    if kind in PASSPORTS:
        _names, prefix, digits = PASSPORTS[kind]
        return prefix + "".join(str(rng.randrange(10)) for _ in range(digits))
    if kind in CHINESE_PASS:
        prefix, digits = CHINESE_PASS[kind]
        return prefix + "".join(str(rng.randrange(10)) for _ in range(digits))
    birth = date_between(rng, dt.date(1964, 1, 1), dt.date(1996, 12, 31))
    return id_card(rng, birth, gender, kind)


def _guest_name(rng, kind: str, used: set) -> tuple[str, str]:
    for _ in range(50):
        if kind in PASSPORTS:
            name = rng.choice(PASSPORTS[kind][0])
            gender = "2" if FEMALE_NAMES & set(name.split()) else "1"
        else:
            name, gender = person_name(rng), rng.choice("1112")
        if name not in used:
            used.add(name)
            return name, gender
    return name, gender


def _reception_status(rng, arrive: dt.datetime, depart: dt.datetime, today: dt.date) -> str:
    roll = rng.random()
    if roll < 0.03:
        return "REJECTED"
    if roll < 0.08:
        return "CANCELLED"
    if arrive.date() > today + dt.timedelta(days=14):
        return rng.choice(["APPLIED", "APPROVED", "APPROVED"])
    if arrive.date() > today:
        return rng.choice(["APPROVED", "PLANNED", "PLANNED"])
    if depart.date() >= today:
        return "IN_PROGRESS"
    if (today - depart.date()).days <= 30:
        return rng.choice(["SETTLING", "SETTLING", "CLOSED"])
    return "CLOSED"


def _seed_receptions(ctx, today, counts) -> list[Reception]:
    s, rng = ctx.session, ctx.rng
    division = ctx.data.get("division") or {}
    depts = {d.short_name_zh: d for d in ctx.data.get("depts") or []}
    host = division.get("接待处")
    reception_staff = [p for p in ctx.data.get("staff") or [] if p.department is host] or \
        list(ctx.data.get("staff") or [])
    leaders = ctx.data.get("leaders") or ["黄秘书长", "吴副秘书长"]
    approvers = [x for x in leaders if "秘书长" in x] or leaders
    letter_seq: dict[tuple[str, int], int] = {}
    receptions = []
    total = ctx.n(120)
    for k in range(total):
        kind = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        gtype, org, head_post, level, (low, high), prefix, region, purposes = \
            rng.choice([g for g in GUESTS if g[0] == kind])
        day = _workday(FIRST_DAY + dt.timedelta(days=int(k * (LAST_DAY - FIRST_DAY).days / total)
                                                + rng.randrange(0, 5)))
        nights = rng.choice((1, 1, 2, 2, 3)) if gtype not in ("SHANGJI",) else rng.choice((1, 1, 2))
        arrive = dt.datetime.combine(day, dt.time(rng.choice((9, 10, 11, 14, 15, 16)), rng.choice((0, 20, 30, 45))))
        depart = dt.datetime.combine(day + dt.timedelta(days=nights),
                                     dt.time(rng.choice((10, 11, 14, 15, 16)), rng.choice((0, 15, 30))))
        status = _reception_status(rng, arrive, depart, today)
        headcount = rng.randint(low, high)
        key = (prefix, day.year)
        letter_seq[key] = letter_seq.get(key, rng.randrange(8, 40)) + rng.randrange(3, 25)
        letter_no = f"{prefix}〔{day.year}〕{letter_seq[key]}号"
        limit = meal_companion_limit(headcount)
        companions = rng.randint(max(1, limit - 2), limit)
        meal_count = 1 if gtype in ("SHANGJI", "WAIDI") else rng.choice((1, 2, 2, 3))
        room = "TAOJIAN" if level == "SHENGBU" else ("DANJIAN" if level == "TINGJU" else "BIAOZHUN")
        hotel = rng.choice(HOTELS)
        staff = rng.sample(reception_staff, min(2, len(reception_staff))) if reception_staff else []
        unit = EXPERT_DEPTS[gtype]
        accompanying = "，".join(filter(None, [
            f"市政府{rng.choice(['副秘书长', '副秘书长', '秘书长'])}{person_name(rng)}",
            "接待处" + "、".join(p.name for p in staff) if staff else "",
            f"{unit}{rng.choice(['副主任', '副局长', '主任', '局长'])}{person_name(rng)}",
        ]))
        sites = rng.sample(SITES, min(len(SITES), 2 + nights * 2))
        lines = []
        for n in range(nights + 1):
            date = day + dt.timedelta(days=n)
            if n == 0:
                lines.append(f"{date.month}月{date.day}日：{arrive:%H:%M}抵厦，入住{hotel}；"
                             f"座谈交流（{rng.choice(TALK_ROOMS)}）；考察{sites[0]}。")
            elif n == nights:
                lines.append(f"{date.month}月{date.day}日：上午考察{sites[-1]}；{depart:%H:%M}离厦。")
            else:
                lines.append(f"{date.month}月{date.day}日：上午考察{sites[2 * n - 1]}；下午考察{sites[2 * n]}。")
        r = Reception(
            guest_org=org, guest_type=gtype, head_post=head_post, guest_level=level, headcount=headcount,
            foreign_affairs_dept=depts.get("市外办") if gtype == "WAIBIN" else None,
            official_letter_no=letter_no,
            official_letter_file=f"{org}来厦公函（{letter_no}）.pdf",
            purpose=rng.choice(purposes), arrive_at=arrive, depart_at=depart, itinerary="\n".join(lines),
            accompanying_staff=accompanying, meal_count=meal_count, meal_companions=companions,
            hotel=hotel, room_standard=room,
            vehicle_arrangement=("考斯特中巴1辆" if headcount > 7 else "商务车1辆")
            + ("，轿车1辆" if level in ("SHENGBU", "TINGJU") else ""),
            host_department=host, status=status,
        )
        # Domestic official guests pay their own lodging (党政机关国内公务接待管理规定, Art. 10);
        # the office pays it for foreign guests, invited experts and some Taiwan/HK/Macao groups.
        host_pays_lodging = gtype in ("WAIBIN", "ZHUANJIA") or (gtype == "GANGAOTAI" and rng.random() < 0.5)
        rate = {"TAOJIAN": 480, "DANJIAN": 450, "BIAOZHUN": 420}[room]
        rooms = headcount if level in ("SHENGBU", "TINGJU") or gtype in ("WAIBIN", "ZHUANJIA") \
            else math.ceil(headcount / 2)
        lodging = rooms * nights * rate + (360 * nights if room == "TAOJIAN" else 0) if host_pays_lodging else 0
        meals = (headcount + companions) * meal_count * (rng.choice((100, 110, 120)) if gtype not in ("WAIBIN",)
                                                         else rng.choice((150, 180, 200)))
        transport = (nights + 1) * (rng.choice((600, 800)) if headcount > 7 else rng.choice((200, 300)))
        other = rng.choice((0, 0, 120, 260, 380))
        estimate = lodging + meals + transport + other
        if status != "REJECTED":
            r.budget = _money(math.ceil(estimate * 1.12 / 100) * 100)
        if status in ("APPROVED", "PLANNED", "IN_PROGRESS", "SETTLING", "CLOSED", "REJECTED"):
            r.approver = rng.choice(approvers)
        if status in ("SETTLING", "CLOSED"):
            factor = rng.uniform(0.85, 1.0)
            r.cost_lodging = _money(lodging * factor if lodging else 0)
            r.cost_meals = _money(meals * rng.uniform(0.85, 1.0))
            r.cost_transport = _money(transport * rng.uniform(0.8, 1.0))
            r.cost_other = _money(other)
            r.settlement_method = "ZHUANZHANG" if float(r.total_cost or 0) > 5000 else \
                rng.choice(["GONGWUKA", "GONGWUKA", "ZHUANZHANG"])
            if not lodging:
                r.remark = "住宿费由来宾回本单位按规定报销。"
        if status == "REJECTED":
            r.remark = "来访时间与市领导重要公务活动冲突，建议另行商定。"
        elif status == "CANCELLED":
            r.remark = "来宾单位来函取消行程。"
        # The guest list: complete from planning on, partial while applied/approved, none when dropped.
        if status in ("PLANNED", "IN_PROGRESS", "SETTLING", "CLOSED"):
            listed = headcount
        elif status in ("APPLIED", "APPROVED"):
            listed = rng.choice((0, 1, headcount // 2, headcount))
        else:
            listed = 0
        used: set = set()
        posts = MEMBER_POSTS[gtype]
        for seq in range(1, listed + 1):
            name, gender = _guest_name(rng, region, used)
            post = head_post if seq == 1 else rng.choice(posts)
            if gtype in ("GANGAOTAI", "QIYE", "WAIDI", "SHANGJI") and seq > 1 and post in ("秘书", "随团秘书"):
                post = rng.choice(posts)
            s.add(GuestMember(reception=r, seq=seq, name=name, gender=gender, post=post,
                              id_no=_guest_id(rng, region, gender)))
            counts["GuestMember"] += 1
            if seq == 1:
                r.head_name = name
        if r.head_name is None:
            r.head_name = _guest_name(rng, region, used)[0]
        s.add(r)
        receptions.append(r)
    counts["Reception"] = len(receptions)
    return receptions


# --- Fleet and rooms ---------------------------------------------------------------------------
FLEET = [
    # (category, brand, model, seats, division, count)
    ("JIYAO", "比亚迪", "汉 EV", 5, "行政处", 4),
    ("JIYAO", "红旗", "H5 1.5T", 5, "行政处", 3),
    ("JIYAO", "一汽-大众", "迈腾 1.4T", 5, "行政处", 2),
    ("JIYAO", "比亚迪", "秦PLUS DM-i", 5, "行政处", 3),
    ("JIYAO", "上汽通用别克", "GL8 陆上公务舱", 7, "行政处", 2),
    ("YINGJI", "上汽通用别克", "GL8 2.0T", 7, "总值班室", 2),
    ("YINGJI", "长城", "炮 越野皮卡", 5, "总值班室", 1),
    ("YINGJI", "广汽传祺", "M8 宗师", 7, "行政处", 1),
    ("ZHIFA", "比亚迪", "宋PLUS DM-i", 5, "督查室", 2),
    ("TEZHONG", "依维柯", "Daily 应急通信指挥车", 6, "电子政务处", 1),
    ("QITA", "丰田", "考斯特 中型客车", 20, "接待处", 2),
    ("QITA", "金龙", "XMQ6759 中型客车", 23, "接待处", 1),
    ("JIYAO", "一汽丰田", "卡罗拉 1.2T", 5, "行政处", 1),
]
PLATE_LETTERS = "ABCEFGHJKLMNPQRSTUVWXYZ"
ROOMS = [
    # (name, building, floor, capacity, secure, equipment)
    ("第一会议室", "市政府西楼", 2, 120, False, "LED大屏、投影仪、无线话筒12支、同声传译设备"),
    ("第二会议室", "市政府西楼", 3, 60, False, "LED大屏、无线话筒8支、视频会议终端"),
    ("第三会议室", "市政府西楼", 3, 36, False, "投影仪、无线话筒6支"),
    ("第四会议室", "市政府西楼", 4, 30, False, "投影仪、电子白板"),
    ("常务会议室", "市政府西楼", 5, 50, True, "涉密会议专用音响系统、手机信号屏蔽器、电子设备存放柜"),
    ("视频会议室", "市政府西楼", 6, 80, False, "省市县三级视频会议系统、录播设备、LED大屏"),
    ("第五会议室", "市政府西楼", 6, 20, False, "液晶电视、会议电话"),
    ("东楼第一会议室", "市政府东楼", 2, 100, False, "LED大屏、投影仪、无线话筒10支"),
    ("东楼第二会议室", "市政府东楼", 3, 36, False, "投影仪、视频会议终端"),
    ("东楼第三会议室", "市政府东楼", 4, 24, False, "液晶电视、会议电话"),
    ("东楼小会议室", "市政府东楼", 5, 12, False, "液晶电视"),
    ("东楼保密会议室", "市政府东楼", 5, 20, True, "手机信号屏蔽器、电子设备存放柜、涉密专用投影"),
]


def _plate(rng, used: set, electric: bool) -> str:
    while True:
        if electric:
            plate = "闽DD" + "".join(str(rng.randrange(10)) for _ in range(5))
        elif rng.random() < 0.5:
            plate = "闽D" + rng.choice(PLATE_LETTERS) + "".join(str(rng.randrange(10)) for _ in range(4))
        else:
            plate = "闽D" + "".join(str(rng.randrange(10)) for _ in range(5))
        if plate not in used:
            used.add(plate)
            return plate


def _seed_fleet(ctx, counts) -> list[Vehicle]:
    s, rng = ctx.session, ctx.rng
    division = ctx.data.get("division") or {}
    used: set = set()
    fleet = []
    wanted = ctx.n(25)
    while len(fleet) < wanted:
        for category, brand, model, seats, unit, n in FLEET:
            for _ in range(n):
                if len(fleet) >= wanted:
                    break
                electric = model.endswith("EV")
                bought = date_between(rng, dt.date(2016, 3, 1), dt.date(2025, 6, 30))
                v = Vehicle(plate_no=_plate(rng, used, electric), category=category, brand=brand, model_name=model,
                            seats=seats, department=division.get(unit), purchase_date=bought, status="IN_SERVICE")
                s.add(v)
                fleet.append(v)
    # The oldest car is retired (报废) and another is in the garage.
    oldest = min(fleet, key=lambda v: v.purchase_date)
    oldest.purchase_date = dt.date(2013, 11, 20)
    oldest.status, oldest.remark = "RETIRED", "2024年12月达到报废年限，已按规定报废处置。"
    repair = next(v for v in fleet if v.status == "IN_SERVICE" and v.category == "JIYAO")
    repair.status, repair.remark = "IN_REPAIR", "2026年11月送厂保养维修（更换刹车片、轮胎）。"
    counts["Vehicle"] = len(fleet)
    return fleet


def _seed_rooms(ctx, counts) -> list[MeetingRoom]:
    rooms = []
    for name, building, floor, capacity, secure, equipment in ROOMS:
        room = MeetingRoom(name=name, building=building, floor=floor, capacity=capacity, is_secure_room=secure,
                           equipment=equipment, status="AVAILABLE")
        if secure:
            room.remark = "涉密会议室：经保密部门检测合格，与会人员不得携带手机等电子设备入场。"
        ctx.session.add(room)
        rooms.append(room)
    rooms[9].status, rooms[9].remark = "MAINTENANCE", "2026年11月起进行隔音和音响系统改造。"
    counts["MeetingRoom"] = len(rooms)
    return rooms


# --- Logistics requests -------------------------------------------------------------------------
# Destinations from the West Building (湖滨北路61号): (place, one-way km, toll yuan, parking yuan)
DESTINATIONS = [
    ("思明区政府", 4, 0, 0), ("湖里区政府", 7, 0, 0), ("海沧区政府", 17, 0, 0), ("集美区政府", 19, 0, 0),
    ("同安区政府", 33, 0, 0), ("翔安区政府", 38, 0, 0), ("高崎国际机场T3航站楼", 10, 0, 20),
    ("厦门北站", 23, 0, 15), ("厦门站", 4, 0, 10), ("火炬高新区", 9, 0, 0), ("自贸片区管委会", 12, 0, 0),
    ("翔安新机场建设指挥部", 45, 0, 0), ("厦门科学城", 28, 0, 0), ("同安区军营村", 52, 0, 0),
    ("漳州市政府", 62, 35, 0), ("泉州市政府", 98, 55, 10), ("福建省人民政府（福州）", 285, 175, 30),
    ("市应急指挥中心", 6, 0, 0), ("海沧港区", 21, 0, 0), ("东部体育会展新城", 34, 0, 0),
]
VEHICLE_REASONS = [
    "陪同{leader}赴{place}调研", "送{division}同志赴{place}参加会议", "赴{place}送达紧急公文",
    "接送来宾往返{place}", "{division}赴{place}开展督查检查", "赴{place}对接工作", "接{leader}往返{place}",
]
ROOM_REASONS = [
    ("召开市政府专题会议，研究{topic}工作", (15, 40), False),
    ("召开全市{topic}工作视频会议", (40, 80), False),
    ("市政府办公厅党组理论学习中心组学习", (15, 25), False),
    ("{division}工作例会", (8, 20), False),
    ("接待来宾座谈交流", (15, 35), False),
    ("全市政务信息工作业务培训", (40, 100), False),
    ("12345热线工作联席会议", (20, 35), False),
    ("机关党委主题党日活动", (30, 60), False),
    ("{division}业务学习", (8, 18), False),
    ("召开保密工作专题会议", (10, 20), True),
    ("传达学习上级涉密文件", (8, 18), True),
]
TOPICS = ["防汛防台风", "优化营商环境", "岛内大提升", "城中村改造", "金砖创新基地建设", "安全生产", "跨岛发展",
          "12345热线办理质量提升", "重大项目建设", "民生实事项目推进"]
SLOTS = [((8, 30), (10, 0)), ((9, 0), (11, 30)), ((9, 30), (12, 0)), ((10, 0), (11, 30)), ((14, 30), (17, 30)),
         ((15, 0), (17, 0)), ((14, 30), (16, 0)), ((9, 0), (17, 30))]
NEEDS = ["茶水", "投影", "无线话筒4支", "桌签", "视频会议终端调试", "会议录音", "会场引导", "横幅", "笔记本和笔",
         "电子屏显示会议名称"]
REPAIRS = [
    ("空调不制冷", "空调"), ("空调漏水", "空调"), ("办公室门锁损坏", "门锁"), ("卫生间水龙头漏水", "给排水"),
    ("灯管不亮，需更换", "照明"), ("打印机卡纸、无法打印", "打印机"), ("会议室投影仪无信号", "投影仪"),
    ("办公椅气压杆损坏", "家具"), ("窗户合页松动，关不严", "门窗"), ("墙面渗水发霉", "土建"),
    ("电源插座跳闸", "电气"), ("饮水机不出热水", "饮水机"), ("文件柜抽屉卡死", "家具"), ("电话机无拨号音", "电话"),
]
REPAIRERS = {"打印机": "设备维保公司", "投影仪": "设备维保公司", "电话": "电信维护班"}
SUPPLIES = [
    # (article, spec, unit, opening stock, restock, usual quantity range)
    ("A4复印纸", "70g 500张/包", "包", 600, 500, (5, 30)),
    ("A3复印纸", "70g 500张/包", "包", 100, 100, (1, 5)),
    ("中性笔", "0.5mm 黑色", "支", 800, 600, (10, 50)),
    ("中性笔芯", "0.5mm 黑色 20支/盒", "盒", 200, 200, (2, 10)),
    ("文件夹", "A4 双强力夹", "个", 300, 300, (5, 20)),
    ("档案盒", "A4 55mm 牛皮纸", "个", 400, 400, (10, 50)),
    ("笔记本", "B5 80页", "本", 500, 400, (5, 30)),
    ("订书机", "12号", "个", 40, 30, (1, 3)),
    ("订书钉", "24/6 1000枚/盒", "盒", 200, 200, (2, 10)),
    ("硒鼓", "HP CF228A", "个", 30, 30, (1, 3)),
    ("墨盒", "佳能 PG-845 黑色", "个", 20, 20, (1, 2)),
    ("便利贴", "76×76mm", "本", 300, 300, (5, 20)),
    ("公文袋", "A4 牛皮纸", "个", 600, 500, (20, 100)),
    ("信封", "5号 白色 100个/包", "包", 100, 100, (1, 5)),
    ("长尾夹", "32mm 12个/盒", "盒", 150, 150, (2, 8)),
    ("电池", "5号 碱性 4节/卡", "卡", 100, 100, (2, 6)),
]
OTHER_REASONS = ["会场绿植摆放", "搬运办公家具", "桶装水配送", "办公室保洁", "节日会场布置", "档案室除湿消杀"]


def _request_status(rng, start: dt.datetime, end: dt.datetime, today: dt.date) -> str:
    if start.date() > today:
        return rng.choice(["SUBMITTED", "SUBMITTED", "APPROVED", "APPROVED", "ASSIGNED"])
    if end.date() >= today:
        return "IN_PROGRESS"
    roll = rng.random()
    if roll < 0.04:
        return "REJECTED"
    if roll < 0.10:
        return "CANCELLED"
    if (today - end.date()).days <= 5:
        return "DONE"
    return "RATED" if roll < 0.70 else "DONE"


def _rating(rng) -> str:
    return rng.choice(["MANYI"] * 8 + ["JIBEN", "JIBEN", "BUMANYI"])


class _Logistics:
    def __init__(self, ctx, today, fleet, rooms, counts):
        self.ctx, self.s, self.rng, self.today, self.counts = ctx, ctx.session, ctx.rng, today, counts
        staff = [p for p in ctx.data.get("staff") or [] if p.status in ("ZAIZHI", "JIEDIAO", "GUAZHI")]
        self.staff = staff or list(ctx.data.get("staff") or [])
        division = ctx.data.get("division") or {}
        admin = division.get("行政处")
        admin_staff = [p for p in self.staff if p.department is admin] or self.staff
        self.approvers = [p.name for p in admin_staff[:3]] or ["行政处"]
        self.workers = [p.name for p in admin_staff]
        drivers = [p for p in self.staff if p.category == "GONGQIN"] or admin_staff
        self.leaders = ctx.data.get("leaders") or ["张市长"]
        self.fleet = [v for v in fleet if v.status != "RETIRED"]
        self.driver_of = {id(v): self.rng.choice(drivers) for v in self.fleet} if drivers else {}
        self.odometer = {id(v): (2026 - v.purchase_date.year) * self.rng.randrange(11000, 17000)
                         + self.rng.randrange(1000, 9000) for v in self.fleet}
        self.busy_until = {id(v): dt.datetime.min for v in self.fleet}
        self.repair_vehicle = next((v for v in fleet if v.status == "IN_REPAIR"), None)
        self.rooms = rooms
        self.room_busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {id(r): [] for r in rooms}
        self.stock = {name: opening for name, _spec, _unit, opening, _re, _q in SUPPLIES}

    # --- one request per call -------------------------------------------------------------------
    def _request(self, rtype, start, end, reason, applicant=None) -> LogisticsRequest:
        applicant = applicant or self.rng.choice(self.staff)
        status = _request_status(self.rng, start, end, self.today)
        req = LogisticsRequest(request_type=rtype, applicant=applicant, department=applicant.department,
                               reason=reason, start_at=start, end_at=end, status=status)
        if status != "SUBMITTED":
            req.approver = self.rng.choice(self.approvers)
        if status == "RATED":
            req.rating = _rating(self.rng)
        if status == "REJECTED":
            req.remark = self.rng.choice(["与已批准的安排冲突，请调整时间后重新申请。", "不符合公务用车使用范围。",
                                          "请通过部门预算自行采购。"])
        elif status == "CANCELLED":
            req.remark = "申请人撤回。"
        self.s.add(req)
        self.counts["LogisticsRequest"] += 1
        return req

    def vehicle(self, day: dt.date) -> None:
        rng = self.rng
        place, km, toll, parking = rng.choice(DESTINATIONS)
        hour = rng.choice((7, 8, 9, 10, 13, 14, 15))
        start = dt.datetime.combine(day, dt.time(hour, rng.choice((0, 15, 30))))
        hours = max(1.5, km / 25 + rng.choice((1, 1.5, 2, 3)))
        end = start + dt.timedelta(minutes=int(hours * 60 / 15) * 15)
        applicant = rng.choice(self.staff)
        unit = applicant.department.name_zh if applicant.department is not None else "办公厅"
        reason = rng.choice(VEHICLE_REASONS).format(leader=rng.choice(self.leaders), place=place, division=unit)
        req = self._request("YONGCHE", start, end, reason, applicant)
        if req.status in ("SUBMITTED", "APPROVED", "REJECTED") or (req.status == "CANCELLED" and rng.random() < 0.5):
            return
        cars = [v for v in self.fleet if self.busy_until[id(v)] <= start
                and not (v is self.repair_vehicle and day >= dt.date(2026, 11, 10))]
        if not cars:
            req.status, req.remark = "CANCELLED", "当日无可派车辆，申请人改乘公共交通。"
            req.rating = None
            return
        car = rng.choice(cars)
        self.busy_until[id(car)] = end
        passengers = "、".join([applicant.name] + [rng.choice(self.staff).name for _ in range(rng.randrange(0, 3))])
        d = VehicleDispatch(request=req, vehicle=car, driver=self.driver_of.get(id(car)), passengers=passengers,
                            route=f"市政府西楼—{place}—市政府西楼")
        if req.status in ("IN_PROGRESS", "DONE", "RATED"):
            self.odometer[id(car)] += rng.randrange(0, 60)  # unlogged kilometres (refuelling, car wash)
            d.odometer_out = self.odometer[id(car)]
        if req.status in ("DONE", "RATED"):
            distance = 2 * km + rng.randrange(0, 12)
            self.odometer[id(car)] += distance
            d.odometer_in = self.odometer[id(car)]
            per_km = 0.12 if car.model_name.endswith("EV") else (0.45 if car.seats and car.seats >= 20 else 0.6)
            d.fuel_cost = _money(distance * per_km)
            d.toll_cost = _money(2 * toll) if toll else None
            d.parking_cost = _money(parking) if parking else None
        self.s.add(d)
        self.counts["VehicleDispatch"] += 1

    def room(self, day: dt.date) -> None:
        rng = self.rng
        template, (low, high), secure = rng.choice(ROOM_REASONS)
        applicant = rng.choice(self.staff)
        unit = applicant.department.name_zh if applicant.department is not None else "办公厅"
        reason = template.format(topic=rng.choice(TOPICS), division=unit)
        attendees = rng.randint(low, high)
        for _ in range(12):
            (h1, m1), (h2, m2) = rng.choice(SLOTS)
            start = dt.datetime.combine(day, dt.time(h1, m1))
            end = dt.datetime.combine(day, dt.time(h2, m2))
            fits = [r for r in self.rooms if r.capacity >= attendees and r.is_secure_room == secure
                    and not (r.status == "MAINTENANCE" and day >= dt.date(2026, 11, 1))
                    and all(end <= a or start >= b for a, b in self.room_busy[id(r)])]
            if fits:
                # the smallest room that fits, as the Administration Division assigns them
                fits.sort(key=lambda r: r.capacity)
                room = fits[0] if rng.random() < 0.7 else rng.choice(fits)
                break
        else:
            return
        req = self._request("HUIYISHI", start, end, reason, applicant)
        if req.status not in ("REJECTED", "CANCELLED"):
            self.room_busy[id(room)].append((start, end))
        needs = "、".join(rng.sample(NEEDS, rng.randrange(1, 4)))
        if secure:
            needs = "会前保密检查、手机集中存放"
        self.s.add(RoomBooking(request=req, meeting_room=room, attendees=attendees, needs=needs))
        self.counts["RoomBooking"] += 1

    def repair(self, day: dt.date) -> None:
        rng = self.rng
        fault, kind = rng.choice(REPAIRS)
        building = rng.choice(("西楼", "西楼", "东楼"))
        floor = rng.randrange(1, 7)
        location = (f"{building}{floor}楼{floor}{rng.randrange(1, 30):02d}室"
                    if kind not in ("投影仪",) else f"{building}{floor}楼会议室")
        start = dt.datetime.combine(day, dt.time(rng.randrange(8, 17), rng.choice((0, 10, 20, 30, 40, 50))))
        end = start + dt.timedelta(days=rng.choice((1, 1, 2, 3)))
        req = self._request("WEIXIU", start, end, f"{location}{fault}")
        if req.status in ("REJECTED",):
            return
        company = REPAIRERS.get(kind)
        assignee = f"{company} {person_name(rng)}" if company else \
            (f"物业维修班 {rng.choice(self.workers) if self.workers else person_name(rng)}")
        order = RepairOrder(request=req, location=location, fault=fault)
        if req.status in ("ASSIGNED", "IN_PROGRESS", "DONE", "RATED"):
            order.assignee = assignee
        if req.status in ("DONE", "RATED"):
            order.finished_at = start + dt.timedelta(hours=rng.choice((1, 2, 3, 4, 6, 20, 26, 48)))
            if req.status == "RATED":
                order.rating = req.rating
        self.s.add(order)
        self.counts["RepairOrder"] += 1

    def supplies(self, day: dt.date) -> None:
        rng = self.rng
        start = dt.datetime.combine(day, dt.time(rng.choice((9, 10, 14, 15, 16)), rng.choice((0, 30))))
        end = start + dt.timedelta(minutes=rng.choice((30, 60)))
        applicant = rng.choice(self.staff)
        unit = applicant.department.name_zh if applicant.department is not None else "办公厅"
        what = rng.choice(["领用办公用品", "补充日常办公耗材"])
        req = self._request("LINGYONG", start, end, f"{unit}{what}", applicant)
        issued = req.status in ("IN_PROGRESS", "DONE", "RATED")
        for article, spec, unit_name, _opening, restock, (low, high) in rng.sample(SUPPLIES, rng.randrange(1, 5)):
            quantity = rng.randint(low, high)
            issue = SupplyIssue(request=req, item=article, spec=spec, unit=unit_name, quantity=quantity)
            if issued:
                while self.stock[article] < quantity:
                    self.stock[article] += restock
                    issue.remark = "库存不足，补库后发放。"
                self.stock[article] -= quantity
                issue.stock_after = self.stock[article]
            self.s.add(issue)
            self.counts["SupplyIssue"] += 1

    def other(self, day: dt.date) -> None:
        start = dt.datetime.combine(day, dt.time(self.rng.choice((8, 9, 14)), 0))
        self._request("QITA", start, start + dt.timedelta(hours=self.rng.choice((2, 3, 4))),
                      self.rng.choice(OTHER_REASONS))


# --- Meetings in the office's rooms -----------------------------------------------------------------
#: The office's own venues the meetings seeder names (app/demo/meetings.py), and the room each one is.
MEETING_ROOMS = {"市政府第一会议室（西楼四楼）": "第一会议室", "市政府第二会议室（西楼三楼）": "第二会议室",
                 "市政府常务会议室": "常务会议室", "市行政中心第五会议室": "第五会议室",
                 "市政府西楼三楼视频会议室": "视频会议室"}


def _free(busy: list, start: dt.datetime, end: dt.datetime) -> bool:
    return all(end <= a or start >= b for a, b in busy)


def _book_meetings(ctx, today, rooms, counts) -> dict[int, list]:
    """Meetings held in the office's rooms book them: the meeting names its room instead of a typed
    venue, and saving it makes its room booking (models/meetings.py `book_room`); a classified meeting
    goes to a secure room; a meeting whose room is taken at its time, a cancelled one and those held
    outside keep their typed venue. The Administration Division has worked the bookings of meetings
    already held. Returns the times each room is held, for the other bookings to avoid."""
    rng, session = ctx.rng, ctx.session
    by_name = {r.name: r for r in rooms}
    secure = [r for r in rooms if r.is_secure_room and r.status == "AVAILABLE"]
    busy: dict[int, list] = {id(r): [] for r in rooms}
    booked = []
    for meeting in ctx.data.get("meetings") or []:
        name = MEETING_ROOMS.get(meeting.venue or "")
        if name is None or meeting.status == "CANCELLED" or not (meeting.start_at and meeting.end_at):
            continue
        start, end = meeting.start_at, meeting.end_at
        choices = secure if meeting.secrecy_level in ("MIMI", "JIMI", "JUEMI") else [by_name[name]]
        room = next((r for r in choices if _free(busy[id(r)], start, end)), None)
        if room is None:
            continue
        meeting.meeting_room, meeting.venue = room, None
        busy[id(room)].append((start, end))
        booked.append(meeting)
    session.flush()                      # book_room: each meeting's request and booking
    staff = [p for p in ctx.data.get("staff") or [] if p.status in ("ZAIZHI", "JIEDIAO", "GUAZHI")]
    division = ctx.data.get("division") or {}
    admin = division.get("行政处")
    approvers = [p.name for p in staff if p.department is admin][:3] or ["行政处"]
    for meeting in booked:
        request = meeting.room_request
        if request is None:
            continue
        organisers = [p for p in staff if meeting.organizer is not None and p.department is meeting.organizer]
        request.applicant = rng.choice(organisers or staff) if (organisers or staff) else None
        request.approver = rng.choice(approvers)
        if meeting.end_at.date() < today:
            request.status = rng.choice(["DONE", "RATED", "RATED"])
            request.rating = _rating(rng) if request.status == "RATED" else None
        elif meeting.start_at.date() <= today:
            request.status = "IN_PROGRESS"
        elif (meeting.start_at.date() - today).days <= 7:
            request.status = "ASSIGNED"
        counts["LogisticsRequest"] += 1
        counts["RoomBooking"] += 1
    session.flush()
    return busy


def _seed_logistics(ctx, today, fleet, rooms, counts, held: dict | None = None) -> None:
    rng = ctx.rng
    maker = _Logistics(ctx, today, fleet, rooms, counts)
    for key, spans in (held or {}).items():
        maker.room_busy.setdefault(key, []).extend(spans)
    if not maker.staff:
        return
    total = ctx.n(600)
    kinds = ["vehicle"] * 40 + ["room"] * 30 + ["repair"] * 15 + ["supplies"] * 13 + ["other"] * 2
    plan = sorted((_workday(date_between(rng, FIRST_DAY, LAST_DAY)), rng.choice(kinds)) for _ in range(total))
    for day, kind in plan:
        getattr(maker, kind)(day)


def seed(ctx) -> dict[str, int]:
    today = today_cn()
    counts = dict.fromkeys(("Reception", "GuestMember", "Vehicle", "MeetingRoom", "LogisticsRequest",
                            "VehicleDispatch", "RoomBooking", "RepairOrder", "SupplyIssue"), 0)
    _seed_receptions(ctx, today, counts)
    fleet = _seed_fleet(ctx, counts)
    rooms = _seed_rooms(ctx, counts)
    ctx.session.flush()
    held = _book_meetings(ctx, today, rooms, counts)
    _seed_logistics(ctx, today, fleet, rooms, counts, held)
    ctx.session.flush()
    ctx.data.update(vehicles=fleet, meeting_rooms=rooms)
    return counts
