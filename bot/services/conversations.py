"""Conversations, their messages and status changes, inside a caller's transaction."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.conversation import check_transition
from bot.enums import ConversationStatus, Priority, Sender
from bot.errors import ConflictingMessageId, ConversationNotFound
from bot.rasa_client import BotReply
from bot.security import Visitor
from bot.store.models import Conversation, ConversationEvent, Message
from bot.timeutil import utcnow


def start_conversation(session: Session, visitor: Visitor) -> Conversation:
    conversation = Conversation(
        id=secrets.token_hex(16), visitor_id=visitor.visitor_id, buyer_id=visitor.buyer_id
    )
    session.add(conversation)
    session.flush()
    return conversation


def get_conversation(session: Session, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise ConversationNotFound(conversation_id)
    return conversation


def find_conversation(session: Session, conversation_id: str) -> Conversation | None:
    """The conversation, or None (e.g. actions run from `rasa shell` have no conversation row)."""
    return session.get(Conversation, conversation_id)


def get_visitor_conversation(
    session: Session, conversation_id: str, visitor: Visitor
) -> Conversation:
    """The visitor's own conversation; someone else's looks exactly like a missing one."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.visitor_id != visitor.visitor_id:
        raise ConversationNotFound(conversation_id)
    return conversation


def record_buyer_message(
    session: Session,
    conversation: Conversation,
    text: str,
    client_message_id: str,
    button_payload: str | None = None,
) -> tuple[Message, bool]:
    """Stores the message; returns (message, True) when this client id was already stored.

    Must be the first write of its unit of work (a duplicate rolls the unit back).

    A button press is stored as its title (what the buyer saw) with the payload beside it.
    A retry is found by the unique (conversation, client id) constraint rather than by a query
    first: retries are rare, and the constraint is needed for concurrent ones anyway.
    """
    message = Message(
        conversation_id=conversation.id,
        sender=Sender.BUYER,
        text=text,
        payload={"button_payload": button_payload} if button_payload else None,
        client_message_id=client_message_id,
    )
    session.add(message)
    try:
        session.flush()
    except IntegrityError:
        # Stored before (a retry). The message is the turn's first write, so rolling the unit
        # of work back loses nothing; no savepoint (on SQLite its release is a commit).
        session.rollback()
        existing = _find_by_client_id(session, conversation.id, client_message_id)
        assert existing is not None
        return _same_or_conflict(existing, text), True
    conversation.updated_at = utcnow()
    return message, False


def record_replies(
    session: Session,
    conversation_id: str,
    buyer_message_id: int,
    replies: list[BotReply],
    sender: Sender = Sender.BOT,
) -> list[Message]:
    rows = [
        Message(
            conversation_id=conversation_id,
            sender=sender,
            text=reply.text,
            payload=reply.payload or None,
            reply_to_id=buyer_message_id,
        )
        for reply in replies
    ]
    session.add_all(rows)
    session.flush()
    return rows


def last_bot_text(session: Session, conversation_id: str) -> str | None:
    """The text of the bot's latest message with text in this conversation (cards have none)."""
    query = (
        select(Message.text)
        .where(
            Message.conversation_id == conversation_id,
            Message.sender == Sender.BOT,
            Message.text != "",
        )
        .order_by(Message.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def replies_to(session: Session, message_id: int) -> list[Message]:
    query = select(Message).where(Message.reply_to_id == message_id).order_by(Message.id)
    return list(session.scalars(query))


def history(
    session: Session, conversation_id: str, limit: int = 200, include_internal: bool = False
) -> list[Message]:
    """The newest messages, oldest first; agents' internal notes only when asked for."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if not include_internal:
        query = query.where(Message.internal.is_(False))
    query = query.order_by(Message.id.desc()).limit(limit)
    return list(reversed(list(session.scalars(query))))


def record_event(
    session: Session,
    conversation_id: str,
    from_status: str,
    to_status: str,
    reason: str | None,
    at: datetime,
) -> None:
    """One line of a conversation's history (status changes, claims, transfers)."""
    session.add(
        ConversationEvent(
            conversation_id=conversation_id,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            at=at,
        )
    )


def change_status(
    session: Session,
    conversation: Conversation,
    target: ConversationStatus,
    reason: str | None = None,
    priority: Priority | None = None,
) -> None:
    """The one way a status changes: checked against the table, stamped and recorded."""
    if conversation.status == target:
        return
    check_transition(conversation.status, target)
    now = utcnow()
    record_event(session, conversation.id, conversation.status, target, reason, now)
    conversation.status = target
    if target == ConversationStatus.WAITING_AGENT:
        conversation.waiting_since = now
        conversation.handoff_reason = reason
        conversation.priority = priority
    elif target == ConversationStatus.RESOLVED:
        conversation.resolved_at = now
    elif target == ConversationStatus.BOT:
        conversation.waiting_since = None
        conversation.handoff_reason = None
        conversation.agent_id = None
    session.flush()


def hand_off(
    session: Session, conversation_id: str, reason: str, priority: Priority = Priority.P3
) -> Conversation:
    """Queues the conversation for a person; a second handoff keeps the higher priority."""
    conversation = get_conversation(session, conversation_id)
    if conversation.status in (ConversationStatus.WAITING_AGENT, ConversationStatus.WITH_AGENT):
        if conversation.priority is None or priority < conversation.priority:
            conversation.priority = priority
        return conversation
    change_status(session, conversation, ConversationStatus.WAITING_AGENT, reason, priority)
    return conversation


def _find_by_client_id(session: Session, conversation_id: str, client_id: str) -> Message | None:
    query = select(Message).where(
        Message.conversation_id == conversation_id, Message.client_message_id == client_id
    )
    return session.scalars(query).one_or_none()


def _same_or_conflict(existing: Message, text: str) -> Message:
    if existing.text != text:
        raise ConflictingMessageId(existing.client_message_id or "")
    return existing
