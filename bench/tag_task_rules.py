"""Replays task decision rules on the caches of bench/tag_task_cache.py: per outer fold, the
rule is fitted on the inner folds' held-out head probabilities and applied to the held-out
passages' head probabilities, through the model's own code (Tagger._tune_tasks, _fit_gate,
_decision_matrix), so `base` gives exactly what `bench/tag_cv.py --tasks-only` gives.
Nothing is refitted but the decision layer: seconds per rule instead of an hour per run.

Rules (--rule):
  base     the decision before session 14: per-label thresholds, then the union-work gate
  retune   as base, then every label's threshold re-chosen (two passes) by the macro-F1 of
           the whole decision, the gate included, on the inner folds
  stack    label co-occurrence: per label a logistic regression over both heads' logits of
           every label (16 columns), cross-fitted over the inner folds; thresholds and the gate
           on its held-out output (--stack-rows real: fitted on the real passages only)
  mix      per-label weight of the whole-text head against the window head (TaggerConfig.task_mix)
  real     thresholds chosen by the F1 on the real passages alone (not the mean of real and logs)
  second   as base, then a second bar per union task for texts where another union task is more
           probable (Tagger._fit_second, TaggerConfig.task_second: what ships since session 14)
--gate-cue W1,W2,... adds a gate column: log(1 + count of the words) where no union organ is named.

Figures: macro-F1 on all passages and apart on the `--design` passages (default: the sites of
folds 0-1 of the 5-fold partition, on which rules were designed) and on the rest.

usage: python bench/tag_task_rules.py CACHE_DIR [--rule base] [--preds out.jsonl] [--stack-rows all|real]
                                      [--gate-cue 调查,调研]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _stack(X: np.ndarray, Y: np.ndarray, w: np.ndarray, rows: np.ndarray, splits, X_te: np.ndarray):
    """Held-out (cross-fitted) and test outputs of one logistic regression per label."""
    from sklearn.linear_model import LogisticRegression

    def fit_apply(tr, Xa):
        out = np.zeros((len(Xa), Y.shape[1]))
        for j in range(Y.shape[1]):
            if Y[tr, j].any() and not Y[tr, j].all():
                clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
                out[:, j] = clf.fit(X[tr], Y[tr, j].astype(int), sample_weight=w[tr]).predict_proba(Xa)[:, 1]
        return out

    S = np.zeros(Y.shape)
    for tr, te in splits:
        S[te] = fit_apply(tr[rows[tr]], X[te])
    return S, fit_apply(np.flatnonzero(rows), X_te)


def _retune(m, P, Y, dom, g) -> None:
    """Each label's threshold re-chosen by the macro-F1 of the whole decision (gate included)."""
    from nlp.tagging.model import TASK_GRID, _bal_f1, _plateau_pick

    labelled = [j for j in range(Y.shape[1]) if Y[:, j].any()]

    def macro(D):
        return float(np.mean([_bal_f1(D[:, j], Y[:, j], dom) for j in labelled]))

    for _ in range(2):
        for j, lab in enumerate(m.task_labels):
            if j not in labelled or (lab == "other" and m.gate_coef is not None):
                continue
            old, scores = m.task_thresholds[lab], []
            for t in TASK_GRID:
                m.task_thresholds[lab] = float(t)
                scores.append(macro(m._decision_matrix(P, g)))
            m.task_thresholds[lab] = old
            (m.task_thresholds[lab],), _ = _plateau_pick([(float(x),) for x in TASK_GRID], scores)


def run_fold(z, a, taxonomy):
    from dataclasses import replace

    from sklearn.model_selection import GroupKFold

    from nlp.tagging import Tagger, TaggerConfig, gate

    cfg = TaggerConfig()
    m = Tagger(taxonomy, replace(cfg, task_mix=a.rule == "mix", task_second=a.rule == "second"))
    Pl, Pw, Y = z["Pl"], z["Pw"], z["Y"].astype(bool)
    real = z["real"].astype(bool)
    dom = real if real.any() and not real.all() else None
    norm, te_norm = list(z["norm"]), list(z["te_norm"])
    w = np.where(real, cfg.real_weight, cfg.log_weight)
    groups = list(z["groups"])
    n = len(Y)
    splits = list(GroupKFold(max(2, min(cfg.folds, n // 5, len(set(groups))))).split(np.arange(n), groups=groups))
    if a.gate_cue:
        cue = tuple(a.gate_cue.split(","))
        base_cols = m._gate_columns

        def cols(texts, P):
            extra = [0.0 if gate._count(t, gate.UNION) else np.log1p(gate._count(t, cue)) for t in texts]
            return np.c_[base_cols(texts, P), extra]

        m._gate_columns = cols
    if a.rule == "stack":
        X = np.hstack([_logit(Pl), _logit(Pw)])
        X_te = np.hstack([_logit(z["te_Pl"]), _logit(z["te_Pw"])])
        rows = real if a.stack_rows == "real" else np.ones(n, bool)
        P, tP = _stack(X, Y, w, rows, splits, X_te)
        Pl = Pw = P  # thresholds below on the stacked output (the mean of two equal heads)
        z = {**z, "te_Pl": tP, "te_Pw": tP}
    if a.rule == "real":
        m._tune_tasks(Y[real], Pl[real], Pw[real], None)
    else:
        m._tune_tasks(Y, Pl, Pw, dom)
    mix = m._mix()
    P = mix * Pl + (1 - mix) * Pw
    tP = mix * z["te_Pl"] + (1 - mix) * z["te_Pw"]
    m._fit_gate(norm, Y, P, w, dom, splits)
    if a.rule == "second":
        m._fit_second(Y, P, dom)
    if a.rule == "retune":
        g = None
        if m.gate_coef is not None:  # the gate's own held-out probabilities, as _fit_gate chose its bar on
            X = m._gate_columns(norm, P)
            g = np.zeros(n)
            for tr, te in splits:
                c, b = gate.fit(X[tr], Y[tr, m.task_labels.index("other")], w[tr], seed=cfg.seed)
                g[te] = gate.proba(X[te], c, b)
        _retune(m, P, Y, dom, g)
    return m._decision_matrix(tP, m._gate_proba(te_norm, tP)), m.task_labels


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cache", type=Path)
    ap.add_argument("--rule", choices=("base", "retune", "stack", "mix", "real", "second"), default="base")
    ap.add_argument("--stack-rows", choices=("all", "real"), default="all")
    ap.add_argument("--gate-cue", default=None)
    ap.add_argument("--preds", type=Path, default=None)
    ap.add_argument("--design", type=int, nargs="*", default=[0, 1], help="folds of the 5-fold partition designed on")
    a = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    from nlp.tagging import load_taxonomy
    from nlp.tagging.metrics import score_field
    from nlp.tagging.train import LOGS_USED, training_rows

    corpora = ROOT / "corpora"
    taxonomy = load_taxonomy(corpora / "taxonomy.toml")
    _, real = training_rows(corpora, LOGS_USED)
    preds = {}
    for f in sorted(a.cache.glob("fold*.npz"), key=lambda p: int(p.stem[4:])):
        z = dict(np.load(f, allow_pickle=False))
        D, labels = run_fold(z, a, taxonomy)
        for i, d in zip(z["te_ids"].tolist(), D):
            preds[i] = {"id": i, "tasks": [labels[j] for j in np.flatnonzero(d)], "fold": int(f.stem[4:])}
    gold = {r["id"]: r for r in real}
    design = {real[i]["id"] for k, (_, te) in enumerate(GroupKFold(5).split(real, groups=[r["site"] for r in real]))
              if k in a.design for i in te}
    res = score_field(gold, preds, "tasks")
    part = {name: score_field({k: g for k, g in gold.items() if (k in design) == inside}, preds, "tasks")["macro_f1"]
            for name, inside in (("design", True), ("rest", False))}
    print(f"{a.cache.name} rule={a.rule}{' rows=' + a.stack_rows if a.rule == 'stack' else ''}"
          f"{' gate-cue=' + a.gate_cue if a.gate_cue else ''}: tasks macro-F1 {res['macro_f1']:.3f} "
          f"micro {res['micro_f1']:.3f}; design passages {part['design']:.3f}, the rest {part['rest']:.3f}")
    for lab, s in res["per_label"].items():
        print(f"   {lab:<20} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}")
    if a.preds:
        with a.preds.open("w", encoding="utf-8") as fh:
            for r in real:
                fh.write(json.dumps(preds[r["id"]], ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
