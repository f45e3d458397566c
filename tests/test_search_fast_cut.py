"""The search analyzer cuts with jieba-rs (rjieba) loaded with its own dictionary
automaton's words and frequencies: every token, position, offset and sub-word is the
one the automaton's own route gives (`_segment_spans`), on the sample notices and logs,
the real notices and passages of ../shared and texts made to meet the edge cases."""
from __future__ import annotations

import json
from itertools import accumulate
from pathlib import Path

import pytest

from index.search import analysis
from nlp.resources import shared_root

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[str]:
    from ingest.load import load

    texts = [load(p).text for p in sorted((ROOT / "corpora" / "notices").iterdir()) if not p.name.endswith(".json")]
    for name in ("train.jsonl", "test.jsonl"):
        texts += [json.loads(line)["text"] for line in (ROOT / "corpora" / "logs" / name).read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    real = shared_root(ROOT) / "real-corpus"
    for path in sorted(real.glob("*.jsonl")) if real.is_dir() else []:
        texts += [json.loads(line).get("text") or "" for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts + [
        "", "  ", "二〇二四年三月走访", "第一行\r\n第二行 ABC123 x-ray 50% ＡＢＣ", "C919大飞机、5G基站", "拔河比賽與職工",
        "𠀀𠀁生僻字鿏元素 兀兀", "a b  c\t\n，。%%..--", "工会" * 40, "12.5%的职工、3,000元、No.5",
    ]


@pytest.fixture(scope="module")
def backend():
    b = analysis.backend()
    if b.cut("工会") is None:
        pytest.skip("rjieba is not installed: the analyzer cuts with the automaton alone")
    return b


def test_jieba_rs_cuts_as_the_automaton_does(backend):
    texts = _texts()
    assert len(texts) > 4000
    fast = 0
    for text in texts:
        norm = analysis.to_simplified(analysis.normalize(text))
        got = backend.cut(norm)
        if got is not None:
            fast += 1
            ends = list(accumulate(map(len, got)))
            assert list(zip([0] + ends[:-1], ends)) == backend.spans(norm)[0], text[:60]
        assert analysis._segment(norm, True) == analysis._segment_spans(norm, True), text[:60]
        assert analysis._segment(norm, False) == analysis._segment_spans(norm, False), text[:60]
        assert analysis._segment(norm, True, lambda *t: t) == [tuple(t) for t in analysis._segment_spans(norm, True)]
    assert fast > 0.9 * len(texts)  # the fast path is the usual one


def test_words_cache_is_bounded(backend, monkeypatch):
    monkeypatch.setattr(analysis, "WORD_CACHE", 3)
    backend.words.clear()
    for w in ("职工之家建设", "工会", "困难职工帮扶", "送清凉活动"):
        assert backend.words[w] == (backend.subwords(w) if len(w) > 2 else ())
    assert backend.words["，"] is None
    assert len(backend.words) <= 3


def test_texts_t2s_leaves_alone_skip_opencc_with_the_same_result():
    """to_simplified skips OpenCC for a text holding no character and no phrase that t2s
    changes (覆盖: 覆 changes only in 反覆): the result is OpenCC's, on the corpora and
    on every entry of OpenCC's t2s tables set in a sentence."""
    import opencc

    from ingest.simplified import _opencc, to_simplified, traditional_chars

    d = Path(opencc.__file__).parent / "dictionary"
    texts = _texts()
    for name in ("TSPhrases.txt", "TSCharacters.txt"):
        for line in (d / name).read_text(encoding="utf-8").splitlines():
            key = line.split("\t")[0]
            texts += [key, f"职工{key}之家", f"{key[:1]}盖{key[1:]}"]
    for text in texts:
        old = text
        if not traditional_chars().isdisjoint(text):
            conv = _opencc().convert(text)
            old = conv if len(conv) == len(text) else "".join(
                c if len(c := _opencc().convert(ch)) == 1 else ch for ch in text)
        assert to_simplified(text) == old, text[:40]


def test_quantity_markers_are_those_of_every_pattern_searched():
    """markers() skips a kind's search where its pattern cannot match (no 元/万 for
    money …): the markers are those of searching every pattern."""
    from index.search.questions import KINDS, MARK, markers

    texts = _texts() + ["3月20日", "10个工作日内", "之前", "截止", "5成", "50％", "百分之三十", "1.5万", "500元", "每年",
                        "1.5万元", "1.万元", "3 月 底", "五月中旬", "二〇二四年3\n月\n2.5日", "5 个工作日内", "七天前",
                        "不少于 3 次", "三成", "百分之 五", "3.5 %", "2万人", "一万名", "十 项", "3平方米", "x.5名"]
    for text in texts:
        assert markers(text) == [MARK[k] for k, rx in KINDS.items() if rx.search(text)], text[:40]


def test_the_cutter_loads_jieba_rs_without_its_own_dictionary(backend):
    """The cutter is jieba-rs over gongwen's dictionary: rjieba's package module, which builds a
    default Jieba() with jieba-rs's own dictionary at import (0.11 CPU-s a process), is not run;
    a later `import rjieba` gets the same class."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from index.search.analysis import backend\n"
            "words = backend().cut('组织职工开展拔河比赛')\n"
            "print(' '.join(words), 'rjieba' in sys.modules)\n"
            "import rjieba\n"
            "print(rjieba.Jieba is backend()._cutter.__class__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == " ".join(backend.cut("组织职工开展拔河比赛")) + " False" and out[1] == "True", out
