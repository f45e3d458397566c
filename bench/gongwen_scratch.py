"""Scratch folders for the bench tools: a temp folder removed when the run ends, however
it ends (normal exit, an exception or Ctrl+C, SIGTERM from `timeout` or `kill`).

A bench run builds indexes of hundreds of MB; the mkdtemp folders of runs that failed or
were stopped piled up in /tmp by the dozen. SIGKILL cannot be caught: the folder a
SIGKILL leaves is removed by the next run of a tool with the same prefix once it is a
day old (`remove_stale`). It imports no gongwen module (not ingest.savedir.sweep, the
package's own sweep): a bench run may load another checkout's code (`concurrent_writes.py
--code`), which need not have it."""
from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

STALE_S = 24 * 3600  # a scratch folder older than this is a killed run's, not one under way


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def sigterm_raises():
    """While the block runs, SIGTERM raises SystemExit(143), so its `finally` blocks and
    ExitStack callbacks run; the handler before it comes back afterwards."""
    old = signal.signal(signal.SIGTERM, _raise_exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _sigterm_exits() -> None:
    """From now on SIGTERM raises SystemExit(143) in the main thread, so `finally` blocks
    and atexit run as they do on Ctrl+C (Python's default on SIGTERM is to die at once).
    Left alone when something else handles SIGTERM, or off the main thread (where no
    handler can be set)."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        return

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the run at once
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def remove_stale(prefix: str) -> None:
    """Remove the temp dir's folders that mkdtemp named `prefix` + 8 characters and that
    are more than a day old: what runs ended by SIGKILL left. Other names of the prefix
    (relevance.py's gongwen-relevance-items cache) and younger folders (a run under way
    beside this one) stay."""
    shape = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}")
    for entry in os.scandir(tempfile.gettempdir()):
        try:
            if (shape.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
                    and time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_S):
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass


def remove_tree(folder: Path, seconds: float = 30.0) -> None:
    """Remove `folder`, again while something still writes into it: a server worker or a parse
    worker whose parent was just stopped can write a file after the first pass (rmtree with
    ignore_errors then leaves the folder; seen once on a clean-clone CI run)."""
    deadline = time.monotonic() + seconds
    while True:
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder) or time.monotonic() > deadline:
            return
        time.sleep(0.2)


def scratch_folder(prefix: str) -> Path:
    """A new temp folder named `prefix`…, removed when the process exits (at exit, after
    an uncaught exception, or on SIGTERM); those of killed runs are removed first."""
    remove_stale(prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _sigterm_exits()
    return folder
