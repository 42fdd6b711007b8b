"""The order shape shared by the shop API and the bulk import. Validation happens here, once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from bot.entity_values import PHONE_PATTERN
from bot.enums import ItemCategory, OrderStatus, PaymentMethod

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("must include a UTC offset, e.g. 2026-11-01T10:00:00+08:00")
    return moment


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BuyerPayload(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    phone: Annotated[str, StringConstraints(pattern=PHONE_PATTERN)]


class ItemPayload(Strict):
    sku: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    title: ShortText
    quantity: int = Field(ge=1, le=10_000)
    unit_price_fen: int = Field(ge=0, le=100_000_000)
    category: ItemCategory = ItemCategory.ORDINARY


class TrackingEventPayload(Strict):
    time: AwareDatetime
    location: Annotated[str, StringConstraints(max_length=100)] = ""
    description: Annotated[str, StringConstraints(min_length=1, max_length=300)]


class ShipmentPayload(Strict):
    courier: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    tracking_no: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9\-]{4,50}$")]
    events: list[TrackingEventPayload] = Field(default_factory=list, max_length=500)


class OrderPayload(Strict):
    buyer: BuyerPayload
    status: OrderStatus
    payment_method: PaymentMethod | None = None
    total_fen: int = Field(ge=0, le=1_000_000_000)
    items: list[ItemPayload] = Field(min_length=1, max_length=200)
    created_at: AwareDatetime
    paid_at: AwareDatetime | None = None
    shipped_at: AwareDatetime | None = None
    delivered_at: AwareDatetime | None = None
    completed_at: AwareDatetime | None = None
    cancelled_at: AwareDatetime | None = None
    shipment: ShipmentPayload | None = None

    @model_validator(mode="after")
    def _status_has_its_times(self) -> OrderPayload:
        needed = {
            OrderStatus.PAID: ["paid_at"],
            OrderStatus.SHIPPED: ["paid_at", "shipped_at"],
            OrderStatus.DELIVERED: ["shipped_at", "delivered_at"],
            OrderStatus.COMPLETED: ["completed_at"],  # digital goods complete unshipped
        }.get(self.status, [])
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"status {self.status.value} needs {', '.join(missing)}")
        shipped = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
        if self.status in shipped and self.shipment is None:
            raise ValueError(f"status {self.status.value} needs a shipment")
        return self
