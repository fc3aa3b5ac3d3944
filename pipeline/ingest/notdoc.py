"""Files that are not documents: what an archive's folders hold beside the notices (gold JSON,
a README in markdown, desktop.ini, Thumbs.db, a spreadsheet, a zip, a saved web page).

`check_document(data, path)` raises `NotADocument` naming what the file is; the importer, the
watcher and the upload server then skip it instead of failing it, so a folder that holds such
files still imports cleanly (issue 13). The kind is read from the content, the file name
only helps choose between text formats (a `.md` is markdown only when it is text):

- a name that claims a document (`.docx`, `.pdf`, `.doc`…) is never skipped: a `.docx` that
  is a plain zip is a damaged or mislabelled notice, which the clerk must see as a failure;
- images are not skipped: a photo or a page scan is read by OCR.

Pure: bytes in, an exception or nothing out.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import PurePath
from typing import Callable, Optional

from pipeline.errors import NotADocument

# names that claim a document the pipeline reads: their content decides success or failure
DOCUMENT_SUFFIXES = {".docx", ".docm", ".dotx", ".doc", ".dot", ".pdf", ".rtf", ".odt"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ARCHIVES = ((b"\x1f\x8b", "gzip archive"), (b"BZh", "bzip2 archive"), (b"\xfd7zXZ\x00", "xz archive"),
             (b"7z\xbc\xaf\x27\x1c", "7-zip archive"), (b"Rar!\x1a\x07", "rar archive"))
_DATABASES = ((b"SQLite format 3\x00", "SQLite"), (b"\x00\x01\x00\x00Standard Jet DB", "Access"),
              (b"\x00\x01\x00\x00Standard ACE DB", "Access"))
# OLE stream names (UTF-16) → what an OLE file holding them is, when it holds no WordDocument
_OLE_STREAMS = (("Workbook", "spreadsheet"), ("Book", "spreadsheet"),
                ("PowerPoint Document", "presentation"), ("Catalog", "thumbnail cache"))
# an XML file that is a Word or OpenDocument file saved as one XML (read as text today)
_WORD_XML = re.compile(rb"progid=\"Word\.Document\"|<w:wordDocument|<pkg:package|<office:document", re.I)
# what only markdown writes: a heading, a code fence, a table rule, a link
_MD_MARKS = (re.compile(r"^#{1,6} \S", re.M), re.compile(r"^```", re.M),
             re.compile(r"^\|? ?:?-{3,}:? ?\|", re.M), re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"))
_INI_LINE = re.compile(r"^\s*(\[[^\]\n]+\]|[^=\n\[]+=.*|[;#].*)?\s*$")


def check_document(data: bytes, path: str) -> None:
    """Raise `NotADocument` when `data` is plainly not a document; return otherwise."""
    found = file_kind(data, path)
    if found is not None:
        kind, reason = found
        raise NotADocument(path, kind, reason)


def file_kind(data: bytes, path: str) -> Optional[tuple[str, str]]:
    """(kind, reason) of a file that is not a document, or None for one that may be."""
    if not data.strip() or PurePath(path).suffix.lower() in DOCUMENT_SUFFIXES:
        return None
    for detect in _DETECTORS:
        found = detect(data, path)
        if found is not None:
            return found
    return None


def _binary(data: bytes, path: str) -> Optional[tuple[str, str]]:
    for magic, name in _ARCHIVES:
        if data.startswith(magic):
            return "archive", f"a {name}, not a document"
    if data[257:262] == b"ustar":
        return "archive", "a tar archive, not a document"
    for magic, name in _DATABASES:
        if data.startswith(magic):
            return "database", f"an {name} database file, not a document"
    if data[8:12] == b"DUCK":
        return "database", "a DuckDB database file, not a document"
    return None


def _zip(data: bytes, path: str) -> Optional[tuple[str, str]]:
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return None
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = set(z.namelist())
        mimetype = z.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError, OSError):
        return None                       # damaged: ingest says how, as a failure
    if "word/document.xml" in names or "opendocument.text" in mimetype:
        return None
    if "xl/workbook.xml" in names or "opendocument.spreadsheet" in mimetype:
        return "spreadsheet", "a spreadsheet (Excel or OpenDocument), not a document"
    if "ppt/presentation.xml" in names or "opendocument.presentation" in mimetype:
        return "presentation", "a presentation, not a document"
    return "archive", f"a zip archive of {len(names)} files, not a Word or OpenDocument file"


def _ole(data: bytes, path: str) -> Optional[tuple[str, str]]:
    if not data.startswith(OLE) or "WordDocument".encode("utf-16-le") in data:
        return None
    for stream, kind in _OLE_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return kind, f"an OLE compound file holding {stream!r}: a {kind}, not a Word document"
    return "ole", "an OLE compound file without a WordDocument stream: not a Word document"


def _text(data: bytes) -> Optional[str]:
    """The file as text when it is UTF-8 or UTF-16 with a BOM (the encodings data files use)."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _markup(data: bytes, path: str) -> Optional[tuple[str, str]]:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:300]:
        return "html", "a web page (HTML), not a notice"
    if head.startswith((b"<?xml", b"<")) and not _WORD_XML.search(data[:4096]):
        text = _text(data)
        if text is not None and text.rstrip().endswith(">"):
            return "xml", "XML data that is not a Word or OpenDocument file"
    return None


def _data_text(data: bytes, path: str) -> Optional[tuple[str, str]]:
    text = _text(data)
    if text is None or "\x00" in text:
        return None
    stripped, name = text.strip(), PurePath(path).name.lower()
    if stripped[:1] in "{[":
        try:
            json.loads(stripped)
            return "json", "JSON data, not a document"
        except ValueError:
            pass
    lines = [ln for ln in stripped.splitlines() if ln.strip()]
    if name.endswith((".md", ".markdown")) or sum(bool(m.search(stripped)) for m in _MD_MARKS) >= 2:
        return "markdown", "a markdown text (notes, a README), not a notice"
    if name.endswith((".ini", ".cfg", ".conf")) or (
            any(ln.lstrip().startswith("[") for ln in lines[:3]) and all(_INI_LINE.match(ln) for ln in lines)):
        return "ini", "a settings file (ini), not a document"
    if name.endswith((".csv", ".tsv")) or _is_table(lines):
        return "csv", "a table of values (CSV), not a document"
    return None


def _is_table(lines: list[str]) -> bool:
    """Every line splits into the same number of fields (of two or more) by one delimiter:
    a notice's prose never does over four lines and more."""
    sample = lines[:50]
    if len(sample) < 4:
        return False
    return any(len({ln.count(d) for ln in sample}) == 1 and sample[0].count(d) >= 1 for d in (",", ";", "\t"))


_DETECTORS: tuple[Callable[[bytes, str], Optional[tuple[str, str]]], ...] = (
    _binary, _zip, _ole, _markup, _data_text)
