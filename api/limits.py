"""Bounds the API, the CLI and the web pages share, so one rule holds wherever a request comes
from (light on purpose: the CLI imports it to declare its options without the web stack).
"""

# search result pages: GET /api/search's page and per_page, `gongwen search --page/--per-page`,
# the /search page. Past page 1000 no one reads on, and each deeper page makes the engine
# collect every hit before it.
MAX_PAGE = 1000
MAX_PER_PAGE = 100
