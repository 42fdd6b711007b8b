"""After-sales tickets in the store. The caller owns the transaction.

Every change goes through `_change`: the state table (bot.aftersales.tickets) checks it, the
deadlines are stamped, and a ticket_events row and an outbox row are added in the same
transaction, so the audit trail and the shop's webhook never disagree with the ticket.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from bot.aftersales.facts import Claim
from bot.aftersales.tickets import (
    ACTIVE_CLAIM_EXCLUDED,
    AFTER_SALES_KINDS,
    SERVICE_KINDS,
    TIMEOUT_ACTIONS,
    next_status,
)
from bot.enums import OrderStatus, TicketKind, TicketStatus
from bot.errors import ClaimExists, MissingTicketDetail, OrderNotFound, TicketNotFound
from bot.knowledge import Policy, cached_policy
from bot.services.outbox import enqueue
from bot.settings import get_settings
from bot.store.models import Attachment, Order, OrderItem, Ticket, TicketEvent
from bot.timeutil import utcnow

log = logging.getLogger(__name__)

SYSTEM = "system"
# Nothing more is expected of anyone: what a buyer's "my open cases" leaves out.
FINISHED = frozenset(
    {
        TicketStatus.REJECTED,
        TicketStatus.WITHDRAWN,
        TicketStatus.CLOSED,
        TicketStatus.REFUNDED,
        TicketStatus.EXCHANGED,
        TicketStatus.REPAIRED,
        TicketStatus.RESOLVED,
    }
)
_EVENT_NAMES = {
    "open": "opened",
    "approve": "approved",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "ship_back": "return_shipped",
    "confirm_receipt": "receipt_confirmed",
    "refund": "refunded",
    "complete": "completed",
    "close": "closed",
    "start": "started",
    "resolve": "resolved",
    "reopen": "reopened",
}
_WITH_DETAILS = (
    selectinload(Ticket.order_item),
    selectinload(Ticket.events),
    selectinload(Ticket.attachments),
)


def open_after_sales_ticket(
    session: Session,
    *,
    order_id: str,
    order_item_id: int,
    kind: str,
    reason_code: str,
    reason_text: str,
    shipping_paid_by: str | None,
    refund_fen: int,
    buyer_id: str,
    conversation_id: str | None,
    attachment_ids: Sequence[str] = (),
    actor: str = "bot",
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Ticket:
    """A new claim in status requested; the seller must answer within the policy's days."""
    if kind not in AFTER_SALES_KINDS:
        raise ValueError(f"not an after-sales kind: {kind!r}")
    now = now or utcnow()
    item = session.get(OrderItem, order_item_id)
    if item is None or item.order_id != order_id:
        raise OrderNotFound(f"{order_id} has no item {order_item_id}")
    active = _active_claim(session, order_item_id)
    if active is not None:
        raise ClaimExists(active.id, order_item_id)
    days = _policy(policy).number("refund.seller_response_days")
    ticket = Ticket(
        kind=kind,
        status=TicketStatus.REQUESTED,
        buyer_id=buyer_id,
        order_id=order_id,
        order_item_id=order_item_id,
        conversation_id=conversation_id,
        reason_code=reason_code,
        reason=reason_text,
        shipping_paid_by=shipping_paid_by,
        refund_fen=refund_fen,
        created_at=now,
        updated_at=now,
        seller_response_due_at=now + timedelta(days=days),
    )
    session.add(ticket)
    session.flush()
    _link_attachments(session, ticket, conversation_id, attachment_ids)
    _record(session, ticket, "open", actor, None, None, now)
    return ticket


def open_complaint_ticket(
    session: Session,
    *,
    buyer_id: str | None,
    order_id: str | None,
    conversation_id: str | None,
    text: str,
    category: str,
    priority: str,
    reasons: Sequence[str],
    sla_due_at: datetime,
    actor: str = "bot",
    now: datetime | None = None,
) -> Ticket:
    """A complaint in status open, triaged, with its first-response deadline; photos linked."""
    return _open_ticket(
        session,
        actor,
        now,
        kind=TicketKind.COMPLAINT,
        buyer_id=buyer_id,
        order_id=order_id,
        conversation_id=conversation_id,
        reason=text,
        category=category,
        priority=priority,
        reasons=list(reasons),
        sla_due_at=sla_due_at,
        link_photos=True,
    )


def open_service_ticket(
    session: Session,
    *,
    kind: str,
    buyer_id: str | None,
    order_id: str,
    conversation_id: str | None,
    text: str,
    details: dict[str, Any],
    due_at: datetime,
    actor: str = "bot",
    now: datetime | None = None,
) -> Ticket:
    """An order-service request (invoice, change, price protection, urging) for the shop."""
    if kind not in SERVICE_KINDS:
        raise ValueError(f"not an order-service kind: {kind!r}")
    return _open_ticket(
        session,
        actor,
        now,
        kind=kind,
        buyer_id=buyer_id,
        order_id=order_id,
        conversation_id=conversation_id,
        reason=text,
        details=details,
        sla_due_at=due_at,
    )


def _open_ticket(
    session: Session, actor: str, now: datetime | None, link_photos: bool = False, **fields: Any
) -> Ticket:
    """A ticket in status open (complaints and service requests), with its opening event; the
    conversation's photos are linked first, so the shop's "opened" event lists them."""
    now = now or utcnow()
    ticket = Ticket(status="open", refund_fen=0, created_at=now, updated_at=now, **fields)
    session.add(ticket)
    session.flush()
    if link_photos and ticket.conversation_id is not None:
        attach_conversation_photos(session, ticket.conversation_id, ticket.id)
    _record(session, ticket, "open", actor, None, None, now)
    return ticket


def open_service_request(session: Session, order_id: str, kind: str) -> Ticket | None:
    """The request of this kind for this order that the shop has not finished yet, if any."""
    query = (
        _tickets_query()
        .where(
            Ticket.order_id == order_id,
            Ticket.kind == kind,
            Ticket.status.in_(("open", "in_progress")),
        )
        .order_by(Ticket.id.desc())
    )
    return session.scalars(query).first()


def apply_action(
    session: Session,
    ticket_id: int,
    action: str,
    actor: str,
    note: str | None = None,
    now: datetime | None = None,
    policy: Policy | None = None,
    **fields: str,
) -> Ticket:
    """The one way a ticket changes status. fields: reason (reject), courier and tracking_no
    (ship_back). Raises TicketNotFound, IllegalTicketTransition, MissingTicketDetail."""
    ticket = get_ticket(session, ticket_id)
    unknown = set(fields) - {"reason", "courier", "tracking_no"}
    if unknown:
        raise TypeError(f"unexpected ticket fields: {sorted(unknown)}")
    details = {key: value.strip() for key, value in fields.items() if value and value.strip()}
    target = next_status(ticket.kind, ticket.status, action)
    now = now or utcnow()
    _stamp(ticket, action, details, now, policy)
    previous = ticket.status
    ticket.status = target
    ticket.updated_at = now
    _record(session, ticket, action, actor, previous, note, now)
    return ticket


def record_return_shipment(
    session: Session,
    ticket_id: int,
    courier: str,
    tracking_no: str,
    actor: str,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> Ticket:
    """The buyer has sent the item back: starts the seller's receipt deadline."""
    return apply_action(
        session,
        ticket_id,
        "ship_back",
        actor,
        now=now,
        policy=policy,
        courier=courier,
        tracking_no=tracking_no,
    )


def cancel_order(session: Session, order_id: str, actor: str, now: datetime | None = None) -> Order:
    """Marks the order cancelled and tells the shop; a paid order's refund is in the event.

    The caller has asked bot.aftersales.rules.can_cancel first; cancelling twice is a no-op.
    """
    order = session.get(Order, order_id)
    if order is None:
        raise OrderNotFound(order_id)
    if order.status == OrderStatus.CANCELLED:
        return order
    now = now or utcnow()
    previous = order.status
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = now
    order.updated_at = now
    payload = {
        "order_id": order.id,
        "buyer_id": order.buyer_id,
        "previous_status": previous,
        "cancelled_at": now.isoformat(),
        "actor": actor,
        "refund_fen": order.total_fen if order.paid_at is not None else 0,
        "payment_method": order.payment_method,
    }
    enqueue(session, "order.cancelled", payload, now)
    session.flush()
    return order


def claims_for_order(session: Session, order_id: str) -> list[Claim]:
    query = (
        select(Ticket)
        .where(
            Ticket.order_id == order_id,
            Ticket.kind.in_(AFTER_SALES_KINDS),
            Ticket.order_item_id.is_not(None),
        )
        .order_by(Ticket.id)
    )
    return [
        Claim(ticket_id=t.id, item_id=t.order_item_id or 0, kind=t.kind, status=_claim_status(t))
        for t in session.scalars(query)
    ]


def _claim_status(ticket: Ticket) -> str:
    # A rejected claim that was then closed still frees the item for a new claim.
    if ticket.status == TicketStatus.CLOSED and ticket.rejection_reason:
        return TicketStatus.REJECTED
    return ticket.status


def buyer_tickets(session: Session, buyer_id: str, active_only: bool = False) -> list[Ticket]:
    """The buyer's tickets, newest first; active_only leaves out finished ones."""
    query = _tickets_query().where(Ticket.buyer_id == buyer_id)
    if active_only:
        query = query.where(Ticket.status.not_in(FINISHED))
    return list(session.scalars(query.order_by(Ticket.created_at.desc(), Ticket.id.desc())))


def attach_conversation_photos(session: Session, conversation_id: str, ticket_id: int) -> list[str]:
    """Links the conversation's photos that belong to no ticket yet; returns their ids."""
    ticket = get_ticket(session, ticket_id)
    query = select(Attachment).where(
        Attachment.conversation_id == conversation_id, Attachment.ticket_id.is_(None)
    )
    linked = [attachment.id for attachment in session.scalars(query)]
    _link_attachments(session, ticket, conversation_id, linked)
    return linked


def apply_timeouts(session: Session, now: datetime, policy: Policy | None = None) -> int:
    """Acts for a seller who let a deadline pass; returns how many tickets moved."""
    applied = 0
    for (kind, status), timeout in TIMEOUT_ACTIONS.items():
        due_column = getattr(Ticket, timeout.due_field)
        query = select(Ticket.id).where(
            Ticket.kind == kind, Ticket.status == status, due_column <= now
        )
        for ticket_id in list(session.scalars(query.order_by(Ticket.id))):
            apply_action(session, ticket_id, timeout.action, SYSTEM, timeout.note, now, policy)
            log.info("ticket %s: %s %s after its deadline", ticket_id, kind, timeout.action)
            applied += 1
    return applied


def record_sla_breach(session: Session, ticket_id: int, now: datetime) -> bool:
    """Notes, once per ticket, that a complaint's first-response deadline passed unanswered.

    Not a status change (complaints keep their own statuses): an event and a webhook row.
    Returns False when it was recorded already.
    """
    ticket = get_ticket(session, ticket_id)
    if any(event.action == "sla_breached" for event in ticket.events):
        return False
    note = "首次响应超时 / first-response SLA missed"
    _record(session, ticket, "sla_breached", SYSTEM, ticket.status, note, now)
    return True


def get_ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.scalars(_tickets_query().where(Ticket.id == ticket_id)).one_or_none()
    if ticket is None:
        raise TicketNotFound(str(ticket_id))
    return ticket


def list_tickets(
    session: Session,
    *,
    order_id: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    updated_since: datetime | None = None,
    limit: int = 200,
) -> list[Ticket]:
    """For the shop and agents: oldest change first, so a poller can page by updated_since."""
    query = _tickets_query()
    if order_id is not None:
        query = query.where(Ticket.order_id == order_id)
    if status is not None:
        query = query.where(Ticket.status == status)
    if kind is not None:
        query = query.where(Ticket.kind == kind)
    if updated_since is not None:
        query = query.where(Ticket.updated_at >= updated_since)
    query = query.order_by(Ticket.updated_at, Ticket.id).limit(limit)
    return list(session.scalars(query))


def ticket_to_dict(ticket: Ticket) -> dict[str, Any]:
    """The ticket as the API and the webhook show it: JSON-ready, times in ISO 8601 UTC."""
    item = ticket.order_item
    shipment = None
    if ticket.return_courier or ticket.return_tracking_no:
        shipment = {"courier": ticket.return_courier, "tracking_no": ticket.return_tracking_no}
    return {
        "id": ticket.id,
        "order_id": ticket.order_id,
        "buyer_id": ticket.buyer_id,
        "conversation_id": ticket.conversation_id,
        "kind": ticket.kind,
        "status": ticket.status,
        "item": {"sku": item.sku, "title": item.title} if item is not None else None,
        "shipping_paid_by": ticket.shipping_paid_by,
        "refund_fen": ticket.refund_fen,
        "reason": ticket.reason,
        "reason_code": ticket.reason_code,
        "rejection_reason": ticket.rejection_reason,
        "deadlines": {
            "seller_response_by": _iso(ticket.seller_response_due_at),
            "receipt_by": _iso(ticket.receipt_due_at),
        },
        "return_shipment": shipment,
        "attachment_ids": [attachment.id for attachment in ticket.attachments],
        "events": [
            {
                "at": _iso(event.at),
                "actor": event.actor,
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.note,
            }
            for event in ticket.events
        ],
        "category": ticket.category,
        "priority": ticket.priority,
        "reasons": ticket.reasons,
        "sla_due_at": _iso(ticket.sla_due_at),
        "details": ticket.details,
        "created_at": _iso(ticket.created_at),
        "updated_at": _iso(ticket.updated_at),
    }


def _stamp(
    ticket: Ticket, action: str, details: dict[str, str], now: datetime, policy: Policy | None
) -> None:
    """Deadlines exist only while they bind; leaving a status clears its deadline."""
    if action == "reject":
        if "reason" not in details:
            raise MissingTicketDetail("reject", "reason")
        ticket.rejection_reason = details["reason"]
    if action == "ship_back":
        for name in ("courier", "tracking_no"):
            if name not in details:
                raise MissingTicketDetail("ship_back", name)
        ticket.return_courier = details["courier"]
        ticket.return_tracking_no = details["tracking_no"]
        days = _policy(policy).number("refund.seller_confirm_receipt_days")
        ticket.receipt_due_at = now + timedelta(days=days)
    if action in ("approve", "reject", "withdraw"):
        ticket.seller_response_due_at = None
    if action in ("confirm_receipt", "refund", "withdraw"):
        ticket.receipt_due_at = None


def _record(
    session: Session,
    ticket: Ticket,
    action: str,
    actor: str,
    previous: str | None,
    note: str | None,
    now: datetime,
) -> None:
    ticket.events.append(
        TicketEvent(
            at=now,
            actor=actor,
            action=action,
            from_status=previous,
            to_status=ticket.status,
            note=note,
        )
    )
    session.flush()
    event_type = f"ticket.{_EVENT_NAMES.get(action, action)}"
    enqueue(session, event_type, {"actor": actor, "ticket": ticket_to_dict(ticket)}, now)


def _link_attachments(
    session: Session, ticket: Ticket, conversation_id: str | None, ids: Sequence[str]
) -> None:
    # Only the same conversation's photos: an id from elsewhere is ignored, never linked.
    if not ids or conversation_id is None:
        return
    query = select(Attachment).where(
        Attachment.id.in_(list(ids)),
        Attachment.conversation_id == conversation_id,
        Attachment.ticket_id.is_(None),
    )
    for attachment in session.scalars(query):
        ticket.attachments.append(attachment)
    session.flush()


def _active_claim(session: Session, order_item_id: int) -> Ticket | None:
    query = select(Ticket).where(
        Ticket.order_item_id == order_item_id,
        Ticket.kind.in_(AFTER_SALES_KINDS),
        Ticket.status.not_in(ACTIVE_CLAIM_EXCLUDED),
    )
    active = (t for t in session.scalars(query.order_by(Ticket.id)))
    return next((t for t in active if _claim_status(t) not in ACTIVE_CLAIM_EXCLUDED), None)


def _tickets_query() -> Select[Ticket]:
    return select(Ticket).options(*_WITH_DETAILS)


def _policy(policy: Policy | None) -> Policy:
    return policy or cached_policy(get_settings().knowledge_dir)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
