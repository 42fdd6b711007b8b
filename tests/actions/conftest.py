"""Actions run against a real seeded SQLite file, with trackers loaded from JSON fixtures."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from bot import seed
from bot.security import Visitor
from bot.services.conversations import start_conversation
from bot.settings import PROJECT_ROOT, get_settings
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


DOMAIN: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def today_seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Demo data seeded relative to the real now: actions decide with the real clock."""
    with session_scope(sessions) as session:
        seed.seed_demo(session)
    return sessions


@pytest.fixture
def chat_of(today_seeded: sessionmaker[Session]) -> Callable[[str | None], str]:
    def start(buyer_id: str | None) -> str:
        visitor = Visitor(f"buyer:{buyer_id}" if buyer_id else "anon:test", buyer_id)
        with session_scope(today_seeded) as session:
            return start_conversation(session, visitor).id

    return start


def turn(
    sender: str,
    text: str,
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    form: str | None = None,
    **slots: Any,
) -> Tracker:
    """One buyer turn from the after-sales fixture, with this text, intent, form and slots."""
    state = json.loads((TRACKERS / "aftersales_turn.json").read_text(encoding="utf-8"))
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    state["sender_id"] = sender
    state["slots"].update(slots)
    state["latest_message"] = {"text": text, **parse}
    state["events"][-1].update(text=text, parse_data=parse)
    if form:
        state["active_loop"] = {"name": form}
    return Tracker.from_dict(state)


def validate(action: Any, tracker: Tracker) -> tuple[CollectingDispatcher, dict[str, Any]]:
    """Runs a form validation action; returns the dispatcher and the slots it set."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def load_tracker(name: str, sender_id: str, **slots: Any) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    state["sender_id"] = sender_id
    state["slots"].update(slots)
    return Tracker.from_dict(state)
