from collections.abc import Callable

from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from actions.handoff import ActionHandoff
from bot.store.models import Conversation
from bot.store.session import session_scope
from tests.actions.conftest import load_tracker


def test_handoff_queues_the_conversation_and_pauses_rasa(
    conversation_of: Callable[[str | None], str], seeded: sessionmaker[Session]
) -> None:
    sender = conversation_of("b1001")
    dispatcher = CollectingDispatcher()
    events = ActionHandoff().run(dispatcher, load_tracker("request_human", sender), {})
    assert events == [ConversationPaused()]
    assert dispatcher.messages[0]["response"] == "utter_handoff"
    assert dispatcher.messages[0]["wait_minutes"] == "5"
    with session_scope(seeded) as session:
        conversation = session.get(Conversation, sender)
        assert conversation is not None
        assert conversation.status == "waiting_agent"
        assert conversation.handoff_reason == "request_human"
        assert [event.to_status for event in conversation.events] == ["waiting_agent"]


def test_handoff_for_an_unknown_conversation_says_so_and_does_not_pause(
    seeded: sessionmaker[Session],
) -> None:
    dispatcher = CollectingDispatcher()
    events = ActionHandoff().run(dispatcher, load_tracker("request_human", "no-such-id"), {})
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_handoff_failed"
