"""Order status: the buyer's own order, or an anonymous visitor's verified one."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.aftersales import ACTION_RECORD_RETURN, ActionRecordReturnShipment
from actions.cards import send_order_card
from actions.context import policy, sessions
from actions.faq import related_policy_buttons
from actions.reading import text_of
from bot.aftersales.answers import courier_and_tracking, item_choice, item_named
from bot.errors import OrderNotFound
from bot.mis_order import is_mis_order
from bot.services.conversations import find_conversation
from bot.services.order_lookup import OrderView, buyer_order, orders_to_pick, verified_order
from bot.store.session import session_scope

ACTION_ORDER_STATUS = "action_order_status"
STATUS_RESPONSES = {
    "pending_payment": "utter_order_status_pending_payment",
    "paid": "utter_order_status_paid",
    "shipped": "utter_order_status_shipped",
    "delivered": "utter_order_status_delivered",
    "completed": "utter_order_status_completed",
    "cancelled": "utter_order_status_cancelled",
}


class ActionOrderStatus(Action):
    def name(self) -> str:
        return ACTION_ORDER_STATUS

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("pending_action") == ACTION_RECORD_RETURN:
            # 顺丰SF… after the bot asked for the return's tracking number is that answer.
            _, tracking_no = courier_and_tracking(str(tracker.latest_message.get("text") or ""))
            if tracking_no:
                return ActionRecordReturnShipment().run(dispatcher, tracker, domain)
        order_id = _latest(tracker, "order_id")
        phone_tail = _latest(tracker, "phone_tail")
        with session_scope(sessions()) as session:
            conversation = find_conversation(session, tracker.sender_id)
            # No row (e.g. `rasa shell`): treat as an anonymous visitor.
            buyer_id = conversation.buyer_id if conversation else None
            try:
                related = related_policy_buttons(tracker)
                if buyer_id is not None and order_id:
                    view = buyer_order(session, buyer_id, order_id)
                    say_status(dispatcher, view, session, related)
                elif buyer_id is not None:
                    views = orders_to_pick(session, buyer_id)
                    titles = [" ".join(view.item_titles) for view in views]
                    if tracker.get_slot("pending_action") == ACTION_ORDER_STATUS:
                        # Asked which order: 耳机那个 / 第二个 names one of them.
                        named = item_choice(text_of(tracker), titles)
                    else:
                        # 保温杯那单啥时候到: the question itself may name the order.
                        named = item_named(text_of(tracker), titles)
                    views = [views[named]] if named is not None else views
                    return _pick_or_say(dispatcher, views, session, related)
                elif order_id and phone_tail:
                    view = verified_order(session, order_id, phone_tail)
                    say_status(dispatcher, view, session, related)
                else:
                    response = (
                        "utter_ask_phone_tail" if order_id else "utter_ask_order_verification"
                    )
                    dispatcher.utter_message(response=response, buttons=related)
                    return [SlotSet("pending_action", ACTION_ORDER_STATUS)]
            except OrderNotFound:
                dispatcher.utter_message(response="utter_order_not_found")
                return _forget_order()
        return [SlotSet("pending_action", None)]


class ActionHandleInform(Action):
    """A bare value (order number, phone tail, a pick) goes to whichever action asked for it.

    The asking action runs inside this one rather than as a FollowupAction, so the turn ends
    with one rule (inform -> action_handle_inform -> listen) and no policy has to guess.
    """

    def name(self) -> str:
        return "action_handle_inform"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_action")
        if not pending and _latest(tracker, "order_id"):
            pending = ACTION_ORDER_STATUS
        handler = VALUE_CONSUMERS.get(str(pending))
        if handler is None:
            # 拍错了 with nothing asked: offer what such a buyer usually wants, not "没看懂".
            mistaken = is_mis_order(text_of(tracker))
            dispatcher.utter_message(
                response="utter_mis_order_offer" if mistaken else "utter_default"
            )
            return []
        return handler().run(dispatcher, tracker, domain)


# Actions that ask the buyer for a value, by name: the value comes back as `inform`.
VALUE_CONSUMERS: dict[str, type[Action]] = {
    ACTION_ORDER_STATUS: ActionOrderStatus,
    ACTION_RECORD_RETURN: ActionRecordReturnShipment,
}


def say_status(
    dispatcher: CollectingDispatcher,
    view: OrderView,
    session: Session,
    buttons: list[dict[str, str]] | None = None,
) -> None:
    values = {key: value or "" for key, value in vars(view).items()}
    response = STATUS_RESPONSES[view.status]
    if view.status == "shipped" and not view.last_event_description:
        response = "utter_order_status_shipped_no_events"
    if view.status == "paid":
        values["ships_within_hours"] = str(policy().number("shipping.ships_within_hours"))
    dispatcher.utter_message(response=response, buttons=buttons or [], **values)
    send_order_card(dispatcher, session, view.order_id)


def _pick_or_say(
    dispatcher: CollectingDispatcher,
    views: list[OrderView],
    session: Session,
    related: list[dict[str, str]],
) -> list[EventType]:
    if not views:
        dispatcher.utter_message(response="utter_no_orders", buttons=related)
        return []
    if len(views) == 1:
        say_status(dispatcher, views[0], session, related)
        # The order shown is now the order in discussion: "什么时候到" next needs no pick.
        return [SlotSet("pending_action", None), SlotSet("order_id", views[0].order_id)]
    buttons = [
        {
            "title": f"{view.summary}（{view.ordered_at}下单）",
            "payload": "/inform" + json.dumps({"order_id": view.order_id}),
        }
        for view in views
    ]
    dispatcher.utter_message(response="utter_order_pick", buttons=[*buttons, *related])
    return [SlotSet("pending_action", ACTION_ORDER_STATUS)]


def _latest(tracker: Tracker, name: str) -> str | None:
    """This message's entity if it has one, else the slot from earlier in the conversation."""
    value = next(tracker.get_latest_entity_values(name), None) or tracker.get_slot(name)
    return str(value) if value else None


def _forget_order() -> list[EventType]:
    return [SlotSet("order_id", None), SlotSet("phone_tail", None)]
