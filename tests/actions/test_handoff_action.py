from collections.abc import Callable

from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from actions.handoff import ActionHandoff
from bot.store.models import Agent, Conversation
from bot.store.session import session_scope
from tests.actions.conftest import load_tracker


def test_handoff_queues_the_conversation_and_pauses_rasa(
    conversation_of: Callable[[str | None], str], seeded: sessionmaker[Session]
) -> None:
    sender = conversation_of("b1001")
    dispatcher = CollectingDispatcher()
    events = ActionHandoff().run(dispatcher, load_tracker("request_human", sender), {})
    assert events == [ConversationPaused()]
    # Nobody is online in the seeded store: the buyer is told so, not given a made-up wait.
    assert dispatcher.messages[0]["response"] == "utter_handoff_nobody_online"
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


def test_the_expected_wait_comes_from_the_queue_and_the_agents_online(
    conversation_of: Callable[[str | None], str], seeded: sessionmaker[Session]
) -> None:
    with session_scope(seeded) as session:
        for agent in session.query(Agent):
            agent.online = True
    first, second = conversation_of("b1001"), conversation_of("b1002")
    waits = []
    for sender in (first, second):
        dispatcher = CollectingDispatcher()
        ActionHandoff().run(dispatcher, load_tracker("request_human", sender), {})
        [message] = dispatcher.messages
        assert message["response"] == "utter_handoff"
        waits.append(int(message["wait_minutes"]))
    assert waits[1] > waits[0]  # the second buyer waits behind the first
