"""The everyday-words list (corpora/synonyms_colloquial.txt): search reads it beside the
hand list, and each of its groups says which judged queries and notices it stands for."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index.search import Item, analysis, open_index

ROOT = Path(__file__).resolve().parents[1]
LIST = ROOT / "corpora" / "synonyms_colloquial.txt"


@pytest.fixture(params=["tantivy", "whoosh"])
def engine(request):
    return request.param


def _section(id_: str, heading: str, text: str) -> Item:
    return Item(id=id_, kind="section", doc_id=id_.split(":")[0], heading=heading, text=text, title="通知")


def test_each_group_names_judged_queries_of_more_than_one_set():
    asked = {}
    for f in (ROOT / "corpora" / "relevance").glob("*_queries.jsonl"):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                asked[json.loads(line)["id"]] = f.name
    lines = LIST.read_text(encoding="utf-8").splitlines()
    groups = [i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    assert groups
    for i in groups:
        said = lines[i - 1]
        ids = re.findall(r"\b[a-z]{2}\d{2}\b", said.split("/")[0])
        assert said.startswith("#") and len(ids) >= 2, lines[i]
        assert all(q in asked for q in ids), said
        assert len({asked[q] for q in ids}) >= 2, said  # several sets, not one query's wording


def test_a_colloquial_group_is_searched_like_the_hand_list(tmp_path, engine):
    analysis.reset()
    assert "交通补助" in analysis.synonyms().by_word.get("交通补贴", ())
    ix = open_index(tmp_path / "c", engine)
    ix.add([_section("E:1", "一、报送", "请各分会于月底前报送年度总结，并附活动照片。"),
            _section("F:1", "二、其他", "会议另行通知。")])
    # the notice says 年度总结 where a person types 年终总结: found, not answered with nothing
    res = ix.search("年终总结")
    assert [h.id for h in res.hits] == ["E:1"]
    ix.close()
