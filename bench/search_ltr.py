"""Fit and measure the learned reranker (index.search.ltr) on every judged real query pooled.

The judged sets of corpora/relevance/ (real … fresh10, 913 queries over the real notices)
are pooled; each query belongs to the site holding most of its answer (bench/relevance.py
query_group; no-answer queries spread by id), and folds keep a site's queries together
(make_folds, K=5 and K=4: the partitions relevance.py --folds uses). Per fold, a model is
fitted on the other folds' candidates — each engine's top RERANK_N passages the second
look reorders, graded 0/1/2 by the judgments (unjudged: 0), both engines pooled — and the
held-out queries are searched again with it (the whole search path: silence, siblings).
The shipped ranking (no model) is scored on the same queries.

    python bench/search_ltr.py capture            # search every query once per engine, keep the candidates
    python bench/search_ltr.py cv [--model hgb|pair] [--folds 5,4]   # per-fold fits, searched again
    python bench/search_ltr.py fit                # fit on all queries → models/search/ranker.json
    python bench/search_ltr.py cv --drop FEATURE  # the same folds with FEATURE held constant (a model without it)
    python bench/search_ltr.py compare A.json B.json  # two `cv --json` runs (e.g. main and a change), B − A

Prints nDCG@10 per fold, per set, per query type and engine, and a paired bootstrap over
the answer sites (2,000 draws) of learned minus shipped. CPU-seconds of every step.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import pickle
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gongwen_scratch import remove_stale  # noqa: E402
from bench.relevance import K, dcg, evaluate, load_jsonl, made_by, make_folds, query_group, real_items, real_key, terminable  # noqa: E402
from index.search import ltr, open_index  # noqa: E402

ENGINES = ("tantivy", "whoosh")
SCRATCH = Path(tempfile.gettempdir()) / "gongwen-search-ltr"
KINDS = ["section", "document"]
DROP: list[str] = []  # --drop: features held constant in fitting (the model without them, same capture)


# Sets never fitted on: measures. The blind set over the page notices, and fresh12, written over
# the dev page sets 2, 4, 6, 7, 10-14 (bench/relevance.py --page-set), which the fit's corpus
# (real_items: the shared notices) does not index either.
MEASURES = ("pages_queries.jsonl", "fresh12_queries.jsonl")


def all_queries() -> list[dict]:
    out = []
    rel = ROOT / "corpora" / "relevance"
    for qfile in sorted(rel.glob("*queries.jsonl")):
        if qfile.name == "queries.jsonl":  # the sample notices, another corpus
            continue
        if qfile.name in MEASURES:
            continue
        judged = {j["id"]: j["relevant"] for j in load_jsonl(qfile.with_name(qfile.name.replace("queries", "judgments")))}
        for q in load_jsonl(qfile):
            q["relevant"] = judged.get(q["id"], {})
            q["set"] = qfile.name.removesuffix("_queries.jsonl")
            out.append(q)
    return out


class Corpus:
    """The real notices indexed once per engine, and the key of a stored passage. The
    indexes live in a temp folder removed by close() (or leaving a `with` block, or at
    exit when neither ran; main() also on SIGTERM): each run left a gongwen-ltr-* folder of ≈6 MB behind."""

    def __init__(self, items: list | None = None, where: dict | None = None) -> None:
        self.items, self.where = (items, where or {}) if items is not None else real_items()
        self.texts = {it.id: it.text for it in self.items}
        remove_stale("gongwen-ltr-")  # what runs ended by SIGKILL left
        self._tmp = tempfile.TemporaryDirectory(prefix="gongwen-ltr-")
        self.folder = Path(self._tmp.name)
        self.ix = {}

    def close(self) -> None:
        for ix in self.ix.values():
            ix.close()
        self.ix.clear()
        self._tmp.cleanup()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def index(self, engine: str):
        if engine not in self.ix:
            ix = open_index(self.folder / engine, engine)
            ix.add(self.items)
            self.ix[engine] = ix
        return self.ix[engine]

    def key_of_fields(self, d: dict) -> str:
        return real_key(self.where.get(d.get("doc_id"), d.get("doc_id")), d.get("kind"), {}, d.get("path") or "",
                        self.texts.get(d.get("id"), ""))

    def key(self, hit) -> str:
        return real_key(self.where.get(hit.doc_id, hit.doc_id), hit.kind, {}, hit.path, self.texts.get(hit.id, ""))


def capture_key() -> str:
    """What a capture depends on: the items (relevance.made_by) and the search code and word
    lists that plan and rank the queries (index/search, corpora/synonyms*.txt). Keyed by the
    items alone, a capture made before a change to query planning was reused as the
    "shipped" side of the comparison after it."""
    h = hashlib.sha1(made_by().encode())
    for p in sorted((ROOT / "index" / "search").glob("*.py")) + sorted((ROOT / "corpora").glob("synonyms*.txt")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def capture(corpus: Corpus, queries: list[dict]) -> dict:
    """Per engine and query: the shipped result's row (relevance.evaluate) and the second
    look's candidates (features, keys), when it looked."""
    out = {}
    ltr.use(None)
    for e in ENGINES:
        ix = corpus.index(e)
        cands: dict[str, tuple] = {}
        cur = {}

        def grab(rows, x, cur=cur):
            cur["c"] = (x.copy(), [corpus.key_of_fields(d) for _, _, d in rows])
        ltr.capture = grab
        t = time.process_time()
        rows = []
        for q in queries:
            cur.clear()
            rows += evaluate(ix, [q], corpus.key, KINDS)[1]
            if "c" in cur:
                cands[q["id"]] = cur["c"]
        ltr.capture = None
        out[e] = {"rows": {r["id"]: r for r in rows}, "cands": cands, "cpu_s": time.process_time() - t}
        print(f"{e}: {len(rows)} queries searched, {len(cands)} looked at again, "
              f"{out[e]['cpu_s']:.1f} CPU-s", file=sys.stderr)
    return out


def gain(row: dict) -> float:
    if "ndcg" in row:
        return row["ndcg"]
    return 1.0 if row["n"] == 0 else 0.0


# ---- fitting -------------------------------------------------------------------------

def training(cap: dict, queries: list[dict], ids: set[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, grades and query group number of the candidates of queries `ids`, both engines."""
    xs, ys, gs = [], [], []
    g = 0
    for e in ENGINES:
        for q in queries:
            if q["id"] not in ids or q["id"] not in cap[e]["cands"] or not any(v > 0 for v in q["relevant"].values()):
                continue
            x, keys = cap[e]["cands"][q["id"]]
            if not ltr.windows_used(x):
                continue
            y = np.array([q["relevant"].get(k, 0) for k in keys], dtype=float)
            if y.max() == y.min():
                continue  # nothing to learn from: every candidate graded alike
            if DROP:
                x = x.copy()
                x[:, [ltr.FEATURES.index(f) for f in DROP]] = 0.0  # constant: no tree splits on it
            xs.append(x)
            ys.append(y)
            gs.append(np.full(len(y), g))
            g += 1
    return np.vstack(xs), np.concatenate(ys), np.concatenate(gs)


def fit(x: np.ndarray, y: np.ndarray, groups: np.ndarray, kind: str, **kw) -> ltr.Ranker:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    if kind == "pair":
        from sklearn.linear_model import LogisticRegression

        dx, dy = [], []
        rng = np.random.default_rng(0)
        for g in np.unique(groups):
            idx = np.flatnonzero(groups == g)
            for i in idx:
                for j in idx:
                    if y[i] > y[j]:
                        if rng.random() < kw.get("keep", 1.0):
                            dx.append(z[i] - z[j])
                            dy.append(1)
        dx = np.array(dx)
        dx = np.vstack([dx, -dx])
        dy = np.array([1] * (len(dx) // 2) + [0] * (len(dx) // 2))
        m = LogisticRegression(C=kw.get("C", 1.0), fit_intercept=False, max_iter=2000).fit(dx, dy)
        return ltr.Ranker({"features": list(ltr.FEATURES), "kind": "linear", "mean": mean.tolist(),
                           "scale": scale.tolist(), "coef": m.coef_[0].tolist()})
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    target = 2.0 ** y - 1.0
    # one OpenMP thread: on a shared, loaded machine the threads spin-wait (5 folds: 75 CPU-s
    # with two threads, 4.5 with one); the trees are the same (a refit is byte-identical)
    with threadpool_limits(1, user_api="openmp"):
        m = HistGradientBoostingRegressor(max_iter=kw.get("iters", 150), learning_rate=kw.get("lr", 0.05),
                                          max_depth=kw.get("depth", 4), min_samples_leaf=kw.get("leaf", 40),
                                          l2_regularization=1.0, early_stopping=False, random_state=0).fit(z, target)
    r = ltr.Ranker.from_trees(m, mean, scale)
    check = m.predict(z[:200])
    assert np.allclose(check, r.score(x[:200]), atol=1e-6), "tree export differs from sklearn"
    return r


# ---- scoring -------------------------------------------------------------------------

def offline(cap: dict, e: str, q: dict, ranker: ltr.Ranker) -> float:
    """A query's gain with `ranker` reordering the captured window (the shipped silence
    kept; siblings after the window's passages)."""
    row = cap[e]["rows"][q["id"]]
    if q["id"] not in cap[e]["cands"] or row["n"] == 0:
        return gain(row)
    rel = {k: g for k, g in q["relevant"].items() if g > 0}
    if not rel:
        return gain(row)
    x, keys = cap[e]["cands"][q["id"]]
    if not ltr.windows_used(x):
        return gain(row)
    s = ranker.score(x)
    order = sorted(range(len(keys)), key=lambda i: -s[i])
    got = list(dict.fromkeys(keys[i] for i in order))[:K]
    ideal = dcg(sorted(rel.values(), reverse=True)[:K])
    return dcg([rel.get(k, 0) for k in got]) / ideal


def searched(corpus: Corpus, e: str, qs: list[dict], ranker: ltr.Ranker | None) -> dict:
    ltr.use(ranker)
    try:
        return {r["id"]: r for r in evaluate(corpus.index(e), qs, corpus.key, KINDS)[1]}
    finally:
        ltr.use(None)


def site_boot(diffs: dict[str, float], sites: dict[str, str], draws: int = 2000) -> tuple[float, float, float, float]:
    """Mean difference and its 90 % / 95 % interval resampling sites (paired)."""
    by: dict[str, list[float]] = defaultdict(list)
    for qid, d in diffs.items():
        by[sites[qid]].append(d)
    names = sorted(by)
    rng = random.Random(0)
    means = []
    for _ in range(draws):
        pick = [rng.choice(names) for _ in names]
        vals = [d for s in pick for d in by[s]]
        means.append(sum(vals) / len(vals))
    means.sort()
    mean = sum(diffs.values()) / len(diffs)
    return mean, means[int(0.05 * draws)], means[int(0.95 * draws)], means[int(0.025 * draws)], means[int(0.975 * draws)]


def table(title: str, queries: list[dict], base: dict, new: dict) -> None:
    """nDCG@10 of answered queries (silent share for no-answer ones) by set and type, both engines."""
    print(f"\n{title}")
    print(f"{'group':<14}{'n':>4}" + "".join(f"{e[:4] + ' ship':>11}{e[:4] + ' ltr':>10}" for e in ENGINES))
    groups: dict[str, list[dict]] = defaultdict(list)
    for q in queries:
        groups["all"].append(q)
        groups["type:" + q.get("type", "?")].append(q)
        groups["set:" + q["set"]].append(q)
    for name in ["all"] + sorted(g for g in groups if g != "all"):
        qs = groups[name]
        ans = [q for q in qs if any(v > 0 for v in q["relevant"].values())]
        line = f"{name[:14]:<14}{len(qs):>4}"
        for e in ENGINES:
            if ans:
                b = np.mean([gain(base[e][q["id"]]) for q in ans])
                n = np.mean([gain(new[e][q["id"]]) for q in ans])
                line += f"{b:>11.3f}{n:>10.3f}"
            else:
                b = sum(base[e][q["id"]]["n"] == 0 for q in qs)
                n = sum(new[e][q["id"]]["n"] == 0 for q in qs)
                line += f"{f'{b}/{len(qs)}':>11}{f'{n}/{len(qs)}':>10}"
        print(line)


def compare(a_file: Path, b_file: Path) -> None:
    """The learned side of two `cv --json` runs over the same folds — main's code and a change
    to search, each with its own capture and per-fold fits — paired: B − A per engine, with the
    site bootstrap, per query type and per fold, and the no-answer queries' silence."""
    a, b = json.loads(a_file.read_text()), json.loads(b_file.read_text())
    queries = all_queries()
    answered = [q for q in queries if any(v > 0 for v in q["relevant"].values())]
    sites = {q["id"]: query_group(q) for q in queries}
    for k in (k for k in a if k in b):
        print(f"\n===== {k} folds: {b_file.name} − {a_file.name} (learned)")
        for e in ENGINES:
            A, B = a[k]["new"][e], b[k]["new"][e]
            diffs = {q["id"]: gain(B[q["id"]]) - gain(A[q["id"]]) for q in answered}
            m, lo90, hi90, lo95, hi95 = site_boot(diffs, sites)
            print(f"{e}: {np.mean([gain(A[q['id']]) for q in answered]):.4f} → "
                  f"{np.mean([gain(B[q['id']]) for q in answered]):.4f}, {m:+.4f}, site bootstrap 90 % "
                  f"[{lo90:+.4f}, {hi90:+.4f}], 95 % [{lo95:+.4f}, {hi95:+.4f}]; "
                  f"{sum(d > 1e-9 for d in diffs.values())} up, {sum(d < -1e-9 for d in diffs.values())} down")
            for t in sorted({q.get("type", "?") for q in answered}):
                tq = [q for q in answered if q.get("type", "?") == t]
                print(f"  {t:<13}{len(tq):>4} {np.mean([gain(A[q['id']]) for q in tq]):.3f} → "
                      f"{np.mean([gain(B[q['id']]) for q in tq]):.3f}")
            folds = [[q for q in answered if q["id"] in f] for f in make_folds(queries, int(k))]
            print("  per fold " + " ".join(f"{np.mean([diffs[q['id']] for q in f]):+.4f}" for f in folds))
            silent = [sum(X[q["id"]]["n"] == 0 for q in queries if q not in answered) for X in (A, B)]
            print(f"  no-answer queries silent {silent[0]} → {silent[1]} of {len(queries) - len(answered)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=("capture", "cv", "fit", "compare"))
    ap.add_argument("runs", nargs="*", type=Path, help="compare: two `cv --json` files, A then B")
    ap.add_argument("--model", default="hgb", choices=("hgb", "pair"))
    ap.add_argument("--folds", default="5,4")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--offline", action="store_true", help="cv: reorder the captured windows only (no search)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--drop", action="append", default=[], choices=ltr.FEATURES, metavar="FEATURE",
                    help="fit without this feature (held constant), e.g. to compare with a model before it")
    a = ap.parse_args()
    if a.step == "compare":
        if len(a.runs) != 2:
            ap.error("compare takes two cv --json files")
        return compare(*a.runs)
    with terminable() as stack:  # the indexes' temp folder goes on every way out, SIGTERM too
        run(a, stack)


def run(a: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    DROP[:] = a.drop
    kw = {k: float(v) if "." in v else int(v) for k, v in (p.split("=") for p in a.param)}
    queries = all_queries()
    # keyed by what makes the items (relevance.made_by): a capture over items of other
    # checklists is another corpus, not reused (issue #12)
    capfile = SCRATCH / f"capture-{capture_key()}.pkl"
    corpus = None
    if a.step == "capture" or not capfile.exists():
        corpus = stack.enter_context(Corpus())
        cap = capture(corpus, queries)
        SCRATCH.mkdir(parents=True, exist_ok=True)
        capfile.write_bytes(pickle.dumps(cap))
        if a.step == "capture":
            return
    cap = pickle.loads(capfile.read_bytes())
    answered = [q for q in queries if any(v > 0 for v in q["relevant"].values())]
    sites = {q["id"]: query_group(q) for q in queries}
    answered_ids = {q["id"] for q in answered}
    if a.step == "fit":
        t = time.process_time()
        x, y, g = training(cap, queries, {q["id"] for q in queries})
        r = fit(x, y, g, a.model, **kw)
        out = ROOT / "models" / "search" / "ranker.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(r.to_spec(), separators=(",", ":")), encoding="utf-8")
        print(f"fitted on {len(set(g))} query windows, {len(y)} candidates, {time.process_time() - t:.1f} CPU-s → {out}")
        return
    report = {}
    for k in (int(f) for f in a.folds.split(",")):
        folds = make_folds(queries, k)
        base = {e: dict(cap[e]["rows"]) for e in ENGINES}
        new: dict[str, dict] = {e: {} for e in ENGINES}
        fit_cpu = search_cpu = 0.0
        if corpus is None and not a.offline:
            corpus = stack.enter_context(Corpus())
        per_fold = []
        for f in folds:
            t = time.process_time()
            x, y, g = training(cap, queries, {q["id"] for q in queries} - f)
            r = fit(x, y, g, a.model, **kw)
            fit_cpu += time.process_time() - t
            held = [q for q in queries if q["id"] in f]
            t = time.process_time()
            for e in ENGINES:
                if a.offline:
                    for q in held:
                        new[e][q["id"]] = {**cap[e]["rows"][q["id"]], "ndcg": offline(cap, e, q, r)} \
                            if "ndcg" in cap[e]["rows"][q["id"]] else cap[e]["rows"][q["id"]]
                else:
                    new[e].update(searched(corpus, e, held, r))
            search_cpu += time.process_time() - t
            fa = [q for q in held if q["id"] in answered_ids]
            per_fold.append({e: (np.mean([gain(base[e][q["id"]]) for q in fa]), np.mean([gain(new[e][q["id"]]) for q in fa]))
                             for e in ENGINES} | {"n": len(fa)})
        print(f"\n===== {k} folds grouped by answer site ({a.model} {kw}); fit {fit_cpu:.1f} CPU-s, "
              f"search {search_cpu:.1f} CPU-s")
        for i, pf in enumerate(per_fold):
            print(f"fold {i}: {pf['n']} answered  " + "  ".join(
                f"{e} {pf[e][0]:.3f} → {pf[e][1]:.3f}" for e in ENGINES))
        table(f"{k} folds, held-out nDCG@10 (no-answer: silent)", queries, base, new)
        for e in ENGINES:
            diffs = {q["id"]: gain(new[e][q["id"]]) - gain(base[e][q["id"]]) for q in answered}
            m, lo90, hi90, lo95, hi95 = site_boot(diffs, sites)
            up = sum(d > 1e-9 for d in diffs.values())
            down = sum(d < -1e-9 for d in diffs.values())
            print(f"{e}: learned − shipped {m:+.4f}, site bootstrap 90 % [{lo90:+.4f}, {hi90:+.4f}], "
                  f"95 % [{lo95:+.4f}, {hi95:+.4f}]; {up} up, {down} down")
            sil = [q["id"] for q in queries if (base[e][q["id"]]["n"] == 0) != (new[e][q["id"]]["n"] == 0)]
            print(f"{e}: silence changed on {len(sil)} queries {sil[:10]}")
        report[k] = {"base": base, "new": new, "per_fold": per_fold}
    if a.json:
        a.json.write_text(json.dumps({k: {"new": v["new"]} for k, v in report.items()}, ensure_ascii=False, default=float))


if __name__ == "__main__":
    main()
