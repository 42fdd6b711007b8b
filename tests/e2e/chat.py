"""A buyer chatting through the public API, and the shop's side, for end-to-end tests."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

import httpx

from bot.security import sign_buyer_id
from bot.timeutil import SHOP_ZONE
from tests.conftest import LiveProduct


class Chat:
    def __init__(self, product: LiveProduct, buyer_id: str | None) -> None:
        self.http = httpx.Client(base_url=product.api, timeout=60)
        body = {}
        if buyer_id:
            body = {
                "buyer_id": buyer_id,
                "signature": sign_buyer_id(buyer_id, product.widget_secret),
            }
        token = self.http.post("/api/v1/sessions", json=body).json()["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.id = self.http.post("/api/v1/conversations").json()["id"]

    def say(self, text: str, payload: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"text": text, "client_message_id": uuid.uuid4().hex}
        if payload:
            body["payload"] = payload
        response = self.http.post(f"/api/v1/conversations/{self.id}/messages", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def transcript(self) -> str:
        """The conversation as the buyer's history shows it (printed by tests run with -s)."""
        history = self.http.get(f"/api/v1/conversations/{self.id}/messages").json()["messages"]
        return "\n".join(f"{message['sender']}: {message['text']}" for message in history)

    def press(self, turn: dict[str, Any], title_part: str) -> dict[str, Any]:
        """Presses the quick reply whose title contains title_part, as the widget does."""
        [chosen] = [b for b in buttons(turn) if title_part in b["title"]]
        return self.say(chosen["title"], chosen["payload"])

    def upload_png(self, png: bytes) -> dict[str, Any]:
        response = self.http.post(
            f"/api/v1/conversations/{self.id}/attachments",
            files={"file": ("photo.png", png, "image/png")},
        )
        assert response.status_code in (200, 201), response.text
        return dict(response.json())


def texts(turn: dict[str, Any]) -> str:
    return "\n".join(message["text"] for message in turn["messages"])


def buttons(turn: dict[str, Any]) -> list[dict[str, Any]]:
    return [button for message in turn["messages"] for button in message["buttons"]]


def shop_day(days_ago: int, hour: int = 12) -> str:
    """Noon (shop time) of the calendar day `days_ago` days before today in Shanghai."""
    today = datetime.now(SHOP_ZONE).date()
    return datetime.combine(today - timedelta(days=days_ago), time(hour), SHOP_ZONE).isoformat()


def put_order(product: LiveProduct, order_id: str, body: dict[str, Any]) -> None:
    response = httpx.put(
        f"{product.api}/api/v1/orders/{order_id}",
        json=body,
        headers={"X-Shop-Key": product.shop_key},
    )
    assert response.is_success, response.text


def shop_tickets(product: LiveProduct, order_id: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{product.api}/api/v1/tickets",
        params={"order_id": order_id},
        headers={"X-Shop-Key": product.shop_key},
    )
    assert response.status_code == 200, response.text
    return list(response.json())


def shop_order(product: LiveProduct, order_id: str) -> dict[str, Any]:
    response = httpx.get(
        f"{product.api}/api/v1/orders/{order_id}", headers={"X-Shop-Key": product.shop_key}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())
