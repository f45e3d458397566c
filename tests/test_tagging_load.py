"""The tagger a server's requests share: loaded once per process, also when its first
requests ask for it at the same moment."""
from __future__ import annotations

import threading
from pathlib import Path

import nlp.tagging as tagging

ROOT = Path(__file__).resolve().parents[1]


def test_threads_asking_at_once_share_one_loaded_tagger():
    # Before the lock each of a burst of first POST /api/logs loaded its own copy (seconds each,
    # under one GIL) and they got different objects; a key of its own keeps other tests' cache apart.
    key = str(ROOT / "models") + "/"
    tagging._CACHE.pop(key, None)
    got, start = [], threading.Barrier(6)

    def ask() -> None:
        start.wait()
        got.append(tagging._load_cached(key))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tagging._CACHE.pop(key, None)
    assert len(got) == 6 and all(t is got[0] for t in got)
