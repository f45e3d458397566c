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
from functools import lru_cache
from itertools import chain

import numpy as np
from scipy import sparse

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_CONTENT = re.compile(r"^[\u4e00-\u9fff]{2,}$")


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


# What a word can be in a candidate: not Chinese (it ends a run), a Chinese word that
# may only sit inside a phrase (的, 和, a stopword, a time word …: 职工的权益 may be one,
# 的 ends none), or a content word that may start or end one.
_BREAK, _INNER, _END = 0, 1, 2


class _Kinds(dict):
    """word → its kind, worked out on first sight: a corpus has far fewer distinct words
    than tokens, and the regexes and tag look-ups were most of a phrase table's time."""

    def __init__(self, stop: frozenset[str]) -> None:
        super().__init__()
        self.stop = stop

    def __missing__(self, w: str) -> int:
        if not _HAN.match(w):
            k = _BREAK
        elif _CONTENT.match(w) and w not in self.stop and _well_formed((w,)):
            k = _END
        else:
            k = _INNER
        self[w] = k
        return k


def candidates(tokens: list[str], stop: frozenset[str], kinds: _Kinds | None = None) -> set[tuple[str, ...]]:
    """Every 2–3 word n-gram of a text whose ends are content words (counted once per text):
    n-grams inside one run of Chinese words (`runs`) whose first and last words are content
    words, no stopwords, of a well-formed kind (`_well_formed`)."""
    kind = kinds if kinds is not None and kinds.stop is stop else _Kinds(stop)
    found: set[tuple[str, ...]] = set()
    add = found.add
    p1 = p2 = ""
    k1 = k2 = _BREAK  # the kinds of the two words before this one in the same run
    for w in tokens:
        k = kind[w]
        if k == _BREAK:
            k1 = k2 = _BREAK
            continue
        if k == _END:
            if k1 == _END:
                add((p1, w))
            if k2 == _END:
                add((p2, p1, w))
        p2, k2, p1, k1 = p1, k1, w, k
    return found


def _distinct(a: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based np.unique took seconds on millions)."""
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


class _Ids(dict):
    """word → a number of its own, given on first sight."""

    def __missing__(self, w: str) -> int:
        i = self[w] = len(self)
        return i


class PhraseTable:
    """Document frequencies of words and candidate phrases over a corpus, and per-topic
    counts, so each topic's key phrases can be scored against all the logs.

    The candidates are those of `candidates()` on each text, found with numpy over the
    whole corpus at once (words as numbers, a phrase as one integer key): the loop over
    every token in Python was most of a 100k-log fit (tests/test_topics.py checks the
    table against `candidates()`)."""

    def __init__(self, token_lists: list[list[str]], stop: frozenset[str]):
        self.n_docs = n = len(token_lists)
        self.stop = stop
        ids_of = _Ids()
        total = sum(map(len, token_lists))
        # every token as its word's number, and the text it is in: kept for the topic
        # model's term counts, so the corpus is walked in Python once
        self.token_ids = ids = np.fromiter(map(ids_of.__getitem__, chain.from_iterable(token_lists)),
                                           dtype=np.int64, count=total)
        self.words = words = list(ids_of)  # by number
        kinds = _Kinds(stop)
        kind = np.fromiter(map(kinds.__getitem__, words), dtype=np.int8, count=len(words))[ids]
        self.token_docs = doc = np.repeat(np.arange(n, dtype=np.int64),
                                          np.fromiter(map(len, token_lists), dtype=np.int64, count=n))
        self._base = base = len(words) + 1  # a phrase's key: its word numbers in base len(words)+1
        if base ** 3 >= 2 ** 63:
            raise ValueError("too many distinct words for a phrase table")
        none = base - 1  # the third word of a two-word phrase
        end = kind == _END
        same = doc[1:] == doc[:-1]  # token p and p+1 are in one text
        two = np.nonzero(end[:-1] & end[1:] & same)[0]
        three = np.nonzero(end[:-2] & (kind[1:-1] != _BREAK) & end[2:] & same[:-1] & same[1:])[0]
        keys = np.concatenate([(ids[two] * base + ids[two + 1]) * base + none,
                               (ids[three] * base + ids[three + 1]) * base + ids[three + 2]])
        self._keys, gram = np.unique(keys, return_inverse=True)  # phrase number → key
        n_grams = len(self._keys)
        # each phrase once per text
        pairs = _distinct(np.concatenate([doc[two], doc[three]]) * max(n_grams, 1) + gram.ravel())
        self._pair_doc, self._pair_gram = pairs // max(n_grams, 1), pairs % max(n_grams, 1)
        self._gram_df = np.bincount(self._pair_gram, minlength=n_grams)
        # how often each content word (two or more Chinese characters, no stopword) is in
        # each text: texts × word numbers, rows in word-number order. The topic model's
        # term counts start from it; its document frequencies are those of the words that
        # can end a phrase (the only ones npmi asks for)
        content = np.fromiter((bool(_CONTENT.match(w)) and w not in stop for w in words), dtype=bool,
                              count=len(words))
        on = content[ids]
        self.word_counts = sparse.csr_matrix((np.ones(int(on.sum())), (doc[on], ids[on])), shape=(n, len(words)))
        self.word_counts.sum_duplicates()
        self._word_df = np.bincount(self.word_counts.indices, minlength=base)

    def _gram(self, g: int) -> tuple[str, ...]:
        rest, last = divmod(int(self._keys[g]), self._base)
        first, middle = divmod(rest, self._base)
        w = self.words
        return (w[first], w[middle]) if last == self._base - 1 else (w[first], w[middle], w[last])

    def _npmi(self, g: int) -> float:
        """How much more often the phrase's end words come together than by chance (−1…1)."""
        n = self.n_docs
        p_ab = int(self._gram_df[g]) / n
        if p_ab <= 0 or p_ab >= 1:
            return 0.0
        rest, last = divmod(int(self._keys[g]), self._base)
        first, middle = divmod(rest, self._base)
        b = middle if last == self._base - 1 else last
        p_a, p_b = int(self._word_df[first]) / n, int(self._word_df[b]) / n
        return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)

    def key_phrases(self, members: list[int] | np.ndarray, top: int = 6, min_npmi: float = 0.25) -> list[str]:
        """The topic's phrases, best first: share of the topic's logs that contain it ×
        how specific to the topic it is, among phrases that are real collocations."""
        if not len(members):
            return []
        size = len(members)
        inside = np.zeros(self.n_docs, dtype=bool)
        inside[np.asarray(members, dtype=np.int64)] = True
        counts = np.bincount(self._pair_gram[inside[self._pair_doc]], minlength=len(self._keys))
        floor = max(3, math.ceil(0.02 * size))
        scored = []
        for g in np.nonzero(counts >= floor)[0]:
            if self._npmi(g) < min_npmi:
                continue
            gram = self._gram(g)
            c = int(counts[g])
            coverage = c / size
            specificity = c / int(self._gram_df[g])
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

    def document_frequencies(self) -> dict[tuple[str, ...], int]:
        """phrase → how many texts hold it (what `candidates()` of each text adds up to)."""
        return {self._gram(g): int(c) for g, c in enumerate(self._gram_df)}


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
