"""Index lifecycle under stress, both engines: searches keep working while another
thread or process writes, and a writer process killed mid-write leaves a readable
index holding exactly the batches it committed (and no stale write lock)."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time

import pytest

from index.search import ENGINES, Item, open_index

BATCH = 400


def _items(batch: int) -> list[Item]:
    return [Item(id=f"b{batch}-{i}", kind="log", doc_id=f"b{batch}-{i}", date="2024-05-01",
                 text=f"第{batch}批第{i}条日志：走访职工之家，了解外卖配送员和快递员的劳动保障情况，"
                      f"反映高温津贴发放不到位，建议工会协调企业落实第{i % 7 + 1}项措施。")
            for i in range(BATCH)]


def _writer(path: str, engine: str, commits, writing) -> None:
    ix = open_index(path, engine)
    b = 0
    while True:  # until killed
        items = _items(b)
        writing.value = 1
        ix.add(items)
        commits.value += 1
        b += 1


@pytest.mark.parametrize("engine", ENGINES)
def test_killed_writer_leaves_a_readable_index(tmp_path, engine):
    path = str(tmp_path / engine)
    open_index(path, engine).close()  # created before the child starts
    ctx = mp.get_context("spawn")
    commits, writing = ctx.Value("i", 0), ctx.Value("i", 0)
    proc = ctx.Process(target=_writer, args=(path, engine, commits, writing), daemon=True)
    proc.start()
    reader = open_index(path, engine)
    try:
        seen = []
        deadline = time.monotonic() + 60
        while commits.value < 2 and time.monotonic() < deadline:
            # searching while the other process writes: never fails, never goes back
            res = reader.search("外卖骑手", per_page=5)
            seen.append(res.total)
            time.sleep(0.01)
        assert commits.value >= 2, "writer made no progress"
        assert seen == sorted(seen)
        time.sleep(0.05)  # well inside the next batch's analysis or commit
        before = commits.value
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(10)
    finally:
        if proc.is_alive():
            proc.kill()
    reader.close()
    ix = open_index(path, engine)
    n = ix.count()
    assert n % BATCH == 0 and before <= n // BATCH <= before + 1
    assert ix.search("高温津贴").total == n
    # the lock died with the writer: we can write at once
    ix.add([Item(id="after", kind="log", doc_id="after", text="重启后写入的蹲点日志")])
    assert ix.count() == n + 1 and ix.search("驻点").total == 1
    ix.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_search_while_writing_in_another_thread(tmp_path, engine):
    ix = open_index(tmp_path / engine, engine)
    ix.add(_items(0))
    errors: list[BaseException] = []

    def write():
        try:
            for b in range(1, 4):
                ix.add(_items(b))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    t = threading.Thread(target=write)
    t.start()
    totals = []
    while t.is_alive():
        r = ix.search("快递员 高温", per_page=3)
        totals.append(r.total)
        assert len(r.hits) == 3 and "<mark>" in r.hits[0].snippet
    t.join()
    assert not errors
    assert totals == sorted(totals) and totals[0] >= BATCH
    assert ix.search("快递员 高温").total == 4 * BATCH
    ix.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_reindex_is_one_commit(tmp_path, engine):
    ix = open_index(tmp_path / engine, engine)
    ix.add(_items(0))

    def broken():
        yield from _items(1)[:100]
        raise RuntimeError("source failed half-way")

    with pytest.raises(RuntimeError):
        ix.reindex(broken())
    # the failed reindex changed nothing
    assert ix.count() == BATCH and ix.search("id:b0-1").total == 1
    seen = []
    assert ix.reindex(iter(_items(2)[:250]), batch=100, progress=seen.append) == 250
    assert seen == [100, 200, 250]
    assert ix.count() == 250 and ix.search("id:b0-1").total == 0 and ix.search("id:b2-1").total == 1
    ix.close()


def _creator(root: str, engine: str, made) -> None:
    i = 0
    while True:  # until killed: new indexes one after another
        open_index(os.path.join(root, f"ix{i}"), engine).close()
        i += 1
        made.value = i


@pytest.mark.parametrize("engine", ENGINES)
def test_a_process_killed_while_creating_an_index_leaves_none_half_made(tmp_path, engine):
    """kill -9 at any moment of creating an index: every folder it touched opens afterwards
    (as a complete index or as no index yet), none is 'neither empty nor an index'."""
    ctx = mp.get_context("spawn")
    made = ctx.Value("i", 0)
    proc = ctx.Process(target=_creator, args=(str(tmp_path), engine, made), daemon=True)
    proc.start()
    deadline = time.monotonic() + 60
    while made.value < 20 and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert made.value >= 20, "creator made no progress"
    for i in range(made.value + 2):
        ix = open_index(str(tmp_path / f"ix{i}"), engine)
        ix.add([Item(id="x", kind="log", doc_id="x", text="重启后写入的蹲点日志")])
        assert ix.count() == 1
        ix.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # leftovers removed
