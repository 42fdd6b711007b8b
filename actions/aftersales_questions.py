"""The questions of the after-sales and cancel forms, with buttons for this buyer's case."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions import cases
from actions.asking import AskAction, Question
from actions.cases import CaseState
from actions.context import sessions
from actions.reading import button, slot_int
from bot.aftersales import ServiceOption
from bot.aftersales.labels import (
    REASON_CHOICES,
    REASON_LABELS,
    SERVICE_LABELS,
    SHIPPING_LABELS,
    yuan,
)
from bot.services import aftersales
from bot.store.session import session_scope


def order_buttons(tracker: Tracker, purpose: str) -> list[dict[str, str]]:
    with session_scope(sessions()) as session:
        views = aftersales.orders_for(session, tracker.sender_id, purpose, cases.terms())
    return [
        button(f"{view.summary}（{view.ordered_at}下单）", "inform", order_id=view.order_id)
        for view in views
    ]


def _item_title(state: CaseState, tracker: Tracker) -> str:
    item = cases.find_item(state.case, slot_int(tracker, "as_item")) if state.case else None
    return item.title if item else "这件商品"


def _options(state: CaseState, tracker: Tracker) -> tuple[ServiceOption, ...]:
    item_id = slot_int(tracker, "as_item")
    reason = tracker.get_slot("as_reason")
    if state.case is None or item_id is None or not reason:
        return ()
    return cases.decision(state.case, item_id, str(reason)).options


class AskAftersalesOrder(AskAction):
    form, slot = "aftersales_form", "order_id"

    def question(self, tracker: Tracker) -> Question:
        buttons = order_buttons(tracker, "claim")
        if buttons:
            return Question(
                "utter_ask_aftersales_order_pick", "utter_ask_order_pick_again", buttons=buttons
            )
        return Question("utter_ask_aftersales_order_id", "utter_ask_order_id_again")


class AskAftersalesPhoneTail(AskAction):
    form, slot = "aftersales_form", "phone_tail"

    def question(self, tracker: Tracker) -> Question:
        return Question("utter_ask_verify_phone_tail", "utter_ask_verify_phone_tail_again")


class AskAftersalesItem(AskAction):
    form, slot = "aftersales_form", "as_item"

    def question(self, tracker: Tracker) -> Question:
        state = cases.read_case(tracker)
        items = cases.claimable(state.case) if state.case else ()
        buttons = [
            button(f"{item.title} ×{item.quantity}", "inform", item_no=str(item.item_id))
            for item in items
        ]
        return Question("utter_ask_as_item", "utter_ask_as_item_again", buttons=buttons)


class AskAftersalesReason(AskAction):
    form, slot = "aftersales_form", "as_reason"

    def question(self, tracker: Tracker) -> Question:
        buttons = [button(REASON_LABELS[code], "inform", reason=code) for code in REASON_CHOICES]
        return Question(
            "utter_ask_as_reason",
            "utter_ask_as_reason_again",
            {"item": _item_title(cases.read_case(tracker), tracker)},
            buttons,
        )


class AskAftersalesService(AskAction):
    form, slot = "aftersales_form", "as_service"

    def question(self, tracker: Tracker) -> Question:
        state = cases.read_case(tracker)
        options = _options(state, tracker)
        labels = [SERVICE_LABELS[option.service_type] for option in options]
        buttons = [
            button(SERVICE_LABELS[option.service_type], "inform", service_type=option.service_type)
            for option in options
        ]
        return Question(
            "utter_ask_as_service",
            "utter_ask_as_service_again",
            {"item": _item_title(state, tracker), "options": "、".join(labels)},
            buttons,
        )


class AskAftersalesPhotos(AskAction):
    form, slot = "aftersales_form", "as_photos"

    def question(self, tracker: Tracker) -> Question:
        buttons = [
            button("照片传好了", "inform", photos="sent"),
            button("没有照片，先提交", "inform", photos="later"),
        ]
        return Question("utter_ask_as_photos", "utter_ask_as_photos_again", buttons=buttons)


class AskAftersalesConfirm(AskAction):
    form, slot = "aftersales_form", "as_confirm"

    def question(self, tracker: Tracker) -> Question:
        state = cases.read_case(tracker)
        service = str(tracker.get_slot("as_service") or "")
        reason = str(tracker.get_slot("as_reason") or "")
        option = next((o for o in _options(state, tracker) if o.service_type == service), None)
        money = "不涉及退款"
        if option is not None and option.refund_fen:
            payment = cases.payment_label(state.case) if state.case else "原支付账户"
            money = f"退款金额：{yuan(option.refund_fen)}元，原路退回{payment}"
        shipping = "运费：" + SHIPPING_LABELS.get(
            option.shipping_paid_by if option else "", "不需要寄回商品"
        )
        photos = {"sent": "已上传", "later": "稍后补传"}.get(
            str(tracker.get_slot("as_photos") or ""), "不需要"
        )
        values = {
            "order_id": str(tracker.get_slot("order_id") or ""),
            "item": _item_title(state, tracker),
            "reason": REASON_LABELS.get(reason, reason),
            "service": SERVICE_LABELS.get(service, service),
            "money": money,
            "shipping": shipping,
            "photos": photos,
        }
        buttons = [button("确认提交", "affirm"), button("先不提交", "deny")]
        return Question("utter_ask_as_confirm", "utter_ask_as_confirm_again", values, buttons)


class AskCancelOrder(AskAction):
    form, slot = "cancel_form", "order_id"

    def question(self, tracker: Tracker) -> Question:
        buttons = order_buttons(tracker, "cancel")
        if buttons:
            return Question(
                "utter_ask_cancel_order_pick", "utter_ask_order_pick_again", buttons=buttons
            )
        return Question("utter_ask_cancel_order_id", "utter_ask_order_id_again")


class AskCancelPhoneTail(AskAftersalesPhoneTail):
    form, slot = "cancel_form", "phone_tail"


class AskCancelConfirm(AskAction):
    form, slot = "cancel_form", "cancel_confirm"

    def question(self, tracker: Tracker) -> Question:
        state = cases.read_case(tracker)
        buttons = [button("确认取消", "affirm"), button("不取消了", "deny")]
        if state.case is None:
            return Question("utter_ask_cancel_confirm_again", "utter_ask_cancel_confirm_again")
        terms = cases.terms()
        decision = aftersales.decide_cancel(state.case, terms)
        values = {
            "order_id": state.case.order.id,
            "summary": state.case.view.summary,
            "amount": yuan(decision.refund_fen),
            "payment": cases.payment_label(state.case),
            "days_min": str(terms.processing_working_days_min),
            "days_max": str(terms.processing_working_days_max),
        }
        first = (
            "utter_ask_cancel_confirm"
            if decision.outcome == "refund"
            else "utter_ask_cancel_confirm_unpaid"
        )
        return Question(first, "utter_ask_cancel_confirm_again", values, buttons)
