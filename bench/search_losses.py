"""Why judged queries lose, by class: each query's held-out window (a ranker fitted per grouped
fold on the others, as `bench/search_ltr.py cv` does) read for where its best-graded answer
stands, which query words the answer lacks, and whether a source of search pairs a lacking
word with a word the answer prints (thesaurus, word vectors, far neighbours, the mined file at
any score). Prints a line per query under --below and the classes with queries, answer sites
and nDCG points lost (issue 12).

    python bench/search_ltr.py cv --offline --folds 5 --json RUN.json   # the capture and the figures
    python bench/search_losses.py RUN.json [--engine tantivy] [--type synonym] [--below 1.0] [--groups FILE] [--why]

--why: for each query whose window holds a graded answer below an ungraded passage of the first
page, why that passage stands above the answer (which query words each holds whole or said alike,
everyday words apart from topic words, document item or section, same notice or another).

--groups FILE: a word-group list from outside (one group a line, words split by spaces, e.g. a
thesaurus package's data) checked as one more source for the words no source pairs: how many are
in a group, and how many have a group member the answer prints (what such a list could bridge).
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.relevance import make_folds, query_group, real_items, real_key  # noqa: E402
from bench.search_ltr import SCRATCH, all_queries, capture_key, fit, gain, training  # noqa: E402
from index.search import ltr  # noqa: E402
from index.search.analysis import mined_synonyms, normalize, thesaurus_synonyms, to_simplified  # noqa: E402
from index.search.query import plan  # noqa: E402
from index.search.rerank import ABSENT_RANK, _held  # noqa: E402
from index.search.vectors import far_words, neighbours, rank  # noqa: E402

FOLDS = 5


def passages() -> tuple[dict[str, str], dict[str, str]]:
    """Judged key → the text the second look reads (title, path, heading, text, context), and → its notice."""
    items, where = real_items()
    text, notice = {}, {}
    for it in items:
        if it.kind in ("section", "document") and it.doc_id in where:
            k = real_key(where[it.doc_id], it.kind, {}, it.path, it.text)
            text[k] = normalize("\n".join(getattr(it, f, None) or "" for f in ("title", "path", "heading", "text", "context")))
            notice[k] = where[it.doc_id]
    return text, notice


def mined_any() -> dict[str, list[tuple[float, str]]]:
    """Every mined pair of the file, whatever its score (search uses those at MINED_SIM or more)."""
    out: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for line in (ROOT / "corpora" / "synonyms_mined.txt").read_text(encoding="utf-8").splitlines():
        p = line.split("#", 1)[0].split()
        if len(p) >= 4 and p[0] == "sim":
            out[p[1]].append((float(p[3]), p[2]))
            out[p[2]].append((float(p[3]), p[1]))
    return out


def held_out_orders(cap: dict, queries: list[dict], engine: str) -> dict[str, tuple[list[str], dict[str, int]]]:
    """Query id → its window's keys in the held-out order, and each key's index in the capture."""
    out = {}
    for f in make_folds(queries, FOLDS):
        x, y, g = training(cap, queries, {q["id"] for q in queries} - f)
        r = fit(x, y, g, "hgb")
        for qid in f & set(cap[engine]["cands"]):
            xx, keys = cap[engine]["cands"][qid]
            s = r.score(xx) if ltr.windows_used(xx) else -np.arange(len(keys), dtype=float)
            order = sorted(range(len(keys)), key=lambda i: -s[i])
            out[qid] = (list(dict.fromkeys(keys[i] for i in order)), {k: i for i, k in enumerate(keys)})
    return out


def lacking(concepts: list, answer: str, mined: dict) -> list[tuple[str, list[str]]]:
    """The concepts the answer does not hold, each with the sources that pair it with a word the answer prints."""
    out = []
    for c in concepts:
        if any(a in answer for a in c.alts) or (c.parts and all(p in answer for p in c.parts)):
            continue
        if c.run:
            out.append((c.word, ["glued"]))
            continue
        s = to_simplified(c.word)
        sources = {"thesaurus": thesaurus_synonyms(s), "vectors": neighbours(s), "far": far_words(s),
                   "mined": tuple(mined_synonyms(s)) + tuple(w for _, w in mined.get(s, []))}
        out.append((c.word, [name for name, ws in sources.items() if any(w in answer for w in ws)]))
    return out


def read_groups(path: Path) -> dict[str, set[str]]:
    """Word → the other words of every group holding it (one group a line, split by spaces)."""
    out: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        ws = [w for w in line.split() if len(w) > 1]
        for w in ws:
            out[w].update(o for o in ws if o != w)
    return out


def classify(q: dict, row: dict, window, text: dict, notice: dict, mined: dict) -> str:
    rel = {k: g for k, g in q["relevant"].items() if g > 0}
    if row["n"] == 0:
        return "silenced: the page says nothing"
    if window is None:
        return "no second look (one concept)"
    ranked = window[0]
    best = max(rel.values())
    inside = [k for k in rel if rel[k] == best and k in ranked]
    if not inside:
        return "best-graded answer outside the window"
    key = min(inside, key=ranked.index)
    if ranked.index(key) == 0:
        return "best answer first; the loss is below it"
    same = notice.get(ranked[0]) == notice.get(key)
    lack = lacking(plan(q["query"]).concepts, " ".join(text.get(k, "") for k in rel), mined)
    where = "same notice first" if same else "another notice first"
    if not lack:
        return f"answer holds every word; {where}"
    if any(not src for _, src in lack):
        return f"a lacking word no source pairs; {where}"
    if all(src == ["glued"] for _, src in lack):
        return f"only glued characters lacking; {where}"
    return f"a bridge exists, ranked low; {where}"


def why(q: dict, window, text: dict, notice: dict) -> str | None:
    """Why the first ungraded passage of the page stands above the best graded answer placed
    below it (None: no such pair). Words are counted held whole (1) or said alike (a half)."""
    if window is None:
        return None
    ranked = window[0]
    rel = {k: g for k, g in q["relevant"].items() if g > 0}
    above = next((k for k in ranked[:10] if k not in rel), None)
    if above is None:
        return None
    below = [k for k in rel if k in ranked and ranked.index(k) > ranked.index(above)]
    if not below:
        return None
    answer = max(below, key=lambda k: (rel[k], -ranked.index(k)))
    concepts = plan(q["query"]).concepts
    ha = [_held(c, text.get(above, "")) for c in concepts]
    hb = [_held(c, text.get(answer, "")) for c in concepts]
    if sum(hb) > sum(ha):
        return "the answer holds more of the query, still below"
    if any(0 < b < 1 <= a for a, b in zip(ha, hb)) and sum(b >= 1 for b in hb) < sum(a >= 1 for a in ha):
        return "the answer holds a word only said alike; the passage above holds it whole"
    if sum(ha) > sum(hb):
        everyday = [(r := rank(c.word)) is not None and r < ABSENT_RANK for c in concepts]
        extra = [e for a, b, e in zip(ha, hb, everyday) if a > b]
        return "the passage above holds more: " + ("everyday words only" if all(extra) else "topic words")
    if above.endswith("@doc") != answer.endswith("@doc"):
        return "the same words: a document item against a section"
    if notice.get(above) == notice.get(answer):
        return "the same words: another section of the same notice"
    return "the same words: another notice"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run", type=Path, help="a `bench/search_ltr.py cv --json` run with 5 folds")
    ap.add_argument("--engine", default="tantivy", choices=("tantivy", "whoosh"))
    ap.add_argument("--type", default="synonym", help="query type (synonym: colloquial)")
    ap.add_argument("--below", type=float, default=1.0, help="list queries whose nDCG@10 is under this")
    ap.add_argument("--groups", type=Path, help="an outside word-group list to check against the unpaired words")
    ap.add_argument("--why", action="store_true", help="why a graded answer stands below an ungraded passage")
    a = ap.parse_args()
    whys: list[tuple[str, str, str, float]] = []  # query id, loss class, why, points lost
    groups = read_groups(a.groups) if a.groups else None
    unpaired: list[tuple[str, str, bool, list[str]]] = []  # query id, word, in a group, members the answer prints
    run = json.loads(a.run.read_text())[str(FOLDS)]["new"][a.engine]
    cap = pickle.loads((SCRATCH / f"capture-{capture_key()}.pkl").read_bytes())
    queries = all_queries()
    text, notice = passages()
    mined = mined_any()
    windows = held_out_orders(cap, queries, a.engine)
    count, points, sites = Counter(), Counter(), defaultdict(set)
    lines = []
    for q in queries:
        if q.get("type") != a.type or not any(v > 0 for v in q["relevant"].values()):
            continue
        nd = gain(run[q["id"]])
        if nd >= a.below:
            continue
        cls = classify(q, cap[a.engine]["rows"][q["id"]], windows.get(q["id"]), text, notice, mined)
        count[cls] += 1
        points[cls] += 1 - nd
        sites[cls].add(query_group(q))
        shown = cap[a.engine]["rows"][q["id"]]["n"] > 0  # a silenced query shows no page to read
        reason = why(q, windows.get(q["id"]), text, notice) if a.why and shown else None
        if reason:
            whys.append((query_group(q), cls, reason, 1 - nd))
        lines.append((nd, f"{nd:.2f} {q['id']} {q['query']}: {cls}" + (f" | {reason}" if reason else "")))
        if groups is not None and cls.startswith("a lacking word no source"):
            answer = " ".join(text.get(k, "") for k, g in q["relevant"].items() if g > 0)
            for w, src in lacking(plan(q["query"]).concepts, answer, mined):
                if not src:
                    s = to_simplified(w)
                    unpaired.append((q["id"], w, s in groups, sorted(o for o in groups.get(s, ()) if o in answer)))
    for _, line in sorted(lines):
        print(line)
    print(f"\n{'queries':>7} {'sites':>5} {'points':>6}  class ({a.type}, {a.engine}, {FOLDS} folds)")
    for cls, n in count.most_common():
        print(f"{n:>7} {len(sites[cls]):>5} {points[cls]:>6.1f}  {cls}")
    if a.why:
        print(f"\n{'queries':>7} {'sites':>5} {'points':>6}  why the answer stands below (per loss class)")
        for cls in count:
            rows = [w for w in whys if w[1] == cls]
            if rows:
                print(f"  {cls}")
            for reason, n in Counter(w[2] for w in rows).most_common():
                sel = [w for w in rows if w[2] == reason]
                print(f"{n:>7} {len({w[0] for w in sel}):>5} {sum(w[3] for w in sel):>6.1f}    {reason}")
    if groups is not None:
        bridged = [(qid, w, m) for qid, w, _, m in unpaired if m]
        print(f"\n{a.groups}: of {len(unpaired)} words no source pairs ({len({u[0] for u in unpaired})} queries), "
              f"{sum(u[2] for u in unpaired)} are in a group; a member the answer prints for {len(bridged)} "
              f"({len({b[0] for b in bridged})} queries): " + ", ".join(f"{w} → {'/'.join(m)}" for _, w, m in bridged))


if __name__ == "__main__":
    main()
