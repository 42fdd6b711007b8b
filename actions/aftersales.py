"""After-sales actions: where a request leads, what a finished form does, and case progress."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cases
from actions.cards import send_ticket_card
from actions.context import policy, sessions, triager
from actions.faq import related_policy_buttons
from actions.reading import FLOW_SLOTS, entity, intent_of, slot_int, text_of
from bot.aftersales.answers import (
    courier_and_tracking,
    is_progress_question,
    reason_of,
    service_of,
)
from bot.aftersales.labels import NEXT_STEPS, SERVICE_LABELS, SHIPPING_LABELS, STATUS_LABELS, yuan
from bot.errors import ClaimExists, KefuError
from bot.services import aftersales, tickets
from bot.services.aftersales import OpenedClaim
from bot.store.models import Ticket
from bot.store.session import session_scope
from bot.timeutil import shop_time
from bot.triage.model import ModelMissing

logger = logging.getLogger(__name__)

ACTION_RECORD_RETURN = "action_record_return_shipment"


def reset_flow() -> list[EventType]:
    return [SlotSet(slot, None) for slot in FLOW_SLOTS]


class ActionAftersalesStart(Action):
    """Reads what the buyer asked for: a new claim, a cancellation, or the progress of one."""

    def name(self) -> str:
        return "action_aftersales_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text, intent = text_of(tracker), intent_of(tracker)
        events = reset_flow()
        cancelling = intent == "cancel_order"
        if is_progress_question(text, cancelling=cancelling) and not entity(
            tracker, "service_type"
        ):
            return [*events, SlotSet("as_goal", "progress")]
        if intent == "cancel_order":
            return [*events, SlotSet("as_goal", "cancel")]
        if _is_a_complaint(text):
            # 充电宝冒烟了 我要投诉: triaged and, for a hazard, handed to a person at once,
            # rather than an after-sales form asking which item (DESIGN: hazards are P1).
            return [*events, SlotSet("as_goal", "complaint")]
        # What the first message already says is not asked again (the form validates it).
        reason = reason_of(text) or ("quality" if intent == "report_defect" else None)
        if reason is not None:
            events += [SlotSet("as_reason", reason), SlotSet("as_detail", text)]
        service = entity(tracker, "service_type") or service_of(text)
        if service is not None:
            events.append(SlotSet("as_service", service))
        return [*events, SlotSet("as_goal", "claim")]


# Said with a defect or a refund request, these make it a complaint: the buyer asks for one.
COMPLAINT_WORDS = ("投诉",)


def _is_a_complaint(text: str) -> bool:
    """A safety hazard or a threat (the triage lexicon in knowledge/triage.yml), or 投诉."""
    if any(word in text for word in COMPLAINT_WORDS):
        return True
    try:
        loaded = triager()
    except ModelMissing:
        logger.warning("no triage model: a hazard in an after-sales request is not escalated")
        return False
    return bool(loaded.urgent_words(text))


class ActionAftersalesSubmit(Action):
    """The after-sales form is done: open the ticket, or say why not, or that nothing was sent."""

    def name(self) -> str:
        return "action_aftersales_submit"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("as_stopped"):
            dispatcher.utter_message(response="utter_aftersales_stopped")
        elif tracker.get_slot("as_blocked"):
            _say_blocked(dispatcher, tracker)
        elif tracker.get_slot("as_confirm") is True:
            _open(dispatcher, tracker)
        else:
            dispatcher.utter_message(response="utter_aftersales_not_submitted")
        return reset_flow()


class ActionAftersalesProgress(Action):
    """我的退款到哪了: the real state of each open case, its next step and its deadline."""

    def name(self) -> str:
        return "action_aftersales_progress"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _, tracking_no = courier_and_tracking(text_of(tracker))
        if tracking_no:
            return ActionRecordReturnShipment().run(dispatcher, tracker, domain)
        with session_scope(sessions()) as session:
            found = aftersales.visible_tickets(session, tracker.sender_id)
            lines = [_progress_line(ticket) for ticket in found if ticket.status != "closed"]
            awaiting = any(ticket.status == "awaiting_return" for ticket in found)
        if not lines:
            # Nothing open: the rule the buyer may have meant is one tap away.
            related = related_policy_buttons(tracker)
            dispatcher.utter_message(response="utter_aftersales_progress_none", buttons=related)
            return [SlotSet("pending_action", None)]
        dispatcher.utter_message(response="utter_aftersales_progress", lines="\n".join(lines[:5]))
        return [SlotSet("pending_action", ACTION_RECORD_RETURN if awaiting else None)]


class ActionRecordReturnShipment(Action):
    """The buyer sent the item back: courier and tracking number go on the ticket."""

    def name(self) -> str:
        return ACTION_RECORD_RETURN

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        courier, tracking_no = courier_and_tracking(text_of(tracker))
        with session_scope(sessions()) as session:
            waiting = aftersales.awaiting_return(session, tracker.sender_id)
            if not waiting:
                dispatcher.utter_message(response="utter_return_shipment_none")
                return [SlotSet("pending_action", None)]
            if not tracking_no:
                dispatcher.utter_message(response="utter_return_shipment_missing")
                return [SlotSet("pending_action", ACTION_RECORD_RETURN)]
            ticket = tickets.record_return_shipment(
                session, waiting[0].id, courier or "快递", tracking_no, actor="buyer"
            )
            outcome = "退款" if ticket.kind == "return_refund" else "确认收货"
            values = {
                "courier": courier or "快递",
                "tracking_no": tracking_no,
                "ticket_id": str(ticket.id),
                "receipt_by": _when(ticket.receipt_due_at),
                "outcome": outcome,
            }
        dispatcher.utter_message(response="utter_return_shipment_recorded", **values)
        return [SlotSet("pending_action", None)]


def awaiting_return(tracker: Tracker) -> bool:
    """The conversation's buyer has a ticket waiting for the item to be sent back."""
    with session_scope(sessions()) as session:
        return bool(aftersales.awaiting_return(session, tracker.sender_id))


def _open(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    order_id, item_id = tracker.get_slot("order_id"), slot_int(tracker, "as_item")
    reason, service = tracker.get_slot("as_reason"), tracker.get_slot("as_service")
    if not (order_id and item_id and reason and service):
        dispatcher.utter_message(response="utter_aftersales_failed")
        return
    try:
        with session_scope(sessions()) as session:
            case = aftersales.load_case(session, tracker.sender_id, str(order_id))
            result = aftersales.open_claim(
                session,
                case,
                conversation_id=tracker.sender_id,
                item_id=item_id,
                reason=str(reason),
                service=str(service),
                detail=str(tracker.get_slot("as_detail") or ""),
                policy=policy(),
            )
            if isinstance(result, OpenedClaim):
                _say_opened(dispatcher, tracker, result, cases.payment_label(case))
                return
        dispatcher.utter_message(response="utter_aftersales_refused", **cases.refusal_text(result))
    except ClaimExists as error:
        dispatcher.utter_message(
            response="utter_aftersales_refused",
            reason=f"这件商品已经有一个售后申请在处理了（工单号{error.ticket_id}）",
            alternatives="您可以问我“售后进度”查看处理情况，或者回复“转人工”。",
        )
    except KefuError:
        logger.exception("after-sales claim failed for %s", tracker.sender_id)
        dispatcher.utter_message(response="utter_aftersales_failed")


def _say_opened(
    dispatcher: CollectingDispatcher, tracker: Tracker, opened: OpenedClaim, payment: str
) -> None:
    ticket, option = opened.ticket, opened.option
    terms = cases.terms()
    respond_by = _when(ticket.seller_response_due_at)
    if ticket.kind == "refund_only":
        next_step = {
            "response": "utter_aftersales_next_refund_only",
            "amount": yuan(option.refund_fen),
            "payment": payment,
            "days_min": str(terms.processing_working_days_min),
            "days_max": str(terms.processing_working_days_max),
        }
    else:
        next_step = {
            "response": "utter_aftersales_next_return",
            "shipping": SHIPPING_LABELS.get(option.shipping_paid_by or "", "") + "。",
        }
    dispatcher.utter_message(
        response="utter_aftersales_opened",
        service=SERVICE_LABELS[ticket.kind],
        ticket_id=str(ticket.id),
    )
    dispatcher.utter_message(respond_by=respond_by, **next_step)
    send_ticket_card(dispatcher, ticket)
    if opened.photo_ids:
        dispatcher.utter_message(
            response="utter_aftersales_photos_linked", count=str(len(opened.photo_ids))
        )
    elif tracker.get_slot("as_photos") == "later":
        dispatcher.utter_message(response="utter_aftersales_photos_later")


def _say_blocked(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if tracker.get_slot("as_blocked") == "no_orders":
        dispatcher.utter_message(
            response="utter_aftersales_refused",
            reason="您名下暂时没有可以申请售后的订单（还在路上的订单要签收后才能申请）",
            alternatives="如果是用别的账号下的单，发我订单号和下单手机号后四位；也可以回复“转人工”。",
        )
        return
    state = cases.read_case(tracker)
    if state.case is None:
        dispatcher.utter_message(response="utter_aftersales_failed")
        return
    item_id, reason = slot_int(tracker, "as_item"), tracker.get_slot("as_reason")
    refusal = cases.nothing_claimable(state.case)
    if item_id is not None and reason and cases.claimable(state.case):
        refused = cases.decision(state.case, item_id, str(reason)).refused
        refusal = refused.get("return_refund") or next(iter(refused.values()))
    dispatcher.utter_message(response="utter_aftersales_refused", **cases.refusal_text(refusal))


def _progress_line(ticket: Ticket) -> str:
    terms = cases.terms()
    item = ticket.order_item.title if ticket.order_item else "订单"
    due = ticket.receipt_due_at if ticket.status == "returned" else ticket.seller_response_due_at
    step = NEXT_STEPS.get(ticket.status, "").format(
        due=_when(due),
        days_min=terms.processing_working_days_min,
        days_max=terms.processing_working_days_max,
    )
    money = f"，退款{yuan(ticket.refund_fen)}元" if ticket.refund_fen else ""
    line = (
        f"工单{ticket.id}（{SERVICE_LABELS.get(ticket.kind, ticket.kind)}·{item}{money}）："
        f"{STATUS_LABELS.get(ticket.status, ticket.status)}"
    )
    if ticket.status == "rejected" and ticket.rejection_reason:
        line += f"，原因：{ticket.rejection_reason}"
    return f"{line}。{step}。" if step else f"{line}。"


def _when(moment: datetime | None) -> str:
    return shop_time(moment) if moment else "近期"
