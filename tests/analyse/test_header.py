"""Header rules on real header lines (dev notices and the shapes Nghị định 30/2020 prescribes)."""
import datetime as dt

import pytest

from pipeline.analyse.header import (Header, blocks_to_header, bodies_of, kind_of, parse_place_date,
                                     split_number, type_from_symbol)
from pipeline.model import Block, Region

NUMBERS = [
    ("Số: /TB-SKHCN", (None, "TB-SKHCN")),
    ("Số: 454/UBND-NCTH", ("454", "UBND-NCTH")),
    ("Số: 18/2009/QĐ-UBND", ("18/2009", "QĐ-UBND")),
    ("Số:   453 /TB-UBND", ("453", "TB-UBND")),
    ("Số: 4663/VPCP-QHQT", ("4663", "VPCP-QHQT")),
    ("Số 198-KL/TW", ("198", "KL/TW")),
    ("Số: 729/QĐ-TTg", ("729", "QĐ-TTg")),
    ("Số lượng: 12", None),
]


@pytest.mark.parametrize("line,expected", NUMBERS)
def test_split_number(line, expected):
    assert split_number(line) == expected


SYMBOL_TYPES = [
    ("TB-SKHCN", "TB"), ("QĐ-UBND", "QĐ"), ("QĐ-TTg", "QĐ"), ("KH-UBND", "KH"),
    ("NQ-HĐND", "NQ"), ("UBND-NCTH", None), ("VPCP-QHQT", None), ("KL/TW", "KL"),
]


@pytest.mark.parametrize("symbol,code", SYMBOL_TYPES)
def test_type_from_symbol(symbol, code):
    assert type_from_symbol(symbol) == code


PLACE_DATES = [
    ("Quảng Ngãi, ngày 02 tháng 4 năm 2021", ("Quảng Ngãi", dt.date(2021, 4, 2))),
    ("Vị Thanh, ngày 6 tháng 4 năm 2011", ("Vị Thanh", dt.date(2011, 4, 6))),
    ("Hà Nội, ngày tháng năm", ("Hà Nội", None)),
    ("TP. Hồ Chí Minh, ngày 2/4/2021", ("TP. Hồ Chí Minh", dt.date(2021, 4, 2))),
    ("Ngày 29/3/2021, Giám đốc Sở chủ trì", None),
]


@pytest.mark.parametrize("line,expected", PLACE_DATES)
def test_parse_place_date(line, expected):
    assert parse_place_date(line) == expected


KINDS = [("THÔNG BÁO", "TB"), ("QUYẾT ĐỊNH", "QĐ"), ("KẾ HOẠCH", "KH"), ("NGHỊ QUYẾT", "NQ"),
         ("QUYẾT ĐỊNH:", None), ("Thông báo", None), ("ỦY BAN NHÂN DÂN TỈNH", None)]


@pytest.mark.parametrize("line,code", KINDS)
def test_kind_of(line, code):
    found = kind_of(line)
    assert (found[0] if found else None) == code


ISSUERS = [
    (["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"], ["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]),
    (["ỦY BAN NHÂN DÂN", "TỈNH HẬU GIANG"], ["ỦY BAN NHÂN DÂN TỈNH HẬU GIANG"]),
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"], ["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"]),
    (["BỘ Y TẾ", "CỤC QUẢN LÝ DƯỢC"], ["BỘ Y TẾ", "CỤC QUẢN LÝ DƯỢC"]),
    (["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ", "CÔNG NGHỆ"], ["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]),
    (["VĂN PHÒNG CHÍNH PHỦ"], ["VĂN PHÒNG CHÍNH PHỦ"]),
]


@pytest.mark.parametrize("lines,bodies", ISSUERS)
def test_bodies_of(lines, bodies):
    assert bodies_of(lines) == bodies


def _blocks(left, right, body):
    return ([Block(text=t, region=Region.HEADER_LEFT) for t in left]
            + [Block(text=t, region=Region.HEADER_RIGHT) for t in right]
            + [Block(text=t, region=Region.BODY) for t in body])


def test_header_of_a_thong_bao():
    h: Header = blocks_to_header(_blocks(
        ["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: /TB-SKHCN"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Quảng Ngãi, ngày 02 tháng 4 năm 2021"],
        ["THÔNG BÁO", "Kết luận của Giám đốc Sở tại cuộc họp giao ban", "Ngày 29/3/2021, Giám đốc Sở chủ trì"]))
    assert (h.issuer, h.issuer_parent) == ("Sở Khoa học và Công nghệ", "UBND tỉnh Quảng Ngãi")
    assert (h.number, h.symbol, h.doc_type, h.place) == (None, "TB-SKHCN", "TB", "Quảng Ngãi")
    assert h.issued_date == dt.date(2021, 4, 2)
    assert h.subject == "Kết luận của Giám đốc Sở tại cuộc họp giao ban"
    assert h.body_start == 8


def test_header_of_a_cong_van_takes_vv_as_subject():
    h = blocks_to_header(_blocks(
        ["ỦY BAN NHÂN DÂN", "TỈNH HẬU GIANG", "Số: 454/UBND-NCTH", "V/v tiếp tục phối hợp tuyên truyền", "và tham gia bầu chọn"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Vị Thanh, ngày 6 tháng 4 năm 2011"],
        ["Kính gửi:", "- Giám đốc Sở Văn hóa, Thể thao và Du lịch;"]))
    assert h.issuer == "Ủy ban nhân dân tỉnh Hậu Giang" and h.issuer_parent is None
    assert (h.number, h.symbol, h.doc_type) == ("454", "UBND-NCTH", "CV")
    assert h.subject == "tiếp tục phối hợp tuyên truyền và tham gia bầu chọn"


def test_header_without_columns_is_read_by_content():
    h = blocks_to_header([Block(text=t) for t in [
        "BỘ Y TẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 12/KH-BYT",
        "Hà Nội, ngày 5 tháng 1 năm 2024", "KẾ HOẠCH", "Triển khai công tác năm 2024", "I. MỤC ĐÍCH"]])
    assert (h.issuer, h.number, h.symbol, h.doc_type) == ("Bộ Y tế", "12", "KH-BYT", "KH")
    assert h.issued_date == dt.date(2024, 1, 5) and h.subject == "Triển khai công tác năm 2024"


def test_header_warns_when_the_decree_is_not_followed():
    h = blocks_to_header([Block(text="Một đoạn văn bản không có tiêu đề.")])
    assert any("Số:" in w for w in h.warnings) and any("date" in w for w in h.warnings)


# OCR of real scans: a tone mark lost in the kind line, `Só` for `Số`, no space after `ngày`,
# the kind line run together with its trích yếu by the reader
OCR_KINDS = [("QUYÉT ĐỊNH", "QĐ"), ("THONG BAO", "TB"), ("KÉ HOẠCH", "KH")]


@pytest.mark.parametrize("line,code", OCR_KINDS)
def test_kind_of_survives_ocr_tone_marks(line, code):
    assert kind_of(line)[0] == code


def test_ocr_header_of_the_government_scan():
    h = blocks_to_header(_blocks(
        ["THỦ TƯỚNG CHÍNH PHỦ", "———", "Só: /QĐ-TTg"],
        ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày23 tháng 4 năm 2026",
         "QUYÉT ĐỊNH"],
        ["Người ký: CÔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Email: thongtinchinhphu@chinhphu.vn",
         "Phê chuẩn kết quả bầu chức vụ Chủ tịch Ủy ban nhân dân thành phố Đà Nẵng", "THỦ TƯỚNG CHÍNH PHỦ"]))
    assert (h.issuer, h.symbol, h.doc_type, h.place) == ("Thủ tướng Chính phủ", "QĐ-TTg", "QĐ", "Hà Nội")
    assert h.issued_date == dt.date(2026, 4, 23)
    assert h.subject == "Phê chuẩn kết quả bầu chức vụ Chủ tịch Ủy ban nhân dân thành phố Đà Nẵng"


def test_kind_line_joined_with_its_subject():
    h = blocks_to_header(_blocks(
        ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG", "Số: 18/2009/QĐ-UBND"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Vĩnh Long, ngày 06 tháng 10 năm 2009"],
        ["QUYẾT ĐỊNH VỀ VIỆC THU HỒI QUYẾT ĐỊNH SỐ 2093/2005/QĐ-UBND", "ỦY BAN NHÂN DÂN TỈNH"]))
    assert (h.doc_type, h.subject) == ("QĐ", "VỀ VIỆC THU HỒI QUYẾT ĐỊNH SỐ 2093/2005/QĐ-UBND")


def test_subject_over_two_centred_paragraphs_stops_at_the_authority_line():
    blocks = _blocks(["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 45/QĐ-UBND"],
                     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quảng Ngãi, ngày 5 tháng 1 năm 2024"],
                     ["QUYẾT ĐỊNH", "Về việc ban hành Kế hoạch cải cách hành chính", "của tỉnh Quảng Ngãi năm 2024",
                      "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "Căn cứ Luật Tổ chức chính quyền địa phương;"])
    for b in blocks[5:]:
        b.align = "center"
    blocks[-1].align = "both"
    h = blocks_to_header(blocks)
    assert h.subject == "Về việc ban hành Kế hoạch cải cách hành chính của tỉnh Quảng Ngãi năm 2024"
    assert blocks[h.body_start].text == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"


def test_party_kind_line_names_its_author_and_subject_goes_on_in_lower_case():
    """`NGHỊ QUYẾT` / `CỦA BAN THƯỜNG VỤ TỈNH ỦY` / `về …` (Hướng dẫn 36-HD/VPTW); no alignment
    known (plain text): a line opening in lower case still continues the trích yếu."""
    h = blocks_to_header(_blocks(
        ["TỈNH ỦY QUẢNG NAM", "*", "Số 12-NQ/TU"], ["ĐẢNG CỘNG SẢN VIỆT NAM", "Tam Kỳ, ngày 20 tháng 4 năm 2021"],
        ["NGHỊ QUYẾT", "CỦA BAN THƯỜNG VỤ TỈNH ỦY", "về phát triển kinh tế nông nghiệp", "giai đoạn 2021 - 2025",
         "Thực hiện Nghị quyết Đại hội"]))
    assert (h.number, h.symbol, h.doc_type) == ("12", "NQ/TU", "NQ")
    assert h.subject == "về phát triển kinh tế nông nghiệp giai đoạn 2021 - 2025"
    h = blocks_to_header(_blocks(
        ["BỘ TÀI CHÍNH", "Số: 45/2021/TT-BTC"], ["Hà Nội, ngày 18 tháng 6 năm 2021"],
        ["THÔNG TƯ", "Quy định chế độ công tác phí,", "chế độ chi hội nghị", "Căn cứ Luật Ngân sách nhà nước"]))
    assert h.subject == "Quy định chế độ công tác phí, chế độ chi hội nghị"


def test_header_lines_left_in_the_body_are_taken_back():
    """A plain-text copy whose second issuer line stands alone: the reader ends the header
    after the first line and joins the `Số` and date cells (tests/data/notices/quangngai-btgtu-hd-05-2021)."""
    h = blocks_to_header(_blocks(
        ["TỈNH ỦY QUẢNG NGÃI"], ["ĐẢNG CỘNG SẢN VIỆT NAM"],
        ["BAN TUYÊN GIÁO", "*", "Số 05-HD/BTGTU Quảng Ngãi, ngày 5 tháng 3 năm 2021", "HƯỚNG DẪN",
         "tuyên truyền kỷ niệm các ngày lễ lớn", "Thực hiện Hướng dẫn số 162-HD/BTGTW"]))
    assert (h.issuer, h.issuer_parent) == ("Ban Tuyên giáo", "Tỉnh ủy Quảng Ngãi")
    assert (h.number, h.symbol, h.doc_type, h.place) == ("05", "HD/BTGTU", "HD", "Quảng Ngãi")
    assert h.issued_date == dt.date(2021, 3, 5) and h.subject == "tuyên truyền kỷ niệm các ngày lễ lớn"


def test_vv_wrapped_into_the_body_and_urgency_mark_under_it():
    """A V/v whose second line a plain-text reader set in the body; KHẨN under the V/v is a
    mark, not the trích yếu (tests/data/notices/nghean-ubnd-cv-3120-2021, byt-cv-3856-2021)."""
    h = blocks_to_header(_blocks(
        ["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN", "Số: 3120/UBND-VX", "V/v triển khai các biện pháp cấp bách"],
        ["Nghệ An, ngày 14 tháng 5 năm 2021"],
        ["phòng, chống dịch COVID-19", "Kính gửi: Các sở, ban, ngành cấp tỉnh."]))
    assert h.subject == "triển khai các biện pháp cấp bách phòng, chống dịch COVID-19" and h.body_start == 6
    h = blocks_to_header(_blocks(
        ["BỘ Y TẾ", "CỤC Y TẾ DỰ PHÒNG", "Số: 3856/DP-DT", "V/v tăng cường giám sát", "phát hiện sớm COVID-19", "KHẨN"],
        ["Hà Nội, ngày 17 tháng 5 năm 2021"], ["Kính gửi:"]))
    assert (h.subject, h.urgency) == ("tăng cường giám sát phát hiện sớm COVID-19", "KHẨN")
    assert (h.issuer, h.issuer_parent) == ("Cục Y tế dự phòng", "Bộ Y tế")


# Trích yếu under the kind line on real pages, each line with its box as ingest gave it (page
# 1; x0, y0, x1, y1 in points): a line of the same paragraph stands directly under the one
# before, the body's first paragraph a gap lower. Issue #11. (lines, the trích yếu)
SUBJECT_GEOMETRY = [
    # qngai-05.pdf (text PDF): justified lines, the last centred, the second ends on `TNHH`
    ([("THÔNG BÁO", (276.5, 151.5, 361.6, 164.7), "center"),
      ("Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe", (121.4, 167.8, 516.5, 183.5), "left"),
      ("báo cáo về tình hình thực hiện công tác cổ phần hóa Công ty TNHH", (117.1, 183.9, 520.8, 199.6), "left"),
      ("MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi trong thời gian qua và nhiệm vụ trọng tâm trong thời gian đến",
       (121.9, 200.0, 516.0, 231.8), "center"),
      ("Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh Võ Phiên chủ trì họp", (99.3, 258.7, 538.7, 384.3), "left")],
     "Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe báo cáo về tình hình thực hiện công tác "
     "cổ phần hóa Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi trong thời gian qua và "
     "nhiệm vụ trọng tâm trong thời gian đến"),
    # qngai-239-ttr (scan): a line opening with the cited number
    ([("TỜ TRÌNH", (275.8, 146.9, 344.5, 160.2), "center"),
      ("Về việc đề nghị xây dựng Nghị quyết của HĐND tỉnh bãi bỏ Nghị quyết số", (88.2, 162.0, 531.4, 185.4), "left"),
      ("24/2013/NQ-HĐND ngày 10/12/2013 của HĐND tỉnh về việc thông qua", (98.6, 179.6, 520.6, 200.9), "left"),
      ("Quy hoạch tổng thể phát triển du lịch tỉnh Quảng Ngãi đến năm 2020, tầm nhìn đến năm 2025",
       (100.1, 194.8, 519.5, 225.0), "center"),
      ("Kính gửi: Thường trực HĐND tỉnh", (229.0, 252.0, 426.2, 265.3), "center")],
     "Về việc đề nghị xây dựng Nghị quyết của HĐND tỉnh bãi bỏ Nghị quyết số 24/2013/NQ-HĐND ngày 10/12/2013 "
     "của HĐND tỉnh về việc thông qua Quy hoạch tổng thể phát triển du lịch tỉnh Quảng Ngãi đến năm 2020, "
     "tầm nhìn đến năm 2025"),
    # qngai-2770-08-ct-ubnd (scan): an incoming stamp took the body's first words, so its lines
    # open in lower case; they stand a paragraph's gap under the trích yếu and are not part of it
    ([("CHỈ THỊ", (272, 103, 326, 118), "center"),
      ("Về việc tăng cường công tác quản lý nhà nước để hỗ trợ nhà đầu tư", (98, 117, 499, 142), "left"),
      ("án sử dụng vốn ngoài ngân sách nhà nước tại tỉnh Quảng Ngãi", (160, 136, 524, 152), "left"),
      ("qua, các cấp, các ngành đã có nhiều cố gắng trong lãnh đạo, chỉ", (166, 167, 527, 188), "left"),
      ("quản lý nhà nước về cải cách thủ tục hành chính, thu hút đầu tư", (162, 182, 528, 203), "left")],
     "Về việc tăng cường công tác quản lý nhà nước để hỗ trợ nhà đầu tư án sử dụng vốn ngoài ngân sách nhà "
     "nước tại tỉnh Quảng Ngãi"),
]


@pytest.mark.parametrize("lines, subject", SUBJECT_GEOMETRY)
def test_subject_lines_are_those_standing_under_one_another(lines, subject):
    from pipeline.model import BBox
    blocks = _blocks(["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 11 /TB-UBND"],
                     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Quảng Ngãi, ngày 08 tháng 01 năm 2025"],
                     [text for text, _, _ in lines])
    for b, (_, box, align) in zip(blocks[5:], lines):
        b.page, b.bbox, b.align = 1, BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3]), align
    h = blocks_to_header(blocks)
    assert h.subject == subject
    assert blocks[h.body_start].text == next(t for t, _, _ in lines[1:] if t not in subject)
