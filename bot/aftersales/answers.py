"""What a buyer's short answer means when the bot has just asked an after-sales question.

Inside a flow the question decides how an answer is read: 不想要了 answers "why", 换货 answers
"which service", 没有 answers "any photos". The NLU intent of such a short message is often
something else (不想要了 looks like cancel_order), so the form's validator reads the words
here, with plain rules a newcomer can check, and only falls back to the intent when they
say nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.service_words import service_type_of
from bot.text import normalize

# Reasons as patterns, tried in this order: the more specific fault first (赠品没收到 is a
# missing item, not a lost parcel), a fault before a wish (尺码不对还破了 is a fault).
_REASON_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        (
            "missing",
            r"少发|漏发|少了|少一|缺|少件|配件|赠品|空盒|空的|空包|只有一|只收到|"
            r"啥都没有|什么都没有|数量不对|没给|(说明书|遥控器|充电线|零件).{0,4}没有",
        ),
        (
            "not_received",
            r"没收到|没有收到|未收到|没拿到|不是我签|没签|被人签|冒领|妥投|"
            r"显示签收|没见着|没见到|没人送|没送到|丢了|(驿站|快递柜).{0,6}没",
        ),
        (
            "wrong_item",
            r"发错|错发|寄错|发成|寄成|搞混|不是我买的|不是我要的|不是我的|"
            r"(发|寄|来)(来|过来)?的是|寄来个|发来个|给我发的|款不对|规格不对|"
            r"颜色不对|型号不对|码数不对|尺码发",
        ),
        (
            "damaged",
            r"碎|裂|压坏|压烂|压扁|压变形|摔坏|撞坏|磕|凹|瘪|破损|烂了|洒|撒了|"
            r"漏了|漏液|变形|外包装破|盒子破|箱子破|运输|路上",
        ),
        (
            "not_as_described",
            r"描述|不一样|色差|图片|图上|照片上|实物|详情|买家秀|卖家秀|"
            r"假货|假的|高仿|仿的|不是正品|山寨|说是|号称|标题|写的是|"
            r"结果是|到手是|p图|差太多|差很多|货不对板",
        ),
        (
            "quality",
            r"质量|zhi量|坏|破|开胶|脱胶|开线|缝线|线头|做工|粗糙|掉色|褪色|掉毛|"
            r"起球|不能用|用不了|没反应|开不了机|开不机|不亮|不响|没声|杂音|噪音|"
            r"异味|味道|味儿|甲醛|臭|故障|毛病|瑕疵|断|划痕|不制冷|不加热|不保温|"
            r"充不进|充不上|不充电|死机|黑屏|花屏|卡顿|漏水|不出水|过期|发霉|变质|"
            r"哈喇|发烫|烫手|闪|接触不良|失灵|不灵|连不上|卡住|拉不上|不好用|太薄|"
            r"便宜货|次品|残次|(?<!没)问题",
        ),
        (
            "no_reason",
            r"无理由|不想要|不要了|不喜欢|不合适|不适合|不合身|尺码|码数|太大|"
            r"太小|大了|小了|偏大|偏小|太长|太短|太紧|太松|挤脚|勒|显黑|显胖|不搭|"
            r"不配|买多|买重|重复|多拍|拍错|买错|点错|选错|手滑|不需要|用不上|"
            r"用不着|有了|后悔|便宜|降价|活动价|差价|更低|不好看|不满意|丑|"
            r"个人原因|七天|7天|退了吧|不想用",
        ),
    )
)
REASON_CODES = tuple(code for code, _ in _REASON_PATTERNS)

_REFUND_ONLY = re.compile(
    r"仅退款|jin退款|只退款|只退钱|不退货|不用退货|不用寄回|不寄回|不用寄|货不用|东西不用|"
    r"(东西|货)(我)?(留着|扔了|不要了)|直接退款|退钱就好"
)
_RESEND = re.compile(r"重新发|补发|再发一个|换一个|换个|换新")
_GOODS_BACK = re.compile(
    r"退货|货.{0,2}退|退回|寄回|退掉|退(了|吧)?$|(能|要|想)退(?![款钱])|退(这|那|一)"
)
_STOP_WORDS = (
    "算了",
    "不退了",
    "不换了",
    "不修了",
    "不弄了",
    "不办了",
    "不申请了",
    "先不了",
    "先不用",
    "取消申请",
    "不用办了",
    "不取消了",
    "不想取消",
    "别取消",
    "不了不了",
    "还是不退",
    "暂时不",
    "不搞了",
    "懒得",
    "没事了",
    "不用处理",
    "撤销",
    "撤回申请",
    "东西找到了",
)
_YES_WORDS = (
    "是的",
    "是",
    "对",
    "对的",
    "确认",
    "确定",
    "好的",
    "好",
    "嗯",
    "恩",
    "可以",
    "行",
    "没问题",
    "提交",
    "ok",
    "yes",
    "要",
    "对啊",
    "没错",
    "取消吧",
    "确认取消",
    "申请吧",
)
_NO_WORDS = (
    "不是",
    "不对",
    "不用",
    "不用了",
    "不要",
    "否",
    "错了",
    "不行",
    "不确认",
    "no",
    "别",
    "取消",
)
_NOT_WORDS = re.compile(r"[^\w]+")  # punctuation, spaces and emoji
_CHANGE = re.compile(r"写错|填错|选错|搞错|改成|改一下|要改|不对")
_PHOTOS_LATER = (
    "没有照片",
    "没照片",
    "没拍",
    "没有图",
    "没图",
    "待会",
    "等会",
    "稍后",
    "晚点",
    "回头",
    "一会",
    "过会",
    "明天",
    "之后再",
    "不拍",
    "拍不了",
    "没有",
    "没",
    "晚上",
    "等下",
    "回去",
    "回家",
    "再拍",
    "再传",
    "再发",
    "不在家",
    "上班",
    "手机坏",
)
_PHOTOS_SENT = (
    "传好",
    "传了",
    "传完",
    "发了",
    "发你",
    "已上传",
    "上传了",
    "拍好",
    "发过去",
    "看图",
    "看下图",
    "图片发",
    "发的图",
    "图片收到",
    "图收到",
)
# An exchange or repair sent back (换的货发出来了吗) or, said with a cancellation, the order itself.
_SHIPMENT_WORDS = ("发出来了", "发了吗", "发了没")
_PROGRESS_WORDS = (
    "到哪",
    "进度",
    "怎么还没",
    "咋还没",
    "还没到账",
    "到账",
    "什么时候退",
    "啥时候退",
    "多久能退",
    "审核",
    "处理了吗",
    "处理得怎么样",
    "处理的怎么样",
    "退了吗",
    "退了没",
    "钱呢",
    "好了没",
    "好了吗",
    "有结果",
    "有消息",
    "取消了吗",
    "取消了没",
    "取消成功",
    "同意了吗",
    "同意没",
    "同意了没",
    "怎么样了",
    "没动静",
    "没反应",
    "发出来了",
    "发了吗",
    "发了没",
    "修好",
    "啥时候到",
    "什么时候到",
    "还要等",
    "等多久",
    "还没到",
    "还没退",
    "催一下",
    "催催",
    "有人管",
    "什么状态",
    "啥状态",
    "之前申请",
    "已经申请",
)
_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_ORDINAL = re.compile(r"第\s*([一二两三四五六七八\d])\s*[个件样款]?")
# Characters that say nothing about which item: fillers and the words of any after-sales talk.
_LATIN_OR_DIGITS = re.compile(r"[a-z0-9]+")
_FILLER = frozenset("的个那这一件款是就吧呀啊哦了嗯我要想你们退换货款钱运费谁出买修么吗呢啥什 ")
_COURIERS = (
    "顺丰",
    "中通",
    "圆通",
    "申通",
    "韵达",
    "京东",
    "极兔",
    "邮政",
    "EMS",
    "德邦",
    "百世",
    "天天",
    "宅急送",
    "菜鸟",
)
_TRACKING_NO = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{0,4}\d{9,18})(?![A-Za-z0-9])")


def _clean(text: str) -> str:
    return normalize(text).strip().lower()


def reason_of(text: str) -> str | None:
    """The after-sales reason these words give, as one of REASON_CODES, or None."""
    cleaned = _clean(text)
    for code, pattern in _REASON_PATTERNS:
        if pattern.search(cleaned):
            return code
    return None


def service_of(text: str) -> str | None:
    """The service type the words ask for (退货退款, 换货, 仅退款, 维修), or None.

    Money back is refund_only only when the words say the goods stay with the buyer; bare
    退款 / 退钱 does not say whether they go back, so it names no service (labelling rule book).
    """
    cleaned = _clean(text)
    if _REFUND_ONLY.search(cleaned):
        return "refund_only"
    service = service_type_of(cleaned)
    if service in ("repair", "exchange"):
        return service
    if _RESEND.search(cleaned):
        return "exchange"
    if service == "return_refund" and not _GOODS_BACK.search(cleaned):
        return None  # 退款 / 把钱退给我: money, but nothing about the goods
    return service


def wants_to_stop(text: str) -> bool:
    """算了 / 不退了 / 先不了: the buyer drops the flow they are in."""
    cleaned = _clean(text)
    return any(word in cleaned for word in _STOP_WORDS)


def yes_or_no(text: str) -> bool | None:
    """True for 是的/确认, False for 不用了/不对/先别, None when the words say neither."""
    cleaned = _NOT_WORDS.sub("", _clean(text))
    # Fillers around the answer carry nothing: 嗯 确认提交, 亲 好的.
    cleaned = re.sub(r"^(嗯+|恩+|亲+|哦+|那个|ok了?)(?=.)", "", cleaned) or cleaned
    if not cleaned:
        return None
    if cleaned in _YES_WORDS or re.fullmatch(r"[嗯恩]+|好+的?|是滴|对滴|ok+|yes", cleaned):
        return True
    if cleaned in _NO_WORDS or cleaned.startswith(("不", "别", "没", "先别", "等")):
        return False
    if _CHANGE.search(cleaned):
        return False  # wants to change something before it is sent
    if cleaned.startswith(("确认", "确定", "是的", "好的", "可以", "对", "提交", "没问题")):
        return True
    return None


def photos_answer(text: str) -> str | None:
    """'sent' when the buyer says the photos are up, 'later' when there are none yet."""
    cleaned = _clean(text)
    # 晚上拍了发你 is later although it says 发你: a time to come decides.
    if any(word in cleaned for word in _PHOTOS_LATER):
        return "later"
    if any(word in cleaned for word in _PHOTOS_SENT):
        return "sent"
    return None


def is_progress_question(text: str, *, cancelling: bool = False) -> bool:
    """我的退款到哪了 / 审核了吗: asks about a case already open, not for a new one.

    Asking to cancel, 发出来了 is the order's state (东西都发出来了 还能撤回吗), not a case's.
    """
    cleaned = _clean(text)
    words: tuple[str, ...] = _PROGRESS_WORDS
    if cancelling:
        words = tuple(word for word in words if word not in _SHIPMENT_WORDS)
    return any(word in cleaned for word in words)


def item_choice(
    text: str, titles: Sequence[str], prefer: Callable[[int], bool] | None = None
) -> int | None:
    """The index of the item the buyer means: 第二个, 2, or words from its title."""
    cleaned = _clean(text)
    match = _ORDINAL.search(cleaned)
    if match:
        number = match.group(1)
        index = int(number) if number.isdigit() else _ORDINALS[number]
        return index - 1 if 1 <= index <= len(titles) else None
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(titles):
        return int(cleaned) - 1
    # An answer to "which one?": one shared character is enough (袜子 ~ 运动袜三双装).
    return item_named(text, titles, at_least=1, prefer=prefer)


def item_named(
    text: str,
    titles: Sequence[str],
    at_least: int = 2,
    prefer: Callable[[int], bool] | None = None,
) -> int | None:
    """The one title that shares the most characters with the words, at least `at_least`.

    Unasked (a message that starts a flow), one character is chance (手机号换了 ~ 耳机), so the
    default takes two (耳机那单); the buyer is asked which order otherwise. Between titles
    that share as much, `prefer` may pick the one it alone prefers (冰箱那单: the fridge that
    can still be changed, not the delivered fridge deodoriser).
    """
    cleaned = _clean(text)
    scores = [_overlap(cleaned, title) for title in titles]
    best = max(scores, default=0)
    if best < at_least:
        return None
    tied = [index for index, score in enumerate(scores) if score == best]
    if len(tied) > 1 and prefer is not None:
        tied = [index for index in tied if prefer(index)]
    return tied[0] if len(tied) == 1 else None


def courier_and_tracking(text: str) -> tuple[str | None, str | None]:
    """A courier name and a tracking number written anywhere in the message."""
    cleaned = re.sub(r"(?<=\d) (?=\d)", "", normalize(text))  # 7731 5689 2046 18
    courier = next((name for name in _COURIERS if name.lower() in cleaned.lower()), None)
    for match in _TRACKING_NO.finditer(cleaned):
        number = match.group(1)
        # 16-20 digits are an order number, 1[3-9]+9 digits a phone: neither is a waybill.
        if number.isdigit() and (len(number) >= 16 or re.fullmatch(r"1[3-9]\d{9}", number)):
            continue
        return courier, number.upper()
    return courier, None


def _overlap(text: str, title: str) -> int:
    """How many of the title's characters the buyer used (袜子 ~ 运动袜三双装), fillers aside.

    Chinese characters count one by one; digits and Latin letters only as whole words (14 in
    14英寸, t in T恤), so a tax number or a phone number does not name a 20000毫安 power bank.
    """
    return len(_marks(text) & _marks(_clean(title)))


def _marks(text: str) -> set[str]:
    words = set(_LATIN_OR_DIGITS.findall(text))
    return (set(_LATIN_OR_DIGITS.sub(" ", text)) | words) - _FILLER
