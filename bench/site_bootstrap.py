"""The bootstrap over sites of the checklist bench tools: sites drawn whole, with replacement,
and each figure computed on the counts the drawn sites add up to (a ratio of summed counts, as
the pooled figure is, not a mean of the sites' ratios); paired: the same draws for both runs.
Imports no gongwen module (a bench run may load another checkout's code)."""
from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence

Counts = Sequence[float]


def site_draws(counts: Mapping[str, Counts], figures: Callable[[list[float]], Mapping[str, float]], draws: int,
               seed: int = 0, against: Mapping[str, Counts] | None = None) -> dict[str, list[float]]:
    """Per figure, its value on each of `draws` draws of the sites of `counts` (site → a vector of
    counts), less its value on `against`'s counts of the same sites when given (paired: the sites
    both runs have); sorted, values that are no number (a ratio of nothing) left out."""
    names = sorted(counts) if against is None else sorted(set(counts) & set(against))
    rng = random.Random(seed)
    out: dict[str, list[float]] = {}
    for _ in range(draws):
        pick = [rng.choice(names) for _ in names]
        value = dict(figures(_total(counts, pick)))
        if against is not None:
            base = figures(_total(against, pick))
            value = {k: v - base[k] for k, v in value.items()}
        for k, v in value.items():
            out.setdefault(k, []).append(v)
    return {k: sorted(v for v in vs if v == v) for k, vs in out.items()}


def interval(values: Sequence[float]) -> tuple[float, float]:
    """The 90 % percentile interval of sorted draws (NaN twice when there are none)."""
    if not values:
        return float("nan"), float("nan")
    return values[int(0.05 * len(values))], values[min(len(values) - 1, int(0.95 * len(values)))]


def _total(counts: Mapping[str, Counts], pick: list[str]) -> list[float]:
    first = counts[pick[0]]
    return [sum(counts[s][k] for s in pick) for k in range(len(first))]
