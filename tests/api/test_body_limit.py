"""api/body_limit.py: a declared body that is malformed or too large is refused before the app
sees any of it; everything else passes through untouched."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from api.body_limit import BodySizeLimit

UPLOADS = re.compile(r"^/upload$")


def call(path: str, content_length: str | None) -> tuple[int, bool]:
    """The response status and whether the wrapped app was reached."""
    reached: list[bool] = []
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [] if content_length is None else [(b"content-length", content_length.encode())]
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    limit = BodySizeLimit(app, max_bytes=100, upload_path=UPLOADS, upload_max_bytes=1000)
    asyncio.run(limit(scope, receive, send))
    return sent[0]["status"], bool(reached)


def test_a_body_within_its_limit_reaches_the_app() -> None:
    assert call("/api/v1/orders", "100") == (200, True)
    assert call("/api/v1/orders", None) == (200, True)
    assert call("/upload", "1000") == (200, True)


def test_a_body_over_its_limit_is_413_before_the_app_runs() -> None:
    assert call("/api/v1/orders", "101") == (413, False)
    assert call("/upload", "1001") == (413, False)


def test_a_content_length_that_is_not_a_number_is_400() -> None:
    assert call("/api/v1/orders", "12abc") == (400, False)
    assert call("/api/v1/orders", "-1") == (400, False)
