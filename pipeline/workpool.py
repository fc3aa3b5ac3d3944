"""The worker processes of every import (`vanban import`, the watcher, the upload server):
started once, warm, and kept while they stay small.

Issue 14 measured the old pool (`max_tasks_per_child=50`) over 300 .docx: each worker was
replaced every 50 files, and each replacement spawned an interpreter, imported the package and
built the spaCy pipeline again (~1 s of CPU, ~6 s of a 13 s import with one worker). Here:

- **Started once, warm**: each worker runs `process.warm` as it starts (the readers, the
  analysis, the spaCy pipeline), while the parent reads and hashes the first files, so no
  file pays for it.
- **Replaced on memory, not on a count**: each result comes back with the RSS of the worker
  that made it. While every worker stays under `WORKER_RSS_LIMIT`, the pool lives for the
  whole import; once one passes it (a huge scan, a leak in a parser), the pool is retired
  (it finishes what it was given, then its processes exit) and the next file starts a fresh
  one. Over 10,000 .docx a worker stays near 150 MiB, so a batch of notices never recycles.
- **Spawned, not forked**: the parent holds DuckDB (its threads) and a progress bar; a
  spawned child starts clean.
- **Ctrl-C is the parent's**: workers ignore SIGINT, so an interrupted import stops at the
  parent, which cancels what was not started (the kill test: nothing half-stored); a worker
  whose parent was killed exits within a second instead of waiting for files forever.
- **One machinery for every front end**: the watcher and the server (`pipeline.intake`) run
  one file at a time in a one-worker pool; before issue 14 they kept a pool of their own
  that replaced its worker every 50 files whatever its size, and a worker that outlived a
  killed watcher.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Optional

MIB = 1024 * 1024
# A worker above this after a file is replaced (its pool retired). The import's goal is a tree
# under 1 GiB with 2 workers and the parent; a warm worker holds ~150 MiB after a .docx and
# ~300-400 MiB after OCR of a 200-dpi scan (measured, see the README's benchmark).
WORKER_RSS_LIMIT = int(os.environ.get("VANBAN_WORKER_RSS_MIB", 400)) * MIB


def current_rss() -> int:
    """This process's resident memory in bytes, now (not the peak: memory given back counts)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):     # not Linux: the peak is what there is
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if os.uname().sysname == "Darwin" else peak * 1024


def _exit_with(parent: int) -> None:
    """Exit when the parent is gone: a worker waiting for its next file does not notice a
    killed parent (measured: a SIGTERM'd import left both its workers, ~140 MiB each, forever)."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="vanban-parent-watch", daemon=True).start()


def _start_worker(parent: int) -> None:
    """First thing in each worker: SIGINT is the parent's; the worker ends with its parent;
    then it builds what every file needs. A failure to warm (a broken rule file) is left for
    the first file to meet and record. The parent's pid comes from the parent: read here, it
    is already 1 when the parent was killed while this worker was still starting (a worker of
    the kill test outlived it so)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(parent)
    try:
        from pipeline.process import warm
        warm()
    except Exception:
        pass


def _nothing() -> None:
    pass


def measured(job: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """Run `job(*args)` in a worker; return its result and the worker's RSS after it."""
    return job(*args), current_rss()


class WorkerPool:
    """`workers` warm processes; `submit(job, *args)` returns a Future of `(result, rss)`."""

    def __init__(self, workers: int, rss_limit: Optional[int] = None):
        self.workers = workers
        self.rss_limit = WORKER_RSS_LIMIT if rss_limit is None else rss_limit
        self._pool: Optional[ProcessPoolExecutor] = None
        self.started = 0            # pools started (1 unless one was retired or broke)
        self.peak_rss = 0           # the largest RSS a worker reported

    def submit(self, job: Callable[..., Any], *args: Any) -> Future:
        if self._pool is None or getattr(self._pool, "_broken", False):
            self._retire()
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_start_worker,
                                             initargs=(os.getpid(),),
                                             mp_context=multiprocessing.get_context("spawn"))
            self.started += 1
        return self._pool.submit(measured, job, *args)

    def start(self) -> None:
        """Spawn the workers now, so they warm while the caller does something else (the
        watcher scans its inbox, the server starts listening) and the first file waits for
        nothing. One no-op a worker: the executor spawns a worker per submit while none idles."""
        for _ in range(self.workers):
            self.submit(_nothing)

    def note_rss(self, rss: int) -> None:
        """A worker reported `rss` after a file: past the limit, the pool is retired."""
        self.peak_rss = max(self.peak_rss, rss)
        if rss > self.rss_limit:
            self._retire()

    def _retire(self) -> None:
        """Let the current pool finish the files it holds, its processes then exit; the next
        `submit` starts a new pool."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=bool(getattr(pool, "_broken", False)))

    def close(self, cancel: bool = True) -> None:
        """Stop after the files in hand (the rest are cancelled unless `cancel=False`)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=cancel)

    def kill(self) -> None:
        """Stop at once: the files in hand are lost. Workers only process (the parent stores),
        so a killed worker leaves nothing half-stored."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
