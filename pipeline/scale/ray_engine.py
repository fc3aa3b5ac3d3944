"""`vanban import --engine ray`: the per-file pipeline scheduled by Ray Data, into a DuckLake.

    paths ─ from_items ─ map_batches(process_batch) ─ write_datasink(LakeDatasink) ─ summary
                          │ reads each file, runs        │ one transaction per document,
                          │ importer.process_job (the    │ keyed by sha256 (lake.LakeWriter)
                          │ same process_bytes as local) │

- Ray only schedules: `process_batch` calls `pipeline.importer.process_job`, i.e. the same
  `process_bytes` as the local importer, the watcher and the upload server.
- The driver lists the files (same rules as `vanban import`: recursive, sorted, hidden files
  and `--exclude` globs skipped, every path made absolute) and reads the stored sha256s once;
  bytes already stored are not processed again, only their path is recorded.
- As `vanban import` does (issue 13): a file that is not a document (gold JSON, a README,
  a spreadsheet: `pipeline.ingest.notdoc`) is skipped, recorded in `skipped_files` with its
  kind and counted, and fails nothing, unless `take_all`; each stored file is grouped into
  its notice as it is written (`lakewriter.LakeWriter`).
- A worker that dies has its task retried (`max_retries`); documents it committed before
  dying are found by sha256 on the retry, so each lands exactly once. Blocks that still
  fail after their retries are run again one file per task, and a file that kills its
  worker every time is recorded in `import_errors` as `WorkerCrashed`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import time
import warnings
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

from pipeline.errors import StoreError
from pipeline.importer import (ALREADY, FAILED, SKIPPED, Failure, FileOutcome, ImportSummary, Skipped, _read,
                               iter_files, not_a_document, process_job)
from pipeline.model import Notice
from pipeline.scale.lake import LakeConfig, compact_lake
from pipeline.scale.lakewriter import LakeWriter
from pipeline.store.paths import absolute_path

FILES_PER_TASK = 8               # files per Ray task: small enough to balance and to retry cheaply
MAX_RETRIES = 3                  # attempts of a task whose worker died, before isolating its files
OBJECT_STORE_BYTES = 200 * 1024 ** 2   # object store of a cluster started here (files stay small)

log = logging.getLogger(__name__)
_known_cache: dict[str, frozenset] = {}
_writers: dict[LakeConfig, LakeWriter] = {}


def _writer(lake: LakeConfig) -> LakeWriter:
    """This worker process's open lake: Ray reuses worker processes, and opening costs
    ~0.2 s (LOAD, ATTACH, catalog connection), more than committing a document."""
    if lake not in _writers:
        _writers[lake] = LakeWriter(lake)
    return _writers[lake]


def _drop_writer(lake: LakeConfig) -> None:
    w = _writers.pop(lake, None)
    if w is not None:
        try:
            w.close()
        except Exception:
            pass


def _known(known) -> frozenset:
    """The stored sha256s, fetched once per worker process from the object store."""
    import ray
    if isinstance(known, ray.ObjectRef):
        key = known.hex()
        if key not in _known_cache:
            _known_cache.clear()
            _known_cache[key] = ray.get(known)
        return _known_cache[key]
    return frozenset(known or ())


def process_batch(batch: dict[str, Any], known=None, take_all: bool = False) -> dict[str, list]:
    """A Ray Data batch of paths → one row per file: (path, sha256, kind, payload), kind
    `notice` (payload: the Notice as JSON), `failure` (a Failure as JSON), `skipped` (a
    Skipped as JSON: not a document) or `dup` (bytes already stored)."""
    stored = _known(known)
    out: dict[str, list] = {"path": [], "sha256": [], "kind": [], "payload": []}
    for path in batch["path"]:
        path = str(path)
        sha, kind, payload = _process_one(path, stored, take_all)
        out["path"].append(path)
        out["sha256"].append(sha)
        out["kind"].append(kind)
        out["payload"].append(payload)
    return out


def _process_one(path: str, stored: frozenset, take_all: bool) -> tuple[Optional[str], str, str]:
    """One file → (sha256, kind, payload) as `process_batch` describes; the order of the
    checks is `importer._settle_unprocessed`'s."""
    data = _read(path)
    if isinstance(data, Failure):
        return None, "failure", json.dumps(dataclasses.asdict(data))
    sha = hashlib.sha256(data).hexdigest()
    if sha in stored:
        return sha, "dup", ""
    skipped = None if take_all else not_a_document(data, path, sha)
    if skipped is not None:
        return sha, "skipped", json.dumps(dataclasses.asdict(skipped))
    result = process_job(data, path)
    if isinstance(result, Notice):
        return sha, "notice", result.model_dump_json()
    return sha, "failure", json.dumps(dataclasses.asdict(result))


def store_row(writer: LakeWriter, row: dict[str, Any]) -> FileOutcome:
    """One processed file → the lake (as `importer._store_one` does for the embedded store)."""
    path, sha, kind = row["path"], row["sha256"], row["kind"]
    if kind == "dup":
        doc_id = writer.record_source(sha, path)
        if doc_id is not None:
            return FileOutcome(path, ALREADY, doc_id, sha)
        kind = "lost"   # listed as stored, gone since: cannot happen without deletes
    if kind == "skipped":
        k = Skipped(**json.loads(row["payload"]))
        writer.record_skipped(k.path, k.sha256, k.kind, k.reason)
        return FileOutcome(path, SKIPPED, None, k.sha256, "sniff", k.kind, k.reason)
    if kind == "failure":
        f = Failure(**json.loads(row["payload"]))
        writer.record_error(f.path, f.sha256, f.stage, f.error, f.message)
        return FileOutcome(path, FAILED, None, f.sha256, f.stage, f.error, f.message)
    if kind != "notice":
        writer.record_error(path, sha, "store", "Vanished", "stored bytes were not found when recording the path")
        return FileOutcome(path, FAILED, None, sha, "store", "Vanished", "stored bytes were not found")
    notice = Notice.model_validate_json(row["payload"])
    try:
        result = writer.write_notice(notice, path)
    except StoreError as e:
        if e.transient:
            raise                        # the task fails and Ray retries it
        writer.record_error(path, sha, "store", e.kind, e.reason)
        return FileOutcome(path, FAILED, None, sha, "store", e.kind, e.reason)
    return FileOutcome(path, result.status, result.doc_id, sha)


def _lake_datasink_class():
    from ray.data import Datasink
    from ray.data.block import BlockAccessor

    class LakeDatasink(Datasink):
        """Writes each processed file to the lake, one document per transaction."""

        def __init__(self, lake: LakeConfig):
            self.lake = lake
            self.outcomes: list[FileOutcome] = []

        def write(self, blocks, ctx) -> list[dict]:
            outcomes = []
            writer = _writer(self.lake)
            try:
                for block in blocks:
                    for row in BlockAccessor.for_block(block).to_arrow().to_pylist():
                        outcomes.append(dataclasses.asdict(store_row(writer, row)))
            except BaseException:
                _drop_writer(self.lake)          # a retry starts from a fresh connection
                raise
            return outcomes

        def on_write_complete(self, write_result) -> None:
            for chunk in write_result.write_returns:
                self.outcomes.extend(FileOutcome(**o) for o in chunk)

        def get_name(self) -> str:
            return "DuckLake"

    return LakeDatasink


def _run(files: Sequence[str], lake: LakeConfig, workers: int, known_ref, files_per_task: int,
         max_retries: int, take_all: bool = False) -> list[FileOutcome]:
    import ray
    from ray.data import DataContext, TaskPoolStrategy

    ctx = DataContext.get_current()
    saved = ctx.max_errored_blocks
    ctx.max_errored_blocks = -1          # a block that exhausts its retries is isolated, not fatal
    try:
        sink = _lake_datasink_class()(lake)
        remote = {"max_retries": max_retries, "num_cpus": 1}
        ds = ray.data.from_items([{"path": p} for p in files],
                                 override_num_blocks=max(1, math.ceil(len(files) / files_per_task)))
        with warnings.catch_warnings():     # max_retries has no named parameter in Ray 2.60 yet
            warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
            ds = ds.map_batches(process_batch, batch_size=None, fn_kwargs={"known": known_ref, "take_all": take_all},
                                compute=TaskPoolStrategy(size=workers), **remote)
        ds.write_datasink(sink, concurrency=workers, ray_remote_args=dict(remote))
        return sink.outcomes
    finally:
        ctx.max_errored_blocks = saved


def _ensure_ray(address: Optional[str], num_workers: Optional[int]) -> bool:
    """Connect to the cluster at `address` ("auto": the one started on this machine), or
    start a private local one; True when this call started Ray (and must stop it)."""
    import ray
    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=num_workers or None, include_dashboard=False, log_to_driver=False,
                 object_store_memory=OBJECT_STORE_BYTES)
    return True


def import_with_ray(paths: Iterable[Union[str, Path]], lake: LakeConfig, address: Optional[str] = None,
                    num_workers: Optional[int] = None, *, exclude: Sequence[str] = (),
                    files_per_task: int = FILES_PER_TASK, max_retries: int = MAX_RETRIES,
                    compact: bool = True, progress: bool = False, take_all: bool = False) -> ImportSummary:
    """Import files and folders into the lake with Ray Data; see the module docstring.

    `address`: a running cluster ("auto", "10.0.0.1:6379"), or None to start a local one
    (or use the Ray this process is already connected to). `num_workers`: tasks run at once
    (default: the cluster's CPUs). `compact`: afterwards move the small inlined commits to
    Parquet (`lake.compact_lake`). `progress`: Ray Data's progress bars on stderr.
    `take_all`: read files that are not documents too (`vanban import --all`).
    """
    import ray
    from ray.data import DataContext

    started = time.monotonic()
    files = [absolute_path(f) for f in iter_files(paths, exclude)]
    summary = ImportSummary(files=len(files))
    if not files:
        return summary
    with LakeWriter(lake) as writer:            # creates the lake's tables before workers race
        known = frozenset(writer.known_shas())
    we_started = _ensure_ray(address, num_workers)
    try:
        DataContext.get_current().enable_progress_bars = progress
        workers = num_workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        known_ref = ray.put(known)
        outcomes = _run(files, lake, workers, known_ref, files_per_task, max_retries, take_all)
        settled = {o.path for o in outcomes}
        left = [p for p in files if p not in settled]
        if left:                               # blocks that failed every retry: one file per task
            log.warning("%d files not settled after %d retries; running them one file per task",
                        len(left), max_retries)
            outcomes += _run(left, lake, workers, known_ref, 1, max_retries, take_all)
            settled = {o.path for o in outcomes}
            left = [p for p in files if p not in settled]
        if left:
            with LakeWriter(lake) as writer:
                for path in left:
                    data = _read(path)
                    sha = hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else None
                    message = "the process reading this file died on every try (a crash in a parser or out of memory)"
                    writer.record_error(path, sha, "worker", "WorkerCrashed", message)
                    outcomes.append(FileOutcome(path, FAILED, None, sha, "worker", "WorkerCrashed", message))
    finally:
        if we_started:
            ray.shutdown()
    for o in outcomes:
        if o.status == FAILED:
            summary.failed.append(o)
        elif o.status == ALREADY:
            summary.already_stored += 1
        elif o.status == SKIPPED:
            summary.skipped.append(o)
        else:
            summary.imported += 1
    if compact and summary.imported:
        compact_lake(lake)
    summary.seconds = time.monotonic() - started
    return summary
