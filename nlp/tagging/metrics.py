"""Scores for tags against gold labels: per-label precision/recall/F1, macro and
micro F1 per field, exact match, and the false-alarm rate on negated logs. Same
definitions as the project's evaluation script (labels absent from gold do not
enter the macro average; a risk may be an id or an object with an "id")."""
from __future__ import annotations


def _ids(xs) -> set[str]:
    return {x["id"] if isinstance(x, dict) else x for x in xs or []}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_field(gold: dict, pred: dict, field: str, labels=None) -> dict:
    per = {}
    TP = FP = FN = 0
    all_labels = set(labels or [])
    for r in gold.values():
        all_labels |= _ids(r.get(field))
    for lab in sorted(all_labels):
        tp = fp = fn = 0
        for k, g in gold.items():
            gs, ps = _ids(g.get(field)), _ids((pred.get(k) or {}).get(field))
            tp += lab in gs and lab in ps
            fp += lab not in gs and lab in ps
            fn += lab in gs and lab not in ps
        TP, FP, FN = TP + tp, FP + fp, FN + fn
        if tp + fn:
            p, r, f = _prf(tp, fp, fn)
            per[lab] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": tp + fn}
    mp, mr, mf = _prf(TP, FP, FN)
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    exact = sum(_ids(g.get(field)) == _ids((pred.get(k) or {}).get(field)) for k, g in gold.items()) / max(1, len(gold))
    return {"micro_f1": round(mf, 3), "micro_p": round(mp, 3), "micro_r": round(mr, 3),
            "macro_f1": round(macro, 3), "exact_match": round(exact, 3), "per_label": per}


def score(gold_rows: list[dict], pred_rows: list[dict]) -> dict:
    """Rows joined on "id" (a gold row without prediction predicts nothing)."""
    gold = {str(r["id"]): r for r in gold_rows}
    pred = {str(r["id"]): r for r in pred_rows}
    res = {"n": len(gold), "missing_predictions": sum(k not in pred for k in gold),
           "tasks": score_field(gold, pred, "tasks"), "risks": score_field(gold, pred, "risks")}
    neg = [k for k, g in gold.items() if g.get("negated")]
    if neg:
        fa = sum(bool(_ids((pred.get(k) or {}).get("risks")) - _ids(gold[k].get("risks"))) for k in neg)
        res["negated"] = {"n": len(neg), "false_alarms": fa, "false_alarm_rate": round(fa / len(neg), 3)}
    return res
