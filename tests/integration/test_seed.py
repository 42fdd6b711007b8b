import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import cli, seed
from bot.enums import OrderStatus
from bot.settings import get_settings
from bot.store.models import Agent, Order, OrderItem, Ticket
from bot.store.session import session_scope
from tests.conftest import FIXED_NOW


def test_seed_covers_every_order_state_and_policy_edge(seeded: sessionmaker[Session]) -> None:
    with session_scope(seeded) as session:
        statuses = set(session.scalars(select(Order.status)))
        categories = set(session.scalars(select(OrderItem.category)))
        delivered_days = {
            order.id: (FIXED_NOW - order.delivered_at).days
            for order in session.scalars(select(Order).where(Order.delivered_at.is_not(None)))
        }
        assert statuses == {status.value for status in OrderStatus}
        assert {"fresh_food", "custom_made", "digital"} <= categories
        assert delivered_days[seed.DELIVERED_2_DAYS] == 2
        assert delivered_days[seed.DELIVERED_10_DAYS] == 10
        completed = session.get(Order, seed.COMPLETED_20_DAYS)
        assert completed is not None and completed.completed_at is not None
        assert (FIXED_NOW - completed.completed_at).days == 20
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
        assert session.scalar(select(func.count()).select_from(Agent)) == 1
        in_transit = session.get(Order, seed.IN_TRANSIT)
        assert in_transit is not None and in_transit.shipment is not None
        assert len(in_transit.shipment.events) >= 3


def test_seeding_twice_gives_the_same_database(seeded: sessionmaker[Session]) -> None:
    def counts() -> tuple[int, ...]:
        with session_scope(seeded) as session:
            return tuple(
                session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Order, OrderItem, Ticket, Agent)
            )

    before = counts()
    with session_scope(seeded) as session:
        seed.seed_demo(session, now=FIXED_NOW)
    assert counts() == before


def test_demo_data_is_refused_in_production(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("KEFU_ENVIRONMENT", "production")
    for name in ("SHOP_API_KEY", "WIDGET_SECRET", "SESSION_SECRET", "SHOP_WEBHOOK_SECRET"):
        monkeypatch.setenv(f"KEFU_{name}", f"real-{name.lower()}")
    get_settings.cache_clear()
    try:
        assert cli.main(["seed"]) == 1
    finally:
        get_settings.cache_clear()
    assert "production" in capsys.readouterr().err
