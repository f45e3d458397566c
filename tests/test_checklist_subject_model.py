"""The learned subject reader of the actor stage: who a duty's own text names as its doer
where the rules only guessed one. Trained here on a few self-written gold duties."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from nlp.checklist import subject_model as sm

TRAIN = [{"metadata": {"recipients": ["各分会"]}, "obligations": [
    {"text": "申报人须如实填写家庭收入情况", "actors": ["申报人"]},
    {"text": "承办旅行社必须为每位学员购买意外保险", "actors": ["承办旅行社"]},
    {"text": "其余教师不少于30元", "actors": ["其余教师"]},
    {"text": "每个年级组推荐2名选手", "actors": ["每个年级组"]},
    {"text": "特困户和单亲家庭的，须提供相关证明", "actors": ["特困户", "单亲家庭"]},
    {"text": "获奖选手须按时领取证书", "actors": ["获奖选手"]},
    {"text": "各分会须于6月1日前报送名单", "actors": ["各分会"]},
    {"text": "报名材料须于6月1日前交校工会", "actors": ["各分会"]},
    {"text": "作品须注明作者姓名", "actors": ["参赛教师"]},
    {"text": "表格须加盖公章", "actors": ["各分会"]},
    {"text": "照片须为原创", "actors": ["参赛教师"]},
    {"text": "组织退休教师开展一次登山活动，由各分会负责报名", "actors": ["各分会"]},
    {"text": "比赛前须检查场地", "actors": ["裁判组"]},
]}]


@pytest.fixture(scope="module")
def model():
    return sm.fit(TRAIN)


def test_candidates_open_the_text_or_follow_you():
    text = "（二）获奖职工须于月底前领取奖品，由各分会统一发放"
    spans = [text[s:e] for s, e, _ in sm.candidates(text)]
    assert "获奖职工" in spans  # after the list label
    assert "各分会" in spans  # after 由
    assert all("（二）" not in s for s in spans)


def test_conjuncts_split_joined_names_only():
    assert sm.conjuncts("低收入家庭和残疾人家庭") == ["低收入家庭", "残疾人家庭"]
    assert sm.conjuncts("各乡镇（街道、园区）工会") == ["各乡镇（街道、园区）工会"]


def test_reads_people_and_bodies_not_things(model):
    assert sm.subject(model, "申请人须提交身份证复印件") == ["申请人"]
    assert sm.subject(model, "材料须于5月1日前报送") == []


def test_only_guessed_doers_are_replaced(model):
    items = [SimpleNamespace(text="申报人须提交收入证明", actors=["各分会"], actor_source="document"),
             SimpleNamespace(text="申报人须提交收入证明", actors=["校工会"], actor_source="clause"),
             SimpleNamespace(text="材料须于5月1日前报送", actors=["各分会"], actor_source="document")]
    sm.resolve(model, SimpleNamespace(obligations=items, document={"recipients": ["各分会"]}))
    assert items[0].actors == ["申报人"] and items[0].actor_source == "subject"
    assert items[1].actors == ["校工会"]  # the rules read the clause's own subject: kept
    assert items[2].actors == ["各分会"]  # a thing is no doer: the guess stays


def test_weights_round_trip_and_fit_is_deterministic(model, tmp_path):
    again = sm.fit(TRAIN)
    assert again.to_json() == model.to_json()
    sm.save(model, tmp_path / "s.json")
    back = sm.Linear.load(tmp_path / "s.json")
    text = "其余教师不少于30元"
    f = sm.features(text, 0, 4, False)
    assert back.proba(f) == pytest.approx(model.proba(f))


def test_shipped_weights_load():
    assert sm.load_model() is not None


def test_a_governed_name_is_no_subject(model):
    # 从X抓起 / 向X汇报: the name is the object of the word before it (the rules strip 从 as a lead)
    assert sm.subject(model, "从申报人抓起，须提交收入证明") == []
    assert sm.subject(model, "向申报人说明情况") == []
    assert sm.subject(model, "从各分会工会负责人严起，须带头") == []


def test_an_agent_after_you_inside_a_read_item_joins_its_doers(model):
    # (made-up text) the head of the item was read as its doer; the 由 inside names who acts as well
    items = [SimpleNamespace(text="三号队伍组队由各分会牵头负责", actors=["三号队伍"], actor_source="clause"),
             SimpleNamespace(text="获奖选手须按时领取证书，由各分会负责发放", actors=["获奖选手"], actor_source="model"),
             SimpleNamespace(text="三号队伍组队由各分会牵头负责", actors=["三号队伍"], actor_source="table"),
             SimpleNamespace(text="各分会须于6月1日前报送，由各分会负责", actors=["各分会"], actor_source="clause")]
    sm.resolve(model, SimpleNamespace(obligations=items, document={"recipients": []}))
    assert items[0].actors == ["三号队伍", "各分会"] and items[0].actor_source == "clause"
    assert items[1].actors == ["获奖选手", "各分会"]
    assert items[2].actors == ["三号队伍"]  # a table row's doer is its column's
    assert items[3].actors == ["各分会"]  # named already
