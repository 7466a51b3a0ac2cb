"""Realistic Chinese people, places and retail customers, deterministic from a seeded ``Random``.

The benchmarks need data that looks like a province's paperwork: two- and three-character
names drawn with common surnames, retail shops named the way Chinese shops are, customer
codes of twelve digits that begin with zeros (so that any reader turning them into numbers
is caught), and street addresses of real districts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# The hundred-odd commonest surnames, most frequent first (a weighted draw favours the front).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉斌波宇浩凯"
    "健俊峰建国红梅志文海燕雪琳晨欣怡轩涵诺然萱远博豪婷慧颖"
)

# (city, district, the district's administrative code)
DISTRICTS = (
    ("长沙市", "芙蓉区", "430102"), ("长沙市", "天心区", "430103"), ("长沙市", "岳麓区", "430104"),
    ("长沙市", "开福区", "430105"), ("长沙市", "雨花区", "430111"), ("长沙市", "望城区", "430112"),
    ("长沙市", "长沙县", "430121"), ("长沙市", "浏阳市", "430181"), ("长沙市", "宁乡市", "430182"),
    ("株洲市", "荷塘区", "430202"), ("湘潭市", "雨湖区", "430302"), ("衡阳市", "蒸湘区", "430408"),
)
ROADS = (
    "五一大道", "芙蓉中路", "解放西路", "韶山北路", "人民东路", "劳动西路", "万家丽路", "湘江中路",
    "黄兴南路", "蔡锷北路", "车站北路", "东风路", "营盘路", "麓山南路", "金星北路", "开元东路",
    "建设北路", "书院路", "白沙路", "曙光中路",
)
PARTS = ("东片", "西片", "南片", "北片", "中片", "城区", "城郊")
SHOP_WORDS = (
    "惠民", "鑫源", "福满多", "好又多", "兴旺", "顺发", "佳佳", "万家", "德隆", "金盛", "和顺", "利民",
    "便利", "万福", "祥云", "宏达", "新华", "同心", "聚福", "旺角",
)
SHOP_KINDS = ("便利店", "烟酒行", "超市", "副食店", "商行", "烟酒店", "食杂店", "便民店")
NOTES = (
    "价签已更换", "陈列整齐，无违规", "库存充足，建议补订中支烟", "客户反映新品动销较快",
    "传达本月货源投放政策", "提醒按明码标价销售", "协助调整柜台陈列", "客户询问电话订货时间",
    "核对库存，建议减少滞销品规订购", "检查价格执行，未发现高价销售", "收集竞争品牌陈列信息",
)


@dataclass(frozen=True, slots=True)
class Customer:
    """A licensed retail customer of the company."""

    code: str
    name: str
    owner: str
    address: str


def person(rng: random.Random) -> str:
    """Return a Chinese full name of two or three characters."""
    surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return surname + given


def area(rng: random.Random) -> tuple[str, str]:
    """Return a district's administrative code and a manager's area in it, e.g. ``芙蓉区东片``."""
    _, district, code = rng.choice(DISTRICTS)
    return code, district + rng.choice(PARTS)


def address(rng: random.Random, district_code: str) -> str:
    """Return a street address in the district with that administrative code."""
    city, district = next((c, d) for c, d, code in DISTRICTS if code == district_code)
    return f"{city}{district}{rng.choice(ROADS)}{rng.randint(1, 399)}号"


def shop_name(rng: random.Random, owner: str) -> str:
    """Return a shop name: the owner's surname, a lucky word or a road, and the kind of shop."""
    draw = rng.random()
    if draw < 0.3:
        prefix = owner[0] + "记"
    elif draw < 0.85:
        prefix = rng.choice(SHOP_WORDS)
    else:
        prefix = rng.choice(ROADS)[:2]
    return prefix + rng.choice(SHOP_KINDS)


def customers(rng: random.Random, district_code: str, count: int) -> list[Customer]:
    """Return ``count`` customers of one district with distinct twelve-digit codes starting ``00``."""
    first = rng.randrange(1, 900_000 - count)
    result = []
    for seq in range(first, first + count):
        owner = person(rng)
        code = f"00{district_code[2:]}{seq:06d}"
        result.append(Customer(code, shop_name(rng, owner), owner, address(rng, district_code)))
    return result


def note(rng: random.Random, customer: Customer) -> str | None:
    """Return what a manager writes in the visit's record, often nothing."""
    draw = rng.random()
    if draw < 0.45:
        return None
    if draw < 0.5:
        return f"门店地址核对：{customer.address}"
    return rng.choice(NOTES)
