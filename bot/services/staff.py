"""Who acts for the shop: support agents found by their personal bearer token."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.security import hash_agent_token
from bot.store.models import Agent


def agent_by_token(session: Session, token: str) -> Agent | None:
    """Only the token's hash is stored, so a leaked table gives no usable tokens."""
    if not token:
        return None
    query = select(Agent).where(Agent.token_hash == hash_agent_token(token))
    return session.scalars(query).one_or_none()
