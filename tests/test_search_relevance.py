"""Search relevance on the sample corpus: the judged queries of
corpora/relevance/queries.jsonl name sections that exist, and the default engine
keeps nDCG@10 ≥ 0.85 on them (bench/relevance.py prints the full figures)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

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


def test_real_items_names_refused_files_and_keeps_no_partial_set(tmp_path, monkeypatch, capsys):
    """A real notice the readers refuse is named on stderr with the reason, and the items
    are not kept on disk: a refusal that passes (a library missing while the venv installed
    once made every text PDF "damaged") must not leave a cached set without those notices."""
    import tempfile

    bench = _bench()
    shared = tmp_path / "shared"
    (shared / "real-notices").mkdir(parents=True)
    (shared / "real-notices" / "ok.txt").write_text("关于做好职工帮扶工作的通知\n各县（市、区）总工会：\n请于2024年5月1日前报送帮扶对象名单。\n",
                                                    encoding="utf-8")
    (shared / "real-notices" / "bad.pdf").write_bytes(b"%PDF-1.4\nnot a pdf\n")  # truncated: no %%EOF
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    items, where = bench.real_items(shared, checklists=False)
    assert sorted(where.values()) == ["real-notices/ok.txt"] and items
    err = capsys.readouterr().err
    assert "real-notices/bad.pdf" in err and "CorruptFile" in err
    assert not list((tmp_path / "tmp").rglob("*.pkl"))  # nothing cached: the next run reads again
    (shared / "real-notices" / "bad.pdf").unlink()
    bench.real_items(shared, checklists=False)
    assert len(list((tmp_path / "tmp").rglob("*.pkl"))) == 1  # every file read: kept


@pytest.fixture(scope="module")
def real_passages():
    """Keys of every passage the parser makes of the shared real notices (parsed once)."""
    bench = _bench()
    if not (bench.SHARED / "real-corpus").is_dir():
        pytest.skip("the shared real notices are not beside this checkout")
    items, where = bench.real_items(checklists=False)  # passages are the same with or without
    return {bench.real_key(where[i.doc_id], i.kind, i.extras, i.path, i.text) for i in items}


@pytest.mark.slow  # parses the shared real notices, a 10-page scan among them (OCR)
@pytest.mark.parametrize("name", ["real", "heldout"])
def test_real_set_judgments_name_passages_that_exist(name, real_passages):
    """The real sets (queries written before any result was seen; `heldout` is never
    used to choose a setting) judge passages of the shared real notices by file and a
    hash of heading and text; every judged passage must still be one the parser
    produces, or the figures silently drop it."""
    bench = _bench()
    queries = bench.load_jsonl(ROOT / "corpora" / "relevance" / f"{name}_queries.jsonl")
    judged = {j["id"]: j["relevant"] for j in bench.load_jsonl(ROOT / "corpora" / "relevance" / f"{name}_judgments.jsonl")}
    assert len(queries) >= (100 if name == "real" else 40) and set(judged) <= {q["id"] for q in queries}
    types = {q["type"] for q in queries}
    assert {"abbreviation", "synonym", "question", "keyword", "multi", "none"} <= types
    for qid, rel in judged.items():
        assert rel and set(rel) <= real_passages, qid
    assert not any(judged.get(q["id"]) for q in queries if q["type"] == "none")


def test_folds_keep_a_sites_queries_together():
    """Grouped cross-validation: no setting is chosen on a query about the notice site
    it is then scored on."""
    bench = _bench()
    site = "real-corpus/notices/{}/x.txt@doc".format
    queries = [{"id": f"q{i}", "relevant": {site(s): 2, site("other"): 1}} for i, s in enumerate("aabbbcddde")]
    queries += [{"id": f"n{i}", "relevant": {}} for i in range(4)]
    folds = bench.make_folds(queries, 3)
    assert sorted(i for f in folds for i in f) == sorted(q["id"] for q in queries)
    for s in "abcde":
        ids = {q["id"] for q in queries if site(s) in q["relevant"]}
        assert sum(1 for f in folds if f & ids) == 1, s
    assert max(map(len, folds)) - min(map(len, folds)) <= 2
