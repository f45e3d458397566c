"""A fitted logistic regression as plain weights (feature name → coefficient, in
DictVectorizer's names: `key` for a flag or a count, `key=value` for a string), applied in
plain Python: a checklist run needs no scikit-learn, and the shipped file is text that
diffs. The split stage (split_model) and the subject reader (subject_model) ship as this.
May import nothing of gongwen."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


class Linear:
    def __init__(self, coef: dict[str, float], intercept: float) -> None:
        self.coef, self.intercept = coef, intercept

    @classmethod
    def from_pipeline(cls, model) -> Linear:
        """From a fitted scikit-learn Pipeline of steps "dict" (DictVectorizer) and "clf"."""
        vec, clf = model.named_steps["dict"], model.named_steps["clf"]
        w = clf.coef_[0]
        return cls({name: float(w[j]) for name, j in sorted(vec.vocabulary_.items())}, float(clf.intercept_[0]))

    def proba(self, f: dict[str, Any]) -> float:
        """p(positive) of one row of features: the logistic function of their weighted sum."""
        z = self.intercept
        for k, v in f.items():
            if isinstance(v, str):
                k, v = f"{k}={v}", 1
            if v:
                z += self.coef.get(k, 0.0) * float(v)
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict:
        return {"intercept": self.intercept, "coef": dict(sorted(self.coef.items()))}

    def save(self, path: Path, **settings: Any) -> None:
        """Written whole or not at all; `settings` (thresholds) are stored beside the weights."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({**self.to_json(), **settings}, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                       encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Linear:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({k: float(v) for k, v in data["coef"].items()}, float(data["intercept"]))
