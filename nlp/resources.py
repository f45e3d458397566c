"""Where the nlp package finds its data: the project's corpora (user dictionary,
synonyms, taxonomy, sample notices) and trained models. Environment variables
GONGWEN_CORPORA / GONGWEN_MODELS override the defaults (repo-root/corpora, /models),
read through ingest.settings.Settings."""
from __future__ import annotations

from pathlib import Path

from ingest.settings import Settings


def corpora_dir() -> Path:
    """Folder of the project's own data (GONGWEN_CORPORA, default <repo>/corpora)."""
    return Settings().corpora_dir


def models_dir() -> Path:
    """Folder of trained artifacts (GONGWEN_MODELS, default <repo>/models)."""
    return Settings().models_dir


def user_dict_path() -> Path:
    """The jieba domain dictionary (one `word [freq] [pos]` per line)."""
    return corpora_dir() / "userdict.txt"
