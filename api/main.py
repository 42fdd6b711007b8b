"""The FastAPI hub: widget sessions, conversations, shop integration and the web pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from api.routers import conversations, orders, pages, sessions
from bot.knowledge import load_policy
from bot.rasa_client import RasaClient
from bot.settings import Settings, get_settings
from bot.store.session import create_db_engine, make_session_factory

# Far above any real order or chat message; stops a huge body before it is read.
MAX_BODY_BYTES = 1_000_000


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

    @app.middleware("http")
    async def limit_body_size(request: Request, call_next: Any) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                return JSONResponse({"detail": "invalid Content-Length"}, status_code=400)
            if int(declared) > MAX_BODY_BYTES:
                return JSONResponse({"detail": "request body too large"}, status_code=413)
        response: Response = await call_next(request)
        return response

    app.include_router(sessions.router)
    app.include_router(conversations.router)
    app.include_router(orders.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
