"""Footnotes are not body text (issue 12; ../shared/eval/README.md, *What real files add*): an
item cut by a footnote or a page break keeps its text whole, without it; the citations, dates and
persons of a footnote still count. In .docx the notes are read from word/footnotes.xml; in a text
PDF (here LibreOffice's print of such a .docx) from the small lines at a page's foot."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from docx_factory import footnote_ref, make_docx, p, p_runs, table
from office import pdf_to_scan
from pipeline.analyse import analyse
from pipeline.ingest import read_bytes
from pipeline.model import Region

HEADER = table([[["BỘ NỘI VỤ", "Số: 15/TB-BNV"],
                 ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "Hà Nội, ngày 20 tháng 7 năm 2021"]]])
FOOTER = table([[["Nơi nhận:", "- Các đơn vị thuộc Bộ;", "- Lưu: VT, VP."],
                 ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Trọng Thừa"]]])
# as Word sets a notice: Times New Roman 14 pt, footnotes in its `footnote text` style, 10 pt
STYLES = ('<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>'
          '<w:sz w:val="28"/></w:rPr></w:rPrDefault></w:docDefaults>'
          '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
          '<w:rPr><w:sz w:val="20"/></w:rPr></w:style>')
NOTES = ["Thông tư số 01/2020/TT-BNV ngày 15/01/2020 của Bộ trưởng Bộ Nội vụ, do ông Lê Vĩnh Tân ký.",
         "Theo Kết luận số 12/KL-BNV ngày 05/3/2021 của Bộ Nội vụ."]


def _notice(items: list[str], refs: dict[int, tuple[str, str]]) -> bytes:
    """A notice whose item k carries footnote refs[k] = (note number, text after the mark)."""
    body = [HEADER, p("THÔNG BÁO"), p("Về việc tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính")]
    for k, text in enumerate(items):
        if k in refs:
            number, after = refs[k]
            body.append(p_runs(text, footnote_ref(int(number)), after))
        else:
            body.append(p(text))
    body.append(FOOTER)
    return make_docx("".join(body), styles=STYLES, footnotes=NOTES)


SHORT = _notice(["1. Văn phòng Bộ tiếp nhận hồ sơ theo Thông tư số 01/2020/TT-BNV",
                 "2. Các đơn vị báo cáo kết quả trước ngày 30/9/2021."],
                {0: ("1", " ngày 15/01/2020."), 1: ("2", "")})


def test_docx_footnotes_are_blocks_after_the_body():
    doc = read_bytes(SHORT, "tb.docx")
    notes = [b for b in doc.blocks if b.region == Region.FOOTNOTE]
    assert [b.text for b in notes] == [f"{n} {t}" for n, t in enumerate(NOTES, 1)]
    # after everything else, never inside the body
    assert doc.blocks[-len(notes):] == notes
    body = [b.text for b in doc.blocks if b.region == Region.BODY]
    # the reference mark is not glued to the word it follows
    assert "1. Văn phòng Bộ tiếp nhận hồ sơ theo Thông tư số 01/2020/TT-BNV ngày 15/01/2020." in body
    assert "2. Các đơn vị báo cáo kết quả trước ngày 30/9/2021." in body


def test_docx_footnotes_count_but_are_no_items():
    notice = analyse(read_bytes(SHORT, "tb.docx"))
    texts = {t.path: t.text for t in notice.tasks}
    assert texts == {"1": "Văn phòng Bộ tiếp nhận hồ sơ theo Thông tư số 01/2020/TT-BNV ngày 15/01/2020.",
                     "2": "Các đơn vị báo cáo kết quả trước ngày 30/9/2021."}
    assert {c.ref for c in notice.citations} >= {"01/2020/TT-BNV", "12/KL-BNV"}
    assert {str(d.value) for d in notice.dates} >= {"2020-01-15", "2021-03-05", "2021-09-30"}
    assert "Lê Vĩnh Tân" in {x.name for x in notice.persons}


def test_a_docx_without_footnotes_has_no_footnote_blocks():
    doc = read_bytes(make_docx(HEADER + p("THÔNG BÁO") + p("1. Một việc.")), "x.docx")
    assert all(b.region != Region.FOOTNOTE for b in doc.blocks)


# --- the same in a text PDF: a note at a page's foot cutting an item over the page break --------

LONG = [f"{k}. Đơn vị số {k} rà soát hồ sơ thủ tục hành chính thuộc phạm vi quản lý, cập nhật quy trình "
        f"nội bộ, công khai trên Cổng Dịch vụ công, hướng dẫn tổ chức, cá nhân nộp hồ sơ trực tuyến, "
        f"bảo đảm đúng thời hạn và báo cáo kết quả về Văn phòng Bộ để tổng hợp theo quy định hiện hành."
        for k in range(1, 15)]


@pytest.fixture(scope="module")
def footnoted_pdf(tmp_path_factory):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("footnotes")
    src = tmp / "tb.docx"
    # note 1 in item 2, note 2 in item 9: both stand at the foot of the page their item is on
    src.write_bytes(_notice(LONG, {1: ("1", ""), 8: ("2", "")}))
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp), str(src)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return (tmp / "tb.pdf").read_bytes()


def test_pdf_footnotes_are_set_aside(footnoted_pdf):
    doc = read_bytes(footnoted_pdf, "tb.pdf")
    assert doc.pages and doc.pages >= 2
    notes = [b for b in doc.blocks if b.region == Region.FOOTNOTE]
    assert [b.text for b in notes] == [f"{n} {t}" for n, t in enumerate(NOTES, 1)]
    assert doc.blocks[-len(notes):] == notes
    assert not any("Lê Vĩnh Tân" in b.text for b in doc.blocks if b.region == Region.BODY)


def test_pdf_items_cut_by_footnotes_and_page_breaks_stay_whole(footnoted_pdf):
    notice = analyse(read_bytes(footnoted_pdf, "tb.pdf"))
    got = {t.path: " ".join(t.text.split()) for t in notice.tasks}
    assert got == {str(k): text.split(". ", 1)[1] for k, text in enumerate(LONG, 1)}
    assert {c.ref for c in notice.citations} >= {"01/2020/TT-BNV", "12/KL-BNV"}
    assert "Lê Vĩnh Tân" in {x.name for x in notice.persons}


# --- and in a scan of that PDF: OCR's word heights, and the rule's band above the notes --------

def test_scan_footnotes_are_set_aside(footnoted_pdf, tmp_path):
    pdf = tmp_path / "tb.pdf"
    pdf.write_bytes(footnoted_pdf)
    pdf_to_scan(pdf, tmp_path / "tb.scan.pdf", seed=3)
    doc = read_bytes((tmp_path / "tb.scan.pdf").read_bytes(), "tb.scan.pdf")
    notes = [b.text for b in doc.blocks if b.region == Region.FOOTNOTE]
    assert [n.split(" ", 1)[0] for n in notes] == ["1", "2"]
    assert "12/KL-BNV" in notes[1]
    assert not any("Lê Vĩnh Tân" in b.text for b in doc.blocks if b.region == Region.BODY)
    assert [t.path for t in analyse(doc).tasks] == [str(k) for k in range(1, len(LONG) + 1)]
