"""The segmenter's built dictionary is cached on disk per dictionary version; a new
version replaces the old ones instead of piling up (each is ~22 MB)."""
from __future__ import annotations

import os
import time

import pytest

from index.search.analysis import _Backend


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder and a one-file "dictionary" whose contents name the version."""
    folder = tmp_path / "cache"
    words = tmp_path / "dict.txt"
    words.write_text("工会 10\n", encoding="utf-8")
    monkeypatch.setenv("GONGWEN_CACHE", str(folder))
    monkeypatch.setattr(_Backend, "_dictionaries", staticmethod(lambda: [words]))
    return folder, words


def _age(path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_a_new_dictionary_version_removes_the_stale_one(cache):
    folder, words = cache
    _Backend._to_cache(("built", 1))
    first = _Backend._cache_path()
    assert first.exists()
    _age(first, 3600)

    words.write_text("工会 10\n职代会 3\n", encoding="utf-8")  # the user dictionary was edited
    _Backend._to_cache(("built", 2))
    second = _Backend._cache_path()

    assert second != first
    assert sorted(folder.glob("search-dict-*.pickle")) == [second]
    assert _Backend._from_cache() == ("built", 2)


def test_a_version_another_process_just_used_is_kept(cache):
    folder, words = cache
    _Backend._to_cache(("built", 1))
    other = _Backend._cache_path()  # loaded a moment ago by a checkout with this dictionary
    words.write_text("工会 10\n两节 2\n", encoding="utf-8")
    _Backend._to_cache(("built", 2))

    assert other.exists() and _Backend._cache_path().exists()


def test_loading_marks_a_version_in_use(cache):
    folder, _ = cache
    _Backend._to_cache(("built", 1))
    path = _Backend._cache_path()
    _age(path, 3600)
    assert _Backend._from_cache() == ("built", 1)
    assert time.time() - path.stat().st_mtime < _Backend.CACHE_KEEP_RECENT_S


def test_other_files_in_the_cache_folder_are_left_alone(cache):
    folder, _ = cache
    folder.mkdir(parents=True)
    jieba_cache = folder / "jieba.cache"
    jieba_cache.write_bytes(b"x")
    _age(jieba_cache, 3600)
    _Backend._to_cache(("built", 1))
    assert jieba_cache.exists()
