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
    # issue #11: a typist's space in a symbol stays as written; a space before the slash is read
    ("Nghị quyết số 17/NQ- CP ngày 07/3/2019 của Chính phủ", [("17/NQ- CP", "NQ", D(2019, 3, 7))]),
    ("Căn cứ vào Quyết định số: 350 /UB-QĐ-NĐ ngày 18 tháng 9 năm 1986 của UBND tỉnh Cao Bằng",
     [("350 /UB-QĐ-NĐ", "QĐ", D(1986, 9, 18))]),
    # a list under one kind word: each item inherits it (qngai-280-bc, qngai-vht534)
    ("tại các Công văn: số 87/HĐND-KTNS ngày 15/5/2024 về việc điều chỉnh dự toán chi ngân sách nhà nước "
     "năm 2024 đối với Văn phòng UBND tỉnh, số 208/HĐND-KTNS ngày 30/10/2024 về việc điều chỉnh dự toán",
     [("87/HĐND-KTNS", "CV", D(2024, 5, 15)), ("208/HĐND-KTNS", "CV", D(2024, 10, 30))]),
    ("Công văn số 4643/UBND-KGVX ngày 28/8/2024; số 4975/UBND-KGVX ngày 17/09/2024; số 5442/UBND-KGVX "
     "ngày 10/10/2024 và số 6138/UBND-KGVX ngày 13/11/2024",
     [("4643/UBND-KGVX", "CV", D(2024, 8, 28)), ("4975/UBND-KGVX", "CV", D(2024, 9, 17)),
      ("5442/UBND-KGVX", "CV", D(2024, 10, 10)), ("6138/UBND-KGVX", "CV", D(2024, 11, 13))]),
    # …across references of other kinds named in between (qngai-ubnd-cv-575-2025)
    ("tại nội dung các Công văn: Số 1060/BTC-QLGCS ngày 23/01/2025 về việc xin ý kiến dự thảo tại Nghị "
     "định số 103/2024/NĐ-CP ngày 30/7/2024 của Chính phủ; số 1187/BTC-ĐT ngày 24/01/2025 về việc",
     [("1060/BTC-QLGCS", "CV", D(2025, 1, 23)), ("103/2024/NĐ-CP", "NĐ", D(2024, 7, 30)),
      ("1187/BTC-ĐT", "CV", D(2025, 1, 24))]),
    # …and the issuer named between the kind and số (caobang-ubnd-qd-157-1999)
    ("các Nghị định dưới luật của Hội đồng Chính phủ số : 88/CP, ngày 17/8/1994, số 60/CP ngày 05/7/1994 về",
     [("88/CP", "NĐ", D(1994, 8, 17)), ("60/CP", "NĐ", D(1994, 7, 5))]),
    # a list sharing the date written after its last item (qngai-299-ub, qngai-87-qdub)
    ("Thực hiện nội dung các Quyết định số: 1743/QĐ-BGTVT, 1744/QĐ-BGTVT ngày 31/12/2024 của Bộ trưởng",
     [("1743/QĐ-BGTVT", "QĐ", D(2024, 12, 31)), ("1744/QĐ-BGTVT", "QĐ", D(2024, 12, 31))]),
    ("thu hồi đất tại Quyết định số 406/QĐ-UBND và số 407/QĐ-UBND cùng ngày 13/12/2024 sang đất",
     [("406/QĐ-UBND", "QĐ", D(2024, 12, 13)), ("407/QĐ-UBND", "QĐ", D(2024, 12, 13))]),
    ("theo Quyết định số 406/QĐ-UBND, Nghị quyết số 12/NQ-HĐND ngày 13/12/2024",
     [("406/QĐ-UBND", "QĐ", None), ("12/NQ-HĐND", "NQ", D(2024, 12, 13))]),
    # the date of the clause that approved it (qngai-239-ttr)
    ("Ngày 22/11/2023, Thủ tướng Chính phủ phê duyệt Quy hoạch tỉnh Quảng Ngãi thời kỳ 2021-2030, tầm nhìn "
     "đến năm 2050 tại Quyết định số 1456/QĐ-TTg; theo đó", [("1456/QĐ-TTg", "QĐ", D(2023, 11, 22))]),
    # a number with `số` and no kind word: a công văn's symbol carries no type
    ("Xét đề nghị của ông Chủ tịch UBND Thị xã Cao Bằng tại phiếu trình số 13/UB-TP, ngày 18 tháng 01 năm 1999.",
     [("13/UB-TP", "CV", D(1999, 1, 18))]),
    ("Mặt bằng số 26/ QH-NĐ-UB ngày 03/11/1998 UBND tỉnh phê duyệt", [("26/ QH-NĐ-UB", "CV", D(1998, 11, 3))]),
    # the day its maker drew it up (qngai-15-qd-xp)
    ("Căn cứ Biên bản vi phạm hành chính số 09/BB-VPHC do ông Nguyễn Ngọc Cường, Cán bộ Phòng Cảnh sát "
     "điều tra tội phạm về tham những, kinh tế, buôn lậu, môi trường, Công an tỉnh Quảng Ngãi lập ngày 22/01/2025;",
     [("09/BB-VPHC", "BB", D(2025, 1, 22))]),
    ("theo Quyết định số 12/QĐ-UBND về việc công nhận Hội thành lập ngày 5/5/1990", [("12/QĐ-UBND", "QĐ", None)]),
    ("Theo đề nghị của Giám đốc Công an tỉnh tại Tờ trình số 484/TTr-CAT-TM(CSKT) ngày 24/01/2025 về việc",
     [("484/TTr-CAT-TM(CSKT)", "TTr", D(2025, 1, 24))]),
    ("(Quyết định 996/QĐ-TTg(sửa đổi) ngày 10/8/2018)", [("996/QĐ-TTg", "QĐ", None)]),
    # a comma read as a stop before a lower-case `ngày` (caobang-ubnd-qd-157-1999)
    ("Nghị định số 60/CP. ngày 05/7/1994 về quyền sở hữu nhà ở", [("60/CP", "NĐ", D(1994, 7, 5))]),
    ("theo Nghị định số 60/CP. Ngày 05/7/1994, Sở Xây dựng họp", [("60/CP", "NĐ", None)]),
    # what an unnumbered law amends: the date after the list is the amending law's (qngai-87-qdub)
    ("Căn cứ Luật Đất đai ngày 18/01/2024; Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, "
     "Luật Nhà ở số 27/2023/QH15 và Luật Các tổ chức tín dụng số 32/2024/QH15 ngày 29/6/2024;",
     [("31/2024/QH15", "Luật", None), ("27/2023/QH15", "Luật", None), ("32/2024/QH15", "Luật", None)]),
    ("Sửa đổi, bổ sung một số điều của Thông tư số 01/2020/TT-BNV ngày 15 tháng 01 năm 2020 của Bộ trưởng Bộ Nội vụ",
     [("01/2020/TT-BNV", "TT", D(2020, 1, 15))]),     # tests/data/notices/bnv-tt-07-2021: one document amended
    ("Căn cứ Nghị định số 12/2020/NĐ-CP ngày 05/3/2020 sửa đổi, bổ sung một số điều của Nghị định số "
     "5/2018/NĐ-CP ngày 10/01/2018 của Chính phủ;",
     [("12/2020/NĐ-CP", "NĐ", D(2020, 3, 5)), ("5/2018/NĐ-CP", "NĐ", D(2018, 1, 10))]),
    # not citations
    ("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 02 năm 2025,", []),
    ("theo tiêu chuẩn TCVN ISO 9001:2015.", []),
    ("từ ngày 10/5/2026 đến hết ngày 14/5/2026, tỷ lệ 1/2", []),
    ("Số: 454/UBND-NCTH", []),
    ("phòng chống dịch COVID-19 tại tổ 5/Khu phố 3", []),
    ("tại nhà số 12/1A, phường Nghĩa Chánh", []),
    ("giai đoạn 2021 - 2025, số 5/Khu phố 3", []),
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
