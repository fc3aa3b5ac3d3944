"""Page numbers and running heads are not body text (issue 12; ../shared/eval/README.md, *What
real files add*): on a notice LibreOffice prints over three pages, with a page number at the top
or the foot (`- 2 -`, `Trang 2/3`, `2`) and a running head on pages 2 and after, the body reads
as the .docx has it and every item stays whole over the page breaks."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from docx_factory import NS, make_docx, p
from test_footnotes import FOOTER, HEADER, STYLES
from pipeline.analyse import analyse
from pipeline.ingest import read_bytes
from pipeline.model import Region

# enough items for three A4 pages, each a paragraph of several lines that a page break may cut,
# no two lines alike (a line repeated at the edge of several pages reads as a running head)
PLACES = ["Hà Nội", "Hải Phòng", "Quảng Ninh", "Bắc Giang", "Lạng Sơn", "Cao Bằng", "Thái Nguyên",
          "Phú Thọ", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình",
          "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên",
          "Khánh Hòa", "Gia Lai", "Kon Tum", "Đắk Lắk", "Lâm Đồng"]
LONG = [f"{k}. Đoàn công tác tại {x} rà soát hồ sơ thủ tục hành chính ở {x}, cập nhật quy trình nội bộ "
        f"của {x}, công khai trên Cổng Dịch vụ công của {x}, hướng dẫn tổ chức, cá nhân ở {x} nộp hồ sơ "
        f"trực tuyến và báo cáo kết quả về Văn phòng Bộ để tổng hợp kết quả của {x}."
        for k, x in enumerate(PLACES, 1)]
PAGE, PAGES = '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>', \
    '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/{kind}" Target="{kind}{n}.xml"/>')
_TYPE = ('<Override PartName="/word/{kind}{n}.xml" ContentType="application/vnd.openxmlformats-'
         'officedocument.wordprocessingml.{kind}+xml"/>')


def _para(*runs: str, align: str = "center") -> str:
    inner = "".join(r if r.startswith("<w:") else f'<w:r><w:t xml:space="preserve">{r}</w:t></w:r>' for r in runs)
    return f'<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr>{inner}</w:p>'


# (case, header paragraphs on pages 2+, footer paragraphs on every page)
FURNITURE = [
    ("page number '- 2 -' at the top of pages 2+", [_para("- ", PAGE, " -")], []),
    ("'Trang 2/3' at the foot of every page", [], [_para("Trang ", PAGE, "/", PAGES, align="right")]),
    ("a bare page number at the foot", [], [_para(PAGE)]),
    ("a running head and its page number on pages 2+",
     [_para("Thông báo số 15/TB-BNV ngày 20 tháng 7 năm 2021 của Bộ Nội vụ", align="right"), _para(PAGE)], []),
]


def _furnished(head: list[str], foot: list[str]) -> bytes:
    parts, rels, types, refs = {}, "", "", ""
    for n, (kind, paras) in enumerate((("header", head), ("footer", foot)), 11):
        if not paras:
            continue
        tag = "hdr" if kind == "header" else "ftr"
        parts[f"word/{kind}{n}.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                        f'<w:{tag} {NS}>{"".join(paras)}</w:{tag}>')
        rels += _REL.format(n=n, kind=kind)
        types += _TYPE.format(n=n, kind=kind)
        refs += f'<w:{kind}Reference w:type="default" r:id="rId{n}"/>'
    body = HEADER + p("THÔNG BÁO") + p("Về việc tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính")
    body += "".join(p(t) for t in LONG) + FOOTER
    # titlePg: the first page has a header of its own (none), as notices are printed; a footer
    # alone stands on every page
    sect = (f'<w:sectPr>{refs}<w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="567" w:footer="567"/>'
            f'{"<w:titlePg/>" if head else ""}</w:sectPr>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document {NS}><w:body>{body}{sect}</w:body></w:document>')
    return make_docx("", document=document, styles=STYLES, parts=parts, rels_extra=rels, types_extra=types)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    tmp = tmp_path_factory.mktemp("furniture")
    docs = []
    for k, (_, head, foot) in enumerate(FURNITURE):
        docs.append(tmp / f"n{k}.docx")
        docs[-1].write_bytes(_furnished(head, foot))
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp), *map(str, docs)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return {k: (tmp / f"n{k}.pdf").read_bytes() for k in range(len(FURNITURE))}


@pytest.mark.parametrize("k", range(len(FURNITURE)), ids=[c[0] for c in FURNITURE])
def test_furniture_is_not_body_text(printed, k):
    doc = read_bytes(printed[k], "n.pdf")
    assert doc.pages and doc.pages >= 3
    body = [b.text for b in doc.blocks if b.region == Region.BODY]
    assert not [t for t in body if t.startswith(("Trang", "- ", "Thông báo số")) or t.isdigit()], body
    notice = analyse(doc)
    got = {t.path: " ".join(t.text.split()) for t in notice.tasks}
    assert got == {str(n): text.split(". ", 1)[1] for n, text in enumerate(LONG, 1)}
