"""Traditional → simplified Chinese (OpenCC t2s), one character for one character,
for every part of gongwen that folds the two scripts together (the document head, log
tagging, checklist readers, search queries); in ingest because every package may import
ingest. Light to import: OpenCC is loaded on the first text that needs it."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _opencc():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """Characters that t2s may change: texts without any of them skip OpenCC (fast path)."""
    import opencc

    d = Path(opencc.__file__).parent / "dictionary"
    chars: set[str] = set()
    # A phrase rule only fires on a phrase holding a traditional character, so the
    # characters that t2s changes (or may change) are enough for the fast path.
    for line in (d / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values.split() != [key]:
            chars.update(key)
    return frozenset(chars)


@lru_cache(maxsize=1)
def _changes() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """What t2s can change: the characters whose conversion is another character, and,
    by character, the phrases (TSPhrases) whose conversion differs from them. A text
    holding neither is its own conversion: 覆 (覆盖) is listed for 反覆 → 反复 alone,
    and OpenCC in pure Python took a quarter of indexing a text that holds it."""
    import opencc

    d = Path(opencc.__file__).parent / "dictionary"
    chars: set[str] = set()
    for line in (d / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values.split() and values.split()[0] != key:
            chars.update(key)
    phrases: dict[str, list[str]] = {}
    for line in (d / "TSPhrases.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values.split() and values.split()[0] != key:
            for ch in set(key):
                phrases.setdefault(ch, []).append(key)
    return frozenset(chars), {ch: tuple(v) for ch, v in phrases.items()}


@lru_cache(maxsize=2)
def _finder(chars: frozenset[str]) -> tuple[re.Pattern, frozenset[str]]:
    """A character class of `chars` in the Basic Multilingual Plane (the regex engine scans
    a text for it in C, where a set's isdisjoint makes a string object of every character:
    a twentieth of indexing), and the rest (one such character in the class would make
    the engine compare each character with every member instead)."""
    bmp = "".join(re.escape(c) for c in sorted(chars) if ord(c) <= 0xFFFF)
    return re.compile(f"[{bmp}]"), frozenset(c for c in chars if ord(c) > 0xFFFF)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _held(chars: frozenset[str], text: str) -> set[str]:
    """The characters of `chars` that `text` holds (chars & set(text))."""
    rx, astral = _finder(chars)
    found = set(rx.findall(text))
    if astral and _ASTRAL.search(text) is not None:
        found |= astral.intersection(text)
    return found


def _holds(chars: frozenset[str], text: str) -> bool:
    rx, astral = _finder(chars)
    if rx.search(text) is not None:
        return True
    return bool(astral) and _ASTRAL.search(text) is not None and not astral.isdisjoint(text)


@lru_cache(maxsize=4096)
def _phrases_of(ch: str) -> re.Pattern | None:
    """The TSPhrases that t2s changes and that hold `ch`, as one pattern (a text holding
    覆 is checked against its few hundred phrases in one scan, not one scan each)."""
    phrases = _changes()[1].get(ch)
    return re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True)))) if phrases else None


def _unchanged(text: str) -> bool:
    if _holds(_changes()[0], text):
        return False
    for ch in _held(traditional_chars(), text):
        rx = _phrases_of(ch)
        if rx is not None and rx.search(text) is not None:
            return False
    return True


def _convert_pieces(text: str) -> str:
    """`_opencc().convert(text)`, converting only the pieces that may change. OpenCC
    converts each piece between its separators (punctuation, white space) on its own, so
    a piece holding no character t2s may change is its own conversion, as a whole text
    is (the fast path of `to_simplified`); a traditional log usually has most of its
    pieces without one, and OpenCC in pure Python costs about 30 µs a piece."""
    cc = _opencc()
    split = getattr(cc, "split_chars_re", None)  # opencc-python-reimplemented's own split
    if split is None:
        return cc.convert(text)
    parts = split.split(text)  # pieces at even indices, separators between
    chars = traditional_chars()
    for i in range(0, len(parts), 2):
        if _holds(chars, parts[i]):
            parts[i] = cc.convert(parts[i])
    return "".join(parts)


def to_simplified(text: str) -> str:
    """Same length as `text`, so offsets found in the result hold in the original."""
    if not _holds(traditional_chars(), text) or _unchanged(text):
        return text
    conv = _convert_pieces(text)
    if len(conv) == len(text):
        return conv
    # A phrase rule changed the length: convert character by character instead.
    out = []
    for ch in text:
        c = _opencc().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)
