"""The union-work gate of the task labels: does a text report union work at all?

`other` is the task of a text that reports no union work: in the real report passages,
news of a rumour dispelled, a wage dispute told by a reporter, an accident, a commentary.
The task heads score each union task on its own and give `other` only when none passes, so
news about arrears or a safety hazard, full of words a union's work is told with, got union
labels (the main task error on the real passages). The gate reads the question as one
decision, with its own evidence beside the heads' probabilities:

- who acts: a union organ named (工会, 职工之家, 职代会, 劳模);
- what kind of text: news-genre and rumour cues (记者, 网友, 日电, 网传, 辟谣) counted only where
  no union organ is named (news told without a union), and the text's length (a cadre's log is
  short, a report long);
- the heads' probabilities: `other`'s and the best union task's margin over its threshold.

A logistic regression over these few named columns (`FEATURES`) gives P(no union work),
fitted on the held-out head probabilities of the fit's inner folds; a text at or over the
gate's bar gets `other` alone, one under it the union tasks (`Tagger._task_decisions`).
Stored as JSON floats. Imports numpy (scikit-learn to fit, ahocorasick_rs for `service_texts`, which the
risk side asks) only.
"""
from __future__ import annotations

import numpy as np

# Cue classes (each seen across many sites of the real passages; counts per text)
UNION = ("工会", "职工之家", "职代会", "职工代表大会", "会员", "工联会", "劳模", "工匠")
NEWS = ("记者", "本报讯", "日电", "通讯员", "据了解", "报道", "新闻", "网友", "知情人", "爆料", "曝光", "媒体",
        "自媒体", "视频", "热搜")
RUMOUR = ("网传", "谣言", "辟谣", "不实", "传闻", "传言", "假消息", "造谣", "声明", "回应")

# Columns. Also tried (grouped CV on the first two folds of the 5- and 4-fold partitions): counts of
# authorities (民警, 法院, 劳动监察), of a log's first person (我们, 今天), of news and rumour cues
# apart, of the taxonomy's task keywords, and a no-union flag: each set with them scored lower.
FEATURES = ("union", "no_union_news", "p_other", "union_margin", "length")


# The union tasks that deliver something to workers (a service, membership, a post): a text
# that names a union organ and one of these tasks' keywords reports union service
SERVICE_TASKS = ("organizing", "rights_services", "union_building")
_SERVICE_AC: dict[str, object] = {}


def service_texts(norm: list[str], taxonomy) -> np.ndarray:
    """Per normalised text: does it report union service, i.e. name a union organ (UNION) and a
    keyword of SERVICE_TASKS in the taxonomy (入会, 慰问, 驿站, 职工之家 …)? The risk side asks
    it of a risk with no mention (`TaggerConfig.implied_service`)."""
    import ahocorasick_rs

    from nlp.tagging.normalize import normalize

    ac = _SERVICE_AC.get(taxonomy.sha256)
    if ac is None:
        words = sorted({normalize(k) for t in taxonomy.tasks if t.id in SERVICE_TASKS for k in t.keywords} - {""})
        ac = _SERVICE_AC[taxonomy.sha256] = ahocorasick_rs.AhoCorasick(words)
    return np.array([any(u in t for u in UNION) and bool(ac.find_matches_as_indexes(t)) for t in norm], dtype=bool)


def harm_said(norm: str, start: int, end: int) -> bool:
    """Does the sentence holding norm[start:end] (a risk's best window) say a harm, in the words
    the mention-status cues read as present, still or negated (nlp.tagging.status.CUES: 反映,
    受伤, 仍, 没, 不 …)? In a union-service text only such a window may raise a risk unnamed."""
    from nlp.tagging.keywords import SENTENCE_END
    from nlp.tagging.status import HARM_WORDS

    a = max((m.end() for m in SENTENCE_END.finditer(norm, 0, start)), default=0)
    m = SENTENCE_END.search(norm, end)
    sentence = norm[a:m.start() if m else len(norm)]
    return any(w in sentence for w in HARM_WORDS)


def _count(text: str, words: tuple[str, ...]) -> int:
    return sum(text.count(w) for w in words)


def features(norm: list[str], P: np.ndarray, thresholds: np.ndarray, other: int) -> np.ndarray:
    """texts × FEATURES. `norm`: normalised texts; `P`: the heads' task probabilities (texts ×
    task labels), `thresholds` the labels' bars, `other` the column of `other`."""
    X = np.zeros((len(norm), len(FEATURES)))
    for i, t in enumerate(norm):
        u = _count(t, UNION)
        X[i, 0] = np.log1p(u)
        X[i, 1] = 0.0 if u else np.log1p(_count(t, NEWS) + _count(t, RUMOUR))
        X[i, 4] = np.log1p(len(t)) / 8
    if len(P):
        union_cols = [j for j in range(P.shape[1]) if j != other]
        X[:, 2] = P[:, other]
        X[:, 3] = (P[:, union_cols] - thresholds[union_cols]).max(axis=1)
    return X


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float = 1.0, seed: int = 13) -> tuple[np.ndarray, float]:
    """Logistic regression P(no union work | columns): (coef, bias); never gating without
    both kinds of text."""
    if not y.any() or y.all():
        return np.zeros(X.shape[1]), -30.0
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)
    clf.fit(X, y.astype(int), sample_weight=w)
    return clf.coef_[0].astype(np.float64), float(clf.intercept_[0])


def proba(X: np.ndarray, coef: np.ndarray, bias: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(X @ coef + bias, -30, 30)))
