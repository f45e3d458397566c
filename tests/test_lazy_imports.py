"""Every CLI command builds the service (`api.service.Gongwen`), so loading it must not
load a database driver, a search engine or a language model: each module imports
those inside the methods that use them (`gongwen parse` never opens an index)."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

HEAVY = ("sqlalchemy", "tantivy", "whoosh", "jieba", "spacy", "sklearn", "numpy")


def test_loading_the_service_loads_nothing_heavy():
    code = f"import sys, api.service; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert run.stdout.split() == []
