"""The project's scripts (bench/, corpora/tools/) are run by path, not imported as a
package; tests load them by file through `load_script`, one way for every test."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_script(relpath: str, name: str | None = None) -> ModuleType:
    """A fresh module of the script at `relpath` (from the repository root)."""
    path = ROOT / relpath
    name = name or path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the script runs
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
