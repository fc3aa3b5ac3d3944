"""Batch import: files and folders → processed in worker processes → stored by this process.

- A document is known by the sha256 of its bytes: bytes already stored are not processed
  again ("already stored"); a changed file is a new document.
- `process_bytes` runs in a pool of `workers` spawned processes (`pipeline.workpool`), each
  warm before its first file and kept for the whole import unless its memory grows past a
  limit; enough files are in flight (`FLUSH_DOCS` beyond `2 × workers`, and at most
  `INFLIGHT_BYTES`) that the workers go on while the parent writes, and a folder of 10,000
  files never sits in memory. A batch of a few files (`SMALL_BATCH`) is processed in this
  process unless workers are asked for: see `pool_size`.
- The parent alone writes: the documents of a batch in one transaction (a document the
  database refuses is then stored alone and fails alone), so a kill at any moment leaves
  every document either wholly stored or absent, and running the same import again
  completes it.
- The search index is rebuilt at the end of a batch of more than `SMALL_BATCH` files; after
  a smaller one it is left stale, and `vanban search` rebuilds it when it is next needed
  (as after an upload), so adding one file does not pay for indexing the whole archive.
- The database file is opened for a short batch (`FLUSH_DOCS` documents or `FLUSH_SECONDS`)
  and closed again, so readers in other processes get their turn while a long import runs.
- A file that fails (a `VanbanError`, any other exception, a worker that dies) is recorded in
  `import_errors` with its reason; the batch goes on.
- A file that is not a document (gold JSON, a README, desktop.ini, Thumbs.db, a spreadsheet,
  a zip: `pipeline.ingest.notdoc`) is skipped, recorded in `skipped_files` with its kind, and
  does not fail the batch; `take_all=True` (`vanban import --all`) reads it as before.
- Every path is stored absolute and resolved (`absolute_path`), so the same file imported
  from two working folders is one path, and `vanban show` finds it from anywhere.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
import traceback
from collections import deque
from contextlib import AbstractContextManager, nullcontext
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

from pipeline.errors import NotADocument, StoreError, VanbanError
from pipeline.ingest.notdoc import check_document
from pipeline.model import Notice
from pipeline.process import process_bytes, warm
from pipeline.store.duckdb import DEFAULT_DB, open_store
from pipeline.store.paths import absolute_path
from pipeline.workpool import WorkerPool

# Batches of at most this many files are processed in this process when the caller did not
# ask for workers. A pool costs each worker a spawned interpreter, the package and the spaCy
# pipeline (~1.3 s of CPU on this 2-core machine before its first file), against ~40 ms to
# read and analyse a .docx once warm and ~100 ms to store it (the parent stores, so a pool
# cannot beat the writer). Measured with `vanban import` over N distinct .docx, no extras
# installed, wall s in this process / with 2 workers (the machine shared, load 4-8):
# N=1 3.6/4.1, 4 4.0/6.8, 8 4.2/8.5, 16 7.4/11.2, 32 8.6/11.9: the pool lost at every N
# measured. With a writer at ~5 ms a notice the break-even would be near 40 files (~1 s of
# start-up saved at 25 ms a file); below that the pool only buys isolation (a file that
# kills its parser costs only itself). An archivist's batch must not die of one hostile
# file, so only a handful of files (what one imports by hand) go without it.
SMALL_BATCH = 4

# Bytes of files handed to the workers and not yet back: past this, only `2 × workers` files
# are in flight (a folder of large scans never sits in memory).
INFLIGHT_BYTES = 256 * 1024 * 1024
# Documents written per opening of the database file, or fewer when they arrive slowly: each
# close checkpoints the WAL (~40 ms), so fewer, longer openings are faster, and a reader waits
# at most about FLUSH_SECONDS. An operator whose analysts must wait less sets smaller values.
FLUSH_DOCS = int(os.environ.get("VANBAN_FLUSH_DOCS", 64))
FLUSH_SECONDS = float(os.environ.get("VANBAN_FLUSH_SECONDS", 1.0))
# Seconds the file stays closed after each opening, however many notices wait: the workers run
# ahead of the writer (files in flight), so without a pause a backlog would reopen the file at
# once and a reader polling for it (`store.duckdb._connect`, every 0.1 s at most) could miss
# every gap. The notices that arrive meanwhile go into the next opening.
READER_GAP = float(os.environ.get("VANBAN_READER_GAP", 0.25))
WRITE_TIMEOUT = 300.0    # seconds the writer waits for readers to let go of the file

IMPORTED, ALREADY, FAILED, SKIPPED = "imported", "already stored", "failed", "skipped"


@dataclass
class Failure:
    """Why one file did not become a document (pickled back from a worker)."""

    path: str
    sha256: Optional[str]
    stage: str
    error: str
    message: str


@dataclass
class Skipped:
    """A file that is not a document: what it is and why (see `pipeline.ingest.notdoc`)."""

    path: str
    sha256: str
    kind: str
    reason: str


@dataclass
class FileOutcome:
    path: str
    status: str                       # imported, already stored, failed, skipped (error: its kind)
    doc_id: Optional[str] = None
    sha256: Optional[str] = None
    stage: Optional[str] = None
    error: Optional[str] = None
    message: Optional[str] = None


@dataclass
class ImportSummary:
    files: int = 0
    imported: int = 0
    already_stored: int = 0
    failed: list[FileOutcome] = field(default_factory=list)
    skipped: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def files_per_second(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


ProgressFn = Callable[[int, int, FileOutcome], None]


def iter_files(paths: Iterable[Union[str, Path]], exclude: Sequence[str] = ()) -> Iterator[str]:
    """Every file named or under a folder named, recursively, sorted; hidden files and folders,
    and files whose name matches a glob of `exclude` (`*.json`), are skipped. A path that does
    not exist is yielded as given (it then fails to read)."""
    def wanted(name: str) -> bool:
        return not name.startswith(".") and not any(fnmatch(name, g) for g in exclude)

    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if wanted(name):
                        yield str(Path(root) / name)
        elif not any(fnmatch(p.name, g) for g in exclude):   # named explicitly: taken
            yield str(p)


def process_job(data: bytes, path: str) -> Union[Notice, Failure]:
    """What a worker runs: never raises, so one bad file cannot take the batch down."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        return process_bytes(data, path)
    except VanbanError as e:
        return Failure(path, sha, e.stage, e.kind, e.reason)
    except Exception as e:  # a bug or a library's own error: name it, keep going
        where = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
        at = f" (at {Path(where.filename).name}:{where.lineno})" if where else ""
        return Failure(path, sha, "pipeline", type(e).__name__, f"unexpected {type(e).__name__}: {e}{at}")


def not_a_document(data: bytes, path: str, sha: Optional[str] = None) -> Optional[Skipped]:
    """The file as `Skipped` when it is not a document (`pipeline.ingest.notdoc`), else None."""
    try:
        check_document(data, path)
    except NotADocument as e:
        return Skipped(path, sha or hashlib.sha256(data).hexdigest(), e.file_kind, e.reason)
    return None


def import_bytes(data: bytes, path: str, db_path: Union[str, Path] = DEFAULT_DB, *,
                 take_all: bool = False, path_kind: str = "imported",
                 also: Sequence[tuple[str, str]] = (),
                 process: Callable[[bytes, str], Union[Notice, Failure]] = process_job,
                 store_lock: Optional[AbstractContextManager] = None) -> FileOutcome:
    """Process and store one file's bytes (the watcher's and the upload server's entry point,
    through `pipeline.intake`); a failure is recorded in import_errors, a file that is not a
    document in skipped_files (unless `take_all`), and returned. The file is recorded under
    `path` (made absolute) as a `path_kind` path, and under each `(path, kind)` of `also`.
    `process(data, path)` turns the bytes into a notice or a failure: `process_job` in this
    process by default, `process_alone` in a worker pool for the intake. This process stores,
    as `import_paths` does, so a worker killed mid-file leaves nothing half-stored.
    `store_lock` is held around each opening of the database, not while the file is processed
    (the server's reads take it too: see `pipeline.intake.Intake`)."""
    sha = hashlib.sha256(data).hexdigest()
    path = absolute_path(path)
    item: Union[Notice, Failure, Skipped, tuple, None] = None
    store_lock = store_lock or nullcontext()
    with store_lock, open_store(db_path, timeout=WRITE_TIMEOUT) as store:
        if store.query("SELECT 1 FROM documents WHERE sha256 = ?", [sha])[1]:
            item = ("dup", sha)
        elif not take_all:
            item = not_a_document(data, path, sha)
        if item is not None:
            return _store_one(store, item, path, path_kind, also)
    result = process(data, path)
    with store_lock, open_store(db_path, timeout=WRITE_TIMEOUT) as store:
        return _store_one(store, result, path, path_kind, also)


def _store_one(store, item: Union[Notice, Failure, Skipped, tuple], path: str, kind: str = "imported",
               also: Sequence[tuple[str, str]] = ()) -> FileOutcome:
    outcome = _store_item(store, item, path, kind)
    for other, other_kind in also if outcome.doc_id else ():
        store.record_path(outcome.doc_id, other, other_kind)
    return outcome


def _store_item(store, item: Union[Notice, Failure, Skipped, tuple], path: str, kind: str) -> FileOutcome:
    if isinstance(item, Skipped):
        store.record_skipped(item.path, item.sha256, item.kind, item.reason)
        return FileOutcome(path, SKIPPED, None, item.sha256, "sniff", item.kind, item.reason)
    if isinstance(item, tuple):                     # ("dup", sha): bytes already stored
        doc_id = store.record_source(item[1], path, kind)
        if doc_id is None:
            return FileOutcome(path, FAILED, None, item[1], "store", "NotStored",
                               "same bytes as a file that is not stored")
        return FileOutcome(path, ALREADY, doc_id, item[1])
    if isinstance(item, Failure):
        store.record_error(item.path, item.sha256, item.stage, item.error, item.message)
        return FileOutcome(path, FAILED, None, item.sha256, item.stage, item.error, item.message)
    try:
        result = store.write_notice(item, path, kind)
    except StoreError as e:
        if e.transient:
            raise
        store.record_error(path, item.sha256, "store", e.kind, e.reason)
        return FileOutcome(path, FAILED, None, item.sha256, "store", e.kind, e.reason)
    return FileOutcome(path, result.status, result.doc_id, item.sha256)


def _store_batch(store, items: Sequence[tuple[str, object]]) -> list[FileOutcome]:
    """Store `(path, item)` pairs in order: each run of notices with one `write_notices` (one
    transaction; a notice the database refuses is recorded as an import error and the rest
    of the run is stored), anything else one by one."""
    outcomes: list[FileOutcome] = []
    i = 0
    while i < len(items):
        run = []
        while i < len(items) and isinstance(items[i][1], Notice):
            run.append(items[i])
            i += 1
        if not run:
            outcomes.append(_store_one(store, items[i][1], items[i][0]))
            i += 1
            continue
        for (path, notice), result in zip(run, store.write_notices([(n, p, IMPORTED) for p, n in run])):
            if isinstance(result, StoreError):
                store.record_error(path, notice.sha256, "store", result.kind, result.reason)
                outcomes.append(FileOutcome(path, FAILED, None, notice.sha256, "store", result.kind,
                                            result.reason))
            else:
                outcomes.append(FileOutcome(path, result.status, result.doc_id, notice.sha256))
    return outcomes


class _Writer:
    """Buffers results and writes them in short openings of the database file."""

    def __init__(self, db_path: Path, summary: ImportSummary, total: int,
                 on_progress: Optional[ProgressFn]):
        self.db_path, self.summary, self.total, self.on_progress = db_path, summary, total, on_progress
        self.pending: list[tuple[str, object]] = []
        self.last = time.monotonic()
        self.done = 0
        # files whose bytes equal those of a file still being processed in this batch: they
        # are settled when that file is, as a second source of it or with its failure
        self.waiting: dict[str, list[str]] = {}
        self.settled: dict[str, FileOutcome] = {}   # sha256 → how its first file ended

    def add(self, path: str, item) -> None:
        self.pending.append((path, item))
        since = time.monotonic() - self.last
        if since >= FLUSH_SECONDS or (len(self.pending) >= FLUSH_DOCS and since >= READER_GAP):
            self.flush()

    def flush(self) -> None:
        self.last = time.monotonic()
        if not self.pending:
            return
        # one DuckDB thread: its statements are small (one per table per batch), and beside
        # workers that hold the cores more threads only wait for them (measured over 300
        # notices in batches of 64: 4.8 ms of CPU a notice against 5.4, and half the wall)
        with open_store(self.db_path, timeout=WRITE_TIMEOUT, threads=1) as store:
            outcomes = _store_batch(store, self.pending)
        self.pending = []
        for outcome in outcomes:
            self._count(outcome)
        self.last = time.monotonic()

    def wait_for(self, sha: str, path: str) -> None:
        self.waiting.setdefault(sha, []).append(path)
        if sha in self.settled:      # the file it copies was written already (a flush between)
            self._settle_copies(self.settled[sha])

    def drain(self) -> None:
        while self.pending:
            self.flush()

    def _settle_copies(self, o: FileOutcome) -> None:
        for path in self.waiting.pop(o.sha256, []) if o.sha256 else []:
            if o.status == FAILED:
                self.pending.append((path, Failure(path, o.sha256, o.stage or "pipeline", o.error or "Failed",
                                                   f"same bytes as {o.path}: {o.message}")))
            else:
                self.pending.append((path, ("dup", o.sha256)))

    def _count(self, o: FileOutcome) -> None:
        if o.sha256:
            self.settled[o.sha256] = o
        self._settle_copies(o)
        s = self.summary
        if o.status == IMPORTED:
            s.imported += 1
        elif o.status == ALREADY:
            s.already_stored += 1
        elif o.status == SKIPPED:
            s.skipped.append(o)
        else:
            s.failed.append(o)
        self.done += 1
        if self.on_progress:
            self.on_progress(self.done, self.total, o)


def _read(path: str) -> Union[bytes, Failure]:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        return Failure(path, None, "read", "NotAFile", "is a folder, not a file")
    except FileNotFoundError:
        return Failure(path, None, "read", "FileNotFound", "no such file")
    except OSError as e:
        return Failure(path, None, "read", type(e).__name__, f"cannot open file: {e.strerror or e}")


def worker_died(path: str, data: bytes) -> Failure:
    """The failure of a file whose worker died under it (a segfault in a parser, the kernel's
    out-of-memory killer): named, so the log and `import_errors` say which file it was."""
    return Failure(path, hashlib.sha256(data).hexdigest(), "worker", "WorkerCrashed",
                   f"the worker process died while reading {Path(path).name} (a crash in a parser, "
                   f"or out of memory); only this file failed")


def result_lost(path: str, data: bytes, e: Exception) -> Failure:
    return Failure(path, hashlib.sha256(data).hexdigest(), "worker", type(e).__name__,
                   f"worker result lost: {e}")


def process_alone(pool: WorkerPool, data: bytes, path: str,
                  job: Callable[[bytes, str], Union[Notice, Failure]] = process_job) -> Union[Notice, Failure]:
    """Run `job` on one file in `pool` with nothing else in flight, so a worker that dies
    fails this file alone (the next file gets a fresh worker). The batch import runs the
    files a crashed pool took down this way; the watcher and the server run every file so.
    The worker's memory is noted, so a worker grown past the limit is replaced here too."""
    try:
        result, rss = pool.submit(job, data, path).result()
    except BrokenProcessPool:
        return worker_died(path, data)
    except Exception as e:  # pickling the result failed, or the like
        return result_lost(path, data, e)
    pool.note_rss(rss)
    return result


def _settle_unprocessed(path: str, writer: _Writer, stored: set[str], in_batch: set[str],
                        take_all: bool) -> Optional[bytes]:
    """Settle a file that needs no processing (unreadable, stored already, not a document, a
    copy of a file in this batch) and return None; else return its bytes, now in the batch."""
    data = _read(path)
    if isinstance(data, Failure):
        writer.add(path, data)
        return None
    sha = hashlib.sha256(data).hexdigest()
    if sha in stored:
        writer.add(path, ("dup", sha))
        return None
    skipped = None if take_all else not_a_document(data, path, sha)
    if skipped is not None:
        writer.add(path, skipped)
        return None
    if sha in in_batch:
        writer.wait_for(sha, path)
        return None
    in_batch.add(sha)
    return data


def _prepare_in_background() -> threading.Thread:
    """`process.warm` in a thread; a failure there is left for the first file to meet."""
    def prepare() -> None:
        try:
            warm()
        except Exception:  # the same error is raised, and recorded, by the first file
            pass

    thread = threading.Thread(target=prepare, name="vanban-warm", daemon=True)
    thread.start()
    return thread


def pool_size(workers: Optional[int], files: int, cores: Optional[int] = None) -> int:
    """How many worker processes an import of `files` files starts; 0: none, each file is
    processed in this process. `workers=None` (the default) means the cores, or none for a
    batch of at most `SMALL_BATCH` files; an explicit number is kept (0: none), but never more
    workers than files."""
    if workers is None:
        if files <= SMALL_BATCH:
            return 0
        workers = cores if cores is not None else (os.cpu_count() or 1)
    return max(0, min(int(workers), files))


def import_paths(paths: Iterable[Union[str, Path]], db_path: Union[str, Path] = DEFAULT_DB,
                 workers: Optional[int] = None,
                 on_progress: Optional[ProgressFn] = None,
                 exclude: Sequence[str] = (), take_all: bool = False) -> ImportSummary:
    """Import files and folders into the database at `db_path`; see the module docstring.

    `workers=None` uses every core, or this process alone for a few files (`pool_size`);
    `workers=0` processes in this process (no pool).
    `on_progress(done, total, outcome)` is called as each file is settled; `exclude` holds
    file-name globs to skip (`["*.json", "*.md"]`); `take_all` reads files that are not
    documents too, as text where they are text.
    """
    started = time.monotonic()
    db_path = Path(db_path)
    files = [absolute_path(f) for f in iter_files(paths, exclude)]
    summary = ImportSummary(files=len(files))
    workers = pool_size(workers, len(files))
    # in this process, into a new database: the pipeline is built while DuckDB creates the
    # tables (it releases the GIL), and waited for before the first file is analysed. (Into
    # an existing one there is little to overlap, and its files may all be stored already.)
    preparing = _prepare_in_background() if workers == 0 and files and not db_path.exists() else None
    with open_store(db_path, timeout=WRITE_TIMEOUT) as store:
        stored = store.known_shas()
    in_batch: set[str] = set()
    writer = _Writer(db_path, summary, len(files), on_progress)
    feed = _Feed(WorkerPool(workers), writer) if workers else None
    try:
        for path in files:
            data = _settle_unprocessed(path, writer, stored, in_batch, take_all)
            if data is None:
                continue
            if feed is not None:
                feed.submit(path, data)
                continue
            if preparing is not None:
                preparing.join()
                preparing = None
            writer.add(path, process_job(data, path))
        if preparing is not None:        # no file was analysed: let it end before we do
            preparing.join()
        if feed is not None:
            feed.finish()
        writer.drain()
    finally:
        if feed is not None:
            feed.close()
    if len(files) > SMALL_BATCH:
        with open_store(db_path, timeout=WRITE_TIMEOUT) as store:
            if summary.imported or store.search_index_stale():
                store.rebuild_search_index()
    summary.seconds = time.monotonic() - started
    return summary


class _Feed:
    """Files out to the worker pool, results in to the writer, with enough files in flight
    that the workers go on while the writer flushes (a flush of `FLUSH_DOCS` notices takes
    about as long as a worker needs for a third of them), and no more bytes in flight than
    `INFLIGHT_BYTES` (a folder of large scans never sits in memory)."""

    def __init__(self, pool: WorkerPool, writer: _Writer):
        self.pool, self.writer = pool, writer
        self.inflight: dict[Future, tuple[str, bytes]] = {}
        self.bytes = 0
        self.least = 2 * pool.workers              # always allowed, whatever their size
        self.most = self.least + FLUSH_DOCS
        self.suspects: deque[tuple[str, bytes]] = deque()

    def submit(self, path: str, data: bytes) -> None:
        while len(self.inflight) >= self.most or (self.bytes >= INFLIGHT_BYTES and len(self.inflight) >= self.least):
            self.collect(block=True)
        try:
            self.inflight[self.pool.submit(process_job, data, path)] = (path, data)
            self.bytes += len(data)
        except BrokenProcessPool:
            self.suspects.append((path, data))
        self.collect(block=False)

    def collect(self, block: bool) -> None:
        if not self.inflight:
            return
        done, _ = wait(list(self.inflight), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for fut in done:
            path, data = self.inflight.pop(fut)
            self.bytes -= len(data)
            try:
                result, rss = fut.result()
            except BrokenProcessPool:
                self.suspects.append((path, data))
                continue
            except Exception as e:  # pickling a result failed, or the like
                result, rss = result_lost(path, data, e), 0
            self.pool.note_rss(rss)
            self.writer.add(path, result)

    def finish(self) -> None:
        """Wait for every file in flight; then run each file of a pool that died alone, in a
        fresh process, which tells the file that killed it from those that shared it."""
        while self.inflight:
            self.collect(block=True)
        if not self.suspects:
            return
        # a crash fails every file in flight (up to `most`): each is run alone, one after the
        # other in one warm worker, which is replaced only when a file kills it
        alone = WorkerPool(1)
        try:
            while self.suspects:
                path, data = self.suspects.popleft()
                self.writer.add(path, process_alone(alone, data, path))
        finally:
            alone.close()

    def close(self) -> None:
        for fut in self.inflight:
            fut.cancel()
        self.pool.close()
