"""Where gongwen keeps its data and how it is configured.

Every setting has a command-line flag (where it matters) and an environment
variable; the flag wins. Defaults give an embedded setup: a SQLite file and an
index folder under `./gongwen-data`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(_env("GONGWEN_DATA", "gongwen-data")))
    db_url: str | None = field(default_factory=lambda: _env("GONGWEN_DB"))  # SQLAlchemy URL or file path
    engine: str = field(default_factory=lambda: _env("GONGWEN_ENGINE", "tantivy"))  # search engine
    models_dir: Path = field(default_factory=lambda: Path(_env("GONGWEN_MODELS", str(REPO_ROOT / "models"))))
    corpora_dir: Path = field(default_factory=lambda: Path(_env("GONGWEN_CORPORA", str(REPO_ROOT / "corpora"))))
    api_key: str | None = field(default_factory=lambda: _env("GONGWEN_API_KEY"))
    read_needs_key: bool = field(default_factory=lambda: _env("GONGWEN_READ_NEEDS_KEY", "0") == "1")
    max_file_mb: float = field(default_factory=lambda: float(_env("GONGWEN_MAX_FILE_MB", "50")))
    # any other request body (a batch of logs); stopped while it streams in
    max_body_mb: float = field(default_factory=lambda: float(_env("GONGWEN_MAX_BODY_MB", "64")))
    # an upload is parsed in a separate process, killed after this many seconds
    parse_timeout: float = field(default_factory=lambda: float(_env("GONGWEN_PARSE_TIMEOUT", "300")))
    parse_workers: int = field(default_factory=lambda: int(_env("GONGWEN_PARSE_WORKERS", "1")))

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
