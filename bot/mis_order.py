"""A bare "I ordered by mistake" with no question pending: the buyer most likely wants to cancel
or change the order, but the rule book labels the bare reason `inform` (it is also the answer to
"why do you want to cancel?"), so the action that gets it asks instead of guessing."""

from __future__ import annotations

import re

from bot.text import normalize

# 拍错了, 下错单, 多拍了一件, 拍重复了, 不小心下了两单, 同一个东西拍了两次, 手滑点了购买...
_MIS_ORDER = re.compile(
    r"[拍下买点订]错|错[拍下买点订]|多[拍下买点订]|[拍下买订]多了|重复[拍下买订]|[拍下买订]重"
    r"|[拍下买订]了[两二2]次|[下订]了[两二2]单|不小心[拍下买点订]|手滑|手抖"
)


def is_mis_order(text: str) -> bool:
    return bool(_MIS_ORDER.search(normalize(text)))
