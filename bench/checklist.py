"""Benchmark: checklist extraction throughput (clauses/s and documents/s) over the
sample notices in corpora/notices, repeated to about 200 documents. Parsing is
timed apart from extraction. Times are CPU seconds of this process (time.process_time):
the figure that holds on a machine shared with other work.

usage: python bench/checklist.py [--docs N]"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from ingest.errors import GongwenError
    from ingest.load import load
    from nlp.checklist import extract
    from nlp.checklist.clauses import clauses, paragraphs, sentences
    from nlp.checklist.extract import clear_caches

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--notices", type=Path, default=ROOT / "corpora" / "notices")
    args = ap.parse_args()

    clock = time.process_time
    docs = []
    t0 = clock()
    for f in sorted(args.notices.iterdir()):
        try:
            docs.append(load(f))
        except GongwenError:
            continue
    parse = clock() - t0
    if not docs:
        print("no readable notices")
        return 1
    n_clauses = {id(d): sum(len(clauses(s.text)) for p in d.parts for sec in [p.preamble, *(x.text for x in p.walk())]
                            for para in paragraphs(sec) for s in sentences(para.text)) for d in docs}
    t0 = clock()
    extract(docs[0])  # first call loads the dictionaries and models, builds the matchers
    warm = clock() - t0

    todo = [docs[i % len(docs)] for i in range(args.docs)]
    print(f"notices: {len(docs)} distinct, parsed in {parse:.2f} CPU-s; first checklist (loading) {warm:.2f} CPU-s")
    # cold: clause caches emptied before each document, as if every notice were new
    for label, cold in (("cold (unseen text)", True), ("warm (repeated text)", False)):
        total_clauses = total_items = 0
        t0 = clock()
        for d in todo:
            if cold:
                clear_caches()
            total_items += len(extract(d).obligations)
            total_clauses += n_clauses[id(d)]
        dt = clock() - t0
        print(f"{label}: {len(todo)} documents, {total_clauses} clauses, {total_items} duties in {dt:.2f} CPU-s"
              f" -> {len(todo) / dt:.1f} documents/s, {total_clauses / dt:.0f} clauses/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
