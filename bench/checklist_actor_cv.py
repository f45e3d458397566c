"""The actor stage on the checklist's grouped CV, cheaply: read once, score many times.

`cache` runs the grouped CV by site the way `duty_model.cross_validate` does (per fold: the
split stage and the duty stage fitted on the training notices, the duty stage's thresholds
chosen by the inner CV, the actor stage fitted on the training notices' gold), on GroupKFold's
own deal and on seeds 1 and 2, and keeps per test notice its checklist *before* the actor stage,
and per fold the fitted actor stage, the training notices and their readings (rules + the fold's
split stage). That costs what a full CV costs (about 220 CPU-s for the 75 notices).
`score` then runs the actor stage of the code on the path over those readings (a few CPU-s;
`--refit` fits the stage per fold again, about 40 CPU-s) and writes each notice's scores, so an
actor-stage change (its readers, its filters, its resolvers, what it is fitted on) is judged on
all three partitions in seconds. A change to the rules that read the notice (extract, actors)
needs a new cache. `compare A B` prints the pooled figures of two score files and a paired
bootstrap over sites (90 %), with the sites that moved.

`--pages DIR` (cache): the page notices of corpora/annotations/checklist-pages join the 75 (their
text from the page cache DIR): a grouped CV over all of them, the page notices no longer unseen.
The cache is a pickle of the code's own objects: use it with the code that wrote it, keep it in /tmp.

usage: python bench/checklist_actor_cv.py cache OUT.pkl [--pages DIR]
       python bench/checklist_actor_cv.py score CACHE.pkl OUT.json [--refit]
       python bench/checklist_actor_cv.py compare A.json B.json"""
from __future__ import annotations

import argparse
import copy
import json
import pickle
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.site_bootstrap import interval, site_draws  # noqa: E402

PARTITIONS = (None, 1, 2)


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return round(ru.ru_utime + ru.ru_stime, 1)


def cache(out: Path, shared: Path, pages: Path | None) -> None:
    from sklearn.model_selection import GroupKFold

    from nlp.checklist import actor_model, split_model
    from nlp.checklist import duty_model as dm

    real = dm.real_examples(ROOT / "corpora/annotations/checklist", shared)
    if pages is not None:
        real += dm.page_examples(pages, shared)
    project = dm.project_examples()
    groups = [e.group for e in real]
    res: dict = {"names": [e.name for e in real], "groups": groups, "golds": [e.gold for e in real],
                 "project_golds": [e.gold for e in project]}
    for seed in PARTITIONS:
        kfold = GroupKFold(n_splits=5) if seed is None else GroupKFold(n_splits=5, shuffle=True, random_state=seed)
        folds = []
        for train_idx, test_idx in kfold.split(real, groups=groups):
            splitter = dm.fit_split([real[i] for i in train_idx] + project)
            with split_model.using(splitter):
                train = [dm.reread(real[i]) for i in train_idx] + [dm.reread(e) for e in project]
                test = [dm.reread(real[i]) for i in test_idx]
            model = dm.fit(train)
            pair = dm.choose_thresholds([e for e in train if e.group != "project"],
                                        [e for e in train if e.group == "project"])
            tests = {}
            for e in test:
                p = model.predict_proba(e.rows)[:, 1] if e.rows else []
                tests[e.name] = dm._rebuild(e, p, *pair) if len(p) else e.checklist
            folds.append({"train": [int(i) for i in train_idx], "test": [int(i) for i in test_idx], "pair": pair,
                          "stage": actor_model.fit([real[i].gold for i in train_idx] + res["project_golds"]),
                          "tests": tests, "trains": [e.checklist for e in train]})
            print(seed, len(folds), "folds", _cpu(), "CPU-s", flush=True)
        res[str(seed)] = folds
    res["cpu_s"] = _cpu()
    with open(out, "wb") as fh:
        pickle.dump(res, fh)


def score(path: Path, out: Path, refit: bool) -> None:
    from nlp.checklist import actor_model
    from nlp.checklist.evaluate import micro_average
    from nlp.checklist.evaluate import score as score_one

    with open(path, "rb") as fh:
        c = pickle.load(fh)
    names, golds = c["names"], c["golds"]
    res: dict = {"names": names, "groups": c["groups"]}
    for seed in map(str, PARTITIONS):
        docs: list = [None] * len(names)
        for f in c[seed]:
            stage = actor_model.fit([golds[i] for i in f["train"]] + c["project_golds"]) if refit else f["stage"]
            for i in f["test"]:
                docs[i] = score_one(golds[i], actor_model.resolve(stage, copy.deepcopy(f["tests"][names[i]])).to_dict())
        pooled = micro_average(docs)
        res[seed] = {"docs": docs, "pooled": pooled, "chosen": [str(f["pair"]) for f in c[seed]]}
        a = pooled["attributes"]["actors"]
        print(f"partition {seed}: actors {a['correct']}/{a['gold']}, actor precision {a['given_correct']}/{a['given']}")
    res["cpu_s"] = _cpu()
    out.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
    print("CPU-s", res["cpu_s"])


def _counts(r: dict) -> list[int]:
    o, at = r["obligations"], r["attributes"]
    return [o["found"], o["gold_hard"], o["correct_predictions"], o["predicted"],
            sum(at[k]["correct"] for k in ("quotas", "deadlines", "frequency")),
            sum(at[k]["gold"] for k in ("quotas", "deadlines", "frequency")),
            at["actors"]["correct"], at["actors"]["gold"], at["actors"]["given_correct"], at["actors"]["given"]]


def _div(a: int, b: int) -> float:
    return a / b if b else 0.0


def _figures(c: list[int]) -> dict[str, float]:
    div = _div
    return {"R": div(c[0], c[1]), "P": div(c[2], c[3]), "qdf": div(c[4], c[5]), "actors": div(c[6], c[7]),
            "actor_P": div(c[8], c[9])}


def compare(a_path: Path, b_path: Path, draws: int = 4000) -> None:
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (a_path, b_path))
    if a["names"] != b["names"]:
        raise SystemExit("the two score files hold different notices")
    groups = a["groups"]
    sites = sorted(set(groups))
    for seed in map(str, PARTITIONS):
        per = {}
        for name, run in (("a", a), ("b", b)):
            rows = [_counts(r) for r in run[seed]["docs"]]
            per[name] = {s: [sum(x[k] for x, g in zip(rows, groups) if g == s) for k in range(10)] for s in sites}

        def total(side: str, keys, per=per) -> list[int]:
            return [sum(per[side][s][k] for s in keys) for k in range(10)]

        diffs = site_draws(per["b"], _figures, draws, 0, against=per["a"])
        ca, cb = total("a", sites), total("b", sites)
        print(f"partition {seed}: actors {ca[6]}/{ca[7]} → {cb[6]}/{cb[7]}; R {ca[0]} → {cb[0]}/{ca[1]}, "
              f"P {ca[2]}/{ca[3]} → {cb[2]}/{cb[3]}, q+d+f {ca[4]} → {cb[4]}/{ca[5]}, "
              f"actor precision {ca[8]}/{ca[9]} → {cb[8]}/{cb[9]}")
        print("   paired site bootstrap 90 % (points): " + ", ".join(
            f"{k} [{interval(v)[0] * 100:+.1f}, {interval(v)[1] * 100:+.1f}]" for k, v in diffs.items()))
        for s in sites:
            if per["a"][s] != per["b"][s]:
                print(f"     {s}: actors {per['a'][s][6]} → {per['b'][s][6]}/{per['a'][s][7]}")


def main() -> int:
    from nlp.resources import shared_root

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("cache")
    c.add_argument("out", type=Path)
    c.add_argument("--shared", type=Path, default=None)
    c.add_argument("--pages", type=Path, default=None)
    s = sub.add_parser("score")
    s.add_argument("cache", type=Path)
    s.add_argument("out", type=Path)
    s.add_argument("--refit", action="store_true")
    m = sub.add_parser("compare")
    m.add_argument("a", type=Path)
    m.add_argument("b", type=Path)
    a = ap.parse_args()
    if a.command == "cache":
        cache(a.out, a.shared or shared_root(ROOT), a.pages)
    elif a.command == "score":
        score(a.cache, a.out, a.refit)
    else:
        compare(a.a, a.b)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
