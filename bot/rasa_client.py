"""Talks to the Rasa server over HTTP (REST channel); the core never imports rasa."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer, or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    text: str
    payload: dict[str, Any] = field(default_factory=dict)  # buttons, custom, image


class RasaClient:
    """One long-lived HTTP client with pooled connections for every call to Rasa.

    A new client per call built a TLS context each time (loading the CA store) for a plain
    HTTP call on loopback: most of the API's time per turn (DESIGN.md, performance facts).
    httpx.Client is safe to share between the API's worker threads.
    """

    def __init__(self, base_url: str, timeout_seconds: float = 15.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout_seconds
        self._http = httpx.Client(
            timeout=timeout_seconds,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            # Loopback HTTP: no certificates to load, no proxies from the environment.
            verify=not base_url.startswith("http://"),
            trust_env=False,
        )

    def close(self) -> None:
        self._http.close()

    def send(self, sender_id: str, text: str) -> list[BotReply]:
        try:
            response = self._http.post(
                f"{self._base_url}/webhooks/rest/webhook",
                json={"sender": sender_id, "message": text},
                timeout=self._timeout,
            )
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error)) from error
        if not isinstance(body, list):
            raise RasaUnavailable(f"unexpected reply from Rasa: {body!r:.200}")
        return [_to_reply(item) for item in body if isinstance(item, dict)]

    def resume(self, sender_id: str) -> None:
        """Un-pauses a conversation after a person hands it back to the bot."""
        try:
            response = self._http.post(
                f"{self._base_url}/conversations/{sender_id}/tracker/events",
                # The pause came in the middle of a turn, before Rasa listened again: without
                # the action_listen the next message is read as the end of that old turn.
                json=[{"event": "resume"}, {"event": "action", "name": "action_listen"}],
                timeout=self._timeout,
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error


def _to_reply(item: dict[str, Any]) -> BotReply:
    payload = {key: item[key] for key in ("buttons", "custom", "image") if item.get(key)}
    return BotReply(text=str(item.get("text") or ""), payload=payload)
