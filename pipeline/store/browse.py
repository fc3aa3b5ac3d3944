"""What a reader browses: the archive as notices, each with the files that hold it (issue 13).

An archive keeps one notice as several files (the Word draft, the portal's PDF, the signed
scan); a list of files shows it four times. Every list a person reads (the page, the API, `vanban
show`) goes through here, so each notice is one row, headed by its chosen file
(`notices.doc_id`: text over scans, the fullest header), with its files listed under it.
Files that read but carry no mark of an official notice (`documents.is_notice = false`) are
listed apart, never as notices.

Functions over an open `Store` (its `query` turns DuckDB's errors into ours); they return
plain dicts, as `Store.records` does, for the server's models and the CLI to print.
"""
from __future__ import annotations

from typing import Any, Optional

# the header a list row shows, from the chosen file
_ROW = ("d.doc_id, d.notice_id, d.source_path, d.number, d.symbol, d.doc_type_name, d.issuer, "
        "d.issued_date, d.subject, d.is_notice, "
        "(SELECT count(*) FROM tasks t WHERE t.doc_id = d.doc_id) AS tasks")
# a file as listed under its notice
_FILE = "doc_id, notice_id, role, format, source_path, pages, imported_at"


def recent_notices(store, limit: int = 50) -> list[dict[str, Any]]:
    """The notices stored last (by their newest file), newest first: the chosen file's
    header, its task count, and `files`, every file of the notice (the chosen one first)."""
    # notice_documents: one row per notice, plus a file no writer linked (notice_id NULL)
    rows = store.records(
        f"SELECT {_ROW}, coalesce((SELECT max(f.imported_at) FROM documents f "
        f"WHERE f.notice_id = d.notice_id), d.imported_at) AS imported_at "
        f"FROM notice_documents d ORDER BY imported_at DESC, d.doc_id LIMIT ?", [int(limit)])
    files = files_of_notices(store, [r["notice_id"] for r in rows if r["notice_id"] is not None])
    for r in rows:
        r["files"] = files.get(r["notice_id"]) or _alone(store, r["doc_id"])
    return rows


def other_files(store, limit: int = 50) -> list[dict[str, Any]]:
    """Files stored as read but flagged as no official notice, newest first: listed apart."""
    rows = store.records(f"SELECT {_ROW}, d.imported_at, d.role, d.format FROM documents d "
                         f"WHERE d.is_notice = false ORDER BY d.imported_at DESC, d.doc_id LIMIT ?",
                         [int(limit)])
    for r in rows:
        r["files"] = []
    return rows


def files_of_notices(store, notice_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """notice_id → its files, the chosen one first, then by path; each with `chosen`."""
    if not notice_ids:
        return {}
    rows = store.records(
        f"SELECT {', '.join('d.' + c for c in _FILE.split(', '))}, d.doc_id = n.doc_id AS chosen "
        f"FROM documents d JOIN notices n ON n.notice_id = d.notice_id "
        f"WHERE d.notice_id IN (SELECT unnest(?)) ORDER BY d.notice_id, chosen DESC, d.source_path",
        [sorted(set(notice_ids))])
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["notice_id"], []).append(r)
    return out


def _alone(store, doc_id: str) -> list[dict[str, Any]]:
    """A file that is a notice by itself (no notices row yet): its one file, chosen."""
    rows = store.records(f"SELECT {_FILE}, true AS chosen FROM documents WHERE doc_id = ?", [doc_id])
    return rows


def notice_of(store, doc_id: str) -> Optional[dict[str, Any]]:
    """The notice the stored file `doc_id` belongs to: `notice_id`, `doc_id` (its chosen
    file) and `files` (all of them, the chosen one first, each with `chosen` and `this`);
    None when the file is no notice (`is_notice = false`) or no writer linked it."""
    rows = store.records("SELECT n.notice_id, n.doc_id, n.files FROM documents d "
                         "JOIN notices n ON n.notice_id = d.notice_id WHERE d.doc_id = ?", [doc_id])
    if not rows:
        return None
    notice = rows[0]
    notice["files"] = files_of_notices(store, [notice["notice_id"]]).get(notice["notice_id"], [])
    for f in notice["files"]:
        f["this"] = f["doc_id"] == doc_id
    return notice


def archive_counts(store) -> dict[str, int]:
    """What the archive holds, as a person counts it: notices, the files that hold them,
    files that are no notice, files skipped as not documents, files that failed."""
    _, rows = store.query(
        "SELECT (SELECT count(*) FROM notice_documents), "
        "(SELECT count(*) FROM documents WHERE coalesce(is_notice, true)), "
        "(SELECT count(*) FROM documents WHERE is_notice = false), "
        "(SELECT count(*) FROM skipped_files), "
        "(SELECT count(DISTINCT source_path) FROM import_errors)")
    notices, files, other, skipped, failed = rows[0]
    return {"notices": notices, "files": files, "not_notices": other, "skipped": skipped, "failed": failed}
