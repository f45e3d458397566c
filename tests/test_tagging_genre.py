"""The genre head (nlp.tagging.genre): a text that talks about a risk in general (an advice
column, a legal explainer, a guide) raises no risk; a report of a concrete case keeps its
risks. Texts written for these tests."""
from __future__ import annotations

import numpy as np
import pytest

from nlp.tagging import Tagger
from nlp.tagging.genre import BAR, GENRE_NAMES, fit_genre, genre_columns, genre_general, genre_labels
from nlp.tagging.normalize import normalize

ADVICE = [
    "劳动者如果遇到用人单位拖欠工资，可以向当地劳动监察部门投诉，依据《劳动合同法》第三十条，单位应当及时足额支付。",
    "问：公司一直不发工资怎么办？答：你可以先与单位协商，协商不成可依法申请劳动仲裁，律师提醒要保留好工资条。",
    "一旦发生工伤，职工应当第一时间就医并保留病历，用人单位应在规定时间内申请工伤认定，切记不要私了。",
    "遇到台风天气，大家要减少外出，户外作业人员应该停止作业，务必注意用电安全。",
    "温馨提示：女职工在孕期依法享有产检假，单位不得因此降低工资，如遇侵权可向工会求助。",
    "专家解读：平台骑手如果发生交通事故，能否认定工伤？根据相关规定，要看劳动关系如何确认。",
]
REPORTS = [
    "3月5日上午，区总工会走访宏达机械有限公司，30名工人反映被拖欠工资12万元。",
    "记者了解到，建兴建筑工地的王师傅等15名农民工至今未拿到去年的工钱，共计40万元。",
    "近日，顺达物流公司一名司机在装货时受伤，工会干部当天赶到医院看望。",
    "5月12日凌晨，暴雨导致新华纺织厂车间进水，200余名职工被紧急转移。",
    "据了解，鑫源电子厂上月裁减员工80人，部分职工反映补偿金未足额发放。",
    "本报讯 通讯员赶到现场时，利民食品公司门口聚集了20多名员工讨要工资。",
]


def test_columns_tell_advice_from_a_report():
    a = dict(zip(GENRE_NAMES, genre_columns([normalize(ADVICE[0])])[0]))
    r = dict(zip(GENRE_NAMES, genre_columns([normalize(REPORTS[0])])[0]))
    assert a["conditional"] > 0 and a["law"] > 0 and a["advice"] > 0
    assert a["unit"] == a["date"] == a["count"] == 0
    assert r["unit"] > 0 and r["date"] > 0 and r["visit"] > 0 and r["count"] > 0
    assert r["conditional"] == r["law"] == r["advice"] == 0


def test_labels_come_from_held_risks_and_the_quiet_kinds():
    rows = [{"text": "甲", "risks": ["wage_arrears"], "statuses": {"wage_arrears": "present"}},
            {"text": "乙", "risks": [], "statuses": {"wage_arrears": "generic"}},
            {"text": "丙", "risks": [], "statuses": {"disaster_emergency": "hypothetical"}},
            {"text": "丁", "risks": [], "statuses": {"wage_arrears": "settled"}},  # a concrete case, not what the head separates
            {"text": "戊", "risks": None, "statuses": {"wage_arrears": "generic"}},  # risks unknown
            {"text": "己", "risks": ["safety_health"]}]  # a batch passage: no statuses
    assert genre_labels(rows) == [("甲", False), ("乙", True), ("丙", True), ("己", False)]


def head():
    # a dozen texts: a weak prior (high C) lets the head pass its bar, as hundreds of passages do
    return fit_genre([normalize(t) for t in ADVICE + REPORTS], [True] * len(ADVICE) + [False] * len(REPORTS), C=100.0)


def test_head_reads_unseen_advice_as_general_and_reports_as_concrete():
    coef, bias = head()
    assert genre_general(normalize("职工如果遇到单位克扣工资，可以向工会反映，依据《劳动法》应当依法维权。"), coef, bias)
    assert not genre_general(normalize("6月3日下午，工会干部来到华美服装厂，40名工人反映两个月工资共18万元未发。"), coef, bias)
    assert fit_genre([normalize(t) for t in REPORTS], [False] * len(REPORTS)) is None  # one kind only: no head


def test_a_text_read_as_general_raises_no_risk(tmp_path):
    """The shipped tagger raises arrears for a report and for advice naming arrears alike; with a genre
    head the advice raises nothing, the report keeps its risk, and the head survives save and load."""
    from tests.test_tagging import SHIPPED

    m = Tagger.load(SHIPPED)
    advice = "农民工遇到欠薪讨薪难怎么办？建议你保留证据，依据《保障农民工工资支付条例》第十条向人社部门投诉。"
    report = "6月3日下午，区总工会来到华美服装厂，40名工人反映被拖欠两个月工资共18万元。"
    m.genre_head = head()
    m.save(tmp_path)
    loaded = Tagger.load(tmp_path)
    assert np.allclose(loaded.genre_head[0], m.genre_head[0]) and loaded.genre_head[1] == pytest.approx(m.genre_head[1])
    assert loaded.predict_one(advice).risk_ids == []
    assert "wage_arrears" in loaded.predict_one(report).risk_ids
    loaded.genre_head = None
    assert "wage_arrears" in loaded.predict_one(advice).risk_ids  # the gate, not the rest, quiets it
    assert 0.5 <= BAR < 1


def test_training_refuses_the_blind_page_sets(tmp_path):
    from pathlib import Path

    from nlp.tagging.train import CorpusError, train

    corpora = Path(__file__).resolve().parents[1] / "corpora"
    for measured in ("pages5", "pages7"):  # a blind set, the untuned check set
        with pytest.raises(CorpusError, match="盲测"):
            train(corpora, tmp_path, genre_pages=[f"annotations/tagging/{measured}={tmp_path}"], cv_folds=0)
    assert not (tmp_path / "tagger").exists()
