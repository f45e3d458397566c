"""index_outbox: search-index work written in the same transaction as the store
write that needs it, so a crash between the store commit and the index commit
leaves a note of what the index still lacks (drained by api.service).

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_outbox",
        # BIGINT on PostgreSQL (a busy log stream counts far), INTEGER on SQLite where only
        # INTEGER PRIMARY KEY is the auto-incrementing rowid
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("index_outbox")
