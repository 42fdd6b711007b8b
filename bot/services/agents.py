"""The agent's side of a handoff: the queue, claiming, replies, notes, transfer and resolve.

Plain functions inside the caller's transaction. Claiming is one conditional UPDATE, so of two
agents who claim the same conversation at once exactly one wins, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from bot.conversation import check_transition
from bot.enums import ConversationStatus, Priority, Sender, TicketKind
from bot.errors import (
    AgentNotFound,
    AlreadyClaimed,
    NotYourConversation,
)
from bot.knowledge import Policy
from bot.orders.store import WITH_DETAILS as ORDER_DETAILS
from bot.rasa_client import RasaClient
from bot.services.conversations import change_status, get_conversation, history, record_event
from bot.services.tickets import record_sla_breach
from bot.store.models import (
    Agent,
    Conversation,
    ConversationEvent,
    Message,
    Order,
    Ticket,
    TicketEvent,
)
from bot.texts import (
    WAITING_ACK_FIRST,
    WAITING_ACK_NOBODY_ONLINE,
    WAITING_ACK_QUEUED,
    WELCOME_BACK,
)
from bot.timeutil import as_utc, shop_time, utcnow

log = logging.getLogger(__name__)

DEFAULT_PRIORITY = Priority.P3
PREVIEW_CHARS = 80
EVENT_REASON_CHARS = 50  # conversation_events.reason


@dataclass(frozen=True)
class QueueEntry:
    conversation_id: str
    priority: str
    reason: str | None
    waiting_since: datetime
    sla_due_at: datetime
    category: str | None
    buyer_id: str | None
    last_buyer_text: str
    position: int


# The queue and the expected wait.


def queue(session: Session, policy: Policy, now: datetime) -> list[QueueEntry]:
    """Waiting conversations, most urgent first: priority, then the first-response deadline."""
    waiting = list(
        session.scalars(
            select(Conversation).where(Conversation.status == ConversationStatus.WAITING_AGENT)
        )
    )
    ids = [conversation.id for conversation in waiting]
    complaints = newest_complaints(session, ids)
    previews = _last_buyer_texts(session, ids)
    rows = []
    for conversation in waiting:
        ticket = complaints.get(conversation.id)
        priority = conversation.priority or (ticket.priority if ticket else None)
        priority = priority or DEFAULT_PRIORITY
        since = as_utc(conversation.waiting_since or now)
        rows.append(
            (
                _rank(priority),
                since + sla_delay(policy, priority),
                since,
                conversation,
                priority,
                ticket,
            )
        )
    rows.sort(key=lambda row: (row[0], row[1], row[2], row[3].id))
    return [
        QueueEntry(
            conversation_id=conversation.id,
            priority=priority,
            reason=conversation.handoff_reason,
            waiting_since=since,
            sla_due_at=due,
            category=ticket.category if ticket else None,
            buyer_id=conversation.buyer_id,
            last_buyer_text=previews.get(conversation.id, "")[:PREVIEW_CHARS],
            position=position,
        )
        for position, (_, due, since, conversation, priority, ticket) in enumerate(rows, 1)
    ]


def sla_delay(policy: Policy, priority: str) -> timedelta:
    minutes = policy.get("triage.first_response_sla_minutes")
    return timedelta(minutes=int(minutes.get(priority, minutes[DEFAULT_PRIORITY])))


def agents_online(session: Session) -> int:
    return int(session.scalar(select(func.count()).where(Agent.online.is_(True))) or 0)


def expected_wait_minutes(
    session: Session, policy: Policy, conversation_id: str, now: datetime
) -> int | None:
    """Minutes until an agent takes this conversation; None while no agent is online.

    A conversation not (yet) in the queue is counted as joining it at the end.
    """
    online = agents_online(session)
    if online == 0:
        return None
    entries = queue(session, policy, now)
    position = next(
        (e.position for e in entries if e.conversation_id == conversation_id), len(entries) + 1
    )
    per_conversation = policy.number("handoff.minutes_per_conversation")
    return max(1, math.ceil((position - 1) * per_conversation / max(1, online)))


def waiting_ack(
    session: Session, policy: Policy, conversation: Conversation, now: datetime
) -> str | None:
    """The "still waiting" line for a buyer message in waiting_agent, rate-limited.

    The first message of a wait gets one, then at most one every handoff.ack_interval_minutes.
    With an agent on the conversation (with_agent) there is none.
    """
    if conversation.status != ConversationStatus.WAITING_AGENT:
        return None
    interval = timedelta(minutes=policy.number("handoff.ack_interval_minutes"))
    last = as_utc(conversation.last_ack_at) if conversation.last_ack_at else None
    since = as_utc(conversation.waiting_since) if conversation.waiting_since else None
    acked_this_wait = last is not None and (since is None or last >= since)
    if acked_this_wait and last is not None and now - last < interval:
        return None
    conversation.last_ack_at = now
    entries = queue(session, policy, now)
    entry = next((e for e in entries if e.conversation_id == conversation.id), None)
    wait = expected_wait_minutes(session, policy, conversation.id, now)
    if wait is None:
        due = entry.sla_due_at if entry else now + sla_delay(policy, DEFAULT_PRIORITY)
        return WAITING_ACK_NOBODY_ONLINE.format(due=shop_time(due))
    ahead = entry.position - 1 if entry else len(entries)
    if ahead == 0:
        return WAITING_ACK_FIRST.format(wait=wait)
    return WAITING_ACK_QUEUED.format(ahead=ahead, wait=wait)


@dataclass(frozen=True)
class ConversationView:
    """Everything an agent reads beside the chat: notes included, the buyer's orders, tickets."""

    conversation: Conversation
    messages: list[Message]
    orders: list[Order]
    tickets: list[Ticket]
    complaint: Ticket | None  # the newest complaint of this conversation: its triage


def conversation_view(session: Session, conversation_id: str) -> ConversationView:
    conversation = get_conversation(session, conversation_id)
    messages = history(session, conversation_id, include_internal=True)
    orders: list[Order] = []
    mine = Ticket.conversation_id == conversation_id
    if conversation.buyer_id is not None:
        order_query = (
            select(Order)
            .where(Order.buyer_id == conversation.buyer_id)
            .options(*ORDER_DETAILS)
            .order_by(Order.created_at.desc())
            .limit(20)
        )
        orders = list(session.scalars(order_query))
        mine = or_(mine, Ticket.buyer_id == conversation.buyer_id)
    ticket_query = (
        select(Ticket)
        .where(mine)
        .options(
            selectinload(Ticket.order_item),
            selectinload(Ticket.events),
            selectinload(Ticket.attachments),
        )
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(50)
    )
    tickets = list(session.scalars(ticket_query))
    complaint = newest_complaints(session, [conversation_id]).get(conversation_id)
    return ConversationView(conversation, messages, orders, tickets, complaint)


# Agents and their conversations.


def set_presence(session: Session, agent: Agent, online: bool, now: datetime | None = None) -> None:
    agent.online = online
    agent.last_seen_at = now or utcnow()
    session.flush()


def agent_by_name(session: Session, name: str) -> Agent:
    agent = session.scalars(select(Agent).where(Agent.name == name)).one_or_none()
    if agent is None:
        raise AgentNotFound(name)
    return agent


def claim(session: Session, conversation_id: str, agent: Agent) -> Conversation:
    """Takes a waiting conversation: one conditional UPDATE, so only one agent can win."""
    now = utcnow()
    check_transition(ConversationStatus.WAITING_AGENT, ConversationStatus.WITH_AGENT)
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation_id,
                Conversation.status == ConversationStatus.WAITING_AGENT,
            )
            .values(status=ConversationStatus.WITH_AGENT, agent_id=agent.id, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    conversation = get_conversation(session, conversation_id)
    session.refresh(conversation)
    if result.rowcount != 1:
        if conversation.status == ConversationStatus.WITH_AGENT and conversation.agent_id == (
            agent.id
        ):
            return conversation  # the same agent's retry
        raise AlreadyClaimed(conversation_id)
    record_event(
        session,
        conversation_id,
        ConversationStatus.WAITING_AGENT,
        ConversationStatus.WITH_AGENT,
        _reason(f"claimed:{agent.name}"),
        now,
    )
    session.flush()
    return conversation


def agent_reply(session: Session, conversation_id: str, agent: Agent, text: str) -> Message:
    conversation = _held(session, conversation_id, agent)
    message = _agent_message(session, conversation, agent, text, internal=False)
    if conversation.first_reply_at is None:
        conversation.first_reply_at = message.created_at
    session.flush()
    return message


def check_typing(session: Session, conversation_id: str, agent: Agent) -> Conversation:
    """Only the agent who holds a conversation may show the buyer that someone is typing;
    nothing is stored (the signal is live only)."""
    return _held(session, conversation_id, agent)


def add_note(session: Session, conversation_id: str, agent: Agent, text: str) -> Message:
    """An internal note: for agents only, never shown to the buyer or sent to Rasa."""
    conversation = _held(session, conversation_id, agent)
    return _agent_message(session, conversation, agent, text, internal=True)


def transfer(
    session: Session, conversation_id: str, agent: Agent, to_agent_name: str
) -> Conversation:
    conversation = _held(session, conversation_id, agent)
    target = agent_by_name(session, to_agent_name)
    if target.id == agent.id:
        return conversation
    conversation.agent_id = target.id
    conversation.agent = target
    conversation.updated_at = utcnow()
    record_event(
        session,
        conversation_id,
        conversation.status,
        conversation.status,
        _reason(f"transfer:{agent.name}->{target.name}"),
        conversation.updated_at,
    )
    session.flush()
    return conversation


def resolve(session: Session, conversation_id: str, agent: Agent) -> Conversation:
    """Resolved, then straight back to the bot (both recorded); the caller resumes Rasa."""
    conversation = _held(session, conversation_id, agent)
    change_status(
        session, conversation, ConversationStatus.RESOLVED, _reason(f"resolved:{agent.name}")
    )
    change_status(session, conversation, ConversationStatus.BOT, "agent_resolved")
    conversation.agent = None
    return conversation


def welcome_back(session: Session, conversation_id: str) -> Message:
    """The bot's first words after a person hands the conversation back."""
    message = Message(conversation_id=conversation_id, sender=Sender.BOT, text=WELCOME_BACK)
    session.add(message)
    session.flush()
    return message


def resume_bot(rasa: RasaClient, conversation_id: str) -> bool:
    """Un-pauses Rasa's tracker; a failure is logged, never undoes the resolve."""
    try:
        rasa.resume(conversation_id)
    except Exception:
        log.exception("could not resume the Rasa tracker of %s", conversation_id)
        return False
    return True


def conversations_of(
    session: Session, agent: Agent, box: str, limit: int = 100
) -> list[Conversation]:
    """box "mine": the agent's open conversations; "resolved": those the agent resolved."""
    if box == "mine":
        query = select(Conversation).where(
            Conversation.status == ConversationStatus.WITH_AGENT,
            Conversation.agent_id == agent.id,
        )
    elif box == "resolved":
        resolved_by = select(ConversationEvent.conversation_id).where(
            ConversationEvent.to_status == ConversationStatus.RESOLVED,
            ConversationEvent.reason == _reason(f"resolved:{agent.name}"),
        )
        query = select(Conversation).where(Conversation.id.in_(resolved_by))
    else:
        raise ValueError(f"unknown box {box!r}")
    query = query.order_by(Conversation.updated_at.desc(), Conversation.id).limit(limit)
    return list(session.scalars(query))


def newest_complaints(session: Session, conversation_ids: list[str]) -> dict[str, Ticket]:
    """The newest complaint ticket of each conversation: its category, priority and reasons."""
    if not conversation_ids:
        return {}
    query = (
        select(Ticket)
        .where(Ticket.kind == TicketKind.COMPLAINT, Ticket.conversation_id.in_(conversation_ids))
        .order_by(Ticket.created_at, Ticket.id)
    )
    return {ticket.conversation_id or "": ticket for ticket in session.scalars(query)}


def mark_sla_breaches(session: Session, now: datetime) -> list[str]:
    """Complaints whose first-response deadline passed while the buyer still waits; each once.

    Returns the conversation ids, for a queue event.
    """
    already = exists().where(
        TicketEvent.ticket_id == Ticket.id, TicketEvent.action == "sla_breached"
    )
    query = (
        select(Ticket.id, Ticket.conversation_id)
        .join(Conversation, Conversation.id == Ticket.conversation_id)
        .where(
            Ticket.kind == TicketKind.COMPLAINT,
            Ticket.sla_due_at <= now,
            Conversation.status == ConversationStatus.WAITING_AGENT,
            ~already,
        )
        .order_by(Ticket.id)
    )
    breached = []
    for ticket_id, conversation_id in list(session.execute(query)):
        if record_sla_breach(session, ticket_id, now):
            breached.append(str(conversation_id))
    return breached


def _held(session: Session, conversation_id: str, agent: Agent) -> Conversation:
    conversation = get_conversation(session, conversation_id)
    if conversation.status != ConversationStatus.WITH_AGENT or conversation.agent_id != agent.id:
        raise NotYourConversation(conversation_id)
    return conversation


def _agent_message(
    session: Session, conversation: Conversation, agent: Agent, text: str, internal: bool
) -> Message:
    now = utcnow()
    message = Message(
        conversation_id=conversation.id,
        sender=Sender.AGENT,
        text=text,
        agent_id=agent.id,
        agent=agent,
        internal=internal,
        created_at=now,
    )
    session.add(message)
    conversation.updated_at = now
    session.flush()
    return message


def _last_buyer_texts(session: Session, conversation_ids: list[str]) -> dict[str, str]:
    if not conversation_ids:
        return {}
    newest = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(conversation_ids), Message.sender == Sender.BUYER)
        .group_by(Message.conversation_id)
    )
    query = select(Message.conversation_id, Message.text).where(Message.id.in_(newest))
    return {conversation_id: text for conversation_id, text in session.execute(query)}


def _rank(priority: str) -> int:
    try:
        return list(Priority).index(Priority(priority))
    except ValueError:
        return list(Priority).index(DEFAULT_PRIORITY)


def _reason(text: str) -> str:
    return text[:EVENT_REASON_CHARS]
