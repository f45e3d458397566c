"""Scratch folders for the bench tools: a temp folder removed when the run ends, however
it ends (normal exit, an exception or Ctrl+C, SIGTERM from `timeout` or `kill`).

A bench run builds indexes of hundreds of MB; the mkdtemp folders of runs that failed or
were stopped piled up in /tmp by the dozen. SIGKILL cannot be caught, so a folder a
SIGKILL leaves is the one case this does not cover."""
from __future__ import annotations

import atexit
import contextlib
import shutil
import signal
import tempfile
import threading
from pathlib import Path


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


def scratch_folder(prefix: str) -> Path:
    """A new temp folder named `prefix`…, removed when the process exits (at exit, after
    an uncaught exception, or on SIGTERM)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _sigterm_exits()
    return folder
