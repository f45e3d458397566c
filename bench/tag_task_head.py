"""Variants of the whole-text task head judged on the folds of a cache of
bench/tag_task_cache.py at an eighth of its cost: per outer fold the task heads are fitted with
the window head left out, the whole-text head's inner held-out and test probabilities replace
the cache's, and the window head's come from the cache (the same data in the same order: checked).
Judge the new cache with `bench/tag_task_rules.py OUT --rule second` (what ships).

Variants of the whole-text head (each alone or together; none: the cache again, exactly):
  --set C_tasks=4 / task_vec=2   TaggerConfig fields that only the whole-text head reads
  --real-weight W                a real passage's weight in its fits (the window head keeps real_weight)
  --class-weight none            no class balancing in its logistic regressions
  --starts W                     W × hashed character 2-3-grams of each clause's first 4 characters
                                 (who acts: 工会…, 公司…, 人社局…), l2-normed, appended to its rows
  --cues W                       W × log(1 + count) of the cue classes of bench/tag_task_rules.CUES
  --sup-weight W                 W: the weight of the hand-written supplement logs (train_supplement.jsonl, ids ts-…)
                                 in its fits, against log_weight for the template logs
  --nb ALPHA                     per label, the TF-IDF columns scaled by the naive-Bayes log-count ratio of
                                 their presence (NBSVM, Wang & Manning 2012; ALPHA the smoothing count), the
                                 ratio folded into the coefficients (same model format and speed)

usage: python bench/tag_task_head.py --base CACHE --out DIR [--folds 5] [variants]
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WHOLE_ONLY = ("C_tasks", "task_vec")  # config fields the window head and the features do not read


def _bench(name: str):
    """A sibling bench script as a module (bench/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _columns(norm: list[str], starts: float, cues: float) -> np.ndarray | None:
    from sklearn.feature_extraction.text import HashingVectorizer

    from nlp.tagging.normalize import clause_spans

    blocks = []
    if starts > 0:
        hv = HashingVectorizer(analyzer="char", ngram_range=(2, 3), n_features=2 ** 14, alternate_sign=False)
        docs = [" | ".join(t[a:min(b, a + 4)] for a, b in (clause_spans(t) or [(0, len(t))])) for t in norm]
        blocks.append(hv.transform(docs).toarray() * starts)
    if cues > 0:
        rules = _bench("tag_task_rules")
        blocks.append(rules._cue_cols(norm, [k for k in rules.CUES]) * cues)
    return np.hstack(blocks) if blocks else None


def nb_ratios(X, Y, w, alpha: float, n_sparse: int) -> np.ndarray:
    """labels × columns: the naive-Bayes log-count ratio of each of the first `n_sparse` columns'
    presence (weighted by `w`) in a label's texts against the others'; 1 for the dense columns."""
    B = (X[:, :n_sparse] > 0).astype(np.float64)
    w = np.ones(X.shape[0]) if w is None else np.asarray(w, dtype=np.float64)
    R = np.ones((Y.shape[1], X.shape[1]))
    for j in range(Y.shape[1]):
        pos = Y[:, j]
        if pos.any() and not pos.all():
            p = alpha + np.asarray(B[pos].T @ w[pos]).ravel()
            q = alpha + np.asarray(B[~pos].T @ w[~pos]).ravel()
            R[j, :n_sparse] = np.log((p / p.sum()) / (q / q.sum()))
    return R


def nb_fit(model, X, Y, w, alpha: float):
    """The whole-text head's fit (Tagger._fit_tasks) on NB-scaled columns, the scale folded back
    into the coefficients: X·(r ⊙ c) = (X ⊙ r)·c."""
    n_sparse = model.features.n_features
    R = nb_ratios(X, Y, w, alpha, n_sparse)
    coef = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
    bias = np.full(Y.shape[1], -30.0, dtype=np.float32)
    for j in range(Y.shape[1]):
        if Y[:, j].all():
            bias[j] = 30.0
        elif Y[:, j].any():
            Xj = X @ sp.diags(R[j]) if sp.issparse(X) else X * R[j]
            clf = model._lr(model.config.C_tasks).fit(Xj, Y[:, j].astype(int), sample_weight=w)
            coef[j], bias[j] = clf.coef_[0] * R[j], clf.intercept_[0]
    return coef, bias


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, required=True, help="a cache of bench/tag_task_cache.py")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    ap.add_argument("--real-weight", type=float, default=None)
    ap.add_argument("--class-weight", choices=("balanced", "none"), default="balanced")
    ap.add_argument("--starts", type=float, default=0.0)
    ap.add_argument("--cues", type=float, default=0.0)
    ap.add_argument("--nb", type=float, default=0.0)
    ap.add_argument("--sup-weight", type=float, default=None)
    a = ap.parse_args()
    from nlp.tagging import Tagger, TaggerConfig, load_taxonomy

    cache = _bench("tag_task_cache")
    corpora = ROOT / "corpora"
    real, folds = cache.fold_rows(a.folds)
    cfg = TaggerConfig()
    for kv in a.set:
        k, _, v = kv.partition("=")
        if k not in WHOLE_ONLY:
            sys.exit(f"只能改整段任务头的字段 {WHOLE_ONLY}：{k}")
        cfg = replace(cfg, **{k: type(getattr(cfg, k))(v)})

    class Whole(Tagger):
        """The tagger with the window head left out and the whole-text head's variant."""

        def _fit_task_windows(self, v, Yt, kw_task, logs, no_kw, w):
            return (np.zeros((len(self.task_labels), v.X_win.shape[1]), dtype=np.float32),
                    np.full(len(self.task_labels), -30.0, dtype=np.float32))

        def _lr(self, C):
            m = super()._lr(C)
            return m.set_params(class_weight=None) if a.class_weight == "none" else m

        def _fit_tasks(self, X, Y, w=None):
            if a.real_weight is not None and w is not None:
                w = np.where(w == self.config.real_weight, a.real_weight, w)
            if a.nb > 0:
                return nb_fit(self, X, Y, w, a.nb)
            return super()._fit_tasks(X, Y, w)

        def _views(self, texts, fit=False):
            v = super()._views(texts, fit)
            E = _columns(v.norm, a.starts, a.cues)
            if E is not None:
                v.X_tlog = sp.hstack([v.X_tlog, sp.csr_matrix(E)], format="csr")
            return v

    from nlp.tagging.normalize import normalize

    sup = {normalize(r["text"]) for rows, _ in folds for r in rows if str(r["id"]).startswith("ts-")}

    def _heads(self, v, Yt, kw_task, w, *rest):
        if a.sup_weight is not None:
            w = np.where(np.isin(np.array(v.norm, dtype=object), list(sup)), a.sup_weight, w)
        return Tagger._fit_task_heads(self, v, Yt, kw_task, w, *rest)

    Whole._fit_task_heads = _heads
    taxonomy = load_taxonomy(corpora / "taxonomy.toml")
    a.out.mkdir(parents=True, exist_ok=True)
    t0 = time.process_time()
    for k, (rows, held) in enumerate(folds):
        base = dict(np.load(a.base / f"fold{k}.npz", allow_pickle=False))
        m = cache.fit_tasks(Whole(taxonomy, cfg), rows)
        if list(m._task_oof["norm"]) != list(base["norm"]) or [r["id"] for r in held] != list(base["te_ids"]):
            sys.exit(f"第 {k} 折的数据与缓存不同：请用同样的数据和折数重建缓存（bench/tag_task_cache.py）")
        v = m._views([r["text"] for r in held])
        Pl, _ = m._task_proba(v, np.arange(len(held)), m.log_coef.astype(np.float32), m.log_bias,
                              m.task_coef.astype(np.float32), m.task_bias, parts=True)
        np.savez_compressed(a.out / f"fold{k}.npz", **{**base, "Pl": m._task_oof["Pl"], "te_Pl": Pl})
        print(f"fold {k + 1}/{a.folds} {time.process_time() - t0:.0f} CPU-s", file=sys.stderr, flush=True)
    (a.out / "labels.json").write_text((a.base / "labels.json").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
