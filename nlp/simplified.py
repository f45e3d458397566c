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


def to_simplified(text: str) -> str:
    """Same length as `text`, so offsets found in the result hold in the original."""
    if traditional_chars().isdisjoint(text):
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
