"""Duty tracking: occurrences of recurring duties, statuses against a fixed
"today", evidence links (place, time, action), people's decisions kept across a
re-match, overdue alerts."""
from __future__ import annotations

import datetime as dt

import pytest
from backends import fresh_db_url
from conftest import NOTICES

from nlp.track.duties import Duty, actor_core, jurisdiction
from nlp.track.ledger import DONE, IN_PROGRESS, NOT_DUE, OVERDUE, Evidence, build
from nlp.track.linking import Matcher, says_done
from nlp.track.occurrences import expand

D = dt.date


def duty(text="各县（市、区）总工会每月5日前向市总工会报送上月排查情况", action="向市总工会报送上月排查情况",
         deadlines=(), frequency=None, oid="o1", date=D(2024, 3, 28), until=None, place="吉安市", **kw):
    return Duty("doc", oid, text, action, ["各县（市、区）总工会"], list(deadlines), frequency, [], date, "通知",
                place, until=until, **kw)


MONTHLY_5 = {"text": "每月5日前", "recurrence": "monthly", "month": None, "day": 5, "year": None}


def test_monthly_deadline_gives_one_occurrence_a_month_up_to_the_one_in_progress():
    occ = expand(duty(deadlines=[MONTHLY_5]), D(2024, 7, 20))
    assert [o.due for o in occ] == [D(2024, 4, 5), D(2024, 5, 5), D(2024, 6, 5), D(2024, 7, 5), D(2024, 8, 5)]
    assert occ[0].start == D(2024, 3, 28) and occ[1].start == D(2024, 4, 6)


def test_yearly_once_and_period_duties():
    yearly = {"text": "每年3月31日前", "recurrence": "yearly", "month": 3, "day": 31, "year": None}
    occ = expand(duty(deadlines=[yearly], date=D(2025, 1, 10)), D(2026, 5, 1))
    assert [o.due for o in occ] == [D(2025, 3, 31), D(2026, 3, 31), D(2027, 3, 31)]
    once = {"text": "2024年6月15日前", "recurrence": "once", "month": 6, "day": 15, "year": 2024}
    assert [o.due for o in expand(duty(deadlines=[once]), D(2030, 1, 1))] == [D(2024, 6, 15)]
    quarterly = expand(duty(frequency={"text": "每季度", "every": "quarter"}), D(2024, 8, 1))
    assert [o.due for o in quarterly] == [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30)]
    assert quarterly[1].label == "2024年第2季度"
    standing = expand(duty(), D(2030, 1, 1))
    assert len(standing) == 1 and standing[0].due is None


def test_campaign_notice_stops_its_recurring_duties():
    occ = expand(duty(frequency={"text": "每月", "every": "month"}, date=D(2024, 5, 20), until=D(2024, 9, 30)),
                 D(2026, 1, 1))
    assert occ[-1].due == D(2024, 9, 30) and len(occ) == 5


def test_statuses_follow_the_due_dates_exactly():
    d = duty(deadlines=[MONTHLY_5])
    ev = {d.key: [Evidence("l1", D(2024, 5, 3), 0.5, "4月份排查情况已上报", True),
                  Evidence("l2", D(2024, 6, 1), 0.4, "正在汇总5月排查情况", False)]}
    row = build([d], ev, D(2024, 7, 5))[0]
    by_due = {o.occurrence.due: o.status for o in row.occurrences}
    assert by_due == {D(2024, 4, 5): OVERDUE, D(2024, 5, 5): DONE, D(2024, 6, 5): IN_PROGRESS,
                      D(2024, 7, 5): NOT_DUE}  # due today is not overdue yet
    row = build([d], ev, D(2024, 7, 6))[0]
    assert row.occurrences[3].status == OVERDUE
    # evidence dated after "today" is not known on that day
    assert build([d], ev, D(2024, 5, 2))[0].occurrences[1].status == NOT_DUE


def test_done_is_read_from_the_sentence():
    assert says_done("8月份站点巡查已完成")
    assert says_done("书面材料已报送市总工会")
    assert not says_done("活动总结还在写，月底前报市总")
    assert not says_done("还有一个站点没录入")


def test_places_and_actors():
    assert jurisdiction(["九江市总工会办公室"]) == "九江市"
    assert jurisdiction(["安福县总工会"]) == "安福县"
    assert actor_core("市总工会组织部") == "组织部"
    assert actor_core("各县（市、区）总工会") == "县总工会"


def test_a_log_links_to_the_duty_it_reports_in_its_place_and_time():
    report = duty(oid="report", deadlines=[MONTHLY_5])
    fund = duty(oid="fund", text="县总工会对困难职工子女给予助学救助", action="给予助学救助")
    m = Matcher([report, fund])
    log = {"id": "a", "date": "2024-05-04", "region": "江西省/吉安市/泰和县", "author_unit": "泰和县总工会",
           "text": "上午走访两家企业。4月份排查情况已报送市总工会，无新增隐患。"}
    links = m.match([log])["a"]
    assert links[0].obligation_id == "report" and links[0].done
    assert "排查情况" in links[0].sentence and "走访" not in links[0].sentence
    elsewhere = {**log, "id": "b", "region": "江西省/赣州市/于都县", "author_unit": "于都县总工会"}
    before = {**log, "id": "c", "date": "2023-12-01"}
    unrelated = {**log, "id": "d", "text": "组织职工开展羽毛球比赛，24人参加。"}
    assert m.match([elsewhere, before, unrelated]) == {}
    # incremental: only the open duties are looked at
    assert m.score_log(log, only={fund.key}) == []


@pytest.fixture(scope="module")
def tracked(tmp_path_factory):
    from api.service import Gongwen
    from api.settings import Settings
    from nlp.track.tracker import Tracker

    s = Settings()
    s.data_dir = tmp_path_factory.mktemp("track-data")
    s.db_url = fresh_db_url()
    svc = Gongwen(s)
    result = svc.ingest_file(NOTICES / "2024_jian_zhongda_shixiang.txt")
    svc.store.add_logs([
        {"id": "L1", "date": "2024-05-04", "region": "江西省/吉安市/泰和县", "meta": {"author_unit": "泰和县总工会"},
         "text": "4月份劳动关系风险隐患排查情况已上报市总工会，共排查企业36家。"},
        {"id": "L2", "date": "2024-05-06", "region": "江西省/吉安市/泰和县", "text": "组织职工开展羽毛球比赛。"},
    ])
    yield svc, Tracker(svc.store), result.document_id
    svc.close()


@pytest.mark.db
def test_rematch_keeps_decisions_and_statuses_change(tracked):
    from nlp.track.tracker import Filters

    svc, tracker, doc_id = tracked
    assert tracker.rematch()["links"] >= 1
    links = tracker.track.links(doc_id)
    assert {l["log_id"] for l in links} == {"L1"}
    top = max(links, key=lambda l: l["score"])
    rows = tracker.ledger(Filters(document_id=doc_id), today=D(2024, 5, 10))
    assert any(o.status == DONE for r in rows for o in r.occurrences)
    tracker.track.decide(top["id"], "rejected", by="审核人")
    tracker.rematch()
    assert top["id"] not in {l["id"] for l in tracker.track.links(doc_id)}  # a rejected link stays away
    tracker.track.decide(top["id"], "confirmed")
    tracker.rematch()
    kept = tracker.track.get_link(top["id"])
    assert kept["state"] == "confirmed"
    assert len([l for l in tracker.track.links(doc_id) if l["obligation_id"] == top["obligation_id"]]) == 1


@pytest.mark.db
def test_overdue_alerts_are_raised_once(tracked):
    """For today (the sample notice's 2024 duties are overdue by now), once: a second refresh adds none."""
    svc, tracker, doc_id = tracked
    n = tracker.refresh_alerts()
    assert n > 0 and tracker.refresh_alerts() == 0
    alerts = tracker.track.alerts("open")
    assert len(alerts) == n and all(dt.date.fromisoformat(a["due"]) < dt.date.today() for a in alerts)
    acked = tracker.track.acknowledge(alerts[0]["id"], by="值班员")
    assert acked["status"] == "acknowledged"
    assert len(tracker.track.alerts("open")) == len(alerts) - 1


def test_a_one_off_day_before_the_notice_date_falls_due_next_year():
    # a December notice asking for a summary 1月底前, as a checklist stores it without a year
    once = {"text": "1月底前", "recurrence": "once", "month": 1, "day": 31, "year": None}
    assert [o.due for o in expand(duty(deadlines=[once], date=D(2024, 12, 5)), D(2025, 3, 1))] == [D(2025, 1, 31)]
    printed = dict(once, text="2024年1月底前", year=2024)
    assert [o.due for o in expand(duty(deadlines=[printed], date=D(2024, 12, 5)), D(2025, 3, 1))] == [D(2024, 1, 31)]
