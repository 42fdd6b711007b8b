"""Outbox delivery to a real local webhook: signed bodies, retries with backoff, the scheduler."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from bot import seed
from bot.knowledge import load_policy
from bot.services.outbox import WebhookSender, deliver_due, retry_delay
from bot.services.scheduler import Scheduler
from bot.services.tickets import cancel_order
from bot.settings import PROJECT_ROOT, Settings
from bot.store.models import OutboxEvent, Ticket
from bot.store.session import session_scope
from bot.supervisor import free_port
from tests.conftest import FIXED_NOW

SECRET = "test-webhook-secret"


class Receiver:
    """A shop's webhook endpoint: checks the signature, fails the first `failures` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[dict[str, Any]] = []
        self.calls = 0
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                receiver.calls += 1
                if not hmac.compare_digest(expected, self.headers.get("X-Kefu-Signature", "")):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                elif receiver.calls <= receiver.failures:
                    self.send_response(503)
                else:
                    receiver.received.append(json.loads(body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/kefu-events"

    def types(self) -> list[str]:
        return [event["type"] for event in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver(failures=1)
    thread = threading.Thread(target=hook.server.serve_forever, daemon=True)
    thread.start()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


@pytest.fixture
def sender(receiver: Receiver) -> Iterator[WebhookSender]:
    webhook = WebhookSender(receiver.url, SECRET, timeout=5)
    yield webhook
    webhook.close()


def _rows(sessions: sessionmaker[Session]) -> list[OutboxEvent]:
    with session_scope(sessions) as session:
        return list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))


def test_a_failed_delivery_is_retried_after_the_backoff_then_delivered(
    seeded: sessionmaker[Session], receiver: Receiver, sender: WebhookSender
) -> None:
    with session_scope(seeded) as session:
        cancel_order(session, seed.PAID_NOT_SHIPPED, "bot", now=FIXED_NOW)
    assert deliver_due(seeded, sender, now=FIXED_NOW) == 1  # the first call gets a 503
    first, second = _rows(seeded)
    assert (first.attempts, first.delivered_at) == (1, None)
    assert first.last_error is not None and "503" in first.last_error
    assert first.next_attempt_at == FIXED_NOW + timedelta(seconds=5)
    assert second.delivered_at == FIXED_NOW and second.attempts == 1
    assert deliver_due(seeded, sender, now=FIXED_NOW + timedelta(seconds=4)) == 0
    assert deliver_due(seeded, sender, now=FIXED_NOW + timedelta(seconds=5)) == 1
    first, _second = _rows(seeded)
    assert first.attempts == 2 and first.last_error is None
    assert first.delivered_at == FIXED_NOW + timedelta(seconds=5)
    assert receiver.calls == 3 and receiver.bad_signatures == 0
    assert receiver.types() == ["order.cancelled", "ticket.opened"]
    opened = receiver.received[1]
    assert opened["id"] == first.id
    assert opened["data"]["ticket"]["kind"] == "return_refund"
    assert deliver_due(seeded, sender, now=FIXED_NOW + timedelta(days=1)) == 0


def test_an_unreachable_webhook_records_the_error_and_backs_off(
    seeded: sessionmaker[Session],
) -> None:
    nobody = WebhookSender(f"http://127.0.0.1:{free_port()}/", SECRET, timeout=2)
    try:
        for attempt, wait in enumerate((5, 10, 20), start=1):
            now = FIXED_NOW + timedelta(hours=attempt)
            assert deliver_due(seeded, nobody, now=now) == 0
            (row,) = _rows(seeded)
            assert row.attempts == attempt and "ConnectError" in (row.last_error or "")
            assert row.next_attempt_at == now + timedelta(seconds=wait)
    finally:
        nobody.close()


def test_the_backoff_doubles_from_5_seconds_up_to_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert retry_delay(30) == timedelta(hours=1)


def test_a_scheduler_tick_applies_timeouts_and_delivers(
    seeded: sessionmaker[Session], receiver: Receiver, sender: WebhookSender
) -> None:
    receiver.failures = 0
    policy = load_policy(PROJECT_ROOT / "knowledge")
    later = FIXED_NOW + timedelta(days=10)
    Scheduler(seeded, policy, sender, 60, clock=lambda: later).run_once()
    with session_scope(seeded) as session:
        ticket = session.scalars(select(Ticket)).one()
        assert (ticket.status, ticket.events[-1].actor) == ("awaiting_return", "system")
    assert receiver.types() == ["ticket.opened", "ticket.approved"]


def test_the_api_runs_the_scheduler_in_its_lifespan(
    seeded: sessionmaker[Session], settings: Settings, receiver: Receiver
) -> None:
    receiver.failures = 0
    live = settings.model_copy(
        update={
            "scheduler_interval_seconds": 0.05,
            "shop_webhook_url": receiver.url,
            "shop_webhook_secret": SecretStr(SECRET),
        }
    )
    with TestClient(create_app(live)):
        deadline = time.monotonic() + 10
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert receiver.types()[0] == "ticket.opened"


def test_production_refuses_the_placeholder_webhook_secret() -> None:
    secrets = {"shop_api_key": "k", "widget_secret": "w", "session_secret": "s"}
    with pytest.raises(ValidationError, match="SHOP_WEBHOOK_SECRET"):
        Settings(environment="production", **secrets)
    Settings(environment="production", shop_webhook_secret="real", **secrets)
