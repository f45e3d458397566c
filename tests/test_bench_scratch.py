"""The bench tools remove their temp folders however a run ends (bench/gongwen_scratch.py):
dozens of gongwen-bench-* and gongwen-relevance-* index folders had piled up in /tmp."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys, time
sys.path.append(sys.argv[1])
from gongwen_scratch import scratch_folder
folder = scratch_folder("gongwen-bench-")
(folder / "index").mkdir()
(folder / "index" / "segment").write_bytes(b"x" * 1000)
print(folder, (folder / "index" / "segment").is_file(), flush=True)
how = sys.argv[2]
if how == "raise":
    raise RuntimeError("a bench run that fails")
if how == "wait":
    time.sleep(60)
"""


def _env(tmp: Path) -> dict:
    return dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=str(ROOT))


@pytest.mark.parametrize("how, code", [("end", 0), ("raise", 1), ("wait", 128 + signal.SIGTERM)])
def test_scratch_folder_goes_on_exit_on_an_exception_and_on_sigterm(tmp_path, how, code):
    p = subprocess.Popen([sys.executable, "-c", SCRIPT, str(ROOT / "bench"), how], env=_env(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    # the run says its folder holds its file: it may be gone already when this process reads the
    # line (a run that ends or raises at once removes it), so a look from here would race
    line = p.stdout.readline().strip()
    folder, written = Path(line.rsplit(" ", 1)[0]), line.rsplit(" ", 1)[1]
    assert folder.parent == tmp_path and written == "True", line
    if how == "wait":
        p.send_signal(signal.SIGTERM)
    assert p.wait(30) == code
    assert list(tmp_path.iterdir()) == []


def _bench_search(tmp: Path, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "bench" / "search.py"), "--n", str(n), "--repeat", "1",
                             "--engines", "whoosh", "--no-raw"], env=_env(tmp), cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_search_bench_removes_its_index_folder(tmp_path):
    assert _bench_search(tmp_path, 200).wait(300) == 0
    assert list(tmp_path.iterdir()) == []


def test_search_bench_stopped_by_sigterm_removes_its_index_folder(tmp_path):
    p = _bench_search(tmp_path, 5000)
    deadline = time.monotonic() + 300
    while not any(tmp_path.glob("gongwen-bench-*/*")) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # (indexing under way)
    assert p.poll() is None, "the run ended before it could be stopped"
    p.send_signal(signal.SIGTERM)
    assert p.wait(60) == 128 + signal.SIGTERM
    assert not any(tmp_path.glob("gongwen-bench-*"))


def test_relevance_bench_removes_its_index_folder(tmp_path):
    notices = tmp_path / "notices"
    notices.mkdir()
    for name in sorted(os.listdir(ROOT / "corpora" / "notices"))[:2]:
        shutil.copy(ROOT / "corpora" / "notices" / name, notices)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "relevance.py"), "--engines", "whoosh",
                          "--notices", str(notices)], env=_env(tmp_path), cwd=tmp_path, capture_output=True)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    assert not any(tmp_path.glob("gongwen-relevance-*"))


def test_a_killed_runs_folder_goes_at_the_next_run_of_its_prefix_once_a_day_old(tmp_path):
    """SIGKILL cannot be caught: the folder it leaves is removed by the next run of a tool with
    the same prefix once a day old. Younger ones (a run under way beside it) and other names
    of the prefix (a cache) stay. Before: every such folder stayed for good."""
    day_old = time.time() - 25 * 3600
    stale, young, cache = tmp_path / "gongwen-bench-k1ll3d_x", tmp_path / "gongwen-bench-runn1ng0", tmp_path / "gongwen-bench-cache"
    for folder in (stale, young, cache):
        (folder / "index").mkdir(parents=True)
    for folder in (stale, cache):
        os.utime(folder, (day_old, day_old))
    p = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT / "bench"), "end"], env=_env(tmp_path),
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted([young.name, cache.name])


@pytest.mark.server
def test_http_concurrent_writes_stopped_by_sigterm_removes_its_folder(tmp_path):
    """Before: SIGTERM ended the bench at once, leaving its gongwen-httpconc-* folder (the
    store, the index and two copies of the corpus) and its server."""
    p = subprocess.Popen([sys.executable, str(ROOT / "bench" / "http_concurrent_writes.py"), "--logs", "1000000",
                          "--clients", "1", "--workers", "1", "--files", "1"], env=_env(tmp_path), cwd=tmp_path,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not any(tmp_path.glob("gongwen-httpconc-*/data/index-*")) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # (the server up, logs being posted)
    assert p.poll() is None, p.stderr.read()[-2000:]
    p.send_signal(signal.SIGTERM)
    assert p.wait(120) == 128 + signal.SIGTERM
    # (a folder that stays: remove_tree names on stderr what came back into it)
    assert not any(tmp_path.glob("gongwen-httpconc-*")), p.stderr.read()[-2000:]


HELD = """
import os, signal, subprocess, sys
sys.path.append(sys.argv[1])
from gongwen_scratch import signals_held, sigterm_raises, stop_groups
procs = []
with sigterm_raises():
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)  # comes while the child is being started
            # a child whose own child ignores SIGTERM: only SIGKILL to the group ends it
            procs.append(subprocess.Popen(["sh", "-c", "(trap '' TERM; exec sleep 60) & echo $!; wait"],
                                          stdout=subprocess.PIPE, text=True, start_new_session=True))
            print(procs[0].pid, procs[0].stdout.readline().strip(), flush=True)
        print("not reached", flush=True)
    finally:
        stop_groups(procs, grace=2)
        print(procs[0].returncode, flush=True)
"""


def test_a_sigterm_while_a_child_starts_is_held_until_it_is_recorded_and_its_whole_group_is_stopped(tmp_path):
    """Before: SIGTERM (SystemExit under sigterm_raises) raised inside Popen or before the
    append left an ingest of http_concurrent_writes.py unrecorded, never stopped; and the
    `finally` SIGKILLed the ingest alone (p.kill()), so a child of it would stay."""
    run = subprocess.run([sys.executable, "-c", HELD, str(ROOT / "bench")], env=_env(tmp_path), capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 128 + signal.SIGTERM, run.stderr
    lines = run.stdout.splitlines()
    assert "not reached" not in lines and lines[-1] == str(-signal.SIGTERM), lines  # SIGTERM first: sh obeys it
    child, grandchild = (int(x) for x in lines[0].split())
    for pid in (child, grandchild):  # (the grandchild, which ignored SIGTERM, ended by the group's SIGKILL)
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
