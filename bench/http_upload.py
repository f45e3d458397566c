"""Searches while an upload parses: starts the real server (`python -m api.cli serve
--workers 1`, so the upload and the searches share one worker), stores the sample
notices, then measures concurrent GET /api/search latency twice — idle, and while a
~5 MB .txt upload (the sample notices repeated) is being parsed — and prints p50/p95
of both and their ratio (target: p95 during the upload ≤ 2 × idle).

    python bench/http_upload.py [--mb 5] [--threads 4] [--searches 200] [--code DIR] [--wait 600]

--code DIR runs the server from another checkout (e.g. a worktree of an older commit)
for a before/after comparison.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["蹲点", "职工之家", "\"第一时间\"", "工资 OR 欠薪", "帮扶 资金", "type:通知", "送清凉", "劳动竞赛"]
KEY = "bench-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def big_text(mb: float) -> bytes:
    sys.path.insert(0, str(ROOT))
    from ingest.readers.txt import decode_bytes

    text = "\n".join(decode_bytes(p.read_bytes())[0] for p in sorted((ROOT / "corpora" / "notices").glob("*.txt")))
    data = text.encode()
    return (data * (int(mb * 2**20) // len(data) + 1))[: int(mb * 2**20)].decode("utf-8", "ignore").encode()


def search_load(url: str, threads: int, n: int) -> list[float]:
    def one(i: int) -> float:
        t = time.perf_counter()
        r = httpx.get(url + "/api/search", params={"q": QUERIES[i % len(QUERIES)]}, timeout=600)
        r.raise_for_status()
        return (time.perf_counter() - t) * 1000

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(n)))


def pct(xs: list[float], p: float) -> float:
    return statistics.quantiles(xs, n=100)[int(p) - 1] if len(xs) > 1 else xs[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--searches", type=int, default=200)
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout to run the server from")
    ap.add_argument("--wait", type=float, default=600, help="seconds to wait for the upload's answer")
    args = ap.parse_args()
    sys.path.append(str(ROOT / "bench"))  # after the repository: bench/ingest.py is no package
    from gongwen_scratch import scratch_folder

    data = str(scratch_folder("gongwen-bench-upload-"))
    code = args.code.resolve()
    env = {**os.environ, "PYTHONPATH": str(code), "GONGWEN_DATA": data, "GONGWEN_API_KEY": KEY,
           "GONGWEN_MAX_FILE_MB": str(args.mb + 2), "GONGWEN_PARSE_TIMEOUT": "3600"}
    subprocess.run([sys.executable, "-m", "api.cli", "ingest", str(code / "corpora" / "notices")], env=env,
                   check=True, capture_output=True, cwd=code)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "1"],
                              env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        search_load(url, args.threads, 40)  # warm up
        small = sorted((code / "corpora" / "notices").glob("*.txt"))[0]
        httpx.post(url + "/api/documents", files={"file": (small.name, small.read_bytes())},
                   headers={"X-API-Key": KEY}, timeout=600)  # starts the parse worker, if there is one
        idle = search_load(url, args.threads, args.searches)

        body = big_text(args.mb)
        upload: dict = {}

        def send() -> None:
            t = time.perf_counter()
            r = httpx.post(url + "/api/documents", files={"file": ("big.txt", body)}, headers={"X-API-Key": KEY},
                           timeout=3600)
            upload.update(status=r.status_code, seconds=time.perf_counter() - t, done=time.perf_counter())

        thread = threading.Thread(target=send, daemon=True)
        thread.start()
        time.sleep(2)  # the body is sent; parsing is under way
        start = time.perf_counter()
        busy = search_load(url, args.threads, args.searches)
        end = time.perf_counter()
        during = "all while the upload was parsed" if "done" not in upload else \
            f"only {max(0.0, upload['done'] - start):.1f} s of {end - start:.1f} s while the upload was parsed"
        print(f"server code: {code}")
        print(f"idle:             p50 {pct(idle, 50):7.1f} ms  p95 {pct(idle, 95):7.1f} ms  ({len(idle)} searches, "
              f"{args.threads} at a time)")
        print(f"during {len(body) / 2**20:.1f} MB upload: p50 {pct(busy, 50):7.1f} ms  p95 {pct(busy, 95):7.1f} ms  "
              f"({during})")
        print(f"p95 ratio: {pct(busy, 95) / pct(idle, 95):.2f}  (target ≤ 2); slowest search: idle "
              f"{max(idle):.0f} ms, during the upload {max(busy):.0f} ms", flush=True)
        thread.join(args.wait)
        print(f"upload: HTTP {upload['status']} after {upload['seconds']:.1f} s" if "status" in upload
              else f"upload: still parsing after {time.perf_counter() - start + 2:.0f} s (not waited for)")
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # uvicorn waits for the upload still being parsed
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
