"""The shared text helpers (ingest.text): width folding keeps offsets, and the
heading number is found where a 公文 numbers its sections and not in dates or amounts."""
from __future__ import annotations

import pytest

from ingest.text import HEADING_START, fold_digits, fold_width_table


def test_folding_maps_one_character_to_one():
    text = "ＡＢＣ－１２３　ｘ，（二）"
    folded = text.translate(fold_width_table("-", lower=True))
    assert len(folded) == len(text)
    assert folded == "abc-123 x，（二）"  # Chinese punctuation stays as written
    assert text.translate(fold_width_table()) == "ABC－123 x，（二）"  # no symbols asked for, no lower case
    assert fold_digits("２０２４年") == "2024年"


@pytest.mark.parametrize("line", ["一、总体要求", "三．工作安排", "（二）报送时间", "(3)材料", "1.活动时间", "12、其他", "第四条 经费", "第二章 组织"])
def test_heading_numbers_are_found(line):
    assert HEADING_START.match(line)


@pytest.mark.parametrize("line", ["2024.5月前完成", "1.5倍", "各单位要", "第一时间上报", "十分重要"])
def test_dates_amounts_and_words_are_not_heading_numbers(line):
    assert not HEADING_START.match(line)
