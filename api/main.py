"""The FastAPI hub: widget sessions, conversations, shop integration and the web pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routers import conversations, orders, pages, sessions
from bot.knowledge import load_policy
from bot.rasa_client import RasaClient
from bot.settings import Settings, get_settings
from bot.store.session import create_db_engine, make_session_factory


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_db_engine(settings.database_url)
        app.state.settings = settings
        app.state.sessions = make_session_factory(engine)
        app.state.policy = load_policy(settings.knowledge_dir)
        app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
        yield
        engine.dispose()

    app = FastAPI(
        title="店铺智能客服 API",
        version="0.1.0",
        description="Widget sessions, buyer conversations and shop integration.",
        lifespan=lifespan,
    )
    app.include_router(sessions.router)
    app.include_router(conversations.router)
    app.include_router(orders.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
