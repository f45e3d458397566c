"""Template engine and log composer shared by both hands of the field-log corpus.

A *hand* is a module (bank_train, bank_test) holding phrase banks and slot
fillers; this module expands templates and composes whole logs from them.
Labels are carried by the bank a sentence comes from, never guessed from text.

Template syntax
  {slot}        filled by hand.SLOTS[slot](rng, ctx)
  [a|b|c]       one alternative chosen at random (may be empty: [a|])
  @S/@W/@F/@T/@C/@A prefix: season guard (summer 6-9, winter/春节 12-2,
                flood 6-8, typhoon 7-10, cold 11-3, autumn/助学 8-9)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

UNIT_MARK = "\x00U\x00"  # placeholder for the log's unit, resolved after layout
_ALT = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")

SEASONS = {
    "S": {6, 7, 8, 9},
    "W": {12, 1, 2},
    "F": {6, 7, 8},
    "T": {7, 8, 9, 10},
    "C": {11, 12, 1, 2, 3},
    "A": {8, 9},
}


def season_ok(template: str, month: int) -> bool:
    """True when the template's season guard (if any) admits this month."""
    if template.startswith("@"):
        return month in SEASONS[template[1]]
    return True


def strip_guard(template: str) -> str:
    return template[2:] if template.startswith("@") else template


def expand(template: str, rng, slots: dict, ctx: dict) -> str:
    """Expand alternations (innermost first) then slots."""
    t = strip_guard(template)
    while True:
        new = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), t)
        if new == t:
            break
        t = new
    return _SLOT.sub(lambda m: str(slots[m.group(1)](rng, ctx)), t)


def pick(rng, templates, month):
    """Choose a template admitted by the season; None when none is."""
    ok = [t for t in templates if season_ok(t, month)]
    return rng.choice(ok) if ok else None


@dataclass
class Sentence:
    text: str
    tasks: set = field(default_factory=set)
    risks: set = field(default_factory=set)
    negated: bool = False
    implied: bool = False
    mode: str = "activity"  # activity | errand | present | implied | denied | settled | response


def resolve_unit(text, unit, refs, rng, p_short=0.4):
    """Name the unit in full at its first mention, then often by a short reference."""
    parts = text.split(UNIT_MARK)
    out = parts[0]
    named = unit in out
    for rest in parts[1:]:
        out += rng.choice(refs(unit)) if named and rng.random() < p_short else unit
        named = True
        out += rest
    return out


def random_date(rng, start=date(2022, 1, 1), end=date(2025, 12, 31)) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


# Typos seen in hand-typed logs: 的/得/地 confusion and homophones.
TYPO_PAIRS = [("的", "得"), ("地", "的"), ("得", "的"), ("在", "再"), ("做", "作"), ("已经", "以经"),
              ("反映", "反应"), ("部署", "布署"), ("座谈", "坐谈"), ("即将", "既将"), ("安排", "按排"),
              ("职工", "职公"), ("工作", "工做"), ("汇报", "汇抱"), ("用心", "用新")]


def add_typos(text: str, rng, k: int = 1) -> str:
    """Introduce k typos (a replacement of one occurrence each)."""
    for _ in range(k):
        cands = [(a, b) for a, b in TYPO_PAIRS if a in text]
        if not cands:
            break
        a, b = rng.choice(cands)
        idxs = [m.start() for m in re.finditer(re.escape(a), text)]
        i = rng.choice(idxs)
        text = text[:i] + b + text[i + len(a):]
    return text


TASK_ORDER = ["political_guidance", "organizing", "rights_services", "labor_relations", "workforce_reform",
              "research", "union_building", "other"]
RISK_ORDER = ["wage_arrears", "layoffs_paycuts", "collective_incident", "safety_health", "gig_worker_rights",
              "women_workers", "disaster_emergency", "mental_health"]
KINDS = ["蹲点日志", "走访记录", "工作简报"]


def _weighted(rng, labels, counts):
    """Choose a label, favouring the ones seen least so far (keeps classes balanced)."""
    w = [1.0 / (1 + counts.get(x, 0)) ** 1.5 for x in labels]
    return rng.choices(labels, weights=w)[0]


def compose(hand, rng, counts, s2t=None, p=None):
    """One labelled log dict (without id) drawn from `hand`.

    counts: running label counts used for balancing (updated in place).
    p: probabilities of risk modes and style features (hand may override).
    """
    p = {"other": 0.085, "none": 0.30, "present": 0.25, "implied": 0.13, "denied": 0.17, "settled": 0.09,
         "second_risk": 0.12, "response": 0.5, "filler": 0.15, "reflect": 0.35, "typo": 0.08, "trad": 0.05, "oneliner": 0.05,
         **(p or {})}
    d = random_date(rng)
    ctx = hand.new_context(rng, d)
    slots = hand.SLOTS
    m = d.month
    real = [t for t in TASK_ORDER if t != "other"]

    sents: list[Sentence] = []
    if rng.random() < p["oneliner"]:
        # telegraphic one-liner: a single activity, nothing else
        t = _weighted(rng, real, counts) if rng.random() > p["other"] else "other"
        tpl = pick(rng, hand.TASKS[t], m) or hand.TASKS[t][-1]
        counts[t] = counts.get(t, 0) + 1
        text = resolve_unit(expand(tpl, rng, slots, ctx), ctx["unit"], hand.unit_refs, rng)
        if s2t is not None and rng.random() < p["trad"]:
            text = s2t.convert(text)
        return {"text": text + "。", "date": d.isoformat(), "region": ctx["region"], "unit": ctx["unit"],
                "kind": rng.choice(KINDS[:2]), "tasks": [t], "risks": [], "negated": False, "implied": False,
                "parts": [{"text": text, "tasks": [t], "risks": [], "mode": "errand" if t == "other" else "activity"}]}
    if rng.random() < p["other"]:
        chosen = ["other"]
    else:
        k = rng.choices([1, 2, 3, 4], weights=[0.42, 0.36, 0.17, 0.05])[0]
        chosen = []
        while len(chosen) < k:
            t = _weighted(rng, real, counts)
            if t not in chosen:
                chosen.append(t)
    n_act = min(6, max(len(chosen), rng.choices([1, 2, 3, 4, 5, 6], weights=[3, 4, 3, 2, 1, 1])[0]))
    plan = list(chosen) + [rng.choice(chosen) for _ in range(n_act - len(chosen))]
    used = set()
    for t in plan:
        for _ in range(6):
            tpl = pick(rng, hand.TASKS[t], m)
            if tpl and tpl not in used:
                used.add(tpl)
                sents.append(Sentence(expand(tpl, rng, slots, ctx), {t}, mode="errand" if t == "other" else "activity"))
                break

    # risk part
    modes = ["none", "present", "implied", "denied", "settled"]
    mode = rng.choices(modes, weights=[p[x] for x in modes])[0]
    risk_sents: list[Sentence] = []
    taken = set()

    def add_risk(mode):
        for _ in range(10):
            r = _weighted(rng, [x for x in RISK_ORDER if x not in taken], counts_r)
            tpl = pick(rng, hand.RISKS[r][mode], m)
            if tpl:
                break
        else:
            return
        taken.add(r)
        ctx.pop("last_person", None)  # a response refers to the person of this risk sentence only
        ctx.pop("last_who", None)
        text = expand(tpl, rng, slots, ctx)
        if mode in ("present", "implied"):
            risk_sents.append(Sentence(text, set(), {r}, implied=(mode == "implied"), mode=mode))
            counts[r] = counts.get(r, 0) + 1
            if rng.random() < p["response"]:
                resp = [x for x in hand.RISKS[r]["response"] if season_ok(x[0], m)]
                if resp:
                    tpl, task = rng.choice(resp)
                    risk_sents.append(Sentence(expand(tpl, rng, slots, ctx), {task}, {r}, mode="response"))
        else:
            risk_sents.append(Sentence(text, negated=True, mode=mode))
            counts["~" + r] = counts.get("~" + r, 0) + 1

    counts_r = {k: v for k, v in counts.items() if k in RISK_ORDER}
    if mode != "none":
        add_risk(mode)
        if rng.random() < p["second_risk"]:
            counts_r = {k: v for k, v in counts.items() if k in RISK_ORDER}
            add_risk(rng.choice(["present", "denied", "implied", "settled"]))
    if risk_sents:
        pos = rng.randint(0, len(sents))
        sents[pos:pos] = risk_sents
    if chosen != ["other"] and rng.random() < p["filler"]:
        tpl = pick(rng, hand.TASKS["other"], m)
        sents.insert(rng.randint(0, len(sents)), Sentence(expand(tpl, rng, slots, ctx), {"other"}, mode="errand"))
    tail = expand(rng.choice(hand.REFLECTIONS), rng, slots, ctx) if rng.random() < p["reflect"] else ""

    tasks = set().union(*(s.tasks for s in sents))
    if tasks - {"other"}:
        tasks.discard("other")
    if not tasks:
        tasks = {"other"}
    risks = set().union(*(s.risks for s in sents))
    for t in tasks:
        counts[t] = counts.get(t, 0) + 1

    kind = rng.choices(KINDS, weights=[0.5, 0.28, 0.22])[0]
    texts = [s.text for s in sents]
    if rng.random() < p["typo"]:
        i = rng.randrange(len(texts))
        texts[i] = add_typos(texts[i], rng, rng.choice([1, 1, 2]))
    if s2t is not None and rng.random() < p["trad"]:
        if rng.random() < 0.6:
            texts = [s2t.convert(t) for t in texts]
        else:
            i = rng.randrange(len(texts))
            texts[i] = s2t.convert(texts[i])
    text = resolve_unit(hand.render(rng, ctx, kind, texts, tail), ctx["unit"], hand.unit_refs, rng)
    # sentence-level view (before layout; unit named in full): labels and mode of each sentence
    parts = [{"text": t.replace(UNIT_MARK, ctx["unit"]), "tasks": sorted(x.tasks),
              "risks": sorted(x.risks), "mode": x.mode} for t, x in zip(texts, sents)]
    return {"text": text, "date": d.isoformat(), "region": ctx["region"], "unit": ctx["unit"], "kind": kind,
            "tasks": [t for t in TASK_ORDER if t in tasks], "risks": [r for r in RISK_ORDER if r in risks],
            "negated": any(s.negated for s in sents), "implied": any(s.implied for s in sents), "parts": parts}
