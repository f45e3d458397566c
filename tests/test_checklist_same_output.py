"""A checklist run loads less than it used to (no spaCy, no scikit-learn, jieba's
dictionary from a prepared file, each run of text segmented once), and its output is
the same. The reference is computed here by the libraries the run used before:
spaCy's jieba tokenizer and Matcher, jieba.posseg called on every text, the fitted
scikit-learn pipeline (duty.joblib) and sklearn-crfsuite CRF (actors.joblib)."""
from __future__ import annotations

import json
from pathlib import Path

from ingest.errors import GongwenError
from ingest.load import load
from nlp.resources import shared_root

ROOT = Path(__file__).resolve().parents[1]


def _notices() -> list[Path]:
    dirs = [ROOT / "corpora" / "notices", shared_root(ROOT) / "seeds"]
    return [f for d in dirs if d.is_dir() for f in sorted(d.iterdir()) if not f.name.endswith(".json")]


class _SpacyDoc:
    """spaCy's Doc of a text, with jieba.posseg's pairs beside it (the old readers)."""

    def __init__(self, text: str) -> None:
        import jieba.posseg

        from nlp.language import nlp

        self._doc = nlp()(text)
        self.text = text
        self.pos = [(p.word, p.flag) for p in jieba.posseg.cut(text)]

    def __len__(self):
        return len(self._doc)

    def __getitem__(self, i):
        return self._doc[i]


class _SpacyMatcher:
    """spaCy's Matcher with the readers' own patterns, answering with labels."""

    def __init__(self, ours) -> None:
        from spacy.matcher import Matcher

        from nlp.language import nlp

        self._m = Matcher(nlp().vocab)
        for label, patterns in ours.specs:
            self._m.add(label, patterns)

    def __call__(self, doc):
        from nlp.language import nlp

        strings = nlp().vocab.strings
        return [(strings[i], s, e) for i, s, e in self._m(doc._doc)]


def _checklists(files: list[Path]) -> dict[str, dict]:
    from nlp.checklist import extract
    from nlp.checklist.extract import clear_caches

    clear_caches()
    out = {}
    for f in files:
        try:
            doc = load(f)
        except GongwenError:
            continue
        out[f.name] = extract(doc).to_dict()
    return out


def test_checklists_are_those_of_the_libraries_they_stand_in_for(monkeypatch):
    import importlib

    import jieba.posseg

    from nlp import analysis
    from nlp.checklist import actor_model, duty_model, frequency, modality

    extract = importlib.import_module("nlp.checklist.extract")  # the module (the package exports the function)

    files = _notices()
    assert len(files) >= 13
    fast = _checklists(files)

    ref_modality, ref_frequency = _SpacyMatcher(modality._matcher()), _SpacyMatcher(frequency._matcher())
    for module in (extract, modality, frequency):
        monkeypatch.setattr(module, "analyse", _SpacyDoc)
    monkeypatch.setattr(modality, "_matcher", lambda: ref_modality)
    monkeypatch.setattr(frequency, "_matcher", lambda: ref_frequency)
    monkeypatch.setattr(analysis, "pos", lambda text: [(p.word, p.flag) for p in jieba.posseg.cut(text)])
    monkeypatch.setattr(analysis, "words", jieba.lcut)
    monkeypatch.setattr(duty_model, "load_model", duty_model.load_pipeline)
    monkeypatch.setattr(actor_model, "load_model", actor_model.load_crf)
    reference = _checklists(files)

    assert sum(len(c["obligations"]) for c in reference.values()) > 100
    assert json.dumps(fast, ensure_ascii=False, sort_keys=True) == json.dumps(reference, ensure_ascii=False, sort_keys=True)
