"""The order store: typed SQLAlchemy models, sessions and migrations."""

from bot.store.models import (
    Agent,
    Attachment,
    Base,
    Buyer,
    Conversation,
    ConversationEvent,
    Message,
    Order,
    OrderItem,
    OutboxEvent,
    Shipment,
    Ticket,
    TicketEvent,
    TrackingEvent,
)
from bot.store.session import create_db_engine, make_session_factory, session_scope

__all__ = [
    "Agent",
    "Attachment",
    "Base",
    "Buyer",
    "Conversation",
    "ConversationEvent",
    "Message",
    "Order",
    "OrderItem",
    "OutboxEvent",
    "Shipment",
    "Ticket",
    "TicketEvent",
    "TrackingEvent",
    "create_db_engine",
    "make_session_factory",
    "session_scope",
]
