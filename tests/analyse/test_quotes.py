"""Quoted amendment text belongs to the item that quotes it (issue 12; ../shared/eval/README.md,
*What real files add*: labels inside the quotes are not items of this document)."""
import pytest

from pipeline.analyse.quotes import quoted_paragraphs
from bodytree import tree as body_tree


def tree(texts):
    """(path, full text) of each item."""
    return [(path, text) for _, path, text in body_tree(texts)]


AMENDING = [
    "Điều 1. Sửa đổi, bổ sung một số điều của Thông tư số 01/2020/TT-BNV ngày 15 tháng 01 năm 2020 "
    "của Bộ trưởng Bộ Nội vụ",
    "1. Sửa đổi khoản 2 Điều 5 như sau:",
    "“2. Việc nhận kết quả giải quyết thủ tục hành chính được thực hiện theo một trong các hình thức sau:",
    "a) Nhận trực tiếp tại Bộ phận Một cửa;",
    "b) Nhận qua dịch vụ bưu chính công ích theo quy định.”.",
    "2. Bổ sung Điều 7a như sau:",
    "“Điều 7a. Trách nhiệm của Văn phòng Bộ",
    "1. Hướng dẫn, kiểm tra việc thực hiện quy trình tiếp nhận hồ sơ.",
    "2. Tổng hợp, báo cáo Bộ trưởng kết quả thực hiện hằng năm.”.",
    "Điều 2. Hiệu lực thi hành",
    "Thông tư này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2021./.",
]

CASES = [
    # (name, paragraphs, expected (path, text begins) in order)
    ("amending article: quoted khoản and điểm, quoted Điều 7a with its own khoản", AMENDING, [
        ("Điều 1", "Sửa đổi, bổ sung một số điều"),
        ("Điều 1.1", "Sửa đổi khoản 2 Điều 5 như sau:\n“2. Việc nhận kết quả"),
        ("Điều 1.2", "Bổ sung Điều 7a như sau:\n“Điều 7a. Trách nhiệm"),
        ("Điều 2", "Hiệu lực thi hành"),
    ]),
    ("straight quotes as OCR and plain text give them, closed by ./. at the end", [
        "Điều 1. Sửa đổi Điều 3 Quyết định số 12/2019/QĐ-UBND như sau:",
        "\"Điều 3. Tổ chức thực hiện",
        "1. Sở Nội vụ chủ trì, hướng dẫn thực hiện.",
        "2. Các sở, ban, ngành phối hợp thực hiện.\"./.",
    ], [
        ("Điều 1", "Sửa đổi Điều 3 Quyết định số 12/2019/QĐ-UBND như sau:\n\"Điều 3. Tổ chức"),
    ]),
    ("a quote opened after the colon of the quoting item itself", [
        "1. Sửa đổi khoản 1 Điều 4 như sau: “1. Hồ sơ gồm:",
        "a) Tờ khai theo mẫu;",
        "b) Bản sao giấy tờ tùy thân.”",
        "2. Bãi bỏ khoản 3 Điều 6.",
    ], [
        ("1", "Sửa đổi khoản 1 Điều 4 như sau: “1. Hồ sơ gồm:\na) Tờ khai"),
        ("2", "Bãi bỏ khoản 3 Điều 6."),
    ]),
    ("each paragraph quoted on its own", [
        "3. Sửa đổi điểm a, điểm b khoản 1 Điều 8 như sau:",
        "“a) Tổ chức tập huấn cho cán bộ, công chức;",
        "“b) Kiểm tra, đánh giá kết quả thực hiện.”",
        "4. Bổ sung khoản 4 vào Điều 9.",
    ], [
        ("3", "Sửa đổi điểm a, điểm b khoản 1 Điều 8"),
        ("4", "Bổ sung khoản 4 vào Điều 9."),
    ]),
    ("short quoted names in ordinary text swallow nothing", [
        "1. Tổ chức \"Ngày hội đọc sách\" tại Thư viện tỉnh.",
        "2. Phát động cuộc thi “Đại sứ văn hóa đọc” trong trường học.",
        "a) Đoàn Thanh niên chủ trì.",
        "3. Báo cáo kết quả trước ngày 30/6/2021.",
    ], [
        ("1", "Tổ chức \"Ngày hội đọc sách\""),
        ("2", "Phát động cuộc thi"),
        ("2.a", "Đoàn Thanh niên chủ trì."),
        ("3", "Báo cáo kết quả"),
    ]),
    ("a quote left open in mid-sentence (its closing mark lost) is a typo, not a span", [
        "1. Tổ chức chương trình “Tháng hành động vì trẻ em năm 2021.",
        "2. Giao Sở Lao động - Thương binh và Xã hội chủ trì.",
        "3. Báo cáo kết quả về Ủy ban nhân dân tỉnh.",
    ], [
        ("1", "Tổ chức chương trình"),
        ("2", "Giao Sở Lao động"),
        ("3", "Báo cáo kết quả"),
    ]),
    ("a quote that never closes gives the document's own labels back", [
        "1. Sửa đổi tên gọi như sau:",
        "“Quy chế tổ chức và hoạt động của Tổ công tác",
        "2. Giao Văn phòng hướng dẫn thực hiện.",
        "3. Giao Sở Tài chính bố trí kinh phí.",
    ], [
        ("1", "Sửa đổi tên gọi như sau:\n“Quy chế"),
        ("2", "Giao Văn phòng"),
        ("3", "Giao Sở Tài chính"),
    ]),
    ("a quoted name inside the quoted wording does not close it", [
        "1. Sửa đổi Điều 2 như sau:",
        "“Điều 2. Tên gọi",
        "1. Tên gọi là “Ngày hội đọc sách tỉnh Quảng Ngãi”.",
        "2. Ngày hội được tổ chức hằng năm.”.",
        "2. Bãi bỏ Điều 5.",
    ], [
        ("1", "Sửa đổi Điều 2 như sau:\n“Điều 2. Tên gọi\n1. Tên gọi"),
        ("2", "Bãi bỏ Điều 5."),
    ]),
]


@pytest.mark.parametrize("name,texts,expected", CASES, ids=[c[0] for c in CASES])
def test_quoted_wording_is_the_quoting_items_text(name, texts, expected):
    got = tree(texts)
    assert [p for p, _ in got] == [p for p, _ in expected]
    for (path, text), (_, begins) in zip(got, expected):
        assert text.startswith(begins), (path, text)


def test_amendment_quote_ends_in_its_item():
    got = dict(tree(AMENDING))
    assert got["Điều 1.1"].endswith("b) Nhận qua dịch vụ bưu chính công ích theo quy định.”.")
    assert got["Điều 1.2"].endswith("2. Tổng hợp, báo cáo Bộ trưởng kết quả thực hiện hằng năm.”.")


SPANS = [
    (["“6. Việc nhận kết quả được thực hiện tại Bộ phận Một cửa.”"], {0}),
    (["1. Sửa đổi như sau:", "“a) Một;", "b) Hai;", "c) Ba”;", "2. Bốn."], {1, 2, 3}),
    (["1. Sửa đổi như sau:", "« a) Một;", "b) Hai. »", "2. Bốn."], {1, 2}),
    (["1. Tổ chức \"Ngày hội\".", "2. Bốn."], set()),
    # a quote opened after a sentence's end runs to its closing mark (real scan qngai-09-ttr)
    (["a) Nội dung tại Điều 1. “Bãi bỏ toàn bộ các Nghị quyết",
      "1.Nghị quyết số 39/2011/NQ-HĐND ngày 12/12/2011 của HĐND tỉnh Quảng Ngãi;",
      "2.Nghị quyết số 27/2017/NQ-HĐND ngày 14/7/2017 đến năm học 2020-2021.”",
      "b)Nội dung tại Điều 2."], {1, 2}),
    # …not one opened mid-sentence, its closing mark lost
    (["1. Tổ chức “Ngày hội văn hóa", "2. Bốn.”"], set()),
]


@pytest.mark.parametrize("texts,expected", SPANS)
def test_quoted_paragraphs(texts, expected):
    assert quoted_paragraphs(texts) == expected
