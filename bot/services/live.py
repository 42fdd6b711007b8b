"""Live fan-out to the agent console and the buyer's widget (server-sent events).

Topics: "agents" (the queue changed; a buyer wrote; an internal note) and
"conversation:<id>" (what the buyer should see: agent, system and bot messages, status changes).
Events are plain JSON-ready dicts with a "type": "queue", "message", "status" or "typing".

Publishing is done after the change is committed, from sync code on any thread (request
handlers in the thread pool, the scheduler). The in-process implementation serves one API
process; a Redis pub/sub implementation of the same Protocol can replace it for several.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Protocol

from bot.store.models import Conversation, Message

log = logging.getLogger(__name__)

AGENTS = "agents"
# A slow or stalled subscriber loses events rather than growing without bound.
QUEUE_SIZE = 256


def conversation_topic(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


class Subscription(Protocol):
    """An async iterator of events that can be closed; registered as soon as it exists."""

    def __aiter__(self) -> Subscription: ...

    async def __anext__(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class Broadcaster(Protocol):
    def publish(self, topic: str, event: dict[str, Any]) -> None: ...

    def subscribe(self, topic: str) -> Subscription: ...


class _LocalSubscription:
    def __init__(self, hub: InProcessBroadcaster, topic: str) -> None:
        self._hub = hub
        self.topic = topic
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)

    def __aiter__(self) -> _LocalSubscription:
        return self

    async def __anext__(self) -> dict[str, Any]:
        return await self.queue.get()

    def deliver(self, event: dict[str, Any]) -> None:
        """Runs on the subscriber's loop."""
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            log.warning("live subscriber on %s is too slow; an event was dropped", self.topic)

    def close(self) -> None:
        self._hub.unsubscribe(self)


class InProcessBroadcaster:
    """Subscribers are asyncio queues on their own loops; publish is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[_LocalSubscription]] = {}

    def publish(self, topic: str, event: dict[str, Any]) -> None:
        with self._lock:
            subscribers = list(self._subscribers.get(topic, ()))
        for subscriber in subscribers:
            try:
                subscriber.loop.call_soon_threadsafe(subscriber.deliver, event)
            except RuntimeError:  # the subscriber's loop has closed
                subscriber.close()

    def subscribe(self, topic: str) -> _LocalSubscription:
        """Call from the event loop that will read it; events published from now on arrive."""
        subscription = _LocalSubscription(self, topic)
        with self._lock:
            self._subscribers.setdefault(topic, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: _LocalSubscription) -> None:
        with self._lock:
            subscribers = self._subscribers.get(subscription.topic)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[subscription.topic]

    def subscriber_count(self, topic: str) -> int:
        with self._lock:
            return len(self._subscribers.get(topic, ()))


class NullBroadcaster:
    """For callers with nobody listening (CLI, tests of the core)."""

    def publish(self, topic: str, event: dict[str, Any]) -> None:
        return None

    def subscribe(self, topic: str) -> Subscription:
        raise RuntimeError("NullBroadcaster has no subscribers")


def get_broadcaster() -> Broadcaster:
    """The broadcaster the API keeps on app.state; one process, so in-process for now."""
    return InProcessBroadcaster()


# Event builders: the message as the API renders it (api.schemas.MessageOut).


def message_to_dict(message: Message) -> dict[str, Any]:
    payload = message.payload or {}
    return {
        "id": message.id,
        "sender": message.sender,
        "text": message.text,
        "buttons": payload.get("buttons") or [],
        "custom": payload.get("custom"),
        "image": payload.get("image"),
        "client_message_id": message.client_message_id,
        "button_payload": payload.get("button_payload"),
        "internal": message.internal,
        "agent_name": agent_name(message),
        "created_at": message.created_at.isoformat(),
    }


def agent_name(message: Message) -> str | None:
    """Who wrote it, as the buyer sees it; bot and buyer messages load nothing."""
    if message.agent_id is None or message.agent is None:
        return None
    return message.agent.display_name


def message_event(message: Message) -> dict[str, Any]:
    return {
        "type": "message",
        "conversation_id": message.conversation_id,
        "message": message_to_dict(message),
    }


def status_event(conversation: Conversation) -> dict[str, Any]:
    return {
        "type": "status",
        "conversation_id": conversation.id,
        "status": conversation.status,
        "agent_name": _holder_name(conversation),
    }


def typing_event(conversation: Conversation) -> dict[str, Any]:
    """An agent is writing to the buyer: the widget shows its typing dots for a few seconds."""
    return {
        "type": "typing",
        "conversation_id": conversation.id,
        "agent_name": _holder_name(conversation),
    }


def _holder_name(conversation: Conversation) -> str | None:
    """The display name of the agent holding the conversation, as the buyer sees it."""
    agent = conversation.agent
    return agent.display_name if agent is not None else None


def queue_event(conversation_id: str, change: str, **details: Any) -> dict[str, Any]:
    """change: waiting, reprioritised, claimed, transferred, resolved, sla_breached, message."""
    return {"type": "queue", "change": change, "conversation_id": conversation_id, **details}


# What to publish for each kind of change: built inside the session (the rows are fresh),
# published with publish_all only after the transaction has committed.
Outgoing = list[tuple[str, dict[str, Any]]]


def for_buyer_message(message: Message) -> Outgoing:
    return [(AGENTS, message_event(message))]


def for_buyer(message: Message, *, agents_too: bool) -> Outgoing:
    """A message the buyer sees; agents get it as well while a person handles the chat."""
    event = message_event(message)
    outgoing = [(conversation_topic(message.conversation_id), event)]
    if agents_too:
        outgoing.append((AGENTS, event))
    return outgoing


def for_note(message: Message) -> Outgoing:
    """Internal notes go to agents only, never to the buyer's topic."""
    return [(AGENTS, message_event(message))]


def for_typing(conversation: Conversation) -> Outgoing:
    """Only the buyer hears of it; other agents' consoles have no use for it."""
    return [(conversation_topic(conversation.id), typing_event(conversation))]


def for_status(conversation: Conversation, change: str) -> Outgoing:
    """A status or queue change: the buyer's widget and the agents' queue both hear of it."""
    queue = queue_event(
        conversation.id, change, status=conversation.status, priority=conversation.priority
    )
    return [(conversation_topic(conversation.id), status_event(conversation)), (AGENTS, queue)]


def publish_all(broadcaster: Broadcaster | None, outgoing: Outgoing) -> None:
    """Never lets a failed publish undo a committed change: live events are best effort."""
    if broadcaster is None:
        return
    for topic, event in outgoing:
        try:
            broadcaster.publish(topic, event)
        except Exception:
            log.exception("could not publish a live event on %s", topic)
