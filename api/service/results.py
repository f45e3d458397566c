"""What the service reports: the outcome of ingesting one file (`IngestResult`) and
of a batch (`IngestSummary`), and the service's own errors. May import ingest.errors.
"""
from __future__ import annotations

import errno
import logging
import re
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
    # entries of a folder that are no file to read: a broken link, a pipe, a device, a link
    # to a folder (not followed); said too, for the same reason
    unread: list[str] = field(default_factory=list)
    # stopped by Ctrl+C before every file was read: `results` covers the files done,
    # `found` counts every file the paths named
    interrupted: bool = False
    found: int = 0
    # why the batch stopped before its end: the store or the index cannot be written (a full
    # disk, a size or quota limit, a read-only mount) or opened (a damaged database file or
    # index), so every file after would fail too; `stopped_fix`: what to do before a rerun
    stopped: str | None = None
    stopped_fix: str = ""

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


def _from_sqlalchemy(e: BaseException) -> bool:
    """Whether `e` is SQLAlchemy's (what the store raises for a database error), without
    importing SQLAlchemy where no store was opened."""
    return any(c.__module__.startswith("sqlalchemy") for c in type(e).__mro__)


def _said(e: Exception) -> str:
    said = str(getattr(e, "orig", None) or e).strip().splitlines()
    return said[0] if said else type(e).__name__


# Why a PostgreSQL server would not let gongwen in, by the SQLSTATE of its answer
# (api.service.pg_refusal): the message text is in the server's language (lc_messages)
_REFUSED = {
    "3D000": "数据库 {db} 不存在，需先在服务器上创建（如 createdb {db}）",  # invalid_catalog_name
    "28000": "数据库用户 {user} 不存在，或服务器不允许它从这里连接（pg_hba.conf）",  # invalid_authorization_specification
    "28P01": "用户 {user} 的密码错误或认证失败",  # invalid_password
    "42501": "用户 {user} 没有连接数据库 {db} 的权限",  # insufficient_privilege
    "53300": "数据库服务器的连接数已满",  # too_many_connections
    "57P03": "数据库服务器正在启动、关闭或恢复，暂时不接受连接",  # cannot_connect_now
    "57P01": "数据库服务器正在关闭，连接已被终止",  # admin_shutdown
    "57P02": "数据库服务器异常停止，连接已被终止",  # crash_shutdown
}
# The states above a server gives only at login; a statement meets 42501 (no right to a table or
# schema), 28000 or 3D000 in other senses, with no user or database to name
_REFUSED_AT_LOGIN = {"3D000", "28000", "28P01", "42501"}
# What libpq itself says when no server answered (its own words, not the server's), and, where
# the SQLSTATE cannot be had (another driver, no libpq found), the English server messages
_UNREACHABLE = (
    (re.compile(r"Connection refused|No such file or directory.*\n?.*accepting connections|Is the server running"),
     "连接被拒绝：数据库服务器没有运行，或不在这个地址和端口上"),
    (re.compile(r"failed to resolve host '(?P<v>[^']+)'"), "找不到数据库服务器 {v}（主机名无法解析）"),
    (re.compile(r"timeout expired|timed out", re.I), "连接数据库服务器超时"),
    (re.compile(r'database "(?P<v>[^"]+)" does not exist'), "数据库 {v} 不存在，需先在服务器上创建（如 createdb {v}）"),
    (re.compile(r'role "(?P<v>[^"]+)" does not exist'), "数据库用户 {v} 不存在"),
    (re.compile(r'(password|Ident|peer) authentication failed for user "(?P<v>[^"]+)"'), "用户 {v} 的密码错误或认证失败"),
)


def unreachable_database(e: Exception) -> str | None:
    """Why the database server refused the connection, in Chinese (None when `e` says
    something else, or is no database error)."""
    if not _from_sqlalchemy(e):
        return None
    orig = getattr(e, "orig", None) or e
    said = str(orig)
    if "sqlite" not in type(orig).__module__:
        from api.service.pg_refusal import connection_names, needs_password, refusal_state

        db, user = connection_names(orig)
        if needs_password(orig):
            return f"用户 {user} 需要密码：请在 URL 中写上（postgresql+psycopg://用户:密码@主机/数据库）或写入 ~/.pgpass"
        state = refusal_state(orig)
        if getattr(e, "statement", None) and state in _REFUSED_AT_LOGIN:
            return None  # a statement's answer on an open connection (denied_database), not a refusal to let us in
        if state in _REFUSED:
            return _REFUSED[state].format(db=db, user=user)
    for pattern, words in _UNREACHABLE:
        m = pattern.search(said)
        if m:
            return words.format(v=m.groupdict().get("v") or "")
    return None


def denied_database(e: Exception) -> str | None:
    """The Chinese line for a statement the server refused for want of a privilege (SQLSTATE
    42501: a role that may log in but not create gongwen's tables, PostgreSQL 15+'s schema
    public of a database it does not own; or not read them); None when `e` says something else."""
    if not _from_sqlalchemy(e) or not getattr(e, "statement", None):
        return None
    orig = getattr(e, "orig", None) or e
    if (getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)) != "42501":
        return None
    return (f"数据库用户没有所需的权限（{_said(e)}）：请数据库管理员授予该用户建表和读写的权限"
            "（如把数据库的所有者设为它：ALTER DATABASE 库名 OWNER TO 用户名），或在 URL 中改用有权限的用户")


# Another program keeps the database's write lock past the wait (SQLite's busy timeout; a
# PostgreSQL lock_timeout, deadlock or serialisation failure after the store's retries)
_BUSY_SQLITE = ("database is locked", "database table is locked", "database is busy")
_BUSY_PG = {"55P03", "40P01", "40001"}


def busy_database(e: Exception) -> str | None:
    """The Chinese line for a write that waited for another program's lock and gave up (None
    when `e` says something else)."""
    if not _from_sqlalchemy(e):
        return None
    orig = getattr(e, "orig", None) or e
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _BUSY_PG or any(w in str(orig) for w in _BUSY_SQLITE):
        return f"数据库正被另一个程序占用，等待超时（{_said(e)}）"
    return None


def damaged_database(e: Exception) -> str | None:
    """The one Chinese line naming a damaged SQLite file, when `e` says the file is one."""
    said = _said(e)
    if any(c in said for c in _CORRUPT_DB):
        return f"数据库文件已损坏，或不是 SQLite 数据库（{said}）：请从备份恢复，或用另一个 --data-dir 重新入库"
    return None


def database_trouble(e: Exception) -> str | None:
    """One Chinese line for a database error (None when `e` is none): a damaged SQLite file
    is named as such, one that cannot be written says why; otherwise the driver's own
    first line, without SQLAlchemy's link."""
    if not _from_sqlalchemy(e):
        return None
    said = _said(e)
    reason = _unwritable(e)
    if reason:
        return f"数据库无法写入（{reason}；{said}）"
    return damaged_database(e) or f"数据库出错（{type(e).__name__}）：{said}"


def _unwritable(e: BaseException) -> str | None:
    """Why the database will not take writes, in Chinese (None when that is not what `e`
    says): PostgreSQL names it by SQLSTATE (psycopg's `sqlstate`, psycopg2's `pgcode`),
    SQLite only in its message."""
    orig = getattr(e, "orig", None) or e
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _UNWRITABLE_PG:
        return _UNWRITABLE_PG[state]
    said = _said(e)
    return next((zh for en, zh in _UNWRITABLE_DB.items() if en in said), None)


# What SQLite says when the disk will not take its writes (a full disk, a file size or quota
# limit, a read-only mount), in Chinese: every later write fails the same way
_UNWRITABLE_DB = {"database or disk is full": "磁盘空间不足", "disk I/O error": "磁盘读写出错，可能是磁盘已满或超出文件大小限制",
                  "attempt to write a readonly database": "数据库文件或所在文件夹是只读的"}
# The same for PostgreSQL, by SQLSTATE (the server's disk, memory or a read-only server:
# a hot standby, default_transaction_read_only): every later write fails the same way too
_UNWRITABLE_PG = {
    "53100": _UNWRITABLE_DB["database or disk is full"],  # disk_full
    "58030": "磁盘读写出错",  # io_error
    "53200": "数据库服务器内存不足",  # out_of_memory
    "25006": "数据库是只读的（只读事务或只读的备用服务器）",  # read_only_sql_transaction
}
# The OS errors after which no file of a batch can be stored
UNWRITABLE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO}


def storage_refused(e: BaseException | None) -> bool:
    """Whether `e` says the store or the index cannot be written at all (disk full, over a
    size or quota limit, read-only, I/O error): a batch stops rather than fail every file."""
    if isinstance(e, OSError):
        return e.errno in UNWRITABLE_ERRNOS
    if isinstance(e, GongwenError):  # e.g. index.store's StoreUnwritable: a read-only data folder
        return bool(getattr(e, "refuses_writes", False))
    return e is not None and database_trouble(e) is not None and _unwritable(e) is not None


def stops_batch(e: BaseException | None) -> str | None:
    """What to do before the same command is run again (Chinese), when `e` says no later file
    of a batch can be stored either: the disk refuses writes, or the database file or the
    search index is damaged or unusable (each later file would be read for nothing, then fail
    with the same line). None when `e` concerns its own file only."""
    if e is None:
        return None
    if storage_refused(e):
        return "腾出磁盘空间（或解除只读、配额限制）"
    from index.search.common import IndexMismatch

    if isinstance(e, IndexMismatch):
        return "按上面的提示处理检索索引"
    if isinstance(e, Exception) and _from_sqlalchemy(e) and damaged_database(e):
        return "从备份恢复数据库文件"
    return None


def cannot_open(e: BaseException) -> bool:
    """Whether `e`, raised before any file was read (the outbox drain that opens the store and
    the index), says they cannot be used at all: a database error, a data folder the OS refuses,
    or gongwen's own (a driver not installed, an index of another engine)."""
    return isinstance(e, (GongwenError, OSError)) or _from_sqlalchemy(e)


def failed(result: IngestResult, e: Exception) -> None:
    """Mark `result` failed with a Chinese reason (the exception's own for a
    GongwenError, its type and text for anything else)."""
    if isinstance(e, GongwenError):
        result.error = e.message
    elif isinstance(e, OSError):  # the store's or the index's files (reading the file is an IngestError)
        from ingest.errors import os_reason

        result.error = f"无法写入（{os_reason(e)}）：{e.filename}" if e.filename else f"无法写入（{os_reason(e)}）"
    else:  # a bug or a database problem: report it, keep the batch going
        # debug, not error: the CLI shows one line per failure, never a traceback
        log.debug("ingest failed: %s", result.path, exc_info=True)
        result.error = database_trouble(e) or f"处理失败（{type(e).__name__}）：{e}"
    result.status, result.exception = "failed", e
