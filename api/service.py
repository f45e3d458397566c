"""The service layer: one `Gongwen` object ties reading, checklist extraction,
storing and indexing together, so the CLI and the HTTP API do the same thing.

Ingest order, per file: parse → (skip if the same file is stored; attach it to
the stored document if it is the same notice in another format, see
index/store/dedup.py) → extract the checklist → ONE store transaction → search
index. Everything that can fail on the content is computed before the
transaction opens, so a failing file leaves nothing behind; a file that fails in
a batch is reported and the batch goes on.

The store and the search index cannot share a transaction, so every store write
that changes what search should find records that in the store's `index_outbox`
in its own transaction, and `drain_index` brings the index up to date from it:
after every write (every batch of an ingest), at the start of every command or
server that writes, and from `gongwen reindex --pending`. A process killed
between the two commits leaves its work in the outbox for the next one; nothing
the store holds stays unsearchable. `consistency()` compares the two exactly
(`gongwen check`), `index_status()` cheaply (/api/health).
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from api.settings import Settings
from ingest.document import Document
from ingest.errors import GongwenError

log = logging.getLogger(__name__)

def supported_extensions() -> tuple[str, ...]:
    from ingest.read import SUPPORTED

    return tuple(SUPPORTED)


def log_item(log: dict):
    """A stored log as a search item (tags and risk ids as the index wants them)."""
    from index.search import item_from_log

    return item_from_log({**log, "tags": log.get("tasks") or [], "risks": [r["id"] for r in log.get("risks") or []]})


def _failed(result: IngestResult, e: Exception) -> None:
    if isinstance(e, GongwenError):
        result.error = e.message
    else:  # a bug or a database problem: report it, keep the batch going
        # debug, not error: the CLI shows one line per failure, never a traceback
        log.debug("ingest failed: %s", result.path, exc_info=True)
        result.error = f"处理失败（{type(e).__name__}）：{e}"
    result.status, result.exception = "failed", e


def _revision_warning(match) -> str:
    c = match.comparison
    if match.by == "doc_number":
        same = f"同一文号（{match.doc_number}）已有公文 {match.document_id}"
    else:
        same = f"同一标题、发文机关和成文日期已有公文 {match.document_id}"
    first = f"，首处不同：{c.difference}" if c.difference else ""
    return f"{same}，但正文不同（相似度 {c.percent}{first}），已作为新文件入库；如是修订版，请核对"


class IndexLocked(GongwenError):
    """Another process keeps the search index's work lock for too long."""

    code = "index_busy"
    http_status = 503


def _mtimes(directory: Path, names: tuple[str, ...]) -> tuple:
    return tuple((directory / n).stat().st_mtime_ns for n in names)


class ChecklistUnavailable(GongwenError):
    code = "checklist_unavailable"
    http_status = 404


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
                "seconds": round(self.seconds, 3), "results": [r.to_dict() for r in self.results]}


ProgressCallback = Callable[[int, int, "IngestResult | None"], None]


class Gongwen:
    """The application: settings plus a lazily opened store (and search index)."""

    index_batch = 64  # documents per search-index commit in `ingest_paths`

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        if os.environ.get("GONGWEN_INDEX_BATCH", "").isdigit():  # smaller batches: more, shorter index commits
            self.index_batch = max(1, int(os.environ["GONGWEN_INDEX_BATCH"]))
        self._store = None
        self._search_index = None
        self._lock = threading.Lock()  # the API serves requests from several threads
        self._topics_lock = threading.Lock()
        self._topics_cache: dict[str, tuple[tuple, dict]] = {}

    @property
    def store(self):
        if self._store is None:
            with self._lock:
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
        self._drain_quietly()
        return self._ingest(str(path), lambda: self.parse_file(path))

    def ingest_bytes(self, data: bytes, name: str) -> IngestResult:
        self._drain_quietly()
        return self._ingest(name, lambda: self.parse_bytes(data, name))

    def ingest_parsed(self, name: str, doc: Document, checklist: dict) -> IngestResult:
        """Store a document parsed (and its checklist extracted) elsewhere: the HTTP
        upload does both in a worker process (ingest.pool)."""
        self._drain_quietly()
        return self._ingest(name, lambda: doc, checklist=checklist)

    def _ingest(self, label: str, parse: Callable[[], Document], pending: list | None = None,
                checklist: dict | None = None) -> IngestResult:
        """Parse, extract, store one file. With `pending` (a batch), indexing is left
        to `_flush_index`; otherwise the document is indexed at once."""
        t0 = time.perf_counter()
        result = IngestResult(path=label, status="failed")
        try:
            doc = parse()
            result.document_id, result.title = doc.id, doc.title
            result.size, result.format = doc.source.size, doc.source.format
            owner = self.store.document_for_file(doc.source.sha256)
            match = None if owner else self.store.find_same_notice(doc)
            if owner == doc.id:
                result.status = "unchanged"
                self._backfill_checklist(doc)
                self._check_indexed(result, doc)
                if pending is None:
                    self._drain_quietly()
            elif owner:
                result.status, result.document_id = "unchanged", owner
                result.message = f"已附加过：该文件已是公文 {owner} 的另一格式"
            elif match is not None and match.same:
                self._attach(result, doc, match, pending)
            else:
                if match is not None:
                    result.warning = _revision_warning(match)
                    result.related_document_id = match.document_id
                if checklist is None:
                    checklist = self._extract_checklist(doc)  # before the write transaction
                _, created = self.store.add_document(doc, checklist, extractor_version=self._extractor_version())
                result.status = "ingested" if created else "unchanged"
                if created and pending is not None:
                    pending.append((result, doc, checklist))
                elif created:
                    self._flush_index([(result, doc, checklist)])
            low_ocr = [w for w in doc.warnings if doc.source.ocr and "置信度低于" in w]
            if low_ocr:  # recognised text a person should check is not silently trusted
                result.warning = "；".join([w for w in (result.warning, *low_ocr) if w])
        except Exception as e:
            _failed(result, e)
        result.seconds = time.perf_counter() - t0
        return result

    def _check_indexed(self, result: IngestResult, doc: Document) -> None:
        """A file stored before but missing from the search index (an index rebuilt
        from an older copy, a crash before the outbox existed) is queued for it now."""
        if self.search_index.contains(doc.id):
            return
        self.store.queue_index("document", [doc.id])
        result.reindexed = True
        result.message = "库中已有，但检索索引中缺少，已重新加入索引"

    def _attach(self, result: IngestResult, doc: Document, match, pending: list | None) -> None:
        """The same notice in another format: keep the file with the stored document;
        its structure, checklist and search entries stay as they are (no second hit)."""
        attached = self.store.attach_file(match.document_id, doc)
        result.document_id, result.title = match.document_id, match.title or doc.title
        if not attached:
            result.status = "unchanged"
            result.message = f"已附加过：该文件已是公文 {match.document_id} 的另一格式"
            return
        result.status = "attached"
        if match.by == "doc_number":
            same = f"同一文号（{match.doc_number}）"
        else:
            same = "同一标题、发文机关和成文日期"
        result.message = (f"已存在：{same}的公文 {match.document_id}《{result.title or ''}》，"
                          f"正文相同，已作为该文件的另一格式（{doc.source.format}）附加")
        if pending is not None:
            # its document may still wait for the batch's index commit: undone with it if that fails
            pending.append((result, None, None))

    def _flush_index(self, pending: list) -> None:
        """Bring the index up to date after a batch of stored documents (one index
        commit for the batch: one per document costs ~6× more). If the index refuses
        the batch, its documents are taken out of the store again and reported as
        failed, so a file is never reported stored while search cannot find it."""
        if not pending:
            self._drain_quietly()  # e.g. stored documents found missing from the index
            return
        known = {doc.id: (doc, checklist) for _, doc, checklist in pending if doc is not None}
        applied: set[str] = set()
        try:
            self.drain_index(known=known, applied=applied)
        except Exception as e:
            undone = set(known)
            for result, doc, _ in pending:
                if doc is None:  # a file attached to a document of this batch goes with it
                    if result.document_id in undone:
                        _failed(result, e)
                    continue
                try:
                    self.store.discard_document(doc.id)
                    if doc.id in applied:  # indexed by an earlier commit of this drain: remove it there too
                        self.store.queue_index("document", [doc.id])
                except Exception:  # keep undoing the others
                    log.debug("could not undo %s", doc.id, exc_info=True)
                _failed(result, e)
        finally:
            pending.clear()

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
        self._drain_quietly()  # what an earlier, interrupted run left for the index
        files, missing = self.collect_files(paths)
        summary = IngestSummary(results=list(missing))
        total = len(files)
        if on_progress:
            on_progress(0, total, None)
        pending: list = []
        for i, f in enumerate(files, 1):
            result = self._ingest(str(f), lambda f=f: self.parse_file(f), pending)
            summary.results.append(result)
            if len(pending) >= self.index_batch:
                self._flush_index(pending)
            if on_progress:
                on_progress(i, total, result)
        self._flush_index(pending)
        summary.seconds = time.perf_counter() - t0
        return summary

    def delete_document(self, doc_id: str) -> bool:
        deleted = self.store.delete_document(doc_id)  # queues the removal from the index
        if deleted:
            self._drain_quietly()
        return deleted

    def health(self) -> dict[str, Any]:
        from importlib.metadata import version

        store = self.store
        return {"status": "ok", "version": version("gongwen"), "documents": store.count_documents(),
                "logs": store.count_logs(), "open_alerts": store.count_alerts("open"),
                "engine": self.settings.engine, "tagger": self._tagger_summary(),
                # agreement only: the counts behind it stay out of a route that may be open to all
                "index": {k: v for k, v in self.index_status().items() if k in ("agree", "pending")}}

    def _tagger_summary(self) -> str | None:
        card = Path(self.settings.models_dir) / "tagger" / "MODEL_CARD.md"
        if not card.exists():
            return None
        lines = [ln.strip("# ").strip() for ln in card.read_text(encoding="utf-8").splitlines() if ln.strip()]
        return lines[0] if lines else None

    # --------------------------------------------------------------- checklist

    # HOOK (nlp.checklist.export): renderings of a stored checklist. Contract:
    # `nlp.checklist.export.render(checklist: dict, format: str) -> tuple[str | bytes, media_type]`
    # for format in md | csv | ics. JSON is the stored dict itself.
    def checklist_export(self, doc_id: str, format: str = "json") -> tuple[Any, str]:
        checklist = self.store.get_checklist(doc_id)
        if checklist is None:
            raise ChecklistUnavailable(f"公文 {doc_id} 没有任务清单")
        if format == "json":
            return checklist, "application/json"
        from nlp.checklist.export import render

        return render(checklist, format)

    # ------------------------------------------------------------------ search

    def search(self, q: str = "", *, filters: dict | None = None, page: int = 1, per_page: int = 10,
               sort: str = "relevance") -> dict[str, Any]:
        res = self.search_index.search(q, filters=filters or {}, page=page, per_page=per_page, sort=sort)
        # By hand, not SearchResults.to_dict(): dataclasses.asdict deep-copies every hit's stored
        # fields, a fifth of a search's time at 100,000 items; each hit is built fresh per search
        # (common.make_hit), so a shallow copy is enough.
        return {"total": res.total, "hits": [dict(vars(h)) for h in res.hits],
                # Facet values as text (years are ints in the index), so every consumer sees one type.
                "facets": {k: [[str(v), c] for v, c in vs] for k, vs in res.facets.items()},
                "took_ms": res.took_ms, "page": res.page, "per_page": res.per_page, "query": res.query,
                "relaxed": res.relaxed}

    # -------------------------------------------------------------------- logs

    def tagger(self):
        from nlp.tagging import default_tagger

        return default_tagger(self.settings.models_dir)

    def label_names(self) -> tuple[dict[str, str], dict[str, str]]:
        """Chinese names of task and risk labels (ids → 中文), for pages and tables."""
        try:
            from nlp.tagging import load_taxonomy

            tax = load_taxonomy()
        except (ImportError, GongwenError, OSError):
            return {}, {}
        return {t.id: t.name for t in tax.tasks}, {r.id: r.name for r in tax.risks}

    def add_logs(self, records: list[dict], *, tag: bool = True) -> dict[str, Any]:
        """Store field logs: records without labels are tagged first (trained tagger),
        risks get their taxonomy severity, high/critical risks raise alerts (in the
        store's one transaction), then the logs are indexed for search."""
        records = [dict(r) for r in records]
        todo = [r for r in records if tag and "tasks" not in r and "risks" not in r]
        if todo:
            for r, t in zip(todo, self.tagger().predict([r["text"] for r in todo])):
                r["tasks"], r["risks"] = list(t.tasks), [dict(x) for x in t.risks]
        self._fill_severity(records)
        ids = self.store.add_logs(records)  # stored and queued for the index in one transaction
        stored = [self.store.get_log(i) for i in ids]
        # Stored is acknowledged: if the index cannot take them now, the outbox keeps them for the next drain.
        self._drain_quietly(known_logs={log["id"]: log for log in stored})
        from nlp.track.tracker import link_new_logs_quietly  # new logs meet the open duties (督办台账)

        link_new_logs_quietly(self.store, ids)
        return {"items": stored, "alerts": [a for log in stored for a in log.get("alerts", [])]}

    @staticmethod
    def _fill_severity(records: list[dict]) -> None:
        missing = [r for rec in records for r in rec.get("risks") or [] if isinstance(r, dict) and not r.get("severity")]
        if not missing and not any(isinstance(r, str) for rec in records for r in rec.get("risks") or []):
            return
        from nlp.tagging import load_taxonomy

        tax = load_taxonomy()
        for rec in records:
            risks = []
            for r in rec.get("risks") or []:
                r = {"id": r} if isinstance(r, str) else dict(r)
                if not r.get("severity"):
                    try:
                        r["severity"] = tax.severity(r["id"])
                    except KeyError:
                        r["severity"] = None
                risks.append(r)
            rec["risks"] = risks

    # ------------------------------------------------------------------ topics

    def topic_dir(self, model_dir: str | Path | None = None, *, write: bool = False) -> Path:
        """Where the topic model is: a refit goes to the data folder (never over the model
        shipped in models/topics); reading takes the data folder's model when there is one."""
        from nlp.topics import TopicModel

        if model_dir:
            return Path(model_dir)
        fitted = Path(self.settings.data_dir) / "models" / "topics"
        return fitted if write or TopicModel.exists(fitted) else Path(self.settings.models_dir) / "topics"

    def fit_topics(self, logs: list[dict] | None = None, *, k: int | None = None, fresh: bool = False,
                   model_dir: str | Path | None = None) -> dict[str, Any]:
        """Train the topic model on `logs` (default: every stored log), keep topic ids
        stable against the saved model unless `fresh`, save it, return the report."""
        from nlp.topics import TopicModel, discover

        logs = list(self.store.iter_logs()) if logs is None else logs
        if not logs:
            raise ValueError("没有日志可供训练话题模型")
        source = self.topic_dir(model_dir)  # the ids to keep: the model in use until now
        previous = TopicModel.load(source) if not fresh and TopicModel.exists(source) else None
        model, rep = discover(logs, n_topics=k, previous=previous)
        target = self.topic_dir(model_dir, write=True)
        model.save(target)
        return {**rep, "model_dir": str(target)}

    def topics(self, model_dir: str | Path | None = None) -> dict[str, Any] | None:
        """The saved topic model's report over the stored logs; None without a model.

        Kept until the model or the stored logs change: the report assigns every log
        to a topic (seconds at tens of thousands of logs), far too slow for each
        `GET /api/topics`. "Changed" is a new model file or a new log (count and newest
        creation time); a log replaced under its old id shows with the next change.
        """
        from nlp.topics import TopicModel, report

        directory = self.topic_dir(model_dir)
        if not TopicModel.exists(directory):
            return None
        key = (_mtimes(directory, ("topics.json", "model.joblib")), self._logs_fingerprint())
        with self._topics_lock:  # one computation at a time; the others then read its result
            cached = self._topics_cache.get(str(directory))
            if cached is not None and cached[0] == key:
                return cached[1]
            rep = report(TopicModel.load(directory), list(self.store.iter_logs()))
            self._topics_cache[str(directory)] = (key, rep)
            return rep

    def _logs_fingerprint(self) -> tuple:
        import sqlalchemy as sa

        from index.store.models import LogRow

        with self.store.session() as s:
            return tuple(s.execute(sa.select(sa.func.count(LogRow.id), sa.func.max(LogRow.created_at))).one())

    def topic(self, topic_id: int) -> dict[str, Any] | None:
        rep = self.topics()
        if rep is None:
            return None
        return next((t for t in rep["topics"] if t["id"] == topic_id), None)

    # -------------------------------------------------------------------- demo

    def load_demo(self, progress: bool = False) -> IngestSummary:
        """Fill a setup with the sample corpus: the notices in corpora/notices, and the
        field logs of corpora/logs tagged by the trained model (their hand labels are
        dropped, so what the demo shows is what the model finds)."""
        import json

        corpora = Path(self.settings.corpora_dir)
        live = sys.stderr.isatty()  # a log file gets one line at the end, not a run of \r updates

        def report(done: int, total: int, result: IngestResult | None) -> None:
            if result is not None and (live or done == total):
                print(f"\r示例公文 {done}/{total}", end="" if live and done < total else "\n", file=sys.stderr)

        summary = self.ingest_paths([corpora / "notices"], on_progress=report if progress else None)
        labels = ("tasks", "risks", "negated", "implied", "parts")
        logs = []
        for f in sorted((corpora / "logs").glob("*.jsonl")):
            logs += [{k: v for k, v in json.loads(line).items() if k not in labels}
                     for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        for start in range(0, len(logs), 2000):
            self.add_logs(logs[start:start + 2000])
        if progress:
            print(f"示例日志 {len(logs)} 条（已由模型标注）", file=sys.stderr)
        return summary

    # ------------------------------------------------------------------ extraction and indexing

    def _extract_checklist(self, doc: Document) -> dict:
        from nlp.checklist import extract

        return extract(doc).to_dict()

    def _extractor_version(self) -> str:
        from nlp.checklist import EXTRACTOR_VERSION

        return EXTRACTOR_VERSION

    def _backfill_checklist(self, doc: Document) -> None:
        """A document stored by an older setup without a checklist gets one now (and
        its obligations go to the index through the outbox)."""
        if self.store.get_checklist(doc.id) is None:
            self.store.set_checklist(doc.id, self._extract_checklist(doc), self._extractor_version())

    @property
    def search_index(self):
        if self._search_index is None:
            from index.search import open_index

            with self._lock:
                if self._search_index is None:
                    self._search_index = open_index(self.settings)
        return self._search_index

    def _index_documents(self, pairs: list[tuple[Document, dict | None]]) -> None:
        """Put these documents in the index as they are now (their old items replaced)."""
        from index.search import items_from_document

        self.search_index.replace_documents(
            [doc.id for doc, _ in pairs], [item for doc, checklist in pairs for item in items_from_document(doc, checklist)])

    def _index_logs(self, logs: list[dict]) -> None:
        self.search_index.replace_documents([log["id"] for log in logs], [log_item(log) for log in logs])

    def _unindex(self, ids: list[str]) -> None:
        self.search_index.replace_documents(ids, [])

    # ----------------------------------------------------------- index outbox

    @contextmanager
    def _index_work(self, wait: float = 0.0) -> Iterator[bool]:
        """The one lock under which the index is brought up to date, across threads and
        processes (an flock beside the index folder; the kernel drops it when a process
        dies). Yields False when another holds it and `wait` ran out."""
        index_dir = Path(self.settings.index_dir)
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir.parent / f".{index_dir.name}.work.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    got = True
                    break
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                        got = False
                        break
                    time.sleep(0.05)
            try:
                yield got
            finally:
                if got:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def drain_index(self, *, known: dict | None = None, known_logs: dict | None = None,
                    applied: set | None = None, wait: float = 0.0, batch: int = 5000) -> int:
        """Do the index work the outbox holds, oldest first, one index commit per kind
        and batch; an entry is removed only after its commit. Returns how many entries
        were done here.

        One process drains at a time. A caller that finds another draining returns at
        once (unless `wait`): the other re-reads the outbox after it lets go, so work
        committed before this call is not left behind. `known` / `known_logs`: documents
        (id → (Document, checklist)) and logs (id → dict) the caller has in memory, so
        they are not read back from the store; `applied` collects the document ids
        whose index commit landed."""
        store = self.store
        done = 0
        while store.has_pending():
            with self._index_work(wait) as got:
                if not got:
                    return done
                while entries := store.pending_index(batch):
                    self._apply_index_work(entries, known or {}, known_logs or {}, applied)
                    store.clear_pending(e[0] for e in entries)
                    done += len(entries)
            # re-read after letting go: a writer that found the lock taken relies on it
        return done

    def _drain_quietly(self, **kwargs) -> None:
        """Drain after a write that is acknowledged already: if the index cannot take the
        work now, it stays in the outbox for the next drain (and `gongwen check` says so)."""
        try:
            self.drain_index(**kwargs)
        except Exception as e:  # noqa: BLE001 - the store write stands; the index catches up later
            log.warning("search index not updated yet (%s: %s); the work stays queued", type(e).__name__, e)

    def _apply_index_work(self, entries: list[tuple[int, str, str]], known: dict, known_logs: dict,
                          applied: set | None) -> None:
        doc_ids = list(dict.fromkeys(t for _, kind, t in entries if kind == "document"))
        log_ids = list(dict.fromkeys(t for _, kind, t in entries if kind == "log"))
        # Documents in chunks (each loaded whole from the store when not in memory);
        # logs, which are small, in one commit: as `reindex` would add them.
        for i in range(0, len(doc_ids), self.index_batch):
            chunk = doc_ids[i:i + self.index_batch]
            # What is in memory is used only for documents still stored: one deleted since
            # (its removal queued later in this batch) must not come back.
            stored = self.store.existing_documents(chunk)
            found = {d: known[d] for d in chunk if d in known and d in stored}
            found.update(self.store.documents_for_index([d for d in chunk if d in stored and d not in found]))
            present = [found[d] for d in chunk if d in found]
            if present:
                self._index_documents(present)
            gone = [d for d in chunk if d not in found]
            if gone:
                self._unindex(gone)
            if applied is not None:
                applied.update(chunk)
        if log_ids:
            found_logs = self.store.get_logs(log_ids)
            for i, one in known_logs.items():
                if i in found_logs:
                    found_logs[i] = one
            present_logs = [found_logs[i] for i in log_ids if i in found_logs]
            if present_logs:
                self._index_logs(present_logs)
            gone_logs = [i for i in log_ids if i not in found_logs]
            if gone_logs:
                self._unindex(gone_logs)

    def index_status(self) -> dict[str, Any]:
        """Cheap agreement figures (counts, not ids) for /api/health: items the store
        has against items the index has, and the work still queued."""
        store, index = self.store, self.search_index
        documents = {"store": store.count_documents(), "index": index.count_kind("document")}
        logs = {"store": store.count_logs(), "index": index.count_kind("log")}
        pending = store.count_pending()
        agree = documents["store"] == documents["index"] and logs["store"] == logs["index"]
        return {"agree": agree and pending == 0, "pending": pending, "documents": documents, "logs": logs}

    def consistency(self, limit: int = 20) -> dict[str, Any]:
        """Store and index compared exactly (`gongwen check`): per kind, what the store
        has and the index lacks (`missing`), and what the index has that the store does
        not (`extra`, sections and obligations of gone documents included); `limit` ids
        of each are listed."""
        store, index = self.store, self.search_index
        doc_store, log_store = set(store.document_ids()), set(store.log_ids())
        doc_index, log_index = index.ids("document"), index.ids("log")
        parts = index.ids("section") | index.ids("obligation")
        orphans = {i for i in parts if i.split(":", 1)[0] not in doc_store}
        out: dict[str, Any] = {"pending": store.count_pending()}
        for name, have, indexed, extra in (("documents", doc_store, doc_index, orphans), ("logs", log_store, log_index, set())):
            missing, more = sorted(have - indexed), sorted((indexed - have) | extra)
            out[name] = {"store": len(have), "index": len(indexed), "missing": len(missing), "extra": len(more),
                         "missing_ids": missing[:limit], "extra_ids": more[:limit]}
        out["agree"] = not any(out[k]["missing"] or out[k]["extra"] for k in ("documents", "logs"))
        return out

    def reindex(self, on_progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Rebuild the search index from the store (the source of truth): every document
        with its checklist, every log. The old index is replaced only once the new one is
        complete, so a search never sees it half-built. The outbox entries written before
        the rebuild began are done by it; later ones are drained after it."""
        from index.search import items_from_document

        store = self.store
        with self._index_work(wait=60.0) as got:
            if not got:
                raise IndexLocked("检索索引正由其他进程更新，请稍后再试")
            upto = store.last_pending_id()
            total = store.count_documents() + store.count_logs()
            done = 0
            counts = {"documents": 0, "logs": 0}

            def items():
                nonlocal done
                for doc in store.iter_documents():
                    counts["documents"] += 1
                    done += 1
                    if on_progress:
                        on_progress(done, total)
                    yield from items_from_document(doc, store.get_checklist(doc.id))
                for log in store.iter_logs():
                    counts["logs"] += 1
                    done += 1
                    if on_progress:
                        on_progress(done, total)
                    yield log_item(log)

            counts["items"] = self.search_index.reindex(items())
            if upto is not None:
                store.clear_pending(upto=upto)
        self.drain_index(wait=60.0)
        return counts
