"""A real `vanban import` killed with SIGKILL mid-batch, then run again, ends with every
document stored exactly once and none half-stored; and an analyst can `vanban query` while
an import runs."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline.errors import StoreError
from pipeline.store.duckdb import open_store
from pipeline.benchstartup import distinct_docx

COPIES = 40
KILL_COPIES = 120


def vanban(*args, **kw):
    return [sys.executable, "-m", "pipeline.cli", *map(str, args)]


def make_copies(folder: Path, n: int = COPIES) -> Path:
    """n distinct .docx files: the dev notices, each copy with its own zip comment (new sha256)."""
    distinct_docx(folder, n)
    return folder


def snapshot(db: Path) -> dict:
    """Rows per table, and per document per table: what a half-stored notice would change."""
    with open_store(db, read_only=True, timeout=60) as store:
        out = {}
        for table in store.tables():
            if table == "schema_info":
                continue
            cols = [r[0] for r in store.query(f"DESCRIBE {table}")[1]]
            out[table] = store.query(f'SELECT count(*) FROM "{table}"')[1][0][0]
            if "doc_id" in cols:
                out[f"{table} by document"] = sorted(
                    store.query(f'SELECT d.sha256, count(*) FROM "{table}" t JOIN documents d USING (doc_id) '
                                "GROUP BY ALL")[1])
        return out


def run_import(folder, db, tmp_path, workers=2, timeout=600):
    return subprocess.run(vanban("import", folder, "--db", db, "--workers", workers, "--quiet"),
                          capture_output=True, text=True, timeout=timeout, cwd=tmp_path)


def wait_for_documents(db: Path, n: int, proc: subprocess.Popen, limit: float = 300) -> None:
    """Poll (read-only, as an analyst would) until the import has stored n documents."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with open_store(db, read_only=True, timeout=0.2) as store:
                    if store.query("SELECT count(*) FROM documents")[1][0][0] >= n:
                        return
            except StoreError as e:
                if not e.transient:
                    raise
        time.sleep(0.05)


def kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL the import (its workers are found first, and killed too if they outlive it)."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    gone, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        child.kill()


def test_kill_then_rerun_stores_every_document_once(tmp_path):
    # enough files that the last kill lands before the end even when the poller waits on the
    # writer's lock (at 40 copies a fast import had stored all of them before the poll got in)
    folder = make_copies(tmp_path / "in", KILL_COPIES)
    clean_db, db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"

    started = time.monotonic()
    clean = run_import(folder, clean_db, tmp_path)
    took = time.monotonic() - started
    assert clean.returncode in (0, 1) and "files in" in clean.stdout, clean.stdout + clean.stderr
    expected = snapshot(clean_db)
    assert expected["documents"] + expected["import_errors"] == KILL_COPIES

    # kill during start-up, then twice more once some documents are in
    partial = []
    for wait_for in (None, 8, 24):
        # small openings of the file, so that a kill can land between two of them
        proc = subprocess.Popen(vanban("import", folder, "--db", db, "--workers", 2, "--quiet"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
                                env={**os.environ, "VANBAN_FLUSH_DOCS": "4"})
        if wait_for is None:
            time.sleep(0.3)
        else:
            wait_for_documents(db, wait_for, proc)
        assert proc.poll() is None, "the import ended before it could be killed; make the batch bigger"
        kill_tree(proc)
        partial.append(snapshot(db)["documents"] if db.exists() else 0)
    print(f"clean import {took:.1f}s; documents after each kill: {partial}")
    assert 0 < partial[-1] < expected["documents"], f"no kill landed mid-batch: {partial}"

    again = run_import(folder, db, tmp_path)
    assert again.returncode == clean.returncode, again.stdout + again.stderr
    assert snapshot(db) == expected

    # and once more: nothing new, every file already stored (or failing as before)
    third = run_import(folder, db, tmp_path)
    assert f"{expected['documents']} already stored" in third.stdout, third.stdout
    assert snapshot(db) == expected


@pytest.mark.parametrize("workers", [1, 2])
def test_queries_succeed_while_an_import_runs(tmp_path, workers):
    folder = make_copies(tmp_path / "in")
    db = tmp_path / "live.duckdb"
    proc = subprocess.Popen(vanban("import", folder, "--db", db, "--workers", workers, "--quiet"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    seen, slowest, during = [], 0.0, 0
    try:
        while not db.exists() and proc.poll() is None:
            time.sleep(0.05)
        while True:
            running = proc.poll() is None
            started = time.monotonic()
            q = subprocess.run(vanban("query", "select count(*) as n from documents", "--db", db, "--json"),
                               capture_output=True, text=True, timeout=60, cwd=tmp_path)
            slowest = max(slowest, time.monotonic() - started)
            assert q.returncode == 0, q.stderr
            seen.append(json.loads(q.stdout.splitlines()[0])["n"])
            during += running and proc.poll() is None
            if not running:
                break
        out, errs = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            kill_tree(proc)
    assert proc.returncode in (0, 1) and "files in" in out, out + errs
    print(f"{len(seen)} queries, {during} during the import, slowest {slowest:.2f}s: {seen}")
    assert during >= 2, f"only {during} queries ran while the import ran"
    assert seen == sorted(seen), "counts went backwards"
    assert slowest < 30, f"a query waited {slowest:.1f}s for the importer"
