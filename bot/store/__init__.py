"""The order store: typed SQLAlchemy models, sessions and migrations."""

from bot.store.models import (
    Agent,
    Base,
    Buyer,
    Conversation,
    ConversationEvent,
    Message,
    Order,
    OrderItem,
    Shipment,
    Ticket,
    TrackingEvent,
)
from bot.store.session import create_db_engine, make_session_factory, session_scope

__all__ = [
    "Agent",
    "Base",
    "Buyer",
    "Conversation",
    "ConversationEvent",
    "Message",
    "Order",
    "OrderItem",
    "Shipment",
    "Ticket",
    "TrackingEvent",
    "create_db_engine",
    "make_session_factory",
    "session_scope",
]
