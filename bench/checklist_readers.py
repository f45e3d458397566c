"""The attribute readers alone on the gold's own duty texts: quotas, deadlines and
frequency of every hard gold duty of the annotated real notices, read from the duty's
text as the annotators cut it (no segmentation, no duty stage, no context inheritance),
compared with the gold by the scorer's keys (quota (min, max), deadline (month, day),
frequency `every`). It says which forms the readers miss, apart from where the pipeline
cuts; a duty whose time comes from its heading or sentence shows as a miss here too
(`--show` prints each, shared text: never commit the output).

usage: python bench/checklist_readers.py [--show]"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def read(text: str, year: int | None):
    from ingest.simplified import to_simplified
    from nlp.checklist.clauses import strip_punct
    from nlp.checklist.deadlines import date_spans, find_deadlines
    from nlp.checklist.frequency import find_frequencies
    from nlp.checklist.quantities import find_quotas

    plain = strip_punct(to_simplified(text))
    dls = find_deadlines(plain, year)
    quotas = find_quotas(plain, date_spans(plain) + [(d.start, d.end) for d in dls])
    return quotas, dls, find_frequencies(plain)


def main() -> int:
    from nlp.checklist.annotations import load_all
    from nlp.checklist.evaluate import _num
    from nlp.resources import shared_root

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    shared = shared_root(ROOT)
    tot = defaultdict(lambda: [0, 0])
    sites = defaultdict(set)
    shown = []
    for ann, gold in load_all(ROOT / "corpora/annotations/checklist", shared):
        site = ann.get("site") or ann["file"].split("/")[-2]
        date = (gold.get("metadata") or {}).get("date") or ""
        year = int(date[:4]) if date[:4].isdigit() else None
        for g in gold.get("obligations", []):
            if g.get("tier") != "hard":
                continue
            quotas, dls, freqs = read(g["text"], year)
            pq = {(_num(q.min), _num(q.max)) for q in quotas}
            pd = {(d.month, d.day) for d in dls}
            pf = {f.every for f in freqs}
            checks = [("quotas", (_num(q.get("min")), _num(q.get("max"))), q, pq) for q in g.get("quotas") or []]
            checks += [("deadlines", (d.get("month"), d.get("day")), d, pd) for d in g.get("deadlines") or []]
            if g.get("frequency"):
                checks.append(("frequency", g["frequency"].get("every"), g["frequency"], pf))
            for kind, key, gv, got in checks:
                tot[kind][1] += 1
                tot[kind][0] += key in got
                if key not in got:
                    sites[kind].add(site)
                    shown.append((kind, site, gv, [q.to_dict() for q in quotas] if kind == "quotas" else
                                  [d.to_dict() for d in dls] if kind == "deadlines" else [f.to_dict() for f in freqs],
                                  g["text"]))
    for k, (ok, n) in tot.items():
        print(f"{k:10s} {ok}/{n} = {ok / n:.3f}; wrong in {len(sites[k])} sites")
    if args.show:
        for kind, site, gv, got, text in sorted(shown, key=lambda x: (x[0], x[1])):
            print(f"{kind:9s} {site:16s} gold {json.dumps(gv, ensure_ascii=False)}\n"
                  f"      read {json.dumps(got, ensure_ascii=False)}\n      G: {re.sub(chr(10), ' ', text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
