"""Money amounts in complaint texts, in fen; numbers that are not money are ignored."""

import pytest

from bot.triage.amounts import amounts_fen, find_amounts, format_yuan


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("2699买的手机用了三天就坏了", [269900]),
        ("花了两千三买的，就这质量", [230000]),
        ("一万二的空调不制冷", [1200000]),
        ("八百多的鞋子开胶了", [80000]),
        ("标价¥1,299.00，到手就是坏的", [129900]),
        ("2.3万的沙发塌了", [2300000]),
        ("1200块买的", [120000]),
        ("1万2买的电脑", [1200000]),
        ("退我399元", [39900]),
        ("付了￥59.9", [5990]),
        ("三百五十元的东西", [35000]),
        ("一万一买的", [1100000]),
        ("2999的耳机显示已签收", [299900]),
        ("几千块的东西说丢就丢", [100000]),
    ],
)
def test_amounts_are_read_in_fen(text: str, fen: list[int]) -> None:
    assert amounts_fen(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "订单号2026110312345678901一直没发货",
        "我的手机13712345678，打不通吗",
        "说好48小时发货，现在都5天了",
        "11月11日买的，2026.11.01到的",
        "第二次来问了",
        "5000毫安的充电宝",
        "一千多个好评都是刷的吧",
        "十万火急，万一起火怎么办",
        "打12315投诉你们",
        "一百个不满意",
        "用了3天就坏了，等了72小时",
    ],
)
def test_order_numbers_phones_dates_and_durations_are_not_money(text: str) -> None:
    assert amounts_fen(text) == []


def test_amounts_keep_the_words_as_written_and_their_place() -> None:
    text = "我花了两千三，还有一个2699买的"
    found = find_amounts(text)
    assert [(a.text, text[a.start : a.end]) for a in found] == [
        ("两千三", "两千三"),
        ("2699", "2699"),
    ]


@pytest.mark.parametrize(("fen", "text"), [(269900, "2699元"), (129950, "1299.5元"), (5, "0.05元")])
def test_format_yuan(fen: int, text: str) -> None:
    assert format_yuan(fen) == text
