"""Search that finds what people mean: abbreviations (from the dictionary, the
index's term statistics and what the corpus itself defines), mined vocabulary,
and questions (interrogatives stripped, the quantity asked for favoured).
Texts here are written for the tests."""
from __future__ import annotations

import pytest

from index.search import Item, analysis, open_index
from index.search.mining import definitions, mine
from index.search.questions import markers, parse_question


def _items(texts: dict[str, str]) -> list[Item]:
    return [Item(id=k, kind="section", doc_id=k.split(":")[0], text=t, title="通知") for k, t in texts.items()]


@pytest.fixture(params=["tantivy", "whoosh"])
def engine(request):
    return request.param


def _ids(ix, q):
    return [h.id for h in ix.search(q, per_page=20).hits]


def test_an_abbreviation_finds_the_name_it_stands_for_ranked_below_itself(tmp_path, engine):
    ix = open_index(tmp_path / "i", engine)
    ix.add(_items({"A:1": "市总工会女职工委员会召开年度座谈会。", "B:1": "工会召开年度座谈会。",
                   "C:1": "女工委负责组织本次座谈会。"}))
    got = _ids(ix, "女工委")
    assert "A:1" in got and "B:1" not in got
    assert got.index("C:1") < got.index("A:1")  # the word as typed first
    ix.close()


@pytest.fixture
def set_mined(monkeypatch):
    """set_mined(lines, min_sim): what mining found, for this test only (lines as in
    corpora/synonyms_mined.txt)."""
    def set_(lines: list[str], min_sim: float) -> None:
        monkeypatch.setattr(analysis, "_mined", analysis.Mined(lines, min_sim=min_sim))
        analysis.mined_synonyms.cache_clear()
        analysis.mined_names.cache_clear()
    yield set_
    analysis.mined_synonyms.cache_clear()
    analysis.mined_names.cache_clear()


@pytest.fixture
def no_mined(set_mined):
    """The rules alone: no mined pair (corpora/synonyms_mined.txt may list 社保 / 社会保险)."""
    set_mined([], 1.0)


def test_a_dictionary_word_is_expanded_only_where_the_index_rarely_holds_it(tmp_path, engine, no_mined):
    long_form = {f"L{i}:1": f"第{i}项：用人单位按时缴纳社会保险费。" for i in range(3)}
    ix = open_index(tmp_path / "rare", engine)
    ix.add(_items({**long_form, "S:1": "社保卡办理须知。"}))
    assert set(long_form) <= set(_ids(ix, "社保"))
    ix.close()
    ix = open_index(tmp_path / "common", engine)
    common = {f"S{i}:1": f"社保第{i}次缴费提醒。" for i in range(analysis_rare() + 2)}
    ix.add(_items({**long_form, **common}))
    assert not set(long_form) & set(_ids(ix, "社保"))  # common enough: the word means itself here
    ix.close()


def analysis_rare() -> int:
    from index.search.query import ABBR_RARE_DF

    return ABBR_RARE_DF


def test_definitions_the_documents_state_are_mined():
    pairs = definitions("为做好工作，经中华全国总工会（以下简称“全总”）同意，现通知如下。")
    assert pairs and pairs[0][0] == "全总"
    short, long = pairs[0]
    assert long.startswith(short[0]) and long != short
    assert all(c in long for c in short) and "中华全国总工会".endswith(long)


def test_mining_keeps_repeated_names_and_similar_words_that_share_a_character():
    texts = ["各单位召开教职工代表大会，审议工作报告。社保缴费按时完成。",
             "学校召开教职工代表大会，讨论提案。社会保险缴费按时完成。",
             "本次教职工代表大会选举代表。"]
    defs, names, sims = mine(texts)
    assert any("代表大会" in n for n in names)
    assert all(set(a) & set(b) for (a, b), _ in sims)


def test_mined_names_and_definitions_expand_abbreviations(tmp_path, engine, set_mined):
    set_mined(["def 工代会 工会会员代表大会", "name 教职工代表大会"], 0.5)
    ix = open_index(tmp_path / "m", engine)
    ix.add(_items({"A:1": "召开第五届教职工代表大会第二次会议。", "B:1": "召开工会会员代表大会。",
                   "C:1": "召开职工座谈会。"}))
    assert _ids(ix, "教代会") == ["A:1"]
    assert _ids(ix, "工代会") == ["B:1"]
    ix.close()


def test_words_holding_the_abbreviation_whole_leave_room_for_the_name_it_stands_for(tmp_path, engine, set_mined):
    # 经审办 / 经审委 hold 经审 and are matched by it anyway; ranked by how many texts hold
    # them they took every place an expansion has, and 经费审查 was never searched
    set_mined(["name 经审办主任", "name 经费审查"], 0.5)
    ix = open_index(tmp_path / "w", engine)
    ix.add(_items({"A:1": "经费审查委员会委员由大会选举产生。",
                   **{f"B{i}:1": f"经审办主任第{i}次参加会议。" for i in range(3)},
                   **{f"C{i}:1": f"经审委第{i}次开会。" for i in range(3)},
                   "D:1": "工会召开年度座谈会。"}))
    got = _ids(ix, "经审")
    assert "A:1" in got and "D:1" not in got
    assert all(got.index(f"B{i}:1") < got.index("A:1") for i in range(3))  # the word as typed first
    ix.close()


def test_interrogatives_are_recognised_with_the_kind_of_answer():
    assert parse_question("帮扶资金 审批") is None
    rest, kinds = parse_question("困难职工子女上大学每年能补助多少钱")
    assert "多少" not in rest and "money" in kinds
    assert "date" in parse_question("申请表什么时候交")[1]
    assert "frequency" in parse_question("一年能领几次慰问金")[1]
    assert parse_question("外籍教师能否报名")[0].replace(" ", "").startswith("外籍教师")
    # how long is no date: 几天, 多久, 多长, 多少秒 ask a duration; 多久…一次 asks how often
    for q in ("职代会开几天", "公示期多久", "会期多长", "视频要多少秒", "休养几个月"):
        assert parse_question(q)[1] == {"duration"}, q
    assert "frequency" in parse_question("会员信息多久更新一次")[1]


def test_passages_are_marked_with_the_quantities_they_state():
    assert "zzqmoney" in markers("每人补助500元")
    assert "zzqdate" in markers("于3月20日前报送")
    assert "zzqfrequency" in markers("每年慰问一次")
    assert markers("认真做好宣传工作") == []
    for said in ("会期一天", "会议两天半", "公示3至5天", "时间不少于3个月", "视频时长30秒"):
        assert "zzqduration" in markers(said), said
    assert "zzqduration" not in markers("于3月20日前报送")


def test_a_how_long_question_ranks_the_passage_stating_a_duration_first(tmp_path, engine):
    ix = open_index(tmp_path / "d", engine)
    ix.add(_items({
        "A:1": "代表大会于5月20日召开，请代表按时报到。",
        "B:1": "代表大会会期两天，请代表安排好工作。",
        "C:1": "代表大会选举产生新一届委员会。"}))
    assert _ids(ix, "代表大会开几天")[0] == "B:1"
    ix.close()


def test_a_question_ranks_the_passage_holding_the_answer_first(tmp_path, engine):
    ix = open_index(tmp_path / "q", engine)
    ix.add(_items({
        "A:1": "困难职工慰问工作要做细做实，关心困难职工生活，慰问要送到职工家中。",
        "B:1": "对困难职工的慰问每年不超过两次。",
        "C:1": "新春联欢会的节目安排。"}))
    got = _ids(ix, "困难职工一年能领几次慰问")
    assert got[0] == "B:1" and "C:1" not in got
    ix.close()


def test_mining_a_missing_folder_fails_with_one_line(tmp_path, capsys):
    from index.search.mining import main

    out = tmp_path / "mined.txt"
    assert main([str(tmp_path / "nowhere"), "-o", str(out)]) == 2
    assert not out.exists() and len(capsys.readouterr().err.strip().splitlines()) == 1


def test_a_text_in_traditional_characters_is_found_by_simplified_words(tmp_path, engine):
    ix = open_index(tmp_path / "t", engine)
    ix.add(_items({"T:1": "後勤工會特舉辦員工拔河比賽，每隊十人。", "S:1": "教职工乒乓球比赛报名。"}))
    assert _ids(ix, "拔河比赛") == ["T:1"]
    assert _ids(ix, "拔河比賽") == ["T:1"]
    ix.close()


def test_a_colloquial_word_the_texts_lack_finds_its_thesaurus_synonym(tmp_path, engine):
    """照相 is what people say, 摄影 what notices print (同义词词林, synonym groups only)."""
    ix = open_index(tmp_path / "t", engine)
    ix.add(_items({"A:1": "开展职工摄影作品征集活动。", "B:1": "举办职工乒乓球比赛。",
                   "C:1": "举办职工摄影比赛，欢迎报名。"}))
    got = _ids(ix, "照相 比赛")
    assert got[0] == "C:1" and "A:1" in got  # both words' senses first, then the synonym alone
    ix.close()


def test_the_word_typed_is_not_widened_where_the_texts_hold_it(tmp_path, engine):
    ix = open_index(tmp_path / "t2", engine)
    ix.add(_items({"A:1": "校门口照相馆开业。", "B:1": "举办职工摄影展。"}))
    assert _ids(ix, "照相") == ["A:1"]
    ix.close()


def test_thesaurus_groups_of_one_kind_are_not_synonyms():
    assert "摄影" in analysis.thesaurus_synonyms("照相")
    assert "国庆节" not in analysis.thesaurus_synonyms("中秋节")  # a "#" group: two festivals
    assert analysis.thesaurus_distinct("中秋节", "国庆节")
    assert not analysis.thesaurus_distinct("照相", "摄影")


def test_the_unit_after_an_interrogative_names_the_kind_asked():
    rest, kinds = parse_question("年度总结要写多少字")
    assert kinds == {"count"} and "字" not in rest
    assert parse_question("申报材料交几份")[1] == {"count"}  # 交 alone does not make it money
    assert "money" in parse_question("补助标准多少元")[1]


def test_a_share_asked_with_ji_cheng_is_a_percentage_not_a_count():
    rest, kinds = parse_question("获奖人数最多占几成")
    assert kinds == {"percent"} and "成" not in rest
    assert parse_question("参加人数占百分之几")[1] == {"percent"}
    assert "percent" not in parse_question("有多少成员单位参加")[1]  # 成员 is no share


def test_a_clause_is_marked_with_what_its_heading_and_checklist_duties_state():
    from index.search.common import text_fields

    clause = Item(id="D:1", kind="section", doc_id="D", heading="每人补助500元", text="", title="通知")
    assert "zzqmoney" in text_fields(clause)["meta"]
    assert "zzqdate" in markers("资金按程序发放", [{"deadlines": [{"text": "1月底前"}]}])
    assert "zzqduration" in markers("公示后审批", [{"quotas": [{"kind": "duration", "text": "3至5天"}]}])
    assert markers("认真做好宣传工作", [{"quotas": [], "deadlines": [], "frequency": None}]) == []


def test_mining_drops_pairs_the_thesaurus_knows_as_two_things_and_reads_usage_texts():
    texts = [f"{w}前夕工会组织慰问困难职工并发放慰问品。" for w in ("中秋节", "国庆节") for _ in range(3)]
    usage = ["职工说社保没交，工会帮助补缴社会保险。", "社保断缴，社会保险经办机构催缴。"] * 2
    defs, names, sims = mine(texts, usage)
    pairs = {frozenset(p) for p, _ in sims}
    assert frozenset(("中秋节", "国庆节")) not in pairs
    assert not any("社保" in n for n in names)  # usage texts only inform word similarity
