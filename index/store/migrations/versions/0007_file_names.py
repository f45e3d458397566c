"""file_names: the other names a stored file (the same bytes) was given when it came
again under another name, kept with it instead of dropped (index.store.models.FileNameRow).

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_names",
        sa.Column("file_sha256", sa.String(64), sa.ForeignKey("files.sha256", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.String(512), primary_key=True),
        sa.Column("first_seen", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("file_names")
