"""What the service reports: the outcome of ingesting one file (`IngestResult`) and
of a batch (`IngestSummary`), and the service's own errors. May import ingest.errors.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from ingest.errors import GongwenError

log = logging.getLogger(__name__)


class IndexLocked(GongwenError):
    """Another process keeps the search index's work lock for too long."""

    code = "index_busy"
    http_status = 503


class ChecklistUnavailable(GongwenError):
    code = "checklist_unavailable"
    http_status = 404


@dataclass
class IngestResult:
    path: str
    # ingested | attached (another format of a stored notice, kept with it) | unchanged | failed
    status: str
    document_id: str | None = None
    title: str | None = None
    error: str | None = None  # Chinese reason when failed
    message: str | None = None  # Chinese note when attached or known already
    warning: str | None = None  # Chinese warning: stored anew although a notice with its 文号 exists
    related_document_id: str | None = None  # the stored notice the warning is about
    size: int = 0
    format: str | None = None
    seconds: float = 0.0
    reindexed: bool = False  # stored already but missing from the search index: indexed again
    exception: Exception | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "document_id": self.document_id, "title": self.title,
                "error": self.error, "message": self.message, "warning": self.warning,
                "related_document_id": self.related_document_id}


@dataclass
class IngestSummary:
    results: list[IngestResult] = field(default_factory=list)
    seconds: float = 0.0
    # files found in a folder in a format gongwen does not read (.xlsx, .zip …): not
    # failures, but a person must hear of them, or thinks the whole folder is stored
    skipped: list[str] = field(default_factory=list)
    # stopped by Ctrl+C before every file was read: `results` covers the files done,
    # `found` counts every file the paths named
    interrupted: bool = False
    found: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ingested(self) -> int:
        return self.count("ingested")

    @property
    def attached(self) -> int:
        return self.count("attached")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def reindexed(self) -> int:
        return sum(1 for r in self.results if r.reindexed)

    @property
    def warnings(self) -> list[IngestResult]:
        return [r for r in self.results if r.warning]

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def failures(self) -> list[IngestResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def bytes(self) -> int:
        return sum(r.size for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"ingested": self.ingested, "attached": self.attached, "unchanged": self.unchanged, "failed": self.failed,
                "interrupted": self.interrupted, "seconds": round(self.seconds, 3), "results": [r.to_dict() for r in self.results]}


ProgressCallback = Callable[[int, int, "IngestResult | None"], None]


# what SQLite says of a file that is not (or no longer) a database it can read
_CORRUPT_DB = ("file is not a database", "database disk image is malformed", "file is encrypted")


def _said(e: Exception) -> str:
    said = str(getattr(e, "orig", None) or e).strip().splitlines()
    return said[0] if said else type(e).__name__


def damaged_database(e: Exception) -> str | None:
    """The one Chinese line naming a damaged SQLite file, when `e` says the file is one."""
    said = _said(e)
    if any(c in said for c in _CORRUPT_DB):
        return f"数据库文件已损坏，或不是 SQLite 数据库（{said}）：请从备份恢复，或用另一个 --data-dir 重新入库"
    return None


def database_trouble(e: Exception) -> str | None:
    """One Chinese line for a database error (None when `e` is none): a damaged SQLite file
    is named as such; otherwise the driver's own first line, without SQLAlchemy's link."""
    if not any(c.__module__.startswith("sqlalchemy") for c in type(e).__mro__):
        return None
    return damaged_database(e) or f"数据库出错（{type(e).__name__}）：{_said(e)}"


def failed(result: IngestResult, e: Exception) -> None:
    """Mark `result` failed with a Chinese reason (the exception's own for a
    GongwenError, its type and text for anything else)."""
    if isinstance(e, GongwenError):
        result.error = e.message
    else:  # a bug or a database problem: report it, keep the batch going
        # debug, not error: the CLI shows one line per failure, never a traceback
        log.debug("ingest failed: %s", result.path, exc_info=True)
        result.error = database_trouble(e) or f"处理失败（{type(e).__name__}）：{e}"
    result.status, result.exception = "failed", e
