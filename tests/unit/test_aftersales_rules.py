from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.aftersales.refusals import HUMAN
from bot.aftersales.rules import (
    REASONS,
    SERVICE_TYPES,
    Claim,
    ItemDecision,
    ItemFacts,
    OrderFacts,
    Refusal,
    Terms,
    after_sales_decision,
    can_cancel,
    claimable_items,
    item_paid_fen,
    shop_day_number,
)

SH = ZoneInfo("Asia/Shanghai")
POLICY: dict[str, Any] = {
    "shipping": {"ships_within_hours": 24},
    "no_reason_return": {
        "days_after_delivery": 7,
        "excluded_categories": ["custom_made", "fresh_food", "digital", "periodical"],
    },
    "after_sales": {
        "days_after_completion": 15,
        "performance_fault_exchange_days": 15,
        "warranty_days": 365,
        "claims_per_item": 1,
    },
    "refund": {
        "seller_response_days": 5,
        "seller_confirm_receipt_days": 10,
        "processing_working_days_min": 7,
        "processing_working_days_max": 14,
    },
}
TERMS = Terms.from_policy(POLICY)
# Odd numbers show that the wording follows the terms instead of repeating 7 and 15.
ODD_TERMS = replace(TERMS, no_reason_days=9, after_sales_days=21, warranty_days=200)

SHIRT = ItemFacts(1, "TS-01", "纯棉T恤", "apparel", 2, 4900)
MUG = ItemFacts(2, "MG-02", "陶瓷杯", "home", 1, 3300)
CARD = ItemFacts(3, "GC-03", "贺卡", "ordinary", 4, 250)
DELIVERED = datetime(2026, 3, 2, 12, 0, tzinfo=SH)


def sh(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def order(
    status: str,
    *,
    items: tuple[ItemFacts, ...] = (SHIRT, MUG),
    total: int | None = None,
    delivered: datetime | None = DELIVERED,
    completed: datetime | None = None,
    paid: bool = True,
) -> OrderFacts:
    created = sh(2, 26)
    reached = ["paid", "shipped", "delivered", "completed"]
    step = reached.index(status) if status in reached else -1
    return OrderFacts(
        order_id="KF2026030100001",
        status=status,
        total_fen=sum(i.quantity * i.unit_price_fen for i in items) if total is None else total,
        payment_method="alipay" if paid else None,
        created_at=created,
        paid_at=created if paid and status != "pending_payment" else None,
        shipped_at=sh(2, 27) if step >= 1 else None,
        delivered_at=delivered if step >= 2 else None,
        completed_at=completed if status == "completed" else None,
        cancelled_at=sh(2, 27) if status == "cancelled" else None,
        items=items,
    )


def decide(
    o: OrderFacts,
    reason: str,
    now: datetime,
    claims: tuple[Claim, ...] = (),
    terms: Terms = TERMS,
    item_id: int = SHIRT.item_id,
) -> ItemDecision:
    return after_sales_decision(o, item_id, reason, claims, now, terms)


def allowed(d: ItemDecision) -> list[str]:
    return [o.service_type for o in d.options]


def codes(d: ItemDecision) -> dict[str, str]:
    return {service: refusal.code for service, refusal in d.refused.items()}


# --- calendar days in Shanghai ---


@pytest.mark.parametrize(
    ("start", "now", "day"),
    [
        (sh(3, 2, 0, 0), sh(3, 2, 23, 59), 0),
        (sh(3, 2, 23, 50), sh(3, 3, 0, 10), 1),  # 20 minutes later, but the next day
        (sh(3, 2, 23, 50), sh(3, 9, 23, 59), 7),
        # 16:30 UTC is 00:30 next day in Shanghai
        (datetime(2026, 3, 1, 16, 30, tzinfo=UTC), datetime(2026, 3, 2, 15, 59, tzinfo=UTC), 0),
        (datetime(2026, 3, 1, 15, 59, tzinfo=UTC), datetime(2026, 3, 1, 16, 0, tzinfo=UTC), 1),
        (datetime(2026, 3, 1, 16, 30), datetime(2026, 3, 2, 16, 30), 1),  # naive means UTC
    ],
)
def test_shop_day_number_counts_shanghai_calendar_days(
    start: datetime, now: datetime, day: int
) -> None:
    assert shop_day_number(start, now) == day


# --- cancel ---


@pytest.mark.parametrize(
    ("status", "allowed_", "refund", "outcome", "code"),
    [
        ("pending_payment", True, 0, "no_payment", None),
        ("paid", True, 13100, "refund", None),
        ("shipped", False, 0, "shipped", "in_transit"),
        ("delivered", False, 0, "delivered", "delivered"),
        ("completed", False, 0, "completed", "completed"),
        ("cancelled", False, 0, "already_cancelled", "cancelled"),
    ],
)
def test_cancel_for_each_order_status(
    status: str, allowed_: bool, refund: int, outcome: str, code: str | None
) -> None:
    o = order(status, paid=status != "pending_payment", completed=sh(3, 3))
    decision = can_cancel(o, sh(3, 4), TERMS)
    assert (decision.allowed, decision.refund_fen, decision.outcome) == (
        allowed_,
        refund,
        outcome,
    )
    assert (decision.refusal.code if decision.refusal else None) == code


def test_cancel_after_shipping_offers_refusing_delivery_and_a_later_return() -> None:
    refusal = can_cancel(order("shipped"), sh(3, 1), ODD_TERMS).refusal
    assert refusal is not None
    assert refusal.reason == "订单已经发货，没法直接取消了"
    assert refusal.alternatives == (
        "快递送到时可以拒收，包裹退回后为您退款",
        "签收后在9天内申请无理由退货",
        HUMAN,
    )


@pytest.mark.parametrize(("day", "mentions_no_reason"), [(7, True), (8, False)])
def test_cancel_after_delivery_mentions_the_return_window_only_while_open(
    day: int, mentions_no_reason: bool
) -> None:
    refusal = can_cancel(order("delivered"), DELIVERED + timedelta(days=day), TERMS).refusal
    assert refusal is not None
    assert any("无理由" in a for a in refusal.alternatives) is mentions_no_reason


def test_cancelled_order_says_when_a_paid_amount_comes_back() -> None:
    paid = can_cancel(order("cancelled"), sh(3, 1), TERMS).refusal
    unpaid = can_cancel(order("cancelled", paid=False), sh(3, 1), TERMS).refusal
    assert paid is not None and unpaid is not None
    assert "7-14个工作日" in paid.alternatives[0]
    assert "工作日" not in unpaid.alternatives[0]


# --- orders that give nothing ---


@pytest.mark.parametrize(
    ("status", "paid", "code"),
    [("pending_payment", False, "not_paid"), ("cancelled", True, "cancelled")],
)
def test_unpaid_and_cancelled_orders_give_nothing(status: str, paid: bool, code: str) -> None:
    o = order(status, paid=paid)
    for reason in REASONS:
        d = decide(o, reason, sh(3, 3))
        assert d.options == ()
        assert set(codes(d).values()) == {code}
    assert claimable_items(o, (), sh(3, 3), TERMS) == ()


@pytest.mark.parametrize("reason", REASONS)
def test_parcel_in_transit_gives_nothing_but_refusing_delivery(reason: str) -> None:
    d = decide(order("shipped"), reason, sh(3, 1))
    assert d.options == ()
    assert codes(d) == dict.fromkeys(SERVICE_TYPES, "in_transit")
    assert d.refused["exchange"].alternatives[0].startswith("快递送到时可以拒收")


@pytest.mark.parametrize("reason", REASONS)
def test_paid_unshipped_item_gets_refund_only(reason: str) -> None:
    now = sh(2, 26, 18)
    d = decide(order("paid"), reason, now)
    assert allowed(d) == ["refund_only"]
    option = d.options[0]
    assert (option.shipping_paid_by, option.refund_fen) == (None, 9800)
    assert option.deadlines == {"seller_response_by": now + timedelta(days=5)}
    assert set(codes(d).values()) == {"not_shipped"}


# --- which services each reason allows, and who pays shipping ---


@pytest.mark.parametrize(
    ("reason", "services"),
    [
        ("no_reason", {"return_refund": "buyer", "exchange": "buyer"}),
        ("quality", {"return_refund": "seller", "exchange": "seller", "repair": "seller"}),
        ("damaged", {"return_refund": "seller", "exchange": "seller", "repair": "seller"}),
        ("wrong_item", {"return_refund": "seller", "exchange": "seller"}),
        ("not_as_described", {"return_refund": "seller", "exchange": "seller"}),
        ("missing", {"refund_only": None, "return_refund": "seller", "exchange": "seller"}),
        ("not_received", {"refund_only": None}),
    ],
)
def test_services_and_shipping_by_reason(reason: str, services: dict[str, str | None]) -> None:
    d = decide(order("delivered"), reason, DELIVERED + timedelta(days=1))
    assert {o.service_type: o.shipping_paid_by for o in d.options} == services
    assert allowed(d) == [s for s in SERVICE_TYPES if s in services]  # in SERVICE_TYPES order
    assert set(d.refused) == set(SERVICE_TYPES) - set(services)
    assert set(codes(d).values()) <= {"not_applicable"}
    for refusal in d.refused.values():  # points to what is possible instead
        assert refusal.alternatives[:-1] == tuple(f"改为申请{_label(s)}" for s in services)


def _label(service: str) -> str:
    return {"refund_only": "仅退款", "return_refund": "退货退款", "exchange": "换货"}.get(
        service, "维修"
    )


@pytest.mark.parametrize(
    ("service", "refund"),
    [("refund_only", 9800), ("return_refund", 9800), ("exchange", 0), ("repair", 0)],
)
def test_refund_amount_by_service(service: str, refund: int) -> None:
    reason = "missing" if service == "refund_only" else "quality"
    option = decide(order("delivered"), reason, sh(3, 3)).option(service)
    assert option is not None
    assert option.refund_fen == refund


def test_option_lookup_returns_none_for_a_refused_service() -> None:
    assert decide(order("delivered"), "no_reason", sh(3, 3)).option("repair") is None


# --- no-reason returns ---


@pytest.mark.parametrize(
    ("delivered", "now", "open_"),
    [
        (DELIVERED, DELIVERED, True),
        (DELIVERED, DELIVERED + timedelta(days=6), True),
        (DELIVERED, DELIVERED + timedelta(days=7), True),
        (DELIVERED, DELIVERED + timedelta(days=8), False),
        (sh(3, 2, 23, 50), sh(3, 9, 23, 59), True),  # 23:50 counts as 2 March
        (sh(3, 2, 23, 50), sh(3, 10, 0, 0), False),
        (sh(3, 3, 0, 10), sh(3, 10, 23, 59), True),
        # 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai: day 7 ends 9 March 23:59 there
        (datetime(2026, 3, 1, 16, 30, tzinfo=UTC), datetime(2026, 3, 9, 15, 59, tzinfo=UTC), True),
        (datetime(2026, 3, 1, 16, 30, tzinfo=UTC), datetime(2026, 3, 9, 16, 0, tzinfo=UTC), False),
    ],
)
def test_no_reason_window_is_seven_shanghai_days(
    delivered: datetime, now: datetime, open_: bool
) -> None:
    d = decide(order("delivered", delivered=delivered), "no_reason", now)
    if open_:
        assert allowed(d) == ["return_refund", "exchange"]
    else:
        assert d.options == ()
        assert codes(d)["return_refund"] == codes(d)["exchange"] == "no_reason_window_closed"


def test_no_reason_window_follows_the_terms() -> None:
    d = decide(order("delivered"), "no_reason", DELIVERED + timedelta(days=9), terms=ODD_TERMS)
    assert allowed(d) == ["return_refund", "exchange"]
    closed = decide(
        order("delivered"), "no_reason", DELIVERED + timedelta(days=10), terms=ODD_TERMS
    )
    assert "9天" in closed.refused["return_refund"].reason


def test_no_reason_also_applies_to_a_completed_order_inside_the_window() -> None:
    o = order("completed", completed=DELIVERED + timedelta(days=1))
    assert allowed(decide(o, "no_reason", DELIVERED + timedelta(days=7))) == [
        "return_refund",
        "exchange",
    ]


def test_no_reason_deadlines() -> None:
    delivered = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 2 March 00:30 in Shanghai
    now = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
    option = decide(order("delivered", delivered=delivered), "no_reason", now).option(
        "return_refund"
    )
    assert option is not None
    assert option.deadlines == {
        "seller_response_by": datetime(2026, 3, 9, 2, 0, tzinfo=UTC),
        "apply_by": datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=SH),
    }
    assert option.deadlines["apply_by"].tzinfo == UTC


@pytest.mark.parametrize("category", ["custom_made", "fresh_food", "digital", "periodical"])
def test_excluded_category_refused_for_no_reason_but_allowed_for_quality(category: str) -> None:
    assert category in TERMS.excluded_categories
    o = order("delivered", items=(replace(SHIRT, category=category), MUG))
    no_reason = decide(o, "no_reason", DELIVERED + timedelta(days=1))
    assert no_reason.options == ()
    assert codes(no_reason)["return_refund"] == codes(no_reason)["exchange"] == "category_excluded"
    quality = decide(o, "quality", DELIVERED + timedelta(days=1))
    option = quality.option("return_refund")
    assert option is not None
    assert (option.shipping_paid_by, option.refund_fen) == ("seller", 9800)


def test_excluded_categories_are_the_four_in_the_terms() -> None:
    assert {"custom_made", "fresh_food", "digital", "periodical"} == TERMS.excluded_categories


def test_digital_goods_completed_without_delivery_use_completion_time() -> None:
    code = replace(SHIRT, category="digital", quantity=1)
    o = order("completed", items=(code,), delivered=None, completed=sh(3, 2))
    assert o.delivered_at is None
    assert codes(decide(o, "no_reason", sh(3, 3)))["return_refund"] == "category_excluded"
    assert "return_refund" in allowed(decide(o, "quality", sh(3, 17)))
    assert "return_refund" not in allowed(decide(o, "quality", sh(3, 18)))


# --- the after-sales window and the warranty ---


@pytest.mark.parametrize("reason", ["quality", "damaged", "wrong_item", "not_as_described"])
@pytest.mark.parametrize(("day", "open_"), [(0, True), (15, True), (16, False)])
def test_return_and_exchange_within_fifteen_days_of_completion(
    reason: str, day: int, open_: bool
) -> None:
    completed = sh(3, 5, 23, 50)
    o = order("completed", completed=completed)
    d = decide(o, reason, sh(3, 5 + day, 23, 59))
    for service in ("return_refund", "exchange"):
        if open_:
            option = d.option(service)
            assert option is not None
            assert option.deadlines["apply_by"] == datetime(2026, 3, 20, 23, 59, 59, 999999, SH)
        else:
            assert d.refused[service].code == "after_sales_window_closed"


@pytest.mark.parametrize(("reason", "repair"), [("quality", True), ("wrong_item", False)])
def test_repair_still_offered_after_the_window_while_under_warranty(
    reason: str, repair: bool
) -> None:
    d = decide(order("completed", completed=sh(3, 5)), reason, sh(3, 21))
    assert allowed(d) == (["repair"] if repair else [])
    alternatives = d.refused["return_refund"].alternatives
    assert any("维修" in a for a in alternatives) is repair
    assert alternatives[-1] == HUMAN


def test_fault_window_stays_open_while_delivered_but_not_completed() -> None:
    d = decide(order("delivered"), "quality", DELIVERED + timedelta(days=100))
    option = d.option("exchange")
    assert option is not None
    assert "apply_by" not in option.deadlines  # no end is known until the order completes


@pytest.mark.parametrize(
    ("reason", "kind"), [("missing", "refund_only"), ("not_received", "refund_only")]
)
def test_refund_only_follows_the_after_sales_window(reason: str, kind: str) -> None:
    o = order("completed", completed=sh(3, 5))
    assert allowed(decide(o, reason, sh(3, 20))) == (
        [kind, "return_refund", "exchange"] if reason == "missing" else [kind]
    )
    assert decide(o, reason, sh(3, 21)).refused[kind].code == "after_sales_window_closed"


@pytest.mark.parametrize("reason", ["quality", "damaged"])
@pytest.mark.parametrize(("day", "open_"), [(365, True), (366, False)])
def test_repair_within_the_warranty(reason: str, day: int, open_: bool) -> None:
    o = order("completed", completed=DELIVERED + timedelta(days=2))
    d = decide(o, reason, DELIVERED + timedelta(days=day))
    if open_:
        option = d.option("repair")
        assert option is not None
        assert (option.shipping_paid_by, option.refund_fen) == ("seller", 0)
        assert option.deadlines["apply_by"] == datetime(2027, 3, 2, 23, 59, 59, 999999, SH)
    else:
        assert d.options == ()
        assert d.refused["repair"].code == "warranty_expired"


# --- one claim per item ---


@pytest.mark.parametrize(
    ("status", "blocks"),
    [
        ("requested", True),
        ("approved", True),
        ("awaiting_return", True),
        ("returned", True),
        ("received", True),
        ("refunded", True),
        ("exchanged", True),
        ("closed", True),
        ("rejected", False),
        ("withdrawn", False),
    ],
)
def test_one_claim_per_item(status: str, blocks: bool) -> None:
    claims = (Claim(ticket_id=41, item_id=SHIRT.item_id, kind="return_refund", status=status),)
    d = decide(order("delivered"), "quality", DELIVERED + timedelta(days=1), claims)
    if blocks:
        assert d.options == ()
        assert codes(d) == dict.fromkeys(SERVICE_TYPES, "claim_exists")
        assert "41" in d.refused["exchange"].reason
    else:
        assert allowed(d) == ["return_refund", "exchange", "repair"]


@pytest.mark.parametrize(
    "claim",
    [
        Claim(ticket_id=41, item_id=MUG.item_id, kind="exchange", status="requested"),
        Claim(ticket_id=42, item_id=SHIRT.item_id, kind="complaint", status="open"),
    ],
)
def test_other_items_claims_and_complaints_do_not_block(claim: Claim) -> None:
    d = decide(order("delivered"), "no_reason", DELIVERED + timedelta(days=1), (claim,))
    assert allowed(d) == ["return_refund", "exchange"]


def test_claimable_items_leaves_out_claimed_and_expired_items() -> None:
    o = order("delivered", items=(SHIRT, MUG, CARD))
    claims = [Claim(ticket_id=7, item_id=MUG.item_id, kind="refund_only", status="approved")]
    assert claimable_items(o, iter(claims), DELIVERED + timedelta(days=3), TERMS) == (SHIRT, CARD)
    late = replace(o, status="completed", completed_at=DELIVERED)
    assert claimable_items(late, claims, DELIVERED + timedelta(days=400), TERMS) == ()


# --- what an item was paid ---


@pytest.mark.parametrize(
    ("total", "shares"),
    [
        (14100, (9800, 3300, 1000)),  # no discount
        (14900, (9800, 3300, 1000)),  # shipping on top is not part of an item
        (10000, (6950, 2340, 710)),  # 6950.35 and 2340.42 round down; the card takes the rest
        (14099, (9799, 3299, 1001)),
        (0, (0, 0, 0)),
    ],
)
def test_item_paid_shares_a_discount_pro_rata(total: int, shares: tuple[int, int, int]) -> None:
    o = order("delivered", items=(SHIRT, MUG, CARD), total=total)
    assert tuple(item_paid_fen(o, item) for item in o.items) == shares


@pytest.mark.parametrize("total", [1, 999, 5001, 7777, 13333, 14099])
def test_discounted_shares_add_up_to_the_total(total: int) -> None:
    o = order("delivered", items=(SHIRT, MUG, CARD), total=total)
    assert sum(item_paid_fen(o, item) for item in o.items) == total


def test_partial_refund_is_only_that_items_share() -> None:
    o = order("delivered", items=(SHIRT, MUG, CARD), total=10000)
    option = decide(o, "quality", sh(3, 3), item_id=MUG.item_id).option("return_refund")
    assert option is not None
    assert option.refund_fen == 2340


def test_unknown_item_reason_and_status_are_value_errors() -> None:
    with pytest.raises(ValueError):
        item_paid_fen(order("paid"), CARD)
    with pytest.raises(ValueError):
        decide(order("paid"), "quality", sh(3, 3), item_id=99)
    with pytest.raises(ValueError):
        decide(order("paid"), "changed_my_mind", sh(3, 3))
    with pytest.raises(ValueError):
        decide(replace(order("paid"), status="lost"), "quality", sh(3, 3))


# --- refusals ---


def _all_refusals() -> list[Refusal]:
    found = []
    for status in ("pending_payment", "paid", "shipped", "delivered", "completed", "cancelled"):
        o = order(status, completed=DELIVERED, paid=status != "pending_payment")
        for now in (DELIVERED + timedelta(days=2), DELIVERED + timedelta(days=500)):
            refusal = can_cancel(o, now, ODD_TERMS).refusal
            found += [refusal] if refusal else []
            for reason in REASONS:
                claims = (Claim(3, SHIRT.item_id, "exchange", "requested"),)
                for c in ((), claims):
                    found += decide(o, reason, now, c, ODD_TERMS).refused.values()
    digital = order("delivered", items=(replace(SHIRT, category="digital"),))
    found += decide(digital, "no_reason", DELIVERED, terms=ODD_TERMS).refused.values()
    return found


def test_every_refusal_has_a_reason_and_ends_with_a_person() -> None:
    refusals = _all_refusals()
    assert {r.code for r in refusals} == {
        "not_paid",
        "cancelled",
        "in_transit",
        "not_shipped",
        "delivered",
        "completed",
        "claim_exists",
        "category_excluded",
        "no_reason_window_closed",
        "after_sales_window_closed",
        "warranty_expired",
        "not_applicable",
    }
    for refusal in refusals:
        assert refusal.reason
        assert refusal.alternatives[-1] == HUMAN


def test_refusal_numbers_come_from_the_terms() -> None:
    for refusal in _all_refusals():
        text = refusal.reason + "".join(refusal.alternatives)
        assert "7天" not in text and "15天" not in text and "365" not in text


# --- terms ---


def test_terms_from_policy() -> None:
    assert TERMS.no_reason_days == 7
    assert TERMS.after_sales_days == 15
    assert TERMS.performance_fault_days == 15
    assert TERMS.warranty_days == 365
    assert TERMS.claims_per_item == 1
    assert (TERMS.seller_response_days, TERMS.seller_confirm_receipt_days) == (5, 10)
    assert (TERMS.processing_working_days_min, TERMS.processing_working_days_max) == (7, 14)
    assert TERMS.ships_within_hours == 24


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("after_sales", "warranty_days", None),
        ("no_reason_return", "days_after_delivery", "7"),
        ("refund", "seller_response_days", True),
        ("refund", "processing_working_days_max", 14.0),
        ("shipping", "ships_within_hours", None),
        ("no_reason_return", "excluded_categories", None),
        ("no_reason_return", "excluded_categories", "digital"),
    ],
)
def test_terms_name_a_missing_or_bad_key(section: str, key: str, value: object) -> None:
    policy = {name: dict(body) for name, body in POLICY.items()}
    if value is None:
        del policy[section][key]
    else:
        policy[section][key] = value
    with pytest.raises(ValueError, match=f"{section}.{key}"):
        Terms.from_policy(policy)
