"""The batch writer (issue 14): a batch of notices stored with a few statements per batch
stores what storing them one by one stores, and a notice the database refuses fails alone."""
import datetime as dt
import math

import pytest

from pipeline.devcorpus import DEV_CORPUS
from pipeline.errors import StoreError
from pipeline.importer import FAILED, IMPORTED, _store_batch
from pipeline.model import Notice, Section, Task
from pipeline.process import process_path
from pipeline.store.bulk import insert_rows
from pipeline.store.duckdb import open_store

DATA = DEV_CORPUS.parents[0] / "dev"
# the Word file and the PDF of three notices (each pair is one notice), and a notice of its own
FILES = [f"{stem}.{ext}" for stem in ("vinhlong-ubnd-qd-18-2009", "haugiang-ubnd-cv-454-2011",
                                      "qngai-skhcn-tb-ketluan-2021") for ext in ("docx", "pdf")]
FILES += ["tw-vpcp-cv-4663-2008.docx", "hanoi-ubnd-tb-453-2026.pdf"]
# columns that say when a row was written, not what it holds
WHEN = {"imported_at", "created_at", "seen_at", "first_seen", "last_seen", "at"}


@pytest.fixture(scope="module")
def notices():
    out = [process_path(DATA / name) for name in FILES]
    # another notice under the same symbol as the first (its block grows), and a copy of
    # the first file's bytes under a second path (stored once, seen twice)
    other = out[0].model_copy(update={"sha256": "f" * 64, "number": "19/2009",
                                      "source_path": "/in/other.docx"})
    return [(n, str(n.source_path)) for n in out] + [(other, "/in/other.docx"), (out[0], "/in/copy.docx")]


def table_contents(store) -> dict:
    out = {}
    for table in store.tables():
        if table == "schema_info":
            continue
        cols = [r[0] for r in store.query(f'DESCRIBE "{table}"')[1] if r[0] not in WHEN]
        rows = store.query(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"')[1]
        out[table] = sorted(map(repr, rows))
    return out


def test_a_batch_stores_the_rows_storing_one_by_one_stores(tmp_path, notices):
    with open_store(tmp_path / "one.duckdb") as one:
        singly = [one.write_notice(n, p) for n, p in notices]
        expected = table_contents(one)
    with open_store(tmp_path / "batch.duckdb") as batch:
        together = batch.write_notices([(n, p, "imported") for n, p in notices])
        got = table_contents(batch)
        files = sorted(r[0] for r in batch.query("SELECT files FROM notices")[1])
    assert together == singly
    assert [r.status for r in together] == ["imported"] * (len(notices) - 1) + ["already stored"]
    assert got == expected
    assert len(got["documents"]) == len(notices) - 1 and files[-1] >= 2    # a .docx and its .pdf
    assert len(got["document_paths"]) == len(notices)


def test_storing_a_batch_again_adds_nothing_but_its_paths(tmp_path, notices):
    with open_store(tmp_path / "a.duckdb") as store:
        store.write_notices([(n, p, "imported") for n, p in notices])
        before = table_contents(store)
        again = store.write_notices([(n, p, "imported") for n, p in notices])
        assert {r.status for r in again} == {"already stored"}
        assert table_contents(store) == before


def make(sha_char: str, **fields) -> Notice:
    base = dict(source_path=f"/in/{sha_char}.docx", sha256=sha_char * 64, format="docx",
                text="THÔNG BÁO Kết luận về kế hoạch khoa học năm 2021", symbol="TB-SKHCN",
                number=f"{ord(sha_char)}", issued_date=dt.date(2021, 4, 2),
                sections=[Section(path="I", label="I", heading="A", level=1)],
                tasks=[Task(path="1", label="1.", level=1, text="Báo cáo", unit="Sở",
                            deadline=dt.date(2021, 5, 1), roles=["chủ trì"], confidence=0.5)])
    base.update(fields)
    return Notice(**base)


@pytest.mark.parametrize("bad, why", [
    (make("b", pages=2 ** 40), "a number too large for an INTEGER column"),
    (make("b", subject="trích yếu \ud800 hỏng"), "text that cannot be UTF-8"),
])
def test_a_notice_the_database_refuses_fails_alone(tmp_path, bad, why):
    items = [(str(n.source_path), n) for n in (make("a"), bad, make("c"))]
    with open_store(tmp_path / "a.duckdb") as store:
        outcomes = _store_batch(store, items)
        assert [o.status for o in outcomes] == [IMPORTED, FAILED, IMPORTED], why
        assert outcomes[1].stage == "store" and outcomes[1].sha256 == "b" * 64
        assert sorted(r[0] for r in store.query("SELECT sha256 FROM documents")[1]) == ["a" * 64, "c" * 64]
        assert store.query("SELECT source_path, stage FROM import_errors")[1] == [("/in/b.docx", "store")]
        # nothing of the refused notice is left in any table
        for table in store.tables():
            cols = [r[0] for r in store.query(f'DESCRIBE "{table}"')[1]]
            if "doc_id" in cols:
                assert store.query(f"SELECT count(*) FROM \"{table}\" WHERE doc_id = ?", ["b" * 16])[1] == [(0,)]
        with pytest.raises(StoreError):
            store.write_notice(bad)


def test_a_batch_costs_the_same_statements_however_many_notices(tmp_path):
    """One statement per table for the whole batch, not one per notice or per value."""
    def statements(n: int) -> int:
        with open_store(tmp_path / f"{n}.duckdb") as store:
            con, count = store._con, [0]

            class Counting:
                def __getattr__(self, name):
                    return getattr(con, name)

                def execute(self, *a, **k):
                    count[0] += 1
                    return con.execute(*a, **k)

            store._con = Counting()
            store.write_notices([(make(chr(ord("a") + i)), None, "imported") for i in range(n)])
            store._con = con
            return count[0]

    assert statements(2) == statements(12)


def test_bulk_rows_keep_their_values_and_refuse_what_a_column_cannot_hold(tmp_path):
    types = {"a": "VARCHAR", "b": "INTEGER", "c": "DATE", "d": "VARCHAR[]", "e": "DOUBLE",
             "f": "TIMESTAMP", "g": "BOOLEAN"}
    rows = [{"a": 'quote" \\ \n tiếng Việt', "b": 7, "c": dt.date(2021, 4, 2), "d": ["chủ trì", "phối hợp"],
             "e": 1 / 3, "f": dt.datetime(2026, 12, 7, 22, 30, 55, 123456), "g": True},
            {"a": None, "b": None, "c": None, "d": [], "e": float("nan"), "f": None, "g": False}]
    with open_store(tmp_path / "a.duckdb") as store:
        store.query("CREATE TABLE t (a VARCHAR, b INTEGER, c DATE, d VARCHAR[], e DOUBLE, f TIMESTAMP, g BOOLEAN)")
        insert_rows(store._con, "t", rows, types)
        got = store.query("SELECT * FROM t ORDER BY b NULLS LAST")[1]
        assert got[0] == tuple(rows[0].values())
        assert got[1][:4] == (None, None, None, []) and math.isnan(got[1][4]) and got[1][5:] == (None, False)
        for bad in ({"b": 2 ** 40}, {"b": "bảy"}, {"c": "2021-13-01"}):
            with pytest.raises(Exception, match="[Cc]onver"):
                insert_rows(store._con, "t", [{**rows[0], **bad}], types)
