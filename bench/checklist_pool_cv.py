"""Which training material each learned checklist stage should take: a grouped CV over the pooled
development notices (the 75 annotated real notices and the development page sets), every notice
predicted by stages fitted without its site.

Per fold (sites dealt by GroupKFold with a shuffle seed) each learned stage is fitted on the training
folds' real notices only ("b", the material the shipped models were fitted on before session 21) and on
the training folds' real and page notices ("p"); the project's own gold always trains. The duty stage
can also take the page notices at half weight ("h"); the actor stage can give them to its CRF alone
("c", `actor_model.fit(..., crf_golds=...)`, what `actor_model train --page-set` ships) or to its subject
reader alone ("s"). An upper-case letter (P, H, C, S) is the same material without the notices of the sets
named by `--new-sets` (say pages6 pages7): those are dealt into the folds and read in the test folds like any
other, but never train, so the material shipped before they came and the material with them are judged on the
same test notices. Every notice of the test folds is read by each arm (`--arms`, one letter per stage:
split, duty, actors; `bbb` is the old material) and scored with the shared scorer. The duty stage keeps
the shipped thresholds (models/checklist/duty.json) in every arm: the comparison is of training material,
not of the inner threshold choice.

`run` writes per notice and arm the scorer's counts (no text) to OUT.json; `compare OUT.json A B`
prints, per partition (real = the 75 notices, pages, pages2, pages4, all pages, pooled) and seed,
hard recall, precision, q+d+f and actors of arm A and arm B with a paired site bootstrap (90 %) of B
minus A. `--b-from OTHER.json` reads arm B from another run over the same notices and seeds (so the same folds):
the way to judge one set trained on and predicted (a page set outside `--new-sets` in OTHER's run) against the
same set only predicted (inside it), the rest of the material alike. The page texts come from their caches
(outside the repository): keep OUT.json in /tmp.

usage: python bench/checklist_pool_cv.py run OUT.json --page-set FOLDER=CACHE [...] [--seeds 1 2]
                                             [--folds 5] [--missing refuse|skip] [--arms bp bph bpcs]
                                             [--new-sets pages6 ...]
       python bench/checklist_pool_cv.py compare OUT.json A B [--draws 4000] [--b-from OTHER.json]"""
from __future__ import annotations

import argparse
import copy
import json
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.site_bootstrap import interval, site_draws  # noqa: E402

# material of the split, duty and actor stages: b the real notices, p with the page notices too; duty h:
# the page notices at half weight; actors c / s: the CRF / the subject reader alone with the page notices
ARMS = ("bp", "bph", "bpcs")


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return round(ru.ru_utime + ru.ru_stime, 1)


def partition(name: str) -> str:
    first = name.split("/")[0]
    return first if first.startswith("pages") else "real"


def counts(s: dict) -> list[int]:
    o, at = s["obligations"], s["attributes"]
    return [o["found"], o["gold_hard"], o["correct_predictions"], o["predicted"],
            sum(at[k]["correct"] for k in ("quotas", "deadlines", "frequency")),
            sum(at[k]["gold"] for k in ("quotas", "deadlines", "frequency")),
            at["actors"]["correct"], at["actors"]["gold"]]


PAGE_HALF = 0.5  # arm "h": the duty stage weighs each page-notice clause at this


def _fit_duty(examples: list, page_weight: float):
    """duty_model.fit with the page notices' clauses weighed at `page_weight` (bagged as `duty_model.BAGS` says)."""
    from nlp.checklist import duty_model as dm

    weights = [dm.PROJECT_WEIGHT if e.group == "project" else page_weight if partition(e.name) != "real" else 1.0
               for e in examples for _ in e.labels]
    return dm.fit_weighted(examples, weights)


def _actor_stage(letter: str, fitted: dict, real_golds: list, page_golds: dict):
    """The actor stage of one material letter (b, p/P, c/C, s/S), fitted once per fold into `fitted`;
    `page_golds` holds the training page notices of every set ("p") and without the new sets ("P")."""
    from nlp.checklist import actor_model

    if letter not in fitted:
        pages = page_golds["P" if letter.isupper() else "p"]
        if letter == "b":
            fitted[letter] = actor_model.fit(real_golds)
        elif letter in "pP":
            fitted[letter] = actor_model.fit(real_golds + pages)
        elif letter in "cC":  # the CRF alone takes the pages
            fitted[letter] = actor_model.fit(real_golds, crf_golds=pages)
        else:  # s / S: the subject reader alone takes the pages
            whole = _actor_stage("p" if letter == "s" else "P", fitted, real_golds, page_golds)
            fitted[letter] = actor_model.Stage(_actor_stage("b", fitted, real_golds, page_golds).crf, whole.subject)
    return fitted[letter]


def run(out: Path, specs: list[str], seeds: list[int], folds: int, missing: str, arms: list[str],
        new_sets: list[str] = ()) -> None:
    from sklearn.model_selection import GroupKFold

    from nlp.checklist import actor_model, split_model
    from nlp.checklist import duty_model as dm
    from nlp.checklist.evaluate import score
    from nlp.resources import shared_root

    shared = shared_root(ROOT)
    weights = json.loads(dm.WEIGHTS_PATH.read_text(encoding="utf-8"))
    kb, aa = weights["keep_below"], weights["add_above"]
    real = dm.real_examples(ROOT / "corpora/annotations/checklist", shared)
    real += dm.page_set_examples(specs, shared, missing=missing)
    project = dm.project_examples()
    project_golds = [e.gold for e in project]
    groups = [e.group for e in real]
    is_page = [partition(e.name) != "real" for e in real]
    is_new = [partition(e.name) in new_sets for e in real]
    unknown = set(new_sets) - {partition(e.name) for e in real}
    if unknown:
        raise SystemExit(f"--new-sets names no pooled page set: {sorted(unknown)}")
    print(len(real), "notices,", len(set(groups)), "sites, read in", _cpu(), "CPU-s", flush=True)
    res: dict = {"names": [e.name for e in real], "groups": groups, "thresholds": [kb, aa], "specs": specs,
                 "new_sets": list(new_sets), "duty_bags": dm.BAGS, "duty_bag_share": dm.BAG_SHARE,
                 "duty_c_grid": list(dm.C_GRID), "duty_band": dm.BAND}
    for seed in seeds:
        docs: dict[str, list] = {s + d + am: [None] * len(real) for s in arms[0] for d in arms[1] for am in arms[2]}
        kfold = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        for train_idx, test_idx in kfold.split(real, groups=groups):
            # b the real notices; p with every page notice; P without the --new-sets ones
            material = {"b": [i for i in train_idx if not is_page[i]], "p": list(train_idx),
                        "P": [i for i in train_idx if not is_new[i]]}
            real_golds = [real[i].gold for i in material["b"]] + project_golds
            page_golds = {m: [real[i].gold for i in material[m] if is_page[i]] for m in "pP"}
            fitted: dict = {}

            for sm in arms[0]:
                splitter = dm.fit_split([real[i] for i in material[sm]] + project)
                with split_model.using(splitter):
                    read = {i: dm.reread(real[i]) for i in list(train_idx) + list(test_idx)}
                    proj = [dm.reread(e) for e in project]
                for dmat in arms[1]:
                    model = _fit_duty([read[i] for i in material[{"h": "p", "H": "P"}.get(dmat, dmat)]] + proj,
                                      PAGE_HALF if dmat in "hH" else 1.0)
                    for i in test_idx:
                        e = read[i]
                        p = model.predict_proba(e.rows)[:, 1] if e.rows else []
                        cl = dm._rebuild(e, p, kb, aa) if len(p) else e.checklist
                        for am in arms[2]:
                            done = actor_model.resolve(_actor_stage(am, fitted, real_golds, page_golds),
                                                       copy.deepcopy(cl))
                            docs[sm + dmat + am][i] = counts(score(e.gold, done.to_dict()))
            print("seed", seed, "fold done,", _cpu(), "CPU-s", flush=True)
        res[str(seed)] = docs
    res["cpu_s"] = _cpu()
    res["duty_c_chosen"] = list(dm.C_CHOSEN)
    out.write_text(json.dumps(res), encoding="utf-8")
    print("CPU-s", res["cpu_s"])


def _figures(c: list[float]) -> dict[str, float]:
    def div(a: float, b: float) -> float:
        return a / b if b else float("nan")
    return {"R": div(c[0], c[1]), "P": div(c[2], c[3]), "qdf": div(c[4], c[5]), "actors": div(c[6], c[7])}


def compare(path: Path, a: str, b: str, draws: int = 4000, b_from: Path | None = None) -> None:
    res = json.loads(path.read_text(encoding="utf-8"))
    names, groups = res["names"], res["groups"]
    other = res if b_from is None else json.loads(b_from.read_text(encoding="utf-8"))
    if (other["names"], other["groups"]) != (names, groups):
        raise SystemExit(f"{b_from} holds other notices or sites than {path}: no paired comparison")
    parts = {p: [i for i, n in enumerate(names) if partition(n) == p] for p in sorted({partition(n) for n in names})}
    parts["all pages"] = [i for i, n in enumerate(names) if partition(n) != "real"]
    parts["pooled"] = list(range(len(names)))
    for seed in [k for k in res if k.isdigit()]:
        if seed not in other:
            raise SystemExit(f"{b_from} has no seed {seed}")
        print(f"seed {seed}: {a} -> {b}" + (f" of {b_from.name}" if b_from else ""))
        for part, idx in parts.items():
            per = {}
            for arm, run_ in (("a", res), ("b", other)):
                sites: dict[str, list[int]] = {}
                for i in idx:
                    row = sites.setdefault(groups[i], [0] * 8)
                    for k, v in enumerate(run_[seed][a if arm == "a" else b][i]):
                        row[k] += v
                per[arm] = sites
            diff = site_draws(per["b"], _figures, draws, 0, against=per["a"])
            ta = [sum(r[k] for r in per["a"].values()) for k in range(8)]
            tb = [sum(r[k] for r in per["b"].values()) for k in range(8)]
            cells = []
            for k, m in enumerate(("R", "P", "qdf", "actors")):
                lo, hi = interval(diff[m])
                cells.append(f"{m} {ta[2 * k]}/{ta[2 * k + 1]} -> {tb[2 * k]}/{tb[2 * k + 1]} "
                             f"[{100 * lo:+.1f}, {100 * hi:+.1f}]")
            print(f"  {part:9s} ({len(per['a'])} sites) " + "; ".join(cells))


def main() -> int:
    from nlp.checklist.annotations import MISSING

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("out", type=Path)
    r.add_argument("--page-set", action="append", default=[], metavar="FOLDER=CACHE", required=True)
    r.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    r.add_argument("--folds", type=int, default=5)
    r.add_argument("--missing", choices=MISSING, default="refuse")
    r.add_argument("--arms", nargs=3, default=list(ARMS), metavar=("SPLIT", "DUTY", "ACTORS"),
                   help="the materials to try per stage (default: every one)")
    r.add_argument("--new-sets", nargs="+", default=[], metavar="SET",
                   help="page sets (pages6, ...) that upper-case material letters leave out of training")
    r.add_argument("--duty-bags", type=int, default=0, metavar="B",
                   help="fit the duty stage as the mean of B site-bootstrap fits (duty_model.BAGS; 0: one fit)")
    r.add_argument("--duty-bag-share", type=float, default=0.0, metavar="F",
                   help="each duty bag F of the training sites without replacement (0: a bootstrap)")
    r.add_argument("--duty-c-grid", type=float, nargs="+", default=[], metavar="C",
                   help="the duty stage's C chosen per fold by an inner grouped CV from these (duty_model.C_GRID)")
    r.add_argument("--duty-band", type=float, default=0.0, metavar="M",
                   help="around each duty bar a band this wide where the rules' decision stands (duty_model.BAND)")
    c = sub.add_parser("compare")
    c.add_argument("out", type=Path)
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--draws", type=int, default=4000)
    c.add_argument("--b-from", type=Path, default=None, metavar="OTHER.json",
                   help="read arm B from another run over the same notices and seeds")
    a = ap.parse_args()
    if a.command == "run":
        from nlp.checklist import duty_model as dm

        dm.BAGS, dm.BAG_SHARE, dm.C_GRID = a.duty_bags, a.duty_bag_share, tuple(a.duty_c_grid)
        dm.BAND = a.duty_band
        run(a.out, a.page_set, a.seeds, a.folds, a.missing, a.arms, a.new_sets)
    else:
        compare(a.out, a.a, a.b, a.draws, a.b_from)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
