"""Grouped cross-validation of the tagger on the real labelled report passages
(`../shared/real-corpus/batch-*.jsonl`): folds by source site, each fold trained on
the project's logs and the other sites' passages. Prints task/risk macro-F1, the
negated false-alarm rate and per-label figures.

usage: python bench/tag_cv.py [--folds 5] [--limit N] [--real-weight W] [--log-weight W] [--preds out.jsonl] [--json]
                             [--from-preds preds.jsonl] [--card models/tagger]

--limit N uses the first N logs of train.jsonl (default LOGS_USED of nlp/tagging/train.py, as
`gongwen train`; the supplement is always kept).
--baseline also tags every passage with an existing model (--model) for the first look.
--from-preds scores the predictions a previous run wrote with --preds instead of training.
--set FIELD=VALUE overrides a TaggerConfig field (repeatable; a tuple field as comma-separated values,
e.g. char_ngrams=2,3). --no-task-extra leaves out the task-only passages of corpora/annotations/tagging/tasks/;
--no-extra the hand-labelled mentions of the untagged passages (gongwen train uses both).
--strip-risk-parts fits the task heads on the project logs without their risk sentences (train.task_text);
with --tasks-only only, as the risk side would need the whole text.
--tasks-only fits only the task heads per fold (same folds, features and thresholds as the full
run, so the same task figures; minutes instead of an hour) and prints the chosen task thresholds.
--compare A.jsonl B.jsonl scores two runs' predictions (from --preds) on the same passages and
prints the paired bootstrap over sites (--boot B resamples, default 2000) of macro-F1(B) − macro-F1(A)
per field, and of the negated passages raising a risk they do not hold: the fold noise a recipe change
has to beat, without training anything. With --page-cache DIR (or GONGWEN_PAGE_CACHE) and files that
also hold the page passages (bench/tag_task_cache.py --pages), the same for the page passages and for
batches and pages pooled.
--missing skip leaves out the page passages whose page the cache lacks (named on stderr; the page figures are
on the rest, say n): the caches rebuilt on a new machine hold part of the set. Default: refuse.
--card DIR writes the figures into DIR/metrics.json and DIR/MODEL_CARD.md ("grouped_cv"), for a
model trained with the same recipe by `gongwen train --cv-folds 0`.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.checklist.annotations import MISSING  # noqa: E402


def show(title: str, res: dict) -> None:
    print(f"== {title}: n={res['n']}")
    for f in ("tasks", "risks"):
        v = res[f]
        print(f"{f:<6} macro-F1={v['macro_f1']:.3f} micro-F1={v['micro_f1']:.3f} exact={v['exact_match']:.3f}")
        for lab, s in v["per_label"].items():
            print(f"   {lab:<20} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}")
    if "negated" in res:
        v = res["negated"]
        print(f"negated passages raising a risk they do not hold: {v['false_alarms']}/{v['n']} ({v['false_alarm_rate']:.1%})")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=None, help="first N logs of train.jsonl (default: as gongwen train)")
    ap.add_argument("--real-weight", type=float, default=None)
    ap.add_argument("--log-weight", type=float, default=None)
    ap.add_argument("--preds", type=Path, default=None)
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "tagger")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--from-preds", type=Path, default=None)
    ap.add_argument("--card", type=Path, default=None)
    ap.add_argument("--compare", type=Path, nargs=2, default=None, metavar=("A", "B"))
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--page-cache", default=None, help="with --compare: the page passages too (and pooled)")
    ap.add_argument("--page-set", default=None, metavar="FOLDER",
                    help="the page set under corpora/ (default: annotations/tagging/pages)")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="a page the page cache lacks: refuse (default) or leave its passages out, naming it")
    ap.add_argument("--note", default=None, help="a line printed with the figures in the card")
    ap.add_argument("--tasks-only", action="store_true", help="fit and score the task heads only")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="a TaggerConfig field for this run (e.g. C_tasks=2 task_window=true)")
    ap.add_argument("--strip-risk-parts", action="store_true",
                    help="task heads see the project logs without their risk sentences (parts of mode present, "
                         "implied, denied, settled: they carry no task)")
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep the window classifiers (risk and task windows) on disk, as bench/tag_risk_cv.py --cache")
    ap.add_argument("--no-extra", action="store_true",
                    help="leave out the hand-labelled mentions of the untagged passages (the status classifier's "
                         "extra material, used by gongwen train)")
    ap.add_argument("--no-task-extra", action="store_true",
                    help="leave out the task-only passages (corpora/annotations/tagging/tasks/)")
    a = ap.parse_args()
    from nlp.tagging import Tagger, TaggerConfig, load_taxonomy
    from nlp.tagging.metrics import score
    from nlp.tagging.train import grouped_cv, read_statuses, task_rows, training_rows

    corpora = ROOT / "corpora"
    from nlp.tagging.train import LOGS_USED

    if a.cache:
        sys.path.insert(0, str(ROOT / "bench"))
        from tag_risk_cv import cache_window_fits

        cache_window_fits(a.cache)

    logs, real = training_rows(corpora, a.limit or LOGS_USED)
    extra = [] if a.no_task_extra else task_rows(corpora)
    if not real:
        sys.exit("../shared/real-corpus 不存在：没有可评估的真实段落")
    if a.compare:
        pages = []
        if a.page_cache:
            sys.path.insert(0, str(ROOT / "bench"))
            from tag_pages_look import page_sets  # one reader of page sets for the benches, left-out pages named

            pages = page_sets([a.page_set] if a.page_set else [], a.page_cache, a.missing)
        if not pages:
            return compare(real, *a.compare, a.boot)
        for name, gold in (("batches", real), ("page passages", pages), ("batches + page passages", real + pages)):
            print(f"== {name}: {len(gold)} passages, {len({r['site'] for r in gold})} sites")
            compare(gold, *a.compare, a.boot)
        return 0
    if a.baseline:
        m = Tagger.load(a.model)
        res = score(real, [p.to_dict(r["id"]) for r, p in zip(real, m.predict([r["text"] for r in real]))])
        show(f"{a.model} on all {len(real)} passages (no training on them)", res)
    cfg = TaggerConfig()
    if a.real_weight is not None:
        cfg = replace(cfg, real_weight=a.real_weight)
    if a.log_weight is not None:
        cfg = replace(cfg, log_weight=a.log_weight)
    for kv in a.set:
        k, _, v = kv.partition("=")
        old = getattr(cfg, k)
        val = ((v.lower() in ("1", "true", "yes")) if isinstance(old, bool) else
               tuple(type(old[0])(x) for x in v.split(",")) if isinstance(old, tuple) else type(old)(v))
        cfg = replace(cfg, **{k: val})
    t0 = time.perf_counter()
    if a.strip_risk_parts:
        if not a.tasks_only:
            sys.exit("--strip-risk-parts 只用于 --tasks-only：风险部分需要日志全文")
        from nlp.tagging.train import task_text

        logs = [{**r, "text": task_text(r)} for r in logs]
    if a.tasks_only:
        return tasks_cv(load_taxonomy(corpora / "taxonomy.toml"), cfg, logs, real, extra, a)
    if a.from_preds:
        preds = [json.loads(l) for l in a.from_preds.open(encoding="utf-8") if l.strip()]
        res = score(real, preds)
        res["folds"] = len({p["fold"] for p in preds})
        res["n_sites"] = len({r["site"] for r in real})
        cv = {"scores": res, "predictions": preds}
    else:
        cv = grouped_cv(load_taxonomy(corpora / "taxonomy.toml"), cfg, logs, real, read_statuses(corpora, real), a.folds,
                        progress=lambda s: print(s, f"{time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True),
                        task_extra=extra, corpora_dir=None if a.no_extra else corpora)
    show(f"grouped CV by site ({a.folds} folds, {cv['scores']['n_sites']} sites, {len(logs)} logs)", cv["scores"])
    if a.preds:
        with a.preds.open("w", encoding="utf-8") as f:
            for p in cv["predictions"]:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    if a.json:
        print(json.dumps(cv["scores"], ensure_ascii=False))
    if a.card:
        from nlp.tagging.card import model_card

        mp = a.card / "metrics.json"
        metrics = json.loads(mp.read_text(encoding="utf-8"))
        if metrics["data"].get("logs_used") != (a.limit or LOGS_USED):
            sys.exit("模型训练用的日志条数与本次交叉验证不同：不写入模型卡")
        metrics["grouped_cv"] = {**cv["scores"], **({"note": a.note} if a.note else {})}
        mp.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (a.card / "MODEL_CARD.md").write_text(model_card(metrics, Tagger.load(a.card)), encoding="utf-8")
    return 0


def compare(real: list[dict], path_a: Path, path_b: Path, n_boot: int, seed: int = 0) -> int:
    """Paired bootstrap over source sites of the macro-F1 difference of two prediction files
    (B − A), per field both files predict: sites, not passages, are resampled, as the folds
    hold sites out."""
    import numpy as np

    from nlp.tagging.metrics import score_field

    runs = []
    for p in (path_a, path_b):
        rows = {}
        for line in p.open(encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                rows[str(r["id"])] = r
        runs.append(rows)
    gold = {str(r["id"]): r for r in real}
    if any(k not in run for run in runs for k in gold):
        sys.exit("预测文件没有覆盖全部真实段落：无法配对比较")
    by_site: dict[str, list[str]] = {}
    for r in real:
        by_site.setdefault(r["site"], []).append(str(r["id"]))
    sites = sorted(by_site)
    rng = np.random.default_rng(seed)
    fields = [f for f in ("tasks", "risks") if all(f in next(iter(run.values())) for run in runs)]
    for f in fields:
        a, b = (score_field(gold, run, f)["macro_f1"] for run in runs)
        diffs = []
        for _ in range(n_boot):
            ids = [(f"{k}#{n}", k) for n, k in enumerate(i for s in rng.choice(sites, len(sites)) for i in by_site[s])]
            g = {key: gold[k] for key, k in ids}
            pa, pb = ({key: run[k] for key, k in ids} for run in runs)
            diffs.append(score_field(g, pb, f)["macro_f1"] - score_field(g, pa, f)["macro_f1"])
        d = np.array(diffs)
        print(f"{f:<6} macro-F1 A={a:.3f} B={b:.3f} B−A={b - a:+.3f}; site bootstrap ({n_boot}): mean {d.mean():+.3f},"
              f" 90% interval [{np.percentile(d, 5):+.3f}, {np.percentile(d, 95):+.3f}], B better in {(d > 0).mean():.0%}")
    neg = [k for k in gold if gold[k].get("negated")]
    if "risks" in fields and neg:
        # a negated passage (the text says the risk is absent, settled or a rumour) that
        # raises a risk it does not hold, per run; resampled by site as above
        fa = [{k: any((r["id"] if isinstance(r, dict) else r) not in (gold[k].get("risks") or [])
                      for r in run[k]["risks"]) for k in neg} for run in runs]
        sites_n = sorted({gold[k]["site"] for k in neg})
        per = np.array([[sum(x[k] for k in neg if gold[k]["site"] == s) for x in fa] for s in sites_n])
        d = np.array([(lambda t: t[1] - t[0])(per[rng.integers(0, len(sites_n), len(sites_n))].sum(axis=0))
                      for _ in range(n_boot)])
        a, b = (sum(x.values()) for x in fa)
        print(f"negated passages raising a risk they do not hold: A={a}/{len(neg)} B={b}/{len(neg)}; site bootstrap of "
              f"B−A: 90% interval [{np.percentile(d, 5):+.0f}, {np.percentile(d, 95):+.0f}], B fewer in {(d < 0).mean():.0%}")
    return 0


def tasks_cv(taxonomy, cfg, logs: list[dict], real: list[dict], extra: list[dict], a) -> int:
    """Grouped CV of the task heads alone: the folds of train.grouped_cv (with the task-only
    passages of the other sites), each fit with tasks_only=True, scored on tasks; the
    thresholds (and whole-text head weights) each fold chose are printed."""
    from sklearn.model_selection import GroupKFold

    from nlp.tagging import Tagger
    from nlp.tagging.metrics import score_field

    t0 = time.process_time()
    preds: dict[str, dict] = {}
    chosen = []
    for k, (tr, te) in enumerate(GroupKFold(a.folds).split(real, groups=[r["site"] for r in real])):
        out = {real[i]["site"] for i in te}
        rows = logs + [real[i] for i in tr] + [r for r in extra if r["site"] not in out]
        m = Tagger(taxonomy, cfg).fit([r["text"] for r in rows], [r.get("tasks") or [] for r in rows],
                                      [None if r.get("risks", []) is None else r.get("risks") or [] for r in rows],
                                      groups=[r.get("site") for r in rows],
                                      real=[bool(r.get("site")) for r in rows], ids=[r["id"] for r in rows],
                                      tasks_only=True)
        chosen.append((m.task_thresholds, m.task_mix))
        held = [real[i] for i in te]
        for r, (tasks, sc) in zip(held, m.predict_tasks([r["text"] for r in held])):
            preds[r["id"]] = {"id": r["id"], "tasks": tasks, "task_scores": sc, "fold": k}
        print(f"fold {k + 1}/{a.folds} {time.process_time() - t0:.0f} CPU-s", file=sys.stderr, flush=True)
    gold = {r["id"]: r for r in real}
    res = score_field(gold, preds, "tasks")
    print(f"== tasks only, grouped CV by site ({a.folds} folds, {len({r['site'] for r in real})} sites, {len(logs)} logs,"
          f" {len(extra)} task-only passages)")
    print(f"tasks  macro-F1={res['macro_f1']:.3f} micro-F1={res['micro_f1']:.3f} exact={res['exact_match']:.3f}")
    for lab, s in res["per_label"].items():
        th = " ".join(f"{c[lab]:.3f}" for c, _ in chosen)
        mix = " ".join(f"{x.get(lab, 0.5):.2f}" for _, x in chosen)
        print(f"   {lab:<20} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}  thresholds/fold: {th}"
              f"  whole-text weight/fold: {mix}")
    if a.preds:
        with a.preds.open("w", encoding="utf-8") as f:
            for r in real:
                f.write(json.dumps(preds[r["id"]], ensure_ascii=False) + "\n")
    if a.json:
        print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
