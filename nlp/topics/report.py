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
EXAMPLE_CHARS = 120
# A topic is no research subject when most of its logs are errands (office logistics,
# meetings to prepare, personal notes: the `other` task) or when its words do not
# belong together (NPMI of its top words below this): both seen as the topics a
# research office struck from the keyword lists.
MAX_ERRAND_SHARE = 0.15  # about three times the errand share of all logs
MIN_COHERENCE = 0.0
# A topic almost all of whose logs carry the `research` task is about doing research
# (问卷, 座谈会提纲, 调研报告): the method, not a subject to study.
MAX_METHOD_SHARE = 0.8
MIN_RISK_EXCESS = 0.15


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
    return _region(str(log.get("region") or "").strip(), level)


@lru_cache(maxsize=4096)
def _region(raw: str, level: int) -> str:
    # logs name few regions, each many times: the regex runs once per region, not per log
    if not raw:
        return "未知"
    if "/" in raw:
        return "/".join(p for p in raw.split("/")[:level] if p)
    m = re.match(r"^(.*?(?:省|自治区|特别行政区))?(.*?(?:市|州|盟|地区))?", raw)
    head = "".join(g for g in (m.groups() if m else ()) if g)
    return head or raw


_NO_RISKS: frozenset[str] = frozenset()


def _risk_ids(log: dict) -> set[str] | frozenset[str]:
    # most logs carry no risk: one shared empty set, not 100k new ones (each allocation
    # counts towards the garbage collector's full passes over every log held in memory)
    risks = log.get("risks")
    return {r["id"] if isinstance(r, dict) else r for r in risks} if risks else _NO_RISKS


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
                       enumerate(zip(logs, model.transform_logs(logs)))]
    topic_of = [tid for _, tid in assignments]
    # each log's month, region and risks, read once (they were read again for every topic)
    month_of = [_month(log) for log in logs]
    region_by = [region_of(log) for log in logs]
    risks_of = [_risk_ids(log) for log in logs]
    months = sorted({m for m in month_of if m})
    recent, before = set(months[-RECENT_MONTHS:]), set(months[:-RECENT_MONTHS])
    per_month = Counter(month_of)
    regions_all = Counter(region_by)
    is_recent = [m in recent for m in month_of]
    errand_of = [_errand(log) for log in logs]
    research_of = ["research" in (log.get("tasks") or []) for log in logs]
    ids_of = [str(log.get("id", i)) for i, log in enumerate(logs)]

    by_topic: dict[int, list[int]] = defaultdict(list)
    for i, tid in enumerate(topic_of):
        by_topic[tid].append(i)

    topics = []
    for t in model.topics:
        idx = by_topic.get(t.id, [])
        month_counts = Counter(month_of[i] for i in idx)
        trend = [{"period": m, "count": month_counts.get(m, 0),
                  "share": round(month_counts.get(m, 0) / per_month[m], 4) if per_month[m] else 0.0} for m in months]
        n_recent = sum(per_month[m] for m in recent)
        n_before = sum(per_month[m] for m in before)
        share_recent = sum(month_counts.get(m, 0) for m in recent) / n_recent if n_recent else 0.0
        share_before = sum(month_counts.get(m, 0) for m in before) / n_before if n_before else share_recent
        region_counts = Counter(region_by[i] for i in idx)
        risk_counts = Counter(r for i in idx for r in risks_of[i])
        risk_recent = Counter(r for i in idx if is_recent[i] for r in risks_of[i])
        size_recent = sum(1 for i in idx if is_recent[i])
        n = max(len(idx), 1)
        reps = _representative(idx, t, ids_of)
        topics.append({
            "id": t.id, "label": t.label, "terms": t.terms, "size": len(idx),
            "phrases": list(getattr(t, "phrases", []) or []), "keywords": getattr(t, "keywords", "") or t.label,
            "coherence": getattr(t, "coherence", None),
            "risk_share": round(sum(1 for i in idx if risks_of[i]) / n, 4),
            "other_share": round(sum(1 for i in idx if errand_of[i]) / n, 4),
            "research_share": round(sum(1 for i in idx if research_of[i]) / n, 4),
            "share_recent": round(share_recent, 4), "share_before": round(share_before, 4),
            "trend": trend,
            "emerging": emerging_score(share_recent, share_before),
            "regions": [{"region": r, "count": c, "share": round(c / regions_all[r], 4)} for r, c in region_counts.most_common()],
            "risks": [{"id": r, "name": risk_names().get(r, r), "count": c, "share": round(c / len(idx), 4),
                       "recent_share": round(risk_recent.get(r, 0) / size_recent, 4) if size_recent else 0.0}
                      for r, c in risk_counts.most_common()],
            "representative": [assignments[i][0] for i in reps],
            "examples": [_example(logs[i], assignments[i][0]) for i in reps[:3]],
        })
    base = _rates(risks_of)
    for t in topics:
        # the topic's most concentrated risk beyond that risk's rate in all logs (a risk every
        # topic carries at its usual rate says nothing about this one)
        t["risk_excess"] = round(max([r["share"] - base.get(r["id"], 0.0) for r in t["risks"]] + [0.0]), 4)
        t["excluded"] = excluded_reason(t)
    # a topic none of these logs falls into is no finding (with few logs, most of the
    # model's topics): listed by id only, so every list of topics shows what the logs hold
    listed = [t for t in topics if t["size"]]
    return {"n_logs": len(logs), "periods": months, "coherence": model.coherence,
            "topics": listed, "topics_without_logs": [t["id"] for t in topics if not t["size"]],
            "assignments": [{"id": i, "topic": t} for i, t in assignments],
            "suggestions": suggest(listed, len(logs), top_suggestions, base)}


def unlisted_note(rep: dict) -> str | None:
    """The line every list of topics (CLI table, web page) gives for the topics it leaves out."""
    n = len(rep.get("topics_without_logs") or [])
    return f"另有 {n} 个话题在这些日志中没有出现，未列出" if n else None


def without_logs_message(topic_id: int) -> str:
    """What `topics show` and GET /api/topics/{id} say for a topic left out of the list:
    unlike an unknown id, the model has it (another store's logs may well fall into it)."""
    return f"课题 {topic_id} 在话题模型中，但库中没有日志落入这个课题"


def _representative(idx: list[int], topic, ids_of: list[str]) -> list[int]:
    wanted = set(topic.representative)
    chosen = [i for i in idx if ids_of[i] in wanted]
    return (chosen or idx)[:5]


def _errand(log: dict) -> bool:
    """A log of errands only (the taxonomy's `other` task: 办公室事务, 会务, 个人记录)."""
    tasks = log.get("tasks") or []
    return bool(tasks) and all(t == "other" for t in tasks)


def _example(log: dict, log_id: str) -> dict:
    text = str(log.get("text") or "")
    return {"id": log_id, "date": log.get("date"), "region": log.get("region"),
            "text": text[:EXAMPLE_CHARS] + ("…" if len(text) > EXAMPLE_CHARS else "")}


def _base_rates(logs: list[dict]) -> dict[str, float]:
    return _rates([_risk_ids(log) for log in logs])


def _rates(risks_of: list[set[str]]) -> dict[str, float]:
    """Each risk's share of all logs, from each log's risk ids."""
    counts = Counter(r for risks in risks_of for r in risks)
    return {r: c / len(risks_of) for r, c in counts.items()} if risks_of else {}


def excluded_reason(t: dict) -> str | None:
    """Why a topic is not proposed as a research topic, in Chinese (None: it may be)."""
    if t["size"] == 0:
        return "没有日志"
    # errands around a risk that concentrates here (arrears reported between chores, news of
    # an accident) still point at a problem: only risk-free errand topics are left out
    if t.get("other_share", 0.0) >= MAX_ERRAND_SHARE and t.get("risk_excess", 0.0) < MIN_RISK_EXCESS:
        return f"{t['other_share']:.0%} 的日志没有工会业务（会务、后勤、个人笔记之类的事务），不是工作问题"
    if t.get("research_share", 0.0) >= MAX_METHOD_SHARE:
        return "日志记的是调研工作本身（问卷、座谈提纲、报告），是方法，不是调研对象"
    if t.get("coherence") is not None and t["coherence"] < MIN_COHERENCE:
        return f"关键词不成一体（一致性 {t['coherence']:.2f}），不是一个明确的问题"
    return None


def trend_words(t: dict) -> str:
    if t.get("size") and not any(p["count"] for p in t.get("trend") or []):
        # no log of the topic has a date: its shares are 0 % both ways, which is not "平稳"
        return "无法判断（这些日志都没有日期）"
    before, recent = t.get("share_before", 0.0), t.get("share_recent", 0.0)
    if t["emerging"] >= 0.2:
        word = "上升"
    elif t["emerging"] <= -0.2:
        word = "下降"
    else:
        word = "平稳"
    return f"{word}（近{RECENT_MONTHS}个月占 {recent:.1%}，此前占 {before:.1%}）"


def suggest(topics: list[dict], n_logs: int, top: int = 5, base_rates: dict[str, float] | None = None) -> list[dict]:
    """Rank topics as research-topic candidates by size × growth × risk share: a big
    problem that is growing and whose logs report risks comes first; errand topics and
    incoherent ones are left out. Each suggestion carries its evidence."""
    base_rates = base_rates or {}
    ranked = []
    for t in topics:
        if excluded_reason(t):
            continue
        growth = 2 ** max(-1.0, min(t["emerging"], 1.5))  # recent share / earlier share, bounded
        # a topic without a concentrated risk still ranks, below those with one
        risk = t.get("risk_excess")
        if risk is None:
            risk = max([r["share"] - base_rates.get(r["id"], 0.0) for r in t["risks"]] + [0.0])
        score = t["size"] * growth * (max(risk, 0.0) + 0.05)
        risks = [r for r in t["risks"] if r["share"] >= 0.05][:3]
        regions = [r for r in t["regions"] if r["region"] != "未知"][:3]
        evidence = {
            "logs": t["size"], "share": round(t["size"] / n_logs, 4) if n_logs else 0.0,
            "regions": [{"region": r["region"], "count": r["count"]} for r in regions], "n_regions": len(t["regions"]),
            "risks": [{"id": r["id"], "name": r["name"], "share": r["share"]} for r in risks],
            "trend": trend_words(t), "emerging": t["emerging"],
            "examples": t.get("examples", []),
        }
        reasons = [f"日志 {t['size']} 条（占 {t['size'] / n_logs:.0%}）" if n_logs else f"日志 {t['size']} 条",
                   "趋势" + trend_words(t)]
        if risks:
            reasons.append("风险：" + "、".join(f"{r['name']} {r['share']:.0%}" for r in risks))
        if regions:
            reasons.append("地区：" + "、".join(f"{r['region']}（{r['count']}）" for r in regions)
                           + (f" 等 {len(t['regions'])} 个" if len(t["regions"]) > len(regions) else ""))
        ranked.append({"topic": t["id"], "label": t["label"], "score": score, "reason": "；".join(reasons),
                       "supporting_logs": [e["id"] for e in t.get("examples", [])] or t["representative"][:3],
                       "phrases": t.get("phrases", []), "evidence": evidence})
    best = max((r["score"] for r in ranked), default=0.0) or 1.0
    for r in ranked:
        r["score"] = round(r["score"] / best, 4)  # 1.0 = the strongest candidate
    ranked.sort(key=lambda s: (-s["score"], s["topic"]))
    return ranked[:top]


def discover(logs: list[dict], n_topics: int | None = None, previous: TopicModel | None = None,
             random_state: int = 0) -> tuple[TopicModel, dict]:
    """Fit a topic model on `logs` and report on them in one go."""
    model = TopicModel(n_topics=n_topics, random_state=random_state).fit(logs, previous=previous)
    return model, report(model, logs, assignments=model.assignments_)
