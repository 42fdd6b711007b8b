"""Talks to the Rasa server over HTTP (REST channel); the core never imports rasa."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import urllib3


class RasaUnavailable(Exception):
    """Rasa did not answer, or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    text: str
    payload: dict[str, Any] = field(default_factory=dict)  # buttons, custom, image


class RasaClient:
    """One long-lived, thread-safe pool of keep-alive connections for every call to Rasa.

    A new client per call built a TLS context each time (loading the CA store) for a plain
    HTTP call on loopback: most of the API's time per turn (DESIGN.md, performance facts).
    urllib3's pool rather than httpx: on loopback httpx's own work was about 0.4 ms a call,
    urllib3's a tenth of that, and the call is on every buyer turn.
    """

    def __init__(self, base_url: str, timeout_seconds: float = 15.0) -> None:
        # urllib3 sets TCP_NODELAY and takes no proxies from the environment.
        self._pool = urllib3.connection_from_url(
            base_url.rstrip("/"),
            maxsize=32,
            block=False,  # beyond 32 at once, open an extra connection rather than wait
            retries=False,  # a turn is not idempotent in Rasa: never send it twice
            timeout=urllib3.Timeout(total=timeout_seconds),
        )

    def close(self) -> None:
        self._pool.close()

    def send(self, sender_id: str, text: str) -> list[BotReply]:
        body = self._post("/webhooks/rest/webhook", {"sender": sender_id, "message": text})
        if not isinstance(body, list):
            raise RasaUnavailable(f"unexpected reply from Rasa: {body!r:.200}")
        return [_to_reply(item) for item in body if isinstance(item, dict)]

    def resume(self, sender_id: str) -> None:
        """Un-pauses a conversation after a person hands it back to the bot."""
        self._post(
            f"/conversations/{sender_id}/tracker/events",
            # The pause came in the middle of a turn, before Rasa listened again: without
            # the action_listen the next message is read as the end of that old turn.
            [{"event": "resume"}, {"event": "action", "name": "action_listen"}],
        )

    def _post(self, path: str, payload: object) -> Any:
        try:
            response = self._pool.request(
                "POST",
                path,
                body=json.dumps(payload, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json"},
            )
        except urllib3.exceptions.HTTPError as error:
            raise RasaUnavailable(f"Rasa did not answer: {error}") from error
        if response.status >= 400:
            raise RasaUnavailable(f"Rasa answered {response.status}: {response.data[:200]!r}")
        try:
            return json.loads(response.data)
        except ValueError as error:
            raise RasaUnavailable(f"Rasa's answer is not JSON: {response.data[:200]!r}") from error


def _to_reply(item: dict[str, Any]) -> BotReply:
    payload = {key: item[key] for key in ("buttons", "custom", "image") if item.get(key)}
    return BotReply(text=str(item.get("text") or ""), payload=payload)
