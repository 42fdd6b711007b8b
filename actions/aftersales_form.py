"""validate_aftersales_form: reads each answer, asks the policy engine, decides what is missing.

Order of questions: the order, (an anonymous visitor's phone tail), the item, the reason, the
service type (only those the policy allows for this item and reason), photos for a fault, and
a confirmation. Slots the buyer already gave, in the first message or on the way, are not
asked again. Answers are read by bot/aftersales/answers.py whatever the NLU intent says.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import cases
from actions.context import sessions
from actions.reading import (
    entity,
    intent_of,
    is_digression,
    requested_slot,
    text_of,
    wants_out,
)
from bot.aftersales import FAULT_REASONS
from bot.aftersales.answers import (
    item_choice,
    item_named,
    photos_answer,
    reason_of,
    service_of,
    yes_or_no,
)
from bot.services import aftersales
from bot.store.session import session_scope

ORDER_DIGITS = re.compile(r"(?<!\d)(\d{16,20})(?!\d)")
FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
Slots = dict[str, Any]


class ValidateAftersalesForm(FormValidationAction):
    # Which of the buyer's orders fit this flow (bot.services.aftersales.orders_for).
    purpose = "claim"
    # Taken whenever the buyer says them, even before the order is known.
    taken_early: tuple[str, ...] = ("as_reason", "as_service")
    # Answers that belonged to the order in discussion, dropped when the buyer names another.
    chosen_for_the_order: tuple[str, ...] = ("as_item", "as_service", "as_confirm", "as_photos")

    def name(self) -> str:
        return "validate_aftersales_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with cases.one_read_per_order():  # the order is read once per validation, not ten times
            return await super().run(dispatcher, tracker, domain)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # A stopped or blocked flow "requires" only the flag that ended it, which is filled,
        # so the form completes and the submit action says why.
        for flag in ("as_stopped", "as_blocked"):
            if tracker.get_slot(flag):
                return [flag]
        state = cases.read_case(tracker)
        if state.case is None:
            # The order (and an anonymous visitor's proof) is asked first.
            first = ["order_id", "phone_tail"] if state.needs_verification else ["order_id"]
            return [*first, *self.slots_taken_early(tracker)]
        return self.slots_for_the_order(tracker)

    def slots_taken_early(self, tracker: Tracker) -> tuple[str, ...]:
        return self.taken_early

    def fits_the_request(self, tracker: Tracker, order_id: str) -> bool:
        """Breaks a tie between orders the buyer's words name equally; none preferred here."""
        return True

    def settle(self, dispatcher: CollectingDispatcher, tracker: Tracker, changes: Slots) -> Slots:
        """What follows from the slots known so far, after a validated answer changed them."""
        return _settle(dispatcher, tracker, changes)

    def slots_for_the_order(self, tracker: Tracker) -> list[str]:
        slots = ["order_id", "as_item", "as_reason", "as_service"]
        if tracker.get_slot("as_reason") in FAULT_REASONS:
            slots.append("as_photos")
        return [*slots, "as_confirm"]

    # --- the order -------------------------------------------------------------------------

    def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        asked = requested_slot(tracker)
        if asked is not None and wants_out(tracker):
            return {"as_stopped": True}
        prefer = functools.partial(self.fits_the_request, tracker)
        if asked == "order_id" and intent_of(tracker) == "out_of_scope":
            # 书桌 while asked which order: an item name reads like another domain to the NLU.
            picked = _order_by_words(tracker, self.purpose, prefer=prefer)
            return picked if picked.get("order_id") else {}
        if entity(tracker, "order_id") or is_digression(tracker):
            return {}  # the slot mapping has set it already, or the message is a question
        typed = ORDER_DIGITS.search(text_of(tracker))
        if typed:
            return {"order_id": typed.group(1)}
        if tracker.get_slot("order_id"):
            return {}
        if asked is None:
            # 耳机那单想开发票: the message that starts the flow may already name the order.
            named = _order_by_words(tracker, self.purpose, first_message=True, prefer=prefer)
            return named if named.get("order_id") else _only_order(tracker, self.purpose)
        if asked == "order_id" and not is_digression(tracker):
            return _order_by_words(tracker, self.purpose, prefer=prefer)
        return {}

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not value:
            return {"order_id": None}
        state = cases.read_case(tracker, str(value))
        if state.missing:
            dispatcher.utter_message(response="utter_order_not_found")
            return {"order_id": None}
        slots: Slots = {"order_id": str(value)}
        if _switched_order(tracker):
            # Another order: what was chosen for the old one no longer applies.
            slots.update(dict.fromkeys(self.chosen_for_the_order))
        return self.settle(dispatcher, tracker, slots)

    def extract_phone_tail(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if is_digression(tracker):
            return {}  # a question of its own: its rule answers, the form asks again
        if requested_slot(tracker) != "phone_tail" or entity(tracker, "phone_tail"):
            return {}
        text = text_of(tracker)
        phone = PHONE.search(text)
        tail = phone.group(0)[-4:] if phone else None
        if tail is None:
            match = FOUR_DIGITS.search(text)
            tail = match.group(1) if match else None
        if tail:
            return {"phone_tail": tail}
        return {} if is_digression(tracker) else {"phone_tail": None}

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        order_id = tracker.get_slot("order_id")
        if not value or not order_id:
            return {"phone_tail": None}
        with session_scope(sessions()) as session:
            verified = aftersales.verify_order(session, tracker.sender_id, order_id, str(value))
        if not verified:
            return {"phone_tail": None}
        return self.settle(dispatcher, tracker, {"phone_tail": str(value)})

    # --- the item --------------------------------------------------------------------------

    def extract_as_item(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        state = cases.read_case(tracker)
        if state.case is None:
            return {}
        choices = cases.claimable(state.case)
        if not tracker.get_slot("as_item") and len(choices) == 1:
            return {"as_item": str(choices[0].item_id)}
        if requested_slot(tracker) != "as_item" or is_digression(tracker):
            return {}
        picked = slot_int_from(entity(tracker, "item_no"))
        if picked is None:
            index = item_choice(text_of(tracker), [item.title for item in choices])
            picked = choices[index].item_id if index is not None else None
        if picked is not None:
            return {"as_item": str(picked)}
        return {} if is_digression(tracker) else {"as_item": None}

    def validate_as_item(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        state = cases.read_case(tracker)
        item_id = slot_int_from(value)
        if state.case is None or item_id is None:
            return {"as_item": None}
        if item_id not in {item.item_id for item in cases.claimable(state.case)}:
            item = cases.find_item(state.case, item_id)
            if item is not None:
                refusal = cases.decision(state.case, item_id, "quality").refused
                dispatcher.utter_message(
                    response="utter_aftersales_refused",
                    **cases.refusal_text(next(iter(refusal.values()))),
                )
            return {"as_item": None}
        return self.settle(dispatcher, tracker, {"as_item": str(item_id)})

    # --- the reason ------------------------------------------------------------------------

    def extract_as_reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if is_digression(tracker):
            return {}  # a question of its own: its rule answers, the form asks again
        asked = requested_slot(tracker)
        if tracker.get_slot("as_reason") and asked != "as_reason":
            return {}
        reason = entity(tracker, "reason") or reason_of(text_of(tracker))
        if reason is None and asked == "as_reason" and intent_of(tracker) == "report_defect":
            reason = "quality"  # a fault the words above do not know (冒烟, 晃得厉害)
        if reason:
            slots: Slots = {"as_reason": reason}
            if not tracker.get_slot("as_detail"):
                slots["as_detail"] = text_of(tracker)
            return slots
        if asked == "as_reason" and not is_digression(tracker):
            return {"as_reason": None}
        return {}

    def validate_as_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if value not in aftersales.REASONS:
            return {"as_reason": None}
        return self.settle(dispatcher, tracker, {"as_reason": value})

    # --- the service type ------------------------------------------------------------------

    def extract_as_service(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if is_digression(tracker):
            return {}  # a question of its own: its rule answers, the form asks again
        asked = requested_slot(tracker)
        chosen = entity(tracker, "service_type") or service_of(text_of(tracker))
        if chosen and (asked == "as_service" or not tracker.get_slot("as_service")):
            return {"as_service": chosen}
        if asked == "as_service" and not is_digression(tracker):
            return {"as_service": None}
        return {}

    def validate_as_service(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not value:
            return {"as_service": None}
        return self.settle(dispatcher, tracker, {"as_service": str(value)})

    # --- photos and confirmation -----------------------------------------------------------

    def extract_as_photos(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if is_digression(tracker):
            return {}  # a question of its own: its rule answers, the form asks again
        if requested_slot(tracker) != "as_photos":
            return {}
        answer = entity(tracker, "photos") or photos_answer(text_of(tracker))
        if answer is None and intent_of(tracker) == "deny":
            answer = "later"
        if answer is None and intent_of(tracker) == "affirm" and _photo_count(tracker):
            answer = "sent"
        if answer:
            return {"as_photos": answer}
        return {} if is_digression(tracker) else {"as_photos": None}

    def validate_as_photos(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if value == "sent" and not _photo_count(tracker):
            return {"as_photos": None}  # the ask action says none has arrived yet
        return {"as_photos": value if value in ("sent", "later") else None}

    def extract_as_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if requested_slot(tracker) != "as_confirm":
            return {}
        return {"as_confirm": _yes_no(tracker)} if not is_digression(tracker) else {}


def slot_int_from(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _yes_no(tracker: Tracker) -> bool | None:
    intent = intent_of(tracker)
    if intent == "not_understood":
        return None  # 没看懂 is no answer, not a no: the question is asked again, narrower
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return yes_or_no(text_of(tracker))


def _only_order(tracker: Tracker, purpose: str) -> Slots:
    """At the start: a signed-in buyer with exactly one order that fits is not asked which."""
    with session_scope(sessions()) as session:
        if aftersales.is_anonymous(session, tracker.sender_id):
            return {}
        fitting = aftersales.orders_for(session, tracker.sender_id, purpose, cases.terms())
    if not fitting:
        return {"as_blocked": "no_orders"}
    return {"order_id": fitting[0].order_id} if len(fitting) == 1 else {}


def _order_by_words(
    tracker: Tracker,
    purpose: str,
    first_message: bool = False,
    prefer: Callable[[str], bool] | None = None,
) -> Slots:
    """第二个 / 袜子那个: which of the offered orders the buyer means, if it is clear; words
    that name one item of it (袜子) pick that item too. In the first message, before any order
    was offered, only words of an item's name count (第二个 means nothing yet)."""
    with session_scope(sessions()) as session:
        views = aftersales.orders_for(session, tracker.sender_id, purpose, cases.terms())
    text = text_of(tracker)
    titles = [" ".join(view.item_titles) for view in views]
    by_index = (lambda index: prefer(views[index].order_id)) if prefer else None
    if first_message:
        index = item_named(text, titles, prefer=by_index)
    else:
        index = item_choice(text, titles, prefer=by_index)
    if index is None:
        return {"order_id": None}
    chosen = views[index]
    slots: Slots = {"order_id": chosen.order_id}
    state = cases.read_case(tracker, chosen.order_id)
    if purpose == "claim" and state.case is not None and len(state.items) > 1:
        item = item_choice(text, [item.title for item in state.items])
        if item is not None:
            slots["as_item"] = str(state.items[item].item_id)
    return slots


def _switched_order(tracker: Tracker) -> bool:
    """The buyer named another order after the flow had moved past the order question."""
    asked = requested_slot(tracker)
    return asked is not None and asked not in ("order_id", "phone_tail")


def _settle(dispatcher: CollectingDispatcher, tracker: Tracker, changes: Slots) -> Slots:
    """Everything that follows from the slots known so far, after one of them changed.

    The one item left is taken, a reason for which the policy allows nothing blocks the flow,
    a service it does not allow for this item and reason is explained and dropped, and the one
    service left is taken. Runs after every validated answer, whatever order they came in.
    """
    values = {**tracker.slots, **changes}
    state = cases.read_case(tracker, values.get("order_id"))
    if state.case is None:
        return changes
    settled = dict(changes)
    items = cases.claimable(state.case)
    if not items:
        return {**settled, "as_blocked": "order"}
    item_id = slot_int_from(values.get("as_item"))
    if item_id is None and len(items) == 1:
        item_id = items[0].item_id
        settled["as_item"] = str(item_id)
    reason = values.get("as_reason")
    if item_id is None or not reason:
        return settled
    decision = cases.decision(state.case, item_id, str(reason))
    if not decision.options:
        return {**settled, "as_blocked": "reason"}
    service = values.get("as_service")
    if service and decision.option(str(service)) is None:
        refusal = decision.refused.get(str(service))
        if refusal is not None:
            _say_once(dispatcher, **cases.refusal_text(refusal))
        settled["as_service"] = service = None
    if not service and len(decision.options) == 1:
        settled["as_service"] = decision.options[0].service_type
    return settled


def _say_once(dispatcher: CollectingDispatcher, **values: str) -> None:
    """Several answers in one message may each reach the same refusal: say it once."""
    message = {"response": "utter_aftersales_refused", **values}
    if not any(all(m.get(k) == v for k, v in message.items()) for m in dispatcher.messages):
        dispatcher.utter_message(**message)


def _photo_count(tracker: Tracker) -> int:
    with session_scope(sessions()) as session:
        return aftersales.photo_count(session, tracker.sender_id)


# Which orders each form offers when it asks for one (its validator's `purpose`).
PURPOSE_OF_FORM = {"aftersales_form": "claim", "cancel_form": "cancel", "service_form": "service"}


class ActionOutOfScopeInForm(Action):
    """Out of scope while a form waits: the usual "not something I can help with", unless the
    form asked which order and the words name one of the offered orders' items (书桌): then the
    form takes it as the pick (extract_order_id) and this says nothing."""

    def name(self) -> str:
        return "action_out_of_scope_in_form"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        purpose = PURPOSE_OF_FORM.get(str(tracker.active_loop_name))
        asked_for_order = requested_slot(tracker) == "order_id" and purpose is not None
        if asked_for_order and _order_by_words(tracker, str(purpose)).get("order_id"):
            return []
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
