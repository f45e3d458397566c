"""Text features for the tagger, computed once per clause, vectorised.

Each log is cut into clauses; character n-gram counts (and optionally word
counts) are taken per clause, and the counts of a log or of a window of adjacent
clauses are the sums of its clauses' rows (a sparse product). Counts are then
weighted by TF-IDF (sublinear tf, l2 norm).

Why not sklearn's CountVectorizer: its analyzer runs a Python loop per n-gram
and jieba segmentation costs ~1 ms per log, which capped tagging at ~600 logs/s.
Here the n-grams of a whole batch are computed with numpy: characters are mapped
to small ids, an n-gram is the ids packed into one uint64 (16 bits each, n ≤ 4),
and columns are found by binary search in the sorted vocabulary of packed keys.
Word features (optional) are the training vocabulary's words (from jieba, at fit
time only) found by one Aho-Corasick pass per clause text, so prediction never
segments. The fitted state is a few numpy arrays (no pickled dictionaries):
`arrays()` / `from_arrays()` store and restore it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

import numpy as np
import scipy.sparse as sp

_SKIP = re.compile(r"^[\s\W_\d]+$")
SEP = "\x00"  # joins clauses of a batch; never inside an n-gram
MAX_CHARS = 65000  # char ids must fit 16 bits


@lru_cache(maxsize=1)
def _segmenter():
    """jieba with the project's domain dictionary (`nlp.language`) when present."""
    import logging

    from nlp import import_jieba

    jieba = import_jieba()  # without pkg_resources, as everywhere in nlp
    jieba.setLogLevel(logging.WARNING)
    try:
        from nlp.language import load_user_dict

        load_user_dict()
    except ImportError:
        jieba.initialize()
    return jieba


@lru_cache(maxsize=300_000)
def word_tokens(text: str) -> tuple[str, ...]:
    """jieba words (HMM off), used to choose the word vocabulary at fit time. Cached: the
    cross-validations refit the vocabulary on mostly the same clauses many times."""
    return tuple(w for w in _segmenter().lcut(text, HMM=False) if not _SKIP.match(w))


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class ClauseFeatures:
    """Character n-gram (and dictionary-word) counts per clause, TF-IDF weighted."""

    def __init__(self, word: bool = True, char_ngrams: tuple[int, int] = (1, 3), max_word: int = 30000,
                 max_char: int = 60000, min_df: int = 2):
        self.word = word
        self.n_lo, self.n_hi = int(char_ngrams[0]), min(4, int(char_ngrams[1]))
        self.max_word, self.max_char, self.min_df = max_word, max_char, min_df
        self.chars = np.zeros(0, dtype=np.uint32)  # sorted code points with an id (index + 2)
        self.keys = np.zeros(0, dtype=np.uint64)  # sorted packed n-gram keys = char columns
        self.words: list[str] = []  # word columns follow the char columns
        self.idf = np.zeros(0, dtype=np.float32)
        self._ac = None

    # ------------------------------------------------------------------ n-grams
    def _char_ids(self, joined: str) -> np.ndarray:
        """Id per character: 0 for the separator, 1 for a character outside the vocabulary."""
        cp = _codepoints(joined)
        if len(self.chars) == 0:
            return np.where(cp == 0, 0, 1).astype(np.uint64)
        lut = self._char_table()
        return lut[np.minimum(cp, len(lut) - 1)].astype(np.uint64)

    def _char_table(self) -> np.ndarray:
        """Id by code point up to the largest vocabulary code point, then one entry (id 1)
        for every code point above it: one gather per character instead of a binary
        search (a seventh of the n-gram time). Rebuilt when `chars` is replaced."""
        if getattr(self, "_lut_of", None) is not self.chars:
            lut = np.ones(int(self.chars.max()) + 2, dtype=np.uint16)  # ids ≤ MAX_CHARS + 1 < 2**16
            lut[self.chars] = np.arange(2, len(self.chars) + 2)
            lut[0] = 0  # the separator
            self._lut, self._lut_of = lut, self.chars
        return self._lut

    def _key_columns(self, keys: np.ndarray) -> np.ndarray:
        """Column of each packed n-gram key (its index in the sorted `self.keys`), -1 when
        not in the vocabulary. An open-addressing hash table probed with numpy (a few
        gathers over all keys at once, each probe round only for the keys still
        colliding) in place of a binary search of 1.5 M keys into 33 k: that search was
        a twelfth of tagging. Built once per `keys` array."""
        if getattr(self, "_kt_of", None) is not self.keys:
            self._kt, self._kt_of = _KeyTable(self.keys), self.keys
        return self._kt.lookup(keys)

    def _ngram_keys(self, clauses: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(clause index, packed key) of every char n-gram of every clause."""
        joined = SEP.join(clauses) + SEP
        ids = self._char_ids(joined)
        is_sep = ids == 0
        clause_of = np.cumsum(is_sep) - is_sep  # separators before each position
        zc = np.r_[0, np.cumsum(is_sep)]  # zc[i] = separators in [0, i)
        L = len(ids)
        rows, keys = [], []
        for n in range(self.n_lo, self.n_hi + 1):
            m = L - n + 1
            if m <= 0:
                continue
            ok = (zc[n:n + m] - zc[:m]) == 0  # no separator inside
            key = np.zeros(m, dtype=np.uint64)
            for k in range(n):
                key = (key << np.uint64(16)) | ids[k:k + m]
            rows.append(clause_of[:m][ok])
            keys.append(key[ok])
        if not keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
        return np.concatenate(rows).astype(np.int64), np.concatenate(keys)

    def _word_hits(self, clauses: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(clause index, word column) of every vocabulary word occurrence (overlaps counted)."""
        if not self.words:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        ac = self._automaton()
        joined = SEP.join(clauses) + SEP
        found = ac.find_matches_as_indexes(joined, overlapping=True)  # (word index, start, end)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # flattened through an iterator: np.array over a list of tuples costs three times as much
        found = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)
        is_sep = _codepoints(joined) == 0
        clause_of = np.cumsum(is_sep) - is_sep
        return clause_of[found[:, 2] - 1], found[:, 0] + len(self.keys)

    def _automaton(self):
        """ahocorasick_rs over the word columns (pattern index = word index); words are
        distinct and non-empty."""
        if self._ac is None:
            import ahocorasick_rs

            self._ac = ahocorasick_rs.AhoCorasick(self.words)
        return self._ac

    # ------------------------------------------------------------------ fitting
    def fit_counts(self, clauses: list[str]) -> sp.csr_matrix:
        """Choose the vocabulary (clause document frequency ≥ min_df, most frequent first)."""
        cp = _codepoints(SEP.join(clauses))
        uniq, cnt = np.unique(cp[cp != 0], return_counts=True)
        if len(uniq) > MAX_CHARS:
            uniq = np.sort(uniq[np.argsort(-cnt, kind="stable")[:MAX_CHARS]])
        self.chars = uniq.astype(np.uint32)
        rows, keys = self._ngram_keys(clauses)
        self.keys = self._select(rows, keys, self.max_char)
        self.words = []
        if self.word:
            seg = _segmenter()
            wrows, wkeys = [], []
            vocab: dict[str, int] = {}
            for i, c in enumerate(clauses):
                for w in set(word_tokens(c)):
                    if len(w) >= 2:
                        wrows.append(i)
                        wkeys.append(vocab.setdefault(w, len(vocab)))
            del seg
            inv = np.array(sorted(vocab, key=vocab.get), dtype=object)
            chosen = self._select(np.asarray(wrows, dtype=np.int64), np.asarray(wkeys, dtype=np.int64),
                                  self.max_word)
            self.words = sorted(inv[chosen].tolist()) if len(chosen) else []
        self._ac = None
        return self.clause_counts(clauses)

    def _select(self, rows: np.ndarray, keys: np.ndarray, cap: int) -> np.ndarray:
        """Keys with clause df ≥ min_df, the `cap` most frequent (ties by key), sorted."""
        if len(keys) == 0:
            return keys
        pairs = np.unique(np.stack([rows.astype(np.uint64), keys.astype(np.uint64)], axis=1), axis=0)
        uk, df = np.unique(pairs[:, 1], return_counts=True)
        keep = df >= self.min_df
        uk, df = uk[keep], df[keep]
        if len(uk) > cap:
            order = np.lexsort((uk, -df))[:cap]
            uk = uk[order]
        return np.sort(uk).astype(keys.dtype)

    def fit_weights(self, log_counts: sp.csr_matrix) -> None:
        """IDF as sklearn's TfidfTransformer (smooth_idf): ln((1+n)/(1+df)) + 1."""
        n = log_counts.shape[0]
        df = np.bincount(log_counts.indices, minlength=log_counts.shape[1])
        self.idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)

    # --------------------------------------------------------------- transform
    def clause_counts(self, clauses: list[str]) -> sp.csr_matrix:
        rows, keys = self._ngram_keys(clauses)
        if len(self.keys):
            cols = self._key_columns(keys)
            hit = cols >= 0
            rows, cols = rows[hit], cols[hit]
        else:
            rows, cols = rows[:0], rows[:0]
        if self.words:
            wr, wc = self._word_hits(clauses)
            rows, cols = np.r_[rows, wr], np.r_[cols, wc]
        C = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                          shape=(len(clauses), self.n_features))
        C.sum_duplicates()
        return C

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        X = counts.tocsr().astype(np.float32, copy=True)
        X.data = (1 + np.log(X.data)) * self.idf[X.indices]  # sublinear tf × idf
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        X.data /= np.repeat(norms, np.diff(X.indptr)).astype(np.float32)
        return X

    @property
    def n_features(self) -> int:
        return len(self.keys) + len(self.words)

    # ------------------------------------------------------------------ storage
    def arrays(self) -> dict:
        return {"feat_chars": self.chars, "feat_keys": self.keys, "feat_idf": self.idf,
                "feat_words": np.array("\n".join(self.words))}

    def config(self) -> dict:
        return {"word": self.word, "char_ngrams": [self.n_lo, self.n_hi], "max_word": self.max_word,
                "max_char": self.max_char, "min_df": self.min_df}

    @classmethod
    def from_arrays(cls, config: dict, arrays) -> "ClauseFeatures":
        f = cls(config["word"], tuple(config["char_ngrams"]), config["max_word"], config["max_char"],
                config["min_df"])
        f.chars = np.asarray(arrays["feat_chars"], dtype=np.uint32)
        f.keys = np.asarray(arrays["feat_keys"], dtype=np.uint64)
        f.idf = np.asarray(arrays["feat_idf"], dtype=np.float32)
        words = str(arrays["feat_words"])
        f.words = words.split("\n") if words else []
        return f


class _KeyTable:
    """Open-addressing (linear probing) hash table of distinct uint64 keys → their index,
    built and probed with vectorised numpy, load ≤ 1/4."""

    _EMPTY = np.uint64(0xFFFF_FFFF_FFFF_FFFF)  # no packed key: ids stay < 2**16 - 1
    _MUL = np.uint64(0x9E37_79B9_7F4A_7C15)  # Fibonacci hashing

    def __init__(self, keys: np.ndarray):
        keys = np.asarray(keys, dtype=np.uint64)
        self.bits = max(4, int(np.ceil(np.log2(max(1, len(keys)) * 4))))
        self.mask = (1 << self.bits) - 1
        self.slots = np.full(1 << self.bits, self._EMPTY, dtype=np.uint64)
        self.index = np.full(1 << self.bits, -1, dtype=np.int64)
        probe = self._hash(keys)
        pending = np.arange(len(keys))
        while len(pending):
            at = probe[pending]
            free = self.slots[at] == self._EMPTY
            won_slot, first = np.unique(at[free], return_index=True)  # one key per free slot
            won = pending[free][first]
            self.slots[won_slot], self.index[won_slot] = keys[won], won
            placed = np.zeros(len(keys), dtype=bool)
            placed[won] = True
            pending = pending[~placed[pending]]
            probe[pending] = (probe[pending] + 1) & self.mask

    def _hash(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * self._MUL) >> np.uint64(64 - self.bits)).astype(np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        keys = np.asarray(keys, dtype=np.uint64)
        out = np.full(len(keys), -1, dtype=np.int64)
        todo = np.arange(len(keys))
        probe = self._hash(keys)
        while len(todo):
            got = self.slots[probe]
            match = got == keys[todo]
            out[todo[match]] = self.index[probe[match]]
            go_on = ~match & (got != self._EMPTY)
            todo, probe = todo[go_on], (probe[go_on] + 1) & self.mask
        return out


def membership(groups: list[list[int]], n_cols: int) -> sp.csr_matrix:
    """Rows = groups, columns = clauses, 1 where the clause belongs to the group."""
    indptr = np.zeros(len(groups) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(g) for g in groups])
    indices = np.fromiter((c for g in groups for c in g), dtype=np.int64, count=int(indptr[-1]))
    return sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(groups), n_cols))
