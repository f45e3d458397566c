"""Grouped cross-validation of the tagger's RISK side alone on the real labelled report
passages: the folds of `bench/tag_cv.py` (by source site), each fold fitted with
`risks_only=True` (no task heads: tasks are judged by `bench/tag_cv.py`), the risk
figures and the negated false alarms printed, then every false alarm on a negated passage
(passage id, risk, raised through a mention or implied, the mention's status and score).

usage: python bench/tag_risk_cv.py [--folds 5] [--no-extra] [--passages train|score|off] [--cache DIR]
                                  [--pages train|score|off] [--page-cache DIR] [--page-set FOLDER[=CACHE] ...]
                                  [--preds out.jsonl] [--save-models DIR] [--set KEY=VALUE ...]
                                  [--fixed-bars [MODEL_DIR|BARS.json]]
       python bench/tag_risk_cv.py --compare A.jsonl B.jsonl [--boot 2000]

--cache DIR keeps the risk window classifiers on disk, keyed by a hash of their inputs
(features, labels, training rows, weights, C): a rerun that changes only the status
classifier or the decision refits none of them (a full run costs ~15 CPU-minutes, a
cached one ~2). --no-extra leaves out the hand-labelled mentions of the untagged passages.
--save-models DIR writes each fold's fitted tagger to DIR/fold<k> (read by `bench/tag_risk_miss.py`,
which tells why a pair was missed or wrongly raised).
--set KEY=VALUE overrides a TaggerConfig field (e.g. --set negated_cost=2).
--fixed-bars holds the risk vote bars (status, lo, implied and their calm-text variants) the same in every
fold instead of re-choosing them on each fold's inner CV: those of the shipped model (models/tagger, the
default), of another model directory, or of a JSON file {label: {bar: value}}. Bars re-chosen per fold move
with any change to the probabilities (risk macro-F1 about ±0.02, false alarms by several); with fixed bars two
variants are compared on the same bars. The shipped bars were chosen on all the real passages, held-out
folds included: use the fixed mode to compare variants, not as a held-out figure.
--passages: the untagged passages a person gave risk labels (corpora/annotations/tagging/risks/, with
their task labels) `train`: they join the fits of the other folds and are
held out and scored in the fold of their site (a site of the batches keeps its fold, the others are spread
over the folds), printed apart, the batches' figures staying those of their own 303 passages; `score`: held
out and scored the same way but trained without their risks (the first look at them); `off` (default, as
`gongwen train`, whose risk fit leaves them out: nlp/tagging/train.py RISK_PASSAGES): left out.
--pages: the same three modes for the labelled passages of stored web pages (corpora/annotations/tagging/pages/,
texts from the page cache given by --page-cache or GONGWEN_PAGE_CACHE: nlp/tagging/pages.py), their sites spread
over the folds by GroupKFold; printed apart with the status classes their pairs were read as.
Two more page routes were tried and their hooks taken out of Tagger.fit (2026-12-06, with page set 4; see
corpora/annotations/tagging/README.md): the page passages training the risk vote alone (`vote`, session 18
and again with page set 4) and joining the choice of the risk bars alone (`--bar-pages`, session 19 and again).
With page set 4, 5 folds, page statuses as status material and the frame columns in both arms, pages 29 + pages4 60
held out (paired site bootstrap 90 %): vote rows, batches 0.736 -> 0.718 [-0.044, +0.007], held risks 117 -> 111/161
(recall [-0.065, -0.013]), quiet pairs 25 -> 20/113; pages4 held 16 -> 15/21, quiet 17 -> 15/49. Bar rows, batches
0.736 -> 0.737 [-0.008, +0.012], held 117 -> 115/161 ([-0.027, +0.000]), negated 13 -> 11/72, quiet 25 -> 21/113
([-7, -1]); pages4 0.496 -> 0.489, held 16 -> 15/21, quiet 17 -> 16/49. Both bought quiet with held risks.
--page-statuses: the page passages' per-risk statuses stand for each of their mentions of that risk in the
status classifier's training (with --pages train; nlp/tagging/pages.py: mention_statuses).
--page-set FOLDER[=CACHE] (repeatable): the development page sets the page options read, pooled (default the
first page set, corpora/annotations/tagging/pages, from --page-cache); `=CACHE` when a set's texts lie in a cache
of their own, e.g. --page-set corpora/annotations/tagging/pages4=/tmp/tagfresh4/pages. The blind sets (pages3, pages5) and the untuned check pages7 are refused; pages2 became a development set in session 21.
--missing skip leaves out the page passages whose page the cache lacks (named on stderr; the page figures are
on the rest, say n): the caches rebuilt on a new machine hold part of the set. Default: refuse.
--status-pages all|quiet: the page passages' per-risk statuses stand for each mention of the risk as status
material alone (nlp/tagging/train.py: extra_mentions; the other sites' pages in every fold), `quiet`: only the
mentions of the risks a passage does not hold. With page set 4 (pages 29 + pages4 60, against --pages score, paired
site bootstrap 90 %): `all`, 5 folds batches 0.732 -> 0.754 [-0.000, +0.048], pages4 0.481 -> 0.524, but 4 folds
0.733 -> 0.725 with held risks 119 -> 112/161 (recall [-0.074, -0.016]); `quiet`, 5 folds 0.732 -> 0.732, 4 folds
0.733 -> 0.704, held 119 -> 112/161 ([-0.082, -0.007]). Not adopted (corpora/annotations/tagging/README.md).
With `--set genre_gate=1` the page passages read (of the other folds' sites) fit the genre head beside the
batches (nlp/tagging/genre.py), whatever --pages says.
With `--set page_mentions=W` (W > 0) the hand-read mention statuses of the page passages read
(corpora/annotations/tagging/page_mentions/; of the other folds' sites) train the status classifier too, each
mention row weighing W × real_weight (nlp/tagging/train.py: extra_mentions), whatever --pages says.
With `--set page_vote=W` (W > 0) the (passage, risk) pairs of those page passages train the risk vote too
(Tagger.fit vote_extra), each weighing W × real_weight; `--set vote_form=1|2` fits a vote with one shared bias
(2: and only the max raise score, window and calm inputs). Session 32: all arms failed on 5 or 4 folds
(corpora/annotations/tagging/README.md, last section).
--compare A B prints the paired site bootstrap of two --preds files (B − A), on the batches' passages and
on the risk-labelled untagged ones apart.
--card DIR --tasks-cv METRICS writes the figures into DIR/metrics.json and DIR/MODEL_CARD.md
("grouped_cv", for a model trained with the same recipe by `gongwen train --cv-folds 0`), the task
figures taken from the grouped CV of METRICS (a full `bench/tag_cv.py` run of the same task recipe:
this script fits no task heads), said so in the card.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.checklist.annotations import MISSING  # noqa: E402
from nlp.tagging.train import BLIND_PAGES as BLIND  # noqa: E402  (the sets that stay a measurement)
from nlp.tagging.train import measured_sets  # noqa: E402


def cache_window_fits(directory: Path) -> None:
    """Memoise `Tagger._fit_risks` on disk (bench use only: the key covers every input)."""
    from nlp.tagging.model import Tagger

    directory.mkdir(parents=True, exist_ok=True)
    fit = Tagger._fit_risks

    def cached(self, v, Yr, kw_win, logs, kw_any, w=None, neg_sample=None):
        h = hashlib.sha256()
        X = v.X_win
        for a in (X.indptr, X.indices, X.data, v.X_log.data, Yr, kw_win, np.asarray(logs), kw_any,
                  np.asarray(w if w is not None else []), v.win_owner):
            h.update(np.ascontiguousarray(a).tobytes())
        h.update(repr((neg_sample, self.config.neg_sample, self.config.C_risks, self.config.mil_rounds,
                       self.config.seed)).encode())
        p = directory / f"{h.hexdigest()[:24]}.npz"
        if p.exists():
            with np.load(p) as z:
                return z["coef"], z["bias"]
        coef, bias = fit(self, v, Yr, kw_win, logs, kw_any, w, neg_sample)
        np.savez(p, coef=coef, bias=bias)
        return coef, bias

    Tagger._fit_risks = cached


def read_bars(source: Path) -> dict[str, dict]:
    """Risk bars from a model directory (its tagger.json) or a JSON file of {label: {bar: value}}."""
    f = source / "tagger.json" if source.is_dir() else source
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        sys.exit(f"读不了风险阈值 {f}：{e}")
    bars = data.get("risk_thresholds", data) if isinstance(data, dict) else None
    if not isinstance(bars, dict) or not all(isinstance(b, dict) and {"status", "lo", "implied"} <= b.keys()
                                             for b in bars.values()):
        sys.exit(f"{f} 不是风险阈值：需要 {{风险: {{status, lo, implied, ...}}}}")
    return bars


def fix_bars(bars: dict[str, dict]) -> None:
    """Every fit keeps `bars` as its risk thresholds instead of those its inner CV chose (bench use only)."""
    from nlp.tagging.model import Tagger

    tune = Tagger._tune

    def fixed(self, *args, **kwargs):
        tune(self, *args, **kwargs)
        missing = set(self.risk_labels) - bars.keys()
        if missing:
            sys.exit(f"固定阈值缺少风险：{'、'.join(sorted(missing))}")
        self.risk_thresholds = {lab: dict(bars[lab]) for lab in self.risk_labels}

    Tagger._tune = fixed


def save_fold_models(directory: Path) -> None:
    """Write the tagger of each outer fold to directory/fold<k> (bench use only)."""
    from nlp.tagging import train

    fit, count = train._fit, [0]

    def saving(*args, **kwargs):
        m = fit(*args, **kwargs)
        m.save(directory / f"fold{count[0]}")
        count[0] += 1
        return m

    train._fit = saving


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-extra", action="store_true")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--preds", type=Path, default=None)
    ap.add_argument("--save-models", type=Path, default=None)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--card", type=Path, default=None)
    ap.add_argument("--tasks-cv", type=Path, default=None)
    ap.add_argument("--passages", choices=("train", "score", "off"), default="off")
    ap.add_argument("--pages", choices=("train", "score", "off"), default="off")
    ap.add_argument("--page-cache", default=None)
    ap.add_argument("--page-set", action="append", default=[], metavar="FOLDER[=CACHE]",
                    help="a development page set to read (repeatable; default the first page set)")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="a page the page cache lacks: refuse (default) or leave its passages out, naming it")
    ap.add_argument("--page-statuses", action="store_true")
    ap.add_argument("--status-pages", choices=("all", "quiet", "off"), default="off")
    ap.add_argument("--compare", nargs=2, type=Path, default=None, metavar=("A", "B"))
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--fixed-bars", type=Path, nargs="?", const=ROOT / "models" / "tagger", default=None)
    a = ap.parse_args()
    from nlp.tagging import TaggerConfig, load_taxonomy
    from nlp.tagging.metrics import score
    from nlp.tagging.train import LOGS_USED, grouped_cv, read_statuses, task_rows, training_rows

    if a.cache:
        cache_window_fits(a.cache)
    if a.save_models:
        save_fold_models(a.save_models)
    if a.fixed_bars:
        if a.card:
            sys.exit("--card 不能与 --fixed-bars 同用：固定阈值的数字不是留出评估")
        fix_bars(read_bars(a.fixed_bars))
    corpora = ROOT / "corpora"
    logs, real = training_rows(corpora, LOGS_USED)
    if not real:
        sys.exit("../shared/real-corpus 不存在：没有可评估的真实段落")
    labelled = [r for r in task_rows(corpora) if r.get("risks") is not None]
    pages = []
    if a.pages != "off" or a.compare or a.status_pages != "off":
        from bench.tag_pages_look import page_sets
        from nlp.tagging.pages import PageCacheError

        if measured_sets(a.page_set):
            sys.exit(f"{'、'.join(BLIND)} 是盲测集：不用于训练或交叉验证")
        try:
            pages = page_sets(a.page_set, a.page_cache, a.missing)
        except PageCacheError as e:
            if a.pages != "off" or a.status_pages != "off":
                sys.exit(str(e))
    if a.compare:
        from bench.tag_cv import compare

        for name, gold in (("batches", real), ("untagged passages with risk labels", labelled), ("page passages", pages)):
            if gold:
                print(f"== {name} ({len(gold)} passages, {len({r['site'] for r in gold})} sites)")
                compare(gold, *a.compare, a.boot)
        return 0
    cfg = TaggerConfig()
    for kv in a.set:
        k, _, val = kv.partition("=")
        cfg = replace(cfg, **{k: type(getattr(cfg, k))(val)})
    t0 = time.process_time()
    statuses = read_statuses(corpora, real)
    if a.page_statuses:
        from nlp.tagging.pages import mention_statuses

        statuses = {**statuses, **mention_statuses(pages)}
    cv = grouped_cv(load_taxonomy(corpora / "taxonomy.toml"), cfg, logs, real, statuses,
                    a.folds, lambda s: print(s, f"{time.process_time() - t0:.0f} CPU-s", file=sys.stderr, flush=True),
                    corpora_dir=None if a.no_extra else corpora, risks_only=True,
                    task_extra=([] if a.passages == "off" else [{**r, "train_risks": a.passages == "train"} for r in labelled])
                    + ([] if a.pages == "off" else [{**r, "train_risks": a.pages == "train"} for r in pages]),
                    score_extra=a.passages != "off" or a.pages != "off",
                    status_pages=pages if a.status_pages != "off" else (), page_held=a.status_pages == "all",
                    genre_rows=pages, hand_pages=pages)
    res = score(real, cv["predictions"])
    v = res["risks"]
    print(f"== risks only, grouped CV by site ({a.folds} folds, {cv['scores']['n_sites']} sites, {len(logs)} logs, "
          f"extra status labels: {not a.no_extra}, risk-labelled untagged passages: {a.passages}, page passages: {a.pages}, "
          f"status material from pages: {a.status_pages}, page mention rows: {cfg.page_mentions:g}, "
          f"{' '.join(a.set) or 'default config'}, "
          f"bars: {f'fixed from {a.fixed_bars}' if a.fixed_bars else 'chosen per fold'}), {time.process_time() - t0:.0f} CPU-s")
    print(f"risks  macro-F1={v['macro_f1']:.3f} micro-F1={v['micro_f1']:.3f} exact={v['exact_match']:.3f}")
    for lab, s in v["per_label"].items():
        print(f"   {lab:<20} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}")
    neg = res["negated"]
    print(f"negated passages raising a risk they do not hold: {neg['false_alarms']}/{neg['n']} ({neg['false_alarm_rate']:.1%})")
    gold = {r["id"]: r for r in real}
    for p in cv["predictions"]:
        g = gold[p["id"]]
        if not g.get("negated"):
            continue
        for r in p["risks"]:
            if r["id"] in (g.get("risks") or []):
                continue
            ms = [m for m in p.get("mentions", []) if m["id"] == r["id"]]
            how = ("mention " + ",".join(f"{m['status']}:{m['score']:.2f}" for m in ms)) if ms else "implied"
            print(f"   FA {p['id']} {r['id']:<20} p={p['risk_scores'][r['id']]:.2f} {how}")
    for name, group in (("untagged passages with risk labels", labelled), ("page passages", pages)):
        xp = [p for p in cv.get("extra_predictions", []) if p["id"] in {r["id"] for r in group}]
        if not xp:
            continue
        x = score(group, xp)
        print(f"== the {len(group)} {name} ({len({r['site'] for r in group})} sites), held out in the same folds:"
              f" risks macro-F1={x['risks']['macro_f1']:.3f} micro-F1={x['risks']['micro_f1']:.3f}")
        for lab, s in x["risks"]["per_label"].items():
            print(f"   {lab:<20} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} n={s['support']}")
        if "negated" in x:
            print(f"negated passages raising a risk they do not hold: {x['negated']['false_alarms']}/{x['negated']['n']}")
        if group is pages:
            from bench.tag_pages_look import status_alarms

            al = status_alarms(pages, {p["id"]: p for p in xp})
            print("   quiet pairs raised: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(al.items())))
    if a.preds:
        with a.preds.open("w", encoding="utf-8") as f:
            for p in cv["predictions"] + cv.get("extra_predictions", []):
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    if a.card:
        write_card(a.card, a.tasks_cv, {**cv["scores"], **res}, cfg)
    return 0


def write_card(directory: Path, tasks_cv: Path | None, res: dict, cfg) -> None:
    from dataclasses import asdict

    from nlp.tagging import Tagger
    from nlp.tagging.card import model_card

    if tasks_cv is None:
        sys.exit("--card 需要 --tasks-cv：本脚本不训练任务分类，任务指标取自一次完整的 bench/tag_cv.py")
    mp = directory / "metrics.json"
    metrics = json.loads(mp.read_text(encoding="utf-8"))
    tagger = Tagger.load(directory)
    if asdict(tagger.config) != asdict(cfg):
        sys.exit("模型的配置与本次交叉验证不同：不写入模型卡")
    prev = json.loads(tasks_cv.read_text(encoding="utf-8"))
    old = prev["grouped_cv"]
    note = (f"Risks: this recipe, `python bench/tag_risk_cv.py` (risk heads only, {res['folds']} folds). Tasks: the "
            f"last full `bench/tag_cv.py` run of the same task recipe (model of {prev.get('trained_at', '?')}).")
    metrics["grouped_cv"] = {**res, "tasks": old["tasks"], "note": note}
    mp.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (directory / "MODEL_CARD.md").write_text(model_card(metrics, tagger), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
