"""The field-log tagger: TF-IDF (jieba word 1–2-grams + character n-grams) with
one-vs-rest logistic regression for task categories and for risk signals, per-label
thresholds tuned on held-out folds of the training data, and keyword evidence
with a negation/resolution scope rule for risks.

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

import json
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ingest.errors import GongwenError
from nlp.tagging.features import build_features
from nlp.tagging.keywords import Hit, KeywordMatcher
from nlp.tagging.normalize import clause_spans, normalize
from nlp.tagging.taxonomy import Taxonomy, load_taxonomy

FORMAT_VERSION = 1
ARTIFACT = "tagger.joblib"
META = "tagger.json"
TAXONOMY_COPY = "taxonomy.toml"

TASK_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
HI_GRID = np.round(np.arange(0.10, 0.951, 0.05), 3)
LO_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)


class ModelError(GongwenError):
    """No trained tagger where one was expected, or an unusable one."""

    code = "model_error"
    http_status = 503


@dataclass
class TaggerConfig:
    word: bool = True  # jieba word n-grams besides character n-grams
    char_ngrams: tuple[int, int] = (1, 3)
    max_word: int = 30000
    max_char: int = 60000
    min_df: int = 2
    C_tasks: float = 10.0
    C_risks: float = 10.0
    folds: int = 5  # held-out folds for threshold tuning
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


class Tagger:
    """Multi-label tagger for field logs. `fit`, `predict`, `save`, `load`."""

    def __init__(self, taxonomy: Taxonomy | None = None, config: TaggerConfig | None = None):
        self.taxonomy = taxonomy or load_taxonomy()
        self.config = config or TaggerConfig()
        self.task_labels = self.taxonomy.task_ids
        self.risk_labels = self.taxonomy.risk_ids
        self.features = None
        self.clf_tasks = None
        self.clf_risks = None
        self.task_thresholds: dict[str, float] = {}
        self.risk_thresholds: dict[str, dict] = {}
        self.weak_keywords: dict[str, list[str]] = {}
        self.info: dict = {}
        self.matcher = KeywordMatcher(self.taxonomy)

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

    def _head(self, C: float):
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        return OneVsRestClassifier(LogisticRegression(solver="liblinear", C=C, class_weight="balanced",
                                                      max_iter=1000, random_state=self.config.seed))

    def _fit_head(self, C, X, Y):
        clf = self._head(C)
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

    def fit(self, texts: Sequence[str], tasks: Sequence[Sequence[str]], risks: Sequence[Sequence[str]],
            progress=None) -> "Tagger":
        """Fit features and classifiers, then tune thresholds on held-out folds.

        Inputs are sorted by text first, so the same data in any order gives the
        same model. `progress(step: str)` is called between stages if given."""
        from sklearn.model_selection import KFold

        say = progress or (lambda step: None)
        t0 = time.perf_counter()
        order = sorted(range(len(texts)), key=lambda i: (texts[i], sorted(map(str, tasks[i] or [])),
                                                            sorted(str(r["id"] if isinstance(r, dict) else r)
                                                                   for r in risks[i] or [])))
        texts = [texts[i] for i in order]
        norm = [normalize(t) for t in texts]
        Yt = self._binarize([tasks[i] for i in order], self.task_labels)
        Yr = self._binarize([risks[i] for i in order], self.risk_labels)
        if len(texts) < 10:
            raise ModelError("训练数据太少（至少 10 条）")
        c = self.config
        say("提取特征")
        # The TF-IDF vocabulary is unsupervised and fit once on all training texts;
        # only the classifiers are cross-fitted for the held-out probabilities.
        self.features = build_features(c.word, tuple(c.char_ngrams), c.max_word, c.max_char,
                                       min_df=c.min_df if len(texts) >= 200 else 1)
        X = self.features.fit_transform(norm)
        for _, vec in self.features.transformer_list:
            vec.stop_words_ = None  # only kept for introspection; large on disk
        hits = [self.matcher.find(t, normalized=True) for t in norm]
        self.weak_keywords = self._weak_keywords(hits, Yr)
        self.matcher = KeywordMatcher(self.taxonomy, {k: set(v) for k, v in self.weak_keywords.items()})
        hits = [self.matcher.find(t, normalized=True) for t in norm]

        # clause matrix: held-out clause probabilities drive the implied-risk rule
        spans = [clause_spans(t) for t in norm]
        clause_owner = np.array([i for i, sp in enumerate(spans) for _ in sp], dtype=int)
        Xc = self.features.transform([norm[i][s:e] for i, sp in enumerate(spans) for s, e in sp])

        oof_t = np.zeros(Yt.shape)
        oof_r = np.zeros(Yr.shape)
        oof_c = np.zeros((Xc.shape[0], len(self.risk_labels)))
        folds = max(2, min(c.folds, len(texts) // 5))
        for k, (tr, te) in enumerate(KFold(folds, shuffle=True, random_state=c.seed).split(norm)):
            say(f"交叉验证 {k + 1}/{folds}")
            ct = self._fit_head(c.C_tasks, X[tr], Yt[tr])
            cr = self._fit_head(c.C_risks, X[tr], Yr[tr])
            oof_t[te] = self._proba(ct, X[te])
            oof_r[te] = self._proba(cr, X[te])
            crows = np.flatnonzero(np.isin(clause_owner, te))
            if len(crows):
                oof_c[crows] = self._proba(cr, Xc[crows])
        say("调阈值")
        self._tune(oof_t, Yt, oof_r, Yr, hits, norm, spans, clause_owner, oof_c)
        say("训练最终模型")
        self.clf_tasks = self._fit_head(c.C_tasks, X, Yt)
        self.clf_risks = self._fit_head(c.C_risks, X, Yr)
        self.info = {"n_train": len(texts), "folds": folds, "fit_seconds": round(time.perf_counter() - t0, 2),
                     "n_features": int(X.shape[1])}
        return self

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

    def _risk_evidence_state(self, hits: list[Hit], r: str):
        un = [h for h in hits if h.kind == "risk" and h.label == r and not h.negated]
        neg = any(h.kind == "risk" and h.label == r and h.negated for h in hits)
        strong = [h for h in un if h.strong]
        return un, neg, strong

    def _clause_denied(self, clause: str) -> bool:
        for _, _, w, kind in self.matcher.cues(clause):
            if (kind == "pre" and len(w) > 1) or kind == "post":
                return True
        return False

    def _tune(self, Pt, Yt, Pr, Yr, hits, norm, spans, clause_owner, Pc):
        for j, lab in enumerate(self.task_labels):
            if not Yt[:, j].any():
                self.task_thresholds[lab] = 0.5
                continue
            scores = [_f1(Pt[:, j] >= t, Yt[:, j]) for t in TASK_GRID]
            self.task_thresholds[lab], _ = _plateau_pick([float(t) for t in TASK_GRID], scores)
        n = len(norm)
        # per log: first clause row, to find each log's best clause per risk
        first = np.searchsorted(clause_owner, np.arange(n))
        counts = np.bincount(clause_owner, minlength=n)
        for j, lab in enumerate(self.risk_labels):
            gold = Yr[:, j]
            has_un_strong = np.zeros(n, bool)
            fully_neg = np.zeros(n, bool)
            no_hit = np.zeros(n, bool)
            denied = np.zeros(n, bool)
            for i in range(n):
                un, neg, strong = self._risk_evidence_state(hits[i], lab)
                has_un_strong[i] = bool(strong)
                fully_neg[i] = neg and not un
                no_hit[i] = not un and not neg
                if no_hit[i] and counts[i]:
                    b = first[i] + int(np.argmax(Pc[first[i]:first[i] + counts[i], j]))
                    s, e = spans[i][b - first[i]]
                    denied[i] = self._clause_denied(norm[i][s:e])
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

    def predict(self, texts: Sequence[str]) -> list[TagResult]:
        """Tags for each text, in order."""
        self._check_fitted()
        out: list[TagResult] = []
        bs = max(1, self.config.batch_size)
        for k in range(0, len(texts), bs):
            out.extend(self._predict_batch(list(texts[k:k + bs])))
        return out

    def predict_one(self, text: str) -> TagResult:
        return self.predict([text])[0]

    def _predict_batch(self, texts: list[str]) -> list[TagResult]:
        norm = [normalize(t) for t in texts]
        X = self.features.transform(norm)
        Pt = self._proba(self.clf_tasks, X)
        Pr = self._proba(self.clf_risks, X)
        results = []
        pending: list[tuple[int, int]] = []  # (log, risk index) needing the best clause
        raised: list[dict[int, dict]] = []
        for i, t in enumerate(norm):
            tasks = [l for j, l in enumerate(self.task_labels) if l != "other" and Pt[i, j] >= self.task_thresholds[l]]
            if not tasks:
                j = int(np.argmax(Pt[i]))
                oth = self.task_labels.index("other") if "other" in self.task_labels else None
                if oth is not None and Pt[i, oth] >= self.task_thresholds["other"]:
                    j = oth
                tasks = [self.task_labels[j]]
            hits = self.matcher.find(t, normalized=True)
            mine: dict[int, dict] = {}
            for j, lab in enumerate(self.risk_labels):
                th = self.risk_thresholds[lab]
                p = Pr[i, j]
                un, neg, strong = self._risk_evidence_state(hits, lab)
                if strong and p >= th["lo"]:
                    h = strong[0]
                    mine[j] = self._risk(lab, texts[i], h.start, h.end)
                elif p >= th["hi"] and not (neg and not un):
                    if un:
                        h = un[0]
                        mine[j] = self._risk(lab, texts[i], h.start, h.end)
                    else:
                        mine[j] = None  # implied: evidence (and the clause check) below
                        pending.append((i, j))
            raised.append(mine)
            results.append(TagResult(tasks, [], {l: round(float(Pt[i, j]), 4) for j, l in enumerate(self.task_labels)},
                                     {l: round(float(Pr[i, j]), 4) for j, l in enumerate(self.risk_labels)}))
        if pending:
            self._implied_evidence(texts, norm, pending, raised)
        for i, res in enumerate(results):
            res.risks = [raised[i][j] for j in sorted(raised[i]) if raised[i][j] is not None]
        return results

    def _implied_evidence(self, texts, norm, pending, raised):
        logs = sorted({i for i, _ in pending})
        spans = {i: clause_spans(norm[i]) or [(0, len(norm[i]))] for i in logs}
        rows = [(i, s, e) for i in logs for s, e in spans[i]]
        Pc = self._proba(self.clf_risks, self.features.transform([norm[i][s:e] for i, s, e in rows]))
        where: dict[int, list[int]] = {}
        for r, (i, _, _) in enumerate(rows):
            where.setdefault(i, []).append(r)
        for i, j in pending:
            lab = self.risk_labels[j]
            best = max(where[i], key=lambda r: Pc[r, j])
            _, s, e = rows[best]
            if self.risk_thresholds[lab].get("clause_negation") and self._clause_denied(norm[i][s:e]):
                del raised[i][j]
                continue
            raised[i][j] = self._risk(lab, texts[i], s, e)

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
        joblib.dump({"features": self.features, "tasks": self.clf_tasks, "risks": self.clf_risks}, tmp, compress=3)
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
        cfg = dict(meta["config"])
        cfg["char_ngrams"] = tuple(cfg["char_ngrams"])
        self = cls(taxonomy, TaggerConfig(**cfg))
        if self.task_labels != meta["task_labels"] or self.risk_labels != meta["risk_labels"]:
            raise ModelError("标注模型的标签与标签体系不一致，请重新训练")
        parts = joblib.load(d / ARTIFACT)
        self.features, self.clf_tasks, self.clf_risks = parts["features"], parts["tasks"], parts["risks"]
        self.task_thresholds = meta["task_thresholds"]
        self.risk_thresholds = meta["risk_thresholds"]
        self.weak_keywords = meta.get("weak_keywords", {})
        self.matcher = KeywordMatcher(taxonomy, {k: set(v) for k, v in self.weak_keywords.items()})
        self.info = meta.get("info", {})
        self.info["taxonomy_sha256"] = meta.get("taxonomy_sha256")
        return self
