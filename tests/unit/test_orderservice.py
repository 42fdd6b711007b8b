"""Order services: which requests an order allows, and what the buyer's words give."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.aftersales.facts import OrderFacts
from bot.knowledge import load_policy
from bot.orderservice import decide, terms_of
from bot.orderservice.details import PERSONAL, read_change, read_invoice, tax_number
from bot.orderservice.rules import INVOICE, ORDER_CHANGE, PRICE_PROTECTION, SHIPPING_URGE

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
TERMS = terms_of(load_policy(Path(__file__).resolve().parents[2] / "knowledge"))


def order(status: str, paid_days_ago: float | None = 1) -> OrderFacts:
    paid = NOW - timedelta(days=paid_days_ago) if paid_days_ago is not None else None
    shipped = paid + timedelta(hours=5) if paid and status not in ("paid",) else None
    return OrderFacts(
        order_id="202611010000000033",
        status=status,
        total_fen=19900,
        payment_method="alipay",
        created_at=NOW - timedelta(days=3),
        paid_at=paid if status != "pending_payment" else None,
        shipped_at=shipped if status in ("shipped", "delivered", "completed") else None,
        delivered_at=None,
        completed_at=None,
        cancelled_at=None,
        items=(),
    )


@pytest.mark.parametrize(
    ("kind", "status", "allowed", "tracking"),
    [
        (ORDER_CHANGE, "pending_payment", True, False),
        (ORDER_CHANGE, "paid", True, False),
        (ORDER_CHANGE, "shipped", False, False),
        (ORDER_CHANGE, "delivered", False, False),
        (INVOICE, "pending_payment", False, False),
        (INVOICE, "completed", True, False),
        (SHIPPING_URGE, "paid", True, False),
        (SHIPPING_URGE, "shipped", True, True),
        (SHIPPING_URGE, "delivered", False, False),
        (SHIPPING_URGE, "pending_payment", False, False),
        (PRICE_PROTECTION, "paid", True, False),
        (PRICE_PROTECTION, "cancelled", False, False),
    ],
)
def test_what_each_order_state_allows(
    kind: str, status: str, allowed: bool, tracking: bool
) -> None:
    decision = decide(kind, order(status), NOW, TERMS)
    assert decision.allowed is allowed
    assert decision.show_tracking is tracking
    if not allowed:
        # A refusal always says why and what the buyer can do instead.
        assert decision.reason and decision.alternatives


def test_price_protection_ends_after_the_policy_days() -> None:
    days = TERMS.price_protection_days
    assert decide(PRICE_PROTECTION, order("shipped", days - 0.5), NOW, TERMS).allowed
    late = decide(PRICE_PROTECTION, order("shipped", days + 0.5), NOW, TERMS)
    assert not late.allowed and str(days) in late.reason


def test_unknown_service_is_an_error() -> None:
    with pytest.raises(ValueError):
        decide("teleport", order("paid"), NOW, TERMS)


@pytest.mark.parametrize(
    ("text", "title", "tax", "vat", "fix"),
    [
        (
            "公司的，抬头：杭州小禾科技有限公司，税号91330106MA2CXXXX0K",
            "杭州小禾科技有限公司",
            "91330106MA2CXXXX0K",
            False,
            False,
        ),
        ("帮我开个发票", None, None, False, False),
        ("个人就行。", PERSONAL, None, False, False),
        ("要开专票 单位是上海某某贸易有限公司", "上海某某贸易有限公司", None, True, False),
        ("发票开错了！！重开一张", None, None, False, True),
        ("202611010000000033 开个发票", None, None, False, False),
    ],
)
def test_invoice_details_from_words(
    text: str, title: str | None, tax: str | None, vat: bool, fix: bool
) -> None:
    invoice = read_invoice(text)
    assert (invoice.title, invoice.tax_number, invoice.vat_special, invoice.fix) == (
        title,
        tax,
        vat,
        fix,
    )


def test_an_all_digit_tax_number_counts_only_when_asked() -> None:
    assert tax_number("913301060000000000") is None  # could be an order number
    assert tax_number("913301060000000000", asked=True) == "913301060000000000"


@pytest.mark.parametrize(
    ("text", "what", "value"),
    [
        ("地址填错了，改成杭州市西湖区文三路100号", "address", "杭州市西湖区文三路100号"),
        ("改到下周三送吧～", "delivery_time", "下周三送吧"),
        ("颜色换成黑的", "spec", "黑的"),
        ("电话写错了", "phone", None),
        ("帮我改下地址", "address", None),
    ],
)
def test_change_details_from_words(text: str, what: str | None, value: str | None) -> None:
    change = read_change(text)
    assert (change.what, change.new_value) == (what, value)


def test_a_persons_name_is_a_personal_title_without_a_tax_number() -> None:
    from bot.orderservice.details import is_company, person_title

    assert read_invoice("抬头写张伟").title == "张伟"
    assert read_invoice("张伟").title is None  # a bare name counts only as an answer
    assert person_title("张伟", asked=True) == "张伟"
    assert person_title("公司的", asked=True) is None
    assert not is_company("张伟") and not is_company(PERSONAL)
    assert is_company("南京青柠信息技术有限公司")


def test_the_new_value_keeps_what_the_buyer_typed() -> None:
    assert read_change("刚拍的 尺码选错了 L换成M") == read_change("尺码L换成M")
    assert read_change("尺码L换成M").new_value == "M"
    assert read_change("收货电话写错了，应该是13812345678").new_value == "13812345678"


def test_sentence_words_before_company_are_no_company_name() -> None:
    assert read_invoice("哦不对，要公司的，报销用").title is None
    assert read_invoice("哦不对，要公司的，报销用").wants_company
    assert read_invoice("开公司抬头").title is None
    assert read_invoice("公司名称：成都蓝湾餐饮管理有限公司").title == "成都蓝湾餐饮管理有限公司"


def test_a_company_name_keeps_the_buyers_own_letters() -> None:
    assert read_invoice("抬头：ABC Trading 有限公司").title == "ABC Trading 有限公司"
