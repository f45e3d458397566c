"""Threads of the numeric libraries: one process, `Settings.threads` threads each.

OpenBLAS (numpy, scipy, scikit-learn), OpenMP and MKL start a pool of one thread per
core; on a machine other work keeps busy, a pool thread that waits for a core spins,
and a small fit burnt 8x the CPU for the same result (20 CPU-s instead of 2.6). They
read their variables once, when first loaded, so the cap is set before numpy is
imported (the CLI's entry point, the server's app factory), and through threadpoolctl
where numpy is loaded already. A variable the user set (OPENBLAS_NUM_THREADS …) wins.
ONNX Runtime (OCR) is given the number when its session is made (ingest.readers.ocr).
Standard library only (threadpoolctl late), so every entry point may import it first.
"""
from __future__ import annotations

import os
import sys

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def cap_threads(n: int | None) -> None:
    """At most `n` threads per numeric library in this process and the processes it
    starts; None or 0 leaves the libraries' own default (a thread per core)."""
    if not n:
        return
    for name in VARIABLES:
        os.environ.setdefault(name, str(n))
    if "numpy" in sys.modules:  # loaded before the cap: its pools exist already
        from threadpoolctl import threadpool_limits

        threadpool_limits(n)
