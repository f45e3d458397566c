"""Bulk indexing segments text in worker processes: the index it builds must be the
index a single process builds (same tokens, same hits, same scores, same snippets)."""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from index.search import item_from_log, open_index
from index.search.analysis import joined
from index.search.parallel import Segmenter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def log_items():
    lines = (ROOT / "corpora" / "logs" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    items = [item_from_log(json.loads(ln)) for ln in lines[:Segmenter.MIN_ITEMS + 200]]
    assert len(items) > Segmenter.MIN_ITEMS
    return items


def test_worker_tokens_equal_in_process_tokens(log_items):
    texts = lambda it: [it.text, it.title, "", None]  # noqa: E731 - empty and missing fields too
    with Segmenter(len(log_items), n_workers=2) as seg:
        assert seg.n == 2, "a large batch from a single-threaded process uses the workers"
        out = list(seg.map(iter(log_items), texts))
    assert [x.id for x, _ in out] == [it.id for it in log_items]  # order kept
    for it, toks in out:
        assert toks[0] == joined(it.text) and toks[0]
        assert toks[1] == joined(it.title)
        assert toks[2] in ("", None)
        assert toks[3] is None


def test_small_batches_and_threaded_callers_stay_in_process():
    assert Segmenter(10, n_workers=2).n == 0
    seen, done = [], threading.Event()

    def other():
        seen.append(Segmenter(10_000, n_workers=2).n)
        done.wait()

    t = threading.Thread(target=other)
    t.start()
    seen.append(Segmenter(10_000, n_workers=2).n)  # another thread is alive now: no fork
    done.set()
    t.join()
    assert seen == [0, 0]


def test_workers_hold_no_lock_the_parent_held_when_forking(tmp_path):
    """A lock file open in the parent when the workers fork (a tantivy reader thread
    reloading, the index work lock) is closed in every worker: the parent that lets
    its lock go can take it again. A worker's copy kept it, and a reindex then waited
    on its own index for ever."""
    import fcntl

    path = tmp_path / ".tantivy-meta.lock"
    held = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    seg = Segmenter(10_000, n_workers=2)
    assert seg.n == 2
    with seg:
        list(seg.map([1, 2, 3], lambda x: ["职工"]))
        os.close(held)
        again = os.open(path, os.O_RDWR)
        try:
            for _ in range(100):  # a worker still starting closes its copy within moments
                try:
                    fcntl.flock(again, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    time.sleep(0.1)
            else:
                pytest.fail("a worker kept the lock the parent let go")
        finally:
            os.close(again)


def test_reindex_with_workers_builds_the_same_index(tmp_path, monkeypatch, log_items):
    results = {}
    for workers in ("0", "2"):
        monkeypatch.setenv("GONGWEN_INDEX_WORKERS", workers)
        ix = open_index(tmp_path / f"ix-{workers}", "tantivy")
        assert ix.reindex(iter(log_items)) == len(log_items)
        assert ix.count() == len(log_items)
        results[workers] = [
            [(h.id, h.score, h.snippet) for h in ix.search(q, per_page=20).hits] + [ix.search(q).total]
            for q in ("欠薪", '"工资集体协商"', "夜校 OR 技能培训", "高温 -外卖", "PLC", "职工之家 建设")]
    assert results["2"] == results["0"]
    assert all(r[-1] > 0 for r in results["0"][:3])


@pytest.mark.slow
def test_cli_reindex_of_a_large_store_gives_the_same_results(tmp_path):
    """`gongwen reindex` (worker processes on a multi-core machine) rebuilds exactly the
    index the logs got when they were added one batch at a time. The logs go in with the
    labels the corpus gives them (the tagger is not what this is about: tagging 3,100 logs was
    most of the test's time) and the searches run in this process; the rebuild is the CLI's."""
    import subprocess
    import sys

    from api.service import Gongwen
    from api.settings import Settings

    # the corpus's logs without their annotation spans (`parts`, nested objects)
    lines = (ROOT / "corpora" / "logs" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    logs = [{k: v for k, v in json.loads(line).items() if k != "parts"} for line in lines[:Segmenter.MIN_ITEMS + 100]]
    settings = Settings(data_dir=tmp_path / "data")
    with Gongwen(settings) as svc:
        for start in range(0, len(logs), 500):  # one batch at a time, as `gongwen log add FILE` stores them
            svc.add_logs(logs[start:start + 500])

    def results():
        out = []
        with Gongwen(settings) as svc:
            for q in ("欠薪", "技能培训 OR 夜校", '"心理疏导"'):
                d = svc.search(q, per_page=20)
                out.append((d["total"], [(h["id"], h["score"], h["snippet"]) for h in d["hits"]], d["facets"]))
        return out

    before = results()
    assert before[0][0] > 0
    rebuilt = subprocess.run([sys.executable, "-m", "api.cli", "reindex", "--data-dir", str(tmp_path / "data")],
                             cwd=ROOT, capture_output=True, text=True, timeout=600,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"日志 {Segmenter.MIN_ITEMS + 100} 条" in rebuilt.stdout
    assert results() == before


def test_tied_hits_page_by_id_whatever_the_segments(tmp_path):
    """Items that score alike (and share a date) are paged in id order, whether they
    were added one commit at a time (many segments) or rebuilt in one go: `reindex`
    must not reshuffle a result list."""
    from index.search import Item

    items = [Item(id=f"log:{i:03d}", kind="log", doc_id="", text="职工 欠薪 求助", date="2024-05-01")
             for i in (7, 3, 11, 0, 5, 9, 1, 8, 2, 10, 4, 6)]
    piecewise = open_index(tmp_path / "piecewise", "tantivy")
    for it in items:
        piecewise.add([it])
    rebuilt = open_index(tmp_path / "rebuilt", "tantivy")
    rebuilt.reindex(iter(reversed(items)))
    want = sorted(it.id for it in items)
    for ix in (piecewise, rebuilt):
        for sort in ("relevance", "date"):
            pages = [h.id for p in (1, 2, 3) for h in ix.search("欠薪", per_page=5, page=p, sort=sort).hits]
            assert pages == want, (ix, sort)


# ------------------------------------------------------- a worker that fails
def _segment_or_fail(texts):
    """In the forked workers, in place of parallel._segment_batch: a batch holding
    BOOM raises, a batch holding CRASH kills its worker process."""
    from index.search import parallel

    flat = " ".join(t for row in texts for t in row if t)
    if "CRASH" in flat:
        os._exit(1)
    if "BOOM" in flat:
        raise MemoryError("segmenter out of memory")
    return parallel._real_segment_batch(texts)


@pytest.mark.parametrize("fault", ["BOOM", "CRASH"])
def test_a_rebuild_sets_aside_what_a_failing_worker_had_and_rebuilds_the_rest(
        database_url, tmp_path, monkeypatch, fault):
    """An error in a segmenting worker (an exception, or the process dying) does not end
    a full rebuild: the items of the batch it failed on are set aside (whole sources,
    dead letter, `gongwen check`), the rest is rebuilt in one commit, exit 1."""
    from fixtures_make import DOC_NUMBER, NOTICE_TEXT
    from typer.testing import CliRunner

    from api.cli import app
    from api.service import Gongwen
    from api.settings import Settings
    from index.search import items_from_document, parallel

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):  # notices of several sections each: sources that straddle batches
        text = NOTICE_TEXT.replace(DOC_NUMBER, DOC_NUMBER.replace("7", str(100 + i))).replace("示范点2个", f"示范点{i + 2}个")
        (folder / f"n{i}.txt").write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    svc = Gongwen(Settings(data_dir=data, db_url=database_url, engine="tantivy"))
    svc.ingest_paths([folder])
    # long texts: those are what the workers segment (short ones are cut in the parent, cached)
    logs = [{"id": f"L{i:03d}", "text": f"第{i}次走访，职工反映欠薪，企业拖欠工资已有三个月，工会已约谈企业负责人，"
                                      "并转交法律援助中心跟进处理，下一步将持续跟踪落实情况。" + (f" {fault}" if i == 40 else ""),
             "tasks": [], "risks": []} for i in range(200)]
    svc.add_logs(logs, tag=False)

    def sources(s):
        docs = s.store.documents_for_index(s.store.document_ids())
        out = {("document", d): {it.id for it in items_from_document(doc, cl)} for d, (doc, cl) in docs.items()}
        out.update({("log", lg["id"]): {item_from_log(lg).id} for lg in s.store.iter_logs()})
        return out

    want = sources(svc)
    svc.close()
    monkeypatch.setattr(parallel, "_real_segment_batch", parallel._segment_batch, raising=False)
    monkeypatch.setattr(parallel, "_segment_batch", _segment_or_fail)
    monkeypatch.setattr(parallel, "BATCH", 16)  # many batches: some after the failure, some sources split
    monkeypatch.setenv("GONGWEN_INDEX_WORKERS", "2")
    args = ["--data-dir", str(data), "--db", database_url, "--engine", "tantivy"]
    runner = CliRunner()
    rebuilt = runner.invoke(app, ["reindex", *args])
    assert rebuilt.exit_code == 1, rebuilt.output
    assert "gongwen check" in rebuilt.stderr and len(rebuilt.stderr.strip().splitlines()) == 1
    with Gongwen(Settings(data_dir=data, db_url=database_url, engine="tantivy")) as svc:
        aside = {(f["kind"], f["target"]): f["error"] for f in svc.store.failed_index(limit=1000)}
        assert f"{len(aside)} 项被检索索引拒绝" in rebuilt.stderr
        assert ("log", "L040") in aside and "segmenting worker failed" in aside[("log", "L040")]
        # one batch (BOOM), or the batches in flight when the pool broke (CRASH): not everything
        assert len(aside) <= (16 if fault == "BOOM" else 16 * 2 * parallel.AHEAD) and len(aside) < len(want) / 2
        held = {i for k in ("document", "section", "obligation", "log") for i in svc.search_index.ids(k)}
        for source, ids in want.items():  # a source is indexed whole, or set aside whole
            assert (ids <= held) if source not in aside else not (ids & held), source
        assert svc.store.count_pending() == 0
    checked = runner.invoke(app, ["check", *args])
    assert checked.exit_code == 1 and f"已搁置的改动：{len(aside)} 项" in checked.stdout
    monkeypatch.undo()
    fixed = runner.invoke(app, ["reindex", "--pending", *args])
    assert fixed.exit_code == 0, fixed.output
    assert runner.invoke(app, ["check", *args]).exit_code == 0
