"""Learned reranking of the second look's window (rerank.rerank): a small model, fitted on
the judged queries of corpora/relevance/ (bench/search_ltr.py, grouped by source site),
scores each of the engine's top RERANK_N passages from features the hand formula uses
only in part — which fields hold the query's concepts (title, heading path, heading,
text, context), how many characters and character pairs of a concept a passage holds
when it lacks the word, where a passage stands in its notice and in the window, how much
of the query its notice's other passages in the window hold. Both engines call it through
rerank.rerank with the same inputs, so they stay alike.

The model and its card live in models/search/. `LEARNED = False` (or GONGWEN_SEARCH_LEARNED=0)
switches it off: the hand formula alone orders the window, as before.
"""
from __future__ import annotations

import json
import math
import re
import threading
from pathlib import Path

import numpy as np

LEARNED = True  # False: the hand formula alone (also GONGWEN_SEARCH_LEARNED=0, ingest.settings)
MODEL_FILE = Path("search") / "ranker.json"  # under the models folder (GONGWEN_MODELS)

FEATURES = (
    "hand",          # the hand formula's score (rerank: engine score / best + COVER_WEIGHT × cover + prior)
    "hand_rank",     # log(1 + place) by the hand formula
    "engine",        # the engine's score / the window's best
    "engine_rank",   # log(1 + place) by the engine
    "cover",         # the hand formula's cover (idf-weighted share of the concepts held, slots on top)
    "cover_gap",     # cover − the window's best cover
    "c_title",       # idf-weighted share held in the notice's title
    "c_path",        # ... in the heading path above the passage
    "c_heading",     # ... in its own heading
    "c_text",        # ... in its text
    "c_context",     # ... in its context (the notice's opening words)
    "held_share",    # unweighted share of the concepts held whole
    "near_share",    # idf-weighted share held only in part (a word said alike, some parts)
    "chars",         # idf-weighted share of a concept's characters the heading and text hold
    "pairs",         # ... of its character pairs
    "unheld_max",    # the largest idf share of a concept nowhere in the passage
    "document",      # a whole-document item
    "long_doc",      # ... of a long notice (every word somewhere in its pages)
    "text_len",      # log(1 + characters of text)
    "heading_len",   # log(1 + characters of the heading)
    "place",         # log(1 + the section's place in its notice)
    "slot",          # rerank._slot_gain: the heading names the slot a question asks
    "doc_best",      # the best cover of a passage of the same notice in the window
    "doc_count",     # log(1 + passages of the same notice in the window)
    "doc_place",     # log(1 + the notice's place among the window's notices, by the engine)
    "question",      # the query is a question
    "n_concepts",    # log(1 + concepts)
    "span",          # how close together the held concepts stand in heading + text (1: adjacent, 0: apart)
    "relaxed",       # no item held every word typed (the engine's relaxed retry)
    "whole_share",   # share of the window holding every concept (cover 1 or more)
)


_PLACE = re.compile(r":p(\d+)s(\d+)$")


def _place_of(item_id: str) -> int:
    """A section's place in its notice (items: <doc>:p<part>s<n>); 0 for the document."""
    m = _PLACE.search(item_id)
    return int(m.group(2)) if m else 0


def _pairs(word: str) -> list[str]:
    return [word[i:i + 2] for i in range(len(word) - 1)]


def features(rows: list, concepts: list, weights: list[float], held_rows: list[list[float]], covers: list[float],
             hand: list[float], slots_gain: list[float], question: bool, relaxed: bool = False,
             field_rows: list[list[str]] | None = None) -> np.ndarray:
    """One row of FEATURES per (score, id, stored fields) of `rows` (the engine's order);
    `held_rows`: per row, how much of each concept the passage holds (rerank._held);
    `field_rows`: per row, its rerank.FIELDS normalized, when the caller has read them (rerank._fields)."""
    from .analysis import normalize
    from .rerank import DOC_LONG, FIELDS, NEAR_CREDIT, _whole_test

    n = len(rows)
    total = sum(weights) or 1.0
    x = []
    top = max(r[0] for r in rows) or 1.0
    hand_order = sorted(range(n), key=lambda i: (-hand[i], rows[i][1]))
    hand_rank = [0] * n
    for r, i in enumerate(hand_order):
        hand_rank[i] = r
    best_cover = max(covers) if covers else 0.0
    docs: dict[str, list[int]] = {}
    for i, (_, _, d) in enumerate(rows):
        docs.setdefault(d.get("doc_id") or "", []).append(i)
    doc_place = {doc: k for k, doc in enumerate(docs)}
    nq = math.log1p(len(concepts))
    whole = sum(c >= 0.999 for c in covers) / max(1, n)
    # per concept, read once for the window: whether a field holds it whole (a word said alike
    # counts NEAR_CREDIT, under 1, unless set to 1), its forms' characters and character pairs
    tests = [_whole_test(c, NEAR_CREDIT) for c in concepts]
    shapes = [([(a, max(1, len(a))) for a in (c.alts or (c.word,))],
               [ps for a in (c.alts or (c.word,)) if len(a) > 1 for ps in (_pairs(a),)]) for c in concepts]
    for i, (score, rid, d) in enumerate(rows):
        fields = field_rows[i] if field_rows is not None else [normalize(d.get(k) or "") for k in FIELDS]
        body = fields[2] + "\n" + fields[3]
        held = held_rows[i]
        # a concept not held whole in the passage is held whole in none of its fields
        whole_held = [(tests[k], w) for k, (w, h) in enumerate(zip(weights, held)) if h >= 1.0]
        per_field = [sum(w for t, w in whole_held if t(f)) / total for f in fields] if whole_held \
            else [0.0] * len(fields)
        chars = pairs = 0.0
        unheld = 0.0
        pos = []
        for c, w, h, (forms, prs) in zip(concepts, weights, held, shapes):
            if h >= 1.0:
                chars += w
                pairs += w
                p = min((q for a in c.alts if (q := body.find(a)) >= 0), default=-1)
                if p >= 0:
                    pos.append(p)
                continue
            if h <= 0:
                unheld = max(unheld, w / total)
            chars += w * max(sum(ch in body for ch in a) / k for a, k in forms)
            if prs:
                pairs += w * max(sum(p in body for p in ps) / len(ps) for ps in prs)
        text = d.get("text") or ""
        doc = d.get("kind") == "document"
        same = docs[d.get("doc_id") or ""]
        span = 0.0
        if len(pos) > 1:
            span = 1.0 / (1.0 + (max(pos) - min(pos)) / 20.0)
        x.append((
            hand[i], math.log1p(hand_rank[i]), score / top, math.log1p(i), covers[i], covers[i] - best_cover,
            *per_field,
            sum(h >= 1.0 for h in held) / max(1, len(held)),
            sum(w for w, h in zip(weights, held) if 0 < h < 1.0) / total,
            chars / total, pairs / total, unheld,
            float(doc), float(doc and len(text) > DOC_LONG),
            math.log1p(len(text)), math.log1p(len(d.get("heading") or "")), math.log1p(_place_of(rid)),
            slots_gain[i],
            max(covers[j] for j in same), math.log1p(len(same)), math.log1p(doc_place[d.get("doc_id") or ""]),
            float(question), nq, span, float(relaxed), whole,
        ))
    return np.array(x, dtype=np.float64).reshape(n, len(FEATURES))


# Only where the engine may match items without every word typed (a question, or the relaxed
# retry): there the window holds passages with parts of the query and the hand formula's one
# weight decides most. A strict query's window holds every word in every passage; fitted on
# all queries, the model lowered multi-word queries (0.905 -> 0.876, 5 grouped folds) and
# gained less overall (bench/search_ltr.py, models/search/MODEL_CARD.md). False: every query.
ANY_WORD_ONLY = True


def applies(question: bool, relaxed: bool) -> bool:
    """Whether the learned ranker orders this query's window."""
    return question or relaxed or not ANY_WORD_ONLY


def windows_used(x: np.ndarray) -> bool:
    """The same test on a window's features (fitting uses only the windows it orders)."""
    return applies(bool(x[0, FEATURES.index("question")]), bool(x[0, FEATURES.index("relaxed")]))


class Ranker:
    """A fitted model: standardised features → a score (a linear model, or boosted trees
    stored as arrays), read from MODEL_PATH."""

    def __init__(self, spec: dict) -> None:
        if tuple(spec["features"]) != FEATURES:
            raise ValueError("ranker features differ from the code's")
        self.kind = spec["kind"]
        self.mean = np.asarray(spec.get("mean", [0.0] * len(FEATURES)))
        self.scale = np.asarray(spec.get("scale", [1.0] * len(FEATURES)))
        if self.kind == "linear":
            self.coef = np.asarray(spec["coef"])
        elif self.kind == "trees":
            self.base = float(spec["base"])
            self.trees = [{k: np.asarray(v) for k, v in t.items()} for t in spec["trees"]]
            self._complete()
        else:
            raise ValueError(f"unknown ranker kind {self.kind}")

    def score(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        if self.kind == "linear":
            return z @ self.coef
        # every tree at once, level by level (a tree walked node by node in numpy cost ~7 ms
        # for a window of 50 and 150 trees). Gathers go through flat offsets into the raveled
        # arrays: numpy's two-array fancy indexing cost twice as much for a window of 100
        n, trees = len(z), len(self.trees)
        inner, leaves = self.c_feature.shape[1], self.c_value.shape[1]
        row = (np.arange(n) * z.shape[1])[:, None]
        zf, tree_at = z.ravel(), np.arange(trees) * inner
        node = np.zeros((n, trees), dtype=np.int64)
        for _ in range(self.depth):
            at = tree_at + node
            node = 2 * node + 1 + (zf[row + self._feature[at]] > self._threshold[at])
        return self.base + self._value[np.arange(trees) * leaves + node - (2 ** self.depth - 1)].sum(axis=1)

    def _complete(self) -> None:
        """The trees as complete binary trees of one depth (a leaf above it repeated below
        with a split that always goes left), in arrays (trees × nodes)."""
        def depth(t: dict, i: int) -> int:
            return 0 if t["leaf"][i] else 1 + max(depth(t, t["left"][i]), depth(t, t["right"][i]))

        d = max((depth(t, 0) for t in self.trees), default=0)
        inner, leaves = 2 ** d - 1, 2 ** d
        feat = np.zeros((len(self.trees), max(inner, 1)), dtype=np.int64)
        thr = np.full((len(self.trees), max(inner, 1)), np.inf)
        val = np.zeros((len(self.trees), leaves))
        for k, t in enumerate(self.trees):
            todo = [(0, 0, 0)]  # (node of the tree, place in the complete tree, level)
            while todo:
                i, pos, lev = todo.pop()
                if lev == d:
                    val[k, pos - inner] = t["value"][i]
                elif t["leaf"][i]:
                    todo += [(i, 2 * pos + 1, lev + 1), (i, 2 * pos + 2, lev + 1)]  # thr inf: both alike
                else:
                    feat[k, pos], thr[k, pos] = t["feature"][i], t["threshold"][i]
                    todo += [(t["left"][i], 2 * pos + 1, lev + 1), (t["right"][i], 2 * pos + 2, lev + 1)]
        self.depth, self.c_feature, self.c_threshold, self.c_value = d, feat, thr, val
        self._feature, self._threshold, self._value = feat.ravel(), thr.ravel(), val.ravel()

    @classmethod
    def from_trees(cls, fitted, mean: np.ndarray, scale: np.ndarray) -> Ranker:
        """A scikit-learn HistGradientBoostingRegressor fitted on standardised features
        ((x − mean) / scale), as arrays: scored without scikit-learn, alike to its predict."""
        trees = []
        for (pred,) in fitted._predictors:
            nd = pred.nodes
            trees.append({"feature": nd["feature_idx"].astype(int).tolist(),
                          "threshold": nd["num_threshold"].astype(float).tolist(),
                          "left": nd["left"].astype(int).tolist(), "right": nd["right"].astype(int).tolist(),
                          "leaf": nd["is_leaf"].astype(bool).tolist(), "value": nd["value"].astype(float).tolist()})
        return cls({"features": list(FEATURES), "kind": "trees", "mean": np.asarray(mean).tolist(),
                    "scale": np.asarray(scale).tolist(), "base": float(np.ravel(fitted._baseline_prediction)[0]),
                    "trees": trees})

    def to_spec(self) -> dict:
        spec = {"features": list(FEATURES), "kind": self.kind, "mean": self.mean.tolist(), "scale": self.scale.tolist()}
        if self.kind == "linear":
            spec["coef"] = self.coef.tolist()
        else:
            spec["base"] = self.base
            spec["trees"] = [{k: v.tolist() for k, v in t.items()} for t in self.trees]
        return spec


# bench/search_ltr.py: called with (rows, features) at every reranking while set
capture = None

_lock = threading.Lock()
_model: Ranker | None = None
_loaded = False


def model() -> Ranker | None:
    """The shipped ranker (None: switched off, or no model file)."""
    global _model, _loaded
    if not LEARNED:
        return None
    if not _loaded:
        from ingest.settings import Settings

        with _lock:
            if not _loaded:
                s = Settings()
                try:
                    _model = Ranker(json.loads((s.models_dir / MODEL_FILE).read_text(encoding="utf-8"))) \
                        if s.search_learned else None
                except (OSError, ValueError, KeyError):
                    _model = None  # no model file: the hand formula, as before the model shipped
                _loaded = True
    return _model


def use(ranker: Ranker | None) -> None:
    """Rank with `ranker` from now on (None: the hand formula alone); for fitting and tests."""
    global _model, _loaded
    with _lock:
        _model, _loaded = ranker, True
