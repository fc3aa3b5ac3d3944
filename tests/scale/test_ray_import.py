"""`import_with_ray` on a real two-node Ray cluster into a DuckLake on a real PostgreSQL:
the same rows as the embedded import, every document exactly once when a worker is killed
mid-run, and the command line on a running cluster."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("ray")
pytest.importorskip("duckdb_extension_ducklake")
psutil = pytest.importorskip("psutil")

from _scale import DEV, dev_files, make_copies
from pipeline.importer import import_paths
from pipeline.scale.lake import export_lake_to_duckdb, lake_counts, query_lake
from pipeline.scale.ray_engine import import_with_ray
from pipeline.store.duckdb import open_store
from pipeline.store.rows import TABLES

SCORE = Path(os.environ.get("VANBAN_SCORE", DEV.parent.parent / "eval" / "score.py"))
# columns that say when or how fast, not what: they differ between any two imports
# notice_id: a number given in the order files were written (compared as notice_groups)
VOLATILE = {"imported_at", "seen_at", "at", "ingest_ms", "analyse_ms", "first_seen", "last_seen", "notice_id"}


def table_rows(db: Path) -> dict[str, list[tuple]]:
    out = {}
    with open_store(db, read_only=True) as store:
        for table in TABLES + ["sources", "import_errors", "document_paths", "skipped_files"]:
            cols = [c for c, in store.query("SELECT column_name FROM information_schema.columns "
                                            "WHERE table_schema = 'main' AND table_name = ? "
                                            "ORDER BY ordinal_position", [table])[1] if c not in VOLATILE]
            names = ", ".join(f'"{c}"' for c in cols)
            out[table] = store.query(f'SELECT {names} FROM "{table}" ORDER BY ALL')[1]
    return out


def notice_groups(db: Path) -> set[tuple]:
    """Each notice as the sorted paths of its files, and its chosen file: what the grouping
    decided, whatever numbers the notices got (writers in parallel number them in another order)."""
    with open_store(db, read_only=True) as store:
        rows = store.query("SELECT list(d.source_path ORDER BY d.source_path), any_value(c.source_path) "
                           "FROM documents d JOIN notices n USING (notice_id) "
                           "JOIN documents c ON c.doc_id = n.doc_id GROUP BY n.notice_id")[1]
    return {(tuple(paths), chosen) for paths, chosen in rows}


def canon(x):
    """JSON with its lists in a fixed order (score.py lists documents in table order)."""
    if isinstance(x, dict):
        return {k: canon(v) for k, v in x.items()}
    if isinstance(x, list):
        return sorted((canon(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
    return x


def test_ray_into_the_lake_gives_the_rows_of_the_embedded_import(ray_cluster, lake, tmp_path):
    # files that are not documents (gold JSON, SOURCES.md) are skipped by both, as in issue 13
    not_docs = [DEV / "SOURCES.md", sorted(DEV.glob("*.json"))[0]]
    files = dev_files() + not_docs + [tmp_path / "missing.docx"]
    local = import_paths(files, tmp_path / "local.duckdb", workers=0)
    remote = import_with_ray(files, lake, num_workers=2)
    assert (remote.files, remote.imported, remote.already_stored) == (local.files, local.imported, local.already_stored)
    assert [(f.path, f.error) for f in remote.failed] == [(f.path, f.error) for f in local.failed]
    assert sorted((f.path, f.error) for f in remote.skipped) == sorted((f.path, f.error) for f in local.skipped)
    assert len(remote.skipped) == len(not_docs)

    # the lake groups files into notices as it writes them, as the embedded store does
    in_lake = query_lake(lake, "SELECT count(*), count(DISTINCT notice_id) FROM documents")[1][0]
    assert in_lake == (len(dev_files()), query_lake(lake, "SELECT count(*) FROM notices")[1][0][0])
    export_lake_to_duckdb(lake, tmp_path / "lake.duckdb")
    want, got = table_rows(tmp_path / "local.duckdb"), table_rows(tmp_path / "lake.duckdb")
    for table in want:
        assert got[table] == want[table], table
    assert len(want["documents"]) == len(dev_files()) and want["tasks"]
    assert len(want["skipped_files"]) == len(not_docs)
    assert notice_groups(tmp_path / "lake.duckdb") == notice_groups(tmp_path / "local.duckdb")
    assert len(notice_groups(tmp_path / "local.duckdb")) < len(dev_files())   # .docx, .auto.docx and .pdf: one notice

    if SCORE.exists():                       # the scorer reads the exported lake as it reads the embedded db
        scores = [subprocess.run([sys.executable, SCORE, "--db", db, "--gold", DEV, "--json", tmp_path / f"{db.stem}.json"],
                                 capture_output=True, text=True, timeout=300) for db in
                  (tmp_path / "local.duckdb", tmp_path / "lake.duckdb")]
        assert all(s.returncode == 0 for s in scores), scores
        assert canon(json.loads((tmp_path / "local.json").read_text())) == canon(json.loads((tmp_path / "lake.json").read_text()))

    again = import_with_ray(files, lake, num_workers=2)
    assert (again.imported, again.already_stored, len(again.skipped)) == (0, len(dev_files()), len(not_docs))


def _map_workers() -> list[psutil.Process]:
    """Ray worker processes running a map+write task right now (their title names the task)."""
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        try:
            if "MapBatches(process_batch)" in " ".join(p.info["cmdline"] or []):
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(ray_cluster, lake, tmp_path, caplog):
    files = make_copies(tmp_path / "copies", 240)
    killed: list[int] = []
    stop = threading.Event()

    def killer():
        seen_at = None
        while not stop.is_set() and not killed:
            busy = _map_workers()
            if busy and seen_at is None:
                seen_at = time.monotonic()
            if busy and time.monotonic() - seen_at > 1.5:     # some documents committed by then
                victim = busy[0]
                victim.send_signal(signal.SIGKILL)
                killed.append(victim.pid)
            time.sleep(0.05)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    try:
        summary = import_with_ray(files, lake, num_workers=2, files_per_task=12, compact=False)
    finally:
        stop.set()
        t.join(10)
    assert killed, "no worker was running a task to kill"
    assert "one file per task" not in caplog.text      # Ray's own retry re-ran the killed task
    assert not summary.failed and summary.imported + summary.already_stored == len(files)
    shas = query_lake(lake, "SELECT sha256, count(*) FROM documents GROUP BY ALL")[1]
    assert len(shas) == len(files) and max(n for _, n in shas) == 1
    paths = query_lake(lake, "SELECT source_path, count(*) FROM sources GROUP BY ALL")[1]
    assert sorted(p for p, _ in paths) == sorted(map(str, files)) and max(n for _, n in paths) == 1
    # no document has its child rows twice: every copy of a source has as many tasks as it
    per_source = query_lake(lake, "SELECT regexp_replace(d.source_path, '\\.copy\\d+', ''), count(DISTINCT d.doc_id), "
                                  "count(t.doc_id) FROM documents d LEFT JOIN tasks t USING (doc_id) GROUP BY 1")[1]
    for source, docs, tasks in per_source:
        assert tasks % docs == 0, source
    assert lake_counts(lake)["import_errors"] == 0


def test_the_command_line_imports_on_a_running_cluster_and_queries_the_lake(ray_cluster, lake, tmp_path):
    env = dict(os.environ, VANBAN_LAKE_CATALOG=lake.catalog, VANBAN_LAKE_DATA=lake.data_path)
    docx = [str(p) for p in dev_files() if p.suffix == ".docx"][:3]
    typed = [os.path.relpath(p, tmp_path) for p in docx]      # paths are stored absolute, as typed or not
    cmd = [sys.executable, "-m", "pipeline.scale.cli"]
    r = subprocess.run(cmd + ["import", *typed, "--address", ray_cluster.address, "--quiet"],
                       capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 imported, 0 already stored, 0 skipped, 0 failed" in " ".join(r.stdout.split())
    r = subprocess.run(cmd + ["query", "SELECT source_path FROM documents ORDER BY 1", "--json"],
                       capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    absolute = sorted(str(Path(p).resolve()) for p in docx)
    assert [json.loads(line)["source_path"] for line in r.stdout.splitlines()] == absolute
    r = subprocess.run(cmd + ["query", "SELECT path FROM document_paths WHERE kind = 'imported' ORDER BY 1", "--json"],
                       capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert [json.loads(line)["path"] for line in r.stdout.splitlines()] == absolute
    r = subprocess.run(cmd + ["query", "SELECT 1", "--catalog", "host=127.0.0.1 port=1 dbname=none"],
                       capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert r.returncode == 2 and "error" in r.stderr
