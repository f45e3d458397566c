"""Pages with a long unbroken run of letters in them (an address to register at, a download link,
a line of digits) as a person sees them in a real headless Chromium: the run wraps inside its cell,
so the page never scrolls sideways and every column stays on screen. Before, such a run held its
table cell as wide as itself and pushed the other columns (时限, 责任单位, 任务类别 …) off the page."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from backends import fresh_db_url
from browser import Browser
from servers import serving

# stores: runs on SQLite and on PostgreSQL; starts a real `gongwen serve`
pytestmark = [pytest.mark.db, pytest.mark.server]

ADDRESS = "https://bm.example.org.cn/form/" + "q7w8e9r0t1" * 30 + "/index.html"
NOTICE = ("关于报送职工书屋建设情况的通知\n各基层工会：\n"
          f"请各基层工会于6月30日前登录{ADDRESS}填报书屋建设情况。\n"
          "联系人：张三，电话：0791-" + "8" * 60 + "\n某某市总工会\n2024年5月6日\n")
LOG = f"走访一家物流企业，职工反映公司拖欠工资两个月，材料见 {ADDRESS}"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from api.service import Gongwen
    from api.settings import Settings

    data = tmp_path_factory.mktemp("long-words")
    notice = data / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    s = Settings()
    s.data_dir, s.db_url = data, fresh_db_url()
    with Gongwen(s) as app:
        doc_id = app.ingest_file(notice).document_id
        app.add_logs([{"id": "L1", "date": "2024-05-08", "region": "某某市/某某区", "text": LOG}])
    env = {"GONGWEN_DATA": str(data), **({"GONGWEN_DB": s.db_url} if s.db_url else {})}
    with serving(env, "--workers", "1") as (base, _, _):
        yield base, doc_id


def test_a_long_run_of_letters_wraps_and_no_page_scrolls_sideways(served, tmp_path):
    base, doc_id = served
    browser = Browser(tmp_path)
    try:
        browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1, mobile=False)
        for path, shown in ((f"/documents/{doc_id}", "q7w8e9r0t1"), (f"/track/{doc_id}", "q7w8e9r0t1"),
                            ("/logs", "q7w8e9r0t1"), ("/alerts", "拖欠工资"), ("/?q=" + quote("书屋建设"), "书屋")):
            browser.open(base + path)
            assert shown in browser.js("document.querySelector('main').innerText"), path
            wide = browser.js("document.documentElement.scrollWidth")
            screen = browser.js("document.documentElement.clientWidth")
            assert wide <= screen, f"{path}: page is {wide}px wide on a {screen}px screen"
            # every cell of every table ends inside the page's column, not past its edge
            past = browser.js("""(() => { const edge = document.querySelector('main').getBoundingClientRect().right;
                return [...document.querySelectorAll('main td, main th')]
                  .filter(c => c.getBoundingClientRect().right > edge + 1).map(c => c.innerText.slice(0, 20)); })()""")
            assert past == [], f"{path}: cells past the page's edge: {past}"
    finally:
        browser.close()
