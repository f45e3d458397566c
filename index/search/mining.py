"""Mine search vocabulary from a stored corpus into corpora/synonyms_mined.txt, a
file a person reviews (analysis.Mined reads it; the hand list synonyms.txt wins):

* def  — abbreviations the documents define themselves: LONG（以下简称SHORT）, LONG（简称SHORT）;
* name — word sequences (2–3 words) repeated in several documents: the long
  names an abbreviation typed by a user may stand for (教代会 → 教职工代表大会);
* sim  — words used alike: cosine of their PPMI-weighted context vectors (±3
  words, reduced by truncated SVD), kept only for pairs sharing a character (社保 / 社会保险, 欠薪 / 讨薪:
  Chinese near-synonyms and short/long forms share one), with the score; the
  threshold that search uses (analysis.MINED_SIM) was chosen on judged queries.

    python -m index.search.mining FOLDER_OR_FILE… [-o corpora/synonyms_mined.txt]

FOLDER_OR_FILE: notices (.txt .docx .pdf .html .doc) and JSON Lines of field reports
or logs (each record's "text").
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from .analysis import STOP, corpora_dir, is_dict_word, normalize, segment, thesaurus_distinct

HAN = re.compile(r"^[\u4E00-\u9FD5]+$")
DEF = re.compile(r"([\u4E00-\u9FD5]{2,24})[（(]\s*(?:以下)?简称\s*[“\"「]?([\u4E00-\u9FD5]{2,8})[”\"」]?\s*[）)]")
WINDOW = 3
MIN_DOCS = 2  # a name or a word seen in fewer documents says nothing about usage
SIM_FLOOR = 0.3  # pairs below are not written at all
SVD_DIMS = 100


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


def mine(texts: list[str], usage: list[str] = ()) -> tuple[list, list, list]:
    """Definitions and names from `texts` (notices); word similarity from `texts` and
    `usage` (field reports and logs: how people write, not what notices define)."""
    defs: Counter = Counter()
    name_docs: Counter = Counter()
    word_docs: Counter = Counter()
    ctx: dict[str, Counter] = defaultdict(Counter)
    for i, text in enumerate([*texts, *usage]):
        if i >= len(texts):
            _count_usage(text, word_docs, ctx)
            continue
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
        _count_usage(words, word_docs, ctx)
    names = sorted(n for n, c in name_docs.items() if c >= MIN_DOCS)
    vocab = [w for w, c in word_docs.items() if c >= MIN_DOCS and len(w) > 1]
    vec = _svd_vectors(vocab, ctx)
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
                if thesaurus_distinct(w, o):
                    continue  # used alike yet known as two things: 中秋节 / 国庆节, 决赛 / 预赛
                s = float(vec[w] @ vec[o])
                if s >= SIM_FLOOR:
                    sims[(w, o)] = s
    return (sorted(defs.items(), key=lambda kv: (-kv[1], kv[0])), names,
            sorted(sims.items(), key=lambda kv: -kv[1]))


def _count_usage(text_or_words, word_docs: Counter, ctx: dict) -> None:
    """Add a text's content words to the document counts and the ±WINDOW context counts."""
    words = segment(text_or_words) if isinstance(text_or_words, str) else text_or_words
    content = [w for w in words if HAN.match(w) and w not in STOP]
    word_docs.update(set(content))
    for i, w in enumerate(content):
        for j in range(max(0, i - WINDOW), min(len(content), i + WINDOW + 1)):
            if j != i:
                ctx[w][content[j]] += 1


def _svd_vectors(vocab: list[str], ctx: dict[str, Counter]) -> dict:
    """Unit vectors of the words: their PPMI-weighted context counts (±WINDOW words)
    reduced by truncated SVD (scikit-learn). On a corpus of a few hundred texts the raw
    PPMI rows are too sparse to compare (two words rarely share a context word); the
    reduced space compares them by the kinds of contexts they occur in."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.decomposition import TruncatedSVD

    cols = {c: i for i, c in enumerate(sorted({c for w in vocab for c in ctx[w]}))}
    total = sum(sum(ctx[w].values()) for w in vocab) or 1
    col_sum = np.zeros(len(cols))
    for w in vocab:
        for c, n in ctx[w].items():
            col_sum[cols[c]] += n
    rows, cidx, vals = [], [], []
    for r, w in enumerate(vocab):
        nw = sum(ctx[w].values())
        for c, n in ctx[w].items():
            pmi = math.log(n * total / (nw * col_sum[cols[c]]))
            if pmi > 0:
                rows.append(r)
                cidx.append(cols[c])
                vals.append(pmi)
    m = csr_matrix((vals, (rows, cidx)), shape=(len(vocab), len(cols)))
    k = max(2, min(SVD_DIMS, min(m.shape) - 1))
    reduced = TruncatedSVD(n_components=k, random_state=0).fit_transform(m)
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    reduced = reduced / np.where(norms == 0, 1.0, norms)
    return {w: reduced[i] for i, w in enumerate(vocab)}


def read_texts(paths: list[Path]) -> list[str]:
    from ingest.errors import GongwenError
    from ingest.load import load

    files = []
    for p in paths:
        files += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    texts = []
    for f in files:
        if f.suffix.lower() == ".jsonl":  # field reports and logs: one record a line, its "text"
            for line in f.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and isinstance(rec.get("text"), str):
                    texts.append(rec["text"])
            continue
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
    ap.add_argument("--usage", nargs="*", type=Path, default=[],
                    help="field reports / logs (folders or JSON Lines): only for word similarity")
    a = ap.parse_args(argv)
    missing = [str(p) for p in [*a.paths, *a.usage] if not p.exists()]
    if missing:
        print(f"找不到：{'、'.join(missing)}", file=sys.stderr)
        return 2
    texts = read_texts(a.paths)
    if not texts:
        print("没有可读的文档", file=sys.stderr)
        return 2
    usage = read_texts(a.usage) if a.usage else []
    defs, names, sims = mine(texts, usage)
    write(a.out, [str(p) for p in a.paths] + [f"usage: {p}" for p in a.usage], defs, names, sims)
    print(f"{len(texts)} documents: {len(defs)} definitions, {len(names)} names, {len(sims)} similar pairs → {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
