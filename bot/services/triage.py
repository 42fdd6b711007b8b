"""Triage of a complaint text, with the order's total and complaint history when it names one."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.enums import TicketKind
from bot.errors import OrderNotFound
from bot.store.models import Order, Ticket
from bot.triage import Triager, TriageResult


def earlier_complaints(session: Session, order_id: str) -> int:
    query = select(func.count(Ticket.id)).where(
        Ticket.order_id == order_id, Ticket.kind == TicketKind.COMPLAINT
    )
    return int(session.scalar(query) or 0)


def triage_complaint(
    session: Session, triager: Triager, text: str, order_id: str | None = None
) -> TriageResult:
    """Raises OrderNotFound for an order id the store does not hold."""
    if order_id is None:
        return triager.triage(text)
    order = session.get(Order, order_id)
    if order is None:
        raise OrderNotFound(order_id)
    return triager.triage(
        text,
        order_total_fen=order.total_fen,
        prior_contacts=earlier_complaints(session, order_id),
    )
