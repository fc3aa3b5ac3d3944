"""The import's worker pool: warm workers kept for the whole import, replaced when one grows
past the memory limit or dies, and nothing lost either way; the same pool under the
watcher and the server (`pipeline.intake`)."""
import hashlib
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from pipeline import importer, workpool
from pipeline.benchstartup import distinct_docx
from pipeline.importer import FAILED, Failure, import_paths
from pipeline.intake import Intake
from pipeline.store.duckdb import open_store
from pipeline.workpool import WorkerPool, current_rss


def test_a_worker_reports_its_memory_with_each_result():
    pool = WorkerPool(1)
    try:
        result, rss = pool.submit(sorted, [3, 1, 2]).result(timeout=120)
        again, _ = pool.submit(sorted, "ba").result(timeout=120)
    finally:
        pool.close()
    assert (result, again) == ([1, 2, 3], ["a", "b"])
    # a warm worker holds the package and the spaCy pipeline: tens of MiB at least
    assert 30 * workpool.MIB < rss < 2048 * workpool.MIB
    assert pool.started == 1, "the pool was replaced between two small files"


def test_a_worker_that_dies_costs_its_file_and_the_next_file_gets_a_new_pool():
    pool = WorkerPool(1)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(os._exit, 3).result(timeout=120)
        assert pool.submit(sorted, "cab").result(timeout=120)[0] == ["a", "b", "c"]
    finally:
        pool.close()
    assert pool.started == 2


def test_this_process_rss_is_read_now():
    ballast = bytearray(64 * workpool.MIB)
    before = current_rss()
    del ballast
    assert before - current_rss() > 32 * workpool.MIB, "memory given back still counted"


class CountingPool(WorkerPool):
    made: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingPool.made.append(self)


def test_workers_over_the_memory_limit_are_replaced_and_no_file_is_lost(tmp_path, monkeypatch):
    files = distinct_docx(tmp_path / "in", 6)
    monkeypatch.setattr(workpool, "WORKER_RSS_LIMIT", 1)       # every worker is over it
    monkeypatch.setattr(importer, "FLUSH_DOCS", 1)             # 3 files in flight, not all 6
    monkeypatch.setattr(importer, "WorkerPool", CountingPool)
    CountingPool.made = []
    summary = import_paths(files, tmp_path / "db.duckdb", workers=1)
    assert (summary.imported, summary.failed) == (6, [])
    (pool,) = CountingPool.made
    assert pool.started > 1, "no worker was replaced although every one was over the limit"


def test_under_the_limit_one_pool_serves_the_whole_import(tmp_path, monkeypatch):
    files = distinct_docx(tmp_path / "in", 6)
    monkeypatch.setattr(importer, "WorkerPool", CountingPool)
    CountingPool.made = []
    summary = import_paths(files, tmp_path / "db.duckdb", workers=2)
    assert (summary.imported, summary.failed) == (6, [])
    (pool,) = CountingPool.made
    assert pool.started == 1 and 0 < pool.peak_rss < workpool.WORKER_RSS_LIMIT


def test_workers_exit_when_their_parent_is_killed(tmp_path):
    import subprocess
    import sys
    import time

    import psutil
    code = ("import os, sys\n"
            "from pipeline.workpool import WorkerPool\n"
            "pool = WorkerPool(2)\n"
            "pids = {pool.submit(os.getpid).result(timeout=120)[0] for _ in range(4)}\n"
            "print(' '.join(map(str, pids)), flush=True)\n"
            "os._exit(9)   # as a SIGKILL would: no shutdown, no cleanup\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    workers = [int(p) for p in r.stdout.split()]
    assert workers, r.stderr
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(psutil.pid_exists(p) for p in workers):
        time.sleep(0.2)
    alive = [p for p in workers if psutil.pid_exists(p)]
    for p in alive:
        psutil.Process(p).kill()
    assert not alive, "a worker outlived its killed parent"


# The watcher and the server import through `pipeline.intake`, on the same pool (issue 14).
# These jobs stand in for `process_job` in the intake's worker (a spawned process imports
# this module by name): they read nothing and name the worker they ran in, as a failure,
# which is cheap to store.

def worker_pid(data: bytes, path: str) -> Failure:
    return Failure(path, hashlib.sha256(data).hexdigest(), "test", "WorkerPid", str(os.getpid()))


def crash_on_marker(data: bytes, path: str) -> Failure:
    if data.startswith(b"CRASH"):
        os._exit(3)            # as a segfault in a parser would: no exception, no result
    return worker_pid(data, path)


def feed(intake: Intake, folder: Path, contents: list[bytes]) -> list:
    return [intake.import_file(data, str(folder / f"{i:03d}.txt"), take_all=True)
            for i, data in enumerate(contents)]


def test_the_intake_keeps_one_warm_worker_past_the_old_fifty_files(tmp_path):
    """Issue 14: the watcher's and the server's worker was replaced every 50 files, each
    replacement spawning and warming a process again; now only memory or a crash replaces it."""
    with Intake(tmp_path / "db.duckdb") as intake:
        intake.job = worker_pid
        intake.warm()
        outcomes = feed(intake, tmp_path, [f"file {i}".encode() for i in range(60)])
    assert {o.error for o in outcomes} == {"WorkerPid"}
    pids = {o.message for o in outcomes}
    assert len(pids) == 1 and pids != {str(os.getpid())}, "not one worker for all 60 files"
    assert intake.pool.started == 1


def test_a_file_that_kills_the_intake_worker_fails_alone(tmp_path):
    db = tmp_path / "db.duckdb"
    with Intake(db) as intake:
        intake.job = crash_on_marker
        before, crashed, after = feed(intake, tmp_path, [b"first", b"CRASH", b"second"])
    assert (before.error, after.error) == ("WorkerPid", "WorkerPid")
    assert crashed.status == FAILED and crashed.error == "WorkerCrashed"
    assert "001.txt" in crashed.message, "the error does not name the file"
    assert before.message != after.message and intake.pool.started == 2
    with open_store(db, read_only=True) as store:
        errors = store.query("SELECT source_path, error FROM import_errors ORDER BY source_path")[1]
    assert [e for p, e in errors if p.endswith("001.txt")] == ["WorkerCrashed"]


def test_an_intake_worker_over_the_memory_limit_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(workpool, "WORKER_RSS_LIMIT", 1)       # every worker is over it
    with Intake(tmp_path / "db.duckdb") as intake:
        intake.job = worker_pid
        outcomes = feed(intake, tmp_path, [b"one", b"two", b"three"])
    assert len({o.message for o in outcomes}) == 3 and intake.pool.started == 3


def test_a_worker_whose_parent_died_while_it_started_exits():
    """The parent's pid is handed to the worker, not read in it: a parent killed while its
    worker was still starting left ppid 1 to read, and the worker waited for files forever."""
    import subprocess
    import sys
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    code = f"import time; from pipeline.workpool import _start_worker; _start_worker({gone.pid}); time.sleep(60)"
    started = subprocess.run([sys.executable, "-c", code], timeout=45, capture_output=True)
    assert started.returncode == 0, started.stderr.decode()[-500:]
