"""Complaints: collect what happened (not asked again when already said), triage, file, escalate."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.asking import AskAction, Question
from actions.cards import send_card
from actions.context import policy, sessions, triager
from actions.handoff import say_expected_wait
from actions.reading import intent_of, requested_slot, text_of, wants_out
from bot.cards import ticket_card
from bot.errors import KefuError
from bot.faq.questions import asks_something
from bot.services.complaints import file_complaint
from bot.store.session import session_scope
from bot.timeutil import shop_time
from bot.triage.details import says_what_happened
from bot.triage.labels import CATEGORY_LABELS

logger = logging.getLogger(__name__)
Slots = dict[str, Any]

# While the buyer tells what happened, angry words or a late parcel are the answer itself;
# only these are questions of their own (their rules answer them, then the form asks again).
COMPLAINT_DIGRESSIONS = frozenset({"faq", "bot_challenge", "request_human"})


def is_complaint_digression(tracker: Tracker) -> bool:
    """A policy question is a digression only when it asks something: 你们客服回复太慢了
    shares the contact topic's words, but it is what happened."""
    intent = intent_of(tracker)
    if intent == "faq":
        return asks_something(text_of(tracker))
    return intent in COMPLAINT_DIGRESSIONS


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return ["as_stopped"] if tracker.get_slot("as_stopped") else ["complaint_detail"]

    def extract_complaint_detail(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        text, asked = text_of(tracker), requested_slot(tracker)
        if asked is None:
            # A buyer who vents everything in one message is not asked again.
            return {"complaint_detail": text} if says_what_happened(text) else {}
        if asked != "complaint_detail" or is_complaint_digression(tracker):
            return {}
        if wants_out(tracker):
            return {"as_stopped": True}
        return {"complaint_detail": text.strip() or None}


class AskComplaintDetail(AskAction):
    form, slot = "complaint_form", "complaint_detail"

    def question(self, tracker: Tracker) -> Question:
        return Question("utter_ask_complaint_detail", "utter_ask_complaint_detail_again")


class ActionComplaintSubmit(Action):
    """Files the complaint; P1/P2 go to a person at once, P3/P4 get a promised response time."""

    def name(self) -> str:
        return "action_complaint_submit"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reset = [SlotSet("complaint_detail", None), SlotSet("as_stopped", None)]
        if tracker.get_slot("as_stopped"):
            dispatcher.utter_message(response="utter_complaint_dropped")
            return reset
        text = _with_what_came_before(
            tracker, str(tracker.get_slot("complaint_detail") or text_of(tracker))
        )
        order_id = tracker.get_slot("order_id")
        try:
            loaded = triager()
            with session_scope(sessions()) as session:
                filed = file_complaint(
                    session,
                    loaded,
                    policy(),
                    conversation_id=tracker.sender_id,
                    text=text,
                    order_id=str(order_id) if order_id else None,
                )
                ticket_id, due = filed.ticket.id, filed.ticket.sla_due_at
                card = ticket_card(filed.ticket)
        except (KefuError, SQLAlchemyError, OSError):
            logger.exception("filing a complaint failed for %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_complaint_failed")
            return reset
        values = {
            "ticket_id": str(ticket_id),
            "category": CATEGORY_LABELS.get(filed.triage.category, "其他问题"),
            "due": shop_time(due) if due else "尽快",
        }
        if filed.handed_off:
            dispatcher.utter_message(response="utter_complaint_urgent", **values)
            send_card(dispatcher, card)
            say_expected_wait(dispatcher, tracker.sender_id)
            return [*reset, ConversationPaused()]
        dispatcher.utter_message(response="utter_complaint_filed", **values)
        send_card(dispatcher, card)
        return reset


# Buyer messages before the complaint that triage also reads: "充电的时候冒烟了" two turns
# before "我要投诉" is what makes it a safety hazard.
EARLIER_MESSAGES = 4


def _with_what_came_before(tracker: Tracker, detail: str) -> str:
    users = [e for e in tracker.events if e.get("event") == "user"]
    earlier: list[str] = []
    for event in reversed(users[:-1]):  # the latest message is the complaint's own turn
        text = str(event.get("text") or "").strip()
        if text and not text.startswith("/") and text not in detail and text not in earlier:
            earlier.append(text)
        if len(earlier) == EARLIER_MESSAGES:
            break
    return "\n".join([*reversed(earlier), detail])[:4000]
