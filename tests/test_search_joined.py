"""The tantivy engine hands each text field over as one string (`analysis.joined`) that
tantivy's own analyzer (`tantivy_engine.analyzer`) cuts: the tokens it gets must be
`analysis.analyze`'s, at the same positions, on the sample notices and logs, the real
notices and passages of ../shared and texts made to meet the edge cases, with the
dictionary of a full rebuild and with one made for a batch; and an index built so must
score every word and phrase as one built from the tokens themselves."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import tantivy

from index.search import analysis, common
from index.search.analysis import JOIN, analyze, joined, joined_parts
from index.search.tantivy_engine import ANALYZER, TEXT, TantivyIndex, analyzer

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[str]:
    from test_search_fast_cut import _texts as cut_texts

    return cut_texts() + [
        "产业工人队伍建设改革" * 3, "covid19疫情 abc123工会 x86_64", "12345678901234567890工会",
        "职工之家职工之家，工会工会工会", "ＡＢＣ职工 Ｃ９１９", "\ue000工会\ue000",
    ]


def _tokens(an: tantivy.TextAnalyzer, s: str) -> Counter:
    return Counter((t.text, t.position) for t in an.pre_tokenize(s).tokens)


def _want(text: str) -> Counter:
    return Counter((t.text, t.pos) for t in analyze(text))


@pytest.fixture(scope="module")
def texts():
    return _texts()


def test_joined_strings_cut_into_the_analyzers_tokens(texts):
    full = analyzer(None)
    made = {t: joined(t) for t in texts}
    batch = analyzer(joined_parts(made.values()))
    fell_back = [t for t, s in made.items() if s is None]
    assert len(texts) > 4000 and len(fell_back) < 0.01 * len(texts)
    for text, s in made.items():
        if s is None:
            continue
        want = _want(text)
        assert _tokens(full, s) == want, text[:60]
        assert _tokens(batch, s) == want, text[:60]
    assert joined("") == "" and not _tokens(full, joined("，。！"))


def test_a_word_the_analyzer_could_cut_otherwise_is_left_to_the_tokens(texts):
    # a long run of digits holding dictionary words, white space inside a word: never
    # handed to the analyzer, whose split dictionary might cut it (or its tokenizer split it)
    b = analysis.backend()
    for text in texts:
        s = joined(text)
        if s is None:
            words = b.cut(analysis.to_simplified(analysis.normalize(text))) or []
            assert any(b.joined[w] is None for w in words), text[:60]
    assert all(JOIN not in t.text for text in texts[:500] for t in analyze(text))


def _pretokenized_index(path: Path, items) -> tantivy.Index:
    """The same fields written from Token objects (the engine's way before schema 3)."""
    ix = TantivyIndex(path)
    ix.index.register_tokenizer(ANALYZER, analyzer(()))
    w = ix.index.writer(heap_size=50_000_000, num_threads=1)
    for it in items:
        d = tantivy.Document()
        for name, value in common.text_fields(it).items():
            if value:
                d.add_pre_tokenized_text(name, tantivy.PreTokenizedString(value, analyze(value, tantivy.Token)))
        w.add_document(d)
    w.commit()
    w.wait_merging_threads()
    ix.index.reload()
    return ix.index


def test_an_index_of_joined_strings_scores_as_one_of_tokens(tmp_path, monkeypatch):
    from index.search import item_from_log, parallel

    lines = (ROOT / "corpora" / "logs" / "train.jsonl").read_text(encoding="utf-8").splitlines()[:400]
    items = [item_from_log(json.loads(ln)) for ln in lines]
    ours = TantivyIndex(tmp_path / "joined")
    ours.add(items)  # a batch: its own split dictionary
    rebuilt = TantivyIndex(tmp_path / "rebuilt")
    monkeypatch.setattr(parallel.Segmenter, "MIN_ITEMS", 100)  # a large rebuild: the whole dictionary
    monkeypatch.setenv("GONGWEN_INDEX_WORKERS", "0")
    rebuilt.reindex(iter(items))
    ref = _pretokenized_index(tmp_path / "tokens", items)
    words = Counter(t.text for it in items[:60] for t in analyze(it.text))
    queries = [(f, [w]) for w, _ in words.most_common(40) for f in TEXT]
    for it in items[:10]:
        seq = analysis.query_words(it.text)
        queries += [("text", list(seq[i:i + n])) for n in (2, 3) for i in range(0, len(seq) - n, 4)]
    assert len(queries) > 250

    def hits(index, field, ws):
        # one commit each: one segment, the items in the order given
        index.reload()
        q = (tantivy.Query.term_query(index.schema, field, ws[0], index_option="freq") if len(ws) == 1
             else tantivy.Query.phrase_query(index.schema, field, ws))
        return [(round(score, 5), a.doc) for score, a in index.searcher().search(q, 50).hits]

    found = 0
    for field, ws in queries:
        want = hits(ref, field, ws)
        found += bool(want)
        assert hits(ours.index, field, ws) == want, (field, ws)
        assert hits(rebuilt.index, field, ws) == want, (field, ws)
    assert found > len(queries) // 2  # logs have no 文号: those fields match nothing
