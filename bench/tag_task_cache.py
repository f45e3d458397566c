"""Grouped CV of the task heads (as `bench/tag_cv.py --tasks-only`) that also keeps, per outer
fold, the inner folds' held-out probabilities of both task heads on the training texts and the
two heads' probabilities on the held-out passages (`.npz` per fold + the predictions as
`tag_cv.py --preds` writes them): task decision rules can then be judged on the same folds
without refitting the heads.

usage: python bench/tag_task_cache.py --out DIR [--folds 5] [--set FIELD=VALUE ...]
                                     [--pages score|train --page-cache DIR [--page-set FOLDER]]

--pages score: the labelled page passages (corpora/annotations/tagging/pages/, texts from the page
cache) are held out too, each in one fold (their sites spread by GroupKFold, as train._extra_folds),
never trained on: the batches' folds and figures are those without them. --pages train: as score,
and each fold's fit also takes the other folds' page passages as task-only rows (risks unknown, as
`gongwen train --page-cache` gives them). --pages light: as train, but the page rows weigh and count as
project logs do (log_weight, the logs' side of the thresholds' balanced F1), not as real passages.
--missing skip leaves out the page passages whose page the cache lacks (named on stderr; the page figures are
on the rest, say n): the caches rebuilt on a new machine hold part of the set. Default: refuse.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.checklist.annotations import MISSING  # noqa: E402


def fold_rows(n: int, pages: list[dict] = (), train_pages: bool = False, light: bool = False
              ) -> tuple[list[dict], list[tuple[list[dict], list[dict]]]]:
    """The real passages, and per outer fold grouped by site (GroupKFold over them): the
    training rows (self-written logs, the other folds' passages, task-only rows of sites
    outside the fold) and the held-out passages. `pages` (page passages) are held out in
    the fold `train._extra_folds` gives them; with `train_pages` the other folds' pages
    train as task-only rows."""
    from sklearn.model_selection import GroupKFold

    from nlp.tagging.train import LOGS_USED, _extra_folds, task_rows, training_rows

    corpora = ROOT / "corpora"
    logs, real = training_rows(corpora, LOGS_USED)
    extra = task_rows(corpora)
    splits = list(GroupKFold(n).split(real, groups=[r["site"] for r in real]))
    fold_p = _extra_folds(list(pages), splits, real, n) if pages else {}
    folds = []
    for k, (tr, te) in enumerate(splits):
        held = [real[i] for i in te] + [r for r in pages if fold_p[r["id"]] == k]
        out = {r["site"] for r in held}
        more = [{**r, "risks": None, **({"light": True} if light else {})} for r in pages if train_pages and fold_p[r["id"]] != k and r["site"] not in out]
        folds.append((logs + [real[i] for i in tr] + [r for r in extra if r["site"] not in out] + more, held))
    return real + list(pages), folds


def fit_tasks(model, rows: list[dict]):
    """`model` (a Tagger) with its task heads fitted on `rows`."""
    return model.fit([r["text"] for r in rows], [r.get("tasks") or [] for r in rows],
                     [None if r.get("risks", []) is None else r.get("risks") or [] for r in rows],
                     groups=[r.get("site") for r in rows], real=[bool(r.get("site")) and not r.get("light") for r in rows],
                     ids=[r["id"] for r in rows], tasks_only=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    ap.add_argument("--only", default=None, metavar="K,K", help="fit only these outer folds (0-based; one process per"
                    " fold spreads a long run; bench/tag_task_rules.py reads the fold files alone)")
    ap.add_argument("--pages", choices=("off", "score", "train", "light"), default="off")
    ap.add_argument("--page-cache", default=None)
    ap.add_argument("--page-set", default=None, metavar="FOLDER",
                    help="the page set under corpora/ (default: annotations/tagging/pages; e.g. annotations/tagging/pages4)")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="a page the page cache lacks: refuse (default) or leave its passages out, naming it")
    a = ap.parse_args()
    from nlp.tagging import Tagger, TaggerConfig, load_taxonomy

    corpora = ROOT / "corpora"
    pages = []
    if a.pages != "off":
        sys.path.insert(0, str(ROOT / "bench"))
        from tag_pages_look import page_sets  # one reader of page sets for the benches, left-out pages named

        pages = page_sets([a.page_set] if a.page_set else [], a.page_cache, a.missing)
    real, folds = fold_rows(a.folds, pages, a.pages in ("train", "light"), light=a.pages == "light")
    cfg = TaggerConfig()
    for kv in a.set:
        k, _, v = kv.partition("=")
        old = getattr(cfg, k)
        cfg = replace(cfg, **{k: (v.lower() in ("1", "true")) if isinstance(old, bool) else type(old)(v)})
    taxonomy = load_taxonomy(corpora / "taxonomy.toml")
    a.out.mkdir(parents=True, exist_ok=True)
    t0 = time.process_time()
    preds = {}
    only = {int(x) for x in a.only.split(",")} if a.only else None
    for k, (rows, held) in enumerate(folds):
        if only is not None and k not in only:
            continue
        m = fit_tasks(Tagger(taxonomy, cfg), rows)
        texts = [r["text"] for r in held]
        v = m._views(texts)
        idx = np.arange(len(held))
        Pl, Pw = m._task_proba(v, idx, m.log_coef.astype(np.float32), m.log_bias,
                               m.task_coef.astype(np.float32), m.task_bias, parts=True)
        o = m._task_oof
        np.savez_compressed(a.out / f"fold{k}.npz", Pl=o["Pl"], Pw=o["Pw"], Y=o["Y"],
                            real=o["real"] if o["real"] is not None else np.zeros(len(o["Y"]), bool),
                            groups=np.array(o["groups"]), norm=np.array(o["norm"]),
                            te_Pl=Pl, te_Pw=Pw, te_ids=np.array([r["id"] for r in held]),
                            te_norm=np.array(v.norm),
                            thresholds=np.array([m.task_thresholds[l] for l in m.task_labels]))
        for r, (tasks, sc) in zip(held, m.predict_tasks(texts)):
            preds[r["id"]] = {"id": r["id"], "tasks": tasks, "task_scores": sc, "fold": k}
        print(f"fold {k + 1}/{a.folds} {time.process_time() - t0:.0f} CPU-s", file=sys.stderr, flush=True)
    if only is not None:
        return 0
    with (a.out / "preds.jsonl").open("w", encoding="utf-8") as f:
        for r in real:
            f.write(json.dumps(preds[r["id"]], ensure_ascii=False) + "\n")
    (a.out / "labels.json").write_text(json.dumps(Tagger(taxonomy, cfg).task_labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
