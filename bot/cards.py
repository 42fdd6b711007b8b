"""Order and ticket cards: the rich messages the widget draws, built from plain rows.

The bot sends them as Rasa custom payloads ({"type": "order_card", "order": {...}} and
{"type": "ticket_card", "ticket": {...}}); the API stores them as a message's `custom` field.
Pure: reads the attributes of the rows it is given, does no I/O of its own.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from bot.aftersales.labels import SERVICE_LABELS, STATUS_LABELS
from bot.store.models import Order, Ticket
from bot.timeutil import as_utc, shop_time

ORDER_STATUS_LABELS = {
    "pending_payment": "待付款",
    "paid": "已付款，待发货",
    "shipped": "已发货，运输中",
    "delivered": "已签收",
    "completed": "已完成",
    "cancelled": "已取消",
}

# Which deadline comes next for a ticket in each state, and how to name it.
DEADLINE_LABELS = {
    "requested": "商家处理截止",
    "returned": "商家确认收货截止",
    "open": "客服首次回复截止",
}


class CardItem(TypedDict):
    title: str
    quantity: int


class OrderFacts(TypedDict):
    id: str
    status: str
    status_label: str
    items: list[CardItem]
    total_fen: int
    courier: str | None
    tracking_no: str | None
    latest_tracking: str | None


class OrderCard(TypedDict):
    type: Literal["order_card"]
    order: OrderFacts


class TicketFacts(TypedDict):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    due_at: str | None
    due_label: str | None


class TicketCard(TypedDict):
    type: Literal["ticket_card"]
    ticket: TicketFacts


def order_card(order: Order) -> OrderCard:
    shipment = order.shipment
    latest = None
    if shipment is not None and shipment.events:
        event = max(shipment.events, key=lambda e: as_utc(e.time))
        where = f"{event.location} " if event.location else ""
        latest = f"{shop_time(event.time)} {where}{event.description}"
    return {
        "type": "order_card",
        "order": {
            "id": order.id,
            "status": order.status,
            "status_label": ORDER_STATUS_LABELS.get(order.status, order.status),
            "items": [{"title": item.title, "quantity": item.quantity} for item in order.items],
            "total_fen": order.total_fen,
            "courier": shipment.courier if shipment is not None else None,
            "tracking_no": shipment.tracking_no if shipment is not None else None,
            "latest_tracking": latest,
        },
    }


def ticket_card(ticket: Ticket) -> TicketCard:
    due = {
        "requested": ticket.seller_response_due_at,
        "returned": ticket.receipt_due_at,
        "open": ticket.sla_due_at,
    }.get(ticket.status)
    due_label = None
    if due is not None:
        due_label = f"{DEADLINE_LABELS[ticket.status]}：{shop_time(due)}"
    return {
        "type": "ticket_card",
        "ticket": {
            "id": ticket.id,
            "kind": ticket.kind,
            "kind_label": SERVICE_LABELS.get(ticket.kind, ticket.kind),
            "status": ticket.status,
            "status_label": STATUS_LABELS.get(ticket.status, ticket.status),
            "due_at": as_utc(due).isoformat() if due is not None else None,
            "due_label": due_label,
        },
    }
