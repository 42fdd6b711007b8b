"""Short answers to the after-sales questions, read by bot/aftersales/answers.py."""

from __future__ import annotations

import pytest

from bot.aftersales.answers import (
    courier_and_tracking,
    is_progress_question,
    item_choice,
    item_named,
    photos_answer,
    reason_of,
    service_of,
    wants_to_stop,
    yes_or_no,
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("不想要了", "no_reason"),
        ("尺码偏小，穿不上", "no_reason"),
        ("买错了。。。", "no_reason"),
        ("收到的杯子碎了", "damaged"),
        ("外包装破了，里面压扁了", "damaged"),
        ("鞋子开胶了！！", "quality"),
        ("开不了机", "quality"),
        ("发错货了，我买的黑色", "wrong_item"),
        ("少发了一件", "missing"),
        ("和图片不一样，色差太大", "not_as_described"),
        ("显示签收了但是我没收到", "not_received"),
        ("尺码不对而且还破了", "quality"),
        ("好的", None),
        ("", None),
    ],
)
def test_reason_of(text: str, reason: str | None) -> None:
    assert reason_of(text) == reason


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("退货退款", "return_refund"),
        ("我要退货", "return_refund"),
        ("只退款不退货", "refund_only"),
        ("仅退款", "refund_only"),
        ("换货", "exchange"),
        ("换个新的吧", "exchange"),
        ("返厂维修", "repair"),
        ("退款", None),
        ("嗯", None),
    ],
)
def test_service_of(text: str, service: str | None) -> None:
    assert service_of(text) == service


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("确认", True),
        ("是的，提交吧", True),
        ("好的！", True),
        ("没问题", True),
        ("ok", True),
        ("不用了", False),
        ("不对", False),
        ("别", False),
        ("不是这个。", False),
        ("这个怎么说呢", None),
        ("", None),
    ],
)
def test_yes_or_no(text: str, answer: bool | None) -> None:
    assert yes_or_no(text) is answer


@pytest.mark.parametrize(
    ("text", "stop"),
    [
        ("算了", True),
        ("算了，不退了", True),
        ("先不了", True),
        ("不想要了", False),
        ("退吧", False),
    ],
)
def test_wants_to_stop(text: str, stop: bool) -> None:
    assert wants_to_stop(text) is stop


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("没有照片", "later"),
        ("待会再传", "later"),
        ("没", "later"),
        ("传好了", "sent"),
        ("照片已上传", "sent"),
        ("嗯", None),
    ],
)
def test_photos_answer(text: str, answer: str | None) -> None:
    assert photos_answer(text) == answer


@pytest.mark.parametrize(
    ("text", "progress"),
    [
        ("我的退款到哪了", True),
        ("审核了吗？", True),
        ("钱怎么还没到账", True),
        ("取消成功了吗", True),
        ("我要退货", False),
        ("能换个码吗", False),
    ],
)
def test_is_progress_question(text: str, progress: bool) -> None:
    assert is_progress_question(text) is progress


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("第二个", 1),
        ("第1件", 0),
        ("2", 1),
        ("袜子那个", 1),
        ("T恤", 0),
        ("第三个", None),
        ("嗯", None),
    ],
)
def test_item_choice(text: str, index: int | None) -> None:
    assert item_choice(text, ["纯棉短袖T恤", "运动袜三双装"]) == index


ORDERS = ["降噪蓝牙耳机", "14英寸轻薄笔记本电脑", "20000毫安充电宝", "纯棉短袖T恤 运动袜三双装"]


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("耳机那个", 0),
        ("14寸的", 1),
        ("t恤", 3),
        # Digits and letters count only as whole words: a tax number names no power bank.
        ("杭州云雀网络科技有限公司，税号91330106MA27XK3P5Q", None),
    ],
)
def test_item_choice_among_orders(text: str, index: int | None) -> None:
    assert item_choice(text, ORDERS) == index


def test_unasked_one_shared_character_names_no_order() -> None:
    # 机 of 耳机 is chance in a message that starts a flow; 耳机 itself is not.
    assert item_named("手机号换了能改吗", ORDERS) is None
    assert item_named("耳机那单要改地址", ORDERS) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("顺丰 SF1402398765432", ("顺丰", "SF1402398765432")),
        ("寄出了，中通75310298374651", ("中通", "75310298374651")),
        ("单号yt8847261930475", (None, "YT8847261930475")),
        ("订单2026110100000000033", (None, None)),
        ("电话13800001234", (None, None)),
        ("寄回了", (None, None)),
    ],
)
def test_courier_and_tracking(text: str, expected: tuple[str | None, str | None]) -> None:
    assert courier_and_tracking(text) == expected


def test_a_tie_between_titles_is_broken_only_by_a_single_preferred_one() -> None:
    fridges = ["双开门冰箱", "冰箱除味剂"]
    assert item_choice("冰箱那单", fridges) is None
    assert item_choice("冰箱那单", fridges, prefer=lambda index: index == 0) == 0
    assert item_choice("冰箱那单", fridges, prefer=lambda index: True) is None
    # A preference never overrides a title the words name better.
    assert item_choice("除味剂", fridges, prefer=lambda index: index == 0) == 1


def test_shipped_said_with_a_cancellation_is_the_orders_state_not_a_cases_progress() -> None:
    text = "东西都发出来了，订单还能撤回吗"
    assert is_progress_question("换的货发出来了吗")
    assert not is_progress_question(text, cancelling=True)
    assert is_progress_question("取消成功了吗", cancelling=True)
