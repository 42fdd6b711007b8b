"""The dialogue benchmark's turn checks (bench/dialogues.py), on hand-made observations."""

from pathlib import Path
from typing import Any

import pytest

from bench.dialogues import (
    DIALOGUES_DIR,
    FRESH_DIALOGUES_DIR,
    HELDOUT_DIALOGUES_DIR,
    Seen,
    check_turn,
    load_dialogues,
    order_payload,
)
from bot.orders.payload import OrderPayload

DIALOGUE_SETS = [DIALOGUES_DIR, HELDOUT_DIALOGUES_DIR, FRESH_DIALOGUES_DIR]
# The issue asks for at least 80 in the first set; the later ones confirm it on fewer.
MINIMUM_DIALOGUES = {DIALOGUES_DIR: 80, HELDOUT_DIALOGUES_DIR: 80, FRESH_DIALOGUES_DIR: 60}

TRACKER = {
    "latest_message": {
        "intent": {"name": "faq"},
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/refund_time"}}},
    },
    "slots": {"requested_slot": None},
}


def seen(**changes: Any) -> Seen:
    values: dict[str, Any] = {
        "texts": ["退款一般1到3天到账"],
        "buttons": [],
        "tracker": TRACKER,
        "status": "bot",
        "tickets": [],
        "tickets_before": [],
    }
    return Seen(**{**values, **changes})


def test_a_turn_that_meets_everything_has_no_failures() -> None:
    expect = {"intent": "faq/refund_time", "no_new_ticket": True, "says_any": ["到账"]}
    assert check_turn(expect, seen(), previous_bot_text="您好") == []


def test_each_expectation_can_fail() -> None:
    assert check_turn({"intent": "faq/return_policy"}, seen(), None) == ["intent"]
    assert check_turn({"ticket": "invoice"}, seen(), None) == ["ticket"]
    new = seen(tickets=[{"kind": "invoice"}])
    assert check_turn({"no_new_ticket": True}, new, None) == ["no_new_ticket"]
    assert check_turn({"handoff": True}, seen(), None) == ["handoff"]
    assert check_turn({"offers_human": True}, seen(), None) == ["offers_human"]
    assert check_turn({"asks_for_order": True}, seen(), None) == ["asks_for_order"]
    asking = seen(texts=["麻烦发一下订单号"])
    assert check_turn({"asks_for_order": False}, asking, None) == ["asks_for_order"]
    assert check_turn({"says_any": ["发票"]}, seen(), None) == ["says_any"]
    assert check_turn({"says_none": ["到账"]}, seen(), None) == ["says_none"]


def test_a_repeated_or_missing_reply_always_fails() -> None:
    assert check_turn({}, seen(), previous_bot_text="退款一般1到3天到账") == ["repeated_reply"]
    assert check_turn({}, seen(texts=[]), None) == ["no_reply"]
    # Waiting for a person, silence is right.
    assert check_turn({"handoff": True}, seen(texts=[], status="waiting_agent"), None) == []


@pytest.mark.parametrize("folder", DIALOGUE_SETS)
def test_every_dialogue_order_is_a_valid_shop_order(folder: Path) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
    dialogues = load_dialogues(folder)
    assert len(dialogues) >= MINIMUM_DIALOGUES[folder]
    for dialogue in dialogues:
        for spec in (dialogue.get("orders") or {}).values():
            OrderPayload.model_validate(order_payload("dlg-buyer", spec, now))


@pytest.mark.parametrize("folder", DIALOGUE_SETS)
def test_the_dialogue_files_use_only_known_names(folder: Path) -> None:
    """Intents from the domain, FAQ topics from knowledge/, ticket kinds from the state table,
    placeholders that name an order of the dialogue, 4-10 turns, unique ids."""
    import re

    import yaml

    from bench.dialogues import KNOWN_KEYS, PLACEHOLDER
    from bot.aftersales.tickets import KINDS
    from bot.knowledge import load_faq
    from bot.settings import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = set(domain["intents"])
    topics = set(load_faq(PROJECT_ROOT / "knowledge"))
    dialogues = load_dialogues(folder)
    assert len({d["id"] for d in dialogues}) == len(dialogues)
    for dialogue in dialogues:
        orders = set(dialogue.get("orders") or {})
        assert 4 <= len(dialogue["turns"]) <= 10, dialogue["id"]
        for turn in dialogue["turns"]:
            expect = turn["expect"]
            assert expect and set(expect) <= KNOWN_KEYS, (dialogue["id"], turn)
            intent = str(expect.get("intent", "inform"))
            name, _, topic = intent.partition("/")
            assert name in intents and (not topic or topic in topics), (dialogue["id"], intent)
            assert expect.get("ticket", "complaint") in KINDS, (dialogue["id"], turn)
            used = set(PLACEHOLDER.findall(turn["say"] + str(expect)))
            assert used <= orders, (dialogue["id"], used)
            assert not re.search(r"\{[a-z]", turn["say"]), dialogue["id"]
