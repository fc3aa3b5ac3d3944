"""Geometry → blocks on hand-placed runs (points, origin top-left, A4), one rule a case."""
from __future__ import annotations

import pytest

from pipeline.ingest.layout import Page, Run, clean, join_lines, runs_to_rows
from pipeline.ingest.pages import runs_to_blocks
from pipeline.model import Region

L, R = 85.0, 537.0          # text area of the dev notices


def run(text, x0, y, x1=None, size=14.0, bold=False, page=1):
    x1 = x1 if x1 is not None else x0 + 0.45 * size * len(text)
    return Run(text=text, x0=x0, y0=y, x1=min(x1, R), y1=y + size, page=page, size=size, bold=bold)


def notice(*body, pages=1):
    head = [run("UBND TỈNH QUẢNG NGÃI", 91, 60, 252, 13, True), run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 274, 60, 523, 12, True),
            run("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 94, 80, 250, 13, True), run("Độc lập - Tự do - Hạnh phúc", 325, 82, 471, 12, True),
            run("Số: 12/TB-SKHCN", 128, 105, 216, 13), run("Quảng Ngãi, ngày 02 tháng 4 năm 2021", 302, 112, 494, 12)]
    foot = [run("Nơi nhận:", 85, 700, 140, 12, True), run("TL. GIÁM ĐỐC", 370, 700, 460, 14, True),
            run("- Như trên;", 85, 716, 140, 11), run("CHÁNH VĂN PHÒNG", 350, 718, 480, 14, True),
            run("- Lưu: VT.", 85, 730, 140, 11), run("Nguyễn Thị Xuân", 360, 790, 470, 14, True)]
    return [Page(number=1, width=595, height=842, runs=head + list(body) + foot)]


def test_columns_apart_and_in_order():
    blocks = runs_to_blocks(notice(run("THÔNG BÁO", 269, 150, 354, 14, True)))
    got = [(b.region, b.text) for b in blocks]
    assert got == [
        (Region.HEADER_LEFT, "UBND TỈNH QUẢNG NGÃI"), (Region.HEADER_LEFT, "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
        (Region.HEADER_LEFT, "Số: 12/TB-SKHCN"),
        (Region.HEADER_RIGHT, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (Region.HEADER_RIGHT, "Độc lập - Tự do - Hạnh phúc"),
        (Region.HEADER_RIGHT, "Quảng Ngãi, ngày 02 tháng 4 năm 2021"),
        (Region.BODY, "THÔNG BÁO"),
        (Region.FOOTER_LEFT, "Nơi nhận:"), (Region.FOOTER_LEFT, "- Như trên;"), (Region.FOOTER_LEFT, "- Lưu: VT."),
        (Region.FOOTER_RIGHT, "TL. GIÁM ĐỐC"), (Region.FOOTER_RIGHT, "CHÁNH VĂN PHÒNG"), (Region.FOOTER_RIGHT, "Nguyễn Thị Xuân"),
    ]


# (case, body runs, expected body block texts)
PARAGRAPHS = [
    ("wrapped lines join", [run("Ngày 29/3/2021, Giám đốc Sở chủ trì", 113, 200, R), run("cuộc họp giao ban.", L, 216, 200)],
     ["Ngày 29/3/2021, Giám đốc Sở chủ trì cuộc họp giao ban."]),
    ("first-line indent starts one", [run("Một dòng dài đến lề phải", 113, 200, R), run("và hết.", L, 216, 130),
                                      run("Đoạn sau thụt đầu dòng", 113, 232, R), run("tiếp.", L, 248, 120)],
     ["Một dòng dài đến lề phải và hết.", "Đoạn sau thụt đầu dòng tiếp."]),
    ("label starts one", [run("1. Phòng Quản lý Khoa học:", L, 200, 260), run("(1) Đôn đốc các cơ quan", L, 216, R),
                          run("a) Việc khác;", L, 232, R), run("- gạch đầu dòng", L, 248, R), run("Điều 3. Hiệu lực", L, 264, R)],
     ["1. Phòng Quản lý Khoa học:", "(1) Đôn đốc các cơ quan", "a) Việc khác;", "- gạch đầu dòng", "Điều 3. Hiệu lực"]),
    ("a compound wrapped before its dash joins",
     [run("2. Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh và các đoàn thể chính trị", L, 200, R),
      run("- xã hội tỉnh phối hợp tuyên truyền.", L, 216, 300)],
     ["2. Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh và các đoàn thể chính trị - xã hội tỉnh phối hợp tuyên truyền."]),
    ("two names joined by a dash wrapped before it",
     [run("Họp thẩm định Báo cáo nghiên cứu khả thi dự án Đường ven biển Dung Quất", L, 200, R),
      run("- Sa Huỳnh, giai đoạn II", L, 216, 250)],
     ["Họp thẩm định Báo cáo nghiên cứu khả thi dự án Đường ven biển Dung Quất - Sa Huỳnh, giai đoạn II"]),
    ("a bullet after a full line without a stop",
     [run("Các đơn vị thực hiện những việc sau đây gồm các nội dung chính như", L, 200, R),
      run("- Sở Tài chính bố trí kinh phí.", L, 216, 300)],
     ["Các đơn vị thực hiện những việc sau đây gồm các nội dung chính như", "- Sở Tài chính bố trí kinh phí."]),
    ("a lower-case bullet after a short line",
     [run("Các xã gồm:", L, 200, 200), run("- các xã miền núi;", L, 216, 300)],
     ["Các xã gồm:", "- các xã miền núi;"]),
    ("a wrapped code joins without a space", [run("tại Kế hoạch 76/KH-", L, 200, R), run("SKHCN ngày 20/01/2021.", L, 216, 250)],
     ["tại Kế hoạch 76/KH-SKHCN ngày 20/01/2021."]),
    ("kind of document apart from its trích yếu; trích yếu lines join",
     [run("THÔNG BÁO", 269, 150, 354, 14, True),
      run("Kết luận của Giám đốc Sở tại cuộc họp giao ban liên tịch", 87, 170, 536, 13, True),
      run("Quý I năm 2021", 268, 186, 356, 13, True)],
     ["THÔNG BÁO", "Kết luận của Giám đốc Sở tại cuộc họp giao ban liên tịch Quý I năm 2021"]),
]


@pytest.mark.parametrize("case,body,expected", PARAGRAPHS, ids=[c[0] for c in PARAGRAPHS])
def test_paragraphs(case, body, expected):
    blocks = [b for b in runs_to_blocks(notice(*body)) if b.region == Region.BODY]
    assert [b.text for b in blocks] == expected


def test_page_numbers_dropped():
    pages = notice(run("Đoạn một.", 113, 200, 200))
    pages[0].runs.append(run("1", 295, 20, 302, 12))
    pages.append(Page(number=2, width=595, height=842, runs=[run("2", 295, 20, 302, 12), run("Đoạn hai.", 113, 200, 200, page=2)]))
    texts = [b.text for b in runs_to_blocks(pages)]
    assert "1" not in texts and "2" not in texts and "Đoạn hai." in texts


@pytest.mark.parametrize("raw,want", [
    ("\u00d0ồng ý", "Đồng ý"),
    ("Cô\u0323ng  ho\u0300a\n", "Cộng hòa"),        # decomposed → NFC, spaces folded
    ("KH\ufffeSKHCN", "KH-SKHCN"),
])
def test_clean(raw, want):
    assert clean(raw) == want


@pytest.mark.parametrize("lines,want", [
    (["Trần Phước Hiền -", "Phó Chủ tịch"], "Trần Phước Hiền - Phó Chủ tịch"),
    (["76/KH-", "SKHCN"], "76/KH-SKHCN"),
    (["một", "hai"], "một hai"),
])
def test_join_lines(lines, want):
    assert join_lines(lines) == want


# a reader may run the left header column into the Quốc hiệu (real scan qngai-04-qd-138: a
# gap of 0.9 em between `NGÃI` and `CỘNG`): the Quốc hiệu opens the right column all the same;
# a sentence that names the Republic keeps its words on one line
ROWS = [
    ("header-run-together", [run("UBND TỈNH QUẢNG NGÃI", 97, 56, 254, 13), run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 266, 57, 520, 13)],
     ["UBND TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
    ("motto-misread", [run("BAN CHỈ ĐẠO 138", 120, 72, 230, 13), run("Độc lập - Tự đo - Hạnh phúc", 240, 73, 420, 13)],
     ["BAN CHỈ ĐẠO 138", "Độc lập - Tự đo - Hạnh phúc"]),
    ("sentence", [run("theo Hiến pháp nước", 90, 300, 210, 13), run("Cộng hòa xã hội chủ nghĩa Việt Nam", 213, 300, 420, 13)],
     ["theo Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"]),
]


@pytest.mark.parametrize("case, runs, lines", ROWS, ids=[c[0] for c in ROWS])
def test_the_quoc_hieu_opens_a_line(case, runs, lines):
    assert [ln.text for row in runs_to_rows(runs) for ln in row] == lines
