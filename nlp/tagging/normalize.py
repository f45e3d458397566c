"""Length-preserving text normalisation for tagging (traditional → simplified
Chinese, full-width letters/digits → ASCII, ASCII lower-case) and clause spans.

Every function keeps one output character per input character, so offsets found
in the normalised text point at the same characters of the original.
"""
from __future__ import annotations

import re

from ingest.simplified import to_simplified
from ingest.text import fold_width_table

# Full-width digits and Latin letters → ASCII, lower case; Chinese punctuation is kept
# because clause splitting and the character n-grams use it as it is written.
_WIDTH = fold_width_table(lower=True)
# NUL is the features' clause separator (features.SEP): one in a text would cut an n-gram key
_WIDTH[0] = 0x20
# The characters `_WIDTH` changes: most logs hold none, and a C-level search for one is
# a twentieth of the cost of str.translate with a dict table over the whole text.
_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_WIDTH)) + "]")

# A clause ends at sentence or comma punctuation or a line break; "、" is kept
# inside a clause because it joins items under one negation ("未发现欠薪、裁员").
CLAUSE_END = re.compile(r"[。！？!?；;，,：:\n\r]+")
_CLAUSE = re.compile(r"[^。！？!?；;，,：:\s](?:[^。！？!?；;，,：:\n\r]*[^。！？!?；;，,：:\s])?")


def normalize(text: str) -> str:
    """Same-length normalised copy of `text`."""
    if _FOLDED.search(text) is not None:
        text = text.translate(_WIDTH)
    return to_simplified(text)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty clause, whitespace trimmed."""
    # one C-level scan: a clause runs from its first to its last character that is
    # neither a clause end nor white space (\s is str.isspace for str patterns)
    return [m.span() for m in _CLAUSE.finditer(text)]
