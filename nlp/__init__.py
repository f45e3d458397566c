"""nlp: language work on parsed documents and field logs.

Owns: the jieba/spaCy language pipeline and domain dictionary (`nlp.language`),
checklist extraction from notices (`nlp.checklist`), log tagging (`nlp.tagging`)
and research-topic discovery (`nlp.topics`). May import `ingest`; never `index` or `api`.
Here: `import_jieba`, jieba imported without pkg_resources (a tenth of a CPU-second of a
one-notice command), used by nlp.language, nlp.analysis, nlp.tagging.features and index.search.analysis.
"""
from __future__ import annotations

import sys


def import_jieba():
    """jieba, imported without pkg_resources. jieba 0.42 finds its dictionary through
    pkg_resources when it can import it: a tenth of a CPU-second of every one-notice CLI
    call (and setuptools' deprecation warning); without it jieba opens the same file
    beside its own module. pkg_resources is hidden for this one import only; modules
    here that use jieba import it through this (`jieba = import_jieba()`)."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` raises ImportError
        try:
            import jieba  # noqa: F401
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    return jieba
