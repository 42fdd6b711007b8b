"""What every action needs from the core, built on first use (rasa-sdk imports this at start)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from bot.knowledge import Policy, cached_policy
from bot.settings import get_settings
from bot.store.session import session_factory_for


def sessions() -> sessionmaker[Session]:
    return session_factory_for(get_settings().database_url)


@lru_cache(maxsize=1)
def policy() -> Policy:
    return cached_policy(get_settings().knowledge_dir)
