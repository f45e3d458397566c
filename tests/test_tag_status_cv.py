"""bench/tag_status_cv.py's per-site counts: what its paired site bootstrap adds up, so a figure
on drawn sites is a ratio of summed counts (not a mean of the sites' ratios)."""
from __future__ import annotations

import numpy as np

from tests.scripts import load_script


def test_site_counts_add_up_to_the_pooled_figures():
    cv = load_script("bench/tag_status_cv.py")
    groups = ["a.cn", "a.cn", "b.cn", "b.cn", "b.cn"]
    gold = np.array(["present", "settled", "historical", "generic", "present"])
    pred = np.array(["present", "present", "historical", "generic", "settled"])
    raising = ("present", "threatened")
    counts = cv.site_counts(groups, gold, pred, np.isin(gold, raising), np.isin(pred, raising))
    assert sorted(counts) == ["a.cn", "b.cn"]
    f = cv.figures(cv.total(counts))
    assert f["exact status"] == 3 / 5
    assert f["settled recall"] == 0 and f["historical recall"] == 1
    assert f["quiet read raising"] == 1 / 3  # the settled mention of a.cn read present
    assert f["raise F1"] == 2 * 1 / (2 * 1 + 1 + 1)
    # one site alone: its own ratios
    assert cv.figures(counts["b.cn"])["exact status"] == 2 / 3
