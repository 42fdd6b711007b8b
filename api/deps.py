"""Typed dependencies: settings, database sessions, Rasa, and who is calling.

FastAPI runs a plain `def` dependency in its thread pool: one hop per dependency per request.
Those that only read app.state or check a signature are `async def`, so they run on the event
loop; those that touch the database or the disk stay `def`.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import InvalidSignature
from bot.knowledge import Policy
from bot.knowledge_live import LiveKnowledge
from bot.rasa_client import RasaClient
from bot.security import Visitor, read_session_token
from bot.services.live import Broadcaster
from bot.services.staff import agent_by_token
from bot.settings import Settings
from bot.store.models import Agent
from bot.store.session import session_scope


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def get_db(
    factory: Annotated[sessionmaker[Session], Depends(get_session_factory)],
) -> Iterator[Session]:
    with session_scope(factory) as session:
        yield session


async def get_rasa(request: Request) -> RasaClient:
    client: RasaClient = request.app.state.rasa
    return client


async def get_knowledge(request: Request) -> LiveKnowledge:
    knowledge: LiveKnowledge = request.app.state.knowledge
    return knowledge


def get_policy(request: Request) -> Policy:
    # Sync on purpose: a snapshot may re-read knowledge/ from disk, off the event loop.
    knowledge: LiveKnowledge = request.app.state.knowledge
    return knowledge.snapshot().policy


async def get_broadcaster(request: Request) -> Broadcaster:
    broadcaster: Broadcaster = request.app.state.broadcaster
    return broadcaster


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionFactory = Annotated[sessionmaker[Session], Depends(get_session_factory)]
DbSession = Annotated[Session, Depends(get_db)]
Rasa = Annotated[RasaClient, Depends(get_rasa)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
KnowledgeDep = Annotated[LiveKnowledge, Depends(get_knowledge)]
BroadcasterDep = Annotated[Broadcaster, Depends(get_broadcaster)]

bearer = HTTPBearer(auto_error=False)


async def current_visitor(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Visitor:
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token")
    try:
        return read_session_token(
            credentials.credentials, settings.session_secret.get_secret_value()
        )
    except InvalidSignature as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, f"invalid session token: {error}"
        ) from None


CurrentVisitor = Annotated[Visitor, Depends(current_visitor)]


def _is_shop_key(settings: Settings, key: str | None) -> bool:
    expected = settings.shop_api_key.get_secret_value()
    return key is not None and hmac.compare_digest(key.encode(), expected.encode())


def require_shop_key(
    settings: SettingsDep, x_shop_key: Annotated[str | None, Header()] = None
) -> None:
    if not _is_shop_key(settings, x_shop_key):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong X-Shop-Key")


def current_staff(
    settings: SettingsDep,
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    x_shop_key: Annotated[str | None, Header()] = None,
) -> str:
    """Who acts on tickets: "shop" (X-Shop-Key) or "agent:<name>" (an agent's bearer token).

    A buyer's session token is a bearer token too, but matches no agent: 401.
    """
    if x_shop_key is not None:
        if _is_shop_key(settings, x_shop_key):
            return "shop"
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "X-Shop-Key 不正确 / wrong X-Shop-Key")
    if credentials is not None:
        agent = agent_by_token(db, credentials.credentials)
        if agent is not None:
            return f"agent:{agent.name}"
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "客服令牌无效 / not an agent token")
    raise HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "需要 X-Shop-Key 或客服令牌 / X-Shop-Key or an agent bearer token is required",
    )


CurrentStaff = Annotated[str, Depends(current_staff)]


def current_agent(
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Agent:
    """A support agent by personal bearer token; a buyer token or the shop key is not one."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "需要客服令牌 / agent token required")
    agent = agent_by_token(db, credentials.credentials)
    if agent is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "客服令牌无效 / not an agent token")
    return agent


CurrentAgent = Annotated[Agent, Depends(current_agent)]
