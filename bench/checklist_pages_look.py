"""A look at the checklist on a page-annotation set (corpora/annotations/checklist-pages*), by site.

Runs the shipped extractor on every annotated page text (read from the page cache) and scores it as
`gongwen eval checklist` does (nlp.checklist.evaluate.score). Prints the pooled figures with a
bootstrap over sites (a site is drawn whole, 90 % percentile intervals), and the misses by class, each
with its site: hard duties not found (recall), items that match no gold duty (precision), quotas /
deadlines / frequencies wrong on found duties, actors not given, metadata fields wrong.

--save FILE keeps the per-notice counts and the misses (they quote page text: keep the file in /tmp,
never in the repository); --against FILE compares with a run saved earlier (another commit) on the same
set, paired by site. The code measured is that of the checkout the script lives in (for another commit,
run the script from a worktree of that commit).

--missing skip leaves out the pages the cache lacks (named first; the figures are then on the notices
really read); by default a missing page stops the look, and a cached text that no longer hashes
always does.

--metadata-only reads the document head alone, without running the checklist (a fraction of the
time): only its metadata line and misses mean anything. DIR may also be the 75 real notices
(corpora/annotations/checklist; their texts are in ../shared, --pages is then unused).

usage: python bench/checklist_pages_look.py DIR --pages CACHE [--save FILE] [--against FILE]
                                            [--draws 4000] [--seed 0] [--quiet] [--missing refuse|skip]
                                            [--metadata-only]"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout this script lives in is the code measured (before bench/ingest.py)

from bench.site_bootstrap import interval, site_draws  # noqa: E402
from nlp.checklist.annotations import MISSING, left_out_lines  # noqa: E402

MEASURES = ("recall", "precision", "qdf", "actors", "metadata")


def look(gold: dict, pred: dict) -> tuple[dict, dict]:
    """Counts (right, total) per measure for one notice, and its misses by class."""
    from nlp.checklist.evaluate import _deadline_key, _quota_key, covers, norm, overlaps, score

    s = score(gold, pred)
    o, a = s["obligations"], s["attributes"]
    fields = (s.get("metadata") or {}).get("fields") or {}
    counts = {
        "recall": [o["found"], o["gold_hard"]],
        "precision": [o["correct_predictions"], o["predicted"]],
        "qdf": [sum(a[k]["correct"] for k in ("quotas", "deadlines", "frequency")),
                sum(a[k]["gold"] for k in ("quotas", "deadlines", "frequency"))],
        "actors": [a["actors"]["correct"], a["actors"]["gold"]],
        "metadata": [sum(bool(v) for v in fields.values()), len(fields)],
    }
    pob = pred.get("obligations", [])
    gob = gold.get("obligations", [])
    miss: dict[str, list] = defaultdict(list)
    for g in gob:
        if g.get("tier") != "hard":
            continue
        preds = [pob[j] for c, j in sorted(((covers(p.get("text", ""), g["text"]), j) for j, p in enumerate(pob)),
                                           reverse=True) if c >= 0.6]
        if not preds:
            near = max(pob, key=lambda p: covers(p.get("text", ""), g["text"]) if len(norm(p.get("text", ""))) else 0,
                       default=None)
            miss["recall"].append({"gold": g["text"], "nearest": near.get("text") if near else None,
                                   "attrs": len(g.get("quotas") or []) + len(g.get("deadlines") or [])
                                   + bool(g.get("frequency")), "actors": g.get("actors") or []})
            continue
        pq = {_quota_key(q) for p in preds for q in p.get("quotas") or []}
        pd = {_deadline_key(d) for p in preds for d in p.get("deadlines") or []}
        pf = {(p.get("frequency") or {}).get("every") for p in preds} - {None}
        for q in g.get("quotas") or []:
            if _quota_key(q) not in pq:
                miss["qdf"].append({"kind": "quota", "gold": [q["text"], q.get("min"), q.get("max")],
                                    "pred": sorted(map(str, pq)), "duty": g["text"]})
        for d in g.get("deadlines") or []:
            if _deadline_key(d) not in pd:
                miss["qdf"].append({"kind": "deadline", "gold": [d["text"], d.get("month"), d.get("day")],
                                    "pred": sorted(map(str, pd)), "duty": g["text"]})
        if g.get("frequency") and g["frequency"].get("every") not in pf:
            miss["qdf"].append({"kind": "frequency", "gold": [g["frequency"]["text"], g["frequency"]["every"]],
                                "pred": sorted(pf), "duty": g["text"]})
        given = [norm(x) for p in preds for x in p.get("actors") or []]
        for actor in g.get("actors") or []:
            if not any(norm(actor) in x or x in norm(actor) for x in given if x):
                miss["actors"].append({"gold": actor, "pred": [x for p in preds for x in p.get("actors") or []],
                                       "duty": g["text"]})
    for p in pob:
        if not any(overlaps(p.get("text", ""), g["text"]) for g in gob):
            miss["precision"].append({"pred": p.get("text"), "tier": p.get("tier")})
    gm, pm = gold.get("metadata") or {}, pred.get("document") or pred.get("metadata") or {}
    for k, ok in fields.items():
        if not ok:
            miss["metadata"].append({"field": k, "gold": gm.get(k), "pred": pm.get(k)})
    return counts, dict(miss)


def run(directory: Path, pages: Path, missing: str = "refuse",
        metadata_only: bool = False) -> tuple[dict, list[tuple[str, str]]]:
    """Per-notice counts and misses, and the pages left out under `missing` (load_set); with
    `metadata_only`, the parsed head alone (no checklist run: only the metadata figure counts)."""
    from ingest.load import load
    from nlp.checklist import extract
    from nlp.checklist.annotations import load_set, source_path
    from nlp.resources import shared_root

    shared = shared_root()
    notices = {}
    pairs, left = load_set(directory, shared, pages, missing)
    for ann, gold in pairs:
        doc = load(source_path(ann, shared, pages))
        pred = {"document": doc.metadata(), "obligations": []} if metadata_only else extract(doc).to_dict()
        counts, miss = look(gold, pred)
        notices[ann["file"]] = {"site": ann["site"], "counts": counts, "misses": miss}
    return notices, left


def by_site(notices: dict) -> dict[str, dict[str, list[int]]]:
    sites: dict[str, dict[str, list[int]]] = {}
    for n in notices.values():
        s = sites.setdefault(n["site"], {m: [0, 0] for m in MEASURES})
        for m in MEASURES:
            s[m][0] += n["counts"][m][0]
            s[m][1] += n["counts"][m][1]
    return sites


def _ratio(rows, m):
    right, total = sum(r[m][0] for r in rows), sum(r[m][1] for r in rows)
    return right / total if total else float("nan")


def bootstrap(sites: dict, draws: int, seed: int, other: dict | None = None) -> dict[str, tuple[float, float]]:
    """90 % percentile interval per measure, sites drawn whole; with `other`, of the paired difference."""
    def vector(counts: dict) -> dict:  # site → (right, total) of each measure in turn
        return {s: [n for m in MEASURES for n in v[m]] for s, v in counts.items()}

    def figures(c: list) -> dict:
        return {m: c[2 * i] / c[2 * i + 1] if c[2 * i + 1] else float("nan") for i, m in enumerate(MEASURES)}

    drawn = site_draws(vector(sites), figures, draws, seed, None if other is None else vector(other))
    return {m: interval(drawn[m]) for m in MEASURES}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("directory", type=Path)
    ap.add_argument("--pages", type=Path, required=True)
    ap.add_argument("--save", type=Path)
    ap.add_argument("--against", type=Path)
    ap.add_argument("--draws", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quiet", action="store_true", help="figures only, no list of misses")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="a page the cache lacks: refuse (default) or skip it, naming it")
    ap.add_argument("--metadata-only", action="store_true",
                    help="read the document head only (fast): the metadata figure alone is meaningful")
    a = ap.parse_args()
    notices, left = run(a.directory, a.pages, a.missing, a.metadata_only)
    for line in left_out_lines(left):
        print(line)
    sites = by_site(notices)
    ci = bootstrap(sites, a.draws, a.seed)
    rows = list(sites.values())
    print(f"{len(notices)} notices, {len(sites)} sites; 90 % intervals from {a.draws} draws of sites")
    shown = ("metadata",) if a.metadata_only else MEASURES
    for m in shown:
        right, total = sum(r[m][0] for r in rows), sum(r[m][1] for r in rows)
        print(f"  {m:9s} {right}/{total} = {_ratio(rows, m):.3f} [{ci[m][0]:.3f}, {ci[m][1]:.3f}]")
    if a.against:
        before = json.loads(a.against.read_text(encoding="utf-8"))
        old = by_site(before["notices"])
        diff = bootstrap(sites, a.draws, a.seed, old)
        print(f"against {a.against} (paired by site, this run minus that one):")
        for m in shown:
            r0 = sum(v[m][0] for v in old.values()), sum(v[m][1] for v in old.values())
            print(f"  {m:9s} {r0[0]}/{r0[1]} -> {sum(r[m][0] for r in rows)}/{sum(r[m][1] for r in rows)}"
                  f"  [{100 * diff[m][0]:+.1f}, {100 * diff[m][1]:+.1f}] points")
    if not a.quiet:
        for m in shown:
            if m == "precision" or any(n["misses"].get(m) for n in notices.values()):
                print(f"\n== {m} misses ==")
            for n in notices.values():
                for x in n["misses"].get(m, []):
                    print(f"  {n['site']}: {json.dumps(x, ensure_ascii=False)}")
    if a.save:
        a.save.write_text(json.dumps({"notices": notices, "left_out": left}, ensure_ascii=False, indent=1),
                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
