"""Two agents claim the same waiting conversation at the same moment: exactly one wins.

Real threads, each with its own engine and session on the same SQLite file, released together
by a barrier; the loser sees AlreadyClaimed, and the store shows one owner and one claim event.
"""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.enums import ConversationStatus, Priority
from bot.errors import AlreadyClaimed
from bot.security import Visitor, hash_agent_token
from bot.services.agents import claim
from bot.services.conversations import hand_off, start_conversation
from bot.store.models import Agent, Conversation, ConversationEvent
from bot.store.session import create_db_engine, make_session_factory, session_scope

ROUNDS = 5


def _setup(sessions: sessionmaker[Session]) -> tuple[list[int], list[str]]:
    with session_scope(sessions) as session:
        agents = [
            Agent(name=name, display_name=name, token_hash=hash_agent_token(name))
            for name in ("wang", "li")
        ]
        session.add_all(agents)
        conversations = []
        for round_no in range(ROUNDS):
            conversation = start_conversation(session, Visitor(f"buyer:b{round_no}", None))
            hand_off(session, conversation.id, "request_human", Priority.P3)
            conversations.append(conversation.id)
        session.flush()
        return [agent.id for agent in agents], conversations


def test_of_two_agents_claiming_at_once_exactly_one_wins(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    agent_ids, conversation_ids = _setup(sessions)
    engines = [create_db_engine(db_url) for _ in agent_ids]
    factories = [make_session_factory(engine) for engine in engines]
    try:
        for conversation_id in conversation_ids:
            barrier = threading.Barrier(len(agent_ids), timeout=10)
            outcomes: dict[int, str] = {}

            def race(
                factory: sessionmaker[Session],
                agent_id: int,
                conversation_id: str = conversation_id,
                barrier: threading.Barrier = barrier,
                outcomes: dict[int, str] = outcomes,
            ) -> None:
                try:
                    with session_scope(factory) as session:
                        agent = session.get(Agent, agent_id)
                        assert agent is not None
                        barrier.wait()
                        claim(session, conversation_id, agent)
                    outcomes[agent_id] = "won"
                except AlreadyClaimed:
                    outcomes[agent_id] = "already_claimed"
                except Exception as error:  # surfaces in the assertion below
                    outcomes[agent_id] = repr(error)

            threads = [
                threading.Thread(target=race, args=(factory, agent_id))
                for factory, agent_id in zip(factories, agent_ids, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert sorted(outcomes.values()) == ["already_claimed", "won"], outcomes
            winner = next(a for a, outcome in outcomes.items() if outcome == "won")
            with session_scope(sessions) as session:
                conversation = session.get(Conversation, conversation_id)
                assert conversation is not None
                assert conversation.status == ConversationStatus.WITH_AGENT
                assert conversation.agent_id == winner
                claims = session.scalars(
                    select(ConversationEvent.reason).where(
                        ConversationEvent.conversation_id == conversation_id,
                        ConversationEvent.to_status == ConversationStatus.WITH_AGENT,
                    )
                ).all()
                assert len(claims) == 1
    finally:
        for engine in engines:
            engine.dispose()
