"""Money amounts written in a complaint, in fen: 2699买的, ¥1,299.00, 两千三, 一万二, 八百多, 2.3万.

A bare Arabic number is money only with a money marker (¥, 元, 块, 买的, 花了...) or 万/千, so
order numbers, phone numbers, dates and durations (48小时, 5天) are never read as amounts. Chinese
numerals count when they have a magnitude (百, 千, 万) or a money unit, and are not followed by a
counter of something else (一千多个好评, 两万公里). Approximate amounts (八百多) give the floor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an


@dataclass(frozen=True)
class Amount:
    text: str
    fen: int
    start: int
    end: int

    @property
    def yuan_text(self) -> str:
        return format_yuan(self.fen)


def format_yuan(fen: int) -> str:
    """259900 -> "2599元", 129950 -> "1299.5元"."""
    yuan = Decimal(fen) / 100
    text = f"{yuan:.2f}".rstrip("0").rstrip(".")
    return f"{text}元"


_MONEY_UNIT = r"(?:块钱|块|元|rmb|人民币|大洋)"
_ARABIC = re.compile(
    rf"(?P<cur>[¥￥]\s*)?(?<![\d.])(?<!\d,)(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d{{1,9}})(?:\.(?P<dec>\d{{1,2}}))?"
    rf"(?![\d.]\d)\s*(?P<mag>万|w|千|k)?(?P<rest>\d(?!\d))?\s*(?P<unit>{_MONEY_UNIT})?",
    re.IGNORECASE,
)
_CN_DIGITS = "零一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾"
_CN_NUMBER = re.compile(
    rf"(?P<num>[{_CN_DIGITS}几][{_CN_DIGITS}百千万亿佰仟]*)(?P<approx>多|几|来|余)?"
    rf"\s*(?P<unit>{_MONEY_UNIT})?"
)
# After a number these mean it counts something else, or is a time or a date.
_OTHER_UNIT = re.compile(
    r"\s*(?:个|件|次|遍|回|天|小时|分钟|钟|号|年|月|日|周|星期|斤|公斤|克|千克|米|厘米|毫米|公里|"
    r"毫安|mah|度|人|条|页|字|瓶|盒|包|台|双|套|张|层|楼|岁|倍|分|秒|寸|升|毫升|瓦|伏|箱|袋|支|只|"
    r"本|部|辆|份|单|位|种|款|家|码|g|kg|ml|cm|mm|w\b|%|％)",
    re.IGNORECASE,
)
_BUY_AFTER = re.compile(r"\s*(?:买的|买了|买来|入手|拍的|拍下|下单|到手|的价格|的东西|多的)")
_PRICE_BEFORE = re.compile(
    r"(?:花了|花|买了|付了|付款|实付|支付了?|价格|价钱|售价|标价|原价|现价|到手价|价值|值|退|赔|一共|总共|共)\s*$"
)
# "2999的耳机": a bare three-to-five digit number before 的 is a price.
_PRICE_TAG = re.compile(r"的(?![\d一二两三四五六七八九十])")
# Idioms and hotlines that hold numerals but no money: blanked out before reading.
_IDIOMS = re.compile(
    r"(?<!\d)12315(?!\d)|十万火急|千辛万苦|千真万确|百分之|百分百|(?<![一二两三四五六七八九十百])千万"
    r"|(?<![一二两三四五六七八九十百千])万一|万万"
)
_MAGNITUDE = {"万": 10000, "w": 10000, "千": 1000, "k": 1000}


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in the text, in reading order."""
    scan = _IDIOMS.sub(lambda match: " " * len(match.group(0)), text)
    found = [*_arabic_amounts(scan, text), *_chinese_amounts(scan, text)]
    return sorted(found, key=lambda amount: amount.start)


def amounts_fen(text: str) -> list[int]:
    return [amount.fen for amount in find_amounts(text)]


def _arabic_amounts(scan: str, text: str) -> list[Amount]:
    amounts = []
    for match in _ARABIC.finditer(scan):
        mag = (match.group("mag") or "").lower()
        after = scan[match.end() :]
        has_marker = bool(
            match.group("cur")
            or (_PRICE_TAG.match(after) and 3 <= len(match.group("num")) <= 5)
            or match.group("unit")
            or mag == "万"
            or _BUY_AFTER.match(after)
            or _PRICE_BEFORE.search(scan[max(0, match.start() - 4) : match.start()])
        )
        if not has_marker or (not match.group("unit") and _OTHER_UNIT.match(after)):
            continue
        try:
            value = Decimal(match.group("num").replace(",", ""))
            if match.group("dec"):
                value += Decimal(f"0.{match.group('dec')}")
        except InvalidOperation:
            continue
        if mag:
            value *= _MAGNITUDE[mag]
            if match.group("rest"):
                value += int(match.group("rest")) * _MAGNITUDE[mag] // 10
        end = match.end()
        while end > match.start() and scan[end - 1].isspace():
            end -= 1
        amounts.append(_amount(text, match.start(), end, value))
    return amounts


def _chinese_amounts(scan: str, text: str) -> list[Amount]:
    amounts = []
    for match in _CN_NUMBER.finditer(scan):
        number = match.group("num")
        has_magnitude = any(char in "百千万亿佰仟" for char in number)
        after = scan[match.end() :]
        if not (match.group("unit") or has_magnitude):
            continue
        if not match.group("unit") and _OTHER_UNIT.match(after):
            continue
        if match.start() > 0 and scan[match.start() - 1] in "第周星":
            continue
        if number.startswith("几"):
            number = "一" + number[1:]
        value = _cn_value(number.rstrip("几"))
        if value is None or value <= 0:
            continue
        amounts.append(_amount(text, match.start(), match.end(), value))
    return amounts


def _cn_value(number: str) -> Decimal | None:
    try:
        return Decimal(str(cn2an.cn2an(number, "smart")))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        return None


def _amount(text: str, start: int, end: int, yuan: Decimal) -> Amount:
    return Amount(text[start:end], int((yuan * 100).to_integral_value()), start, end)
