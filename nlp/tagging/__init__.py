"""Field-log tagging: task categories and risk signals with evidence.

`Tagger` (model.py) is the estimator; `train.train()` builds `models/tagger/`.
"""
import threading

from nlp.tagging.model import ModelError, Tagger, TaggerConfig, TagResult
from nlp.tagging.taxonomy import Taxonomy, load_taxonomy

__all__ = ["default_tagger", "Tagger", "TaggerConfig", "TagResult", "ModelError", "Taxonomy", "load_taxonomy"]


def default_tagger(models_dir=None) -> Tagger:
    """The trained tagger under `<models>/tagger` (GONGWEN_MODELS or repo/models), loaded once."""
    from pathlib import Path

    from nlp.resources import models_dir as _models_dir

    return _load_cached(str(Path(models_dir) if models_dir else _models_dir()))


_CACHE: dict[str, Tagger] = {}
_LOCK = threading.Lock()


def _load_cached(models_dir: str) -> Tagger:
    """Loaded once per folder, also when several threads ask at once (a server's first
    requests): without the lock each loaded its own copy, all under one GIL, and a
    burst of first POST /api/logs took several times one load (and a SIGTERM'd
    `gongwen serve` waited for all of them)."""
    from pathlib import Path

    tagger = _CACHE.get(models_dir)
    if tagger is None:
        with _LOCK:
            tagger = _CACHE.get(models_dir)
            if tagger is None:
                tagger = _CACHE[models_dir] = Tagger.load(Path(models_dir) / "tagger")
    return tagger
