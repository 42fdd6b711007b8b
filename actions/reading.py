"""Small readers of the tracker shared by the after-sales actions."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker

from bot.aftersales.answers import wants_to_stop
from bot.faq.questions import asks_something

# Intents that are a question of their own, not an answer to the form's question: the form
# lets them through (its rules answer them) unless the words also answer what was asked.
DIGRESSION_INTENTS = frozenset(
    {"faq", "order_status", "bot_challenge", "out_of_scope", "request_human", "complain"}
)

# Slots of one after-sales or order-service flow, cleared when a flow starts and when it ends.
FLOW_SLOTS = (
    "as_item",
    "as_reason",
    "as_detail",
    "as_service",
    "as_photos",
    "as_confirm",
    "cancel_confirm",
    "as_blocked",
    "as_stopped",
    "ask_state",
    "svc_kind",
    "svc_title",
    "svc_tax_no",
    "svc_detail",
    "svc_what",
    "svc_flags",
)


def text_of(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def intent_of(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value not in (None, "") else None


def is_digression(tracker: Tracker) -> bool:
    """A question of its own, not an answer to what the form asked. A statement the NLU took
    for a policy question (颜色不变，还是蓝色) while the bot waits for an answer is the answer."""
    intent = intent_of(tracker)
    if intent == "faq" and requested_slot(tracker) and not asks_or_picks_a_topic(tracker):
        return False
    return intent in DIGRESSION_INTENTS


def asks_or_picks_a_topic(tracker: Tracker) -> bool:
    """The message asks something, or is a tapped FAQ topic button (先了解：…, 猜你想问): either
    way a question of its own, never the answer to what a form asked."""
    return entity(tracker, "faq_topic") is not None or asks_something(text_of(tracker))


def wants_out(tracker: Tracker) -> bool:
    """算了 / 不退了, or a goodbye; a goodbye with digits in it is more likely an answer (the
    NLU now and then reads a bare 9999 as 久久, bye)."""
    text = text_of(tracker)
    if wants_to_stop(text):
        return True
    return intent_of(tracker) == "goodbye" and not any(char.isdigit() for char in text)


def requested_slot(tracker: Tracker) -> str | None:
    value = tracker.get_slot("requested_slot")
    return str(value) if value else None


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    """A quick reply whose payload Rasa parses without the NLU: /intent{"entity": "value"}."""
    payload = f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
    return {"title": title, "payload": payload}


def slot_int(tracker: Tracker, name: str) -> int | None:
    value: Any = tracker.get_slot(name)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
