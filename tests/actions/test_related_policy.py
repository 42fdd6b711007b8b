"""A policy question the NLU sent to a request flow gets that policy one tap away, beside the
flow's first question; a plain request gets the flow alone (bot/faq/related.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.aftersales_questions import AskCancelOrder
from actions.orders import ActionOrderStatus
from tests.actions.conftest import DOMAIN, load_tracker, turn

DELIVERY = '/faq{"faq_topic": "delivery_service"}'
CANCEL_RULES = '/faq{"faq_topic": "cancel_policy"}'


def parsed(tracker: Tracker, text: str, topic: str, confidence: float) -> Tracker:
    """The tracker's latest message with this text and the response selector's pick."""
    ranking = [{"intent_response_key": f"faq/{topic}", "confidence": confidence}]
    tracker.latest_message["text"] = text
    tracker.latest_message["response_selector"] = {"faq": {"ranking": ranking}}
    return tracker


def payloads(message: dict[str, Any]) -> list[str]:
    return [button["payload"] for button in message.get("buttons") or []]


def status_reply(sender: str, text: str, confidence: float = 0.92) -> list[dict[str, Any]]:
    tracker = load_tracker("order_status_no_id", sender)
    tracker = parsed(tracker, text, "delivery_service", confidence)
    dispatcher = CollectingDispatcher()
    ActionOrderStatus().run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages


def test_a_delivery_question_read_as_order_status_offers_the_delivery_rules(
    conversation_of: Callable[[str | None], str],
) -> None:
    [message] = status_reply(conversation_of("b1001"), "你们能送到家门口吗？")
    assert message["response"] == "utter_order_pick"
    assert payloads(message)[-1] == DELIVERY
    assert message["buttons"][-1]["title"] == "先了解：送货方式和派送服务"
    assert all(p.startswith("/inform{") for p in payloads(message)[:-1])


def test_a_plain_order_status_request_gets_only_the_orders(
    conversation_of: Callable[[str | None], str],
) -> None:
    # The selector is sure, but the buyer asks for nothing: the order, not the rule.
    [message] = status_reply(conversation_of("b1001"), "帮我看看订单物流，送货上门那个")
    assert all(p.startswith("/inform{") for p in payloads(message))


def test_an_unsure_selector_adds_nothing(conversation_of: Callable[[str | None], str]) -> None:
    [message] = status_reply(conversation_of("b1001"), "能送到家门口吗", confidence=0.2)
    assert DELIVERY not in payloads(message)


def test_the_cancel_forms_first_question_carries_the_cancel_rules_once(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    tracker = parsed(
        turn(sender, "", intent="cancel_order", form="cancel_form"),
        "东西都发出来了，订单还能撤回吗",
        "cancel_policy",
        0.6,
    )
    dispatcher = CollectingDispatcher()
    AskCancelOrder().run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert payloads(message)[-1] == CANCEL_RULES
    # Asked again within the same turn (a form re-asks after a failed validation): once is enough.
    tracker.events.append({"event": "bot", "text": "x", "data": {"buttons": message["buttons"]}})
    again = CollectingDispatcher()
    AskCancelOrder().run(again, tracker, DOMAIN)
    assert CANCEL_RULES not in payloads(again.messages[-1])
