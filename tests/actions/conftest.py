"""Actions run against a real seeded SQLite file, with trackers loaded from JSON fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from sqlalchemy.orm import Session, sessionmaker

from bot.security import Visitor
from bot.services.conversations import start_conversation
from bot.settings import get_settings
from bot.store.session import session_scope

TRACKERS = Path(__file__).parent / "trackers"


@pytest.fixture(autouse=True)
def actions_use_test_database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def conversation_of(seeded: sessionmaker[Session]) -> Callable[[str | None], str]:
    """Starts a conversation for a buyer id (None: anonymous) and returns its id."""

    def start(buyer_id: str | None) -> str:
        visitor = Visitor(f"buyer:{buyer_id}" if buyer_id else "anon:test", buyer_id)
        with session_scope(seeded) as session:
            return start_conversation(session, visitor).id

    return start


def load_tracker(name: str, sender_id: str, **slots: Any) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    state["sender_id"] = sender_id
    state["slots"].update(slots)
    return Tracker.from_dict(state)
