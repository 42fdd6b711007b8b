"""The agent console's API: presence, the queue, claiming, replies, notes, transfer, resolve.

Every route needs an agent's personal bearer token (the SSE stream takes it as ?token=, since
EventSource cannot send headers). Live events are published only after the change commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import (
    BroadcasterDep,
    CurrentAgent,
    DbSession,
    PolicyDep,
    Rasa,
    SessionFactory,
    SettingsDep,
)
from api.schemas import (
    AgentConversationOut,
    AgentTextIn,
    CannedReplyOut,
    ConversationDetailOut,
    MessageOut,
    OrderBriefOut,
    PresenceIn,
    PresenceOut,
    QueueEntryOut,
    TicketOut,
    TransferIn,
    TriageOut,
)
from api.sse import event_stream
from bot.errors import AgentNotFound, AlreadyClaimed, ConversationNotFound, NotYourConversation
from bot.knowledge import load_canned_replies
from bot.services import agents, live
from bot.services.order_lookup import describe
from bot.services.staff import agent_by_token
from bot.services.tickets import ticket_to_dict
from bot.store.models import Conversation, Message
from bot.store.session import session_scope
from bot.timeutil import utcnow

router = APIRouter(prefix="/api/v1/agent", tags=["agent"])

NOT_FOUND = "会话不存在 / conversation not found"
NO_SUCH_AGENT = "客服不存在 / no such agent"
ALREADY_CLAIMED = "已被其他客服接入 / already claimed"
NOT_YOURS = "该会话不在您名下 / you do not hold this conversation"


@router.post("/presence", response_model=PresenceOut)
def presence(body: PresenceIn, agent: CurrentAgent, db: DbSession) -> PresenceOut:
    agents.set_presence(db, agent, body.online)
    return PresenceOut(online=agent.online)


@router.get("/queue", response_model=list[QueueEntryOut])
def read_queue(_agent: CurrentAgent, db: DbSession, policy: PolicyDep) -> list[QueueEntryOut]:
    return [
        QueueEntryOut.model_validate(e, from_attributes=True)
        for e in agents.queue(db, policy, utcnow())
    ]


@router.get("/conversations", response_model=list[AgentConversationOut])
def read_conversations(
    agent: CurrentAgent, db: DbSession, box: Literal["mine", "resolved"] = "mine"
) -> list[AgentConversationOut]:
    return [conversation_out(c) for c in agents.conversations_of(db, agent, box)]


@router.get("/conversations/{conversation_id}", response_model=ConversationDetailOut)
def read_conversation(
    conversation_id: str, _agent: CurrentAgent, db: DbSession
) -> ConversationDetailOut:
    try:
        view = agents.conversation_view(db, conversation_id)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    complaint = view.complaint
    return ConversationDetailOut(
        conversation=conversation_out(view.conversation),
        messages=[message_out(m) for m in view.messages],
        orders=[
            OrderBriefOut(
                order_id=o.id, status=o.status, summary=describe(o).summary, total_fen=o.total_fen
            )
            for o in view.orders
        ],
        tickets=[TicketOut.model_validate(ticket_to_dict(t)) for t in view.tickets],
        triage=TriageOut(
            category=complaint.category, priority=complaint.priority, reasons=complaint.reasons
        )
        if complaint is not None
        else None,
    )


@router.post("/conversations/{conversation_id}/claim", response_model=AgentConversationOut)
def claim(
    conversation_id: str, agent: CurrentAgent, db: DbSession, broadcaster: BroadcasterDep
) -> AgentConversationOut:
    try:
        conversation = agents.claim(db, conversation_id, agent)
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    except AlreadyClaimed:
        raise HTTPException(status.HTTP_409_CONFLICT, ALREADY_CLAIMED) from None
    return _commit_and_publish(db, broadcaster, conversation, "claimed")


@router.post("/conversations/{conversation_id}/reply", response_model=MessageOut)
def reply(
    conversation_id: str,
    body: AgentTextIn,
    agent: CurrentAgent,
    db: DbSession,
    broadcaster: BroadcasterDep,
) -> MessageOut:
    with _translated():
        message = agents.agent_reply(db, conversation_id, agent, body.text)
    return _commit_and_send(db, broadcaster, message, live.for_buyer(message, agents_too=True))


@router.post("/conversations/{conversation_id}/typing", status_code=status.HTTP_204_NO_CONTENT)
def typing(
    conversation_id: str, agent: CurrentAgent, db: DbSession, broadcaster: BroadcasterDep
) -> Response:
    """The agent is writing a reply (the console sends this every few seconds while they type):
    the buyer's widget shows the typing dots. Not stored; internal notes never send it."""
    with _translated():
        conversation = agents.check_typing(db, conversation_id, agent)
    live.publish_all(broadcaster, live.for_typing(conversation))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/conversations/{conversation_id}/notes", response_model=MessageOut)
def add_note(
    conversation_id: str,
    body: AgentTextIn,
    agent: CurrentAgent,
    db: DbSession,
    broadcaster: BroadcasterDep,
) -> MessageOut:
    with _translated():
        message = agents.add_note(db, conversation_id, agent, body.text)
    return _commit_and_send(db, broadcaster, message, live.for_note(message))


@router.post("/conversations/{conversation_id}/transfer", response_model=AgentConversationOut)
def transfer(
    conversation_id: str,
    body: TransferIn,
    agent: CurrentAgent,
    db: DbSession,
    broadcaster: BroadcasterDep,
) -> AgentConversationOut:
    with _translated():
        conversation = agents.transfer(db, conversation_id, agent, body.agent)
    return _commit_and_publish(db, broadcaster, conversation, "transferred")


@router.post("/conversations/{conversation_id}/resolve", response_model=AgentConversationOut)
def resolve(
    conversation_id: str,
    agent: CurrentAgent,
    db: DbSession,
    rasa: Rasa,
    broadcaster: BroadcasterDep,
) -> AgentConversationOut:
    """Back to the bot: resolved is committed first, then Rasa resumes and greets the buyer."""
    with _translated():
        conversation = agents.resolve(db, conversation_id, agent)
    greeting = agents.welcome_back(db, conversation_id)
    outgoing = live.for_status(conversation, "resolved")
    outgoing += live.for_buyer(greeting, agents_too=False)
    out = conversation_out(conversation)
    db.commit()
    agents.resume_bot(rasa, conversation_id)
    live.publish_all(broadcaster, outgoing)
    return out


@router.get("/canned-replies", response_model=list[CannedReplyOut])
def canned_replies(
    _agent: CurrentAgent, settings: SettingsDep, policy: PolicyDep
) -> list[CannedReplyOut]:
    replies = load_canned_replies(settings.knowledge_dir, policy)
    return [CannedReplyOut(title=r.title, text=r.text) for r in replies]


@router.get("/events", response_class=StreamingResponse)
async def events(
    sessions: SessionFactory,
    broadcaster: BroadcasterDep,
    token: Annotated[str, Query(max_length=200)] = "",
) -> StreamingResponse:
    """Server-sent events of the "agents" topic: queue changes, buyer messages, notes."""

    def known_agent() -> bool:
        with session_scope(sessions) as session:
            return agent_by_token(session, token) is not None

    if not await run_in_threadpool(known_agent):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "客服令牌无效 / not an agent token")
    return event_stream(broadcaster.subscribe(live.AGENTS))


def conversation_out(conversation: Conversation) -> AgentConversationOut:
    agent = conversation.agent
    return AgentConversationOut(
        id=conversation.id,
        status=conversation.status,
        priority=conversation.priority,
        reason=conversation.handoff_reason,
        buyer_id=conversation.buyer_id,
        agent=agent.name if agent is not None else None,
        agent_display_name=agent.display_name if agent is not None else None,
        waiting_since=conversation.waiting_since,
        first_reply_at=conversation.first_reply_at,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
    )


def message_out(message: Message) -> MessageOut:
    return MessageOut.model_validate(live.message_to_dict(message))


def _commit_and_publish(
    db: DbSession, broadcaster: BroadcasterDep, conversation: Conversation, change: str
) -> AgentConversationOut:
    outgoing = live.for_status(conversation, change)
    out = conversation_out(conversation)
    db.commit()
    live.publish_all(broadcaster, outgoing)
    return out


def _commit_and_send(
    db: DbSession,
    broadcaster: BroadcasterDep,
    message: Message,
    outgoing: live.Outgoing,
) -> MessageOut:
    """Commits an agent's message, then sends its live events (never before they are stored)."""
    out = message_out(message)
    db.commit()
    live.publish_all(broadcaster, outgoing)
    return out


@contextmanager
def _translated() -> Iterator[None]:
    """Maps the domain errors of acting on a conversation to HTTP statuses."""
    try:
        yield
    except ConversationNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    except AgentNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_SUCH_AGENT) from None
    except NotYourConversation:
        raise HTTPException(status.HTTP_403_FORBIDDEN, NOT_YOURS) from None
