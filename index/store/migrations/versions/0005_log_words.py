"""logs.words / logs.words_version: each log's words, cut once when it is stored
(nlp.analysis.log_words) with the digest of the dictionaries they were cut with, so
topics read them instead of cutting every log again on every fit. Logs stored before
have none: they are cut when read, and a topic fit stores what it cut.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN, nullable: no table copy on SQLite, no rewrite on PostgreSQL
    op.add_column("logs", sa.Column("words", sa.JSON))
    op.add_column("logs", sa.Column("words_version", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("logs") as batch:
        batch.drop_column("words_version")
        batch.drop_column("words")
