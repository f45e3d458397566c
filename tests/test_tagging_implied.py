"""The bar for a risk with no keyword mention, chosen on the real texts alone
(`model.real_implied_bar`): small arrays, no tagger trained."""
from __future__ import annotations

import numpy as np

from nlp.tagging.model import real_implied_bar


def test_a_risk_real_texts_never_carry_without_a_mention_is_never_raised_from_the_window():
    # real texts 0-3: windows read the risk at 0.9/0.8/0.7 where it is absent; the one that holds
    # it is raised through its mention. Project logs 4-5 hold it without a mention (a template's
    # implied risk): they do not count here.
    p = np.array([0.9, 0.8, 0.7, 0.95, 0.99, 0.9])
    gold = np.array([False, False, False, True, True, True])
    free = np.array([True, True, True, False, True, True])
    raised = np.array([False, False, False, True, False, False])
    real = np.array([True, True, True, True, False, False])
    assert real_implied_bar(p, free, raised, gold, real) > 1.0


def test_the_bar_keeps_real_risks_told_without_a_mention():
    # riders' complaints with no risk keyword (held, windows 0.95/0.85) above two service
    # reports (not held, 0.75/0.6): the bar lies between them, the highest that keeps both
    p = np.array([0.95, 0.85, 0.75, 0.6])
    gold = np.array([True, True, False, False])
    free = np.ones(4, bool)
    bar = real_implied_bar(p, free, np.zeros(4, bool), gold, np.ones(4, bool))
    assert 0.75 < bar <= 0.85
    # no real text holds the risk: never from the window alone
    assert real_implied_bar(p, free, np.zeros(4, bool), np.zeros(4, bool), np.ones(4, bool)) > 1.0
