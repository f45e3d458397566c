"""Field-log tagging: task categories and risk signals with evidence.

`Tagger` (model.py) is the estimator; `train.train()` builds `models/tagger/`.
"""
from nlp.tagging.model import ModelError, Tagger, TaggerConfig, TagResult
from nlp.tagging.taxonomy import Taxonomy, load_taxonomy

__all__ = ["default_tagger", "Tagger", "TaggerConfig", "TagResult", "ModelError", "Taxonomy", "load_taxonomy"]


def default_tagger(models_dir=None) -> Tagger:
    """The trained tagger under `<models>/tagger` (GONGWEN_MODELS or repo/models), loaded once."""
    from pathlib import Path

    from nlp.resources import models_dir as _models_dir

    return _load_cached(str(Path(models_dir) if models_dir else _models_dir()))


_CACHE: dict[str, Tagger] = {}


def _load_cached(models_dir: str) -> Tagger:
    from pathlib import Path

    if models_dir not in _CACHE:
        _CACHE[models_dir] = Tagger.load(Path(models_dir) / "tagger")
    return _CACHE[models_dir]
