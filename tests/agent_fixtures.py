"""Helpers for the agent-side tests: agents with tokens, conversations waiting for a person."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.enums import Priority, TicketKind, TicketStatus
from bot.security import hash_agent_token
from bot.services.conversations import hand_off
from bot.store.models import Agent, Ticket
from bot.store.session import session_scope
from tests.api.conftest import RecordingRasa, buyer_headers, new_conversation


def make_agent(sessions: sessionmaker[Session], name: str, online: bool = False) -> dict[str, str]:
    """Creates an agent as the CLI does (hashed token) and returns its bearer header."""
    token = f"agent-token-{name}"
    with session_scope(sessions) as session:
        session.add(
            Agent(
                name=name,
                display_name=f"客服{name}",
                token_hash=hash_agent_token(token),
                online=online,
            )
        )
    return {"Authorization": f"Bearer {token}"}


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def waiting_conversation(
    client: TestClient,
    rasa: RecordingRasa,
    sessions: sessionmaker[Session],
    buyer: str | None = "b1001",
    text: str = "我要找人工",
    priority: Priority | None = None,
) -> tuple[str, dict[str, str]]:
    """A buyer's conversation queued for a person (Rasa down hands it off), optionally re-
    prioritised as a complaint handoff would."""
    headers = buyer_headers(client, buyer)
    conversation = new_conversation(client, headers)
    rasa.down = True
    response = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": text, "client_message_id": "first"},
        headers=headers,
    )
    rasa.down = False
    assert response.json()["status"] == "waiting_agent", response.text
    if priority is not None:
        with session_scope(sessions) as session:
            hand_off(session, conversation, "complaint", priority)
    return conversation, headers


def add_complaint(
    sessions: sessionmaker[Session],
    conversation_id: str,
    category: str,
    priority: str,
    sla_due_at: datetime | None = None,
    created_at: datetime | None = None,
) -> int:
    with session_scope(sessions) as session:
        ticket = Ticket(
            kind=TicketKind.COMPLAINT,
            status=TicketStatus.OPEN,
            conversation_id=conversation_id,
            reason="充电宝冒烟了",
            category=category,
            priority=priority,
            reasons={"signals": ["safety"]},
            sla_due_at=sla_due_at,
            **({"created_at": created_at} if created_at else {}),
        )
        session.add(ticket)
        session.flush()
        return ticket.id


@contextmanager
def sse_events(client: TestClient, url: str) -> Iterator[queue.Queue[dict[str, Any]]]:
    """Opens a server-sent event stream and yields a queue of its data events.

    The stream is read in a thread so a test can act meanwhile and wait with a timeout.
    Returns once the stream has said it is connected (the subscription exists).
    """
    events: queue.Queue[dict[str, Any]] = queue.Queue()
    connected = threading.Event()
    with client.stream("GET", url) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")

        def read() -> None:
            try:
                for line in response.iter_lines():
                    if line.startswith(": connected"):
                        connected.set()
                    elif line.startswith("data: "):
                        events.put(json.loads(line.removeprefix("data: ")))
            except Exception:  # closed by the test: the stream's end shows as an error here
                return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert connected.wait(5), "the stream never said it was connected"
        yield events
    reader.join(5)


def next_event(
    events: queue.Queue[dict[str, Any]], type_: str, timeout: float = 5.0
) -> dict[str, Any]:
    """The next event of this type (others are skipped)."""
    while True:
        event = events.get(timeout=timeout)
        if event["type"] == type_:
            return event
