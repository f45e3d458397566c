"""The 督办台账 page in a real headless Chromium driven over the DevTools protocol:
a person types the key, confirms one evidence link and rejects another, and the
reloaded page shows the confirmation and the changed status."""
from __future__ import annotations

import json

import httpx
import pytest
from backends import fresh_db_url
from browser import Browser
from conftest import NOTICES
from servers import serving

# stores: runs on SQLite and on PostgreSQL; starts a real `gongwen serve`
pytestmark = [pytest.mark.db, pytest.mark.server]

KEY = "track-key"
TODAY = "2024-07-10"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from api.service import Gongwen
    from api.settings import Settings

    data = tmp_path_factory.mktemp("track-served")
    s = Settings()
    s.data_dir, s.db_url = data, fresh_db_url()
    with Gongwen(s) as app:
        doc_id = app.ingest_file(NOTICES / "2024_jian_zhongda_shixiang.txt").document_id
        app.add_logs([
            {"id": "W1", "date": "2024-05-04", "region": "江西省/吉安市/泰和县", "tasks": [], "risks": [],
             "text": "4月份劳动关系风险隐患排查情况已上报市总工会，共排查企业36家。"},
            {"id": "W2", "date": "2024-06-28", "region": "江西省/吉安市/永丰县", "tasks": [], "risks": [],
             "text": "对二季度排查出的隐患开展综合分析研判，重点关注两家停产企业的职工安置问题。"},
        ])
    env = {"GONGWEN_DATA": str(data), "GONGWEN_API_KEY": KEY, **({"GONGWEN_DB": s.db_url} if s.db_url else {})}
    with serving(env, "--workers", "1") as (base, _, _):
        yield base, doc_id


def _link_of(base, doc_id, log_id):
    ledger = httpx.get(f"{base}/api/track/{doc_id}", params={"today": TODAY}, timeout=60).json()
    for d in ledger["duties"]:
        for o in d["occurrences"]:
            for e in o["evidence"]:
                if e["log_id"] == log_id:
                    return d["obligation_id"], o["label"], o["status"], e["link_id"]
    pytest.fail(f"no evidence link for {log_id}")


def _status(browser, obligation_id, label):
    return browser.js(f"""[...document.querySelectorAll('#duty-{obligation_id} .occ')]
        .filter(o => o.textContent.includes({json.dumps(label)}))
        .map(o => o.querySelector('.st').dataset.status)[0]""")


def test_confirm_and_reject_in_the_browser_change_the_ledger(served, tmp_path):
    base, doc_id = served
    confirm_duty, confirm_label, _, confirm_link = _link_of(base, doc_id, "W1")
    reject_duty, reject_label, before, reject_link = _link_of(base, doc_id, "W2")
    assert before in ("进行中", "已完成")
    browser = Browser(tmp_path)
    try:
        browser.open(f"{base}/track/{doc_id}?today={TODAY}")
        assert browser.js("document.querySelectorAll('button.decide').length") >= 4
        assert _status(browser, reject_duty, reject_label) == before
        # without the key nothing changes and the page says why
        browser.js(f"document.querySelector('button[data-link=\"{confirm_link}\"][data-action=confirm]').click()")
        browser.wait_for("document.getElementById('track-result').textContent.includes('操作失败')")
        assert "缺少或错误的 API 密钥" in browser.js("document.getElementById('track-result').textContent")
        browser.navigated(f"document.getElementById('trackkey').value = {json.dumps(KEY)};"
                          f"document.querySelector('button[data-link=\"{confirm_link}\"][data-action=confirm]').click()")
        assert "已确认" in browser.js(f"document.getElementById('duty-{confirm_duty}').textContent")
        # the key is kept in the server's HttpOnly cookie, nowhere a page script reads it: the
        # reloaded page's box is empty and the reject below goes in on the cookie. Before: the
        # script kept it in sessionStorage and filled the box with it
        assert browser.js("document.getElementById('trackkey').value") == ""
        assert KEY not in browser.js("JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + document.cookie")
        assert "已记住" in browser.js("document.body.innerText")
        reject = f"document.querySelector('button[data-link=\"{reject_link}\"][data-action=reject]')"
        browser.accept = False  # asked first; a no keeps the link
        browser.js(f"{reject}.click()")
        assert "确定驳回" in browser.dialogs[-1] and browser.js(f"!!{reject}")
        assert "W2" in json.dumps(httpx.get(f"{base}/api/track/{doc_id}", params={"today": TODAY}, timeout=60).json())
        browser.accept = True
        browser.navigated(f"{reject}.click()")
        assert len(browser.dialogs) == 2 and _status(browser, reject_duty, reject_label) == "逾期未见进展"
        assert "W2" not in json.dumps(httpx.get(f"{base}/api/track/{doc_id}", params={"today": TODAY}, timeout=60).json())
        browser.open(f"{base}/track?today={TODAY}")
        assert "逾期未见进展的任务" in browser.js("document.body.textContent")
    finally:
        browser.close()
