"""Cancelling an order: validate_cancel_form and what the finished form does."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import cases
from actions.aftersales import reset_flow
from actions.aftersales_form import ValidateAftersalesForm, _yes_no
from actions.context import policy, sessions
from actions.reading import intent_of, is_digression, requested_slot, wants_out
from bot.aftersales.labels import yuan
from bot.errors import KefuError
from bot.services import aftersales
from bot.store.session import session_scope

logger = logging.getLogger(__name__)
Slots = dict[str, Any]


class ValidateCancelForm(ValidateAftersalesForm):
    """Reads the order and the phone tail like the after-sales form, then one confirmation."""

    purpose = "cancel"
    taken_early = ()
    chosen_for_the_order = ("cancel_confirm",)

    def name(self) -> str:
        return "validate_cancel_form"

    def slots_for_the_order(self, tracker: Tracker) -> list[str]:
        return ["order_id", "cancel_confirm"]

    def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if requested_slot(tracker) == "cancel_confirm":
            return {}  # 不取消了 answers the confirmation, it does not stop the flow
        return super().extract_order_id(dispatcher, tracker, domain)

    def settle(self, dispatcher: CollectingDispatcher, tracker: Tracker, changes: Slots) -> Slots:
        """An order that can no longer be cancelled ends the form; the submit action says why."""
        state = cases.read_case(tracker, {**tracker.slots, **changes}.get("order_id"))
        if state.case is None:
            return changes
        allowed = aftersales.decide_cancel(state.case, cases.terms()).allowed
        return {**changes, "as_blocked": None if allowed else "order"}

    def extract_cancel_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if requested_slot(tracker) != "cancel_confirm":
            return {}
        if wants_out(tracker):
            return {"cancel_confirm": False}
        answer = _yes_no(tracker)
        if answer is None and intent_of(tracker) == "cancel_order":
            answer = True  # 取消吧 / 帮我取消 while asked to confirm the cancellation
        if answer is not None:
            return {"cancel_confirm": answer}
        return {} if is_digression(tracker) else {"cancel_confirm": None}


class ActionCancelSubmit(Action):
    def name(self) -> str:
        return "action_cancel_submit"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        order_id = str(tracker.get_slot("order_id") or "")
        if tracker.get_slot("as_stopped"):
            dispatcher.utter_message(response="utter_aftersales_stopped")
        elif tracker.get_slot("as_blocked") == "no_orders":
            dispatcher.utter_message(
                response="utter_aftersales_refused",
                reason="您名下没有还能取消的订单（已经发货的订单不能直接取消）",
                alternatives="您可以：发货后在快递上门时拒收；或者签收后申请退货；也可以回复“转人工”。",
            )
        elif tracker.get_slot("as_blocked"):
            _say_refused(dispatcher, tracker)
        elif tracker.get_slot("cancel_confirm") is True:
            _cancel(dispatcher, tracker, order_id)
        else:
            dispatcher.utter_message(response="utter_cancel_kept", order_id=order_id)
        return reset_flow()


def _say_refused(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    state = cases.read_case(tracker)
    if state.case is None:
        dispatcher.utter_message(response="utter_aftersales_failed")
        return
    refusal = aftersales.decide_cancel(state.case, cases.terms()).refusal
    if refusal is not None:
        dispatcher.utter_message(response="utter_aftersales_refused", **cases.refusal_text(refusal))


def _cancel(dispatcher: CollectingDispatcher, tracker: Tracker, order_id: str) -> None:
    try:
        with session_scope(sessions()) as session:
            case = aftersales.load_case(session, tracker.sender_id, order_id)
            decision, ticket = aftersales.cancel(
                session, case, conversation_id=tracker.sender_id, policy=policy()
            )
            if not decision.allowed and decision.refusal is not None:
                text = cases.refusal_text(decision.refusal)
                dispatcher.utter_message(response="utter_aftersales_refused", **text)
                return
            if ticket is None:
                dispatcher.utter_message(response="utter_cancel_done_unpaid", order_id=order_id)
                return
            terms = cases.terms()
            dispatcher.utter_message(
                response="utter_cancel_done_refund",
                order_id=order_id,
                amount=yuan(decision.refund_fen),
                ticket_id=str(ticket.id),
                payment=cases.payment_label(case),
                days_min=str(terms.processing_working_days_min),
                days_max=str(terms.processing_working_days_max),
            )
    except KefuError:
        logger.exception("cancelling %s failed", order_id)
        dispatcher.utter_message(response="utter_aftersales_failed")
