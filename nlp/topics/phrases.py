"""Key phrases of a topic and the research-topic subject built from them.

A topic's keywords (平台、骑手、伤害) tell what it is about but read as a list, not
as a 调研课题. Here phrases are collocations over jieba tokens: runs of two or
three adjacent words (no punctuation between them) whose first and last words are
content words and whose words occur together more often than chance (NPMI), kept
when they are frequent in the topic's logs and specific to them. The best two
phrases that do not repeat each other make the subject, e.g. 骑手职业伤害 +
平台规则 → 骑手职业伤害与平台规则问题."""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_CONTENT = re.compile(r"^[\u4e00-\u9fff]{2,}$")
# words that may sit inside a phrase but never start or end one (职工的权益 → no: 的 ends nothing)
_INNER_ONLY = frozenset("的和与及")
MAX_WORDS = 3


# jieba's dictionary tags: a phrase that starts or ends on a time word, a direction, an
# adverb, a pronoun, a numeral … (中午在外面, 基层工会按期) names a moment or a manner,
# not a matter to study
_BAD_ENDS = frozenset({"t", "f", "d", "p", "c", "u", "r", "m", "q", "ad", "y", "e", "o", "z", "zg", "tg"})


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    # jieba's main dictionary's tags. Not jieba.posseg.dt.initialize(): that re-reads the
    # prefix dictionary and the POS table (a CPU-second) and resets the POS table the
    # checklist's tokenizer uses, dropping the domain dictionary's tags from it
    from nlp.language import dictionary_tags

    return dictionary_tags()


def _well_formed(gram: tuple[str, ...]) -> bool:
    tags = _tags()
    return tags.get(gram[0]) not in _BAD_ENDS and tags.get(gram[-1]) not in _BAD_ENDS


def _shared_bigram(a: str, b: str) -> bool:
    return bool({a[i:i + 2] for i in range(len(a) - 1)} & {b[i:i + 2] for i in range(len(b) - 1)})


def runs(tokens: list[str]) -> list[list[str]]:
    """Split a token sequence at anything that is not Chinese (punctuation, digits, Latin)."""
    out, cur = [], []
    for t in tokens:
        if _HAN.match(t):
            cur.append(t)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def candidates(tokens: list[str], stop: frozenset[str]) -> set[tuple[str, ...]]:
    """Every 2–3 word n-gram of a text whose ends are content words (counted once per text)."""
    found: set[tuple[str, ...]] = set()
    for run in runs(tokens):
        for n in range(2, MAX_WORDS + 1):
            for i in range(len(run) - n + 1):
                gram = tuple(run[i:i + n])
                first, last = gram[0], gram[-1]
                if not (_CONTENT.match(first) and _CONTENT.match(last)) or first in stop or last in stop:
                    continue
                if any(w in _INNER_ONLY and len(gram) == 2 for w in gram) or not _well_formed(gram):
                    continue
                found.add(gram)
    return found


class PhraseTable:
    """Document frequencies of words and candidate phrases over a corpus, and per-topic
    counts, so each topic's key phrases can be scored against all the logs."""

    def __init__(self, token_lists: list[list[str]], stop: frozenset[str]):
        self.n_docs = len(token_lists)
        self.doc_grams: list[set[tuple[str, ...]]] = [candidates(t, stop) for t in token_lists]
        self.word_df = Counter(w for t in token_lists for w in set(t))
        self.gram_df = Counter(g for grams in self.doc_grams for g in grams)

    def npmi(self, gram: tuple[str, ...]) -> float:
        """How much more often the phrase's end words come together than by chance (−1…1)."""
        n = self.n_docs
        p_ab = self.gram_df[gram] / n
        if p_ab <= 0 or p_ab >= 1:
            return 0.0
        p_a, p_b = self.word_df[gram[0]] / n, self.word_df[gram[-1]] / n
        return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)

    def key_phrases(self, members: list[int], top: int = 6, min_npmi: float = 0.25) -> list[str]:
        """The topic's phrases, best first: share of the topic's logs that contain it ×
        how specific to the topic it is, among phrases that are real collocations."""
        if not members:
            return []
        size = len(members)
        counts = Counter(g for i in members for g in self.doc_grams[i])
        floor = max(3, math.ceil(0.02 * size))
        scored = []
        for gram, c in counts.items():
            if c < floor or self.npmi(gram) < min_npmi:
                continue
            coverage = c / size
            specificity = c / self.gram_df[gram]
            # a three-word phrase that is as common as its two-word part says more
            # a subject names a matter: ending on a noun (站点, 补贴) beats ending on a plain verb (发放)
            form = (1.15 if len(gram) == 3 else 1.0) * (0.6 if _tags().get(gram[-1]) == "v" else 1.0)
            scored.append((coverage * specificity * form, gram))
        scored.sort(key=lambda x: (-x[0], x[1]))
        picked: list[tuple[str, ...]] = []
        for _, gram in scored:
            # 心理疏导 then 心理危机 says 心理 twice: the second phrase must bring new words
            if any(set(gram) & set(p) or _shared_bigram("".join(gram), "".join(p)) for p in picked):
                continue
            picked.append(gram)
            if len(picked) == top:
                break
        return ["".join(g) for g in picked]


def subject(phrases: list[str], terms: list[str], problem: bool) -> str:
    """A research-topic subject from the key phrases: 'A与B问题' for a topic whose logs
    carry risks, 'A与B情况' otherwise; keywords stand in when no phrase was found."""
    parts = [p for p in phrases[:2]]
    if len(parts) < 2:
        for t in terms:
            if len(parts) == 2:
                break
            if not any(t in p or p in t for p in parts):
                parts.append(t)
    if len(parts) == 2 and (parts[0] in parts[1] or parts[1] in parts[0]):
        parts = parts[:1]
    if not parts:
        return ""
    head = "与".join(parts)
    return head + ("问题" if problem else "情况")
