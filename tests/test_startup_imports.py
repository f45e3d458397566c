"""A one-notice CLI call loads only what it uses: `gongwen parse` no language models,
`gongwen checklist` jieba and the CRFsuite tagger but neither spaCy nor scikit-learn,
scipy or numpy (together two CPU-seconds of start-up before; bench/startup.py has the
times). A new import of one of them in these paths shows up here, not as a slow CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "corpora" / "notices" / "2021_mianyang_bangfu_banfa.txt"
HEAVY = {"spacy", "thinc", "sklearn", "scipy", "numpy", "joblib", "sklearn_crfsuite", "torch", "pandas"}
SCRIPT = """
import json, sys
from api.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit as e:
    if e.code:
        raise
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""
# cut from a one-notice call (bench/startup.py): cn2an builds its tables at import (0.2-0.3
# CPU-s), jieba finds its dictionary through pkg_resources (0.1), typer's help screen (0.1)
NOT_FOR_ONE_NOTICE = {"cn2an", "pkg_resources", "typer.rich_utils"}


def _loaded(*args: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip()  # the command did its work
    modules = set(json.loads(res.stderr.strip().splitlines()[-1]))
    return {m.split(".")[0] for m in modules} | (modules & NOT_FOR_ONE_NOTICE)


@pytest.mark.parametrize("command", ["parse", "checklist"])
def test_one_notice_command_loads_no_heavy_library(command):
    loaded = _loaded(command, str(NOTICE))
    assert not loaded & HEAVY
    assert not loaded & NOT_FOR_ONE_NOTICE
    if command == "parse":
        assert "jieba" not in loaded
    else:
        assert {"jieba", "pycrfsuite"} <= loaded
