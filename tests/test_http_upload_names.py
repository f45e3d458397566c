"""The same notice uploaded at once by several people under their own file names, on a
real `gongwen serve` with two worker processes: one document, every name kept."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from backends import fresh_db_env
from servers import serving

# stores: runs on SQLite and on PostgreSQL; starts a real `gongwen serve`
pytestmark = [pytest.mark.db, pytest.mark.server]

NOTICE = "关于开展金秋助学活动的通知\n各基层工会：\n请于9月30日前报送困难职工子女名单。\n市总工会\n2024年8月1日\n".encode()


def test_simultaneous_uploads_of_one_file_keep_every_name(tmp_path):
    """Before: an upload that found the file stored by another one meanwhile (the store's own
    race guard) answered unchanged and dropped its name: 6 uploads kept 3 of 6 names."""
    names = [f"金秋助学（{who}）.txt" for who in ("办公室", "组织部", "权益部", "女工委", "经审会", "宣教部")]
    env = {"GONGWEN_DATA": str(tmp_path / "data"), "GONGWEN_API_KEY": "k", **fresh_db_env()}
    with serving(env, "--workers", "2") as (base, _, _):
        def upload(name: str) -> httpx.Response:
            return httpx.post(base + "/api/documents", files={"file": (name, NOTICE)}, headers={"X-API-Key": "k"},
                              timeout=180)

        with ThreadPoolExecutor(len(names)) as pool:
            answers = list(pool.map(upload, names))
        assert [r.status_code for r in answers] == [201] * len(names), [r.text for r in answers]
        assert sorted(r.json()["status"] for r in answers) == ["ingested"] + ["unchanged"] * (len(names) - 1)
        listed = httpx.get(base + "/api/documents", timeout=60).json()
        assert listed["total"] == 1
        [file] = httpx.get(f"{base}/api/documents/{listed['items'][0]['id']}", timeout=60).json()["files"]
        assert sorted([file["name"], *file["other_names"]]) == sorted(names)
