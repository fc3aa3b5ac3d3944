"""Where a document's files are: every path a copy of its bytes was seen under, and finding a
document again by any of them (issue 13).

- Paths are stored absolute with symlinks resolved (`absolute_path`), so a file imported
  from two working folders is one path; `upload://NAME` (an upload's name on the client's
  machine) is kept as it is.
- `document_paths` keeps each (document, path, kind of path) with when it was first and
  last seen; the kinds are `imported` (found there by `vanban import` or the watcher),
  `moved-to` (the watcher's `done/` copy), `uploaded-as` (the client's file name) and
  `stored-at` (the server's kept copy of an upload).
- A database made before paths were absolute keeps its relative paths as they were (where
  they were typed from is not known); they are still found by the path as typed, and by an
  absolute path that ends with them.

Functions over an open `Store` (its `query` turns DuckDB's errors into ours).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Optional, Sequence, Union

from pipeline.store.bulk import rows_select, to_json

IMPORTED, MOVED_TO, UPLOADED_AS, STORED_AT = "imported", "moved-to", "uploaded-as", "stored-at"
PATH_KINDS = (IMPORTED, MOVED_TO, UPLOADED_AS, STORED_AT)
# kinds of path that name a file on this machine (an upload's `upload://NAME` does not)
ON_DISK = (IMPORTED, MOVED_TO, STORED_AT)
# kinds recorded in `sources` too, as before `document_paths` existed
SOURCE_KINDS = (IMPORTED, UPLOADED_AS)


def absolute_path(path: Union[str, Path]) -> str:
    """The path a file is stored under: absolute, symlinks resolved; a URL-like name
    (`upload://NAME`) is kept as it is."""
    text = str(path)
    if "://" in text:
        return text
    return str(Path(text).expanduser().resolve(strict=False))


def record_path(store, doc_id: str, sha256: str, path: str, kind: str,
                now: Optional[dt.datetime] = None) -> None:
    """Note that the document `doc_id` was seen at `path` (a `kind` path); runs inside the
    caller's transaction when there is one."""
    if kind not in PATH_KINDS:
        raise ValueError(f"kind of path is one of {PATH_KINDS}, not {kind!r}")
    now = now or dt.datetime.now()
    store.query("INSERT INTO document_paths VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id, path, kind) "
                "DO UPDATE SET last_seen = excluded.last_seen", [doc_id, sha256, path, kind, now, now])
    if kind in SOURCE_KINDS:
        store.query("INSERT INTO sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [doc_id, path, now])


def record_paths(store, seen: Sequence[tuple[str, str, str, str]], now: dt.datetime) -> None:
    """`record_path` for many `(doc_id, sha256, path, kind)` at once: two statements."""
    rows = {(d, p, k): {"doc_id": d, "sha256": sha, "path": p, "kind": k, "first_seen": now,
                        "last_seen": now} for d, sha, p, k in seen}
    for row in rows.values():
        if row["kind"] not in PATH_KINDS:
            raise ValueError(f"kind of path is one of {PATH_KINDS}, not {row['kind']!r}")
    if not rows:
        return
    store.query("INSERT INTO document_paths " + rows_select(list(_PATH_COLUMNS), _PATH_COLUMNS)
                + " ON CONFLICT (doc_id, path, kind) DO UPDATE SET last_seen = excluded.last_seen",
                [to_json(list(rows.values()))])
    sources = {(r["doc_id"], r["path"]): {"doc_id": r["doc_id"], "source_path": r["path"], "seen_at": now}
               for r in rows.values() if r["kind"] in SOURCE_KINDS}
    if sources:
        store.query("INSERT INTO sources " + rows_select(list(_SOURCE_COLUMNS), _SOURCE_COLUMNS)
                    + " ON CONFLICT DO NOTHING", [to_json(list(sources.values()))])


_PATH_COLUMNS = {"doc_id": "VARCHAR", "sha256": "VARCHAR", "path": "VARCHAR", "kind": "VARCHAR",
                 "first_seen": "TIMESTAMP", "last_seen": "TIMESTAMP"}
_SOURCE_COLUMNS = {"doc_id": "VARCHAR", "source_path": "VARCHAR", "seen_at": "TIMESTAMP"}


def find_by_path(store, key: str) -> list[str]:
    """The doc_ids of the documents seen at `key`: a path as stored, the same path made
    absolute against the current folder, a file name or the tail of a path (`raw/a.docx`),
    or an absolute path that ends with a relative path stored by an older version."""
    key = key.strip()
    if not key:
        return []
    full = absolute_path(key)
    # a relative key may be the tail of a stored path; an absolute one names one place only
    tail = None if Path(key).is_absolute() or "://" in key else key.removeprefix("./")
    _, rows = store.query(
        "SELECT DISTINCT doc_id FROM document_paths WHERE path = ? OR path = ? OR ends_with(path, '/' || ?) "
        "OR (path NOT LIKE '/%' AND path NOT LIKE '%://%' AND ends_with(?, '/' || path)) ORDER BY doc_id",
        [key, full, tail, full])
    return [r[0] for r in rows]


def paths_of(store, doc_id: str) -> list[dict]:
    """Every path of the document, the place it was seen last first."""
    return store.records("SELECT path, kind, first_seen, last_seen FROM document_paths WHERE doc_id = ? "
                         "ORDER BY last_seen DESC, path", [doc_id])


def current_file(store, doc_id: str) -> Optional[Path]:
    """The file on this machine that holds the document's bytes now: the path seen last that
    still exists and still holds those bytes (a file replaced since is never served)."""
    _, rows = store.query("SELECT sha256 FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        return None
    sha = rows[0][0]
    for p in paths_of(store, doc_id):
        candidate = Path(p["path"])
        if p["kind"] in ON_DISK and candidate.is_absolute() and candidate.is_file() and _sha256(candidate) == sha:
            return candidate
    return None


def _sha256(path: Path) -> Optional[str]:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()
