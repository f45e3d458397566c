"""Defects a fuzz sweep of the readers and the structure parser found (corrupt, truncated,
wrongly encoded and odd files): each file is read or refused with an `IngestError`
carrying a Chinese message, never an unexpected exception (a traceback on the CLI, a
500 on upload), and in bounded time."""
from __future__ import annotations

from typer.testing import CliRunner

from api.cli import app
from ingest.load import load_bytes

runner = CliRunner()

NOTICE = "关于做好工会工作的通知\n\n各基层工会：\n\n请各单位于5月1日前报送材料，并组织职工参加培训。\n\n市总工会\n"


def test_a_six_digit_line_under_the_signer_is_no_date_and_no_crash(tmp_path):
    # compact_date split 201911 into month 11 and an empty day: ValueError, so the whole
    # notice could not be parsed or ingested (内部错误 on the CLI, 500 on upload)
    f = tmp_path / "n.txt"
    f.write_text(NOTICE + "201911\n", encoding="utf-8")
    r = runner.invoke(app, ["parse", str(f)])
    assert r.exit_code == 0, r.output
    doc = load_bytes(f.read_bytes(), "n.txt")
    assert doc.date is None and doc.title == "关于做好工会工作的通知"


def test_a_run_of_thousands_of_digits_is_read_not_a_crash(tmp_path):
    # int() refuses strings over 4,300 digits: a 第…条 heading and a quota of such a run raised
    # ValueError out of the parser and the checklist (a damaged export, a pasted number column)
    from nlp.checklist import extract

    run = "1" * 5000
    for line in (f"第{run}条 总则", f"每单位推荐{run}人参加", f"补助{run}元"):
        doc = load_bytes((NOTICE.replace("请各单位", line + "\n\n请各单位")).encode(), "n.txt")
        assert run in doc.text
        assert extract(doc).to_dict()["obligations"]


def test_a_line_break_with_a_tab_indent_still_ends_a_joined_paragraph():
    # paragraphs() keeps what it knows of a paragraph as lines join it (a long one was read
    # again at every line): a line indented by a tab stands alone, as when it was re-read
    from nlp.checklist.clauses import paragraphs

    text = "各单位要认真组织\n职工参加培训\n\t并按时报送\n材料"
    assert [p.text for p in paragraphs(text)] == ["各单位要认真组织\n职工参加培训\n\t并按时报送", "材料"]
    assert [p.text for p in paragraphs("一\n二\n三。\n四")] == ["一\n二\n三。", "四"]


# notice-like text: the words and marks the parser and the checklist readers key on, mixed
# with any characters (controls, other scripts, full-width forms), as damaged exports mix them
_WORDS = ["关于", "通知", "第", "条", "章", "年", "月", "日", "前", "号", "报送", "各县（市、区）总工会", "市总工会",
          "\n", "\n\n", "\t", "2024", "〔2024〕3号", "赣工发", "附件：", "抄送：", "印发", "一、", "（一）", "1.",
          "（1）", "不少于", "名", "人", "每年", "个工作日内", "：", "。", "，", "请", "须", "组长：", "特此通知"]
_MARKS = "一二三四五六七八九十百千万零〇两0123456789０１２３４５６７８９—-~～、，。；：:（）()〔〕【】《》“” \u3000"


def _notice_like():
    from hypothesis import strategies as st

    piece = st.one_of(st.sampled_from(_WORDS), st.text(alphabet=_MARKS, min_size=1, max_size=8),
                      st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=4))
    return st.lists(piece, min_size=1, max_size=120).map("".join)


def test_any_notice_like_text_is_read_or_refused_in_chinese():
    """Property: a .txt or .html of any such text is parsed and its checklist extracted, or
    refused with an IngestError (a Chinese line on the CLI, 4xx on upload), never another
    exception. The sweep ran 6,000 examples; the suite runs a fixed 60."""
    from hypothesis import example, given, settings
    from hypothesis import strategies as st

    from ingest.errors import GongwenError
    from nlp.checklist import extract

    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(_notice_like(), st.booleans())
    @example(NOTICE + "201911\n", False)
    @example(NOTICE + "第" + "1" * 5000 + "条\n每单位推荐" + "1" * 5000 + "人\n", False)
    def check(text, html):
        data = ("<p>" + text.replace("\n", "</p><p>") + "</p>" if html else text).encode("utf-8")
        try:
            doc = load_bytes(data, "x.html" if html else "x.txt")
        except GongwenError as e:
            assert any("\u4e00" <= c <= "\u9fff" for c in str(e)), e
            return
        extract(doc).to_dict()

    check()
