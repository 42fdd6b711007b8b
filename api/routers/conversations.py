"""Buyer conversations: start one, send messages (stored first), read history."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import (
    BroadcasterDep,
    CurrentVisitor,
    DbSession,
    KnowledgeDep,
    Rasa,
    SessionFactory,
    SettingsDep,
)
from api.schemas import ConversationOut, HistoryOut, MessageIn, MessageOut, TurnOut
from api.sse import event_stream
from bot.errors import ConflictingMessageId, ConversationNotFound, InvalidSignature
from bot.security import read_session_token
from bot.services.conversations import get_visitor_conversation, history, start_conversation
from bot.services.live import agent_name, conversation_topic
from bot.services.messaging import handle_buyer_message
from bot.store.models import Conversation, Message
from bot.store.session import session_scope

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])

NOT_FOUND = "conversation not found"


@router.post("", response_model=ConversationOut, status_code=status.HTTP_201_CREATED)
def create_conversation(visitor: CurrentVisitor, db: DbSession) -> ConversationOut:
    conversation = start_conversation(db, visitor)
    db.commit()
    return _conversation_out(conversation)


@router.get("/{conversation_id}", response_model=ConversationOut)
def read_conversation(
    conversation_id: str, visitor: CurrentVisitor, db: DbSession
) -> ConversationOut:
    try:
        return _conversation_out(get_visitor_conversation(db, conversation_id, visitor))
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None


@router.post("/{conversation_id}/messages", response_model=TurnOut)
def post_message(
    conversation_id: str,
    body: MessageIn,
    visitor: CurrentVisitor,
    sessions: SessionFactory,
    rasa: Rasa,
    knowledge: KnowledgeDep,
    broadcaster: BroadcasterDep,
) -> TurnOut:
    try:
        turn = handle_buyer_message(
            sessions,
            rasa,
            lambda: knowledge.snapshot().policy,
            visitor,
            conversation_id,
            body.text,
            body.client_message_id,
            button_payload=body.payload,
            broadcaster=broadcaster,
        )
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    except ConflictingMessageId:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "client_message_id was already used for another text"
        ) from None
    return TurnOut(
        messages=[_message_out(message) for message in turn.replies],
        status=turn.status,
        buyer_message_id=turn.buyer_message.id,
        repeated=turn.repeated,
    )


@router.get("/{conversation_id}/messages", response_model=HistoryOut)
def read_messages(
    conversation_id: str,
    visitor: CurrentVisitor,
    db: DbSession,
    after: Annotated[int, Query(ge=0, description="only messages with a larger id")] = 0,
) -> HistoryOut:
    """The history, or with `after` only what the widget missed while it was offline."""
    try:
        conversation = get_visitor_conversation(db, conversation_id, visitor)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    messages = [m for m in history(db, conversation.id) if m.id > after]
    return HistoryOut(messages=[_message_out(m) for m in messages], status=conversation.status)


@router.get("/{conversation_id}/events", response_class=StreamingResponse)
async def conversation_events(
    conversation_id: str,
    settings: SettingsDep,
    sessions: SessionFactory,
    broadcaster: BroadcasterDep,
    token: Annotated[str, Query(max_length=2000)] = "",
) -> StreamingResponse:
    """Server-sent events for the buyer's widget: agent, system and bot messages, status changes.

    The session token comes as ?token= (EventSource cannot send headers).
    """
    try:
        visitor = read_session_token(token, settings.session_secret.get_secret_value())
    except InvalidSignature as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, f"invalid session token: {error}"
        ) from None

    def owned() -> bool:
        with session_scope(sessions) as session:
            try:
                get_visitor_conversation(session, conversation_id, visitor)
            except ConversationNotFound:
                return False
            return True

    if not await run_in_threadpool(owned):
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return event_stream(broadcaster.subscribe(conversation_topic(conversation_id)))


def _conversation_out(conversation: Conversation) -> ConversationOut:
    return ConversationOut(
        id=conversation.id,
        status=conversation.status,
        handoff_reason=conversation.handoff_reason,
        priority=conversation.priority,
        created_at=conversation.created_at,
    )


def _message_out(message: Message) -> MessageOut:
    payload = message.payload or {}
    return MessageOut(
        id=message.id,
        sender=message.sender,
        text=message.text,
        buttons=payload.get("buttons") or [],
        custom=payload.get("custom"),
        image=payload.get("image"),
        client_message_id=message.client_message_id,
        button_payload=payload.get("button_payload"),
        internal=message.internal,
        agent_name=agent_name(message),
        created_at=message.created_at,
    )
