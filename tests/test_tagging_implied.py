"""The bar for a risk with no keyword mention, chosen on the real texts alone
(`model.real_implied_bar`), and what keeps such a risk out of a union-service report
(`gate.service_texts`, `gate.harm_said`): small arrays and made-up texts, no tagger trained."""
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


def test_a_text_reports_union_service_when_it_names_a_union_and_a_service_it_gives():
    from pathlib import Path

    from nlp.tagging import load_taxonomy
    from nlp.tagging.gate import service_texts
    from nlp.tagging.normalize import normalize

    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "corpora" / "taxonomy.toml")
    texts = ["区总工会在物流园建成一处司机之家，货车司机可以免费吃饭洗澡。",  # union + 职工之家/免费
             "街道工会为外卖骑手集中办理入会手续。",  # union + 入会
             "几名骑手说平台罚款太重，一单超时扣五十元。",  # riders' complaint: no union
             "记者从工会了解到，不少货车司机找不到地方停车。"]  # a union named, no service given
    assert service_texts([normalize(t) for t in texts], tax).tolist() == [True, True, False, False]


def test_a_window_says_a_harm_only_in_its_own_sentence_and_not_by_a_head_count():
    from nlp.tagging.gate import harm_said

    t = "街道工会为二十多名骑手办理了入会。骑手小王说平台不给交社保。"
    first, second = t.index("骑手"), t.rindex("骑手")
    assert not harm_said(t, first, first + 2)  # 二十多名 counts heads: no harm
    assert harm_said(t, second, second + 2)  # 不给交社保
