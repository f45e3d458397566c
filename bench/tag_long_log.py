"""CPU-seconds to tag one long field log, by length: the worst case of `Tagger.predict`'s cost.

A made-up log repeating one short complaint (each piece a risk mention with cues around it,
the shape that made tagging cost mentions × cues) is tagged at each length, in this process,
timed with `time.process_time` after a warm-up. `--at-limit` adds the length ingest.settings.
MAX_LOG_CHARS allows (POST /api/logs and `gongwen log add`).

    python bench/tag_long_log.py [--chars 30000,120000,420000] [--at-limit]

On 2026-12-07 (2 cores, others running), one complaint repeated: before the mention's scans
were bounded (517b575), 120,000 characters took 83 CPU-s; after, 30,000 / 100,000 / 420,000 /
1,000,000 characters took 0.6 / 2.5 / 10.3 / 26.3 CPU-s (linear). At the limit (100,000):
complaint 2.5, rumour 3.6, one sentence 5.9 (before: 62 CPU-s for 30,000 characters of it).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PIECES = {
    "complaint": "工人反映工资拖欠，已登记转办。",
    "rumour": "听说厂里拖欠工资，工人说已经发了。",
    "one sentence": "工人反映工资拖欠，目前没有解决，",  # no sentence end: one sentence of the whole log
}


def main() -> None:
    from ingest.settings import MAX_LOG_CHARS
    from nlp.tagging import Tagger

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", default="30000,120000")
    ap.add_argument("--at-limit", action="store_true", help=f"also at MAX_LOG_CHARS ({MAX_LOG_CHARS:,})")
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "tagger")
    a = ap.parse_args()
    sizes = [int(x) for x in a.chars.split(",") if x]
    if a.at_limit:
        sizes.append(MAX_LOG_CHARS)
    tagger = Tagger.load(a.model)
    tagger.predict(["工人反映工资拖欠"])  # warm-up: lazy tables
    print(f"{'piece':<14}{'characters':>12}{'CPU-s':>9}")
    for name, piece in PIECES.items():
        for n in sizes:
            text = (piece * (n // len(piece) + 1))[:n]
            t = time.process_time()
            tagger.predict([text])
            print(f"{name:<14}{len(text):>12,}{time.process_time() - t:>9.2f}", flush=True)


if __name__ == "__main__":
    main()
