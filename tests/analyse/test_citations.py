"""References to other documents: (real phrase, expected refs with type code and date)."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.analyse.citations import find_citations

D = dt.date
CASES = [
    # the date first, in the clause that issues the document
    ("Ngày 19/4/2021, Chính phủ ban hành Nghị định số 52/2021/NĐ-CP quy định gia hạn thời hạn nộp thuế.",
     [("52/2021/NĐ-CP", "NĐ", D(2021, 4, 19))]),
    ("Ngày 19/4/2021, Sở Y tế tổ chức họp; thực hiện Nghị định số 52/2021/NĐ-CP.",
     [("52/2021/NĐ-CP", "NĐ", None)]),
    # a law's name may hold a list
    ("Căn cứ Luật Cán bộ, công chức số 22/2008/QH12 ngày 13 tháng 11 năm 2008;",
     [("22/2008/QH12", "Luật", D(2008, 11, 13))]),
    ("(7) Kịp thời tham mưu … tại Thông báo số 105/TB-UBND ngày 17/3/2021 (các nội dung thuộc chức năng của phòng).",
     [("105/TB-UBND", "TB", D(2021, 3, 17))]),
    ("thay thế Quyết định số 52/2016/QĐ-UBND ngày 20/9/2016 của UBND tỉnh Quảng Ngãi.",
     [("52/2016/QĐ-UBND", "QĐ", D(2016, 9, 20))]),
    ("các nhiệm vụ được giao tại Kế hoạch 76/KH-SKHCCN ngày 20/01/2021 và Thông báo số 212/TB-SKHCCN ngày 03/3/2021",
     [("76/KH-SKHCCN", "KH", D(2021, 1, 20)), ("212/TB-SKHCCN", "TB", D(2021, 3, 3))]),
    ("theo Kế hoạch số 76/KH-SKH&CN ngày 20/01/2021 của Sở KH&CN.", [("76/KH-SKH&CN", "KH", D(2021, 1, 20))]),
    ("(Quyết định 996/QĐ-TTg ngày 10/8/2018 của Thủ tướng Chính phủ)", [("996/QĐ-TTg", "QĐ", D(2018, 8, 10))]),
    ("nhận được Công văn số 847/UBND-VX1 ngày 22 tháng 3 năm 2011 của UBND tỉnh Quảng Ninh V/v tiếp tục",
     [("847/UBND-VX1", "CV", D(2011, 3, 22))]),
    ("Xét đề nghị của Bộ Thông tin và Truyền thông (công văn số 2202/BTTTT-HTQT ngày 10/7/2008),",
     [("2202/BTTTT-HTQT", "CV", D(2008, 7, 10))]),
    ("Thu hồi Quyết định số 2093/2005/QĐ .UBND ngày 06/9/2005 của Ủy ban nhân dân tỉnh",
     [("2093/2005/QĐ .UBND", "QĐ", D(2005, 9, 6))]),
    ("Theo đề nghị của Giám đốc Sở Nội vụ tại tờ trình số 311/TTr-SNV ngày 30/9/2009,",
     [("311/TTr-SNV", "TTr", D(2009, 9, 30))]),
    ("Căn cứ Nghị định số 300/2025/NĐ-CP ngày 17 tháng lÌ năm 2025 của\nChính phủ quy định",
     [("300/2025/NĐ-CP", "NĐ", D(2025, 11, 17))]),
    ("Bộ Nội vụ tại Tờ trình sô 252/TTy-BNV ngày l7 tháng 4 năm 2026.", [("252/TTr-BNV", "TTr", D(2026, 4, 17))]),  # OCR
    ("Thực hiện Kết luận số 198-KL/TW ngày 30/10/2025 của Bộ Chính trị", [("198-KL/TW", "KL", D(2025, 10, 30))]),
    ("Căn cứ Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương",
     [("18-NQ/TW", "NQ", D(2017, 10, 25))]),
    ("Căn cứ Thông tư số 01/2011/TT-BNV ngày 19 tháng 01 năm 2011 của Bộ Nội vụ",
     [("01/2011/TT-BNV", "TT", D(2011, 1, 19))]),
    ("Căn cứ Thông tư liên tịch số 220/2015/TTLT-BTC-BNV", [("220/2015/TTLT-BTC-BNV", "TTLT", None)]),
    ("Thực hiện Chỉ thị số 05/CT-TTg ngày 28/02/2020 của Thủ tướng", [("05/CT-TTg", "CT", D(2020, 2, 28))]),
    ("Căn cứ Luật số 80/2015/QH13 ngày 22 tháng 6 năm 2015", [("80/2015/QH13", "Luật", D(2015, 6, 22))]),
    ("Văn bản số 1234/SYT-NVY ngày 05/4/2021 của Sở Y tế", [("1234/SYT-NVY", "CV", D(2021, 4, 5))]),
    # a law cited by its name before its number (tests/data/notices/btc-tt-45-2021)
    ("Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13 ngày 25 tháng 6 năm 2015;",
     [("83/2015/QH13", "Luật", D(2015, 6, 25))]),
    ("Căn cứ Bộ luật Lao động số 45/2019/QH14;", [("45/2019/QH14", "Luật", None)]),
    ("Căn cứ Nghị quyết số 55/2017/QH14 ngày 1/1/2017", [("55/2017/QH14", "NQ", D(2017, 1, 1))]),
    # not citations
    ("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 02 năm 2025,", []),
    ("theo tiêu chuẩn TCVN ISO 9001:2015.", []),
    ("từ ngày 10/5/2026 đến hết ngày 14/5/2026, tỷ lệ 1/2", []),
    ("Số: 454/UBND-NCTH", []),
    ("phòng chống dịch COVID-19 tại tổ 5/Khu phố 3", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_find_citations(text: str, expected: list) -> None:
    found = find_citations(text)
    assert [(c.ref, c.doc_type, c.cited_date) for c in found] == expected


def test_own_number_is_not_cited() -> None:
    assert find_citations("Quyết định số 18/2009/QĐ-UBND ngày 06/10/2009", own_symbol="QĐ-UBND", own_number="18/2009") == []


def test_own_party_number_is_not_cited() -> None:
    text = "Số 12-NQ/TU ... Nghị quyết 12-NQ/TU được phổ biến; Kết luận số 54-KL/TW ngày 07/8/2019"
    assert [c.ref for c in find_citations(text, own_symbol="NQ/TU", own_number="12")] == ["54-KL/TW"]


def test_parts_and_issuer() -> None:
    (c,) = find_citations("Quyết định số 52/2016/QĐ-UBND ngày 20/9/2016 của UBND tỉnh Quảng Ngãi về việc")
    assert (c.number, c.year, c.doc_type_name, c.issuer_code, c.issuer) == ("52", 2016, "Quyết định", "UBND", "UBND tỉnh Quảng Ngãi")


def test_first_mention_wins_and_date_is_filled_later() -> None:
    found = find_citations("theo Thông báo 105/TB-UBND. Thực hiện Thông báo số 105/TB-UBND ngày 17/3/2021.")
    assert len(found) == 1 and found[0].cited_date == D(2021, 3, 17)
