"""Request and response bodies of the buyer-facing API (orders use bot.orders.OrderPayload)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.orders.payload import TrackingEventPayload
from bot.services.messaging import BUTTON_PAYLOAD_PATTERN


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
    # A quick-reply press: `text` is the button's title (shown in the history), `payload`
    # what the bot receives, e.g. /inform{"order_id": "2026..."}.
    payload: Annotated[str, StringConstraints(pattern=BUTTON_PAYLOAD_PATTERN)] | None = None


class MessageOut(BaseModel):
    id: int
    sender: str
    text: str
    buttons: list[dict[str, Any]] = Field(default_factory=list)
    custom: Any = None
    image: str | None = None
    client_message_id: str | None = None
    button_payload: str | None = None
    internal: bool = False  # an agent's note; only agents ever get these
    agent_name: str | None = None  # the agent who wrote it, as the buyer sees them
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


class TicketItemOut(BaseModel):
    sku: str
    title: str


class TicketDeadlinesOut(BaseModel):
    seller_response_by: datetime | None = None
    receipt_by: datetime | None = None


class ReturnShipmentOut(BaseModel):
    courier: str | None = None
    tracking_no: str | None = None


class TicketEventOut(BaseModel):
    at: datetime
    actor: str
    action: str
    from_status: str | None = None
    to_status: str
    note: str | None = None


class TicketOut(BaseModel):
    """A ticket as the shop and agents read it (built from bot.services.tickets.ticket_to_dict)."""

    id: int
    order_id: str | None = None
    buyer_id: str | None = None
    conversation_id: str | None = None
    kind: str
    status: str
    item: TicketItemOut | None = None
    shipping_paid_by: str | None = None
    refund_fen: int
    reason: str
    reason_code: str | None = None
    rejection_reason: str | None = None
    deadlines: TicketDeadlinesOut
    return_shipment: ReturnShipmentOut | None = None
    attachment_ids: list[str]
    events: list[TicketEventOut]
    category: str | None = None
    priority: str | None = None
    reasons: Any = None
    sla_due_at: datetime | None = None
    # Service requests: what the buyer gave (invoice title and tax number, the new address...).
    details: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime


Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class TicketActionIn(Strict):
    note: Note | None = None


class TicketRejectIn(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    note: Note | None = None


class AttachmentOut(BaseModel):
    id: str
    content_type: str
    size_bytes: int


# The agent console (api/routers/agent.py).

AgentText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PresenceIn(Strict):
    online: bool


class PresenceOut(BaseModel):
    online: bool


class QueueEntryOut(BaseModel):
    conversation_id: str
    priority: str
    reason: str | None = None
    waiting_since: datetime
    sla_due_at: datetime
    category: str | None = None
    buyer_id: str | None = None
    last_buyer_text: str
    position: int


class AgentConversationOut(BaseModel):
    id: str
    status: str
    priority: str | None = None
    reason: str | None = None
    buyer_id: str | None = None
    conversation_id: str | None = None
    agent: str | None = None  # the holding agent's name (as in transfer)
    agent_display_name: str | None = None
    waiting_since: datetime | None = None
    first_reply_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class OrderBriefOut(BaseModel):
    order_id: str
    status: str
    summary: str
    total_fen: int


class TriageOut(BaseModel):
    category: str | None = None
    priority: str | None = None
    reasons: Any = None


class ConversationDetailOut(BaseModel):
    conversation: AgentConversationOut
    messages: list[MessageOut]
    orders: list[OrderBriefOut]
    tickets: list[TicketOut]
    triage: TriageOut | None = None


class AgentTextIn(Strict):
    text: AgentText


class TransferIn(Strict):
    agent: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class CannedReplyOut(BaseModel):
    title: str
    text: str
