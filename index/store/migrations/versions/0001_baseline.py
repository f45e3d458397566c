"""Baseline: the store's tables as the releases before migrations created them
(`Base.metadata.create_all`). Every table and index only if it is missing, so a
database made by an earlier release (possibly without `document_files`, which
came later) is brought to this revision without touching its data.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _table(name: str, *columns, indexes: tuple[str, ...] = ()) -> None:
    op.create_table(name, *columns, if_not_exists=True)
    for column in indexes:
        op.create_index(f"ix_{name}_{column}", name, [column], if_not_exists=True)


def upgrade() -> None:
    _table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("encoding", sa.String(32)),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("pages", sa.Integer),
        sa.Column("first_seen", sa.DateTime, nullable=False),
    )
    _table(
        "logs",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("region", sa.String(200)),
        sa.Column("unit", sa.String(256)),
        sa.Column("author", sa.String(200)),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("tasks", sa.JSON, nullable=False),
        sa.Column("risks", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        indexes=("date", "region"),
    )
    _table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("log_id", sa.String(200), sa.ForeignKey("logs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("risk", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("acknowledged_by", sa.String(200)),
        indexes=("log_id", "status"),
    )
    _table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("file_sha256", sa.String(64), sa.ForeignKey("files.sha256", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("issuer", sa.String(256)),
        sa.Column("issuers", sa.JSON, nullable=False),
        sa.Column("doc_number", sa.String(128)),
        sa.Column("date", sa.Date),
        sa.Column("doc_type", sa.String(32)),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        indexes=("file_sha256", "issuer", "date", "doc_type"),
    )
    _table(
        "log_labels",
        sa.Column("log_id", sa.String(200), sa.ForeignKey("logs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("label", sa.String(64), primary_key=True),
        indexes=("label",),
    )
    _table(
        "checklists",
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("extractor_version", sa.String(64)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    _table(
        "document_files",
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("file_sha256", sa.String(64), sa.ForeignKey("files.sha256", ondelete="CASCADE"), primary_key=True),
        sa.Column("added_at", sa.DateTime, nullable=False),
        indexes=("file_sha256",),
    )
    _table(
        "parts",
        sa.Column("id", sa.String(96), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(64)),
        sa.Column("title", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("page", sa.Integer),
        indexes=("document_id",),
    )
    _table(
        "sections",
        sa.Column("id", sa.String(96), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("part_id", sa.String(96), sa.ForeignKey("parts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("parent_id", sa.String(96), sa.ForeignKey("sections.id", ondelete="CASCADE")),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("path", sa.JSON, nullable=False),
        sa.Column("path_text", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("page", sa.Integer),
        indexes=("document_id", "part_id", "parent_id"),
    )


def downgrade() -> None:
    for name in ("sections", "parts", "document_files", "checklists", "log_labels", "documents", "alerts",
                 "logs", "files"):
        op.drop_table(name)
