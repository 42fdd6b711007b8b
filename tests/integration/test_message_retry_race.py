"""A widget retries a buyer message while the first send is still being stored: two requests
with the same client_message_id at the same moment store one message, and both get it back.

Real threads, each with its own engine and session on the same SQLite file, released together
by a barrier, as in test_agent_claim_race.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.security import Visitor
from bot.services.conversations import (
    get_visitor_conversation,
    record_buyer_message,
    start_conversation,
)
from bot.store.models import Message
from bot.store.session import create_db_engine, make_session_factory, session_scope

ROUNDS = 8
VISITOR = Visitor("buyer:b1001", "b1001")


def test_two_sends_of_one_message_at_once_store_it_once(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    with session_scope(sessions) as session:
        conversation_id = start_conversation(session, VISITOR).id
    engines = [create_db_engine(db_url) for _ in range(2)]
    factories = [make_session_factory(engine) for engine in engines]
    try:
        for round_no in range(ROUNDS):
            client_id = f"retry-{round_no}"
            barrier = threading.Barrier(2, timeout=10)
            outcomes: list[tuple[int, bool]] = []
            errors: list[BaseException] = []

            def send(
                factory: sessionmaker[Session],
                client_id: str = client_id,
                barrier: threading.Barrier = barrier,
                outcomes: list[tuple[int, bool]] = outcomes,
                errors: list[BaseException] = errors,
            ) -> None:
                try:
                    with session_scope(factory) as session:
                        conversation = get_visitor_conversation(session, conversation_id, VISITOR)
                        barrier.wait()
                        message, repeated = record_buyer_message(
                            session, conversation, "我的快递到哪了", client_id
                        )
                        session.flush()
                        outcomes.append((message.id, repeated))
                except BaseException as error:  # reported below, not lost in the thread
                    errors.append(error)

            threads = [threading.Thread(target=send, args=(f,)) for f in factories]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert errors == []
            assert sorted(repeated for _, repeated in outcomes) == [False, True]
            assert len({message_id for message_id, _ in outcomes}) == 1
        with session_scope(sessions) as session:
            stored = session.scalar(
                select(func.count()).where(Message.conversation_id == conversation_id)
            )
        assert stored == ROUNDS
    finally:
        for engine in engines:
            engine.dispose()
