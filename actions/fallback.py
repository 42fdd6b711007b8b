"""A message the NLU could not place: a return's tracking number, a second miss, a question the
FAQ search recognises (offered as buttons), or a rephrase."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.aftersales import ActionRecordReturnShipment, awaiting_return
from actions.context import policy
from actions.faq import note_gap, offer_buttons
from actions.handoff import ActionHandoff
from actions.reading import text_of
from bot.aftersales.answers import courier_and_tracking
from bot.faq.answering import answer
from bot.settings import get_settings


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _, tracking_no = courier_and_tracking(text_of(tracker))
        if tracking_no and awaiting_return(tracker):
            # 寄回去了，顺丰SF… reads as nothing to the NLU, but a return is waiting for it.
            return ActionRecordReturnShipment().run(dispatcher, tracker, domain)
        if fallbacks_in_a_row(tracker) >= policy().number("handoff.fallbacks_in_a_row"):
            dispatcher.utter_message(response="utter_default_to_human")
            return ActionHandoff().run(dispatcher, tracker, domain)
        # A policy question worded so that the NLU missed it may still share the FAQ's words.
        reply = answer(get_settings().knowledge_dir, text_of(tracker), selector=[])
        if reply.offers:
            dispatcher.utter_message(response="utter_faq_offer", buttons=offer_buttons(reply))
            return []
        note_gap(text_of(tracker))
        dispatcher.utter_message(response="utter_default")
        return []


def fallbacks_in_a_row(tracker: Tracker) -> int:
    """How many of the buyer's latest messages, this one included, the NLU could not place."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "nlu_fallback":
            break
        count += 1
    return count
