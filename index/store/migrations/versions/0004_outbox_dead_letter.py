"""index_outbox dead letter: attempts, the last error, and when an entry the index
keeps refusing was set aside (`failed_at`), so it is no longer retried forever.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table copy on SQLite); entries queued before keep 0 attempts
    op.add_column("index_outbox", sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
    op.add_column("index_outbox", sa.Column("error", sa.Text))
    op.add_column("index_outbox", sa.Column("failed_at", sa.DateTime))


def downgrade() -> None:
    with op.batch_alter_table("index_outbox") as batch:
        batch.drop_column("failed_at")
        batch.drop_column("error")
        batch.drop_column("attempts")
