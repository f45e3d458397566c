"""Error analysis of quotas, deadlines and frequency on the checklist's grouped CV.

Runs `duty_model.cross_validate` (grouped by site, with the inner CV that picks each outer
fold's thresholds, as shipped) and, for every hard gold duty an item matches, compares its
quotas, deadlines and frequency with what the matched items carry (the scorer's keys:
quota (min, max), deadline (month, day), frequency `every`). Prints q+d+f pooled and per
corpus, a paired-by-site bootstrap against a saved run (--against), and with --show every
disagreement with the gold and predicted values (shared text: never commit the output).
--save writes the per-site counts and the disagreements to a JSON file (keep it in /tmp).

usage: python bench/checklist_attrs.py [--seed N] [--fixed] [--save FILE] [--against FILE] [--show]"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.site_bootstrap import interval, site_draws  # noqa: E402

KINDS = ("quotas", "deadlines", "frequency")


def _qkey(q):
    from nlp.checklist.evaluate import _num

    return (_num(q.get("min")), _num(q.get("max")))


def _dkey(d):
    return (d.get("month"), d.get("day"))


def compare(gold: dict, pred: dict) -> tuple[dict, list]:
    """Per kind (correct, total) over the hard gold duties; the disagreements of the
    found ones: (kind, gold duty text, gold value, predicted values, matched item texts);
    the missed hard duties that carry attributes."""
    from nlp.checklist.evaluate import covers

    pob = pred.get("obligations", [])
    counts = {k: [0, 0] for k in KINDS}
    counts["found"] = [0, 0]
    wrong = []
    missed = []  # (gold duty text, its attribute count) of hard duties no item matches
    for g in gold.get("obligations", []):
        if g.get("tier") != "hard":
            continue
        preds = [pob[j] for c, j in sorted(((covers(p.get("text", ""), g["text"]), j) for j, p in enumerate(pob)),
                                           reverse=True) if c >= 0.6]
        counts["found"][1] += 1
        counts["found"][0] += bool(preds)
        pq = {_qkey(q) for p in preds for q in p.get("quotas") or []}
        pd = {_dkey(d) for p in preds for d in p.get("deadlines") or []}
        pf = {(p.get("frequency") or {}).get("every") for p in preds} - {None}
        ptext = [p.get("text", "") for p in preds]
        n_attrs = len(g.get("quotas") or []) + len(g.get("deadlines") or []) + bool(g.get("frequency"))
        if not preds and n_attrs:
            missed.append((g["text"], n_attrs))
        for q in g.get("quotas") or []:
            ok = _qkey(q) in pq
            counts["quotas"][1] += 1
            counts["quotas"][0] += ok
            if preds and not ok:
                wrong.append(("quotas", g["text"], q, [q2 for p in preds for q2 in p.get("quotas") or []], ptext))
        for d in g.get("deadlines") or []:
            ok = _dkey(d) in pd
            counts["deadlines"][1] += 1
            counts["deadlines"][0] += ok
            if preds and not ok:
                wrong.append(("deadlines", g["text"], d, [d2 for p in preds for d2 in p.get("deadlines") or []], ptext))
        if g.get("frequency"):
            ok = g["frequency"].get("every") in pf
            counts["frequency"][1] += 1
            counts["frequency"][0] += ok
            if preds and not ok:
                wrong.append(("frequency", g["text"], g["frequency"], [p.get("frequency") for p in preds], ptext))
    return counts, wrong, missed


def run(seed: int | None, pages: Path | None = None, fixed: bool = False) -> dict:
    from sklearn.model_selection import GroupKFold

    from bench.checklist_misses import kind_of
    from nlp.checklist import actor_model
    from nlp.checklist import duty_model as dm
    from nlp.checklist.evaluate import score
    from nlp.resources import shared_root

    shared = shared_root(ROOT)
    real = dm.real_examples(ROOT / "corpora/annotations/checklist", shared)
    if pages:  # the page notices too (their cache given): one grouped CV over both sets
        real += dm.page_examples(pages, shared)
    kept: dict = {}
    cv = dm.cross_validate(real, shared, keep=kept, seed=seed)
    groups = [e.group for e in real]
    k = min(5, len(set(groups)))
    kfold = GroupKFold(n_splits=k) if seed is None else GroupKFold(n_splits=k, shuffle=True, random_state=seed)
    pair_of = {}
    for i, (_, test) in enumerate(kfold.split(real, groups=groups)):
        a, b = (dm.KEEP_BELOW, dm.ADD_ABOVE) if fixed else (float(x) for x in cv["inner_choices"][i].split("/"))
        for j in test:
            pair_of[real[j].name] = (a, b)
    per_doc = {}
    for name, (e, probs, crf) in kept.items():
        cl = dm._rebuild(e, probs, *pair_of[name]) if len(probs) else e.checklist
        if crf is not None:
            cl = actor_model.resolve(crf, copy.deepcopy(cl))
        counts, wrong, missed = compare(e.gold, cl.to_dict())
        # why each missed duty with attributes is missed (bench/checklist_misses.py's kinds)
        missed = [(kind_of(text, e.cands), n) for text, n in missed]
        sc = score(e.gold, cl.to_dict())  # recall, precision and actors, for a paired bootstrap of those too
        per_doc[name] = {"site": e.group, "counts": counts, "wrong": wrong, "missed": missed,
                         "score": {**sc["obligations"], "actors": sc["attributes"]["actors"]["correct"],
                                   "actors_gold": sc["attributes"]["actors"]["gold"]}}
    return {"seed": seed, "brief": dm._brief_cv(cv), "docs": per_doc}


def qdf(docs: dict, names=None) -> tuple[int, int]:
    ok = tot = 0
    for n, d in docs.items():
        if names is None or n in names:
            for k in KINDS:
                ok += d["counts"][k][0]
                tot += d["counts"][k][1]
    return ok, tot


def bootstrap(a: dict, b: dict, n: int = 2000) -> tuple[float, float]:
    """90 % interval of (b − a) q+d+f, resampling sites with replacement (paired)."""
    def per_site(docs: dict) -> dict:
        sites = defaultdict(lambda: [0, 0])
        for d in docs.values():
            ok, tot = qdf({"": d})
            sites[d["site"]][0] += ok
            sites[d["site"]][1] += tot
        return sites

    drawn = site_draws(per_site(b), lambda c: {"qdf": c[0] / c[1] if c[1] else 0}, n, 0, against=per_site(a))
    return interval(drawn["qdf"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--pages", type=Path, default=None,
                    help="page cache of corpora/annotations/checklist-pages: those notices join the CV (train and test)")
    ap.add_argument("--fixed", action="store_true",
                    help="the shipped thresholds in every fold, not each fold's inner choice (which is noisy)")
    ap.add_argument("--save", type=Path, default=None)
    ap.add_argument("--load", type=Path, default=None, help="a saved run instead of a new CV")
    ap.add_argument("--against", type=Path, default=None)
    ap.add_argument("--show", action="store_true", help="print each disagreement (shared text: do not commit)")
    args = ap.parse_args()
    res = json.loads(args.load.read_text(encoding="utf-8")) if args.load else run(args.seed, args.pages, args.fixed)
    if args.save:
        args.save.write_text(json.dumps(res, ensure_ascii=False, indent=0), encoding="utf-8")
    docs = res["docs"]
    ok, tot = qdf(docs)
    print(f"seed {res['seed']}: q+d+f {ok}/{tot} = {ok / tot:.3f}; cv {json.dumps(res['brief'].get('inner'), ensure_ascii=False)}")
    for k in KINDS:
        c = sum(d["counts"][k][0] for d in docs.values())
        t = sum(d["counts"][k][1] for d in docs.values())
        print(f"  {k:10s} {c}/{t}")
    for corpus in sorted({n.split('/')[0] for n in docs}):
        o, t = qdf(docs, {n for n in docs if n.split("/")[0] == corpus})
        print(f"  {corpus:14s} {o}/{t}")
    wrong = [(d["site"], w) for d in docs.values() for w in d["wrong"]]
    print(f"disagreements on found duties: {len(wrong)} in {len({s for s, _ in wrong})} sites")
    lost = defaultdict(lambda: [0, set()])
    for d in docs.values():
        for why, n in d.get("missed", []):
            lost[why][0] += n
            lost[why][1].add(d["site"])
    if lost:
        print("attributes of missed duties, by why the duty is missed: " + ", ".join(
            f"{why} {n} ({len(s)} sites)" for why, (n, s) in sorted(lost.items(), key=lambda kv: -kv[1][0])))
    if args.against:
        base = json.loads(args.against.read_text(encoding="utf-8"))["docs"]
        bo, bt = qdf(base)
        lo, hi = bootstrap(base, docs)
        print(f"against {args.against.name}: {bo}/{bt} = {bo / bt:.3f} -> {ok / tot:.3f}; "
              f"site bootstrap 90 % [{lo * 100:+.1f}, {hi * 100:+.1f}] points")
        for n in sorted(docs):
            x, y = qdf({n: base[n]}), qdf({n: docs[n]})
            if x[0] != y[0] or x[1] != y[1]:
                print(f"    {docs[n]['site']:16s} {x[0]}/{x[1]} -> {y[0]}/{y[1]}")
    if args.show:
        for site, (kind, text, g, p, ptext) in sorted(wrong, key=lambda x: (x[1][0], x[0])):
            print(f"{kind:9s} {site:14s} gold {json.dumps(g, ensure_ascii=False)}\n      pred {json.dumps(p, ensure_ascii=False)}\n"
                  f"      G: {text}\n" + "".join(f"      P: {t}\n" for t in ptext))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
