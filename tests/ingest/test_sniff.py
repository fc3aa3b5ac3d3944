"""The kind of a file comes from its bytes, never from its name."""
import io
import zipfile

import pytest

from pipeline.errors import CorruptFile, EmptyDocument, UnsupportedFormat
from pipeline.ingest.sniff import sniff


def _zip(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, "<x/>")
    return buf.getvalue()


KINDS = [
    (b"%PDF-1.7\n...", "x.docx", "pdf"),
    (_zip("word/document.xml"), "x.pdf", "docx"),
    (_zip("content.xml"), "x.odt", "odt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "WordDocument".encode("utf-16-le"), "x.doc", "doc"),
    (b"{\\rtf1\\ansi hello}", "x.rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "x.png", "image"),
    ("Thông báo số 12/TB-SKHCN".encode("utf-8"), "x.pdf", "txt"),
    ("\ufeffThông báo".encode("utf-8"), "x.txt", "txt"),
    ("Thông báo".encode("utf-16"), "x.txt", "txt"),
    ("So: 12/TB-SKHCN ngay 02/4/2021".encode("utf-16-le"), "x.txt", "txt"),   # UTF-16 without BOM
    ("Thông báo cho các đơn".encode("cp1258"), "x.txt", "txt"),               # Windows-1258
    (b"Th\xe9ng b\xb8o k\xd5t lu\xd8n", "x.txt", "txt"),                    # TCVN3 bytes
]


@pytest.mark.parametrize("data,name,kind", KINDS)
def test_sniff(data, name, kind):
    assert sniff(data, name) == kind


REFUSED = [
    (b"", EmptyDocument), (b"   \n", EmptyDocument),
    (b"%", CorruptFile), (b"P", CorruptFile), (b"PK\x03", CorruptFile),        # cut short
    (b"PK\x03\x04garbage that is no zip", CorruptFile),
    (b"<!DOCTYPE html><html><body>not a notice</body></html>", UnsupportedFormat),
    (bytes(range(256)) * 8, UnsupportedFormat),                                # random bytes
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8, UnsupportedFormat),   # OLE, no Word stream
]


@pytest.mark.parametrize("data,error", REFUSED)
def test_sniff_refuses(data, error):
    with pytest.raises(error) as e:
        sniff(data, "bad.pdf")
    assert "bad.pdf" in str(e.value)
