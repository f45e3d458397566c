"""The attribute readers' word lists (corpora/checklist/*.toml: frequency, quantity, deadline),
each with example sentences that are test cases. Read from the repository, not GONGWEN_CORPORA:
a user's own data folder need not hold the readers' word lists."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parents[2] / "corpora" / "checklist"


@cache
def load(name: str) -> dict:
    """The parsed corpora/checklist/NAME.toml (read once)."""
    with open(_DIR / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def alternation(words: list[str]) -> str:
    """A regex alternation of `words` in the order listed (the first that fits wins, so a
    list puts the longer of two words that start alike first: 不得超过 before 超过)."""
    return "|".join(words)
