"""One file at a time into the archive: what the watcher and the upload server call.

Both import through `pipeline.importer.import_bytes`, the same code as `vanban import`
(processing by `process_job` in a worker of `pipeline.workpool`, storing by
`Store.write_notice` in this process, a failure recorded in `import_errors`). What this module
adds:

- **One writer at a time per database in this process** (a process-wide lock per database
  file), so two uploads never race for DuckDB's single writer; each import opens the
  database, writes one document and closes it, so an analyst's `vanban query` gets its turn.
- **The import's worker machinery** (by default): a one-worker `WorkerPool`, so the watcher
  and the server get what `vanban import` gets. The worker is spawned and warmed by `warm()`
  before the first file; it is kept while its memory stays under the limit (not replaced
  after a count of files, as before issue 14); it exits when this process dies; a file that
  kills it (a segfault, the memory limit) fails alone as `WorkerCrashed`, naming the file,
  and the next file gets a fresh worker. The worker ignores SIGINT, so Ctrl-C in a terminal
  lets the file in hand finish; `close(force=True)` kills it, and as only this process
  stores, the file is then absent, not half-stored.
"""
from __future__ import annotations

import threading
from contextlib import nullcontext
from pathlib import Path
from typing import Optional, Union

from pipeline.importer import FileOutcome, Failure, import_bytes, process_alone, process_job
from pipeline.model import Notice
from pipeline.store.duckdb import DEFAULT_DB, open_store
from pipeline.store.paths import IMPORTED, absolute_path
from pipeline.workpool import WorkerPool

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def writer_lock(db_path: Union[str, Path]) -> threading.Lock:
    """The lock every writer of the database at `db_path` in this process holds while writing."""
    key = str(Path(db_path).resolve())
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def warm_store() -> None:
    """DuckDB loaded in this process, which stores: its first bound parameter loads the
    Python-side converters, which the first file would otherwise wait for."""
    with open_store(":memory:") as store:
        store.query("SELECT count(*) FROM documents WHERE sha256 = ?", ["0" * 64])


class Intake:
    """Imports one file's bytes at a time into the database at `db_path`.

    `isolate=False` processes in this process (no worker; a crashing parser then takes this
    process down with it). `store_lock`, when other code in this process opens the database
    too (the server's reads), is held around each of this intake's openings and by that
    code around its own: DuckDB refuses a read-only and a writable connection to one file
    in one process. It is not held while a file is processed, so reads go on meanwhile.
    `job` is what the worker runs on each file's bytes (a test swaps in one that crashes);
    it must be importable by name in a spawned process.
    """

    def __init__(self, db_path: Union[str, Path] = DEFAULT_DB, isolate: bool = True,
                 store_lock: Optional[threading.Lock] = None):
        self.db_path = Path(db_path)
        self.lock = writer_lock(self.db_path)
        self.store_lock = store_lock or nullcontext()
        self.pool: Optional[WorkerPool] = WorkerPool(1) if isolate else None
        self.job = process_job

    @property
    def isolate(self) -> bool:
        return self.pool is not None

    def warm(self) -> None:
        """Get ready for the first file without waiting for it: spawn the worker, which warms
        itself meanwhile, and load DuckDB here. (With `isolate=False` this process builds the
        pipeline on its first file and keeps it.)"""
        if self.pool is not None:
            with self.lock:
                self.pool.start()
        warm_store()

    def _process(self, data: bytes, path: str) -> Union[Notice, Failure]:
        if self.pool is None:
            return self.job(data, path)
        return process_alone(self.pool, data, path, self.job)

    def import_file(self, data: bytes, source_path: str, *, path_kind: str = IMPORTED,
                    also: tuple[tuple[str, str], ...] = (), take_all: bool = False) -> FileOutcome:
        """Process and store `data`, recorded under `source_path` (a `path_kind` path) and each
        `(path, kind)` of `also`; a failure (a worker that died too) is recorded in
        import_errors and returned as a `FileOutcome` with status "failed", a file that is not
        a document in skipped_files with status "skipped" (unless `take_all`). A database that
        stays busy or broken raises `StoreError` (the file is then neither stored nor failed)."""
        source_path = absolute_path(source_path)
        with self.lock:
            return import_bytes(data, source_path, self.db_path, take_all=take_all, path_kind=path_kind,
                                also=also, process=self._process, store_lock=self.store_lock)

    def record_path(self, doc_id: str, path: Union[str, Path], path_kind: str) -> None:
        """Note another path of a stored document (where the watcher moved it)."""
        with self.lock, self.store_lock, open_store(self.db_path) as store:
            store.record_path(doc_id, absolute_path(path), path_kind)

    def close(self, force: bool = False) -> None:
        """Stop the worker: after the file in hand (default), or at once (`force`)."""
        if self.pool is None:
            return
        if force:
            self.pool.kill()
        else:
            self.pool.close()

    def __enter__(self) -> "Intake":
        return self

    def __exit__(self, exc_type, *rest) -> None:
        self.close(force=exc_type is not None and issubclass(exc_type, KeyboardInterrupt))
