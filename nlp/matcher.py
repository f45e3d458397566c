"""Token patterns in spaCy's Matcher format, matched over `nlp.analysis.Tokens`.

The checklist readers write their patterns as spaCy Matcher patterns; the part of the
format they use is a fixed sequence of tokens, each one `{"TEXT": word}`,
`{"TEXT": {"IN": [...]}}` or `{"TEXT": {"REGEX": ...}}`. Matching that over a token
list is a few lines, while importing spaCy costs 0.8 CPU-s, more than half of what a
one-notice `gongwen checklist` may take. `Matcher` gives what spaCy's Matcher gives
for such patterns, in the same order (tests/test_analysis.py runs both on the same
tokens); anything else in a pattern is refused."""
from __future__ import annotations

import re
from typing import Any, Callable


def _predicate(spec: dict[str, Any]) -> Callable[[str], bool]:
    if set(spec) != {"TEXT"}:
        raise ValueError(f"unsupported token pattern {spec!r}: only TEXT is matched")
    value = spec["TEXT"]
    if isinstance(value, str):
        return value.__eq__
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            words = frozenset(arg)
            return words.__contains__
        if op == "REGEX":
            return re.compile(arg).search
    raise ValueError(f"unsupported token pattern {spec!r}")


class Matcher:
    def __init__(self) -> None:
        self._patterns: list[tuple[str, tuple[Callable[[str], bool], ...]]] = []
        self.specs: list[tuple[str, list[list[dict[str, Any]]]]] = []  # as added (spaCy's format)

    def add(self, label: str, patterns: list[list[dict[str, Any]]]) -> None:
        self.specs.append((label, patterns))
        for p in patterns:
            if not p:
                raise ValueError("empty pattern")
            self._patterns.append((label, tuple(_predicate(t) for t in p)))

    def __call__(self, doc) -> list[tuple[str, int, int]]:
        """(label, start, end) token spans, ordered as spaCy orders them: by the token
        where the match ends, then by where it starts, then by pattern; a label's
        match of the same span is given once."""
        words = doc.words
        n = len(words)
        found: set[tuple[str, int, int]] = set()
        out: list[tuple[int, int, int, str]] = []
        for order, (label, preds) in enumerate(self._patterns):
            k = len(preds)
            first, rest = preds[0], preds[1:]
            for s in range(n - k + 1):
                if first(words[s]) and all(p(words[s + 1 + j]) for j, p in enumerate(rest)):
                    key = (label, s, s + k)
                    if key not in found:
                        found.add(key)
                        out.append((s + k, s, order, label))
        out.sort()
        return [(label, s, e) for e, s, _, label in out]
