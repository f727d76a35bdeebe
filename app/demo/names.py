"""Building blocks for realistic Chinese demo names, numbers and dates."""

from __future__ import annotations

import datetime as dt
import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严洪"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁"
    "晨阳颖琳欣怡婷雪慧倩婧瑶佳思嘉文斌志国海峰建立永新春晓光荣成林东雨泽睿博航鑫"
)
XIAMEN_STREETS = {
    "350203": ["鹭江街道", "厦港街道", "中华街道", "嘉莲街道", "筼筜街道", "梧村街道", "开元街道", "莲前街道"],
    "350205": ["海沧街道", "新阳街道", "嵩屿街道", "东孚街道"],
    "350206": ["湖里街道", "殿前街道", "禾山街道", "江头街道", "金山街道"],
    "350211": ["集美街道", "侨英街道", "杏林街道", "杏滨街道", "后溪镇", "灌口镇"],
    "350212": ["大同街道", "祥平街道", "西柯街道", "新民镇", "五显镇", "洪塘镇"],
    "350213": ["新店街道", "金海街道", "香山街道", "马巷街道", "内厝镇", "大嶝街道"],
}
ROADS = [
    "湖滨北路",
    "湖滨南路",
    "厦禾路",
    "嘉禾路",
    "仙岳路",
    "莲前西路",
    "环岛路",
    "海沧大道",
    "集美大道",
    "同集路",
    "翔安南路",
    "吕岭路",
    "枋湖路",
    "金尚路",
    "思明南路",
    "中山路",
    "长青路",
    "鹭江道",
]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def mobile(rng: random.Random) -> str:
    return (
        rng.choice(("138", "139", "135", "136", "137", "150", "151", "158", "159", "186", "188", "189"))
        + f"{rng.randrange(10**8):08d}"
    )


def id_card(rng: random.Random, birth: dt.date, gender: str, region: str = "350203") -> str:
    body = f"{region}{birth:%Y%m%d}{rng.randrange(100):02d}{(rng.randrange(5) * 2 + (1 if gender == '1' else 0))}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(a) * b for a, b in zip(body, weights, strict=True)) % 11]
    return body + check


def address(rng: random.Random) -> str:
    return f"厦门市{rng.choice(ROADS)}{rng.randrange(1, 999)}号"


def date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def datetime_on(rng: random.Random, day: dt.date, start_hour: int = 8, end_hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randrange(start_hour, end_hour), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
    )
