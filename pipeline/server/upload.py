"""Receiving uploaded files: the multipart body is parsed as it streams in, each file part is
written to a temporary file in the uploads folder while its sha256 is computed, and the
request is refused with 413 the moment a part (or the whole body) passes the limit, not
after reading it all. A kept file is named by its sha256; the name the client sent is never
a path, only text (`clean_name`)."""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header

MAX_FILES_PER_REQUEST = 20
FORM_OVERHEAD = 64 * 1024        # headers and small fields around the files
MAX_NAME_CHARS = 200


class UploadRefused(Exception):
    def __init__(self, status: int, error: str, message: str):
        self.status, self.error, self.message = status, error, message
        super().__init__(message)


@dataclass
class Received:
    name: str                    # the client's file name, cleaned: text, never a path
    size: int
    sha256: str
    path: Path                   # uploads/<sha256>
    media_type: str = ""


@dataclass
class _Part:
    headers: dict = field(default_factory=dict)
    field_name: Optional[str] = None
    filename: Optional[str] = None
    tmp: Optional[Path] = None
    fh: object = None
    hash: object = None
    size: int = 0
    value: bytearray = field(default_factory=bytearray)


def clean_name(raw: Optional[str]) -> str:
    """The client's file name as safe text: NFC, last path component only (`/` and `\\`),
    no control characters, at most 200 characters; `upload` when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return name[:MAX_NAME_CHARS] or "upload"


async def receive_files(request, upload_dir: Path, field_name: str, max_file_bytes: int,
                        max_files: int = MAX_FILES_PER_REQUEST) -> tuple[list[Received], dict[str, str]]:
    """Parse the multipart body of `request` as it arrives; return the files sent in
    `field_name` (stored as upload_dir/<sha256>) and the other small fields."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadRefused(415, "UnsupportedMediaType",
                            f"send the file as multipart/form-data in the field {field_name!r}")
    max_total = max_file_bytes * max_files + FORM_OVERHEAD
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_total:
        raise UploadRefused(413, "TooLarge", f"the request is {int(declared):,} bytes; "
                                             f"the limit is {max_file_bytes:,} bytes a file")
    upload_dir.mkdir(parents=True, exist_ok=True)
    parts: list[_Part] = []
    state = {"header_field": b"", "header_value": b"", "over": None}

    def on_part_begin():
        parts.append(_Part())

    def on_header_field(data, start, end):
        state["header_field"] += data[start:end]

    def on_header_value(data, start, end):
        state["header_value"] += data[start:end]

    def on_header_end():
        parts[-1].headers[state["header_field"].decode("latin-1").lower()] = state["header_value"]
        state["header_field"], state["header_value"] = b"", b""

    def on_headers_finished():
        part = parts[-1]
        _, disp = parse_options_header(part.headers.get("content-disposition", b""))
        part.field_name = disp.get(b"name", b"").decode("utf-8", "replace")
        fname = disp.get(b"filename")
        if fname is not None:
            part.filename = fname.decode("utf-8", "replace")
            if part.field_name != field_name:
                return
            if sum(1 for p in parts if p.tmp is not None) >= max_files:
                state["over"] = UploadRefused(413, "TooManyFiles", f"at most {max_files} files at a time")
                return
            part.tmp = upload_dir / f".incoming-{secrets.token_hex(8)}"
            part.fh = open(part.tmp, "xb")
            part.hash = hashlib.sha256()

    def on_part_data(data, start, end):
        part = parts[-1]
        chunk = data[start:end]
        part.size += len(chunk)
        if part.fh is not None:
            if part.size > max_file_bytes:
                state["over"] = UploadRefused(413, "TooLarge", f"{clean_name(part.filename)} is over the "
                                                                f"limit of {max_file_bytes:,} bytes a file")
                return
            part.fh.write(chunk)
            part.hash.update(chunk)
        elif part.filename is None and len(part.value) < 4096:
            part.value += chunk[:4096 - len(part.value)]

    def on_part_end():
        part = parts[-1]
        if part.fh is not None:
            part.fh.close()
            part.fh = None

    parser = MultipartParser(params[b"boundary"], {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished})
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > max_total:
                raise UploadRefused(413, "TooLarge", f"the request passed {max_total:,} bytes; "
                                                     f"the limit is {max_file_bytes:,} bytes a file")
            parser.write(chunk)
            if state["over"] is not None:
                raise state["over"]
        parser.finalize()
        received = []
        for part in parts:
            if part.tmp is None:
                continue
            if part.fh is not None:
                raise UploadRefused(400, "BadRequest", "the multipart body ended inside a file")
            sha = part.hash.hexdigest()
            final = upload_dir / sha
            if final.exists():
                part.tmp.unlink()
            else:
                os.replace(part.tmp, final)
            part.tmp = None
            received.append(Received(clean_name(part.filename), part.size, sha, final,
                                     part.headers.get("content-type", b"").decode("latin-1")))
    except MultipartParseError as e:
        raise UploadRefused(400, "BadRequest", f"the multipart body is malformed: {e}") from e
    finally:
        for part in parts:
            if part.fh is not None:
                part.fh.close()
            if part.tmp is not None and part.tmp.exists():
                part.tmp.unlink()
    fields = {p.field_name: p.value.decode("utf-8", "replace") for p in parts
              if p.filename is None and p.field_name}
    return received, fields
