"""Writes and reads of whole orders. Callers own the transaction: nothing is half-written."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.errors import OrderNotFound
from bot.orders.payload import (
    BuyerPayload,
    ItemPayload,
    OrderPayload,
    ShipmentPayload,
    TrackingEventPayload,
)
from bot.store.models import Buyer, Order, OrderItem, Shipment, TrackingEvent

# Items, shipment and tracking events: what every reader of a whole order needs.
WITH_DETAILS = (
    selectinload(Order.items),
    selectinload(Order.shipment).selectinload(Shipment.events),
)


def upsert_order(session: Session, order_id: str, payload: OrderPayload) -> tuple[Order, bool]:
    """Create or replace the order with this id; returns the order and whether it is new."""
    buyer = _upsert_buyer(session, payload.buyer)
    order = get_order(session, order_id, missing_ok=True)
    created = order is None
    if order is None:
        order = Order(id=order_id)
        session.add(order)
    elif order.buyer_id != buyer.id:
        # An order never changes hands; a push that says so is a shop-side bug.
        raise ValueError("buyer.id does not match the stored order's buyer")
    order.buyer = buyer
    order.status = payload.status
    order.payment_method = payload.payment_method
    order.total_fen = payload.total_fen
    order.created_at = payload.created_at
    order.paid_at = payload.paid_at
    order.shipped_at = payload.shipped_at
    order.delivered_at = payload.delivered_at
    order.completed_at = payload.completed_at
    order.cancelled_at = payload.cancelled_at
    _replace_items(session, order, payload.items)
    _replace_shipment(session, order, payload.shipment)
    session.flush()
    return order, created


def get_order(session: Session, order_id: str, *, missing_ok: bool = False) -> Order | None:
    query = select(Order).where(Order.id == order_id).options(*WITH_DETAILS)
    order = session.scalars(query).one_or_none()
    if order is None and not missing_ok:
        raise OrderNotFound(order_id)
    return order


def append_tracking_events(
    session: Session, order_id: str, events: list[TrackingEventPayload]
) -> int:
    """Adds the events not stored yet; returns how many were new."""
    order = get_order(session, order_id)
    assert order is not None
    if order.shipment is None:
        raise OrderNotFound(f"{order_id} has no shipment")
    known = {(event.time, event.description) for event in order.shipment.events}
    added = 0
    for event in events:
        key = (event.time, event.description)
        if key in known:
            continue
        known.add(key)
        order.shipment.events.append(
            TrackingEvent(time=event.time, location=event.location, description=event.description)
        )
        added += 1
    session.flush()
    return added


def order_to_payload(order: Order) -> OrderPayload:
    shipment = None
    if order.shipment is not None:
        shipment = ShipmentPayload(
            courier=order.shipment.courier,
            tracking_no=order.shipment.tracking_no,
            events=[
                TrackingEventPayload(
                    time=event.time, location=event.location, description=event.description
                )
                for event in order.shipment.events
            ],
        )
    return OrderPayload.model_validate(
        {
            "buyer": {"id": order.buyer.id, "name": order.buyer.name, "phone": order.buyer.phone},
            "status": order.status,
            "payment_method": order.payment_method,
            "total_fen": order.total_fen,
            "items": [
                {
                    "sku": item.sku,
                    "title": item.title,
                    "quantity": item.quantity,
                    "unit_price_fen": item.unit_price_fen,
                    "category": item.category,
                }
                for item in order.items
            ],
            "created_at": order.created_at,
            "paid_at": order.paid_at,
            "shipped_at": order.shipped_at,
            "delivered_at": order.delivered_at,
            "completed_at": order.completed_at,
            "cancelled_at": order.cancelled_at,
            "shipment": shipment,
        }
    )


def _upsert_buyer(session: Session, payload: BuyerPayload) -> Buyer:
    buyer = session.get(Buyer, payload.id)
    if buyer is None:
        buyer = Buyer(id=payload.id, name=payload.name, phone=payload.phone)
        session.add(buyer)
    else:
        buyer.name = payload.name
        buyer.phone = payload.phone
    return buyer


def _replace_items(session: Session, order: Order, items: list[ItemPayload]) -> None:
    # Items keep their row (and so their after-sales tickets) when the line is unchanged.
    by_line = {item.line_no: item for item in order.items}
    for line_no, payload in enumerate(items, start=1):
        row = by_line.pop(line_no, None)
        if row is None:
            row = OrderItem(line_no=line_no)
            order.items.append(row)
        row.sku = payload.sku
        row.title = payload.title
        row.quantity = payload.quantity
        row.unit_price_fen = payload.unit_price_fen
        row.category = payload.category
    for stale in by_line.values():
        order.items.remove(stale)


def _replace_shipment(session: Session, order: Order, payload: ShipmentPayload | None) -> None:
    if payload is None:
        order.shipment = None
        return
    if order.shipment is None:
        order.shipment = Shipment(courier=payload.courier, tracking_no=payload.tracking_no)
    order.shipment.courier = payload.courier
    order.shipment.tracking_no = payload.tracking_no
    existing = {(event.time, event.description): event for event in order.shipment.events}
    wanted: list[TrackingEvent] = []
    for event in payload.events:
        row = existing.pop((event.time, event.description), None)
        if row is None:
            row = TrackingEvent(
                time=event.time, location=event.location, description=event.description
            )
        row.location = event.location
        wanted.append(row)
    order.shipment.events = wanted
