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
    for unit, (kind, name) in QUANTITY["units"].items():
        if unit in ("年", "月", "日", "万"):
            continue  # read only with a bound word or a money word (the examples cover them)
        found = find_quotas(f"各单位报送不少于3{unit}")
        assert [(q.kind, q.min, q.unit) for q in found] == [(kind, 3, name)], unit


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
