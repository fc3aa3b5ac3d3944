"""The archive as the server's process sees it: short read-only openings for each request,
and uploads read in the intake's worker process and stored by this one.

Lists are of notices, not files (issue 13; `pipeline.store.browse`): one notice held as a
draft, a PDF and a scan is one row with its three files under it.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

from pipeline.importer import FileOutcome
from pipeline.intake import Intake
from pipeline.server.models import Counts, Summary
from pipeline.server.upload import Received
from pipeline.store import browse
from pipeline.store.duckdb import Store, open_store
from pipeline.store.paths import STORED_AT, UPLOADED_AS, current_file, find_by_path

READ_TIMEOUT = 60.0


class Archive:
    """Reads and uploads over one database file. Every open in this process is serialised
    (DuckDB refuses a read-only and a writable connection to one file in one process) and
    short; imports run one at a time, read in the intake's worker process, stored here
    under the same lock."""

    def __init__(self, db_path: Path, upload_dir: Path):
        self.db_path = db_path
        self.upload_dir = upload_dir
        self.lock = threading.Lock()
        # this process now stores the uploads (the worker only reads them): the intake's
        # writes take the readers' lock, never two kinds of connection to the file at once
        self.intake = Intake(db_path, store_lock=self.lock)

    @contextmanager
    def read(self) -> Iterator[Store]:
        with self.lock, open_store(self.db_path, read_only=True, timeout=READ_TIMEOUT) as store:
            yield store

    def document(self, doc_id: str) -> Optional[dict[str, Any]]:
        with self.read() as store:
            if not store.query("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id])[1]:
                return None
            doc = store.document(doc_id)
            links: dict[str, list[dict]] = {}
            for r in store.records("SELECT DISTINCT ref, cited_doc_id, cited_subject FROM citation_links "
                                   "WHERE citing_doc_id = ? AND cited_doc_id IS NOT NULL ORDER BY cited_doc_id",
                                   [doc_id]):
                links.setdefault(r["ref"], []).append({"doc_id": r["cited_doc_id"], "subject": r["cited_subject"]})
            doc["notice"] = browse.notice_of(store, doc_id)
        for c in doc["citations"]:
            c["resolved"] = [x["doc_id"] for x in links.get(c["ref"], [])]
            c["resolved_subjects"] = [x["subject"] for x in links.get(c["ref"], [])]
        return doc

    def summary(self, doc_id: str) -> Summary:
        with self.read() as store:
            h = store.records("SELECT * FROM documents WHERE doc_id = ?", [doc_id])[0]
            counts = {t: store.query(f'SELECT count(*) FROM "{t}" WHERE doc_id = ?', [doc_id])[1][0][0]
                      for t in Counts.model_fields}
        return Summary(**{k: h.get(k) for k in Summary.model_fields if k != "counts"}, counts=Counts(**counts))

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        """The notices stored last, one row each with its files (`browse.recent_notices`)."""
        with self.read() as store:
            return _local_times(browse.recent_notices(store, limit))

    def other_files(self, limit: int = 50) -> list[dict[str, Any]]:
        """Files stored but flagged as no official notice, listed apart from the notices."""
        with self.read() as store:
            return _local_times(browse.other_files(store, limit))

    def counts(self) -> dict[str, int]:
        with self.read() as store:
            return browse.archive_counts(store)

    def recent_errors(self, limit: int = 10) -> list[dict[str, Any]]:
        with self.read() as store:
            return store.records('SELECT source_path, error, stage, message, "at" FROM import_errors '
                                 'ORDER BY "at" DESC LIMIT ?', [limit])

    def search(self, q: str, limit: int):
        from pipeline.store.search import search
        with self.lock:
            return search(self.db_path, q, limit, timeout=READ_TIMEOUT)

    def import_received(self, f: Received) -> FileOutcome:
        return self.intake.import_file(f.path.read_bytes(), f"upload://{f.name}", path_kind=UPLOADED_AS,
                                       also=((str(f.path.resolve()), STORED_AT),))

    def find(self, path: str) -> list[str]:
        """The doc_ids seen at `path` (absolute, relative to the server's folder, a file name)."""
        with self.read() as store:
            return find_by_path(store, path)

    def file_of(self, doc_id: str) -> Optional[tuple[Path, str]]:
        """The file holding the document's bytes now, and the name to download it as."""
        with self.read() as store:
            found = current_file(store, doc_id)
            if found is None:
                return None
            _, rows = store.query("SELECT source_path FROM documents WHERE doc_id = ?", [doc_id])
        name = rows[0][0].rsplit("/", 1)[-1] if rows else found.name
        return found, name



def _local_times(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """imported_at is stored as local time; say so (RFC 3339)."""
    for r in rows:
        r["imported_at"] = r["imported_at"].astimezone()
        for f in r.get("files", []):
            f["imported_at"] = f["imported_at"].astimezone()
    return rows
