"""Relevance of search on the sample corpus: loads corpora/notices/* with the 公文
parser, indexes their sections with each engine, runs the judged queries of
corpora/relevance/queries.jsonl (section search: filter kind=section, top 10) and
prints nDCG@10 (graded: 2 = answers the query, 1 = related), recall@10 and MRR.

A judged section is named by "<notice file name>#<section path>", so the
judgments survive re-parsing and re-indexing.

    python bench/relevance.py [--engines tantivy,whoosh] [--show-misses]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.search import items_from_document, open_index  # noqa: E402
from ingest.load import load  # noqa: E402

K = 10


def corpus_items(folder: Path) -> list:
    items = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in (".txt", ".docx", ".pdf", ".html", ".doc"):
            items += items_from_document(load(p))
    return items


def key(hit) -> str:
    return f"{hit.fields['extras']['source']}#{hit.path}"


def dcg(gains: list[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def evaluate(ix, queries: list[dict]) -> tuple[dict, list]:
    per = []
    for q in queries:
        rel = q["relevant"]
        hits = ix.search(q["query"], filters={"kind": "section"}, per_page=K, facets=()).hits
        got = [key(h) for h in hits]
        gains = [rel.get(k, 0) for k in got]
        ideal = dcg(sorted(rel.values(), reverse=True)[:K])
        ndcg = dcg(gains) / ideal if ideal else 0.0
        recall = sum(1 for k in rel if k in got) / len(rel)
        rr = next((1 / (i + 1) for i, k in enumerate(got) if rel.get(k, 0) > 0), 0.0)
        per.append({"id": q["id"], "query": q["query"], "ndcg": ndcg, "recall": recall, "rr": rr,
                    "missed": [k for k in rel if k not in got], "top": got[:3]})
    n = len(per)
    return {"nDCG@10": sum(p["ndcg"] for p in per) / n, "recall@10": sum(p["recall"] for p in per) / n,
            "MRR": sum(p["rr"] for p in per) / n}, per


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engines", default="tantivy,whoosh")
    ap.add_argument("--notices", type=Path, default=ROOT / "corpora" / "notices")
    ap.add_argument("--queries", type=Path, default=ROOT / "corpora" / "relevance" / "queries.jsonl")
    ap.add_argument("--show-misses", action="store_true", help="list the queries below nDCG 0.8")
    a = ap.parse_args()
    queries = [json.loads(line) for line in a.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = corpus_items(a.notices)
    n_sections = sum(1 for i in items if i.kind == "section")
    print(f"{len(queries)} judged queries; corpus: {len(items)} items ({n_sections} sections) from {a.notices}")
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    folder = Path(tempfile.mkdtemp(prefix="gongwen-relevance-"))
    results = {}
    for e in engines:
        ix = open_index(folder / e, e)
        ix.add(items)
        t = time.perf_counter()
        results[e] = evaluate(ix, queries)
        results[e][0]["ms/query"] = (time.perf_counter() - t) * 1000 / len(queries)
        ix.close()
    print(f"\n{'':<12}" + "".join(f"{e:>10}" for e in engines))
    for m in ("nDCG@10", "recall@10", "MRR", "ms/query"):
        print(f"{m:<12}" + "".join(f"{results[e][0][m]:>10.3f}" for e in engines))
    if a.show_misses:
        for e in engines:
            print(f"\n{e}: queries below nDCG 0.8")
            for p in results[e][1]:
                if p["ndcg"] < 0.8:
                    print(f"  {p['id']} {p['query']!r} nDCG={p['ndcg']:.2f} recall={p['recall']:.2f}")
                    print(f"      missed: {p['missed']}")
                    print(f"      top: {p['top']}")


if __name__ == "__main__":
    main()
