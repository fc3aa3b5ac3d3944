"""One file at a time into the archive: what the watcher and the upload server call.

Both import through `pipeline.importer.import_bytes`, the same code as `vanban import`
(processing by `process_job`, storing by `Store.write_notice`, a failure recorded in
`import_errors`). What this module adds:

- **One writer at a time per database in this process** (a process-wide lock per database
  file), so two uploads never race for DuckDB's single writer; each import opens the
  database, writes one document and closes it, so an analyst's `vanban query` gets its turn.
- **A worker process** (by default): the file is read and analysed in a spawned child, so a
  file that crashes a parser (a segfault, the memory limit) costs that file only: it is
  recorded as `WorkerCrashed` and the watcher or server goes on. The child ignores SIGINT,
  so Ctrl-C in a terminal lets the file in hand finish; `close(force=True)` kills it, and its
  open transaction is then never committed (the document is absent, not half-stored).
- **A warm worker**: a worker loads the pipeline and opens DuckDB once when it starts
  (`process.warm`), before its first file, and `warm()` starts it ahead of any file; the
  worker that replaces one after `MAX_FILES_PER_WORKER` files warms itself the same way while
  the server or watcher waits for the next file. So each file pays for its own work only.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Optional, Union

from pipeline.importer import FAILED, FileOutcome, import_bytes
from pipeline.store.duckdb import DEFAULT_DB, open_store, record_import_error
from pipeline.store.paths import IMPORTED, absolute_path

MAX_FILES_PER_WORKER = 50      # the worker is replaced after this many files, to bound memory

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def writer_lock(db_path: Union[str, Path]) -> threading.Lock:
    """The lock every writer of the database at `db_path` in this process holds while writing."""
    key = str(Path(db_path).resolve())
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _start_worker() -> None:
    """Runs first in each worker: Ctrl-C is the parent's to handle; then everything a first
    file would pay for once is paid now. A failure to warm (a broken rule file) is left for
    the first file to meet and record as its own, not as a crashed worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        warm()
    except Exception:
        pass


def warm() -> None:
    """The pipeline built and DuckDB loaded in this process (the first bound parameter loads
    DuckDB's Python-side converters), so that the next file costs only its own work."""
    from pipeline.process import warm as warm_pipeline
    from pipeline.store.duckdb import open_store

    warm_pipeline()
    with open_store(":memory:") as store:
        store.query("SELECT count(*) FROM documents WHERE sha256 = ?", ["0" * 64])


def _nothing() -> None:
    pass


class Intake:
    """Imports one file's bytes at a time into the database at `db_path`.

    `isolate=False` runs the import in this process (no child; a crashing parser then
    takes this process down with it).
    """

    def __init__(self, db_path: Union[str, Path] = DEFAULT_DB, isolate: bool = True):
        self.db_path = Path(db_path)
        self.isolate = isolate
        self.lock = writer_lock(self.db_path)
        self._pool: Optional[ProcessPoolExecutor] = None

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None or getattr(self._pool, "_broken", False):
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker,
                                             max_tasks_per_child=MAX_FILES_PER_WORKER)
        return self._pool

    def warm(self) -> None:
        """Get ready for the first file without waiting for it: start the worker, which warms
        itself. (With `isolate=False` this process warms on its first file and stays warm.)"""
        if self.isolate:
            with self.lock:
                self._worker().submit(_nothing)

    def import_file(self, data: bytes, source_path: str, *, path_kind: str = IMPORTED,
                    also: tuple[tuple[str, str], ...] = (), take_all: bool = False) -> FileOutcome:
        """Process and store `data`, recorded under `source_path` (a `path_kind` path) and each
        `(path, kind)` of `also`; a failure is recorded in import_errors and returned as a
        `FileOutcome` with status "failed", a file that is not a document in skipped_files
        with status "skipped" (unless `take_all`). A database that stays busy or broken
        raises `StoreError` (the file is then neither stored nor failed)."""
        source_path = absolute_path(source_path)
        options = {"take_all": take_all, "path_kind": path_kind, "also": also}
        with self.lock:
            if not self.isolate:
                return import_bytes(data, source_path, self.db_path, **options)
            try:
                return self._worker().submit(import_bytes, data, source_path, self.db_path, **options).result()
            except BrokenProcessPool:
                sha = hashlib.sha256(data).hexdigest()
                message = "the process reading this file died (a crash in a parser or out of memory)"
                record_import_error(self.db_path, source_path, sha, "worker", "WorkerCrashed", message)
                return FileOutcome(source_path, FAILED, None, sha, "worker", "WorkerCrashed", message)

    def record_path(self, doc_id: str, path: Union[str, Path], path_kind: str) -> None:
        """Note another path of a stored document (where the watcher moved it)."""
        with self.lock, open_store(self.db_path) as store:
            store.record_path(doc_id, absolute_path(path), path_kind)

    def close(self, force: bool = False) -> None:
        """Stop the worker: after the file in hand (default), or at once (`force`)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if force:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
        else:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "Intake":
        return self

    def __exit__(self, exc_type, *rest) -> None:
        self.close(force=exc_type is not None and issubclass(exc_type, KeyboardInterrupt))
