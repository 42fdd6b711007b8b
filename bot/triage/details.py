"""Whether a complaint message says what happened, or only that the buyer wants to complain."""

from __future__ import annotations

import re

# Words that carry the wish to complain, or only go along (好的，等你们处理～), but say
# nothing about what went wrong.
_BARE = re.compile(
    r"好的|好吧|行吧|收到|谢谢|嗯嗯|等你们|等着|"
    r"我要|我想|要|想|投诉|举报|差评|你们|你家|店家|商家|客服|人工|我|的|了|吧|啊|呢|吗|亲|在吗|"
    r"在不在|一下|这个|那个|怎么|立刻|马上|现在|必须|给我|找|店|家|[\W_]+"
)
MIN_DETAIL_CHARS = 4


def says_what_happened(text: str) -> bool:
    """我要投诉 / 投诉你们!!! say nothing yet; 耳机用两天就坏了 says what happened."""
    return len(_BARE.sub("", text)) >= MIN_DETAIL_CHARS
