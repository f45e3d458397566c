"""A learned linker: logistic regression over a few features of a (log, duty)
candidate, trained on the judged set (corpora/track) and shipped as a small JSON
(models/track/linker.json). Trained by `python bench/track.py --train`, which
also reports it leaving one place out (the logs of one place never train the
model that scores them)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.settings import Settings

FEATURES = ("coverage", "log_raw_score", "actor_bonus", "soft", "dated", "share_of_best", "is_best",
            "log_duty_weight", "action_coverage", "log_shared_words")


def default_path() -> Path:
    return Settings().models_dir / "track" / "linker.json"


@dataclass
class Linker:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    per_log: int

    def predict(self, X: np.ndarray) -> np.ndarray:
        z = ((X - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, threshold: float = 0.5, per_log: int = 2) -> Linker:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        sc = StandardScaler().fit(X)
        lr = LogisticRegression(C=1.0, max_iter=1000).fit(sc.transform(X), y)
        return cls(sc.mean_, np.where(sc.scale_ == 0, 1.0, sc.scale_), lr.coef_[0], float(lr.intercept_[0]),
                   threshold, per_log)

    def save(self, path: Path | None = None) -> Path:
        path = path or default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"features": FEATURES, "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                                    "coef": self.coef.tolist(), "intercept": self.intercept,
                                    "threshold": self.threshold, "per_log": self.per_log}, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path | None = None) -> Linker | None:
        path = path or default_path()
        if not path.exists():
            return None
        d = json.loads(path.read_text(encoding="utf-8"))
        if tuple(d.get("features", ())) != FEATURES:
            return None  # trained on other features: the rule is safer than a mismatched model
        return cls(np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), d["intercept"], d["threshold"],
                   d["per_log"])
