"""agent console: agent presence, internal notes, waiting acknowledgements

Revision ID: 42aba5936322
Revises: e6f75da1d56c
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "42aba5936322"
down_revision: str | None = "e6f75da1d56c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("online", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("last_seen_at", bot.store.types.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_ack_at", bot.store.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("last_ack_at")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("internal")
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("online")
