"""The union-work gate of the task labels (nlp/tagging/gate.py, Tagger._decision_matrix):
its cue columns, what it learns from a small made-up fixture, and how its output decides
`other` against the union tasks. No tagger is trained here."""
from __future__ import annotations

import numpy as np
import pytest

from nlp.tagging import Tagger, gate, load_taxonomy
from nlp.tagging.normalize import normalize

# made-up texts in the two kinds the gate tells apart
UNION_WORK = ["区总工会干部走访园区企业，为一线职工送清凉", "公司工会召开职代会，审议集体合同草案",
              "街道工会联合会组织外卖骑手集中入会", "市总工会开展困难职工帮扶慰问活动",
              "工会主席带队到工地座谈，听取农民工意见", "镇工会举办职工技能竞赛，评选岗位能手"]
NO_UNION = ["网传某厂大规模裁员，公司发布声明称系谣言", "记者从派出所获悉，一男子爬上塔吊讨薪",
            "网友爆料某工地拖欠工资，当地人社部门回应正在核查", "据了解，事故造成两人受伤，应急管理部门已介入",
            "视频称骑手倒地猝死，警方通报系低血糖晕倒", "某公司回应降薪传闻：消息不实"]


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def columns(taxonomy, texts):
    n = len(taxonomy.task_ids)
    return gate.features([normalize(t) for t in texts], np.zeros((len(texts), n)), np.full(n, 0.5),
                         taxonomy.task_ids.index("other"))


def test_columns_read_who_acts_and_what_kind_of_text(taxonomy):
    X = columns(taxonomy, [UNION_WORK[0], NO_UNION[0]])
    col = {f: X[:, i] for i, f in enumerate(gate.FEATURES)}
    assert col["union"][0] > 0 and col["no_union_news"][0] == 0
    assert col["union"][1] == 0 and col["no_union_news"][1] > 0


def test_the_gate_learns_news_without_union_work_from_a_small_fixture(taxonomy):
    """Trained on four of each kind, it puts the two unseen texts of each on their side."""
    train = UNION_WORK[:4] + NO_UNION[:4]
    y = np.array([False] * 4 + [True] * 4)
    coef, bias = gate.fit(columns(taxonomy, train), y, np.ones(len(y)))
    p = gate.proba(columns(taxonomy, UNION_WORK[4:] + NO_UNION[4:]), coef, bias)
    assert p[:2].max() < 0.5 < p[2:].min()


def test_without_both_kinds_the_gate_never_fires(taxonomy):
    coef, bias = gate.fit(columns(taxonomy, UNION_WORK), np.zeros(len(UNION_WORK), bool), np.ones(len(UNION_WORK)))
    assert gate.proba(columns(taxonomy, NO_UNION), coef, bias).max() < 1e-6


def test_the_gate_decides_other_against_the_union_tasks(taxonomy):
    t = Tagger(taxonomy)
    labels = t.task_labels
    t.task_thresholds = {l: 0.5 for l in labels}
    t.gate_bar = 0.6
    P = np.full((4, len(labels)), 0.1)
    P[0, labels.index("rights_services")] = 0.9  # a union task passes, gate low: that task
    P[1, labels.index("rights_services")] = 0.9  # a union task passes, gate high: other alone
    P[2, labels.index("research")] = 0.3  # nothing passes, gate low: the most probable union task,
    P[2, labels.index("other")] = 0.4  # even where other is more probable
    P[3, labels.index("other")] = 0.9  # gate just under the bar: no other
    g = np.array([0.1, 0.7, 0.2, 0.59])
    assert t._task_decisions(P, g) == [["rights_services"], ["other"], ["research"], [labels[int(np.argmax(
        np.where(np.arange(len(labels)) == labels.index("other"), -1, P[3])))]]]
    # without a gate, the heads' own rule: other when it passes and no union task does
    assert t._task_decisions(P)[2:] == [["other"], ["other"]]
