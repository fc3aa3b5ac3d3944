"""Scans and images: OCR text as the .docx has it, columns apart on a real signed scan.

Each dev scan is OCRed once per session (about 1.3 s a page on two cores)."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from pipeline.errors import CorruptFile, TooLarge
from pipeline.ingest import orientation, read, read_bytes
from pipeline.ingest.pdf import open_pdf
from pipeline.model import Region
from _similarity import DEV, RENDERED, body_text, docx_body, similarity

SCANS = RENDERED + ["chinhphu-ttg-qd-729-2026"]


@pytest.fixture(scope="session")
def scans():
    return {name: read(DEV / f"{name}.scan.pdf") for name in SCANS}


@pytest.mark.parametrize("name", RENDERED)
def test_scan_body_matches_docx(scans, name):
    assert similarity(body_text(scans[name]), docx_body(name)) >= 0.97


@pytest.mark.parametrize("name", SCANS)
def test_scan_format_and_confidence(scans, name):
    doc = scans[name]
    assert doc.format == "scan"
    assert all(b.confidence is not None and 0 <= b.confidence <= 100 for b in doc.blocks)
    assert all(b.bbox and b.bbox.x1 <= 700 and b.bbox.y1 <= 900 for b in doc.blocks), "bbox in points"


# (scan, header-left line, header-right line)
COLUMNS = [
    ("chinhphu-ttg-qd-729-2026", "THỦ TƯỚNG CHÍNH PHỦ", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("haugiang-ubnd-cv-454-2011", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("vinhlong-ubnd-qd-18-2009", "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
]


@pytest.mark.parametrize("name,left,right", COLUMNS)
def test_scan_header_columns_apart(scans, name, left, right):
    regions = {}
    for b in scans[name].blocks:        # first occurrence: the issuer recurs above the căn cứ
        regions.setdefault(b.text, b.region)
    assert regions.get(left) == Region.HEADER_LEFT
    assert regions.get(right) == Region.HEADER_RIGHT
    assert regions.get("Nơi nhận:") == Region.FOOTER_LEFT


@pytest.mark.parametrize("angle", [-2.5, 1.5])
def test_deskew_finds_the_angle(angle):
    pdf = open_pdf((DEV / "haugiang-ubnd-cv-454-2011.pdf").read_bytes(), "x.pdf")
    page = pdf[0].render(scale=100 / 72, grayscale=True).to_pil().convert("L")
    tilted = page.rotate(angle, fillcolor=255, expand=False)
    assert orientation.estimate_skew(tilted) == pytest.approx(angle, abs=0.2)


def test_image_reads_as_image():
    pdf = open_pdf((DEV / "haugiang-ubnd-cv-454-2011.scan.pdf").read_bytes(), "x.pdf")
    img = pdf[0].render(scale=200 / 72).to_pil()
    img = img.crop((0, 0, img.width, img.height // 4))          # the header only: quick
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(200, 200))
    doc = read_bytes(buf.getvalue(), "header.png")
    assert doc.format == "image" and doc.pages == 1
    regions = {b.text: b.region for b in doc.blocks}
    assert regions.get("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == Region.HEADER_RIGHT


@pytest.mark.parametrize("size", [(12000, 9000), (20000, 20000)])
def test_huge_image_is_refused(size):
    buf = io.BytesIO()
    Image.new("1", size, 1).save(buf, format="PNG")
    with pytest.raises(TooLarge) as err:
        read_bytes(buf.getvalue(), "huge.png")
    assert err.value.path == "huge.png"


def test_truncated_image_is_corrupt():
    buf = io.BytesIO()
    Image.new("L", (400, 300), 255).save(buf, format="PNG")
    with pytest.raises(CorruptFile):
        read_bytes(buf.getvalue()[:120], "cut.png")


# The signer's title and name under the seal of the government scan: the page pass skips
# that corner, the second pass over the signature column reads it.
SIGNERS = [("chinhphu-ttg-qd-729-2026", "Lê Minh Hưng"), ("qngai-skhcn-tb-ketluan-2021", "Nguyễn Thị Xuân"),
           # tesseract reads this line twice, once as junk: the surer reading of each word is kept
           ("vinhlong-ubnd-qd-18-2009", "Nguyễn Văn Diệp")]


@pytest.mark.parametrize("name,signer", SIGNERS)
def test_scan_signature_column_is_read(scans, name, signer):
    right = [b.text for b in scans[name].blocks if b.region == Region.FOOTER_RIGHT]
    assert signer in right


# A small recipient line on the baseline of a large bold title in the other column comes out
# of the page pass as junk; read again alone it is whole.
FOOTER_LINES = [("qngai-skhcn-tb-ketluan-2021", "- GD, các PGĐ Sở;"), ("qngai-skhcn-tb-ketluan-2021", "- Lưu: VT, VP."),
                # 12 pt on the line of a bold 14 pt `PHÓ CHỦ TỊCH`: read `= Nhĩ tiện;` with it
                ("haugiang-ubnd-cv-454-2011", "- Như trên;")]


@pytest.mark.parametrize("name,line", FOOTER_LINES)
def test_scan_recipient_line_beside_a_title_is_read(scans, name, line):
    left = [b.text for b in scans[name].blocks if b.region == Region.FOOTER_LEFT]
    assert line in left


@pytest.fixture(scope="module")
def upright_scan_page():
    pdf = open_pdf((DEV / "haugiang-ubnd-cv-454-2011.scan.pdf").read_bytes(), "x.pdf")
    img = pdf[0].render(scale=200 / 72).to_pil()
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(200, 200))
    return img, read_bytes(buf.getvalue(), "upright.png")


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_scanned_sideways_or_upside_down_is_read_upright(upright_scan_page, turn):
    # the page lies turned `turn` degrees counter-clockwise: it takes as many clockwise to read
    img, upright = upright_scan_page
    assert not any("turned" in w for w in upright.warnings)
    buf = io.BytesIO()
    img.rotate(turn, expand=True, fillcolor="white").save(buf, format="PNG", dpi=(200, 200))
    doc = read_bytes(buf.getvalue(), f"fed-{turn}.png")
    assert any(f"turned {turn}° clockwise" in w for w in doc.warnings), doc.warnings
    assert similarity(doc.text, upright.text) >= 0.97
    regions = {b.text: b.region for b in doc.blocks}
    assert regions.get("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == Region.HEADER_RIGHT


@pytest.mark.parametrize("clockwise, sideways", [(0, False), (90, True), (180, False), (270, True)])
def test_sideways_by_the_ink_profile(clockwise, sideways):
    pdf = open_pdf((DEV / "vinhlong-ubnd-qd-18-2009.scan.pdf").read_bytes(), "x.pdf")
    page = pdf[0].render(scale=100 / 72, grayscale=True).to_pil().convert("L")
    assert orientation.is_sideways(page.rotate(clockwise, expand=True, fillcolor=255)) is sideways


def test_a_scan_under_another_programs_invisible_ocr_text_is_read_again(tmp_path):
    """tesseract's own searchable PDF (what OCR programs and scanners leave): an image of the
    page with the recognised text laid over it invisibly, in a glyphless font."""
    import subprocess

    import pypdfium2 as pdfium

    png = tmp_path / "page.png"
    pdfium.PdfDocument(DEV / "haugiang-ubnd-cv-454-2011.scan.pdf")[0].render(scale=200 / 72).to_pil().save(png, dpi=(200, 200))
    subprocess.run(["tesseract", str(png), str(tmp_path / "searchable"), "-l", "vie", "pdf"], check=True, capture_output=True)
    data = (tmp_path / "searchable.pdf").read_bytes()
    layer = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
    assert "Kính gửi" in layer                      # the page has a text layer, and a readable one
    doc = read_bytes(data, "haugiang.ocr.pdf")
    assert doc.format == "scan"
    assert any("invisible OCR text" in w for w in doc.warnings), doc.warnings
    assert similarity(body_text(doc), docx_body("haugiang-ubnd-cv-454-2011")) >= 0.97
    regions = {b.text: b.region for b in doc.blocks}
    assert regions.get("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == Region.HEADER_RIGHT
