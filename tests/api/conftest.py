"""The API through TestClient on a real SQLite file; Rasa replaced by a small recording fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from bot.rasa_client import BotReply, RasaUnavailable
from bot.security import sign_buyer_id
from bot.settings import Settings

SHOP = {"X-Shop-Key": "test-shop-key"}


class RecordingRasa:
    """Answers like Rasa's REST channel and remembers what it was sent."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.replies: list[BotReply] = [BotReply("好的亲")]
        self.down = False

    def send(self, sender_id: str, text: str) -> list[BotReply]:
        self.calls.append((sender_id, text))
        if self.down:
            raise RasaUnavailable("connection refused")
        return list(self.replies)

    def resume(self, sender_id: str) -> None:
        self.calls.append((sender_id, "<resume>"))


@pytest.fixture
def rasa() -> RecordingRasa:
    return RecordingRasa()


@pytest.fixture
def client(settings: Settings, rasa: RecordingRasa) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        test_client.app.state.rasa = rasa  # type: ignore[attr-defined]
        yield test_client


def buyer_headers(client: TestClient, buyer_id: str | None) -> dict[str, str]:
    body = {}
    if buyer_id is not None:
        body = {"buyer_id": buyer_id, "signature": sign_buyer_id(buyer_id, "test-widget-secret")}
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def new_conversation(client: TestClient, headers: dict[str, str]) -> str:
    response = client.post("/api/v1/conversations", headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
