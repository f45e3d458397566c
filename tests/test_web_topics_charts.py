"""The 调研课题 page in a real headless Chromium when the stored logs carry no date (saved with
`gongwen log add --text …` and no --date): every picture on the page loads, and the page says
why there is no trend chart. Before, it showed the trend chart's <img>, which answered 404, so
the browser drew its broken-image mark under 趋势与地区."""
from __future__ import annotations

import pytest
from backends import fresh_db_url
from browser import Browser
from servers import serving

# stores: runs on SQLite and on PostgreSQL; starts a real `gongwen serve`
pytestmark = [pytest.mark.db, pytest.mark.server]

LOGS = ["走访物流园区，骑手反映平台扣款规则不透明，工资被拖欠两个月。",
        "到建筑工地了解农民工工资支付情况，有班组反映欠薪。",
        "组织新就业形态劳动者入会仪式，现场发展会员30人。",
        "走访餐饮企业，宣传工会法，发展会员12人。"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from api.service import Gongwen
    from api.settings import Settings

    data = tmp_path_factory.mktemp("topics-undated")
    s = Settings()
    s.data_dir, s.db_url = data, fresh_db_url()
    with Gongwen(s) as app:
        app.add_logs([{"id": f"U{i}", "region": region, "text": text}
                      for i, (text, region) in enumerate(zip(LOGS, ["九江市/修水县", "九江市/武宁县", "九江市/" + "某某街道" * 20,
                                                                    "九江市/武宁县"]))])
    env = {"GONGWEN_DATA": str(data), **({"GONGWEN_DB": s.db_url} if s.db_url else {})}
    with serving(env, "--workers", "1") as (base, _, _):
        yield base


def test_undated_logs_give_no_broken_chart_on_the_topics_page(served, tmp_path):
    browser = Browser(tmp_path)
    try:
        browser.open(served + "/topics")
        browser.wait_for("[...document.images].every(i => i.complete)")
        pictures = browser.js("[...document.images].map(i => [i.getAttribute('src'), i.naturalWidth])")
        assert pictures, "the region chart should be on the page"
        assert [src for src, width in pictures if not width] == [], pictures
        assert "/topics/charts/regions.png" in [src for src, _ in pictures]
        assert "画不出趋势图" in browser.js("document.querySelector('main').innerText")
        # a long region widens 主要地区; the numbers of 全部话题 (编号, 日志数, 新兴度) still stay on one line
        lines = browser.js("""[...[...document.querySelectorAll('main table')].pop().rows].filter(tr => tr.cells[0].tagName === 'TD')
            .flatMap(tr => [0, 3, 4].map(i => { const r = document.createRange(); r.selectNodeContents(tr.cells[i]);
                                                return [tr.cells[i].innerText, r.getClientRects().length]; }))""")
        assert lines and [cell for cell in lines if cell[1] != 1] == [], lines
    finally:
        browser.close()
