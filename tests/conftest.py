"""Shared fixtures. Tests use the project's own sample corpus (corpora/) and
write only into pytest's temporary folders."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
NOTICES = CORPORA / "notices"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """Settings pointing at an empty data folder of this test's own."""
    from api.settings import Settings

    monkeypatch.setenv("GONGWEN_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("GONGWEN_DB", raising=False)
    return Settings()
