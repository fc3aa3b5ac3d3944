"""Text PDFs: body text as the .docx has it, header and footer columns apart, page furniture."""
from __future__ import annotations


import pypdfium2 as pdfium
import pytest

from pipeline.ingest import read
from pipeline.model import Region
from _similarity import DEV, RENDERED, body_text, docx_body, docx_cells, fold, region_text, similarity

# (notice, header-left line, header-right line, footer-right signer)
COLUMNS = [
    ("qngai-skhcn-tb-ketluan-2021", "UBND TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Thị Xuân"),
    ("haugiang-ubnd-cv-454-2011", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Trần Thành Lập"),
    ("tw-vpcp-cv-4663-2008", "VĂN PHÒNG CHÍNH PHỦ", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Xuân Phúc"),
    ("vinhlong-ubnd-qd-18-2009", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Văn Diệp"),
    ("hanoi-ubnd-tb-453-2026", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Võ Tuấn Anh"),
]
PAGES = {"qngai-skhcn-tb-ketluan-2021": 6, "haugiang-ubnd-cv-454-2011": 1, "tw-vpcp-cv-4663-2008": 1,
         "vinhlong-ubnd-qd-18-2009": 2, "hanoi-ubnd-tb-453-2026": 1}


@pytest.fixture(scope="module")
def docs():
    return {name: read(DEV / f"{name}.pdf") for name in PAGES}


@pytest.mark.parametrize("name", RENDERED)
def test_body_matches_docx(docs, name):
    assert similarity(body_text(docs[name]), docx_body(name)) >= 0.99


@pytest.mark.parametrize("name", RENDERED)
def test_header_and_footer_columns_match_docx_cells(docs, name):
    cells = docx_cells(name)          # header-left, header-right, footer-left, footer-right
    for region, cell in zip(["header-left", "header-right", "footer-left", "footer-right"], cells):
        assert similarity(region_text(docs[name], region), cell) >= 0.97, region


@pytest.mark.parametrize("name,left,right,signer", COLUMNS)
def test_columns_come_apart(docs, name, left, right, signer):
    doc = docs[name]
    by_text = {b.text: b.region for b in doc.blocks}
    assert by_text[left] == Region.HEADER_LEFT
    assert by_text[right] == Region.HEADER_RIGHT
    assert by_text["Nơi nhận:"] == Region.FOOTER_LEFT
    assert by_text[signer] == Region.FOOTER_RIGHT
    assert not any(left in b.text and right in b.text for b in doc.blocks)
    order = [b.region for b in doc.blocks]
    assert order == sorted(order, key=list(Region).index), "regions out of reading order"


@pytest.mark.parametrize("name,pages", PAGES.items())
def test_format_pages_and_provenance(docs, name, pages):
    doc = docs[name]
    assert (doc.format, doc.pages) == ("pdf", pages)
    assert all(b.page and b.bbox and b.font_size for b in doc.blocks)
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    assert "\u00d0" not in doc.text and "\ufffe" not in doc.text


# (notice, block text, align, bold)
TITLES = [
    ("qngai-skhcn-tb-ketluan-2021", "THÔNG BÁO", "center", True),
    ("qngai-skhcn-tb-ketluan-2021",
     "Kết luận của Giám đốc Sở Khoa học và Công nghệ tại cuộc họp giao ban liên tịch Quý I năm 2021", "center", True),
    ("vinhlong-ubnd-qd-18-2009", "QUYẾT ĐỊNH", "center", True),
    ("vinhlong-ubnd-qd-18-2009",
     "VỀ VIỆC THU HỒI QUYẾT ĐỊNH SỐ 2093/2005/QĐ .UBND NGÀY 06/9/2005 CỦA UỶ BAN NHÂN DÂN TỈNH VĨNH LONG.", "center", True),
    ("hanoi-ubnd-tb-453-2026", "Về việc treo cờ Tổ quốc", "center", True),
]


@pytest.mark.parametrize("name,text,align,bold", TITLES)
def test_centered_titles_are_blocks_of_their_own(docs, name, text, align, bold):
    block = next(b for b in docs[name].blocks if b.text == text)
    assert (block.region, block.align, block.bold) == (Region.BODY, align, bold)


def test_paragraphs_rejoined_with_labels_and_indent(docs):
    body = [b for b in docs["qngai-skhcn-tb-ketluan-2021"].blocks if b.region == Region.BODY]
    starts = [b.text.split(" ")[0] for b in body]
    assert starts.count("(1)") == 8 and starts.count("I.") == 1 and starts.count("II.") == 1
    first = next(b for b in body if b.text.startswith("Ngày 29/3/2021"))
    assert first.text.endswith("đơn vị trực thuộc Sở.") and first.indent > 20
    # a paragraph that runs from page 1 onto page 2 stays one block
    assert any(b.text.startswith("(2) Hoàn thành kịp thời") and b.text.endswith("trong Quý II/2021.") for b in body)


def test_signature_field_text_is_read(docs):
    """The published Hà Nội notice stamps its number and day in signature fields."""
    left = [b.text for b in docs["hanoi-ubnd-tb-453-2026"].blocks if b.region == Region.HEADER_LEFT]
    right = [b.text for b in docs["hanoi-ubnd-tb-453-2026"].blocks if b.region == Region.HEADER_RIGHT]
    assert "Số: 453 /TB-UBND" in left
    assert "Hà Nội, ngày 29 tháng 4 năm 2026" in right


def test_no_page_numbers_in_body(docs):
    assert not any(fold(b.text).isdigit() for b in docs["qngai-skhcn-tb-ketluan-2021"].blocks)


def _drawn_sideways(path, turns: int) -> bytes:
    """The PDF with each page's content drawn `turns` quarter turns counter-clockwise and a
    /Rotate that turns it upright again: it looks the same, its text runs sideways on the page."""
    import io

    import pypdf
    from pypdf import Transformation
    from pypdf.generic import RectangleObject

    writer = pypdf.PdfWriter(clone_from=str(path))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        shift = {1: (h, 0), 2: (w, h), 3: (0, w)}[turns]
        page.add_transformation(Transformation().rotate(90 * turns).translate(*shift))
        box = RectangleObject([0, 0, h, w] if turns % 2 else [0, 0, w, h])
        page.mediabox, page.cropbox = box, box
        page.rotate(90 * turns)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("turns", [1, 2, 3])
# (not the Hà Nội notice: its number is in a signature field, whose box this turning leaves behind)
@pytest.mark.parametrize("name", ["haugiang-ubnd-cv-454-2011", "vinhlong-ubnd-qd-18-2009", "qngai-skhcn-tb-ketluan-2021"])
def test_a_page_turned_upright_by_rotate_reads_as_shown(docs, name, turns):
    from pipeline.ingest import read_bytes
    data = _drawn_sideways(DEV / f"{name}.pdf", turns)
    shown = pdfium.PdfDocument(data)[0]
    assert shown.get_rotation() == 90 * turns
    turned = read_bytes(data, f"{name}.turned{turns}.pdf")
    assert turned.format == "pdf"
    assert turned.text == docs[name].text
    assert [b.region for b in turned.blocks] == [b.region for b in docs[name].blocks]


def test_legacy_font_text_in_a_replaced_font_is_known_by_its_letters():
    """A .VnTime notice printed where no .VnTime is installed: the PDF's font is Helvetica,
    its text TCVN3 codes (`Céng hßa`), so only the letters tell (a soft hyphen is TCVN3's `ư`)."""
    from pdfbuild import pdf_from_objects

    lines = ["Céng hßa x· héi chñ nghÜa ViÖt Nam", "§éc lËp - Tù do - H¹nh phóc",
             "C¬ quan nhµ n\xadíc ph¶i thùc hiÖn ngay."]
    ops = b"BT /F1 12 Tf 72 760 Td 16 TL " + b" ".join(
        b"(" + ln.encode("latin-1") + b") Tj T*" for ln in lines) + b" ET"
    data = pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ])
    from pipeline.ingest import read_bytes
    text = read_bytes(data, "tcvn3-printed.pdf").text
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Cơ quan nhà nước phải thực hiện ngay." in text
