"""The queue, the expected wait, the "still waiting" acknowledgement and SLA breaches, on a real
SQLite file with fixed times."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.enums import ConversationStatus, Priority, Sender, TicketKind, TicketStatus
from bot.knowledge import Policy, load_policy
from bot.security import Visitor, hash_agent_token
from bot.services.agents import (
    claim,
    expected_wait_minutes,
    queue,
    set_presence,
    waiting_ack,
)
from bot.services.conversations import change_status, hand_off, start_conversation
from bot.services.live import AGENTS, Subscription
from bot.services.scheduler import Scheduler
from bot.settings import Settings
from bot.store.models import Agent, Conversation, Message, OutboxEvent, Ticket, TicketEvent
from bot.store.session import session_scope
from tests.conftest import FIXED_NOW


class RecordingBroadcaster:
    """A Broadcaster that keeps what was published (no subscribers needed)."""

    def __init__(self) -> None:
        self.heard: list[dict[str, Any]] = []

    def publish(self, topic: str, event: dict[str, Any]) -> None:
        self.heard.append({"topic": topic, **event})

    def subscribe(self, topic: str) -> Subscription:
        raise NotImplementedError


@pytest.fixture
def policy(settings: Settings) -> Policy:
    return load_policy(settings.knowledge_dir)


def _waiting(
    session: Session, buyer: str, priority: Priority | None, minutes_ago: int, text: str = "在吗"
) -> str:
    conversation = start_conversation(session, Visitor(f"buyer:{buyer}", None))
    session.add(Message(conversation_id=conversation.id, sender=Sender.BUYER, text=text))
    hand_off(session, conversation.id, "request_human", priority or Priority.P3)
    conversation.priority = priority  # None: a handoff that set no priority
    conversation.waiting_since = FIXED_NOW - timedelta(minutes=minutes_ago)
    session.flush()
    return conversation.id


def _agents(session: Session, online: int, offline: int = 0) -> list[Agent]:
    agents = [
        Agent(
            name=f"a{i}",
            display_name=f"a{i}",
            token_hash=hash_agent_token(f"a{i}"),
            online=i < online,
        )
        for i in range(online + offline)
    ]
    session.add_all(agents)
    session.flush()
    return agents


def test_queue_is_ordered_by_priority_then_by_sla_due_time(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    with session_scope(sessions) as session:
        # P3 waiting 230 min is due in 10 min; P2 waiting 0 min is due in 60 min;
        # P1 waiting 1 min is due in 14; no priority counts as P3.
        old_p3 = _waiting(session, "b1", Priority.P3, 230)
        new_p2 = _waiting(session, "b2", Priority.P2, 0)
        p1 = _waiting(session, "b3", Priority.P1, 1)
        none = _waiting(session, "b4", None, 235)
        older_p2 = _waiting(session, "b5", Priority.P2, 30)
        entries = queue(session, policy, FIXED_NOW)
    assert [e.conversation_id for e in entries] == [p1, older_p2, new_p2, none, old_p3]
    assert [e.position for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].sla_due_at == FIXED_NOW + timedelta(minutes=14)
    assert entries[3].priority == "P3"
    assert entries[3].sla_due_at == FIXED_NOW + timedelta(minutes=5)


def test_claimed_and_bot_conversations_leave_the_queue(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    with session_scope(sessions) as session:
        (agent,) = _agents(session, online=1)
        first = _waiting(session, "b1", Priority.P3, 10)
        second = _waiting(session, "b2", Priority.P3, 5)
        third = _waiting(session, "b3", Priority.P3, 1)
        claim(session, first, agent)
        conversation = session.get(Conversation, second)
        assert conversation is not None
        change_status(session, conversation, ConversationStatus.BOT, "buyer_left")
        assert [e.conversation_id for e in queue(session, policy, FIXED_NOW)] == [third]


def test_expected_wait_comes_from_the_queue_and_the_agents_online(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    per = policy.number("handoff.minutes_per_conversation")
    with session_scope(sessions) as session:
        ids = [_waiting(session, f"b{i}", Priority.P3, 10 - i) for i in range(5)]
        assert expected_wait_minutes(session, policy, ids[0], FIXED_NOW) is None  # nobody online
        agents = _agents(session, online=2, offline=1)
        assert expected_wait_minutes(session, policy, ids[0], FIXED_NOW) == 1  # first: at least 1
        assert expected_wait_minutes(session, policy, ids[4], FIXED_NOW) == 4 * per // 2
        assert expected_wait_minutes(session, policy, ids[1], FIXED_NOW) == -(-per // 2)
        set_presence(session, agents[0], False)
        assert expected_wait_minutes(session, policy, ids[4], FIXED_NOW) == 4 * per


def test_waiting_ack_first_message_then_at_most_one_per_interval(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    interval = policy.number("handoff.ack_interval_minutes")
    with session_scope(sessions) as session:
        _waiting(session, "b0", Priority.P3, 20)
        cid = _waiting(session, "b1", Priority.P3, 10)
        _agents(session, online=1)
        conversation = session.get(Conversation, cid)
        assert conversation is not None
        first = waiting_ack(session, policy, conversation, FIXED_NOW)
        assert first is not None
        assert "前面还有1位" in first
        assert conversation.last_ack_at == FIXED_NOW
        soon = FIXED_NOW + timedelta(minutes=interval) - timedelta(seconds=1)
        assert waiting_ack(session, policy, conversation, soon) is None
        later = FIXED_NOW + timedelta(minutes=interval)
        assert waiting_ack(session, policy, conversation, later) is not None
        # A new wait (a second handoff after a resolve) acknowledges its first message again.
        change_status(session, conversation, ConversationStatus.BOT, "resolved")
        hand_off(session, cid, "request_human", Priority.P3)
        conversation.waiting_since = later + timedelta(seconds=30)
        assert waiting_ack(session, policy, conversation, later + timedelta(minutes=1)) is not None


def test_waiting_ack_says_honestly_when_nobody_is_online(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    with session_scope(sessions) as session:
        cid = _waiting(session, "b1", Priority.P1, 0)
        _agents(session, online=0, offline=2)
        conversation = session.get(Conversation, cid)
        assert conversation is not None
        ack = waiting_ack(session, policy, conversation, FIXED_NOW)
    assert ack is not None
    assert "没有人工客服在线" in ack
    assert "12:15" in ack  # 04:00 UTC + 15 min P1 SLA, in Shanghai time


def test_no_ack_while_an_agent_has_the_conversation(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    with session_scope(sessions) as session:
        (agent,) = _agents(session, online=1)
        cid = _waiting(session, "b1", Priority.P3, 0)
        conversation = claim(session, cid, agent)
        assert waiting_ack(session, policy, conversation, FIXED_NOW) is None


def test_scheduler_marks_a_complaint_past_its_sla_once_and_tells_the_agents(
    sessions: sessionmaker[Session], policy: Policy
) -> None:
    with session_scope(sessions) as session:
        waiting = _waiting(session, "b1", Priority.P1, 20)
        answered = _waiting(session, "b2", Priority.P1, 20)
        (agent,) = _agents(session, online=1)
        claim(session, answered, agent)
        for conversation_id in (waiting, answered):
            session.add(
                Ticket(
                    kind=TicketKind.COMPLAINT,
                    status=TicketStatus.OPEN,
                    conversation_id=conversation_id,
                    reason="冒烟",
                    priority="P1",
                    sla_due_at=FIXED_NOW - timedelta(minutes=5),
                )
            )
        session.add(
            Ticket(
                kind=TicketKind.COMPLAINT,
                status=TicketStatus.OPEN,
                conversation_id=waiting,
                reason="not due yet",
                sla_due_at=FIXED_NOW + timedelta(minutes=5),
            )
        )
    broadcaster = RecordingBroadcaster()
    scheduler = Scheduler(
        sessions, policy, None, 60, clock=lambda: FIXED_NOW, broadcaster=broadcaster
    )
    scheduler.run_once()
    scheduler.run_once()
    with session_scope(sessions) as session:
        events = session.scalars(
            select(TicketEvent).where(TicketEvent.action == "sla_breached")
        ).all()
        assert len(events) == 1
        ticket = session.get(Ticket, events[0].ticket_id)
        assert ticket is not None
        assert ticket.conversation_id == waiting
        assert ticket.status == TicketStatus.OPEN
        outbox = session.scalars(
            select(OutboxEvent.event_type).where(OutboxEvent.event_type == "ticket.sla_breached")
        ).all()
        assert len(outbox) == 1
    assert broadcaster.heard == [
        {"topic": AGENTS, "type": "queue", "change": "sla_breached", "conversation_id": waiting}
    ]
