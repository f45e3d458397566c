"""A long `gongwen ingest` says how far it has got when its output goes to a log or a pipe,
where the progress bar is not drawn: before, nothing came until the end (16 minutes of
silence on a folder of 433 files)."""
from __future__ import annotations

import re
import shutil

import pytest
from backends import fresh_db_url
from conftest import NOTICES
from typer.testing import CliRunner

from api.cli import app


@pytest.mark.db
def test_ingest_into_a_log_says_its_progress_with_counts(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(NOTICES.glob("*.txt"))[:3]:
        shutil.copy(p, src)
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    url = fresh_db_url()
    r = CliRunner().invoke(app, ["ingest", str(src), "--data-dir", str(tmp_path / "data"), *(["--db", url] if url else [])])
    assert r.exit_code == 1, r.output
    lines = re.findall(r"入库进度：(\d+)/4（已入库 (\d+)，另一格式已附加 0，未变化 0，失败 (\d+)）", r.output)
    assert [int(done) for done, _, _ in lines] == [1, 2, 3]  # each tenth of a 4-file folder: each file but the last
    assert all(int(a) + int(b) == int(done) for done, a, b in lines)
