"""The field-log tagger: TF-IDF (jieba word 1–2-grams + character n-grams,
counted per clause) with logistic regression, per-label thresholds tuned on
held-out folds of the training data, and keyword evidence with a
negation/resolution scope rule for risks.

- Task categories: the mean of a one-vs-rest logistic regression on the whole
  log's TF-IDF vector and of window classifiers (as for risks, below): a log
  reports a task in one sentence among several.
- A risk lives in one or two clauses ("工人已经两个月没拿到钱"), and the same
  words denied or settled elsewhere in the log must not count. So risks are
  scored per window of one or two adjacent clauses, and a log's risk probability
  is its best window's. The window classifiers are trained as multiple-instance
  learners: windows of logs without the risk are negatives (including denied and
  settled mentions, which is how the model learns them); in a log with the risk,
  first the windows holding an un-negated keyword are positives, then the best
  scoring window(s) of each such log.

Decision rules
- tasks: every label whose probability passes its threshold; when none does, the
  single most probable label (this is the only way `other` is given besides its
  own threshold when no real category passes).
- risks: raised when (probability ≥ `hi` and the risk is not only mentioned as
  denied/settled) or (an un-negated strong keyword hit and probability ≥ `lo`).
  A risk with no keyword hit ("implied") is also dropped when the clause that
  carries it most is itself denied ("工资均按时足额发放，未出现延迟"), if tuning
  showed that helps for that label.
- every raised risk carries `evidence` {text, start, end} with offsets into the
  original text (the keyword hit, or the clause with the highest probability)
  and the taxonomy `severity`.
"""
from __future__ import annotations

import functools
import json
import os
import time
import warnings
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from ingest.errors import GongwenError
import scipy.sparse as sp

from nlp.tagging.features import ClauseFeatures, membership
from nlp.tagging.keywords import SENTENCE_END, Hit, KeywordMatcher
from nlp.tagging.normalize import clause_spans, normalize
from nlp.tagging.taxonomy import Taxonomy, load_taxonomy

FORMAT_VERSION = 3
ARTIFACT = "tagger.joblib"
META = "tagger.json"
TAXONOMY_COPY = "taxonomy.toml"

TASK_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
HI_GRID = np.round(np.arange(0.10, 0.951, 0.05), 3)
LO_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)


_WORKER_TAGGER: "Tagger | None" = None  # the model a forked worker process uses


def _in_worker(fn, batch):
    return fn(_WORKER_TAGGER, batch)


def _tag_texts(tagger: "Tagger", texts: list[str]) -> list["TagResult"]:
    return tagger._predict_batch(texts)


class ModelError(GongwenError):
    """No trained tagger where one was expected, or an unusable one."""

    code = "model_error"
    http_status = 503


@dataclass
class TaggerConfig:
    word: bool = True  # jieba word n-grams besides character n-grams
    hmm: bool = False  # jieba HMM for unknown words (slower)
    char_ngrams: tuple[int, int] = (1, 3)
    max_word: int = 30000
    max_char: int = 60000
    min_df: int = 2
    C_tasks: float = 2.0
    C_risks: float = 2.0
    task_threshold: float = 0.5  # on the mean of the log-level and best-window probabilities
    folds: int = 3  # held-out folds for threshold tuning
    mil_rounds: int = 1  # re-picks of the positive windows in logs with a risk
    neg_sample: float = 1.0  # share of plain negative windows kept (denied/keyword windows always kept)
    # A risk none of whose words occur in the log ("implied") needs at least this
    # probability: on unseen phrasing the window classifier over-generalises
    # (女职工母婴室投用 → women_workers), and held-out folds of the training data
    # do not show it, so the bar is set here rather than tuned.
    implied_floor: float = 0.9
    seed: int = 13
    batch_size: int = 1000


@dataclass
class TagResult:
    tasks: list[str]
    risks: list[dict]  # {"id", "severity", "evidence": {"text", "start", "end"}}
    task_scores: dict[str, float] = field(default_factory=dict)
    risk_scores: dict[str, float] = field(default_factory=dict)

    @property
    def risk_ids(self) -> list[str]:
        return [r["id"] for r in self.risks]

    def to_dict(self, id=None, scores: bool = False) -> dict:
        d: dict = {} if id is None else {"id": id}
        d["tasks"] = list(self.tasks)
        d["risks"] = [dict(r) for r in self.risks]
        if scores:
            d["task_scores"] = self.task_scores
            d["risk_scores"] = self.risk_scores
        return d


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(pred & gold))
    fp = float(np.sum(pred & ~gold))
    fn = float(np.sum(~pred & gold))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _plateau_pick(candidates: list[tuple], scores: list[float]):
    """The candidate in the middle of the best-score plateau (robust to noise)."""
    best = max(scores)
    top = [c for c, s in zip(candidates, scores) if s >= best - 1e-9]
    return top[len(top) // 2], best


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass
class _Views:
    """A batch of texts cut into clauses and windows, with their TF-IDF matrices."""

    norm: list[str]
    spans: list[list[tuple[int, int]]]  # clause spans per log
    win_owner: np.ndarray  # log of each window
    win_span: list[tuple[int, int]]  # (start, end) of each window in its log's text
    win_first: np.ndarray  # first window row of each log
    X_log: sp.csr_matrix
    X_win: sp.csr_matrix


def _windows(spans: list[list[tuple[int, int]]], first_clause: list[int]):
    """Windows of one clause and of two adjacent clauses, per log."""
    groups, owner, wspan = [], [], []
    for i, sp_i in enumerate(spans):
        base = first_clause[i]
        for k, (s, e) in enumerate(sp_i):
            groups.append([base + k])
            owner.append(i)
            wspan.append((s, e))
            if k + 1 < len(sp_i):
                groups.append([base + k, base + k + 1])
                owner.append(i)
                wspan.append((s, sp_i[k + 1][1]))
    return groups, np.asarray(owner, dtype=np.int64), wspan


def _group_max(values: np.ndarray, owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per owner (sorted, every owner present): max of `values` (rows × labels) and its row."""
    starts = np.searchsorted(owner, np.arange(n))
    mx = np.maximum.reduceat(values, starts, axis=0)
    arg = np.zeros(mx.shape, dtype=np.int64)
    for j in range(values.shape[1]):
        hit = values[:, j] == mx[owner, j]
        rows = np.flatnonzero(hit)
        first = np.full(n, -1, dtype=np.int64)
        first[owner[rows][::-1]] = rows[::-1]  # the earliest best row per owner
        arg[:, j] = first
    return mx, arg


class Tagger:
    """Multi-label tagger for field logs. `fit`, `predict`, `save`, `load`."""

    def __init__(self, taxonomy: Taxonomy | None = None, config: TaggerConfig | None = None):
        self.taxonomy = taxonomy or load_taxonomy()
        self.config = config or TaggerConfig()
        self.task_labels = self.taxonomy.task_ids
        self.risk_labels = self.taxonomy.risk_ids
        self.features: ClauseFeatures | None = None
        self.clf_tasks = None
        self.task_coef: np.ndarray | None = None
        self.task_bias: np.ndarray | None = None
        self.risk_coef: np.ndarray | None = None  # labels × features
        self.risk_bias: np.ndarray | None = None
        self.task_thresholds: dict[str, float] = {}
        self.risk_thresholds: dict[str, dict] = {}
        self.weak_keywords: dict[str, list[str]] = {}
        self.info: dict = {}
        self.matcher = KeywordMatcher(self.taxonomy)

    # ------------------------------------------------------------------ views
    def _views(self, texts: Sequence[str], fit: bool = False) -> _Views:
        norm = [normalize(t) for t in texts]
        spans = [clause_spans(t) or [(0, len(t))] for t in norm]
        first_clause = np.concatenate([[0], np.cumsum([len(s) for s in spans])]).astype(int).tolist()
        clauses = [t[s:e] for t, sp_i in zip(norm, spans) for s, e in sp_i]
        if fit:
            C = self.features.fit_counts(clauses)
        else:
            C = self.features.clause_counts(clauses)
        L = membership([list(range(first_clause[i], first_clause[i + 1])) for i in range(len(norm))], C.shape[0])
        log_counts = L @ C
        if fit:
            self.features.fit_weights(log_counts)
        groups, owner, wspan = _windows(spans, first_clause)
        W = membership(groups, C.shape[0])
        return _Views(norm, spans, owner, wspan, np.searchsorted(owner, np.arange(len(norm))),
                      self.features.weigh(log_counts), self.features.weigh(W @ C))

    # ------------------------------------------------------------------ training
    def _binarize(self, rows: Sequence[Iterable[str]], labels: list[str]) -> np.ndarray:
        index = {l: i for i, l in enumerate(labels)}
        Y = np.zeros((len(rows), len(labels)), dtype=bool)
        for i, row in enumerate(rows):
            for l in row or []:
                l = l["id"] if isinstance(l, dict) else l
                if l in index:
                    Y[i, index[l]] = True
        return Y

    def _lr(self, C: float):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(solver="liblinear", C=C, class_weight="balanced", max_iter=1000,
                                  random_state=self.config.seed)

    def _fit_tasks(self, X, Y):
        from sklearn.multiclass import OneVsRestClassifier

        clf = OneVsRestClassifier(self._lr(self.config.C_tasks))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a label with no positives gets a constant predictor
            clf.fit(X, Y.astype(int))
        for est in clf.estimators_:
            if hasattr(est, "coef_"):  # half the size on disk, same decisions to 1e-7
                est.coef_ = est.coef_.astype(np.float32)
                est.intercept_ = est.intercept_.astype(np.float32)
        return clf

    @staticmethod
    def _proba(clf, X) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            P = clf.predict_proba(X)
        return np.asarray(P, dtype=np.float64).reshape(X.shape[0], -1)

    def _fit_risks(self, v: _Views, Yr: np.ndarray, kw_win: np.ndarray, logs: np.ndarray, kw_any: np.ndarray):
        """Window classifiers (multiple-instance), one per column of `Yr`, trained on
        the logs `logs`; (coef, bias). Used for risks and for the task window head."""
        n_feat = v.X_win.shape[1]
        coef = np.zeros((Yr.shape[1], n_feat), dtype=np.float32)
        bias = np.full(Yr.shape[1], -10.0, dtype=np.float32)
        in_set = np.zeros(len(v.norm), dtype=bool)
        in_set[logs] = True
        win_in = in_set[v.win_owner]
        for j in range(Yr.shape[1]):
            pos_log = Yr[:, j] & in_set
            if not pos_log.any() or pos_log.sum() == in_set.sum():
                continue
            neg_rows = np.flatnonzero(win_in & ~Yr[v.win_owner, j])
            if self.config.neg_sample < 1.0:
                # Keep every negative window that mentions a risk word (denied, settled or of
                # another risk): they teach the boundaries. Thin out the plain ones, seeded.
                rnd = np.random.default_rng(self.config.seed + j)
                keep = kw_any[neg_rows] | (rnd.random(len(neg_rows)) < self.config.neg_sample)
                neg_rows = neg_rows[keep]
            pos_win = win_in & Yr[v.win_owner, j]
            pos_rows = np.flatnonzero(pos_win & kw_win[:, j])
            covered = np.zeros(len(v.norm), dtype=bool)
            covered[v.win_owner[pos_rows]] = True
            whole = np.flatnonzero(pos_log & ~covered)  # logs whose risk has no keyword: the whole log
            X = sp.vstack([v.X_win[neg_rows], v.X_win[pos_rows], v.X_log[whole]]).tocsr()
            y = np.r_[np.zeros(len(neg_rows)), np.ones(len(pos_rows) + len(whole))]
            clf = self._lr(self.config.C_risks).fit(X, y)
            for _ in range(self.config.mil_rounds):
                cand = np.flatnonzero(pos_win)
                p = clf.predict_proba(v.X_win[cand])[:, 1]
                owner = v.win_owner[cand]
                best = np.zeros(len(v.norm))
                np.maximum.at(best, owner, p)
                keep = cand[(p >= np.minimum(0.5, best[owner]))]
                X = sp.vstack([v.X_win[neg_rows], v.X_win[keep]]).tocsr()
                y = np.r_[np.zeros(len(neg_rows)), np.ones(len(keep))]
                clf = self._lr(self.config.C_risks).fit(X, y)
            coef[j] = clf.coef_[0]
            bias[j] = clf.intercept_[0]
        return coef, bias

    def _task_proba(self, v: _Views) -> np.ndarray:
        """Mean of the whole-log probability and the best window's: a log reports a
        task in one sentence among others, which the whole-log vector dilutes."""
        Pw, _ = _group_max(self._risk_window_proba(v.X_win, self.task_coef, self.task_bias), v.win_owner,
                           len(v.norm))
        return (self._proba(self.clf_tasks, v.X_log) + Pw) / 2

    def _risk_window_proba(self, X_win, coef=None, bias=None) -> np.ndarray:
        coef = self.risk_coef if coef is None else coef
        bias = self.risk_bias if bias is None else bias
        return _sigmoid(np.asarray(X_win @ coef.T, dtype=np.float64) + bias)

    def fit(self, texts: Sequence[str], tasks: Sequence[Sequence[str]], risks: Sequence[Sequence[str]],
            progress=None) -> "Tagger":
        """Fit features and classifiers, then tune thresholds on held-out folds.

        Inputs are sorted by text first, so the same data in any order gives the
        same model. `progress(step: str)` is called between stages if given."""
        from sklearn.model_selection import KFold

        say = progress or (lambda step: None)
        t0 = time.perf_counter()
        if len(texts) < 10:
            raise ModelError("训练数据太少（至少 10 条）")
        order = sorted(range(len(texts)), key=lambda i: (texts[i], sorted(map(str, tasks[i] or [])),
                                                            sorted(str(r["id"] if isinstance(r, dict) else r)
                                                                   for r in risks[i] or [])))
        texts = [texts[i] for i in order]
        Yt = self._binarize([tasks[i] for i in order], self.task_labels)
        Yr = self._binarize([risks[i] for i in order], self.risk_labels)
        c = self.config
        say("提取特征")
        # The vocabulary and IDF are unsupervised and fit once on all training texts;
        # only the classifiers are cross-fitted for the held-out probabilities.
        self.features = ClauseFeatures(c.word, tuple(c.char_ngrams), c.max_word, c.max_char,
                                       min_df=c.min_df if len(texts) >= 200 else 1, hmm=c.hmm)
        v = self._views(texts, fit=True)
        n = len(texts)
        hits = [self.matcher.find(t, normalized=True) for t in v.norm]
        self.weak_keywords = self._weak_keywords(hits, Yr)
        self.matcher = KeywordMatcher(self.taxonomy, {k: set(x) for k, x in self.weak_keywords.items()})
        hits = [self.matcher.find(t, normalized=True) for t in v.norm]
        kw_win = self._keyword_windows(v, hits)
        kw_any = self._keyword_windows(v, hits, negated_too=True).any(axis=1)

        oof_w = np.zeros((v.X_win.shape[0], len(self.risk_labels)))
        folds = max(2, min(c.folds, n // 5))
        for k, (tr, te) in enumerate(KFold(folds, shuffle=True, random_state=c.seed).split(np.arange(n))):
            say(f"交叉验证 {k + 1}/{folds}")
            coef, bias = self._fit_risks(v, Yr, kw_win, tr, kw_any)
            rows = np.flatnonzero(np.isin(v.win_owner, te))
            oof_w[rows] = self._risk_window_proba(v.X_win[rows], coef, bias)
        say("调阈值")
        self._tune(Yt, oof_w, Yr, hits, v)
        say("训练最终模型")
        self.clf_tasks = self._fit_tasks(v.X_log, Yt)
        self.task_coef, self.task_bias = self._fit_risks(v, Yt, self._keyword_windows(v, hits, kind="task"),
                                                         np.arange(n), np.zeros(len(v.win_owner), dtype=bool))
        self.risk_coef, self.risk_bias = self._fit_risks(v, Yr, kw_win, np.arange(n), kw_any)
        self.info = {"n_train": n, "folds": folds, "fit_seconds": round(time.perf_counter() - t0, 2),
                     "n_features": self.features.n_features, "n_windows": int(v.X_win.shape[0])}
        return self

    def _keyword_windows(self, v: _Views, hits: list[list[Hit]], negated_too: bool = False,
                         kind: str = "risk") -> np.ndarray:
        """windows × labels: the window holds an un-negated keyword of that label."""
        labels = self.risk_labels if kind == "risk" else self.task_labels
        index = {l: j for j, l in enumerate(labels)}
        K = np.zeros((len(v.win_owner), len(labels)), dtype=bool)
        n = len(v.norm)
        ends = np.r_[v.win_first[1:], len(v.win_owner)] if n else np.array([], dtype=int)
        for i, hs in enumerate(hits):
            for h in hs:
                if h.kind != kind or (h.negated and not negated_too and kind == "risk"):
                    continue
                for w in range(v.win_first[i], ends[i]):
                    s, e = v.win_span[w]
                    if s <= h.start and h.end <= e:
                        K[w, index[h.label]] = True
        return K

    def _weak_keywords(self, hits: list[list[Hit]], Yr: np.ndarray) -> dict[str, list[str]]:
        """Risk keywords that, un-negated, mostly occur in logs without that risk
        in the training data: they stay features but are no evidence on their own."""
        index = {l: i for i, l in enumerate(self.risk_labels)}
        seen: dict[tuple[str, str], list[int]] = {}
        for i, hs in enumerate(hits):
            for h in {(h.label, h.keyword) for h in hs if h.kind == "risk" and not h.negated}:
                seen.setdefault(h, []).append(int(Yr[i, index[h[0]]]))
        weak: dict[str, list[str]] = {}
        for (label, kw), ys in sorted(seen.items()):
            if len(ys) >= 3 and sum(ys) / len(ys) < 0.34:
                weak.setdefault(label, []).append(kw)
        return weak

    @staticmethod
    def _risk_state(hits: list[Hit], r: str):
        un = [h for h in hits if h.kind == "risk" and h.label == r and not h.negated]
        neg = any(h.kind == "risk" and h.label == r and h.negated for h in hits)
        strong = [h for h in un if h.strong]
        return un, neg, strong

    def _clause_denied(self, clause: str) -> bool:
        for cs, _, w, kind in self.matcher.cues(clause):
            if (kind == "pre" and len(w) > 2) or (kind == "post" and not any(
                    n in clause[max(0, cs - 2):cs] for n in "未没不无")):
                return True
        return False

    def _tune(self, Yt, Pw, Yr, hits, v: _Views):
        # Task thresholds are not tuned: on held-out folds of the (in-template)
        # training data the tuned values came out low and scored worse on the
        # separately written test split than the plain 0.5 on the averaged score.
        self.task_thresholds = {lab: self.config.task_threshold for lab in self.task_labels}
        n = len(v.norm)
        Pr, best = _group_max(Pw, v.win_owner, n)
        for j, lab in enumerate(self.risk_labels):
            gold = Yr[:, j]
            has_un_strong = np.zeros(n, bool)
            fully_neg = np.zeros(n, bool)
            no_hit = np.zeros(n, bool)
            denied = np.zeros(n, bool)
            for i in range(n):
                un, neg, strong = self._risk_state(hits[i], lab)
                has_un_strong[i] = bool(strong)
                fully_neg[i] = neg and not un
                no_hit[i] = not un and not neg
                if no_hit[i]:
                    s, e = v.win_span[best[i, j]]
                    denied[i] = self._clause_denied(v.norm[i][s:e])
            if not gold.any():
                self.risk_thresholds[lab] = {"hi": 0.5, "lo": 0.5, "clause_negation": True}
                continue
            p = Pr[:, j]
            cands, scores = [], []
            for cn in (True, False):
                block = fully_neg | (no_hit & denied) if cn else fully_neg
                for hi in HI_GRID:
                    base = (p >= hi) & ~block
                    for lo in LO_GRID:
                        if lo > hi:
                            continue
                        pred = base | (has_un_strong & (p >= lo))
                        cands.append((float(hi), float(lo), cn))
                        scores.append(_f1(pred, gold))
            (hi, lo, cn), _ = _plateau_pick(cands, scores)
            self.risk_thresholds[lab] = {"hi": hi, "lo": lo, "clause_negation": cn}

    # ---------------------------------------------------------------- prediction
    def _check_fitted(self):
        if self.features is None:
            raise ModelError("标注模型尚未训练")

    def predict(self, texts: Sequence[str], n_jobs: int = 1) -> list[TagResult]:
        """Tags for each text, in order. `n_jobs` > 1 tags batches in that many
        forked worker processes (jieba segmentation is CPU-bound pure Python)."""
        self._check_fitted()
        bs = max(1, self.config.batch_size)
        batches = [list(texts[k:k + bs]) for k in range(0, len(texts), bs)]
        out: list[TagResult] = []
        for res in self.map_batches(_tag_texts, batches, n_jobs):
            out.extend(res)
        return out

    def map_batches(self, fn, batches: Iterable, n_jobs: int = 1) -> Iterator:
        """`fn(tagger, batch)` over `batches`, in order; in `n_jobs` forked workers
        when more than one (the workers share the loaded model copy-on-write)."""
        self._check_fitted()
        if n_jobs <= 1 or not hasattr(os, "fork"):
            for b in batches:
                yield fn(self, b)
            return
        import multiprocessing

        global _WORKER_TAGGER
        self._predict_batch(["预热"])  # segmenter and caches built once, before the fork
        _WORKER_TAGGER = self
        with multiprocessing.get_context("fork").Pool(n_jobs) as pool:
            yield from pool.imap(functools.partial(_in_worker, fn), batches)

    def predict_one(self, text: str) -> TagResult:
        return self.predict([text])[0]

    def _predict_batch(self, texts: list[str]) -> list[TagResult]:
        if not texts:
            return []
        v = self._views(texts)
        Pt = self._task_proba(v)
        Pr, best = _group_max(self._risk_window_proba(v.X_win), v.win_owner, len(texts))
        oth = self.task_labels.index("other") if "other" in self.task_labels else None
        results = []
        for i, t in enumerate(v.norm):
            tasks = [l for j, l in enumerate(self.task_labels) if j != oth and Pt[i, j] >= self.task_thresholds[l]]
            if not tasks:
                j = int(np.argmax(Pt[i]))
                if oth is not None and Pt[i, oth] >= self.task_thresholds["other"]:
                    j = oth
                tasks = [self.task_labels[j]]
            hits = self.matcher.find(t, normalized=True)
            risks = []
            for j, lab in enumerate(self.risk_labels):
                th = self.risk_thresholds[lab]
                p = Pr[i, j]
                if p < th["lo"]:
                    continue
                un, neg, strong = self._risk_state(hits, lab)
                if strong:
                    h = strong[0]
                    risks.append(self._risk(lab, texts[i], h.start, h.end))
                elif p >= th["hi"] and not (neg and not un):
                    if un:
                        h = un[0]
                        risks.append(self._risk(lab, texts[i], h.start, h.end))
                        continue
                    if p < max(th["hi"], self.config.implied_floor) and not any(
                            h.kind == "risk" and h.label == lab for h in hits):
                        continue
                    s, e = v.win_span[best[i, j]]
                    # an implied risk whose best window, read to the end of its sentence, is
                    # denied or settled is not one ("…调整了派单规则，骑手的问题已解决。")
                    m_end = SENTENCE_END.search(t, e)
                    if self._clause_denied(t[s:m_end.start() if m_end else len(t)]):
                        continue
                    risks.append(self._risk(lab, texts[i], s, e))  # implied: the best window
            results.append(TagResult(tasks, risks,
                                     {l: round(float(Pt[i, j]), 4) for j, l in enumerate(self.task_labels)},
                                     {l: round(float(Pr[i, j]), 4) for j, l in enumerate(self.risk_labels)}))
        return results

    def _risk(self, lab: str, text: str, s: int, e: int) -> dict:
        return {"id": lab, "severity": self.taxonomy.severity(lab),
                "evidence": {"text": text[s:e], "start": s, "end": e}}

    # ------------------------------------------------------------------ storage
    def save(self, directory: str | Path) -> Path:
        """Write the artifact (joblib), thresholds and taxonomy copy into `directory`."""
        import joblib

        self._check_fitted()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / (ARTIFACT + ".tmp")
        joblib.dump({"features": self.features, "tasks": self.clf_tasks,
                     "task_coef": self.task_coef, "task_bias": self.task_bias,
                     "risk_coef": self.risk_coef, "risk_bias": self.risk_bias}, tmp, compress=3)
        meta = {
            "format": FORMAT_VERSION,
            "config": asdict(self.config),
            "task_labels": self.task_labels,
            "risk_labels": self.risk_labels,
            "task_thresholds": self.task_thresholds,
            "risk_thresholds": self.risk_thresholds,
            "weak_keywords": self.weak_keywords,
            "taxonomy_sha256": self.taxonomy.sha256,
            "info": self.info,
        }
        try:
            import sklearn

            meta["sklearn"] = sklearn.__version__
        except ImportError:  # pragma: no cover
            pass
        (d / META).write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if self.taxonomy.raw:
            (d / TAXONOMY_COPY).write_text(self.taxonomy.raw, encoding="utf-8")
        tmp.replace(d / ARTIFACT)
        return d

    @classmethod
    def load(cls, directory: str | Path, taxonomy: Taxonomy | None = None) -> "Tagger":
        """Load a saved tagger. The taxonomy is the one saved with it unless given."""
        import joblib

        d = Path(directory)
        if not (d / ARTIFACT).exists() or not (d / META).exists():
            raise ModelError(f"找不到已训练的标注模型（{d}），请先运行 gongwen train")
        meta = json.loads((d / META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ModelError(f"标注模型格式版本 {meta.get('format')} 与当前程序不符，请重新训练")
        if taxonomy is None:
            tax_path = d / TAXONOMY_COPY
            taxonomy = load_taxonomy(tax_path if tax_path.exists() else None)
        known = {f.name for f in fields(TaggerConfig)}
        cfg = {k: v for k, v in meta["config"].items() if k in known}  # older/newer keys ignored
        cfg["char_ngrams"] = tuple(cfg["char_ngrams"])
        self = cls(taxonomy, TaggerConfig(**cfg))
        if self.task_labels != meta["task_labels"] or self.risk_labels != meta["risk_labels"]:
            raise ModelError("标注模型的标签与标签体系不一致，请重新训练")
        parts = joblib.load(d / ARTIFACT)
        self.features, self.clf_tasks = parts["features"], parts["tasks"]
        self.risk_coef, self.risk_bias = parts["risk_coef"], parts["risk_bias"]
        self.task_coef, self.task_bias = parts["task_coef"], parts["task_bias"]
        self.task_thresholds = meta["task_thresholds"]
        self.risk_thresholds = meta["risk_thresholds"]
        self.weak_keywords = meta.get("weak_keywords", {})
        self.matcher = KeywordMatcher(taxonomy, {k: set(v) for k, v in self.weak_keywords.items()})
        self.info = meta.get("info", {})
        self.info["taxonomy_sha256"] = meta.get("taxonomy_sha256")
        return self
