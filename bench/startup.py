"""Start-up of a one-notice CLI call: CPU and wall time of `gongwen parse FILE` and
`gongwen checklist FILE --format json` (several runs, each a fresh process), next to the
floor every such call pays: `python -c pass` and `python -c "import jieba"`, and jieba
with its dictionary loaded as jieba loads it itself.

CPU time (user + system of the child, from getrusage) is the figure to compare on a
shared machine (median and best of the runs; the best moves least with the load); wall
time is what a user waits and only means something on an idle one. The first run of
all fills the caches (jieba's prepared dictionary files, bytecode); it is not counted.
With PYTHONDONTWRITEBYTECODE set and no __pycache__ in the checkout, every call also
compiles the project's ~60 modules from source (≈ 0.15 CPU-s): the script says so.

`--against DIR` times the same checklist calls on another checkout (say a copy of main)
in the same minutes, runs interleaved, for a before/after on a loaded machine.

`--serve` times a `gongwen serve --workers 1` start instead (the test suite starts about 40):
from the process's start to its first 200 on /api/health, wall and the server's CPU until
then (from /proc), on a new data folder each run; then its first write (POST /api/logs of a
made-up log) must answer 201 with the log tagged, and its CPU is shown too.

usage: python bench/startup.py [FILE ...] [--runs 5] [--against DIR]
       python bench/startup.py --serve [--runs 5] [--against DIR]
  (default files: a repository notice, and the real PDF and a seed of ../shared when there)"""
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
sys.path.insert(0, str(ROOT))
from nlp.resources import shared_root  # noqa: E402 - after the checkout is on the path

SHARED = shared_root(ROOT)
DEFAULTS = [ROOT / "corpora" / "notices" / "2021_mianyang_bangfu_banfa.txt",
            SHARED / "real-notices" / "cx-2018-04-laodong-jingsai.pdf",
            SHARED / "seeds" / "000_5a3432004c640e08.txt"]


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(cpu, wall) seconds of one run of `cmd`; its output is discarded, a failure stops."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {res.stderr.decode(errors='replace')[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_start(root: Path) -> tuple[float, float, float]:
    """(cpu, wall) of one `gongwen serve --workers 1` start of the checkout `root`, until its
    /api/health answers 200, and the CPU of its first write; a failure stops."""
    import shutil
    import socket
    import tempfile

    import httpx

    data = Path(tempfile.mkdtemp(prefix="gongwen-startup-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(root), GONGWEN_DATA=str(data), GONGWEN_API_KEY="startup-key")
    env.pop("GONGWEN_DB", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "1"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                sys.exit(f"gongwen serve ({root}) exited: {proc.stderr.read().decode(errors='replace')[-500:]}")
            try:
                if httpx.get(url + "/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        wall, cpu = time.perf_counter() - t0, _proc_cpu(proc.pid)
        r = httpx.post(url + "/api/logs", json={"text": "走访企业，职工反映加班费未按时发放"},  # made up
                       headers={"X-API-Key": "startup-key"}, timeout=120)
        if r.status_code != 201 or not r.json()["items"][0].get("tasks"):
            sys.exit(f"gongwen serve ({root}): first write answered {r.status_code} {r.text[:300]}")
        return cpu, wall, _proc_cpu(proc.pid) - cpu
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data, ignore_errors=True)


def serve_main(runs: int, against: Path | None) -> int:
    roots = [("gongwen serve", ROOT)] + ([("gongwen serve [against]", against.resolve())] if against else [])
    for _, root in roots:  # warm: bytecode, the search dictionary's and jieba's caches
        serve_start(root)
    print(f"runs {runs} (interleaved); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in roots}
    for _ in range(runs):
        for name, root in roots:
            times[name].append(serve_start(root))
    width = max(len(name) for name, _ in roots) + 2
    print(f"{'start until /api/health':<{width}} {'CPU med':>8} {'CPU min':>8} {'wall med':>9} {'1st write CPU med':>18}")
    for name, _ in roots:
        cpu = [c for c, _, _ in times[name]]
        print(f"{name:<{width}} {statistics.median(cpu):>8.2f} {min(cpu):>8.2f} "
              f"{statistics.median(w for _, w, _ in times[name]):>9.2f} {statistics.median(x for _, _, x in times[name]):>18.2f}")
    return 0


def _name(path: Path) -> str:
    for base in (ROOT, SHARED.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--against", type=Path, help="another checkout whose checklist calls are timed beside these")
    ap.add_argument("--serve", action="store_true", help="time `gongwen serve` starts instead of one-notice calls")
    args = ap.parse_args()
    if args.serve:
        return serve_main(args.runs, args.against)
    files = args.files or [f for f in DEFAULTS if f.is_file()]
    py = sys.executable
    roots = [("", ROOT)] + ([(" [against]", args.against.resolve())] if args.against else [])
    cases: list[tuple[str, list[str], Path]] = [
        ("python -c pass", [py, "-c", "pass"], ROOT),
        ("python -c 'import jieba'", [py, "-c", "import jieba"], ROOT),
        ("jieba.initialize() (jieba's own cache)", [py, "-c", "import jieba; jieba.initialize()"], ROOT),
    ]
    for f in files:
        cases.append((f"parse {_name(f)}", [py, "-m", "api.cli", "parse", str(f)], ROOT))
        for tag, root in roots:
            cases.append((f"checklist {_name(f)}{tag}", [py, "-m", "api.cli", "checklist", str(f), "--format", "json"], root))

    def env_of(cwd: Path) -> dict[str, str]:  # the code of that checkout, whatever the installed package points at
        return dict(os.environ, PYTHONPATH=str(cwd))

    for _, cmd, cwd in cases:  # warm: page cache, jieba's prepared files, bytecode where it may be written
        run(cmd, env_of(cwd), cwd)
    bytecode = any((ROOT / "nlp" / "checklist" / "__pycache__").glob("extract.*.pyc"))
    print(f"runs {args.runs} (interleaved); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"project bytecode {'cached' if bytecode else 'NOT cached (compiled from source each call)'}")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in cases}
    for _ in range(args.runs):
        for name, cmd, cwd in cases:
            times[name].append(run(cmd, env_of(cwd), cwd))
    width = max(len(name) for name, _, _ in cases) + 2
    print(f"{'command':<{width}} {'CPU med':>8} {'CPU min':>8} {'wall med':>9}")
    for name, _, _ in cases:
        cpu = [c for c, _ in times[name]]
        wall = statistics.median(w for _, w in times[name])
        print(f"{name:<{width}} {statistics.median(cpu):>8.2f} {min(cpu):>8.2f} {wall:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
