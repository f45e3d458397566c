"""How often a duty recurs (每月 → month, 双月 → two-months, 每半年 → half-year …),
read with token patterns (spaCy Matcher format, `nlp.matcher`) over jieba tokens so that 年度预算, 第二三季度 or 上半年
are not taken for frequencies."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.analysis import analyse
from nlp.checklist.words import load

_WORDS = load("frequency")
EVERY: dict[str, str] = dict(_WORDS["every"])
# bare period words that name a recurring meeting or report (季度小结, 半年总结, 年度考核)
BARE = {"季度": "quarter", "半年": "half-year", "年度": "year", "月度": "month"}
RECURRING_NOUNS = ["小结", "总结", "调度", "例会", "报告", "通报", "考核", "分析", "讲评", "汇报", "会商", "点评", "评估"]


_ONCE_PER_EVERY: dict[str, str] = dict(_WORDS["once_per"])
# (上半年 / 下一年 name one period; 原则上 is no such word)
_ONCE_PER = re.compile(r"(?<![0-9０-９一二三四五六七八九十第前后本今明去全每])(?<!(?<!原则)[上下])(?P<p>一年|半年|一个?季度?|一个月|一月|半个?月|一周|一星期|一天|一日)"
                       r"(?:至少)?[一两二](?:次|报|检查|通报|小结|总结|考核|评估|走访)")


# every word a frequency above starts with: a text without one holds no frequency, and
# is not worth segmenting to find out (`may_hold`)
_HINT = re.compile(r"每|双月|季|半年|年度|月度|[按逐][月季年]|一个?[年月周天日星]|半个?月")


def may_hold(text: str) -> bool:
    """False when `text` can hold no frequency (a cheap test before `find_frequencies`)."""
    return _HINT.search(text) is not None


@dataclass
class Frequency:
    text: str
    every: str
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return {"text": self.text, "every": self.every}


@lru_cache(maxsize=1)
def _matcher():
    from nlp.matcher import Matcher

    m = Matcher()
    m.add("EVERY", [[{"TEXT": {"IN": sorted(EVERY)}}],
                    [{"TEXT": "每"}, {"TEXT": {"IN": ["天", "日", "周", "月", "年", "季度", "半年", "半月", "两个月", "个月"]}}],
                    [{"TEXT": "每"}, {"TEXT": {"IN": ["两个", "半个", "个"]}}, {"TEXT": {"IN": ["月", "季度"]}}]])
    # 每人每年, 每户每月: a per-head amount with its period in one jieba token
    m.add("PER", [[{"TEXT": {"REGEX": "^每[人户家名个次批]每(?:学?年|月|周|日|天|季度|半年)$"}}]])
    m.add("WEEKDAY", [[{"TEXT": {"REGEX": "^每周[一二三四五六日末]$"}}],
                      [{"TEXT": "每周"}, {"TEXT": {"IN": list("一二三四五六日")}}]])
    m.add("BARE", [[{"TEXT": {"IN": sorted(BARE)}}, {"TEXT": {"IN": RECURRING_NOUNS}}],
                   [{"TEXT": {"IN": ["按", "逐"]}}, {"TEXT": {"IN": sorted(BARE) + ["月", "季", "年"]}}]])
    return m


_SINGLE = {"天": "day", "日": "day", "周": "week", "月": "month", "年": "year", "季度": "quarter", "季": "quarter",
           "半年": "half-year", "半月": "half-month", "两个月": "two-months", "个月": "month", "年度": "year", "月度": "month"}


def find_frequencies(text: str, doc=None) -> list[Frequency]:
    """Frequencies in `text`, left to right. `doc` may be the ready `nlp.analysis.Tokens` of `text`."""
    doc = doc if doc is not None else analyse(text)
    out: list[Frequency] = []
    for label, s, e in _matcher()(doc):
        span = doc[s:e]
        words = [t.text for t in span]
        if label == "PER":
            word = span.text[2:] if span.text[2:].startswith("每") else span.text[1:]
            out.append(Frequency(word, EVERY.get(word, "year"), span.start_char + 2, span.end_char))
            continue
        if label == "WEEKDAY":
            out.append(Frequency("每周", "week", span.start_char, span.start_char + 2))
            continue
        if label == "EVERY":
            key = "".join(words)
            every = EVERY.get(key) or _SINGLE.get(words[-1]) if key not in EVERY else EVERY[key]
            if key.startswith("每两"):
                every = "two-months"
            elif key.startswith("每半个"):
                every = "half-month"
            ftext = key
        else:
            head = words[0] if words[0] not in ("按", "逐") else words[1]
            every = BARE.get(head) or _SINGLE.get(head)
            ftext = head
            span = doc[s:s + 1] if words[0] not in ("按", "逐") else span
            # 第二三季度, 上半年, 本年度: an ordinal or deictic before it names one period, not a cycle
            prev = text[max(0, span.start_char - 1):span.start_char]
            if label == "BARE" and prev and prev in "第一二三四上下本该前后今明去全":
                continue
        if not every:
            continue
        out.append(Frequency(ftext, every, span.start_char, span.end_char))
    for m in _ONCE_PER.finditer(text):
        # 一年一次, 半年一报, 一季度一检查: once per period, said the other way round
        out.append(Frequency(m.group(0), _ONCE_PER_EVERY[m.group("p")], m.start(), m.end()))
    out.sort(key=lambda f: f.start)
    uniq: list[Frequency] = []
    for f in out:
        if not uniq or f.start >= uniq[-1].end:
            uniq.append(f)
    return uniq
