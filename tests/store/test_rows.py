"""The pure mapping Notice → rows, one case per kind of item."""
import datetime as dt

import pytest

from pipeline.model import (BBox, Citation, DateMention, DocTable, Mark, MarkKind, Notice, Organisation, Period, Person,
                            Recipient, Section, Signature, Span, TableCell, Task)
from pipeline.store.rows import TABLES, doc_id_for, notice_rows

SHA = "0123456789abcdef" * 4
DOC_ID = SHA[:16]
SPAN = Span(start=10, end=20, block=3, page=1)
PROV = {"span_start": 10, "span_end": 20, "block": 3, "page": 1}
NONE_PROV = {"span_start": None, "span_end": None, "block": None, "page": None}


def notice(**fields):
    return Notice(source_path="in/x.docx", sha256=SHA, format="docx", text="Kế hoạch Đà Nẵng", **fields)


CASES = [
    ("sections", dict(sections=[Section(path="I", label="I", heading="Phòng Quản lý Khoa học", level=1, span=SPAN)]),
     {"doc_id": DOC_ID, "ordinal": 0, "path": "I", "label": "I", "heading": "Phòng Quản lý Khoa học",
      "level": 1, **PROV}),
    ("tasks", dict(tasks=[Task(path="I.1", label="1", text="Chủ trì tổ chức", unit="Sở Y tế",
                               deadline=dt.date(2021, 6, 30), deadline_text="trước 30/6/2021",
                               roles=["chủ trì"], citations=["52/2016/QĐ-UBND"], span=SPAN,
                               period=Period(kind="quarter", start=dt.date(2021, 4, 1),
                                             end=dt.date(2021, 6, 30), text="quý II/2021"))]),
     {"task_id": f"{DOC_ID}#0", "doc_id": DOC_ID, "ordinal": 0, "path": "I.1", "label": "1", "level": 0,
      "unit": "Sở Y tế", "text": "Chủ trì tổ chức", "text_folded": "so y te chu tri to chuc",
      "deadline": dt.date(2021, 6, 30), "deadline_text": "trước 30/6/2021", "due": dt.date(2021, 6, 30),
      "period_kind": "quarter",
      "period_start": dt.date(2021, 4, 1), "period_end": dt.date(2021, 6, 30), "period_text": "quý II/2021",
      "roles": ["chủ trì"], "urgency": None, "citations": ["52/2016/QĐ-UBND"], "confidence": None, **PROV}),
    ("citations", dict(citations=[Citation(ref="52/2016/QĐ-UBND", number="52/2016", year=2016, doc_type="QĐ",
                                           doc_type_name="Quyết định", issuer_code="UBND",
                                           cited_date=dt.date(2016, 12, 1), text="Quyết định số 52/2016/QĐ-UBND")]),
     {"doc_id": DOC_ID, "ordinal": 0, "ref": "52/2016/QĐ-UBND", "number": "52/2016", "year": 2016,
      "doc_type": "QĐ", "doc_type_name": "Quyết định", "issuer_code": "UBND", "issuer": None,
      "cited_date": dt.date(2016, 12, 1), "text": "Quyết định số 52/2016/QĐ-UBND", "confidence": None,
      **NONE_PROV}),
    ("dates", dict(dates=[DateMention(value=dt.date(2021, 4, 2), text="ngày 02 tháng 4 năm 2021", span=SPAN)]),
     {"doc_id": DOC_ID, "ordinal": 0, "value": dt.date(2021, 4, 2), "text": "ngày 02 tháng 4 năm 2021", **PROV}),
    ("periods", dict(periods=[Period(kind="year", start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31),
                                     text="năm 2021", span=SPAN)]),
     {"doc_id": DOC_ID, "ordinal": 0, "kind": "year", "start": dt.date(2021, 1, 1),
      "end": dt.date(2021, 12, 31), "text": "năm 2021", **PROV}),
    ("persons", dict(persons=[Person(name="Nguyễn Văn A", title="Giám đốc", role="signer", span=SPAN)]),
     {"doc_id": DOC_ID, "ordinal": 0, "name": "Nguyễn Văn A", "title": "Giám đốc", "role": "signer", **PROV}),
    ("recipients", dict(recipients=[Recipient(ordinal=2, text="Lưu: VT", span=SPAN)]),
     {"doc_id": DOC_ID, "ordinal": 2, "text": "Lưu: VT", "kind": "noi-nhan", **PROV}),
    ("organisations", dict(organisations=[Organisation(name="UBND tỉnh", normalised="Ủy ban nhân dân tỉnh",
                                                       kind="government")]),
     {"doc_id": DOC_ID, "ordinal": 0, "name": "UBND tỉnh", "normalised": "Ủy ban nhân dân tỉnh",
      "kind": "government", **NONE_PROV}),
    ("marks", dict(marks=[Mark(kind=MarkKind.STAMP, page=1, bbox=BBox(x0=1, y0=2, x1=3, y1=4),
                               text="CV ĐẾN\nSố: 2352", fields={"received_number": "2352"}, confidence=61.5)]),
     {"doc_id": DOC_ID, "ordinal": 0, "kind": "stamp", "page": 1, "x0": 1, "y0": 2, "x1": 3, "y1": 4,
      "text": "CV ĐẾN\nSố: 2352", "fields": '{"received_number": "2352"}', "confidence": 61.5}),
    ("field_confidence", dict(field_confidence={"number": 0.9}),
     {"doc_id": DOC_ID, "field": "number", "confidence": 0.9}),
    ("warnings", dict(warnings=["no signature found"]),
     {"doc_id": DOC_ID, "ordinal": 0, "message": "no signature found"}),
]


@pytest.mark.parametrize("task, due", [
    (Task(path="1", label="1", text="Báo cáo", deadline=dt.date(2021, 5, 15),
          period=Period(kind="quarter", start=dt.date(2021, 4, 1), end=dt.date(2021, 6, 30), text="quý II/2021")),
     dt.date(2021, 5, 15)),                        # a stated deadline wins over the period
    (Task(path="1", label="1", text="Hoàn thành trong Quý II/2021",
          period=Period(kind="quarter", start=dt.date(2021, 4, 1), end=dt.date(2021, 6, 30), text="Quý II/2021")),
     dt.date(2021, 6, 30)),                        # issue 13: a period alone gives its last day
    (Task(path="1", label="1", text="Theo dõi thường xuyên"), None),
])
def test_a_task_is_due_by_its_deadline_else_the_end_of_its_period(task, due):
    assert notice_rows(notice(tasks=[task]))["tasks"][0]["due"] == due


@pytest.mark.parametrize("table, fields, expected", CASES, ids=[c[0] for c in CASES])
def test_item_becomes_row(table, fields, expected):
    rows = notice_rows(notice(**fields))
    assert rows[table] == [expected]
    assert set(rows) == set(TABLES)
    assert all(not rows[t] for t in TABLES if t not in ("documents", table))


def test_document_row_carries_header_signature_and_folded_text():
    n = notice(issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ", issuer_parent="UBND TỈNH QUẢNG NGÃI", number="12",
               symbol="TB-SKHCN", doc_type="TB", issued_date=dt.date(2021, 4, 2), subject="Kết luận",
               signature=Signature(sign_authority="TL.", signed_for="Giám đốc", signer_title="Chánh Văn phòng",
                                   signer_name="Lê Văn B"), ingest_ms=1.5, analyse_ms=2.5)
    at = dt.datetime(2024, 1, 1, 12, 0)
    (row,) = notice_rows(n, at)["documents"]
    assert row["doc_id"] == doc_id_for(SHA) == DOC_ID
    assert row["sha256"] == SHA and row["source_path"] == "in/x.docx" and row["format"] == "docx"
    assert (row["sign_authority"], row["signed_for"], row["signer_title"], row["signer_name"]) == \
        ("TL.", "Giám đốc", "Chánh Văn phòng", "Lê Văn B")
    assert row["text_folded"] == "ke hoach da nang" and row["subject_folded"] == "ket luan"
    assert row["imported_at"] == at and row["schema_version"] == n.schema_version
    assert row["ingest_ms"] == 1.5 and row["analyse_ms"] == 2.5


def test_rows_match_the_schema_columns(tmp_path):
    """Every key rows.py produces is a column of schema.sql (checked on a real database)."""
    from pipeline.store.duckdb import open_store
    full = notice(tables=[TABLE], **{k: v for _, f, _ in CASES for k, v in f.items()})
    with open_store(tmp_path / "a.duckdb") as store:
        for table, rows in notice_rows(full).items():
            cols = {r[0] for r in store.query(f"DESCRIBE {table}")[1]}
            assert set(rows[0]) <= cols, table


TABLE = DocTable(number=1, n_rows=2, n_cols=2, page=3, kind="other", bbox=BBox(x0=1, y0=2, x1=3, y1=4),
                 cells=[TableCell(row=0, col=0, col_span=2, text="Họ và tên", page=3),
                        TableCell(row=1, col=0, text="Nguyễn Văn A"), TableCell(row=1, col=1, text="Giám đốc")])


def test_every_table_becomes_a_table_row_and_its_cell_rows():
    rows = notice_rows(notice(tables=[TABLE]))
    assert rows["doc_tables"] == [{"doc_id": DOC_ID, "table_no": 1, "page": 3, "paragraph": None, "n_rows": 2,
                                   "n_cols": 2, "kind": "other", "x0": 1, "y0": 2, "x1": 3, "y1": 4}]
    assert [(c["row"], c["col"], c["row_span"], c["col_span"], c["text"]) for c in rows["table_cells"]] == \
        [(0, 0, 1, 2, "Họ và tên"), (1, 0, 1, 1, "Nguyễn Văn A"), (1, 1, 1, 1, "Giám đốc")]
