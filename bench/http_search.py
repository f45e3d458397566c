"""HTTP search benchmark: builds (or reuses) an index of N generated sections and
field logs (default 100,000), starts the real server (`python -m api.cli serve`,
uvicorn) on 127.0.0.1, and drives concurrent GET /api/search load with `wrk`
(a Lua script cycles a fixed set of query URLs; each response carries snippets
and the six facets, the API default). Prints searches/s, latency p50/p95/p99 and
errors per engine and concurrency, with the CPU used by server and client, so a
client-bound run is visible.

    python bench/http_search.py [--n 100000] [--engines tantivy,whoosh] [--concurrency 8,32]
                                [--requests 3000] [--max-seconds 60] [--data-dir D] [--client wrk|httpx]

Without `wrk` on PATH (Debian: apt-get install wrk) an asyncio/httpx client is used;
it shares the 2 cores with the server, so its figures are a lower bound.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.search import Item, open_index  # noqa: E402

try:  # the in-process benchmark's generator and queries, so both benchmarks search the same data
    from bench.search import QUERIES as BASE_QUERIES, generate
except ImportError:  # pragma: no cover - a small stand-in generator
    BASE_QUERIES = ["蹲点", "高温津贴", '"工资集体协商"', "欠薪 OR 拖欠工资", "快递员 -外卖", "劳动竞赛 year:2023",
                    "kind:log risk:欠薪", "职工之家 建设", "困难职工 帮扶", "issuer:九江市总工会"]

    def generate(n: int, seed: int = 7) -> list[Item]:
        r = random.Random(seed)
        places = ["九江市", "赣州市", "修水县", "安福县", "株洲市", "绵阳市"]
        topics = ["蹲点调研", "职工之家建设", "送清凉活动", "困难职工帮扶", "工资集体协商", "劳动竞赛", "高温津贴落实"]
        workers = ["快递员", "外卖配送员", "网约车司机", "环卫工人", "女职工", "农民工"]
        out = []
        for i in range(n):
            place, topic, year = r.choice(places), r.choice(topics), r.randint(2019, 2025)
            text = "".join(f"各级工会要认真落实{r.choice(topics)}，重点关注{r.choice(workers)}，"
                           f"覆盖职工不少于{r.randint(20, 5000)}人。" for _ in range(r.randint(2, 5)))
            kind = "log" if i % 3 == 0 else "section"
            out.append(Item(id=f"x{i}", kind=kind, doc_id=f"d{i // 8}", text=text, title=f"关于开展{topic}的通知",
                            issuer=place + "总工会", doc_type="蹲点日志" if kind == "log" else "通知",
                            date=f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", region=place,
                            tags=[topic] if r.random() < .5 else [], risks=["欠薪"] if r.random() < .1 else []))
        return out

# Explicit AND / NOT / 中文 operators and API-side filters on top of the shared queries.
EXTRA = [("蹲点 AND 调研", {}), ("职工 NOT 外卖", {}), ("送温暖 或 送清凉", {}), ('"高温津贴" 非 快递', {}),
         ("法律援助", {"kind": "section", "year": 2023}), ("欠薪", {"kind": "log", "sort": "date"}),
         ("劳动竞赛", {"type": "通知", "page": 2}), ("职工", {"region": "九江市", "per_page": 20})]


def query_urls() -> list[str]:
    pairs = [(q, {}) for q in BASE_QUERIES] + EXTRA
    return ["/api/search?" + urlencode({"q": q, **p}) for q, p in pairs]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


# ------------------------------------------------------------------ index
def ensure_index(data_dir: Path, engine: str, n: int, batch: int = 5000) -> str:
    """The index the server will open (`<data-dir>/index-<engine>`): reused when it
    already holds n items, else rebuilt from the generator."""
    folder = data_dir / f"index-{engine}"
    if folder.exists():
        ix = open_index(folder, engine)
        have = ix.count()
        ix.close()
        if have == n:
            return f"reused {have:,} items"
        shutil.rmtree(folder)
    t = time.perf_counter()
    items = generate(n)
    gen_s = time.perf_counter() - t
    ix = open_index(folder, engine)
    t = time.perf_counter()
    for i in range(0, len(items), batch):
        ix.add(items[i : i + batch])
    count = ix.count()
    ix.close()
    return f"built {count:,} items (generate {gen_s:.0f}s, index {time.perf_counter() - t:.0f}s)"


# ------------------------------------------------------------------ server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, engine: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "GONGWEN_API_KEY": "bench-" + os.urandom(8).hex(), "GONGWEN_ENGINE": engine,
           "GONGWEN_READ_NEEDS_KEY": "0"}
    log = open(data_dir / f"server-{engine}.log", "wb")
    return subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--data-dir", str(data_dir), "--engine", engine],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_health(base: str, proc: subprocess.Popen, timeout: float = 180) -> dict:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}; see its log in the data dir")
        try:
            r = httpx.get(base + "/api/health", timeout=2)
            if r.status_code == 200:
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not answer /api/health in time")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ load
WRK_LUA = """
local urls = {%(urls)s}
local limit = %(limit)d
local counter = 0
local stopped = false
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = id
end
function request()
  -- threads take interleaved slots of the URL list, and stop at their share of the budget
  local i = counter
  counter = counter + %(nthreads)d
  if i >= limit then
    -- tell the driver this thread spent its share (it sends SIGINT once all have), then stop
    if not stopped then io.write("STOPPED\\n"); io.flush(); stopped = true end
    wrk.thread:stop()
  end
  return wrk.format("GET", urls[(i %% #urls) + 1], {["Accept"] = "application/json"})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"us\\": %%d, \\"connect\\": %%d, \\"read\\": %%d, " ..
    "\\"write\\": %%d, \\"status\\": %%d, \\"timeout\\": %%d, \\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d, " ..
    "\\"max\\": %%d}\\n", summary.requests, summary.duration, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def run_wrk(base: str, urls: list[str], conc: int, total: int, max_s: int, workdir: Path) -> dict:
    threads = min(2, conc)
    script = workdir / "cycle.lua"
    script.write_text(WRK_LUA % {"urls": ", ".join(json.dumps(u) for u in urls), "limit": total,
                                 "nthreads": threads}, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # wrk only knows durations: when every thread has spent its request budget, SIGINT makes it
    # stop and print its summary, with the duration measured up to that point.
    proc = subprocess.Popen(["wrk", "-t", str(threads), "-c", str(conc), "-d", f"{max_s}s", "--timeout", "10s",
                             "-s", str(script), base], stdout=subprocess.PIPE, text=True)
    lines, stopped = [], 0
    for line in proc.stdout:
        lines.append(line)
        stopped += line.startswith("STOPPED")
        if stopped == threads:
            proc.send_signal(signal.SIGINT)
            stopped += 1
    if proc.wait() != 0:
        raise SystemExit("wrk failed:\n" + "".join(lines))
    out = "".join(lines)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = json.loads(next(ln for ln in out.splitlines() if ln.startswith("RESULT "))[7:])
    secs = r["us"] / 1e6
    return {"n": r["requests"], "secs": secs, "rps": r["requests"] / secs,
            "p50": r["p50"] / 1000, "p95": r["p95"] / 1000, "p99": r["p99"] / 1000,
            "errors": r["status"] + r["connect"] + r["read"] + r["write"] + r["timeout"],
            "client_cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)}


def run_httpx(base: str, urls: list[str], conc: int, total: int, max_s: int, workdir: Path) -> dict:
    import httpx

    lat: list[float] = []
    errors = 0
    t_cpu = time.process_time()

    async def main() -> float:
        nonlocal errors
        counter = iter(range(total))
        limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
        deadline = time.monotonic() + max_s
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
            async def worker():
                nonlocal errors
                for i in counter:
                    if time.monotonic() > deadline:
                        return
                    t = time.perf_counter()
                    try:
                        r = await client.get(urls[i % len(urls)])
                        await r.aread()
                        errors += r.status_code >= 400
                    except httpx.HTTPError:
                        errors += 1
                    lat.append((time.perf_counter() - t) * 1000)

            t0 = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(conc)))
            return time.perf_counter() - t0

    secs = asyncio.run(main())
    return {"n": len(lat), "secs": secs, "rps": len(lat) / secs, "p50": pct(lat, 50), "p95": pct(lat, 95),
            "p99": pct(lat, 99), "errors": errors, "client_cpu": time.process_time() - t_cpu}


def check_queries(base: str, urls: list[str]) -> tuple[int, int]:
    """One pass over every URL (warms the server) and a check that each answers 200 with
    hits, facets and marked snippets. Returns (URLs with hits, URLs answering 200)."""
    import httpx

    with_hits = ok = 0
    with httpx.Client(base_url=base, timeout=30) as c:
        for u in urls:
            r = c.get(u)
            if r.status_code != 200:
                print(f"   ! {r.status_code} {u}: {r.text[:200]}")
                continue
            ok += 1
            body = r.json()
            assert "facets" in body and "hits" in body, u
            with_hits += body["total"] > 0
    return with_hits, ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="items in the index")
    ap.add_argument("--engines", "--engine", default="tantivy", help="tantivy, whoosh or both (comma-separated)")
    ap.add_argument("--concurrency", default="8,32", help="concurrent connections, comma-separated levels")
    ap.add_argument("--requests", type=int, default=3000, help="requests per level (upper bound)")
    ap.add_argument("--max-seconds", type=int, default=60, help="time bound per level")
    ap.add_argument("--data-dir", type=Path, default=None, help="keep/reuse the index here (default: temp folder)")
    ap.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    ap.add_argument("--client", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    a = ap.parse_args()
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    levels = [int(c) for c in a.concurrency.split(",") if c.strip()]
    data_dir = (a.data_dir or Path(tempfile.mkdtemp(prefix="gongwen-http-bench-"))).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    urls = query_urls()
    load = run_wrk if a.client == "wrk" else run_httpx
    print(f"{len(urls)} query URLs; data from {generate.__module__}.generate; client {a.client}; {os.cpu_count()} CPUs; load average "
          f"{os.getloadavg()[0]:.1f}; data dir {data_dir}", flush=True)
    rows = []
    for engine in engines:
        print(f"[{engine}] index: {ensure_index(data_dir, engine, a.n)}", flush=True)
        port = a.port or free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(data_dir, engine, port)
        try:
            health = wait_health(base, proc)
            with_hits, ok = check_queries(base, urls)
            print(f"[{engine}] server up (engine {health.get('engine')}); {ok}/{len(urls)} URLs answer 200, "
                  f"{with_hits} with hits", flush=True)
            for conc in levels:
                srv0 = cpu_seconds(proc.pid)
                r = load(base, urls, conc, a.requests, a.max_seconds, data_dir)
                r["server_cpu"] = cpu_seconds(proc.pid) - srv0
                rows.append((engine, conc, r))
                print(f"[{engine}] c={conc}: {r['n']} requests in {r['secs']:.1f}s", flush=True)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"\nn = {a.n:,} items; GET /api/search (10 hits, snippets, 6 facets); client {a.client}")
    head = ("engine", "conc", "requests", "search/s", "p50 ms", "p95 ms", "p99 ms", "errors", "server CPU", "CPU ms/req", "client CPU")
    print("".join(f"{h:>11}" for h in head))
    for engine, conc, r in rows:
        cells = (engine, conc, r["n"], f"{r['rps']:.0f}", f"{r['p50']:.1f}", f"{r['p95']:.1f}", f"{r['p99']:.1f}",
                 r["errors"], f"{100 * r['server_cpu'] / r['secs']:.0f}%",
                 f"{1000 * r['server_cpu'] / r['n']:.1f}", f"{100 * r['client_cpu'] / r['secs']:.0f}%")
        print("".join(f"{c!s:>11}" for c in cells))
    print("server CPU: % of one core used by the server process during the run; CPU ms/req: its CPU time per\n"
          "search (the cost that does not depend on other load on the machine); client CPU: the load generator.")


if __name__ == "__main__":
    main()
