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


def test_chinese_numbers_read_and_written_as_cn2an_does():
    # the small numbers are converted without importing cn2an (a seventh of a one-notice CLI call):
    # every numeral of up to three characters reads as cn2an reads it, and 0..9999 are written as it writes them
    import itertools

    import cn2an

    from ingest.text import chinese_number, chinese_numeral
    from nlp.checklist.numbers import CN_DIGITS, to_number

    def cn2an_reads(s):
        try:
            value = cn2an.cn2an(s, "smart")
        except (ValueError, KeyError, TypeError):
            return None
        return int(value) if isinstance(value, float) and value.is_integer() else value

    def ours(s):
        try:
            return chinese_number(s)
        except (ValueError, KeyError, TypeError):
            return None

    strings = ["".join(t) for k in (1, 2, 3) for t in itertools.product(CN_DIGITS, repeat=k)]
    for s in [*strings, "0", "13", "013", "2.5", "1.0", "１３", " 7 ", "12a", "三点五"]:
        assert to_number(s) == cn2an_reads(s.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))), s
    for s in [*strings, *(s + end for s in strings[:200] for end in ("\n", " ", "\t"))]:
        expected = cn2an_reads(s)
        assert ours(s) == (int(expected) if expected is not None else None), s
    assert [chinese_numeral(n) for n in range(10000)] == [cn2an.an2cn(n) for n in range(10000)]
