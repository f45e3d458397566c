"""A risk told only as the claim a rebuttal answers: a passage-level reading the per-mention
status classifier misses, because the claim's words (突发疫情, 工厂已经封了, 要跳楼自杀) sit in
clauses of their own and the rebuttal (该信息不实, 经核实系谣言, 进行了辟谣) comes sentences later.

The rule: the text says a rebuttal (谣言, 辟谣, 不实, 不属实, 虚假信息, 假消息 …); every mention of
the risk the classifier reads as present or threatened starts before the last rebuttal word and
sits in a claim frame (its sentence, to the full stop, names the claim: 网传, 网民, 流传, 消息,
视频, 声称 …, or the rebuttal itself); no mention after the last rebuttal word reads as present.
What a rebuttal reports as real after it (一名工人维护塔吊时被困, 确有此事 … 拖欠工资) keeps its risk.

Imports: nothing of the project (pure text rules over a normalised text).
"""
from __future__ import annotations

import re

# a claim frame runs to the end of its sentence: line breaks and semicolons do not end it
# (a pasted claim is often cut into lines), full stops do
_SENTENCE = re.compile(r"[^。！？!?]+")
REBUT = re.compile(r"谣言|辟谣|不实|不属实|虚假信息|虚假消息|假消息|纯属捏造|纯属编造|系编造|系捏造")
_CLAIM = re.compile(r"网传|网曝|网帖|网民|网友|流传|传言|传闻|消息|视频|帖子|发帖|声称|谣言|辟谣|不实|不属实|虚假|假消息")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def rumour_framed(text: str, mentions: list[tuple[int, bool]]) -> str | None:
    """The last rebuttal word when the risk whose mentions are `mentions` ((start, reads
    present or threatened) in `text`, normalised) is told only as a rebutted claim, else None."""
    rebuts = list(REBUT.finditer(text))
    raising = [s for s, r in mentions if r]
    if not rebuts or not raising:
        return None
    last = rebuts[-1]
    if any(s >= last.start() for s, r in mentions if r):
        return None
    sents = _sentences(text)

    def sentence_of(pos: int) -> int:
        for i, (a, b) in enumerate(sents):
            if a <= pos < b:
                return i
        return -1

    framed = [bool(_CLAIM.search(text[a:b])) for a, b in sents]
    for s in raising:
        i = sentence_of(s)
        if i < 0 or not framed[i]:
            return None
    return last.group(0)
