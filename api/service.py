"""The service layer: one `Gongwen` object ties reading, checklist extraction,
storing and indexing together, so the CLI and the HTTP API do the same thing.

Ingest order, per file: parse → (skip if the same content is stored) → extract
the checklist → ONE store transaction → search index. Everything that can fail
on the content is computed before the transaction opens, so a failing file
leaves nothing behind; a file that fails in a batch is reported and the batch
goes on.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from api.settings import Settings
from ingest.document import Document
from ingest.errors import GongwenError

log = logging.getLogger(__name__)

# Used only until `ingest.read.SUPPORTED` exists.
_FALLBACK_SUPPORTED = (".txt", ".pdf", ".docx", ".doc", ".html", ".htm")


def supported_extensions() -> tuple[str, ...]:
    try:
        from ingest.read import SUPPORTED
    except ImportError:
        return _FALLBACK_SUPPORTED
    return tuple(e if e.startswith(".") else f".{e}" for e in SUPPORTED)


def _optional(module: str):
    """Import a module another part of the project provides, or None while it does
    not exist yet. Errors *inside* an existing module are not hidden."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ModuleNotFoundError:  # a parent package is missing
        return None
    return importlib.import_module(module)


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Readers may not know the file name: make every error say which file it is."""
    try:
        yield
    except GongwenError as e:
        if not e.path:
            e.path = where
            e.args = (f"{where}: {e.message}",)
        raise


@dataclass
class IngestResult:
    path: str
    status: str  # ingested | unchanged | failed
    document_id: str | None = None
    title: str | None = None
    error: str | None = None  # Chinese reason when failed
    size: int = 0
    format: str | None = None
    seconds: float = 0.0
    exception: Exception | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "document_id": self.document_id, "title": self.title,
                "error": self.error}


@dataclass
class IngestSummary:
    results: list[IngestResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ingested(self) -> int:
        return self.count("ingested")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

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
        return {"ingested": self.ingested, "unchanged": self.unchanged, "failed": self.failed,
                "seconds": round(self.seconds, 3), "results": [r.to_dict() for r in self.results]}


ProgressCallback = Callable[[int, int, "IngestResult | None"], None]


class Gongwen:
    """The application: settings plus a lazily opened store (and search index)."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._store = None
        self._search_index = None

    @property
    def store(self):
        if self._store is None:
            from index.store import Store

            self._store = Store(self.settings.database_url)
        return self._store

    def close(self) -> None:
        if self._search_index is not None:
            self._search_index.close()
            self._search_index = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Gongwen:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ parsing

    def parse_file(self, path: str | Path) -> Document:
        from ingest.load import load

        with _naming(str(path)):
            return load(Path(path), max_bytes=self.settings.max_file_bytes)

    def parse_bytes(self, data: bytes, name: str) -> Document:
        from ingest.load import load_bytes

        with _naming(name):
            return load_bytes(data, name, max_bytes=self.settings.max_file_bytes)

    # ------------------------------------------------------------------ ingest

    def ingest_file(self, path: str | Path) -> IngestResult:
        return self._ingest(str(path), lambda: self.parse_file(path))

    def ingest_bytes(self, data: bytes, name: str) -> IngestResult:
        return self._ingest(name, lambda: self.parse_bytes(data, name))

    def _ingest(self, label: str, parse: Callable[[], Document]) -> IngestResult:
        t0 = time.perf_counter()
        result = IngestResult(path=label, status="failed")
        try:
            doc = parse()
            result.document_id, result.title = doc.id, doc.title
            result.size, result.format = doc.source.size, doc.source.format
            if self.store.has_document(doc.id):
                result.status = "unchanged"
                self._backfill_checklist(doc)
            else:
                checklist = self._extract_checklist(doc)  # before the write transaction
                _, created = self.store.add_document(doc, checklist, extractor_version=self._extractor_version())
                if created:
                    try:
                        self._index_document(doc, checklist)
                    except Exception:
                        # The index must not miss a stored document: undo the store write.
                        self.store.delete_document(doc.id)
                        raise
                result.status = "ingested" if created else "unchanged"
        except GongwenError as e:
            result.status, result.error, result.exception = "failed", e.message, e
        except Exception as e:  # a bug or a database problem: report it, keep the batch going
            log.exception("ingest failed: %s", label)
            result.status, result.error, result.exception = "failed", f"处理失败（{type(e).__name__}）：{e}", e
        result.seconds = time.perf_counter() - t0
        return result

    def collect_files(self, paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestResult]]:
        """Files to ingest: named files as given, folders searched recursively for
        supported formats (sorted, no hidden or Office lock files); plus a failure
        for every path that does not exist."""
        supported = supported_extensions()
        files: list[Path] = []
        missing: list[IngestResult] = []
        seen: set[Path] = set()
        for raw in paths:
            p = Path(raw)
            if p.is_dir():
                found = sorted(
                    f for f in p.rglob("*")
                    if f.is_file() and f.suffix.lower() in supported
                    and not any(part.startswith((".", "~$")) for part in f.relative_to(p).parts)
                )
            elif p.exists():
                found = [p]  # named explicitly: an unsupported format is reported, not skipped
            else:
                missing.append(IngestResult(path=str(p), status="failed", error="文件或文件夹不存在",
                                            exception=FileNotFoundError(str(p))))
                continue
            for f in found:
                key = f.resolve()
                if key not in seen:
                    seen.add(key)
                    files.append(f)
        return files, missing

    def ingest_paths(self, paths: Iterable[str | Path], on_progress: ProgressCallback | None = None) -> IngestSummary:
        """Ingest files and folders. `on_progress(done, total, result)` is called once
        before the first file (result None) and after every file."""
        t0 = time.perf_counter()
        files, missing = self.collect_files(paths)
        summary = IngestSummary(results=list(missing))
        total = len(files)
        if on_progress:
            on_progress(0, total, None)
        for i, f in enumerate(files, 1):
            result = self.ingest_file(f)
            summary.results.append(result)
            if on_progress:
                on_progress(i, total, result)
        summary.seconds = time.perf_counter() - t0
        return summary

    def delete_document(self, doc_id: str) -> bool:
        deleted = self.store.delete_document(doc_id)
        if deleted:
            self._unindex_document(doc_id)
        return deleted

    def health(self) -> dict[str, Any]:
        from importlib.metadata import version

        store = self.store
        return {"status": "ok", "version": version("gongwen"), "documents": store.count_documents(),
                "logs": store.count_logs(), "open_alerts": store.count_alerts("open"),
                "engine": self.settings.engine, "tagger": None}

    # ------------------------------------------------------------------ hooks
    # HOOK (nlp.checklist): the checklist extractor plugs in here. Contract:
    # `nlp.checklist.extract(doc: Document)` returns an object with `.to_dict()`
    # (shared/gold/SCHEMA.md format). Absent module → no checklist is stored.

    def _extract_checklist(self, doc: Document) -> dict | None:
        checklist = _optional("nlp.checklist")
        if checklist is None or not hasattr(checklist, "extract"):
            return None
        return checklist.extract(doc).to_dict()

    def _extractor_version(self) -> str | None:
        checklist = _optional("nlp.checklist")
        return getattr(checklist, "EXTRACTOR_VERSION", None) if checklist else None

    def _backfill_checklist(self, doc: Document) -> None:
        """A document stored before the extractor existed gets its checklist now."""
        if self.store.get_checklist(doc.id) is None:
            data = self._extract_checklist(doc)
            if data is not None:
                self.store.set_checklist(doc.id, data, self._extractor_version())

    # HOOK (index.search): the search index plugs in here. Contract (any of it may
    # be missing while index.search is being written; then indexing is skipped):
    #   index.search.open_index(settings) -> SearchIndex   (index.search.base.SearchIndex)
    #   index.search.items_for_document(doc, checklist) -> list[Item]

    @property
    def search_index(self):
        if self._search_index is None:
            search = _optional("index.search")
            if search is None or not hasattr(search, "open_index"):
                return None
            self._search_index = search.open_index(self.settings)
        return self._search_index

    def _index_document(self, doc: Document, checklist: dict | None) -> None:
        search = _optional("index.search")
        if search is None or not hasattr(search, "items_for_document"):
            return
        index = self.search_index
        if index is not None:
            index.add(search.items_for_document(doc, checklist))

    def _unindex_document(self, doc_id: str) -> None:
        index = self.search_index
        if index is not None:
            index.delete_document(doc_id)
