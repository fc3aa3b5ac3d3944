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
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if _looks_like_text(data):
        return "txt"
    raise UnsupportedFormat(path, "content is neither a document, an image nor text")


def _looks_like_text(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    sample = data[:65536]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as e:
        # a multi-byte character cut by the sample's end is still text
        if e.start < len(sample) - 4:
            return False
    lowered = sample[:512].lower()
    if lowered.lstrip().startswith((b"<!doctype html", b"<html")):
        return False
    return b"\x00" not in sample
