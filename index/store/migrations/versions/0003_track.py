"""Duty tracking (督办台账): evidence links between logs and the duties of stored
checklists (track_links) and overdue alerts (track_alerts); see index/store/track.py.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "track_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("obligation_id", sa.String(64), nullable=False),
        sa.Column("log_id", sa.String(200), sa.ForeignKey("logs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decided_by", sa.String(200)),
        sa.UniqueConstraint("document_id", "obligation_id", "log_id", name="uq_track_link"),
    )
    for column in ("document_id", "log_id", "state"):
        op.create_index(f"ix_track_links_{column}", "track_links", [column])
    op.create_table(
        "track_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("obligation_id", sa.String(64), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("acknowledged_by", sa.String(200)),
        sa.UniqueConstraint("document_id", "obligation_id", "due", name="uq_track_alert"),
    )
    for column in ("document_id", "status"):
        op.create_index(f"ix_track_alerts_{column}", "track_alerts", [column])


def downgrade() -> None:
    op.drop_table("track_alerts")
    op.drop_table("track_links")
