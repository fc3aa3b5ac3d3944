"""Tell the kind of a file from its first bytes (and, for zips, from their members)."""
from __future__ import annotations

import io
import zipfile

from pipeline.errors import CorruptFile, EmptyDocument, UnsupportedFormat

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")


def sniff(data: bytes, path: str) -> str:
    """Return one of docx, doc, rtf, odt, pdf, image, txt; raise a typed IngestError otherwise."""
    if not data.strip():
        raise EmptyDocument(path, "file is empty")
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as e:
            raise CorruptFile(path, f"damaged zip container: {e}") from e
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            return "odt"
        raise UnsupportedFormat(path, "zip archive that is not a Word or OpenDocument file")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # an OLE compound file is a Word 97-2003 document only when it holds the
        # WordDocument stream (an .xls or .ppt, or a damaged file, does not)
        if "WordDocument".encode("utf-16-le") not in data:
            raise UnsupportedFormat(path, "OLE compound file without a WordDocument stream: "
                                          "not a Word document, or damaged")
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    _refuse_truncated(data, path)
    if _looks_like_text(data):
        return "txt"
    raise UnsupportedFormat(path, "content is neither a document, an image nor text")


# the first bytes of the binary formats read here: a file that is only the start of one of
# them was cut short, it is not a one-letter text
_MAGICS = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b"\x89PNG\r\n\x1a\n")


def _refuse_truncated(data: bytes, path: str) -> None:
    head = data.strip()
    if len(head) < 8 and any(m.startswith(head) for m in _MAGICS):
        raise CorruptFile(path, f"file is cut short: {len(data)} bytes, the start of a document")


def _looks_like_text(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    sample = data[:65536]
    lowered = sample[:512].lower()
    if lowered.lstrip().startswith((b"<!doctype html", b"<html")):
        return False
    if _utf16_without_bom(sample):
        return True
    try:
        sample.decode("utf-8")
        return b"\x00" not in sample
    except UnicodeDecodeError as e:
        # a multi-byte character cut by the sample's end is still text
        if e.start >= len(sample) - 4:
            return b"\x00" not in sample
    # an 8-bit code page (Windows-1258, TCVN3, VNI): no NULs, hardly any control bytes
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in sample)
    return b"\x00" not in sample and controls <= len(sample) // 200


def _utf16_without_bom(sample: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte."""
    pairs = sample[: len(sample) - len(sample) % 2]
    if len(pairs) < 8:
        return False
    odd, even = pairs[1::2].count(0), pairs[0::2].count(0)
    return max(odd, even) >= 0.4 * (len(pairs) // 2) and min(odd, even) == 0
