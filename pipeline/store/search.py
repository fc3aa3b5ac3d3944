"""Diacritic-insensitive full-text search over documents and tasks (DuckDB `fts`, BM25;
a notice or task matches when it holds every word of the query).

The indexed columns hold text folded by `pipeline.store.fold.fold` (no marks, `đ` → `d`,
lower case), and every query is folded the same way, so `ke hoach khoa hoc`,
`Kế hoạch khoa học` and `KE HOACH` find the same notices. DuckDB does not update an fts
index as rows arrive: the importer rebuilds it after each batch, and `search` rebuilds it
first when it is stale (an import was killed before its rebuild).

Hits are notices, not files (issue 13): the files of one notice (its draft, PDF and scan)
are scored apart and the best one stands for the notice, with how many files it has.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from pipeline.errors import StoreError
from pipeline.store.duckdb import DEFAULT_TIMEOUT, Store, open_store
from pipeline.store.fold import fold, fold_with_offsets

PASSAGE_CHARS = 240

# Each file is scored, then the files of one notice compete: its best-matching file stands
# for it (the chosen file on a tie), once, so one notice held as four files is one hit. A
# file no writer linked to a notice, or no notice at all (is_notice = false), stands alone.
_SQL = """
WITH d AS (
    SELECT doc_id, fts_main_documents.match_bm25(doc_id, $q, conjunctive := 1) AS score FROM documents
), t AS (
    SELECT doc_id, max(score) AS score, arg_max(task_id, score) AS task_id
    FROM (SELECT doc_id, task_id, fts_main_tasks.match_bm25(task_id, $q, conjunctive := 1) AS score FROM tasks)
    WHERE score IS NOT NULL GROUP BY doc_id
), f AS (
    SELECT doc.doc_id, coalesce(d.score, 0) + 0.5 * coalesce(t.score, 0) AS score, t.task_id,
           doc.notice_id, coalesce(CAST(doc.notice_id AS VARCHAR), doc.doc_id) AS grp,
           n.doc_id AS chosen_doc_id, coalesce(n.files, 1) AS files
    FROM documents doc LEFT JOIN d USING (doc_id) LEFT JOIN t USING (doc_id)
    LEFT JOIN notices n ON n.notice_id = doc.notice_id
    WHERE d.score IS NOT NULL OR t.score IS NOT NULL
), best AS (
    SELECT *, count(*) OVER (PARTITION BY grp) AS matched_files FROM f
    QUALIFY row_number() OVER (PARTITION BY grp ORDER BY score DESC,
                               doc_id = chosen_doc_id DESC, doc_id) = 1
)
SELECT b.doc_id, b.score, b.task_id, b.notice_id, b.files, b.matched_files,
       coalesce(b.chosen_doc_id, b.doc_id) AS notice_doc_id,
       doc.source_path, doc.role, doc.is_notice, doc.text,
       coalesce(h.number, doc.number) AS number, coalesce(h.symbol, doc.symbol) AS symbol,
       coalesce(h.issuer, doc.issuer) AS issuer, coalesce(h.issued_date, doc.issued_date) AS issued_date,
       coalesce(h.subject, doc.subject) AS subject
FROM best b JOIN documents doc ON doc.doc_id = b.doc_id
LEFT JOIN documents h ON h.doc_id = b.chosen_doc_id
ORDER BY b.score DESC, b.doc_id
LIMIT $limit
"""


@dataclass
class SearchHit:
    doc_id: str
    score: float
    source_path: str
    number: Optional[str]
    symbol: Optional[str]
    issuer: Optional[str]
    issued_date: Optional[dt.date]
    subject: Optional[str]
    passage: str                       # a stretch of the document text around the match
    passage_start: int                 # its offset in documents.text
    highlights: list[tuple[int, int]] = field(default_factory=list)  # matched words, offsets in passage
    task_id: Optional[str] = None      # the best-matching task, when a task matched
    # the notice it stands for: the header above is its chosen file's, `doc_id` the file that
    # matched best (whose passage this is); `files` hold the notice, `matched_files` matched
    notice_id: Optional[int] = None
    notice_doc_id: Optional[str] = None
    files: int = 1
    matched_files: int = 1
    role: Optional[str] = None         # of the matching file: draft, published, signed scan…
    is_notice: Optional[bool] = None   # false: a file with no mark of an official notice


def query_terms(query: str) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", fold(query)) if t]


def best_passage(text: str, terms: list[str], width: int = PASSAGE_CHARS) -> tuple[int, str, list[tuple[int, int]]]:
    """The stretch of `text` of about `width` characters holding the most distinct query terms."""
    if not text:
        return 0, "", []
    folded, where = fold_with_offsets(text)
    wanted = set(terms)
    hits = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[a-z0-9]+", folded) if m.group() in wanted]
    if not hits:
        return 0, text[:width], []
    best, best_score = 0, -1
    for i, (start, _, _) in enumerate(hits):
        inside = {w for s, e, w in hits[i:] if e - start <= width}
        score = len(inside) * 100 + sum(1 for s, e, w in hits[i:] if e - start <= width)
        if score > best_score:
            best, best_score = i, score
    f_start = max(0, hits[best][0] - width // 6)
    start = where[f_start] if f_start < len(where) else 0
    # begin at a word boundary
    while start > 0 and not text[start - 1].isspace() and start > where[hits[best][0]] - width // 3:
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    marks = []
    for s, e, _ in hits:
        os_, oe = where[s], where[e - 1] + 1
        if start <= os_ and oe <= end:
            marks.append((os_ - start, oe - start))
    return start, text[start:end], marks


def search_store(store: Store, query: str, limit: int = 10) -> list[SearchHit]:
    """Rank the notices of an open store for `query`, one hit per notice (its best-matching
    file); the index must be fresh."""
    terms = query_terms(query)
    if not terms:
        raise StoreError(str(store.path), f"nothing to search for in {query!r}")
    store.load_fts()
    rows = store.records(_SQL.replace("$q", "?1").replace("$limit", "?2"), [" ".join(terms), int(limit)])
    hits = []
    for r in rows:
        start, passage, marks = best_passage(r["text"] or "", terms)
        hits.append(SearchHit(doc_id=r["doc_id"], score=float(r["score"]), source_path=r["source_path"],
                              number=r["number"], symbol=r["symbol"], issuer=r["issuer"],
                              issued_date=r["issued_date"], subject=r["subject"], passage=passage,
                              passage_start=start, highlights=marks, task_id=r["task_id"],
                              notice_id=r["notice_id"], notice_doc_id=r["notice_doc_id"],
                              files=int(r["files"]), matched_files=int(r["matched_files"]),
                              role=r["role"], is_notice=r["is_notice"]))
    return hits


def search(db_path: str | Path, query: str, limit: int = 10,
           timeout: float = DEFAULT_TIMEOUT) -> list[SearchHit]:
    """Open the database read-only and search it, rebuilding a stale index first."""
    with open_store(db_path, read_only=True, timeout=timeout) as store:
        stale = store.search_index_stale()
        if not stale:
            return search_store(store, query, limit)
    with open_store(db_path, timeout=timeout) as store:
        store.rebuild_search_index()
        return search_store(store, query, limit)
