"""Mine search vocabulary from a stored corpus into corpora/synonyms_mined.txt, a
file a person reviews (analysis.Mined reads it; the hand list synonyms.txt wins):

* def  — abbreviations the documents define themselves: LONG（以下简称SHORT）, LONG（简称SHORT）;
* name — word sequences (2–3 words) repeated in several documents: the long
  names an abbreviation typed by a user may stand for (教代会 → 教职工代表大会);
* sim  — words used alike: cosine of their PPMI-weighted context vectors (±3
  words), kept only for pairs sharing a character (社保 / 社会保险, 欠薪 / 讨薪:
  Chinese near-synonyms and short/long forms share one), with the score; the
  threshold that search uses (analysis.MINED_SIM) was chosen on judged queries.

    python -m index.search.mining FOLDER_OR_FILE… [-o corpora/synonyms_mined.txt]
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from .analysis import STOP, corpora_dir, is_dict_word, normalize, segment

HAN = re.compile(r"^[\u4E00-\u9FD5]+$")
DEF = re.compile(r"([\u4E00-\u9FD5]{2,24})[（(]\s*(?:以下)?简称\s*[“\"「]?([\u4E00-\u9FD5]{2,8})[”\"」]?\s*[）)]")
WINDOW = 3
MIN_DOCS = 2  # a name or a word seen in fewer documents says nothing about usage
SIM_FLOOR = 0.2  # pairs below are not written at all


def definitions(text: str) -> list[tuple[str, str]]:
    """(short, long) pairs a text states. The long form is the shortest tail of the
    words before the bracket that starts with the short form's first character and
    holds all its characters in order (…本地行活动专项资金（以下简称“资金”）→ 资金 is no
    abbreviation of anything longer: skipped)."""
    out = []
    for m in DEF.finditer(normalize(text)):
        before, short = m.group(1), m.group(2)
        pat = re.compile(".*?".join(map(re.escape, short)))
        for i in range(len(before) - len(short), -1, -1):
            tail = before[i:]
            if tail[0] == short[0] and pat.match(tail) and tail != short:
                out.append((short, tail))
                break
    return out


def mine(texts: list[str]) -> tuple[list, list, list]:
    defs: Counter = Counter()
    name_docs: Counter = Counter()
    word_docs: Counter = Counter()
    ctx: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for d in definitions(text):
            defs[d] += 1
        words = segment(text)
        seen_names = set()
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                joined = "".join(gram)
                if all(HAN.match(w) and len(w) > 1 for w in gram) and 4 <= len(joined) <= 10 \
                        and not is_dict_word(joined):
                    seen_names.add(joined)
        name_docs.update(seen_names)
        content = [w for w in words if HAN.match(w) and w not in STOP]
        word_docs.update(set(content))
        for i, w in enumerate(content):
            for j in range(max(0, i - WINDOW), min(len(content), i + WINDOW + 1)):
                if j != i:
                    ctx[w][content[j]] += 1
    names = sorted(n for n, c in name_docs.items() if c >= MIN_DOCS)
    # PPMI vectors of the words seen in several documents
    vocab = [w for w, c in word_docs.items() if c >= MIN_DOCS and len(w) > 1]
    total = sum(sum(c.values()) for c in ctx.values()) or 1
    marg = Counter()
    for c in ctx.values():
        marg.update(c)
    vec = {}
    for w in vocab:
        row = ctx[w]
        nw = sum(row.values())
        v = {}
        for c, n in row.items():
            pmi = math.log(n * total / (nw * marg[c]))
            if pmi > 0:
                v[c] = pmi
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vec[w] = {c: x / norm for c, x in v.items()}
    by_char: dict[str, list[str]] = defaultdict(list)
    for w in vocab:
        for ch in set(w):
            by_char[ch].append(w)
    sims = {}
    for w in vocab:
        for ch in set(w):
            for o in by_char[ch]:
                if o <= w or (w, o) in sims or o in w or w in o:
                    continue  # a word holding the other is matched through sub-words already
                a, b = vec[w], vec[o]
                s = sum(x * b.get(c, 0.0) for c, x in a.items())
                if s >= SIM_FLOOR:
                    sims[(w, o)] = s
    return (sorted(defs.items(), key=lambda kv: (-kv[1], kv[0])), names,
            sorted(sims.items(), key=lambda kv: -kv[1]))


def read_texts(paths: list[Path]) -> list[str]:
    from ingest.errors import GongwenError
    from ingest.load import load

    files = []
    for p in paths:
        files += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    texts = []
    for f in files:
        if f.suffix.lower() not in (".txt", ".docx", ".pdf", ".html", ".doc"):
            continue
        try:
            texts.append(load(f).text)
        except GongwenError:
            continue  # a scan without text, a broken file: nothing to mine
    return texts


def write(out: Path, sources: list[str], defs, names, sims) -> None:
    lines = ["# Mined by index/search/mining.py — REVIEW before relying on it; corpora/synonyms.txt wins.",
             f"# corpus: {', '.join(sources)}",
             "# def SHORT LONG (count)   name LONG   sim A B SCORE"]
    lines += [f"def {s} {l}  # {n}" for (s, l), n in defs]
    lines += [f"name {n}" for n in names]
    lines += [f"sim {a} {b} {s:.3f}" for (a, b), s in sims]
    tmp = out.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="从语料中挖掘缩略语、名称和近义词（供人工审阅）")
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("-o", "--out", type=Path, default=corpora_dir() / "synonyms_mined.txt")
    a = ap.parse_args(argv)
    missing = [str(p) for p in a.paths if not p.exists()]
    if missing:
        print(f"找不到：{'、'.join(missing)}", file=sys.stderr)
        return 2
    texts = read_texts(a.paths)
    if not texts:
        print("没有可读的文档", file=sys.stderr)
        return 2
    defs, names, sims = mine(texts)
    write(a.out, [str(p) for p in a.paths], defs, names, sims)
    print(f"{len(texts)} documents: {len(defs)} definitions, {len(names)} names, {len(sims)} similar pairs → {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
