"""The second look at the top of a result (index.search.rerank): passages holding more
of what was asked rise above passages that score on one common word; a one-word
query that finds nothing is retried with what the word may be said as.
Texts here are written for the tests."""
from __future__ import annotations

import pytest

from index.search import Item, ltr, open_index, query, questions, rerank, vectors
from index.search.query import plan
from index.search.rerank import Concept


@pytest.fixture(params=["tantivy", "whoosh"])
def engine(request):
    return request.param


@pytest.fixture
def hand_only():
    """The hand formula alone, without the learned ranker (index.search.ltr): for tests of
    what one of its settings changes (the formula stays what orders with the ranker off,
    and the page saying nothing is read from)."""
    ltr.use(None)
    yield
    ltr._loaded = False  # the shipped model again


def _section(i: str, heading: str, text: str, title: str = "通知") -> Item:
    return Item(id=i, kind="section", doc_id=i.split(":")[0], heading=heading, text=text, title=title)


def _ids(ix, q):
    return [h.id for h in ix.search(q, per_page=20).hits]


ITEMS = [
    # short headings holding a word or two of the question score high on BM25 alone
    _section("A:1", "一、图书", ""),
    _section("A:2", "二、图书", "图书目录另行发布。"),
    _section("A:3", "三、藏书更新", ""),
    _section("B:1", "四、管理办法", "职工书屋的藏书由工会统一采购，每年更新两次，每次不少于一百册。"),
    _section("C:1", "五、开放时间", "书屋每周开放三天，借阅图书须登记。"),
]


def test_a_question_ranks_the_clause_holding_most_of_its_words_first(tmp_path, engine, monkeypatch):
    ix = open_index(tmp_path / "i", engine)
    ix.add(ITEMS)
    assert _ids(ix, "职工书屋的藏书多久更新一次")[0] == "B:1"
    ix.close()


def test_without_the_second_look_short_headings_win(tmp_path, engine, monkeypatch):
    # what the second look changes: the same question without it puts a heading first
    # (and without the frequency marker 多久…一次 asks for, which lifts the answer alone)
    monkeypatch.setattr(query, "QUESTION_BOOST", 0.0)
    monkeypatch.setattr(rerank, "COVER_WEIGHT", 0.0)
    monkeypatch.setattr(rerank, "DOC_PRIOR", 0.0)
    ix = open_index(tmp_path / "i", engine)
    ix.add(ITEMS)
    assert _ids(ix, "职工书屋的藏书多久更新一次")[0] != "B:1"
    ix.close()


def test_pages_of_a_reranked_result_neither_repeat_nor_lose_a_hit(tmp_path, engine):
    ix = open_index(tmp_path / "p", engine)
    ix.add([_section(f"D{i}:1", f"第{i}条", f"工会组织职工{'参加' * (i % 4)}活动，经费由工会列支{i}元。") for i in range(30)])
    whole = [h.id for h in ix.search("工会 活动 经费", per_page=30).hits]
    paged = [h.id for p in (1, 2, 3) for h in ix.search("工会 活动 经费", page=p, per_page=10).hits]
    assert paged == whole[:30] and len(set(paged)) == 30
    ix.close()


def test_rerank_weighs_concepts_by_rarity():
    rows = [(10.0, "common", {"kind": "section", "text": "工会工会工会"}),
            (6.0, "both", {"kind": "section", "text": "工会组织钓鱼比赛"})]
    df = {"工会": 100, "钓鱼": 1}.get
    out = rerank.rerank(rows, [Concept("工会", ("工会",)), Concept("钓鱼", ("钓鱼",))], lambda w: df(w, 0), 100)
    assert [r[1] for r in out] == ["both", "common"]
    # one concept: nothing to weigh, the engine's order stays
    assert rerank.rerank(rows, [Concept("工会", ("工会",))], lambda w: 1, 100) == rows


def test_concepts_come_from_the_words_asked_not_the_interrogative_or_negations():
    words = {c.word for c in plan("困难职工一年能领几次慰问金").concepts}
    assert "几次" not in words and {"困难职工", "慰问金"} <= words
    assert "骑手" not in {c.word for c in plan("外卖 -骑手").concepts}


def test_a_one_word_query_that_finds_nothing_is_retried_with_its_parts(tmp_path, engine, monkeypatch):
    ix = open_index(tmp_path / "r", engine)
    ix.add([_section("E:1", "一、评比", "请各分会于月底前完成本年度先进评比。"), _section("F:1", "二、其他", "会议另行通知。")])
    # the retry itself; whether a page holding the compound's head alone is worth showing
    # is SILENT_COVER's call, which says no in a two-item index (every idf extreme)
    monkeypatch.setattr(rerank, "SILENT_COVER", 0.0)
    # (年终评比: a dictionary word no synonym list pairs; 年终总结 is in synonyms_colloquial.txt)
    res = ix.search("年终评比")
    assert res.relaxed and [h.id for h in res.hits] == ["E:1"]
    ix.close()


def test_a_word_said_alike_counts_in_part(monkeypatch):
    rows = [(10.0, "other", {"kind": "section", "text": "职工篮球比赛报名"}),
            (9.0, "alike", {"kind": "section", "text": "职工摄影比赛报名"})]
    cs = [Concept("照相", ("照相",), near=("摄影",)), Concept("比赛", ("比赛",))]
    assert rerank.rerank(rows, cs, lambda w: 1, 100)[0][1] == "alike"
    monkeypatch.setattr(rerank, "NEAR_CREDIT", 0.0)
    assert rerank.rerank(rows, cs, lambda w: 1, 100)[0][1] == "other"


def test_word_vector_neighbours_are_other_words_used_alike():
    near = vectors.neighbours("照相")
    assert "拍照" in near and not any("照相" in w for w in near)
    assert vectors.neighbours("并无此词语") == ()


def test_a_colloquial_query_ranks_the_passage_said_in_other_words_first(tmp_path, engine):
    ix = open_index(tmp_path / "c", engine)
    ix.add([_section("G:1", "一、篮球比赛", "各分会组队参加篮球比赛，报名截止本月底。"),
            _section("H:1", "二、摄影比赛", "职工摄影比赛作品请于本月底前提交。"),
            _section("K:1", "三、比赛规则", "比赛规则另行通知。")])
    res = ix.search("照相 比赛")
    assert res.relaxed and res.hits[0].id == "H:1"
    ix.close()


SPORTS = [
    _section("P:1", "一、乒乓球比赛", "各分会组队参加乒乓球比赛，每队五人。"),
    _section("P:2", "二、比赛规则", "比赛规则另行通知。"),
    _section("Q:1", "三、拔河比赛", "拔河比赛每队十人，其中女职工不少于三人。"),
]


def test_nothing_relevant_is_answered_with_nothing_and_a_note(tmp_path, engine, monkeypatch):
    ix = open_index(tmp_path / "s", engine)
    ix.add(SPORTS)
    res = ix.search("游泳比赛")  # nothing holds 游泳: passages sharing only 比赛 are no answer (as shipped)
    assert res.total == 0 and res.hits == [] and "没有找到" in res.note
    res = ix.search("乒乓球 比赛 人数")  # most of it is there: answered as before
    assert res.hits and res.hits[0].id == "P:1" and res.note == ""
    monkeypatch.setattr(rerank, "SILENT_COVER", 0.0)  # never silent: the loose matches are listed
    res = ix.search("游泳比赛")
    assert res.relaxed and res.hits and res.note == ""
    ix.close()


def test_best_cover_counts_the_rare_words_most():
    docs = [{"kind": "section", "text": "比赛规则另行通知。"}]
    rare, common = Concept("游泳", ("游泳",)), Concept("比赛", ("比赛",))
    df = {"游泳": 0, "比赛": 50}.get
    low = rerank.best_cover(docs, [rare, common], df, 100)
    assert 0 < low < 0.3
    docs.append({"kind": "section", "text": "游泳比赛下月举行。"})
    assert rerank.best_cover(docs, [rare, common], df, 100) == 1.0
    assert rerank.best_cover([], [rare], df, 100) == 0.0


def test_a_verb_and_its_object_typed_as_one_word_find_the_object_when_retried(tmp_path, engine):
    ix = open_index(tmp_path / "v", engine)
    ix.add([_section("R:1", "一、会议安排", "召开第三次会员大会，选举新一届委员会委员和代表。"),
            _section("S:1", "二、其他", "请各单位按时报送材料。")])
    res = ix.search("开大会 选代表")  # no text says 开大会 or 选代表
    assert res.relaxed and [h.id for h in res.hits] == ["R:1"]
    ix.close()


def test_a_page_holding_a_rare_word_asked_is_no_noise(monkeypatch):
    # two words no passage holds weigh most in the cover; the passage holds the third,
    # which few passages hold: not the one common word the silence bar is for (as rare as
    # ABSENT_RARE: 下沉 and 驻扎 name topics no passage holds, which asks for a rarer word held)
    docs = [{"kind": "section", "text": "抽调机关干部赴企业一线开展调研。"}]
    df = {"机关干部": 2, "比赛": 300}
    held_rare = [Concept("机关干部", ("机关干部",)), Concept("下沉", ("下沉",)), Concept("驻扎", ("驻扎",))]
    cover = rerank.best_cover(docs, held_rare, lambda w: df.get(w, 0), 1000)
    assert cover < rerank.SILENT_COVER
    assert rerank.silence_cover(docs, held_rare, lambda w: df.get(w, 0), 1000) == 1.0
    # a common word held (比赛, in 30 % of the index) stays noise
    held_common = [Concept("游泳", ("游泳",)), Concept("比赛", ("比赛",))]
    common_docs = [{"kind": "section", "text": "比赛规则另行通知。"}]
    assert rerank.silence_cover(common_docs, held_common, lambda w: df.get(w, 0), 1000) < rerank.SILENT_COVER
    monkeypatch.setattr(rerank, "SILENT_RARE", 0.0)
    assert rerank.silence_cover(docs, held_rare, lambda w: df.get(w, 0), 1000) == cover


LEISURE = [
    _section("R:1", "一、活动内容", "工会统一提供扑克牌，其他娱乐工具需自带。"),
    _section("R:2", "二、活动地点", "活动在职工之家举行。"),
    _section("S:1", "三、比赛规则", "比赛规则另行通知。"),
]


def test_a_word_no_passage_holds_finds_the_words_most_alike_the_index_holds(tmp_path, engine):
    # 打牌 is in no passage; its near word-vector neighbours 麻将, 赌钱, 牌局 are in none
    # either: the most alike word the index holds (扑克) is what the user meant
    ix = open_index(tmp_path / "f", engine)
    ix.add(LEISURE)
    res = ix.search("打牌")
    assert res.relaxed and res.hits and res.hits[0].id == "R:1"
    ix.close()


def test_far_neighbours_are_not_offered_while_the_index_holds_the_word(tmp_path, engine):
    ix = open_index(tmp_path / "g", engine)
    ix.add([*LEISURE, _section("T:1", "四、休息", "中午休息时可以打牌。")])
    assert _ids(ix, "打牌") == ["T:1"]
    ix.close()


def test_without_far_neighbours_the_word_finds_nothing(tmp_path, engine, monkeypatch):
    monkeypatch.setattr(vectors, "VEC_FAR_SIM", 9.0)
    vectors.clear()
    try:
        ix = open_index(tmp_path / "h", engine)
        ix.add(LEISURE)
        assert ix.search("打牌").hits == []
        ix.close()
    finally:
        monkeypatch.undo()
        vectors.clear()


def test_far_neighbours_are_the_alike_words_an_index_holds():
    held = {"扑克", "子女"}
    assert vectors.held_far("打牌", lambda w: 1 if w in held else 0) == ("扑克",)
    assert vectors.held_far("打牌", lambda w: 0) == ()
    assert vectors.far("并无此词语") == ()


@pytest.mark.parametrize("share,first", [(0.55, "子女"), (9.0, "父母")])
def test_a_far_neighbour_sharing_a_character_comes_first(monkeypatch, share, first):
    # 孩子's nearest words the index holds are other family words (父母, 女儿); the one
    # notices print for it (子女) shares a character with it
    monkeypatch.setattr(vectors, "FAR_SHARE_SIM", share)
    vectors.clear()
    try:
        held = {"父母", "女儿", "子女"}
        assert vectors.held_far("孩子", lambda w: 1 if w in held else 0)[0] == first
    finally:
        monkeypatch.undo()
        vectors.clear()


# A notice about one thing: every section holds its name through the title, the answer
# to "when" sits under a heading naming the time and holds none of the question's words;
# other sections state a date too (the date marker alone does not tell them apart).
SLOT_ITEMS = [
    _section("S:1", "一、申报材料", "创新工作室申报表一式两份，10月15日前报送工会。", title="关于创新工作室申报工作的通知"),
    _section("S:2", "二、申报方式", "各单位自行申报创新工作室，盖章后于10月15日前报送。", title="关于创新工作室申报工作的通知"),
    _section("S:3", "三、申报时间", "2023年3月1日至10月15日。", title="关于创新工作室申报工作的通知"),
    _section("S:4", "四、申报范围", "区内所有企事业单位的创新工作室均可申报。", title="关于创新工作室申报工作的通知"),
]


@pytest.mark.parametrize("weight,first", [(0.5, True), (0.0, False)])
def test_a_when_question_ranks_the_section_headed_with_the_time_first(tmp_path, engine, monkeypatch, weight, first):
    monkeypatch.setattr(rerank, "SLOT_WEIGHT", weight)
    ix = open_index(tmp_path / "s", engine)
    ix.add(SLOT_ITEMS)
    assert (_ids(ix, "创新工作室什么时候可以申报")[0] == "S:3") is first
    ix.close()


def test_questions_name_the_slot_or_the_unit_they_ask_for():
    assert plan("创新工作室什么时候可以申报").slots == ("date",)
    assert plan("捐款仪式在哪里举行").slots == ("place",)
    assert plan("健步走活动经费从哪里出").slots == ()  # where money comes from is no place
    assert plan("工作总结要写多少字").slots == ("unit:字",)
    assert plan("女教职工跑步比赛A组跑几圈").slots == ("unit:圈",)
    assert plan("创新工作室 申报时间").slots == ()  # no question, no slot


UNIT_ITEMS = [
    _section("U:1", "三、工作总结", "工作总结要写明成绩和不足，工作总结须经负责人签字。", title="关于报送工作总结的通知"),
    _section("U:2", "二、报送内容", "工作总结突出亮点，工作总结附电子版。", title="关于报送工作总结的通知"),
    _section("U:3", "一、总结要求", "认真总结本单位年度工作，字数不少于3000字。", title="关于年度总结的通知"),
]


@pytest.mark.parametrize("weight,first", [(0.5, True), (0.0, False)])
def test_a_question_naming_a_unit_ranks_the_passage_stating_a_number_in_it_first(tmp_path, engine, monkeypatch,
                                                                                weight, first):
    monkeypatch.setattr(rerank, "UNIT_WEIGHT", weight)
    ix = open_index(tmp_path / "u", engine)
    ix.add(UNIT_ITEMS)
    assert (_ids(ix, "工作总结要写多少字")[0] == "U:3") is first
    ix.close()


def test_everyday_interrogatives_make_a_question(monkeypatch):
    # 交啥, 报给谁, 咋报名: the words a worker types for 什么 / 谁 / 怎么
    assert plan("联欢会 搞完 交啥").question and plan("推个好老师 报给谁").question
    assert plan("咋报名").slots == ("how",)
    # 行不行, 算不算: the A-not-A form 能不能 is one of, asked of any verb
    assert plan("写春联 用钢笔 行不行").question and not plan("不少于三人").question
    assert [c.word for c in plan("写春联 用钢笔 行不行").concepts] == ["春联", "钢笔"]
    monkeypatch.setattr(questions, "COLLOQUIAL_ASKS", False)
    assert not plan("联欢会 搞完 交啥").question and not plan("写春联 用钢笔 行不行").question


def test_questions_name_who_may_take_part_what_to_hand_in_and_how():
    assert plan("评省劳模 自己能报名吗").slots == ("who",)
    assert plan("联欢会 搞完 交啥").slots == ("material",)
    assert plan("趣味运动会怎么报名").slots == ("how",)
    # the heading word typed already counts as a concept: no slot on top
    assert plan("入会需要什么条件").slots == ()
    assert plan("申请困难帮扶要交哪些材料").slots == ()
    assert plan("教代会代表退休了怎么办").slots == ()  # what happens then, not how to apply


HOW_ITEMS = [
    _section("H:1", "一、比赛项目", "趣味运动会设拔河、跳绳等项目，趣味运动会报名人数不限。", title="关于趣味运动会的通知"),
    _section("H:2", "二、报名方式", "各工会小组填写表格，发至工会邮箱。", title="关于趣味运动会的通知"),
    _section("H:3", "三、比赛时间", "4月中下旬。", title="关于趣味运动会的通知"),
]


@pytest.mark.parametrize("weight,first", [(0.5, True), (0.0, False)])
def test_a_how_question_ranks_the_section_headed_with_the_way_to_apply_first(tmp_path, engine, monkeypatch,
                                                                            weight, first):
    monkeypatch.setattr(rerank, "INTENT_WEIGHT", weight)
    ix = open_index(tmp_path / "w", engine)
    ix.add(HOW_ITEMS)
    assert (_ids(ix, "趣味运动会怎么报名")[0] == "H:2") is first
    ix.close()


@pytest.mark.usefixtures("hand_only")
@pytest.mark.parametrize("prior,first", [(-0.2, "S"), (0.0, "D")])
def test_a_question_ranks_a_long_notice_below_its_sections(monkeypatch, prior, first):
    monkeypatch.setattr(rerank, "QUESTION_DOC_PRIOR", prior)
    long_doc = {"kind": "document", "path": "", "heading": "", "text": "困难职工帮扶。" * 200, "title": "帮扶办法"}
    section = {"kind": "section", "path": "第八章帮扶标准", "heading": "", "text": "困难职工每年帮扶一次。", "title": "帮扶办法"}
    rows = [(1.0, "D", long_doc), (0.85, "S", section)]
    concepts = rerank.concepts_of("困难职工 帮扶")
    asked = rerank.rerank(rows, concepts, lambda w: 1, 100, (), question=True)
    told = rerank.rerank(rows, concepts, lambda w: 1, 100, (), question=False)
    assert asked[0][1] == first and told[0][1] == "D"  # not asked: the notice whole first, as before


def test_a_compound_no_vector_holds_borrows_the_words_alike_to_its_characters(monkeypatch):
    # 做操, 队服: everyday compounds the word vectors lack; what their characters mean (体操,
    # 服装) is what notices print
    assert "体操" in vectors.composed("做操") and "服装" in vectors.composed("队服")
    assert vectors.composed("体操") == ()  # the vectors hold it: its own neighbours serve
    assert vectors.held_far("做操", lambda w: 1 if w == "体操" else 0) == ("体操",)
    monkeypatch.setattr(vectors, "COMP_SIM", 9.0)
    vectors.clear()
    try:
        assert vectors.held_far("做操", lambda w: 1 if w == "体操" else 0) == ()
    finally:
        monkeypatch.undo()
        vectors.clear()


@pytest.mark.usefixtures("hand_only")
@pytest.mark.parametrize("on", [True, False])
def test_an_everyday_compound_finds_the_notice_printing_what_it_means(tmp_path, engine, monkeypatch, on):
    if not on:
        monkeypatch.setattr(vectors, "COMP_SIM", 9.0)
    vectors.clear()
    try:
        ix = open_index(tmp_path / "c", engine)
        ix.add([_section("G:1", "一、比赛项目", "各工会小组参加第九套广播体操团体比赛。", title="运动会通知"),
                _section("G:2", "二、比赛规则", "拔河比赛每队10人，比赛采用三局两胜制。", title="拔河比赛通知")])
        ids = _ids(ix, "做操比赛")
        assert (ids[:1] == ["G:1"]) is on
        ix.close()
    finally:
        monkeypatch.undo()
        vectors.clear()


AWARDS = [
    _section("H:1", "一、表彰范围", "对年度考核优秀的职工给予表彰和奖励，颁发荣誉证书。"),
    _section("H:2", "二、奖励标准", "奖励标准为每人五百元，由工会经费列支。"),
    _section("H:3", "三、报名方式", "请各分会于月底前报送名单。"),
]


def test_a_query_on_a_topic_no_notice_covers_is_answered_with_nothing(tmp_path, engine, monkeypatch):
    # no passage holds 献血 nor a word said alike to it: the notice on 表彰 and 奖励 holds
    # most of the other words but is another topic
    from index.search.common import NOTHING_RELEVANT

    ix = open_index(tmp_path / "h", engine)
    ix.add(AWARDS)
    res = ix.search("献血 表彰 奖励")
    assert res.hits == [] and res.note == NOTHING_RELEVANT
    assert _ids(ix, "表彰 奖励")[0] == "H:1"
    # an everyday word the notices do not print (知道) names no topic: the page stays
    assert "H:1" in _ids(ix, "知道 表彰 奖励")
    monkeypatch.setattr(rerank, "ABSENT_COVER", 0.0)
    assert "H:1" in _ids(ix, "献血 表彰 奖励")
    ix.close()


MEETING = [
    _section("M:1", "一、代表大会会期", "第五次代表大会会期两天，会议期间代表须全程参会，不得提前离开。"),
    _section("M:2", "二、报到", "请代表于开会前一天下午报到。"),
    _section("N:1", "三、其他", "请各单位按时报送材料。"),
]


def test_a_question_typed_in_everyday_words_is_not_taken_for_an_absent_topic(tmp_path, engine, monkeypatch):
    # 中途 is printed in no passage and is past the vectors' commonest words (as 献血 is),
    # but a question asks about a detail of the topic its other words name, typed in
    # everyday words: the page on the 代表大会 stays (ABSENT_QUESTIONS)
    ix = open_index(tmp_path / "q", engine)
    ix.add(MEETING)
    assert _ids(ix, "开代表大会 中途能离开吗")[0] == "M:1"
    monkeypatch.setattr(rerank, "ABSENT_QUESTIONS", True)
    assert _ids(ix, "开代表大会 中途能离开吗") == []
    ix.close()


# Who receives, who decides: the answer is a clause naming the actor inside a section whose
# other words the question shares with the notice's other sections.
ACTOR_ITEMS = [
    _section("R:1", "一、参赛对象", "拔河比赛每队十二人，报名表填写队员姓名和工号，全体教职工均可报名参加拔河比赛。",
             title="关于举办拔河比赛的通知"),
    _section("R:2", "二、报名办法", "请于11月10日前将报名表发至工会办公室王老师处。", title="关于举办拔河比赛的通知"),
    _section("R:3", "一、补助对象", "家庭生活困难的教职工可申请困难补助，困难补助每年申请一次，困难补助申请表如实填写后审核，补助发给本人。",
             title="关于困难补助的通知"),
    _section("R:4", "二、审核程序", "申请材料先由各分会初审，再由校工会审核确定名单。", title="关于困难补助的通知"),
]


def test_questions_asking_who_receives_or_decides_name_the_actor_slot():
    assert plan("拔河比赛报名表发给谁").slots == ("to_whom",)
    assert plan("困难补助由谁审核").slots == ("by_whom",)
    assert plan("会员信息采集由哪个部门牵头").slots == ("by_whom",)
    # who may take part is eligibility (INTENTS["who"]), not an actor
    assert not {"to_whom", "by_whom"} & set(plan("谁可以报名参加拔河比赛").slots)
    assert questions.names_slot("", ("to_whom",), "名单發至工會辦公室李老師處")  # either script
    assert not questions.names_slot("", ("by_whom",), "请于11月10日前将报名表发至工会办公室")


@pytest.mark.usefixtures("hand_only")
@pytest.mark.parametrize("weight,first", [(0.5, True), (0.0, False)])
def test_a_who_question_ranks_the_section_naming_the_actor_first(tmp_path, engine, monkeypatch, weight, first):
    monkeypatch.setattr(rerank, "ACTOR_WEIGHT", weight)
    ix = open_index(tmp_path / "r", engine)
    ix.add(ACTOR_ITEMS)
    assert (_ids(ix, "拔河比赛报名表发给谁")[0] == "R:2") is first
    assert (_ids(ix, "困难补助申请由谁审核")[0] == "R:4") is first
    ix.close()


FAREWELL = [
    _section("F:1", "一、慰问对象", "今年退休的教职工由工会上门慰问，退休教职工名单由各分会报送。"),
    _section("F:2", "二、活动安排", "工会组织户外健步走活动，教职工自愿参加。"),
]


@pytest.mark.parametrize("inside", [True, False])
def test_a_compound_the_vectors_lack_names_its_topic_by_the_word_inside_it(tmp_path, engine, monkeypatch, inside):
    # 欢送会: the vectors lack it, they hold 欢送 past the everyday words, no passage holds
    # either: the page about 退休教职工 is another topic
    monkeypatch.setattr(rerank, "ABSENT_INSIDE", inside)
    ix = open_index(tmp_path / "f", engine)
    ix.add(FAREWELL)
    assert (ix.search("退休教职工 欢送会").hits == []) is inside
    assert _ids(ix, "退休教职工 慰问")[0] == "F:1"
    ix.close()


@pytest.mark.parametrize("share", [True, False])
def test_a_far_neighbour_sharing_no_character_does_not_stand_for_an_absent_topic(tmp_path, engine, monkeypatch,
                                                                                  share):
    # 露营 is in no passage; 户外 stands where it stands in general text without naming it
    monkeypatch.setattr(rerank, "ABSENT_FAR_SHARE", share)
    ix = open_index(tmp_path / "o", engine)
    ix.add(FAREWELL)
    assert (ix.search("教职工 露营 活动").hits == []) is share
    ix.close()


@pytest.mark.usefixtures("hand_only")
def test_characters_a_question_leaves_glued_together_weigh_nothing_when_no_passage_holds_them(monkeypatch):
    # 拔河 一个组 能出几支队 leaves 出 and 队 beside each other once 能 and 几支 are read as
    # the asking: glued into one name (出队) that no passage holds, it weighed most in every
    # passage's cover (no passage holds it, so its idf is the largest) and so shrank the
    # share of the words a passage does hold
    concepts = [Concept("拔河", ("拔河",)), Concept("小组", ("小组",)), Concept("出队", ("出队",), run=True)]
    df = {"拔河": 50, "小组": 50}.get
    rows = [(1.0, "X", {"kind": "section", "text": "拔河比赛定于下月举行。"}),
            (0.5, "Y", {"kind": "section", "text": "每个小组可组织两支拔河队伍。"})]

    def order(question):
        return [r[1] for r in rerank.rerank(rows, concepts, lambda w: df(w, 0), 1000, question=question)]
    assert order(True) == ["Y", "X"]
    assert order(False) == ["X", "Y"]  # typed as words, not left by a question: counted as typed
    monkeypatch.setattr(rerank, "RUNS_UNHELD", False)
    assert order(True) == ["X", "Y"]
    # a name that some passage holds (返厦 in 平安返厦) still counts
    held = [Concept("拔河", ("拔河",)), Concept("小组", ("小组",)), Concept("比赛", ("比赛",), run=True)]
    monkeypatch.setattr(rerank, "RUNS_UNHELD", True)
    assert [r[1] for r in rerank.rerank(rows, held, lambda w: {"比赛": 50}.get(w, df(w, 0)), 1000, question=True)][0] == "X"


@pytest.mark.parametrize("learned", [False, True])
def test_an_answer_the_engine_ranks_below_fifty_any_word_hits_still_reaches_the_first_page(tmp_path, engine, learned):
    # an everyday question shares few words with the clause answering it: the any-word
    # hits holding one word each fill the engine's first 90 places, the clause holding
    # every word (in its context) comes last; the second look must still reach it
    if not learned:
        ltr.use(None)
    items = [_section(f"F{i}:1", "说明", f"本条只讲{('藏书', '外借')[i % 2]}的一般事项，与其他无关。") for i in range(90)]
    items.append(Item(id="A:1", kind="section", doc_id="A", heading="附则", title="通知",
                      text="以上规定自发布之日起施行，由工会负责解释。", context="职工书屋藏书外借办法"))
    ix = open_index(tmp_path / "i", engine)
    ix.add(items)
    try:
        assert _ids(ix, "职工书屋的藏书能外借吗")[0] == "A:1"
    finally:
        ix.close()
        ltr._loaded = False  # the shipped model again


def test_doc_below_moves_a_document_item_under_its_own_section_that_covers_as_much():
    """rerank.doc_below (DOC_BELOW, off as shipped): a notice's document item ranked above one
    of its own sections covering the query as much goes right after that section; a section of
    another notice, or one covering less, leaves it where it is. Ids made up for the test."""
    rows = [(3.0, "n1", {"kind": "document", "doc_id": "n1"}),
            (2.0, "n2:s1", {"kind": "section", "doc_id": "n2"}),
            (1.5, "n1:s1", {"kind": "section", "doc_id": "n1"}),
            (1.0, "n1:s2", {"kind": "section", "doc_id": "n1"})]
    moved = rerank.doc_below(rows, {"n1": 0.8, "n2:s1": 0.9, "n1:s1": 0.5, "n1:s2": 0.8})
    assert [r[1] for r in moved] == ["n2:s1", "n1:s1", "n1:s2", "n1"]
    assert moved[-1][0] < 1.0  # scored below the section it follows
    assert rerank.doc_below(rows, {"n1": 0.8, "n2:s1": 0.9, "n1:s1": 0.5, "n1:s2": 0.5}) == rows
    # a section's own cover (without its context) decides when given
    own = {"n1:s1": 0.8, "n1:s2": 0.2}
    assert [r[1] for r in rerank.doc_below(rows, {"n1": 0.8}, own.get)][:3] == ["n2:s1", "n1:s1", "n1"]


def test_slot_chooser_puts_the_clause_stating_the_value_asked_first_in_its_notice():
    """rerank.slot_chooser (SLOT_CHOOSER, off as shipped): for a question asking an amount, a
    notice whose first passage states none (its document item) is led by its section stating
    one that holds a word of the query; a section of another notice, one stating no amount or
    one holding no word of the query stays where it is; "first" looks at the top notice only.
    Texts and ids made up for the test."""
    doc = {"kind": "document", "doc_id": "n1", "text": "体检费用每人800元，地点另行通知。"}
    fee = {"kind": "section", "doc_id": "n1", "heading": "三、费用", "text": "每人800元，由单位承担。"}
    place = {"kind": "section", "doc_id": "n1", "heading": "二、地点", "text": "市第二医院。"}
    other = {"kind": "section", "doc_id": "n2", "heading": "一、时间", "text": "五月。"}
    rows = [(3.0, "n1", doc), (2.5, "n2:s1", other), (2.0, "n1:s2", place), (1.0, "n1:s3", fee)]
    own = {"n1:s3": 0.5, "n1:s2": 0.5}
    moved = rerank.slot_chooser(rows, ("money",), (), lambda rid: own.get(rid, 0.0))
    assert [r[1] for r in moved] == ["n1:s3", "n1", "n2:s1", "n1:s2"]
    assert moved[0][0] > 3.0
    assert rerank.slot_chooser(rows, ("money",), (), lambda rid: 0.0) == rows  # no word of the query
    assert rerank.slot_chooser(rows, ("date",), (), lambda rid: 0.5) == rows  # no section states a date
    # a count in the unit asked (跑几圈 → 三圈) counts as stating it
    laps = {"kind": "section", "doc_id": "n2", "heading": "二、路线", "text": "绕湖跑三圈。"}
    rows2 = [(3.0, "n1", doc), (2.5, "n2:s1", other), (1.0, "n2:s2", laps)]
    got = rerank.slot_chooser(rows2, ("count",), ("unit:圈",), lambda rid: 0.5)
    assert [r[1] for r in got] == ["n1", "n2:s2", "n2:s1"]
    assert [r[1] for r in rerank.slot_chooser(rows2, ("count",), ("unit:圈",), lambda rid: 0.5, first_only=True)] \
        == ["n1", "n2:s1", "n2:s2"]


def test_slot_chooser_best_moves_the_section_holding_most_of_the_query():
    """SLOT_CHOOSER "best": of a notice's sections stating a value asked, the one holding most
    of the query itself moves up, only when it holds at least the share given. Made-up texts."""
    doc = {"kind": "document", "doc_id": "n1", "text": "慰问品每人200元，体检费用每人800元。"}
    gift = {"kind": "section", "doc_id": "n1", "heading": "二、慰问品", "text": "每人200元。"}
    fee = {"kind": "section", "doc_id": "n1", "heading": "三、体检费用", "text": "每人800元。"}
    rows = [(3.0, "n1", doc), (2.0, "n1:s2", gift), (1.0, "n1:s3", fee)]
    own = {"n1:s2": 0.3, "n1:s3": 0.9}
    assert [r[1] for r in rerank.slot_chooser(rows, ("money",), (), own.get)][0] == "n1:s2"
    assert [r[1] for r in rerank.slot_chooser(rows, ("money",), (), own.get, best=0.5)][0] == "n1:s3"
    assert rerank.slot_chooser(rows, ("money",), (), {"n1:s2": 0.3, "n1:s3": 0.4}.get, best=0.5) == rows
