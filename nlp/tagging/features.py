"""Text features for the tagger, computed once per clause.

Each log is cut into clauses; word (jieba) and character n-gram counts are taken
per clause, and the counts of a log or of a window of adjacent clauses are the
sums of its clauses' counts. So a text is segmented once, whether it is scored
as a whole (task categories) or window by window (risks, which live in one or
two clauses). Counts are then weighted by TF-IDF (sublinear tf, l2 norm).

The tokenizer is a module-level function so the fitted vectorizer pickles by
reference.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.pipeline import FeatureUnion

_SKIP = re.compile(r"^[\s\W_]+$")


@lru_cache(maxsize=1)
def _segmenter():
    """jieba with the project's domain dictionary (`nlp.language`) when present."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    try:
        from nlp.language import load_user_dict

        load_user_dict()
    except ImportError:
        jieba.initialize()
    return jieba


def word_tokens(text: str) -> list[str]:
    """jieba words, HMM off: HMM new-word discovery triples segmentation time and
    the domain words come from the user dictionary anyway."""
    return [w for w in _segmenter().lcut(text, HMM=False) if not _SKIP.match(w)]


def word_tokens_hmm(text: str) -> list[str]:
    """Same with jieba's HMM on (finds unknown words; slower)."""
    return [w for w in _segmenter().lcut(text, HMM=True) if not _SKIP.match(w)]


class ClauseFeatures:
    """Count features per clause (FeatureUnion of word and char n-gram counts),
    summed over logs or windows, then TF-IDF weighted."""

    def __init__(self, word: bool = True, char_ngrams: tuple[int, int] = (1, 3), max_word: int = 30000,
                 max_char: int = 60000, min_df: int = 2, hmm: bool = False):
        parts = []
        if word:
            parts.append(("word", CountVectorizer(tokenizer=word_tokens_hmm if hmm else word_tokens,
                                                  token_pattern=None, lowercase=False, ngram_range=(1, 2),
                                                  min_df=min_df, max_features=max_word, dtype=np.float32)))
        parts.append(("char", CountVectorizer(analyzer="char", ngram_range=tuple(char_ngrams), lowercase=False,
                                              min_df=min_df, max_features=max_char, dtype=np.float32)))
        self.counts = FeatureUnion(parts)
        self.tfidf = TfidfTransformer(sublinear_tf=True)

    def fit_counts(self, clauses: list[str]) -> sp.csr_matrix:
        C = self.counts.fit_transform(clauses).tocsr()
        for _, vec in self.counts.transformer_list:
            vec.stop_words_ = None  # only kept for introspection; large on disk
        return C

    def clause_counts(self, clauses: list[str]) -> sp.csr_matrix:
        return self.counts.transform(clauses).tocsr()

    def fit_weights(self, log_counts: sp.csr_matrix) -> None:
        self.tfidf.fit(log_counts)

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        return self.tfidf.transform(counts).astype(np.float32)

    @property
    def n_features(self) -> int:
        return int(self.tfidf.idf_.shape[0])


def membership(groups: list[list[int]], n_cols: int) -> sp.csr_matrix:
    """Rows = groups, columns = clauses, 1 where the clause belongs to the group."""
    indptr = np.zeros(len(groups) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(g) for g in groups])
    indices = np.fromiter((c for g in groups for c in g), dtype=np.int64, count=int(indptr[-1]))
    return sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(groups), n_cols))
