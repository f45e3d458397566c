"""Error analysis of the checklist's grouped CV: which kind of miss each missed hard duty is.

Runs `duty_model.cross_validate` (grouped by site, no inner CV) on the annotated real
notices and sorts every hard gold duty that no item matches at the given thresholds:

- rejected: a candidate covers it (as the scorer counts) but the duty stage drops it
  (`rejected` a rule item, `rejected+` a left-over clause it did not add);
- inside: it sits inside a candidate too long to match (the split stage left it in a
  longer item, or a left-over sentence was not cut);
- cut: shorter candidates cover it only together (the rules or the split stage cut it;
  `cut;` when the duty runs over a ；, where sentences end);
- none: no candidate covers it.

Prints duties and sites per kind, so that the class worth a change is the one seen in
most sites. Texts of the shared notices are printed only with --show (never copy them
into the repository).

Thresholds default to the shipped ones (models/checklist/duty.json), else the fixed pair.

usage: python bench/checklist_misses.py [--seed N] [--keep-below P] [--add-above P] [--show]"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _raw_cover(pred: str, gold: str) -> float:
    """The share of the gold's bigrams in `pred`, with no bound on its length."""
    from nlp.checklist.evaluate import bigrams, norm

    g = bigrams(norm(gold))
    return len(g & bigrams(norm(pred))) / len(g) if g else 0.0


def kind_of(gold: str, cands: list) -> str:
    from nlp.checklist.evaluate import covers

    covering = [c for c in cands if covers(c.text, gold) >= 0.6]
    if covering:
        return "rejected" if any(c.rule is not None for c in covering) else "rejected+"
    if any(_raw_cover(c.text, gold) >= 0.6 for c in cands):
        return "inside"
    parts = [c for c in cands if _raw_cover(c.text, gold) > 0.15 and len(c.text) < len(gold)]
    if len(parts) >= 2 and _raw_cover("".join(c.text for c in parts), gold) >= 0.6:
        return "cut;" if re.search(r"[；;].", gold.strip()) else "cut"
    return "none"


def main() -> int:
    from nlp.checklist import actor_model
    from nlp.checklist import duty_model as dm
    from nlp.checklist.annotations import load_all
    from nlp.checklist.evaluate import covers
    from nlp.resources import shared_root

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=None)
    shipped = dm.load_model()  # (weights, keep-below, add-above) of the shipped stage, or None
    kb, aa = shipped[1:] if shipped else (dm.KEEP_BELOW, dm.ADD_ABOVE)
    ap.add_argument("--keep-below", type=float, default=kb)
    ap.add_argument("--add-above", type=float, default=aa)
    ap.add_argument("--show", action="store_true", help="print each missed duty (shared text: do not commit)")
    args = ap.parse_args()

    shared = shared_root(ROOT)
    kept: dict = {}
    dm.cross_validate(load_all(ROOT / "corpora/annotations/checklist", shared), shared, keep=kept,
                      seed=args.seed, inner=0)
    kinds: dict[str, list] = defaultdict(list)
    for name, (e, probs, crf) in kept.items():
        cl = dm._rebuild(e, probs, args.keep_below, args.add_above) if len(probs) else e.checklist
        if crf is not None:
            cl = actor_model.resolve(crf, copy.deepcopy(cl))
        items = [o.text for o in cl.obligations]
        for g in e.gold.get("obligations", []):
            if g.get("tier") != "hard" or any(covers(t, g["text"]) >= 0.6 for t in items):
                continue
            kinds[kind_of(g["text"], e.cands)].append((e.group, name, g["text"]))
    total = sum(len(v) for v in kinds.values())
    print(f"missed hard duties at {args.keep_below}/{args.add_above} (seed {args.seed}): {total} "
          f"in {len({s for v in kinds.values() for s, _, _ in v})} sites")
    for k, v in sorted(kinds.items(), key=lambda kv: -len({s for s, _, _ in kv[1]})):
        print(f"  {k:9s} {len(v):3d} duties {len({s for s, _, _ in v}):3d} sites")
        if args.show:
            for site, name, text in v:
                print(f"      {site:16s} {name[-24:]:24s} {text[:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
