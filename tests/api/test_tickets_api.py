"""Tickets for the shop and agents: auth, each action endpoint, 404/409/422, list filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import seed
from bot.services.tickets import apply_action, open_after_sales_ticket
from bot.store.models import Order, OutboxEvent, Ticket
from bot.store.session import session_scope
from tests.api.conftest import SHOP, buyer_headers
from tests.conftest import FIXED_NOW

AGENT = {"Authorization": f"Bearer {seed.DEMO_AGENT_TOKEN}"}
URL = "/api/v1/tickets"


@pytest.fixture
def seeded_client(seeded: sessionmaker[Session], client: TestClient) -> TestClient:
    return client


def _seeded_id(sessions: sessionmaker[Session]) -> int:
    with session_scope(sessions) as session:
        ticket = session.scalars(select(Ticket).where(Ticket.order_id == seed.OPEN_REFUND)).one()
        return ticket.id


def _open(sessions: sessionmaker[Session], kind: str, *, order_id: str, buyer_id: str) -> int:
    with session_scope(sessions) as session:
        order = session.get(Order, order_id)
        assert order is not None
        ticket = open_after_sales_ticket(
            session,
            order_id=order_id,
            order_item_id=order.items[0].id,
            kind=kind,
            reason_code="quality",
            reason_text="坏了",
            shipping_paid_by="seller",
            refund_fen=100,
            buyer_id=buyer_id,
            conversation_id=None,
            now=FIXED_NOW,
        )
        return ticket.id


def _act(sessions: sessionmaker[Session], ticket_id: int, action: str, **fields: str) -> None:
    with session_scope(sessions) as session:
        apply_action(session, ticket_id, action, "test", **fields)


def _post(client: TestClient, ticket_id: int, action: str, **kwargs: Any) -> Any:
    kwargs.setdefault("headers", SHOP)
    return client.post(f"{URL}/{ticket_id}/{action}", **kwargs)


def test_the_shop_lists_tickets_in_the_agreed_shape(seeded_client: TestClient) -> None:
    response = seeded_client.get(URL, headers=SHOP)
    assert response.status_code == 200, response.text
    (ticket,) = response.json()
    assert ticket["order_id"] == seed.OPEN_REFUND
    assert (ticket["kind"], ticket["status"]) == ("return_refund", "requested")
    assert ticket["item"] == {"sku": "SH-42", "title": "轻便跑步鞋"}
    assert ticket["deadlines"]["seller_response_by"] is not None
    assert ticket["events"][0]["action"] == "open"
    for key in ("shipping_paid_by", "refund_fen", "reason", "reason_code", "return_shipment"):
        assert key in ticket
    for key in ("attachment_ids", "category", "priority", "reasons", "sla_due_at", "updated_at"):
        assert key in ticket


def test_an_agent_token_is_accepted_and_named_in_the_event(
    seeded_client: TestClient, seeded: sessionmaker[Session]
) -> None:
    ticket_id = _seeded_id(seeded)
    assert seeded_client.get(f"{URL}/{ticket_id}", headers=AGENT).status_code == 200
    response = _post(seeded_client, ticket_id, "approve", headers=AGENT, json={"note": "同意"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "awaiting_return"
    assert (body["events"][-1]["actor"], body["events"][-1]["note"]) == ("agent:xiaomei", "同意")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Shop-Key": "wrong"},
        {"Authorization": "Bearer not-a-token"},
    ],
)
def test_without_shop_key_or_agent_token_it_is_401(
    seeded_client: TestClient, seeded: sessionmaker[Session], headers: dict[str, str]
) -> None:
    ticket_id = _seeded_id(seeded)
    assert seeded_client.get(URL, headers=headers).status_code == 401
    assert _post(seeded_client, ticket_id, "approve", headers=headers).status_code == 401


def test_a_buyers_session_token_is_refused(
    seeded_client: TestClient, seeded: sessionmaker[Session]
) -> None:
    buyer = buyer_headers(seeded_client, "b1003")  # the ticket's own buyer
    ticket_id = _seeded_id(seeded)
    assert seeded_client.get(URL, headers=buyer).status_code == 401
    assert seeded_client.get(f"{URL}/{ticket_id}", headers=buyer).status_code == 401
    assert _post(seeded_client, ticket_id, "approve", headers=buyer).status_code == 401
    assert _post(seeded_client, ticket_id, "approve").json()["status"] == "awaiting_return"


def test_return_refund_through_every_endpoint(
    seeded_client: TestClient, seeded: sessionmaker[Session]
) -> None:
    ticket_id = _seeded_id(seeded)
    assert _post(seeded_client, ticket_id, "approve").json()["status"] == "awaiting_return"
    _act(seeded, ticket_id, "ship_back", courier="申通快递", tracking_no="ST123")
    received = _post(seeded_client, ticket_id, "confirm-receipt")
    assert received.json()["status"] == "received"
    assert received.json()["return_shipment"] == {"courier": "申通快递", "tracking_no": "ST123"}
    assert _post(seeded_client, ticket_id, "refund").json()["status"] == "refunded"
    closed = _post(seeded_client, ticket_id, "close")
    assert closed.json()["status"] == "closed"
    assert [e["to_status"] for e in closed.json()["events"]] == [
        "requested",
        "awaiting_return",
        "returned",
        "received",
        "refunded",
        "closed",
    ]
    with session_scope(seeded) as session:
        types = list(session.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.id)))
    assert types[-1] == "ticket.closed" and "ticket.refunded" in types


def test_complete_finishes_an_exchange(
    seeded_client: TestClient, seeded: sessionmaker[Session]
) -> None:
    ticket_id = _open(seeded, "exchange", order_id=seed.DELIVERED_2_DAYS, buyer_id="b1001")
    _post(seeded_client, ticket_id, "approve")
    _act(seeded, ticket_id, "ship_back", courier="中通", tracking_no="ZT1")
    _post(seeded_client, ticket_id, "confirm-receipt")
    response = _post(seeded_client, ticket_id, "complete")
    assert response.status_code == 200 and response.json()["status"] == "exchanged"


def test_an_illegal_action_is_409_with_the_reason(
    seeded_client: TestClient, seeded: sessionmaker[Session]
) -> None:
    ticket_id = _seeded_id(seeded)
    response = _post(seeded_client, ticket_id, "refund")
    assert response.status_code == 409
    assert "requested" in response.json()["detail"] and "refund" in response.json()["detail"]
    assert _post(seeded_client, ticket_id, "complete").status_code == 409


def test_an_unknown_ticket_is_404(seeded_client: TestClient) -> None:
    assert seeded_client.get(f"{URL}/99999", headers=SHOP).status_code == 404
    assert _post(seeded_client, 99999, "approve").status_code == 404
    assert _post(seeded_client, 99999, "reject", json={"reason": "不符合"}).status_code == 404


@pytest.mark.parametrize(
    "body", [None, {}, {"reason": ""}, {"reason": "   "}, {"reason": "x", "extra": 1}]
)
def test_reject_needs_a_reason(
    seeded_client: TestClient, seeded: sessionmaker[Session], body: dict[str, Any] | None
) -> None:
    ticket_id = _seeded_id(seeded)
    response = _post(seeded_client, ticket_id, "reject", json=body)
    assert response.status_code == 422
    assert seeded_client.get(f"{URL}/{ticket_id}", headers=SHOP).json()["status"] == "requested"


def test_reject_with_a_reason_keeps_it(
    seeded_client: TestClient, seeded: sessionmaker[Session]
) -> None:
    ticket_id = _seeded_id(seeded)
    response = _post(seeded_client, ticket_id, "reject", json={"reason": "鞋底已磨损"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == (
        "rejected",
        "鞋底已磨损",
    )


def test_list_filters_by_order_status_kind_and_updated_since(
    seeded_client: TestClient, seeded: sessionmaker[Session]
) -> None:
    seeded_id = _seeded_id(seeded)  # updated at FIXED_NOW - 1 day
    exchange_id = _open(seeded, "exchange", order_id=seed.DELIVERED_2_DAYS, buyer_id="b1001")

    def ids(**params: str) -> list[int]:
        response = seeded_client.get(URL, headers=SHOP, params=params)
        assert response.status_code == 200, response.text
        return [ticket["id"] for ticket in response.json()]

    assert ids() == [seeded_id, exchange_id]
    assert ids(order_id=seed.DELIVERED_2_DAYS) == [exchange_id]
    assert ids(kind="return_refund") == [seeded_id]
    assert ids(status="requested") == [seeded_id, exchange_id]
    assert ids(status="refunded") == []
    since = (FIXED_NOW - timedelta(hours=1)).isoformat()
    assert ids(updated_since=since) == [exchange_id]
    assert ids(updated_since="2026-11-20T03:00:00") == [exchange_id]  # no zone: UTC
    assert ids(limit="1") == [seeded_id]
    bad_params = ({"kind": "x"}, {"status": "lost"}, {"updated_since": "yesterday"}, {"limit": "0"})
    for bad in bad_params:
        assert seeded_client.get(URL, headers=SHOP, params=bad).status_code == 422
