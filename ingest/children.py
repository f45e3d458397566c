"""Worker processes that end with the process that forked them.

A pool's forked workers inherit every open descriptor of their parent, the index
work lock (`api.service.indexing`, an flock) and the SQLite files among them. When
the parent is killed (`kill -9`, the OOM killer) its pool cannot shut them down:
the workers wait on their task queue for ever, and because they hold a copy of
the lock's descriptor the lock stays taken, so every later ingest stored notices
that never reached the index and `gongwen reindex` said another process was
updating it. Each pool's initializer calls `end_with_parent`.

The same inheritance bites while the parent lives: a fork copies every descriptor,
also those a native thread (tantivy's reader and writer threads, which
`threading.active_count` does not see) holds an flock on at that instant. An flock
belongs to the open file, so when the parent's thread closes its descriptor the
worker's copy keeps the lock, and the parent's next commit waits on its own index
for ever. Workers never need a lock file, so `end_with_parent` closes the copies.

`gongwen serve --workers N` runs uvicorn's worker processes (spawned, not forked),
which do not end with their supervisor either: a supervisor killed by SIGKILL (a
service manager's or a test's last resort after SIGTERM) left them serving on the
inherited socket, storing posted logs into a data folder nobody was watching any
more. Each calls `die_with_parent` when it builds its app (api.app.app_from_env).

Standard library only (ctypes for Linux's prctl), so any package may import it.
"""
from __future__ import annotations

import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _kernel_ends_us() -> bool:
    """Ask Linux to send this process SIGKILL when its parent thread ends."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux (no prctl)
        return False


def _watch(parent: int) -> None:
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(1)


def _close_inherited_lock_files() -> None:
    """Close this process's descriptors of lock files (closing, not unlocking: an
    unlock would release the parent's lock too)."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:  # not Linux: no way to list them
        return
    for name in fds:
        fd = int(name)
        if fd <= 2:
            continue
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own descriptor, already gone
            continue
        if target.endswith((".lock", "WRITELOCK")):  # tantivy's and ours; whoosh's
            try:
                os.close(fd)
            except OSError:
                pass


def die_with_parent(parent: int) -> None:
    """End this process as soon as `parent` (the pid of the process that started it) is
    gone, however it went (SIGKILL included). On Linux the kernel does it (PR_SET_PDEATHSIG:
    call it from a thread that lives as long as the process, the main thread, since the
    request goes with the thread that made it); elsewhere a daemon thread looks once a
    second. Signal handlers are left alone."""
    if not _kernel_ends_us():
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="end-with-parent").start()
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)


def end_with_parent(parent: int) -> None:
    """In a forked worker: end this process as soon as `parent` (the pid of the process
    that forked it, taken before forking) is gone (`die_with_parent`). Pass as a pool's
    initializer with `initargs=(os.getpid(),)`."""
    # a handler inherited from the parent (the CLI turns SIGTERM into KeyboardInterrupt)
    # would keep a pool's terminate() from ending the worker at once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    die_with_parent(parent)
    _close_inherited_lock_files()
