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


def test_a_database_full_of_conversations_upgrades_to_the_newest_schema(tmp_path: Path) -> None:
    """Rows made with the schema before the agent console (a conversation, a buyer message and
    the bot's reply pointing at it) survive the table copies SQLite needs to add columns."""
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    upgrade(url, "e6f75da1d56c")  # after-sales tickets, before the agent console
    engine = create_db_engine(url)
    now = "2026-11-20 04:00:00.000000"
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO conversations (id, visitor_id, buyer_id, status, created_at, updated_at)"
            " VALUES ('c1', 'buyer:b1', 'b1', 'bot', ?, ?)",
            (now, now),
        )
        connection.exec_driver_sql(
            "INSERT INTO messages (id, conversation_id, sender, text, created_at)"
            " VALUES (1, 'c1', 'buyer', '你好', ?)",
            (now,),
        )
        connection.exec_driver_sql(
            "INSERT INTO messages (id, conversation_id, sender, text, reply_to_id, created_at)"
            " VALUES (2, 'c1', 'bot', '在的亲', 1, ?)",
            (now,),
        )
    engine.dispose()

    upgrade(url)

    engine = create_db_engine(url)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, reply_to_id, internal FROM messages ORDER BY id"
        ).fetchall()
        assert [tuple(row) for row in rows] == [(1, None, 0), (2, 1, 0)]
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()
