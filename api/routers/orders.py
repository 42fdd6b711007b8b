"""Shop integration: the shop's back end pushes whole orders and tracking events."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Response, status

from api.deps import DbSession, require_shop_key
from api.schemas import OrderSaved, TrackingEventsIn, TrackingEventsOut
from bot.errors import OrderNotFound
from bot.orders import (
    ORDER_ID_PATTERN,
    OrderPayload,
    append_tracking_events,
    get_order,
    order_to_payload,
    upsert_order,
)

router = APIRouter(
    prefix="/api/v1/orders", tags=["orders"], dependencies=[Depends(require_shop_key)]
)

OrderId = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="16 to 20 digits")]


@router.put("/{order_id}", response_model=OrderSaved)
def put_order(
    order_id: OrderId, body: OrderPayload, db: DbSession, response: Response
) -> OrderSaved:
    try:
        _order, created = upsert_order(db, order_id, body)
    except ValueError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    db.commit()
    if created:
        response.status_code = status.HTTP_201_CREATED
    return OrderSaved(order_id=order_id, created=created)


@router.get("/{order_id}", response_model=OrderPayload)
def read_order(order_id: OrderId, db: DbSession) -> OrderPayload:
    try:
        order = get_order(db, order_id)
    except OrderNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "order not found") from None
    assert order is not None
    return order_to_payload(order)


@router.post("/{order_id}/shipment-events", response_model=TrackingEventsOut)
def post_tracking_events(
    order_id: OrderId, body: TrackingEventsIn, db: DbSession
) -> TrackingEventsOut:
    try:
        added = append_tracking_events(db, order_id, body.events)
        order = get_order(db, order_id)
    except OrderNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "order or shipment not found") from None
    db.commit()
    assert order is not None and order.shipment is not None
    return TrackingEventsOut(added=added, total=len(order.shipment.events))
