"""Text features for the tagger: word tokens (jieba, through `nlp.language` when
that module is present) and the TF-IDF feature union built on them.

The tokenizer is a module-level function so the fitted vectorizer pickles by
reference and a saved model keeps working when the segmenter is updated.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
import numpy as np

_SKIP = re.compile(r"^[\s\W_]+$")


@lru_cache(maxsize=1)
def _segmenter():
    """jieba with the project's domain dictionary (`nlp.language`) when present.

    HMM new-word discovery is off: it triples segmentation time and the domain
    words come from the user dictionary anyway."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    try:
        from nlp.language import load_user_dict

        load_user_dict()
    except ImportError:
        jieba.initialize()
    return lambda t: jieba.lcut(t, HMM=False)


def word_tokens(text: str) -> list[str]:
    return [w for w in _segmenter()(text) if not _SKIP.match(w)]


def build_features(word: bool = True, char_ngrams: tuple[int, int] = (1, 3),
                   max_word: int = 40000, max_char: int = 80000, min_df: int = 2) -> FeatureUnion:
    parts = []
    if word:
        parts.append(("word", TfidfVectorizer(tokenizer=word_tokens, token_pattern=None, lowercase=False,
                                              ngram_range=(1, 2), sublinear_tf=True, min_df=min_df,
                                              max_features=max_word, dtype=np.float32)))
    parts.append(("char", TfidfVectorizer(analyzer="char", ngram_range=char_ngrams, lowercase=False,
                                          sublinear_tf=True, min_df=min_df, max_features=max_char,
                                          dtype=np.float32)))
    return FeatureUnion(parts)
