"""The transactional outbox: events written with the change, delivered later to the shop's webhook.

Delivery is at least once: a receiver dedupes by the event id (body "id", header X-Kefu-Event-Id).
Each event carries a full snapshot, so a receiver that sees them out of order can still tell
the latest state by the ticket's updated_at.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import OutboxEvent
from bot.store.session import session_scope
from bot.timeutil import utcnow

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 5
MAX_RETRY_SECONDS = 3600
SIGNATURE_HEADER = "X-Kefu-Signature"


class DeliveryFailed(Exception):
    """The webhook did not take the event (error status, timeout, refused connection)."""


def enqueue(
    session: Session, event_type: str, payload: dict[str, Any], now: datetime | None = None
) -> OutboxEvent:
    """Adds an event to the caller's transaction: it exists exactly when the change does."""
    now = now or utcnow()
    row = OutboxEvent(event_type=event_type, payload=payload, created_at=now, next_attempt_at=now)
    session.add(row)
    return row


def sign(body: bytes, secret: str) -> str:
    """The X-Kefu-Signature value: sha256=<hex HMAC-SHA256 of the raw body>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """5 s after the first failure, doubling, never more than an hour."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, MAX_RETRY_SECONDS))


def event_body(row: OutboxEvent) -> bytes:
    body = {
        "id": row.id,
        "type": row.event_type,
        "created_at": row.created_at.isoformat(),
        "data": row.payload,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookSender:
    """POSTs signed events; one long-lived client so connections and TLS setup are reused."""

    def __init__(
        self, url: str, secret: str, timeout: float = 10.0, client: httpx.Client | None = None
    ) -> None:
        self.url = url
        self._secret = secret
        self._client = client or httpx.Client(timeout=timeout)

    def send(self, event_id: int, body: bytes) -> None:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(body, self._secret),
            "X-Kefu-Event-Id": str(event_id),
        }
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        if not response.is_success:
            raise DeliveryFailed(f"HTTP {response.status_code}: {response.text[:200]}")

    def close(self) -> None:
        self._client.close()


def deliver_due(
    factory: sessionmaker[Session],
    sender: WebhookSender,
    now: datetime | None = None,
    limit: int = 100,
) -> int:
    """Sends the events whose time has come, oldest first; returns how many were delivered.

    The HTTP call happens outside any write transaction, so a slow webhook never holds a lock.
    """
    now = now or utcnow()
    with session_scope(factory) as session:
        due = list(
            session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.delivered_at.is_(None), OutboxEvent.next_attempt_at <= now)
                .order_by(OutboxEvent.id)
                .limit(limit)
            )
        )
        batch = [(row.id, event_body(row)) for row in due]
    delivered = 0
    for event_id, body in batch:
        error: str | None = None
        try:
            sender.send(event_id, body)
        except DeliveryFailed as failure:
            error = str(failure)
        with session_scope(factory) as session:
            row = session.get(OutboxEvent, event_id)
            if row is None or row.delivered_at is not None:
                continue
            row.attempts += 1
            if error is None:
                row.delivered_at = now
                row.last_error = None
                delivered += 1
            else:
                row.last_error = error[:1000]
                row.next_attempt_at = now + retry_delay(row.attempts)
                log.warning("webhook delivery of event %s failed: %s", event_id, error)
    return delivered
