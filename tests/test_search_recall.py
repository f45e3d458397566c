"""Recall of Chinese queries, run against both engines on a real index on disk:
what a user of an IK/Elasticsearch-style search expects to find when the query is
worded or cut differently from the text (compound words, synonyms written as
separate words, phrases inside a longer dictionary word, traditional characters,
Chinese-numeral years, 文号 bracket styles). Each text is written inline so the
expected answers can be checked by reading it."""
from __future__ import annotations

import pytest

from index.search import ENGINES, Item, open_index

TEXTS = {
    "rider": "外卖平台的骑手反映站点没有休息场所，希望增设饮水点。",
    "xiaoge": "夏季慰问外卖小哥和快递员，送去防暑降温用品。",
    "wage": "企业拖欠职工工资涉及职工50人以上的，应当在24小时内报告。",
    "reform": "全市产业工人队伍建设改革推进会在市总工会召开。",
    "acftu": "中华全国总工会印发关于加强新就业形态劳动者权益保障的意见。",
    "congress": "各企业要按期召开职工代表大会，审议集体合同草案。",
    "cadre": "组织工会干部到基层蹲点调研，每人每年不少于一个月。",
    "app": "职工反映APP无法登录，已联系平台技术人员处理。",
    "cn_year": "二〇二三年三月十日印发，自印发之日起施行。",
    "ar_year": "本办法自2024年1月1日起施行。",
    "docno": "根据九工字〔2023〕5号文件精神，结合本地实际制定本方案。",
    "jieshao": "会议介绍了劳动模范的先进事迹，号召职工向他们学习。",
}
ITEMS = [Item(id=k, kind="log", doc_id=k, title="", text=v) for k, v in TEXTS.items()]


@pytest.fixture(scope="module", params=ENGINES)
def ix(request, tmp_path_factory):
    index = open_index(tmp_path_factory.mktemp(request.param) / "idx", request.param)
    index.add(ITEMS)
    yield index
    index.close()


def found(ix, q) -> set[str]:
    res = ix.search(q, per_page=100, facets=())
    assert not res.relaxed, q  # found by the strict query, not by the any-word fallback
    return {h.id for h in res.hits}


def test_synonym_written_as_separate_words(ix):
    # 外卖骑手 ~ 外卖小哥: the text says 外卖 … 骑手 apart, or 外卖小哥
    assert found(ix, "外卖骑手") >= {"rider", "xiaoge"}
    assert found(ix, "外卖配送员") >= {"rider", "xiaoge"}


def test_compound_word_finds_its_parts_in_order_or_apart(ix):
    # 拖欠工资 is one dictionary word; the text says 拖欠职工工资
    assert "wage" in found(ix, "拖欠工资")
    # 欠薪's synonym 拖欠工资 reaches it too
    assert "wage" in found(ix, "欠薪")
    # 职工代表 (one word) is inside 职工代表大会, which the text cuts 职工 + 代表大会
    assert "congress" in found(ix, "职工代表")
    # 工会干部 … 蹲点调研: every part is there
    assert found(ix, "工会干部 蹲点调研") == {"cadre"}


def test_exact_compound_ranks_above_scattered_parts(ix):
    extra = Item(id="apart", kind="log", doc_id="apart", text="工会组织慰问干部家属，了解职工困难。")
    ix.add([extra])
    try:
        hits = [h.id for h in ix.search("工会干部", facets=()).hits]
        assert hits[0] == "cadre" and "apart" in hits
    finally:
        ix.delete(["apart"])


@pytest.mark.parametrize("phrase, expect", [
    ('"工人队伍"', {"reform"}),          # inside the one dictionary word 产业工人队伍建设改革
    ('"产业工人队伍"', {"reform"}),
    ('"队伍建设改革"', {"reform"}),
    ('"全国总工"', {"acftu"}),           # inside 中华全国总工会
    ('"职工代表"', {"congress"}),        # across 职工 | 代表大会
    ('"表大会"', {"congress"}),          # the end of one word: 代表大会
    ('"集体合同"', {"congress"}),
    ('"劳动模范"', {"jieshao"}),
])
def test_phrase_finds_its_characters_contiguous(ix, phrase, expect):
    assert found(ix, phrase) == expect


def test_phrase_still_needs_the_characters_together(ix):
    # 工会 and 干部 both occur in "cadre" only as 工会干部; 干部工会 occurs nowhere
    assert found(ix, '"干部工会"') == set()
    assert ix.search('"产业队伍"', facets=()).total == 0
    # 模范 … 职工 are both in "jieshao", but not next to each other
    assert ix.search('"模范职工"', facets=()).total == 0


def test_full_width_and_case(ix):
    assert found(ix, "ＡＰＰ") == found(ix, "app") == found(ix, "App") == {"app"}
    assert found(ix, '"ＡＰＰ无法登录"') == {"app"}


def test_traditional_characters_in_the_query(ix):
    assert found(ix, "工會幹部") == {"cadre"}
    assert found(ix, '"產業工人"') == {"reform"}
    assert found(ix, "中華全國總工會") == {"acftu"}


def test_years_in_chinese_numerals_and_digits(ix):
    assert "cn_year" in found(ix, "2023年")
    assert "ar_year" in found(ix, "二〇二四年")
    assert "cn_year" in found(ix, '"二〇二三年三月"')
    assert "ar_year" not in found(ix, "2023年")


@pytest.mark.parametrize("q", ["九工字〔2023〕5号", "九工字[2023]5号", "九工字（2023）5号", "九工字(2023)5号",
                               '"九工字[2023]5号"', "九工字【2023】5号"])
def test_doc_number_in_any_bracket_style(ix, q):
    assert found(ix, q) == {"docno"}


def test_doc_number_field_with_round_brackets(tmp_path):
    for engine in ENGINES:
        ix = open_index(tmp_path / engine, engine)
        ix.add([Item(id="n1", kind="document", doc_id="n1", text="通知正文", doc_number="九工字〔2023〕5号"),
                Item(id="n2", kind="document", doc_id="n2", text="通知正文", doc_number="九工字〔2023〕6号")])
        for q in ("文号:九工字（2023）5号", "doc_number:九工字(2023)5号", "文号:九工字〔2023〕5号"):
            assert {h.id for h in ix.search(q, facets=()).hits} == {"n1"}, (engine, q)
        ix.close()


def test_both_engines_agree_on_recall_queries(tmp_path):
    idx = {e: open_index(tmp_path / e, e) for e in ENGINES}
    for one in idx.values():
        one.add(ITEMS)
    for q in ("外卖骑手", "拖欠工资", '"工人队伍"', '"职工代表"', "工會幹部", "2023年", "九工字（2023）5号"):
        got = {e: [h.id for h in one.search(q, per_page=100, facets=()).hits] for e, one in idx.items()}
        assert set(got["tantivy"]) == set(got["whoosh"]), q
    for one in idx.values():
        one.close()


def test_compound_parts_are_searched_only_where_affordable():
    """On a large index where both parts of a compound are common words, matching the
    parts means checking positions in most items: only the whole word is searched."""
    from index.search.query import COMPOUND_MAX_DF, PBool, PCompound, PPhrase, PTerm

    c = PCompound("职工之家", ("职工", "之家"))
    few = c.expanded({"职工之家": 4, "职工": 10, "之家": 6}.get)
    assert isinstance(few, PBool) and PPhrase(("职工", "之家"), slop=3) in few.should
    common = {"职工之家": 100, "职工": COMPOUND_MAX_DF * 10, "之家": COMPOUND_MAX_DF + 1}
    assert c.expanded(common.get) == PTerm("职工之家")
    # one rare part is enough: the positions are checked only where it occurs
    assert isinstance(c.expanded({"职工之家": 1, "职工": COMPOUND_MAX_DF * 10, "之家": 3}.get), PBool)
    # the rarer part never occurs outside the word: the parts cannot find anything more
    assert c.expanded({"职工之家": 6, "职工": 10, "之家": 6}.get) == PTerm("职工之家")
