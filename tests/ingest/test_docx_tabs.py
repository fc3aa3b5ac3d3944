"""Header and footer columns set with tabs in Word: each stretch goes to the column its place on
the line falls in, by the paragraph's tab stops (centred over each column, a line starting with
a tab) or Word's default stops (runs of tabs)."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Inches, Pt

from pipeline.analyse import analyse
from pipeline.ingest import read_bytes
from pipeline.ingest.tabs import columns

CENTRE = [(1.4, WD_TAB_ALIGNMENT.CENTER), (4.4, WD_TAB_ALIGNMENT.CENTER)]
LAYOUTS = {
    # tab stops centred over each column; lines start with a tab
    "centred stops": (CENTRE, ["\tBỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "\t\tĐộc lập - Tự do - Hạnh phúc",
                               "\tSố: 12/TB-BNV\tHà Nội, ngày 05 tháng 3 năm 2024"],
                      ["Nơi nhận:\tKT. BỘ TRƯỞNG", "- Như trên;\tTHỨ TRƯỞNG", "- Lưu: VT, TCCB.", "\t\tNguyễn Văn Bình"]),
    # no stops of its own: runs of tabs on Word's default half-inch stops
    "default stops": ([], ["BỘ NỘI VỤ\t\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "\t\t\t\t\tĐộc lập - Tự do - Hạnh phúc",
                           "Số: 12/TB-BNV\t\t\tHà Nội, ngày 05 tháng 3 năm 2024"],
                      ["Nơi nhận:\t\t\t\t\tKT. BỘ TRƯỞNG", "- Như trên;\t\t\t\t\tTHỨ TRƯỞNG", "- Lưu: VT, TCCB.",
                       "\t\t\t\t\t\tNguyễn Văn Bình"]),
    # left-aligned stops where the right column starts
    "left stop": ([(3.3, WD_TAB_ALIGNMENT.LEFT)], ["BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                    "\tĐộc lập - Tự do - Hạnh phúc", "Số: 12/TB-BNV\tHà Nội, ngày 05 tháng 3 năm 2024"],
                  ["Nơi nhận:\tKT. BỘ TRƯỞNG", "- Như trên;\tTHỨ TRƯỞNG", "- Lưu: VT, TCCB.", "\tNguyễn Văn Bình"]),
}


def _docx(stops, header, footer) -> bytes:
    d = Document()
    d.styles["Normal"].font.size = Pt(13)

    def para(text, bold=False, centre=False):
        p = d.add_paragraph()
        for pos, kind in stops:
            p.paragraph_format.tab_stops.add_tab_stop(Inches(pos), kind)
        p.add_run(text).bold = bold
        if centre:
            p.alignment = 1
    for line in header:
        para(line)
    para("THÔNG BÁO", bold=True, centre=True)
    para("Về việc tổ chức hội nghị tổng kết công tác năm 2023", bold=True, centre=True)
    para("1. Vụ Tổ chức cán bộ chủ trì chuẩn bị nội dung hội nghị, hoàn thành trước ngày 20/3/2024.")
    for line in footer:
        para(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_header_and_footer_set_with_tabs(layout):
    notice = analyse(read_bytes(_docx(*LAYOUTS[layout]), f"{layout}.docx"))
    sig = notice.signature
    assert (notice.issuer, notice.number, notice.symbol, notice.doc_type, notice.place, notice.issued_date.isoformat(),
            notice.subject) == ("Bộ Nội vụ", "12", "TB-BNV", "TB", "Hà Nội", "2024-03-05",
                                "Về việc tổ chức hội nghị tổng kết công tác năm 2023")
    assert (sig.sign_authority, sig.signed_for, sig.signer_title, sig.signer_name) == \
        ("KT.", "Bộ trưởng", "Thứ trưởng", "Nguyễn Văn Bình")
    assert [r.text for r in notice.recipients] == ["Như trên", "Lưu: VT, TCCB"]


@pytest.mark.parametrize("line, stops, expected", [
    ("\tBỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ((100.8, "center"), (316.8, "center")),
     ("BỘ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
    ("\t\tĐộc lập - Tự do - Hạnh phúc", ((100.8, "center"), (316.8, "center")), ("", "Độc lập - Tự do - Hạnh phúc")),
    ("Số: 12/TB-BNV\t\t\tHà Nội, ngày 05 tháng 3 năm 2024", (), ("Số: 12/TB-BNV", "Hà Nội, ngày 05 tháng 3 năm 2024")),
    ("- Lưu: VT.\t\t\t\t\t\tNguyễn Văn Bình", (), ("- Lưu: VT.", "Nguyễn Văn Bình")),
])
def test_where_each_stretch_stands(line, stops, expected):
    assert columns(line, stops) == expected


@pytest.mark.parametrize("line, expected", [
    ("\tĐộc lập - Tự do - Hạnh phúc", ("", "Độc lập - Tự do - Hạnh phúc", True)),   # tabbed over
    ("SỞ Y TẾ\t", ("SỞ Y TẾ", "", True)),                                          # a tab that moves nothing
    ("UBND TỈNH X\t\tCỘNG HÒA XÃ HỘI", ("UBND TỈNH X", "CỘNG HÒA XÃ HỘI", True)),
    ("Nội dung.", ("Nội dung.", "", False)),
])
def test_a_line_without_its_paragraphs_stops(line, expected):
    # where the stops are unknown (plain text), the first gap after some text parts the columns
    from pipeline.ingest.columns import _split_line
    assert _split_line(line) == expected
