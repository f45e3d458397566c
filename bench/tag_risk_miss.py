"""Why the risk side missed (or wrongly raised) a (passage, risk) pair in a grouped CV run of
`bench/tag_risk_cv.py`, read through the very model of the passage's fold.

usage: python bench/tag_risk_cv.py --folds 5 --cache DIR --preds P.jsonl --save-models M [--pages score --page-set ...]
       python bench/tag_risk_miss.py P.jsonl M [--wrong | --quiet] [--page-set FOLDER=CACHE ... [--missing skip]]
                                    [--json OUT]

For each missed pair (gold holds the risk, the fold's model did not raise it; `--wrong`: raised
but not held) it prints the passage id, site, whether the passage is `negated`, the best window's
probability and the path the decision took:
- with a mention of the risk: the risk vote's probability against the mention bar in force
  (`status`, or `status_quiet` when all the text's mentions read not present) and `lo`, then each
  mention's status, raise score, keyword, status cue and a short context (bench output only);
- with none: which bar stopped the window alone (`implied`, `implied_quiet` in a calm text, the
  union-service rule without a harm said, a denied best window) and the window's text.
It ends with the counts per path and the number of sites behind each.

`--quiet`: the quiet pairs raised instead (a risk the passage names but does not hold, with the quiet
status `bench/tag_quiet_look.py` gives it). `--page-set` (as `bench/tag_risk_cv.py` takes it) adds the
page passages of a `--pages score` run. Each mention then also shows the status a person read for it
(`real_mentions.jsonl`, `page_mentions/`; `-` where none), and the run ends with the count of the
mentions that carried each pair, by (hand status, read raising or the status read, source) with their
sites: for a raised pair its mentions read raising (raise >= 0.5), or its best one when none is; for a
missed pair all its mentions. That tells a status-model misreading (a mention a person read quiet, read
raising) from the vote's or the window's doing, and labelled mentions from unlabelled ones.
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


def explain(m, text: str, lab: str) -> dict:
    """The decision path of risk `lab` in `text` under the fitted tagger `m`."""
    from nlp.tagging.gate import harm_said, service_texts
    from nlp.tagging.keywords import SENTENCE_END
    from nlp.tagging.status import STATUSES, StatusModel, status_cue, vote_features, vote_proba

    v = m._views([text])
    _, Pr, best = m._probas(v)
    j = m.risk_labels.index(lab)
    th = m.risk_thresholds[lab]
    t = v.norm[0]
    rh = m.matcher.find(t, normalized=True, kind="risk")
    cues = m.status_features.cues(t) if rh else []
    P = m.status_model.proba(m.status_features.mention_features(t, rh, cues)) if rh else np.zeros((0, len(STATUSES)))
    S = StatusModel.raise_score(P) if rh else np.zeros(0)
    calm = float(m._calm(v.X_log)[0])
    quiet_m = bool(rh) and not (S >= 0.5).any()
    p = float(Pr[0, j])
    out = {"p": round(p, 3), "calm": round(calm, 2), "thresholds": th}
    own = [k for k, h in enumerate(rh) if h.label == lab]
    if own:
        owner = np.zeros(len(rh), np.int64)
        labs, starts = m._vote_inputs(owner, rh)
        keys, X = vote_features(P, owner, labs, starts, len(m.risk_labels), Pr, np.array([calm]))
        vote = float(vote_proba(X, keys % len(m.risk_labels), m.vote_coef, m.vote_bias)[list(keys).index(j)])
        bar = th.get("status_quiet", th["status"]) if quiet_m else th["status"]
        out.update(path="mention", vote=round(vote, 3), bar=bar,
                   why="vote under bar" if vote < bar else ("window under lo" if p < th["lo"] else "raised"))
        out["mentions"] = []
        for k in own:
            h = rh[k]
            st = STATUSES[int(P[k].argmax())]
            c = status_cue(t, h, st, cues)
            out["mentions"].append({"keyword": h.keyword, "status": st, "raise": round(float(S[k]), 2),
                                    "raising": bool(S[k] >= 0.5), "start": h.start, "end": h.end,
                                    "cue": c.word if c else None,
                                    "context": t[max(0, h.start - 20):h.start] + "【" + h.keyword + "】"
                                    + t[h.end:h.end + 25]})
        return out
    s, e = v.span(best[0, j])
    quiet = calm >= m.config.calm_bar or quiet_m
    why = []
    if p < th["implied"]:
        why.append("under implied")
    if quiet and p < th.get("implied_quiet", 0.0):
        why.append("calm text")
    if "implied_service" in th and p < th["implied_service"] and service_texts([t], m.taxonomy)[0] \
            and not harm_said(t, s, e):
        why.append("union service, no harm said")
    m_end = SENTENCE_END.search(t, e)
    if m._clause_denied(t[s:m_end.start() if m_end else len(t)]):
        why.append("window denied")
    out.update(path="no mention", why=", ".join(why) or "raised", window=t[s:e],
               other_mentions=sorted({f"{h.label}:{h.keyword}" for h in rh}))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("preds", type=Path)
    ap.add_argument("models", type=Path)
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--wrong", action="store_true", help="wrongly raised pairs instead of missed ones")
    which.add_argument("--quiet", action="store_true", help="quiet pairs raised instead of missed ones")
    ap.add_argument("--page-set", action="append", default=[], metavar="FOLDER[=CACHE]")
    ap.add_argument("--missing", choices=("refuse", "skip"), default="refuse")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    from bench.tag_quiet_look import QUIET, batch_gold
    from nlp.tagging import Tagger
    from nlp.tagging.annotations import statuses
    from nlp.tagging.train import measured_sets, read_statuses

    if measured_sets(a.page_set):
        sys.exit("盲测集与未调校的检查集不用于诊断")
    gold = {r["id"]: r for r in batch_gold()}
    hand = read_statuses(ROOT / "corpora", list(gold.values()))
    if a.page_set:
        from bench.tag_pages_look import page_sets

        pages = page_sets(a.page_set, None, a.missing)
        gold.update({r["id"]: r for r in pages})
        hand.update(statuses(ROOT / "corpora" / "annotations" / "tagging" / "page_mentions", pages))
    models: dict[int, Tagger] = {}
    rows = []
    for line in a.preds.open(encoding="utf-8"):
        p = json.loads(line)
        g = gold.get(p["id"])
        if g is None:
            continue
        got, held = {r["id"] for r in p["risks"]}, set(g.get("risks") or [])
        quiet = {r for r, st in (g.get("statuses") or {}).items() if st in QUIET} - held
        for lab in sorted(got - held if a.wrong else (got & quiet) if a.quiet else held - got):
            k = p["fold"]
            if k not in models:
                models[k] = Tagger.load(a.models / f"fold{k}")
            r = {"id": p["id"], "site": g["site"], "risk": lab, "negated": bool(g.get("negated")),
                 "fold": k, **explain(models[k], g["text"], lab)}
            for mm in r.get("mentions", []):
                mm["hand"] = hand.get((p["id"], mm["start"], mm["end"], lab), "-")
            rows.append(r)
    for r in rows:
        head = f"{r['id']} {r['site']} {r['risk']}{' (negated)' if r['negated'] else ''} p={r['p']}"
        if r["path"] == "mention":
            print(f"{head} vote={r['vote']} bar={r['bar']} lo={r['thresholds']['lo']}: {r['why']}")
            for mm in r["mentions"]:
                print(f"    {mm['status']:<12} {mm['raise']:.2f} hand={mm['hand']:<12} cue={mm['cue']} {mm['context']}")
        else:
            print(f"{head} implied={r['thresholds']['implied']}: {r['why']} | {r['window'][:60]}")
    count = collections.Counter((r["path"], r["why"]) for r in rows)
    sites = collections.defaultdict(set)
    for r in rows:
        sites[r["path"], r["why"]].add(r["site"])
    print(f"== {len(rows)} {'wrongly raised' if a.wrong else 'quiet raised' if a.quiet else 'missed'} pairs")
    for key, n in count.most_common():
        print(f"   {key[0]:<10} {key[1]:<40} {n:>3} pairs, {len(sites[key])} sites")
    carried = collections.Counter()
    c_sites = collections.defaultdict(set)
    for r in rows:
        ms = r.get("mentions", [])
        if a.wrong or a.quiet:
            ms = [mm for mm in ms if mm["raising"]] or sorted(ms, key=lambda mm: -mm["raise"])[:1]
        for mm in ms:
            key = (mm["hand"], "raising" if mm["raising"] else mm["status"],
                   "page" if r["id"].startswith("pg") else "batch")
            carried[key] += 1
            c_sites[key].add(r["site"])
    print("== their mentions (hand status, read, source): mentions, sites")
    for key, n in carried.most_common():
        print(f"   {key[0]:<12} {key[1]:<12} {key[2]:<6} {n:>3} mentions, {len(c_sites[key])} sites")
    if a.json:
        a.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
