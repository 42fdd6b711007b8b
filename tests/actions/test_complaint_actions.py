"""Complaints: the form's reading of the first message, triage, the ticket and the handoff."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.aftersales import ActionAftersalesStart
from actions.complaints import ActionComplaintSubmit, ValidateComplaintForm
from bot.settings import get_settings
from bot.store.models import Conversation, Ticket
from bot.store.session import session_scope
from tests.actions.test_aftersales_actions import DOMAIN, turn
from tests.triage_model import triage_model_dir


@pytest.fixture(autouse=True)
def triage_model(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    model = triage_model_dir(tmp_path_factory)
    monkeypatch.setenv("KEFU_TRIAGE_MODEL_DIR", str(model))
    get_settings.cache_clear()
    yield model
    get_settings.cache_clear()


def complaint_tickets(sessions: sessionmaker[Session], conversation_id: str) -> list[Ticket]:
    with session_scope(sessions) as session:
        query = select(Ticket).where(Ticket.conversation_id == conversation_id)
        return list(session.scalars(query))


def status_of(sessions: sessionmaker[Session], conversation_id: str) -> str:
    with session_scope(sessions) as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        return conversation.status


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("我要投诉", False),
        ("投诉你们！！！", False),
        ("付款三天了还不发货，我要投诉你们", True),
    ],
)
def test_a_complaint_that_says_what_happened_is_not_asked_again(
    chat_of: Callable[[str | None], str], text: str, filled: bool
) -> None:
    tracker = turn(chat_of("b1001"), text, intent="complain")
    events = asyncio.run(ValidateComplaintForm().run(CollectingDispatcher(), tracker, DOMAIN))
    slots = {event["name"]: event["value"] for event in events}
    assert ("complaint_detail" in slots) is filled


def test_a_fire_is_p1_filed_and_handed_to_a_person(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    sender = chat_of("b1001")
    text = "你们卖的充电宝起火了，我要去12315投诉"
    dispatcher = CollectingDispatcher()
    tracker = turn(sender, text, intent="complain", complaint_detail=text)
    events = ActionComplaintSubmit().run(dispatcher, tracker, DOMAIN)
    [ticket] = complaint_tickets(today_seeded, sender)
    assert (ticket.kind, ticket.status, ticket.priority) == ("complaint", "open", "P1")
    assert ticket.reasons is not None and "安全隐患：起火" in ticket.reasons
    assert ticket.sla_due_at is not None
    assert status_of(today_seeded, sender) == "waiting_agent"
    assert any(event["event"] == "pause" for event in events)
    responses = [message["response"] for message in dispatcher.messages]
    assert responses == ["utter_complaint_urgent", None, "utter_handoff_nobody_online"]
    card = dispatcher.messages[1]["custom"]
    assert card["type"] == "ticket_card" and card["ticket"]["id"] == ticket.id


def test_a_calm_complaint_is_filed_with_a_promised_time_and_no_handoff(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    sender = chat_of("b1002")
    text = "客服回复太慢了，问个问题等了半天才有人理"
    dispatcher = CollectingDispatcher()
    tracker = turn(sender, text, intent="complain", complaint_detail=text)
    events = ActionComplaintSubmit().run(dispatcher, tracker, DOMAIN)
    [ticket] = complaint_tickets(today_seeded, sender)
    assert ticket.priority in ("P3", "P4")
    assert status_of(today_seeded, sender) == "bot"
    assert not any(event["event"] == "pause" for event in events)
    message, card = dispatcher.messages
    assert message["response"] == "utter_complaint_filed"
    assert card["custom"]["ticket"]["kind"] == "complaint"
    assert message["ticket_id"] == str(ticket.id)


def test_a_buyer_who_never_ordered_can_still_complain(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    sender = chat_of("never-ordered")
    text = "你们客服态度太差了，问什么都不理人"
    dispatcher = CollectingDispatcher()
    tracker = turn(sender, text, intent="complain", complaint_detail=text)
    ActionComplaintSubmit().run(dispatcher, tracker, DOMAIN)
    [ticket] = complaint_tickets(today_seeded, sender)
    assert ticket.buyer_id is None and ticket.conversation_id == sender
    assert dispatcher.messages[0]["response"] == "utter_complaint_filed"


@pytest.mark.parametrize("intent", ["complain", "order_status", "report_defect", "inform"])
def test_what_happened_is_taken_whatever_its_intent(
    chat_of: Callable[[str | None], str], intent: str
) -> None:
    text = "客服回复太慢了，快递一周都没到"
    tracker = turn(
        chat_of("b1001"),
        text,
        intent=intent,
        form="complaint_form",
        requested_slot="complaint_detail",
    )
    events = asyncio.run(ValidateComplaintForm().run(CollectingDispatcher(), tracker, DOMAIN))
    slots = {event["name"]: event["value"] for event in events}
    assert slots["complaint_detail"] == text


def test_a_hazard_said_before_the_complaint_still_makes_it_p1(
    chat_of: Callable[[str | None], str], today_seeded: sessionmaker[Session]
) -> None:
    sender = chat_of("b1001")
    text = "我要投诉，这太危险了！家里还有小孩！"
    tracker = turn(sender, text, intent="complain", complaint_detail=text)
    earlier = {"event": "user", "text": "昨晚充电的时候突然冒烟了！！！差点着火", "parse_data": {}}
    tracker.events.insert(len(tracker.events) - 1, earlier)
    ActionComplaintSubmit().run(CollectingDispatcher(), tracker, DOMAIN)
    [ticket] = complaint_tickets(today_seeded, sender)
    assert ticket.priority == "P1"
    assert "冒烟" in ticket.reason and text in ticket.reason


@pytest.mark.parametrize(
    ("text", "intent", "goal"),
    [
        # A safety hazard or a threat in a defect report or a refund request: a complaint.
        ("充电宝用了两天就发烫冒烟了！！吓死我了", "report_defect", "complaint"),
        ("吹风机漏电 把我手电了一下 退钱", "request_refund", "complaint"),
        ("耳机坏了，不给换我就打12315", "report_defect", "complaint"),
        ("鞋子开胶了 我要投诉", "report_defect", "complaint"),
        # Without one, the after-sales form.
        ("鞋子开胶了", "report_defect", "claim"),
        ("买大了不想要了", "request_refund", "claim"),
    ],
)
def test_a_hazard_threat_or_complaint_word_turns_a_claim_into_a_complaint(
    chat_of: Callable[[str | None], str], text: str, intent: str, goal: str
) -> None:
    events = ActionAftersalesStart().run(
        CollectingDispatcher(), turn(chat_of("b1001"), text, intent), DOMAIN
    )
    assert {event["name"]: event["value"] for event in events}["as_goal"] == goal
