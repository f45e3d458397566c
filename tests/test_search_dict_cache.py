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


def _small_backend(table_path):
    """A backend over a made-up four-word dictionary, without jieba's."""
    import math

    import ahocorasick

    b = _Backend.__new__(_Backend)
    b.logtotal = math.log(1000)
    b.char_logp = {ch: math.log(f) - b.logtotal for ch, f in (("码", 30), ("头", 20), ("装", 7))}
    b.auto = ahocorasick.Automaton(ahocorasick.STORE_ANY)
    for w, f in (("码头", 50), ("装卸", 12), ("装卸工", 9)):
        b.auto.add_word(w, (len(w), math.log(f) - b.logtotal))
    b.auto.make_automaton()
    b._table_path = table_path
    return b


def test_the_cutter_table_is_kept_beside_the_dictionary_and_read_back_alike(tmp_path):
    path = tmp_path / "search-cutter-x.bin"
    built = _small_backend(path)._cutter_table()
    assert dict(zip(built[0], built[1])) == {"码头": 50, "装卸": 12, "装卸工": 9, "码": 30, "头": 20, "装": 7}
    assert list(built[0][3:]) == ["码", "头", "装"]  # the automaton's words (its order), then the characters
    assert path.is_file()
    read = _small_backend(path)._cutter_table()
    assert (list(read[0]), list(read[1])) == (list(built[0]), list(built[1]))


def test_a_damaged_or_unwritable_cutter_table_is_computed_again(tmp_path):
    path = tmp_path / "search-cutter-x.bin"
    expected = _small_backend(None)._cutter_table()
    for damaged in (b"", b"gongwen search-cutter 1", path.read_bytes() if path.exists() else b"x" * 40):
        path.write_bytes(damaged)
        got = _small_backend(path)._cutter_table()
        assert (list(got[0]), list(got[1])) == (list(expected[0]), list(expected[1]))
    # a table of another dictionary (other word count) is not used
    other = _small_backend(tmp_path / "other.bin")
    other.auto.add_word("码头工", (3, -5.0))
    other._cutter_table()
    path.write_bytes((tmp_path / "other.bin").read_bytes())
    got = _small_backend(path)._cutter_table()
    assert list(got[1]) == list(expected[1])
    # a cache folder that takes no writes (a file in its way: read-only modes do not stop
    # root): computed each time, no error
    (tmp_path / "ro").write_bytes(b"")
    got = _small_backend(tmp_path / "ro" / "search-cutter-x.bin")._cutter_table()
    assert list(got[1]) == list(expected[1])
