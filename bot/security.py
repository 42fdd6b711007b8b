"""Buyer identity: the shop signs buyer ids, the widget trades them for session tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from bot.errors import InvalidSignature


def sign_buyer_id(buyer_id: str, widget_secret: str) -> str:
    """What the shop's back end computes: hex HMAC-SHA256 of the buyer id."""
    return hmac.new(widget_secret.encode(), buyer_id.encode(), hashlib.sha256).hexdigest()


def verify_buyer_signature(buyer_id: str, signature: str, widget_secret: str) -> None:
    expected = sign_buyer_id(buyer_id, widget_secret)
    if not hmac.compare_digest(expected, signature.lower()):
        raise InvalidSignature("buyer signature does not match")


@dataclass(frozen=True)
class Visitor:
    """Whoever holds a session token: a signed-in buyer or an anonymous visitor."""

    visitor_id: str
    buyer_id: str | None

    @property
    def is_anonymous(self) -> bool:
        return self.buyer_id is None


def issue_session_token(
    buyer_id: str | None, session_secret: str, ttl_seconds: int, now: float | None = None
) -> tuple[str, Visitor]:
    visitor_id = f"buyer:{buyer_id}" if buyer_id else f"anon:{secrets.token_hex(12)}"
    issued = int(now if now is not None else time.time())
    body = {"sub": visitor_id, "buyer": buyer_id, "exp": issued + ttl_seconds}
    encoded = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{encoded}.{_mac(encoded, session_secret)}", Visitor(visitor_id, buyer_id)


def read_session_token(token: str, session_secret: str, now: float | None = None) -> Visitor:
    try:
        encoded, mac = token.split(".", 1)
    except ValueError:
        raise InvalidSignature("malformed token") from None
    if not hmac.compare_digest(_mac(encoded, session_secret), mac):
        raise InvalidSignature("token signature does not match")
    try:
        body = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        visitor_id, buyer_id, expires = str(body["sub"]), body["buyer"], int(body["exp"])
    except (ValueError, KeyError, TypeError):
        raise InvalidSignature("malformed token") from None
    if expires < (now if now is not None else time.time()):
        raise InvalidSignature("token expired")
    return Visitor(visitor_id, buyer_id)


def hash_agent_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(encoded: str, secret: str) -> str:
    return _b64(hmac.new(secret.encode(), encoded.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
