"""A fork server for tests that run `gongwen` as real processes many times (kill -9
at random points, concurrent writers): it imports gongwen and warms jieba and the
checklist extractor once, then forks one child per command, so a command starts in
milliseconds instead of seconds. Each child is a separate process running the CLI's
own entry point (`api.cli.main`) that can be killed like any other.

Protocol (one JSON object per line): the test writes {"argv": [...], "env": {...}},
optionally "prelude": Python source the child runs first (a resource limit, a hook on the
store's commits; a script that ends itself with sys.exit runs no command) and "err", a file
for stderr apart from "log" (stdout, and stderr when no "err" is given); this answers
{"pid": N} as soon as the child runs, and {"exit": N, "code": C} when child N ends (C is
-9 for a SIGKILL). Used through `ForkedCli` (tests/conftest.py).
"""
from __future__ import annotations

import json
import os
import select
import signal
import sys
import tempfile
from pathlib import Path


def _warm() -> None:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    import api.cli  # noqa: F401 - the whole command tree
    from api.service import Gongwen
    from api.settings import Settings

    sample = Path(__file__).resolve().parents[1] / "corpora" / "notices"
    txt = next(iter(sorted(sample.glob("*.txt"))), None)
    if txt is not None:
        with tempfile.TemporaryDirectory() as tmp:
            svc = Gongwen(Settings(data_dir=Path(tmp)))
            svc._extract_checklist(svc.parse_file(txt))  # loads what extraction loads lazily
            # what storing a log loads: the tagger with its word vectors, the segmenter of its words
            # (no index opened: a fork must not copy the state of tantivy's threads)
            from nlp.analysis import log_words

            svc.tagger().predict(["走访企业，了解职工工资发放情况。"])
            log_words({"text": "走访企业，了解职工工资发放情况。"})
    import index.search.tantivy_engine  # noqa: F401
    import index.search.whoosh_engine  # noqa: F401


def _child(argv: list[str], env: dict[str, str], log: str | None, prelude: str | None = None,
           err: str | None = None) -> None:
    os.environ.update(env)
    fd = os.open(log or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) if err else fd, 2)
    sys.argv = ["gongwen", *argv]
    code = 0
    try:
        if prelude:
            exec(compile(prelude, "<prelude>", "exec"), {"__name__": "__prelude__"})
        from api.cli import main

        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001
        code = 99
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
    os._exit(code)


def main() -> None:
    _warm()
    print(json.dumps({"ready": True}), flush=True)
    children: set[int] = set()
    stdin = sys.stdin.buffer
    while True:
        ready, _, _ = select.select([stdin], [], [], 0.01)
        if ready:
            line = stdin.readline()
            if not line:
                break
            req = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _child(req["argv"], req.get("env") or {}, req.get("log"), req.get("prelude"), req.get("err"))
            children.add(pid)
            print(json.dumps({"pid": pid}), flush=True)
        for pid in list(children):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                children.discard(pid)
                code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
                print(json.dumps({"exit": pid, "code": code}), flush=True)
    for pid in children:
        os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
