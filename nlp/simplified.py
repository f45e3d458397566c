"""Traditional → simplified Chinese (OpenCC t2s), one character for one character,
for every part of gongwen that folds the two scripts together (log tagging, search
queries). Light to import: OpenCC is loaded on the first text that needs it."""
from __future__ import annotations

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


def _unchanged(text: str) -> bool:
    chars, phrases = _changes()
    if not chars.isdisjoint(text):
        return False
    return not any(p in text for ch in traditional_chars().intersection(text) for p in phrases.get(ch, ()))


def to_simplified(text: str) -> str:
    """Same length as `text`, so offsets found in the result hold in the original."""
    if traditional_chars().isdisjoint(text) or _unchanged(text):
        return text
    conv = _opencc().convert(text)
    if len(conv) == len(text):
        return conv
    # A phrase rule changed the length: convert character by character instead.
    out = []
    for ch in text:
        c = _opencc().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)
