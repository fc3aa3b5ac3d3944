"""Every table stored as a table (issue 12): after a real import, `doc_tables` has one row per
body table with its kind and `table_cells` one row per cell, spans and page included; a task
table a PDF runs over page breaks is one table, its repeated header row read once."""
from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest

from pipeline.process import process_path
from pipeline.store.duckdb import open_store, store_notice

HERE = Path(__file__).resolve().parent
NAME = "quangngai-ubnd-kh-146-2026"
TXT = HERE.parent / "data" / "notices" / f"{NAME}.txt"


def _notices_module():
    spec = importlib.util.spec_from_file_location("notice_files", HERE.parent / "analyse" / "test_notices.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _stored(tmp_path: Path, path: Path):
    """`path` imported into a new database of its own, opened to read."""
    db = tmp_path / f"{path.name}.duckdb"
    store_notice(db, process_path(path), str(path))
    return open_store(db, read_only=True)


def test_txt_tables_stored_with_their_cells(tmp_path):
    with _stored(tmp_path, TXT) as store:
        _, tables = store.query("SELECT table_no, n_rows, n_cols, kind, paragraph FROM doc_tables ORDER BY table_no")
        assert [t[:4] for t in tables] == [(0, 14, 5, "tasks"), (1, 5, 4, "other")]
        _, merged = store.query('SELECT "row", col, row_span, col_span, text FROM table_cells '
                                "WHERE table_no = 0 AND (row_span > 1 OR col_span > 1) ORDER BY 1, 2")
        assert merged[:2] == [(1, 1, 1, 4, "Công tác chỉ đạo, điều hành"), (2, 2, 2, 1, "Sở Nội vụ")]
        _, names = store.query('SELECT text FROM table_cells WHERE table_no = 1 AND col = 1 AND "row" > 0 ORDER BY "row"')
        assert [n for (n,) in names] == ["Nguyễn Thị Minh Hạnh", "Trần Quốc Bảo", "Lê Văn Thuận", "Phạm Thị Thu Trang"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice prints the PDF")
def test_docx_and_pdf_tables_stored_one_table_over_page_breaks(tmp_path):
    mod = _notices_module()
    docx = tmp_path / f"{NAME}.docx"
    mod.txt_to_docx(TXT, docx)
    (pdf,) = mod.docx_to_pdf([docx], tmp_path)
    with _stored(tmp_path, docx) as store:
        _, rows = store.query("SELECT n_rows, n_cols, kind FROM doc_tables ORDER BY table_no")
        assert rows == [(14, 5, "tasks"), (5, 4, "other")]
    with _stored(tmp_path, pdf) as store:
        _, rows = store.query("SELECT n_rows, n_cols, kind, page FROM doc_tables ORDER BY table_no")
        assert [r[:3] for r in rows] == [(14, 5, "tasks"), (5, 4, "other")]
        _, pages = store.query("SELECT count(DISTINCT page) FROM table_cells WHERE table_no = 0")
        assert pages[0][0] >= 2, "the task table should run over a page break"
        _, headers = store.query("SELECT count(*) FROM table_cells WHERE table_no = 0 AND text = 'Nội dung công việc'")
        assert headers[0][0] == 1, "a header row repeated on each page is read once"
        _, boxes = store.query("SELECT count(*) FROM table_cells WHERE x0 IS NULL OR page IS NULL")
        assert boxes[0][0] == 0
        _, tasks = store.query("SELECT path, unit, deadline FROM tasks WHERE path = 'II.III.1'")
        assert tasks == [("II.III.1", "Sở Khoa học và Công nghệ", dt.date(2026, 9, 30))]
