"""From a topic model and logs to what a leader reads: each topic's size, its share
by month and by region, an emerging score (latest period against the ones before),
the risk labels its logs carry, and a ranked list of suggested research topics
with the reason in Chinese."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

from nlp.topics.model import TopicModel

RECENT_MONTHS = 3


@lru_cache(maxsize=1)
def risk_names() -> dict[str, str]:
    """Chinese risk names from corpora/taxonomy.toml (a federation may rename them there)."""
    from nlp.tagging.taxonomy import load_taxonomy

    return {r.id: r.name for r in load_taxonomy().risks}


def _month(log: dict) -> str | None:
    d = str(log.get("date") or "")
    return d[:7] if len(d) >= 7 and d[4] == "-" else None


def region_of(log: dict, level: int = 2) -> str:
    """Region at city level ("江西省/九江市/修水县" → "江西省/九江市"; "江西省九江市修水县" likewise)."""
    raw = str(log.get("region") or "").strip()
    if not raw:
        return "未知"
    if "/" in raw:
        return "/".join(p for p in raw.split("/")[:level] if p)
    m = re.match(r"^(.*?(?:省|自治区|特别行政区))?(.*?(?:市|州|盟|地区))?", raw)
    head = "".join(g for g in (m.groups() if m else ()) if g)
    return head or raw


def _risk_ids(log: dict) -> set[str]:
    return {r["id"] if isinstance(r, dict) else r for r in log.get("risks") or []}


def emerging_score(recent: float, before: float) -> float:
    """log2 growth of a topic's share, smoothed so a tiny topic cannot score infinite growth."""
    eps = 0.01
    return round(math.log2((recent + eps) / (before + eps)), 3)


def report(model: TopicModel, logs: list[dict], assignments: list[tuple[str, int]] | None = None,
           top_suggestions: int = 5) -> dict:
    """Topics with trends, risks and suggestions for `logs` (assigned with the model when
    `assignments` is not given)."""
    if assignments is None:
        assignments = [(str(log.get("id", i)), tid) for i, (log, (tid, _)) in
                       enumerate(zip(logs, model.transform([log["text"] for log in logs])))]
    topic_of = [tid for _, tid in assignments]
    months = sorted({m for m in map(_month, logs) if m})
    recent, before = set(months[-RECENT_MONTHS:]), set(months[:-RECENT_MONTHS])
    per_month = Counter(_month(log) for log in logs)
    regions_all = Counter(region_of(log) for log in logs)

    by_topic: dict[int, list[int]] = defaultdict(list)
    for i, tid in enumerate(topic_of):
        by_topic[tid].append(i)

    topics = []
    for t in model.topics:
        idx = by_topic.get(t.id, [])
        month_counts = Counter(_month(logs[i]) for i in idx)
        trend = [{"period": m, "count": month_counts.get(m, 0),
                  "share": round(month_counts.get(m, 0) / per_month[m], 4) if per_month[m] else 0.0} for m in months]
        n_recent = sum(per_month[m] for m in recent)
        n_before = sum(per_month[m] for m in before)
        share_recent = sum(month_counts.get(m, 0) for m in recent) / n_recent if n_recent else 0.0
        share_before = sum(month_counts.get(m, 0) for m in before) / n_before if n_before else share_recent
        region_counts = Counter(region_of(logs[i]) for i in idx)
        risk_counts = Counter(r for i in idx for r in _risk_ids(logs[i]))
        risk_recent = Counter(r for i in idx if _month(logs[i]) in recent for r in _risk_ids(logs[i]))
        size_recent = sum(1 for i in idx if _month(logs[i]) in recent)
        topics.append({
            "id": t.id, "label": t.label, "terms": t.terms, "size": len(idx),
            "trend": trend,
            "emerging": emerging_score(share_recent, share_before),
            "regions": [{"region": r, "count": c, "share": round(c / regions_all[r], 4)} for r, c in region_counts.most_common()],
            "risks": [{"id": r, "name": risk_names().get(r, r), "count": c, "share": round(c / len(idx), 4),
                       "recent_share": round(risk_recent.get(r, 0) / size_recent, 4) if size_recent else 0.0}
                      for r, c in risk_counts.most_common()],
            "representative": [assignments[i][0] for i in _representative(idx, t, logs)],
        })
    return {"n_logs": len(logs), "periods": months, "coherence": model.coherence,
            "topics": topics, "assignments": [{"id": i, "topic": t} for i, t in assignments],
            "suggestions": suggest(topics, len(logs), top_suggestions, _base_rates(logs))}


def _representative(idx: list[int], topic, logs: list[dict]) -> list[int]:
    wanted = set(topic.representative)
    chosen = [i for i in idx if str(logs[i].get("id", i)) in wanted]
    return (chosen or idx)[:5]


def _base_rates(logs: list[dict]) -> dict[str, float]:
    counts = Counter(r for log in logs for r in _risk_ids(log))
    return {r: c / len(logs) for r, c in counts.items()} if logs else {}


def suggest(topics: list[dict], n_logs: int, top: int = 5, base_rates: dict[str, float] | None = None) -> list[dict]:
    """Rank topics as research-topic candidates: problems first (a risk concentrated in the
    topic beyond its rate across all logs), then growth, size and spread."""
    if not topics:
        return []
    base_rates = base_rates or {}
    max_size = max(t["size"] for t in topics) or 1
    max_regions = max(len(t["regions"]) for t in topics) or 1
    ranked = []
    for t in topics:
        if t["size"] == 0:
            continue
        excess = max((r["share"] - base_rates.get(r["id"], 0.0) for r in t["risks"]), default=0.0)
        growth = max(0.0, min(t["emerging"], 2.0)) / 2.0
        score = 0.4 * max(excess, 0.0) + 0.25 * growth + 0.25 * t["size"] / max_size + 0.1 * len(t["regions"]) / max_regions
        reasons = [f"涉及日志 {t['size']} 条（占 {t['size'] / n_logs:.0%}）"]
        if t["emerging"] > 0.2:
            reasons.append(f"近{RECENT_MONTHS}个月占比上升（新兴度 {t['emerging']:+.2f}）")
        if t["risks"] and t["risks"][0]["share"] >= 0.1:
            r = t["risks"][0]
            reasons.append(f"{r['share']:.0%} 的日志带有{r['name']}风险")
        reasons.append(f"覆盖 {len(t['regions'])} 个地区")
        ranked.append({"topic": t["id"], "label": t["label"], "score": round(score, 4), "reason": "；".join(reasons),
                       "supporting_logs": t["representative"]})
    ranked.sort(key=lambda s: (-s["score"], s["topic"]))
    return ranked[:top]


def discover(logs: list[dict], n_topics: int | None = None, previous: TopicModel | None = None,
             random_state: int = 0) -> tuple[TopicModel, dict]:
    """Fit a topic model on `logs` and report on them in one go."""
    model = TopicModel(n_topics=n_topics, random_state=random_state).fit(logs, previous=previous)
    return model, report(model, logs, assignments=model.assignments_)
