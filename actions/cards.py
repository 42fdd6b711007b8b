"""Sends order and ticket cards (bot/cards.py) as Rasa custom payloads beside the text."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot.cards import OrderCard, TicketCard, order_card, ticket_card
from bot.orders.store import get_order
from bot.store.models import Ticket


def send_order_card(dispatcher: CollectingDispatcher, session: Session, order_id: str) -> None:
    order = get_order(session, order_id, missing_ok=True)
    if order is not None:
        send_card(dispatcher, order_card(order))


def send_ticket_card(dispatcher: CollectingDispatcher, ticket: Ticket) -> None:
    send_card(dispatcher, ticket_card(ticket))


def send_card(dispatcher: CollectingDispatcher, card: OrderCard | TicketCard) -> None:
    """A card built earlier (e.g. inside a session that has closed since)."""
    dispatcher.utter_message(json_message=dict(card))
