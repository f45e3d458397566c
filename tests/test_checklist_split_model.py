"""The learned split stage: one sentence that holds several duties becomes several items,
each with its own doer and attributes. Trained here on a small fixture (project notices
and their gold, self-written); the sentences below are written for the test."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_make import make_text

from ingest.load import load
from nlp.checklist import split_model as sm
from nlp.checklist.extract import extract_rules

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = [("corpora/notices/2024_jian_zhongda_shixiang.txt", "corpora/gold/2024_jian_zhongda_shixiang.gold.json"),
           ("corpora/notices/2021_mianyang_bangfu_banfa.txt", "corpora/gold/2021_mianyang_bangfu_banfa.gold.json")]

NOTICE = """关于开展职工书法比赛的通知

各基层工会：
    经研究，决定举办职工书法比赛。现将有关事项通知如下：
    一、报名要求
    请各基层工会认真组织本单位职工报名，并于3月15日前将报名表报送市总工会宣教部。
    二、其他事项
    市级领导每季度走访2家企业，科室负责人每月走访1户困难家庭。

市总工会
2024年3月1日
"""


@pytest.fixture(scope="module")
def notice(tmp_path_factory):
    return load(make_text(tmp_path_factory.mktemp("split") / "notice.txt", NOTICE))


@pytest.fixture(scope="module")
def fixture_commas():
    out = []
    for src, gold in FIXTURE:
        out += sm.labelled(sm.record(load(ROOT / src)), json.loads((ROOT / gold).read_text(encoding="utf-8")))
    return out


def test_commas_are_labelled_from_the_gold_duties():
    class C:  # the two fields `labelled` reads of a recorded comma
        def __init__(self, text):
            self.text = text

    gold = {"obligations": [{"text": "各单位要认真组织报名"}, {"text": "并于3月5日前报送名单"}]}
    rows = [({}, "各单位要认真组织报名，", "并于3月5日前报送名单。"),   # two duties: a cut
            ({}, "各单位要认真组织，", "认真组织报名"),              # the same duty: no cut
            ({}, "经研究，", "特此通知")]                            # neither: not learned from
    assert [y for _, y in sm.labelled(rows, gold)] == [1, 0]


def test_fit_is_deterministic_and_separates_both_classes(fixture_commas):
    assert {y for _, y in fixture_commas} == {0, 1}
    a, b = sm.fit(fixture_commas), sm.fit(fixture_commas)
    pa = [a.proba(f) for f, _ in fixture_commas]
    assert pa == [b.proba(f) for f, _ in fixture_commas]
    # the plain-Python weights give the fitted pipeline's own probabilities
    pipe = sm.make_pipeline().fit([f for f, _ in fixture_commas], [y for _, y in fixture_commas])
    direct = pipe.predict_proba([f for f, _ in fixture_commas])[:, 1]
    assert all(abs(x - y) < 1e-9 for x, y in zip(direct, pa))


def test_without_a_model_the_rules_cut_as_before(notice):
    doc = notice
    with sm.using(None):
        rules = [o.text for o in extract_rules(doc).obligations]
    with sm.using(None), sm.recording() as rows:
        again = [o.text for o in extract_rules(doc).obligations]
    assert rules == again and rows  # recording changes nothing


def test_shipped_model_keeps_a_second_predicate_of_the_same_doer_in_its_duty(notice):
    # …认真组织本单位职工报名，并于3月15日前将报名表报送…: a 并-clause that names no doer of its own goes on
    # the duty before it (the judges' seed gold keeps ，并… in one obligation), with the sentence's doer and date
    assert sm.load_model() is not None
    items = extract_rules(notice).obligations
    hit = [o for o in items if "3月15日前" in o.text]
    assert len(hit) == 1 and hit[0].text.startswith("请各基层工会认真组织")
    assert any("基层工会" in a for a in hit[0].actors)
    assert [(d.month, d.day) for d in hit[0].deadlines] == [(3, 15)]
    assert not any(o.text.startswith("并于") for o in items)


def test_two_doer_duty_pairs_get_their_own_doer_quota_and_frequency(notice):
    items = extract_rules(notice).obligations
    leaders = [o for o in items if o.text.startswith("市级领导")]
    heads = [o for o in items if o.text.startswith("科室负责人")]
    assert len(leaders) == len(heads) == 1
    assert leaders[0].actors == ["市级领导"] and heads[0].actors == ["科室负责人"]
    assert [q.min for q in leaders[0].quotas] == [2] and [q.min for q in heads[0].quotas] == [1]
    assert leaders[0].frequency.every == "quarter" and heads[0].frequency.every == "month"


LEAD = """关于做好困难职工复核工作的通知

各基层工会：
    县总工会要于11月底前完成审核工作，审核通过的，须于5个工作日内告知职工本人。
    各单位要组织职工学习，对照有关条件，认真做好登记。

县总工会
2024年3月1日
"""


def test_a_lead_clause_before_a_dated_predicate_reaches_the_model(tmp_path):
    # 审核通过的 has no mark of its own, yet the clause after it brings a date: the cut
    # before the lead is the model's to make (it was closed to it); 对照有关条件 before an
    # undated, unbound clause stays closed
    path = tmp_path / "lead.txt"
    path.write_text(LEAD, encoding="utf-8")
    with sm.using(None), sm.recording() as rows:
        extract_rules(load(path))
    at = {after.rstrip("，。"): f for f, _, after in rows}
    assert at["审核通过的"]["lead_then_mark"] is True
    assert at["对照有关条件"].get("lead_then_mark") is False


ENTRIES = """关于举办教职工乒乓球比赛的通知

各分工会：
    一、报名办法
    每单位可报领队一人，教练一人，各组单打每单位限报4人。
    各分工会限报一队，队员中至少一名女同志。
    市级领导每季度走访2家企业，科室负责人每月走访1户困难家庭。

校工会
2024年3月1日
"""


def test_a_list_of_entry_quotas_stays_one_duty(tmp_path):
    # 教练一人 / 队员中至少一名女同志 count one more kind of entry of the list the sentence
    # opened; they name no doer of a duty of their own, so the list is one item with all its quotas
    path = tmp_path / "entries.txt"
    path.write_text(ENTRIES, encoding="utf-8")
    items = extract_rules(load(path)).obligations
    lists = [o for o in items if o.text.startswith("每单位可报领队")]
    assert len(lists) == 1 and "限报4人" in lists[0].text
    assert sorted(q.max for q in lists[0].quotas if q.max is not None)[-1] == 4
    assert any(o.text.startswith("各分工会限报一队") and "女同志" in o.text for o in items)
    assert not any(o.text.startswith(("教练", "队员")) for o in items)
    # a body that does something of its own still starts a duty
    assert any(o.text.startswith("科室负责人") for o in items)


SAME_DOER = """关于推荐劳动模范的通知

各分会：
    请各分会对照推荐条件认真做好推荐工作，并于2月18日前将推荐人选报校工会。
    各分会要认真核实申报材料，并由所在单位工会公示七天。
    各参赛队要按时到场检录，比赛过程中，要服从裁判和工作人员的安排。

校工会
2024年2月1日
"""


def test_a_model_bent_on_cutting_keeps_a_same_doer_and_clause_and_a_time_clause_in_their_duty(tmp_path):
    # whatever a fold's model says, …推荐工作，并于2月18日前将推荐人选报… is one duty (a 并-clause that
    # names no doer of its own goes on the duty before it, the gold's convention), and a clause that only
    # says when (比赛过程中) stays with the predicate it times; …，并由所在单位工会公示七天 names a new
    # doer and is still cut off
    path = tmp_path / "same_doer.txt"
    path.write_text(SAME_DOER, encoding="utf-8")
    always = sm.Linear({}, 10.0)  # p(cut) ≈ 1 at every comma
    with sm.using(always):
        items = [o.text for o in extract_rules(load(path)).obligations]
    dated = [t for t in items if "2月18日前" in t]
    assert len(dated) == 1 and dated[0].startswith("请各分会对照推荐条件")
    assert any(t.startswith("并由所在单位工会公示七天") for t in items)
    timed = [t for t in items if "比赛过程中" in t]
    assert len(timed) == 1 and "服从裁判" in timed[0]


TWO_DATES = """关于开展金秋助学慰问活动的通知

各县（市、区）总工会：
    一、工作要求
    各县（市、区）的慰问活动必须在5月30日前结束，各县（市、区）的慰问情况请于6月10日前报市总工会保障部。
    帮扶资金按困难等级核定标准，在认定的下一年度1月底前，通过银行转账方式统一发放（其中助学部分在当年8月底前发放）。

市总工会
2024年5月1日
"""


def test_a_model_bent_on_keeping_still_cuts_between_two_dated_predicates(tmp_path):
    # …必须在5月30日前结束，…请于6月10日前报…: each clause carries a date of its own, so each is a
    # duty with its own deadline, whatever a fold's model says; a bare time clause (在…1月底前，) stays
    # with the predicate it times
    path = tmp_path / "two_dates.txt"
    path.write_text(TWO_DATES, encoding="utf-8")
    never = sm.Linear({}, -10.0)  # p(cut) ≈ 0 at every comma
    with sm.using(never):
        items = extract_rules(load(path)).obligations
    dated = {o.text.split("，")[0]: [(d.month, d.day) for d in o.deadlines] for o in items if o.deadlines}
    assert dated["各县（市、区）的慰问活动必须在5月30日前结束"] == [(5, 30)]
    assert dated["各县（市、区）的慰问情况请于6月10日前报市总工会保障部"] == [(6, 10)]
    timed = [o for o in items if o.text.startswith("帮扶资金")]
    assert len(timed) == 1 and "统一发放" in timed[0].text and (1, 31) in [(d.month, d.day) for d in timed[0].deadlines]
