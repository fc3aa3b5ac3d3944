"""Files to notices in the database: the store's side of `pipeline.store.notices`.

Works on an open connection inside the caller's transaction (the store's `write_notices`, or a
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
from typing import Any, Optional, Sequence

from pipeline.store.bulk import rows_select, strings_sql, to_json
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
    link_documents(con, [doc_id])


def link_documents(con, doc_ids: Sequence[str]) -> None:
    """Give the stored files `doc_ids` (new in this transaction) their notices: each block of
    files under one fuzzy symbol is grouped once, however many of its files are new."""
    order = {d: i for i, d in enumerate(doc_ids)}
    mine = sorted(_keys(con, f"doc_id IN {strings_sql()}", [to_json(list(doc_ids))]),
                  key=lambda item: order[item[0].doc_id])      # new notices numbered in this order
    blocks: dict[Any, list] = {}
    for item in mine:
        key = item[0].match_key
        blocks.setdefault(key if key is not None else ("alone", item[0].doc_id), []).append(item)
    keys = [k for k in blocks if not isinstance(k, tuple)]
    if keys:
        new = {k.doc_id for k, _ in mine}
        for item in _keys(con, f"notice_id IN (SELECT notice_id FROM notices WHERE match_key IN "
                               f"{strings_sql()})", [to_json(keys)]):
            if item[0].doc_id not in new:
                blocks[item[0].match_key].append(item)
    _settle(con, list(blocks.values()), order)


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
    _settle(con, list(blocks.values()))


def _settle(con, blocks: list[list[tuple[FileKey, Any]]], order: Optional[dict[str, int]] = None) -> None:
    """Group each block, keep each notice's id where its files stay together, and write what
    changed: three statements for all the blocks, each binding one JSON text.

    A notice that needs a new id gets the next one in the `order` of its first new file (the
    order the files were given in), so a batch numbers its notices as storing its files one
    by one would; without `order`, block by block."""
    if not blocks:
        return
    next_id = con.execute("SELECT coalesce(max(notice_id), 0) + 1 FROM notices").fetchone()[0]
    olds = sorted({nid for block in blocks for _, nid in block if nid is not None})
    existing = {nid: (doc_id, created) for nid, doc_id, created in con.execute(
        "SELECT notice_id, doc_id, created_at FROM notices WHERE notice_id IN "
        "(SELECT unnest(from_json(?, '[\"INTEGER\"]')))", [to_json(olds)]).fetchall()} if olds else {}
    now = dt.datetime.now()
    drop: set[int] = set()
    settled: list[tuple[Optional[int], list[str], FileKey, dict[str, Any]]] = []
    unnamed: list[tuple[tuple, int]] = []       # (rank, index in settled) of groups needing an id
    for b, block in enumerate(blocks):
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
        drop |= {nid for nid in old.values() if nid is not None} - taken
        members = Counter(nid for nid in old.values() if nid is not None)
        for i, g in enumerate(groups):
            nid = ids.get(i)
            if nid is not None and (nid in existing and existing[nid][0] == g[0]
                                    and members[nid] == len(g) and all(old[d] == nid for d in g)):
                continue                                  # the notice is as it was
            if nid is None:
                rank = (min(order.get(d, len(order)) for d in g), b, i) if order else (b, i)
                unnamed.append((rank, len(settled)))
            settled.append((nid, g, keys[g[0]], old))
    for _, at in sorted(unnamed):
        settled[at] = (next_id, *settled[at][1:])
        next_id += 1
    point: list[dict[str, Any]] = []     # documents → their notice
    write: list[dict[str, Any]] = []     # notices rows, from their chosen file
    for nid, g, chosen, old in settled:
        drop.add(nid)
        point += [{"doc_id": d, "notice_id": nid} for d in g if old[d] != nid]
        write.append({"notice_id": nid, "doc_id": g[0], "match_key": chosen.match_key,
                      "files": len(g), "created_at": existing.get(nid, (None, now))[1]})
    _store_notices(con, sorted(drop), point, write)


def _store_notices(con, drop: list[int], point: list[dict[str, Any]], write: list[dict[str, Any]]) -> None:
    """Delete the notices rows in `drop`, point files at their notices, write notices rows
    (the rest of each from its chosen file)."""
    if drop:
        con.execute("DELETE FROM notices WHERE notice_id IN "
                    "(SELECT unnest(from_json(?, '[\"INTEGER\"]')))", [to_json(drop)])
    if point:
        con.execute("UPDATE documents SET notice_id = p.notice_id "
                    f"FROM ({rows_select(['doc_id', 'notice_id'], _POINT)}) p "
                    "WHERE documents.doc_id = p.doc_id", [to_json(point)])
    if write:
        con.execute("INSERT INTO notices (notice_id, doc_id, match_key, issuer_key, issuer, number, "
                    "symbol, doc_type, issued_date, subject, files, created_at) "
                    "SELECT w.notice_id, d.doc_id, w.match_key, d.issuer_key, d.issuer, d.number, "
                    "d.symbol, d.doc_type, d.issued_date, d.subject, w.files, w.created_at "
                    f"FROM ({rows_select(list(_WRITE), _WRITE)}) w JOIN documents d USING (doc_id)",
                    [to_json(write)])


_POINT = {"doc_id": "VARCHAR", "notice_id": "INTEGER"}
_WRITE = {"notice_id": "INTEGER", "doc_id": "VARCHAR", "match_key": "VARCHAR", "files": "INTEGER",
          "created_at": "TIMESTAMP"}
