"""Order services (invoices, changes before shipment, price protection, urging shipment):
which one the buyer asked for, service_form's questions and answers, and what the finished form
does. The rules are bot/orderservice; the ticket is opened by bot.services.order_service."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import cases
from actions.aftersales import reset_flow
from actions.aftersales_form import ValidateAftersalesForm
from actions.aftersales_questions import order_buttons
from actions.asking import AskAction, Question
from actions.cards import send_ticket_card
from actions.context import policy, sessions
from actions.orders import say_status
from actions.reading import (
    button,
    entity,
    intent_of,
    is_digression,
    requested_slot,
    text_of,
    wants_out,
)
from bot.errors import KefuError
from bot.orderservice import rules
from bot.orderservice.details import (
    CHANGE_LABELS,
    PERSONAL,
    is_company,
    person_title,
    read_change,
    read_invoice,
    tax_number,
)
from bot.services import aftersales, order_service
from bot.services.order_lookup import describe
from bot.store.session import session_scope
from bot.timeutil import shop_time

logger = logging.getLogger(__name__)
Slots = dict[str, Any]

KIND_BY_INTENT = {
    "request_invoice": rules.INVOICE,
    "change_order": rules.ORDER_CHANGE,
    "request_price_protection": rules.PRICE_PROTECTION,
    "urge_shipment": rules.SHIPPING_URGE,
}
HUMAN_BUTTON = button("转人工", "request_human")
# What the buyer is told once the request is filed: what happens next and by when.
OPENED_RESPONSES = {
    rules.INVOICE: "utter_service_opened_invoice",
    rules.ORDER_CHANGE: "utter_service_opened_order_change",
    rules.PRICE_PROTECTION: "utter_service_opened_price_protection",
    rules.SHIPPING_URGE: "utter_service_opened_shipping_urge",
}
# Replies that acknowledge rather than answer (好的，明白了，谢谢！).
ACKNOWLEDGEMENTS = ("affirm", "deny", "thank", "greet", "goodbye")
NO_TAX_NUMBER = ("没有", "不知道", "不需要", "不用", "没税号", "回头", "稍后")


class ActionServiceStart(Action):
    """Which service the buyer asked for, and what the first message already gives."""

    def name(self) -> str:
        return "action_service_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kind = KIND_BY_INTENT.get(intent_of(tracker), str(tracker.get_slot("svc_kind") or ""))
        return [*reset_flow(), SlotSet("svc_kind", kind), *_first_message_slots(kind, tracker)]


def _first_message_slots(kind: str, tracker: Tracker) -> list[EventType]:
    text = text_of(tracker)
    slots: Slots = {}
    if text.startswith("/"):
        return []  # a button (帮我开发票 beside the invoice answer) says nothing more
    if kind == rules.INVOICE:
        invoice = read_invoice(text)
        slots = {"svc_title": invoice.title, "svc_tax_no": invoice.tax_number}
        company = invoice.wants_company and not invoice.title
        marks = (("vat_special", invoice.vat_special), ("fix", invoice.fix), ("company", company))
        flags = [name for name, on in marks if on]
        slots["svc_flags"] = ",".join(flags) or None
    elif kind == rules.ORDER_CHANGE:
        change = read_change(text)
        slots = {"svc_what": change.what, "svc_detail": change.new_value}
    elif kind == rules.PRICE_PROTECTION:
        slots = {"svc_detail": text}
    return [SlotSet(name, value) for name, value in slots.items() if value]


class ValidateServiceForm(ValidateAftersalesForm):
    """The order (as in the other forms), then what this service needs: an invoice's title and
    tax number, or the new value of a change. Price protection and urging need only the order."""

    purpose = "service"
    taken_early = ()
    chosen_for_the_order = ()

    def name(self) -> str:
        return "validate_service_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        # 公司的, whenever it is said in an invoice request: the name that follows is a
        # company's (小禾科技) and needs a tax number. The form keeps only its required slots,
        # so the flag is set here.
        flags = str(tracker.get_slot("svc_flags") or "")
        if tracker.get_slot("svc_kind") != rules.INVOICE or "company" in flags:
            return events
        if is_digression(tracker) or requested_slot(tracker) == "svc_tax_no":
            return events
        if read_invoice(text_of(tracker)).wants_company:
            events.append(SlotSet("svc_flags", ",".join(f for f in (flags, "company") if f)))
        return events

    def slots_taken_early(self, tracker: Tracker) -> tuple[str, ...]:
        # An invoice's title and tax number are kept even when said before the order is known.
        return ("svc_title", "svc_tax_no") if tracker.get_slot("svc_kind") == rules.INVOICE else ()

    def fits_the_request(self, tracker: Tracker, order_id: str) -> bool:
        """冰箱那单 names the fridge and the fridge deodoriser alike: the order this service
        allows (the fridge not yet shipped, for a change of delivery date) is the one meant."""
        return not _service_blocked(tracker, order_id)

    def slots_for_the_order(self, tracker: Tracker) -> list[str]:
        kind = tracker.get_slot("svc_kind")
        if kind == rules.INVOICE:
            company = "company" in str(tracker.get_slot("svc_flags") or "")
            needs_tax_number = company or is_company(tracker.get_slot("svc_title"))
            return ["order_id", "svc_title", *(["svc_tax_no"] if needs_tax_number else [])]
        if kind == rules.ORDER_CHANGE:
            return ["order_id", "svc_detail"]
        return ["order_id"]

    def settle(self, dispatcher: CollectingDispatcher, tracker: Tracker, changes: Slots) -> Slots:
        """An order that does not allow the service ends the form; the submit action says why."""
        blocked = _service_blocked(tracker, {**tracker.slots, **changes}.get("order_id"))
        if blocked is None:
            return changes
        return {**changes, "as_blocked": "service" if blocked else None}

    def extract_svc_title(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        asked = requested_slot(tracker) == "svc_title"
        if is_digression(tracker):
            return {}
        text = text_of(tracker)
        invoice = read_invoice(text)
        if not asked:
            # A company and its tax number given while the order was still being asked for
            # (the buyer answers ahead): kept, so neither is asked for again.
            named = tracker.get_slot("svc_kind") == rules.INVOICE and is_company(invoice.title)
            if not named or tracker.get_slot("svc_title"):
                return {}
            return {"svc_title": invoice.title}  # the tax number: extract_svc_tax_no
        if intent_of(tracker) == "not_understood":
            return {"svc_title": None}  # asked again, narrower (actions/asking.py)
        if wants_out(tracker):
            return {"as_stopped": True}
        if intent_of(tracker) in ACKNOWLEDGEMENTS and not (invoice.title or invoice.tax_number):
            return {"svc_title": None}  # 好的，谢谢！ is not a title: asked again
        picked = entity(tracker, "invoice_title")  # a button: 个人 or 公司
        if picked == PERSONAL:
            return {"svc_title": PERSONAL}
        slots: Slots = {"svc_tax_no": invoice.tax_number} if invoice.tax_number else {}
        company = invoice.wants_company or "company" in str(tracker.get_slot("svc_flags") or "")
        title = invoice.title or (None if company else person_title(text, asked=True))
        if title:
            return {**slots, "svc_title": title}
        # A bare name (小禾科技) answers the question; 公司的 says only which kind.
        words = text.strip(" ，,。.！!？?～~")
        if not invoice.wants_company and 2 <= len(words) <= 40 and not words.isdigit():
            return {**slots, "svc_title": words if company or len(words) >= 4 else None}
        return {**slots, "svc_title": None}

    def extract_svc_tax_no(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        asked = requested_slot(tracker) == "svc_tax_no"
        found = tax_number(text_of(tracker), asked=asked)
        if found:
            return {"svc_tax_no": found}
        if not asked or is_digression(tracker):
            return {}
        if intent_of(tracker) == "not_understood":
            return {"svc_tax_no": None}
        if wants_out(tracker):
            return {"as_stopped": True}
        if any(word in text_of(tracker) for word in NO_TAX_NUMBER):
            return {"svc_tax_no": "未提供"}  # the shop asks again when it issues
        return {"svc_tax_no": None}

    def extract_svc_detail(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if requested_slot(tracker) != "svc_detail":
            return {}
        if is_digression(tracker):
            return {}
        if intent_of(tracker) == "not_understood":
            return {"svc_detail": None}
        if wants_out(tracker):
            return {"as_stopped": True}
        text = text_of(tracker).strip()
        change = read_change(text)
        acknowledged = intent_of(tracker) in ("affirm", "deny", "thank")
        value = change.new_value or (text if len(text) >= 2 and not acknowledged else None)
        slots: Slots = {"svc_detail": value}
        if change.what and not tracker.get_slot("svc_what"):
            slots["svc_what"] = change.what
        return slots


def _service_blocked(tracker: Tracker, order_id: Any) -> bool | None:
    """Whether this order does not allow the requested service (or only its tracking);
    None while the order or the service is not known."""
    state = cases.read_case(tracker, order_id)
    kind = str(tracker.get_slot("svc_kind") or "")
    if state.case is None or kind not in rules.KINDS:
        return None
    decision = order_service.check(state.case, kind, policy())
    return not decision.allowed or decision.show_tracking


class AskServiceOrder(AskAction):
    form, slot = "service_form", "order_id"

    def question(self, tracker: Tracker) -> Question:
        buttons = order_buttons(tracker, "service")
        values = {"service": _service_label(tracker)}
        if buttons:
            return Question(
                "utter_ask_service_order_pick", "utter_ask_order_pick_again", values, buttons
            )
        return Question("utter_ask_service_order_id", "utter_ask_order_id_again", values)


class AskServicePhoneTail(AskAction):
    form, slot = "service_form", "phone_tail"

    def question(self, tracker: Tracker) -> Question:
        return Question("utter_ask_verify_phone_tail", "utter_ask_verify_phone_tail_again")


class AskServiceTitle(AskAction):
    form, slot = "service_form", "svc_title"

    def question(self, tracker: Tracker) -> Question:
        if "company" in str(tracker.get_slot("svc_flags") or ""):
            # 公司的 was said: only the name is missing, so no 个人/公司 choice again.
            return Question("utter_ask_svc_company_name", "utter_ask_svc_company_name_again")
        buttons = [
            button("个人", "inform", invoice_title=PERSONAL),
            button("公司（单位）", "inform", invoice_title="公司"),
        ]
        return Question("utter_ask_svc_title", "utter_ask_svc_title_again", buttons=buttons)


class AskServiceTaxNumber(AskAction):
    form, slot = "service_form", "svc_tax_no"

    def question(self, tracker: Tracker) -> Question:
        values = {"title": str(tracker.get_slot("svc_title") or "")}
        return Question("utter_ask_svc_tax_no", "utter_ask_svc_tax_no_again", values)


class AskServiceDetail(AskAction):
    form, slot = "service_form", "svc_detail"

    def question(self, tracker: Tracker) -> Question:
        what = CHANGE_LABELS.get(str(tracker.get_slot("svc_what") or ""), "")
        if what:
            return Question(
                "utter_ask_svc_detail_known", "utter_ask_svc_detail_again", {"what": what}
            )
        return Question("utter_ask_svc_detail", "utter_ask_svc_detail_again")


class ActionServiceSubmit(Action):
    """The service form is done: open the request, or say honestly why not."""

    def name(self) -> str:
        return "action_service_submit"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("as_stopped"):
            dispatcher.utter_message(response="utter_service_stopped")
        elif tracker.get_slot("as_blocked") == "no_orders":
            dispatcher.utter_message(response="utter_service_no_orders", buttons=[HUMAN_BUTTON])
        else:
            _request(dispatcher, tracker)
        return reset_flow()


def _request(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    kind = str(tracker.get_slot("svc_kind") or "")
    order_id = str(tracker.get_slot("order_id") or "")
    try:
        with session_scope(sessions()) as session:
            case = aftersales.load_case(session, tracker.sender_id, order_id)
            outcome = order_service.request(
                session,
                case,
                kind=kind,
                conversation_id=tracker.sender_id,
                text=_buyer_words(tracker),
                details=_details(tracker),
                policy=policy(),
            )
            if outcome.decision.show_tracking:
                dispatcher.utter_message(response="utter_service_urge_shipped")
                say_status(dispatcher, describe(case.order), session)
                return
            if outcome.ticket is None:
                dispatcher.utter_message(
                    response="utter_service_refused",
                    reason=outcome.decision.reason,
                    alternatives=outcome.decision.alternatives,
                    buttons=[HUMAN_BUTTON],
                )
                return
            ticket = outcome.ticket
            values = {
                "order_id": order_id,
                "ticket_id": str(ticket.id),
                "due": shop_time(ticket.sla_due_at) if ticket.sla_due_at else "",
                **_promise_values(tracker),
            }
            if outcome.already_open:
                dispatcher.utter_message(response="utter_service_already_open", **values)
            else:
                dispatcher.utter_message(response=OPENED_RESPONSES[kind], **values)
            send_ticket_card(dispatcher, ticket)
    except KefuError:
        logger.exception("order service %s for %s failed", kind, order_id)
        dispatcher.utter_message(response="utter_service_failed", buttons=[HUMAN_BUTTON])


def _details(tracker: Tracker) -> dict[str, Any]:
    kind = tracker.get_slot("svc_kind")
    if kind == rules.INVOICE:
        flags = str(tracker.get_slot("svc_flags") or "").split(",")
        return {
            "title": tracker.get_slot("svc_title"),
            "tax_number": tracker.get_slot("svc_tax_no"),
            "vat_special": "vat_special" in flags,
            "fix": "fix" in flags,
        }
    if kind == rules.ORDER_CHANGE:
        return {"change": tracker.get_slot("svc_what"), "new_value": tracker.get_slot("svc_detail")}
    if kind == rules.PRICE_PROTECTION:
        return {"buyer_said": tracker.get_slot("svc_detail")}
    return {}


def _promise_values(tracker: Tracker) -> dict[str, str]:
    terms = rules.terms_of(policy())
    kind = tracker.get_slot("svc_kind")
    if kind == rules.INVOICE:
        flags = str(tracker.get_slot("svc_flags") or "")
        days = terms.invoice_issue_working_days
        if "vat_special" in flags:
            days = terms.vat_special_issue_working_days
        elif "fix" in flags:
            days = terms.reissue_working_days
        title = str(tracker.get_slot("svc_title") or "")
        tax = tracker.get_slot("svc_tax_no")
        summary = f"抬头：{title}" + (f"，税号：{tax}" if tax else "")
        return {"days": str(days), "summary": summary, "hours": str(terms.reply_hours)}
    if kind == rules.ORDER_CHANGE:
        what = CHANGE_LABELS.get(str(tracker.get_slot("svc_what") or ""), "订单信息")
        return {"what": what, "value": str(tracker.get_slot("svc_detail") or "")}
    if kind == rules.PRICE_PROTECTION:
        return {"days": str(terms.price_protection_days), "hours": str(terms.reply_hours)}
    return {"hours": str(terms.ships_within_hours)}


def _buyer_words(tracker: Tracker) -> str:
    """The buyer's messages since the request started, for the shop to read."""
    words: list[str] = []
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_service_start":
            started = True  # the message that asked for the service comes just before
        elif event.get("event") == "user" and event.get("text"):
            words.append(str(event["text"]))
            if started:
                break
    return "\n".join(reversed(words))[:2000]


def _service_label(tracker: Tracker) -> str:
    return SERVICE_LABELS.get(str(tracker.get_slot("svc_kind") or ""), "办理")


SERVICE_LABELS = {
    rules.INVOICE: "开发票",
    rules.ORDER_CHANGE: "修改",
    rules.PRICE_PROTECTION: "申请价保",
    rules.SHIPPING_URGE: "催发货",
}
