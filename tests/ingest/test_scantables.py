"""Ruled tables on scanned pages (scantables.py): the grid from the rules, merged cells where
an inner rule is missing, words shared out among the cells, the pieces of a table a page break
cuts joined, a group row's numeral mended; and no table on a real scan, whose ruled boxes are
stamps and signature boxes (issue 12)."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.ingest import pdftables, rulings, scantables
from pipeline.ingest.layout import Page, Run
from pipeline.ingest.repair import mend_romans
from pipeline.ingest.tesseract import Word
from pipeline.model import TableCell

SCALE = 72 / 200                      # points per pixel at 200 dpi, as scans are read
MM = 200 / 25.4                       # pixels per millimetre


def _page() -> np.ndarray:
    return np.full((int(297 * MM), int(210 * MM)), 255, np.uint8)


def _rule(img, x0, y0, x1, y1):
    cv2.line(img, (int(x0 * MM), int(y0 * MM)), (int(x1 * MM), int(y1 * MM)), 0, 3)


def _table(img, xs, ys, missing=()):
    """Rules of a grid at xs × ys (mm); `missing`: inner borders not drawn, as
    ("v", row, col) for the rule right of a position, ("h", row, col) for the one below it."""
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if not (0 < r < len(ys) - 1 and ("h", r - 1, c) in missing):
                _rule(img, xs[c], y, xs[c + 1], y)
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if not (0 < c < len(xs) - 1 and ("v", r, c - 1) in missing):
                _rule(img, x, ys[r], x, ys[r + 1])


def _grids(img, skip=()):
    return scantables.rulings_to_grids(*rulings.find_rulings(img, SCALE), SCALE, skip=list(skip))


XS = [20, 35, 95, 130, 160, 190]      # TT | Nội dung | Chủ trì | Phối hợp | Thời gian
YS = [100, 112, 120, 150, 180, 200]


def test_a_task_table_with_a_group_row_and_a_unit_written_once():
    img = _page()
    # row 1: `I | Công tác chỉ đạo` across four columns; rows 2-3 share one lead unit
    _table(img, XS, YS, missing={("v", 1, 1), ("v", 1, 2), ("v", 1, 3), ("h", 2, 2)})
    for y in range(104, 110, 2):      # type in the cells: no rule
        cv2.putText(img, "Noi dung cong viec", (int(37 * MM), int(y * MM)), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 1)
    [grid] = _grids(img)
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (5, 5)
    spans = {(r, c): (rs, cs) for r, c, rs, cs in grid.cells}
    assert spans[(1, 1)] == (1, 4)    # the group row
    assert spans[(2, 2)] == (2, 1)    # the unit written once for two rows
    assert (3, 2) not in spans and (1, 2) not in spans
    assert spans[(0, 0)] == spans[(4, 4)] == (1, 1)
    assert len(grid.cells) == 25 - 3 - 1


def test_what_is_no_table():
    img = _page()
    _rule(img, 30, 40, 80, 40)                                  # the rule under the header's motto
    _table(img, [120, 170], [250, 275])                         # a stamp or signature box: one cell
    _table(img, [120, 160, 190], [200, 215, 230])               # a small ruled stamp (skipped)
    _table(img, [20, 190], [60, 70, 80, 90])                    # lines boxed one by one: one column
    stamp = rulings.Box(int(120 * MM) - 2, int(200 * MM) - 2, int(190 * MM) + 2, int(230 * MM) + 2, cells=4)
    assert _grids(img, skip=[stamp]) == []


def _word(text, x, y, w=40, h=20, conf=96.0):
    return Word(text=text, left=int(x), top=int(y), width=w, height=h, conf=conf, line=("1", "1", "1"))


def test_words_go_to_their_cells_and_leave_the_page():
    grid = scantables.Grid(xs=[100, 200, 600], ys=[100, 140, 260], cells=[(0, 0, 1, 1), (0, 1, 1, 1),
                                                                           (1, 0, 1, 1), (1, 1, 1, 1)])
    words = [_word("TT", 110, 110), _word("Nội", 210, 110), _word("dung", 260, 110),
             _word("1", 110, 150, w=12), _word("Ban", 210, 150), _word("hành", 260, 150), _word("Kế", 210, 180),
             _word("hoạch", 260, 180), _word("Ngoài", 100, 300)]
    [piece], left = scantables.words_to_pieces([grid], words, None, 2, SCALE, "t.pdf")
    assert [w.text for w in left] == ["Ngoài"]
    assert {(c.row, c.col): c.text for c in piece.cells} == {(0, 0): "TT", (0, 1): "Nội dung", (1, 0): "1",
                                                            (1, 1): "Ban hành Kế hoạch"}
    assert piece.page == 2 and piece.ocr and piece.xs == [36.0, 72.0, 216.0]


def test_rules_drawn_through_text_are_no_table():
    grid = scantables.Grid(xs=[100, 200, 600], ys=[100, 140, 260], cells=[(0, 0, 1, 1), (0, 1, 1, 1),
                                                                           (1, 0, 1, 1), (1, 1, 1, 1)])
    words = [_word(f"w{k}", 150 + 60 * k, 110 + 40 * (k % 3), w=90) for k in range(6)]
    pieces, left = scantables.words_to_pieces([grid], words, None, 1, SCALE, "t.pdf")
    assert pieces == [] and left == words


def _piece(page, x0, header, rows):
    """A piece of a three-column task table; a row of two cells is a group row (its text
    across the last two columns)."""
    cells = []
    for r, row in enumerate([header] + rows):
        cells += [TableCell(row=r, col=c, col_span=2 if len(row) == 2 and c == 1 else 1, text=t, page=page)
                  for c, t in enumerate(row)]
    return pdftables.Piece(page=page, bbox=(x0, 80, x0 + 480, 700), xs=[x0, x0 + 40, x0 + 360, x0 + 480],
                           cells=cells, n_rows=len(rows) + 1, ocr=True)


def test_a_table_a_page_break_cuts_is_one_table():
    # the second sheet fed 6 pt to the left; OCR read its repeated header a letter apart, and
    # the group numeral III as IH
    a = _piece(1, 100, ["TT", "Nội dung công việc", "Cơ quan chủ trì"],
               [["I", "Công tác chỉ đạo"], ["1", "Ban hành", "Sở Nội vụ"]])
    b = _piece(2, 94, ["MT", "Nội dung công viêc", "Cơ quan chủ trì"],
               [["2", "Tổ chức", "Sở Tư pháp"], ["H", "Cải cách"], ["1", "Rà soát", "Sở Nội vụ"], ["IH", "Hiện đại"]])
    pages = [Page(number=1, width=595, height=842, tables=[a]), Page(number=2, width=595, height=842, tables=[b])]
    [table] = pdftables.join_pieces([], pages)
    assert (table.n_rows, table.n_cols) == (7, 3)
    assert [table.cell_at(r, 0).text for r in range(7)] == ["TT", "I", "1", "2", "II", "1", "III"]
    assert table.cell_at(4, 2).text == "Cải cách"


def test_a_table_with_text_between_is_two():
    a = _piece(1, 100, ["TT", "Nội dung công việc", "Cơ quan chủ trì"], [["1", "Ban hành", "Sở Nội vụ"]])
    b = _piece(2, 94, ["TT", "Họ và tên", "Chức vụ"], [["1", "Nguyễn Văn A", "Giám đốc"]])
    b.bbox = (94, 300, 574, 700)
    between = Run(text="2. Danh sách Tổ giúp việc:", x0=94, y0=200, x1=400, y1=212, page=2, size=12)
    pages = [Page(number=1, width=595, height=842, tables=[a]),
             Page(number=2, width=595, height=842, runs=[between], tables=[b])]
    assert len(pdftables.join_pieces([], pages)) == 2


@pytest.mark.parametrize("read, mended", [
    (["I", "H", "IH"], ["I", "II", "III"]),         # the regression scan's group rows (kh-146)
    (["I", "I", "III"], ["I", "II", "III"]),
    (["l", "II", "lll", "IV", "V"], ["I", "II", "III", "IV", "V"]),
    (["A", "B", "C"], ["A", "B", "C"]),             # letters: another kind of group label
    (["I", "Tổng"], ["I", "Tổng"]),
])
def test_group_numerals_are_a_sequence(read, mended):
    assert mend_romans(read) == mended


@pytest.mark.parametrize("name", ["qngai-ubnd-tb-46-2025.scan.pdf", "qngai-2352-07-ct-ubnd.scan.pdf",
                                  "qngai-22-ttr.scan.pdf"])
def test_real_scans_have_no_tables(real_doc, name):
    """Portal signature boxes, an incoming stamp, a dossier's forms: ruled, and no table."""
    doc = real_doc(name)
    assert doc.tables == []
    assert not any(b.table is not None for b in doc.blocks)


def test_a_row_a_page_break_cuts_is_one_row():
    # Word let the second task's row break: its text goes on, lower case, at the next page's
    # top with an empty TT cell; a row that merely has no number starts a sentence of its own
    a = _piece(1, 100, ["TT", "Nội dung công việc", "Cơ quan chủ trì"],
               [["1", "Ban hành kế hoạch", "Sở Nội vụ"], ["2", "Tổ chức kiểm tra việc thực hiện", "Sở Tư"]])
    b = _piece(2, 100, ["TT", "Nội dung công việc", "Cơ quan chủ trì"],
               [["", "các thủ tục hành chính", "pháp"], ["", "Bố trí kinh phí", "Sở Tài chính"]])
    c = _piece(3, 100, ["TT", "Nội dung công việc", "Cơ quan chủ trì"], [["", "Rà soát văn bản", "Sở Tư pháp"]])
    pages = [Page(number=n, width=595, height=842, tables=[t]) for n, t in enumerate([a, b, c], 1)]
    [table] = pdftables.join_pieces([], pages)
    assert [[table.cell_at(r, k).text for k in range(3)] for r in range(1, table.n_rows)] == [
        ["1", "Ban hành kế hoạch", "Sở Nội vụ"],
        ["2", "Tổ chức kiểm tra việc thực hiện các thủ tục hành chính", "Sở Tư pháp"],
        ["", "Bố trí kinh phí", "Sở Tài chính"],
        ["", "Rà soát văn bản", "Sở Tư pháp"]]
