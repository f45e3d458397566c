"""An index written by an older gongwen is found out in one Chinese line that names
`gongwen reindex`, and `gongwen reindex` rebuilds it from the store in the current
format: every document and log is searchable again, with the answers a fresh index
gives, and the store agrees with the index. Older formats: tantivy 2 (text handed over
as tantivy Token objects, a raw tokenizer, fast fields no facet reads), tantivy 3 and
whoosh 2 (no context field: what a passage inherits from its notice)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import tantivy

from index.search import common, tantivy_engine, whoosh_engine
from index.search.analysis import analyze
from index.search.tantivy_engine import HEAP, KEYWORDS

# the text fields before the context field (tantivy 4, whoosh 3)
TEXT_BEFORE_CONTEXT = ("title", "heading", "text", "meta", "issuer_t", "doc_number_t")

QUERIES = ("欠薪", "技能竞赛", "\"工人先锋号\"", "kind:log 拖欠", "type:通知 督查")


def _write_schema_2_index(path, items) -> None:
    """The index as gongwen wrote it before schema 3, holding `items`."""
    sb = tantivy.SchemaBuilder()
    for f in TEXT_BEFORE_CONTEXT:
        sb.add_text_field(f, stored=False, tokenizer_name="raw", index_option="position")
    for f in KEYWORDS:
        sb.add_text_field(f, stored=False, fast=f not in ("id", "folded"), tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", stored=False, indexed=True, fast=True)
    sb.add_integer_field("datenum", stored=False, indexed=True, fast=True)
    sb.add_bytes_field("payload", stored=True, indexed=False, fast=False)
    path.mkdir(parents=True)
    ix = tantivy.Index(sb.build(), path=str(path), reuse=False)
    w = ix.writer(heap_size=HEAP, num_threads=1)
    for it in items:
        d = tantivy.Document()
        for name, value in common.text_fields(it).items():
            if value and name in TEXT_BEFORE_CONTEXT:
                d.add_pre_tokenized_text(name, tantivy.PreTokenizedString(value, analyze(value, tantivy.Token)))
        for name, values in common.keyword_fields(it).items():
            for v in values:
                d.add_text(name, v)
        if it.year:
            d.add_integer("year", int(it.year))
        d.add_integer("datenum", it.datenum)
        d.add_bytes("payload", common.payload(it).encode("utf-8"))
        w.add_document(d)
    w.commit()
    w.wait_merging_threads()
    (path / common.MARKER).write_text(json.dumps({"engine": "tantivy", "schema": 2}), encoding="utf-8")


def _write_without_context(path, items, engine: str, monkeypatch) -> None:
    """The index as gongwen wrote it before the context field (tantivy schema 3, whoosh
    2): the engine's own code with the field list and format number of then."""
    older = {"tantivy": 3, "whoosh": 2}[engine]
    fields = common.text_fields
    with monkeypatch.context() as m:
        m.setattr(common, "text_fields", lambda it: {k: v for k, v in fields(it).items() if k != "context"})
        if engine == "tantivy":
            m.setattr(tantivy_engine, "TEXT", TEXT_BEFORE_CONTEXT)
            m.setattr(tantivy_engine, "SCHEMA_VERSION", older)
            ix = tantivy_engine.TantivyIndex(path)
        else:
            m.setattr(whoosh_engine, "TEXT_NAMES", TEXT_BEFORE_CONTEXT)
            m.setattr(whoosh_engine, "SCHEMA_VERSION", older)
            ix = whoosh_engine.WhooshIndex(path)
        ix.add(items)
        ix.close()
    assert common.read_marker(path)["schema"] == older


def _current(engine: str) -> int:
    return {"tantivy": tantivy_engine.SCHEMA_VERSION, "whoosh": whoosh_engine.SCHEMA_VERSION}[engine]


def _stored(database_url, tmp_path, engine: str = "tantivy"):
    """Three notices and five logs in a store of their own, indexed as today; gives the
    data folder, the index folder and the items the index holds."""
    from fixtures_make import DOC_NUMBER, NOTICE_TEXT

    from api.service import Gongwen
    from api.service.indexing import log_item
    from api.settings import Settings
    from index.search import items_from_document

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"n{i}.txt").write_text(NOTICE_TEXT.replace(DOC_NUMBER, DOC_NUMBER.replace("7", str(20 + i))),
                                          encoding="utf-8")
    data = tmp_path / "data"
    settings = Settings(data_dir=data, db_url=database_url, engine=engine)
    with Gongwen(settings) as svc:
        svc.ingest_paths([folder])
        svc.add_logs([{"id": f"L{i}", "text": f"第{i}次走访，职工反映企业拖欠工资两个月，工会已约谈企业负责人。",
                       "tasks": [], "risks": []} for i in range(5)], tag=False)
        store = svc.store
        items = [it for d, (doc, cl) in store.documents_for_index(store.document_ids()).items()
                 for it in items_from_document(doc, cl)] + [log_item(lg) for lg in store.iter_logs()]
        index_dir = svc.settings.index_dir
    return data, index_dir, items


@pytest.mark.parametrize("engine,older", [("tantivy", 2), ("tantivy", 3), ("whoosh", 2)])
def test_an_outdated_index_is_named_and_rebuilt_by_gongwen_reindex(database_url, tmp_path, monkeypatch, engine, older):
    import shutil

    from typer.testing import CliRunner

    from api.cli import app

    data, index_dir, items = _stored(database_url, tmp_path, engine)
    args = ["--data-dir", str(data), "--db", database_url, "--engine", engine]
    runner = CliRunner()

    def answers():
        out = []
        for q in QUERIES:
            r = runner.invoke(app, ["search", q, "--json", "--per-page", "20", *args])
            assert r.exit_code == 0, r.output
            d = json.loads(r.stdout)
            out.append((d["total"], [(h["id"], h["score"], h["snippet"]) for h in d["hits"]], d["facets"]))
        return out

    # the answers of a current index rebuilt from the store (whoosh scores an index
    # written in one commit a little differently from one grown commit by commit)
    assert runner.invoke(app, ["reindex", *args]).exit_code == 0
    fresh = answers()
    assert all(total > 0 for total, _, _ in fresh)
    shutil.rmtree(index_dir)
    if older == 2 and engine == "tantivy":
        _write_schema_2_index(index_dir, items)
    else:
        _write_without_context(index_dir, items, engine, monkeypatch)

    found = runner.invoke(app, ["search", "欠薪", *args])
    assert found.exit_code != 0
    line = found.stderr.strip()
    assert len(line.splitlines()) == 1 and "gongwen reindex" in line and "旧版本" in line, line

    rebuilt = runner.invoke(app, ["reindex", *args])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert common.read_marker(index_dir)["schema"] == _current(engine)
    assert not [p for p in index_dir.parent.iterdir() if ".rebuild-" in p.name or ".outdated-" in p.name]
    assert answers() == fresh
    assert runner.invoke(app, ["check", *args]).exit_code == 0


@pytest.mark.server  # starts a real `gongwen serve`
def test_gongwen_serve_rebuilds_an_outdated_index_before_the_first_search(database_url, tmp_path):
    """After an upgrade, the server must not answer every search with an error until
    someone thinks of `gongwen reindex`: it rebuilds from the store, then serves."""
    import shutil

    import httpx
    from servers import serving

    data, index_dir, items = _stored(database_url, tmp_path)
    shutil.rmtree(index_dir)
    _write_schema_2_index(index_dir, items)
    env = {"GONGWEN_DATA": str(data), "GONGWEN_DB": database_url, "GONGWEN_ENGINE": "tantivy",
           "GONGWEN_API_KEY": "outdated-key"}
    with serving(env, "--workers", "1") as (url, _, proc):
        r = httpx.get(url + "/api/search", params={"q": "欠薪"}, timeout=30)
        assert r.status_code == 200, r.text
        assert r.json()["total"] > 0
    said = proc.stdout.read()
    assert "旧版本" in said and "已重建索引" in said, said
    assert common.read_marker(index_dir)["schema"] == _current("tantivy")


def _damage(index_dir, how: str) -> None:
    if how == "meta.json overwritten":
        (index_dir / "meta.json").write_text('{"segments": [', encoding="utf-8")
    elif how == "meta.json deleted":
        (index_dir / "meta.json").unlink()
    elif how == "a segment file deleted":
        next(index_dir.glob("*.idx")).unlink()
    elif how == "a segment file cut short":
        f = max(index_dir.glob("*.store"), key=lambda p: p.stat().st_size)
        # a new file in its place, not the same one truncated: the search before, in this process,
        # left tantivy's mmap of it, and a page of a truncated mapping read later is SIGBUS (the
        # clean-clone CI lost a worker so); the index opened next reads the cut file all the same
        cut = f.with_name(f.name + ".cut")
        cut.write_bytes(f.read_bytes()[:100])
        os.replace(cut, f)
    elif how == "the marker overwritten":
        (index_dir / common.MARKER).write_text("garbage", encoding="utf-8")
    elif how == "whoosh's table of contents overwritten":
        for toc in index_dir.glob("*.toc"):
            toc.write_text("garbage", encoding="utf-8")


@pytest.mark.parametrize("engine, how", [
    ("tantivy", "meta.json overwritten"), ("tantivy", "a segment file deleted"), ("tantivy", "a segment file cut short"),
    ("tantivy", "the marker overwritten"), ("whoosh", "whoosh's table of contents overwritten"),
    # before: read as a new, empty index (tantivy wrote a fresh meta.json): 共 0 条结果 and not a word
    ("tantivy", "meta.json deleted")])
def test_a_damaged_index_is_named_and_rebuilt_by_gongwen_reindex(database_url, tmp_path, engine, how):
    """Before: 索引目录…的结构与当前版本不符，请重建索引：Data corrupted: 'Data corruption (in file
    "meta.json")…' (or 内部错误（JSONDecodeError…）) from every command, `gongwen reindex`
    included, so nothing but deleting the folder by hand brought search back."""
    from typer.testing import CliRunner

    from api.cli import app

    data, index_dir, _ = _stored(database_url, tmp_path, engine)
    args = ["--data-dir", str(data), "--db", database_url, "--engine", engine]
    runner = CliRunner()
    before = json.loads(runner.invoke(app, ["search", "欠薪", "--json", *args]).stdout)["total"]
    assert before > 0
    _damage(index_dir, how)
    found = runner.invoke(app, ["search", "欠薪", *args])
    line = found.stderr.strip()
    assert found.exit_code == 1 and len(line.splitlines()) == 1, found.output
    assert "已损坏" in line and "gongwen reindex" in line and "Error" not in line, line
    rebuilt = runner.invoke(app, ["reindex", *args])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert json.loads(runner.invoke(app, ["search", "欠薪", "--json", *args]).stdout)["total"] == before
    assert runner.invoke(app, ["check", *args]).exit_code == 0
    assert not [p for p in index_dir.parent.iterdir() if ".rebuild-" in p.name or ".outdated-" in p.name]


def test_an_outdated_index_whose_folder_is_a_mount_point_is_rebuilt_in_place(database_url, tmp_path):
    """The index folder a volume of its own (a bind mount here: the same refusal a docker
    volume gives): the rebuild beside it cannot be renamed over a mount point, so its files
    are moved in, the marker last (ingest.savedir.swap_in, shared with the model folders).
    Before: 错误：…：设备或资源忙 from `gongwen reindex` (the first of two renames, the old
    folder aside, was refused) and search stayed down. Needs root to mount (as the
    read-only-media tests do)."""
    import shutil
    import subprocess

    from typer.testing import CliRunner

    from api.cli import app

    data, index_dir, items = _stored(database_url, tmp_path)
    args = ["--data-dir", str(data), "--db", database_url, "--engine", "tantivy"]
    runner = CliRunner()
    total = json.loads(runner.invoke(app, ["search", "欠薪", "--json", *args]).stdout)["total"]
    assert total > 0
    shutil.rmtree(index_dir)
    _write_schema_2_index(index_dir, items)
    bound = subprocess.run(["mount", "--bind", str(index_dir), str(index_dir)], capture_output=True, text=True)
    assert bound.returncode == 0, bound.stderr
    try:
        assert f" {index_dir} " in Path("/proc/self/mounts").read_text()  # (a bind mount of the same file system: ismount cannot tell)
        rebuilt = runner.invoke(app, ["reindex", *args])
        assert rebuilt.exit_code == 0, rebuilt.output
        assert common.read_marker(index_dir)["schema"] == _current("tantivy")
        assert json.loads(runner.invoke(app, ["search", "欠薪", "--json", *args]).stdout)["total"] == total
        assert not [p for p in index_dir.parent.iterdir() if ".rebuild-" in p.name or ".outdated-" in p.name]
        assert not list(index_dir.glob(".*.part"))
    finally:
        subprocess.run(["umount", "--lazy", str(index_dir)], capture_output=True)
