"""The one module that talks to DuckDB. Everything else speaks `Store` and `StoreError`.

DuckDB lets one process at a time hold a database file open for writing, and a writer
excludes readers in other processes. So connections here are short-lived: `open_store`
retries a lock conflict with backoff for up to `timeout` seconds, the importer writes a
small batch and closes, and readers (`vanban query`, `search`, `show`, the notebook) open
read-only, read and close.

A writable open carries an older database forward through the steps of schema.sql it lacks;
a read-only open of an older database migrates it first (briefly writable), then reopens.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import random
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import duckdb

from pipeline.errors import StoreError
from pipeline.store.bulk import column_types, concat, insert_rows, strings_sql, to_json
from pipeline.store.linking import link_documents, rebuild_notices
from pipeline.store.paths import IMPORTED, find_by_path, paths_of, record_path, record_paths
from pipeline.store.rows import TABLES, doc_id_for, notice_rows

if TYPE_CHECKING:   # the model (pydantic) is loaded by those who make notices, not by readers
    from pipeline.model import Notice

# DuckDB's Python client looks for pandas at every bound parameter. Where pandas is not
# installed (the package's own dependencies do not bring it), each look is a failed import
# that walks sys.path: ~0.15 s of the 1 s that importing one .docx took (issue 14). Marked
# absent, each look fails at once; nothing in this process could import it anyway.
if "pandas" not in sys.modules and importlib.util.find_spec("pandas") is None:
    sys.modules["pandas"] = None

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
DEFAULT_DB = Path("data/processed/vanban.duckdb")
DEFAULT_TIMEOUT = 30.0      # seconds a reader waits for the writer to let go of the file
# DuckDB's own memory for a writable connection (it spills past it). Its default, 80% of the
# RAM, let the search index over 10,000 notices take the importer to 785 MiB; at 256 MB it
# stays at 406 MiB and builds as fast (measured, issue 14: the import's goal is < 1 GiB).
WRITER_MEMORY = os.environ.get("VANBAN_DUCKDB_MEMORY", "256MB")

_STEP = re.compile(r"^-- version: (\d+)\s*$", re.M)


def schema_steps() -> list[tuple[int, str]]:
    """The `(version, sql)` steps of schema.sql, in order."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    marks = list(_STEP.finditer(text))
    steps = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        steps.append((int(m.group(1)), text[m.end():end]))
    return steps


LATEST_VERSION = max(v for v, _ in schema_steps())


def fts_extension_path() -> Path:
    """The fts extension shipped by the pip package duckdb-extension-fts for this duckdb."""
    spec = importlib.util.find_spec("duckdb_extension_fts")
    if spec is None or not spec.submodule_search_locations:
        raise StoreError(None, "full-text search needs the package duckdb-extension-fts "
                               f"=={duckdb.__version__}; it is not installed")
    root = Path(list(spec.submodule_search_locations)[0])
    exact = root / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(root.rglob("fts.duckdb_extension"))
    if not found:
        raise StoreError(None, f"no fts.duckdb_extension inside {root}")
    return found[-1]


def is_lock_conflict(e: BaseException) -> bool:
    text = str(e)
    return isinstance(e, duckdb.Error) and ("Could not set lock" in text or "Conflicting lock" in text)


def _to_store_error(e: duckdb.Error, path: Path | str | None, doing: str) -> StoreError:
    if is_lock_conflict(e):
        return StoreError(str(path), f"the database is in use by another process while {doing}; "
                                     "try again when it is free", transient=True)
    reason = str(e).splitlines()[0] if str(e) else type(e).__name__
    return StoreError(str(path) if path else None, f"{doing}: {reason}")


@contextmanager
def _guard(path, doing: str):
    try:
        yield
    except duckdb.Error as e:
        raise _to_store_error(e, path, doing) from e


@contextmanager
def _refused(path, doing: str):
    """A value the driver will not take (a number too large for its column, text that is not
    UTF-8) is the notice's fault, like a row DuckDB rejects: a terminal StoreError."""
    try:
        yield
    except (ValueError, TypeError, OverflowError, RuntimeError) as e:
        raise StoreError(str(path) if path else None, f"{doing}: {type(e).__name__}: {e}") from e


@dataclass(frozen=True)
class WriteResult:
    doc_id: str
    status: str          # "imported" or "already stored"


class Store:
    """An open database. Use `open_store(...)`, preferably as a context manager."""

    def __init__(self, con: "duckdb.DuckDBPyConnection", path: Path, read_only: bool):
        self._con = con
        self.path = path
        self.read_only = read_only
        self._fts_loaded = False
        self._types: Optional[dict[str, dict[str, str]]] = None

    # -- lifetime -----------------------------------------------------------------------
    def close(self) -> None:
        if self._con is not None:
            with _guard(self.path, "closing the database"):
                self._con.close()
            self._con = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple]]:
        """Run one statement; return its column names and rows."""
        with _guard(self.path, "running the query"):
            cur = self._con.execute(sql, list(params) if params else None)
            if cur.description is None:
                return [], []
            return [d[0] for d in cur.description], cur.fetchall()

    def records(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cols, rows = self.query(sql, params)
        return [dict(zip(cols, r)) for r in rows]

    def schema_version(self) -> int:
        return _version(self._con)

    def tables(self) -> list[str]:
        """The base tables of the archive (not the search index's own tables)."""
        _, rows = self.query("SELECT table_name FROM information_schema.tables "
                             "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1")
        return [r[0] for r in rows]

    def known_shas(self) -> set[str]:
        return {r[0] for r in self.query("SELECT sha256 FROM documents")[1]}

    def counts(self) -> dict[str, int]:
        return {t: self.query(f'SELECT count(*) FROM "{t}"')[1][0][0] for t in self.tables()}

    def resolve_doc(self, key: str) -> str:
        """A doc_id, a prefix of one, a sha256, or any path the document was seen under
        (relative to the current folder or absolute; a file name) → the doc_id."""
        key = key.strip()
        by_path = find_by_path(self, key)
        _, rows = self.query(
            "SELECT doc_id, source_path FROM documents WHERE doc_id = ? OR sha256 = ? "
            "OR (length(?) >= 4 AND starts_with(doc_id, ?)) OR list_contains(?, doc_id) ORDER BY source_path",
            [key, key.lower(), key, key.lower(), by_path])
        if not rows:
            raise StoreError(str(self.path), f"no document matches {key!r} "
                                             "(give a doc_id, a sha256, a path or a file name)")
        if len(rows) > 1:
            listed = "; ".join(f"{d} {p}" for d, p in rows[:10])
            raise StoreError(str(self.path), f"{key!r} matches {len(rows)} documents: {listed}")
        return rows[0][0]

    def document(self, key: str) -> dict[str, Any]:
        """One notice as stored: its `documents` row and its rows of every other table."""
        doc_id = self.resolve_doc(key)
        out: dict[str, Any] = {"header": self.records("SELECT * EXCLUDE (text_folded, subject_folded) "
                                                      "FROM documents WHERE doc_id = ?", [doc_id])[0]}
        for table in TABLES[1:] + ["sources"]:
            order = {"sources": "seen_at", "field_confidence": "field", "doc_tables": "table_no",
                     "table_cells": 'table_no, "row", col'}.get(table, "ordinal")
            out[table] = self.records(f'SELECT * FROM "{table}" WHERE doc_id = ? ORDER BY {order}', [doc_id])
        for t in out["tasks"]:
            t.pop("text_folded", None)
        out["paths"] = paths_of(self, doc_id)
        return out

    # -- writing ------------------------------------------------------------------------
    def write_notice(self, notice: Notice, source_path: Optional[str] = None,
                     path_kind: str = IMPORTED) -> WriteResult:
        """Store one notice in one transaction, unless its sha256 is stored already; either
        way note `source_path` as a `path_kind` path of it (see `pipeline.store.paths`)."""
        result = self.write_notices([(notice, source_path, path_kind)])[0]
        if isinstance(result, StoreError):
            raise result
        return result

    def write_notices(self, items: Sequence[tuple[Notice, Optional[str], str]]
                      ) -> list[Union[WriteResult, StoreError]]:
        """Store `(notice, source_path, path_kind)` items as `write_notice` does, in one
        transaction: each table's rows of all the notices in one statement, their notices
        grouped once. When the batch fails, each notice is stored in a transaction of its
        own, so a notice whose rows are refused becomes a `StoreError` in its place and the
        others are stored; a notice is never half-stored either way."""
        items = [(n, str(p or n.source_path), k) for n, p, k in items]
        if not items:
            return []
        try:
            return self._write_batch(items)
        except StoreError as e:
            if e.transient:
                raise
            if len(items) == 1:
                return [e]
        results: list[Union[WriteResult, StoreError]] = []
        for item in items:
            try:
                results += self._write_batch([item])
            except StoreError as e:
                if e.transient:
                    raise
                results.append(e)
        return results

    def _write_batch(self, items: list[tuple[Notice, str, str]]) -> list[WriteResult]:
        con, now = self._con, dt.datetime.now()
        doing = f"storing {items[0][1]}" if len(items) == 1 else f"storing {len(items)} notices"
        with _guard(self.path, doing), _refused(self.path, doing):
            types = self._column_types()
            con.begin()
            try:
                shas = [n.sha256 for n, _, _ in items]
                known = dict(con.execute(f"SELECT sha256, doc_id FROM documents WHERE sha256 IN "
                                         f"{strings_sql()}", [to_json(shas)]).fetchall())
                results, new = [], []
                for notice, path, _ in items:
                    if notice.sha256 in known:
                        results.append(WriteResult(known[notice.sha256], "already stored"))
                        continue
                    known[notice.sha256] = doc_id_for(notice.sha256)
                    new.append(notice_rows(notice.model_copy(update={"source_path": path}), now))
                    results.append(WriteResult(known[notice.sha256], "imported"))
                rows = concat(new, TABLES)
                for table in TABLES:
                    insert_rows(con, table, rows[table], types.get(table, {}))
                link_documents(con, [r["doc_id"] for r in rows["documents"]])
                record_paths(self, [(r.doc_id, n.sha256, p, k) for r, (n, p, k) in zip(results, items)], now)
                paths = to_json([p for _, p, _ in items])
                con.execute(f"DELETE FROM import_errors WHERE sha256 IN {strings_sql('$1')} "
                            f"OR source_path IN {strings_sql('$2')}", [to_json(shas), paths])
                con.execute(f"DELETE FROM skipped_files WHERE sha256 IN {strings_sql('$1')} "
                            f"OR path IN {strings_sql('$2')}", [to_json(shas), paths])
                con.commit()
            except BaseException:
                _rollback(con)
                raise
        return results

    def _column_types(self) -> dict[str, dict[str, str]]:
        if self._types is None:
            self._types = column_types(self._con)
        return self._types

    def rebuild_notices(self) -> None:
        """Group every stored file into notices afresh, in one transaction (after files were
        flagged as no notice, or the matching rules changed)."""
        con = self._con
        with _guard(self.path, "grouping the files into notices"):
            con.begin()
            try:
                rebuild_notices(con)
                con.commit()
            except BaseException:
                _rollback(con)
                raise

    def record_source(self, sha256: str, source_path: str, path_kind: str = IMPORTED) -> Optional[str]:
        """Note that already-stored bytes were seen again under `source_path` (a `path_kind`
        path); return their doc_id, None when those bytes are not stored."""
        _, rows = self.query("SELECT doc_id FROM documents WHERE sha256 = ?", [sha256])
        if not rows:
            return None
        record_path(self, rows[0][0], sha256, str(source_path), path_kind)
        return rows[0][0]

    def record_path(self, doc_id: str, path: str, path_kind: str) -> None:
        """Note that the stored document `doc_id` is (also) at `path`, a `path_kind` path:
        where the watcher moved it, where the server keeps an upload."""
        _, rows = self.query("SELECT sha256 FROM documents WHERE doc_id = ?", [doc_id])
        if rows:
            record_path(self, doc_id, rows[0][0], str(path), path_kind)

    def record_skipped(self, path: str, sha256: str, kind: str, reason: str) -> None:
        """Record a file that is not a document; it replaces a failure recorded for the same
        bytes or path by a version that tried to read it."""
        con = self._con
        with _guard(self.path, f"recording the skipped file {path}"):
            con.begin()
            try:
                con.execute("INSERT OR REPLACE INTO skipped_files VALUES (?, ?, ?, ?, ?)",
                            [str(path), sha256, kind, reason, dt.datetime.now()])
                con.execute("DELETE FROM import_errors WHERE sha256 = ? OR source_path = ?", [sha256, str(path)])
                con.commit()
            except BaseException:
                _rollback(con)
                raise

    def record_error(self, source_path: str, sha256: Optional[str], stage: str, error: str,
                     message: str) -> None:
        """Record why a file failed; a file failing again replaces its row (attempts counts)."""
        con = self._con
        with _guard(self.path, f"recording the failure of {source_path}"):
            con.begin()
            try:
                prev = con.execute("SELECT max(attempts) FROM import_errors WHERE source_path = ? "
                                   "AND sha256 IS NOT DISTINCT FROM ?", [str(source_path), sha256]).fetchone()[0]
                con.execute("DELETE FROM import_errors WHERE source_path = ? AND sha256 IS NOT DISTINCT FROM ?",
                            [str(source_path), sha256])
                con.execute("INSERT INTO import_errors VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [str(source_path), sha256, stage, error, message, (prev or 0) + 1,
                             dt.datetime.now()])
                con.commit()
            except BaseException:
                _rollback(con)
                raise

    # -- search index -------------------------------------------------------------------
    def load_fts(self) -> None:
        if not self._fts_loaded:
            path = fts_extension_path()
            with _guard(self.path, f"loading the fts extension from {path}"):
                self._con.execute(f"LOAD '{path.as_posix()}'")
            self._fts_loaded = True

    def search_stamp(self) -> str:
        _, rows = self.query("SELECT (SELECT count(*) FROM documents) || '/' || (SELECT count(*) FROM tasks)"
                             " || '/' || coalesce(CAST((SELECT max(imported_at) FROM documents) AS VARCHAR), '')")
        return rows[0][0]

    def search_index_stale(self) -> bool:
        _, rows = self.query("SELECT value FROM schema_info WHERE key = 'fts_stamp'")
        if not rows or rows[0][0] != self.search_stamp():
            return True
        _, rows = self.query("SELECT count(*) FROM information_schema.schemata "
                             "WHERE schema_name IN ('fts_main_documents', 'fts_main_tasks')")
        return rows[0][0] < 2

    def rebuild_search_index(self) -> None:
        """(Re)build the fts indexes over the folded text of documents and tasks."""
        if self.read_only:
            raise StoreError(str(self.path), "the search index can only be rebuilt on a writable database")
        self.load_fts()
        opts = ("stemmer = 'none', stopwords = 'none', ignore = '(\\.|[^a-z0-9])+', "
                "strip_accents = 0, lower = 0, overwrite = 1")
        with _guard(self.path, "building the search index"):
            self._con.execute(f"PRAGMA create_fts_index('documents', 'doc_id', 'subject_folded', "
                              f"'text_folded', {opts})")
            self._con.execute(f"PRAGMA create_fts_index('tasks', 'task_id', 'text_folded', {opts})")
            self._con.execute("INSERT OR REPLACE INTO schema_info VALUES ('fts_stamp', ?)",
                              [self.search_stamp()])

    # -- export -------------------------------------------------------------------------
    def export_parquet(self, directory: str | Path) -> list[Path]:
        """Write every table as DIR/<table>.parquet; return the files written."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for table in self.tables():
            target = directory / f"{table}.parquet"
            with _guard(self.path, f"exporting {table} to {target}"):
                self._con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{_sql_str(target)}' (FORMAT parquet)")
            written.append(target)
        return written


def _sql_str(p: Path | str) -> str:
    return str(p).replace("'", "''")


def _rollback(con) -> None:
    try:
        con.rollback()
    except duckdb.Error:
        pass


def _version(con) -> int:
    try:
        row = con.execute("SELECT value FROM schema_info WHERE key = 'version'").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


# what a step needs done in Python after its SQL, in the same transaction: step 5 groups the
# files a database already holds into notices (the matching is not SQL); step 6 groups them
# again once the files that are no notice are flagged
_AFTER_STEP = {5: rebuild_notices, 6: rebuild_notices}


def migrate(con, path, upto: int | None = None) -> int:
    """Run the steps of schema.sql a database lacks, each in its own transaction."""
    current = _version(con)
    upto = LATEST_VERSION if upto is None else upto
    if current > LATEST_VERSION:
        raise StoreError(str(path), f"the database has schema version {current}, newer than this "
                                    f"vanban knows ({LATEST_VERSION}); upgrade vanban")
    for version, sql in schema_steps():
        if current < version <= upto:
            with _guard(path, f"migrating the database to schema version {version}"):
                con.begin()
                try:
                    con.execute(sql)
                    if version in _AFTER_STEP:
                        _AFTER_STEP[version](con)
                    con.execute("INSERT OR REPLACE INTO schema_info VALUES ('version', ?)", [str(version)])
                    con.commit()
                except BaseException:
                    _rollback(con)
                    raise
            current = version
    return current


def _connect(path: Path, read_only: bool, timeout: float, threads: Optional[int] = None):
    """Connect, retrying a lock conflict until `timeout`. A reader retries at least every
    0.1 s: the importer leaves the file closed for `importer.READER_GAP` (0.25 s) between
    its openings, and a reader must not sleep through that gap."""
    deadline = time.monotonic() + timeout
    delay, longest = 0.02, (0.1 if read_only else 0.25)
    while True:
        try:
            config: dict[str, Any] = {"autoinstall_known_extensions": False}
            if not read_only:
                config["memory_limit"] = WRITER_MEMORY
            if threads:
                config["threads"] = threads
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as e:
            if not is_lock_conflict(e) or time.monotonic() >= deadline:
                raise _to_store_error(e, path, "opening the database") from e
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())) * random.uniform(0.5, 1.0))
        delay = min(delay * 2, longest)


def open_store(path: str | Path = DEFAULT_DB, *, read_only: bool = False,
               timeout: float = DEFAULT_TIMEOUT, migrate_upto: int | None = None,
               threads: int | None = None) -> Store:
    """Open (and, when writable, create and migrate) the database at `path`.

    A lock held by another process is waited for, up to `timeout` seconds, then a transient
    `StoreError` is raised. `threads` caps DuckDB's threads for this connection (default: the
    cores); the importer's writer uses one, beside workers that hold the cores.
    """
    path = Path(path)
    if read_only:
        if not path.exists():
            raise StoreError(str(path), "no database here yet; import some files first "
                                        "(vanban import PATH --db ...)")
        con = _connect(path, True, timeout)
        if _version(con) < LATEST_VERSION:
            con.close()
            open_store(path, timeout=timeout).close()      # carry it forward, then read
            con = _connect(path, True, timeout)
        return Store(con, path, True)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, False, timeout, threads)
    try:
        migrate(con, path, migrate_upto)
    except BaseException:
        con.close()
        raise
    return Store(con, path, False)


def store_notice(db_path: str | Path, notice: Notice, source_path: Optional[str] = None,
                 timeout: float = 120.0) -> WriteResult:
    """Open, store one notice, close: for callers that store one file at a time."""
    with open_store(db_path, timeout=timeout) as store:
        return store.write_notice(notice, source_path)


def record_import_error(db_path: str | Path, source_path: str, sha256: Optional[str], stage: str,
                        error: str, message: str, timeout: float = 120.0) -> None:
    """Open, record one failed file in import_errors, close."""
    with open_store(db_path, timeout=timeout) as store:
        store.record_error(source_path, sha256, stage, error, message)
