"""The store on real DuckDB files: schema versions, one transaction per notice, dedup by
sha256, import_errors, lock conflicts, views, export."""
import datetime as dt
import subprocess
import sys
import time

import pytest

from pipeline.errors import StoreError
from pipeline.model import Citation, Notice, Section, Span, Task
from pipeline.store.duckdb import LATEST_VERSION, open_store, schema_steps


def make(sha_char="a", path="in/a.docx", **fields):
    base = dict(source_path=path, sha256=sha_char * 64, format="docx",
                text="THÔNG BÁO Kết luận về kế hoạch khoa học năm 2021")
    base.update(fields)
    return Notice(**base)


def test_new_database_is_at_the_latest_version(tmp_path):
    with open_store(tmp_path / "new.duckdb") as store:
        assert store.schema_version() == LATEST_VERSION
        assert {"documents", "sections", "tasks", "citations", "dates", "persons", "recipients", "periods",
                "organisations", "warnings", "import_errors", "schema_info"} <= set(store.tables())


def test_older_database_is_migrated_on_open_and_keeps_its_rows(tmp_path):
    db = tmp_path / "old.duckdb"
    first = schema_steps()[0][0]
    with open_store(db, migrate_upto=first) as store:
        assert store.schema_version() == first
        # a row as the first version of the store wrote it (its columns, no later ones)
        store.query("INSERT INTO documents (doc_id, sha256, source_path, issuer, imported_at) "
                    "VALUES ('0123456789abcdef', '0123456789abcdef', 'in/a.docx', 'Sở Y tế', now())")
        with pytest.raises(StoreError):
            store.query("SELECT * FROM tasks_by_unit")
    with open_store(db, read_only=True) as store:     # a reader carries it forward too
        assert store.schema_version() == LATEST_VERSION
        assert store.query("SELECT count(*) FROM documents")[1] == [(1,)]
        store.query("SELECT * FROM tasks_by_unit")


def test_newer_database_is_refused(tmp_path):
    db = tmp_path / "future.duckdb"
    with open_store(db) as store:
        store.query("UPDATE schema_info SET value = '999' WHERE key = 'version'")
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_same_bytes_stored_once_changed_bytes_stored_again(tmp_path):
    with open_store(tmp_path / "a.duckdb") as store:
        first = store.write_notice(make(tasks=[Task(path="1", label="1", text="Làm")]))
        again = store.write_notice(make(path="copy/a.docx", tasks=[Task(path="1", label="1", text="Làm")]))
        changed = store.write_notice(make(sha_char="b"))
        assert first.status == "imported" and again.status == "already stored" and changed.status == "imported"
        assert again.doc_id == first.doc_id != changed.doc_id
        counts = store.counts()
        assert counts["documents"] == 2 and counts["tasks"] == 1 and counts["sources"] == 3


def test_a_failed_write_leaves_nothing_half_stored(tmp_path):
    with open_store(tmp_path / "a.duckdb") as store:
        store.query("DROP TABLE warnings")               # the last insert of a notice will fail
        with pytest.raises(StoreError):
            store.write_notice(make(sections=[Section(path="I", label="I", heading="A", level=1)],
                                    warnings=["w"]))
        assert store.query("SELECT count(*) FROM documents")[1] == [(0,)]
        assert store.query("SELECT count(*) FROM sections")[1] == [(0,)]


def test_import_errors_one_row_per_failing_file_cleared_on_success(tmp_path):
    with open_store(tmp_path / "a.duckdb") as store:
        store.record_error("in/a.docx", "a" * 64, "ingest", "CorruptFile", "damaged zip container")
        store.record_error("in/a.docx", "a" * 64, "ingest", "CorruptFile", "damaged zip container")
        store.record_error("in/gone.pdf", None, "read", "FileNotFound", "no such file")
        rows = store.records("SELECT source_path, sha256, stage, error, message, attempts FROM import_errors "
                             "ORDER BY source_path")
        assert rows == [
            {"source_path": "in/a.docx", "sha256": "a" * 64, "stage": "ingest", "error": "CorruptFile",
             "message": "damaged zip container", "attempts": 2},
            {"source_path": "in/gone.pdf", "sha256": None, "stage": "read", "error": "FileNotFound",
             "message": "no such file", "attempts": 1}]
        store.write_notice(make())
        assert [r[0] for r in store.query("SELECT source_path FROM import_errors")[1]] == ["in/gone.pdf"]


def test_reader_waits_for_a_writer_then_gets_a_transient_error(tmp_path):
    db = tmp_path / "a.duckdb"
    open_store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ok', flush=True); time.sleep(2.5)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        started = time.monotonic()
        with pytest.raises(StoreError) as e:
            open_store(db, read_only=True, timeout=0.5)
        assert e.value.transient and "in use" in e.value.reason
        assert time.monotonic() - started < 2.0
        with open_store(db, read_only=True, timeout=20) as store:   # waits for the holder to exit
            assert store.query("SELECT 1")[1] == [(1,)]
    finally:
        holder.kill()
        holder.wait()


def test_read_only_open_of_a_missing_database_says_so(tmp_path):
    with pytest.raises(StoreError, match="no database"):
        open_store(tmp_path / "missing.duckdb", read_only=True)


def test_read_only_store_refuses_writes(tmp_path):
    db = tmp_path / "a.duckdb"
    open_store(db).close()
    with open_store(db, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.query("DELETE FROM documents")


def test_views_answer_the_first_questions(tmp_path):
    cited = make(sha_char="c", path="qd.docx", number="52/2016", symbol="QĐ-UBND", doc_type="QĐ",
                 issuer="UBND TỈNH VĨNH LONG", issued_date=dt.date(2016, 12, 1))
    citing = make(sha_char="d", path="tb.docx", number="12", symbol="TB-SKHCN", doc_type="TB",
                  issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ", issued_date=dt.date(2021, 4, 2),
                  citations=[Citation(ref="52/2016/QĐ-UBND", number="52/2016", year=2016, doc_type="QĐ"),
                             Citation(ref="99/2020/NĐ-CP", number="99/2020", year=2020, doc_type="NĐ")],
                  tasks=[Task(path="1", label="1", text="Báo cáo", unit="Sở Y tế", deadline=dt.date(2021, 6, 30)),
                         Task(path="2", label="2", text="Tổng hợp", unit="Sở Tài chính",
                              deadline=dt.date(2021, 9, 15)),
                         Task(path="3", label="3", text="Theo dõi")])
    with open_store(tmp_path / "a.duckdb") as store:
        store.write_notice(cited)
        store.write_notice(citing)
        graph = store.records("SELECT ref, cited_doc_id FROM citation_graph ORDER BY ref")
        assert graph == [{"ref": "52/2016/QĐ-UBND", "cited_doc_id": "c" * 16},
                         {"ref": "99/2020/NĐ-CP", "cited_doc_id": None}]
        due = store.records("SELECT unit, deadline, deadline_quarter FROM tasks_due('2021-04-01', '2021-06-30')")
        assert due == [{"unit": "Sở Y tế", "deadline": dt.date(2021, 6, 30), "deadline_quarter": dt.date(2021, 4, 1)}]
        units = store.query("SELECT unit, count(*) FROM tasks_by_unit GROUP BY unit ORDER BY unit")[1]
        assert units == [("(no unit)", 1), ("Sở Tài chính", 1), ("Sở Y tế", 1)]
        months = store.query("SELECT issuer, month, documents FROM documents_per_issuer_month")[1]
        assert months == [("UBND TỈNH VĨNH LONG", dt.date(2016, 12, 1), 1),
                          ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", dt.date(2021, 4, 1), 1)]
        assert store.query("SELECT ref, cited_by FROM most_cited ORDER BY ref")[1] == \
            [("52/2016/QĐ-UBND", 1), ("99/2020/NĐ-CP", 1)]


def test_show_finds_a_notice_by_id_prefix_sha_path_or_name(tmp_path):
    with open_store(tmp_path / "a.duckdb") as store:
        store.write_notice(make(path="/x/in/a.docx", tasks=[Task(path="1", label="1", text="Làm", span=Span(start=0, end=3))]))
        store.write_notice(make(sha_char="b", path="/x/in/b.docx"))
        for key in ["a" * 16, "aaaaaa", "a" * 64, "/x/in/a.docx", "a.docx"]:
            assert store.document(key)["header"]["doc_id"] == "a" * 16
        assert store.document("a.docx")["tasks"][0]["text"] == "Làm"
        with pytest.raises(StoreError, match="no document"):
            store.document("zzz.docx")
        store.write_notice(make(sha_char="c", path="/y/a.docx"))
        with pytest.raises(StoreError, match="matches 2"):
            store.document("a.docx")


def test_export_writes_every_table_as_parquet(tmp_path):
    db = tmp_path / "a.duckdb"
    with open_store(db) as store:
        store.write_notice(make(tasks=[Task(path="1", label="1", text="Làm")]))
    with open_store(db, read_only=True) as store:
        written = store.export_parquet(tmp_path / "pq")
        tables = store.tables()
        assert sorted(p.stem for p in written) == sorted(tables)
        back = store.query(f"SELECT count(*) FROM read_parquet('{tmp_path / 'pq' / 'tasks.parquet'}')")[1]
        assert back == [(1,)]


def test_one_issuer_is_one_row_whatever_its_case_or_tone_placement(tmp_path):
    # issue 12: `documents_per_issuer_month` groups an issuer under one name
    spellings = ["Ủy ban nhân dân tỉnh Quảng Ngãi", "Uỷ ban nhân dân tỉnh Quảng Ngãi", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"]
    with open_store(tmp_path / "a.duckdb") as store:
        for k, issuer in enumerate(spellings):
            store.write_notice(make(sha_char="abc"[k], path=f"{k}.docx", number=str(10 + k), symbol="TB-UBND",
                                    doc_type="TB", issuer=issuer, issued_date=dt.date(2026, 3, 2 + k)))
        assert store.query("SELECT month, documents FROM documents_per_issuer_month")[1] == [(dt.date(2026, 3, 1), 3)]
