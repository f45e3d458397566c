"""The web app on a new empty store, for tests that talk to it in process (FastAPI's TestClient)
and, through `client.where`, to the same store with the `gongwen` CLI."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from backends import fresh_db_url
from fastapi.testclient import TestClient


@contextmanager
def store_client(tmp_path_factory, name: str, api_key: str) -> Iterator[TestClient]:
    """A TestClient of the app on a new store (data folder `name` under pytest's temporary folders,
    the suite's database backend) guarded by `api_key`; `client.where` holds the CLI options that
    name that store."""
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url, s.api_key = tmp_path_factory.mktemp(name), fresh_db_url(), api_key
    with TestClient(create_app(s), raise_server_exceptions=False) as c:
        c.where = ["--data-dir", str(s.data_dir)] + (["--db", s.db_url] if s.db_url else [])
        yield c
