"""The learned reranker of the second look (index.search.ltr): scored without
scikit-learn as it was fitted, used by both engines through the one search path for
questions and relaxed queries only, and switched off by a setting. Texts here are
written for the tests."""
from __future__ import annotations

import numpy as np
import pytest

from index.search import Item, ltr, open_index
from scripts import load_script


@pytest.fixture(params=["tantivy", "whoosh"])
def engine(request):
    return request.param


@pytest.fixture
def restore():
    yield
    ltr.use(None)
    ltr._loaded = False  # the next search reads the shipped model again


def _section(i: str, heading: str, text: str, title: str = "通知") -> Item:
    return Item(id=i, kind="section", doc_id=i.split(":")[0], heading=heading, text=text, title=title)


ITEMS = [
    # the question's words in the text of one clause, and in the heading of another
    _section("A:p1s1", "一、报名", "职工书屋借阅证由工会统一办理，报名时带工作证。"),
    _section("B:p1s2", "二、借阅证办理", "详见附件。"),
    _section("C:p1s3", "三、其他", "书屋每周开放三天。"),
]


def _linear(**weights: float) -> ltr.Ranker:
    coef = [weights.get(f, 0.0) for f in ltr.FEATURES]
    return ltr.Ranker({"features": list(ltr.FEATURES), "kind": "linear", "coef": coef})


def test_trees_score_as_scikit_learn_fitted_them():
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(ltr.FEATURES)))
    y = (x[:, 0] > 0) * 2.0 + x[:, 4] * x[:, 9] + rng.normal(scale=0.1, size=400)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    m = HistGradientBoostingRegressor(max_iter=20, max_depth=3, early_stopping=False, random_state=0)
    m.fit((x - mean) / scale, y)
    r = ltr.Ranker.from_trees(m, mean, scale)
    assert np.allclose(r.score(x), m.predict((x - mean) / scale), atol=1e-9)
    # kept as JSON and read back, it scores the same
    again = ltr.Ranker(r.to_spec())
    assert np.array_equal(again.score(x), r.score(x))


def test_the_model_orders_a_questions_window_in_both_engines(tmp_path, engine, restore):
    ix = open_index(tmp_path / "i", engine)
    ix.add(ITEMS)
    q = "借阅证怎么办理"
    ltr.use(None)
    hand = [h.id for h in ix.search(q).hits]
    # a model that only trusts a heading holding the words puts that passage first
    ltr.use(_linear(c_heading=5.0))
    assert [h.id for h in ix.search(q).hits][0] == "B:p1s2"
    # one that trusts the text puts the clause first
    ltr.use(_linear(c_text=5.0))
    assert [h.id for h in ix.search(q).hits][0] == "A:p1s1"
    assert set(hand) == {h.id for h in ix.search(q).hits}  # reordered, nothing gained or lost
    ix.close()


def test_a_strict_query_keeps_the_hand_order(tmp_path, engine, restore):
    # every passage found holds every word typed: the model is not asked (ltr.ANY_WORD_ONLY)
    ix = open_index(tmp_path / "i", engine)
    ix.add([_section(f"D{i}:p1s{i}", f"第{i}条", f"工会组织职工{'参加' * (i % 4)}活动，经费由工会列支{i}元。")
            for i in range(12)])
    ltr.use(None)
    hand = [h.id for h in ix.search("工会 活动 经费").hits]
    ltr.use(_linear(place=-5.0))
    assert [h.id for h in ix.search("工会 活动 经费").hits] == hand
    ix.close()


def test_the_setting_switches_the_shipped_model_off(monkeypatch, restore):
    ltr._loaded = False
    assert ltr.model() is not None  # the shipped model (models/search/ranker.json)
    monkeypatch.setenv("GONGWEN_SEARCH_LEARNED", "0")
    ltr._loaded = False
    assert ltr.model() is None
    monkeypatch.delenv("GONGWEN_SEARCH_LEARNED")
    ltr._loaded = False
    monkeypatch.setattr(ltr, "LEARNED", False)
    assert ltr.model() is None


def test_a_missing_or_foreign_model_file_leaves_the_hand_formula(tmp_path, monkeypatch, restore):
    monkeypatch.setenv("GONGWEN_MODELS", str(tmp_path))
    ltr._loaded = False
    assert ltr.model() is None
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "ranker.json").write_text('{"features": ["other"], "kind": "linear", "coef": [1]}')
    ltr._loaded = False
    assert ltr.model() is None


def test_saying_nothing_is_decided_on_the_hand_formulas_page(tmp_path, engine, restore):
    # one clause holds every word of the question, a dozen share only its common word: the
    # hand formula's page holds the clause, so the page is shown; a model that ranked the
    # dozen first would leave a page covering little of the question, which is not read
    ix = open_index(tmp_path / "i", engine)
    ix.add([_section("F:p1s1", "一、钓鱼比赛", "钓鱼比赛报名截止到五月底，名单报工会。")]
           + [_section(f"G{i}:p1s1", f"{i}、比赛", f"第{i}场比赛在体育馆举行。") for i in range(12)])
    q = "钓鱼比赛怎么报名"
    ltr.use(None)
    hand = [h.id for h in ix.search(q).hits]
    assert hand and hand[0] == "F:p1s1"
    ltr.use(_linear(cover=-5.0))
    got = [h.id for h in ix.search(q).hits]
    assert got and "F:p1s1" not in got  # reordered: the clause left the first page
    ix.close()


def _bench_ltr():
    return load_script("bench/search_ltr.py")


def test_the_fitting_bench_removes_its_index_folder(engine):
    """bench/search_ltr.py indexes the notices in a temp folder per run; it must not stay
    behind (≈6 MB a run), whether the run ends normally or by an error."""
    bench = _bench_ltr()
    with bench.Corpus(ITEMS, {}) as corpus:
        hits = corpus.index(engine).search("借阅证", per_page=3).hits
        folder = corpus.folder
        assert hits and folder.is_dir()
    assert not folder.exists()
    with pytest.raises(RuntimeError), bench.Corpus(ITEMS, {}) as corpus:
        corpus.index(engine)
        folder = corpus.folder
        raise RuntimeError("a failing fold")
    assert not folder.exists()


def test_a_capture_is_keyed_by_the_search_code(monkeypatch, tmp_path):
    """The captured 'shipped' side must come from the search code being measured: a change
    to query planning makes another capture key."""
    bench = _bench_ltr()
    (tmp_path / "index" / "search").mkdir(parents=True)
    (tmp_path / "corpora").mkdir()
    plan = tmp_path / "index" / "search" / "query.py"
    plan.write_text("A = 1\n")
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    monkeypatch.setattr(bench, "made_by", lambda: "items")
    before = bench.capture_key()
    plan.write_text("A = 2\n")
    assert bench.capture_key() != before


def test_a_bench_run_ended_by_sigterm_removes_its_index_folder(tmp_path):
    """A bench run killed with SIGTERM (kill, a timeout) unwinds like an error: the index
    folder it made in the temp dir goes with it (dozens were left in /tmp)."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        "from bench.search_ltr import Corpus, terminable\n"
        "from index.search import Item\n"
        "items = [Item(id='A:p1s1', kind='section', doc_id='A', heading='一、报名', text='借阅证由工会办理。', title='通知')]\n"
        "with terminable() as stack:\n"
        "    corpus = stack.enter_context(Corpus(items, {}))\n"
        "    corpus.index('whoosh')\n"
        "    print(corpus.folder, flush=True)\n"
        "    time.sleep(120)\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    try:
        folder = Path(p.stdout.readline().strip())
        assert folder.is_dir() and folder.parent == tmp_path
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if p.poll() is None:
            p.kill()
    assert not folder.exists()
    assert not list(tmp_path.glob("gongwen-*"))


def test_a_query_word_with_pattern_characters_is_read_as_typed_in_every_field():
    # a concept's forms are searched as one pattern: 'c++' and '3.5%' must match only as typed
    # (not 'cc', not '3a5%'), in the passage and in each field the model reads
    from index.search import rerank
    from index.search.rerank import Concept

    concepts = [Concept("c++", ("c++",)), Concept("3.5%", ("3.5%",))]
    rows = [(2.0, "A:p1s1", {"title": "c++培训通知", "heading": "一、费用", "text": "上浮3.5%。", "kind": "section"}),
            (1.0, "B:p1s1", {"title": "cc培训通知", "heading": "一、费用", "text": "上浮3a5%。", "kind": "section"})]
    weights = [1.0, 1.0]
    helds = [[rerank._held(c, rerank._passage(d)) for c in concepts] for _, _, d in rows]
    assert helds == [[1.0, 1.0], [0.0, 0.0]]
    covers = [sum(h) / 2 for h in helds]
    read = [rerank._fields(d)[0] for _, _, d in rows]
    x = ltr.features(rows, concepts, weights, helds, covers, [3.0, 1.0], [0.0, 0.0], True, False, read)
    col = {f: i for i, f in enumerate(ltr.FEATURES)}
    assert x[:, col["c_title"]].tolist() == [0.5, 0.0]
    assert x[:, col["c_text"]].tolist() == [0.5, 0.0]
    # the fields read once by the second look give the features the stored fields give
    assert np.array_equal(x, ltr.features(rows, concepts, weights, helds, covers, [3.0, 1.0], [0.0, 0.0], True))
