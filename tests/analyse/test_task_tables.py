"""Task tables (../shared/eval/README.md, *Task tables*; issue 12): the roles of a table's
columns by its header row, the deadline a time cell gives, and a table's rows as items of the
tree where it stands, in a .docx with merged cells."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from office import docx_to_pdf
from task_table_docx import make_table_docx
from pipeline import ingest
from pipeline.analyse import analyse
from pipeline.analyse.dates import cell_deadline
from pipeline.analyse.tables import column_roles, table_kind
from pipeline.model import DocTable, TableCell

# (header cells of real task tables and of other tables, the roles read; None: no role)
HEADERS = [
    (["TT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
     ["number", "content", "lead", "partner", "time"]),
    (["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn", "Sản phẩm"],
     ["number", "content", "unit", "time", "product"]),
    (["Số TT", "Nội dung nhiệm vụ", "Cơ quan, đơn vị chủ trì", "Tiến độ thực hiện", "Ghi chú"],
     ["number", "content", "lead", "time", "note"]),
    (["TT", "Họ và tên", "Chức vụ", "Đơn vị công tác"], ["number", None, None, None]),
    (["STT", "Nội dung chi", "Số tiền (triệu đồng)"], ["number", None, None]),
]


def grid(rows: list[list[str]]) -> DocTable:
    cells = [TableCell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return DocTable(number=0, n_rows=len(rows), n_cols=max(map(len, rows)), cells=cells)


@pytest.mark.parametrize("header, roles", HEADERS, ids=lambda v: "|".join(map(str, v))[:40])
def test_column_roles_by_header(header, roles):
    got = column_roles(grid([header, ["1"] * len(header)]))
    assert [got.by_col.get(c) if got else None for c in range(len(header))] == roles


def test_a_sub_header_under_merged_cells_names_its_columns():
    t = DocTable(number=0, n_rows=3, n_cols=4, cells=[
        TableCell(row=0, col=0, row_span=2, text="TT"), TableCell(row=0, col=1, row_span=2, text="Nhiệm vụ"),
        TableCell(row=0, col=2, col_span=2, text="Cơ quan thực hiện"),
        TableCell(row=1, col=2, text="Chủ trì"), TableCell(row=1, col=3, text="Phối hợp"),
        TableCell(row=2, col=0, text="1"), TableCell(row=2, col=1, text="Rà soát"),
        TableCell(row=2, col=2, text="Sở Tư pháp"), TableCell(row=2, col=3, text="Các sở")])
    roles = column_roles(t)
    assert roles.header_rows == 2 and roles.col("lead") == 2 and roles.col("partner") == 3
    assert table_kind(t) == "tasks"


@pytest.mark.parametrize("header, kind", [
    (HEADERS[0][0], "tasks"), (HEADERS[1][0], "tasks"), (HEADERS[3][0], "other"), (HEADERS[4][0], "other"),
    (["TT", "Nội dung"], "other"),          # what to do, but no one and no time to do it by
])
def test_task_table_or_other(header, kind):
    assert table_kind(grid([header, ["1"] * len(header)])) == kind


# (time cell as written in real plans, deadline)
CELLS = [
    ("Tháng 6/2026", dt.date(2026, 6, 30)),
    ("Tháng 02/2026", dt.date(2026, 2, 28)),
    ("Quý III/2026", dt.date(2026, 9, 30)),
    ("Quý IV năm 2026", dt.date(2026, 12, 31)),
    ("Trước 15/7/2026", dt.date(2026, 7, 15)),
    ("Trước ngày 30/9/2026", dt.date(2026, 9, 30)),
    ("Từ 01/7 đến 15/7/2026", dt.date(2026, 7, 15)),
    ("Từ ngày 01/7/2026 đến ngày 31/7/2026", dt.date(2026, 7, 31)),
    ("6 tháng đầu năm 2026", dt.date(2026, 6, 30)),
    ("Năm 2026", dt.date(2026, 12, 31)),
    ("Trong tháng 5/2026", dt.date(2026, 5, 31)),
    ("Tháng 10-12/2026", dt.date(2026, 12, 31)),            # a span of months (issue 12)
    ("Từ tháng 3 đến tháng 6/2026", dt.date(2026, 6, 30)),
    ("Quý II-III/2026", dt.date(2026, 9, 30)),
    ("Thường xuyên", None),
    ("Hằng năm", None),
    ("Hàng quý", None),
    ("", None),
]


@pytest.mark.parametrize("cell, deadline", CELLS)
def test_time_cell_deadline(cell, deadline):
    assert cell_deadline(cell)[0] == deadline


def test_docx_task_table_rows_are_items_where_the_table_stands(tmp_path):
    """A Word table with a group row merged over the columns (gridSpan), a lead unit merged
    down two rows (vMerge) and a row with no number, under `II.` of a plan."""
    path = tmp_path / "kh.docx"
    path.write_bytes(make_table_docx())
    doc = ingest.read(path)
    (table,) = doc.tables
    assert (table.n_rows, table.n_cols) == (6, 4)
    assert table.cell_at(3, 2).text == "Sở Nội vụ" and table.cell_at(3, 2).row_span == 2
    n = analyse(doc)
    assert [(s.path, s.heading) for s in n.sections] == [("I", "MỤC ĐÍCH"), ("II", "NHIỆM VỤ"),
                                                      ("II.I", "Công tác chuẩn bị")]
    tasks = {t.path: t for t in n.tasks}
    assert set(tasks) == {"I.1", "II.I.1", "II.I.2", "II.I.-1"}
    assert (tasks["II.I.1"].unit, tasks["II.I.1"].deadline) == ("Sở Nội vụ", dt.date(2026, 9, 30))
    assert (tasks["II.I.2"].unit, tasks["II.I.2"].deadline) == ("Sở Nội vụ", dt.date(2026, 7, 15))
    assert (tasks["II.I.-1"].unit, tasks["II.I.-1"].deadline) == ("Sở Tài chính", None)
    assert tasks["II.I.1"].text == "Xây dựng kế hoạch kiểm tra"
    assert [t.kind for t in n.tables] == ["tasks"]


# --- a task table Word lets break across pages, printed to PDF ------------------------------------

_DUTY = ("Rà soát, đánh giá việc thực hiện các thủ tục hành chính thuộc thẩm quyền giải quyết "
         "của đơn vị, đề xuất phương án đơn giản hóa và cắt giảm thời gian giải quyết ") * 3


def _long_rows_docx() -> bytes:
    from docx_factory import make_docx, p

    def tc(text: str) -> str:
        return f"<w:tc>{p(text)}</w:tc>"
    rows = [[tc("TT"), tc("Nội dung công việc"), tc("Cơ quan chủ trì"), tc("Thời gian hoàn thành")]]
    rows += [[tc(str(k)), tc(f"Nhiệm vụ số {k}: {_DUTY}"), tc("Sở Nội vụ"), tc("Quý III/2026")]
             for k in range(1, 13)]
    borders = "".join(f'<w:{s} w:val="single"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table = (f"<w:tbl><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>"
             + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>")
    return make_docx(p("KẾ HOẠCH") + p("Cải cách hành chính năm 2026") + p("I. NHIỆM VỤ")
                     + table + p("Trên đây là kế hoạch./."))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_rows_a_page_break_cuts_are_whole_in_a_text_pdf(tmp_path):
    src = tmp_path / "plan.docx"
    src.write_bytes(_long_rows_docx())
    [pdf] = docx_to_pdf([src], tmp_path)
    doc = ingest.read_bytes(pdf.read_bytes(), pdf.name)
    [table] = doc.tables
    assert max(c.page for c in table.cells) >= 4              # the rows did run over page breaks
    assert (table.n_rows, table.n_cols) == (13, 4)
    for k in range(1, 13):
        text = " ".join(table.cell_at(k, 1).text.split())
        assert text.startswith(f"Nhiệm vụ số {k}: Rà soát") and text.endswith("thời gian giải quyết")
    tasks = analyse(doc).tasks
    assert [t.unit for t in tasks] == ["Sở Nội vụ"] * 12
    assert all(t.deadline == dt.date(2026, 9, 30) for t in tasks)
