"""When two files are the same notice: the rules the ingest path uses to attach a
second format (.txt and .pdf of one 公文) to the stored document instead of
storing it twice.

A 公文 is identified by its issuer(s) and 文号; one without a 文号 by its title,
issuer(s) and date. Identity alone is not enough: a revised version keeps the
文号, so the body text must also be the same once what differs between formats is
taken away (whitespace, punctuation, full/half width, line breaks). Small reader
differences are tolerated, but never in a number: dates, quotas, amounts and
frequencies are what a revision changes.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

# Share of differing characters (after normalisation) still taken as "the same text".
MAX_DIFF = 0.01
# Above this length the exact diff gets slow; difflib's junk heuristic keeps it linear-ish.
_EXACT_DIFF_CHARS = 40_000

_OPEN = "〔［[【（(｛{"
_CLOSE = "〕］]】）)｝}"
_NUMBER_CHARS = re.compile(r"[0-9〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟]")


def doc_number_key(number: str | None) -> str | None:
    """文号 as compared: width folded, spaces dropped, any bracket around the year
    the same (〔2024〕, [2024], （2024）, 【2024】 are all written in the wild)."""
    if not number:
        return None
    s = "".join(unicodedata.normalize("NFKC", number).split())
    s = s.translate(str.maketrans(_OPEN + _CLOSE, "〔" * len(_OPEN) + "〕" * len(_CLOSE)))
    return s or None


def title_key(title: str | None) -> str | None:
    s = normalize_text(title or "")
    return s or None


def issuers_key(issuer: str | None, issuers: list[str] | None) -> frozenset[str]:
    names = [n for n in (issuers or []) if n] or ([issuer] if issuer else [])
    return frozenset("".join(unicodedata.normalize("NFKC", n).split()) for n in names)


def normalize_text(text: str) -> str:
    """Letters, digits and CJK only, width folded: what stays the same between the
    .txt, .docx and .pdf of one notice."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


@dataclass
class TextComparison:
    same: bool
    similarity: float  # 0..1, share of matching characters
    difference: str | None  # the first differing passage, for the user's warning

    @property
    def percent(self) -> str:
        return f"{self.similarity:.0%}" if self.similarity < 0.995 else f"{self.similarity:.1%}"


def compare_texts(a: str, b: str) -> TextComparison:
    na, nb = normalize_text(a), normalize_text(b)
    if na == nb:
        return TextComparison(True, 1.0, None)
    if not na or not nb:
        return TextComparison(False, 0.0, None)
    matcher = difflib.SequenceMatcher(None, na, nb, autojunk=max(len(na), len(nb)) > _EXACT_DIFF_CHARS)
    differing, numbers_differ, first = 0, False, None
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        differing += max(i2 - i1, j2 - j1)
        numbers_differ |= bool(_NUMBER_CHARS.search(na[i1:i2]) or _NUMBER_CHARS.search(nb[j1:j2]))
        if first is None:
            first = f"「{_excerpt(na, i1, i2)}」→「{_excerpt(nb, j1, j2)}」"
    similarity = 1 - differing / max(len(na), len(nb))
    same = not numbers_differ and differing <= MAX_DIFF * max(len(na), len(nb))
    return TextComparison(same, max(0.0, similarity), first)


def _excerpt(s: str, start: int, end: int, context: int = 6, limit: int = 30) -> str:
    """The differing span with a little context on both sides (an empty span shows
    where text was added or removed)."""
    left = s[max(0, start - context):start]
    mid = s[start:end]
    if len(mid) > limit:
        mid = mid[:limit] + "…"
    return f"{left}[{mid}]{s[end:end + context]}" if mid else f"{left}|{s[end:end + context]}"
