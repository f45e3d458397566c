"""Actor precision in our own checklist scores: the reference scorer counts a gold actor as
found when any name given to the duty holds it, so listing more names can only help there.
`evaluate.score` also counts the names given, so that extra actors show."""
from __future__ import annotations

from nlp.checklist.evaluate import micro_average, score

GOLD = {"obligations": [
    {"text": "各分会须于五月十日前将报名表报送校工会", "tier": "hard", "actors": ["各分会"]},
    {"text": "比赛用球由组委会统一提供", "tier": "hard", "actors": []},
]}


def _pred(first: list[str], second: list[str]) -> dict:
    return {"obligations": [
        {"text": "各分会须于五月十日前将报名表报送校工会", "actors": first},
        {"text": "比赛用球由组委会统一提供", "actors": second},
    ]}


def test_extra_actors_lower_precision_not_accuracy():
    exact = score(GOLD, _pred(["各分会"], []))["attributes"]["actors"]
    padded = score(GOLD, _pred(["各分会", "校工会", "全体教师"], []))["attributes"]["actors"]
    assert exact["accuracy"] == padded["accuracy"] == 1.0
    assert exact["precision"] == 1.0
    assert padded["given"] == 3 and padded["given_correct"] == 1
    assert padded["precision"] < exact["precision"]


def test_a_name_given_where_gold_names_none_is_wrong():
    a = score(GOLD, _pred(["各分会"], ["校工会"]))["attributes"]["actors"]
    assert (a["given"], a["given_correct"]) == (2, 1)


def test_a_name_within_the_gold_one_is_right_and_counted_once():
    # the scorer's containment rule, both ways; the same name on two covering items is one name
    pred = {"obligations": [{"text": "各分会须于五月十日前将报名表报送校工会", "actors": ["分会"]},
                            {"text": "各分会须于五月十日前将报名表报送", "actors": ["分会"]}]}
    a = score({"obligations": GOLD["obligations"][:1]}, pred)["attributes"]["actors"]
    assert (a["given"], a["given_correct"], a["precision"]) == (1, 1, 1.0)


def test_missed_duty_gives_no_names_and_pooling_adds_counts():
    missed = score(GOLD, {"obligations": []})["attributes"]["actors"]
    assert missed["given"] == 0 and missed["precision"] is None
    one = score(GOLD, _pred(["各分会", "校工会"], []))
    two = score(GOLD, _pred(["各分会"], []))
    pooled = micro_average([one, two])["attributes"]["actors"]
    assert (pooled["given"], pooled["given_correct"]) == (3, 2)
    assert pooled["precision"] == round(2 / 3, 3)
