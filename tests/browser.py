"""Headless Chromium for the tests that use a page as a person does (`render`: the page a
browser draws; `Browser`: driven over the DevTools protocol to fill a form, press its button,
answer a confirm() and read the page that follows)."""
from __future__ import annotations

import json
import shutil
import subprocess
import time

import httpx
import pytest
from servers import free_port

# every answer and page load waits this long: on a loaded machine (many helpers, one
# CI core) the server tags a log or renders a page in seconds, not milliseconds
HTTP_TIMEOUT = 120


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _chromium() -> str:
    browser = chromium()
    if browser is None:
        pytest.fail("chromium is needed for the page tests (scripts/setup.sh installs it)")
    return browser


def render(url: str, tmp_path) -> str:
    """The page's DOM once Chromium has run its scripts."""
    out = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chrome'}", "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True, text=True, timeout=HTTP_TIMEOUT)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


class Browser:
    """One tab of a headless Chromium. A confirm() the page asks is answered with `accept`
    and its question kept in `dialogs`."""

    def __init__(self, tmp_path):
        from websockets.sync.client import connect

        port = free_port()
        self.proc = subprocess.Popen(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--remote-debugging-port={port}",
             f"--user-data-dir={tmp_path / 'chrome-cdp'}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + HTTP_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"chromium exited ({self.proc.returncode}) before opening its debugging port")
            try:
                pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json() if t["type"] == "page"]
                if pages:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail("chromium did not open its debugging port")
            time.sleep(0.05)
        self._conn = connect(pages[0]["webSocketDebuggerUrl"], max_size=None)
        self.ws = self._conn.__enter__()  # (websockets warns of a connection not opened as a context)
        self.next_id = 0
        self.dialogs: list[str] = []
        self.accept = True
        self.call("Page.enable")  # (so that a confirm() is told, not left waiting for a person)

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=HTTP_TIMEOUT))
            if msg.get("method") == "Page.javascriptDialogOpening":
                self.dialogs.append(msg["params"]["message"])
                self.ws.send(json.dumps({"id": -len(self.dialogs), "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": self.accept}}))
            if msg.get("id") == self.next_id:
                return msg.get("result", {})

    def js(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, timeout: float = HTTP_TIMEOUT) -> None:
        """Poll a JS expression until it is truthy (an answer that comes back asynchronously,
        on a loaded machine after seconds); fails the test when it never is."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # a page that navigates while the expression runs answers with an error, no result
            # (its context destroyed): the next page is not there yet
            answer = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
            if answer.get("result", {}).get("value"):
                return
            time.sleep(0.05)
        pytest.fail(f"page never got to: {expression}")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for(f"location.href.startsWith({url!r}) && document.readyState === 'complete'")

    def navigated(self, expression: str) -> None:
        """Run `expression`, which leads to another page (a form sent, a reload), and wait
        until that page has loaded."""
        self.js("window.gongwenTestEarlierPage = true")
        self.js(expression)
        self.wait_for("!window.gongwenTestEarlierPage && document.readyState === 'complete'")

    def close(self) -> None:
        self._conn.__exit__(None, None, None)
        self.proc.terminate()
        self.proc.wait(timeout=20)
