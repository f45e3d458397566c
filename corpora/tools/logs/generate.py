"""Generate the labelled field-log corpus: corpora/logs/train.jsonl and test.jsonl.

usage: python corpora/tools/logs/generate.py [--train N] [--test N] [--seed S] [--out DIR]

Train comes from the train hand (bank_train), test from the test hand (bank_test)
plus the hand-labelled passages of handwritten_test. Output is deterministic for
a given seed. Exact texts shared by both splits are dropped from test. Train rows
also carry `parts`: each sentence with its own labels and mode (activity, errand,
present, implied, denied, settled, response); test rows do not.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import engine  # noqa: E402


def build(hand, n, seed, prefix, s2t, seen=frozenset()):
    rng = random.Random(seed)
    counts: dict = {}
    rows, texts = [], set()
    tries = 0
    while len(rows) < n and tries < n * 20:
        tries += 1
        r = engine.compose(hand, rng, counts, s2t=s2t, p=getattr(hand, "PROBS", None))
        if r["text"] in texts or r["text"] in seen:
            continue
        texts.add(r["text"])
        rows.append({"id": f"{prefix}-{len(rows) + 1:05d}", **r})
    return rows


def write(rows, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train", type=int, default=4000)
    ap.add_argument("--test", type=int, default=560)
    ap.add_argument("--seed", type=int, default=20260523)
    ap.add_argument("--out", type=Path, default=HERE.parents[1] / "logs")
    a = ap.parse_args(argv)
    import opencc

    s2t = opencc.OpenCC("s2t")
    import bank_train

    train = build(bank_train, a.train, a.seed, "tr", s2t)
    write(train, a.out / "train.jsonl")
    print(f"train: {len(train)} logs -> {a.out / 'train.jsonl'}")
    if a.test:
        import bank_test
        import handwritten_test

        seen = {r["text"] for r in train}
        hand_rows = handwritten_test.rows()
        test = build(bank_test, a.test, a.seed + 1, "te", s2t, seen=seen)
        for r in test:  # the test split stays blind: no sentence-level answers in it
            r.pop("parts", None)
        for i, r in enumerate(hand_rows, 1):
            test.append({"id": f"te-h{i:03d}", **r})
        write(test, a.out / "test.jsonl")
        print(f"test: {len(test)} logs ({len(hand_rows)} hand-written) -> {a.out / 'test.jsonl'}")


if __name__ == "__main__":
    main()
