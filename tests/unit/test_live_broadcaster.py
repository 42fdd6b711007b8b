"""The in-process broadcaster: events published from any thread reach asyncio subscribers."""

from __future__ import annotations

import asyncio
import threading

from bot.services.live import InProcessBroadcaster


def test_an_event_published_from_another_thread_reaches_the_subscriber() -> None:
    hub = InProcessBroadcaster()

    async def listen() -> dict[str, object]:
        subscription = hub.subscribe("agents")
        other = hub.subscribe("conversation:x")
        publisher = threading.Thread(
            target=hub.publish, args=("agents", {"type": "queue", "change": "waiting"})
        )
        publisher.start()
        try:
            event = await asyncio.wait_for(anext(subscription), 5)
            assert other.queue.empty()  # another topic hears nothing
            return event
        finally:
            publisher.join()
            subscription.close()
            other.close()

    assert asyncio.run(listen()) == {"type": "queue", "change": "waiting"}
    assert hub.subscriber_count("agents") == 0


def test_a_subscriber_whose_loop_has_closed_is_dropped_on_publish() -> None:
    hub = InProcessBroadcaster()

    async def subscribe_only() -> None:
        hub.subscribe("agents")

    asyncio.run(subscribe_only())
    assert hub.subscriber_count("agents") == 1
    hub.publish("agents", {"type": "queue"})
    assert hub.subscriber_count("agents") == 0


def test_publishing_with_nobody_listening_is_fine() -> None:
    InProcessBroadcaster().publish("agents", {"type": "queue"})
