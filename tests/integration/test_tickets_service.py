"""After-sales tickets through the service on a migrated SQLite file: transitions, deadlines,
the audit trail and the outbox, timeouts with a fixed now, cancel_order, one claim per item."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import seed
from bot.errors import ClaimExists, IllegalTicketTransition, MissingTicketDetail
from bot.services.tickets import (
    apply_action,
    apply_timeouts,
    attach_conversation_photos,
    buyer_tickets,
    cancel_order,
    claims_for_order,
    open_after_sales_ticket,
    record_return_shipment,
    ticket_to_dict,
)
from bot.store.models import Attachment, Conversation, Order, OutboxEvent, Ticket, TicketEvent
from bot.store.session import session_scope
from tests.conftest import FIXED_NOW

DAY = timedelta(days=1)


def _item_id(session: Session, order_id: str, line: int = 0) -> int:
    order = session.get(Order, order_id)
    assert order is not None
    return order.items[line].id


def _open(session: Session, kind: str = "return_refund", **overrides: object) -> Ticket:
    values: dict[str, object] = {
        "order_id": seed.DELIVERED_2_DAYS,
        "order_item_id": _item_id(session, seed.DELIVERED_2_DAYS),
        "kind": kind,
        "reason_code": "quality",
        "reason_text": "衣服开线了",
        "shipping_paid_by": "seller",
        "refund_fen": 15800,
        "buyer_id": "b1001",
        "conversation_id": None,
        "now": FIXED_NOW,
    }
    values.update(overrides)
    return open_after_sales_ticket(session, **values)  # type: ignore[arg-type]


def _outbox_types(session: Session) -> list[str]:
    return list(session.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.id)))


def _seed_ticket(session: Session) -> Ticket:
    ticket = session.scalars(select(Ticket).where(Ticket.order_id == seed.OPEN_REFUND)).one()
    return ticket


def test_seeded_refund_is_a_return_awaiting_the_sellers_answer(
    seeded: sessionmaker[Session],
) -> None:
    with session_scope(seeded) as session:
        ticket = _seed_ticket(session)
        assert (ticket.kind, ticket.status) == ("return_refund", "requested")
        assert ticket.seller_response_due_at == FIXED_NOW - DAY + 5 * DAY
        assert ticket.refund_fen == 32900 and ticket.reason_code == "no_reason"
        assert [e.action for e in ticket.events] == ["open"]
        assert _outbox_types(session) == ["ticket.opened"]


def test_return_and_refund_walks_every_step_with_events_and_outbox_rows(
    seeded: sessionmaker[Session],
) -> None:
    with session_scope(seeded) as session:
        ticket = _open(session)
        assert ticket.seller_response_due_at == FIXED_NOW + 5 * DAY
        apply_action(session, ticket.id, "approve", "shop", now=FIXED_NOW + DAY)
        assert ticket.status == "awaiting_return"
        assert ticket.seller_response_due_at is None and ticket.receipt_due_at is None
        record_return_shipment(session, ticket.id, "顺丰速运", "SF100", "buyer:b1001")
        assert ticket.status == "returned" and ticket.return_tracking_no == "SF100"
        assert ticket.receipt_due_at is not None
        apply_action(session, ticket.id, "confirm_receipt", "agent:xiaomei", "收到了")
        assert ticket.receipt_due_at is None
        apply_action(session, ticket.id, "refund", "shop")
        apply_action(session, ticket.id, "close", "shop")
        ticket_id = ticket.id
    with session_scope(seeded) as session:
        events = list(
            session.scalars(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket_id)
                .order_by(TicketEvent.id)
            )
        )
        assert [(e.from_status, e.to_status) for e in events] == [
            (None, "requested"),
            ("requested", "awaiting_return"),
            ("awaiting_return", "returned"),
            ("returned", "received"),
            ("received", "refunded"),
            ("refunded", "closed"),
        ]
        assert events[3].actor == "agent:xiaomei" and events[3].note == "收到了"
        assert _outbox_types(session)[1:] == [
            "ticket.opened",
            "ticket.approved",
            "ticket.return_shipped",
            "ticket.receipt_confirmed",
            "ticket.refunded",
            "ticket.closed",
        ]
        last = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id.desc())).first()
        assert last is not None and last.payload["ticket"]["status"] == "closed"
        assert last.payload["ticket"]["return_shipment"] == {
            "courier": "顺丰速运",
            "tracking_no": "SF100",
        }


def test_ship_back_sets_the_receipt_deadline_from_the_policy(
    seeded: sessionmaker[Session],
) -> None:
    with session_scope(seeded) as session:
        ticket = _open(session, kind="exchange", refund_fen=0)
        apply_action(session, ticket.id, "approve", "shop", now=FIXED_NOW)
        shipped = FIXED_NOW + DAY
        apply_action(
            session, ticket.id, "ship_back", "bot", now=shipped, courier="中通", tracking_no="ZT1"
        )
        assert ticket.receipt_due_at == shipped + 10 * DAY


def test_reject_without_a_reason_is_refused_and_changes_nothing(
    seeded: sessionmaker[Session],
) -> None:
    with session_scope(seeded) as session:
        ticket = _seed_ticket(session)
        events_before = len(ticket.events)
        with pytest.raises(MissingTicketDetail, match="reason"):
            apply_action(session, ticket.id, "reject", "shop", reason="  ")
        assert ticket.status == "requested" and len(ticket.events) == events_before
        apply_action(session, ticket.id, "reject", "shop", reason="鞋底已磨损，影响二次销售")
        assert ticket.status == "rejected"
        assert ticket.rejection_reason == "鞋底已磨损，影响二次销售"
        assert ticket.seller_response_due_at is None


def test_ship_back_needs_courier_and_tracking_number(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session:
        ticket = _open(session)
        apply_action(session, ticket.id, "approve", "shop")
        with pytest.raises(MissingTicketDetail, match="tracking_no"):
            apply_action(session, ticket.id, "ship_back", "bot", courier="顺丰")
        assert ticket.status == "awaiting_return"


def test_an_illegal_action_raises_and_records_nothing(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session:
        ticket = _seed_ticket(session)
        with pytest.raises(IllegalTicketTransition):
            apply_action(session, ticket.id, "refund", "shop")
        assert ticket.status == "requested"
        assert _outbox_types(session) == ["ticket.opened"]


def test_one_active_claim_per_item_until_it_is_withdrawn(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session:
        existing = _seed_ticket(session)
        item_id = _item_id(session, seed.OPEN_REFUND)
        again = {"order_id": seed.OPEN_REFUND, "order_item_id": item_id, "buyer_id": "b1003"}
        with pytest.raises(ClaimExists) as raised:
            _open(session, **again)
        assert raised.value.ticket_id == existing.id
        apply_action(session, existing.id, "withdraw", "buyer:b1003")
        assert _open(session, kind="exchange", **again).status == "requested"


def test_a_rejected_claim_frees_the_item_even_after_it_is_closed(
    seeded: sessionmaker[Session],
) -> None:
    with session_scope(seeded) as session:
        existing = _seed_ticket(session)
        apply_action(session, existing.id, "reject", "shop", reason="商品已影响二次销售")
        apply_action(session, existing.id, "close", "shop")
        (claim,) = claims_for_order(session, seed.OPEN_REFUND)
        assert claim.status == "rejected"
        item_id = _item_id(session, seed.OPEN_REFUND)
        again = {"order_id": seed.OPEN_REFUND, "order_item_id": item_id, "buyer_id": "b1003"}
        assert _open(session, kind="exchange", **again).status == "requested"


def test_an_item_of_another_order_is_refused(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session, pytest.raises(Exception, match="no item"):
        _open(session, order_item_id=_item_id(session, seed.OPEN_REFUND))


def test_timeouts_approve_a_silent_seller_then_refund_an_unconfirmed_return(
    seeded: sessionmaker[Session],
) -> None:
    due = FIXED_NOW - DAY + 5 * DAY
    with session_scope(seeded) as session:
        assert apply_timeouts(session, due - timedelta(seconds=1)) == 0
        assert apply_timeouts(session, due) == 1
        ticket = _seed_ticket(session)
        assert ticket.status == "awaiting_return"
        assert (ticket.events[-1].actor, ticket.events[-1].note) == (
            "system",
            "卖家超时未处理，系统自动同意",
        )
        record_return_shipment(session, ticket.id, "申通", "ST9", "bot")
        shipped = ticket.events[-1].at
        assert apply_timeouts(session, shipped + 9 * DAY) == 0
        assert apply_timeouts(session, shipped + 10 * DAY + timedelta(seconds=1)) == 1
        assert ticket.status == "refunded"
        assert ticket.events[-1].note == "卖家超时未确认收货"


def test_timeout_confirms_receipt_of_an_exchange(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session:
        ticket = _open(session, kind="exchange", refund_fen=0)
        apply_action(session, ticket.id, "approve", "shop", now=FIXED_NOW)
        apply_action(
            session, ticket.id, "ship_back", "bot", now=FIXED_NOW, courier="中通", tracking_no="1"
        )
        # The seeded ticket's seller deadline has passed by then too.
        assert apply_timeouts(session, FIXED_NOW + 11 * DAY) == 2
        assert ticket.status == "received"
        assert _seed_ticket(session).status == "awaiting_return"


def test_cancel_order_marks_it_and_queues_the_refund_event_once(
    seeded: sessionmaker[Session],
) -> None:
    moment = FIXED_NOW + timedelta(minutes=3)
    with session_scope(seeded) as session:
        order = cancel_order(session, seed.PAID_NOT_SHIPPED, "bot", now=moment)
        assert (order.status, order.cancelled_at) == ("cancelled", moment)
        cancel_order(session, seed.PAID_NOT_SHIPPED, "bot", now=moment + DAY)
        rows = list(
            session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "order.cancelled"))
        )
        assert len(rows) == 1
        assert rows[0].payload["refund_fen"] == 39900
        assert rows[0].payload["previous_status"] == "paid"


def test_claims_and_buyer_tickets_see_what_is_active(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session:
        seeded_ticket = _seed_ticket(session)
        (claim,) = claims_for_order(session, seed.OPEN_REFUND)
        assert (claim.ticket_id, claim.kind, claim.status) == (
            seeded_ticket.id,
            "return_refund",
            "requested",
        )
        assert claims_for_order(session, seed.DELIVERED_2_DAYS) == []
        assert [t.id for t in buyer_tickets(session, "b1003", active_only=True)] == [
            seeded_ticket.id
        ]
        apply_action(session, seeded_ticket.id, "reject", "shop", reason="超出期限")
        assert buyer_tickets(session, "b1003", active_only=True) == []
        assert len(buyer_tickets(session, "b1003")) == 1
        assert buyer_tickets(session, "b1001") == []


def test_photos_of_the_conversation_are_linked_to_the_ticket(
    seeded: sessionmaker[Session],
) -> None:
    with session_scope(seeded) as session:
        session.add_all(
            [
                Conversation(id="c" * 32, visitor_id="buyer:b1001", buyer_id="b1001"),
                Conversation(id="d" * 32, visitor_id="buyer:b1002", buyer_id="b1002"),
            ]
        )
        session.flush()
        for photo_id, conversation in (("a1", "c"), ("a2", "c"), ("a3", "d")):
            session.add(
                Attachment(
                    id=photo_id.ljust(32, "0"),
                    conversation_id=conversation * 32,
                    content_type="image/png",
                    size_bytes=10,
                    stored_name=photo_id,
                )
            )
        session.flush()
        first = _open(
            session,
            conversation_id="c" * 32,
            attachment_ids=["a1".ljust(32, "0"), "a3".ljust(32, "0")],
        )
        assert [a.id[:2] for a in first.attachments] == ["a1"]  # a3 is someone else's
        linked = attach_conversation_photos(session, "c" * 32, first.id)
        assert [photo[:2] for photo in linked] == ["a2"]
        assert sorted(i[:2] for i in ticket_to_dict(first)["attachment_ids"]) == ["a1", "a2"]


def test_ticket_to_dict_has_the_agreed_fields(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session:
        body = ticket_to_dict(_seed_ticket(session))
    assert body["item"] == {"sku": "SH-42", "title": "轻便跑步鞋"}
    assert body["deadlines"]["seller_response_by"] == (FIXED_NOW + 4 * DAY).isoformat()
    assert body["return_shipment"] is None
    assert {"category", "priority", "reasons", "sla_due_at", "events", "reason"} <= set(body)
    assert isinstance(datetime.fromisoformat(body["created_at"]), datetime)
