"""The judged set of corpora/track: duties named by a phrase of their clause and
hand-written logs with their true duties; scoring of links against it."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from nlp.track.duties import Duty

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class JudgedLog:
    log: dict
    truth: set[str]  # "notice.key" names


def load_keys(path: Path | None = None) -> dict:
    return tomllib.loads((path or ROOT / "corpora/track/duties.toml").read_text(encoding="utf-8"))


def load_logs(path: Path | None = None) -> list[JudgedLog]:
    out = []
    for line in (path or ROOT / "corpora/track/logs.psv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        id_, date, region, unit, truth, text = line.split("|", 5)
        out.append(JudgedLog({"id": id_, "date": date, "region": region, "author_unit": unit, "text": text},
                             set() if truth == "-" else set(truth.split(","))))
    return out


def name_duties(keys: dict, duties_by_stem: dict[str, list[Duty]],
                missing: list[str] | None = None) -> dict[tuple[str, str], str]:
    """(document_id, obligation_id) → "notice.key" for the duties the keys name.

    A judged duty the checklist no longer extracts stays in the logs' truth, so its
    links count as missed; its name goes to `missing` (an error when not collected).
    A phrase naming several duties is always an error: the key must be made longer."""
    names = {}
    for notice, spec in keys.items():
        duties = duties_by_stem[spec["notice"]]
        for key, phrase in spec["duties"].items():
            hits = [d for d in duties if phrase in d.text or phrase in d.action]
            if len(hits) > 1 or (not hits and missing is None):
                raise ValueError(f"{notice}.{key}: {phrase!r} names {len(hits)} duties")
            if not hits:
                missing.append(f"{notice}.{key}")
                continue
            names[hits[0].key] = f"{notice}.{key}"
    return names


@dataclass
class Scores:
    logs: int
    predicted: int
    top_correct: int
    pairs: int
    found: int
    false_links: int

    @property
    def precision_at_1(self) -> float:
        return self.top_correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.pairs if self.pairs else 0.0

    def line(self) -> str:
        return (f"precision@1 {self.precision_at_1:.3f} ({self.top_correct}/{self.predicted} logs with a link), "
                f"recall {self.recall:.3f} ({self.found}/{self.pairs} true links), "
                f"wrong links {self.false_links}, logs {self.logs}")


def score(judged: list[JudgedLog], links: dict[str, list], names: dict[tuple[str, str], str]) -> Scores:
    """precision@1: of the logs the matcher links, how many have a true duty as the
    best link (a link on a log that matches no duty counts as wrong); recall: of
    the true (log, duty) pairs, how many are among the links."""
    predicted = top = pairs = found = wrong = 0
    for j in judged:
        got = links.get(j.log["id"], [])
        named = [names.get(l.duty_key) for l in got]
        pairs += len(j.truth)
        found += len(j.truth & set(named))
        wrong += sum(1 for n in named if n not in j.truth)
        if got:
            predicted += 1
            top += named[0] in j.truth
    return Scores(len(judged), predicted, top, pairs, found, wrong)
