"""Who acts in a clause (nlp.checklist.actors.clause_actors) where real notices name the
doer after a lead word: 要求X / 请X, a time word before the doer, a body asked in a later
comma clause. Self-written sentences."""
from __future__ import annotations

import pytest

from nlp.checklist.actors import clause_actors


@pytest.mark.parametrize("clause, names", [
    ("要求各部门组织本部门职工报名", ["各部门"]),          # 要求 before the doer, not 要 + 求…
    ("请参赛选手自带球拍", ["参赛选手"]),                # 请 + people, no modal word after them
    ("赛前各代表队应到检录处签到", ["各代表队"]),          # a time word before the doer
    ("要求各分会至少组织一次观影活动", ["各分会"]),        # 至少 + a verb: the body acts
])
def test_doer_after_a_lead_word(clause, names):
    m = clause_actors(clause)
    assert m is not None and list(m.names) == names


@pytest.mark.parametrize("clause", [
    "并于会后将签到表的复印件报区工会",  # a preposition phrase is no qualified name
    "专职工作人员至少3名",              # the subject is a measure, not a doer
])
def test_no_doer(clause):
    assert clause_actors(clause) is None


def test_asked_is_marked():
    assert clause_actors("请各基层工会积极组织").asked
    assert not clause_actors("各基层工会要积极组织").asked


def test_body_asked_in_a_later_clause_acts(tmp_path):
    """区总工会近日发文…，请各基层工会…: the checklist names the body asked."""
    from ingest.load import load
    from nlp.checklist.extract import extract

    src = tmp_path / "n.txt"
    src.write_text("关于组织参加职工书法比赛的通知\n各基层工会：\n"
                   "近日区总工会下发通知，将举办职工书法比赛，请各基层工会广泛发动，于6月10日前报送作品。\n"
                   "某某街道总工会\n2024年5月6日\n", encoding="utf-8")
    items = [o for o in extract(load(src)).obligations if "作品" in o.text]
    assert items and all("各基层工会" in o.actors and "区总工会" not in o.actors for o in items)
