"""A question asks; a statement tells (bot/faq/questions.py)."""

from __future__ import annotations

import pytest

from bot.faq.questions import asks_something


@pytest.mark.parametrize(
    "text",
    [
        "退款多久到账",
        "能开发票吗",
        "客服几点下班？",
        "运费谁出呀?",
        "怎么退货",
        "想问下能不能改地址",
        "送不送上楼",
        "这个包不包邮啊",
        "能退不",
        "开发票不。",
    ],
)
def test_questions_ask(text: str) -> None:
    assert asks_something(text)


@pytest.mark.parametrize(
    "text",
    [
        "你们客服回复太慢了，问个问题等了好久才有人回",
        "快递三天没动了",
        "衣服颜色发错了。。",
        "不想要了",
        "等了好久都不发",
    ],
)
def test_statements_tell(text: str) -> None:
    assert not asks_something(text)
