"""The import's worker pool: warm workers kept for the whole import, replaced when one grows
past the memory limit or dies, and nothing lost either way."""
import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from pipeline import importer, workpool
from pipeline.benchstartup import distinct_docx
from pipeline.importer import import_paths
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
