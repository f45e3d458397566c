"""Doers named by what they do (参加比赛的单位请…) are read from corpora/checklist/actors.toml's words;
each example there is a sentence of ours read to the doer it lists (none for an object or a clause
with no ask), and the rules give such a doer to its hand-in line instead of the 主送 units."""
import pytest

from nlp.checklist.actors import clause_actors
from nlp.checklist.words import load

WORDS = load("actors")


@pytest.mark.parametrize("example", WORDS["example"], ids=lambda e: e["text"])
def test_each_example_reads_to_its_doer(example):
    m = clause_actors(example["text"])
    assert (m.names if m else []) == ([example["doer"]] if example["doer"] else [])


def test_hand_in_line_keeps_its_doer_over_the_addressees():
    from ingest.load import load_bytes
    from nlp.checklist.extract import extract_rules

    text = ("关于举办教职工象棋比赛的通知\n各分工会：\n校工会定于5月举办教职工象棋比赛。\n"
            "一、报名\n愿意参赛的单位请于4月20日前将报名表报送至校工会办公室。\n校工会\n2031年4月1日\n")
    items = extract_rules(load_bytes(text.encode(), "n.txt")).obligations
    line = next(o for o in items if "报名表" in o.text)
    assert line.actors == ["愿意参赛的单位"]
