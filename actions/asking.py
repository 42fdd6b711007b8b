"""How a form asks for a slot: the first time in full, then rephrased, then with a person offered.

A form asks its question again whenever an answer did not fill the slot; sending the same
words back would read like a broken bot. Each ask action records "<slot>:<n>" in `ask_state`
so the next ask of the same slot knows it is a repeat.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import related_policy_buttons


@dataclass(frozen=True)
class Question:
    first: str  # response for the first ask
    again: str  # shorter, narrower response for a repeat
    values: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)


def times_asked(tracker: Tracker, slot: str) -> int:
    state = str(tracker.get_slot("ask_state") or "")
    name, _, count = state.partition(":")
    return int(count) if name == slot and count.isdigit() else 0


def answered_something_else(tracker: Tracker) -> bool:
    """Since the buyer's message the bot ran another action (a FAQ answer, an order status):
    the question comes back after a digression, not as a repeat of itself."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        name = str(event.get("name") or "")
        if (
            event.get("event") == "action"
            and not name.endswith("_form")
            and name
            not in (
                "action_listen",
                "action_extract_slots",
            )
        ):
            return True
    return False


class AskAction(Action, ABC):
    form: str
    slot: str

    def name(self) -> str:
        return f"action_ask_{self.form}_{self.slot}"

    @abstractmethod
    def question(self, tracker: Tracker) -> Question:
        """What to ask, with the values and buttons of this buyer's case."""

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        times = times_asked(tracker, self.slot) + 1
        if answered_something_else(tracker):
            times = 1  # asked afresh after a digression: the full question again
        question = self.question(tracker)
        if times >= 3 and times % 2 == 1:
            # Third time round: a person may do better; the question stays answerable.
            dispatcher.utter_message(response="utter_still_not_clear_offer_human")
        response = question.again if times % 2 == 0 else question.first
        buttons = [*question.buttons, *related_policy_buttons(tracker)]
        dispatcher.utter_message(response=response, buttons=buttons, **question.values)
        return [SlotSet("ask_state", f"{self.slot}:{times}")]
