"""The shared analysis (nlp.analysis, nlp.matcher, the prepared jieba dictionary) gives
what the libraries it stands in for give: jieba's own cut of whole texts, spaCy's
Chinese tokenizer's tokens, spaCy's Matcher's matches, jieba's own dictionary. The
references are computed here by those libraries, on the sample notices and the seeds."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.errors import GongwenError
from ingest.load import load
from nlp import analysis
from nlp.resources import shared_root

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    """Whole notices, their sentences and clauses (the pieces the checklist reads), and
    texts with the whitespace cases spaCy's alignment treats apart."""
    files = [f for d in (ROOT / "corpora" / "notices", shared_root(ROOT) / "seeds") if d.is_dir()
             for f in sorted(d.iterdir()) if not f.name.endswith(".json")]
    out: list[str] = []
    for f in files:
        try:
            text = load(f).text
        except GongwenError:
            continue
        out.append(text)
        for sent in re.split(r"(?<=[。；！？\n])", text):
            out.append(sent)
            out.extend(re.split(r"(?<=[，、：])", sent))
    out += ["", " ", "  各单位要  每月 报送 ", "每周一\u3000上午", "2024年 3月\r\n各县区", "A  B\tC ", " 根据 实际"]
    return tuple(dict.fromkeys(out))


def test_words_and_pos_are_jiebas_own_cut_of_the_whole_text():
    import jieba
    import jieba.posseg

    from nlp.language import load_user_dict

    load_user_dict()
    analysis.clear()
    for t in _texts():
        assert analysis.words(t) == jieba.lcut(t)
        assert analysis.pos(t) == [(p.word, p.flag) for p in jieba.posseg.cut(t)]


def test_runs_are_split_as_jieba_splits_them():
    import jieba
    import jieba.posseg

    assert analysis._POS_RUNS.pattern == jieba.posseg.re_han_internal.pattern


def test_tokens_are_spacys_tokens():
    from nlp.language import nlp

    for t in _texts():
        ref = nlp()(t)
        ours = analysis.analyse(t)
        assert [(x.text, x.idx) for x in ref] == [(x.text, x.idx) for x in ours]
        for s, e in ((0, 1), (1, 3), (0, len(ref))):
            if e <= len(ref):
                assert (ref[s:e].text, ref[s:e].start_char, ref[s:e].end_char) == \
                       (ours[s:e].text, ours[s:e].start_char, ours[s:e].end_char)


@pytest.mark.parametrize("module", ["nlp.checklist.modality", "nlp.checklist.frequency"])
def test_matches_are_spacy_matchers(module):
    import importlib

    from spacy.matcher import Matcher

    from nlp.language import nlp

    ours = importlib.import_module(module)._matcher()
    ref = Matcher(nlp().vocab)
    for label, patterns in ours.specs:
        ref.add(label, patterns)
    strings = nlp().vocab.strings
    n = 0
    for t in _texts():
        expect = [(strings[i], s, e) for i, s, e in ref(nlp()(t))]
        assert ours(analysis.analyse(t)) == expect, t
        n += len(expect)
    assert n > 100  # the texts exercise the patterns


def test_matcher_refuses_what_it_does_not_implement():
    from nlp.matcher import Matcher

    for bad in ([{"LOWER": "x"}], [{"TEXT": {"NOT_IN": ["x"]}}], [{"TEXT": "x", "OP": "?"}], []):
        with pytest.raises(ValueError):
            Matcher().add("x", [bad])


PROBE = """
import hashlib, json, jieba
from nlp.language import load_user_dict, pos_tokenizer
load_user_dict()
pt = pos_tokenizer()
pt.makesure_userdict_loaded()
tags = pt.word_tag_tab
digest = lambda x: hashlib.sha1(json.dumps(sorted(x.items()), ensure_ascii=False).encode()).hexdigest()
print(json.dumps([digest(jieba.dt.FREQ), jieba.dt.total, digest(tags)]))
"""
REFERENCE = """
import hashlib, json, jieba, jieba.posseg
from nlp.resources import user_dict_path
jieba.dt.tmp_dir = {tmp!r}
jieba.initialize()
jieba.load_userdict(str(user_dict_path()))
jieba.posseg.dt.makesure_userdict_loaded()
digest = lambda x: hashlib.sha1(json.dumps(sorted(x.items()), ensure_ascii=False).encode()).hexdigest()
print(json.dumps([digest(jieba.dt.FREQ), jieba.dt.total, digest(jieba.posseg.dt.word_tag_tab)]))
"""


def test_prepared_dictionary_is_jiebas_own(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"))

    def run(code: str) -> str:
        res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr[-2000:]
        return res.stdout.strip()

    # built without a prepared file (jieba's own loading), written, then read back
    first, second = run(PROBE), run(PROBE)
    prepared = sorted(p.name for p in (tmp_path / "cache" / "gongwen").glob("jieba-*.marshal"))
    assert [n.split("-")[1] for n in prepared] == ["both", "freq", "tags"]
    reference = run(REFERENCE.format(tmp=str(tmp_path / "ref")))
    assert first.splitlines()[-1] == second.splitlines()[-1] == reference.splitlines()[-1]
    # the checklist's order (POS tokenizer first): both tables from the one shared file
    pos_first = PROBE.replace("load_user_dict()\npt = pos_tokenizer()", "pt = pos_tokenizer()\nload_user_dict()")
    assert pos_first != PROBE
    assert run(pos_first).splitlines()[-1] == reference.splitlines()[-1]
    # a damaged file is not trusted: jieba's own loading, the same dictionary
    for p in (tmp_path / "cache" / "gongwen").glob("jieba-*.marshal"):
        p.write_bytes(b"\x00broken")
    assert run(PROBE).splitlines()[-1] == reference.splitlines()[-1]


def test_dictionary_tags_are_jiebas_and_leave_the_domain_tags_alone():
    """Topics read the main dictionary's tags; reading them no longer resets the POS
    table the checklist cuts with (jieba.posseg.dt.initialize() did: the domain
    dictionary's tags were lost for the rest of the process)."""
    import jieba
    import jieba.posseg

    from nlp.language import dictionary_tags, pos_tokenizer
    from nlp.resources import user_dict_path
    from nlp.topics.phrases import _tags

    parsed = object.__new__(jieba.posseg.POSTokenizer)
    parsed.load_word_tag(jieba.dt.get_dict_file())
    assert dictionary_tags() == parsed.word_tag_tab and _tags() == parsed.word_tag_tab
    tagged = [line.split() for line in user_dict_path().read_text(encoding="utf-8").splitlines() if len(line.split()) == 3]
    assert tagged
    tk = pos_tokenizer()
    tk.makesure_userdict_loaded()
    assert all(tk.word_tag_tab.get(w) == t for w, _, t in tagged)
