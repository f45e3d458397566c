"""Start-up of a one-notice CLI call: CPU and wall time of `gongwen parse FILE` and
`gongwen checklist FILE` (median of several runs, each a fresh process), next to the
floor every such call pays: `python -c pass` and `python -c "import jieba"`, and jieba
with its dictionary loaded as jieba loads it itself.

CPU time (user + system of the child, from getrusage) is the figure to compare on a
shared machine; wall time is what a user waits and only means something on an idle one.
The first run of all fills the caches (jieba's prepared dictionary); it is not counted.

usage: python bench/startup.py [FILE] [--runs 5]"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "corpora" / "notices" / "2021_mianyang_bangfu_banfa.txt"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(cpu, wall) seconds of one run of `cmd`; its output is discarded, a failure stops."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {res.stderr.decode(errors='replace')[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    # the code of this checkout, whatever the installed package points at
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    py = sys.executable
    cases = [
        ("python -c pass", [py, "-c", "pass"]),
        ("python -c 'import jieba'", [py, "-c", "import jieba"]),
        ("jieba.initialize() (jieba's own cache)", [py, "-c", "import jieba; jieba.initialize()"]),
        ("gongwen parse FILE", [py, "-m", "api.cli", "parse", str(args.file)]),
        ("gongwen checklist FILE", [py, "-m", "api.cli", "checklist", str(args.file)]),
    ]
    for _, cmd in cases:  # warm: page cache, jieba's caches, prepared files
        run(cmd, env)
    print(f"file: {args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}; "
          f"median of {args.runs} runs (runs interleaved); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in cases}
    for _ in range(args.runs):
        for name, cmd in cases:
            times[name].append(run(cmd, env))
    print(f"{'command':<42} {'CPU s':>7} {'wall s':>7}")
    for name, _ in cases:
        cpu = statistics.median(c for c, _ in times[name])
        wall = statistics.median(w for _, w in times[name])
        print(f"{name:<42} {cpu:>7.2f} {wall:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
