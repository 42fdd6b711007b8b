"""Shared fixtures: a fresh migrated SQLite file per test, settings pointing at it, demo data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.seed import seed_demo
from bot.settings import Settings
from bot.store.migrate import upgrade
from bot.store.session import create_db_engine, make_session_factory, session_scope
from bot.supervisor import MODEL_PATH, Ports, Supervisor, free_port, product_services

# A fixed "now" keeps seeded times, and so every policy edge, the same in every run.
FIXED_NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kefu.db'}"
    upgrade(url)
    return url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_scope(sessions) as session:
        seed_demo(session, now=FIXED_NOW)
    return sessions


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        shop_api_key="test-shop-key",
        widget_secret="test-widget-secret",
        session_secret="test-session-secret",
        rasa_url="http://127.0.0.1:9",  # discard port: nothing listens
        scheduler_interval_seconds=0,  # tests apply timeouts themselves, with a fixed now
        upload_dir=tmp_path / "uploads",
    )


@dataclass(frozen=True)
class LiveProduct:
    api: str
    rasa: str
    db_url: str
    widget_secret: str
    shop_key: str
    supervisor: Supervisor
    # A port for a shop's own site on another origin, allowed to embed the widget (CORS).
    shop_site_port: int = 0


@pytest.fixture(scope="session")
def live_product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveProduct]:
    """The real product: trained Rasa model, action server and API as processes on free ports."""
    if not MODEL_PATH.is_file():
        pytest.fail(f"no trained model at {MODEL_PATH}: run `make train` (make test does)")
    db_url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'kefu.db'}"
    upgrade(db_url)
    factory = make_session_factory(create_db_engine(db_url))
    with session_scope(factory) as session:
        seed_demo(session)
    ports = Ports(rasa=free_port(), actions=free_port(), api=free_port())
    shop_site_port = free_port()
    env = {
        "DATABASE_URL": db_url,
        "KEFU_WIDGET_ORIGINS": f"http://127.0.0.1:{shop_site_port}",
        "KEFU_WIDGET_SECRET": "live-widget-secret",
        "KEFU_SHOP_API_KEY": "live-shop-key",
        "KEFU_SESSION_SECRET": "live-session-secret",
        "RASA_TRACKER_DB": str(tmp_path_factory.mktemp("trackers") / "rasa-trackers.db"),
    }
    log_path = tmp_path_factory.mktemp("logs") / "product.log"
    with log_path.open("w", encoding="utf-8") as log:
        supervisor = Supervisor(product_services(ports, env), log=log)
        try:
            supervisor.start()
        except RuntimeError as error:
            supervisor.stop()
            pytest.fail(f"{error}\n{log_path.read_text(encoding='utf-8')[-4000:]}")
        try:
            yield LiveProduct(
                api=f"http://127.0.0.1:{ports.api}",
                rasa=f"http://127.0.0.1:{ports.rasa}",
                db_url=db_url,
                widget_secret=env["KEFU_WIDGET_SECRET"],
                shop_key=env["KEFU_SHOP_API_KEY"],
                supervisor=supervisor,
                shop_site_port=shop_site_port,
            )
        finally:
            supervisor.stop()
