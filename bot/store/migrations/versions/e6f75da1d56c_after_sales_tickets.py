"""after-sales tickets: kinds and statuses of the state machine, events, attachments, outbox

The old generic ticket (kind "after_sales" + service_type, status open/approved/resolved,
description, amount_fen, due_at) becomes a ticket whose kind is its service type, with a reason,
a refund amount and one column per deadline.

Revision ID: e6f75da1d56c
Revises: 388020196358
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "e6f75da1d56c"
down_revision: str | None = "388020196358"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AFTER_SALES_KINDS = "('refund_only', 'return_refund', 'exchange', 'repair')"


def _time(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, bot.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.alter_column("description", new_column_name="reason", existing_type=sa.Text())
        batch_op.alter_column(
            "amount_fen", new_column_name="refund_fen", existing_type=sa.Integer()
        )
        batch_op.add_column(sa.Column("reason_code", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("shipping_paid_by", sa.String(length=10), nullable=True))
        batch_op.add_column(_time("seller_response_due_at"))
        batch_op.add_column(_time("receipt_due_at"))
        batch_op.add_column(sa.Column("return_courier", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("return_tracking_no", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("rejection_reason", sa.Text(), nullable=True))
        batch_op.add_column(_time("sla_due_at"))

    # The service type becomes the kind; the old statuses map onto the state machine's.
    op.execute(
        "UPDATE tickets SET kind = COALESCE(service_type, 'refund_only') WHERE kind = 'after_sales'"
    )
    op.execute(
        "UPDATE tickets SET status = CASE "
        "WHEN status = 'open' THEN 'requested' "
        "WHEN status = 'approved' AND kind <> 'refund_only' THEN 'awaiting_return' "
        "WHEN status = 'resolved' THEN 'closed' "
        f"ELSE status END WHERE kind IN {AFTER_SALES_KINDS}"
    )
    op.execute(
        "UPDATE tickets SET seller_response_due_at = due_at "
        f"WHERE kind IN {AFTER_SALES_KINDS} AND status = 'requested'"
    )
    op.execute("UPDATE tickets SET sla_due_at = due_at WHERE kind = 'complaint'")
    op.execute("UPDATE tickets SET refund_fen = 0 WHERE refund_fen IS NULL")

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("service_type")
        batch_op.drop_column("due_at")
        batch_op.alter_column("refund_fen", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_tickets_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        _time("at", nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_events_ticket_id"), ["ticket_id"])

    op.create_table(
        "attachments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=50), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        _time("created_at", nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stored_name"),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_conversation_id"), ["conversation_id"])
        batch_op.create_index(batch_op.f("ix_attachments_ticket_id"), ["ticket_id"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=50), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _time("created_at", nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("next_attempt_at", nullable=False),
        _time("delivered_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["delivered_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("attachments")
    op.drop_table("ticket_events")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_updated_at"))
        batch_op.drop_index(batch_op.f("ix_tickets_status"))
        batch_op.add_column(sa.Column("service_type", sa.String(length=20), nullable=True))
        batch_op.add_column(_time("due_at"))
        batch_op.alter_column("refund_fen", existing_type=sa.Integer(), nullable=True)

    op.execute(
        "UPDATE tickets SET due_at = COALESCE(seller_response_due_at, receipt_due_at, sla_due_at)"
    )
    op.execute(
        "UPDATE tickets SET service_type = kind, kind = 'after_sales', status = CASE "
        "WHEN status = 'requested' THEN 'open' "
        "WHEN status IN ('awaiting_return', 'returned', 'received') THEN 'approved' "
        "WHEN status IN ('refunded', 'exchanged', 'repaired') THEN 'resolved' "
        "WHEN status = 'withdrawn' THEN 'closed' "
        f"ELSE status END WHERE kind IN {AFTER_SALES_KINDS}"
    )

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name in (
            "sla_due_at",
            "rejection_reason",
            "return_tracking_no",
            "return_courier",
            "receipt_due_at",
            "seller_response_due_at",
            "shipping_paid_by",
            "reason_code",
        ):
            batch_op.drop_column(name)
        batch_op.alter_column("refund_fen", new_column_name="amount_fen")
        batch_op.alter_column("reason", new_column_name="description")
