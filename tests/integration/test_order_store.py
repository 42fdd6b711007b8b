from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.orders import (
    OrderPayload,
    TrackingEventPayload,
    append_tracking_events,
    get_order,
    order_to_payload,
    upsert_order,
)
from bot.store.models import Order, TrackingEvent
from bot.store.session import session_scope
from tests.factories import order_body

ORDER_ID = "2026110199990000001"


def test_upsert_creates_then_replaces_the_whole_order(sessions: sessionmaker[Session]) -> None:
    with session_scope(sessions) as session:
        _, created = upsert_order(session, ORDER_ID, OrderPayload.model_validate(order_body()))
    assert created
    delivered = order_body(status="delivered", delivered_at="2026-11-03T12:00:00+08:00")
    delivered["items"].append({**delivered["items"][0], "sku": "CB-1", "title": "数据线"})
    with session_scope(sessions) as session:
        _, created = upsert_order(session, ORDER_ID, OrderPayload.model_validate(delivered))
    assert not created
    with session_scope(sessions) as session:
        order = get_order(session, ORDER_ID)
        assert order is not None
        assert order.status == "delivered"
        assert [item.title for item in order.items] == ["20000毫安充电宝", "数据线"]
        assert session.scalar(select(func.count()).select_from(Order)) == 1


def test_times_come_back_as_the_same_instant_in_utc(sessions: sessionmaker[Session]) -> None:
    with session_scope(sessions) as session:
        upsert_order(session, ORDER_ID, OrderPayload.model_validate(order_body()))
    with session_scope(sessions) as session:
        order = get_order(session, ORDER_ID)
        assert order is not None
        assert order.created_at == datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
        assert order.created_at.tzinfo is not None


def test_payload_round_trip_is_lossless(sessions: sessionmaker[Session]) -> None:
    payload = OrderPayload.model_validate(order_body())
    with session_scope(sessions) as session:
        upsert_order(session, ORDER_ID, payload)
    with session_scope(sessions) as session:
        order = get_order(session, ORDER_ID)
        assert order is not None
        assert order_to_payload(order) == payload


def test_tracking_events_pushed_twice_are_stored_once(sessions: sessionmaker[Session]) -> None:
    with session_scope(sessions) as session:
        upsert_order(session, ORDER_ID, OrderPayload.model_validate(order_body()))
    new = TrackingEventPayload(
        time=datetime(2026, 11, 2, 6, tzinfo=UTC), location="杭州市", description="派送中"
    )
    with session_scope(sessions) as session:
        assert append_tracking_events(session, ORDER_ID, [new, new]) == 1
    with session_scope(sessions) as session:
        assert append_tracking_events(session, ORDER_ID, [new]) == 0
        assert session.scalar(select(func.count()).select_from(TrackingEvent)) == 3


def test_an_order_cannot_change_buyer_and_nothing_is_written(
    sessions: sessionmaker[Session],
) -> None:
    with session_scope(sessions) as session:
        upsert_order(session, ORDER_ID, OrderPayload.model_validate(order_body()))
    stolen = order_body(buyer={"id": "b666", "name": "x", "phone": "13900000000"}, total_fen=1)
    with pytest.raises(ValueError), session_scope(sessions) as session:
        upsert_order(session, ORDER_ID, OrderPayload.model_validate(stolen))
    with session_scope(sessions) as session:
        order = get_order(session, ORDER_ID)
        assert order is not None and order.buyer_id == "b9001" and order.total_fen == 19900
