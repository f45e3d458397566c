"""A real `gongwen serve` process for the tests that talk HTTP (uvicorn, not TestClient)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortTaken(Exception):
    """`gongwen serve` found its port taken: with xdist another worker's server or client
    may take a port between free_port() and the bind."""


def wait_for(url: str, proc: subprocess.Popen, what: str, seconds: float = 180) -> httpx.Response:
    """The first 200 answer of `url`; fails the test if `proc` exits or `seconds` pass."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            if "已被占用" in out:
                raise PortTaken(out)
            pytest.fail(f"{what} exited: {out}")
        try:
            r = httpx.get(url, timeout=2)
            if r.status_code == 200:
                return r
        except httpx.HTTPError:
            pass
        time.sleep(0.05)  # a poll: what it waits for (warm-up) takes seconds; each poll is one refused connect
    proc.kill()
    pytest.fail(f"{what} did not answer within {seconds} s")


@contextmanager
def serving(env: dict[str, str], *args: str, seconds: float = 180):
    """`gongwen serve --port P *args` with `env` added to the environment, once it answers
    /api/health; yields (url, port, process) and stops it afterwards."""
    for attempt in range(3):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), *args],
                                env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for(url + "/api/health", proc, "server", seconds)
            break
        except PortTaken:
            if attempt == 2:
                raise
        except BaseException:
            _stop(proc)
            raise
    try:
        yield url, port, proc
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:  # uvicorn waits for an upload still being parsed
        proc.kill()
        proc.wait()
