"""The DuckLake store on a real PostgreSQL catalog: same schema as the embedded store, one
document per sha256 however many writers, errors recorded and cleared, schema carried forward."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

pytest.importorskip("ray")
pytest.importorskip("duckdb_extension_ducklake")

from _scale import dev_files, make_copies
from pipeline.errors import StoreError
from pipeline.process import process_path
from pipeline.store.duckdb import LATEST_VERSION, open_store
from pipeline.store.rows import TABLES, notice_rows
from pipeline.scale.lakewriter import LakeWriter
from pipeline.scale.lake import (LakeConfig, connect, embedded_schema, export_lake_to_duckdb,
                                 lake_counts, query_lake)


def columns_of_lake(lake):
    return query_lake(lake, "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                            "WHERE table_catalog = current_database() AND table_schema = 'main' "
                            "AND table_name IN (SELECT table_name FROM information_schema.tables "
                            "  WHERE table_catalog = current_database() AND table_type = 'BASE TABLE') "
                            "ORDER BY table_name, ordinal_position")[1]


def test_the_lake_has_the_tables_columns_views_and_macros_of_the_embedded_store(lake, tmp_path):
    connect(lake).close()
    with open_store(tmp_path / "embedded.duckdb") as store:
        embedded = store.query("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                               "WHERE table_schema = 'main' AND table_name IN (SELECT table_name FROM "
                               "information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE') "
                               "ORDER BY table_name, ordinal_position")[1]
        views = {r[0] for r in store.query("SELECT view_name FROM duckdb_views() WHERE NOT internal")[1]}
    assert columns_of_lake(lake) == embedded
    lake_views = {r[0] for r in query_lake(lake, "SELECT table_name FROM information_schema.tables "
                                                 "WHERE table_catalog = current_database() AND table_type = 'VIEW'")[1]}
    assert views and lake_views == views
    assert query_lake(lake, "SELECT count(*) FROM tasks_due(DATE '2000-01-01', DATE '2100-01-01')")[1] == [(0,)]
    assert query_lake(lake, "SELECT value FROM schema_info WHERE key = 'version'")[1] == [(str(LATEST_VERSION),)]


def test_an_older_lake_gains_what_it_lacks_on_open(lake):
    con = connect(lake)
    con.execute(f'ALTER TABLE "{lake.alias}".tasks DROP COLUMN citations')
    con.execute(f'DROP VIEW "{lake.alias}".most_cited')
    con.execute(f'DROP TABLE "{lake.alias}".warnings')
    con.execute(f"UPDATE \"{lake.alias}\".schema_info SET value = '1' WHERE key = 'version'")
    con.close()
    connect(lake).close()
    tables, _ = embedded_schema()
    cols = Counter(t for t, *_ in columns_of_lake(lake))
    assert cols == Counter({t: len(c) for t, c in tables.items()})
    assert query_lake(lake, "SELECT count(*) FROM most_cited")[1] == [(0,)]


def expected_rows(notice) -> dict[str, int]:
    return {t: len(r) for t, r in notice_rows(notice).items()}


def test_a_document_is_stored_once_and_every_path_it_was_seen_under_is_kept(lake):
    path = next(p for p in dev_files() if p.name.endswith("ketluan-2021.docx"))
    notice = process_path(path)
    with LakeWriter(lake) as w:
        first = w.write_notice(notice, str(path))
        again = w.write_notice(notice, str(path))
        elsewhere = w.write_notice(notice, "/elsewhere/copy.docx")
        assert w.record_source(notice.sha256, "/third/place.docx") == first.doc_id
        assert w.record_source("0" * 64, "/not/stored.docx") is None
    assert (first.status, again.status, elsewhere.status) == ("imported", "already stored", "already stored")
    counts = lake_counts(lake)
    assert {t: counts[t] for t in TABLES} == expected_rows(notice)
    assert counts["sources"] == 3


def test_a_failure_is_recorded_counted_and_cleared_when_the_file_imports(lake):
    path = dev_files()[0]
    with LakeWriter(lake) as w:
        w.record_error(str(path), None, "ingest", "CorruptFile", "truncated")
        w.record_error(str(path), None, "ingest", "CorruptFile", "truncated")
        assert query_lake(lake, "SELECT attempts FROM import_errors")[1] == [(2,)]
        w.write_notice(process_path(path), str(path))
    assert query_lake(lake, "SELECT count(*) FROM import_errors")[1] == [(0,)]


def test_query_is_read_only_and_errors_are_ours(lake):
    connect(lake).close()
    with pytest.raises(StoreError):
        query_lake(lake, "DELETE FROM documents")
    with pytest.raises(StoreError):
        query_lake(lake, "SELECT * FROM no_such_table")


def test_missing_catalog_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("VANBAN_LAKE_CATALOG", raising=False)
    with pytest.raises(StoreError, match="VANBAN_LAKE_CATALOG"):
        LakeConfig.from_env()


WRITER = """
import sys
from pipeline.process import process_path
from pipeline.scale.lake import LakeConfig
from pipeline.scale.lakewriter import LakeWriter
lake = LakeConfig(sys.argv[1], sys.argv[2])
notices = [(p, process_path(p)) for p in sys.argv[3:]]
sys.stdin.readline()                      # start together
with LakeWriter(lake) as w:
    for p, n in notices:
        w.write_notice(n, p)
    print(w.retries)
"""


def test_two_processes_writing_overlapping_sets_store_each_sha_exactly_once(lake, tmp_path):
    files = [str(p) for p in make_copies(tmp_path / "copies", 48)]
    a = files[:32]                           # 0..31 in order
    b = files[16:][::-1]                     # 47..16: they meet on 16..31
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, lake.catalog, lake.data_path, *chunk],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for chunk in (a, b)]
    results = [p.communicate("go\n", timeout=180) for p in procs]
    for p, (out, errs) in zip(procs, results):
        assert p.returncode == 0, errs
    shas = query_lake(lake, "SELECT sha256, count(*) FROM documents GROUP BY ALL")[1]
    assert len(shas) == len(files) and all(n == 1 for _, n in shas)
    # each document has exactly its own rows: none written twice by the two writers
    per_doc = dict(query_lake(lake, "SELECT doc_id, count(*) FROM tasks GROUP BY ALL")[1])
    notices = {}
    for f in files:
        n = process_path(f)
        notices[n.sha256[:16]] = len(n.tasks)
    assert {d: c for d, c in notices.items() if c} == per_doc
    sources = query_lake(lake, "SELECT doc_id, source_path, count(*) FROM sources GROUP BY ALL")[1]
    assert len(sources) == len(files) and all(n == 1 for *_, n in sources)


def test_export_gives_a_duckdb_file_the_embedded_tools_read(lake, tmp_path):
    with LakeWriter(lake) as w:
        for p in dev_files()[:3]:
            w.write_notice(process_path(p), str(p))
    counts = export_lake_to_duckdb(lake, tmp_path / "lake.duckdb")
    assert counts["documents"] == 3
    with open_store(tmp_path / "lake.duckdb", read_only=True) as store:
        assert store.counts()["documents"] == 3
        assert not store.search_index_stale()
        # grouped into notices on export (the lake's writers do not group)
        assert store.query("SELECT count(*) FROM documents WHERE notice_id IS NULL")[1] == [(0,)]
        assert store.counts()["notices"] == counts["notices"] > 0
