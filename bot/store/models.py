"""Typed declarative models of the order store. Money is integer fen; times are UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.enums import ConversationStatus, OrderStatus
from bot.store.types import UTCDateTime
from bot.timeutil import utcnow


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Buyer(Base):
    __tablename__ = "buyers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the shop's buyer id
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    orders: Mapped[list[Order]] = relationship(back_populates="buyer")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)  # 16 to 20 digits
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.PENDING_PAYMENT)
    payment_method: Mapped[str | None] = mapped_column(String(30))
    total_fen: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    buyer: Mapped[Buyer] = relationship(back_populates="orders")
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.line_no"
    )
    shipment: Mapped[Shipment | None] = relationship(
        back_populates="order", cascade="all, delete-orphan", uselist=False
    )


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price_fen: Mapped[int]
    category: Mapped[str] = mapped_column(String(30))

    order: Mapped[Order] = relationship(back_populates="items")


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    courier: Mapped[str] = mapped_column(String(50))
    tracking_no: Mapped[str] = mapped_column(String(50), index=True)

    order: Mapped[Order] = relationship(back_populates="shipment")
    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="shipment",
        cascade="all, delete-orphan",
        order_by="(TrackingEvent.time, TrackingEvent.id)",
    )


class TrackingEvent(Base):
    __tablename__ = "tracking_events"
    # The same scan pushed twice is one event: shops retry their pushes.
    __table_args__ = (UniqueConstraint("shipment_id", "time", "description"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    time: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(String(300))

    shipment: Mapped[Shipment] = relationship(back_populates="events")


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Presence: the expected wait divides the queue among the agents online.
    online: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_seen_at: Mapped[datetime | None]


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_status_waiting", "status", "waiting_since"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Who owns it: "buyer:<id>" for a signed-in buyer, "anon:<random>" for a visitor.
    visitor_id: Mapped[str] = mapped_column(String(100), index=True)
    buyer_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=ConversationStatus.BOT)
    handoff_reason: Mapped[str | None] = mapped_column(String(50))
    priority: Mapped[str | None] = mapped_column(String(2))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    verified_order_id: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    waiting_since: Mapped[datetime | None]
    first_reply_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    # When the buyer last got a "still waiting" acknowledgement (rate-limited).
    last_ack_at: Mapped[datetime | None]

    agent: Mapped[Agent | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id"
    )
    events: Mapped[list[ConversationEvent]] = relationship(
        back_populates="conversation", order_by="ConversationEvent.id"
    )


class ConversationEvent(Base):
    """One row per status change: the audit trail of handoffs."""

    __tablename__ = "conversation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="events")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "client_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    sender: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    # Buttons, custom payloads and images from Rasa, kept as they came.
    payload: Mapped[dict[str, Any] | None]
    client_message_id: Mapped[str | None] = mapped_column(String(64))
    # A bot or system reply points at the buyer message it answers.
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    # An agent's internal note: never shown to the buyer, never sent to Rasa.
    internal: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    agent: Mapped[Agent | None] = relationship()


class Ticket(Base):
    """An after-sales claim on one order item (kind = service type) or a complaint."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    buyer_id: Mapped[str | None] = mapped_column(ForeignKey("buyers.id"), index=True)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"), index=True)
    order_item_id: Mapped[int | None] = mapped_column(ForeignKey("order_items.id"))
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    reason_code: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")  # the buyer's own words
    shipping_paid_by: Mapped[str | None] = mapped_column(String(10))  # buyer | seller | None
    refund_fen: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[str | None] = mapped_column(String(2))
    reasons: Mapped[list[str] | None] = mapped_column(JSON)  # complaints: why this priority
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    # Deadlines exist only while they bind; the scheduler acts on them (bot.services.tickets).
    seller_response_due_at: Mapped[datetime | None]
    receipt_due_at: Mapped[datetime | None]
    return_courier: Mapped[str | None] = mapped_column(String(50))
    return_tracking_no: Mapped[str | None] = mapped_column(String(50))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    sla_due_at: Mapped[datetime | None]  # complaints and service requests: first answer due
    # Service requests: what the buyer gave (invoice title and tax number, the new address...).
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    order_item: Mapped[OrderItem | None] = relationship()
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="ticket", order_by="Attachment.created_at"
    )


class TicketEvent(Base):
    """One row per ticket change: who did what, from which status to which."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))  # bot, system, shop, agent:<name>, buyer:<id>
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))  # None when opened
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class Attachment(Base):
    """A buyer's uploaded photo; the file lives under settings.upload_dir as stored_name."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex, unguessable
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int]
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket | None] = relationship(back_populates="attachments")


class OutboxEvent(Base):
    """An event for the shop's webhook, written in the same transaction as the change."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class FaqGap(Base):
    """A question the FAQ could not answer, counted so the shop owner sees what to add."""

    __tablename__ = "faq_gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The question normalised (case, width, punctuation): one row for the same question.
    question_key: Mapped[str] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text)  # the latest wording, as the buyer typed it
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
