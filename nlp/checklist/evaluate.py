"""Scoring a checklist against a gold annotation (format: shared gold SCHEMA).

The matching rules are those of the project's reference scorer:
- a gold duty is found when a predicted item covers ≥ 60 % of its character bigrams
  and is not longer than 2.5 × the gold text + 20 characters (whitespace ignored);
- recall is over `hard` gold duties; a predicted item (hard or soft) is correct when
  it overlaps some gold duty (one text inside the other, or ≥ 60 % of the predicted
  item's bigrams in the gold text);
- quotas match on (min, max), deadlines on (month, day), frequency on `every`,
  actors when one name contains the other; all over the predicted items that cover
  each hard gold duty (a missed duty misses its attributes);
- actor precision (not in the reference scorer, which never penalises an extra actor):
  the distinct names the covering items give each found hard duty, correct when one
  holds or is held by a gold actor of that duty; a name given to a duty whose gold names
  no actor is wrong. Listing more actors raises accuracy and lowers this;
- roster entries match on (name, role), tables on whole rows.
`micro_average` pools the counts of several documents; `by_site` pools them per source
site and over all (real annotations, `nlp.checklist.annotations`)."""
from __future__ import annotations

import re
from typing import Any


def norm(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def _joined(items) -> str:
    return re.sub(r"[、，,；;：:\s]", "", "".join(items or []))


def bigrams(s: str) -> set[str]:
    s = norm(s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def covers(pred_text: str, gold_text: str) -> float:
    p, g = norm(pred_text), norm(gold_text)
    if not p or not g or len(p) > 2.5 * len(g) + 20:
        return 0.0
    gb = bigrams(g)
    return len(gb & bigrams(p)) / len(gb)


def overlaps(pred_text: str, gold_text: str) -> bool:
    p, g = norm(pred_text), norm(gold_text)
    if not p or not g:
        return False
    if p in g or g in p:
        return True
    pb = bigrams(p)
    return len(pb & bigrams(g)) / len(pb) >= 0.6


def _num(x):
    try:
        return None if x is None else float(x)
    except (TypeError, ValueError):
        return None


def _quota_key(q: dict):
    return (_num(q.get("min")), _num(q.get("max")))


def _deadline_key(d: dict):
    return (d.get("month"), d.get("day"))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"gold": n_gold, "predicted": n_pred, "tp": tp, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(_f1(p, r), 3)}


def score(gold: dict, pred: dict) -> dict[str, Any]:
    """Scores of one predicted checklist (`Checklist.to_dict()`) against one gold file."""
    gob = gold.get("obligations", [])
    pob = pred.get("obligations", [])
    hard = [g for g in gob if g.get("tier") == "hard"]
    matches: dict[int, list[dict]] = {}
    for i, g in enumerate(hard):
        cands = sorted(((covers(p.get("text", ""), g["text"]), j) for j, p in enumerate(pob)), reverse=True)
        good = [pob[j] for c, j in cands if c >= 0.6]
        if good:
            matches[i] = good
    found = len(matches)
    correct = sum(1 for p in pob if any(overlaps(p.get("text", ""), g["text"]) for g in gob))
    rec = found / len(hard) if hard else 1.0
    prec = correct / len(pob) if pob else 0.0
    out: dict[str, Any] = {"obligations": {
        "gold_hard": len(hard), "predicted": len(pob), "found": found, "correct_predictions": correct,
        "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(_f1(prec, rec), 3)}}

    tot = {"quotas": 0, "deadlines": 0, "frequency": 0, "actors": 0}
    ok = dict.fromkeys(tot, 0)
    given = right = 0  # actor precision
    for i, g in enumerate(hard):
        preds = matches.get(i, [])
        pq = {_quota_key(q) for p in preds for q in p.get("quotas") or []}
        pd = {_deadline_key(d) for p in preds for d in p.get("deadlines") or []}
        pf = {(p.get("frequency") or {}).get("every") for p in preds} - {None}
        pa = [norm(a) for p in preds for a in p.get("actors") or []]
        for q in g.get("quotas") or []:
            tot["quotas"] += 1
            ok["quotas"] += _quota_key(q) in pq
        for d in g.get("deadlines") or []:
            tot["deadlines"] += 1
            ok["deadlines"] += _deadline_key(d) in pd
        if g.get("frequency"):
            tot["frequency"] += 1
            ok["frequency"] += g["frequency"].get("every") in pf
        for a in g.get("actors") or []:
            tot["actors"] += 1
            a = norm(a)
            ok["actors"] += any(a in x or x in a for x in pa if x)
        ga = [norm(a) for a in g.get("actors") or [] if norm(a)]
        for x in dict.fromkeys(x for x in pa if x):
            given += 1
            right += any(a in x or x in a for a in ga)
    out["attributes"] = {k: {"gold": tot[k], "correct": ok[k],
                             "accuracy": round(ok[k] / tot[k], 3) if tot[k] else None} for k in tot}
    out["attributes"]["actors"].update(_actor_precision(given, right))

    gm, pm = gold.get("metadata", {}), pred.get("document") or pred.get("metadata") or {}
    fields: dict[str, bool] = {}
    for k in ("issuer", "doc_number", "title", "date"):
        if k in gm:
            fields[k] = (norm(str(gm[k])) == norm(str(pm.get(k)))) if gm[k] is not None else pm.get(k) in (None, "")
    if "recipients" in gm:
        fields["recipients"] = _joined(gm["recipients"]) == _joined(pm.get("recipients"))
    out["metadata"] = {"fields": fields,
                       "accuracy": round(sum(fields.values()) / len(fields), 3) if fields else None}

    gr = {(norm(r["name"]), norm(r.get("role"))) for r in gold.get("roster", [])}
    pr = {(norm(r.get("name")), norm(r.get("role"))) for r in pred.get("roster") or []}
    if gr:
        out["roster"] = _prf(len(gr & pr), len(pr), len(gr))
    grows = {tuple(norm(c) for c in row) for t in gold.get("tables", []) for row in t["rows"]}
    prows = {tuple(norm(str(c)) for c in row) for t in pred.get("tables") or [] for row in t.get("rows", [])}
    if grows:
        out["tables"] = _prf(len(grows & prows), len(prows), len(grows))
    return out


def _actor_precision(given: int, right: int) -> dict[str, Any]:
    return {"given": given, "given_correct": right, "precision": round(right / given, 3) if given else None}


def micro_average(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Pool the counts of several documents' scores."""
    gh = sum(r["obligations"]["gold_hard"] for r in results)
    pn = sum(r["obligations"]["predicted"] for r in results)
    fd = sum(r["obligations"]["found"] for r in results)
    cp = sum(r["obligations"]["correct_predictions"] for r in results)
    prec = cp / pn if pn else 0.0
    rec = fd / gh if gh else 1.0
    out: dict[str, Any] = {"documents": len(results), "obligations": {
        "gold_hard": gh, "predicted": pn, "found": fd, "correct_predictions": cp,
        "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(_f1(prec, rec), 3)}}
    attrs = {}
    for k in ("quotas", "deadlines", "frequency", "actors"):
        g = sum(r["attributes"][k]["gold"] for r in results)
        c = sum(r["attributes"][k]["correct"] for r in results)
        attrs[k] = {"gold": g, "correct": c, "accuracy": round(c / g, 3) if g else None}
    attrs["actors"].update(_actor_precision(sum(r["attributes"]["actors"].get("given", 0) for r in results),
                                            sum(r["attributes"]["actors"].get("given_correct", 0) for r in results)))
    out["attributes"] = attrs
    for k in ("roster", "tables"):
        parts = [r[k] for r in results if k in r]
        if parts:
            out[k] = _prf(sum(p["tp"] for p in parts), sum(p["predicted"] for p in parts),
                          sum(p["gold"] for p in parts))
    meta = [v for r in results for v in r["metadata"]["fields"].values()]
    per_field: dict[str, list[int]] = {}
    for r in results:
        for k, v in r["metadata"]["fields"].items():
            c = per_field.setdefault(k, [0, 0])
            c[0] += bool(v)
            c[1] += 1
    out["metadata"] = {"accuracy": round(sum(meta) / len(meta), 3) if meta else None,
                       "fields": {k: {"gold": n, "correct": ok, "accuracy": round(ok / n, 3)}
                                  for k, (ok, n) in sorted(per_field.items())}}
    return out


def by_site(results: dict[str, dict[str, Any]], sites: dict[str, str]) -> dict[str, Any]:
    """Per-site pooled scores and the pooled (micro) figures over every document.
    `results` maps a document name to its `score`, `sites` maps it to its source site."""
    groups: dict[str, list[dict]] = {}
    for name in sorted(results):
        groups.setdefault(sites.get(name, "?"), []).append(results[name])
    return {"sites": {s: micro_average(rs) for s, rs in sorted(groups.items())},
            "micro": micro_average([results[n] for n in sorted(results)])}
