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
