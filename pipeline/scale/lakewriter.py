"""Writing to the DuckLake: one document per transaction, as `vanban import` writes DuckDB.

A writer takes PostgreSQL advisory locks (`lake._Locks`) on the document's sha256 and path,
then in one DuckLake transaction checks whether the sha256 is stored, inserts its rows, and
commits; a commit conflict is retried with backoff, never dropped. What it stores is what
the embedded store stores (issue 13):

- **every path** a copy was seen under, in `document_paths` (kind `imported`) as well as
  `sources`; paths arrive absolute (`ray_engine` makes them so, as `importer` does);
- **files that are not documents** in `skipped_files`, one row per path;
- **notices**: a new file is grouped with the files of its notice by the same code as the
  embedded store (`pipeline.store.linking.link_document`), inside the file's transaction.
  Grouping reads and rewrites other files' rows and numbers notices `max + 1`, so every
  write that groups holds one lake-wide lock (`notices`): the expensive reading and analysis
  run in parallel in the workers, only these short commits take turns.

DuckLake has no PRIMARY KEY, UNIQUE or ON CONFLICT: the locks keep each key once.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any, Optional, Sequence

import duckdb

from pipeline.model import Notice
from pipeline.scale.lake import MAX_ATTEMPTS, LakeConfig, _guard, _Locks, _rollback, _store_error, connect, is_conflict
from pipeline.store.duckdb import WriteResult
from pipeline.store.linking import link_document
from pipeline.store.paths import IMPORTED, SOURCE_KINDS
from pipeline.store.rows import TABLES, doc_id_for, notice_rows

NOTICES_LOCK = "notices"     # held by every write that groups files into notices


def _insert(con, qualified: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    sql = (f'INSERT INTO {qualified} ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
           f'VALUES {", ".join("(" + ", ".join("?" for _ in cols) + ")" for _ in rows)}')
    con.execute(sql, [r[c] for r in rows for c in cols])


class LakeWriter:
    """A writer's open lake: a DuckDB connection with the lake attached (and current, so the
    embedded store's grouping code runs on it unchanged), and a connection to the catalog for
    the locks. Use as a context manager; not thread-safe."""

    def __init__(self, lake: LakeConfig):
        self.lake = lake
        self.con = connect(lake)
        self.locks = _Locks(lake).__enter__()
        self.retries = 0                 # conflicts retried, for the curious
        a = lake.alias
        with _guard(lake, "making the lake the current database"):
            self.con.execute(f'USE "{a}"')
        self._t = {t: f'"{a}"."{t}"' for t in TABLES + ["sources", "import_errors", "document_paths",
                                                          "skipped_files"]}

    def close(self) -> None:
        try:
            self.locks.close()
        finally:
            if self.con is not None:
                self.con.close()
                self.con = None

    def __enter__(self) -> "LakeWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _transaction(self, names: Sequence[str], doing: str, body):
        """Run `body(con)` in one transaction under the locks of `names`; retry conflicts."""
        delay = 0.05
        for attempt in range(MAX_ATTEMPTS):
            with self.locks.hold(names):
                con = self.con
                try:
                    con.begin()
                    result = body(con)
                    con.commit()
                    return result
                except duckdb.Error as e:
                    _rollback(con)
                    if not is_conflict(e) or attempt == MAX_ATTEMPTS - 1:
                        raise _store_error(e, self.lake, doing) from e
                except BaseException:
                    _rollback(con)
                    raise
            self.retries += 1
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 2.0)

    def write_notice(self, notice: Notice, source_path: Optional[str] = None,
                     path_kind: str = IMPORTED) -> WriteResult:
        """Store one notice and group it with its notice's other files, in one transaction,
        unless its sha256 is stored already; either way note `source_path` as a `path_kind`
        path of it and clear its import_errors and skipped_files rows."""
        source_path = str(source_path or notice.source_path)
        sha = notice.sha256
        t = self._t

        def body(con):
            now = dt.datetime.now()
            stored = con.execute(f"SELECT min(doc_id) FROM {t['documents']} WHERE sha256 = ?", [sha]).fetchone()[0]
            if stored:
                doc_id, status = stored, "already stored"
            else:
                doc_id, status = doc_id_for(sha), "imported"
                rows = notice_rows(notice.model_copy(update={"source_path": source_path}), now)
                for table in TABLES:
                    _insert(con, t[table], rows[table])
                link_document(con, doc_id)
            self._add_path(con, doc_id, sha, source_path, path_kind, now)
            self._clear_records(con, sha, source_path)
            return WriteResult(doc_id, status)

        return self._transaction([f"doc:{sha}", f"path:{source_path}", NOTICES_LOCK],
                                 f"storing {source_path}", body)

    def _clear_records(self, con, sha: str, path: str) -> None:
        """A file that stored is no failure and no skipped file any more (read first: a
        DuckLake DELETE that removes nothing still writes a snapshot)."""
        t = self._t
        errors, skipped = con.execute(
            f"SELECT (SELECT count(*) FROM {t['import_errors']} WHERE sha256 = $1 OR source_path = $2), "
            f"(SELECT count(*) FROM {t['skipped_files']} WHERE sha256 = $1 OR path = $2)", [sha, path]).fetchone()
        if errors:
            con.execute(f"DELETE FROM {t['import_errors']} WHERE sha256 = ? OR source_path = ?", [sha, path])
        if skipped:
            con.execute(f"DELETE FROM {t['skipped_files']} WHERE sha256 = ? OR path = ?", [sha, path])

    def _add_path(self, con, doc_id: str, sha: str, path: str, kind: str, now: dt.datetime) -> None:
        """`paths.record_path` for the lake: document_paths (first and last seen), and
        sources for the kinds it has always held."""
        t = self._t
        if con.execute(f"SELECT 1 FROM {t['document_paths']} WHERE doc_id = ? AND path = ? AND kind = ?",
                       [doc_id, path, kind]).fetchone():
            con.execute(f"UPDATE {t['document_paths']} SET last_seen = ? WHERE doc_id = ? AND path = ? AND kind = ?",
                        [now, doc_id, path, kind])
        else:
            con.execute(f"INSERT INTO {t['document_paths']} VALUES (?, ?, ?, ?, ?, ?)",
                        [doc_id, sha, path, kind, now, now])
        if kind in SOURCE_KINDS and not con.execute(
                f"SELECT 1 FROM {t['sources']} WHERE doc_id = ? AND source_path = ?", [doc_id, path]).fetchone():
            con.execute(f"INSERT INTO {t['sources']} VALUES (?, ?, ?)", [doc_id, path, now])

    def record_source(self, sha256: str, source_path: str, path_kind: str = IMPORTED) -> Optional[str]:
        """Note that stored bytes were seen again under `source_path`; their doc_id, or None
        when the sha256 is not stored."""
        def body(con):
            row = con.execute(f"SELECT doc_id FROM {self._t['documents']} WHERE sha256 = ?", [sha256]).fetchone()
            if row is None:
                return None
            self._add_path(con, row[0], sha256, str(source_path), path_kind, dt.datetime.now())
            return row[0]

        return self._transaction([f"doc:{sha256}", f"path:{source_path}"], f"recording {source_path}", body)

    def record_skipped(self, path: str, sha256: str, kind: str, reason: str) -> None:
        """Record a file that is not a document (one row per path); it replaces a failure
        recorded for the same bytes or path."""
        path = str(path)
        t = self._t

        def body(con):
            con.execute(f"DELETE FROM {t['skipped_files']} WHERE path = ?", [path])
            con.execute(f"INSERT INTO {t['skipped_files']} VALUES (?, ?, ?, ?, ?)",
                        [path, sha256, kind, reason, dt.datetime.now()])
            if con.execute(f"SELECT count(*) FROM {t['import_errors']} WHERE sha256 = ? OR source_path = ?",
                           [sha256, path]).fetchone()[0]:
                con.execute(f"DELETE FROM {t['import_errors']} WHERE sha256 = ? OR source_path = ?", [sha256, path])

        self._transaction([f"path:{path}", f"doc:{sha256}"], f"recording the skipped file {path}", body)

    def record_error(self, source_path: str, sha256: Optional[str], stage: str, error: str,
                     message: str) -> None:
        """Record why a file failed; a file failing again replaces its row (attempts counts)."""
        source_path = str(source_path)
        t = self._t["import_errors"]

        def body(con):
            prev = con.execute(f"SELECT max(attempts) FROM {t} WHERE source_path = ? "
                               "AND sha256 IS NOT DISTINCT FROM ?", [source_path, sha256]).fetchone()[0]
            if prev:
                con.execute(f"DELETE FROM {t} WHERE source_path = ? AND sha256 IS NOT DISTINCT FROM ?",
                            [source_path, sha256])
            con.execute(f"INSERT INTO {t} VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [source_path, sha256, stage, error, message, (prev or 0) + 1, dt.datetime.now()])

        names = [f"path:{source_path}"] + ([f"doc:{sha256}"] if sha256 else [])
        self._transaction(names, f"recording the failure of {source_path}", body)

    def known_shas(self) -> set[str]:
        with _guard(self.lake, "reading the stored sha256s"):
            return {r[0] for r in self.con.execute(f"SELECT sha256 FROM {self._t['documents']}").fetchall()}


def store_notice_in_lake(lake: LakeConfig, notice: Notice, source_path: Optional[str] = None) -> WriteResult:
    """Open, store one notice, close: for callers that store one file at a time."""
    with LakeWriter(lake) as w:
        return w.write_notice(notice, source_path)
