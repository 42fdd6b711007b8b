"""Which bare messages say the buyer ordered by mistake (bot/mis_order.py)."""

import pytest

from bot.mis_order import is_mis_order


@pytest.mark.parametrize(
    "text",
    ["拍错了", "下错单了…", "不小心下了两单", "手滑拍错了😭", "多拍了一件", "同一个东西拍了两次",
     "买重复了哈", "點錯了！", "订错了，，"],
)  # fmt: skip
def test_mistaken_orders(text: str) -> None:
    assert is_mis_order(text)


@pytest.mark.parametrize(
    "text",
    ["个人", "错了", "第二个", "尺码拍大了", "L", "收件人改成我老公 李强", "不想要了",
     "快递送错地方了"],
)  # fmt: skip
def test_other_answers(text: str) -> None:
    assert not is_mis_order(text)
