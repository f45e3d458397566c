"""Where the nlp package finds its data: the project's corpora (user dictionary,
synonyms, taxonomy, sample notices) and trained models. Environment variables
GONGWEN_CORPORA / GONGWEN_MODELS override the defaults (repo-root/corpora, /models)."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


def corpora_dir() -> Path:
    """Folder of the project's own data (GONGWEN_CORPORA, default <repo>/corpora)."""
    return _env_path("GONGWEN_CORPORA", REPO_ROOT / "corpora")


def models_dir() -> Path:
    """Folder of trained artifacts (GONGWEN_MODELS, default <repo>/models)."""
    return _env_path("GONGWEN_MODELS", REPO_ROOT / "models")


def user_dict_path() -> Path:
    """The jieba domain dictionary (one `word [freq] [pos]` per line)."""
    return corpora_dir() / "userdict.txt"
