"""The judged duty-tracking set names duties by a phrase of their clause: a duty the
checklist stops extracting must show up as missed links in bench/track.py, not stop
the benchmark, while a phrase that names two duties is still refused."""
import pytest

from nlp.track.duties import Duty
from nlp.track.judged import JudgedLog, name_duties, score


def duty(n: int, text: str) -> Duty:
    return Duty("doc", f"o{n}", text, text, ["各基层工会"], [], None)


KEYS = {"t": {"notice": "stem", "duties": {"report": "报送总结", "visit": "走访困难职工"}}}


def test_a_judged_duty_not_extracted_counts_as_missed_links():
    missing: list[str] = []
    names = name_duties(KEYS, {"stem": [duty(1, "各基层工会于6月底前报送总结")]}, missing)
    assert missing == ["t.visit"]
    judged = [JudgedLog({"id": "a"}, {"t.report"}), JudgedLog({"id": "b"}, {"t.visit"})]
    links = {"a": [type("L", (), {"duty_key": ("doc", "o1")})()]}
    s = score(judged, links, names)
    assert (s.pairs, s.found) == (2, 1)


def test_a_missing_duty_is_an_error_unless_collected_and_an_ambiguous_phrase_always():
    with pytest.raises(ValueError, match="names 0 duties"):
        name_duties(KEYS, {"stem": [duty(1, "各基层工会于6月底前报送总结")]})
    two = [duty(1, "报送总结材料"), duty(2, "年底报送总结"), duty(3, "走访困难职工")]
    with pytest.raises(ValueError, match="names 2 duties"):
        name_duties(KEYS, {"stem": two}, [])
