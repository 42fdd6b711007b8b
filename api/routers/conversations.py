"""Buyer conversations: start one, send messages (stored first), read history."""

from fastapi import APIRouter, HTTPException, status

from api.deps import CurrentVisitor, DbSession, PolicyDep, Rasa, SessionFactory
from api.schemas import ConversationOut, HistoryOut, MessageIn, MessageOut, TurnOut
from bot.errors import ConflictingMessageId, ConversationNotFound
from bot.services.conversations import get_visitor_conversation, history, start_conversation
from bot.services.messaging import handle_buyer_message
from bot.store.models import Conversation, Message

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
    policy: PolicyDep,
) -> TurnOut:
    try:
        turn = handle_buyer_message(
            sessions,
            rasa,
            policy,
            visitor,
            conversation_id,
            body.text,
            body.client_message_id,
            button_payload=body.payload,
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
def read_messages(conversation_id: str, visitor: CurrentVisitor, db: DbSession) -> HistoryOut:
    try:
        conversation = get_visitor_conversation(db, conversation_id, visitor)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    messages = history(db, conversation.id)
    return HistoryOut(messages=[_message_out(m) for m in messages], status=conversation.status)


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
        created_at=message.created_at,
    )
