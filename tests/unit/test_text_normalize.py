import pytest

from bot.text import normalize, normalize_for_nlu


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("订单２０２６１１０１００００００００３３", "订单202611010000000033"),
        ("我的訂單到哪裡了", "我的订单到哪里了"),
        ("ＳＦ快递", "sf快递"),
        ("怎么还不发货？？？！！！", "怎么还不发货?  !  "),
        ("好的。。。", "好的。  "),
        ("亲\u3000在吗", "亲 在吗"),
        ("退款😡😡", "退款😡😡"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw", ["訂單２０２６１１０１００００００００３３怎麼還沒到？？？", "ＯＫ了～～～", "發貨了嗎"]
)
def test_normalize_keeps_every_position(raw: str) -> None:
    assert len(normalize(raw)) == len(raw)


def test_normalize_is_idempotent() -> None:
    once = normalize("我的訂單到哪裡了？？？ＡＢＣ")
    assert normalize(once) == once


@pytest.mark.parametrize(
    ("punctuated", "plain"),
    [
        ("好的，明白了，谢谢！", "好的 明白了 谢谢"),
        ("行吧，那我等等。", "行吧 那我等等"),
        ("嗯嗯。。。好吧~", "嗯嗯   好吧"),
        ("OK了～～～", "ok了"),
        ("在吗?？「急」", "在吗   急"),
    ],
)
def test_nlu_text_carries_no_punctuation(punctuated: str, plain: str) -> None:
    nlu_text = normalize_for_nlu(punctuated)
    assert len(nlu_text) == len(punctuated)
    assert nlu_text.split() == plain.split()


def test_nlu_text_keeps_order_numbers_and_emoji() -> None:
    assert normalize_for_nlu("单号：202611010000000033😡") == "单号 202611010000000033😡"
