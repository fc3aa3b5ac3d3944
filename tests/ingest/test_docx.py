"""The .docx reader: regions of the header and footer in every layout clerks use, body order,
provenance and formatting, legacy fonts, speed."""
from __future__ import annotations

import io
import time

import docx as python_docx
import pytest

from docx_factory import make_docx, p, table
from pipeline.ingest import docx, read_bytes, tabs
from pipeline.model import Region
from pipeline.devcorpus import DEV_CORPUS

DEV = DEV_CORPUS
HL, HR, B, FL, FR = (Region.HEADER_LEFT, Region.HEADER_RIGHT, Region.BODY, Region.FOOTER_LEFT,
                     Region.FOOTER_RIGHT)


def regions(data: bytes) -> list[tuple[str, str]]:
    return [(b.region.value, b.text) for b in docx.read(data, "t.docx").blocks]


# --- the dev notices -----------------------------------------------------------------------

DEV_EXPECT = [
    ("qngai-skhcn-tb-ketluan-2021",
     ["UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: /TB-SKHCN"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
      "Quảng Ngãi, ngày 02 tháng 4 năm 2021"],
     "THÔNG BÁO",
     ["Nơi nhận:", "- GD, các PGĐ Sở;", "- Đảng ủy, Chủ tịch CĐ, Bí thư ĐTN;",
      "- Các phòng, đơn vị trực thuộc Sở;", "- Lưu: VT, VP."],
     ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Nguyễn Thị Xuân"]),
    ("haugiang-ubnd-cv-454-2011",
     ["ỦY BAN NHÂN DÂN", "TỈNH HẬU GIANG", "Số: 454/UBND-NCTH"], None, "Kính gửi:", None,
     ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thành Lập"]),
    ("tw-vpcp-cv-4663-2008", ["VĂN PHÒNG CHÍNH PHỦ", "Số: 4663/VPCP-QHQT"], None, "Kính gửi:",
     None, ["BỘ TRƯỞNG, CHỦ NHIỆM", "Nguyễn Xuân Phúc"]),
    ("vinhlong-ubnd-qd-18-2009", ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG", "Số: 18/2009/QĐ-UBND"],
     None, "QUYẾT ĐỊNH", None,
     ["TM.ỦY BAN NHÂN DÂN TỈNH", "KT.CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Diệp"]),
]


@pytest.mark.parametrize("name, left, right, first_body, foot_left, foot_right", DEV_EXPECT,
                         ids=[c[0] for c in DEV_EXPECT])
@pytest.mark.parametrize("variant", ["", ".auto"])
def test_dev_notice_regions(name, left, right, first_body, foot_left, foot_right, variant):
    doc = read_bytes((DEV / f"{name}{variant}.docx").read_bytes(), f"{name}{variant}.docx")
    by = {r: [b.text for b in doc.blocks if b.region == r] for r in Region}
    assert by[HL][:len(left)] == left
    if right:
        assert by[HR] == right
    assert by[HR][0].startswith("CỘNG H")
    assert by[B][0] == first_body
    if foot_left:
        assert by[FL] == foot_left
    assert by[FL][0] == "Nơi nhận:"
    assert by[FR] == foot_right
    order = [b.region for b in doc.blocks]
    assert order == sorted(order, key=[HL, HR, B, FL, FR].index)  # reading order of regions
    assert doc.format == "docx" and doc.sha256 and doc.ingest_ms is not None


def test_dev_provenance_and_formatting():
    doc = docx.read((DEV / "qngai-skhcn-tb-ketluan-2021.docx").read_bytes(), "q.docx")
    head = doc.blocks[0]
    assert (head.table, head.cell, head.paragraph, head.bold) == (0, (0, 0), 0, True)
    motto = next(b for b in doc.blocks if b.text.startswith("CỘNG HÒA"))
    assert motto.cell == (0, 1) and motto.align == "center"
    date = next(b for b in doc.blocks if b.text.startswith("Quảng Ngãi, ngày"))
    assert date.italic is True and date.bold is False
    title = next(b for b in doc.blocks if b.text == "THÔNG BÁO")
    assert (title.paragraph, title.table, title.font_size, title.bold) == (1, None, 14.0, True)
    sign = next(b for b in doc.blocks if b.text == "Nguyễn Thị Xuân")
    assert sign.table == 1 and sign.cell == (0, 1)
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text


@pytest.mark.parametrize("name", [c[0] for c in DEV_EXPECT])
def test_body_text_matches_python_docx(name):
    """Every body paragraph python-docx sees is a body block, in the same order."""
    data = (DEV / f"{name}.docx").read_bytes()
    expected = [" ".join(par.text.split()) for par in python_docx.Document(io.BytesIO(data)).paragraphs
                if par.text.strip()]
    ours = [b.text for b in docx.read(data, "x.docx").blocks if b.region == B]
    assert ours == expected


# --- layouts built in the test -------------------------------------------------------------

TAB_HEADER = (
    p("UBND TỈNH QUẢNG NGÃI\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    + p("SỞ Y TẾ\t\tĐộc lập - Tự do - Hạnh phúc")
    + p("Số: 12/TB-SYT\tQuảng Ngãi, ngày 5 tháng 3 năm 2021")
    + p("")
    + p("THÔNG BÁO")
    + p("Về việc tổ chức họp")
    + p("Sở Y tế thông báo như sau.")
)

TAB_FOOTER = (
    p("Nơi nhận:\t\tKT. GIÁM ĐỐC")
    + p("- Như trên;\t\tPHÓ GIÁM ĐỐC")
    + p("- Lưu: VT.")
    + p("")
    + p("\t\t\tNguyễn Văn An")
)


# the header and body both column layouts below read as
HEAD_AND_BODY = [
        ("header-left", "UBND TỈNH QUẢNG NGÃI"), ("header-left", "SỞ Y TẾ"),
        ("header-left", "Số: 12/TB-SYT"),
        ("header-right", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("header-right", "Độc lập - Tự do - Hạnh phúc"),
        ("header-right", "Quảng Ngãi, ngày 5 tháng 3 năm 2021"),
        ("body", "THÔNG BÁO"), ("body", "Về việc tổ chức họp"),
        ("body", "Sở Y tế thông báo như sau."),
]


def test_tab_stop_header_and_footer():
    got = regions(make_docx(TAB_HEADER + TAB_FOOTER))
    assert got == [
        *HEAD_AND_BODY,
        ("footer-left", "Nơi nhận:"), ("footer-left", "- Như trên;"),
        ("footer-left", "- Lưu: VT."),
        ("footer-right", "KT. GIÁM ĐỐC"), ("footer-right", "PHÓ GIÁM ĐỐC"),
        ("footer-right", "Nguyễn Văn An"),
    ]


def _spaced(left: str, right: str) -> str:
    """Two columns on one line as a clerk sets them with the space bar: the right column's
    text pushed over until it sits centred over the page's right half."""
    x = 340 - tabs.width(right, 13) / 2
    return left + " " * max(3, round((x - tabs.width(left, 13)) / (tabs.SPACE * 13))) + right


def test_columns_set_with_spaces():
    body = (p(_spaced("UBND TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            + p(_spaced("SỞ Y TẾ", "Độc lập - Tự do - Hạnh phúc"))
            + p(_spaced("Số: 12/TB-SYT", "Quảng Ngãi, ngày 5 tháng 3 năm 2021"))
            + p("THÔNG BÁO") + p("Về việc tổ chức họp") + p("Sở Y tế   thông báo như sau.")
            + p(_spaced("Nơi nhận:", "KT. GIÁM ĐỐC")) + p(_spaced("- Như trên;", "PHÓ GIÁM ĐỐC"))
            + p("- Sở Tài chính;   - Sở Nội vụ;") + p("- Lưu: VT.") + p("")
            + p(_spaced("", "Nguyễn Văn An")))
    assert regions(make_docx(body)) == [
        *HEAD_AND_BODY,
        # a typist's extra spaces between two recipients are not a second column
        ("footer-left", "Nơi nhận:"), ("footer-left", "- Như trên;"),
        ("footer-left", "- Sở Tài chính; - Sở Nội vụ;"), ("footer-left", "- Lưu: VT."),
        ("footer-right", "KT. GIÁM ĐỐC"), ("footer-right", "PHÓ GIÁM ĐỐC"),
        ("footer-right", "Nguyễn Văn An"),
    ]


@pytest.mark.parametrize("line, expected", [
    ("UBND TỈNH X\tCỘNG HÒA", True), ("\tĐộc lập", True), ("SỞ Y TẾ    Độc lập", True),
    ("     Căn cứ Luật Tổ chức", False),          # indented with spaces: one stretch
    ("Nội dung.  Tiếp theo", False),              # two spaces after a stop: a typist's habit
    ("Số: 12/TB-SYT   ", False),
])
def test_has_gap(line, expected):
    assert tabs.has_gap(line) is expected


def test_soft_line_breaks_split_cell_lines():
    body = (table([[["UBND TỈNH X\nSỞ TƯ PHÁP\nSố: 3/KH-STP"],
                    ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"]]])
            + p("KẾ HOẠCH\nTriển khai công tác năm 2022") + p("Nội dung.")
            + table([[["Nơi nhận:\n- Như trên;"], ["GIÁM ĐỐC\n\n\nLê Văn B"]]]))
    got = regions(make_docx(body))
    assert got == [
        ("header-left", "UBND TỈNH X"), ("header-left", "SỞ TƯ PHÁP"),
        ("header-left", "Số: 3/KH-STP"), ("header-right", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("header-right", "Độc lập - Tự do - Hạnh phúc"), ("body", "KẾ HOẠCH"),
        ("body", "Triển khai công tác năm 2022"), ("body", "Nội dung."),
        ("footer-left", "Nơi nhận:"), ("footer-left", "- Như trên;"),
        ("footer-right", "GIÁM ĐỐC"), ("footer-right", "Lê Văn B"),
    ]


def _textbox(x_emu: int, *lines: str) -> str:
    paras = "".join(p(t) for t in lines)
    return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            f'<wp:positionH relativeFrom="column"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>'
            '<a:graphic><a:graphicData><wps:wsp><wps:txbx>'
            f'<w:txbxContent>{paras}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>'
            '</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
            f'<w:txbxContent>{paras}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            '</mc:AlternateContent></w:r>')


def test_text_boxes_side_by_side_header():
    # right box first in the XML: position and the motto decide, not order
    anchor = ("<w:p>" + _textbox(3000000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                 "Độc lập - Tự do - Hạnh phúc")
              + _textbox(0, "BỘ TÀI CHÍNH", "Số: 45/BTC-TCT") + "</w:p>")
    got = regions(make_docx(anchor + p("CÔNG VĂN") + p("Kính gửi: Các Cục Thuế.")))
    assert got == [("header-left", "BỘ TÀI CHÍNH"), ("header-left", "Số: 45/BTC-TCT"),
                   ("header-right", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                   ("header-right", "Độc lập - Tự do - Hạnh phúc"),
                   ("body", "CÔNG VĂN"), ("body", "Kính gửi: Các Cục Thuế.")]


def test_frames_side_by_side_header():
    left = '<w:framePr w:w="4000" w:hSpace="180" w:wrap="around" w:vAnchor="text" w:hAnchor="margin" w:x="0" w:y="1"/>'
    right = '<w:framePr w:w="5000" w:hSpace="180" w:wrap="around" w:vAnchor="text" w:hAnchor="margin" w:x="4500" w:y="1"/>'
    body = (p("UBND HUYỆN A", ppr=left) + p("Số: 7/UBND", ppr=left)
            + p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ppr=right)
            + p("Độc lập - Tự do - Hạnh phúc", ppr=right)
            + p("THÔNG BÁO") + p("Nội dung."))
    got = regions(make_docx(body))
    assert got[:4] == [("header-left", "UBND HUYỆN A"), ("header-left", "Số: 7/UBND"),
                       ("header-right", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                       ("header-right", "Độc lập - Tự do - Hạnh phúc")]
    assert got[4:] == [("body", "THÔNG BÁO"), ("body", "Nội dung.")]


def test_table_in_the_middle_is_body_with_cell_provenance():
    body = (table([[["UBND TỈNH X"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]]])
            + p("BÁO CÁO") + table([[["STT"], ["Đơn vị"]], [["1"], ["Sở Y tế"]]])
            + p("Trên đây là báo cáo.")
            + table([[["Nơi nhận:"], ["CHỦ TỊCH"]]]))
    doc = docx.read(make_docx(body), "t.docx")
    body_blocks = [b for b in doc.blocks if b.region == B]
    assert [b.text for b in body_blocks] == ["BÁO CÁO", "STT", "Đơn vị", "1", "Sở Y tế",
                                             "Trên đây là báo cáo."]
    cell = body_blocks[4]
    assert (cell.table, cell.cell, cell.paragraph) == (1, (1, 1), 2)
    assert [b.text for b in doc.blocks if b.region == FR] == ["CHỦ TỊCH"]


def test_footer_signature_paragraphs_without_table():
    body = (p("UBND XÃ B\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + p("Nội dung thông báo.")
            + p("TM. ỦY BAN NHÂN DÂN", ppr='<w:jc w:val="center"/><w:ind w:left="5000"/>')
            + p("CHỦ TỊCH", ppr='<w:ind w:left="5000"/>')
            + p("Trần Văn C", ppr='<w:ind w:left="5000"/>')
            + p("Nơi nhận:") + p("- UBND huyện;") + p("- Lưu: VT."))
    got = regions(make_docx(body))
    assert got[2:] == [("body", "Nội dung thông báo."),
                       ("footer-left", "Nơi nhận:"), ("footer-left", "- UBND huyện;"),
                       ("footer-left", "- Lưu: VT."),
                       ("footer-right", "TM. ỦY BAN NHÂN DÂN"), ("footer-right", "CHỦ TỊCH"),
                       ("footer-right", "Trần Văn C")]


def test_no_header_no_footer_is_all_body():
    got = regions(make_docx(p("Ghi chú") + p("Một dòng.")))
    assert got == [("body", "Ghi chú"), ("body", "Một dòng.")]


# --- text and formatting -------------------------------------------------------------------

TEXT_CASES = [
    # (case, body xml, expected first body text)
    ("eth-read-as-Đ", p("\u00d0ộc lập"), "Độc lập"),
    ("nfd-to-nfc", p("Quy\u0301 I"), "Quý I"),
    ("tabs-folded", p("1.\tPhòng Kế hoạch"), "1. Phòng Kế hoạch"),
    ("runs-joined", "<w:p><w:r><w:t>Sở Y</w:t></w:r><w:r><w:t xml:space=\"preserve\"> tế</w:t></w:r></w:p>", "Sở Y tế"),
    ("hyperlink-text", "<w:p><w:hyperlink><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink></w:p>", "Cổng thông tin"),
    ("deleted-text-dropped", "<w:p><w:r><w:t>giữ</w:t></w:r><w:del><w:r><w:delText>xóa</w:delText></w:r></w:del></w:p>", "giữ"),
    ("inserted-text-kept", "<w:p><w:r><w:t>a</w:t></w:r><w:ins><w:r><w:t>b</w:t></w:r></w:ins></w:p>", "ab"),
    ("field-code-dropped", "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>", "3"),
    ("content-control", "<w:sdt><w:sdtContent><w:p><w:r><w:t>Trong sdt</w:t></w:r></w:p></w:sdtContent></w:sdt>", "Trong sdt"),
    ("tcvn3-font", p("Céng hßa", rpr='<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'), "Cộng hòa"),
    ("tcvn3-caps-font", p("th«ng b¸o", rpr='<w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/>'), "THÔNG BÁO"),
    ("vni-font", p("Coäng hoøa", rpr='<w:rFonts w:ascii="VNI-Times" w:hAnsi="VNI-Times"/>'), "Cộng hòa"),
    ("tcvn3-by-letters", p("Së Khoa häc vµ C«ng nghÖ tØnh Qu¶ng Ng·i"), "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"),
    ("vni-by-letters", p("Ñoäc laäp - Töï do - Haïnh phuùc"), "Độc lập - Tự do - Hạnh phúc"),
    ("unicode-untouched", p("Tôi là Bá, ở Đà Nẵng"), "Tôi là Bá, ở Đà Nẵng"),
]


@pytest.mark.parametrize("case, body, expected", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_text(case, body, expected):
    assert docx.read(make_docx(body), "t.docx").blocks[0].text == expected


def test_legacy_font_from_style():
    styles = ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr>'
              '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/><w:sz w:val="28"/></w:rPr></w:style>')
    doc = docx.read(make_docx(p("Quy Õt ®Þnh"), styles=styles), "t.docx")
    assert doc.blocks[0].text == "Quy ết định" and doc.blocks[0].font_size == 14.0


def test_formatting_direct_and_inherited():
    styles = ('<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="26"/></w:rPr></w:rPrDefault>'
              '</w:docDefaults><w:style w:type="paragraph" w:styleId="Tieude"><w:pPr>'
              '<w:jc w:val="center"/><w:ind w:left="720"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
              '<w:style w:type="character" w:styleId="Nghieng"><w:rPr><w:i/></w:rPr></w:style>')
    body = (p("THÔNG BÁO", ppr='<w:pStyle w:val="Tieude"/>')
            + p("không đậm", ppr='<w:pStyle w:val="Tieude"/>', rpr="<w:b w:val=\"0\"/>")
            + p("nghiêng", rpr='<w:rStyle w:val="Nghieng"/><w:sz w:val="24"/>')
            + "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>đậm </w:t></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>"
              "<w:r><w:rPr><w:b/></w:rPr><w:t>hết</w:t></w:r></w:p>"
            + "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>nửa </w:t></w:r><w:r><w:t>đậm</w:t></w:r></w:p>")
    b = docx.read(make_docx(body, styles=styles), "t.docx").blocks
    assert (b[0].bold, b[0].align, b[0].indent, b[0].font_size) == (True, "center", 36.0, 13.0)
    assert b[1].bold is False
    assert (b[2].italic, b[2].font_size) == (True, 12.0)
    assert b[3].bold is True      # space-only runs do not count
    assert b[4].bold is False


def test_python_docx_opens_what_the_factory_builds():
    data = make_docx(TAB_HEADER)
    assert python_docx.Document(io.BytesIO(data)).paragraphs[0].text.startswith("UBND")


def test_built_with_python_docx():
    """A file made by python-docx itself, as a clerk's tool would write it."""
    d = python_docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "BỘ Y TẾ"
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    d.add_paragraph("CHỈ THỊ")
    d.add_paragraph("Về phòng, chống dịch.")
    d.add_paragraph("Mục một", style="List Number")
    d.add_paragraph("Mục hai", style="List Number")
    f = d.add_table(rows=1, cols=2)
    f.cell(0, 0).text = "Nơi nhận:"
    f.cell(0, 1).text = "BỘ TRƯỞNG"
    buf = io.BytesIO()
    d.save(buf)
    doc = docx.read(buf.getvalue(), "pd.docx")
    got = [(b.region.value, b.text) for b in doc.blocks]
    assert got[0] == ("header-left", "BỘ Y TẾ") and got[1][0] == "header-right"
    assert ("body", "1. Mục một") in got and ("body", "2. Mục hai") in got
    assert got[-2:] == [("footer-left", "Nơi nhận:"), ("footer-right", "BỘ TRƯỞNG")]


def test_20000_paragraphs_read_in_linear_time():
    def build(n):
        return make_docx("".join(p(f"{i}. Nhiệm vụ số {i} giao Sở Tài chính thực hiện trước ngày 30/6/2021.")
                                 for i in range(n)))
    small, big = build(2000), build(20000)
    t0 = time.perf_counter()
    docx.read(small, "s.docx")
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    doc = docx.read(big, "b.docx")
    t_big = time.perf_counter() - t0
    assert len(doc.blocks) == 20000
    assert t_big < 20 * t_small + 0.5   # ×10 the paragraphs, well under ×100 the time
    assert t_big < 15.0
