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
  shared   as second, but the bar applies to every union task of a text given two or more, the most
           probable one too (a text keeps its most probable union task when none passes its bar):
           a report of 宣讲 with 普法 words gets rights_services first and political_guidance second
  boundary per --labels label, a logistic regression over its two head logits and the named cue
           classes of CUES (--cues investigate,build,...: who acts, investigation, building, service,
           news vocabulary), cross-fitted over the inner folds; its output replaces the label's
           columns, then thresholds, gate and second bars as shipped (--stack-rows real: real rows only)
  third    a third whole-text head (character 1-3-gram TF-IDF) fitted on the real passages alone
           (--head-rows real) or on all rows with a real passage weighing --head-real-weight,
           mixed into the task probability with weight --head-mix; then as shipped
--fixed T|shipped holds the thresholds in every fold: T for every label (no tuning), or the shipped
model's (models/tagger; for comparing variants only, not a held-out score: they saw every passage);
the gate and second bars are then chosen on the inner folds as usual.
--cap K keeps at most the K most probable union tasks of a text's decision.
--gate-cue W1,W2,... adds a gate column: log(1 + count of the words) where no union organ is named.
--gate-rows real fits the union-work gate on the real passages alone (the project logs weigh 0 in it).
--page-domain: thresholds, gate and second bars balance the F1 of three domains (project logs, shared passages,
the rows of the --page-set's sites) instead of two; --tune-pages off: those page rows choose no bar (the heads
still learnt from them). Both for caches of `bench/tag_task_cache.py --pages train|light --page-set ...`.
--gate-head adds a gate column: the logit of P(other) of a character 1-3-gram TF-IDF logistic regression
fitted on the real passages alone (cross-fitted over the inner folds, as --rule third's head).

--page-cache DIR: for a cache built with `bench/tag_task_cache.py --pages score|train`, the page
passages' figures too (apart and pooled with the batches); --preds then holds them as well.
--missing skip leaves out the page passages whose page the cache lacks (named on stderr; the page figures are
on the rest, say n): the caches rebuilt on a new machine hold part of the set. Default: refuse.

Figures: macro-F1 on all passages and apart on the `--design` passages (default: the sites of
folds 0-1 of the 5-fold partition, on which rules were designed) and on the rest.

usage: python bench/tag_task_rules.py CACHE_DIR [--rule base] [--preds out.jsonl] [--stack-rows all|real]
                                      [--gate-cue 调查,调研] [--labels L1,L2 --cues C1,C2 --C 1]
                                      [--head-rows all|real --head-real-weight 3 --head-mix 0.34]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.checklist.annotations import MISSING  # noqa: E402


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


def _shared_bars(m, D: np.ndarray, P: np.ndarray, second: dict[str, float]) -> np.ndarray:
    """Decisions `D` where, in a text given two or more union tasks, each must pass its bar in
    `second`; a text left with none keeps its most probable union task."""
    if not second or not len(D):
        return D
    oth = m.task_labels.index("other")
    union = np.ones(D.shape[1], bool)
    union[oth] = False
    many = (D & union).sum(axis=1) >= 2
    U = np.where(D, P, -1.0)
    U[:, oth] = -1.0
    top = U.argmax(axis=1)
    out = D.copy()
    for lab, t in second.items():
        j = m.task_labels.index(lab)
        out[out[:, j] & many & (P[:, j] < t), j] = False
    lost = many & ~(out & union).any(axis=1)
    out[lost, top[lost]] = True
    return out


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


CUES = {  # named cue classes for the boundary rule (counts per text, log1p)
    "investigate": ("调研", "调查", "摸排", "排摸", "排查", "走访", "座谈", "问卷", "统计", "摸底", "核查", "访谈", "了解"),
    "build": ("阵地", "制度", "换届", "委员", "经费", "验收", "达标", "创建", "规范", "示范", "评定", "干部培训", "建家"),
    "service": ("慰问", "帮扶", "服务", "驿站", "免费", "救助", "关爱", "送上", "发放"),
    "government": ("人社", "劳动监察", "监察", "法院", "司法所", "政府", "仲裁", "公安", "民警", "检察"),
    "enterprise": ("公司", "企业", "厂", "老板", "资方", "老总"),
    "union": None,  # gate.UNION
    "news": None,  # gate.NEWS
}


def _cue_cols(texts, names):
    from nlp.tagging import gate

    words = {k: (v if v is not None else (gate.UNION if k == "union" else gate.NEWS)) for k, v in CUES.items()}
    return np.array([[np.log1p(gate._count(t, words[k])) for k in names] for t in texts]).reshape(len(texts), len(names))


def _boundary(a, m, Pl, Pw, Y, w, real, splits, norm, te_norm, z):
    """Per target label a logistic regression over the label's two head logits and named cue
    columns, cross-fitted over the inner folds (its held-out output replaces both heads' columns
    of that label, so thresholds, gate and second bars are chosen on it)."""
    from sklearn.linear_model import LogisticRegression

    names = [c for c in a.cues.split(",") if c] if a.cues else []
    C, Ct = _cue_cols(norm, names), _cue_cols(te_norm, names)
    rows = real if a.stack_rows == "real" else np.ones(len(Y), bool)
    Pl, Pw = Pl.copy(), Pw.copy()
    tPl, tPw = z["te_Pl"].copy(), z["te_Pw"].copy()
    for lab in a.labels.split(","):
        j = m.task_labels.index(lab)
        X = np.c_[_logit(Pl[:, j]), _logit(Pw[:, j]), C]
        Xt = np.c_[_logit(tPl[:, j]), _logit(tPw[:, j]), Ct]

        def fit(tr, X=X, j=j):
            tr = tr[rows[tr]]
            return LogisticRegression(C=a.C, class_weight="balanced", max_iter=3000).fit(
                X[tr], Y[tr, j].astype(int), sample_weight=w[tr])

        S = np.zeros(len(Y))
        for tr, te in splits:
            S[te] = fit(tr).predict_proba(X[te])[:, 1]
        clf = fit(np.arange(len(Y)))
        if a.verbose:
            print(lab, np.round(clf.coef_[0], 2), file=sys.stderr)
        Pl[:, j] = Pw[:, j] = S
        tPl[:, j] = tPw[:, j] = clf.predict_proba(Xt)[:, 1]
    return Pl, Pw, {**z, "te_Pl": tPl, "te_Pw": tPw}


def _third_head(a, Y, w, real, splits, norm, te_norm):
    """A third whole-text head (character 1-3-gram TF-IDF, logistic regression per label) fitted on
    the real passages alone (--head-rows real) or on all rows with the real passages weighing
    --head-real-weight: held-out probabilities over the inner folds and the test passages'."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = real if a.head_rows == "real" else np.ones(len(Y), bool)
    ww = np.where(real, a.head_real_weight, 1.0)

    def fit_apply(tr, texts_out):
        tr = tr[rows[tr]]
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=60000)
        X = vec.fit_transform([norm[i] for i in tr])
        Xo = vec.transform(texts_out)
        out = np.zeros((len(texts_out), Y.shape[1]))
        for j in range(Y.shape[1]):
            y = Y[tr, j]
            if y.any() and not y.all():
                clf = LogisticRegression(solver="liblinear", C=a.C, class_weight="balanced", tol=1e-3)
                out[:, j] = clf.fit(X, y.astype(int), sample_weight=ww[tr]).predict_proba(Xo)[:, 1]
        return out

    H = np.zeros(Y.shape)
    for tr, te in splits:
        H[te] = fit_apply(tr, [norm[i] for i in te])
    return H, fit_apply(np.arange(len(Y)), list(te_norm))


def _domain_f1(pred: np.ndarray, gold: np.ndarray, dom) -> float:
    """model._bal_f1 over any number of domains (an int array: one id per text): the mean of
    the F1s of the domains where the label occurs."""
    from nlp.tagging.model import _f1

    if dom is None:
        return _f1(pred, gold)
    parts = [_f1(pred[dom == d], gold[dom == d]) for d in np.unique(dom) if gold[dom == d].any()]
    return sum(parts) / len(parts) if parts else 0.0


def run_fold(z, a, taxonomy, page_sites=frozenset()):
    from dataclasses import replace

    from sklearn.model_selection import GroupKFold

    from nlp.tagging import Tagger, TaggerConfig, gate

    cfg = TaggerConfig()
    m = Tagger(taxonomy, replace(cfg, task_mix=a.rule == "mix", task_second=a.rule in ("second", "boundary", "third", "shared")))
    if a.rule == "shared":
        m._second_bars = lambda D, P, second: _shared_bars(m, D, P, second)
    if a.tune_pages == "off":  # heads fitted with the page rows, decisions tuned without them
        keep = ~np.isin(np.array(z["groups"]), list(page_sites))
        z = {**z, **{k: np.asarray(z[k])[keep] for k in ("Pl", "Pw", "Y", "real", "groups", "norm")}}
    Pl, Pw, Y = z["Pl"], z["Pw"], z["Y"].astype(bool)
    real = z["real"].astype(bool)
    dom = real if real.any() and not real.all() else None
    if a.page_domain and dom is not None:  # the page passages as a third domain of the balanced F1
        from nlp.tagging import model as model_mod

        dom = real.astype(int) + np.isin(np.array(z["groups"]), list(page_sites)).astype(int)
        model_mod._bal_f1 = _domain_f1
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
    if a.gate_head:
        oth = m.task_labels.index("other")
        ha = argparse.Namespace(head_rows="real", head_real_weight=1.0, C=a.C)
        H, tH = _third_head(ha, Y[:, [oth]], w, real, splits, norm, te_norm)
        inner_cols = m._gate_columns

        def head_cols(texts, P, H=H[:, 0], tH=tH[:, 0]):
            return np.c_[inner_cols(texts, P), _logit(H if texts is norm else tH)]

        m._gate_columns = head_cols
    if a.rule == "stack":
        X = np.hstack([_logit(Pl), _logit(Pw)])
        X_te = np.hstack([_logit(z["te_Pl"]), _logit(z["te_Pw"])])
        rows = real if a.stack_rows == "real" else np.ones(n, bool)
        P, tP = _stack(X, Y, w, rows, splits, X_te)
        Pl = Pw = P  # thresholds below on the stacked output (the mean of two equal heads)
        z = {**z, "te_Pl": tP, "te_Pw": tP}
    if a.rule == "third":
        H, tH = _third_head(a, Y, w, real, splits, norm, te_norm)
        b = a.head_mix
        P0 = 0.5 * Pl + 0.5 * Pw
        Pl = Pw = (1 - b) * P0 + b * H
        t0 = 0.5 * z["te_Pl"] + 0.5 * z["te_Pw"]
        z = {**z, "te_Pl": (1 - b) * t0 + b * tH, "te_Pw": (1 - b) * t0 + b * tH}
    if a.rule == "boundary":
        Pl, Pw, z = _boundary(a, m, Pl, Pw, Y, w, real, splits, norm, te_norm, z)
    if a.rule == "real":
        m._tune_tasks(Y[real], Pl[real], Pw[real], None)
    else:
        m._tune_tasks(Y, Pl, Pw, dom)
    if a.fixed == "shipped":
        m.task_thresholds = dict(json.loads((ROOT / "models" / "tagger" / "tagger.json").read_text())["task_thresholds"])
    elif a.fixed:
        m.task_thresholds = {lab: float(a.fixed) for lab in m.task_labels}
    mix = m._mix()
    P = mix * Pl + (1 - mix) * Pw
    tP = mix * z["te_Pl"] + (1 - mix) * z["te_Pw"]
    m._gate_held = None  # as Tagger._fit_task_heads: no gate unless _fit_gate adopts one
    m._fit_gate(norm, Y, P, w * real if a.gate_rows == "real" else w, dom, splits)
    if a.rule in ("second", "shared"):
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
    D = m._decision_matrix(tP, m._gate_proba(te_norm, tP))
    if a.cap:  # at most `cap` union tasks per text: the most probable of those given
        U = np.where(D, tP, -1.0)
        U[:, m.task_labels.index("other")] = -1.0
        rank = (-U).argsort(axis=1).argsort(axis=1)
        D = D & ((rank < a.cap) | (np.arange(D.shape[1]) == m.task_labels.index("other")))
    return D, m.task_labels


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cache", type=Path)
    ap.add_argument("--rule", choices=("base", "retune", "stack", "mix", "real", "second", "boundary", "third", "shared"), default="base")
    ap.add_argument("--stack-rows", choices=("all", "real"), default="all")
    ap.add_argument("--gate-cue", default=None)
    ap.add_argument("--gate-rows", choices=("all", "real"), default="all")
    ap.add_argument("--gate-head", action="store_true")
    ap.add_argument("--cap", type=int, default=0, help="at most this many union tasks per text (0: no cap)")
    ap.add_argument("--fixed", default=None, help="thresholds held in every fold: a number or 'shipped'")
    ap.add_argument("--labels", default="research,union_building", help="boundary: target labels")
    ap.add_argument("--cues", default="", help="boundary: cue classes of CUES, comma-separated")
    ap.add_argument("--C", type=float, default=1.0, help="boundary: inverse regularisation")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--head-rows", choices=("all", "real"), default="real", help="third: rows of the third head")
    ap.add_argument("--head-real-weight", type=float, default=3.0, help="third: a real passage's weight")
    ap.add_argument("--head-mix", type=float, default=0.34, help="third: its weight in the task probability")
    ap.add_argument("--preds", type=Path, default=None)
    ap.add_argument("--page-cache", default=None, help="score the page passages of a --pages cache too")
    ap.add_argument("--page-set", default=None, metavar="FOLDER",
                    help="the page set under corpora/ (default: annotations/tagging/pages)")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="a page the page cache lacks: refuse (default) or leave its passages out, naming it")
    ap.add_argument("--tune-pages", choices=("on", "off"), default="on",
                    help="off: the page set's rows of the inner folds choose no threshold, gate or second bar")
    ap.add_argument("--page-domain", action="store_true",
                    help="thresholds, gate and second bars balance three domains (logs, passages, the page set's rows)")
    ap.add_argument("--design", type=int, nargs="*", default=[0, 1], help="folds of the 5-fold partition designed on")
    a = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    from nlp.tagging import load_taxonomy
    from nlp.tagging.metrics import score_field
    from nlp.tagging.train import LOGS_USED, training_rows

    corpora = ROOT / "corpora"
    taxonomy = load_taxonomy(corpora / "taxonomy.toml")
    _, real = training_rows(corpora, LOGS_USED)
    pages = []
    if a.page_cache:
        sys.path.insert(0, str(ROOT / "bench"))
        from tag_pages_look import page_sets  # one reader of page sets for the benches, left-out pages named

        pages = page_sets([a.page_set] if a.page_set else [], a.page_cache, a.missing)
    page_sites = frozenset(r["site"] for r in pages)
    preds = {}
    for f in sorted(a.cache.glob("fold*.npz"), key=lambda p: int(p.stem[4:])):
        z = dict(np.load(f, allow_pickle=False))
        D, labels = run_fold(z, a, taxonomy, page_sites)
        for i, d in zip(z["te_ids"].tolist(), D):
            preds[i] = {"id": i, "tasks": [labels[j] for j in np.flatnonzero(d)], "fold": int(f.stem[4:])}
    gold = {r["id"]: r for r in real}
    design = {real[i]["id"] for k, (_, te) in enumerate(GroupKFold(5).split(real, groups=[r["site"] for r in real]))
              if k in a.design for i in te}
    res = score_field(gold, preds, "tasks")
    part = {name: score_field({k: g for k, g in gold.items() if (k in design) == inside}, preds, "tasks")["macro_f1"]
            for name, inside in (("design", True), ("rest", False))}
    print(f"{a.cache.name} rule={a.rule}{' rows=' + a.stack_rows if a.rule == 'stack' else ''}"
          f"{' ' + a.labels + ' cues=' + a.cues + ' rows=' + a.stack_rows + f' C={a.C}' if a.rule == 'boundary' else ''}"
          f"{f' rows={a.head_rows} w={a.head_real_weight} mix={a.head_mix} C={a.C}' if a.rule == 'third' else ''}"
          f"{' gate-cue=' + a.gate_cue if a.gate_cue else ''}{' gate-rows=real' if a.gate_rows == 'real' else ''}"
          f"{' gate-head' if a.gate_head else ''}: tasks macro-F1 {res['macro_f1']:.3f} "
          f"micro {res['micro_f1']:.3f}; design passages {part['design']:.3f}, the rest {part['rest']:.3f}")
    for lab, s in res["per_label"].items():
        print(f"   {lab:<20} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}")
    if pages:
        for name, rows in (("page passages", pages), ("batches + page passages", real + pages)):
            r = score_field({x["id"]: x for x in rows}, preds, "tasks")
            print(f"{name}: tasks macro-F1 {r['macro_f1']:.3f} micro {r['micro_f1']:.3f}")
            if rows is pages:
                for lab, s in r["per_label"].items():
                    print(f"   {lab:<20} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}")
    if a.preds:
        with a.preds.open("w", encoding="utf-8") as fh:
            for r in real + pages:
                fh.write(json.dumps(preds[r["id"]], ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
