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


def test_real_set_judgments_name_passages_that_exist():
    """The real set (queries written before any result was seen) judges passages of
    the shared real notices by file and a hash of heading and text; every judged passage must still be
    one the parser produces, or the figures silently drop it."""
    import pytest

    bench = _bench()
    if not (bench.SHARED / "real-corpus").is_dir():
        pytest.skip("the shared real notices are not beside this checkout")
    queries = bench.load_jsonl(ROOT / "corpora" / "relevance" / "real_queries.jsonl")
    judged = {j["id"]: j["relevant"] for j in bench.load_jsonl(ROOT / "corpora" / "relevance" / "real_judgments.jsonl")}
    assert len(queries) >= 100 and set(judged) <= {q["id"] for q in queries}
    types = {q["type"] for q in queries}
    assert {"abbreviation", "synonym", "question", "keyword", "multi", "none"} <= types
    items, where = bench.real_items()
    keys = {bench.real_key(where[i.doc_id], i.kind, i.extras, i.path, i.text) for i in items}
    for qid, rel in judged.items():
        assert rel and set(rel) <= keys, qid
    assert not any(judged.get(q["id"]) for q in queries if q["type"] == "none")
