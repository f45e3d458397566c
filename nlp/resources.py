"""Where the nlp package finds its data: the project's corpora (user dictionary,
synonyms, taxonomy, sample notices), trained models, and the shared real material
beside the repository. Environment variables GONGWEN_CORPORA / GONGWEN_MODELS /
GONGWEN_SHARED override the defaults, read through ingest.settings.Settings."""
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


def shared_root(repo: Path | None = None) -> Path:
    """Where the shared material lies: $GONGWEN_SHARED, else `shared` beside the repository
    (CI) or beside the directory holding it (a worktree under /work/wt)."""
    if Settings().shared_dir:
        return Settings().shared_dir
    repo = Path(repo) if repo else Path(__file__).resolve().parents[1]
    for cand in (repo.parent / "shared", repo.parent.parent / "shared"):
        if cand.is_dir():
            return cand
    return repo.parent / "shared"
