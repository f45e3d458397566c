"""Refit only the risk side of a saved tagger with the current risk recipe, keeping its
features and its task heads; rescore the test split and the held-out sets. The grouped-CV
figures of the risk side are then written into the card by `bench/tag_risk_cv.py --card`.

For a change of the risk recipe alone (status classifier, vote, bars), when a full `gongwen
train` (about 20 CPU-minutes, an hour under load) would give the same task side: the risk
side is fitted after the features and apart from the task heads (`Tagger.fit(risks_only=True)`
on the same rows as `gongwen train`), and the script refuses when the refit's features differ
from the saved model's. The mirror of `bench/tag_refit_tasks.py`.

Checked with no change (main 4a8b47b, shipped model of 2026-12-06T01:05Z): every array of the
refit equals the shipped one, so do the bars; the vote's coefficients differ by < 0.001 (the
solver's last digits); test split and held-out figures identical. 85 CPU-s with the cache of a
`bench/tag_risk_cv.py` run.

usage: python bench/tag_refit_risks.py [--model models/tagger] [--out DIR] [--cache DIR] [--set FIELD=VALUE ...]
                                      [--genre-pages FOLDER=CACHE ...]

--cache DIR: the window-fit cache of `bench/tag_risk_cv.py --cache` (an unchanged window fit is
read back instead of refitted).
--genre-pages FOLDER=CACHE (repeatable): page sets whose labels fit the genre head beside the real passages (as
`gongwen train --genre-pages`; pages a cache lacks left out, named on stderr) and, with TaggerConfig.page_mentions
> 0, whose hand-read mention statuses (corpora/annotations/tagging/page_mentions/) train the status classifier, and,
with TaggerConfig.page_vote > 0, whose (passage, risk) pairs train the risk vote (Tagger.fit vote_extra).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "tagger")
    ap.add_argument("--out", type=Path, default=None, help="default: over --model")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    ap.add_argument("--genre-pages", action="append", default=[], metavar="FOLDER=CACHE")
    a = ap.parse_args()
    from bench.tag_refit_tasks import TASK_FIELDS
    from nlp.tagging import Tagger, TaggerConfig, load_taxonomy
    from nlp.tagging.card import model_card
    from nlp.tagging.train import (
        BLIND_PAGES,
        RISK_PASSAGES,
        _fit,
        evaluate,
        extra_mentions,
        heldout_scores,
        measured_sets,
        read_logs,
        read_statuses,
        skipped_statuses,
        task_rows,
        training_rows,
    )

    if a.cache:
        from bench.tag_risk_cv import cache_window_fits

        cache_window_fits(a.cache)
    corpora = ROOT / "corpora"
    metrics = json.loads((a.model / "metrics.json").read_text(encoding="utf-8"))
    m = Tagger.load(a.model)
    default = TaggerConfig()
    risk_fields = [f.name for f in fields(TaggerConfig) if f.name not in TASK_FIELDS]
    cfg = replace(m.config, **{f: getattr(default, f) for f in risk_fields})
    for kv in a.set:
        k, _, v = kv.partition("=")
        if k in TASK_FIELDS:
            sys.exit(f"只能改风险字段，不能改任务字段 {k}")
        old = getattr(cfg, k)
        cfg = replace(cfg, **{k: (v.lower() in ("1", "true", "yes")) if isinstance(old, bool) else type(old)(v)})
    logs, real = training_rows(corpora, metrics["data"]["logs_used"])
    extra = task_rows(corpora)
    if not RISK_PASSAGES:
        extra = [{**r, "risks": None} for r in extra]
    genre = []
    if measured_sets(a.genre_pages):
        sys.exit(f"{'、'.join(BLIND_PAGES)} 是盲测集：不用于训练")
    if a.genre_pages:
        from bench.tag_pages_look import page_sets

        genre = page_sets(a.genre_pages, None, "skip")
    status_extra = extra_mentions(corpora, hand_pages=genre, hand_weight=cfg.page_mentions,
                                  hand_skip=skipped_statuses(cfg))
    n_hand = sum(k[0] in {g["id"] for g in genre} for k in status_extra[1])
    t = _fit(load_taxonomy(corpora / "taxonomy.toml"), cfg, logs, real + extra, read_statuses(corpora, real),
             extra=status_extra, risks_only=True, genre=real + genre,
             vote_pages=genre if cfg.page_vote > 0 else ())
    mine, theirs = t.features.arrays(), m.features.arrays()
    if any(not np.array_equal(mine[k], theirs[k]) for k in theirs) or t.features.config() != m.features.config():
        sys.exit("重新拟合的特征与已保存模型不同（训练数据或特征配置变了）：请用 gongwen train 全部重训")
    if t.weak_keywords != m.weak_keywords:
        sys.exit("重新拟合的弱关键词与已保存模型不同：请用 gongwen train 全部重训")
    m.config = replace(m.config, **{f: getattr(cfg, f) for f in risk_fields})
    m.risk_coef, m.risk_bias = t.risk_coef, t.risk_bias
    m.status_model = t.status_model
    m.calm_coef, m.calm_bias = t.calm_coef, t.calm_bias
    m.vote_coef, m.vote_bias = t.vote_coef, t.vote_bias
    m.risk_thresholds = t.risk_thresholds
    m.genre_head = t.genre_head
    for k in ("n_genre_pages", "genre_pages", "n_page_mention_labels", "page_mention_sets"):
        metrics["data"].pop(k, None)
    if n_hand:
        metrics["data"].update({"n_page_mention_labels": n_hand,
                                "page_mention_sets": sorted(g.partition("=")[0] for g in a.genre_pages)})
    if genre and t.genre_head is not None:
        metrics["data"].update({"n_genre_pages": len(genre),
                                "genre_pages": sorted(g.partition("=")[0] for g in a.genre_pages)})
    for k in ("n_mentions", "mention_statuses"):
        m.info[k] = t.info[k]
    out = a.out or a.model
    m.save(out)
    m = Tagger.load(out)
    metrics["risks_refit_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    metrics["tagger"].update({**m.info, "risk_thresholds": m.risk_thresholds})
    metrics["test"] = evaluate(m, read_logs(corpora / "logs" / "test.jsonl"))
    metrics["heldout"].update(heldout_scores(m, corpora))
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(metrics, m), encoding="utf-8")
    te, h = metrics["test"], metrics["heldout"]
    print(f"test: tasks {te['tasks']['macro_f1']:.3f} risks {te['risks']['macro_f1']:.3f} negated {te.get('negated')}")
    for name, s in h.items():
        print(f"{name}: {json.dumps({k: v for k, v in s.items() if k != 'per_label'}, ensure_ascii=False)[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
