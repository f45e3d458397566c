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
