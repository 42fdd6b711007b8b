"""Answers a policy question with the text knowledge/ holds now (not a copy baked into the model).

Sure of the topic: its answer. Unsure: the likely topics as buttons. Nothing close: the question
is recorded for the shop owner (`python -m bot.cli faq-gaps`) and a person is offered.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.context import sessions
from actions.reading import asks_or_picks_a_topic, entity, intent_of, requested_slot, text_of
from bot.faq.answering import FaqReply, answer, selector_ranking
from bot.faq.related import related_topic
from bot.knowledge_live import live_knowledge
from bot.services.faq_gaps import record_gap
from bot.settings import get_settings
from bot.store.session import session_scope

log = logging.getLogger(__name__)

HUMAN_BUTTON = {"title": "都不是，转人工", "payload": "/request_human"}


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if answering_the_form(tracker):
            return []  # the form takes the message as its answer, right after this
        reply = answer(
            get_settings().knowledge_dir,
            text_of(tracker) if intent_of(tracker) == "faq" else "",
            selector_ranking(tracker.latest_message),
            picked=entity(tracker, "faq_topic"),
        )
        say_faq_reply(dispatcher, tracker, reply)
        return []


def answering_the_form(tracker: Tracker) -> bool:
    """Asked a question by a form, the buyer answered it: a statement is the answer, not a FAQ
    question (你们客服回复太慢了 to "what happened?", 颜色不变还是蓝色 to "change it to what?")."""
    return (
        tracker.active_loop.get("name") is not None
        and requested_slot(tracker) is not None
        and not asks_or_picks_a_topic(tracker)
    )


def say_faq_reply(dispatcher: CollectingDispatcher, tracker: Tracker, reply: FaqReply) -> None:
    if reply.answer_text is not None:
        if reply.answer_text == last_bot_text(tracker):
            # Asked again right away: point back instead of sending the same words twice (the
            # response carries its own 转人工 button).
            dispatcher.utter_message(response="utter_faq_same_again")
        else:
            # The runners-up go along as buttons (猜你想问): a near miss is one tap away; so
            # does the service itself when the rule is about one the bot can file.
            buttons = [*service_button(reply), *topic_buttons(reply)]
            dispatcher.utter_message(text=reply.answer_text, buttons=buttons)
        return
    if reply.offers:
        dispatcher.utter_message(response="utter_faq_offer", buttons=offer_buttons(reply))
        return
    note_gap(text_of(tracker))
    dispatcher.utter_message(response="utter_faq_unknown", buttons=[HUMAN_BUTTON])


# Policy topics whose service the bot can file for the buyer's order (actions/orderservice.py).
SERVICE_FOR_TOPIC = {
    "invoice": ("帮我开发票", "/request_invoice"),
    "invoice_vat_special": ("帮我开专票", "/request_invoice"),
    "invoice_fix": ("帮我重开发票", "/request_invoice"),
    "change_address": ("帮我改订单信息", "/change_order"),
    "price_protection": ("帮我申请价保", "/request_price_protection"),
    "urge_shipping": ("帮我催发货", "/urge_shipment"),
    # Deleting an account or personal data is done in the settings or by a person, never by
    # the bot: the answer says how, and a person is one tap away.
    "privacy": ("找人工处理", "/request_human"),
}


def related_policy_buttons(tracker: Tracker) -> list[dict[str, str]]:
    """The policy question behind this request (bot/faq/related.py), as a button for the
    flow's first reply; none once offered for this message, so a form's later questions stay
    plain."""
    message = tracker.latest_message
    topic = related_topic(
        intent_of(tracker),
        text_of(tracker),
        selector_ranking(message),
        names_an_order=entity(tracker, "order_id") is not None,
    )
    if topic is None or _offered_since_message(tracker):
        return []
    entry = live_knowledge(get_settings().knowledge_dir).snapshot().faq.get(topic)
    if entry is None:
        return []  # a topic the shop removed since training
    return [{"title": f"{RELATED_PREFIX}{entry.title}", "payload": _topic_payload(topic)}]


RELATED_PREFIX = "先了解："


def _offered_since_message(tracker: Tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        buttons = (event.get("data") or {}).get("buttons") or []
        if event.get("event") == "bot" and any(
            str(b.get("title", "")).startswith(RELATED_PREFIX) for b in buttons
        ):
            return True
    return False


def _topic_payload(topic: str) -> str:
    return "/faq" + json.dumps({"faq_topic": topic})


def service_button(reply: FaqReply) -> list[dict[str, str]]:
    service = SERVICE_FOR_TOPIC.get(reply.choice.answer or "")
    return [{"title": service[0], "payload": service[1]}] if service else []


def topic_buttons(reply: FaqReply) -> list[dict[str, str]]:
    return [{"title": title, "payload": _topic_payload(topic)} for topic, title in reply.offers]


def offer_buttons(reply: FaqReply) -> list[dict[str, str]]:
    return [*topic_buttons(reply), HUMAN_BUTTON]


def note_gap(text: str) -> None:
    if not text.strip() or text.startswith("/"):
        return  # a button press is not a question
    try:
        with session_scope(sessions()) as session:
            record_gap(session, text)
    except Exception:
        # The buyer still gets an answer when the store is unreachable; the gap is lost.
        log.exception("could not record an unanswered FAQ question")


def last_bot_text(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return str(event.get("text") or "")
    return None
