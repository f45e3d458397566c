"""Concurrent writers queue instead of failing: two `gongwen ingest` processes and a
stream of log writes through the service (two service instances, as two server
workers) at once. No "database is locked", every acknowledged write stored, store
and index agree at the end. On SQLite (WAL, BEGIN IMMEDIATE, busy timeout, retry)
and PostgreSQL."""
from __future__ import annotations

import threading

import pytest
from test_index_outbox import assert_whole_and_agreeing, make_notices, service


@pytest.mark.slow
def test_two_ingests_and_a_log_stream_all_land(database_url, tmp_path, forked_cli):
    data = tmp_path / "data"
    make_notices(tmp_path / "a", 8, start=0)
    make_notices(tmp_path / "b", 8, start=100)
    with service(data, database_url) as svc:
        svc.store.count_documents()  # the schema exists before the writers start

    acknowledged: list[str] = []
    errors: list[str] = []
    running = threading.Event()
    running.set()

    def writer(worker: int) -> None:
        svc = service(data, database_url)
        n = 0
        try:
            while running.is_set() or n < 20:
                batch = [{"id": f"w{worker}-{n + k}", "text": f"第{n + k}条蹲点日志：职工反映加班费未发", "date": "2024-05-01",
                          "tasks": [], "risks": [{"id": "wage_arrears", "severity": "high"}]} for k in range(1 + n % 3)]
                try:
                    stored = svc.add_logs(batch, tag=False)
                    acknowledged.extend(x["id"] for x in stored["items"])
                except Exception as e:  # noqa: BLE001 - collected: the test asserts there are none
                    errors.append(f"{type(e).__name__}: {e}")
                n += len(batch)
        finally:
            svc.close()

    args = ["--data-dir", str(data), "--db", database_url]
    env = {"GONGWEN_INDEX_BATCH": "2"}
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    pids = [forked_cli.start("ingest", tmp_path / f, *args, env=env, log=str(tmp_path / f"{f}.log")) for f in "ab"]
    codes = [forked_cli.wait(pid, timeout=600) for pid in pids]
    running.clear()
    for t in threads:
        t.join(timeout=300)

    logs = {f: (tmp_path / f"{f}.log").read_text(encoding="utf-8", errors="replace") for f in "ab"}
    assert codes == [0, 0], logs
    assert not any("locked" in text for text in logs.values()), logs
    assert errors == []
    assert len(acknowledged) >= 40
    with service(data, database_url) as svc:
        assert set(svc.store.get_logs(acknowledged)) == set(acknowledged)  # every acknowledged write is there
        assert svc.store.count_logs() == len(set(acknowledged))
        assert svc.store.count_alerts("open") == len(set(acknowledged))  # one alert per high-risk log, no more
        svc.drain_index(wait=30)  # what the next command does
        assert assert_whole_and_agreeing(svc) == 16
    print(f"concurrent writes: 2 ingests × 8 files, {len(acknowledged)} logs acknowledged and stored, 0 errors")
