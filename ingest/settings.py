"""Every setting of gongwen, in one object: where the data, models and corpora are,
the search engine, the API's key and limits, OCR limits, caches and tuning knobs.

Each setting has an environment variable (README, "Configuration", lists them all);
a command-line flag, where there is one, wins (the CLI sets the field). Defaults
give an embedded setup: a SQLite file and an index folder under `./gongwen-data`.

`Settings()` reads the environment when it is made. The CLI and the HTTP API make
one and pass it down (`api.service.Gongwen(settings)`, `open_index(settings)`);
code with nothing passed to it makes its own, so a variable is read here and
nowhere else. A value that is not a number where one is wanted is a `SettingsError`
naming the variable. Lives in ingest, the lowest package, so that every package may
import it; imports only ingest.errors.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import GongwenError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ENGINE = "tantivy"  # faster at equal relevance: see bench/search.py


class SettingsError(GongwenError):
    code = "bad_setting"
    http_status = 500


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def debug_requested() -> bool:
    """GONGWEN_DEBUG=1: also for code that runs at import, before any Settings exists."""
    return _env("GONGWEN_DEBUG") == "1"


def _number(name: str, default: str, kind: type = float):
    raw = _env(name, default)
    try:
        return kind(raw)
    except ValueError:
        what = "整数" if kind is int else "数字"
        raise SettingsError(f"环境变量 {name} 的值“{raw}”不是{what}") from None


# Characters of text a file may hold by default. The longest real notice read so far has under
# 9,000; the checklist and the search index cost about 30 CPU-seconds per million characters, the
# checklist linearly (bench/huge_text.py --checklist), so a text file near ingest.read.MAX_BYTES
# (15-25 million characters) would run for many minutes and past the upload's parse time limit
# (GONGWEN_PARSE_TIMEOUT, 300 s) before failing. Refused right after reading instead (ingest.read).
MAX_TEXT_CHARS = 2_000_000

# Characters one field log's text may hold, in POST /api/logs and `gongwen log add` alike (before:
# 1,000,000 characters over HTTP, 1 MiB of UTF-8 in the CLI, so a 420,000-character Chinese log
# was stored by one and refused by the other). The longest real log read so far has under 800
# characters. Tagging runs in the request's thread, linear in the text since 517b575: a log at
# this limit took 2.5 CPU-s (one complaint repeated), 3.6 (a hearsay complaint), 5.9 (no full
# stop, the worst shape measured: bench/tag_long_log.py); 1,000,000 characters took 26 and more.
MAX_LOG_CHARS = 100_000


def _positive(name: str, default: str) -> int:
    n = _number(name, default, int)
    if n < 1:
        raise SettingsError(f"环境变量 {name} 的值“{n}”应为正整数")
    return n


def _path(name: str) -> Path | None:
    value = _env(name)
    return Path(value) if value else None


def _cache_dir() -> Path | None:
    try:
        return _path("GONGWEN_CACHE") or Path(_env("XDG_CACHE_HOME") or Path.home() / ".cache") / "gongwen"
    except RuntimeError:  # no home directory to be found: no cache
        return None


@dataclass
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(_env("GONGWEN_DATA", "gongwen-data")))
    db_url: str | None = field(default_factory=lambda: _env("GONGWEN_DB"))  # SQLAlchemy URL or file path
    engine: str = field(default_factory=lambda: _env("GONGWEN_ENGINE", DEFAULT_ENGINE))  # search engine
    models_dir: Path = field(default_factory=lambda: Path(_env("GONGWEN_MODELS", str(REPO_ROOT / "models"))))
    corpora_dir: Path = field(default_factory=lambda: Path(_env("GONGWEN_CORPORA", str(REPO_ROOT / "corpora"))))
    # the shared material (real-corpus, real-notices) when it is not beside the repository
    shared_dir: Path | None = field(default_factory=lambda: _path("GONGWEN_SHARED"))
    # the cache of stored web pages whose passages corpora/annotations/tagging/pages/ labels
    page_cache: Path | None = field(default_factory=lambda: _path("GONGWEN_PAGE_CACHE"))
    api_key: str | None = field(default_factory=lambda: _env("GONGWEN_API_KEY"))
    read_needs_key: bool = field(default_factory=lambda: _env("GONGWEN_READ_NEEDS_KEY", "0") == "1")
    max_file_mb: float = field(default_factory=lambda: _number("GONGWEN_MAX_FILE_MB", "50"))
    # characters of text one file may hold (MAX_TEXT_CHARS); more is refused right after reading
    max_text_chars: int = field(default_factory=lambda: _positive("GONGWEN_MAX_TEXT_CHARS", str(MAX_TEXT_CHARS)))
    # any other request body (a batch of logs); stopped while it streams in
    max_body_mb: float = field(default_factory=lambda: _number("GONGWEN_MAX_BODY_MB", "64"))
    # an upload is parsed in a separate process, killed after this many CPU-seconds of it
    # (or 10 times as many seconds on the clock: ingest.pool)
    parse_timeout: float = field(default_factory=lambda: _number("GONGWEN_PARSE_TIMEOUT", "300"))
    parse_workers: int = field(default_factory=lambda: _number("GONGWEN_PARSE_WORKERS", "1", int))
    # seconds a stopped `gongwen serve` (SIGTERM, Ctrl+C) waits for requests in flight before it
    # cuts them (api.cli.serve, api.guard); under docker's 10 s stop timeout by default
    stop_grace: float = field(default_factory=lambda: max(0.0, _number("GONGWEN_STOP_GRACE", "8")))
    # a scan with more pages is refused (OCR costs seconds a page); a page below the
    # confidence is named in a warning
    ocr_max_pages: int = field(default_factory=lambda: _number("GONGWEN_OCR_MAX_PAGES", "100", int))
    ocr_min_confidence: float = field(default_factory=lambda: _number("GONGWEN_OCR_MIN_CONFIDENCE", "0.90"))
    # how PDFs are read: "pdfium" (None: ingest.readers.pdf's default) or "pdfplumber" (the older reader)
    pdf_reader: str | None = field(default_factory=lambda: _env("GONGWEN_PDF_READER"))
    # documents per search-index commit while ingesting (None: the service's default)
    index_batch: int | None = field(
        default_factory=lambda: max(1, int(v)) if (v := _env("GONGWEN_INDEX_BATCH", "")).isdigit() else None)
    # processes segmenting a large rebuild (None: one per usable CPU; 0 or 1: in-process)
    index_workers: int | None = field(
        default_factory=lambda: max(0, _number("GONGWEN_INDEX_WORKERS", "0", int)) if _env("GONGWEN_INDEX_WORKERS", "").strip() else None)
    facet_cache: int = field(default_factory=lambda: _number("GONGWEN_FACET_CACHE", "512", int))  # 0: off
    # threads of BLAS/OpenMP (numpy, scikit-learn) and ONNX Runtime (OCR) in each process
    # (ingest.threads); 0: the libraries' own default, one per core
    threads: int = field(default_factory=lambda: max(0, _number("GONGWEN_THREADS", "1", int)))
    # similarity a mined synonym pair needs to be used in search (None: index.search's default)
    mined_sim: float | None = field(
        default_factory=lambda: _number("GONGWEN_MINED_SIM", "0") if _env("GONGWEN_MINED_SIM") else None)
    # search's learned reranker (index.search.ltr, models/search/); 0: the hand formula alone
    search_learned: bool = field(default_factory=lambda: _env("GONGWEN_SEARCH_LEARNED", "1").strip() != "0")
    # caches that are built once (jieba's dictionary, search's word lists): GONGWEN_CACHE,
    # else $XDG_CACHE_HOME/gongwen or ~/.cache/gongwen; None without a home folder
    cache_dir: Path | None = field(default_factory=_cache_dir)
    debug: bool = field(default_factory=lambda: debug_requested())  # tracebacks on the CLI

    @property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url if "://" in self.db_url else f"sqlite:///{Path(self.db_url).resolve()}"
        return f"sqlite:///{(self.data_dir / 'gongwen.db').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / f"index-{self.engine}"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)


def page_cache(given: str | Path | None = None) -> Path | None:
    """The cache of stored web pages that the page annotations (checklists, tagging) are
    rebuilt from: the folder given (--pages / --page-cache), else $GONGWEN_PAGE_CACHE."""
    return Path(given) if given else Settings().page_cache
