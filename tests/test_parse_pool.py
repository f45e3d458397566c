"""The upload parse pool (ingest.pool) limits a parse by the worker's CPU time, not the
clock: on a loaded machine a niced worker gets little of a core, and a valid file must
not be refused for that. A worker that uses no CPU is still ended by the wall-clock
backstop. Small limits keep these tests short; nothing here depends on timing luck
(a sleeping worker uses ~0 CPU; the big file needs far more CPU than the limit)."""
from __future__ import annotations

import functools
import threading
import time

import pytest
from conftest import NOTICES

from api.parse_job import parse_upload, warm_up
from ingest.pool import ParseCrashed, ParsePool, ParseTimeout


@pytest.fixture(scope="module")
def pool():
    p = ParsePool(1, warm_up)
    yield p
    p.close()


def test_a_file_needing_more_cpu_than_the_limit_is_refused_with_how_to_retry(pool):
    text = (NOTICES / "2021_mianyang_bangfu_banfa.txt").read_bytes()
    big = text * (600_000 // len(text))  # seconds of CPU to parse; the limit is 0.3 CPU-s
    with pytest.raises(ParseTimeout) as info:
        pool.run(parse_upload, big, "big.txt", 50 * 2**20, timeout=0.3, wall_timeout=600)
    message = str(info.value)
    assert "超时" in message and "重试" in message and "GONGWEN_PARSE_TIMEOUT" in message
    assert "CPU" in message


def test_a_worker_waiting_without_cpu_is_not_stopped_by_the_cpu_limit(pool):
    # 1.5 s asleep against a 0.5 CPU-s limit: the old wall-clock limit refused this
    assert pool.run(time.sleep, 1.5, timeout=0.5, wall_timeout=120) is None


def test_a_worker_stuck_without_cpu_is_ended_by_the_wall_backstop(pool):
    start = time.monotonic()
    with pytest.raises(ParseTimeout) as info:
        pool.run(time.sleep, 600, timeout=100, wall_timeout=1)
    assert time.monotonic() - start < 300  # far less than the sleep
    assert "重试" in str(info.value) and "GONGWEN_PARSE_TIMEOUT" in str(info.value)
    # the worker was replaced: the next job runs
    assert pool.run(time.sleep, 0, timeout=60) is None


def _run_in_thread(p: ParsePool, *args, **kwargs) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def job() -> None:
        try:
            out["result"] = p.run(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the test reads it
            out["error"] = e

    thread = threading.Thread(target=job, daemon=True)
    thread.start()
    return thread, out


@pytest.mark.parametrize("when", ["parsing", "starting"])
def test_closing_the_pool_ends_a_waiting_run_at_once(when):
    """A stopping `gongwen serve` closes the pool (ingest.pool.close_shared): the request thread
    waiting for a parse must end then, else the interpreter waits for it, and the stop with it,
    until the parse ends (up to GONGWEN_PARSE_TIMEOUT). Before, a worker still starting (imports,
    warm-up) was not the pool's yet: close() missed it and the job ran on after it."""
    p = ParsePool(1, functools.partial(time.sleep, 30) if when == "starting" else None)
    if when == "parsing":
        assert p.run(time.sleep, 0, timeout=60) is None  # a worker ready, then busy with the long job
    thread, out = _run_in_thread(p, time.sleep, 600, timeout=300, wall_timeout=600)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (p._all and not p._idle):  # started, or taken
        time.sleep(0.05)
    time.sleep(0.3)
    t0 = time.monotonic()
    p.close()
    thread.join(10)
    assert not thread.is_alive(), "the run went on after close()"
    assert time.monotonic() - t0 < 6
    assert isinstance(out.get("error"), ParseCrashed)
    if when == "parsing":
        assert "服务器正在停止" in str(out["error"])
