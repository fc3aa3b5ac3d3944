"""`vanban watch`: a folder where scanners and clerks drop notices.

Every file that appears in the inbox (or a subfolder of it) is imported once it is completely
written, then moved to `INBOX/done/` (imported, or those bytes were already stored) or to
`INBOX/failed/` beside `NAME.error.txt` saying why (a failure, or a file that is not a
document: JSON, a spreadsheet, Thumbs.db…, recorded in `skipped_files`). It is imported by
the same code as `vanban import` (`pipeline.intake` → `pipeline.importer.import_bytes`) and
recorded under its absolute path in the inbox, as `vanban import INBOX` records it; the
path in `done/` it is moved to is recorded too (`document_paths`, kind `moved-to`).

- **Completely written**: a file is taken when its size and mtime have not changed for
  `settle_seconds` and it can be opened; its size and mtime are checked again after it is
  read, and a file that changed meanwhile waits for the next quiet spell.
- **Runs until stopped**: `stop_event` set (the CLI sets it on Ctrl-C or SIGTERM) ends the
  loop after the file in hand; a second Ctrl-C kills the worker at once, the file is not
  stored (a write under way is rolled back) and stays in the inbox.
- **Survives every bad file**: a file that fails goes to failed/; a file that crashes the
  parser too: it is read in the import's warm worker (`pipeline.workpool`, through
  `pipeline.intake`), which a crash costs that file alone; the worker is replaced then, or
  when its memory passes the limit, never after a count of files. A database that is busy
  or broken leaves the file where it is, to be tried again.
- **Catches up**: the inbox is scanned at start and every `rescan_seconds` (events can be
  missed), so files that arrived while it was down are imported when it starts again.
- **Never imports the same bytes twice**: the store knows every sha256; a copy of stored
  bytes is moved to done/ as "already stored".

Ignored: `done/`, `failed/`, hidden files and folders, and temporary files (`~$…`, `*.part`,
`*.crdownload`, `*.tmp`, `*.partial`, `*.swp`, `*~`).
"""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Callable, Optional, Union

from pipeline.errors import StoreError
from pipeline.importer import ALREADY, FAILED, IMPORTED, SKIPPED, FileOutcome
from pipeline.intake import Intake
from pipeline.store.duckdb import DEFAULT_DB, open_store, record_import_error
from pipeline.store.paths import MOVED_TO

log = logging.getLogger("vanban.watch")

DEFAULT_INBOX = Path("data/raw")
DONE, FAILED_DIR = "done", "failed"
TEMP_PATTERNS = ("~$*", "*.part", "*.crdownload", "*.tmp", "*.partial", "*.swp", "*~", "*.error.txt")
SETTLE_SECONDS = 2.0       # a file must keep its size and mtime this long before it is read
POLL_SECONDS = 0.2         # how often waiting files are looked at
RESCAN_SECONDS = 30.0      # a full scan of the inbox, for events the OS did not deliver
OPEN_GRACE_SECONDS = 60.0  # a quiet file that still cannot be opened after this is failed
RETRY_SECONDS = 10.0       # a file the database could not take is tried again after this


@dataclass
class WatchSummary:
    imported: int = 0
    already_stored: int = 0
    failed: int = 0
    skipped: int = 0
    outcomes: list[FileOutcome] = field(default_factory=list)


OutcomeFn = Callable[[FileOutcome, Path], None]


def is_candidate(path: Path, inbox: Path) -> bool:
    """A file the watcher should take: inside the inbox, not in done/ or failed/, not hidden,
    not a temporary file."""
    try:
        rel = path.relative_to(inbox)
    except ValueError:
        return False
    parts = rel.parts
    if not parts or parts[0] in (DONE, FAILED_DIR):
        return False
    if any(p.startswith(".") for p in parts):
        return False
    return not any(fnmatch(parts[-1], g) for g in TEMP_PATTERNS)


def scan(inbox: Path) -> list[Path]:
    """Every candidate file under the inbox, sorted."""
    found = []
    for root, dirs, files in os.walk(inbox):
        rootp = Path(root)
        dirs[:] = sorted(d for d in dirs if is_candidate(rootp / d / "x", inbox))
        found += [rootp / f for f in sorted(files) if is_candidate(rootp / f, inbox)]
    return found


def _unique_target(folder: Path, rel: Path, sha: Optional[str]) -> Path:
    target = folder / rel
    if not target.exists() and not target.with_name(target.name + ".error.txt").exists():
        return target
    tag = (sha or "")[:8] or time.strftime("%Y%m%d%H%M%S")
    n = 0
    while True:
        stem = f"{target.stem}.{tag}" + (f".{n}" if n else "")
        candidate = target.with_name(stem + target.suffix)
        if not candidate.exists():
            return candidate
        n += 1


def _error_text(outcome: FileOutcome, original: Path) -> str:
    return (f"file: {original}\n"
            f"status: {outcome.status}\n"
            f"error: {outcome.error}\n"
            f"stage: {outcome.stage}\n"
            f"reason: {outcome.message}\n"
            f"sha256: {outcome.sha256 or '-'}\n"
            f"at: {time.strftime('%Y-%m-%d %H:%M:%S')}\n")


def settle(path: Path, outcome: FileOutcome, inbox: Path) -> Path:
    """Move an imported file to done/, a failed or skipped one to failed/ beside
    NAME.error.txt; return where it went. The error file is written first: a kill between the
    two leaves the file in the inbox, to be tried again."""
    rel = path.relative_to(inbox)
    failed = outcome.status in (FAILED, SKIPPED)
    target = _unique_target(inbox / (FAILED_DIR if failed else DONE), rel, outcome.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if failed:
        target.with_name(target.name + ".error.txt").write_text(_error_text(outcome, path), encoding="utf-8")
    os.replace(path, target)
    return target


class _Events:
    """watchdog events → candidate paths on a queue."""

    def __init__(self, inbox: Path, q: "queue.Queue[Path]"):
        from watchdog.events import FileSystemEventHandler

        outer = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.is_directory:
                    if event.event_type in ("created", "moved"):
                        outer.q.put(Path(os.fsdecode(getattr(event, "dest_path", "") or event.src_path)))
                    return
                for p in (getattr(event, "dest_path", None), event.src_path):
                    if p and event.event_type != "deleted":
                        outer.q.put(Path(os.fsdecode(p)))
                        break

        self.inbox, self.q = inbox, q
        self.handler = Handler()
        self.observer = None

    def start(self) -> None:
        from watchdog.observers import Observer
        self.observer = Observer()
        self.observer.schedule(self.handler, str(self.inbox), recursive=True)
        self.observer.start()

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)


@dataclass
class _Waiting:
    size: int
    mtime_ns: int
    since: float                  # when size and mtime last changed (or were first seen)
    not_before: float = 0.0       # retry after a database error
    unopenable_since: Optional[float] = None


def _stat(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    return st.st_size, st.st_mtime_ns


def watch(inbox: Union[str, Path] = DEFAULT_INBOX, db_path: Union[str, Path] = DEFAULT_DB,
          stop_event: Optional[threading.Event] = None, settle_seconds: float = SETTLE_SECONDS,
          on_outcome: Optional[OutcomeFn] = None, isolate: bool = True,
          poll_seconds: float = POLL_SECONDS, rescan_seconds: float = RESCAN_SECONDS) -> WatchSummary:
    """Watch `inbox` and import what appears into the database at `db_path` until
    `stop_event` is set; see the module docstring. `on_outcome(outcome, moved_to)` is called
    for each file settled. Returns what was done."""
    inbox = Path(inbox).resolve()          # the same absolute paths as `vanban import` records
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / DONE).mkdir(exist_ok=True)
    (inbox / FAILED_DIR).mkdir(exist_ok=True)
    stop_event = stop_event or threading.Event()
    with open_store(db_path):           # create and migrate now: a broken database fails fast
        pass
    summary = WatchSummary()
    q: "queue.Queue[Path]" = queue.Queue()
    waiting: dict[Path, _Waiting] = {}
    events = _Events(inbox, q)
    events.start()                      # before the scan: nothing slips between the two
    last_scan = 0.0
    intake = Intake(db_path, isolate=isolate)
    intake.warm()                       # the worker builds the pipeline while the inbox is scanned
    log.info("watching %s → %s", inbox, db_path)
    try:
        while not stop_event.is_set():
            now = time.monotonic()
            if now - last_scan >= rescan_seconds:
                for p in scan(inbox):
                    q.put(p)
                last_scan = now
            while True:
                try:
                    p = q.get_nowait()
                except queue.Empty:
                    break
                if p.is_dir():
                    if is_candidate(p / "x", inbox):
                        for f in scan(p):
                            q.put(f)
                    continue
                if p not in waiting and is_candidate(p, inbox):
                    st = _stat(p)
                    if st is not None:
                        waiting[p] = _Waiting(st[0], st[1], now)
            for p in sorted(waiting):
                if stop_event.is_set():
                    break
                _look_at(p, waiting, inbox, intake, db_path, settle_seconds, summary, on_outcome)
            stop_event.wait(poll_seconds)
    except KeyboardInterrupt:
        log.warning("stopped at once: the file in hand was rolled back and stays in the inbox")
        intake.close(force=True)
        raise
    finally:
        events.stop()
        intake.close()
    return summary


def _look_at(p: Path, waiting: dict, inbox: Path, intake: Intake, db_path, settle_seconds: float,
             summary: WatchSummary, on_outcome: Optional[OutcomeFn]) -> None:
    w = waiting[p]
    now = time.monotonic()
    st = _stat(p)
    if st is None:                                  # moved away or deleted
        del waiting[p]
        return
    if st != (w.size, w.mtime_ns):                  # still being written
        w.size, w.mtime_ns, w.since = st[0], st[1], now
        return
    if now - w.since < settle_seconds or now < w.not_before:
        return
    try:
        with open(p, "rb") as f:
            data = f.read()
    except OSError as e:
        w.unopenable_since = w.unopenable_since or now
        if now - w.unopenable_since < OPEN_GRACE_SECONDS:
            return
        outcome = FileOutcome(str(p), FAILED, None, None, "read", type(e).__name__,
                              f"cannot open file: {e.strerror or e}")
        try:
            record_import_error(db_path, str(p), None, "read", outcome.error, outcome.message)
        except StoreError as se:
            log.error("database: %s", se)
            w.not_before = now + RETRY_SECONDS
            return
        _finish(p, outcome, waiting, inbox, summary, on_outcome)
        return
    if _stat(p) != st:                              # written to while we read it
        w.size, w.mtime_ns, w.since = -1, -1, now
        return
    try:
        outcome = intake.import_file(data, str(p))
    except StoreError as e:
        log.error("%s: the database did not take it (%s); trying again in %.0fs", p, e.reason, RETRY_SECONDS)
        w.not_before = now + RETRY_SECONDS
        return
    _finish(p, outcome, waiting, inbox, summary, on_outcome, intake)


def _finish(p: Path, outcome: FileOutcome, waiting: dict, inbox: Path, summary: WatchSummary,
            on_outcome: Optional[OutcomeFn], intake: Optional[Intake] = None) -> None:
    try:
        target = settle(p, outcome, inbox)
    except OSError as e:
        log.error("%s: %s but could not be moved: %s", p, outcome.status, e)
        target = p
    waiting.pop(p, None)
    if outcome.doc_id and intake is not None and target != p:
        try:
            intake.record_path(outcome.doc_id, target, MOVED_TO)
        except StoreError as e:      # stored and moved; only its new place goes unrecorded
            log.error("%s: moved to %s, but the database did not take the new path: %s", p, target, e.reason)
    if outcome.status == IMPORTED:
        summary.imported += 1
    elif outcome.status == ALREADY:
        summary.already_stored += 1
    elif outcome.status == SKIPPED:
        summary.skipped += 1
    else:
        summary.failed += 1
    summary.outcomes.append(outcome)
    log.info("%s: %s → %s", p.name, outcome.status, target)
    if on_outcome:
        on_outcome(outcome, target)


if __name__ == "__main__":
    # the command (its options, Ctrl-C and printing) is the CLI's: `vanban watch` registers it
    # without importing this module (issue 14), and this entry point runs the same one
    import typer

    from pipeline.cli import watch_cmd
    typer.run(watch_cmd)
