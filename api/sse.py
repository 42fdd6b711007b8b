"""Server-sent events: a subscription to a live topic (bot.services.live) as a text stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi.responses import StreamingResponse

from bot.services.live import Subscription

# A comment line now and then keeps proxies from closing an idle stream.
KEEPALIVE_SECONDS = 15.0


def event_stream(
    subscription: Subscription, keepalive_seconds: float = KEEPALIVE_SECONDS
) -> StreamingResponse:
    """The subscription exists before the response starts, so nothing published after this
    call is missed; it is closed when the client goes away."""
    return StreamingResponse(
        _frames(subscription, keepalive_seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _frames(subscription: Subscription, keepalive_seconds: float) -> AsyncIterator[str]:
    try:
        yield "retry: 3000\n: connected\n\n"
        while True:
            try:
                event = await asyncio.wait_for(anext(subscription), keepalive_seconds)
            except TimeoutError:
                yield ": ping\n\n"
                continue
            yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
    finally:
        subscription.close()
