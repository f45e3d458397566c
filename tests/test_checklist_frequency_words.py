"""The frequency reader's word list lives in corpora/checklist/frequency.toml with example
sentences; each example is read to the periods it lists, and every word names a period of the
gold SCHEMA."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from nlp.checklist.frequency import find_frequencies

ROOT = Path(__file__).resolve().parents[1]
WORDS = tomllib.loads((ROOT / "corpora" / "checklist" / "frequency.toml").read_text(encoding="utf-8"))
PERIODS = {"day", "week", "half-month", "month", "two-months", "quarter", "half-year", "year"}


@pytest.mark.parametrize("example", WORDS["example"], ids=lambda e: e["text"])
def test_each_example_reads_to_its_periods(example):
    assert [f.every for f in find_frequencies(example["text"])] == example["every"]


def test_every_word_names_a_schema_period():
    for table in ("every", "once_per"):
        for word, period in WORDS[table].items():
            assert period in PERIODS, word
    # once-per words are read in 慰问情况X一报 (the reader's own pattern lists them too)
    for word, period in WORDS["once_per"].items():
        assert [f.every for f in find_frequencies(f"慰问情况{word}一报")] == [period], word
