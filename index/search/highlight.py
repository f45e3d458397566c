"""Snippets: a window of the ORIGINAL text around the densest cluster of query
words, HTML-escaped, with the words wrapped in <mark>…</mark>. Engine-neutral, so
both engines show the same snippet for the same hit."""
from __future__ import annotations

import html
from functools import lru_cache

from .analysis import normalize

WINDOW = 120


def _spans(norm: str, marks: list[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences, longest marks first."""
    taken = bytearray(len(norm))
    out: list[tuple[int, int, str]] = []
    for m in marks:  # marks come longest first
        if not m:
            continue
        i = norm.find(m)
        while i >= 0:
            j = i + len(m)
            if not any(taken[i:j]):
                taken[i:j] = b"\x01" * (j - i)
                out.append((i, j, m))
            i = norm.find(m, j)
    out.sort()
    return out


def snippet(text: str, marks: list[str], window: int = WINDOW) -> str:
    return _snippet(text or "", tuple(marks or ()), window)


# The same hit comes back for the same marks (a popular query, its next page, a shared top):
# its window is found again from the text and the marks alone.
@lru_cache(maxsize=2048)
def _snippet(text: str, marks: tuple[str, ...], window: int) -> str:
    norm = normalize(text)
    spans = _spans(norm, marks) if marks else []
    if not spans:
        cut = text[:window]
        return html.escape(cut) + ("…" if len(text) > window else "")
    # Window start maximising distinct marks, then total marks, earliest first.
    best, best_key = 0, (-1, -1)
    for k, (s, _, _) in enumerate(spans):
        inside = [sp for sp in spans[k:] if sp[1] <= s + window]
        key = (len({sp[2] for sp in inside}), len(inside))
        if key > best_key:
            best, best_key = k, key
    first = spans[best][0]
    start = max(0, first - window // 5)
    # Prefer starting after a sentence break close before the first mark.
    for p in range(first - 1, start - 1, -1):
        if text[p] in "。；;！？!?\n":
            start = p + 1
            break
    end = min(len(text), start + window)
    out = ["…" if start > 0 else ""]
    at = start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[at:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        at = e
    out.append(html.escape(text[at:end]))
    if end < len(text):
        out.append("…")
    return "".join(out).replace("\n", " ")
