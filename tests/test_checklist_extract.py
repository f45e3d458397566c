"""End-to-end checklist extraction on the project's sample notices (real files of
several formats). Expected duties, quotas, deadlines, roster entries and table rows
were read off the notices by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.load import load
from nlp.checklist import EXTRACTOR_VERSION, Checklist, extract

NOTICES = Path(__file__).resolve().parents[1] / "corpora" / "notices"


@pytest.fixture(scope="module")
def jian() -> Checklist:
    return extract(load(NOTICES / "2024_jian_zhongda_shixiang.txt"))


def _find(cl: Checklist, fragment: str):
    hits = [o for o in cl.obligations if fragment in o.text]
    assert hits, f"no obligation holds {fragment!r}"
    return hits[0]


def test_shape_follows_the_schema(jian):
    d = jian.to_dict()
    assert set(d) >= {"document", "obligations", "roster", "tables"}
    assert d["document"]["doc_number"] == "吉工办发〔2024〕11号"
    for o in d["obligations"]:
        assert set(o) >= {"id", "text", "section", "actors", "action", "modality", "tier", "quotas", "deadlines",
                          "frequency", "start", "end", "part"}
        assert o["tier"] in ("hard", "soft") and o["modality"] in ("must", "should", "may")
    assert len({o["id"] for o in d["obligations"]}) == len(d["obligations"])
    json.dumps(d, ensure_ascii=False)
    assert EXTRACTOR_VERSION


def test_offsets_point_at_the_source_clause(jian):
    doc = load(NOTICES / "2024_jian_zhongda_shixiang.txt")
    for o in extract(doc).obligations:
        source = "".join(doc.text[o.start:o.end].split())
        assert "".join(o.text.split()) in source


def test_duties_of_the_notice(jian):
    urgent = _find(jian, "第一时间电话报告市总工会")
    assert urgent.tier == "hard" and urgent.modality == "must"
    assert any("县（市、区）总工会" in a for a in urgent.actors)
    assert [d.recurrence for d in urgent.deadlines] == ["relative"]
    assert urgent.section == ["二、报告时限", "（一）紧急报告"]

    monthly = _find(jian, "每月5日前")
    assert [(d.recurrence, d.day) for d in monthly.deadlines] == [("monthly", 5)]
    assert monthly.actors == ["各县（市、区）总工会"]
    scan = _find(jian, "每月开展一次排查")
    assert scan.frequency is not None and scan.frequency.every == "month"

    roster = _find(jian, "信息员名单")
    assert [(d.recurrence, d.year, d.month, d.day) for d in roster.deadlines] == [("once", 2024, 4, 10)]
    assert [(x.kind, x.min, x.max) for x in roster.quotas] == [("people", 1, 1)]

    office = _find(jian, "负责重大事项报告的受理")
    assert office.actors == ["市总工会权益保障部"] and office.tier == "hard"


def test_no_signature_date_or_condition_list_items(jian):
    texts = " ".join(o.text for o in jian.obligations)
    assert "印发" not in texts and "2024年3月28日" not in texts
    assert not any(o.text.startswith("涉及30人以上") for o in jian.obligations)


def test_docx_roster_and_table():
    cl = extract(load(NOTICES / "2023_ganzhou_dundian_fangan.docx"))
    roster = {(r.name, r.role) for r in cl.roster}
    assert {("钟华明", "组长"), ("刘洋", "副组长"), ("黄斌", "副组长"), ("谢建国", "成员"), ("肖文彬", "成员"),
            ("温静", "办公室主任")} <= roster
    assert all(r.group and "领导小组" in r.group for r in cl.roster)
    (table,) = cl.tables
    assert table["header"] == ["联系领导", "蹲点工作组", "蹲点单位", "组长"]
    # the leader's cell spans two rows: repeated down
    assert ["钟华明", "第二工作组", "赣州经济技术开发区", "温静"] in table["rows"]
    yearly = _find(cl, "2月底前")
    assert [(d.recurrence, d.month, d.day) for d in yearly.deadlines] == [("yearly", 2, 28)]
    assert [(q.min, q.max, q.unit) for q in yearly.quotas] == [(2, 3, "个")]


def test_pdf_notice():
    cl = extract(load(NOTICES / "2024_jiujiang_songqingliang_tongzhi.pdf"))
    plan = _find(cl, "制定本地活动方案")
    assert [(d.recurrence, d.year, d.month, d.day) for d in plan.deadlines] == [("once", 2024, 6, 15)]
    assert plan.actors == ["各县（市、区）总工会"]
    patrol = _find(cl, "巡查一次")
    assert patrol.frequency.every == "month"
    # contact lines are not duties
    assert not any("0792" in o.text for o in cl.obligations)
