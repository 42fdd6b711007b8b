"""A buyer's complaint: triaged, filed as a ticket with its first-response deadline, and handed
to a person at once when it is urgent (P1/P2, DESIGN.md "Complaint triage")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.enums import Priority
from bot.knowledge import Policy
from bot.services import tickets
from bot.services.conversations import find_conversation, hand_off
from bot.services.triage import triage_complaint
from bot.store.models import Buyer, Order, Ticket
from bot.timeutil import utcnow
from bot.triage import Triager, TriageResult

URGENT = frozenset({Priority.P1.value, Priority.P2.value})


@dataclass(frozen=True)
class FiledComplaint:
    ticket: Ticket
    triage: TriageResult
    handed_off: bool


def sla_minutes(policy: Policy, priority: str) -> int:
    return policy.number(f"triage.first_response_sla_minutes.{priority}")


def file_complaint(
    session: Session,
    triager: Triager,
    policy: Policy,
    *,
    conversation_id: str,
    text: str,
    order_id: str | None = None,
    now: datetime | None = None,
) -> FiledComplaint:
    """Triages the text (with the order's total and earlier complaints when the order is the
    buyer's own), opens the complaint ticket and, for P1/P2, queues the conversation."""
    now = now or utcnow()
    conversation = find_conversation(session, conversation_id)
    buyer_id = conversation.buyer_id if conversation else None
    if buyer_id is not None and session.get(Buyer, buyer_id) is None:
        buyer_id = None  # signed in, but never ordered here: the conversation still links them
    order = session.get(Order, order_id) if order_id else None
    if order is not None and order.buyer_id != buyer_id:
        order = None  # someone else's order tells this complaint nothing
    result = triage_complaint(session, triager, text, order.id if order else None)
    ticket = tickets.open_complaint_ticket(
        session,
        buyer_id=buyer_id,
        order_id=order.id if order else None,
        conversation_id=conversation.id if conversation else None,
        text=text,
        category=result.category,
        priority=result.priority.value,
        reasons=result.reasons,
        sla_due_at=now + timedelta(minutes=sla_minutes(policy, result.priority.value)),
        now=now,
    )
    urgent = result.priority.value in URGENT and conversation is not None
    if urgent:
        hand_off(session, conversation_id, "complaint", Priority(result.priority.value))
    return FiledComplaint(ticket, result, urgent)
