"""Benchmark the field-log tagger: model load time and tagging throughput
(logs/s) through the library and through `gongwen tag`, on a 100,000-log JSON
Lines file built by repeating and perturbing the project's log corpus.

usage: python bench/tag.py [--n 100000] [--model models/tagger] [--compare]
       python bench/tag.py --instructions [--n 1000] [--against DIR ...]
       python bench/tag.py --cpu-best 5 [--n 6000] [--against DIR ...]

--instructions counts the instructions Tagger.predict executes on the first --n bench logs
(default 1,000) under valgrind's callgrind: the model is loaded and warmed up without
instrumentation, then only predict is counted. On this shared VM logs per CPU-second move
by ±30 % between runs of the same code; the instruction count moves by well under 1 %, so
a change can be judged by it. About 45 CPU-s per checkout for 1,000 logs.
--cpu-best N gives the best of N CPU-second timings of predict on --n logs (default 6,000),
each in a fresh process, alternating between the checkouts.
--against DIR (repeatable) measures the nlp/ code of another checkout too (say a worktree
of main) on the same logs and model, for a paired old/new comparison.

--compare also trains the feature variants (char n-grams 1-3 / 1-4, with and without
dictionary words) on corpora/logs/train.jsonl and prints test macro-F1 and throughput of each.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REGIONS = ["城关镇", "开发区", "东城街道", "高新区", "西乡", "南湖片区", "工业园"]


def perturb(text: str, rnd: random.Random) -> str:
    """A plausible variant: clauses reordered within the log, numbers changed, a place prefix."""
    parts = [p for p in re.split(r"(?<=[。；])", text) if p]
    if len(parts) > 1 and rnd.random() < 0.5:
        rnd.shuffle(parts)
    text = "".join(parts)
    text = re.sub(r"\d+", lambda m: str(max(1, int(m.group()) + rnd.randint(-3, 3))), text)
    return (rnd.choice(REGIONS) + "：" + text) if rnd.random() < 0.3 else text


def build_file(n: int, path: Path, seed: int = 7) -> list[str]:
    rows = []
    for name in ("train.jsonl", "test.jsonl"):
        p = ROOT / "corpora" / "logs" / name
        if p.exists():
            rows += [json.loads(l)["text"] for l in p.open(encoding="utf-8") if l.strip()]
    if not rows:
        sys.exit("corpora/logs/*.jsonl 不存在：先生成日志语料")
    rnd = random.Random(seed)
    texts = [perturb(rows[i % len(rows)], rnd) for i in range(n)]
    with path.open("w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": f"b{i}", "text": t}, ensure_ascii=False) + "\n")
    return texts


def time_load(model_dir: Path) -> tuple[float, float]:
    """Seconds to load the model in a fresh process, and to tag the first log there (first-call set-up)."""
    code = ("import time; t=time.perf_counter(); from nlp.tagging import Tagger; m=Tagger.load(%r); "
            "a=time.perf_counter()-t; m.predict(['车间发生工伤事故']); print(a, time.perf_counter()-t)") % str(model_dir)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    load, first = map(float, r.stdout.split())
    return load, first


def time_library(tagger, texts: list[str]) -> tuple[float, float]:
    """(logs per wall-clock second, logs per CPU-second of this process): on a shared,
    loaded machine only the second says what the code costs."""
    t, c = time.perf_counter(), time.process_time()
    tagger.predict(texts)
    return len(texts) / (time.perf_counter() - t), len(texts) / (time.process_time() - c)


def time_cli(model_dir: Path, path: Path, n: int) -> float:
    exe = Path(sys.executable).with_name("gongwen")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "api.cli"]
    t = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        subprocess.run(cmd + ["tag", str(path), "--json", "--model", str(model_dir)], stdout=devnull,
                       stderr=subprocess.DEVNULL, cwd=ROOT, check=True)
    return n / (time.perf_counter() - t)


# Run in a fresh process whose PYTHONPATH is the checkout being measured: load, warm up,
# then either count predict alone under callgrind (instrumentation switched on and the
# counts dumped around it by callgrind_control) or print the CPU-seconds of `reps` predicts.
_CHILD = r"""
import json, os, subprocess, sys, time
from pathlib import Path
logs, model, mode, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
texts = [json.loads(l)["text"] for l in open(logs, encoding="utf-8")]
from nlp.tagging import Tagger
m = Tagger.load(Path(model))
m.predict(texts[:100])
if mode == "instructions":
    ctl = lambda *a: subprocess.run(["callgrind_control", *a, str(os.getpid())], capture_output=True, check=True)
    ctl("-i", "on")
    m.predict(texts)
    ctl("-d", "predict")
else:
    for _ in range(reps):
        c = time.process_time()
        m.predict(texts)
        print(time.process_time() - c, flush=True)
"""


def _child(checkout: Path, logs: Path, model: Path, mode: str, reps: int = 1, prefix: list[str] = ()) -> str:
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONHASHSEED="0", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    r = subprocess.run([*prefix, sys.executable, "-c", _CHILD, str(logs), str(model), mode, str(reps)],
                       capture_output=True, text=True, cwd=checkout, env=env)
    if r.returncode:
        sys.exit(f"{checkout}: 测量进程失败：{r.stderr.strip().splitlines()[-1:]}")
    return r.stdout


def instructions(checkout: Path, logs: Path, model: Path) -> int:
    """Instructions (callgrind Ir) of one Tagger.predict over the logs in `logs`."""
    with tempfile.TemporaryDirectory() as d:
        _child(checkout, logs, model, "instructions",
               prefix=["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={d}/cg.%p"])
        for f in Path(d).iterdir():
            text = f.read_text(errors="replace")
            if "Trigger: dump predict" in text:
                return int(re.search(r"^summary: (\d+)", text, re.M).group(1))
    sys.exit("callgrind 没有写出 predict 的计数")


def measure(checkouts: list[Path], texts: list[str], model: Path, instr: bool, cpu_best: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        logs = Path(d) / "logs.jsonl"
        logs.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
        if instr:
            if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
                sys.exit("需要 valgrind（callgrind_control）：apt-get install valgrind")
            for c in checkouts:
                ir = instructions(c, logs, model)
                print(f"{c}: Tagger.predict on {len(texts)} logs: {ir:,} instructions ({ir / len(texts):,.0f} per log)")
        if cpu_best:
            best = {c: float("inf") for c in checkouts}
            for _ in range(cpu_best):  # alternating, so the machine's load changes hit all alike
                for c in checkouts:
                    best[c] = min([best[c], *map(float, _child(c, logs, model, "cpu", 2).split())])
            for c in checkouts:
                print(f"{c}: Tagger.predict on {len(texts)} logs, best of {2 * cpu_best} (fresh processes, "
                      f"alternating): {best[c]:.3f} CPU-s ({len(texts) / best[c]:,.0f} logs per CPU-second)")


def compare(texts: list[str]) -> None:
    from nlp.tagging import TaggerConfig
    from nlp.tagging.train import train

    sample = texts[:20000]
    print(f"\n{'variant':<26}{'task macro-F1':>14}{'risk macro-F1':>14}{'neg FA':>8}{'logs/s':>10}{'train s':>9}")
    for name, cfg in (("chars 1-4 only", TaggerConfig(word=False)),
                      ("words+chars 1-3", TaggerConfig(char_ngrams=(1, 3), max_char=60000)),
                      ("words+chars 1-4", TaggerConfig())):
        with tempfile.TemporaryDirectory() as d:
            m = train(ROOT / "corpora", d, cfg)
            from nlp.tagging import Tagger

            tagger = Tagger.load(Path(d) / "tagger")
            tagger.predict(sample[:100])
            rate = time_library(tagger, sample)[1]  # per CPU-second
            te = m["test"]
            print(f"{name:<26}{te['tasks']['macro_f1']:>14.3f}{te['risks']['macro_f1']:>14.3f}"
                  f"{te.get('negated', {}).get('false_alarm_rate', 0):>8.3f}{rate:>10.0f}{m['training_seconds']:>9.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=None, help="logs (100,000; --instructions 1,000; --cpu-best 6,000)")
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "tagger")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--instructions", action="store_true", help="count predict's instructions under callgrind")
    ap.add_argument("--cpu-best", type=int, default=0, metavar="N", help="best of N CPU timings, fresh processes")
    ap.add_argument("--against", type=Path, action="append", default=[], metavar="DIR",
                    help="another checkout to measure alike (with --instructions / --cpu-best)")
    a = ap.parse_args()
    if a.instructions or a.cpu_best:
        n = a.n or (1000 if a.instructions else 6000)
        with tempfile.TemporaryDirectory() as d:
            texts = build_file(n, Path(d) / "logs.jsonl")
        measure([ROOT, *[p.resolve() for p in a.against]], texts, a.model.resolve(), a.instructions, a.cpu_best)
        return
    a.n = a.n or 100_000
    from nlp.tagging import Tagger

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "logs.jsonl"
        texts = build_file(a.n, path)
        mb = path.stat().st_size / 1e6
        print(f"input: {a.n} logs, {mb:.1f} MB, mean {sum(map(len, texts)) / len(texts):.0f} chars/log, "
              f"{os.cpu_count()} CPUs")
        load, first = time_load(a.model)
        print(f"model load (fresh process): {load:.2f} s; load + first log (first-call set-up): {first:.2f} s")
        tagger = Tagger.load(a.model)
        tagger.predict(texts[:100])
        lib, lib_cpu = time_library(tagger, texts)
        print(f"library Tagger.predict, 1 process: {lib:,.0f} logs/s ({lib_cpu:,.0f} logs per CPU-second)")
        jobs = min(4, os.cpu_count() or 1)
        t = time.perf_counter()
        tagger.predict(texts, n_jobs=jobs)
        print(f"library Tagger.predict, {jobs} processes: {len(texts) / (time.perf_counter() - t):,.0f} logs/s")
        cli = time_cli(a.model, path, a.n)
        print(f"gongwen tag FILE (whole process, incl. load): {cli:,.0f} logs/s")
        if a.compare:
            compare(texts)


if __name__ == "__main__":
    main()
