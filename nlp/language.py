"""The shared language pipeline: jieba with the domain user dictionary, and a blank
spaCy Chinese pipeline whose tokenizer is that same jieba. Everything is built once
per process and cached, so callers can ask for it freely.

Start-up cost matters here (one `gongwen checklist FILE` is mostly loading): jieba's
prefix dictionary and the part-of-speech table of its main dictionary are read from a
prepared cache in the user cache folder, keyed by the dictionary's content hash; the
POS table only when a caller asks for parts of speech (`pos_tokenizer`), which reads
both from one file sharing the words when jieba is not loaded yet (the checklist's case)."""
from __future__ import annotations

import hashlib
import importlib
import io
import logging
import marshal
import os
import sys
import threading
from functools import lru_cache
from pathlib import Path

from ingest.settings import Settings, SettingsError
from nlp import import_jieba
from nlp.resources import user_dict_path

jieba = import_jieba()

_lock = threading.RLock()
_loaded_dict: str | None = None
# bumped when what the prepared files hold changes
_PREPARED_FORMAT = "1"

# jieba prints its dictionary-loading chatter through logging; keep CLIs quiet.
jieba.setLogLevel(logging.WARNING)


def _cache_dir() -> Path | None:
    """The user's cache folder for gongwen (Settings.cache_dir), or None where there is
    none or it cannot be created (read-only home): jieba then keeps its own default."""
    try:
        path = Settings().cache_dir
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
    except (OSError, SettingsError):
        return None
    return path


# jieba's prefix dictionary takes ~2 s to build; jieba keeps its own marshal cache
# (used when the prepared files below cannot be written); keep it in the user cache
# folder, where it survives /tmp cleaning and is shared by every run.
_JIEBA_CACHE = _cache_dir()
if _JIEBA_CACHE is not None and jieba.dt.tmp_dir is None:
    jieba.dt.tmp_dir = str(_JIEBA_CACHE)


@lru_cache(maxsize=1)
def _dict_digest() -> str | None:
    try:
        with jieba.dt.get_dict_file() as f:
            return hashlib.sha1(f.read()).hexdigest()[:16]
    except OSError:
        return None


def _prepared(kind: str) -> Path | None:
    """Where the prepared `kind` ('freq', 'tags' or 'both') of jieba's main dictionary is
    kept: named by the dictionary's content hash, so a changed dictionary (or jieba
    version) gets a file of its own and an old one is never read."""
    digest = _dict_digest()
    if _JIEBA_CACHE is None or digest is None:
        return None
    return _JIEBA_CACHE / f"jieba-{kind}-{_PREPARED_FORMAT}-{jieba.__version__}-{digest}.marshal"


def _read(path: Path | None):
    if path is None:
        return None
    try:
        # marshal.loads on the bytes: marshal.load on a file object (what jieba does)
        # reads item by item and takes 2.5x longer
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write(path: Path | None, value) -> None:
    if path is None:
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(marshal.dumps(value))
        os.replace(tmp, path)  # atomic: a concurrent reader sees all of it or nothing
    except OSError:  # read-only cache folder: jieba's own loading each time
        tmp.unlink(missing_ok=True)


def _initialize() -> None:
    """jieba's prefix dictionary of its main dictionary, from the prepared file when
    there is one (jieba.initialize builds or reads its own cache otherwise)."""
    dt = jieba.dt
    if dt.initialized or dt.dictionary != jieba.DEFAULT_DICT:
        dt.check_initialized()
        return
    path = _prepared("freq")
    data = _read(path)
    if isinstance(data, tuple) and len(data) == 2:
        dt.FREQ, dt.total = data
        dt.initialized = True
        return
    dt.initialize()
    _write(path, (dt.FREQ, dt.total))


def load_user_dict() -> None:
    """Load corpora/userdict.txt into jieba once (jieba's dictionary is global, so
    the spaCy tokenizer below sees the same words). The user dictionary is applied
    on every start (a millisecond): a prepared copy with it would buy nothing."""
    global _loaded_dict
    path = user_dict_path()
    with _lock:
        if _loaded_dict == str(path):
            return
        _initialize()
        if path.is_file():
            jieba.load_userdict(str(path))
        _loaded_dict = str(path)
        from nlp import analysis

        analysis.clear()  # words cut with the dictionary before are stale


def _initialize_with_tags() -> dict | None:
    """jieba's prefix dictionary and the POS table in one read, from the prepared file
    holding both (`_write_both`), when nothing has initialized jieba yet; the table,
    or None (then the two files are read one after the other)."""
    dt = jieba.dt
    if dt.initialized or dt.dictionary != jieba.DEFAULT_DICT or "jieba.posseg" in sys.modules:
        return None
    data = _read(_prepared("both"))
    if not (isinstance(data, tuple) and len(data) == 3 and isinstance(data[2], dict)):
        return None
    dt.FREQ, dt.total, tags = data
    dt.initialized = True
    return tags


def _write_both(tags: dict) -> None:
    """The prepared prefix dictionary and POS table in one file, each table key the
    same string object as the prefix dictionary's key and each tag interned: marshal
    then writes every word once, and one read makes ~850,000 strings instead of
    ~1,350,000 (0.6 → 0.5 CPU-s; the two tables are equal to the separate files')."""
    path = _prepared("both")
    if path is None or path.exists():
        return
    data = _read(_prepared("freq"))  # the prefix dictionary without the domain words
    if not (isinstance(data, tuple) and len(data) == 2):
        return
    freq, total = data
    keys = {k: k for k in freq}
    _write(path, (freq, total, {keys.get(w, w): sys.intern(t) for w, t in tags.items()}))


def pos_tokenizer():
    """jieba's part-of-speech tokenizer (`jieba.posseg.dt`) with the domain dictionary.

    Importing jieba.posseg parses the POS column of jieba's main dictionary line by
    line (a quarter of a CPU-second); the same table is read from a prepared file
    instead when there is one."""
    with _lock:
        tags = _initialize_with_tags()
        load_user_dict()
        if "jieba.posseg" in sys.modules:
            return sys.modules["jieba.posseg"].dt
        if tags is None:
            path = _prepared("tags")
            tags = _read(path)
            if not isinstance(tags, dict) or jieba.dt.dictionary != jieba.DEFAULT_DICT:
                posseg = importlib.import_module("jieba.posseg")
                _write(path, dict(posseg.dt.word_tag_tab))
                return posseg.dt
            _write_both(tags)
        # the module builds its POSTokenizer at import, reading jieba.dt.get_dict_file();
        # hand it an empty file for that one read, then give it the prepared table
        jieba.dt.get_dict_file = lambda: io.BytesIO(b"")
        try:
            posseg = importlib.import_module("jieba.posseg")
        finally:
            del jieba.dt.get_dict_file
        posseg.dt.word_tag_tab = tags
        return posseg.dt


@lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """The part of speech of each word of jieba's main dictionary (the domain
    dictionary's tags left out), read without touching jieba's tokenizers: from the
    prepared file, else parsed by jieba's own reader into a table of its own."""
    tags = _read(_prepared("tags"))
    if isinstance(tags, dict):
        return tags
    posseg = importlib.import_module("jieba.posseg")
    table = object.__new__(posseg.POSTokenizer)
    table.load_word_tag(jieba.dt.get_dict_file())
    return table.word_tag_tab


def segment(text: str) -> list[str]:
    """Words of `text` as jieba cuts them with the domain dictionary (no spaces)."""
    from nlp.analysis import words

    return [w for w in words(text) if w.strip()]


@lru_cache(maxsize=1)
def nlp():
    """A blank spaCy `zh` pipeline using the jieba segmenter (cached). The checklist
    readers do not need it (`nlp.analysis` gives the same tokens without importing
    spaCy, 0.8 CPU-s); it stays for callers that want spaCy objects."""
    import spacy

    load_user_dict()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def tokenizer():
    """The spaCy tokenizer of `nlp()`: `tokenizer()(text)` gives a `Doc`."""
    return nlp().tokenizer
