"""Body items → tree with paths, sections vs tasks (eval README, *Items*)."""
import pytest

from pipeline.analyse.body import read_label
from pipeline.model import Block
from bodytree import tree

LABELS = [
    ("I. Các nhiệm vụ thường xuyên", ("roman", "I")),
    ("II. MỘT SỐ NHIỆM VỤ", ("roman", "II")),
    ("1. Phòng Quản lý Khoa học:", ("arabic", "1")),
    ("2) Giao Sở Tài chính", ("arabic", "2")),
    ("1.1. Phòng Kế hoạch", ("multi2", "1.1")),
    ("2.3.1 Rà soát hồ sơ", ("multi3", "2.3.1")),
    ("(1) Đôn đốc các cơ quan", ("paren", "(1)")),
    ("a) Rà soát, tổng hợp", ("letter", "a")),
    ("b. Báo cáo kết quả", ("letter", "b")),
    ("Điều 1. Thu hồi Quyết định số 2093/2005/QĐ-UBND", ("dieu", "Điều 1")),
    ("ĐIỀU 2. Hiệu lực", ("dieu", "Điều 2")),
    ("Điều1:- Nay phê duyệt, thu hồi đất đai", ("dieu", "Điều 1")),      # a typewriter's (caobang 1999)
    ("Chương II. QUY ĐỊNH CỤ THỂ", ("chuong", "Chương II")),
    ("Phần I. TÌNH HÌNH", ("phan", "Phần I")),
    ("Mục 1. Quy định chung", ("muc", "Mục 1")),
    ("- Kinh phí cho Đoàn dự họp", ("dash", "")),
    ("+ Sở Tài chính chủ trì", ("plus", "")),
    ("• Rà soát hồ sơ", ("dot", "")),
    ("Ngày 29/3/2021, Giám đốc Sở", None),
    ("Chương trình KH&CN hỗ trợ", None),
    ("Điều chỉnh kế hoạch", None),
    ("17.3.2021 là ngày họp", None),
]


@pytest.mark.parametrize("text,expected", LABELS)
def test_read_label(text, expected):
    lab = read_label(text)
    assert ((lab.kind, lab.label) if lab else None) == expected




def test_notice_outline_with_units_and_continuations():
    got = tree([
        "Sau khi nghe báo cáo, Giám đốc Sở kết luận như sau:",
        "I. Các nhiệm vụ thường xuyên",
        "1. Các phòng tập trung thực hiện các nhiệm vụ.",
        "II. Nhiệm vụ của các phòng",
        "1. Phòng Quản lý Khoa học:",
        "(1) Đôn đốc các cơ quan chủ trì.",
        "tập trung vào 7 lĩnh vực ưu tiên.",
        "(2) Hoàn thành kịp thời.",
        "2. Văn phòng Sở:",
        "(1) Phối hợp với các phòng.",
        "Nay thông báo kết luận để các phòng biết, thực hiện./.",
    ])
    assert got == [
        ("S", "I", "Các nhiệm vụ thường xuyên"),
        ("T", "I.1", "Các phòng tập trung thực hiện các nhiệm vụ."),
        ("S", "II", "Nhiệm vụ của các phòng"),
        ("S", "II.1", "Phòng Quản lý Khoa học:"),
        ("T", "II.1.(1)", "Đôn đốc các cơ quan chủ trì.\ntập trung vào 7 lĩnh vực ưu tiên."),
        ("T", "II.1.(2)", "Hoàn thành kịp thời."),
        ("S", "II.2", "Văn phòng Sở:"),
        ("T", "II.2.(1)", "Phối hợp với các phòng."),
    ]


def test_bullets_are_numbered_under_their_parent():
    got = tree(["1. Đồng ý cử Đoàn Việt Nam tham dự Đại hội.", "- Kinh phí do ngân sách chi.",
                "- Đoàn tự túc phương tiện.", "2. Ủy quyền cho Trưởng đoàn ký văn kiện."])
    assert [(k, p) for k, p, _ in got] == [("T", "1"), ("T", "1.-1"), ("T", "1.-2"), ("T", "2")]


def test_multilevel_label_takes_its_parents_place():
    got = tree(["III. TỔ CHỨC THỰC HIỆN", "2. Các sở, ngành:", "2.1. Sở Tài chính bố trí kinh phí.",
                "2.2. Sở Nội vụ hướng dẫn.", "2.2.1. Rà soát biên chế."])
    assert [p for _, p, _ in got] == ["III", "III.2", "III.2.1", "III.2.2", "III.2.2.1"]


def test_articles_of_a_decision():
    got = tree(["Điều 1. Thu hồi Quyết định số 2093/2005/QĐ-UBND.", "Lý do: không còn phù hợp.",
                "Điều 2. Quyết định này có hiệu lực sau 10 ngày.",
                "Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này./."])
    assert [(k, p) for k, p, _ in got] == [("T", "Điều 1"), ("T", "Điều 2"), ("T", "Điều 3")]
    assert got[0][2].endswith("Lý do: không còn phù hợp.")


def test_a_clerks_dash_before_the_grounds_makes_no_item():
    # real scan caobang-ubnd-qd-157-1999: the căn cứ and xét lines of a decision, dashed
    got = tree(["- Căn cứ Luật đất đai ngày 14/7/1993;", "- Căn cứ vào quy hoạch tổng thể;",
                "- Xét đơn xin quyền sử dụng đất ở tại đô thị của ông, bà: Nông Bích Sảng;",
                "Điều1:- Nay phê duyệt, thu hồi đất đai và giao quyền sử dụng đất ở:",
                "- Lô đất có diện tích là 82,5 m2;", "- Địa điểm tại: Lô đất số 15;",
                "Điều 2: Quyết định này có hiệu lực kể từ ngày ký./."])
    assert [p for _, p, _ in got] == ["Điều 1", "Điều 1.-1", "Điều 1.-2", "Điều 2"]


def test_chapter_label_alone_takes_the_next_line_as_its_heading():
    got = tree(["Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh", "1. Thông tư này quy định việc quản lý.",
                "2. Thông tư này áp dụng với các cơ quan.", "Chương II", "TỔ CHỨC THỰC HIỆN",
                "Điều 2. Hiệu lực thi hành", "Thông tư này có hiệu lực từ ngày 01/7/2021."])
    assert [(k, p, t.split("\n")[0]) for k, p, t in got] == [
        ("S", "Chương I", "QUY ĐỊNH CHUNG"), ("S", "Chương I.Điều 1", "Phạm vi điều chỉnh"),
        ("T", "Chương I.Điều 1.1", "Thông tư này quy định việc quản lý."),
        ("T", "Chương I.Điều 1.2", "Thông tư này áp dụng với các cơ quan."),
        ("S", "Chương II", "TỔ CHỨC THỰC HIỆN"), ("T", "Chương II.Điều 2", "Hiệu lực thi hành")]


def test_plan_parts_with_capital_letters():
    got = tree(["A. MỤC TIÊU", "1. Nâng cao chất lượng dịch vụ công.", "B. NHIỆM VỤ", "1. Sở Tài chính:",
                "- Bố trí kinh phí thực hiện.", "- Hướng dẫn thanh quyết toán."])
    assert [(k, p) for k, p, _ in got] == [("S", "A"), ("T", "A.1"), ("S", "B"), ("S", "B.1"),
                                           ("T", "B.1.-1"), ("T", "B.1.-2")]


@pytest.mark.parametrize("text, last, label", [
    ("IL. MỤC TIÊU", None, "I"),                 # the dot read as an L
    ("IL KẾT QUẢ THỰC HIỆN", None, "I"),
    ("II Ý KIẾN KẾT LUẬN", "I", "II"),            # the dot lost
    ("IL KHÓ KHĂN, VƯỚNG MẮC", "I", "I"),         # the same again: mended to the next in the tree
    ("HI. NỘI DUNG HOẠT ĐỘNG", "II", "III"),      # bold III read HI.
    ("L MỤC ĐÍCH", None, "I"),                    # I read as L
    ("IH. Một số nhiệm vụ công tác chủ yếu", "I", "II"),   # a phone photo's II. (issue 11)
    ("IH Một số nhiệm vụ", "I", None),            # no dot: not sure enough in sentence case
    ("VI PHẠM HÀNH CHÍNH", "I", None),            # not the next roman: a word
    ("I Sở Tài chính", None, None),               # not a heading in capitals
])
def test_roman_labels_as_ocr_leaves_them(text, last, label):
    from pipeline.analyse.body import _ocr_roman
    found = _ocr_roman(text, last)
    assert (found.label if found else None) == label


def test_a_sentence_announcing_its_list_is_a_task():
    # real scan qngai-04-qd-138: the article decides, its list spells out what it names
    got = tree(["Điều 1. Công nhận địa bàn trọng điểm, phức tạp về TTATXH chuyển hóa đạt năm 2024 đối với "
                "07 xã, phường thuộc địa bàn tỉnh Quảng Ngãi, gồm:",
                "1. Phường Nghĩa Chánh, thành phố Quảng Ngãi;", "2. Xã Ba Trang, huyện Ba Tơ.",
                "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký."])
    assert [(k, p) for k, p, _ in got] == [("T", "Điều 1"), ("T", "Điều 1.1"), ("T", "Điều 1.2"), ("T", "Điều 2")]


def test_a_lead_in_of_what_a_unit_is_to_do_stays_a_section():
    # real scan qngai-51-qd-ub
    got = tree(["Điều 2. UBND huyện Nghĩa Hành chịu trách nhiệm thực hiện các nội dung cụ thể như sau:",
                "1. Công tác phòng ngừa sự cố", "- Phổ biến các nội dung của Kế hoạch.",
                "Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký."])
    assert [(k, p) for k, p, _ in got][:2] == [("S", "Điều 2"), ("S", "Điều 2.1")]


def test_a_preamble_wrapped_at_a_dash_makes_no_bullet():
    # real text PDF qngai-vht534: `…Sở Lao động` / `– Xã hội, Ban Dân tộc HĐND tỉnh; …`
    got = tree(["Ngày 12/11/2024, tại trụ sở UBND tỉnh, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp, cùng dự có "
                "lãnh đạo Sở Lao động", "– Xã hội, Ban Dân tộc HĐND tỉnh; lãnh đạo các Sở, ngành.",
                "I. Đánh giá chung", "UBND tỉnh xác định các Chương trình có ý nghĩa đặc biệt quan trọng."])
    assert [p for _, p, _ in got] == ["I"]


def test_a_title_over_dashes_keeps_its_bullets():
    got = tree(["Chế độ báo cáo", "- Báo cáo công tác chuẩn bị Tết, gửi trước ngày 26/01/2022;",
                "- Báo cáo nhanh kết quả hoạt động trong 3 ngày Tết."])
    assert [p for _, p, _ in got] == ["-1", "-2"]


def test_an_articles_first_point_on_its_own_line():
    # real scan caobang-ubnd-qd-157-1999: `Điều 2: a) …` — the article has no title
    got = tree(["Điều 1. Nay phê duyệt giao quyền sử dụng đất ở.",
                "Điều 2: a) Uỷ ban nhân dân thị xã Cao Bằng có nhiệm vụ giải phóng mặt bằng.",
                "- Thu tiền giao quyền sử dụng đất ở tại đô thị.",
                "b) Ông, bà Nông Bích Sảng có trách nhiệm đền bù hoa màu.",
                "Điều 3: Chánh văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./."])
    assert [(k, p) for k, p, _ in got] == [("T", "Điều 1"), ("S", "Điều 2"), ("T", "Điều 2.a"), ("T", "Điều 2.a.-1"),
                                          ("T", "Điều 2.b"), ("T", "Điều 3")]


def _ocr_tree(texts):
    from pipeline.analyse.body import items_to_tree, paragraphs_to_items, walk
    blocks = [Block(text=t, confidence=95.0) for t in texts]
    return [item.path for item in walk(items_to_tree(paragraphs_to_items(blocks, list(range(len(blocks))))))]


@pytest.mark.parametrize("letters, paths", [
    # qngai-16ct: the clerk counts d elsewhere; OCR read 12's `d)` as `đ)`
    (["a", "b", "c", "d", "đ", "a", "b", "c", "đ"], ["1.a", "1.b", "1.c", "1.d", "1.đ", "2.a", "2.b", "2.c", "2.d"]),
    # qngai-04ct: a clerk who counts a, b, c, đ, e, g
    (["a", "b", "c", "đ", "e", "g"], ["1.a", "1.b", "1.c", "1.đ", "1.e", "1.g"]),
    # two `d` in a row: the second was `đ`
    (["a", "b", "c", "d", "d"], ["1.a", "1.b", "1.c", "1.d", "1.đ"]),
])
def test_list_letters_as_ocr_reads_d(letters, paths):
    texts, arabic = [], 0
    for k, letter in enumerate(letters):
        if letter == "a":
            arabic += 1
            texts.append(f"{arabic}. Sở Công Thương chủ trì, phối hợp thực hiện")
        texts.append(f"{letter}) Tăng cường kiểm tra việc thực hiện số {k}.")
    assert [p for p in _ocr_tree(texts) if "." in p] == paths
