"""Blind look of a saved tagger at the labelled page passages (corpora/annotations/tagging/pages/,
texts rebuilt from the page cache: nlp/tagging/pages.py): risk and task macro-F1, and for each
status class a person read (settled, denied, rumour, hypothetical, historical, generic) how many
(passage, risk) pairs of that class the tagger raises anyway, plus the passages marked `negated`
that raise a risk they do not hold. Also the paired site bootstrap of two prediction files.

usage: python bench/tag_pages_look.py [--model models/tagger] [--page-cache DIR] [--preds out.jsonl] [--set DIR]
                                     [--missing refuse|skip]
       python bench/tag_pages_look.py --compare A.jsonl B.jsonl [--boot 2000] [--set DIR] [--missing refuse|skip]

--set: the folder of label files to read (default corpora/annotations/tagging/pages; the unseen
sets are corpora/annotations/tagging/pages3 and pages5; pages2 and pages4 are development sets).
--missing skip: the passages of pages the cache lacks are left out, the pages named first and the
figures given on the passages really read; by default a missing page stops the look, and a passage
whose cached text no longer hashes always does.

A prediction file may come from here (a saved model) or from `bench/tag_risk_cv.py --pages ...
--preds` (the page passages held out by site).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.checklist.annotations import MISSING, left_out_lines  # noqa: E402

QUIET = ("settled", "denied", "rumour", "hypothetical", "historical", "generic")


def page_sets(specs: list[str], cache: str | None, missing: str) -> list[dict]:
    """nlp.tagging.pages.page_sets of `specs` (folders relative to the repository or to corpora/; no
    spec: the first page set), the pages left out named on stderr."""
    from nlp.tagging.pages import PAGES
    from nlp.tagging.pages import page_sets as read

    specs = [f"{ROOT / s}" if (ROOT / s.partition("=")[0]).is_dir() else s for s in specs or [str(PAGES)]]
    rows, left = read(ROOT / "corpora", specs, cache, missing)
    for line in left_out_lines(left):  # the figures are on the pages really read: name the rest
        print(line, file=sys.stderr)
    return rows


def status_alarms(gold: list[dict], preds: dict[str, dict]) -> dict[str, list[int]]:
    """status class → [raised, total] over the (passage, risk) pairs a person read with that status."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g in gold:
        raised = {r["id"] if isinstance(r, dict) else r for r in (preds.get(g["id"]) or {}).get("risks", [])}
        for risk, st in g["statuses"].items():
            if st in QUIET and risk not in g["risks"]:
                out[st][1] += 1
                out[st][0] += risk in raised
    return out


def summary(gold: list[dict], preds: dict[str, dict]) -> dict:
    from nlp.tagging.metrics import score

    res = score(gold, list(preds.values()))
    al = status_alarms(gold, preds)
    quiet = [sum(v[0] for v in al.values()), sum(v[1] for v in al.values())]
    return {"risks": res["risks"], "tasks": res["tasks"], "negated": res.get("negated"), "status_alarms": dict(al),
            "quiet_pairs": quiet}


def show(s: dict) -> None:
    v = s["risks"]
    print(f"risks  macro-F1={v['macro_f1']:.3f} micro-F1={v['micro_f1']:.3f}  tasks macro-F1={s['tasks']['macro_f1']:.3f}")
    for lab, x in v["per_label"].items():
        print(f"   {lab:<20} P={x['precision']:.3f} R={x['recall']:.3f} F1={x['f1']:.3f} n={x['support']}")
    n = s["negated"]
    if n:
        print(f"negated passages raising a risk they do not hold: {n['false_alarms']}/{n['n']} ({n['false_alarm_rate']:.1%})")
    q = s["quiet_pairs"]
    print(f"(passage, risk) pairs read as not present or threatened, raised anyway: {q[0]}/{q[1]}")
    for st in QUIET:
        if st in s["status_alarms"]:
            a, t = s["status_alarms"][st]
            print(f"   {st:<13} {a}/{t}")


def compare(gold: list[dict], a: Path, b: Path, boot: int) -> None:
    """Paired bootstrap over sites of B − A: risk macro-F1, negated false alarms, quiet pairs raised."""
    pa = {p["id"]: p for p in map(json.loads, a.read_text(encoding="utf-8").splitlines()) if p["id"] in {g["id"] for g in gold}}
    pb = {p["id"]: p for p in map(json.loads, b.read_text(encoding="utf-8").splitlines()) if p["id"] in {g["id"] for g in gold}}
    sites = sorted({g["site"] for g in gold})
    by = defaultdict(list)
    for g in gold:
        by[g["site"]].append(g)

    def stats(rows, p):
        s = summary(rows, {r["id"]: p.get(r["id"], {"id": r["id"], "risks": []}) for r in rows})
        return s["risks"]["macro_f1"], (s["negated"] or {}).get("false_alarms", 0), s["quiet_pairs"][0]

    sa, sb = stats(gold, pa), stats(gold, pb)
    print(f"A: macro {sa[0]:.3f}, negated FA {sa[1]}, quiet pairs raised {sa[2]};  B: macro {sb[0]:.3f}, {sb[1]}, {sb[2]}")
    rng = np.random.default_rng(0)
    d = []
    for _ in range(boot):
        rows = [r for s in rng.choice(sites, len(sites)) for r in by[s]]
        rows = [{**r, "id": f"{r['id']}#{i}"} for i, r in enumerate(rows)]
        ka = {r["id"]: {**pa.get(r["id"].split("#")[0], {"risks": []}), "id": r["id"]} for r in rows}
        kb = {r["id"]: {**pb.get(r["id"].split("#")[0], {"risks": []}), "id": r["id"]} for r in rows}
        a_, b_ = stats(rows, ka), stats(rows, kb)
        d.append([b_[i] - a_[i] for i in range(3)])
    d = np.array(d)
    for i, name in enumerate(("risk macro-F1", "negated FA", "quiet pairs raised")):
        lo, hi = np.percentile(d[:, i], [5, 95])
        print(f"B − A {name}: {sb[i] - sa[i]:+.3f}  90% [{lo:+.3f}, {hi:+.3f}]  (B better in {np.mean(d[:, i] > 0 if i == 0 else d[:, i] < 0):.0%})")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "tagger")
    ap.add_argument("--page-cache", default=None)
    ap.add_argument("--preds", type=Path, default=None)
    ap.add_argument("--compare", nargs=2, type=Path, default=None)
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--set", type=Path, default=None, help="folder of label files (default the first page set)")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="a page the cache lacks: refuse (default) or leave its passages out, naming it")
    a = ap.parse_args()
    from nlp.tagging import Tagger
    from nlp.tagging.pages import PAGES, PageCacheError, cache_dir, page_set

    try:
        gold, left = page_set(ROOT / "corpora", cache_dir(a.page_cache), a.set.resolve() if a.set else PAGES, a.missing)
    except PageCacheError as e:
        sys.exit(str(e))
    for line in left_out_lines(left):
        print(line)
    print(f"{len(gold)} page passages, {len({g['site'] for g in gold})} sites")
    if a.compare:
        compare(gold, *a.compare, a.boot)
        return 0
    t0 = time.process_time()
    tagger = Tagger.load(a.model)
    preds = {g["id"]: p.to_dict(g["id"], scores=True) for g, p in zip(gold, tagger.predict([g["text"] for g in gold]))}
    print(f"model {a.model}, {time.process_time() - t0:.1f} CPU-s")
    show(summary(gold, preds))
    if a.preds:
        a.preds.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds.values()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
