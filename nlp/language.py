"""The shared language pipeline: jieba with the domain user dictionary, and a blank
spaCy Chinese pipeline whose tokenizer is that same jieba. Everything is built once
per process and cached, so callers can ask for it freely."""
from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

import jieba

from ingest.settings import Settings, SettingsError
from nlp.resources import user_dict_path

_lock = threading.Lock()
_loaded_dict: str | None = None

# jieba prints its dictionary-loading chatter through logging; keep CLIs quiet.
jieba.setLogLevel(logging.WARNING)


def _cache_dir() -> Path | None:
    """The user's cache folder for gongwen (Settings.cache_dir), or None where there is
    none or it cannot be created (read-only home): jieba then keeps its own default."""
    try:
        path = Settings().cache_dir
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
    except (OSError, SettingsError):
        return None
    return path


# jieba's prefix dictionary takes ~2 s to build and ~0.5 s to load from its marshal
# cache; keep that cache in the user cache folder, where it survives /tmp cleaning
# and is shared by every run (jieba rebuilds it when its dictionary file changes).
_JIEBA_CACHE = _cache_dir()
if _JIEBA_CACHE is not None and jieba.dt.tmp_dir is None:
    jieba.dt.tmp_dir = str(_JIEBA_CACHE)


def load_user_dict() -> None:
    """Load corpora/userdict.txt into jieba once (jieba's dictionary is global, so
    the spaCy tokenizer below sees the same words)."""
    global _loaded_dict
    path = user_dict_path()
    with _lock:
        if _loaded_dict == str(path):
            return
        jieba.initialize()
        if path.is_file():
            jieba.load_userdict(str(path))
        _loaded_dict = str(path)


def segment(text: str) -> list[str]:
    """Words of `text` as jieba cuts them with the domain dictionary (no spaces)."""
    load_user_dict()
    return [w for w in jieba.lcut(text) if w.strip()]


@lru_cache(maxsize=1)
def nlp():
    """A blank spaCy `zh` pipeline using the jieba segmenter (cached)."""
    import spacy

    load_user_dict()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def tokenizer():
    """The spaCy tokenizer of `nlp()`: `tokenizer()(text)` gives a `Doc`."""
    return nlp().tokenizer
