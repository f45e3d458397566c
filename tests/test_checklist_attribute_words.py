"""The quota and deadline readers' word lists live in corpora/checklist/quantity.toml and
deadline.toml with example sentences; each example is read to the values it lists, and every
word listed is read by the reader in a sentence built around it."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from nlp.checklist.deadlines import find_deadlines
from nlp.checklist.quantities import find_quotas

ROOT = Path(__file__).resolve().parents[1]
QUANTITY = tomllib.loads((ROOT / "corpora" / "checklist" / "quantity.toml").read_text(encoding="utf-8"))
DEADLINE = tomllib.loads((ROOT / "corpora" / "checklist" / "deadline.toml").read_text(encoding="utf-8"))


def _value(v):
    return None if v == "" else v  # (TOML has no null: "" is an open bound or no day)


@pytest.mark.parametrize("example", QUANTITY["example"], ids=lambda e: e["text"])
def test_each_quantity_example_reads_to_its_quotas(example):
    found = find_quotas(example["text"], prizes=example.get("prizes", True))
    assert [(q.min, q.max, q.unit) for q in found] == [(_value(lo), _value(hi), unit) for lo, hi, unit in example["quotas"]]


@pytest.mark.parametrize("example", DEADLINE["example"], ids=lambda e: e["text"])
def test_each_deadline_example_reads_to_its_dates(example):
    found = find_deadlines(example["text"], example["year"])
    assert [(d.month, d.day) for d in found] == [tuple(_value(x) for x in d) for d in example["due"]]


def test_every_unit_reads_as_its_kind():
    for unit, (kind, name, *scale) in QUANTITY["units"].items():
        if unit in ("年", "月", "日", "万"):
            continue  # read only with a bound word or a money word (the examples cover them)
        found = find_quotas(f"各单位报送不少于3{unit}")
        assert [(q.kind, q.min, q.unit) for q in found] == [(kind, 3 * (scale[0] if scale else 1), name)], unit


def test_bound_words_bound_the_side_they_name():
    b = QUANTITY["bounds"]
    for word in b["lower"]:
        assert [(q.min, q.max) for q in find_quotas(f"参训人员{word}20人")] == [(20, None)], word
    for word in b["upper"]:
        assert [(q.min, q.max) for q in find_quotas(f"参训人员{word}20人")] == [(None, 20)], word
    for word in b["after_lower"]:
        assert [(q.min, q.max) for q in find_quotas(f"参训人员20人{word}")] == [(20, None)], word
    for word in b["after_upper"]:
        assert [(q.min, q.max) for q in find_quotas(f"参训人员20人{word}")] == [(None, 20)], word


def test_every_closing_word_makes_a_date_due():
    for word in DEADLINE["time"]["before"]:
        assert [(d.month, d.day) for d in find_deadlines(f"材料于5月10日{word}报送", 2024)] == [(5, 10)], word
    for part in DEADLINE["time"]["day_parts"]:
        assert [(d.month, d.day) for d in find_deadlines(f"材料于5月10日{part}报送", 2024)] == [(5, 10)], part


def test_every_time_label_reads_the_date_after_it():
    labels = DEADLINE["labels"]
    for word in labels["time"]:
        for form in (f"报名{word}2024年5月20日", f"报名{word} 5月20日"):
            assert [(d.month, d.day) for d in find_deadlines(form, 2024)] == [(5, 20)], form
        for to in labels["to"]:
            assert [(d.month, d.day) for d in find_deadlines(f"截止{word}{to}5月20日", 2024)] == [(5, 20)], word + to
        for colon in labels["colon"]:
            form = f"比赛{word}{colon}2024年6月"
            assert [(d.month, d.day) for d in find_deadlines(form, 2024)] == [(6, None)], form
            assert find_deadlines(f"比赛{word}{colon}6月至9月", 2024) == [], form  # a span of months


def test_every_holiday_dates_a_decided_activity():
    for name, (month, day) in DEADLINE["holidays"].items():
        for after in DEADLINE["holiday_after"]["words"]:
            form = f"工会决定于{name}{after}举办职工书画展"
            assert [(d.month, d.day) for d in find_deadlines(form, 2024)] == [(month, day)], form
        assert find_deadlines(f"庆祝{name}书画展", 2024) == [], name  # a holiday's name alone dates nothing


def test_a_start_date_is_due_only_for_work_that_starts():
    for verb in DEADLINE["start"]["verbs"]:
        form = f"学校决定于2024年4月1日起{verb}健步走活动"
        assert [(d.month, d.day) for d in find_deadlines(form, 2024)] == [(4, 1)], form
    assert find_deadlines("新标准于2024年4月1日起施行", 2024) == []


def test_a_finished_step_is_a_relative_deadline_and_a_word_with_wan_is_not():
    assert [d.recurrence for d in find_deadlines("请在每次练完后登记里程", 2024)] == ["relative"]
    for stop in DEADLINE["relative"]["finished_not"]:
        if f"完{stop}" in DEADLINE["relative"]["done"]:
            continue  # (完成后 is read as a finished step by the done words)
        assert find_deadlines(f"请各单位在方案完{stop}后报送", 2024) == [], stop


def test_an_awaited_step_is_a_relative_deadline_and_a_word_with_dai_is_not():
    rel = DEADLINE["relative"]
    assert [d.recurrence for d in find_deadlines("待主管部门批复文件后再行组织", 2024)] == ["relative"]
    for word in rel["no_objection"]:
        assert [d.recurrence for d in find_deadlines(f"名单经公示{word}后上报", 2024)] == ["relative"], word
    for before in rel["awaited_not_before"]:
        assert find_deadlines(f"各单位要{before}待各类来访职工后登记", 2024) == [], before
    for after in rel["awaited_not_after"]:
        assert find_deadlines(f"各单位要落实待{after}情况后报送", 2024) == [], after


def test_every_act_of_handing_in_and_every_start_or_end_times_a_step():
    from nlp.checklist.deadlines import act_times

    rel = DEADLINE["relative"]
    for word in rel["at_act"]:
        assert [(d.text, d.recurrence) for d in act_times(f"材料{word}时请写明联系人", 2024)] == [(f"{word}时", "relative")], word
        assert act_times(f"{word}时间以通知为准", 2024) == [], word
    for word in rel["ends"]:
        assert [(d.text, d.recurrence) for d in act_times(f"请于演出{word}前十分钟到场", 2024)] == [
            (f"演出{word}前十分钟", "relative")], word
