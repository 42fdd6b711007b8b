"""After-sales use cases for the bot: which orders and items qualify, cancel, open a claim.

Each function takes a session, the conversation id and plain values; it finds the order the
conversation may see, turns it into the policy engine's facts, asks the engine, and only then
writes (through bot.services.tickets, which logs every change and tells the shop).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.aftersales import (
    REASONS,
    CancelDecision,
    Claim,
    ItemDecision,
    ItemFacts,
    OrderFacts,
    Refusal,
    ServiceOption,
    Terms,
    after_sales_decision,
    can_cancel,
    claimable_items,
)
from bot.errors import OrderNotFound
from bot.knowledge import Policy
from bot.orders.store import WITH_DETAILS, get_order
from bot.services import tickets
from bot.services.conversations import find_conversation
from bot.services.order_lookup import OrderView, describe, proves_order
from bot.store.models import Attachment, Order, Ticket
from bot.timeutil import utcnow


class NeedsVerification(OrderNotFound):
    """An anonymous visitor named an order but has not proved it with the phone's last digits."""


@dataclass(frozen=True)
class Case:
    """An order this conversation may act on, as the policy engine sees it."""

    order: Order
    facts: OrderFacts
    claims: tuple[Claim, ...]
    view: OrderView


@dataclass(frozen=True)
class OpenedClaim:
    ticket: Ticket
    option: ServiceOption
    photo_ids: list[str]


def terms_of(policy: Policy) -> Terms:
    return Terms.from_policy(policy.values)


def order_facts(order: Order) -> OrderFacts:
    return OrderFacts(
        order_id=order.id,
        status=order.status,
        total_fen=order.total_fen,
        payment_method=order.payment_method,
        created_at=order.created_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        delivered_at=order.delivered_at,
        completed_at=order.completed_at,
        cancelled_at=order.cancelled_at,
        items=tuple(
            ItemFacts(
                item_id=item.id,
                sku=item.sku,
                title=item.title,
                category=item.category,
                quantity=item.quantity,
                unit_price_fen=item.unit_price_fen,
            )
            for item in order.items
        ),
    )


def is_anonymous(session: Session, conversation_id: str) -> bool:
    conversation = find_conversation(session, conversation_id)
    return conversation is None or conversation.buyer_id is None  # no row: no identity


def load_case(session: Session, conversation_id: str, order_id: str) -> Case:
    """The order if this conversation may see it: the buyer's own, or one the visitor verified.

    Raises OrderNotFound for a missing or someone else's order (the two look the same), and
    NeedsVerification when an anonymous visitor has not yet proved this order.
    """
    conversation = find_conversation(session, conversation_id)
    order = get_order(session, order_id, missing_ok=True)
    if order is None:
        raise OrderNotFound(order_id)
    if conversation is not None and conversation.buyer_id is not None:
        if order.buyer_id != conversation.buyer_id:
            raise OrderNotFound(order_id)
    elif conversation is None or conversation.verified_order_id != order_id:
        raise NeedsVerification(order_id)
    claims = tuple(tickets.claims_for_order(session, order_id))
    return Case(order, order_facts(order), claims, describe(order))


def verify_order(session: Session, conversation_id: str, order_id: str, phone_tail: str) -> bool:
    """An anonymous visitor proves an order with the phone's last four digits; remembered."""
    order = get_order(session, order_id, missing_ok=True)
    conversation = find_conversation(session, conversation_id)
    if order is None or conversation is None or not proves_order(order, phone_tail):
        return False
    conversation.verified_order_id = order_id
    session.flush()
    return True


def orders_for(
    session: Session, conversation_id: str, purpose: str, terms: Terms, now: datetime | None = None
) -> list[OrderView]:
    """A signed-in buyer's orders that qualify: cancellable ones (purpose cancel), ones with
    claimable items (claim), or every order not cancelled (service: invoices, changes...)."""
    conversation = find_conversation(session, conversation_id)
    if conversation is None or conversation.buyer_id is None:
        return []
    now = now or utcnow()
    query = (
        select(Order)
        .where(Order.buyer_id == conversation.buyer_id)
        .options(*WITH_DETAILS)
        .order_by(Order.created_at.desc())
    )
    chosen = []
    for order in session.scalars(query):
        facts = order_facts(order)
        if purpose == "cancel":
            fits = can_cancel(facts, now, terms).allowed
        elif purpose == "service":
            fits = facts.status != "cancelled"
        else:
            claims = tickets.claims_for_order(session, order.id)
            fits = bool(claimable_items(facts, claims, now, terms))
        if fits:
            chosen.append(describe(order))
    return chosen[:5]


def claimable(case: Case, terms: Terms, now: datetime | None = None) -> tuple[ItemFacts, ...]:
    return claimable_items(case.facts, case.claims, now or utcnow(), terms)


def why_nothing_is_claimable(case: Case, terms: Terms, now: datetime | None = None) -> Refusal:
    """The reason an order offers no after-sales service at all, for the buyer."""
    now = now or utcnow()
    decision = after_sales_decision(
        case.facts, case.facts.items[0].item_id, "quality", case.claims, now, terms
    )
    return next(iter(decision.refused.values()))


def decide(
    case: Case, item_id: int, reason: str, terms: Terms, now: datetime | None = None
) -> ItemDecision:
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    return after_sales_decision(case.facts, item_id, reason, case.claims, now or utcnow(), terms)


def decide_cancel(case: Case, terms: Terms, now: datetime | None = None) -> CancelDecision:
    return can_cancel(case.facts, now or utcnow(), terms)


def open_claim(
    session: Session,
    case: Case,
    *,
    conversation_id: str,
    item_id: int,
    reason: str,
    service: str,
    detail: str,
    policy: Policy,
    now: datetime | None = None,
) -> OpenedClaim | Refusal:
    """Decides again at submit time (time has passed since the question) and opens the ticket."""
    now = now or utcnow()
    decision = decide(case, item_id, reason, terms_of(policy), now)
    option = decision.option(service)
    if option is None:
        return decision.refused[service]
    known = find_conversation(session, conversation_id) is not None
    photo_ids = _unlinked_photos(session, conversation_id) if known else []
    ticket = tickets.open_after_sales_ticket(
        session,
        order_id=case.order.id,
        order_item_id=item_id,
        kind=service,
        reason_code=reason,
        reason_text=detail,
        shipping_paid_by=option.shipping_paid_by,
        refund_fen=option.refund_fen,
        buyer_id=case.order.buyer_id,
        conversation_id=conversation_id if known else None,
        attachment_ids=photo_ids,
        now=now,
        policy=policy,
    )
    return OpenedClaim(ticket, option, photo_ids)


def cancel(
    session: Session,
    case: Case,
    *,
    conversation_id: str,
    policy: Policy,
    now: datetime | None = None,
) -> tuple[CancelDecision, Ticket | None]:
    """Cancels an order that has not shipped; a paid one gets a refund_only ticket per item."""
    now = now or utcnow()
    terms = terms_of(policy)
    decision = can_cancel(case.facts, now, terms)
    if not decision.allowed:
        return decision, None
    refund_ticket = None
    if decision.outcome == "refund":
        # Money back for the whole order: one refund_only ticket on the first item carries it.
        first = case.facts.items[0]
        refund_ticket = tickets.open_after_sales_ticket(
            session,
            order_id=case.order.id,
            order_item_id=first.item_id,
            kind="refund_only",
            reason_code="no_reason",
            reason_text="买家取消未发货订单",
            shipping_paid_by=None,
            refund_fen=decision.refund_fen,
            buyer_id=case.order.buyer_id,
            conversation_id=(
                conversation_id if find_conversation(session, conversation_id) is not None else None
            ),
            now=now,
            policy=policy,
        )
    tickets.cancel_order(session, case.order.id, actor="bot", now=now)
    return decision, refund_ticket


def photo_count(session: Session, conversation_id: str) -> int:
    """Photos uploaded in this conversation that no ticket holds yet."""
    return len(_unlinked_photos(session, conversation_id))


def _unlinked_photos(session: Session, conversation_id: str) -> list[str]:
    query = select(Attachment.id).where(
        Attachment.conversation_id == conversation_id, Attachment.ticket_id.is_(None)
    )
    return list(session.scalars(query.order_by(Attachment.created_at)))


def visible_tickets(session: Session, conversation_id: str) -> list[Ticket]:
    """After-sales tickets the conversation may see: the buyer's, or the verified order's."""
    conversation = find_conversation(session, conversation_id)
    if conversation is None:
        return []
    if conversation.buyer_id is not None:
        found = tickets.buyer_tickets(session, conversation.buyer_id)
    elif conversation.verified_order_id is not None:
        found = tickets.list_tickets(session, order_id=conversation.verified_order_id)
    else:
        return []
    return [ticket for ticket in found if ticket.kind != "complaint"]


def awaiting_return(session: Session, conversation_id: str) -> list[Ticket]:
    """The conversation's tickets waiting for the buyer to send the item back."""
    found = visible_tickets(session, conversation_id)
    return [ticket for ticket in found if ticket.status == "awaiting_return"]
