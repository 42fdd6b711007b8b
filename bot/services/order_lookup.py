"""Finds a buyer's orders and describes them in plain values for replies."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.enums import OrderStatus
from bot.errors import OrderNotFound
from bot.orders.store import WITH_DETAILS, get_order
from bot.store.models import Order
from bot.timeutil import shop_time

ACTIVE_STATUSES = (
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
)


@dataclass(frozen=True)
class OrderView:
    order_id: str
    status: str
    summary: str  # e.g. "20000毫安充电宝 等2件"
    courier: str | None
    tracking_no: str | None
    last_event_time: str | None
    last_event_location: str | None
    last_event_description: str | None
    ordered_at: str
    item_titles: tuple[str, ...] = ()  # every item, so 袜子那个 can pick the order


def describe(order: Order) -> OrderView:
    items = order.items
    summary = items[0].title if items else "订单商品"
    if len(items) > 1:
        summary += f" 等{len(items)}件"
    shipment = order.shipment
    last = shipment.events[-1] if shipment and shipment.events else None
    return OrderView(
        order_id=order.id,
        status=order.status,
        summary=summary,
        courier=shipment.courier if shipment else None,
        tracking_no=shipment.tracking_no if shipment else None,
        last_event_time=shop_time(last.time) if last else None,
        last_event_location=last.location if last else None,
        last_event_description=last.description if last else None,
        ordered_at=shop_time(order.created_at),
        item_titles=tuple(item.title for item in items),
    )


def buyer_order(session: Session, buyer_id: str, order_id: str) -> OrderView:
    """The buyer's own order; another buyer's order is reported exactly like a missing one."""
    order = get_order(session, order_id, missing_ok=True)
    if order is None or order.buyer_id != buyer_id:
        raise OrderNotFound(order_id)
    return describe(order)


def verified_order(session: Session, order_id: str, phone_tail: str) -> OrderView:
    """An anonymous visitor proves an order with its number and the phone's last four digits."""
    order = get_order(session, order_id, missing_ok=True)
    if order is None or not proves_order(order, phone_tail):
        raise OrderNotFound(order_id)
    return describe(order)


def proves_order(order: Order, phone_tail: str) -> bool:
    """The last four digits of the buyer's phone, compared in constant time."""
    return hmac.compare_digest(order.buyer.phone[-4:], phone_tail)


def orders_to_pick(session: Session, buyer_id: str, limit: int = 5) -> list[OrderView]:
    """The orders a buyer most likely means: active ones first, newest first."""
    query = (
        select(Order)
        .where(Order.buyer_id == buyer_id)
        .options(*WITH_DETAILS)
        .order_by(Order.created_at.desc())
    )
    orders = list(session.scalars(query))
    active = [order for order in orders if order.status in ACTIVE_STATUSES]
    chosen = active or orders
    return [describe(order) for order in chosen[:limit]]
