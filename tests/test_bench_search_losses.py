"""bench/search_losses.py --why: why a graded answer stands below an ungraded passage of the
first page. Passages here are written for the test (keys stand for judged passages)."""
from __future__ import annotations

import pytest

from scripts import load_script


@pytest.fixture(scope="module")
def losses():
    return load_script("bench/search_losses.py")


def _run(losses, texts: dict[str, str], order: list[str], notices: dict[str, str], relevant: dict[str, int]):
    q = {"query": "疗养 报销", "relevant": relevant}
    return losses.why(q, (order, {k: i for i, k in enumerate(order)}), texts, notices)


def test_a_passage_holding_more_of_the_query_is_named_as_holding_more(losses):
    texts = {"a": "职工疗养费用按规定报销。", "b": "组织职工疗养。"}
    got = _run(losses, texts, ["a", "b"], {"a": "n1", "b": "n2"}, {"b": 2})
    assert got is not None and got.startswith("the passage above holds more")


def test_ties_on_words_are_told_apart_by_item_kind_and_notice(losses):
    texts = {"n1@doc": "疗养 报销", "n1#s": "疗养 报销", "n2#s": "疗养 报销", "n1#t": "疗养 报销"}
    notices = {"n1@doc": "n1", "n1#s": "n1", "n1#t": "n1", "n2#s": "n2"}
    assert _run(losses, texts, ["n1@doc", "n1#s"], notices, {"n1#s": 2}).endswith("a document item against a section")
    assert _run(losses, texts, ["n1#t", "n1#s"], notices, {"n1#s": 2}).endswith("another section of the same notice")
    assert _run(losses, texts, ["n2#s", "n1#s"], notices, {"n1#s": 2}).endswith("another notice")


def test_no_reason_when_the_first_page_holds_no_ungraded_passage_above_an_answer(losses):
    texts = {"a": "疗养 报销", "b": "疗养"}
    assert _run(losses, texts, ["a", "b"], {}, {"a": 2, "b": 1}) is None
    assert _run(losses, texts, ["a", "b"], {}, {"a": 2}) is None  # the ungraded passage stands below
