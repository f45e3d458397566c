"""Concurrent writers over HTTP, small (bench/http_concurrent_writes.py runs it with
30,000 logs): a real `gongwen serve` with two worker processes takes 1,000 logs from
four clients while two `gongwen ingest` processes store the sample corpus (the same
files in both) and notices of their own. No 5xx, every acknowledged log stored, each
file stored once, and `gongwen check` finds store and index agreeing."""
from __future__ import annotations

import pytest
from backends import fresh_db_url

from scripts import load_script

# stores: runs on SQLite and on PostgreSQL; starts a real `gongwen serve`
pytestmark = [pytest.mark.db, pytest.mark.server]


def bench():
    return load_script("bench/http_concurrent_writes.py")


@pytest.mark.slow
def test_two_ingests_and_1000_logs_over_http_all_land(tmp_path):
    figures = bench().run(fresh_db_url(folder=tmp_path / "store"), n_logs=1000, per_request=5, clients=4,
                          workers=2, files=4)
    assert figures["5xx"] == 0 and figures["status"] == {201: 200}, figures
    assert figures["acknowledged"] == 1000 and figures["acknowledged_not_stored"] == 0, figures
    assert figures["logs_in_store"] == 1000
    assert figures["ingest_exit"] == [0, 0] and figures["ingest_failed_lines"] == [], figures
    assert figures["documents"] == figures["documents_expected"], figures  # each sample file once
    assert figures["check_exit"] == 0 and figures["check"] == {"agree": True, "pending": 0, "failed": 0}, figures
