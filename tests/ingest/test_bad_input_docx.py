"""Hostile and broken .docx files: each fails fast with a typed error naming the file."""
from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest

from docx_factory import CONTENT_TYPES, DOC_RELS, PKG_RELS, NS, document_xml, make_docx, p
from pipeline.errors import CorruptFile, EmptyDocument, IngestError, TooLarge, UnsafeContent
from pipeline.ingest import docx, read_bytes
from pipeline.ingest.xmlsafe import SafeZip

PASSWD = open("/etc/passwd", encoding="utf-8", errors="replace").read()

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE w:document [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<w:document {NS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

XXE = f"""<?xml version="1.0"?>
<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<w:document {NS}><w:body><w:p><w:r><w:t>Số: &x;</w:t></w:r></w:p></w:body></w:document>"""

XXE_UTF16 = XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    return buf.getvalue()


def _assert_named(err: IngestError, name: str):
    assert err.path == name and name in str(err) and err.reason


@pytest.mark.parametrize("case, document", [
    ("billion-laughs", BILLION_LAUGHS.encode()),
    ("xxe-file", XXE.encode()),
    ("xxe-utf16", XXE_UTF16.encode("utf-16")),
])
def test_entities_refused_unexpanded(case, document):
    data = make_docx("", document=document)
    with pytest.raises(UnsafeContent) as e:
        read_bytes(data, f"{case}.docx")
    _assert_named(e.value, f"{case}.docx")
    assert "root:" not in str(e.value) and PASSWD[:40] not in str(e.value)


def test_doctype_in_styles_part_refused_too():
    data = _zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PKG_RELS,
                 "word/_rels/document.xml.rels": DOC_RELS,
                 "word/document.xml": document_xml(p("Nội dung")),
                 "word/styles.xml": XXE.replace("w:document", "w:styles")})
    with pytest.raises(UnsafeContent, match="styles.xml"):
        docx.read(data, "styles.docx")


def test_zip_bomb_fails_fast():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PKG_RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(260):            # 260 MB of zeros, ~250 KB compressed
                f.write(chunk)
    data = buf.getvalue()
    assert len(data) < 2_000_000
    t0 = time.perf_counter()
    with pytest.raises(TooLarge) as e:
        read_bytes(data, "bomb.docx")
    assert time.perf_counter() - t0 < 2.0
    _assert_named(e.value, "bomb.docx")


def test_member_inflating_past_cap_is_stopped_while_reading():
    data = _zip({"big.xml": b"<a>" + b" " * 5_000_000 + b"</a>"})
    zf = SafeZip(data, "cap.docx", max_member=10_000_000, max_total=10_000_000)
    assert len(zf.read("big.xml")) > 5_000_000
    with pytest.raises(TooLarge, match="inflates past|declares"):
        SafeZip(data, "cap.docx", max_member=1_000_000).read("big.xml")


def test_lying_size_header_is_corrupt_not_inflated():
    data = bytearray(_zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PKG_RELS,
                           "word/document.xml": b"<a>" + b" " * 3_000_000 + b"</a>"}))
    # patch the central directory's uncompressed size of word/document.xml down to 100 bytes
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml") + 1)
    struct.pack_into("<I", data, cd + 24, 100)
    with pytest.raises(CorruptFile) as e:
        docx.read(bytes(data), "liar.docx")
    _assert_named(e.value, "liar.docx")


@pytest.mark.parametrize("case, mutate", [
    ("truncated", lambda d: d[: len(d) // 2]),
    ("garbage-after-magic", lambda d: b"PK\x03\x04" + b"\x00" * 200),
    ("flipped-bytes", lambda d: d[:200] + bytes(b ^ 0xFF for b in d[200:400]) + d[400:]),
])
def test_corrupt_zip(case, mutate):
    data = mutate(make_docx(p("Nội dung thông báo") * 50))
    with pytest.raises(IngestError) as e:
        read_bytes(data, f"{case}.docx")
    assert isinstance(e.value, (CorruptFile,)) or "zip" in e.value.reason.lower()
    _assert_named(e.value, f"{case}.docx")


def test_malformed_xml_is_corrupt():
    data = make_docx("", document=f"<w:document {NS}><w:body><w:p></w:body>")
    with pytest.raises(CorruptFile, match="well-formed") as e:
        docx.read(data, "bad.docx")
    _assert_named(e.value, "bad.docx")


def test_missing_document_part():
    data = _zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PKG_RELS})
    with pytest.raises(CorruptFile, match="main document"):
        docx.read(data, "nodoc.docx")


@pytest.mark.parametrize("body", ["", p(""), p("   \t  "), "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"])
def test_no_text_is_empty_document(body):
    with pytest.raises(EmptyDocument) as e:
        read_bytes(make_docx(body), "empty.docx")
    _assert_named(e.value, "empty.docx")


def test_external_relationship_is_not_fetched():
    rels = DOC_RELS.replace('Target="styles.xml"', 'Target="http://127.0.0.1:9/styles.xml" TargetMode="External"')
    data = _zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PKG_RELS,
                 "word/_rels/document.xml.rels": rels,
                 "word/document.xml": document_xml(p("Nội dung"))})
    assert docx.read(data, "ext.docx").blocks[0].text == "Nội dung"
