"""Text analysis shared by both search engines: normalisation, jieba segmentation
with the domain dictionary, sub-words at the position of their word (so 清华 finds
清华大学 and 蹲点 finds 蹲点工作组, like IK's max-word mode) and synonym groups.

Positions are token positions (0, 1, 2, …) and sub-words share their word's
position, so phrase queries match consecutive words; offsets are character
offsets into the original text, so snippets are cut from what the user wrote.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

ROOT = Path(__file__).resolve().parents[2]

# Full-width ASCII → half-width and A-Z → a-z, one char for one char so offsets hold.
_FW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FW[0x3000] = 0x20
_NORM_LOWER = str.maketrans({chr(k): chr(v).lower() for k, v in _FW.items()} | {chr(c): chr(c + 32) for c in range(65, 91)})

# Function words left out of a bare-word AND (they still count inside "phrases").
STOP = frozenset("的 了 和 与 及 或 是 在 对 等 之 其 并 也 就 都 而 被 把 从 以 于 为 由 向 将 有 要".split())

MAX_SUBWORD_PARENT = 16  # longer "words" are runs of Latin/digits; no sub-words there


class Token(NamedTuple):
    text: str
    pos: int
    start: int
    end: int


def corpora_dir() -> Path:
    env = os.environ.get("GONGWEN_CORPORA")
    return Path(env) if env else ROOT / "corpora"


def normalize(text: str) -> str:
    """Same length as `text`: full-width ASCII folded, Latin lower-cased."""
    return text.translate(_NORM_LOWER)


class _Backend:
    """The segmenter and the word list used to find sub-words.

    The dictionary is the project's (`nlp.language.load_user_dict` loads
    corpora/userdict.txt into jieba's global tokenizer) when that module is
    present, else a jieba tokenizer of our own with the same file. Search cuts
    with HMM off: dictionary-only segmentation (like IK) is context-free, so a
    word cuts the same in a query as inside a document."""

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tk = None
        try:
            from nlp import language  # type: ignore

            language.load_user_dict()
            tk = jieba.dt
            self.name = "jieba + nlp.language user dictionary (HMM off)"
        except Exception:  # noqa: BLE001 - absent or broken: our own tokenizer
            tk = jieba.Tokenizer()
            tk.initialize()
            user = corpora_dir() / "userdict.txt"
            if user.exists():
                tk.load_userdict(str(user))
            self.name = "jieba + corpora/userdict.txt (HMM off)"
        tk.check_initialized()
        self.freq: dict[str, int] = tk.FREQ
        self.cut: Callable[[str], object] = lambda text: tk.cut(text, HMM=False)


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


def _words(norm: str) -> Iterator[tuple[str, int, int]]:
    """Primary words of normalised text with their offsets (punctuation and spaces dropped)."""
    b = backend()
    at = 0
    for w in b.cut(norm):
        if not w:
            continue
        i = at if norm.startswith(w, at) else norm.find(w, at)
        if i < 0:  # the segmenter changed the text: skip rather than misplace offsets
            continue
        at = i + len(w)
        if w.isspace() or not _is_word(w):
            continue
        yield w.strip(), i, at


def analyze(text: str) -> list[Token]:
    """Index-time tokens: each word at its own position, then every dictionary
    word inside it (2 chars or more) at the same position."""
    if not text:
        return []
    norm = normalize(text)
    freq = backend().freq
    out: list[Token] = []
    pos = 0
    for w, s, e in _words(norm):
        out.append(Token(w, pos, s, e))
        n = len(w)
        if 2 < n <= MAX_SUBWORD_PARENT and not w.isascii():
            seen = set()
            for size in range(2, n):
                for i in range(n - size + 1):
                    g = w[i : i + size]
                    if g not in seen and freq.get(g):
                        seen.add(g)
                        out.append(Token(g, pos, s + i, s + i + size))
        pos += 1
    return out


def index_terms(text: str) -> str:
    """Tokens as one space-separated string (for debugging and simple engines)."""
    return " ".join(t.text for t in analyze(text))


@lru_cache(maxsize=4096)
def query_words(text: str) -> tuple[str, ...]:
    """Query-time tokens: the primary words only, in order (no sub-words), so a
    phrase is a sequence of consecutive positions."""
    return tuple(w for w, _, _ in _words(normalize(text)))


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

    @classmethod
    def load(cls, path: Path | None = None) -> Synonyms:
        path = path or corpora_dir() / "synonyms.txt"
        groups: list[list[str]] = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
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
            for w in self.words:
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
    global _backend, _syn
    _backend = None
    _syn = None
    query_words.cache_clear()
