"""Grouped cross-validation (by source site) of the risk-mention status classifier alone,
on the hand-labelled mentions of the real passages (`corpora/annotations/tagging/`), with the
project logs' mentions (statuses derived from their labels) as a supplement in every fold.
Quick: no tagger fit; prints exact-status accuracy, present/threatened-vs-not P/R/F1 per
mention and per (passage, risk), and the confusion of statuses.

usage: python bench/tag_status_cv.py [--folds 5] [--C 1.0] [--log-weight 0.3] [--logs 800] [--no-extra] [--preds FILE]
                                    [--vec W] [--page-set FOLDER=CACHE ... [--page-labels hand|broadcast|off]
                                    [--score batches|pages] [--page-weight W] [--page-drop STATUS] [--missing skip]] [--sites OUT.json]
                                    [--against A.json]

The hand-labelled mentions of the untagged passages (`passages.jsonl`) of the other sites
train every fold too (weight 1, as a labelled passage's), unless --no-extra.

--page-set adds development page sets (`nlp.tagging.pages.page_sets`; the measured sets are refused):
their mentions train every fold (their held-out sites left out) with the hand mention labels of
`annotations/tagging/page_mentions/` (`--page-labels hand`), or with the passage's per-risk status
standing for each mention (`broadcast`, `nlp.tagging.pages.mention_statuses`), or not at all (`off`).
`--score pages` scores the page mentions' hand labels instead of the batches', folds by site over
the page passages. `--page-drop STATUS` leaves the page training mentions of a hand status out (which
label class moves the batches' reading). `--sites` writes per-site counts; `--against` a run's per-site counts prints the
paired site bootstrap (90 %) of each figure's difference (bench/site_bootstrap.py).

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


# per site: mentions, exact, raise tp/fp/fn, settled n/right, historical n/right, quiet n/read raising
COLUMNS = ("n", "exact", "tp", "fp", "fn", "settled", "settled_ok", "historical", "historical_ok", "quiet", "quiet_raised")
FIGURES = ("exact status", "raise F1", "settled recall", "historical recall", "quiet read raising")


def site_counts(groups, gold, pred, gold_r, pred_r) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for g, s, q, gr, qr in zip(groups, gold, pred, gold_r, pred_r):
        c = out.setdefault(g, [0] * len(COLUMNS))
        for k, on in enumerate((True, s == q, gr and qr, qr and not gr, gr and not qr, s == "settled",
                                s == q == "settled", s == "historical", s == q == "historical", not gr,
                                qr and not gr)):
            c[k] += int(bool(on))
    return out


def total(counts: dict[str, list[int]]) -> list[int]:
    return [sum(c[k] for c in counts.values()) for k in range(len(COLUMNS))]


def figures(t) -> dict[str, float]:
    n, ex, tp, fp, fn, sn, sk, hn, hk, qn, qr = t
    nan = float("nan")
    return {"exact status": ex / n if n else nan, "raise F1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else nan,
            "settled recall": sk / sn if sn else nan, "historical recall": hk / hn if hn else nan,
            "quiet read raising": qr / qn if qn else nan}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--log-weight", type=float, default=0.3)
    ap.add_argument("--logs", type=int, default=800)
    ap.add_argument("--preds", type=Path)
    ap.add_argument("--no-extra", action="store_true")
    ap.add_argument("--vec", type=float, default=0.0, help="TaggerConfig.status_vec: weight of the mention's word vectors")
    ap.add_argument("--page-set", action="append", default=[])
    ap.add_argument("--page-labels", choices=["hand", "broadcast", "off"], default="hand")
    ap.add_argument("--score", choices=["batches", "pages"], default="batches")
    ap.add_argument("--page-weight", type=float, default=1.0, help="a page mention's training weight (a batch one's is 1)")
    ap.add_argument("--page-drop", action="append", default=[], metavar="STATUS",
                    help="leave the page training mentions of this hand status out (repeatable; a diagnostic)")
    ap.add_argument("--missing", choices=["refuse", "skip"], default="refuse")
    ap.add_argument("--sites", type=Path, help="write per-site counts (JSON) here")
    ap.add_argument("--against", type=Path, help="per-site counts of another run: paired site bootstrap")
    a = ap.parse_args()
    if a.score == "pages" and not a.page_set:
        ap.error("--score pages needs --page-set")
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

    items = [(f, s, r["site"], (r["id"], h.label)) for r, h, f, s in labelled(passages, st)]
    pages, page_items = [], []
    if a.page_set:
        from bench.tag_pages_look import page_sets
        from nlp.tagging.pages import mention_statuses
        from nlp.tagging.train import measured_sets

        if blind := measured_sets(a.page_set):
            sys.exit(f"不能用于训练或评测的页面集：{', '.join(blind)}")
        pages = page_sets(a.page_set, None, a.missing)  # names the pages a cache lacks, like the other benches
        hand = statuses(ROOT / "corpora" / "annotations" / "tagging" / "page_mentions", pages)
        page_items = [(f, s, r["site"], (r["id"], h.label)) for r, h, f, s in labelled(pages, hand)]
        train_st = {"hand": hand, "broadcast": mention_statuses(pages), "off": {}}[a.page_labels]
        page_train = [(f, s, r["site"]) for r, _, f, s in labelled(pages, train_st) if s not in a.page_drop]
    else:
        page_train = []
    test = page_items if a.score == "pages" else items
    rows = [t[0] for t in test]
    y = np.array([t[1] for t in test])
    groups = [t[2] for t in test]
    keys = [t[3] for t in test]
    # training material besides the folds' own: the batches' mentions when the pages are scored
    other = [(f, s, g) for f, s, g, _ in items] if a.score == "pages" else []
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
    pred = np.empty(len(y), dtype=object)
    score = np.zeros(len(y))
    for tr, te in GroupKFold(a.folds).split(rows, groups=groups):
        held = {groups[i] for i in te}
        # a page passage's mentions are both scored and (with --page-labels) training material:
        # the folds' own rows come from the scored items, the rest from the other sources
        fit = [(f, s, 1.0) for f, s, g in other + list(zip(xrows, xy, xsite)) if g not in held]
        fit += [(f, s, a.page_weight) for f, s, g in page_train if g not in held]
        if a.score == "batches":
            fit += [(rows[i], y[i], 1.0) for i in tr]
        w = np.r_[[x for _, _, x in fit], np.full(len(lrows), a.log_weight)]
        m = StatusModel(vec=a.vec).fit([f for f, _, _ in fit] + lrows, [s for _, s, _ in fit] + ly, weights=w, C=a.C)
        p = m.proba([rows[i] for i in te])
        pred[te] = [STATUSES[k] for k in p.argmax(1)]
        score[te] = StatusModel.raise_score(p)
    gold_r, pred_r = np.isin(y, RAISING), score >= 0.5
    print(f"{len(y)} labelled mentions scored ({a.score}) from {len(set(groups))} sites; training adds "
          f"{len(other)} batch mentions, {len(xrows)} of untagged passages, {len(page_train)} page mentions "
          f"({a.page_labels if a.page_set else 'no page set'}, weight {a.page_weight:g}), {len(lrows)} log mentions (weight {a.log_weight:g}); "
          f"{a.folds} folds by site")
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
    counts = site_counts(groups, y, pred, gold_r, pred_r)
    if a.sites:
        a.sites.write_text(json.dumps(counts, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    if a.against:
        from bench.site_bootstrap import interval, site_draws

        base = json.loads(a.against.read_text(encoding="utf-8"))
        mine, theirs = figures(total(counts)), figures(total(base))
        draws = site_draws(counts, figures, 1000, against=base)
        for k in FIGURES:
            lo, hi = interval(draws[k])
            print(f"  {k:<26} {theirs[k]:.3f} -> {mine[k]:.3f}  diff 90 % [{lo:+.3f}, {hi:+.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
