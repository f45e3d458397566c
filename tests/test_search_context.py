"""A passage is found by what its notice says around it: a clause of a notice whose
file has no title line holds only its own words (一、比赛时间), while what the notice is
about is in its opening words (…举办教职工羽毛球比赛). Passages inherit those, their
notice's title and the headings above them as a context field searched below the text;
the snippet still comes from the passage's own words."""
from __future__ import annotations

import pytest

from index.search import items_from_document, open_index, query
from ingest.load import load

# self-written notices: one without a title line (the body starts at the 主送 line), one with
NO_TITLE = """各分工会：
为丰富教职工业余文化生活，校工会定于下月举办教职工羽毛球比赛。现将有关事项通知如下：
一、比赛时间
十一月二十日下午两点，地点在学校体育馆。
二、参赛办法
每个分工会组队一支，每队队员六人，其中女队员不少于两人。
三、其他要求
请各分工会于十一月十日前报名。
校工会
2023年11月1日
"""
TITLED = """关于举办职工象棋比赛的通知
各基层工会：
为活跃职工文化生活，市总工会决定举办职工象棋比赛。现将有关事项通知如下：
一、比赛时间
十二月五日上午九点。
二、报名办法
各基层工会推荐选手两名，于十一月三十日前报名。
市总工会
2023年11月15日
"""


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notices")
    out = []
    for name, text in (("yumaoqiu.txt", NO_TITLE), ("xiangqi.txt", TITLED)):
        (folder / name).write_text(text, encoding="utf-8")
        out += items_from_document(load(folder / name))
    return out


@pytest.fixture(params=["tantivy", "whoosh"])
def ix(request, tmp_path, items):
    ix = open_index(tmp_path / request.param, request.param)
    ix.add(items)
    yield ix
    ix.close()


def test_a_passage_inherits_its_notices_opening_words_title_and_headings(items):
    sections = [it for it in items if it.kind == "section"]
    untitled = [it for it in sections if "象棋" not in it.title]
    assert untitled and all("羽毛球" in it.context for it in untitled)
    assert all("象棋比赛的通知" in it.context for it in sections if "象棋" in it.title)
    assert not [it for it in items if it.kind == "document" and it.context]


def test_a_clause_holding_only_its_heading_is_found_by_its_notices_subject(ix):
    res = ix.search("羽毛球 比赛时间", filters={"kind": "section"})
    assert res.hits and not res.relaxed
    top = res.hits[0]
    assert top.heading == "一、比赛时间" and "羽毛球" not in top.title
    # the snippet is the passage's own text, never what it inherited
    assert "<mark>" in top.snippet and "业余文化生活" not in top.snippet
    # and the other notice's 比赛时间, which is not about 羽毛球, is not among them
    assert all("象棋" not in h.title for h in res.hits)


def test_without_the_context_field_no_passage_holds_every_word(ix, monkeypatch):
    monkeypatch.setattr(query, "CONTEXT_BOOST", 0.0)
    res = ix.search("羽毛球 比赛时间", filters={"kind": "section"})
    assert res.relaxed or not res.hits  # found loosely (some of the words) at best


def test_each_word_is_held_by_the_passage_or_by_its_context(ix):
    # 报名 is in one clause of each notice; only the 羽毛球 notice's clause has 羽毛球 around it
    res = ix.search("羽毛球 报名", filters={"kind": "section"})
    # the passages found (the notice's other sections follow at score 0: common.with_siblings)
    assert [h.heading for h in res.hits if h.score > 0] == ["三、其他要求"]


def test_a_context_cut_a_line_at_a_time_gives_the_tokens_of_the_whole():
    # tantivy cuts each context line once per notice (its lines repeat over the notice's
    # passages); whoosh analyses the whole field: both must index the same words at the
    # same positions
    from collections import Counter
    from pathlib import Path

    from index.search.analysis import analyze, joined_parts
    from index.search.tantivy_engine import _joined_context, analyzer

    root = Path(__file__).resolve().parents[1] / "corpora" / "notices"
    contexts = {it.context for p in sorted(root.glob("*.txt")) for it in items_from_document(load(p)) if it.context}
    assert len(contexts) > 10 and any("\n" in c for c in contexts)
    for c in contexts:
        s = _joined_context(c)
        if s is None:  # a word the analyzer could cut otherwise: indexed from analyze's tokens
            continue
        got = Counter((t.text, t.position) for t in analyzer(joined_parts([s])).pre_tokenize(s).tokens)
        assert got == Counter((t.text, t.pos) for t in analyze(c)), c[:40]
