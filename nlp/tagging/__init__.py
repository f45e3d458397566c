"""Field-log tagging: task categories and risk signals with evidence.

`Tagger` (model.py) is the estimator; `train.train()` builds `models/tagger/`.
"""
from nlp.tagging.model import ModelError, TaggerConfig, TagResult, Tagger
from nlp.tagging.taxonomy import Taxonomy, load_taxonomy

__all__ = ["Tagger", "TaggerConfig", "TagResult", "ModelError", "Taxonomy", "load_taxonomy"]
