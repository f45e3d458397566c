"""Segmentation of many items in worker processes, for bulk indexing.

Segmenting Chinese text in Python is nearly all of an engine's indexing time
(the dictionary walk holds the GIL), so threads cannot share it out; worker
processes can. The parent still builds and writes the engine's documents, in
the items' order; workers only turn texts into `analysis.joined` strings (the
tokens as tantivy's analyzer takes them), which cost little to send back.

Workers are forked (they share the parent's loaded dictionary, and no script
is re-imported, which spawn/forkserver would do to a script without a
`__main__` guard), so they are used only where forking is safe: from a
process with a single Python thread (the CLI, a script, a benchmark), before
the engine's writer threads start. A server with threads segments in-process.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from ingest.children import end_with_parent
from ingest.settings import Settings

from .analysis import backend, joined

T = TypeVar("T")
log = logging.getLogger(__name__)

BATCH = 256  # items per task: large enough that sending them costs little
AHEAD = 3  # tasks in flight per worker: workers never wait, memory stays bounded


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity, where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers() -> int:
    """Worker processes for bulk indexing: $GONGWEN_INDEX_WORKERS, else one per
    CPU this process may use; 0 or 1 means in-process."""
    n = Settings().index_workers
    return usable_cpus() if n is None else n


def _segment_batch(texts: list[list[str | None]]) -> list[list[str | None]]:
    return [[joined(s) if s else None for s in row] for row in texts]


def _ready() -> bool:
    return True


class WorkerFailed(RuntimeError):
    """A worker process failed on the batch an item was in (an exception in it, or the
    process died). In place of the item's tokens: building its engine document raises it,
    so a rebuild sets the item's source aside (common.built_whole) and goes on."""


class Failed:
    """What `Segmenter.map` gives instead of the tokens of an item whose batch failed."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def error(self) -> WorkerFailed:
        return WorkerFailed(f"segmenting worker failed on this item's batch: {self.reason}")


class Segmenter:
    """`with Segmenter(expected) as seg:` — start workers (when worth it and safe)
    BEFORE opening the engine's writer; then `seg.map(items, texts)`."""

    MIN_ITEMS = 3000  # fewer items: in-process (forking and sending cost more than they save)

    def __init__(self, expected: int | None = None, n_workers: int | None = None):
        n = workers() if n_workers is None else n_workers
        big = expected is None or expected >= self.MIN_ITEMS
        safe = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
        self.n = n if n >= 2 and big and safe else 0
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Segmenter":
        if self.n:
            backend().cut("")  # dictionary and jieba-rs loaded once here, inherited by every worker
            # the workers end with this process even when it is killed (they would hold
            # the index work lock it holds: ingest.children)
            self._pool = ProcessPoolExecutor(self.n, mp_context=multiprocessing.get_context("fork"),
                                             initializer=end_with_parent, initargs=(os.getpid(),))
            self._pool.submit(_ready).result()  # fork now, while this process has no other threads
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, items: Iterable[T], texts: Callable[[T], list[str | None]]) -> Iterator[tuple[T, list]]:
        """Each item with the `analysis.joined` strings of its `texts(item)` (None where a
        text is None or empty, or joined gives None), in the items' order; items are read
        lazily, a bounded number ahead. In-process, the list is None: the caller segments
        (and caches) as usual.
        A batch a worker failed on gives its items a `Failed` in place of tokens; once
        the pool is broken (a worker died), the items after it are segmented in-process."""
        if self._pool is None:
            for x in items:
                yield x, None
            return
        it = iter(items)
        pending: deque = deque()
        while chunk := list(islice(it, BATCH)):
            rows = [texts(x) for x in chunk]
            try:
                fut = self._pool.submit(_segment_batch, rows)
            except BrokenProcessPool:  # a worker died: no more work goes to the pool
                break
            pending.append((chunk, fut))
            if len(pending) >= self.n * AHEAD:
                yield from self._collect(pending.popleft())
        else:
            chunk = []
        while pending:
            yield from self._collect(pending.popleft())
        for x in chunk:  # the batch the broken pool refused, then the rest, in-process
            yield x, None
        for x in it:
            yield x, None

    @staticmethod
    def _collect(task) -> Iterator[tuple[T, list]]:
        chunk, fut = task
        try:
            done = fut.result()
        except Exception as e:  # noqa: BLE001 - the batch's items are set aside, the rest goes on
            log.warning("segmenting worker failed on a batch of %d items (%s: %s)", len(chunk), type(e).__name__, e)
            failed = Failed(f"{type(e).__name__}: {e}")
            for x in chunk:
                yield x, failed
            return
        yield from zip(chunk, done)
