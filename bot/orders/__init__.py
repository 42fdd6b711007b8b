"""Orders as the shop pushes them: the payload shape, upserts, tracking events, bulk import."""

from bot.entity_values import ORDER_ID_PATTERN
from bot.orders.payload import (
    BuyerPayload,
    ItemPayload,
    OrderPayload,
    ShipmentPayload,
    TrackingEventPayload,
)
from bot.orders.store import append_tracking_events, get_order, order_to_payload, upsert_order

__all__ = [
    "ORDER_ID_PATTERN",
    "BuyerPayload",
    "ItemPayload",
    "OrderPayload",
    "ShipmentPayload",
    "TrackingEventPayload",
    "append_tracking_events",
    "get_order",
    "order_to_payload",
    "upsert_order",
]
