"""Search relevance on the sample corpus: the judged queries of
corpora/relevance/queries.jsonl name sections that exist, and the default engine
keeps nDCG@10 ≥ 0.85 on them (bench/relevance.py prints the full figures)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_relevance", ROOT / "bench" / "relevance.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_judged_sections_exist_and_ranking_holds(tmp_path):
    from index.search import open_index

    bench = _bench()
    queries = [json.loads(line) for line in (ROOT / "corpora" / "relevance" / "queries.jsonl")
               .read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(queries) >= 40
    items = bench.corpus_items(ROOT / "corpora" / "notices")
    keys = {f"{i.extras['source']}#{i.path}" for i in items if i.kind == "section"}
    for q in queries:
        assert q["relevant"] and set(q["relevant"]) <= keys, q["id"]
    ix = open_index(tmp_path / "idx")
    ix.add(items)
    metrics, _ = bench.evaluate(ix, queries)
    ix.close()
    assert metrics["nDCG@10"] >= 0.85 and metrics["recall@10"] >= 0.8, metrics
