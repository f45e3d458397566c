"""False alarms on quiet risks, per partition: for prediction files of the batches' grouped CV
(`bench/tag_risk_cv.py --preds`) or of the first page set (held out by `bench/tag_risk_cv.py
--pages score --preds`, or a saved model's `bench/tag_pages_look.py --preds`), the risk
macro-F1, the recall of the risks a passage holds (a fix must not buy quiet by losing them),
the negated passages raising a risk they do not hold, and the quiet (passage, risk) pairs
raised, by the status a person read; with two files, the paired site bootstrap of B − A.

usage: python bench/tag_quiet_look.py batches A.jsonl [B.jsonl] [--boot 2000]
       python bench/tag_quiet_look.py pages|pooled A.jsonl [B.jsonl] [--page-cache DIR] [--page-set FOLDER[=CACHE] ...]
                                     [--missing skip] [--boot 2000]

`pooled`: the batches and the page sets in one pool (a prediction file of `bench/tag_risk_cv.py --pages
score|train` holds both, every passage tagged by a fold that held its site out): each partition (the
batches, each page set by its id prefix) first, then the pool, the bootstrap drawing the pool's sites.

A quiet pair is a (passage, risk) the passage does not hold while naming it. Its status: on the
page set the labeller's per-risk status; on the batches the most frequent status of its
hand-labelled mentions (corpora/annotations/tagging/real_mentions.jsonl; the later one on a tie),
pairs whose mentions were all read present or threatened left out (the passage labels of the
other hand do not hold them: a disagreement, not a quiet pair).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.checklist.annotations import MISSING  # noqa: E402

QUIET = ("settled", "denied", "rumour", "hypothetical", "historical", "generic")


def _ids(xs) -> set[str]:
    return {x["id"] if isinstance(x, dict) else x for x in xs or []}


def batch_gold() -> list[dict]:
    """The batches' passages with `statuses`: risk → the status of its quiet pairs (above)."""
    from nlp.tagging.train import read_statuses, training_rows

    corpora = ROOT / "corpora"
    _, real = training_rows(corpora, 1)
    by: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for (pid, s, _e, risk), st in read_statuses(corpora, real).items():
        by[pid, risk].append((s, st))
    out = []
    for r in real:
        sts = {}
        for (pid, risk), ms in by.items():
            if pid != r["id"] or risk in (r.get("risks") or []):
                continue
            q = [st for _, st in sorted(ms) if st in QUIET]
            if q:
                c = Counter(q)
                top = max(c.values())
                sts[risk] = [st for st in q if c[st] == top][-1]
        out.append({**r, "statuses": sts})
    return out


def stats(gold: list[dict], pred: dict[str, dict]) -> dict:
    from nlp.tagging.metrics import score_field

    g = {r["id"]: r for r in gold}
    p = {k: pred.get(k.split("#")[0], {"risks": []}) for k in g}
    macro = score_field(g, p, "risks")["macro_f1"]
    held = found = neg_fa = 0
    by = defaultdict(lambda: [0, 0])
    for k, r in g.items():
        raised, gold_r = _ids(p[k].get("risks")), set(r.get("risks") or [])
        held += len(gold_r)
        found += len(gold_r & raised)
        neg_fa += bool(r.get("negated")) and bool(raised - gold_r)
        for risk, st in (r.get("statuses") or {}).items():
            if st in QUIET and risk not in gold_r:
                by[st][1] += 1
                by[st][0] += risk in raised
    return {"macro": macro, "recall": found / max(1, held), "found": found, "held": held, "neg_fa": neg_fa,
            "neg": sum(bool(r.get("negated")) for r in gold), "quiet": sum(v[0] for v in by.values()),
            "quiet_n": sum(v[1] for v in by.values()), "by": dict(by)}


def show(name: str, s: dict) -> None:
    by = ", ".join(f"{st} {s['by'][st][0]}/{s['by'][st][1]}" for st in QUIET if st in s["by"])
    print(f"{name}: risk macro-F1 {s['macro']:.3f}; held risks found {s['found']}/{s['held']} = {s['recall']:.3f}; "
          f"negated raising {s['neg_fa']}/{s['neg']}; quiet pairs raised {s['quiet']}/{s['quiet_n']} ({by})")


def partitions(gold: list[dict]) -> dict[str, list[dict]]:
    """The batches and each page set apart (a page passage's id prefix names its set: pg-, pg2-, pg4-)."""
    out = defaultdict(list)
    for g in gold:
        out[g["id"].split("-")[0] if g["id"].startswith("pg") else "batches"].append(g)
    return dict(out)


def read_preds(path: Path) -> dict[str, dict]:
    return {str(p["id"]): p for p in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if p}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("partition", choices=("batches", "pages", "pooled"))
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--page-cache", default=None)
    ap.add_argument("--page-set", action="append", default=[], metavar="FOLDER[=CACHE]",
                    help="page sets pooled, as bench/tag_risk_cv.py reads them (default the first page set)")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="a page the page cache lacks: refuse (default) or leave its passages out, naming it")
    ap.add_argument("--boot", type=int, default=2000)
    a = ap.parse_args()
    gold = []
    if a.partition in ("pages", "pooled"):
        from bench.tag_pages_look import page_sets
        from nlp.tagging.pages import PageCacheError

        try:
            gold = page_sets(a.page_set, a.page_cache, a.missing)
        except PageCacheError as e:
            sys.exit(str(e))
    if a.partition in ("batches", "pooled"):
        gold = batch_gold() + gold
    runs = [read_preds(f) for f in a.files[:2]]
    missing = [k for r in runs for k in (g["id"] for g in gold) if k not in r]
    if missing:
        sys.exit(f"预测文件缺少 {len(missing)} 条段落（如 {missing[0]}）：无法评估")
    print(f"{a.partition}: {len(gold)} passages, {len({g['site'] for g in gold})} sites")
    if a.partition == "pooled":
        for part, rows in sorted(partitions(gold).items()):
            print(f"-- {part}: {len(rows)} passages, {len({g['site'] for g in rows})} sites")
            for f, r in zip(a.files, runs):
                show(f.name, stats(rows, r))
        print("-- pooled")
    full = [stats(gold, r) for r in runs]
    for f, s in zip(a.files, full):
        show(f.name, s)
    if len(runs) < 2:
        return 0
    by_site = defaultdict(list)
    for g in gold:
        by_site[g["site"]].append(g)
    sites = sorted(by_site)
    rng = np.random.default_rng(0)
    keys = ("macro", "recall", "neg_fa", "quiet")
    d = []
    for _ in range(a.boot):
        rows = [{**g, "id": f"{g['id']}#{n}"} for n, g in
                enumerate(g for s in rng.choice(sites, len(sites)) for g in by_site[s])]
        sa, sb = (stats(rows, r) for r in runs)
        d.append([sb[k] - sa[k] for k in keys])
    d = np.array(d)
    for i, k in enumerate(keys):
        lo, hi = np.percentile(d[:, i], [5, 95])
        print(f"B − A {k}: {full[1][k] - full[0][k]:+.3f}  90% site bootstrap [{lo:+.3f}, {hi:+.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
