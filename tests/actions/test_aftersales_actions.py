"""After-sales actions against a real seeded SQLite file, with trackers from a JSON fixture."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.aftersales import (
    ActionAftersalesProgress,
    ActionAftersalesStart,
    ActionAftersalesSubmit,
)
from actions.aftersales_form import ActionOutOfScopeInForm, ValidateAftersalesForm
from actions.aftersales_questions import AskAftersalesReason
from actions.cancel import ActionCancelSubmit, ValidateCancelForm
from actions.fallback import ActionFallback
from bot import seed
from bot.services.tickets import apply_action
from bot.store.models import Order, OrderItem, Ticket
from bot.store.session import session_scope
from tests.actions.conftest import DOMAIN, turn, validate


def item_ids(sessions: sessionmaker[Session], order_id: str) -> list[int]:
    with session_scope(sessions) as session:
        query = select(OrderItem.id).where(OrderItem.order_id == order_id)
        return list(session.scalars(query.order_by(OrderItem.line_no)))


def tickets_of(sessions: sessionmaker[Session], order_id: str) -> list[Ticket]:
    with session_scope(sessions) as session:
        return list(session.scalars(select(Ticket).where(Ticket.order_id == order_id)))


@pytest.mark.parametrize(
    ("text", "intent", "goal", "reason"),
    [
        ("我的退款到哪了", "request_refund", "progress", None),
        ("取消成功了吗", "cancel_order", "progress", None),
        ("帮我取消订单", "cancel_order", "cancel", None),
        ("收到的杯子碎了", "report_defect", "claim", "damaged"),
        ("鞋子开胶了", "report_defect", "claim", "quality"),
        ("我要退货", "request_refund", "claim", None),
        ("买大了不想要了", "request_refund", "claim", "no_reason"),
    ],
)
def test_start_reads_what_the_buyer_wants(
    chat_of: Callable[[str | None], str], text: str, intent: str, goal: str, reason: str | None
) -> None:
    events = ActionAftersalesStart().run(
        CollectingDispatcher(), turn(chat_of("b1001"), text, intent), DOMAIN
    )
    last = {event["name"]: event["value"] for event in events}
    assert last["as_goal"] == goal
    assert last["as_reason"] == reason


def test_the_item_is_picked_by_words_from_its_title(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    _shirt, socks = item_ids(today_seeded, seed.DELIVERED_2_DAYS)
    tracker = turn(
        chat_of("b1001"),
        "袜子那个",
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        requested_slot="as_item",
    )
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["as_item"] == str(socks)
    assert slots["requested_slot"] == "as_reason"


def test_a_no_reason_return_of_fresh_food_blocks_the_flow(
    chat_of: Callable[[str | None], str],
) -> None:
    tracker = turn(
        chat_of("b1003"),
        "不喜欢",
        form="aftersales_form",
        order_id=seed.FRESH_FOOD,
        requested_slot="as_reason",
    )
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["as_reason"] == "no_reason"
    assert slots["as_blocked"] == "reason"
    assert slots["requested_slot"] is None  # the form ends; the submit action explains


def test_a_service_the_policy_refuses_is_explained_and_asked_again(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    [cup] = item_ids(today_seeded, seed.DELIVERED_10_DAYS)
    tracker = turn(
        chat_of("b1002"),
        "只退款不退货",
        form="aftersales_form",
        order_id=seed.DELIVERED_10_DAYS,
        as_item=str(cup),
        as_reason="damaged",
        requested_slot="as_service",
    )
    dispatcher, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["as_service"] is None
    assert slots["requested_slot"] == "as_service"
    [refusal] = dispatcher.messages
    assert refusal["response"] == "utter_aftersales_refused"
    assert "寄回" in refusal["reason"] and "退货退款" in refusal["alternatives"]


def test_suan_le_stops_the_form(chat_of: Callable[[str | None], str]) -> None:
    tracker = turn(
        chat_of("b1001"),
        "算了 不退了",
        intent="deny",
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        requested_slot="as_reason",
    )
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["as_stopped"] is True
    assert slots["requested_slot"] is None


def test_a_policy_question_fills_nothing_so_the_form_lets_the_faq_rule_answer(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    tracker = turn(
        chat_of("b1001"),
        "退货运费谁出",
        intent="faq",
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        as_item=str(item_ids(today_seeded, seed.DELIVERED_2_DAYS)[0]),
        requested_slot="as_reason",
    )
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert set(slots) <= {"requested_slot"}


def test_an_unclear_answer_is_recorded_as_unanswered_not_passed_to_other_rules(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    tracker = turn(
        chat_of("b1001"),
        "嗯嗯",
        intent="affirm",
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        as_item=str(item_ids(today_seeded, seed.DELIVERED_2_DAYS)[0]),
        requested_slot="as_reason",
    )
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["as_reason"] is None
    assert slots["requested_slot"] == "as_reason"


def test_a_question_asked_again_is_rephrased_and_then_offers_a_person(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    responses = []
    ask_state = None
    for _ in range(3):
        dispatcher = CollectingDispatcher()
        tracker = turn(sender, "嗯", order_id=seed.DELIVERED_2_DAYS, ask_state=ask_state)
        [event] = AskAftersalesReason().run(dispatcher, tracker, DOMAIN)
        ask_state = event["value"]
        responses.append([m["response"] for m in dispatcher.messages])
    assert responses[0] == ["utter_ask_as_reason"]
    assert responses[1] == ["utter_ask_as_reason_again"]
    assert responses[2] == ["utter_still_not_clear_offer_human", "utter_ask_as_reason"]


def test_a_confirmed_no_reason_return_opens_one_buyer_paid_ticket(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    _shirt, socks = item_ids(today_seeded, seed.DELIVERED_2_DAYS)
    dispatcher = CollectingDispatcher()
    tracker = turn(
        chat_of("b1001"),
        "确认",
        intent="affirm",
        order_id=seed.DELIVERED_2_DAYS,
        as_item=str(socks),
        as_reason="no_reason",
        as_detail="不想要了",
        as_service="return_refund",
        as_confirm=True,
    )
    events = ActionAftersalesSubmit().run(dispatcher, tracker, DOMAIN)
    [ticket] = tickets_of(today_seeded, seed.DELIVERED_2_DAYS)
    assert (ticket.kind, ticket.shipping_paid_by, ticket.refund_fen) == (
        "return_refund",
        "buyer",
        2900,
    )
    assert ticket.order_item_id == socks and ticket.reason == "不想要了"
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[:2] == ["utter_aftersales_opened", "utter_aftersales_next_return"]
    assert dispatcher.messages[0]["ticket_id"] == str(ticket.id)
    assert SlotSet("as_confirm", None) in events  # the flow's slots are cleared


def test_a_stopped_flow_opens_nothing(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = turn(
        chat_of("b1001"), "算了", intent="deny", order_id=seed.DELIVERED_2_DAYS, as_stopped=True
    )
    ActionAftersalesSubmit().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_aftersales_stopped"]
    assert tickets_of(today_seeded, seed.DELIVERED_2_DAYS) == []


def test_cancelling_a_paid_unshipped_order_cancels_it_and_opens_a_refund(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = turn(
        chat_of("b1001"),
        "确认取消",
        intent="affirm",
        order_id=seed.PAID_NOT_SHIPPED,
        cancel_confirm=True,
    )
    ActionCancelSubmit().run(dispatcher, tracker, DOMAIN)
    [ticket] = tickets_of(today_seeded, seed.PAID_NOT_SHIPPED)
    assert (ticket.kind, ticket.refund_fen) == ("refund_only", 39900)
    with session_scope(today_seeded) as session:
        assert session.get(Order, seed.PAID_NOT_SHIPPED).status == "cancelled"  # type: ignore[union-attr]
    [message] = dispatcher.messages
    assert message["response"] == "utter_cancel_done_refund" and message["amount"] == "399"


def test_a_shipped_order_blocks_the_cancel_form(chat_of: Callable[[str | None], str]) -> None:
    tracker = turn(
        chat_of("b1001"),
        f"取消{seed.IN_TRANSIT}",
        intent="cancel_order",
        form="cancel_form",
        order_id=seed.IN_TRANSIT,
        requested_slot="order_id",
    )
    _, slots = validate(ValidateCancelForm(), tracker)
    assert slots["as_blocked"] == "order"
    assert slots["requested_slot"] is None


def test_progress_reports_the_open_ticket_and_its_deadline(
    chat_of: Callable[[str | None], str],
) -> None:
    dispatcher = CollectingDispatcher()
    ActionAftersalesProgress().run(dispatcher, turn(chat_of("b1003"), "我的退款到哪了"), DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_aftersales_progress"
    assert "退货退款" in message["lines"] and "等待商家处理" in message["lines"]


def test_an_anonymous_visitor_must_verify_before_the_form_goes_on(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of(None)
    tracker = turn(
        sender,
        f"订单{seed.DELIVERED_2_DAYS}",
        entities=[{"entity": "order_id", "value": seed.DELIVERED_2_DAYS}],
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        requested_slot="order_id",
    )
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["requested_slot"] == "phone_tail"
    wrong = turn(
        sender,
        "1111",
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        requested_slot="phone_tail",
    )
    _, slots = validate(ValidateAftersalesForm(), wrong)
    assert slots["phone_tail"] is None and slots["requested_slot"] == "phone_tail"
    right = turn(
        sender,
        "尾号1234",
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        requested_slot="phone_tail",
    )
    _, slots = validate(ValidateAftersalesForm(), right)
    assert slots["phone_tail"] == "1234" and slots["requested_slot"] == "as_item"


def fallback_turn(sender: str, texts: list[str]) -> Tracker:
    """A tracker whose last user messages were all below the NLU threshold."""
    tracker = turn(sender, texts[-1], intent="nlu_fallback")
    earlier = [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}}
        for text in texts[:-1]
    ]
    tracker.events[-1:-1] = earlier
    return tracker


def test_one_fallback_asks_to_rephrase_and_two_in_a_row_hand_off(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of("b1001")
    dispatcher = CollectingDispatcher()
    assert ActionFallback().run(dispatcher, fallback_turn(sender, ["嗯哼哈"]), DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
    dispatcher = CollectingDispatcher()
    events = ActionFallback().run(dispatcher, fallback_turn(sender, ["嗯哼哈", "啊吧啊吧"]), DOMAIN)
    assert [m["response"] for m in dispatcher.messages][:2] == [
        "utter_default_to_human",
        "utter_handoff_nobody_online",
    ]
    assert any(event["event"] == "pause" for event in events)


def test_a_tracking_number_goes_on_the_ticket_waiting_for_the_return(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    [ticket] = tickets_of(today_seeded, seed.OPEN_REFUND)
    with session_scope(today_seeded) as session:
        apply_action(session, ticket.id, "approve", "shop")
    dispatcher = CollectingDispatcher()
    tracker = fallback_turn(chat_of("b1003"), ["寄回去了，顺丰SF1466620938475"])
    ActionFallback().run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_return_shipment_recorded"
    [ticket] = tickets_of(today_seeded, seed.OPEN_REFUND)
    assert (ticket.status, ticket.return_courier, ticket.return_tracking_no) == (
        "returned",
        "顺丰",
        "SF1466620938475",
    )


def test_words_naming_an_item_pick_both_the_order_and_the_item(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    _shirt, socks = item_ids(today_seeded, seed.DELIVERED_2_DAYS)
    tracker = turn(chat_of("b1001"), "袜子那个", form="aftersales_form", requested_slot="order_id")
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["order_id"] == seed.DELIVERED_2_DAYS
    assert slots["as_item"] == str(socks)
    assert slots["requested_slot"] == "as_reason"


def test_an_item_name_read_as_out_of_scope_still_picks_the_order(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    """袜子 while asked which order: the NLU may read a bare item name as another domain."""
    tracker = turn(
        chat_of("b1001"), "袜子", "out_of_scope", form="aftersales_form", requested_slot="order_id"
    )
    dispatcher = CollectingDispatcher()
    assert ActionOutOfScopeInForm().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages == []  # no "I can't help with that" before the form goes on
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["order_id"] == seed.DELIVERED_2_DAYS


def test_out_of_scope_naming_no_order_gets_the_usual_reply_and_picks_nothing(
    chat_of: Callable[[str | None], str],
) -> None:
    tracker = turn(
        chat_of("b1001"), "明天天气怎么样", "out_of_scope", form="aftersales_form",
        requested_slot="order_id",
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    ActionOutOfScopeInForm().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots.get("order_id") is None


def test_switching_to_another_order_drops_what_was_chosen_for_the_first(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    shirt, _socks = item_ids(today_seeded, seed.DELIVERED_2_DAYS)
    [earphones] = item_ids(today_seeded, seed.PAID_NOT_SHIPPED)
    tracker = turn(
        chat_of("b1001"),
        f"不是这个，是{seed.PAID_NOT_SHIPPED}",
        entities=[{"entity": "order_id", "value": seed.PAID_NOT_SHIPPED}],
        form="aftersales_form",
        order_id=seed.PAID_NOT_SHIPPED,  # the slot mapping has set it from the entity
        as_item=str(shirt),
        as_service="exchange",
        requested_slot="as_reason",
    )
    # What Rasa's action_extract_slots records after the message, before the form runs.
    tracker.events.append({"event": "slot", "name": "order_id", "value": seed.PAID_NOT_SHIPPED})
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert slots["order_id"] == seed.PAID_NOT_SHIPPED
    assert slots["as_item"] == str(earphones)  # the new order's only item
    assert slots["as_service"] is None  # exchange was for the shirt, and is not possible here
    assert slots["requested_slot"] == "as_reason"


def test_digits_read_as_a_goodbye_do_not_end_the_flow(
    chat_of: Callable[[str | None], str],
) -> None:
    sender = chat_of(None)
    tracker = turn(
        sender,
        "9999",
        intent="goodbye",  # 久久: the NLU now and then reads a bare number so
        form="aftersales_form",
        order_id=seed.DELIVERED_2_DAYS,
        requested_slot="phone_tail",
    )
    _, slots = validate(ValidateAftersalesForm(), tracker)
    assert "as_stopped" not in slots
    assert slots["phone_tail"] is None and slots["requested_slot"] == "phone_tail"


def test_a_tapped_policy_topic_inside_the_cancel_form_is_left_to_the_faq_rule(
    chat_of: Callable[[str | None], str],
) -> None:
    # 先了解：取消和修改订单 tapped while the form waits for 确认取消: not an unclear answer.
    tracker = turn(
        chat_of("b1002"),
        '/faq{"faq_topic": "cancel_policy"}',
        intent="faq",
        entities=[{"entity": "faq_topic", "value": "cancel_policy"}],
        form="cancel_form",
        order_id=seed.UNPAID,
        requested_slot="cancel_confirm",
    )
    _, slots = validate(ValidateCancelForm(), tracker)
    assert set(slots) <= {"requested_slot"}
