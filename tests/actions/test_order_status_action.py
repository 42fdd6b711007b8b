import re
from collections.abc import Callable

import pytest
import yaml
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from actions.orders import ActionHandleInform, ActionOrderStatus
from bot import seed
from bot.knowledge import load_policy
from bot.services.messaging import BUTTON_PAYLOAD_PATTERN
from bot.settings import PROJECT_ROOT
from tests.actions.conftest import load_tracker

DOMAIN: dict[str, object] = {}


def run(tracker_name: str, sender: str, **slots: object) -> tuple[CollectingDispatcher, list]:
    dispatcher = CollectingDispatcher()
    events = ActionOrderStatus().run(
        dispatcher, load_tracker(tracker_name, sender, **slots), DOMAIN
    )
    return dispatcher, events


def test_buyer_with_several_orders_gets_buttons_for_each(
    conversation_of: Callable[[str | None], str],
) -> None:
    dispatcher, events = run("order_status_no_id", conversation_of("b1001"))
    [message] = dispatcher.messages
    assert message["response"] == "utter_order_pick"
    payloads = [button["payload"] for button in message["buttons"]]
    assert any(seed.IN_TRANSIT in payload for payload in payloads)
    assert all(payload.startswith("/inform{") for payload in payloads)
    assert SlotSet("pending_action", "action_order_status") in events


def test_own_shipped_order_names_courier_tracking_number_and_last_event(
    conversation_of: Callable[[str | None], str],
) -> None:
    dispatcher, _ = run("order_status_with_id", conversation_of("b1001"))
    message, card = dispatcher.messages
    assert message["response"] == "utter_order_status_shipped"
    assert card["custom"]["type"] == "order_card"
    assert card["custom"]["order"]["courier"] == message["courier"]
    assert message["courier"] == "顺丰速运"
    assert message["tracking_no"] == "SF1402398765432"
    assert message["last_event_description"] == "快件已到达杭州转运中心"


def test_someone_elses_order_reads_exactly_like_a_missing_one(
    conversation_of: Callable[[str | None], str],
) -> None:
    theirs, events = run("order_status_with_id", conversation_of("b1002"))
    missing, _ = run("order_status_with_id", conversation_of("b1002"), order_id="1111222233334444")
    assert theirs.messages == missing.messages
    assert theirs.messages[0]["response"] == "utter_order_not_found"
    assert "顺丰" not in str(theirs.messages)
    assert SlotSet("order_id", None) in events


def test_anonymous_visitor_must_verify_with_the_phone_tail(
    conversation_of: Callable[[str | None], str], seeded: sessionmaker[Session]
) -> None:
    sender = conversation_of(None)
    asked, events = run("order_status_with_id", sender)
    assert asked.messages[0]["response"] == "utter_ask_phone_tail"
    assert SlotSet("pending_action", "action_order_status") in events
    wrong, _ = run("order_status_with_id", sender, phone_tail="0000")
    assert wrong.messages[0]["response"] == "utter_order_not_found"
    right, _ = run("order_status_with_id", sender, phone_tail="1234")
    assert right.messages[0]["response"] == "utter_order_status_shipped"


def test_paid_order_says_when_it_ships_from_policy(
    conversation_of: Callable[[str | None], str],
) -> None:
    # A slot from earlier in the conversation, no entity in this message.
    dispatcher, _ = run(
        "order_status_no_id", conversation_of("b1001"), order_id=seed.PAID_NOT_SHIPPED
    )
    message, card = dispatcher.messages
    assert message["response"] == "utter_order_status_paid"
    assert card["custom"]["order"]["status"] == "paid"
    hours = load_policy(PROJECT_ROOT / "knowledge").number("shipping.ships_within_hours")
    assert message["ships_within_hours"] == str(hours)


def test_inform_runs_the_action_that_asked_in_the_same_turn(
    conversation_of: Callable[[str | None], str],
) -> None:
    tracker = load_tracker(
        "order_status_with_id", conversation_of("b1001"), pending_action="action_order_status"
    )
    dispatcher = CollectingDispatcher()
    events = ActionHandleInform().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_order_status_shipped", None]
    assert dispatcher.messages[1]["custom"]["type"] == "order_card"
    assert all(event["event"] != "followup" for event in events)


def test_inform_with_nothing_pending_and_no_order_number_says_it_did_not_understand(
    conversation_of: Callable[[str | None], str],
) -> None:
    tracker = load_tracker("order_status_no_id", conversation_of("b1001"))
    dispatcher = CollectingDispatcher()
    assert ActionHandleInform().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages[0]["response"] == "utter_default"


@pytest.mark.parametrize("text", ["拍错了", "不小心下了两单。。", "手滑多拍了一件"])
def test_a_bare_mis_order_with_nothing_pending_offers_cancel_change_or_a_person(
    conversation_of: Callable[[str | None], str], text: str
) -> None:
    tracker = load_tracker("order_status_no_id", conversation_of("b1001"))
    tracker.latest_message = {"text": text, "intent": {"name": "inform"}, "entities": []}
    dispatcher = CollectingDispatcher()
    assert ActionHandleInform().run(dispatcher, tracker, DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_mis_order_offer"]
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    offer = domain["responses"]["utter_mis_order_offer"][0]
    payloads = [button["payload"] for button in offer["buttons"]]
    assert payloads == ["/cancel_order", "/change_order", "/request_human"]
    assert all(re.fullmatch(BUTTON_PAYLOAD_PATTERN, payload) for payload in payloads)


def test_a_pick_by_words_answers_that_order_and_keeps_it_in_discussion(
    conversation_of: Callable[[str | None], str],
) -> None:
    # b1001 has several orders; the bot asked which one, the buyer names the power bank.
    tracker = load_tracker(
        "order_status_no_id", conversation_of("b1001"), pending_action="action_order_status"
    )
    tracker.latest_message["text"] = "充电宝那个"
    dispatcher = CollectingDispatcher()
    events = ActionOrderStatus().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_order_status_shipped"
    assert SlotSet("order_id", seed.IN_TRANSIT) in events


def test_the_question_itself_may_name_the_order(
    conversation_of: Callable[[str | None], str],
) -> None:
    # Nothing asked yet: 充电宝那单到哪了 names the power bank among b1001's orders.
    tracker = load_tracker("order_status_no_id", conversation_of("b1001"))
    tracker.latest_message["text"] = "充电宝那单到哪了？"
    dispatcher = CollectingDispatcher()
    events = ActionOrderStatus().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_order_status_shipped"
    assert SlotSet("order_id", seed.IN_TRANSIT) in events
