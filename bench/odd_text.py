"""CPU-seconds to read, parse and extract the checklist of odd text shapes that once
cost time growing with the square of their size (found by a fuzz sweep of the readers):
a long run of digits, a long run of Chinese numerals, many short lines without end
punctuation, a long HTML table. Per shape, each size's CPU-seconds and its cost per
thousand units: flat when the cost is linear.

    python bench/odd_text.py [--scale 1]

On 2026-12-06 (load 8-12), before the fixes → after, CPU-s: a 2,000-digit line 4-8 →
0.1 (20,000 digits: over 10 → 0.6); a line of 8,000 一 14 → 0.06; 80,000 short lines
24 → 1.1 (40,000: 6.3 → 0.5). The HTML table was linear before (about 80 µs a row).
"""
from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEAD = "关于做好工会工作的通知\n\n各基层工会：\n\n"
TAIL = "\n\n请各单位认真组织职工参加培训。\n\n市总工会\n2024年5月1日\n"
SHAPES = {
    "digit run (digits)": (lambda n: (HEAD + "每单位推荐" + "1" * n + "人参加" + TAIL).encode(), "x.txt", (5000, 10000, 20000)),
    "numeral run (一)": (lambda n: (HEAD + "共" + "一" * n + "页" + TAIL).encode(), "x.txt", (4000, 8000, 16000)),
    "short lines": (lambda n: (HEAD + "一\n" * n + TAIL).encode(), "x.txt", (20000, 40000, 80000)),
    "html table rows": (lambda n: ("<h1>关于做好工作的通知</h1><table>" + "<tr><td>张三</td><td>市总工会</td></tr>" * n
                                   + "</table>").encode(), "x.html", (5000, 10000, 20000)),
}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size by this")
    a = ap.parse_args()
    from ingest.errors import GongwenError
    from ingest.load import load_bytes
    from nlp.checklist import extract

    extract(load_bytes((HEAD + "请按时报送材料。" + TAIL).encode(), "warm.txt"))  # imports and models, not timed
    for shape, (make, name, sizes) in SHAPES.items():
        cells = []
        for n in (int(s * a.scale) for s in sizes):
            data = make(n)
            t = _cpu()
            try:
                extract(load_bytes(data, name, max_bytes=len(data) + 1))
                note = ""
            except GongwenError as e:
                note = f" (refused: {e})"
            cpu = _cpu() - t
            cells.append(f"{n:,}: {cpu:.2f} s, {cpu / n * 1000:.3f}/1k{note}")
        print(f"{shape:<20} " + "; ".join(cells), flush=True)


if __name__ == "__main__":
    main()
