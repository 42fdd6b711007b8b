"""The FastAPI hub: widget sessions, conversations, shop integration and the web pages."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.body_limit import BodySizeLimit
from api.routers import (
    agent,
    attachments,
    conversations,
    dashboard,
    knowledge,
    orders,
    pages,
    sessions,
    tickets,
    triage,
)
from bot.knowledge_live import live_knowledge
from bot.rasa_client import RasaClient
from bot.services.live import get_broadcaster
from bot.services.scheduler import scheduler_from_settings
from bot.settings import Settings, get_settings
from bot.store.session import create_db_engine, make_session_factory

# Far above any real order or chat message; stops a huge body before it is read.
MAX_BODY_BYTES = 1_000_000
# Photo uploads get their own limit (settings.attachment_max_bytes) plus the multipart framing.
UPLOAD_PATH = re.compile(r"^/api/v1/conversations/[^/]+/attachments$")
MULTIPART_OVERHEAD_BYTES = 64_000


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_db_engine(settings.database_url)
        app.state.settings = settings
        app.state.sessions = make_session_factory(engine)
        # knowledge/ as it is now: an edited policy number applies without a restart.
        app.state.knowledge = live_knowledge(settings.knowledge_dir)
        app.state.knowledge.snapshot()  # a broken knowledge/ stops the start, not a buyer
        rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)
        app.state.rasa = rasa
        # Live events for the agent console and the widget (server-sent events).
        app.state.broadcaster = get_broadcaster()
        # Deadlines and webhook deliveries run beside the API, stopped before the engine goes.
        scheduler = scheduler_from_settings(
            settings,
            app.state.sessions,
            lambda: app.state.knowledge.snapshot().policy,
            app.state.broadcaster,
        )
        if scheduler is not None:
            scheduler.start()
        yield
        if scheduler is not None:
            scheduler.stop()
        rasa.close()
        engine.dispose()

    app = FastAPI(
        title="店铺智能客服 API",
        version="0.1.0",
        description="Widget sessions, buyer conversations and shop integration.",
        lifespan=lifespan,
    )

    app.add_middleware(
        BodySizeLimit,
        max_bytes=MAX_BODY_BYTES,
        upload_path=UPLOAD_PATH,
        upload_max_bytes=settings.attachment_max_bytes + MULTIPART_OVERHEAD_BYTES,
    )

    if settings.widget_origin_list:
        # The widget on a shop's own pages calls this API cross-origin with a bearer token
        # (no cookies): only the listed shop origins may, and only the widget's methods.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.widget_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            max_age=600,
        )

    app.include_router(sessions.router)
    app.include_router(conversations.router)
    app.include_router(orders.router)
    app.include_router(tickets.router)
    app.include_router(attachments.router)
    app.include_router(triage.router)
    app.include_router(knowledge.router)
    app.include_router(agent.router)
    app.include_router(dashboard.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
