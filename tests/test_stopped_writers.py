"""A stopped or killed `gongwen ingest` or `gongwen serve` leaves no process of its own
behind and nothing more is written into its data folder afterwards.

Before: `gongwen serve --workers 2` killed with SIGKILL (a service manager's, or a test
helper's, last resort after SIGTERM) left its uvicorn worker processes serving on the
inherited socket: a log posted after the kill was answered 201 and stored in a data folder
that its owner (bench/http_concurrent_writes.py) was removing. Each process started here
carries a marker in its environment, which every child it starts inherits; the processes
found with it are those it left. Real processes, a real SQLite file and index on disk."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from fixtures_make import DOC_NUMBER, NOTICE_TEXT
from servers import serving

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux)")


def _marked(mark: str) -> list[tuple[int, str]]:
    """The live processes (zombies aside) whose environment holds GONGWEN_TEST_MARK=mark."""
    needle = f"GONGWEN_TEST_MARK={mark}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                found.append((int(entry), f.read().replace(b"\0", b" ").decode(errors="replace")[:200]))
        except OSError:  # gone meanwhile, or not ours to read
            pass
    return found


def _none_left(mark: str, seconds: float = 10.0) -> list[tuple[int, str]]:
    """[] once no marked process is alive (a child ended by its parent's death may take a
    moment to go); else those still alive after `seconds` (killed, so the suite goes on)."""
    deadline = time.monotonic() + seconds
    while (left := _marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid, _ in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under `folder`: (size, mtime in ns)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue
            out[os.path.relpath(path, folder)] = (st.st_size, st.st_mtime_ns)
    return out


def _still(folder: Path, seconds: float = 3.0) -> tuple[dict, dict]:
    before = _snapshot(folder)
    time.sleep(seconds)
    return before, _snapshot(folder)


def _env(tmp_path: Path, mark: str) -> dict[str, str]:
    return {"GONGWEN_DATA": str(tmp_path / "data"), "GONGWEN_API_KEY": "test-key", "GONGWEN_TEST_MARK": mark,
            "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_an_ingest_stopped_mid_folder_leaves_no_process_and_writes_nothing_more(tmp_path, sig):
    folder = tmp_path / "notices"
    folder.mkdir()
    for i in range(30):  # made-up notices, each its own document number and figures
        text = NOTICE_TEXT.replace(DOC_NUMBER, DOC_NUMBER.replace("7", str(300 + i)))
        (folder / f"n{i:03d}.txt").write_text(text.replace("示范点2个", f"示范点{i + 5}个"), encoding="utf-8")
    mark = uuid.uuid4().hex
    p = subprocess.Popen([sys.executable, "-m", "api.cli", "ingest", str(folder)], env={**os.environ, **_env(tmp_path, mark)},
                         cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    progress = threading.Event()

    def read() -> None:
        for line in p.stderr:
            lines.append(line)
            if line.startswith("入库进度"):  # a tenth of the folder stored: mid-folder
                progress.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert progress.wait(300), "".join(lines)[-2000:]
        assert p.poll() is None, "".join(lines)[-2000:]
        p.send_signal(sig)
        assert p.wait(120) == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + signal.SIGTERM), "".join(lines)[-2000:]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert _none_left(mark) == []
    before, after = _still(tmp_path / "data")
    assert any(name.startswith("gongwen.db") for name in before)  # (what it stored before the signal)
    assert after == before
    reader.join(10)
    if sig == signal.SIGTERM:  # (stopped as Ctrl+C stops it: it says so)
        assert "已中断" in "".join(lines)


@pytest.mark.server  # starts a real `gongwen serve`
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_server_with_workers_stopped_or_killed_leaves_no_worker_serving_or_writing(tmp_path, sig):
    mark = uuid.uuid4().hex
    with serving(_env(tmp_path, mark), "--workers", "2") as (url, _, proc):
        log = [{"id": "w1", "date": "2024-05-01", "region": "江西省/九江市", "text": "走访园区企业，了解夜班补贴发放情况"}]
        assert httpx.post(url + "/api/logs", json=log, headers={"X-API-Key": "test-key"}, timeout=120).status_code == 201
        workers = [pid for pid, _ in _marked(mark) if pid != proc.pid]
        assert workers  # (uvicorn's worker processes, and multiprocessing's resource tracker)
        proc.send_signal(sig)
        proc.wait(60)
        assert _none_left(mark) == []
        with pytest.raises(httpx.TransportError):  # no worker answers on the socket any more
            httpx.post(url + "/api/logs", json=[{**log[0], "id": "w2"}], headers={"X-API-Key": "test-key"}, timeout=10)
        before, after = _still(tmp_path / "data")
        assert after == before
