"""Request and response bodies of the buyer-facing API (orders use bot.orders.OrderPayload)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.orders.payload import TrackingEventPayload


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionIn(Strict):
    buyer_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")] | None = None
    signature: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$")] | None = None


class SessionOut(BaseModel):
    token: str
    anonymous: bool
    expires_in: int


class ConversationOut(BaseModel):
    id: str
    status: str
    handoff_reason: str | None = None
    priority: str | None = None
    created_at: datetime


class MessageIn(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    client_message_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]


class MessageOut(BaseModel):
    id: int
    sender: str
    text: str
    buttons: list[dict[str, Any]] = Field(default_factory=list)
    custom: Any = None
    image: str | None = None
    client_message_id: str | None = None
    created_at: datetime


class TurnOut(BaseModel):
    messages: list[MessageOut]
    status: str
    buyer_message_id: int
    repeated: bool


class HistoryOut(BaseModel):
    messages: list[MessageOut]
    status: str


class TrackingEventsIn(Strict):
    events: list[TrackingEventPayload] = Field(min_length=1, max_length=500)


class TrackingEventsOut(BaseModel):
    added: int
    total: int


class OrderSaved(BaseModel):
    order_id: str
    created: bool
