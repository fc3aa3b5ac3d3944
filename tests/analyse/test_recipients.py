"""Nơi nhận and Kính gửi lines → ordered recipients."""
import pytest

from pipeline.analyse.recipients import addressee_lines, lines_to_recipients
from pipeline.model import BBox, Block, IngestedDocument


def recipients(lines, kind="noi-nhan"):
    doc = IngestedDocument.from_blocks([Block(text=t) for t in lines], source_path="x", sha256="", format="txt")
    return [r.text for r in lines_to_recipients(doc.blocks, list(range(len(doc.blocks))), kind)]


def test_noi_nhan_lines_with_wrapped_and_set_apart_parts():
    assert recipients(["- Đ/c Bí thư Thành ủy;", "- Cơ quan Báo&PT, TH Thành phố;", " (để đưa tin)",
                       "- VPUB: CVP, PCVP P.T.T.Huyền,", "phòng: KGVX, TH, HC-QT,", "Trung tâm TTDL&CNS Thành phố;",
                       "- Lưu: VT, KGVX"]) == [
        "Đ/c Bí thư Thành ủy", "Cơ quan Báo&PT, TH Thành phố (để đưa tin)",
        "VPUB: CVP, PCVP P.T.T.Huyền, phòng: KGVX, TH, HC-QT, Trung tâm TTDL&CNS Thành phố", "Lưu: VT, KGVX"]


def test_kinh_gui_list_ends_at_the_first_paragraph():
    blocks = [Block(text=t) for t in ["Kính gửi:", "- Bộ Ngoại giao;", "- Bộ Tài chính.",
                                      "Xét đề nghị của Bộ Thông tin và Truyền thông, Phó Thủ tướng có ý kiến như sau:"]]
    lines, inline, after = addressee_lines(blocks, [0, 1, 2, 3])
    assert (lines, inline, after) == ([1, 2], "", 3)


def test_kinh_gui_on_one_line():
    blocks = [Block(text="Kính gửi: Sở Tài chính tỉnh Quảng Ngãi"), Block(text="Sở Khoa học và Công nghệ nhận được văn bản số 12.")]
    assert addressee_lines(blocks, [0, 1]) == ([], "Sở Tài chính tỉnh Quảng Ngãi", 1)


def test_kinh_gui_on_one_line_with_several_addressees():
    """`;` ends each addressee on one line as it ends each line of a list (tests/data/notices/nghean-ubnd-cv-3120-2021)."""
    blocks = [Block(text="Kính gửi: Các sở, ban, ngành cấp tỉnh; UBND các huyện, thành phố, thị xã.")]
    lines, inline, _ = addressee_lines(blocks, [0])
    assert [r.text for r in lines_to_recipients(blocks, lines, "kinh-gui", 1, inline)] == [
        "Các sở, ban, ngành cấp tỉnh", "UBND các huyện, thành phố, thị xã"]


# (Nơi nhận lines as the real scans' ingest gives them, the recipients gold reads on the page)
NOI_NHAN = [
    # a head whose members follow one a line, each closed by `;` (qngai-16ct)
    (["- UBND các huyện, thị xã, thành phố;", "- Các Công ty: CP Môi trường đô thị Quảng Ngãi;",
      "CP Xây dựng và thoát nước đô thị Quảng Ngãi;", "Điện lực Quảng Ngãi;", "- Bưu điện Quảng Ngãi, Viễn thông Quảng Ngãi;"],
     ["UBND các huyện, thị xã, thành phố",
      "Các Công ty: CP Môi trường đô thị Quảng Ngãi; CP Xây dựng và thoát nước đô thị Quảng Ngãi; Điện lực Quảng Ngãi",
      "Bưu điện Quảng Ngãi, Viễn thông Quảng Ngãi"]),
    # …but a head whose members fit its line lists none on the next: a bullet lost (qngai-47-qd-ub)
    (["- VPUB: PCVP, KGVX;", "Cổng TTĐT tỉnh;", "- Lưu: VT, KTTHh20."],
     ["VPUB: PCVP, KGVX", "Cổng TTĐT tỉnh", "Lưu: VT, KTTHh20"]),
    (["- Các Sở: Tài chính, Nội vụ;", "Ban Dân tộc - Tôn giáo tỉnh;"], ["Các Sở: Tài chính, Nội vụ", "Ban Dân tộc - Tôn giáo tỉnh"]),
    # two lines OCR ran into one (qngai-22-ttr)
    (["- Ban Dân tộc - Tôn giáo tỉnh; - VPUB: CVP, PCVP;"], ["Ban Dân tộc - Tôn giáo tỉnh", "VPUB: CVP, PCVP"]),
    # …not a dash inside a name, nor `;` between two on one line (qngai-2352-07-ct-ubnd)
    (["- TT Tỉnh ủy; TT HĐND tỉnh;"], ["TT Tỉnh ủy; TT HĐND tỉnh"]),
    # a bullet read as a spacing circumflex (qngai-2352-07-ct-ubnd)
    (["- Bộ Tư pháp;", "ˆ Tổng cục THADS;", "- TT Tỉnh ủy; TT HĐND tỉnh;"],
     ["Bộ Tư pháp", "Tổng cục THADS", "TT Tỉnh ủy; TT HĐND tỉnh"]),
    # a note set on the next line stays with its line (qngai-2352-07-ct-ubnd)
    (["- Phó Thủ tướng TT Trương Hòa Bình", "(báo cáo);", "- Văn phòng Chính phủ;"],
     ["Phó Thủ tướng TT Trương Hòa Bình (báo cáo)", "Văn phòng Chính phủ"]),
    # a speck after the line (qngai-280-bc)
    (["- VPUB: CVP, PCVP(KTTH); `", "- Cổng TT-ĐT tỉnh;"], ["VPUB: CVP, PCVP(KTTH)", "Cổng TT-ĐT tỉnh"]),
    # the seal's strokes after the last line, but not a quote that closes a note (caobang-ubnd-qd-157-1999)
    (['- Như điều 3 "Để thi hành"', "- Lưu VT-NĐ | -*“”"], ['Như điều 3 "Để thi hành"', "Lưu VT-NĐ"]),
    (["- Thủ tướng Chính phủ (b/cáo);", "- Ban Dân tộc - Tôn giáo tỉnh;"], ["Thủ tướng Chính phủ (b/cáo)", "Ban Dân tộc - Tôn giáo tỉnh"]),
]


@pytest.mark.parametrize("lines, expected", NOI_NHAN)
def test_noi_nhan_lines(lines, expected):
    assert recipients(lines) == expected


def _placed(rows):
    """Blocks with a page and a box: (text, page, x0, y0, x1, y1, font size)."""
    return [Block(text=t, page=p, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1), font_size=fs)
            for t, p, x0, y0, x1, y1, fs in rows]


def test_noi_nhan_ends_where_the_page_does():
    """A speck on the next page (qngai-90-qd-ct) or a clerk's note there (qngai-15-qd-xp) continues
    no recipient; a line lost its bullet right under a closed one does."""
    blocks = _placed([("- Cổng TTĐT tỉnh;", 1, 91, 682, 200, 694, 11), ("- Lưu: VT, NC(Vi59).", 1, 91, 698, 200, 710, 11),
                      ("m", 2, 6, 708, 12, 716, 11),
                      ("Quyết định đã giao trực tiếp cho................", 5, 81, 63, 400, 80, 12)])
    assert [r.text for r in lines_to_recipients(blocks, [0, 1, 2, 3], "noi-nhan")] == ["Cổng TTĐT tỉnh", "Lưu: VT, NC(Vi59)"]


# Kính gửi with its addressee's address set under it, right of where the label begins; the body
# starts at the margin (qngai-ubnd-tb-46-2025, qngai-53-tb, qngai-ubnd-bc-23-2025)
ADDRESSEES = [
    ([("Kính gửi: Bà Huỳnh Thị Gái, ông Trần Ngọc Vinh", 1, 220, 157, 502, 173, 12.6),
      ("(Địa chỉ: Thôn Thu Xà, xã Nghĩa Hòa,", 1, 278, 176, 490, 189, 10.8),
      ("huyện Tư Nghĩa, tỉnh Quảng Ngãi)", 1, 279, 193, 472, 206, 12.6),
      ("Qua xem xét nội dung đơn đề ngày 10/12/2024 của bà Huỳnh Thị Gái, ông Trần Ngọc Vinh", 1, 86, 228, 537, 373, 12.6)],
     ["Bà Huỳnh Thị Gái, ông Trần Ngọc Vinh (Địa chỉ: Thôn Thu Xà, xã Nghĩa Hòa, huyện Tư Nghĩa, tỉnh Quảng Ngãi)"]),
    ([("Kính gửi: Bà Nguyễn Thị Bích Ngọc và Ông Đoàn Duy Đức", 1, 167, 197, 514, 216, 11.3),
      ("Địa chỉ: Thôn Vĩnh Xuân, xã Phổ Phong, thị xã Đức", 1, 231, 216, 524, 232, 10.1),
      ("Phổ, tỉnh Quảng Ngãi", 1, 231, 233, 354, 246, 12.4),
      ("Chủ tịch UBND tỉnh Quảng Ngãi nhận được Đơn ngày 30/9/2024", 1, 93, 268, 530, 460, 12.4)],
     ["Bà Nguyễn Thị Bích Ngọc và Ông Đoàn Duy Đức Địa chỉ: Thôn Vĩnh Xuân, xã Phổ Phong, thị xã Đức Phổ, tỉnh Quảng Ngãi"]),
    ([("Kính gửi:", 1, 178, 189, 230, 202, 11.9), ("- Văn phòng Chính phủ;", 1, 234, 205, 369, 218, 10.4),
      ("- Bộ trưởng Bộ Nội vụ, Tổ phó Tổ công tác cải cách", 1, 234, 218, 540, 235, 12.2),
      ("thủ tục hành chính của Thủ tướng Chính phủ.", 1, 234, 238, 487, 251, 10.1),
      ("Thực hiện nội dung Công văn số 5633/VPCP-KSTT ngày 25/7/2023", 1, 79, 259, 540, 324, 11.2)],
     ["Văn phòng Chính phủ",
      "Bộ trưởng Bộ Nội vụ, Tổ phó Tổ công tác cải cách thủ tục hành chính của Thủ tướng Chính phủ"]),
]


@pytest.mark.parametrize("rows, expected", ADDRESSEES)
def test_kinh_gui_with_its_wrapped_lines(rows, expected):
    blocks = _placed(rows)
    lines, inline, after = addressee_lines(blocks, list(range(len(blocks))))
    assert after == len(blocks) - 1           # the body's paragraph is not an addressee's
    assert [r.text for r in lines_to_recipients(blocks, lines, "kinh-gui", 1, inline)] == expected


def test_kinh_gui_lines_are_not_taken_past_a_full_stop():
    """An addressee closed by `.` ends the list, however the next line stands."""
    blocks = _placed([("Kính gửi: Sở Tài chính.", 1, 178, 189, 400, 202, 12),
                      ("Sở Tài chính chủ trì, phối hợp", 1, 200, 205, 500, 218, 12)])
    assert addressee_lines(blocks, [0, 1])[2] == 1
