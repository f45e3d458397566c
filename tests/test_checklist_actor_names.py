"""A doer's name as the user reads it in an exported checklist (nlp.checklist.actors.tidy_name,
applied last by actor_model.tidy_names): no stage label or 由/经/凡 before the unit, no 组队 after
it, no bracket left open. Self-written names."""
from __future__ import annotations

import pytest

from nlp.checklist.actors import tidy_name


@pytest.mark.parametrize("read, shown", [
    ("第三阶段由各市（州）总工会", "各市（州）总工会"),   # a stage label and 由 before the unit
    ("（四）各直属工会", "各直属工会"),                  # an ordinal label
    ("经区工会", "区工会"),                              # 经 governing the body that decides
    ("经报县总工会主席", "县总工会主席"),
    ("凡我厂工会会员", "我厂工会会员"),                  # 凡 before the people it covers
    ("各车间分工会组队", "各车间分工会"),                # the team-forming verb after the unit
    ("基层工会自行组队", "基层工会"),
    ("组队", ""),                                        # nothing of a name is left
    ("各科室(处", "各科室"),                             # a bracket the cut left open
    ("各班组代表（各班组", "各班组代表"),
])
def test_residue_around_a_doer_is_trimmed(read, shown):
    assert tidy_name(read) == shown


@pytest.mark.parametrize("name", [
    "经理", "经信局", "经开区管委会",          # names that open on 经
    "各县（市、区）总工会", "工会（委）",        # brackets that close
    "由于",                                      # not 由 + a unit
    "赛事组队",                                  # no unit before 组队: not trimmed into a non-name
    "各分会",
])
def test_a_clean_name_is_kept(name):
    assert tidy_name(name) == name


def test_the_checklist_shows_each_tidied_doer_once_and_drops_an_empty_one():
    from nlp.checklist.actor_model import tidy_names
    from nlp.checklist.extract import Checklist, Obligation

    def item(actors):
        return Obligation(id="x", text="做好工作", section=[], actors=list(actors), action="做好工作",
                          modality="须", tier="hard", actor_source="clause")

    cl = Checklist(document={}, obligations=[item(["经院工会", "院工会"]), item(["组队", "各分会组队"]), item(["各分会"])],
                   roster=[], tables=[])
    tidy_names(cl)
    assert [o.actors for o in cl.obligations] == [["院工会"], ["各分会"], ["各分会"]]
