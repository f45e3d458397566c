"""Contract of index.search, run against both engines (whoosh, tantivy) on a real
index on disk: the same queries must give the same answers. The fixture is a small
set of notice sections, an obligation and field logs written inline below, so every
expected answer can be checked by reading the texts."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from index.search import ENGINES, Item, QuerySyntaxError, open_index
from ingest.errors import GongwenError
from scripts import load_script

D1 = dict(doc_id="D1", title="关于开展工会干部蹲点调研工作的通知", issuer="九江市总工会",
          doc_number="九工发〔2023〕5号", doc_type="通知", date="2023-03-10", region="九江市")
D2 = dict(doc_id="D2", title="全市产业工人队伍建设改革实施方案", issuer="赣州市总工会",
          doc_number="赣工发〔2022〕12号", doc_type="实施方案", date="2022-08-01", region="赣州市")

ITEMS = [
    Item(id="D1", kind="document", text="通过蹲点工作组深入基层。各县（市、区）总工会要报送蹲点调研报告。", **D1),
    Item(id="D1:s1", kind="section", heading="一、工作目标", path="一、工作目标",
         text="通过蹲点工作组深入基层，了解新就业形态劳动者的急难愁盼问题，每季度至少开展一次走访。", **D1),
    Item(id="D1:s2", kind="section", heading="二、工作要求", path="二、工作要求",
         text="各县（市、区）总工会要于2023年6月30日前报送调研报告，报告不少于3000字。", **D1),
    Item(id="D1:o1", kind="obligation", heading="二、工作要求", path="二、工作要求", tags=["县级总工会"],
         text="各县（市、区）总工会于2023年6月30日前报送调研报告", **D1),
    Item(id="D2:s1", kind="section", heading="一、主要任务", path="一、主要任务",
         text="深化改革，开展劳动竞赛和技能比武，推动工资集体协商覆盖规模以上企业。", **D2),
    Item(id="D2:s2", kind="section", heading="二、保障措施", path="二、保障措施",
         text="建立联席会议制度，每半年召开一次会议，组织技能竞赛，弘扬劳动精神。", **D2),
    Item(id="L1", kind="log", doc_id="L1", title="清华大学工会座谈", issuer="张敏", date="2023-05-06",
         region="北京市", tags=["调查研究"], risks=["住房困难"],
         text="今天到清华大学工会座谈，了解青年教师住房困难，建议协调周转房。"),
    Item(id="L2", kind="log", doc_id="L2", title="走访外卖站点", issuer="李强", date="2024-01-15",
         region="九江市", tags=["新就业形态"], risks=["欠薪"],
         text="走访外卖配送员，反映平台拖欠工资三个月，个别人情绪激动，已转交法律援助。"),
    Item(id="L3", kind="log", doc_id="L3", title="安源区座谈", issuer="王芳", date="2023-11-02",
         region="萍乡市", tags=["民主管理"],
         text="在萍乡市安源区驻点，召开职工代表座谈会，讨论厂务公开和职代会制度落实。"),
    Item(id="L4", kind="log", doc_id="L4", title="公告栏", issuer="王芳", date="2022-12-20",
         region="萍乡市", tags=["民主管理"], risks=["加班"],
         text="企业公告栏写着<b>周末加班</b>&通知，职工对加班费计算不满。"),
] + [
    Item(id=f"H{i:02d}", kind="log", doc_id=f"H{i:02d}", title=f"职工之家走访{i}", issuer="赵磊",
         date=f"{2021 + i % 4}-{1 + i % 12:02d}-{1 + i % 27:02d}", region="吉安市", tags=["职工之家"],
         text=f"第{i}次走访基层职工之家，检查阅览室和活动室开放情况，职工反映良好。")
    for i in range(1, 26)
]
BY_ID = {it.id: it for it in ITEMS}


@pytest.fixture(scope="module", params=ENGINES)
def ix(request, tmp_path_factory):
    index = open_index(tmp_path_factory.mktemp(request.param) / "idx", request.param)
    index.add(ITEMS)
    yield index
    index.close()


def ids(res) -> set[str]:
    return {h.id for h in res.hits}


def all_ids(ix, q, **kw) -> set[str]:
    res = ix.search(q, per_page=1000, **kw)
    assert res.total == len(res.hits)
    return ids(res)


def test_count_and_match_all(ix):
    assert ix.count() == len(ITEMS)
    assert ix.search("").total == len(ITEMS)


def test_phrase_needs_consecutive_words(ix):
    # D2:s1 has 劳动竞赛; D2:s2 has 竞赛 … 劳动 apart.
    assert all_ids(ix, '"劳动竞赛"') == {"D2:s1"}
    assert all_ids(ix, "劳动 竞赛") == {"D2:s1", "D2:s2"}
    # A phrase of several words: 工资集体协商 = 工资 + 集体协商, in that order only in D2:s1.
    assert all_ids(ix, '"工资集体协商"') == {"D2:s1"}
    assert all_ids(ix, '"集体协商工资"') == set()


def test_word_inside_longer_word(ix):
    assert all_ids(ix, "清华") == {"L1"}  # text has 清华大学
    assert "D1:s1" in all_ids(ix, "工作组")  # text has 蹲点工作组
    assert {"D1", "D1:s1"} <= all_ids(ix, "蹲点")


def test_synonyms_expand(ix):
    # 外卖骑手 ~ 外卖配送员 (only L2 says 外卖配送员)
    assert all_ids(ix, "外卖骑手") == {"L2"}
    # 驻点 ~ 蹲点: L3 says 驻点, D1 says 蹲点
    assert all_ids(ix, "驻点") >= {"L3", "D1:s1", "D1"}
    assert all_ids(ix, "驻点") == all_ids(ix, "蹲点")
    # 产改 ~ 产业工人队伍建设改革 (in D2's title only)
    assert all_ids(ix, "产改") == {"D2:s1", "D2:s2"}
    # exact phrases are not expanded
    assert all_ids(ix, '"驻点"') == {"L3"}


def test_boolean(ix):
    assert all_ids(ix, "清华 OR 驻点") == all_ids(ix, "清华") | all_ids(ix, "驻点")
    assert all_ids(ix, "清华 或 外卖") == {"L1", "L2"}
    assert all_ids(ix, "座谈 -清华") == {"L3"}
    assert all_ids(ix, "座谈 NOT 清华") == {"L3"}
    assert all_ids(ix, "座谈 AND 清华") == {"L1"}
    assert all_ids(ix, "(清华 OR 安源区) 座谈") == {"L1", "L3"}
    assert all_ids(ix, "kind:log -职工之家 -清华") == {"L2", "L3", "L4"}


def test_field_filters(ix):
    assert all_ids(ix, "issuer:九江市总工会") == {"D1", "D1:s1", "D1:s2", "D1:o1"}
    assert all_ids(ix, "issuer:赣州") == {"D2:s1", "D2:s2"}  # part of the name
    assert all_ids(ix, "type:实施方案") == {"D2:s1", "D2:s2"}
    assert all_ids(ix, "tag:民主管理") == {"L3", "L4"}
    assert all_ids(ix, "risk:欠薪") == {"L2"}
    assert all_ids(ix, "region:萍乡市") == {"L3", "L4"}
    assert all_ids(ix, "kind:obligation") == {"D1:o1"}
    assert all_ids(ix, "kind:任务") == {"D1:o1"}
    assert all_ids(ix, "doc_number:赣工发[2022]12号") == {"D2:s1", "D2:s2"}
    assert all_ids(ix, "报告 kind:section") == {"D1:s2"}
    assert all_ids(ix, "title:产业工人") == {"D2:s1", "D2:s2"}


def test_filters_argument(ix):
    assert all_ids(ix, "", filters={"kind": "log", "region": "萍乡市"}) == {"L3", "L4"}
    assert all_ids(ix, "座谈", filters={"kind": ["log"], "year": 2023}) == {"L1", "L3"}
    assert all_ids(ix, "", filters={"tags": ["民主管理", "新就业形态"]}) == {"L2", "L3", "L4"}
    with pytest.raises(QuerySyntaxError):
        ix.search("", filters={"colour": "red"})


def test_date_and_year_ranges(ix):
    expect = {i.id for i in ITEMS if i.date and "2023-01-01" <= i.date <= "2023-06-30"}
    assert expect == {"D1", "D1:s1", "D1:s2", "D1:o1", "L1"} | {
        i.id for i in ITEMS if i.id.startswith("H") and "2023-01-01" <= i.date <= "2023-06-30"}
    assert all_ids(ix, "date:2023-01-01..2023-06-30") == expect
    assert all_ids(ix, "year:2021..2022") == {i.id for i in ITEMS if i.year in (2021, 2022)}
    assert all_ids(ix, "year:2024..") == {i.id for i in ITEMS if i.year >= 2024}
    assert all_ids(ix, "date:..2022-12-31 kind:section") == {"D2:s1", "D2:s2"}
    assert all_ids(ix, "date:2023-11") == {"L3"} | {i.id for i in ITEMS if i.date.startswith("2023-11")}


def test_facets_count_full_match_set(ix):
    res = ix.search("", per_page=3)
    assert len(res.hits) == 3 and res.total == len(ITEMS)
    issuer = Counter(i.issuer for i in ITEMS)
    assert dict(res.facets["issuer"]) == dict(issuer)
    assert dict(res.facets["year"]) == dict(Counter(i.year for i in ITEMS))
    assert dict(res.facets["kind"]) == {"document": 1, "section": 4, "obligation": 1, "log": 29}
    assert dict(res.facets["tags"]) == dict(Counter(t for i in ITEMS for t in i.tags))
    assert dict(res.facets["risks"]) == {"住房困难": 1, "欠薪": 1, "加班": 1}
    assert dict(res.facets["doc_type"]) == {"通知": 4, "实施方案": 2}
    # counts follow the query: 座谈 matches L1, L3 only
    res = ix.search("座谈", facets=("region", ) if False else ("issuer", "kind"))
    assert dict(res.facets["issuer"]) == {"张敏": 1, "王芳": 1}
    assert set(res.facets) == {"issuer", "kind"}


def test_highlight_marks_query_words_in_original_text(ix):
    hit = ix.search("清华").hits[0]
    assert "<mark>清华</mark>" in hit.snippet
    hit = ix.search("外卖骑手").hits[0]
    assert "<mark>外卖配送员</mark>" in hit.snippet  # the synonym that matched
    hit = ix.search("加班费").hits[0]
    assert hit.id == "L4"
    assert "&lt;b&gt;周末加班&lt;/b&gt;&amp;通知" in hit.snippet  # escaped, not markup
    assert "<mark>加班费</mark>" in hit.snippet
    assert "<b>" not in hit.snippet
    hit = ix.search("新就业形态 劳动者 问题").hits[0]
    assert hit.id == "D1:s1"
    # words are marked, single function characters are not
    assert "<mark>新就业形态</mark>" in hit.snippet and "<mark>问题</mark>" in hit.snippet
    assert "<mark>的</mark>" not in hit.snippet


def test_no_item_with_every_word_falls_back_to_some_words(ix):
    strict = ix.search("清华 座谈")
    assert ids(strict) == {"L1"} and not strict.relaxed
    res = ix.search("清华 座谈 火星")  # nothing has all three words; L1 has two (L3 座谈 alone)
    assert res.relaxed and res.hits[0].id == "L1" and "<mark>清华</mark>" in res.hits[0].snippet
    # one word of three is no answer (rerank.SILENT_COVER): nothing, and a note saying so
    res = ix.search("清华 火星 探测")
    assert res.relaxed and res.total == 0 and not res.hits and res.note
    # full-width Latin is folded: ＡＢＣ = abc; filters and phrases are never relaxed
    res = ix.search("ＡＢＣ 蹲点 调研", filters={"kind": "obligation"})
    assert res.relaxed and ids(res) == {"D1:o1"}
    assert ix.search("清华 火星", filters={"kind": "section"}).total == 0
    assert ix.search('"清华 火星"').total == 0 and ix.search("清华 AND kind:section").total == 0


def test_ranking_prefers_title_and_heading(ix):
    # 工作要求 is D1:s2's heading (D1:o1 has it as heading too, both rank above plain text)
    top = ix.search("工作要求").hits
    assert {h.id for h in top[:2]} == {"D1:s2", "D1:o1"}
    assert ix.search("清华大学").hits[0].id == "L1"


def test_sort_by_date_and_pagination(ix):
    res = ix.search("职工之家", sort="date", per_page=1000)
    dates = [h.date for h in res.hits]
    assert dates == sorted(dates, reverse=True)
    seen: list[str] = []
    for page in range(1, 5):
        r = ix.search("职工之家", page=page, per_page=7)
        assert r.total == 25
        seen += [h.id for h in r.hits]
    assert len(seen) == 25 and set(seen) == {f"H{i:02d}" for i in range(1, 26)}
    assert ix.search("职工之家", page=5, per_page=7).hits == []


@pytest.mark.parametrize("query", [
    '"劳动竞赛', "(清华 OR 驻点", "清华)", "清华 AND", "OR 清华", "清华 AND OR 驻点", "NOT",
    "colour:red", "year:abc", "date:2023-02-30", "year:2024..2021", "()", 'issuer:',
])
def test_malformed_queries(ix, query):
    with pytest.raises(QuerySyntaxError) as e:
        ix.search(query)
    err = e.value
    assert isinstance(err, GongwenError) and err.code == "bad_query" and err.http_status == 400
    assert "查询语法错误" in str(err) and err.position is not None and "第" in str(err)


@pytest.mark.parametrize("query", ["😀", "-", "*", "！？"])
def test_a_query_with_nothing_searchable_is_refused_not_match_all(ix, query):
    with pytest.raises(QuerySyntaxError) as e:
        ix.search(query)
    assert "没有可检索的字词" in str(e.value)
    assert ix.search("😀 year:2023").total == ix.search("year:2023").total  # a filter still works beside it


def test_bad_paging_and_sort(ix):
    for kw in ({"page": 0}, {"per_page": 0}, {"sort": "size"}, {"facets": ("colour",)}):
        with pytest.raises(QuerySyntaxError):
            ix.search("清华", **kw)


def test_upsert_and_delete(tmp_path):
    for engine in ENGINES:
        ix = open_index(tmp_path / engine, engine)
        ix.add(ITEMS)
        ix.add([Item(id="L1", kind="log", doc_id="L1", text="改为讨论劳模疗休养安排", date="2023-05-06")])
        assert ix.count() == len(ITEMS)
        assert ix.search("清华").total == 0 and ids(ix.search("疗休养")) == {"L1"}
        ix.delete(["L2", "L3"])
        assert ix.count() == len(ITEMS) - 2 and ix.search("外卖骑手").total == 0
        ix.delete_document("D1")
        assert ix.search("issuer:九江市总工会").total == 0
        assert ix.count() == len(ITEMS) - 6
        ix.clear()
        assert ix.count() == 0 and ix.search("").total == 0
        assert ix.reindex(iter(ITEMS), batch=7) == len(ITEMS) and ix.count() == len(ITEMS)
        ix.close()
        # reopening finds the committed data
        ix = open_index(tmp_path / engine, engine)
        assert ix.count() == len(ITEMS)
        ix.close()


QUERIES = ["蹲点", "驻点 座谈", '"劳动竞赛"', "清华", "外卖骑手", "产改", "座谈 -清华", "kind:log 职工之家",
           "issuer:九江市总工会", "year:2023..2024 报告", "tag:民主管理 OR risk:欠薪", "加班", "技能", "工会",
           "date:2023-01-01..2023-12-31", "(清华 OR 安源区) 座谈", "新就业形态", "报送 报告", "title:蹲点"]


def test_both_engines_give_the_same_answers(tmp_path):
    idx = {e: open_index(tmp_path / e, e) for e in ENGINES}
    for ix in idx.values():
        ix.add(ITEMS)
    for q in QUERIES:
        got = {e: ix.search(q, per_page=1000) for e, ix in idx.items()}
        sets = {e: ids(r) for e, r in got.items()}
        assert sets["whoosh"] == sets["tantivy"], q
        assert got["whoosh"].facets == got["tantivy"].facets, q
        # same top hit whenever one hit clearly leads
        snips = {e: {h.id: h.snippet for h in r.hits} for e, r in got.items()}
        assert snips["whoosh"] == snips["tantivy"], q


def test_engine_choice_and_folder_guard(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGWEN_ENGINE", "whoosh")
    ix = open_index(tmp_path / "a")
    assert ix.engine == "whoosh"
    ix.close()
    monkeypatch.delenv("GONGWEN_ENGINE")
    with pytest.raises(GongwenError):
        open_index(tmp_path / "a", "tantivy")  # folder made by whoosh
    assert open_index(tmp_path / "b").engine == "tantivy"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "notes.txt").write_text("x")
    with pytest.raises(GongwenError):
        open_index(tmp_path / "c")
    with pytest.raises(GongwenError):
        open_index(tmp_path / "d", "lucene")


# ------------------------------------------------------- the sample corpus
NOTICES = Path(__file__).resolve().parents[1] / "corpora" / "notices"


@pytest.fixture(scope="module")
def corpus_items():
    from index.search import items_from_document
    from ingest.load import load

    items = []
    for p in sorted(NOTICES.iterdir()):
        if p.suffix in (".txt", ".docx", ".pdf", ".html"):
            items += items_from_document(load(p))
    return items


@pytest.mark.parametrize("engine", ENGINES)
def test_sample_notices(tmp_path, corpus_items, engine):
    ix = open_index(tmp_path / engine, engine)
    ix.add(corpus_items)
    src = lambda h: h.fields["extras"]["source"]  # noqa: E731
    # the 赣州 notice is about 驻点蹲点; 蹲点 and its synonym 驻点 both find it first
    for q in ("蹲点", "驻点", "蹲点 年轻干部"):
        assert src(ix.search(q, filters={"kind": "section"}).hits[0]).startswith("2023_ganzhou"), q
    # 送清凉 notices (九江 notice, 修水 report) and nothing else
    hits = ix.search('"送清凉"', filters={"kind": "document"}, per_page=50).hits
    assert {src(h)[:-4] for h in hits} >= {"2024_jiujiang_songqingliang_tongzhi", "2024_xiushui_songqingliang_baodao"}
    # phrase across a docx/pdf body, filtered by year and issuer
    res = ix.search("产改 调度", filters={"year": 2024})
    assert res.total and all(h.issuer == "萍乡市总工会" for h in res.hits)
    res = ix.search("疗休养 type:通知 kind:section")
    assert res.hits and all(src(h).startswith("2025_nanchang") for h in res.hits[:3])
    assert "<mark>疗休养</mark>" in res.hits[0].snippet
    ix.close()


def test_exclusion_is_exact_on_generated_items(tmp_path):
    """`-word` removes every item holding the word, in both engines (whoosh's
    AndNot matcher once let one through: s5 holds 快递员 and, further on, 外卖)."""
    bench = load_script("bench/search.py")
    items = bench.generate(300)
    by_id = {i.id: i for i in items}
    got = {}
    for engine in ENGINES:
        ix = open_index(tmp_path / engine, engine)
        ix.add(items)
        for q in ("快递员 -外卖", "快递员 NOT (外卖 OR 骑手)", "-外卖 kind:section"):
            res = ix.search(q, per_page=1000, facets=())
            got[engine, q] = ids(res)
            for h in res.hits:
                it = by_id[h.id]
                assert "外卖" not in " ".join((it.title, it.heading, it.path, it.text)), (engine, q, h.id)
        ix.close()
    assert "s5" in by_id and "快递员" in by_id["s5"].text and "外卖" in by_id["s5"].text
    for q in ("快递员 -外卖", "快递员 NOT (外卖 OR 骑手)", "-外卖 kind:section"):
        assert got["whoosh", q] == got["tantivy", q]


def test_facets_follow_each_commit_and_every_page(tmp_path):
    """Facet counts stay those of the whole match set on every page and sort, and a
    commit (from this index object or another one on the same folder) changes them."""
    for engine in ENGINES:
        ix = open_index(tmp_path / engine, engine)
        ix.add(ITEMS)
        first = ix.search("走访", per_page=5).facets
        # 走访 is in D1:s1 (a section of 九江市总工会), L2 (李强) and H01–H25 (赵磊)
        assert dict(first["kind"]) == {"log": 26, "section": 1}
        assert dict(first["issuer"]) == {"赵磊": 25, "李强": 1, "九江市总工会": 1}
        for page in (2, 3, 6):
            assert ix.search("走访", per_page=5, page=page).facets == first
        assert ix.search("走访", sort="date").facets == first
        assert ix.search("走访", facets=("kind",)).facets == {"kind": [("log", 26), ("section", 1)]}
        ix.add([Item(id="N1", kind="section", doc_id="N1", text="走访慰问困难职工", issuer="九江市总工会")])
        after = ix.search("走访", per_page=5, page=2).facets
        assert dict(after["kind"]) == {"log": 26, "section": 2} and dict(after["issuer"])["九江市总工会"] == 2
        other = open_index(tmp_path / engine, engine)  # a second handle, as another process would have
        other.delete(["N1", "L2"])
        other.close()
        assert dict(ix.search("走访").facets["issuer"]) == {"赵磊": 25, "九江市总工会": 1}
        ix.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_facets_keep_the_most_frequent_values(tmp_path, engine):
    """A facet lists at most FACET_SIZE values: the most frequent first, ties by name,
    the same on both engines."""
    from index.search.common import FACET_SIZE

    items = [Item(id=f"f{i}-{j}", kind="log", doc_id=f"f{i}", text="走访企业了解职工诉求",
                  issuer=f"第{i:03d}县总工会") for i in range(FACET_SIZE + 20) for j in range(1 + (i % 3 == 0))]
    index = open_index(tmp_path / engine, engine)
    index.add(items)
    fc = index.search("职工", facets=["issuer"]).facets["issuer"]
    index.close()
    assert len(fc) == FACET_SIZE
    doubles = sorted(f"第{i:03d}县总工会" for i in range(FACET_SIZE + 20) if i % 3 == 0)
    assert [v for v, c in fc[:len(doubles)]] == doubles and all(c == 2 for _, c in fc[:len(doubles)])
    singles = sorted(f"第{i:03d}县总工会" for i in range(FACET_SIZE + 20) if i % 3)
    assert [v for v, c in fc[len(doubles):]] == singles[:FACET_SIZE - len(doubles)]
