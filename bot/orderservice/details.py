"""What a buyer's words give for an order-service request. Pure, on normalised text.

Each reader returns None when the words do not say it, so the form asks only for what is
missing: "公司的，抬头杭州小禾科技有限公司，税号91330106MA2C..." fills the title and the tax
number in one message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import normalize

PERSONAL = "个人"

# A unified social credit code is 18 letters and digits; older tax numbers 15 or 20 digits.
# Order numbers are 16-20 digits, so an all-digit match counts only when asked for it.
_TAX_NUMBER = re.compile(r"(?<![0-9a-z])([0-9a-z]{15,20})(?![0-9a-z])")
_COMPANY = re.compile(
    r"([\u4e00-\u9fff a-z0-9()（）·]{2,40}?"
    r"(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|工作室|事务所|研究院|研究所|医院"
    r"|学校|大学|学院|中心|商行|经营部|门市部|厂|店))"
)
# Words that lead into the company name and are not part of it.
_TITLE_LEAD = re.compile(r"^.*?(?:抬头(?:是|写|为|开|填)?|开给|开成|写成|名称是?|单位是?)[:： ]*")
_PERSONAL_WORDS = ("个人", "私人", "自己的名字", "写我名字", "我的名字", "不要单位", "不是公司")
_COMPANY_WORDS = ("公司", "单位", "企业")
# A person's name as the title (张伟): two to four Chinese characters and nothing else.
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_NOT_A_NAME = (
    "个人",
    "公司",
    "单位",
    "发票",
    "抬头",
    "没有",
    "不用",
    "不要",
    "好的",
    "知道",
    "谢谢",
)
_VAT_SPECIAL_WORDS = ("专票", "专用发票", "增值税专用")
_FIX_WORDS = ("作废", "红冲", "冲红", "开错", "重开", "重新开", "改抬头", "换抬头", "改税号")

_CHANGE_WHAT = (
    ("address", ("地址", "收货地", "送到", "寄到", "改派")),
    ("phone", ("电话", "手机号", "号码")),
    ("recipient", ("收件人", "收货人", "名字")),
    ("delivery_time", ("时间", "日期", "号送", "周末", "下周", "明天", "后天", "晚点送", "延迟")),
    ("spec", ("颜色", "尺码", "码", "规格", "型号", "款式", "大小", "数量")),
)
CHANGE_LABELS = {
    "address": "收货地址",
    "phone": "联系电话",
    "recipient": "收件人",
    "delivery_time": "送货时间",
    "spec": "商品规格",
}
# What comes after these is the new value: 改成黑色 / 地址换成杭州市... / 改到下周三.
_NEW_VALUE = re.compile(
    r"(?:改成|改为|换成|换为|改到|改去|送到|寄到|变成|地址是|新地址|应该是|要)[:： ]*(.{1,80})"
)


@dataclass(frozen=True)
class InvoiceRequest:
    title: str | None = None  # 个人 or a company name
    wants_company: bool = False  # said 公司/单位 without naming it yet
    tax_number: str | None = None
    vat_special: bool = False
    fix: bool = False  # void, re-issue or correct an invoice already issued


def read_invoice(text: str, tax_number_asked: bool = False) -> InvoiceRequest:
    plain = normalize(text)
    company = _company_name(plain)
    if company is not None:
        # normalize() keeps every position: the name as the buyer typed it (ABC Trading).
        start = plain.find(company)
        company = text[start : start + len(company)]
    personal = company is None and any(word in plain for word in _PERSONAL_WORDS)
    return InvoiceRequest(
        title=PERSONAL if personal else company or person_title(plain),
        wants_company=company is not None or any(word in plain for word in _COMPANY_WORDS),
        tax_number=tax_number(plain, tax_number_asked),
        vat_special=any(word in plain for word in _VAT_SPECIAL_WORDS),
        fix=any(word in plain for word in _FIX_WORDS),
    )


def tax_number(text: str, asked: bool = False) -> str | None:
    for match in _TAX_NUMBER.finditer(normalize(text)):
        value = match.group(1)
        if value.isdigit() and not asked:
            continue  # most likely an order number
        if sum(char.isdigit() for char in value) >= 8:
            return value.upper()
    return None


def is_company(title: str | None) -> bool:
    """A company title needs a tax number; 个人 or a person's name does not."""
    return title is not None and title != PERSONAL and not _PERSON_NAME.match(title)


def person_title(text: str, asked: bool = False) -> str | None:
    """抬头写张伟, or 张伟 alone when the title was asked for: a person's name as the title."""
    plain = normalize(text).strip(" ,，。.!！~～")
    words = _TITLE_LEAD.sub("", plain)
    led = words != plain
    if (led or asked) and _PERSON_NAME.match(words) and not any(w in words for w in _NOT_A_NAME):
        return words
    return None


# Words of a sentence, not of a name: 要公司的 / 哦不对 要公司 / 开给公司 name no company.
_NOT_IN_A_NAME = re.compile(
    r"[要是开给的不对哦吧呢了我你他她就还也想用] ?(?:公司|单位|企业)|^[开要是给]"
)


def _names_a_company(name: str) -> bool:
    return len(name) > 3 and not _NOT_IN_A_NAME.search(name)


def _company_name(plain: str) -> str | None:
    for clause in re.split(r"[,，。;；!！?？\n]", plain):
        match = _COMPANY.search(_TITLE_LEAD.sub("", clause))
        if match and _names_a_company(match.group(1).strip()):
            return match.group(1).strip()
    return None


@dataclass(frozen=True)
class ChangeRequest:
    what: str | None  # a CHANGE_LABELS key
    new_value: str | None  # the buyer's words for the new value


def read_change(text: str) -> ChangeRequest:
    plain = normalize(text)
    what = next((key for key, words in _CHANGE_WHAT if any(w in plain for w in words)), None)
    match = _NEW_VALUE.search(plain)
    # normalize() keeps every position: the value is cut from what the buyer typed (L码, not l码).
    value = text[match.start(1) : match.end(1)].strip(" ,，。.!！~～") if match else None
    if value and what is None:
        what = next((key for key, words in _CHANGE_WHAT if any(w in value for w in words)), None)
    return ChangeRequest(what, value or None)
