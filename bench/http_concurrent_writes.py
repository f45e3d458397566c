"""Concurrent writers over HTTP: a real `gongwen serve` (uvicorn, several worker
processes) takes a stream of `POST /api/logs` from several client threads while two
`gongwen ingest` processes store the sample corpus (both the same files: duplicates
race) plus notices of their own into the same store. Counts the answers by status
(5xx above all), checks that every acknowledged log id is in the store, and runs
`gongwen check` at the end (store and index agree).

    python bench/http_concurrent_writes.py [--backend sqlite|postgresql] [--logs 30000]
        [--per-request 10] [--clients 8] [--workers 2] [--files 40]

`--backend postgresql` starts a throwaway cluster (tests/backends.py). CPU seconds
are those of the server, the ingests and `gongwen check` (waited children), and of
this process (the clients); wall-clock figures mean little on a shared machine.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
PREFIX = "gongwen-httpconc-"


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(url: str | None, n_logs: int, per_request: int = 10, clients: int = 8, workers: int = 2, files: int = 40,
        key: str = "bench-key") -> dict:
    """One run into the database at `url` (None: a SQLite file in a temporary folder);
    returns the figures. tests/test_http_concurrent_writes.py runs it small."""
    import httpx
    from fixtures_make import DOC_NUMBER, NOTICE_TEXT
    from servers import serving

    from api.settings import Settings
    from bench.gongwen_scratch import remove_stale, remove_tree, signals_held, stop_groups
    from index.store import Store

    remove_stale(PREFIX)  # what runs ended by SIGKILL left
    tmp = Path(tempfile.mkdtemp(prefix=PREFIX))
    ingests: list[subprocess.Popen] = []
    try:
        url = url or f"sqlite:///{tmp / 'data' / 'gongwen.db'}"
        data = tmp / "data"
        data.mkdir()
        for f, base in (("a", 0), ("b", 5000)):
            shutil.copytree(ROOT / "corpora" / "notices", tmp / f)  # the same sample files in both
            for i in range(base, base + files):
                text = NOTICE_TEXT.replace(DOC_NUMBER, DOC_NUMBER.replace("7", str(100 + i)))
                (tmp / f / f"n{i:05d}.txt").write_text(text.replace("示范点2个", f"示范点{i + 2}个"), encoding="utf-8")
        env = {"GONGWEN_DATA": str(data), "GONGWEN_DB": url, "GONGWEN_API_KEY": key}
        Store(url).close()  # schema first, as an operator's first command would

        statuses: collections.Counter = collections.Counter()
        samples: dict[int, str] = {}
        acknowledged: list[str] = []
        lock = threading.Lock()
        next_batch = iter(range(0, n_logs, per_request))

        def client(base: str) -> None:
            with httpx.Client(base_url=base, timeout=300, headers={"X-API-Key": key}) as http:
                for start in next_batch:  # one iterator shared by all threads: each batch posted once
                    batch = [{"id": f"h{i}", "date": "2024-05-01", "region": "江西省/九江市",
                              "text": f"第{i}条蹲点日志：走访企业，职工反映加班费未按时发放，已协调"}
                             for i in range(start, min(start + per_request, n_logs))]
                    try:
                        r = http.post("/api/logs", json=batch)
                        code = r.status_code
                    except httpx.HTTPError as e:
                        code, r = 0, None
                        with lock:
                            samples.setdefault(0, f"{type(e).__name__}: {e}")
                    with lock:
                        statuses[code] += 1
                        if code == 201:
                            acknowledged.extend(x["id"] for x in r.json()["items"])
                        elif code and code not in samples:
                            samples[code] = r.text[:300]

        cpu0, self0 = children_cpu(), self_cpu()
        with serving(env, "--workers", str(workers)) as (base, _, _):
            t0 = time.perf_counter()
            # (daemon: a run stopped by SIGTERM does not wait for them to post into a stopped server)
            threads = [threading.Thread(target=client, args=(base,), daemon=True) for _ in range(clients)]
            for t in threads:
                t.start()
            for f in "ab":  # (each kept as it starts, a signal held till then: the `finally` stops them)
                with signals_held():  # (each in a group of its own: stop_groups stops any child of it too)
                    ingests.append(subprocess.Popen([sys.executable, "-m", "api.cli", "ingest", str(tmp / f)],
                                                    env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, cwd=tmp,
                                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                                    start_new_session=True))
            outputs = [p.communicate()[0] for p in ingests]
            ingest_s = time.perf_counter() - t0
            cpu_ingest = children_cpu() - cpu0
            for t in threads:
                t.join()
            seconds = time.perf_counter() - t0
        cpu_server = children_cpu() - cpu0 - cpu_ingest
        check = subprocess.run([sys.executable, "-m", "api.cli", "check", "--json"], env={**os.environ, **env},
                               capture_output=True, text=True)
        report = json.loads(check.stdout) if check.stdout.strip().startswith("{") else {"error": check.stderr[-500:]}
        settings = Settings(data_dir=data, db_url=url)
        with Store(settings.database_url) as store:
            found = set(store.get_logs(acknowledged))
            docs, logs = store.count_documents(), store.count_logs()
        failed_files = [line for out in outputs for line in out.splitlines() if line.startswith("失败")]
        return {
            "backend": url.split(":", 1)[0].split("+")[0], "logs_posted": n_logs, "per_request": per_request, "clients": clients,
            "server_workers": workers, "requests": sum(statuses.values()),
            "status": dict(sorted(statuses.items())), "5xx": sum(n for c, n in statuses.items() if c >= 500),
            "errors": samples, "acknowledged": len(acknowledged), "acknowledged_not_stored": len(set(acknowledged) - found),
            "logs_in_store": logs, "ingest_exit": [p.returncode for p in ingests], "ingest_failed_lines": failed_files[:5],
            "documents": docs, "documents_expected": 13 + 2 * files, "check_exit": check.returncode,
            "check": {k: report.get(k) for k in ("agree", "pending", "failed")},
            "wall_s": round(seconds, 1), "ingest_wall_s": round(ingest_s, 1),
            "logs_per_wall_s": round(len(acknowledged) / seconds, 1),
            "cpu_s": {"server": round(cpu_server, 1), "ingests": round(cpu_ingest, 1),
                      "clients": round(self_cpu() - self0, 1)},
            "logs_per_server_cpu_s": round(len(acknowledged) / max(cpu_server, 1e-9), 1),
        }
    finally:
        # (a run stopped by SIGTERM or an error: no ingest, nor a child of one, left writing into
        # `tmp`) SIGTERM first (an ingest commits what it stored and exits), SIGKILL after 30 s
        stop_groups(ingests)
        remove_tree(tmp)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--logs", type=int, default=30000)
    ap.add_argument("--per-request", type=int, default=10, help="logs per POST")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--files", type=int, default=40, help="generated notices per ingest, besides the sample corpus")
    args = ap.parse_args()
    from backends import Cluster

    from bench.gongwen_scratch import sigterm_raises

    # SIGTERM (kill, a timeout) raises SystemExit: the server, the ingests, the temp folder
    # and the cluster go as on Ctrl+C (before, the folder and a running cluster stayed)
    with sigterm_raises():
        cluster = Cluster() if args.backend == "postgresql" else None
        try:
            figures = run(cluster.new_database() if cluster else None, args.logs, args.per_request, args.clients,
                          args.workers, args.files)
        finally:
            if cluster:
                cluster.stop()
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
