"""SQLAlchemy 2 declarative tables of the gongwen store.

Portable on purpose: only generic types (JSON, Date, DateTime, String, Text,
Integer) and foreign keys with ON DELETE CASCADE, so the same models run on the
default SQLite file and on PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: sa.JSON, list[Any]: sa.JSON, dict: sa.JSON, list: sa.JSON}


class FileRow(Base):
    """An original file, known by its content hash."""

    __tablename__ = "files"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(512))
    path: Mapped[str | None] = mapped_column(sa.Text)
    format: Mapped[str] = mapped_column(sa.String(16))
    encoding: Mapped[str | None] = mapped_column(sa.String(32))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    pages: Mapped[int | None]
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FileNameRow(Base):
    """Another name the same file (the same bytes) was given when it came again: uploaded
    or ingested under a name other than the one it was stored with. The notice stays one
    document; the names people know it by are kept with its file (`files.name` stays the first)."""

    __tablename__ = "file_names"

    file_sha256: Mapped[str] = mapped_column(sa.ForeignKey("files.sha256", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(512), primary_key=True)
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DocumentRow(Base):
    """A parsed 公文: searchable metadata columns plus the full structure as JSON."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    file_sha256: Mapped[str] = mapped_column(sa.ForeignKey("files.sha256", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(sa.Text)
    issuer: Mapped[str | None] = mapped_column(sa.String(256), index=True)
    issuers: Mapped[list] = mapped_column(sa.JSON, default=list)
    doc_number: Mapped[str | None] = mapped_column(sa.String(128))
    date: Mapped[dt.date | None] = mapped_column(index=True)
    doc_type: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    recipients: Mapped[list] = mapped_column(sa.JSON, default=list)
    # `metadata` is reserved on declarative classes, hence the attribute name.
    meta: Mapped[dict] = mapped_column("metadata", sa.JSON, default=dict)
    # Big columns load only when asked for, so listing documents stays light.
    document: Mapped[dict] = mapped_column(sa.JSON, deferred=True)
    text: Mapped[str] = mapped_column(sa.Text, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    file: Mapped[FileRow] = relationship()
    parts: Mapped[list[PartRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="PartRow.ordinal"
    )
    sections: Mapped[list[SectionRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="SectionRow.ordinal"
    )
    checklist: Mapped[ChecklistRow | None] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class DocumentFileRow(Base):
    """A further file of a stored document: the same notice in another format
    (a .pdf beside the .txt). The first file stays `documents.file_sha256`; a
    separate table rather than a column, so stores created before it gain it
    through `create_all` without a migration (since then: index/store/migrations)."""

    __tablename__ = "document_files"

    document_id: Mapped[str] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    file_sha256: Mapped[str] = mapped_column(
        sa.ForeignKey("files.sha256", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PartRow(Base):
    """A part of a document: covering notice, issued body, attachment."""

    __tablename__ = "parts"

    id: Mapped[str] = mapped_column(sa.String(96), primary_key=True)  # "<doc id>-p<ordinal>"
    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(16))
    label: Mapped[str | None] = mapped_column(sa.String(64))
    title: Mapped[str | None] = mapped_column(sa.Text)
    start: Mapped[int]
    end: Mapped[int]
    page: Mapped[int | None]

    document: Mapped[DocumentRow] = relationship(back_populates="parts")


class SectionRow(Base):
    """A numbered section, flattened in document order; the tree is kept by `parent_id`."""

    __tablename__ = "sections"

    id: Mapped[str] = mapped_column(sa.String(96), primary_key=True)  # "<doc id>-s<ordinal>"
    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[str] = mapped_column(sa.ForeignKey("parts.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int]
    parent_id: Mapped[str | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    level: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.Text)
    path: Mapped[list] = mapped_column(sa.JSON, default=list)
    path_text: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    start: Mapped[int]
    end: Mapped[int]
    page: Mapped[int | None]

    document: Mapped[DocumentRow] = relationship(back_populates="sections")


class ChecklistRow(Base):
    """The task checklist extracted from one document (shared/gold/SCHEMA.md format)."""

    __tablename__ = "checklists"

    document_id: Mapped[str] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict] = mapped_column(sa.JSON)
    extractor_version: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    document: Mapped[DocumentRow] = relationship(back_populates="checklist")


class LogRow(Base):
    """A field log (蹲点日志) with its task and risk labels."""

    __tablename__ = "logs"

    id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)
    date: Mapped[dt.date | None] = mapped_column(index=True)
    region: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    unit: Mapped[str | None] = mapped_column(sa.String(256))
    author: Mapped[str | None] = mapped_column(sa.String(200))
    meta: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    tasks: Mapped[list] = mapped_column(sa.JSON, default=list)
    risks: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{id, severity, evidence}]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # the log's words (nlp.analysis.log_words), cut once when stored, and the digest of
    # the dictionaries they were cut with (nlp.analysis.dictionary_version)
    words: Mapped[list | None] = mapped_column(sa.JSON, nullable=True, deferred=True)
    words_version: Mapped[str | None] = mapped_column(sa.String(32), nullable=True, deferred=True)

    labels: Mapped[list[LogLabelRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    alerts: Mapped[list[AlertRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class LogLabelRow(Base):
    """One label of a log, one row each, so label filters are plain indexed SQL on
    any database instead of dialect-specific JSON queries."""

    __tablename__ = "log_labels"

    log_id: Mapped[str] = mapped_column(sa.ForeignKey("logs.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8), primary_key=True)  # task | risk
    label: Mapped[str] = mapped_column(sa.String(64), primary_key=True, index=True)


class AlertRow(Base):
    """An alert raised by a high or critical risk in a log."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    log_id: Mapped[str] = mapped_column(sa.ForeignKey("logs.id", ondelete="CASCADE"), index=True)
    risk: Mapped[str] = mapped_column(sa.String(64))
    severity: Mapped[str] = mapped_column(sa.String(16))
    evidence: Mapped[Any] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)  # open | acknowledged
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(sa.String(200))


class IndexOutboxRow(Base):
    """Search-index work still to do, written in the same transaction as the store
    write that needs it: the search index is a second store that cannot join the
    database's transaction, so the database remembers what the index lacks until
    it has it (api.service drains this table). `target` is a document id (kind
    document: index it as stored, or remove it if it is gone) or a log id (kind log).

    An entry the index refuses while it takes others counts an attempt (`error` says
    why); after `INDEX_ATTEMPTS` it is set aside (`failed_at`): no longer retried by
    every drain, shown by `gongwen check` and /api/health, retried by
    `gongwen reindex --pending`."""

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                                    autoincrement=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # document | log
    target: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(sa.Text)
    failed_at: Mapped[dt.datetime | None] = mapped_column()
