"""Second bars of the union tasks (TaggerConfig.task_second, Tagger._fit_second and
_second_bars): a union task that is not a text's most probable one needs a higher bar, chosen
on held-out probabilities. Made-up probability matrices; no tagger is trained here."""
from __future__ import annotations

import numpy as np
import pytest

from nlp.tagging import Tagger, load_taxonomy


@pytest.fixture()
def tagger():
    t = Tagger(load_taxonomy())
    t.task_thresholds = {l: 0.5 for l in t.task_labels}
    return t


def row(t: Tagger, **p: float) -> np.ndarray:
    r = np.full(len(t.task_labels), 0.05)
    for lab, x in p.items():
        r[t.task_labels.index(lab)] = x
    return r


def test_a_second_task_under_its_second_bar_is_dropped_the_first_never(tagger):
    P = np.array([row(tagger, research=0.9, rights_services=0.6),  # second task under 0.8: dropped
                  row(tagger, research=0.9, rights_services=0.85),  # over it: kept
                  row(tagger, rights_services=0.6),  # the only task: kept, whatever its bar
                  row(tagger, rights_services=0.7, research=0.6)])  # the most probable: kept
    both = {"research", "rights_services"}
    assert [set(d) for d in tagger._task_decisions(P)] == [both, both, {"rights_services"}, both]
    tagger.task_second = {"rights_services": 0.8}
    assert [set(d) for d in tagger._task_decisions(P)] == [{"research"}, both, {"rights_services"}, both]


def test_second_bars_apply_under_the_gate_too(tagger):
    tagger.gate_bar = 0.6
    tagger.task_second = {"rights_services": 0.8}
    P = np.array([row(tagger, research=0.9, rights_services=0.6), row(tagger, research=0.9, rights_services=0.6)])
    assert tagger._task_decisions(P, np.array([0.1, 0.9])) == [["research"], ["other"]]


def test_the_fit_raises_the_bar_of_a_label_given_one_too_many(tagger):
    """Held-out probabilities where rights_services beside a more probable research is right at
    0.85–0.9 and wrong at 0.55–0.7: its second bar lands between; research, never a second task
    given wrongly, keeps none."""
    rows, gold = [], []
    for p in (0.55, 0.6, 0.65, 0.7) * 3:
        rows.append(row(tagger, research=0.95, rights_services=p))
        gold.append(["research"])
    for p in (0.85, 0.9) * 3:
        rows.append(row(tagger, research=0.95, rights_services=p))
        gold.append(["research", "rights_services"])
    for p in (0.6, 0.9) * 3:  # rights_services alone: right at any probability
        rows.append(row(tagger, rights_services=p))
        gold.append(["rights_services"])
    P, Y = np.array(rows), tagger._binarize(gold, tagger.task_labels)
    tagger._gate_held = None
    tagger._fit_second(Y, P, None)
    assert set(tagger.task_second) == {"rights_services"}
    assert 0.7 < tagger.task_second["rights_services"] <= 0.85
    assert (tagger._decision_matrix(P) == Y).all()


def test_no_second_bar_where_extra_labels_are_right(tagger):
    P = np.array([row(tagger, research=0.95, rights_services=p) for p in (0.55, 0.6, 0.7, 0.9)])
    Y = tagger._binarize([["research", "rights_services"]] * 4, tagger.task_labels)
    tagger._gate_held = None
    tagger._fit_second(Y, P, None)
    assert tagger.task_second == {}
