"""One analysis of a text, shared by every stage that reads it.

`analyse(text)` gives a `Tokens`: jieba's words with their character offsets, exactly
the tokens spaCy's Chinese tokenizer (segmenter "jieba") makes of the text, and jieba's
part-of-speech words (`.pos`), computed on first use. It is a small stand-in for a spaCy
`Doc` (`doc[i].text`, `doc[s:e].text`, `.start_char`, `.end_char`): the checklist
readers match their patterns over it (`nlp.matcher`) without importing spaCy.

Segment once: jieba cuts a text run by run (a run is a stretch of Han characters,
Latin letters and digits; punctuation and spaces between runs are cut on their own),
and no run's cut depends on its neighbours. So the cut of each run is memoised, and a
clause, the sentence holding it and the duty item made of several clauses share the
work: each run is segmented once per process, whichever text it is met in.
tests/test_analysis.py checks the result against jieba's own cut of whole texts.

Field logs are cut once, when they are stored: `log_words(log)` (jieba's words with HMM
off, the cut topics reads) is kept with the log with the `dictionary_version()` it was
cut with, and read back instead of cut again while that version holds."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

from nlp import import_jieba

jieba = import_jieba()


# big enough for a long notice's runs many times over; bounded for bulk jobs
_RUNS = 1 << 16


# The domain dictionary is loaded at the first cut, not looked up on every call (finding
# its path reads the settings: it took a third of a checklist's time); loading another
# one (nlp.language.load_user_dict) clears everything here.
_ready = False
_pos_tk = None


@lru_cache(maxsize=_RUNS)
def _words_run(run: str) -> tuple[str, ...]:
    global _ready
    if not _ready:
        from nlp.language import load_user_dict

        load_user_dict()
        _ready = True
    return tuple(jieba.dt.cut(run))


@lru_cache(maxsize=_RUNS)
def _pos_run(run: str) -> tuple[tuple[str, str], ...]:
    global _pos_tk
    if _pos_tk is None:
        from nlp.language import pos_tokenizer

        _pos_tk = pos_tokenizer()
    return tuple((p.word, p.flag) for p in _pos_tk.cut(run))


def words(text: str) -> list[str]:
    """jieba's words of `text` (HMM on), as `jieba.lcut(text)` with the domain dictionary."""
    out: list[str] = []
    for run in jieba.re_han_default.split(text):
        if run:
            out.extend(_words_run(run))
    return out


# jieba.posseg's own split into runs (imported with the POS table: nlp.language.pos_tokenizer)
_POS_RUNS = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")


def pos(text: str) -> list[tuple[str, str]]:
    """(word, flag) pairs of `text`, as `jieba.posseg.cut(text)` with the domain dictionary."""
    out: list[tuple[str, str]] = []
    for run in _POS_RUNS.split(text):
        if run:
            out.extend(_pos_run(run))
    return out


class Token(NamedTuple):
    text: str
    idx: int  # character offset in the text, as spaCy's Token.idx
    i: int


class Span:
    """Tokens start..end of a `Tokens` (spaCy's `doc[s:e]`)."""

    __slots__ = ("doc", "start", "end")

    def __init__(self, doc: "Tokens", start: int, end: int) -> None:
        self.doc, self.start, self.end = doc, start, end

    @property
    def start_char(self) -> int:
        return self.doc.starts[self.start] if self.start < self.end else 0

    @property
    def end_char(self) -> int:
        if self.start >= self.end:
            return 0
        return self.doc.starts[self.end - 1] + len(self.doc.words[self.end - 1])

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char:self.end_char]

    def __len__(self) -> int:
        return max(0, self.end - self.start)

    def __iter__(self) -> Iterator[Token]:
        for i in range(self.start, self.end):
            yield self.doc[i]


class Tokens:
    """A text with its jieba tokens (spaCy's alignment: a single space after a word
    belongs to that word, other whitespace is a token of its own)."""

    __slots__ = ("text", "words", "starts", "_pos")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words, self.starts = _align([w for w in words(text) if w], text)
        self._pos: list[tuple[str, str]] | None = None

    @property
    def pos(self) -> list[tuple[str, str]]:
        """jieba's (word, part of speech) pairs; its cut may differ from `words`."""
        if self._pos is None:
            self._pos = pos(self.text)
        return self._pos

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, _ = i.indices(len(self.words))
            return Span(self, start, stop)
        if i < 0:
            i += len(self.words)
        return Token(self.words[i], self.starts[i], i)

    def __iter__(self) -> Iterator[Token]:
        for i in range(len(self.words)):
            yield self[i]


def _align(words: list[str], text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """spaCy's util.get_words_and_spaces: whitespace words dropped, each word found in
    the text from where the last one ended, the gap before it a token of its own, one
    space after it its trailing whitespace."""
    out: list[str] = []
    starts: list[int] = []
    at = 0
    for w in words:
        if w.isspace():
            continue
        found = text.find(w, at)
        if found < 0:
            raise ValueError(f"word {w!r} not in text {text!r}")
        if found > at:
            out.append(text[at:found])
            starts.append(at)
        out.append(w)
        starts.append(found)
        at = found + len(w)
        if at < len(text) and text[at] == " ":
            at += 1
    if at < len(text):
        out.append(text[at:])
        starts.append(at)
    return tuple(out), tuple(starts)


@lru_cache(maxsize=8192)
def analyse(text: str) -> Tokens:
    """The `Tokens` of `text` (memoised: the readers ask for the same clause often)."""
    return Tokens(text)


def plain_words(text: str) -> list[str]:
    """Every token of `text`, punctuation and spaces included, as `jieba.lcut(text,
    HMM=False)` with the domain dictionary: the search analyzer's cut
    (`index.search.analysis.backend`: jieba's own DAG and route, by jieba-rs or by the
    dictionary automaton), 10x faster than jieba. It reads 〇 as part of a run and splits \\r\\n, which jieba
    does not: such texts go to jieba itself (tests/test_topics.py compares both)."""
    if "〇" in text or "\r\n" in text:
        from nlp.language import load_user_dict

        load_user_dict()
        return jieba.lcut(text, HMM=False)
    from index.search.analysis import backend

    b = backend()
    words = b.cut(text)  # jieba-rs over the same dictionary, where it cuts the same (4-5x faster)
    if words is not None:
        return words
    spans, _ = b.spans(text)
    return [text[s:e] for s, e in spans]


def log_text(log: dict) -> str:
    """A field log's text without its own unit's name: company names are no subject."""
    text = str(log["text"])
    unit = str(log.get("unit") or "")
    return text.replace(unit, " ") if len(unit) >= 2 else text


def log_words(log: dict) -> list[str]:
    """The words of a field log (`plain_words` of `log_text`), as they are stored with it."""
    return plain_words(log_text(log))


@lru_cache(maxsize=1)
def dictionary_version() -> str:
    """A digest of the dictionaries a cut depends on (jieba's main dictionary and the
    domain one): stored words cut under another version are cut again."""
    import hashlib

    from index.search.analysis import _Backend

    h = hashlib.sha256()
    for path in _Backend._dictionaries():
        h.update(path.read_bytes() if path.is_file() else b"")
    return h.hexdigest()[:16]


def stored_words(log: dict) -> list[str] | None:
    """The words stored with `log` when they were cut under today's dictionaries."""
    words = log.get("words")
    if isinstance(words, list) and log.get("words_version") == dictionary_version():
        return words
    return None


def clear() -> None:
    """Forget every memoised cut (a new dictionary was loaded; benchmarks of unseen text)."""
    global _ready, _pos_tk
    _ready, _pos_tk = False, None
    _words_run.cache_clear()
    _pos_run.cache_clear()
    analyse.cache_clear()
    dictionary_version.cache_clear()
