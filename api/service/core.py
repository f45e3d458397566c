"""The service's shared state: settings, the store and the search index, both opened
lazily and closed together. Every resource module of `api.service` builds on
`ServiceCore`. May import api.settings and index (late, inside the properties).
"""
from __future__ import annotations

import threading

from api.settings import Settings


class ServiceCore:
    """The application: settings plus a lazily opened store (and search index)."""

    index_batch = 64  # documents per search-index commit in `ingest_paths`

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        if self.settings.index_batch:  # smaller batches: more, shorter index commits
            self.index_batch = self.settings.index_batch
        self._store = None
        self._search_index = None
        self._lock = threading.Lock()  # the API serves requests from several threads
        self._topics_lock = threading.Lock()
        self._topics_cache: dict[str, tuple[tuple, dict]] = {}

    @property
    def store(self):
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from index.store import Store

                    self._store = Store(self.settings.database_url)
        return self._store

    @property
    def search_index(self):
        if self._search_index is None:
            from index.search import open_index

            with self._lock:
                if self._search_index is None:
                    self._search_index = open_index(self.settings)
        return self._search_index

    def close(self) -> None:
        if self._search_index is not None:
            self._search_index.close()
            self._search_index = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
