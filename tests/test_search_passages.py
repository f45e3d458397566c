"""One hit per passage: a duty the checklist extracted from a clause is shown inside
that clause's hit, not as a second hit with the same sentence; facets and totals
count the passage once; asking for duties alone still lists each duty."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.search import items_from_document, open_index
from ingest.load import load
from nlp.checklist.extract import extract

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "corpora" / "notices" / "2021_mianyang_bangfu_banfa.txt"


@pytest.fixture(scope="module")
def items():
    doc = load(NOTICE)
    cl = extract(doc)
    return items_from_document(doc, cl.to_dict() if hasattr(cl, "to_dict") else cl.model_dump())


@pytest.fixture(params=["tantivy", "whoosh"])
def ix(request, tmp_path, items):
    ix = open_index(tmp_path / request.param, request.param)
    ix.add(items)
    yield ix
    ix.close()


def _words(text: str) -> str:
    """A query of the duty's own longest words (found wherever its text is)."""
    from index.search.analysis import segment

    return " ".join(sorted({w for w in segment(text) if len(w) > 1}, key=len, reverse=True)[:3])


def _folded(items):
    return [i for i in items if i.kind == "obligation" and i.extras.get("passage")]


def test_a_duty_is_folded_into_the_clause_it_came_from(items):
    folded = _folded(items)
    assert folded, "the sample notice's duties come from its clauses"
    by_id = {i.id: i for i in items}
    for duty in folded:
        clause = by_id[duty.extras["passage"]]
        assert clause.kind == "section"
        assert clause.extras["start"] <= duty.extras["start"] and duty.extras["end"] <= clause.extras["end"]
        assert duty.id in [d["id"] for d in clause.extras["duties"]]
        assert set(duty.extras.get("actors") or []) <= set(clause.tags)


def test_a_page_holds_each_passage_once_with_the_duty_inside(ix, items):
    duty = _folded(items)[0]
    res = ix.search(_words(duty.text), per_page=50)
    ids = [h.id for h in res.hits]
    assert duty.id not in ids
    clause = next(h for h in res.hits if h.id == duty.extras["passage"])
    assert duty.id in [d["id"] for d in clause.fields["extras"]["duties"]]
    assert res.total == len(ids)
    kinds = dict(res.facets["kind"])
    assert sum(kinds.values()) == res.total and "obligation" not in kinds


def test_asking_for_duties_alone_lists_each_duty(ix, items):
    duty = _folded(items)[0]
    res = ix.search(_words(duty.text) + " kind:obligation", per_page=50)
    assert duty.id in [h.id for h in res.hits]
    assert all(h.kind == "obligation" for h in res.hits)
    res = ix.search("", filters={"kind": "obligation"}, per_page=200)
    assert res.total == sum(1 for i in items if i.kind == "obligation")
