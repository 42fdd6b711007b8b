"""Migrations: a fresh SQLite file reaches the models exactly, and old tickets are carried over."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.store.migrate import upgrade
from bot.store.models import Base
from bot.store.session import create_db_engine

BEFORE_TICKETS = "388020196358"  # the initial order store


def test_a_fresh_database_matches_the_models(db_url: str) -> None:
    engine = create_db_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        tables = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    assert {"tickets", "ticket_events", "attachments", "outbox"} <= tables


def test_old_tickets_become_kinds_and_statuses_of_the_state_machine(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, BEFORE_TICKETS)
    engine = create_db_engine(url)
    now = "2026-11-20 04:00:00.000000"
    with engine.begin() as connection:
        rows = [
            (1, "after_sales", "open", "return_refund", 32900, "2026-11-25 04:00:00.000000"),
            (2, "after_sales", "approved", "exchange", None, None),
            (3, "after_sales", "resolved", "refund_only", 100, None),
            (4, "complaint", "open", None, None, "2026-11-20 05:00:00.000000"),
        ]
        for ticket_id, kind, status, service, amount, due in rows:
            connection.execute(
                sa.text(
                    "INSERT INTO tickets (id, kind, status, service_type, description, "
                    "amount_fen, created_at, updated_at, due_at) "
                    "VALUES (:id, :kind, :status, :service, '鞋码偏小', :amount, :now, :now, :due)"
                ),
                {
                    "id": ticket_id,
                    "kind": kind,
                    "status": status,
                    "service": service,
                    "amount": amount,
                    "now": now,
                    "due": due,
                },
            )
    upgrade(url)
    with engine.connect() as connection:
        query = sa.text(
            "SELECT id, kind, status, reason, refund_fen, seller_response_due_at IS NOT NULL, "
            "sla_due_at IS NOT NULL FROM tickets ORDER BY id"
        )
        migrated = [tuple(row) for row in connection.execute(query)]
    engine.dispose()
    assert migrated == [
        (1, "return_refund", "requested", "鞋码偏小", 32900, 1, 0),
        (2, "exchange", "awaiting_return", "鞋码偏小", 0, 0, 0),
        (3, "refund_only", "closed", "鞋码偏小", 100, 0, 0),
        (4, "complaint", "open", "鞋码偏小", 0, 0, 1),
    ]
