"""A buyer's message from arrival to reply: stored first, then answered by Rasa or queued.

The buyer message is committed before Rasa is called, so nothing is lost if Rasa, the action
server or this process fails; a retried client_message_id returns the stored replies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.conversation import bot_answers
from bot.enums import ConversationStatus, Priority, Sender
from bot.knowledge import Policy
from bot.rasa_client import BotReply, RasaClient, RasaUnavailable
from bot.repeats import avoid_repeats
from bot.security import Visitor
from bot.services import live
from bot.services.agents import waiting_ack
from bot.services.conversations import (
    change_status,
    get_visitor_conversation,
    hand_off,
    last_bot_text,
    record_buyer_message,
    record_replies,
    replies_to,
)
from bot.services.live import Broadcaster
from bot.store.models import Message
from bot.store.session import session_scope
from bot.texts import BOT_ERROR_APOLOGY, RASA_DOWN_APOLOGY
from bot.timeutil import utcnow

# A quick-reply payload, as the bot's own buttons send it: one of these intents, optionally with
# JSON entities, an order service offered beside its policy answer, or a FAQ topic picked from
# the offered questions. Anything else (e.g. /restart)
# is refused before it reaches Rasa.
BUTTON_PAYLOAD_PATTERN = (
    r"^/(?:(?:inform|affirm|deny|request_human)(?:\{.{0,400}\})?"
    r"|request_invoice|change_order|request_price_protection|urge_shipment|cancel_order"
    r'|faq\{"faq_topic": ?"[a-z_]{1,60}"\})$'
)


@dataclass(frozen=True)
class TurnResult:
    buyer_message: Message
    replies: list[Message]
    status: str
    repeated: bool


def handle_buyer_message(
    factory: sessionmaker[Session],
    rasa: RasaClient,
    read_policy: Callable[[], Policy],
    visitor: Visitor,
    conversation_id: str,
    text: str,
    client_message_id: str,
    button_payload: str | None = None,
    broadcaster: Broadcaster | None = None,
) -> TurnResult:
    """Live events (bot.services.live) are published after each commit, never before.

    `read_policy` gives the shop's current policy; most turns never need it, so it is read
    only when a reply is built from it.
    """
    with session_scope(factory) as session:
        conversation = get_visitor_conversation(session, conversation_id, visitor)
        message, repeated = record_buyer_message(
            session, conversation, text, client_message_id, button_payload
        )
        if repeated:
            return TurnResult(message, replies_to(session, message.id), conversation.status, True)
        if conversation.status == ConversationStatus.RESOLVED:
            change_status(session, conversation, ConversationStatus.BOT, "buyer_returned")
        forward = bot_answers(conversation.status)
        outgoing = live.for_buyer_message(message)
        acks: list[Message] = []
        if not forward:
            ack = waiting_ack(session, read_policy(), conversation, utcnow())
            if ack is not None:
                acks = record_replies(
                    session, conversation_id, message.id, [BotReply(ack)], Sender.SYSTEM
                )
                outgoing += live.for_buyer(acks[0], agents_too=True)
        before = (conversation.status, conversation.priority)
    live.publish_all(broadcaster, outgoing)

    if not forward:
        return TurnResult(message, acks, conversation.status, False)

    reason: str | None = None
    try:
        bot_replies = rasa.send(conversation_id, button_payload or text)
    except RasaUnavailable:
        bot_replies, reason = [], "rasa_unreachable"

    with session_scope(factory) as session:
        if not bot_replies:
            # Rasa answers every message it understands or not; silence means an action failed.
            reason = reason or "bot_error"
            template = RASA_DOWN_APOLOGY if reason == "rasa_unreachable" else BOT_ERROR_APOLOGY
            wait = read_policy().number("handoff.expected_wait_minutes")
            bot_replies = [BotReply(template.format(wait=wait))]
            hand_off(session, conversation_id, reason, Priority.P3)
        else:
            bot_replies = avoid_repeats(last_bot_text(session, conversation_id), bot_replies)
        rows = record_replies(
            session,
            conversation_id,
            message.id,
            bot_replies,
            Sender.BOT if reason is None else Sender.SYSTEM,
        )
        # The action server may have handed off meanwhile: this new session reads it afresh.
        conversation = get_visitor_conversation(session, conversation_id, visitor)
        waiting = conversation.status == ConversationStatus.WAITING_AGENT
        outgoing = []
        for row in rows:
            outgoing += live.for_buyer(row, agents_too=waiting)
        if waiting and before[0] != ConversationStatus.WAITING_AGENT:
            outgoing += live.for_status(conversation, "waiting")
        elif waiting and before[1] != conversation.priority:
            outgoing += live.for_status(conversation, "reprioritised")
        result = TurnResult(message, rows, conversation.status, False)
    live.publish_all(broadcaster, outgoing)
    return result
