"""Modal words that bind a duty, found with token patterns (spaCy Matcher format,
`nlp.matcher`) over jieba tokens:
must (要/应/应当/须/必须/需/确保/严格/负责/牵头), should (积极/努力/鼓励/力争/一般),
may (可/可以/根据实际). Token matching keeps 重要, 需要 and 认可 out."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.analysis import analyse

MUST = ["要", "应", "应当", "应该", "须", "必须", "需", "务必", "确保", "严格", "负责", "牵头", "一律", "不得",
        "严禁", "禁止", "务求", "要求", "需于", "须于", "应于", "要于", "应在", "须在", "需在", "要在"]
# words that bind an actor strongly enough to make the duty hard (SCHEMA.md)
BINDING = {"要", "应", "应当", "应该", "须", "必须", "需", "务必", "负责", "牵头", "一律", "不得", "严禁", "禁止",
           "需于", "须于", "应于", "要于", "应在", "须在", "需在", "要在"}
SHOULD = ["积极", "努力", "鼓励", "力争", "一般", "原则上", "尽量", "争取", "提倡", "尽可能", "支持"]
MAY = ["可", "可以", "酌情", "视情"]
_NOT_MODAL_AFTER = {"可": {"持续", "行", "能", "靠", "见", "观", "信", "控", "复制", "推广"}}


@dataclass
class Modal:
    word: str
    modality: str  # must | should | may
    start: int
    end: int

    @property
    def binding(self) -> bool:
        return self.word in BINDING


@lru_cache(maxsize=1)
def _matcher():
    from nlp.matcher import Matcher

    m = Matcher()
    m.add("must", [[{"TEXT": {"IN": MUST}}]])
    m.add("should", [[{"TEXT": {"IN": SHOULD}}]])
    m.add("may", [[{"TEXT": {"IN": MAY}}], [{"TEXT": "根据"}, {"TEXT": {"IN": ["实际", "实际情况", "自身情况"]}}]])
    return m


def find_modals(text: str, doc=None) -> list[Modal]:
    doc = doc if doc is not None else analyse(text)
    out = []
    for label, s, e in _matcher()(doc):
        span = doc[s:e]
        nxt = doc[e].text if e < len(doc) else ""
        if span.text in _NOT_MODAL_AFTER and nxt in _NOT_MODAL_AFTER[span.text]:
            continue
        if span.text == "要求" and (s == 0 or doc[s - 1].text not in ("严格", "明确")):
            continue  # 要求 is mostly the noun "requirement"
        if span.text == "支持" and s > 0:
            continue  # 支持 binds only when it leads the clause (支持开发区…)
        out.append(Modal(span.text, label, span.start_char, span.end_char))
    # jieba reads 负责制定 as 负责制|定 (the noun "responsibility system"): 负责 still binds there
    for m in re.finditer(r"负责(?=制[定订])", doc.text):
        if not any(x.start <= m.start() < x.end for x in out):
            out.append(Modal("负责", "must", m.start(), m.end()))
    out.sort(key=lambda m: m.start)
    return out


def modality_of(modals: list[Modal], default: str = "should") -> str:
    kinds = {m.modality for m in modals}
    for k in ("must", "may", "should"):
        if k in kinds:
            return k
    return default
