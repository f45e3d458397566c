"""Error analysis of the checklist's grouped CV: which kind of miss each missed hard duty is.

Runs `duty_model.cross_validate` (grouped by site, no inner CV) on the annotated real
notices and sorts every hard gold duty that no item matches at the given thresholds:

- rejected: a candidate covers it (as the scorer counts) but the duty stage drops it
  (`rejected` a rule item, `rejected+` a left-over clause it did not add);
- inside: it sits inside a candidate too long to match (the split stage left it in a
  longer item, or a left-over sentence was not cut);
- cut: shorter candidates cover it only together (the rules or the split stage cut it;
  `cut;` when the duty runs over a ；, where sentences end);
- none: no candidate covers it.

Each kind is told apart further (`detail`): a rejected duty by what its best covering candidate
carries (`:veto` a vetoed class, `:binds` / `:asks` a binding or asking word, `:modal` another modal,
`:nomodal` none; --show gives its probability); a duty with no candidate by why none is there
(`none:table`, `none:form`, `none:head` (title, 主送… spans), `none:heading`, `none:ruleitem` (a rule
item holds part of it and takes its text), the candidate filter that dropped its piece
(`none:rosterline`, `none:formtitle`, `none:phase`, …), `none:unlocated`).

Prints duties and sites per kind, so that the class worth a change is the one seen in
most sites. Texts of the shared notices are printed only with --show (never copy them
into the repository).

With `--page-set FOLDER=CACHE` (as bench/checklist_pool_cv.py takes them) the misses are those of
the pooled grouped CV instead: the 75 notices and the page sets, dealt into the pool CV's folds
(GroupKFold, 5 folds, shuffled by --seed) and read by arm bPC (split stage on the real notices,
duty stage and actor CRF with the page notices of the sets not named by --new-sets), as the pool
CV's `run` reads them.

Thresholds default to the shipped ones (models/checklist/duty.json), else the fixed pair.

usage: python bench/checklist_misses.py [--seed N] [--keep-below P] [--add-above P] [--show]
       python bench/checklist_misses.py --page-set FOLDER=CACHE [...] [--missing skip] [--new-sets pages6 ...]
                                        [--seed N] [--show]"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _raw_cover(pred: str, gold: str) -> float:
    """The share of the gold's bigrams in `pred`, with no bound on its length."""
    from nlp.checklist.evaluate import bigrams, norm

    g = bigrams(norm(gold))
    return len(g & bigrams(norm(pred))) / len(g) if g else 0.0


def kind_of(gold: str, cands: list) -> str:
    from nlp.checklist.evaluate import covers

    covering = [c for c in cands if covers(c.text, gold) >= 0.6]
    if covering:
        return "rejected" if any(c.rule is not None for c in covering) else "rejected+"
    if any(_raw_cover(c.text, gold) >= 0.6 for c in cands):
        return "inside"
    parts = [c for c in cands if _raw_cover(c.text, gold) > 0.15 and len(c.text) < len(gold)]
    if len(parts) >= 2 and _raw_cover("".join(c.text for c in parts), gold) >= 0.6:
        return "cut;" if re.search(r"[；;].", gold.strip()) else "cut"
    return "none"


def _locate(text: str, gold: str) -> tuple[int, int] | None:
    """Where `gold` lies in `text`, whitespace ignored (its first 12 characters when the whole is not there)."""
    from nlp.checklist.evaluate import norm

    idx = [i for i, ch in enumerate(text) if not ch.isspace()]
    flat = "".join(text[i] for i in idx)
    g = norm(gold)
    k = flat.find(g)
    n = len(g)
    if k < 0:
        k = flat.find(g[:12])
        if k < 0:
            return None
        n = min(n, len(flat) - k)
    return idx[k], idx[k + n - 1] + 1


HEAD_SPANS = ("title", "page_title", "recipients", "doc_number", "letterhead", "date", "byline")


def why_none(e, gold: str) -> str:
    """Why no candidate of notice `e` (a `duty_model.Example`) covers `gold`: the filter of
    `duty_model.candidates` that dropped the text, replayed over the pieces that overlap it."""
    from ingest.structure.dates import compact_date, date_only
    from ingest.structure.text import is_signer
    from nlp.checklist import duty_model as dm
    from nlp.checklist.clauses import strip_punct
    from nlp.checklist.extract import PHASE_NAME, TRANSMITTAL
    from nlp.checklist.tables import form_spans, inside, table_spans
    from nlp.checklist.view import view

    doc = e.doc
    at = _locate(doc.text, gold)
    if at is None:
        return "none:unlocated"
    a0, b0 = at
    if inside(table_spans(doc), a0, b0):
        return "none:table"
    if inside(form_spans(doc), a0, b0):
        return "none:form"
    heads = [(s.start, s.end) for k, s in doc.spans.items() if k in HEAD_SPANS]
    if any(min(b0, b) > max(a0, a) for a, b in heads):
        return "none:head"
    items = e.checklist.obligations
    names = [r.name for r in e.checklist.roster or [] if r.name]
    taken = dm._Taken([(o.start or 0, o.end or 0) for o in items] + heads)
    plain = view(doc).text
    reasons, pos = [], 0
    for line in plain.split("\n"):
        for a, b in dm._pieces(line, pos):
            if min(b, b0) <= max(a, a0):
                continue
            seg, bare = plain[a:b].strip(), strip_punct(plain[a:b].strip())
            checks = (("signature", is_signer(seg) or date_only(seg) or compact_date(seg)), ("short", len(seg) < 4),
                      ("note", dm._NOTE.match(seg)), ("rosterline", dm._ROSTER_LINE.match(seg)),
                      ("rostername", any(n in seg for n in names if len(seg) < 50)),
                      ("formtitle", dm._FORM_TITLE.search(bare)), ("transmittal", TRANSMITTAL.match(bare)),
                      ("phase", PHASE_NAME.search(bare)), ("definition", dm._DEFINITION.search(seg)),
                      ("ruleitem", taken.holds(a, b, 0.3)))
            reasons.append(next((k for k, hit in checks if hit), ""))
        pos += len(line) + 1
    if any(a0 <= h < b0 for h, _ in dm._headings(doc.text)) and not any(reasons):
        return "none:heading"
    dropped = [r for r in reasons if r]
    if dropped:
        return "none:" + max(sorted(set(dropped)), key=dropped.count)
    return "none:partial"


def detail(e, probs, gold: str, kind: str) -> tuple[str, float | None]:
    """The kind told apart (module docstring), with the best covering candidate's probability."""
    from nlp.checklist import duty_model as dm
    from nlp.checklist.evaluate import covers
    from nlp.checklist.modality import find_modals

    if kind == "none":
        return why_none(e, gold), None
    if not kind.startswith("rejected"):
        return kind, None
    cover = [j for j, c in enumerate(e.cands) if covers(c.text, gold) >= 0.6]
    j = max(cover, key=lambda k: probs[k] if len(probs) else 0.0)
    c, p = e.cands[j], (float(probs[j]) if len(probs) else None)
    if e.rows and dm.vetoed(e.rows[j]):
        sub = "veto"
    elif dm.binds(c.text):
        sub = "binds"
    elif dm.asks(c.text):
        sub = "asks"
    else:
        sub = "modal" if find_modals(c.text) else "nomodal"
    return f"{kind}:{sub}", p


def pooled_readings(real: list, project: list, seed: int, kb: float, ab: float, new_sets=(), folds: int = 5) -> dict:
    """Every pooled notice read as bench/checklist_pool_cv.py's arm bPC reads it in its test fold
    (the same GroupKFold deal): index → (the example as that fold's split stage reads it, the duty
    stage's probabilities, the checklist after the actor stage)."""
    from sklearn.model_selection import GroupKFold

    from bench.checklist_pool_cv import _actor_stage, _fit_duty, partition
    from nlp.checklist import actor_model, split_model
    from nlp.checklist import duty_model as dm

    groups = [e.group for e in real]
    is_page = [partition(e.name) != "real" for e in real]
    is_new = [partition(e.name) in new_sets for e in real]
    project_golds = [e.gold for e in project]
    out: dict = {}
    for train_idx, test_idx in GroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(real, groups=groups):
        material = {"b": [i for i in train_idx if not is_page[i]], "P": [i for i in train_idx if not is_new[i]]}
        real_golds = [real[i].gold for i in material["b"]] + project_golds
        page_golds = {"p": [], "P": [real[i].gold for i in material["P"] if is_page[i]]}
        splitter = dm.fit_split([real[i] for i in material["b"]] + project)
        with split_model.using(splitter):
            read = {i: dm.reread(real[i]) for i in list(train_idx) + list(test_idx)}
            proj = [dm.reread(e) for e in project]
        model = _fit_duty([read[i] for i in material["P"]] + proj, 1.0)
        fitted: dict = {}
        for i in test_idx:
            e = read[i]
            p = model.predict_proba(e.rows)[:, 1] if e.rows else []
            cl = dm._rebuild(e, p, kb, ab) if len(p) else e.checklist
            out[i] = (e, p, actor_model.resolve(_actor_stage("C", fitted, real_golds, page_golds), copy.deepcopy(cl)))
    return out


def main() -> int:
    from nlp.checklist import actor_model
    from nlp.checklist import duty_model as dm
    from nlp.checklist.annotations import load_all
    from nlp.checklist.evaluate import covers
    from nlp.resources import shared_root

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=None)
    shipped = dm.load_model()  # (weights, keep-below, add-above) of the shipped stage, or None
    kb, aa = shipped[1:] if shipped else (dm.KEEP_BELOW, dm.ADD_ABOVE)
    ap.add_argument("--keep-below", type=float, default=kb)
    ap.add_argument("--add-above", type=float, default=aa)
    ap.add_argument("--show", action="store_true", help="print each missed duty (shared text: do not commit)")
    ap.add_argument("--page-set", action="append", default=[], metavar="FOLDER=CACHE",
                    help="pool these page sets with the 75 notices (the pool CV's folds and arm bPC)")
    ap.add_argument("--missing", choices=("refuse", "skip"), default="refuse")
    ap.add_argument("--new-sets", nargs="+", default=[], metavar="SET",
                    help="page sets that train no stage (as the pool CV's upper-case material)")
    args = ap.parse_args()

    shared = shared_root(ROOT)
    readings: list = []  # (example, probabilities, checklist) of every notice in its test fold
    if args.page_set:
        real = dm.real_examples(ROOT / "corpora/annotations/checklist", shared)
        real += dm.page_set_examples(args.page_set, shared, missing=args.missing)
        pooled = pooled_readings(real, dm.project_examples(), 1 if args.seed is None else args.seed,
                                 args.keep_below, args.add_above, args.new_sets)
        readings = [pooled[i] for i in sorted(pooled)]
    else:
        kept: dict = {}
        dm.cross_validate(load_all(ROOT / "corpora/annotations/checklist", shared), shared, keep=kept,
                          seed=args.seed, inner=0)
        for e, probs, crf in kept.values():
            cl = dm._rebuild(e, probs, args.keep_below, args.add_above) if len(probs) else e.checklist
            if crf is not None:
                cl = actor_model.resolve(crf, copy.deepcopy(cl))
            readings.append((e, probs, cl))
    kinds: dict[str, list] = defaultdict(list)
    hard = 0
    for e, probs, cl in readings:
        items = [o["text"] for o in cl.to_dict()["obligations"]]  # the texts the scorer reads
        for g in e.gold.get("obligations", []):
            if g.get("tier") != "hard":
                continue
            hard += 1
            if any(covers(t, g["text"]) >= 0.6 for t in items):
                continue
            kind, p = detail(e, probs, g["text"], kind_of(g["text"], e.cands))
            kinds[kind].append((e.group, e.name, g["text"], p))
    total = sum(len(v) for v in kinds.values())
    print(f"missed hard duties at {args.keep_below}/{args.add_above} (seed {args.seed}): {total} of {hard} "
          f"in {len({s for v in kinds.values() for s, *_ in v})} sites")
    main_kinds: dict[str, list] = defaultdict(list)
    for k, v in kinds.items():
        main_kinds[k.split(":")[0]] += v
    for table in (main_kinds, kinds):
        for k, v in sorted(table.items(), key=lambda kv: (-len({s for s, *_ in kv[1]}), kv[0])):
            sites = sorted({s for s, *_ in v})
            print(f"  {k:18s} {len(v):3d} duties {len(sites):3d} sites" + (f": {' '.join(sites)}" if table is kinds else ""))
            if args.show and table is kinds:
                for site, name, text, p in v:
                    print(f"      {site:16s} {name[-24:]:24s} " + ("" if p is None else f"p={p:.2f} ") + text[:60])
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
