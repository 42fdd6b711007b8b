"""What every action needs from the core, built on first use (rasa-sdk imports this at start)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.knowledge import Policy, cached_policy
from bot.settings import get_settings
from bot.store.session import session_factory_for
from bot.triage import Triager, get_triager


def sessions() -> sessionmaker[Session]:
    return session_factory_for(get_settings().database_url)


def policy() -> Policy:
    """The shop's policy as it is now (knowledge/ is re-read when it changes)."""
    return cached_policy(get_settings().knowledge_dir)


def triager() -> Triager:
    """The process's complaint triager; raises ModelMissing if it was never trained."""
    settings = get_settings()
    return get_triager(settings.triage_model_dir, settings.knowledge_dir)
