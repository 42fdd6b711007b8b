"""Hands the conversation to a person: queues it in the store and pauses Rasa's tracker."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.context import policy, sessions
from bot.enums import Priority
from bot.errors import ConversationNotFound
from bot.services.agents import expected_wait_minutes
from bot.services.conversations import hand_off
from bot.store.session import session_scope
from bot.timeutil import utcnow

logger = logging.getLogger(__name__)

REASON_BY_INTENT = {
    "request_human": "request_human",
    "complain": "complaint",
    "nlu_fallback": "fallbacks",
}


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        reason = REASON_BY_INTENT.get(str(intent), "bot_requested")
        try:
            with session_scope(sessions()) as session:
                hand_off(session, tracker.sender_id, reason, Priority.P3)
        except ConversationNotFound:
            logger.warning("handoff for unknown conversation %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_failed")
            return []
        say_expected_wait(dispatcher, tracker.sender_id)
        return [ConversationPaused()]


def say_expected_wait(dispatcher: CollectingDispatcher, conversation_id: str) -> None:
    """The wait from the queue and the agents online; honest when nobody is online."""
    with session_scope(sessions()) as session:
        wait = expected_wait_minutes(session, policy(), conversation_id, utcnow())
    if wait is None:
        dispatcher.utter_message(response="utter_handoff_nobody_online")
    else:
        dispatcher.utter_message(response="utter_handoff", wait_minutes=str(wait))
