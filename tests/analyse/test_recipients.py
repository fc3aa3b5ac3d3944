"""Nơi nhận and Kính gửi lines → ordered recipients."""
from pipeline.analyse.recipients import addressee_lines, lines_to_recipients
from pipeline.model import IngestedDocument, Block


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
