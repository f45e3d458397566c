"""Documents in the service: reading files, ingesting them (one store transaction
each, then the search index), listing, showing and deleting them, and their checklists.

Ingest order, per file: parse → (skip if the same file is stored; attach it to
the stored document if it is the same notice in another format, see
index/store/dedup.py) → extract the checklist → ONE store transaction → search
index. Everything that can fail on the content is computed before the
transaction opens, so a failing file leaves nothing behind; a file that fails in
a batch is reported and the batch goes on.

May import ingest (reading), nlp.checklist (late) and the service's core and results.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from api.service.core import ServiceCore
from api.service.results import (
    ChecklistUnavailable,
    IngestResult,
    IngestSummary,
    ProgressCallback,
    cannot_open,
    failed,
    stops_batch,
)
from ingest.document import Document
from ingest.errors import GongwenError, readable_name, text_at_risk

log = logging.getLogger(__name__)


def supported_extensions() -> tuple[str, ...]:
    from ingest.read import SUPPORTED

    return tuple(SUPPORTED)


def _revision_warning(match) -> str:
    c = match.comparison
    if match.by == "doc_number":
        same = f"同一文号（{match.doc_number}）已有公文 {match.document_id}"
    else:
        same = f"同一标题、发文机关和成文日期已有公文 {match.document_id}"
    first = f"，首处不同：{c.difference}" if c.difference else ""
    return f"{same}，但正文不同（相似度 {c.percent}{first}），已作为新文件入库；如是修订版，请核对"


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Readers may not know the file name: make every error say which file it is."""
    try:
        yield
    except GongwenError as e:
        if not e.path:
            where = readable_name(where)
            e.path = where
            e.args = (f"{where}: {e.message}",)
        raise


def _stored_unindexed(result: IngestResult, e: Exception) -> None:
    """`result` is stored, but the index refused it and undoing the store failed too: say so
    (its queued index entry is applied by the next command that writes, or gongwen reindex).
    The exception stays with it, so a batch stops as on any refused write."""
    why = IngestResult(path=result.path, status="failed")
    failed(why, e)
    result.warning = "；".join(w for w in (result.warning, f"已入库，但检索索引无法写入，暂时搜索不到（{why.error}）："
                                           "腾出磁盘空间后，下一次入库（或 gongwen reindex）会补上") if w)
    result.exception = e


class Documents(ServiceCore):
    """Reading, ingesting and deleting documents; their checklists."""

    # ------------------------------------------------------------------ parsing

    def parse_file(self, path: str | Path) -> Document:
        from ingest.load import load

        with _naming(str(path)):
            return load(Path(path), max_bytes=self.settings.max_file_bytes, max_chars=self.settings.max_text_chars)

    def parse_bytes(self, data: bytes, name: str) -> Document:
        from ingest.load import load_bytes

        with _naming(name):
            return load_bytes(data, name, max_bytes=self.settings.max_file_bytes,
                              max_chars=self.settings.max_text_chars)

    # ------------------------------------------------------------------ ingest

    def ingest_file(self, path: str | Path) -> IngestResult:
        self._drain_quietly()
        return self._ingest(readable_name(str(path)), lambda: self.parse_file(path))

    def ingest_bytes(self, data: bytes, name: str) -> IngestResult:
        self._drain_quietly()
        return self._ingest(name, lambda: self.parse_bytes(data, name))

    def ingest_parsed(self, name: str, doc: Document, checklist: dict) -> IngestResult:
        """Store a document parsed (and its checklist extracted) elsewhere: the HTTP
        upload does both in a worker process (ingest.pool)."""
        self._drain_quietly()
        return self._ingest(name, lambda: doc, checklist=checklist)

    def _ingest(self, label: str, parse: Callable[[], Document], pending: list | None = None,
                checklist: dict | None = None, current: list | None = None) -> IngestResult:
        """Parse, extract, store one file. With `pending` (a batch), indexing is left
        to `_flush_index`; otherwise the document is indexed at once. `current` is set to
        [result, document] as they are known, for a Ctrl+C to tell what was committed."""
        t0 = time.perf_counter()
        result = IngestResult(path=label, status="failed")
        if current is not None:
            current[:] = [result, None]
        try:
            doc = parse()
            if current is not None:
                current[1] = doc
            result.document_id, result.title = doc.id, doc.title
            result.size, result.format = doc.source.size, doc.source.format
            owner = self.store.document_for_file(doc.source.sha256)
            match = None if owner else self.store.find_same_notice(doc)
            if owner:
                self._keep_name(result, doc, owner)
            if owner == doc.id:
                result.status = "unchanged"
                self._backfill_checklist(doc)
                # a copy of a file stored earlier in this batch waits for the batch's index commit
                if not any(d is not None and d.id == doc.id for _, d, _ in pending or ()):
                    self._check_indexed(result, doc)
                if pending is None:
                    self._drain_quietly()
            elif owner:
                result.status, result.document_id = "unchanged", owner
                result.message = "；".join(m for m in (f"已附加过：该文件已是公文 {owner} 的另一格式", result.message) if m)
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
                if not created:  # another writer stored the same bytes meanwhile: this name is kept too
                    self._keep_name(result, doc, doc.id)
                if created and pending is not None:
                    pending.append((result, doc, checklist))
                elif created:
                    self._flush_index([(result, doc, checklist)])
            at_risk = [w for w in doc.warnings if text_at_risk(w)]
            if at_risk:
                # text a person should check (not read, cut short, recognised with low
                # confidence) is said when the file goes in, not only kept with it
                result.warning = "；".join([w for w in (result.warning, *at_risk) if w])
        except Exception as e:
            failed(result, e)
        result.seconds = time.perf_counter() - t0
        return result

    def _keep_name(self, result: IngestResult, doc: Document, owner: str) -> None:
        """The same bytes came again under another name (a colleague's copy, a renamed
        download): the notice stays one document, and the new name is kept with its file
        (shown on its page and in its JSON) instead of dropped."""
        if self.store.add_file_name(doc.source.sha256, doc.source.name):
            result.message = f"库中已有同一文件（公文 {owner}），已记下它的另一文件名：{doc.source.name}"

    def _check_indexed(self, result: IngestResult, doc: Document) -> None:
        """A file stored before but missing from the search index (an index rebuilt
        from an older copy, a crash before the outbox existed) is queued for it now. One
        whose index work is queued already is not missing: its writer (another ingest in the
        middle of its batch) or this batch's closing drain indexes it."""
        if self.search_index.contains(doc.id) or self.store.is_queued("document", doc.id):
            return
        self.store.queue_index("document", [doc.id])
        result.reindexed = True
        result.message = "；".join(m for m in (result.message, "库中已有，但检索索引中缺少，已重新加入索引") if m)

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
        commit for the batch: one per document costs ~6× more). Documents of the batch
        the index refuses (all of them when it takes nothing) are taken out of the store
        again and reported as failed, so a file is never reported stored while search
        cannot find it."""
        if not pending:
            self._drain_quietly()  # e.g. stored documents found missing from the index
            return
        known = {doc.id: (doc, checklist) for _, doc, checklist in pending if doc is not None}
        applied: set[str] = set()
        refused: dict[str, Exception] = {}
        try:
            self.drain_index(known=known, applied=applied, refused=refused)
        except Exception as e:  # the index took nothing: the whole batch is undone
            refused = dict.fromkeys(known, e)
        kept: set[str] = set()  # documents the store would not give back either: still stored
        try:
            for result, doc, _ in pending:
                target = doc.id if doc is not None else result.document_id
                if target not in refused or target not in known:
                    continue
                if target in kept:  # a file attached to it stays attached with it
                    _stored_unindexed(result, refused[target])
                    continue
                if doc is None:  # a file attached to a document of this batch goes with it
                    failed(result, refused[target])
                    continue
                try:
                    self.store.discard_document(doc.id)
                    if doc.id in applied:  # indexed by an earlier commit of this drain: remove it there too
                        self.store.queue_index("document", [doc.id])
                except Exception:  # keep undoing the others
                    # the disk that refused the index refuses the undo too (a full disk: the
                    # delete must write its journal): the notice stays stored, its outbox entry
                    # with it, and is reported as it is — not as failed, which a rerun calls 未变化
                    log.debug("could not undo %s", doc.id, exc_info=True)
                    kept.add(doc.id)
                    _stored_unindexed(result, refused[target])
                    continue
                failed(result, refused[target])
        finally:
            pending.clear()

    def collect_files(self, paths: Iterable[str | Path], skipped: list[Path] | None = None,
                      unread: list[Path] | None = None) -> tuple[list[Path], list[IngestResult]]:
        """Files to ingest: named files as given, folders searched recursively for
        supported formats or content (sorted, no hidden or Office lock files); plus a failure
        for every path that does not exist. Files of a folder in another format are
        added to `skipped`; its entries that are no file to read (a broken link, a pipe, a
        device, a link to a folder, which is not followed: it may lead anywhere, or back
        into the folder) to `unread`."""
        from ingest.read import readable_by_content

        supported = supported_extensions()
        files: list[Path] = []
        missing: list[IngestResult] = []
        seen: set[Path] = set()
        for raw in paths:
            p = Path(raw)
            if p.is_dir():
                entries = sorted(f for f in p.rglob("*")
                                 if not any(part.startswith((".", "~$")) for part in f.relative_to(p).parts))
                visible = [f for f in entries if f.is_file()]
                if unread is not None:
                    unread.extend(f for f in entries if not f.is_file() and (f.is_symlink() or not f.is_dir()))
                # a file under a name we do not read (a download's: downfile.jsp, getFile, none)
                # goes in when its first bytes say a format we read, as when it is named alone
                found = [f for f in visible if f.suffix.lower() in supported or readable_by_content(f)]
                if skipped is not None:
                    taken = set(found)
                    skipped.extend(f for f in visible if f not in taken)
            elif p.exists():
                found = [p]  # named explicitly: an unsupported format is reported, not skipped
            else:
                missing.append(IngestResult(path=readable_name(str(p)), status="failed", error="文件或文件夹不存在",
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
        try:  # what an earlier, interrupted run left for the index
            self.drain_index()
        except Exception as e:
            if stops_batch(e) or cannot_open(e):
                # the store or the index cannot be opened or written at all (a damaged or unreachable
                # database, a data folder that is a file, a driver not installed): one error now, not
                # the same one for each file after it is read
                raise
            log.warning("search index not updated yet (%s: %s); the work stays queued", type(e).__name__, e)
        skipped: list[Path] = []
        unread: list[Path] = []
        files, missing = self.collect_files(paths, skipped, unread)
        summary = IngestSummary(results=list(missing), skipped=[readable_name(str(f)) for f in skipped],
                                unread=[readable_name(str(f)) for f in unread])
        total = len(files)
        if on_progress:
            on_progress(0, total, None)
        summary.found = total + len(missing)
        pending: list = []
        current: list = []
        try:
            for i, f in enumerate(files, 1):
                result = self._ingest(readable_name(str(f)), lambda f=f: self.parse_file(f), pending, current=current)
                summary.results.append(result)
                batch = [result]
                if len(pending) >= self.index_batch:
                    batch += [r for r, _, _ in pending]
                    self._flush_index(pending)
                if on_progress:
                    on_progress(i, total, result)
                refused = next((r for r in batch if stops_batch(r.exception)), None)
                if refused is not None:
                    # a full disk, a size limit, a read-only mount, a damaged database or index:
                    # the rest would fail the same way after minutes of reading, each with the same line
                    summary.stopped, summary.stopped_fix = refused.error, stops_batch(refused.exception)
                    break
        except KeyboardInterrupt:
            # Ctrl+C: what is stored is made searchable before stopping (the files of the
            # batch waiting for its index commit, and one stored as the key was pressed:
            # its outbox entry), and the files done are reported; a second Ctrl+C here
            # leaves that work queued for the next command
            summary.interrupted = True
            cut = self._cut_short(current)
            if cut is not None and not any(r is cut for r in summary.results):
                summary.results.append(cut)
        self._flush_index(pending)
        summary.seconds = time.perf_counter() - t0
        return summary

    def _cut_short(self, current: list) -> IngestResult | None:
        """The file a Ctrl+C or SIGTERM stopped in: reported when what it did is committed
        (the signal came after the store's commit, before its result was returned), so the
        files done count what the store holds; None when it left nothing."""
        if len(current) < 2 or current[1] is None:
            return None  # stopped while reading it: nothing stored
        result, doc = current
        if result.status != "failed" or result.error is not None:
            return result  # decided before the signal came
        owner = self.store.document_for_file(doc.source.sha256)
        if owner is None:
            return None  # stopped before its transaction committed: rolled back
        # its outbox entry brings it to the index with the batch (`_flush_index` drains it)
        result.status, result.document_id = ("ingested" if owner == doc.id else "attached"), owner
        return result

    # ------------------------------------------------------------------ reading

    def list_documents(self, *, issuer: str | None = None, year: int | None = None, doc_type: str | None = None,
                       doc_number: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """A page of stored notices and how many match the filters."""
        store = self.store
        filters = {"issuer": issuer, "year": year, "doc_type": doc_type, "doc_number": doc_number}
        return {"total": store.count_documents(**filters),
                "items": store.list_documents(**filters, limit=limit, offset=offset)}

    def has_document(self, doc_id: str) -> bool:
        return self.store.get_document_row(doc_id) is not None

    def checklist(self, doc_id: str) -> dict | None:
        """The stored checklist of a notice (None when it has none)."""
        return self.store.get_checklist(doc_id)

    def document_detail(self, doc_id: str) -> dict[str, Any] | None:
        """A stored notice whole: metadata, source, files, parts and checklist; None when unknown."""
        store = self.store
        doc = store.get_document(doc_id)
        if doc is None:
            return None
        d = doc.to_dict()
        return {"id": doc.id, "metadata": doc.metadata(), "source": d["source"], "files": store.document_files(doc_id),
                "parts": d["parts"], "tables": d["tables"], "checklist": store.get_checklist(doc_id)}

    def delete_document(self, doc_id: str) -> bool:
        deleted = self.store.delete_document(doc_id)  # queues the removal from the index
        if deleted:
            self._drain_quietly()
        return deleted

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

    # ------------------------------------------------------- checklist extraction

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
