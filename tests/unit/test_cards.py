"""Order and ticket cards (bot/cards.py) from rows built in memory: no database."""

from datetime import UTC, datetime

from bot.cards import order_card, ticket_card
from bot.store.models import Order, OrderItem, Shipment, Ticket, TrackingEvent

CREATED = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)


def shipped_order() -> Order:
    order = Order(
        id="2026110100000000033",
        buyer_id="b1001",
        status="shipped",
        total_fen=19900,
        created_at=CREATED,
    )
    order.items = [
        OrderItem(
            line_no=1, sku="PB-20", title="20000毫安充电宝", quantity=1, unit_price_fen=19900
        ),
        OrderItem(line_no=2, sku="SK-02", title="运动袜三双装", quantity=2, unit_price_fen=2900),
    ]
    shipment = Shipment(courier="顺丰速运", tracking_no="SF1234567890")
    shipment.events = [
        TrackingEvent(
            time=datetime(2026, 11, 19, 6, 0, tzinfo=UTC),
            location="杭州市",
            description="快件已到达杭州转运中心",
        ),
        TrackingEvent(
            time=datetime(2026, 11, 18, 4, 0, tzinfo=UTC),
            location="深圳市",
            description="卖家已发货",
        ),
    ]
    order.shipment = shipment
    return order


def test_an_order_card_has_items_amount_status_courier_and_the_newest_tracking() -> None:
    card = order_card(shipped_order())
    assert card == {
        "type": "order_card",
        "order": {
            "id": "2026110100000000033",
            "status": "shipped",
            "status_label": "已发货，运输中",
            "items": [
                {"title": "20000毫安充电宝", "quantity": 1},
                {"title": "运动袜三双装", "quantity": 2},
            ],
            "total_fen": 19900,
            "courier": "顺丰速运",
            "tracking_no": "SF1234567890",
            "latest_tracking": "11月19日 14:00 杭州市 快件已到达杭州转运中心",
        },
    }


def test_an_order_without_a_shipment_has_no_courier_or_tracking() -> None:
    order = Order(id="2026110100000000022", status="paid", total_fen=12900, created_at=CREATED)
    order.items = [
        OrderItem(line_no=1, sku="SC-01", title="羊毛围巾", quantity=1, unit_price_fen=12900)
    ]
    facts = order_card(order)["order"]
    assert facts["status_label"] == "已付款，待发货"
    assert (facts["courier"], facts["tracking_no"], facts["latest_tracking"]) == (None, None, None)


def test_a_requested_claim_shows_the_sellers_deadline() -> None:
    due = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    ticket = Ticket(id=7, kind="exchange", status="requested", seller_response_due_at=due)
    assert ticket_card(ticket) == {
        "type": "ticket_card",
        "ticket": {
            "id": 7,
            "kind": "exchange",
            "kind_label": "换货",
            "status": "requested",
            "status_label": "已提交，等待商家处理",
            "due_at": "2026-11-25T04:00:00+00:00",
            "due_label": "商家处理截止：11月25日 12:00",
        },
    }


def test_a_complaint_shows_its_first_response_deadline_and_naive_times_are_utc() -> None:
    ticket = Ticket(id=9, kind="complaint", status="open", sla_due_at=datetime(2026, 11, 20, 5, 30))
    facts = ticket_card(ticket)["ticket"]
    assert facts["kind_label"] == "投诉"
    assert facts["due_at"] == "2026-11-20T05:30:00+00:00"
    assert facts["due_label"] == "客服首次回复截止：11月20日 13:30"


def test_a_ticket_with_nothing_pending_has_no_deadline() -> None:
    facts = ticket_card(Ticket(id=3, kind="refund_only", status="refunded"))["ticket"]
    assert (facts["status_label"], facts["due_at"], facts["due_label"]) == ("已退款", None, None)
