"""A small plan as a .docx with a real Word task table (merged cells), for the table tests."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "ingest"))
from docx_factory import make_docx, p  # noqa: E402


def _tc(text: str, pr: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{p(text)}</w:tc>"


def make_table_docx() -> bytes:
    rows = [
        [_tc("TT"), _tc("Nội dung công việc"), _tc("Cơ quan chủ trì"), _tc("Thời gian hoàn thành")],
        [_tc("I"), _tc("Công tác chuẩn bị", '<w:gridSpan w:val="3"/>')],
        [_tc("1"), _tc("Xây dựng kế hoạch kiểm tra"), _tc("Sở Nội vụ", '<w:vMerge w:val="restart"/>'),
         _tc("Quý III/2026")],
        [_tc("2"), _tc("Tổ chức hội nghị sơ kết"), _tc("", "<w:vMerge/>"), _tc("Từ 01/7 đến 15/7/2026")],
        [_tc(""), _tc("Bố trí kinh phí thực hiện"), _tc("Sở Tài chính"), _tc("Thường xuyên")],
        [_tc(""), _tc(""), _tc(""), _tc("")],
    ]
    table = ('<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single"/><w:insideH w:val="single"/>'
             '<w:insideV w:val="single"/></w:tblBorders></w:tblPr>'
             + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>")
    body = (p("KẾ HOẠCH") + p("Kiểm tra công tác cải cách hành chính năm 2026")
            + p("I. MỤC ĐÍCH") + p("1. Nâng cao kỷ luật, kỷ cương hành chính.")
            + p("II. NHIỆM VỤ") + p("Các nhiệm vụ cụ thể như sau:") + table
            + p("Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Sở Nội vụ./."))
    return make_docx(body)
