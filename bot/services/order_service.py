"""Order-service requests: the shop gets a ticket with what the buyer gave and a reply deadline.

Which requests an order allows is bot.orderservice.rules; this module loads the order the
conversation may see, asks the rules, and opens (or finds) the ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.knowledge import Policy
from bot.orderservice import ServiceDecision, decide, terms_of
from bot.services import tickets
from bot.services.aftersales import Case
from bot.store.models import Ticket
from bot.timeutil import utcnow


@dataclass(frozen=True)
class ServiceOutcome:
    decision: ServiceDecision
    ticket: Ticket | None = None
    already_open: bool = False  # the same request was open already: nothing new was filed


def check(case: Case, kind: str, policy: Policy, now: datetime | None = None) -> ServiceDecision:
    return decide(kind, case.facts, now or utcnow(), terms_of(policy))


def request(
    session: Session,
    case: Case,
    *,
    kind: str,
    conversation_id: str,
    text: str,
    details: dict[str, Any],
    policy: Policy,
    now: datetime | None = None,
) -> ServiceOutcome:
    """Opens the request if the order allows it; an unfinished one of the same kind is reused
    (its details updated), so saying it twice never files two."""
    now = now or utcnow()
    decision = check(case, kind, policy, now)
    if not decision.allowed or decision.show_tracking:
        return ServiceOutcome(decision)
    existing = tickets.open_service_request(session, case.order.id, kind)
    if existing is not None:
        existing.details = {**(existing.details or {}), **details}
        existing.updated_at = now
        session.flush()
        return ServiceOutcome(decision, existing, already_open=True)
    due = now + timedelta(hours=terms_of(policy).reply_hours)
    ticket = tickets.open_service_ticket(
        session,
        kind=kind,
        buyer_id=case.order.buyer_id,
        order_id=case.order.id,
        conversation_id=conversation_id,
        text=text,
        details=details,
        due_at=due,
        now=now,
    )
    return ServiceOutcome(decision, ticket)
