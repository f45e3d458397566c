"""Several `gongwen track-match` / `track-alerts` runs (or POST /api/track/match and
GET /api/alerts from several server workers) at once on one store: each stores its
links and alerts once and none fails. Run on PostgreSQL by the `db` pass, where the
tables' unique constraints used to turn the race into an IntegrityError."""
from __future__ import annotations

import threading

import pytest
from backends import fresh_db_url
from conftest import NOTICES

pytestmark = pytest.mark.db

WORKERS = 4
ROUNDS = 4


def test_concurrent_rematches_and_alert_refreshes_all_succeed_once(tmp_path):
    import sqlalchemy as sa

    from api.service import Gongwen
    from api.settings import Settings
    from index.store.track import TrackAlertRow, TrackLinkRow
    from nlp.track.tracker import Tracker

    settings = Settings(data_dir=tmp_path / "data", db_url=fresh_db_url(folder=tmp_path / "store"))
    with Gongwen(settings) as svc:
        svc.ingest_file(NOTICES / "2024_jian_zhongda_shixiang.txt")
        svc.store.add_logs([
            {"id": f"L{i}", "date": "2024-05-04", "region": "江西省/吉安市/泰和县",
             "text": f"{i + 1}月份劳动关系风险隐患排查情况已上报市总工会，共排查企业{30 + i}家。"} for i in range(6)])
        alone = Tracker(svc.store).rematch()["links"]
        assert alone >= 1
    services = [Gongwen(settings) for _ in range(WORKERS)]  # as separate server workers: a pool each
    errors: list[str] = []
    start = threading.Barrier(WORKERS + 1)
    done = threading.Barrier(WORKERS + 1)

    def worker(svc) -> None:
        for _ in range(ROUNDS):
            start.wait()
            try:
                tracker = Tracker(svc.store)
                tracker.rematch()
                tracker.refresh_alerts()
            except Exception as e:  # noqa: BLE001 - collected: the test asserts there are none
                errors.append(f"{type(e).__name__}: {e}")
            done.wait()

    threads = [threading.Thread(target=worker, args=(svc,)) for svc in services]
    for t in threads:
        t.start()
    try:
        for _ in range(ROUNDS):
            with services[0].store.session(write=True) as s:  # each round starts with nothing stored
                s.execute(sa.delete(TrackLinkRow))
                s.execute(sa.delete(TrackAlertRow))
            start.wait()
            done.wait()
    finally:
        for t in threads:
            t.join(timeout=300)
        for svc in services:
            svc.close()
    assert errors == []
    with Gongwen(settings) as svc:
        tracker = Tracker(svc.store)
        assert len(tracker.track.links()) == alone
        assert tracker.refresh_alerts() == 0  # every overdue occurrence has its one alert
