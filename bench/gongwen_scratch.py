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
import subprocess
import sys
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
    """Remove `folder`. Every process of the run is stopped and waited for before (`stop_groups`,
    tests/servers.py), so nothing should write into it any more. If something does, what came back
    is named on stderr (which process was left running shows in its files), and the removal is
    repeated for up to `seconds`: a scratch folder of several hundred MB is not left on a machine
    because a late writer was slow to stop."""
    shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        return
    left = sorted(os.path.relpath(os.path.join(d, n), folder) for d, dirs, files in os.walk(folder)
                  for n in dirs + files)
    print(f"scratch folder {folder} not removed at once; in it then: {left[:20]}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + seconds
    while os.path.lexists(folder) and time.monotonic() < deadline:
        time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def signals_held(signums: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)):
    """SIGINT and SIGTERM that come while the block runs take effect as it ends. Start a
    child and record it (for the `finally` that stops it) inside: the signal's exception
    (KeyboardInterrupt, or SystemExit under `sigterm_raises`) raised between the two, inside
    Popen or before the append, left the child running unrecorded, writing into a scratch
    folder removed under it. (Not a blocked signal mask: a child inherits that through
    exec and would never see SIGTERM.) Off the main thread it holds nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    old = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in signums}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(caught):
            signal.raise_signal(s)  # its own handler now: the exception comes at once


def stop_groups(procs: list[subprocess.Popen], grace: float = 30.0) -> None:
    """Stop each of `procs`, started with start_new_session=True, and every process of its
    group (children it started): SIGTERM to the groups first (a `gongwen` command stops as
    on Ctrl+C, committing what it stored), SIGKILL to what is left of them after `grace`
    seconds, then wait until no process of the groups remains. Also for a process that has
    ended: a child of it may not have."""
    for p in procs:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for p in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    deadline = time.monotonic() + 10  # (children outliving their leader are reaped by init)
    for p in procs:
        while time.monotonic() < deadline:
            try:
                os.killpg(p.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)


def scratch_folder(prefix: str) -> Path:
    """A new temp folder named `prefix`…, removed when the process exits (at exit, after
    an uncaught exception, or on SIGTERM); those of killed runs are removed first."""
    remove_stale(prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _sigterm_exits()
    return folder
