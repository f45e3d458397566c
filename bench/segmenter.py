"""Segmenters against jieba on the project's dictionary: share of identical cuts and
CPU speed per core, measured in the same run (issue 16, item 2).

    python bench/segmenter.py                 # sample notices + ../shared/real-corpus
    python bench/segmenter.py --limit 2000    # fewer real-corpus lines
    python bench/segmenter.py --shared /work/shared

Each candidate gets jieba's default dictionary plus corpora/userdict.txt (with the
same frequencies and tags) and cuts the same lines in default mode with HMM, as
nlp.language.segment does. A line counts as identical when the word lists are equal
(whitespace tokens dropped on both sides). Speed is characters per CPU-second of
this single-threaded process (time.process_time), so it does not depend on load.
A candidate can replace jieba only at 100 % identical cuts. The candidates are the
`bench` extra (pip install -e '.[bench]'); a missing one is reported, not fatal."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _userdict() -> list[tuple[str, int | None, str | None]]:
    from nlp.resources import user_dict_path

    entries = []
    for line in user_dict_path().read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries.append((parts[0], freq, tag))
    return entries


def _lines(limit: int, shared: Path) -> list[str]:
    """Non-empty lines of the sample notices (as gongwen reads them) and of the
    real-corpus texts beside the repository."""
    from ingest.load import load

    lines: list[str] = []
    for path in sorted((REPO / "corpora" / "notices").iterdir()):
        try:
            lines += load(path).text.splitlines()
        except Exception as e:  # noqa: BLE001 - a reader failing is not what this bench measures
            print(f"skip {path.name}: {type(e).__name__}", file=sys.stderr)
    real = shared / "real-corpus"
    n = 0
    for jsonl in sorted(real.glob("*.jsonl")):
        for row in jsonl.read_text(encoding="utf-8").splitlines():
            text = json.loads(row).get("text") or ""
            for line in text.splitlines():
                if n >= limit:
                    break
                lines.append(line)
                n += 1
    return [ln for ln in lines if ln.strip()]


def _jieba():
    import jieba

    from nlp.language import load_user_dict

    load_user_dict()
    return lambda s: jieba.lcut(s)


def _rjieba():
    import rjieba

    seg = rjieba.Jieba()
    for word, freq, tag in _userdict():
        seg.add_word(word, freq, tag)
    return lambda s: seg.cut(s)


def _jieba_fast_dat():
    import jieba_fast_dat

    from nlp.resources import user_dict_path

    jieba_fast_dat.setLogLevel(40)
    jieba_fast_dat.initialize()
    jieba_fast_dat.load_userdict(str(user_dict_path()))
    return lambda s: jieba_fast_dat.lcut(s)


CANDIDATES = {"rjieba": _rjieba, "jieba_fast_dat": _jieba_fast_dat}


def _run(cut, lines: list[str]) -> tuple[list[list[str]], float]:
    t = time.process_time()
    out = [[w for w in cut(s) if w.strip()] for s in lines]
    return out, time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=20000, help="real-corpus lines (default 20000)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="folder holding real-corpus/")
    args = ap.parse_args()
    lines = _lines(args.limit, args.shared)
    chars = sum(map(len, lines))
    print(f"{len(lines)} lines, {chars} characters")

    t = time.process_time()
    ref_cut = _jieba()
    ref_load = time.process_time() - t
    _run(ref_cut, lines[:50])  # warm-up: jieba builds nothing lazily after this
    ref, ref_cpu = _run(ref_cut, lines)
    print(f"{'jieba':16s} load {ref_load:5.2f} CPU-s  {chars / ref_cpu:10,.0f} chars/CPU-s  (reference)")
    for name, make in CANDIDATES.items():
        try:
            t = time.process_time()
            cut = make()
            load_cpu = time.process_time() - t
        except ImportError:
            print(f"{name:16s} not installed")
            continue
        _run(cut, lines[:50])
        got, cpu = _run(cut, lines)
        same = sum(a == b for a, b in zip(ref, got))
        print(f"{name:16s} load {load_cpu:5.2f} CPU-s  {chars / cpu:10,.0f} chars/CPU-s  "
              f"{ref_cpu / cpu:4.1f}× jieba  identical lines {same}/{len(lines)} ({same / len(lines):.1%})")
        diff = next((i for i, (a, b) in enumerate(zip(ref, got)) if a != b), None)
        if diff is not None:
            a, b = ref[diff], got[diff]
            k = next(i for i in range(min(len(a), len(b)) + 1) if i == min(len(a), len(b)) or a[i] != b[i])
            print(f"  first difference: line {diff}, word {k}: jieba {a[k:k + 3]} vs {name} {b[k:k + 3]}")


if __name__ == "__main__":
    main()
