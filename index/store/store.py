"""The `Store`: gongwen's source of truth (documents, checklists, field logs,
alerts) behind one small API that returns plain dicts.

Every write is one transaction: a document with its file, parts, sections and
checklist is stored whole or not at all; logs are stored with their alerts; and
every write that changes what search should find also records that in
`index_outbox`, in the same transaction (see `pending_index`).
Runs on SQLite (default; WAL and foreign keys switched on per connection) and on
PostgreSQL (`postgresql+psycopg://…`) with the same code. The schema comes from
Alembic migrations, applied when the store opens (index/store/migrate.py).

Concurrent writers queue instead of failing: on SQLite a write transaction takes
the write lock when it begins (BEGIN IMMEDIATE, so it never has to upgrade a read
lock another writer invalidated) and waits for it up to a busy timeout; on both
databases a write that still meets a lock, a deadlock or a serialisation failure
is retried a few times with backoff (`_retried`).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker, undefer

from index.store.dedup import TextComparison, compare_texts, doc_number_key, issuers_key, title_key
from index.store.models import (
    AlertRow,
    ChecklistRow,
    DocumentFileRow,
    DocumentRow,
    FileNameRow,
    FileRow,
    IndexOutboxRow,
    LogLabelRow,
    LogRow,
    PartRow,
    SectionRow,
    utcnow,
)
from ingest.document import Document
from ingest.errors import GongwenError
from ingest.text import blank, one_line_without_controls

ALERT_SEVERITIES = ("high", "critical")
ALERT_STATUSES = ("open", "acknowledged")
MAX_ID = 2**63 - 1  # the largest id a BIGINT (and SQLite INTEGER) holds
# SQLite: how long a writer waits for another's write lock before the attempt fails
BUSY_TIMEOUT_S = 20.0
# attempts of a write transaction that met a lock, deadlock or serialisation failure
WRITE_ATTEMPTS = 6
# refusals of an index entry, while the index takes other work, before it is set aside
INDEX_ATTEMPTS = 5


@dataclass
class NoticeMatch:
    """A stored document that a new file is the same notice as (`same`: attach the
    file to it), or shares its 文号 / title with but not its text (a revision)."""

    document_id: str
    title: str | None
    doc_number: str | None
    by: str  # "doc_number" | "title"
    comparison: TextComparison

    @property
    def same(self) -> bool:
        return self.comparison.same


class InvalidRecord(GongwenError):
    """A record handed to the store is missing what it needs or holds a bad value."""

    code = "invalid_record"
    http_status = 422


def _json_dumps(obj: Any) -> str:
    # Readable Chinese in the database, and `LIKE '%"九江市总工会"%'` works on the text.
    return json.dumps(obj, ensure_ascii=False)


def _clean(s: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; a same-length replacement keeps offsets valid.
    return s.replace("\x00", " ") if s else s


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _parse_date(value: Any, *, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InvalidRecord(f"{what}的日期无法识别：{value!r}（应为 YYYY-MM-DD）")


def _doc_date(value: str | None) -> dt.date | None:
    """The document's date for the year filter, the order of lists and the duplicate test: its
    成文日期, else the day its web copy went up (`Document.anchor_date`; the JSON keeps both
    apart); partial or odd dates stay only in the JSON."""
    try:
        return _parse_date(value, what="公文")
    except InvalidRecord:
        return None


_PG_RETRY_STATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def _transient(e: DBAPIError) -> bool:
    """A write that failed only because of another writer: worth trying again."""
    if isinstance(e, IntegrityError):
        return False
    state = getattr(e.orig, "sqlstate", None)
    if state in _PG_RETRY_STATES:
        return True
    msg = str(e.orig).lower()
    return "database is locked" in msg or "database table is locked" in msg or "database is busy" in msg


def _retried(fn):
    """Run a write transaction again (with jittered backoff) when it met a lock, a
    deadlock or a serialisation failure; it rolled back, so nothing was half-done."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        delay = 0.05
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except DBAPIError as e:
                if attempt == WRITE_ATTEMPTS or not _transient(e):
                    raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 2.0)

    return wrapper


def _sqlite_file(url: sa.engine.URL) -> Path | None:
    """The file of a SQLite URL; None in memory. In URI form (`sqlite:///file:/data/gongwen.db?mode=ro&uri=true`)
    the path follows `file:`: taken as it stands, it made a folder named `file:` where gongwen ran."""
    db = url.database
    if db in (None, "", ":memory:"):
        return None
    if str(url.query.get("uri", "")).lower() in ("true", "1") and db.startswith("file:"):
        path = urllib.parse.unquote(urllib.parse.urlsplit(db).path)
        return Path(path) if path and path != ":memory:" else None
    return Path(db)


class Store:
    """Open (and create or upgrade if needed) the store at a SQLAlchemy URL."""

    def __init__(self, url: str, *, echo: bool = False):
        from index.store import migrate

        self.url = sa.engine.make_url(url)
        sqlite = self.url.get_backend_name() == "sqlite"
        self._file = _sqlite_file(self.url) if sqlite else None
        if self._file is not None:
            self._file.parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S}} if sqlite else {}
        try:
            self.engine = sa.create_engine(self.url, echo=echo, json_serializer=_json_dumps, **kwargs)
        except ModuleNotFoundError as e:  # mysql://, postgresql:// with psycopg2 absent …
            raise DriverMissing(f"数据库地址 {self.url.drivername}:// 需要的驱动 {e.name} 没有安装：gongwen 用 SQLite"
                                "（sqlite:///路径/gongwen.db）或 PostgreSQL（postgresql+psycopg://用户@主机/库名）",
                                detail=str(e)) from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        # on both backends, so they agree: SQLite's LIKE would end a pattern at a NUL
        # (`?issuer=%00` matched every document) where PostgreSQL reads a space
        event.listen(self.engine, "before_cursor_execute", _without_nul, retval=True)
        # The same pool, but transactions that will write: on SQLite they take the
        # write lock at BEGIN (see _sqlite_begin).
        self._write_engine = self.engine.execution_options(gongwen_write=True)
        # why no write can be kept (a data folder on read-only media, opened for reading only)
        self.read_only: str | None = None
        self.read_only_folder: str | None = None  # which folder and why, for a note on what a read did not do
        try:
            migrate.upgrade(self._write_engine)
        except Exception as e:
            self.engine.dispose()
            if self._file is None:
                raise
            why = _unwritable_folder(self._file.parent, e)
            if why is None:
                raise
            self._open_read_only(why, e)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)

    def _open_read_only(self, why: str, e: Exception) -> None:
        """Open the database of a folder that takes no writes for reading only: its files as
        they are (SQLite's immutable mode), or through a -wal left beside it (read-only mode,
        which reads a -wal only with its -shm). Writes then raise StoreUnwritable, as does
        opening when the folder's files cannot be read exactly or the schema needs a migration."""
        from index.store import migrate

        folder = self._file.parent
        refusal = StoreUnwritable(f"数据文件夹 {folder} {why}：SQLite 数据库即使只读取也要在该文件夹中写入（-wal、-shm 文件），"
                                  "库中内容未受影响；请换用可写的 --data-dir，或把该文件夹复制到可写的位置后使用",
                                  detail=str(getattr(e, "orig", None) or e))
        db = self._file
        wal, shm = (db.with_name(db.name + suffix) for suffix in ("-wal", "-shm"))
        try:
            # a -wal with commits not yet in the main file: immutable mode would not see them
            pending = wal.exists() and wal.stat().st_size > 0
            if pending and not shm.exists():
                raise refusal from e
        except OSError:
            raise refusal from e
        query = {"mode": "ro"} if pending else {"immutable": "1"}
        url = sa.engine.URL.create("sqlite", database="file:" + urllib.parse.quote(str(db.resolve())),
                                   query={**query, "uri": "true"})
        self.engine = sa.create_engine(url, json_serializer=_json_dumps, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(self.engine, "connect", _sqlite_connect)
        event.listen(self.engine, "begin", _sqlite_begin)  # a plain BEGIN: one snapshot per read
        event.listen(self.engine, "before_cursor_execute", _without_nul, retval=True)
        self._write_engine = self.engine
        try:
            with self.engine.connect() as conn:
                found = migrate.current_revision(conn)
        except DBAPIError:
            self.engine.dispose()
            raise refusal from e
        if found != migrate.HEAD:
            self.engine.dispose()
            raise StoreUnwritable(f"数据文件夹 {folder} {why}，而其中的数据库须先升级到本版 gongwen 的结构（要写入）才能使用；"
                                  "请换用可写的 --data-dir，或把该文件夹复制到可写的位置后使用", detail=f"revision {found}") from e
        self.read_only_folder = f"数据文件夹 {folder} {why}"
        self.read_only = (f"数据文件夹 {folder} {why}，只能查看和检索，不能写入：这次的改动没有保存；"
                          "请换用可写的 --data-dir，或把该文件夹复制到可写的位置后再改动")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.
        `write`: the transaction will write (SQLite: it takes the write lock at once)."""
        if write and self.read_only:
            raise StoreUnwritable(self.read_only)
        with (self._write_sessions if write else self._sessions)() as s, s.begin():
            yield s

    # ---------------------------------------------------------------- documents

    def has_document(self, id: str) -> bool:
        with self.session() as s:
            return s.get(DocumentRow, id) is not None

    @_retried
    def add_document(
        self, doc: Document, checklist: dict | None = None, *, extractor_version: str | None = None
    ) -> tuple[str, bool]:
        """Store a document with its file, parts, sections and checklist in one
        transaction. Same content (same sha256) again → nothing written, `created` False."""
        row = _document_row(doc)  # built before the transaction is opened
        if checklist is not None:
            row.checklist = ChecklistRow(
                data=checklist, extractor_version=extractor_version or checklist.get("extractor_version")
            )
        try:
            with self.session(write=True) as s:
                if s.get(DocumentRow, doc.id) is not None:
                    return doc.id, False
                file = s.scalar(sa.select(FileRow).where(FileRow.sha256 == doc.source.sha256))
                if file is None:
                    s.add(_file_row(doc))
                    s.flush()  # the file row must exist before the document's foreign key
                s.add(row)
                s.add(IndexOutboxRow(kind="document", target=doc.id))
        except IntegrityError:
            # Another writer stored the same file between our check and our insert.
            if self.has_document(doc.id):
                return doc.id, False
            raise
        return doc.id, True

    def document_for_file(self, sha256: str) -> str | None:
        """The document a file belongs to, as its first file or as another format."""
        with self.session() as s:
            found = s.scalar(sa.select(DocumentRow.id).where(DocumentRow.file_sha256 == sha256).limit(1))
            if found is None:
                found = s.scalar(sa.select(DocumentFileRow.document_id).where(DocumentFileRow.file_sha256 == sha256))
            return found

    @_retried
    def add_file_name(self, sha256: str, name: str) -> bool:
        """Keep `name` as another name of the stored file `sha256` (the same bytes came again
        under it); False when the file is unknown or already has that name."""
        name = _clean(name)
        with self.session() as s:
            row = s.scalar(sa.select(FileRow).where(FileRow.sha256 == sha256))
            if row is None or row.name == name or s.get(FileNameRow, (sha256, name)) is not None:
                return False  # read first: a rerun over stored files writes nothing
        try:
            with self.session(write=True) as s:
                if s.scalar(sa.select(FileRow.id).where(FileRow.sha256 == sha256)) is None:
                    return False  # deleted meanwhile
                s.add(FileNameRow(file_sha256=sha256, name=name))
        except IntegrityError:  # another writer kept the same name meanwhile
            return False
        return True

    def find_same_notice(self, doc: Document) -> NoticeMatch | None:
        """A stored document that `doc` is the same notice as (see index/store/dedup.py):
        same issuer(s) and 文号, or — when either has no 文号 — same title, issuer(s)
        and date. Among those, one with essentially the same text wins; otherwise the
        closest one is returned with `same` False, so the caller can warn of a revision."""
        number = doc_number_key(doc.doc_number)
        title = title_key(doc.title)
        issuers = issuers_key(doc.issuer, list(doc.issuers))
        date = _doc_date(doc.anchor_date)
        if not issuers or (number is None and title is None):
            return None  # too little to call two files one notice
        # Candidates by issuer or by date (both indexed); the exact rules are applied below on
        # normalised values, so spacing or bracket differences between formats do not matter.
        cond = [DocumentRow.issuer == _clean(doc.issuer)] if doc.issuer else []
        if date is not None:
            cond.append(DocumentRow.date == date)
        if not cond:
            return None
        cols = (DocumentRow.id, DocumentRow.title, DocumentRow.issuer, DocumentRow.issuers,
                DocumentRow.doc_number, DocumentRow.date)
        with self.session() as s:
            rows = s.execute(sa.select(*cols).where(sa.or_(*cond)).limit(1000)).all()
            hits = []
            for r in rows:
                if r.id == doc.id or issuers_key(r.issuer, r.issuers) != issuers:
                    continue
                other = doc_number_key(r.doc_number)
                if number is not None and other is not None:
                    if number != other:
                        continue
                    by = "doc_number"
                elif title is not None and title_key(r.title) == title and r.date == date:
                    by = "title"
                else:
                    continue
                hits.append((r, by))
            matches = []
            for r, by in hits:
                text = s.scalar(sa.select(DocumentRow.text).where(DocumentRow.id == r.id)) or ""
                matches.append(NoticeMatch(r.id, r.title, r.doc_number, by, compare_texts(text, doc.text)))
        if not matches:
            return None
        return max(matches, key=lambda m: (m.same, m.comparison.similarity))

    @_retried
    def attach_file(self, id: str, doc: Document) -> bool:
        """Keep `doc`'s file as another format of stored document `id` (its structure,
        checklist and index entries stay those of the first file). False when the file
        is already known."""
        try:
            with self.session(write=True) as s:
                if s.get(DocumentRow, id) is None:
                    raise InvalidRecord(f"找不到公文：{id}")
                file = s.scalar(sa.select(FileRow).where(FileRow.sha256 == doc.source.sha256))
                if file is None:
                    s.add(_file_row(doc))
                    s.flush()
                elif s.get(DocumentFileRow, (id, doc.source.sha256)) is not None:
                    return False
                s.add(DocumentFileRow(document_id=id, file_sha256=doc.source.sha256))
        except IntegrityError:
            # another writer attached the same file meanwhile
            if self.document_for_file(doc.source.sha256) is not None:
                return False
            raise
        return True

    def document_files(self, id: str) -> list[dict]:
        """Every file of a document: the one it was parsed from first, then the other formats."""
        with self.session() as s:
            row = s.get(DocumentRow, id)
            if row is None:
                return []
            return self._files(s, row)

    @staticmethod
    def _files(s: Session, row: DocumentRow) -> list[dict]:
        others = list(s.scalars(
            sa.select(FileRow).join(DocumentFileRow, DocumentFileRow.file_sha256 == FileRow.sha256)
            .where(DocumentFileRow.document_id == row.id).order_by(DocumentFileRow.added_at, FileRow.id)
        ))
        names: dict[str, list[str]] = {}
        for sha, name in s.execute(
            sa.select(FileNameRow.file_sha256, FileNameRow.name)
            .where(FileNameRow.file_sha256.in_([row.file_sha256] + [f.sha256 for f in others]))
            .order_by(FileNameRow.first_seen, FileNameRow.name)
        ):
            names.setdefault(sha, []).append(name)

        def one(f: FileRow, primary: bool) -> dict:
            return {**_file_dict(f), "other_names": names.get(f.sha256, []), "primary": primary}

        return [one(row.file, True)] + [one(f, False) for f in others]

    def get_document(self, id: str) -> Document | None:
        with self.session() as s:
            data = s.scalar(sa.select(DocumentRow.document).where(DocumentRow.id == id))
            return Document.from_dict(data) if data is not None else None

    def get_document_row(self, id: str) -> dict | None:
        """The stored columns of a document (with its file, counts and checklist flag)."""
        with self.session() as s:
            row = s.get(DocumentRow, id)
            if row is None:
                return None
            d = _doc_summary(row, s.get(ChecklistRow, id) is not None)
            d["text"] = row.text
            d["metadata"] = row.meta
            d["file"] = _file_dict(row.file)
            d["files"] = self._files(s, row)
            d["n_parts"] = len(row.parts)
            d["n_sections"] = len(row.sections)
            return d

    def list_documents(
        self,
        issuer: str | None = None,
        year: int | None = None,
        doc_type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        doc_number: str | None = None,
    ) -> list[dict]:
        """Newest first. `issuer` matches part of the signing organ or any joint issuer,
        `doc_number` part of the 文号 (see `_number_pattern`)."""
        q = self._documents_query(issuer, year, doc_type, doc_number)
        q = q.order_by(DocumentRow.date.desc().nulls_last(), DocumentRow.created_at.desc(), DocumentRow.id)
        q = q.limit(limit).offset(offset).options(selectinload(DocumentRow.file))
        with self.session() as s:
            rows = list(s.scalars(q))
            with_checklist = set(
                s.scalars(sa.select(ChecklistRow.document_id).where(ChecklistRow.document_id.in_([r.id for r in rows])))
            )
            return [_doc_summary(r, r.id in with_checklist) for r in rows]

    @staticmethod
    def _documents_query(issuer: str | None = None, year: int | None = None, doc_type: str | None = None,
                         doc_number: str | None = None) -> sa.Select:
        q = sa.select(DocumentRow)
        if pattern := _number_pattern(doc_number or ""):
            q = q.where(DocumentRow.doc_number.like(pattern, escape="\\"))
        if issuer:
            q = q.where(
                sa.or_(
                    DocumentRow.issuer.contains(issuer, autoescape=True),
                    sa.cast(DocumentRow.issuers, sa.Text).contains(issuer, autoescape=True),
                )
            )
        if year:
            q = q.where(DocumentRow.date >= dt.date(int(year), 1, 1), DocumentRow.date < dt.date(int(year) + 1, 1, 1))
        if doc_type:
            q = q.where(DocumentRow.doc_type == doc_type)
        return q

    def count_documents(self, issuer: str | None = None, year: int | None = None, doc_type: str | None = None,
                        doc_number: str | None = None) -> int:
        q = self._documents_query(issuer, year, doc_type, doc_number).with_only_columns(sa.func.count(DocumentRow.id))
        with self.session() as s:
            return s.scalar(q) or 0

    def document_types(self) -> list[tuple[str, int]]:
        """The 文种 of the stored notices with how many each, most first (the list page's choices)."""
        q = (sa.select(DocumentRow.doc_type, sa.func.count()).where(DocumentRow.doc_type.is_not(None))
             .group_by(DocumentRow.doc_type).order_by(sa.func.count().desc(), DocumentRow.doc_type))
        with self.session() as s:
            return [(t, n) for t, n in s.execute(q)]

    def document_ids(self) -> list[str]:
        with self.session() as s:
            return list(s.scalars(sa.select(DocumentRow.id).order_by(DocumentRow.id)))

    def documents_starting(self, prefix: str, limit: int = 10) -> list[tuple[str, str | None]]:
        """(id, title) of the stored notices whose id starts with `prefix` (hex digits), by id,
        at most `limit`: what an id a user shortened (as git shortens a commit's) names."""
        if not prefix or not all(ch in "0123456789abcdef" for ch in prefix):
            return []
        q = (sa.select(DocumentRow.id, DocumentRow.title).where(DocumentRow.id.startswith(prefix))
             .order_by(DocumentRow.id).limit(limit))
        with self.session() as s:
            return [(i, t) for i, t in s.execute(q)]

    def iter_documents(self, batch: int = 100) -> Iterator[Document]:
        """Every stored document, loaded in batches so no transaction stays open
        while the caller works (it may write to the store meanwhile)."""
        ids = self.document_ids()
        for i in range(0, len(ids), batch):
            with self.session() as s:
                rows = s.scalars(sa.select(DocumentRow.document).where(DocumentRow.id.in_(ids[i : i + batch])))
                docs = [Document.from_dict(d) for d in rows]
            yield from docs

    @_retried
    def delete_document(self, id: str) -> bool:
        """Remove a document and everything hanging off it (parts, sections, checklist, its files)."""
        with self.session(write=True) as s:
            if not self._delete_document(s, id):
                return False
            s.add(IndexOutboxRow(kind="document", target=id))
        return True

    @_retried
    def discard_document(self, id: str) -> bool:
        """Undo the storing of a document the search index never took: remove it and
        its pending index work, leaving no trace (an ingest whose index write failed)."""
        with self.session(write=True) as s:
            found = self._delete_document(s, id)
            s.execute(sa.delete(IndexOutboxRow).where(IndexOutboxRow.kind == "document",
                                                      IndexOutboxRow.target == id))
        return found

    @staticmethod
    def _delete_document(s: Session, id: str) -> bool:
        row = s.get(DocumentRow, id)
        if row is None:
            return False
        shas = [row.file_sha256] + list(
            s.scalars(sa.select(DocumentFileRow.file_sha256).where(DocumentFileRow.document_id == id))
        )
        # explicit, not left to ON DELETE CASCADE: SQLite files opened without foreign keys exist
        s.execute(sa.delete(DocumentFileRow).where(DocumentFileRow.document_id == id))
        s.delete(row)
        s.flush()
        for sha in shas:
            used = s.scalar(sa.select(sa.func.count()).where(DocumentRow.file_sha256 == sha)) or s.scalar(
                sa.select(sa.func.count()).where(DocumentFileRow.file_sha256 == sha))
            if not used:  # its other names with it (explicit: see above)
                s.execute(sa.delete(FileNameRow).where(FileNameRow.file_sha256 == sha))
                s.execute(sa.delete(FileRow).where(FileRow.sha256 == sha))
        return True

    @_retried
    def set_checklist(self, id: str, data: dict, extractor_version: str | None = None) -> bool:
        """Store (or replace) a document's checklist; False when the document is unknown.
        Its obligations are search items: the document is queued for the index."""
        with self.session(write=True) as s:
            if s.get(DocumentRow, id) is None:
                return False
            row = s.get(ChecklistRow, id)
            version = extractor_version or data.get("extractor_version")
            if row is None:
                s.add(ChecklistRow(document_id=id, data=data, extractor_version=version))
            else:
                row.data, row.extractor_version, row.created_at = data, version, utcnow()
            s.add(IndexOutboxRow(kind="document", target=id))
        return True

    def get_checklist(self, id: str) -> dict | None:
        with self.session() as s:
            row = s.get(ChecklistRow, id)
            return row.data if row else None

    # --------------------------------------------------------------------- logs

    def add_logs(self, records: Iterable[dict]) -> list[str]:
        """Store field logs (new id → insert, known id → replace it) and raise an alert for
        every high or critical risk not alerted yet, all in one transaction (which also queues
        them for the search index). A replaced log's alerts follow its new text: kept (status
        and all) with the new evidence for a risk it still states, removed for one it no longer does."""
        prepared = [_log_values(r) for r in records]  # validate everything before writing
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return self._add_logs(prepared)
            except IntegrityError:
                # Another writer stored one of these ids between our look and our insert (on
                # PostgreSQL; SQLite lets one writer in at a time): that log is known now, and
                # this batch, rolled back whole, replaces its labels as it would a moment later.
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    @_retried
    def _add_logs(self, prepared: list[tuple[dict, list[tuple[str, str]]]]) -> list[str]:
        ids: list[str] = []
        with self.session(write=True) as s, s.no_autoflush:
            # the logs already stored, with what a replacement rewrites, in a few queries: one
            # look-up (and, with autoflush, one flush) per log made a batch of thousands slow
            wanted = list(dict.fromkeys(values["id"] for values, _ in prepared))
            known: dict[str, LogRow] = {}
            for i in range(0, len(wanted), 500):
                q = sa.select(LogRow).where(LogRow.id.in_(wanted[i:i + 500]))
                known.update((r.id, r) for r in s.scalars(q.options(selectinload(LogRow.alerts), selectinload(LogRow.labels))))
            for values, labels in prepared:
                # keyed as stored: a NUL in an id is written as a space (_without_nul)
                row = known.get(_clean(values["id"]))
                if row is None:
                    row = known[_clean(values["id"])] = LogRow(**values)
                    s.add(row)
                else:
                    for k, v in values.items():
                        setattr(row, k, v)
                # a replaced log keeps the alerts of the risks its new text still states (their
                # status and acknowledgement kept, their evidence now the new text's) and loses the
                # others: an open alert quoting words the log no longer holds would stay on the list
                stated = {r["id"]: r for r in values["risks"] if r.get("severity") in ALERT_SEVERITIES}
                for alert in list(row.alerts):
                    if alert.risk in stated:
                        alert.evidence = stated[alert.risk].get("evidence") or []
                        alert.severity = stated[alert.risk]["severity"]
                    else:
                        row.alerts.remove(alert)
                alerted = {a.risk for a in row.alerts}
                row.labels = [LogLabelRow(kind=k, label=lab) for k, lab in labels]
                for risk in values["risks"]:
                    if risk["severity"] in ALERT_SEVERITIES and risk["id"] not in alerted:
                        alerted.add(risk["id"])
                        row.alerts.append(
                            AlertRow(risk=risk["id"], severity=risk["severity"],
                                     evidence=risk.get("evidence") or [], status="open")
                        )
                ids.append(values["id"])
            s.add_all([IndexOutboxRow(kind="log", target=i) for i in dict.fromkeys(ids)])
        return ids

    def get_log(self, id: str) -> dict | None:
        with self.session() as s:
            row = s.get(LogRow, id)
            if row is None:
                return None
            d = _log_dict(row)
            d["alerts"] = [_alert_dict(a) for a in s.scalars(sa.select(AlertRow).where(AlertRow.log_id == id).order_by(AlertRow.id))]
            return d

    def list_logs(
        self,
        tag: str | None = None,
        risk: str | None = None,
        region: str | None = None,
        date_from: Any = None,
        date_to: Any = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict]:
        """Newest first: by the log's date, then the last saved (a log just added is on
        top of its day, whatever its id). `tag` is any label (task or risk id), `risk`
        a risk id; the date bounds are inclusive."""
        q = self._logs_query(tag, risk, region, date_from, date_to)
        q = q.order_by(LogRow.date.desc().nulls_last(), LogRow.created_at.desc(), LogRow.id)
        q = q.limit(limit).offset(offset)
        with self.session() as s:
            return [_log_dict(r) for r in s.scalars(q)]

    def count_logs(self, **filters: Any) -> int:
        q = self._logs_query(**filters).with_only_columns(sa.func.count(LogRow.id))
        with self.session() as s:
            return s.scalar(q) or 0

    @staticmethod
    def _logs_query(tag=None, risk=None, region=None, date_from=None, date_to=None) -> sa.Select:
        q = sa.select(LogRow)
        for kind, label in ((None, tag), ("risk", risk)):
            if label:
                sub = sa.select(LogLabelRow.log_id).where(LogLabelRow.label == label)
                if kind:
                    sub = sub.where(LogLabelRow.kind == kind)
                q = q.where(LogRow.id.in_(sub))
        wanted = one_line_without_controls(region)[0] if region else ""
        if wanted:
            # a region is stored without control characters or white space at its ends
            # (api.service.logs): so is it asked for; white space alone asks for no region, as
            # an empty one does. (A log stored before kept its spaces: found by them too.)
            q = q.where(LogRow.region.in_({wanted, region}))
        if date_from:
            q = q.where(LogRow.date >= _parse_date(date_from, what="起始"))
        if date_to:
            q = q.where(LogRow.date <= _parse_date(date_to, what="截止"))
        return q

    def iter_logs(self, batch: int = 500, *, words: bool = False) -> Iterator[dict]:
        """Every log, by id; `words`: with the words stored with it (`words`,
        `words_version`: nlp.analysis.stored_words reads them)."""
        with self.session() as s:
            ids = list(s.scalars(sa.select(LogRow.id).order_by(LogRow.id)))
        q = sa.select(LogRow).order_by(LogRow.id)
        if words:
            q = q.options(undefer(LogRow.words), undefer(LogRow.words_version))
        for i in range(0, len(ids), batch):
            with self.session() as s:
                rows = s.scalars(q.where(LogRow.id.in_(ids[i : i + batch])))
                out = [_log_dict(r, words=words) for r in rows]
            yield from out

    def logs_with_stale_words(self, version: str) -> list[str]:
        """Ids of the logs whose stored words were not cut under dictionaries `version`."""
        with self.session() as s:
            return list(s.scalars(sa.select(LogRow.id).where(
                sa.or_(LogRow.words_version.is_(None), LogRow.words_version != version)).order_by(LogRow.id)))

    @_retried
    def set_log_words(self, cut: dict[str, list[str]], version: str) -> None:
        """Store words cut since (logs stored before words were kept, or cut with other
        dictionaries); nothing else of the logs changes, no index work is queued."""
        if not cut:
            return
        with self.session(write=True) as s:
            s.execute(sa.update(LogRow), [{"id": i, "words": w, "words_version": version} for i, w in cut.items()])

    # ------------------------------------------------------------------- alerts

    def list_alerts(
        self, status: str | None = None, limit: int = 50, offset: int = 0, *, severity: str | None = None
    ) -> list[dict]:
        """Newest first, each with the log's date, region, unit and text."""
        if status is not None and status not in ALERT_STATUSES:
            raise InvalidRecord(f"预警状态只能是 open 或 acknowledged，收到：{status}")
        q = sa.select(AlertRow, LogRow).join(LogRow, AlertRow.log_id == LogRow.id)
        if status:
            q = q.where(AlertRow.status == status)
        if severity:
            q = q.where(AlertRow.severity == severity)
        q = q.order_by(AlertRow.created_at.desc(), AlertRow.id.desc()).limit(limit).offset(offset)
        with self.session() as s:
            out = []
            for alert, log in s.execute(q):
                d = _alert_dict(alert)
                d["log"] = {"id": log.id, "date": _iso(log.date), "region": log.region, "unit": log.unit,
                            "author": log.author, "text": log.text}
                out.append(d)
            return out

    def count_alerts(self, status: str | None = None) -> int:
        q = sa.select(sa.func.count()).select_from(AlertRow)
        if status:
            q = q.where(AlertRow.status == status)
        with self.session() as s:
            return s.scalar(q) or 0

    def holds_row_id(self, id: int) -> bool:
        """Whether `id` fits the row ids (INTEGER columns) of this database: SQLite's are
        64-bit, PostgreSQL's 32-bit; a larger one names no row (and would overflow)."""
        top = MAX_ID if self.engine.dialect.name == "sqlite" else 2**31 - 1
        return 0 < int(id) <= top

    def acknowledge_alert(self, id: int, by: str | None = None) -> dict | None:
        """Mark an alert acknowledged (once: a second call keeps the first time and person).
        None when there is no such alert (an id no database integer can hold included)."""
        if not self.holds_row_id(id):
            return None
        return self._acknowledge_alert(int(id), by)

    @_retried
    def _acknowledge_alert(self, id: int, by: str | None) -> dict | None:
        with self.session(write=True) as s:
            row = s.get(AlertRow, id)
            if row is None:
                return None
            if row.status != "acknowledged":
                row.status, row.acknowledged_at, row.acknowledged_by = "acknowledged", utcnow(), by
            return _alert_dict(row)


    # ------------------------------------------------------------ index outbox

    def pending_index(self, limit: int = 500, *, upto: int | None = None,
                      skip: Iterable[int] = ()) -> list[tuple[int, str, str]]:
        """The oldest index work not done yet (set-aside entries left out, and `skip`):
        (entry id, kind, target) in the order it was written. Doing an entry twice is
        harmless: each says "make the index match the store for this document / log",
        whatever the store holds by then."""
        q = sa.select(IndexOutboxRow.id, IndexOutboxRow.kind, IndexOutboxRow.target).order_by(IndexOutboxRow.id)
        q = _waiting(q, skip)
        if upto is not None:
            q = q.where(IndexOutboxRow.id <= upto)
        with self.session() as s:
            return [tuple(r) for r in s.execute(q.limit(limit))]

    def count_pending(self) -> int:
        """Index work waiting for a drain (set-aside entries not counted: `count_failed`)."""
        with self.session() as s:
            return s.scalar(_waiting(sa.select(sa.func.count()).select_from(IndexOutboxRow))) or 0

    def has_pending(self, skip: Iterable[int] = ()) -> bool:
        with self.session() as s:
            return s.scalar(_waiting(sa.select(IndexOutboxRow.id), skip).limit(1)) is not None

    @_retried
    def index_refused(self, refused: dict[int, str], *, count: bool = True) -> int:
        """Note why the index refused these entries (entry id → error). `count`: the
        index took other work meanwhile, so the entry itself is the problem: one more
        attempt, and at `INDEX_ATTEMPTS` it is set aside. Returns how many were set aside."""
        aside = 0
        with self.session(write=True) as s:
            for row in s.scalars(sa.select(IndexOutboxRow).where(IndexOutboxRow.id.in_(list(refused)))):
                row.error = refused[row.id][:1000]
                if count:
                    row.attempts += 1
                    if row.attempts >= INDEX_ATTEMPTS and row.failed_at is None:
                        row.failed_at = utcnow()
                        aside += 1
        return aside

    def count_unindexed(self) -> tuple[int, int]:
        """(waiting, set aside): `count_pending` and `count_failed` in one query, for a
        search to say what it cannot find. Every search asks, so on the pool's driver
        connection: a SQLAlchemy Connection's begin, execute and rollback cost three times
        the statement right after a search (0.52 against 0.18 CPU-ms on SQLite); one SELECT
        reads one snapshot without a transaction of ours. Errors come back as a Connection
        would raise them (DBAPIError with the driver's `orig`), which the API reads."""
        dialect = self.engine.dialect
        sql = _UNINDEXED_SQL.get(dialect.name) or _UNINDEXED_SQL.setdefault(
            dialect.name, str(_UNINDEXED.compile(dialect=dialect)))
        error = dialect.loaded_dbapi.Error
        try:
            conn = self.engine.raw_connection()
        except error as e:  # not let in: no statement ran (see api.service.results.unreachable_database)
            raise DBAPIError.instance(None, None, e, error, dialect=dialect) from e
        try:
            cur = conn.cursor()
            cur.execute(sql)
            total, failed = cur.fetchone()
            cur.close()
        except error as e:
            raise DBAPIError.instance(sql, None, e, error, dialect=dialect) from e
        finally:
            conn.close()  # back to the pool, which rolls back what the driver began
        return (total or 0) - (failed or 0), failed or 0

    def count_failed(self) -> int:
        with self.session() as s:
            return s.scalar(sa.select(sa.func.count()).select_from(IndexOutboxRow)
                            .where(IndexOutboxRow.failed_at.is_not(None))) or 0

    def failed_index(self, limit: int = 20) -> list[dict]:
        """Entries set aside after `INDEX_ATTEMPTS` refusals, oldest first, with the error."""
        q = (sa.select(IndexOutboxRow).where(IndexOutboxRow.failed_at.is_not(None))
             .order_by(IndexOutboxRow.id).limit(limit))
        with self.session() as s:
            return [{"kind": r.kind, "target": r.target, "attempts": r.attempts, "error": r.error,
                     "failed_at": _iso(r.failed_at)} for r in s.scalars(q)]

    @_retried
    def set_aside_index(self, refused: dict[tuple[str, str], str]) -> None:
        """Record index work that a full rebuild could not do ((kind, target) → error)
        as set aside at once: the rebuild was its attempt, so it waits in the dead
        letter for `gongwen check` and `gongwen reindex --pending`, not for every drain."""
        now = utcnow()
        with self.session(write=True) as s:
            s.add_all([IndexOutboxRow(kind=kind, target=target, error=error[:1000], attempts=INDEX_ATTEMPTS,
                                      failed_at=now) for (kind, target), error in refused.items()])

    @_retried
    def retry_failed(self) -> int:
        """Put the set-aside entries back in the queue with their attempts reset."""
        with self.session(write=True) as s:
            return s.execute(sa.update(IndexOutboxRow).where(IndexOutboxRow.failed_at.is_not(None))
                             .values(failed_at=None, attempts=0)).rowcount or 0

    def last_pending_id(self) -> int | None:
        with self.session() as s:
            return s.scalar(sa.select(sa.func.max(IndexOutboxRow.id)))

    @_retried
    def clear_pending(self, ids: Iterable[int] = (), *, upto: int | None = None) -> None:
        """Forget index work that is done: these entries, or every entry up to `upto`."""
        ids = list(ids)
        with self.session(write=True) as s:
            for i in range(0, len(ids), 500):
                s.execute(sa.delete(IndexOutboxRow).where(IndexOutboxRow.id.in_(ids[i:i + 500])))
            if upto is not None:
                s.execute(sa.delete(IndexOutboxRow).where(IndexOutboxRow.id <= upto))

    @_retried
    def is_queued(self, kind: str, target: str) -> bool:
        """Whether index work for `target` waits in the outbox (not set aside): a writer that
        stored it has not drained yet, e.g. another process in the middle of its batch."""
        with self.session() as s:
            q = _waiting(sa.select(IndexOutboxRow.id)).where(IndexOutboxRow.kind == kind,
                                                              IndexOutboxRow.target == target)
            return s.scalar(q.limit(1)) is not None

    def queue_index(self, kind: str, targets: Iterable[str]) -> None:
        """Ask for index work without a store change (a stored document the index lacks)."""
        with self.session(write=True) as s:
            s.add_all([IndexOutboxRow(kind=kind, target=t) for t in dict.fromkeys(targets)])

    def existing_documents(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        with self.session() as s:
            for i in range(0, len(ids), 500):
                found.update(s.scalars(sa.select(DocumentRow.id).where(DocumentRow.id.in_(ids[i:i + 500]))))
        return found

    def documents_for_index(self, ids: Iterable[str]) -> dict[str, tuple[Document, dict | None]]:
        """Stored documents with their checklists, by id (ids not stored are left out)."""
        ids = list(ids)
        out: dict[str, tuple[Document, dict | None]] = {}
        with self.session() as s:
            for i in range(0, len(ids), 100):
                chunk = ids[i:i + 100]
                checklists = dict(s.execute(sa.select(ChecklistRow.document_id, ChecklistRow.data)
                                            .where(ChecklistRow.document_id.in_(chunk))).all())
                for id_, data in s.execute(sa.select(DocumentRow.id, DocumentRow.document)
                                           .where(DocumentRow.id.in_(chunk))):
                    out[id_] = (Document.from_dict(data), checklists.get(id_))
        return out

    def get_logs(self, ids: Iterable[str], *, alerts: bool = False) -> dict[str, dict]:
        """Stored logs by id (ids not stored are left out); with `alerts`, each with its
        alerts as `get_log` gives them."""
        ids = list(ids)
        out: dict[str, dict] = {}
        with self.session() as s:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                # with alerts (the logs just written, by the ids they were sent with), a NUL in an id
                # stored as a space (_without_nul) is found under the id asked for, as get_log finds it
                asked = {_clean(x): x for x in chunk} if alerts else {}
                for r in s.scalars(sa.select(LogRow).where(LogRow.id.in_(chunk))):
                    out[asked.get(r.id, r.id)] = _log_dict(r)
                    if alerts:
                        out[asked.get(r.id, r.id)]["alerts"] = []
                if alerts:
                    q = sa.select(AlertRow).where(AlertRow.log_id.in_(chunk)).order_by(AlertRow.id)
                    for a in s.scalars(q):
                        out[asked.get(a.log_id, a.log_id)]["alerts"].append(_alert_dict(a))
        return out

    def log_ids(self) -> list[str]:
        with self.session() as s:
            return list(s.scalars(sa.select(LogRow.id).order_by(LogRow.id)))


# ------------------------------------------------------------------ helpers


_UNINDEXED = sa.select(sa.func.count(), sa.func.count(IndexOutboxRow.failed_at)).select_from(IndexOutboxRow)
_UNINDEXED_SQL: dict[str, str] = {}  # its text per dialect, compiled once


def _waiting(q: sa.Select, skip: Iterable[int] = ()) -> sa.Select:
    """Outbox entries a drain should try: not set aside, not in `skip`."""
    q = q.where(IndexOutboxRow.failed_at.is_(None))
    skip = list(skip)
    return q.where(IndexOutboxRow.id.not_in(skip)) if skip else q


def _without_nul(conn, cursor, statement, parameters, context, executemany):
    """PostgreSQL text cannot hold NUL: in a bound string it fails the whole statement
    (a 500 for `?region=%00`). Every bound string gets the replacement `_clean` gives
    stored text, so a lookup or filter finds what a write of the same value stored.
    SQLite gets the same, so a NUL means a space on both backends (its LIKE would
    otherwise stop the pattern at the NUL and match everything)."""

    def clean(params):
        if isinstance(params, dict):
            return {k: v.replace("\x00", " ") if isinstance(v, str) and "\x00" in v else v for k, v in params.items()}
        if isinstance(params, (list, tuple)):
            return type(params)(v.replace("\x00", " ") if isinstance(v, str) and "\x00" in v else v for v in params)
        return params

    if executemany and isinstance(parameters, (list, tuple)):
        return statement, type(parameters)(clean(p) for p in parameters)
    return statement, clean(parameters)


class DriverMissing(GongwenError):
    """--db / GONGWEN_DB names a database whose Python driver is not installed."""

    code = "database_unavailable"
    http_status = 503


class StoreUnwritable(GongwenError):
    """The SQLite database's folder takes no writes: SQLite in WAL mode cannot even read then."""

    code = "database_unavailable"
    http_status = 503
    refuses_writes = True  # a batch stops at the first file, as on a full disk


def _unwritable_folder(folder: Path, e: Exception) -> str | None:
    """Why SQLite could not open its database, when it is because `folder` takes no writes
    (a read-only mount, no write permission): a WAL database is read through its -wal and
    -shm files beside it. None for any other failure. Before, every command said 无法打开数据库
    （OperationalError）：请检查 --db 的写法, which sent a person to a URL that was right."""
    said = str(getattr(e, "orig", None) or e)
    if not ("unable to open database file" in said or "readonly database" in said):
        return None
    try:
        return ("是只读挂载的" if os.statvfs(folder).f_flag & os.ST_RDONLY
                else None if os.access(folder, os.W_OK) else "没有写入权限")
    except OSError:
        return None


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite's own BEGIN (deferred, emitted before the first write) is switched off:
    # SQLAlchemy's "begin" event emits ours (_sqlite_begin).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # A deferred transaction that reads and then writes fails at once ("database is
    # locked", no waiting) when another writer committed in between; taking the write
    # lock at BEGIN makes writers queue on the busy timeout instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("gongwen_write") else "BEGIN")


def _file_row(doc: Document) -> FileRow:
    src = doc.source
    return FileRow(
        sha256=src.sha256, name=src.name, path=src.path, format=src.format,
        encoding=src.encoding, size=src.size, pages=src.pages,
    )


def _document_row(doc: Document) -> DocumentRow:
    row = DocumentRow(
        id=doc.id, file_sha256=doc.source.sha256, title=_clean(doc.title), issuer=_clean(doc.issuer),
        issuers=list(doc.issuers), doc_number=doc.doc_number, date=_doc_date(doc.anchor_date), doc_type=doc.doc_type,
        recipients=list(doc.recipients), meta=doc.metadata(), document=doc.to_dict(), text=_clean(doc.text),
    )
    ordinal = 0
    for p_index, part in enumerate(doc.parts):
        part_id = f"{doc.id}-p{p_index}"
        row.parts.append(
            PartRow(id=part_id, ordinal=p_index, kind=part.kind, label=part.label, title=_clean(part.title),
                    start=part.start, end=part.end, page=part.page)
        )

        def add(section, parent_id: str | None) -> None:
            nonlocal ordinal
            section_id = f"{doc.id}-s{ordinal}"
            row.sections.append(
                SectionRow(
                    id=section_id, part_id=part_id, ordinal=ordinal, parent_id=parent_id, level=section.level,  # noqa: B023 (add runs within this turn of the loop)
                    number=section.number, title=_clean(section.title), path=list(section.path),
                    path_text=" / ".join(section.path), text=_clean(section.text),
                    start=section.start, end=section.end, page=section.page,
                )
            )
            ordinal += 1
            for child in section.children:
                add(child, section_id)

        for section in part.sections:
            add(section, None)
    return row


def _file_dict(f: FileRow) -> dict:
    return {"sha256": f.sha256, "name": f.name, "path": f.path, "format": f.format, "encoding": f.encoding,
            "size": f.size, "pages": f.pages, "first_seen": _iso(f.first_seen)}


_NUMBER_BRACKETS = frozenset("〔〕［］[]【】（）(){}｛｝")


def _number_pattern(number: str) -> str:
    """A LIKE pattern for part of a 文号 as a person types it: the bracket around the year
    is written 〔〕, [], （） or 【】 in the wild (index.store.dedup), so any bracket matches
    any one character; spaces are dropped; %, _ and \\ are themselves."""
    body = "".join("_" if ch in _NUMBER_BRACKETS else "\\" + ch if ch in "%_\\" else ch
                   for ch in "".join(number.split()))
    return f"%{body}%" if body else ""


def _doc_summary(r: DocumentRow, has_checklist: bool) -> dict:
    return {
        "id": r.id, "title": r.title, "issuer": r.issuer, "issuers": r.issuers, "doc_number": r.doc_number,
        "date": _iso(r.date), "doc_type": r.doc_type, "recipients": r.recipients, "file_sha256": r.file_sha256,
        "file_name": r.file.name if r.file else None, "format": r.file.format if r.file else None,
        "has_checklist": has_checklist,
        "created_at": _iso(r.created_at), "updated_at": _iso(r.updated_at),
    }


def _label(item: Any, what: str) -> str:
    if isinstance(item, str) and item.strip():
        return item.strip()
    if isinstance(item, dict):
        value = item.get("id") or item.get("label")
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise InvalidRecord(f"{what}标签无法识别：{item!r}")


_LOG_FIELDS = frozenset({"id", "text", "date", "region", "unit", "author", "meta", "tasks", "risks", "alerts",
                         "created_at", "words", "words_version"})


def _log_values(r: dict) -> tuple[dict, list[tuple[str, str]]]:
    if not isinstance(r, dict):
        raise InvalidRecord(f"日志记录应为对象，收到：{type(r).__name__}")
    text = r.get("text")
    if not isinstance(text, str) or blank(text):
        raise InvalidRecord(f"日志 {r.get('id') or ''} 缺少正文 text".replace("  ", " "))
    given = r.get("id")
    # a blank id (" ", a tab) is none: two logs sent with one replaced each other, one was lost
    log_id = str(given) if given is not None and not blank(str(given)) else uuid.uuid4().hex
    risks = []
    for item in r.get("risks") or []:
        risk_id = _label(item, "风险")
        d = item if isinstance(item, dict) else {}
        severity = d.get("severity")
        risks.append({"id": risk_id, "severity": severity.lower() if isinstance(severity, str) else None,
                      "evidence": d.get("evidence") or None})
    tasks = list(r.get("tasks") or [])
    labels = {("task", _label(t, "任务")) for t in tasks} | {("risk", x["id"]) for x in risks}
    values = {
        "id": log_id, "text": _clean(text), "date": _parse_date(r.get("date"), what=f"日志 {log_id} "),
        "region": r.get("region"), "unit": r.get("unit"), "author": r.get("author"),
        # Fields the store has no column for (kind, source …) are kept, not dropped.
        "meta": {**{k: v for k, v in r.items() if k not in _LOG_FIELDS}, **dict(r.get("meta") or {})},
        "tasks": tasks, "risks": risks,
    }
    # cut once, here, for every later reader (topics); a client's own "words" are not taken
    from nlp.analysis import dictionary_version, log_words

    values["words"], values["words_version"] = log_words(values), dictionary_version()
    return values, sorted(labels)


def _log_dict(r: LogRow, *, words: bool = False) -> dict:
    d = {"id": r.id, "text": r.text, "date": _iso(r.date), "region": r.region, "unit": r.unit,
         "author": r.author, "meta": r.meta, "tasks": r.tasks,
         # a risk without evidence (gongwen 0.1.0, labels given by hand) was stored with an empty list
         "risks": [{**x, "evidence": x.get("evidence") or None} if isinstance(x, dict) else x for x in r.risks or []],
         "created_at": _iso(r.created_at)}
    if words:
        d["words"], d["words_version"] = r.words, r.words_version
    return d


def _alert_dict(a: AlertRow) -> dict:
    return {"id": a.id, "log_id": a.log_id, "risk": a.risk, "severity": a.severity, "evidence": a.evidence,
            "status": a.status, "created_at": _iso(a.created_at), "acknowledged_at": _iso(a.acknowledged_at),
            "acknowledged_by": a.acknowledged_by}
