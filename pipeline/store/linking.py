"""Files to notices in the database: the store's side of `pipeline.store.notices`.

Works on an open connection inside the caller's transaction (the store's `write_notice`, or a
migration step), so a file and its notice are stored together or not at all. It does not
import duckdb: the caller turns the driver's errors into ours.

A new file is grouped with the files already stored under the same fuzzy symbol (its
*block*): the whole block is grouped again by `group_files`, which depends only on the files,
so any import order gives the same notices, and a better file that arrives later becomes its
notice's chosen file (`notices.doc_id`, whose header the `notices` row repeats).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from pipeline.store.notices import ROLES, FileKey, group_files, role_of

# the header fields whose presence makes one file read better than another of its notice
HEADER_FIELDS = ["issuer", "number", "symbol", "doc_type", "place", "issued_date", "subject",
                 "signer_title", "signer_name"]

_KEY_SQL = ("SELECT doc_id, issuer_key, number, symbol, issued_date, subject, role, format, "
            + " + ".join(f"CAST({c} IS NOT NULL AS INTEGER)" for c in HEADER_FIELDS)
            + ", notice_id FROM documents WHERE coalesce(is_notice, true) AND ")


def _keys(con, where: str, params: list[Any]) -> list[tuple[FileKey, Any]]:
    """(FileKey, its current notice_id) of the notice files matching `where`."""
    out = []
    for doc_id, issuer_key, number, symbol, issued, subject, role, fmt, fields, nid in \
            con.execute(_KEY_SQL + where, params).fetchall():
        out.append((FileKey(doc_id, issuer_key, number, symbol, issued, subject,
                            role or role_of(fmt), fields), nid))
    return out


def link_document(con, doc_id: str) -> None:
    """Give the stored file `doc_id` its notice, regrouping the files it may belong with."""
    mine = _keys(con, "doc_id = ?", [doc_id])
    if not mine:
        return          # not a notice (is_notice = false): no notice row, left out of the views
    key = mine[0][0].match_key
    block = mine
    if key is not None:
        block += _keys(con, "doc_id <> ? AND notice_id IN (SELECT notice_id FROM notices "
                            "WHERE match_key = ?)", [doc_id, key])
    _settle(con, block)


def rebuild_notices(con) -> None:
    """Group every stored file into notices afresh (a migration; a repair)."""
    con.execute("UPDATE documents SET role = CASE format "
                + " ".join(f"WHEN '{f}' THEN '{r}'" for f, r in ROLES.items())
                + " ELSE 'other' END WHERE role IS NULL")
    con.execute("UPDATE documents SET notice_id = NULL WHERE notice_id IS NOT NULL")
    con.execute("DELETE FROM notices")
    blocks: dict[Any, list] = {}
    for item in _keys(con, "true", []):
        key = item[0].match_key
        blocks.setdefault(key if key is not None else ("alone", item[0].doc_id), []).append(item)
    for block in blocks.values():
        _settle(con, block)


def _settle(con, block: list[tuple[FileKey, Any]]) -> None:
    """Group `block`, keep each notice's id where its files stay together, store the rows."""
    keys = {k.doc_id: k for k, _ in block}
    old = {k.doc_id: nid for k, nid in block}
    groups = group_files(list(keys.values()))
    # an existing id goes to the group holding most of its files (the earliest group on a tie)
    claims = sorted(((-Counter(old[d] for d in g)[nid], i, nid) for i, g in enumerate(groups)
                     for nid in {old[d] for d in g} if nid is not None))
    ids: dict[int, int] = {}
    taken: set = set()
    for _, i, nid in claims:
        if i not in ids and nid not in taken:
            ids[i], taken = nid, taken | {nid}
    next_id = con.execute("SELECT coalesce(max(notice_id), 0) + 1 FROM notices").fetchone()[0]
    created = dict(con.execute("SELECT notice_id, created_at FROM notices WHERE notice_id IN "
                               "(SELECT unnest(?))", [sorted(taken)]).fetchall()) if taken else {}
    gone = {nid for nid in old.values() if nid is not None} - taken
    for nid in gone:
        con.execute("DELETE FROM notices WHERE notice_id = ?", [nid])
    now = dt.datetime.now()
    for i, g in enumerate(groups):
        if i not in ids:
            ids[i], next_id = next_id, next_id + 1
        _store_notice(con, ids[i], g, keys[g[0]].match_key, created.get(ids[i], now))


def _store_notice(con, nid: int, doc_ids: list[str], match_key, created_at) -> None:
    """Point the files at notice `nid` and write its row from the chosen (first) file."""
    # only the files whose notice changes: on the lake an UPDATE rewrites each row it touches
    con.execute("UPDATE documents SET notice_id = ? WHERE doc_id IN (SELECT unnest(?)) "
                "AND notice_id IS DISTINCT FROM ?", [nid, doc_ids, nid])
    con.execute("DELETE FROM notices WHERE notice_id = ?", [nid])
    con.execute("INSERT INTO notices (notice_id, doc_id, match_key, issuer_key, issuer, number, symbol, "
                "doc_type, issued_date, subject, files, created_at) "
                "SELECT ?, doc_id, ?, issuer_key, issuer, number, symbol, doc_type, issued_date, subject, ?, ? "
                "FROM documents WHERE doc_id = ?", [nid, match_key, len(doc_ids), created_at, doc_ids[0]])
