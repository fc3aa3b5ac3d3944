"""Ingest: any file an archive holds → an `IngestedDocument` of NFC blocks with provenance.

One module per kind of file; each exposes `read(data: bytes, path: str) -> IngestedDocument`.
The kind is sniffed from the bytes, never trusted from the name (a .pdf that is really a
.docx is read as a .docx). No python-docx, pdfium or tesseract object leaves this package.
"""
from __future__ import annotations

import hashlib
import importlib
import time
from pathlib import Path

from pipeline.errors import IngestError, TooLarge
from pipeline.ingest.sniff import sniff
from pipeline.model import IngestedDocument

# Files above this are refused before anything parses them; an archive's notices are a
# few MB even as 600 dpi scans.
MAX_FILE_BYTES = 200 * 1024 * 1024

# sniffed kind -> module under pipeline.ingest that reads it
READERS = {
    "docx": "docx",
    "doc": "doc",
    "rtf": "doc",
    "odt": "doc",
    "pdf": "pdf",
    "image": "ocr",
    "txt": "text",
}


def read_bytes(data: bytes, path: str) -> IngestedDocument:
    """Read one file's bytes; `path` is only used to name the file in provenance and errors."""
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(path, f"file is {len(data):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    started = time.perf_counter()
    kind = sniff(data, path)
    reader = importlib.import_module(f"pipeline.ingest.{READERS[kind]}")
    try:
        doc = reader.read(data, path)
    except IngestError:
        raise
    except (MemoryError, RecursionError) as e:
        raise TooLarge(path, f"{kind} file exhausted a limit while parsing ({type(e).__name__})") from e
    except Exception as e:  # a parser library's own error: name the file and the reason
        raise IngestError(path, f"could not read {kind} file: {type(e).__name__}: {e}") from e
    sha = hashlib.sha256(data).hexdigest()
    return doc.model_copy(update={"sha256": sha, "source_path": str(path),
                                  "ingest_ms": (time.perf_counter() - started) * 1000})


def read(path: str | Path) -> IngestedDocument:
    """Read one file from disk."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TooLarge(str(path), f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
        data = p.read_bytes()
    except OSError as e:
        raise IngestError(str(path), f"cannot open file: {e.strerror or e}") from e
    return read_bytes(data, str(path))
