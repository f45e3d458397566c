"""Query language, analysis and item flattening of index.search (no engine needed):
the parser's AST and errors, token positions and offsets, the whoosh tokenizer's
positions (jieba's stock whoosh analyzer stores char offsets there), jieba parity,
and items built from a real parsed notice, its checklist and a field log."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.search import QuerySyntaxError, item_from_log, items_from_document, parse
from index.search.analysis import analyze, normalize, query_words, segment
from index.search.query import And, FieldTerm, Not, Or, Phrase, Range, Word, plan

ROOT = Path(__file__).resolve().parents[1]


def test_parse_precedence_and_operators():
    ast = parse("蹲点 OR 驻点 调研 -骑手")
    # AND binds tighter than OR
    assert ast == Or([Word("蹲点", 0), And([Word("驻点", 6), Word("调研", 9), Not(Word("骑手", 13))])])
    assert parse("蹲点 或 驻点") == Or([Word("蹲点", 0), Word("驻点", 5)])
    assert parse("非 骑手") == Not(Word("骑手", 2))
    assert parse("（蹲点 OR 驻点） 调研") == And([Or([Word("蹲点", 1), Word("驻点", 7)]), Word("调研", 11)])
    assert parse("“劳动 竞赛”") == Phrase("劳动 竞赛", 0)
    assert parse('"劳动 竞赛”') == Phrase("劳动 竞赛", 0)  # mixed quotes from an IME


def test_parse_fields_and_ranges():
    assert parse("issuer:九江市总工会") == FieldTerm("issuer", "九江市总工会", 0)
    assert parse('发文机关："九江市 总工会"') == FieldTerm("issuer", "九江市 总工会", 0)
    assert parse("type:通知") == FieldTerm("doc_type", "通知", 0)
    assert parse("kind:日志") == FieldTerm("kind", "log", 0)
    assert parse("doc_number:赣工发[2022]12号") == FieldTerm("doc_number", "赣工发〔2022〕12号", 0)
    # a 文号 typed with round brackets: the year is part of the number, not a group
    assert parse("文号:赣工发（2022）12号") == FieldTerm("doc_number", "赣工发〔2022〕12号", 0)
    assert parse("赣工发(2022)12号 通知") == And([Word("赣工发(2022)12号", 0), Word("通知", 13)])
    assert parse("(2022 OR 2023) 通知") == And([Or([Word("2022", 1), Word("2023", 9)]), Word("通知", 15)])
    assert parse("year:2021..2023") == Range("year", 2021, 2023, 0)
    assert parse("year：2022") == Range("year", 2022, 2022, 0)
    assert parse("date:2022-01-01..2022-12-31") == Range("date", 20220101, 20221231, 0)
    assert parse("date:2022-02") == Range("date", 20220201, 20220231, 0)
    assert parse("date:..2021") == Range("date", None, 20211231, 0)
    assert parse("日期:2023年5月1日") == Range("date", 20230501, 20230501, 0)
    # a Chinese colon inside ordinary text is text, not a field
    assert parse("时间：2023年") == Word("时间：2023年", 0)
    from index.search.items import label_names

    name = label_names().get("wage_arrears", "wage_arrears")  # the taxonomy's Chinese name
    assert parse("risk:wage_arrears") == FieldTerm("risks", name, 0) == parse(f"risk:{name}")


@pytest.mark.parametrize("query,where,words", [
    ('"劳动竞赛', 1, "引号没有闭合"),
    ("蹲点 (调研 OR 驻点", 4, "没有对应的右括号"),
    ("蹲点 调研)", 6, "多了一个"),
    ("AND 蹲点", 1, "前面缺少查询词"),
    ("蹲点 AND", 4, "后面缺少查询词"),
    ("蹲点 OR OR 调研", 4, "后面缺少查询词"),
    ("蹲点 -", None, None),  # a lone dash is ignored, not an error
    ("colour:red", 1, "字段“colour”不存在"),
    ("蹲点 year:23", 4, "四位数字"),
    ("date:2023-02-30", 1, "不存在"),
    ("date:2023-13", 1, "不存在"),
    ("date:2023/5/x", 1, "格式不对"),
    ("year:2024..2020", 1, "起点晚于终点"),
    ("kind:表格", 1, "类别“表格”不存在"),
    ("蹲点 ()", 4, "括号里没有查询词"),
    ('""', 1, "引号里没有内容"),
])
def test_errors_say_what_and_where(query, where, words):
    if where is None:
        parse(query)
        return
    with pytest.raises(QuerySyntaxError) as e:
        parse(query)
    assert e.value.position == where
    assert words in str(e.value) and f"第 {where} 个字符" in str(e.value)
    assert e.value.code == "bad_query" and e.value.http_status == 400


def test_plan_synonyms_and_marks():
    p = plan("外卖骑手 权益")
    assert "外卖配送员" in p.marks and "权益" in p.marks
    p = plan('"外卖骑手"')  # exact phrase: no synonyms
    assert p.marks == ["外卖骑手"]
    p = plan("职工的权益")
    assert "的" not in p.marks  # function words are not marked alone


def test_analysis_positions_offsets_and_subwords():
    text = "我在清华大学读书，蹲点工作组ＡＢＣ ２０２３年"
    toks = analyze(text)
    for t in toks:  # offsets point into the original text
        assert normalize(text[t.start:t.end]) == t.text
    primary = {}
    for t in toks:
        primary.setdefault(t.pos, t)
    assert [primary[p].text for p in sorted(primary)] == segment(text)
    assert sorted(primary) == list(range(len(primary)))  # consecutive word positions
    pos = {t.text: t.pos for t in toks}
    assert pos["清华"] == pos["大学"] == pos["清华大学"]  # sub-words at their word's position
    assert pos["蹲点"] == pos["工作组"] == pos["蹲点工作组"]
    assert pos["读书"] == pos["清华大学"] + 1
    assert "abc" in pos and "2023" in pos  # full-width folded, lower-cased
    assert query_words("清华大学读书") == ("清华大学", "读书")


def test_segmentation_matches_jieba_without_hmm():
    import jieba

    from index.search.analysis import _is_word, backend
    from nlp.language import load_user_dict

    backend()
    load_user_dict()  # jieba with the same domain dictionary (the backend may come from its cache)
    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in sorted((ROOT / "corpora" / "notices").glob("*.txt"))]
    texts.append("C++ 与 A.B 公司 2023.5% 我在清华大学读书 e-mail 产业工人队伍建设改革")
    for text in texts:
        norm = normalize(text)
        expect = [w for w in jieba.dt.cut(norm, HMM=False) if _is_word(w)]
        assert segment(text) == expect


def test_whoosh_tokenizer_positions_are_word_positions():
    from index.search.whoosh_engine import JiebaTokenizer

    text = "各级工会要深入开展蹲点调研"
    toks = [(t.text, t.pos, t.startchar, t.endchar) for t in JiebaTokenizer()(text, positions=True, chars=True)]
    words = segment(text)
    firsts = {}
    for w, p, s, e in toks:
        assert text[s:e] == w
        firsts.setdefault(p, w)
    assert [firsts[p] for p in sorted(firsts)] == words
    assert sorted(firsts) == list(range(len(words)))  # not character offsets


def test_items_from_a_parsed_notice_with_checklist():
    from ingest.load import load

    doc = load(ROOT / "corpora" / "notices" / "2023_ganzhou_dundian_fangan.docx")
    try:
        from nlp.checklist.extract import extract

        checklist = extract(doc).to_dict()
    except ImportError:  # the extractor is optional for the index
        checklist = {"obligations": [{"id": "x-01", "text": "蹲点工作组每周五前报送工作周报",
                                      "section": ["四、工作制度", "（一）周报告制度"], "actors": ["蹲点工作组"]}]}
    items = items_from_document(doc, checklist)
    kinds = [i.kind for i in items]
    assert kinds[0] == "document" and kinds.count("document") == 1
    sections = [i for i in items if i.kind == "section"]
    assert len(sections) == sum(1 for _ in doc.sections())
    assert len([i for i in items if i.kind == "obligation"]) == len(checklist["obligations"])
    assert len({i.id for i in items}) == len(items)  # ids unique
    sec = next(i for i in sections if i.heading == "（二）蹲点时间")
    assert sec.path == "二、蹲点安排 > （二）蹲点时间"
    assert (sec.title, sec.issuer, sec.doc_number, sec.date) == (doc.title, doc.issuer, doc.doc_number, doc.date)
    assert sec.year == int(doc.date[:4]) and sec.region == "赣州市"
    assert "60天" in sec.text and sec.extras["source"] == "2023_ganzhou_dundian_fangan.docx"
    # the same file gives the same ids (upsert works across re-ingests)
    assert [i.id for i in items_from_document(load(ROOT / "corpora" / "notices" / "2023_ganzhou_dundian_fangan.docx"),
                                              checklist)] == [i.id for i in items]


def test_item_from_a_corpus_log():
    rec = json.loads((ROOT / "corpora" / "logs" / "test.jsonl").read_text(encoding="utf-8").splitlines()[1])
    it = item_from_log(rec)
    assert it.kind == "log" and it.id == rec["id"] == it.doc_id and it.text == rec["text"]
    assert it.date == rec["date"] and it.year == int(rec["date"][:4]) and it.region == rec["region"]
    assert it.extras["task_ids"] == rec["tasks"] and it.extras["risk_ids"] == rec["risks"]
    assert len(it.tags) == len(rec["tasks"]) and all(not t.isascii() for t in it.tags)  # Chinese names
