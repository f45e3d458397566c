"""Grouped cross-validation (by source site) of the risk-mention status classifier alone,
on the hand-labelled mentions of the real passages (`corpora/annotations/tagging/`), with the
project logs' mentions (statuses derived from their labels) as a supplement in every fold.
Quick: no tagger fit; prints exact-status accuracy, present/threatened-vs-not P/R/F1 per
mention and per (passage, risk), and the confusion of statuses.

usage: python bench/tag_status_cv.py [--folds 5] [--C 1.0] [--log-weight 0.3] [--logs 800] [--no-extra] [--preds FILE]
                                    [--vec W]

The hand-labelled mentions of the untagged passages (`passages.jsonl`) of the other sites
train every fold too (weight 1, as a labelled passage's), unless --no-extra.

--preds FILE scores the mention statuses of a tagger's grouped-CV predictions (`bench/tag_cv.py
--preds`) against the same hand labels instead of training.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def prf(gold: np.ndarray, pred: np.ndarray) -> str:
    tp, fp, fn = int((gold & pred).sum()), int((~gold & pred).sum()), int((gold & ~pred).sum())
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return f"P {p:.3f} R {r:.3f} F1 {2 * tp / max(1, 2 * tp + fp + fn):.3f}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--log-weight", type=float, default=0.3)
    ap.add_argument("--logs", type=int, default=800)
    ap.add_argument("--preds", type=Path)
    ap.add_argument("--no-extra", action="store_true")
    ap.add_argument("--vec", type=float, default=0.0, help="TaggerConfig.status_vec: weight of the mention's word vectors")
    a = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    from nlp.tagging.annotations import risk_mentions, statuses
    from nlp.tagging.normalize import normalize
    from nlp.tagging.real import labelled_passages
    from nlp.tagging.status import RAISING, STATUSES, StatusFeatures, StatusModel, derived_status
    from nlp.tagging.train import SUPPLEMENT, extra_mentions, read_logs

    passages = labelled_passages()
    if not passages:
        sys.exit("../shared/real-corpus 不存在")
    st = statuses(ROOT / "corpora" / "annotations" / "tagging", passages)
    if a.preds:
        gold, pred = [], []
        for p in map(json.loads, a.preds.open(encoding="utf-8")):
            for m in p.get("mentions", []):
                s = st.get((p["id"], m["start"], m["end"], m["id"]))
                if s:
                    gold.append(s)
                    pred.append(m["status"])
        g, q = np.array(gold), np.array(pred)
        print(f"{len(g)} labelled mentions: exact status {(g == q).mean():.3f}; present/threatened "
              + prf(np.isin(g, RAISING), np.isin(q, RAISING)))
        return 0
    sf = StatusFeatures(vec=a.vec)

    def labelled(texts: list[dict], status: dict):
        """(passage, mention, its features, its hand status) of every labelled mention."""
        for r in texts:
            hs = risk_mentions(r["text"])
            for h, f in zip(hs, sf.mention_features(normalize(r["text"]), hs)):
                if s := status.get((r["id"], h.start, h.end, h.label)):
                    yield r, h, f, s

    rows, y, groups, keys = [], [], [], []
    for r, h, f, s in labelled(passages, st):
        rows.append(f)
        y.append(s)
        groups.append(r["site"])
        keys.append((r["id"], h.label))
    logs = read_logs(ROOT / "corpora" / "logs" / "train.jsonl")[:a.logs]
    supp = ROOT / "corpora" / "logs" / SUPPLEMENT
    logs += read_logs(supp) if supp.exists() else []
    lrows, ly = [], []
    for r in logs:
        hs = risk_mentions(r["text"])
        for h, f in zip(hs, sf.mention_features(normalize(r["text"]), hs)):
            d = derived_status(f, h.label in (r.get("risks") or []))
            if d:
                lrows.append(f)
                ly.append(d)
    xrows, xy, xsite = [], [], []
    if not a.no_extra:
        for r, _, f, s in labelled(*extra_mentions(ROOT / "corpora")):
            xrows.append(f)
            xy.append(s)
            xsite.append(r["site"])
    y = np.array(y)
    pred = np.empty(len(y), dtype=object)
    score = np.zeros(len(y))
    for tr, te in GroupKFold(a.folds).split(rows, groups=groups):
        held = {groups[i] for i in te}
        xk = [k for k, s in enumerate(xsite) if s not in held]
        w = np.r_[np.ones(len(tr) + len(xk)), np.full(len(lrows), a.log_weight)]
        m = StatusModel(vec=a.vec).fit([rows[i] for i in tr] + [xrows[k] for k in xk] + lrows,
                              list(y[tr]) + [xy[k] for k in xk] + ly, weights=w, C=a.C)
        p = m.proba([rows[i] for i in te])
        pred[te] = [STATUSES[k] for k in p.argmax(1)]
        score[te] = StatusModel.raise_score(p)
    gold_r, pred_r = np.isin(y, RAISING), score >= 0.5
    print(f"{len(y)} labelled mentions from {len(set(groups))} sites (+{len(xrows)} of untagged passages, "
          f"+{len(lrows)} log mentions, weight {a.log_weight:g}), {a.folds} folds by site")
    from sklearn.metrics import roc_auc_score

    print(f"exact status {(pred == y).mean():.3f}; present/threatened per mention " + prf(gold_r, pred_r)
          + f" AUC {roc_auc_score(gold_r, score):.3f}")
    by = collections.defaultdict(lambda: [False, False])
    for k, g, q in zip(keys, gold_r, pred_r):
        by[k][0] |= bool(g)
        by[k][1] |= bool(q)
    v = np.array(list(by.values()))
    print(f"per (passage, risk), n={len(v)}: " + prf(v[:, 0], v[:, 1]))
    cm = collections.Counter(zip(y, pred))
    for s in STATUSES:
        print(f"  {s:<13}", {t: cm[(s, t)] for t in STATUSES if cm[(s, t)]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
