"""Shop integration: X-Shop-Key, validation with the field named, nothing half-written."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import SHOP
from tests.factories import order_body

URL = "/api/v1/orders/2026110199990000001"


def test_put_then_get_returns_the_same_order(client: TestClient) -> None:
    created = client.put(URL, json=order_body(), headers=SHOP)
    assert created.status_code == 201 and created.json() == {
        "order_id": "2026110199990000001",
        "created": True,
    }
    again = client.put(URL, json=order_body(), headers=SHOP)
    assert again.status_code == 200 and again.json()["created"] is False
    read = client.get(URL, headers=SHOP)
    assert read.status_code == 200
    body = read.json()
    assert body["buyer"]["id"] == "b9001"
    assert body["shipment"]["events"][-1]["description"] == "已发出"
    assert body["items"][0]["unit_price_fen"] == 19900


@pytest.mark.parametrize("headers", [{}, {"X-Shop-Key": "wrong"}, {"X-Shop-Key": ""}])
def test_shop_routes_need_the_shop_key(client: TestClient, headers: dict[str, str]) -> None:
    assert client.put(URL, json=order_body(), headers=headers).status_code == 401
    assert client.get(URL, headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "teleported"}, "status"),
        ({"total_fen": 199.5}, "total_fen"),
        ({"total_fen": "很多"}, "total_fen"),
        ({"items": []}, "items"),
        ({"buyer": {"id": "b1", "name": "张三", "phone": "12345"}}, "phone"),
        ({"created_at": "2026-11-01T10:00:00"}, "created_at"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"shipment": None}, "shipment"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_invalid_orders_are_422_with_the_field_named(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = client.put(URL, json=order_body(**change), headers=SHOP)
    assert response.status_code == 422
    assert field in response.text


def test_a_rejected_update_leaves_the_stored_order_untouched(client: TestClient) -> None:
    client.put(URL, json=order_body(), headers=SHOP)
    bad = order_body(total_fen=1)
    bad["items"][0]["quantity"] = 0
    assert client.put(URL, json=bad, headers=SHOP).status_code == 422
    assert client.get(URL, headers=SHOP).json()["total_fen"] == 19900


def test_another_buyer_cannot_take_over_an_order(client: TestClient) -> None:
    client.put(URL, json=order_body(), headers=SHOP)
    other = order_body(buyer={"id": "b2", "name": "李四", "phone": "13900001111"})
    assert client.put(URL, json=other, headers=SHOP).status_code == 409
    assert client.get(URL, headers=SHOP).json()["buyer"]["id"] == "b9001"


@pytest.mark.parametrize(
    "order_id", ["123", "2026110199990000001999", "abc", "1' OR '1'='1", "20261101999900000x1"]
)
def test_malformed_order_ids_are_rejected(client: TestClient, order_id: str) -> None:
    assert client.put(
        f"/api/v1/orders/{order_id}", json=order_body(), headers=SHOP
    ).status_code in (
        404,
        422,
    )
    assert client.get(f"/api/v1/orders/{order_id}", headers=SHOP).status_code in (404, 422)


def test_unknown_order_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/orders/1111222233334444", headers=SHOP).status_code == 404


def test_hostile_text_is_stored_verbatim_not_executed(client: TestClient) -> None:
    body = order_body()
    body["items"][0]["title"] = "<script>alert(1)</script>'); DROP TABLE orders;--"
    assert client.put(URL, json=body, headers=SHOP).status_code == 201
    assert client.get(URL, headers=SHOP).json()["items"][0]["title"] == body["items"][0]["title"]


def test_shipment_events_are_appended_once(client: TestClient) -> None:
    client.put(URL, json=order_body(), headers=SHOP)
    event = {"time": "2026-11-02T15:00:00+08:00", "location": "杭州市", "description": "派送中"}
    first = client.post(f"{URL}/shipment-events", json={"events": [event]}, headers=SHOP)
    assert first.status_code == 200 and first.json() == {"added": 1, "total": 3}
    second = client.post(f"{URL}/shipment-events", json={"events": [event]}, headers=SHOP)
    assert second.json() == {"added": 0, "total": 3}
    missing = client.post(
        "/api/v1/orders/1111222233334444/shipment-events", json={"events": [event]}, headers=SHOP
    )
    assert missing.status_code == 404
    empty = client.post(f"{URL}/shipment-events", json={"events": []}, headers=SHOP)
    assert empty.status_code == 422


def test_huge_body_is_rejected_cleanly(client: TestClient) -> None:
    body = order_body()
    body["items"] = body["items"] * 500
    response = client.put(URL, json=body, headers=SHOP)
    assert response.status_code == 422 and "items" in response.text


def test_a_body_over_the_size_limit_is_413_and_nothing_is_stored(client: TestClient) -> None:
    body = order_body()
    body["items"][0]["title"] = "很长" * 400_000
    response = client.put(URL, json=body, headers=SHOP)
    assert response.status_code == 413
    assert client.get(URL, headers=SHOP).status_code == 404
