"""Relevance of search, on two judged sets, both engines.

* `--set sample` (default): the project's own notices (corpora/notices/*), the judged
  queries of corpora/relevance/queries.jsonl, section search (kind=section).
* `--set real`: the real notices others published (../shared/real-corpus/notices*/,
  ../shared/real-notices, ../shared/seeds), the queries of
  corpora/relevance/real_queries.jsonl (written before any result was seen) and
  their judgments in corpora/relevance/real_judgments.jsonl. Passage search:
  sections, and documents (a notice without numbered headings has no section, so
  its document item is its only passage). A judged passage is named
  "<path under shared/>#<hash of its heading path and text>" ("…@doc" for the
  document item), never by its text or headings, so the shared text stays out
  of the repository.

Prints nDCG@10 (graded: 2 = answers the query, 1 = related), recall@10 and MRR,
overall and per query type; for no-answer queries (no passage judged 1 or 2) it
prints how many came back empty ("silent").

    python bench/relevance.py [--set real] [--engines tantivy,whoosh] [--show-misses]
    python bench/relevance.py --set real --pool ID[,ID…]   # pooled candidates to judge
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.search import items_from_document, open_index  # noqa: E402
from ingest.load import load  # noqa: E402

K = 10

def shared_dir() -> Path:
    """The shared real texts: $GONGWEN_SHARED, else ../shared beside the checkout (CI),
    else beside the folder of worktrees."""
    import os

    env = os.environ.get("GONGWEN_SHARED")
    cands = [Path(env)] if env else [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    return next((c for c in cands if c.is_dir()), cands[0])


SHARED = shared_dir()
SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".doc")


def corpus_items(folder: Path) -> list:
    items = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in SUFFIXES:
            items += items_from_document(load(p))
    return items


def real_files(shared: Path = SHARED) -> list[Path]:
    files = sorted(shared.glob("real-corpus/notices*/*/*.txt"))
    files += sorted(p for p in (shared / "real-notices").glob("*") if p.suffix.lower() in SUFFIXES)
    files += sorted((shared / "seeds").glob("*.txt"))
    return files


def real_items(shared: Path = SHARED) -> tuple[list, dict[str, str]]:
    """Items of the real notices and doc_id → path under shared/ (file names repeat
    across sites, so the path names a notice). Files the readers refuse (a scan
    without a text layer) are skipped, as an import would skip them."""
    from ingest.errors import GongwenError

    items, where = [], {}
    for p in real_files(shared):
        try:
            doc = load(p)
        except GongwenError:
            continue
        its = items_from_document(doc)
        where[its[0].doc_id] = str(p.relative_to(shared))
        items += its
    return items, where


def real_key(path: str, kind: str, extras: dict, item_path: str = "", text: str = "") -> str:
    """A passage of the real set: its file under shared/ and a hash of its heading
    path and text ("@doc" for the document item) — no text of theirs, and stable
    when a parser change moves the passage within the parsed text."""
    if kind == "document":
        return f"{path}@doc"
    digest = hashlib.sha1(" ".join(f"{item_path}\n{text}".split()).encode("utf-8")).hexdigest()[:10]
    return f"{path}#{digest}"


def dcg(gains: list[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_key(hit) -> str:
    return f"{hit.fields['extras']['source']}#{hit.path}"


def evaluate(ix, queries: list[dict], key=sample_key, kinds="section") -> tuple[dict, list]:
    """Figures over all queries (with "by_type": the same per query type) and per query."""
    per = []
    for q in queries:
        rel = {k: g for k, g in q["relevant"].items() if g > 0}
        hits = ix.search(q["query"], filters={"kind": kinds}, per_page=K, facets=()).hits
        got = list(dict.fromkeys(key(h) for h in hits))
        row = {"id": q["id"], "type": q.get("type", "sample"), "query": q["query"], "top": got[:3], "n": len(got)}
        if rel:
            gains = [rel.get(k, 0) for k in got]
            ideal = dcg(sorted(rel.values(), reverse=True)[:K])
            row.update(ndcg=dcg(gains) / ideal, recall=sum(1 for k in rel if k in got) / len(rel),
                       rr=next((1 / (i + 1) for i, k in enumerate(got) if rel.get(k, 0) > 0), 0.0),
                       missed=[k for k in rel if k not in got])
        per.append(row)
    by_type = summarize(per)
    return {**by_type["all"], "by_type": by_type}, per


def summarize(per: list[dict]) -> dict:
    out: dict = {}
    groups = defaultdict(list)
    for p in per:
        groups["all"].append(p)
        groups[p["type"]].append(p)
    for name, ps in groups.items():
        judged = [p for p in ps if "ndcg" in p]
        empty = [p for p in ps if "ndcg" not in p]
        m = {"n": len(ps)}
        if judged:
            m.update({"nDCG@10": sum(p["ndcg"] for p in judged) / len(judged),
                      "recall@10": sum(p["recall"] for p in judged) / len(judged),
                      "MRR": sum(p["rr"] for p in judged) / len(judged)})
        if empty:
            m["silent"] = sum(1 for p in empty if p["n"] == 0) / len(empty)
        out[name] = m
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("sample", "real"), default="sample")
    ap.add_argument("--engines", default="tantivy,whoosh")
    ap.add_argument("--notices", type=Path, default=ROOT / "corpora" / "notices")
    ap.add_argument("--queries", type=Path)
    ap.add_argument("--show-misses", action="store_true", help="list the queries below nDCG 0.8")
    ap.add_argument("--pool", help="query ids (or 'all'): print the pooled top hits of every engine, to judge")
    ap.add_argument("--json", type=Path, help="write the per-query figures here")
    a = ap.parse_args()
    if a.set == "real":
        queries = load_jsonl(a.queries or ROOT / "corpora" / "relevance" / "real_queries.jsonl")
        judged = {j["id"]: j["relevant"] for j in load_jsonl(ROOT / "corpora" / "relevance" / "real_judgments.jsonl")} \
            if (ROOT / "corpora" / "relevance" / "real_judgments.jsonl").exists() else {}
        for q in queries:
            q["relevant"] = judged.get(q["id"], {})
        items, where = real_items()
        texts = {it.id: it.text for it in items}
        kinds = ["section", "document"]

        def key(hit) -> str:
            return real_key(where.get(hit.doc_id, hit.doc_id), hit.kind, {}, hit.path, texts.get(hit.id, ""))
        src = SHARED
    else:
        queries = load_jsonl(a.queries or ROOT / "corpora" / "relevance" / "queries.jsonl")
        items = corpus_items(a.notices)
        kinds = "section"
        key = sample_key
        src = a.notices
    n_sections = sum(1 for i in items if i.kind == "section")
    print(f"{len(queries)} queries; corpus: {len(items)} items ({n_sections} sections) from {src}")
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    folder = Path(tempfile.mkdtemp(prefix="gongwen-relevance-"))
    if a.pool:
        want = None if a.pool == "all" else set(a.pool.split(","))
        texts = {}
        for it in items:
            texts[it.id] = it.text
        pools: dict[str, dict[str, str]] = defaultdict(dict)
        for e in engines:
            ix = open_index(folder / e, e)
            ix.add(items)
            for q in queries:
                if want is None or q["id"] in want:
                    for h in ix.search(q["query"], filters={"kind": kinds}, per_page=K, facets=()).hits:
                        pools[q["id"]].setdefault(key(h), " ".join(texts.get(h.id, "").split())[:70])
            ix.close()
        for q in queries:
            if q["id"] in pools or (want and q["id"] in want):
                print(f"\n{q['id']} [{q.get('type')}] {q['query']}")
                for k, t in pools.get(q["id"], {}).items():
                    print(f"   {q['relevant'].get(k, '?')} {k}  | {t}")
        return
    results = {}
    for e in engines:
        ix = open_index(folder / e, e)
        ix.add(items)
        t = time.perf_counter()
        results[e] = evaluate(ix, queries, key, kinds)
        results[e][0]["ms/query"] = (time.perf_counter() - t) * 1000 / len(queries)
        ix.close()
    types = list(results[engines[0]][0]["by_type"])
    cols = [(e, m) for e in engines for m in ("nDCG@10", "recall@10", "MRR")]
    print(f"\n{'type':<13}{'n':>4}" + "".join(f"{e[:4] + ' ' + m.split('@')[0][:4]:>11}" for e, m in cols))
    for t in types:
        row = f"{t:<13}{results[engines[0]][0]['by_type'][t]['n']:>4}"
        for e, m in cols:
            r = results[e][0]["by_type"][t]
            row += f"{r[m]:>11.3f}" if m in r else (f"{'silent ' + format(r['silent'], '.1f'):>11}" if m == "nDCG@10" and "silent" in r else f"{'':>11}")
        print(row)
    print("ms/query: " + "  ".join(f"{e} {results[e][0]['ms/query']:.1f}" for e in engines))
    if a.json:
        a.json.write_text(json.dumps({e: {"summary": results[e][0], "per": results[e][1]} for e in engines},
                                     ensure_ascii=False, indent=1), encoding="utf-8")
    if a.show_misses:
        for e in engines:
            print(f"\n{e}: queries below nDCG 0.8")
            for p in results[e][1]:
                if p.get("ndcg", 1) < 0.8:
                    print(f"  {p['id']} {p['query']!r} nDCG={p['ndcg']:.2f} recall={p['recall']:.2f}")
                    print(f"      missed: {p['missed']}")
                    print(f"      top: {p['top']}")


if __name__ == "__main__":
    main()
