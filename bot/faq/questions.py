"""Whether a buyer's message asks something, or tells something.

Inside a form that asked "what happened?", a statement that happens to share a FAQ topic's
words (你们客服回复太慢了) is the answer, not a question to look up.
"""

from __future__ import annotations

import re

from bot.text import normalize

QUESTION_MARKS = re.compile(
    r"[?？]|吗|么|呢|嘛|怎么|怎样|咋|如何|多久|多长|多少|几天|几号|几个|哪|谁|能不能|可不可以|可以不"
    r"|行不行|是不是|有没有|要不要|啥|什么|为什么|请问|想问|问下|问一下"
)

# 送不送 / 包不包邮 / 有没有: a verb, 不 or 没, the verb again; or 不 closing the sentence (能退不).
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1|不[\W啊呀呢哈_]*$")


def asks_something(text: str) -> bool:
    normal = normalize(text)
    return bool(QUESTION_MARKS.search(normal) or A_NOT_A.search(normal))
