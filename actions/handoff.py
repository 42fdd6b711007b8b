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
from bot.services.conversations import hand_off
from bot.store.session import session_scope

logger = logging.getLogger(__name__)

REASON_BY_INTENT = {"request_human": "request_human", "complain": "complaint"}


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
        wait = policy().number("handoff.expected_wait_minutes")
        dispatcher.utter_message(response="utter_handoff", wait_minutes=str(wait))
        return [ConversationPaused()]
