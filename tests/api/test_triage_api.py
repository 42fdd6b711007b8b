"""POST /api/v1/triage: staff only, validated body, the order's total and history, 503 untrained."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from bot.enums import TicketKind, TicketStatus
from bot.security import hash_agent_token
from bot.settings import Settings
from bot.store.models import Agent, Ticket
from bot.store.session import session_scope
from tests.api.conftest import SHOP, buyer_headers
from tests.factories import ORDER_BODY, order_body
from tests.triage_model import triage_model_dir

URL = "/api/v1/triage"
ORDER_ID = "2026110199990000001"
AGENT_TOKEN = "triage-test-agent-token"
FIRE = "电热毯用着用着就起火了，被子烧了个洞"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return triage_model_dir(tmp_path_factory)


@pytest.fixture
def triage_client(
    settings: Settings, model_dir: Path, sessions: sessionmaker[Session]
) -> Iterator[TestClient]:
    with session_scope(sessions) as session:
        session.add(
            Agent(name="triager", display_name="小分", token_hash=hash_agent_token(AGENT_TOKEN))
        )
    app = create_app(settings.model_copy(update={"triage_model_dir": model_dir}))
    with TestClient(app) as client:
        yield client


def put_order(client: TestClient, total_fen: int) -> None:
    item = {**ORDER_BODY["items"][0], "unit_price_fen": total_fen}
    body = order_body(total_fen=total_fen, items=[item])
    response = client.put(f"/api/v1/orders/{ORDER_ID}", json=body, headers=SHOP)
    assert response.status_code == 201, response.text


def test_a_fire_is_p1_with_the_reason(triage_client: TestClient) -> None:
    response = triage_client.post(URL, json={"text": FIRE}, headers=SHOP)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"category", "priority", "reasons"}
    assert body["priority"] == "P1"
    assert body["reasons"][0] == "安全隐患：起火、烧了个洞"


def test_an_agent_token_is_accepted(triage_client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    response = triage_client.post(URL, json={"text": "衣服洗了一次就掉色"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["priority"] == "P4"


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Shop-Key": "wrong"}, {"Authorization": "Bearer not-an-agent"}],
)
def test_without_shop_key_or_agent_token_it_is_401(
    triage_client: TestClient, headers: dict[str, str]
) -> None:
    assert triage_client.post(URL, json={"text": FIRE}, headers=headers).status_code == 401


def test_a_buyers_session_token_is_refused(triage_client: TestClient) -> None:
    headers = buyer_headers(triage_client, "b9001")
    assert triage_client.post(URL, json={"text": FIRE}, headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "好" * 5001}, "text"),
        ({"text": 42}, "text"),
        ({"text": "坏了", "order_id": "12345"}, "order_id"),
        ({"text": "坏了", "order_id": "20261101999900000001234"}, "order_id"),
        ({"text": "坏了", "extra": 1}, "extra"),
    ],
)
def test_a_bad_body_is_422_with_the_field_named(
    triage_client: TestClient, body: dict[str, object], field: str
) -> None:
    response = triage_client.post(URL, json=body, headers=SHOP)
    assert response.status_code == 422
    assert field in response.text


def test_an_unknown_order_is_404(triage_client: TestClient) -> None:
    response = triage_client.post(
        URL, json={"text": "坏了", "order_id": "2026110100000000000"}, headers=SHOP
    )
    assert response.status_code == 404


def test_the_orders_total_and_earlier_complaints_raise_the_priority(
    triage_client: TestClient, sessions: sessionmaker[Session]
) -> None:
    put_order(triage_client, 259900)
    body = {"text": "屏幕有一条竖线", "order_id": ORDER_ID}
    first = triage_client.post(URL, json=body, headers=SHOP).json()
    assert (first["priority"], first["reasons"]) == ("P3", ["高金额：订单金额2599元"])

    with session_scope(sessions) as session:
        session.add(
            Ticket(
                kind=TicketKind.COMPLAINT,
                status=TicketStatus.OPEN,
                order_id=ORDER_ID,
                buyer_id="b9001",
            )
        )
    second = triage_client.post(URL, json=body, headers=SHOP).json()
    assert second["priority"] == "P2"
    assert second["reasons"] == ["重复来问：此前已就该订单投诉1次", "高金额：订单金额2599元"]


def test_a_cheap_order_with_no_history_stays_calm(triage_client: TestClient) -> None:
    put_order(triage_client, 19900)
    body = {"text": "衣服洗了一次就掉色", "order_id": ORDER_ID}
    assert triage_client.post(URL, json=body, headers=SHOP).json()["priority"] == "P4"


def test_without_a_trained_model_it_is_503_and_says_why(settings: Settings, tmp_path: Path) -> None:
    app = create_app(settings.model_copy(update={"triage_model_dir": tmp_path / "none"}))
    with TestClient(app) as client:
        response = client.post(URL, json={"text": FIRE}, headers=SHOP)
    assert response.status_code == 503
    assert "make train" in response.json()["detail"]
