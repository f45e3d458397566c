"""Keeping the search index in step with the store (the source of truth).

The store and the search index cannot share a transaction, so every store write
that changes what search should find records that in the store's `index_outbox`
in its own transaction, and `drain_index` brings the index up to date from it:
after every write (every batch of an ingest), at the start of every command or
server that writes, and from `gongwen reindex --pending`. A process killed
between the two commits leaves its work in the outbox for the next one; nothing
the store holds stays unsearchable. `consistency()` compares the two exactly
(`gongwen check`), `index_status()` cheaply (/api/health).

May import index.search (late) and the service's core and results.
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from api.service.core import ServiceCore
from api.service.results import IndexLocked
from ingest.document import Document

log = logging.getLogger(__name__)
# an id no item has: deleting it commits nothing but proves the index takes commits
PROBE_ID = "gongwen-index-probe"


def log_item(log: dict):
    """A stored log as a search item (tags and risk ids as the index wants them)."""
    from index.search import item_from_log

    return item_from_log({**log, "tags": log.get("tasks") or [], "risks": [r["id"] for r in log.get("risks") or []]})


class Indexing(ServiceCore):
    """Index writes, the outbox drain, agreement checks and the full rebuild."""

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
                    applied: set | None = None, refused: dict | None = None, wait: float = 0.0,
                    batch: int = 5000) -> int:
        """Do the index work the outbox holds, oldest first, one index commit per kind
        and batch; an entry is removed only after its commit. Returns how many entries
        were done here.

        One process drains at a time. A caller that finds another draining returns at
        once (unless `wait`): the other re-reads the outbox after it lets go, so work
        committed before this call is not left behind. `known` / `known_logs`: documents
        (id → (Document, checklist)) and logs (id → dict) the caller has in memory, so
        they are not read back from the store; `applied` collects the document ids
        whose index commit landed.

        A batch the index refuses is split until the entries it refuses are found, if
        the index takes any work at all (a probe commit says so); the rest is done. The
        refused entries stay queued with their error, and `refused` (target → error)
        gets them; one refused `INDEX_ATTEMPTS` times is set aside (the dead letter).
        An index that takes nothing (disk full, folder gone) raises: nothing is counted
        against the entries then."""
        store = self.store
        done = 0
        tried: set[int] = set()  # refused in this call: not tried again until the next
        while store.has_pending(skip=tried):
            with self._index_work(wait) as got:
                if not got:
                    return done
                while entries := store.pending_index(batch, skip=tried):
                    ok, bad = self._apply_isolating(entries, known or {}, known_logs or {}, applied)
                    store.clear_pending(e[0] for e in ok)
                    done += len(ok)
                    if bad:
                        aside = store.index_refused({e[0]: f"{type(x).__name__}: {x}" for e, x in bad})
                        tried.update(e[0] for e, _ in bad)
                        if refused is not None:
                            refused.update({e[2]: x for e, x in bad})
                        from index.store.store import INDEX_ATTEMPTS  # here: importing sqlalchemy costs every command ~0.5 s

                        log.warning("search index refused %d item(s), e.g. %s %s (%s); %d set aside after %d attempts",
                                    len(bad), bad[0][0][1], bad[0][0][2], bad[0][1], aside, INDEX_ATTEMPTS)
            # re-read after letting go: a writer that found the lock taken relies on it
        return done

    def _apply_isolating(self, entries: list[tuple[int, str, str]], known: dict, known_logs: dict,
                         applied: set | None) -> tuple[list, list]:
        """Apply `entries`; if the index refuses, find which: halves are applied apart
        until each refused entry stands alone. Returns (done entries, [(entry, error)]).
        Raises when the index takes no work at all."""
        try:
            self._apply_index_work(entries, known, known_logs, applied)
            return entries, []
        except Exception as e:  # noqa: BLE001 - which entries, or the whole index?
            first = e
        try:  # an index that cannot commit even a no-op delete refuses everything
            self._unindex([PROBE_ID])
        except Exception:  # noqa: BLE001 - the first error says what went wrong
            raise first from None
        if len(entries) == 1:
            return [], [(entries[0], first)]
        ok: list = []
        bad: list = []
        half = len(entries) // 2
        for part in (entries[:half], entries[half:]):
            o, b = self._apply_isolating(part, known, known_logs, applied)
            ok += o
            bad += b
        return ok, bad

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

    def index_unwritable(self) -> str | None:
        """Which folder and why when the index cannot be written (so queued work stays queued
        and nothing can be rebuilt in place): a store taking no writes (a data folder on
        read-only media), or the index folder on read-only media even with the store in a
        database that takes writes (a PostgreSQL server, a SQLite file kept elsewhere)."""
        if self.store.read_only_folder:
            return self.store.read_only_folder
        from index.search.common import unwritable

        index = Path(self.settings.index_dir)
        folder = index.parent
        if why := unwritable(folder):
            return f"数据文件夹 {folder} {why}"
        # the index folder a mount of its own, read-only inside a writable data folder
        if index.is_dir() and (why := unwritable(index)):
            return f"数据文件夹 {folder} 中的检索索引文件夹 {index.name} {why}"
        return None

    def index_outdated(self) -> str | None:
        """The one line to show when the index on disk is of an older format (a newer
        gongwen reads it only after `reindex`); None when it is current."""
        return self.search_index.outdated

    def index_status(self) -> dict[str, Any]:
        """Cheap agreement figures (counts, not ids) for /api/health: items the store
        has against items the index has, and the work still queued."""
        store, index = self.store, self.search_index
        documents = {"store": store.count_documents(), "index": index.count_kind("document")}
        logs = {"store": store.count_logs(), "index": index.count_kind("log")}
        pending, failed = store.count_unindexed()
        agree = documents["store"] == documents["index"] and logs["store"] == logs["index"]
        return {"agree": agree and pending == 0 and failed == 0, "pending": pending, "failed": failed,
                "documents": documents, "logs": logs}

    def consistency(self, limit: int = 20) -> dict[str, Any]:
        """Store and index compared exactly (`gongwen check`): per kind, what the store
        has and the index lacks (`missing`), and what the index has that the store does
        not (`extra`, sections and obligations of gone documents included); `limit` ids
        of each are listed; `failed`: index work set aside after repeated refusals,
        with its error."""
        store, index = self.store, self.search_index
        doc_store, log_store = set(store.document_ids()), set(store.log_ids())
        doc_index, log_index = index.ids("document"), index.ids("log")
        parts = index.ids("section") | index.ids("obligation")
        orphans = {i for i in parts if i.split(":", 1)[0] not in doc_store}
        pending, failed = store.count_unindexed()
        out: dict[str, Any] = {"pending": pending, "failed": failed, "failed_items": store.failed_index(limit)}
        for name, have, indexed, extra in (("documents", doc_store, doc_index, orphans), ("logs", log_store, log_index, set())):
            missing, more = sorted(have - indexed), sorted((indexed - have) | extra)
            out[name] = {"store": len(have), "index": len(indexed), "missing": len(missing), "extra": len(more),
                         "missing_ids": missing[:limit], "extra_ids": more[:limit]}
        out["agree"] = not any(out[k]["missing"] or out[k]["extra"] for k in ("documents", "logs")) and not out["failed"]
        return out

    def reindex(self, on_progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Rebuild the search index from the store (the source of truth): every document
        with its checklist, every log. The old index is replaced only once the new one is
        complete, so a search never sees it half-built. The outbox entries written before
        the rebuild began are done by it; later ones are drained after it.

        A document or log that cannot be made into index items is left out (whole) and
        the rest rebuilt, as a drain would: it is set aside in the dead letter with its
        error (`gongwen check`, `gongwen reindex --pending`); `refused` counts them."""
        from index.search import items_from_document

        store = self.store
        recut = self._recut_stale_words()
        refused: dict[tuple[str, str], str] = {}

        def refuse(kind: str, target: str, e: Exception) -> None:
            refused[(kind, target)] = f"{type(e).__name__}: {e}"
            log.warning("search index refused %s %s during the rebuild (%s: %s); set aside",
                        kind, target, type(e).__name__, e)

        with self._index_work(wait=60.0) as got:
            if not got:
                raise IndexLocked("检索索引正由其他进程更新，请稍后再试")
            upto = store.last_pending_id()
            total = store.count_documents() + store.count_logs()
            done = 0
            counts = {"documents": 0, "logs": 0}

            def items():
                nonlocal done
                for kind, sources in (("document", store.iter_documents()), ("log", store.iter_logs())):
                    for source in sources:
                        counts[f"{kind}s"] += 1
                        done += 1
                        if on_progress:
                            on_progress(done, total)
                        try:
                            made = (list(items_from_document(source, store.get_checklist(source.id)))
                                    if kind == "document" else [log_item(source)])
                        except Exception as e:  # noqa: BLE001 - this source's fault: the rest is rebuilt
                            refuse(kind, source.id if kind == "document" else str(source.get("id")), e)
                            continue
                        yield from made

            counts["items"] = self.search_index.reindex(
                items(), refused=lambda it, e: refuse("log" if it.kind == "log" else "document", it.doc_id, e))
            if upto is not None:
                store.clear_pending(upto=upto)
            if refused:
                store.set_aside_index(refused)
        counts["refused"], counts["recut"] = len(refused), recut
        self.drain_index(wait=60.0)
        return counts

    def _recut_stale_words(self, batch: int = 500) -> int:
        """Cut again the logs whose stored words (what topics read) were cut under other
        dictionaries, or never; returns how many. Before the rebuild, with no writer
        threads alive: segmenting may fork worker processes. Words serve topics only,
        so a failure here is logged and does not stop the rebuild."""
        from nlp.analysis import dictionary_version

        try:
            version = dictionary_version()
            ids = self.store.logs_with_stale_words(version)
            if ids:
                from nlp.topics.model import log_segments  # here: it imports scikit-learn

                for i in range(0, len(ids), batch):
                    logs = list(self.store.get_logs(ids[i:i + batch]).values())
                    self.store.set_log_words({one["id"]: w for one, w in zip(logs, log_segments(logs))}, version)
            return len(ids)
        except Exception as e:  # noqa: BLE001 - the index does not need these words
            log.warning("stale log words not cut again (%s: %s); gongwen topics fit will", type(e).__name__, e)
            return 0
