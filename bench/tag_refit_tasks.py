"""Refit only the task heads of a saved tagger with the current task recipe, keeping its
features and its whole risk side; rescore the test split and held-out sets and write the
task figures of a grouped CV (`bench/tag_cv.py --tasks-only --preds P`) into its card.

For a change of the task recipe alone, when a full `gongwen train` (about 20 CPU-minutes,
an hour under load) would give the same risk side: the task heads are fitted after the
features and apart from the risks (`Tagger.fit(tasks_only=True)`), and the vocabulary is
chosen from the texts with all labels only, so the same training data gives the same
features. The script refuses when the refit's features differ from the saved model's.

usage: python bench/tag_refit_tasks.py --cv-preds /tmp/p.jsonl [--model models/tagger] [--out DIR]
                                       [--note "..."] [--set FIELD=VALUE ...] [--page-cache DIR [--page-set FOLDER]]

--page-cache DIR: the labelled page passages train the task heads too (task-only rows, as
`gongwen train --page-cache DIR`); --cv-preds may then hold them as well (bench/tag_task_cache.py
--pages train), and the card gets their grouped-CV task figures beside the batches'.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TASK_FIELDS = ("C_tasks", "task_window", "task_vec", "task_mix", "task_gate", "task_second")  # the task recipe; everything else stays as saved


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "tagger")
    ap.add_argument("--out", type=Path, default=None, help="default: over --model")
    ap.add_argument("--cv-preds", type=Path, required=True, help="predictions of bench/tag_cv.py --tasks-only --preds")
    ap.add_argument("--note", default=None)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    ap.add_argument("--page-cache", default=None)
    ap.add_argument("--page-set", default=None, metavar="FOLDER", help="the page set under corpora/ (default the first)")
    a = ap.parse_args()
    from nlp.tagging import Tagger, TaggerConfig, load_taxonomy
    from nlp.tagging.card import model_card
    from nlp.tagging.metrics import score_field
    from nlp.tagging.real import labelled_passages
    from nlp.tagging.train import evaluate, heldout_scores, page_task_rows, read_logs, task_rows, training_rows

    corpora = ROOT / "corpora"
    preds = [json.loads(l) for l in a.cv_preds.open(encoding="utf-8") if l.strip()]
    metrics = json.loads((a.model / "metrics.json").read_text(encoding="utf-8"))
    m = Tagger.load(a.model)
    default = TaggerConfig()
    cfg = replace(m.config, **{f: getattr(default, f) for f in TASK_FIELDS})
    for kv in a.set:
        k, _, v = kv.partition("=")
        if k not in TASK_FIELDS:
            sys.exit(f"只能改任务字段 {TASK_FIELDS}：{k}")
        old = getattr(cfg, k)
        cfg = replace(cfg, **{k: (v.lower() in ("1", "true", "yes")) if isinstance(old, bool) else type(old)(v)})
    logs, real = training_rows(corpora, metrics["data"]["logs_used"])
    extra = task_rows(corpora)
    pages = page_task_rows(corpora, a.page_cache, a.page_set)
    if m.info.get("n_tasks_only") in (len(extra), len(extra) + len(pages)):  # the saved model had them as task-only
        extra = [{**r, "risks": None} for r in extra]  # texts (risks unknown): the same, so its vocabulary comes back
    extra = extra + pages
    rows = logs + real + extra
    t = Tagger(load_taxonomy(corpora / "taxonomy.toml"), cfg).fit(
        [r["text"] for r in rows], [r.get("tasks") or [] for r in rows],
        [None if r.get("risks", []) is None else r.get("risks") or [] for r in rows],
        groups=[r.get("site") for r in rows], real=[bool(r.get("site")) for r in rows],
        ids=[r["id"] for r in rows], tasks_only=True)
    mine, theirs = t.features.arrays(), m.features.arrays()
    if any(not np.array_equal(mine[k], theirs[k]) for k in theirs) or t.features.config() != m.features.config():
        sys.exit("重新拟合的特征与已保存模型不同（训练数据或特征配置变了）：请用 gongwen train 全部重训")
    m.config = replace(m.config, **{f: getattr(cfg, f) for f in TASK_FIELDS})
    m.log_coef, m.log_bias, m.task_coef, m.task_bias = t.log_coef, t.log_bias, t.task_coef, t.task_bias
    m.task_thresholds = t.task_thresholds
    m.task_mix = t.task_mix
    m.gate_coef, m.gate_bias, m.gate_bar = t.gate_coef, t.gate_bias, t.gate_bar  # the union-work gate
    m.task_second = t.task_second  # second bars of the union tasks
    m.info["task_gate_inner"] = t.info.get("task_gate_inner")
    m.info["n_tasks_only"] = t.info["n_tasks_only"]
    out = a.out or a.model
    m.save(out)
    m = Tagger.load(out)

    gold = {r["id"]: r for r in labelled_passages()}
    cv_tasks = score_field(gold, {p["id"]: p for p in preds}, "tasks")
    metrics["tasks_refit_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    metrics["data"]["n_task_only"] = len(extra)
    metrics["data"]["task_only"] = "corpora/annotations/tagging/tasks/ (tasks of ../shared/real-corpus/passages.jsonl)"
    for k in ("n_page_passages", "page_passages"):
        metrics["data"].pop(k, None)
    if pages:
        from nlp.tagging.pages import page_passages

        folder = a.page_set or "annotations/tagging/pages"
        metrics["data"].update({"n_page_passages": len(pages), "page_passages": f"corpora/{folder}/"
                                " (texts from a page cache, task labels only)"})
        pgold = {r["id"]: r for r in page_passages(corpora, Path(a.page_cache), folder)}
        if all(k in {p["id"] for p in preds} for k in pgold) and metrics.get("grouped_cv"):
            metrics["grouped_cv"]["page_tasks"] = score_field(pgold, {p["id"]: p for p in preds}, "tasks")
    metrics["tagger"].update({**m.info, "task_thresholds": m.task_thresholds, "task_mix": m.task_mix,
                              "task_second": m.task_second})
    if metrics.get("grouped_cv"):
        metrics["grouped_cv"]["tasks"] = cv_tasks
        if a.note:  # after the note of the full run, which the risk figures still are
            metrics["grouped_cv"]["note"] = " ".join(x for x in (metrics["grouped_cv"].get("note"), a.note) if x)
    metrics["test"] = evaluate(m, read_logs(corpora / "logs" / "test.jsonl"))
    metrics["heldout"].update(heldout_scores(m, corpora))
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(metrics, m), encoding="utf-8")
    print(f"grouped CV tasks macro-F1 {cv_tasks['macro_f1']:.3f}; test tasks {metrics['test']['tasks']['macro_f1']:.3f}"
          f" risks {metrics['test']['risks']['macro_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
