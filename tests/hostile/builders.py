"""Hostile files, built at test time in a folder: damaged copies of the dev notices and files
made from nothing (bombs, external entities, wrong extensions, foreign scripts, legacy
encodings…). Nothing here is committed but this code; every random choice is seeded.

`build_hostile(folder, canary)` writes them all and returns {file name: what it is}; `canary` is
a file outside the folder whose content must never reach the database (an external entity
points at it, as at /etc/passwd).
"""
from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path
from pipeline.devcorpus import DEV_CORPUS
from pdfbuild import pdf_from_objects

DEV = DEV_CORPUS
RULES = Path(__file__).resolve().parents[2] / "rules"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
PKG_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document_xml(paragraphs: list[str], font: str | None = None, doctype: str = "") -> str:
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else ""
    body = "".join(f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{_esc(t)}</w:t></w:r></w:p>'
                   for t in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def docx_bytes(document: str | bytes, extra: dict[str, bytes | str] | None = None) -> bytes:
    """A minimal .docx whose word/document.xml is `document`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PKG_RELS)
        z.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_with_parts(template: Path, replace: dict[str, bytes | str]) -> bytes:
    """A dev .docx with some parts replaced."""
    buf = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return buf.getvalue()


def zip_bomb(target: Path, template: Path, member: str = "word/document.xml",
             inflated: int = 1100 * 1024 * 1024) -> None:
    """A dev .docx whose `member` inflates to `inflated` bytes of zeros (streamed, never held)."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != member:
                z.writestr(info.filename, src.read(info.filename))
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            for _ in range(inflated // len(chunk)):
                f.write(chunk)


def lying_zip_bomb(target: Path, template: Path) -> None:
    """Like `zip_bomb` on word/document.xml (120 MiB of zeros), but its headers claim 4 KiB."""
    import struct
    chunk = b"\0" * (1024 * 1024)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = b"".join(comp.compress(chunk) for _ in range(120)) + comp.flush()
    crc = 0
    for _ in range(120):
        crc = zlib.crc32(chunk, crc)
    buf = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, src.read(info.filename))
    data = bytearray(buf.getvalue())
    # append one more member by hand, sizes lying, then rewrite the central directory
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        infos = z.infolist()
    eocd = data.rfind(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack("<II", data[eocd + 12:eocd + 20])
    central = bytes(data[cd_off:cd_off + cd_size])
    name = b"word/document.xml"
    off = cd_off
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), 4096, len(name), 0) + name
    out = bytes(data[:cd_off]) + local + body
    cd_entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body), 4096,
                           len(name), 0, 0, 0, 0, 0, off) + name
    new_cd = central + cd_entry
    new_off = len(out)
    eocd_rec = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(infos) + 1, len(infos) + 1, len(new_cd), new_off, 0)
    target.write_bytes(out + new_cd + eocd_rec)


BILLION_LAUGHS = """<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def entity_docs(canary: Path) -> dict[str, bytes]:
    """Billion laughs and external entities, in document.xml and in the other parts."""
    xxe = lambda url: f'<!DOCTYPE d [<!ENTITY x SYSTEM "{url}">]>\n'  # noqa: E731

    def doc_with(doctype: str, ref: str) -> str:
        return document_xml(["THÔNG BÁO", "PLACEHOLDER"], doctype=doctype).replace("PLACEHOLDER", ref)
    typed = DEV / "tw-vpcp-cv-4663-2008.docx"
    out = {
        "billion-laughs.docx": docx_bytes(doc_with(BILLION_LAUGHS, "&lol9;")),
        "xxe-passwd.docx": docx_bytes(doc_with(xxe("file:///etc/passwd"), "&x;")),
        "xxe-canary.docx": docx_bytes(doc_with(xxe(canary.resolve().as_uri()), "&x;")),
        "xxe-parameter-entity.docx": docx_bytes(doc_with(
            f'<!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n', "x")),
        "xxe-utf16.docx": docx_bytes(doc_with(xxe("file:///etc/passwd"), "&x;")
                                     .replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")),
        "xxe-in-styles.docx": docx_with_parts(typed, {"word/styles.xml":
            '<?xml version="1.0"?>' + xxe("file:///etc/passwd") + f'<w:styles xmlns:w="{W_NS}">&x;</w:styles>'}),
        "xxe-in-numbering.docx": docx_with_parts(DEV / "tw-vpcp-cv-4663-2008.auto.docx", {"word/numbering.xml":
            '<?xml version="1.0"?>' + xxe("file:///etc/passwd") + f'<w:numbering xmlns:w="{W_NS}">&x;</w:numbering>'}),
        "xxe-xinclude.docx": docx_bytes(document_xml(["THÔNG BÁO"]).replace(
            "<w:body>", '<w:body><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                        'href="file:///etc/passwd" parse="text"/>')),
        "deep-nesting.docx": docx_bytes(document_xml(["x"]).replace(
            "<w:body>", "<w:body>" + "<w:sdt><w:sdtContent>" * 5000 + "</w:sdtContent></w:sdt>" * 5000)),
    }
    return out


# --- PDFs made by hand ------------------------------------------------------------------------

def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A valid PDF: one page per list of lines, Helvetica, ASCII text, with a correct xref."""
    objs: list[bytes] = []
    n_pages = len(pages)
    font_id = 3
    first_page = 4
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        content = ["BT /F1 11 Tf 14 TL 72 770 Td"]
        for line in lines:
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            content.append(f"({safe}) Tj T*")
        content.append("ET")
        stream = "\n".join(content).encode("latin-1", "replace")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
                    f"{font_id} 0 R >> >> /Contents {first_page + 2 * i + 1} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return pdf_from_objects(objs, binary_marker=True)


def zero_page_pdf() -> bytes:
    return pdf_bytes([])


def long_pdf(pages: int = 500) -> bytes:
    lines = [f"Page {{p}} of a long report. Line {k}: the committee reviewed item {k} and agreed." for k in range(40)]
    return pdf_bytes([[l.format(p=p + 1) for l in lines] for p in range(pages)])


def encrypted_pdf() -> bytes | None:
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:
        return None
    w = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes([["Secret notice", "Nothing to read without the password."]]))).pages:
        w.add_page(page)
    w.encrypt(user_password="matkhau", owner_password="chu", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def self_referencing_xref_pdf() -> bytes:
    """A trailer whose /Prev points at its own xref: a loop for a naive reader."""
    data = pdf_bytes([["Loop"]])
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    return data.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % xref)


# --- text in other scripts and encodings ------------------------------------------------------

ENGLISH = ("NOTICE\nThe committee met on 2 April 2021 and agreed the following tasks.\n"
           "1. The finance office shall prepare the budget by 30 June 2021.\n")
CHINESE = "通知\n委员会于2021年4月2日开会，决定以下任务。\n一、财务处应于2021年6月30日前编制预算。\n"
RUSSIAN = "УВЕДОМЛЕНИЕ\nКомитет собрался 2 апреля 2021 года и принял следующие решения.\n1. Финансовый отдел подготовит бюджет до 30 июня 2021 года.\n"
MIXED = ("THÔNG BÁO 通知 УВЕДОМЛЕНИЕ\nSố: 12/TB-UBND — ngày 02 tháng 4 năm 2021 — 2021年4月2日\n"
         "1. Phòng Tài chính (财务处, Финансовый отдел) chủ trì, hoàn thành trước ngày 30/6/2021. 🙂\n"
         "\u202eRTL override\u202c and zero\u200bwidth and combining e\u0301\u0323\n")
VIETNAMESE = ("ỦY BAN NHÂN DÂN TỈNH HẬU GIANG\nSố: 454/UBND-NCTH\nVị Thanh, ngày 6 tháng 4 năm 2011\n"
              "THÔNG BÁO\n1. Giao Sở Văn hóa, Thể thao và Du lịch chủ trì thực hiện trước ngày 30/4/2011.\n")


def tcvn3_encode(text: str) -> str:
    """Vietnamese → the Latin-1 characters a .VnTime font draws it from (rules/legacy/tcvn3.tsv)."""
    inverse: dict[str, str] = {}
    for line in (RULES / "legacy" / "tcvn3.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("legacy") or not line.strip():
            continue
        cols = line.split("\t")
        legacy = "".join(chr(int(h[2:], 16)) for h in cols[0].split())
        inverse.setdefault(cols[1], legacy)
    out = []
    for ch in text:
        out.append(inverse.get(ch) or inverse.get(ch.lower()) or ch)
    return "".join(out)


def cp1258_encode(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: letters with their shape marks precomposed, tone
    marks as combining characters."""
    import unicodedata
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += (base + "".join(c for c in parts if c in tones)).encode("cp1258", "replace")
    return bytes(out)


# --- damage -----------------------------------------------------------------------------------

def truncations(data: bytes, rng: random.Random, n: int) -> list[bytes]:
    cuts = sorted({1, 4, 30, len(data) - 1, len(data) // 2} | {rng.randrange(1, len(data)) for _ in range(n)})
    return [data[:c] for c in cuts[:n]]


def bit_flips(data: bytes, rng: random.Random, n: int) -> list[bytes]:
    out = []
    for k in range(n):
        b = bytearray(data)
        for _ in range(1 + k % 7 * 5):          # 1 to 31 flipped bits
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        out.append(bytes(b))
    return out


def image_bytes(kind: str) -> bytes:
    from PIL import Image
    import numpy as np
    if kind == "blank":
        img = Image.new("L", (1240, 1754), 255)
    elif kind == "noise":
        img = Image.fromarray(np.random.default_rng(0).integers(0, 256, (800, 600), dtype=np.uint8))
    else:  # gradient
        a = np.tile(np.linspace(0, 255, 900, dtype=np.uint8), (700, 1))
        img = Image.fromarray(a)
    buf = io.BytesIO()
    img.save(buf, "JPEG" if kind == "gradient" else "PNG", dpi=(150, 150))
    return buf.getvalue()


def png_decompression_bomb() -> bytes:
    """A PNG header declaring 60000 x 60000 pixels over a tiny body."""
    import struct
    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


def build_hostile(folder: Path, canary: Path, seed: int = 6) -> dict[str, str]:
    """Write the hostile files into `folder`; return {name: what it is}."""
    from pipeline.benchgen import docx_to_pdf, docx_variants

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    made: dict[str, str] = {}

    def put(name: str, data: bytes, what: str) -> None:
        (folder / name).write_bytes(data)
        made[name] = what

    docx_src = [DEV / "qngai-skhcn-tb-ketluan-2021.docx", DEV / "tw-vpcp-cv-4663-2008.auto.docx",
                DEV / "vinhlong-ubnd-qd-18-2009.docx"]
    pdf_src = [DEV / "haugiang-ubnd-cv-454-2011.pdf", DEV / "tw-vpcp-cv-4663-2008.pdf",
               DEV / "hanoi-ubnd-tb-453-2026.pdf"]
    for src in docx_src:
        data = src.read_bytes()
        for k, d in enumerate(truncations(data, rng, 8)):
            put(f"trunc-{k}-{src.name}", d, "truncated docx")
        for k, d in enumerate(bit_flips(data, rng, 16)):
            put(f"flip-{k}-{src.name}", d, "bit-flipped docx")
    for src in pdf_src:
        data = src.read_bytes()
        for k, d in enumerate(truncations(data, rng, 8)):
            put(f"trunc-{k}-{src.name}", d, "truncated pdf")
        for k, d in enumerate(bit_flips(data, rng, 16 if src.stat().st_size < 500_000 else 6)):
            put(f"flip-{k}-{src.name}", d, "bit-flipped pdf")

    for name in ("empty.docx", "empty.pdf", "empty.txt", "empty.png"):
        put(name, b"", "empty file")
    put("whitespace.txt", b" \n\t\r\n   \n", "only whitespace")
    put("zero-pages.pdf", zero_page_pdf(), "PDF with no pages")
    enc = encrypted_pdf()
    if enc is not None:
        put("encrypted.pdf", enc, "password-protected PDF")
    put("xref-loop.pdf", self_referencing_xref_pdf(), "PDF whose xref /Prev points at itself")
    put("long-500-pages.pdf", long_pdf(500), "500-page PDF with text")
    put("header-only.pdf", b"%PDF-1.7\n", "PDF header and nothing else")
    put("pdf-garbage-after-header.pdf", b"%PDF-1.4\n" + random.Random(1).randbytes(20000), "PDF header, random body")

    zip_bomb(folder / "zip-bomb.docx", DEV / "tw-vpcp-cv-4663-2008.docx")
    made["zip-bomb.docx"] = "document.xml inflates past 1 GiB"
    zip_bomb(folder / "zip-bomb-unused-member.docx", DEV / "tw-vpcp-cv-4663-2008.docx",
             member="word/media/zeros.bin")
    made["zip-bomb-unused-member.docx"] = "a member no reader needs inflates past 1 GiB"
    lying_zip_bomb(folder / "zip-bomb-lying-size.docx", DEV / "tw-vpcp-cv-4663-2008.docx")
    made["zip-bomb-lying-size.docx"] = "document.xml inflates to 120 MiB while its headers say 4 KiB"
    for name, data in entity_docs(canary).items():
        put(name, data, "XML entity / external reference")

    paras = [f"Đoạn {i}: Giao phòng {i % 17} thực hiện nhiệm vụ số {i} trước ngày {1 + i % 28}/{1 + i % 12}/2021."
             for i in range(20000)]
    put("twenty-thousand-paragraphs.docx", docx_bytes(document_xml(["THÔNG BÁO"] + paras)), "20,000 paragraphs")
    put("zip-not-word.docx", _zip({"hello.txt": "not a word file"}), "zip without word/document.xml")
    put("docx-no-body.docx", docx_bytes(f'<w:document xmlns:w="{W_NS}"/>'), "document.xml without w:body")
    put("docx-bad-xml.docx", docx_bytes("<w:document><w:body><w:p>"), "document.xml not well-formed")
    put("ole-garbage.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(2).randbytes(30000), "OLE magic, random body")

    # wrong extensions both ways: distinct notices (new numbers) so they are not duplicates
    variants = docx_variants(folder / ".gen", 6, seed=seed, start=90001)
    pdfs = docx_to_pdf([Path(v.path) for v in variants[3:]], folder / ".gen" / "pdf")
    for v in variants[:3]:
        put(Path(v.path).name.replace(".docx", ".pdf"), Path(v.path).read_bytes(), "docx named .pdf")
    for p in pdfs:
        put(p.name.replace(".pdf", ".docx"), p.read_bytes(), "pdf named .docx")
    for p in (folder / ".gen").rglob("*"):
        if p.is_file():
            p.unlink()
    for p in sorted((folder / ".gen").rglob("*"), reverse=True):
        p.rmdir()
    (folder / ".gen").rmdir()

    put("page.html.pdf", b"<!DOCTYPE html><html><body><h1>Not found</h1></body></html>", "HTML named .pdf")
    put("page2.pdf", "<html><head><title>THONG BAO</title></head><body>Số: 1/TB</body></html>".encode(), "HTML named .pdf")
    for k in range(8):
        put(f"random-{k}.pdf", random.Random(100 + k).randbytes(rng.choice([1, 10, 1000, 50000])), "random bytes named .pdf")
    for k in range(4):
        put(f"random-{k}.docx", random.Random(200 + k).randbytes(5000), "random bytes named .docx")
        put(f"random-pk-{k}.docx", b"PK\x03\x04" + random.Random(300 + k).randbytes(5000), "zip magic, random body")

    for name, text in (("english", ENGLISH), ("chinese", CHINESE), ("russian", RUSSIAN), ("mixed", MIXED)):
        put(f"{name}.txt", text.encode("utf-8"), f"{name} text")
        put(f"{name}.docx", docx_bytes(document_xml(text.splitlines())), f"{name} docx")
    legacy = tcvn3_encode(VIETNAMESE)
    put("tcvn3.txt", legacy.encode("latin-1", "replace"), "TCVN3 text")
    put("tcvn3.docx", docx_bytes(document_xml(legacy.splitlines(), font=".VnTime")), "TCVN3 docx (.VnTime)")
    put("utf16-le-bom.txt", VIETNAMESE.encode("utf-16"), "UTF-16 with BOM")
    put("utf16-be-bom.txt", b"\xfe\xff" + VIETNAMESE.encode("utf-16-be"), "UTF-16 BE with BOM")
    put("utf16-le-no-bom.txt", VIETNAMESE.encode("utf-16-le"), "UTF-16 without BOM")
    put("cp1258.txt", cp1258_encode(VIETNAMESE), "Windows-1258 text")
    put("nul-bytes.txt", b"abc\0def\0" * 100, "text with NUL bytes")
    put("blank.png", image_bytes("blank"), "image with no text")
    put("noise.png", image_bytes("noise"), "image of noise")
    put("gradient.jpg", image_bytes("gradient"), "image with no text")
    put("png-bomb.png", png_decompression_bomb(), "PNG declaring 60000x60000 pixels")
    put("tên tệp có dấu & khoảng trắng.txt", VIETNAMESE.encode("utf-8"), "unicode file name")
    return made


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()

