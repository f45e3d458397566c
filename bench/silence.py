"""The answer-or-silence decision of search, learned and measured on the judged real queries.

Every real judged set of corpora/relevance/ (real, heldout, fresh … fresh10: queries over the
real notices others published) is searched once per engine with saying-nothing off; for each
query that could be silenced (Plan.any_word) the first page's features (`features` below)
and the hand rules' verdict (rerank.silence_cover against SILENT_COVER: what search ships)
are kept, with the page's nDCG@10 when shown. Then:

* `collect`: search and keep the rows (JSON, --rows).
* `cv`: grouped cross-validation of the learned decision against the hand rules under the
  same folds. Groups: an answered query by the site holding most of its answer
  (bench/relevance.query_group); a no-answer query by the judged set it belongs to (it has
  no site; the queries of one set were written together, so they share a writer's habits).
  Per fold the model is fitted on the other folds, its threshold chosen there (inner grouped
  folds, the mean gain of bench/relevance.gain: nDCG@10 for an answered query, 1 for a
  no-answer query left silent). Reported: no-answer queries silent (x/N), answerable ones
  silenced (y/M), nDCG@10 of the answered queries, per engine and query type, and a paired
  bootstrap over sites (groups) of the gain difference.

Nothing here ships: on these sets no learned decision beat the hand rules (corpora/relevance/
README.md, "Learned answer-or-silence decision"); the tool is kept to measure the next try.

    python bench/silence.py collect --rows /tmp/silence-rows.json      # ~75 CPU-s, both engines
    python bench/silence.py cv --rows /tmp/silence-rows.json [--folds 5,4] [--modes and] [--learner gbm]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the repository: bench/ingest.py is no package

import jieba.posseg as pseg  # noqa: E402
import relevance as R  # noqa: E402
from gongwen_scratch import scratch_folder  # noqa: E402

from index.search import rerank  # noqa: E402
from index.search import vectors as _vectors  # noqa: E402
from index.search.analysis import STOP, query_words  # noqa: E402

SETS = ("real", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7",
        "fresh8", "fresh9", "fresh10")


# ------------------------------------------------------------------ features

TOP = 10  # passages of the first page read (whatever the page size asked)
BEST = 3  # passages whose words an unheld query word is compared with
TEXT_CHARS = 600  # of each, read for its words (a long document item's opening)

FEATURES = ("rule_score", "rule_silent", "question", "n_concepts", "cover", "cover2_gap",
            "index_lacks", "page_lacks", "topic_absent", "rare_held", "unheld_sim_min",
            "unheld_sim_mean", "unheld_novec", "n_hits", "bridged", "unheld_rank", "far_on_page",
            "unheld_noun", "unheld_head_on_page", "n_unheld", "n_held")


def _vec(word: str):
    data = _vectors._vectors()
    if not data:
        return None
    i = data[1].get(word)
    return None if i is None else data[2][i]


def _word_vecs(words) -> tuple[list[str], object]:
    import numpy as np

    data = _vectors._vectors()
    if not data:
        return [], None
    idx = [data[1][w] for w in dict.fromkeys(words) if len(w) > 1 and w in data[1]]
    if not idx:
        return [], None
    return idx, np.asarray(data[2][idx], dtype=np.float32)


def _sim_to(word: str, mat) -> float | None:
    """Cosine of `word` (or the words inside it the vectors hold) to the nearest of `mat`'s rows."""
    import numpy as np

    if mat is None:
        return None
    vs = [v for v in ([_vec(word)] if _vec(word) is not None else [_vec(w) for w in _vectors._known_inside(word)])
          if v is not None]
    if not vs:
        return None
    return float(max(np.max(mat @ np.asarray(v, dtype=np.float32)) for v in vs))


def features(pl, docs: list[dict], doc_freq: Callable[[str], int], n_items: int) -> dict[str, float]:
    """The model's inputs for one first page (stored fields of its hits, best first)."""
    concepts = list(pl.concepts)
    docs = docs[:TOP]
    rule = rerank.silence_cover(docs, concepts, doc_freq, n_items, pl.question)
    weights = [rerank._idf(c.word, doc_freq, n_items) for c in concepts]
    total = sum(weights) or 1.0
    texts = [rerank._passage(d) for d in docs]
    covers = sorted((sum(w * rerank._held(c, t) for c, w in zip(concepts, weights)) / total for t in texts),
                    reverse=True) or [0.0]
    held_any = [any(rerank._held(c, t) >= 1.0 for t in texts) for c in concepts]
    fars = rerank._far(concepts, doc_freq)
    covers_far = [sum(w * rerank._held(c, t, f) for c, w, f in zip(concepts, weights, fars)) / total for t in texts]
    unheld = [c for c, h in zip(concepts, held_any) if not h and not c.run]
    far_on = [any(w in t for t in texts for w in f) for c, h, f in zip(concepts, held_any, fars) if not h and not c.run]
    lacks = sum(w for c, w in zip(concepts, weights) if not doc_freq(c.word) and len(c.alts) <= 2) / total
    page_lacks = sum(w for h, w in zip(held_any, weights) if not h) / total
    rare = [c for c in concepts if 0 < doc_freq(c.word) <= rerank.SILENT_RARE * n_items]
    rare_held = any(rerank._held(c, t) >= 1.0 for t in texts for c in rare)
    held_words = {a for c, h in zip(concepts, held_any) if h for a in c.alts}
    best_words = [w for t in texts[:BEST] for w in query_words(t[:TEXT_CHARS]) if w not in STOP and w not in held_words]
    _, mat = _word_vecs(best_words)
    best_text = "\n".join(texts[:BEST])
    sims, novec, nouns, heads = [], 0, 0, 0
    for c in unheld:
        # a noun names a topic (马拉松, 重阳节); a colloquial verb or everyday word (看病, 拿) rarely does
        flags = [p.flag for p in pseg.cut(c.word)]
        nouns += bool(flags) and flags[-1].startswith("n")
        heads += any(c.word[-1] in w for w in best_words)  # 保龄球 … 乒乓球: a same-kind word on the page
    for c in concepts:
        if rerank._held(c, best_text) >= 1.0 or c.run:
            continue
        s = _sim_to(c.word, mat)
        if s is None:
            novec += 1
        else:
            sims.append(s)
    return {
        "rule_score": min(rule, 1.0),
        "rule_silent": float(rule < rerank.SILENT_COVER),
        "question": float(bool(pl.question)),
        "n_concepts": math.log1p(len(concepts)),
        "cover": covers[0],
        "cover2_gap": covers[0] - (covers[1] if len(covers) > 1 else 0.0),
        "index_lacks": lacks,
        "page_lacks": page_lacks,
        "topic_absent": float(rerank._absent_topic(docs, concepts, doc_freq)),
        "rare_held": float(rare_held),
        "unheld_sim_min": min(sims) if sims else 1.0,
        "unheld_sim_mean": sum(sims) / len(sims) if sims else 1.0,
        "unheld_novec": float(novec),
        "n_hits": len(docs) / TOP,
        "bridged": max(covers_far or [0.0]) - covers[0],
        "unheld_rank": max((_rank_share(c.word) for c in unheld), default=0.0),
        "far_on_page": sum(far_on) / len(far_on) if far_on else 1.0,
        "unheld_noun": nouns / (len(unheld) or 1),
        "unheld_head_on_page": heads / (len(unheld) or 1),
        "n_unheld": float(len(unheld)),
        "n_held": float(sum(held_any)),
    }


def _rank_share(word: str) -> float:
    """How rare a word is in general text: log of its place among the vectors' words over the
    log of their number (1.0: a word they lack, or whose inside words they lack)."""
    data = _vectors._vectors()
    if not data:
        return 1.0
    r = data[1].get(word)
    if r is None:
        inside = _vectors._known_inside(word)
        r = min((data[1][w] for w in inside), default=None)
    return 1.0 if r is None else math.log1p(r) / math.log1p(len(data[0]))



def load_queries() -> list[dict]:
    out = []
    for s in SETS:
        qf = ROOT / "corpora" / "relevance" / f"{s}_queries.jsonl"
        jf = qf.with_name(f"{s}_judgments.jsonl")
        judged = {j["id"]: j["relevant"] for j in R.load_jsonl(jf)} if jf.exists() else {}
        for q in R.load_jsonl(qf):
            q["relevant"] = judged.get(q["id"], {})
            q["set"] = s
            out.append(q)
    return out


def group_of(q: dict) -> str:
    g = R.query_group(q)
    return f"none:{q['set']}" if g.startswith("none:") else g


def collect(engines: list[str]) -> dict:
    from index.search import common, open_index

    queries = load_queries()
    items, where = R.real_items()
    texts = {it.id: it.text for it in items}

    def key(hit) -> str:
        return R.real_key(where.get(hit.doc_id, hit.doc_id), hit.kind, {}, hit.path, texts.get(hit.id, ""))

    saved = common.nothing_relevant
    seen: dict = {}

    def probe(pl, docs, doc_freq, n_items) -> bool:
        if pl.any_word and pl.concepts and docs:
            seen["f"] = features(pl, docs, doc_freq, n_items)
            seen["covers"] = rule_covers(pl, docs, doc_freq, n_items)
            seen["rule"] = rerank.silence_cover(docs, pl.concepts, doc_freq, n_items, pl.question) \
                < rerank.SILENT_COVER
        return False

    out = {}
    folder = scratch_folder("gongwen-silence-")
    for e in engines:
        ix = open_index(folder / e, e)
        ix.add(items)
        rows = []
        t = time.process_time()
        common.nothing_relevant = probe
        try:
            for q in queries:
                seen.clear()
                hits = ix.search(q["query"], filters={"kind": ["section", "document"]}, per_page=R.K, facets=()).hits
                got = list(dict.fromkeys(key(h) for h in hits))
                rel = {k: g for k, g in q["relevant"].items() if g > 0}
                row = {"id": q["id"], "set": q["set"], "type": q.get("type"), "query": q["query"],
                       "group": group_of(q), "answered": bool(rel), "n": len(got),
                       "features": seen.get("f"), "covers": seen.get("covers"), "rule_silent": seen.get("rule")}
                if rel:
                    ideal = R.dcg(sorted(rel.values(), reverse=True)[:R.K])
                    row["ndcg"] = R.dcg([rel.get(k, 0) for k in got]) / ideal
                rows.append(row)
        finally:
            common.nothing_relevant = saved
        ix.close()
        out[e] = {"rows": rows, "cpu_s": round(time.process_time() - t, 1)}
        print(f"{e}: {len(rows)} queries, {out[e]['cpu_s']} CPU-s", file=sys.stderr)
    return out


# ------------------------------------------------------------------ the rules' own settings

# The hand rules' settings, shipped value first: each combination's silence_cover is kept per
# query (SILENT_COVER, a bar on it, is applied afterwards), so every combination is scored from
# one search, as bench/relevance.CoverProbe does for SILENT_COVER alone.
RULE_GRID = {"SILENT_RARE": (0.01, 0.0, 0.005, 0.02), "ABSENT_COVER": (0.6, 0.0, 0.8, 1.0),
             "ABSENT_RANK": (3000, 1000, 2000, 5000)}
SILENT_COVERS = (0.3, 0.2, 0.4, 0.5)


def rule_covers(pl, docs, doc_freq, n_items) -> dict[str, float]:
    import itertools

    saved = {n: getattr(rerank, n) for n in RULE_GRID}
    out = {}
    try:
        for vals in itertools.product(*RULE_GRID.values()):
            for n, v in zip(RULE_GRID, vals):
                setattr(rerank, n, v)
            out[",".join(map(str, vals))] = rerank.silence_cover(docs, pl.concepts, doc_freq, n_items, pl.question)
    finally:
        for n, v in saved.items():
            setattr(rerank, n, v)
    return out


def rule_settings() -> list[tuple[str, float]]:
    import itertools

    return [(",".join(map(str, vals)), sc) for sc in SILENT_COVERS for vals in itertools.product(*RULE_GRID.values())]


def rule_verdicts(rows: list[dict], setting: tuple[str, float]) -> dict[str, bool]:
    key, bar = setting
    return {r["id"]: r["covers"] is not None and r["covers"][key] < bar for r in rows}


def cv_rules(rows: list[dict], folds: int) -> tuple[dict, list]:
    """The rules' settings chosen per fold on the other folds (best mean gain), held out."""
    from sklearn.model_selection import GroupKFold

    groups = [r["group"] for r in rows]
    out, chosen = {}, []
    settings = rule_settings()
    for tr, te in GroupKFold(n_splits=folds).split(rows, groups=groups):
        train = [rows[i] for i in tr]
        best = max(settings, key=lambda s: (round(sum(gain(r, rule_verdicts([r], s)[r["id"]]) for r in train), 6),
                                            s == settings[0]))
        chosen.append(best)
        v = rule_verdicts([rows[i] for i in te], best)
        out.update(v)
    return out, chosen


# ------------------------------------------------------------------ learning

def matrix(rows: list[dict]):
    import numpy as np

    return np.array([[r["features"][f] for f in FEATURES] for r in rows], dtype=float)


C_GRID = (0.1, 1.0)
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))  # 0.30 … 0.95


def fit_model(rows: list[dict], c: float = 1.0):
    """A logistic regression over the standardised features: no answer (1) vs answer (0).
    Deterministic (lbfgs, no random state used)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = matrix(rows)
    y = [0 if r["answered"] else 1 for r in rows]
    m = make_pipeline(StandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=2000))
    if LEARNER == "gbm":
        from sklearn.ensemble import HistGradientBoostingClassifier

        m = make_pipeline(StandardScaler(), HistGradientBoostingClassifier(
            max_depth=2, max_iter=int(50 * c) or 20, learning_rate=0.1, class_weight="balanced", random_state=0))
        m.fit(X, y)
        return m
    if WEIGHTED:  # silencing an answered query costs what its page is worth (its nDCG@10)
        m.fit(X, y, logisticregression__sample_weight=[max(r["ndcg"], 0.05) if r["answered"] else 1.0 for r in rows])
    else:
        m.fit(X, y)
    return m


WEIGHTED = False
LEARNER = "lr"


COST = 1.0  # what silencing an answered query costs in choosing, times its nDCG@10 (1: the gain itself)


def gain(row: dict, silent: bool, cost: float = 1.0) -> float:
    if row["answered"]:
        return row["ndcg"] * (1.0 - cost) if silent else row["ndcg"]
    return 1.0 if silent else 0.0


def rows_in_scope(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["features"] is not None]


def choose(train: list[dict], folds: int = 4) -> tuple[float, float]:
    """C and threshold by inner grouped folds on `train` (best mean gain over the rows in scope)."""
    from sklearn.model_selection import GroupKFold

    scope = rows_in_scope(train)
    groups = [r["group"] for r in scope]
    best = None
    for c in C_GRID:
        probs = [0.0] * len(scope)
        for tr, te in GroupKFold(n_splits=folds).split(scope, groups=groups):
            m = fit_model([scope[i] for i in tr], c)
            p = m.predict_proba(matrix([scope[i] for i in te]))[:, 1]
            for i, v in zip(te, p):
                probs[i] = v
        for mode in MODES_TRIED:
            for t in THRESHOLDS:
                g = sum(gain(r, verdict(mode, r, p, t), COST) for r, p in zip(scope, probs))
                if best is None or g > best[0] + 1e-9:
                    best = (g, c, t, mode)
    return best[1:]


MODES = ("model", "or", "and")  # the model alone; the hand rules or the model; the rules and the model
MODES_TRIED = MODES


def verdict(mode: str, row: dict, p: float, t: float) -> bool:
    rule = bool(row["rule_silent"])
    return p >= t if mode == "model" else (rule or p >= t) if mode == "or" else (rule and p >= t)


def decide_cv(rows: list[dict], folds: int) -> tuple[dict, list]:
    """id → learned verdict, held out (fitted on the other folds), and the chosen (C, t, mode) per fold."""
    from sklearn.model_selection import GroupKFold

    scope = rows_in_scope(rows)
    groups = [r["group"] for r in scope]
    out, chosen = {}, []
    for tr, te in GroupKFold(n_splits=folds).split(scope, groups=groups):
        train = [scope[i] for i in tr]
        c, t, mode = choose(train)
        m = fit_model(train, c)
        p = m.predict_proba(matrix([scope[i] for i in te]))[:, 1]
        for i, v in zip(te, p):
            out[scope[i]["id"]] = verdict(mode, scope[i], v, t)
        fold = [scope[i] for i in te]
        diff = sum(gain(r, out[r["id"]]) - gain(r, bool(r["rule_silent"])) for r in fold) / len(fold)
        chosen.append((c, t, mode, round(diff, 4)))
    return out, chosen


def figures(rows: list[dict], verdict: dict[str, bool]) -> dict:
    none = [r for r in rows if not r["answered"]]
    ans = [r for r in rows if r["answered"]]
    out = {"silent_noanswer": f"{sum(1 for r in none if verdict.get(r['id'], False))}/{len(none)}",
           "silenced_answered": f"{sum(1 for r in ans if verdict.get(r['id'], False))}/{len(ans)}",
           "ndcg": round(sum(gain(r, verdict.get(r['id'], False)) for r in ans) / len(ans), 4)}
    by = defaultdict(list)
    for r in ans:
        by[r["type"]].append(gain(r, verdict.get(r["id"], False)))
    out["by_type"] = {t: round(sum(v) / len(v), 4) for t, v in sorted(by.items())}
    return out


def bootstrap(rows: list[dict], a: dict, b: dict, n: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Paired bootstrap over groups (sites; no-answer sets) of the mean gain difference b − a."""
    import numpy as np

    by = defaultdict(list)
    for r in rows:
        by[r["group"]].append(gain(r, b.get(r["id"], False)) - gain(r, a.get(r["id"], False)))
    gs = sorted(by)
    sums = np.array([sum(by[g]) for g in gs])
    cnts = np.array([len(by[g]) for g in gs])
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(gs), size=(n, len(gs)))
    d = sums[idx].sum(1) / cnts[idx].sum(1)
    return round(float(sums.sum() / cnts.sum()), 4), round(float(np.quantile(d, 0.05)), 4), round(float(np.quantile(d, 0.95)), 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=("collect", "cv", "cv-rules"))
    ap.add_argument("--rows", type=Path, required=True)
    ap.add_argument("--engines", default="tantivy,whoosh")
    ap.add_argument("--folds", default="5,4", help="fold counts (partitions) to report")
    ap.add_argument("--modes", default="model,or,and", help="decision modes the inner folds choose from")
    ap.add_argument("--cost", type=float, default=1.0, help="cost of silencing an answered query, × its nDCG")
    ap.add_argument("--engine", help="cv: only this engine")
    ap.add_argument("--learner", default="lr", choices=("lr", "gbm"))
    ap.add_argument("--weighted", action="store_true", help="answered queries weigh their nDCG@10 in fitting")
    a = ap.parse_args()
    if a.cmd == "collect":
        a.rows.write_text(json.dumps(collect(a.engines.split(",")), ensure_ascii=False), encoding="utf-8")
        return
    data = json.loads(a.rows.read_text(encoding="utf-8"))
    global MODES_TRIED, COST
    global WEIGHTED, LEARNER
    LEARNER = a.learner
    MODES_TRIED, COST, WEIGHTED = tuple(a.modes.split(",")), a.cost, a.weighted
    if a.engine:
        data = {a.engine: data[a.engine]}
    if a.cmd == "cv-rules":
        for e, d in data.items():
            rows = d["rows"]
            rule = {r["id"]: bool(r["rule_silent"]) for r in rows}
            for k in (int(x) for x in a.folds.split(",")):
                tuned, chosen = cv_rules(rows, k)
                print(f"\n{e}, {k} folds; chosen ({','.join(RULE_GRID)}; SILENT_COVER): {chosen}")
                print("  rules as shipped:", json.dumps(figures(rows, rule), ensure_ascii=False))
                print("  rules re-chosen :", json.dumps(figures(rows, tuned), ensure_ascii=False))
                print("  gain re-chosen − shipped, paired site bootstrap 90 %:", bootstrap(rows, rule, tuned))
        return
    if a.cmd == "cv":
        t = time.process_time()
        for e, d in data.items():
            rows = d["rows"]
            rule = {r["id"]: bool(r["rule_silent"]) for r in rows}
            for k in (int(x) for x in a.folds.split(",")):
                learned, chosen = decide_cv(rows, k)
                print(f"\n{e}, {k} folds grouped by site (no-answer queries by set); chosen (C, t, mode, fold's gain − rules over its rows in scope): "
                      f"{chosen}")
                print("  rules  :", json.dumps(figures(rows, rule), ensure_ascii=False))
                print("  learned:", json.dumps(figures(rows, learned), ensure_ascii=False))
                print("  gain learned − rules, paired site bootstrap 90 %:", bootstrap(rows, rule, learned))
                for s in SETS:
                    sr = [r for r in rows if r["set"] == s]
                    fr, fl = figures(sr, rule), figures(sr, learned)
                    print(f"    {s:<8} rules {fr['silent_noanswer']} silent, {fr['silenced_answered']} silenced, "
                          f"{fr['ndcg']:.4f} | learned {fl['silent_noanswer']}, {fl['silenced_answered']}, {fl['ndcg']:.4f}")
        print(f"{time.process_time() - t:.1f} CPU-s", file=sys.stderr)


if __name__ == "__main__":
    main()
