"""faq gaps: questions the FAQ could not answer

Revision ID: 7c1f0b3a9d21
Revises: 42aba5936322
Create Date: 2026-11-30 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "7c1f0b3a9d21"
down_revision: str | None = "42aba5936322"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "faq_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_key"),
    )


def downgrade() -> None:
    op.drop_table("faq_gaps")
