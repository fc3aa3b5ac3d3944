"""Open Office zips and parse their XML without trusting either.

A .docx is a zip of XML parts written by whoever sent it: a member can claim (or hide) a
gigabyte of zeros, and a part can carry a DOCTYPE whose entities expand exponentially or
pull in /etc/passwd. Every member is read in chunks against a cap, and every part is refused
before parsing if it declares a DOCTYPE at all: Office never writes one.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree

from pipeline.errors import CorruptFile, EncryptedFile, TooLarge, UnsafeContent

MAX_MEMBER_BYTES = 200 * 1024 * 1024   # one inflated part
MAX_TOTAL_BYTES = 400 * 1024 * 1024    # all parts read from one file
_CHUNK = 1024 * 1024

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          load_dtd=False, dtd_validation=False, remove_comments=True,
                          remove_pis=True, collect_ids=False)
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class SafeZip:
    """A zip read from bytes whose members are inflated under a size cap."""

    def __init__(self, data: bytes, path: str, *, max_member: int = MAX_MEMBER_BYTES,
                 max_total: int = MAX_TOTAL_BYTES):
        self.path = path
        self.max_member = max_member
        self.max_total = max_total
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._infos = {i.filename: i for i in self._zip.infolist()}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
            raise CorruptFile(path, f"damaged zip container: {e}") from e
        if any(i.flag_bits & 0x1 for i in self._infos.values()):
            raise EncryptedFile(path, "zip members are encrypted")

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise CorruptFile(self.path, f"zip member {name!r} is missing")
        if info.file_size > self.max_member:
            raise TooLarge(self.path, f"zip member {name!r} declares {info.file_size:,} bytes "
                                      f"inflated, over the {self.max_member:,}-byte limit")
        # The declared size can lie; count what actually comes out, chunk by chunk.
        out = bytearray()
        try:
            with self._zip.open(info) as f:
                while True:
                    chunk = f.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > self.max_member:
                        raise TooLarge(self.path, f"zip member {name!r} inflates past the "
                                                  f"{self.max_member:,}-byte limit")
                    if self._read_total + len(out) > self.max_total:
                        raise TooLarge(self.path, f"zip members inflate past the "
                                                  f"{self.max_total:,}-byte total limit")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as e:
            raise CorruptFile(self.path, f"zip member {name!r} is damaged: {e}") from e
        self._read_total += len(out)
        return bytes(out)


def check_xml(blob: bytes, path: str, part: str) -> None:
    """Refuse a part that declares a DOCTYPE or entities (billion laughs, external files)."""
    head = blob
    if blob[:2] in (b"\xff\xfe", b"\xfe\xff") or blob[:1] == b"\x00" or blob[1:2] == b"\x00":
        try:  # UTF-16 parts: look at the text, not the bytes
            head = blob.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as e:
            raise CorruptFile(path, f"part {part!r} is not valid UTF-16 XML") from e
    if _DTD.search(head):
        raise UnsafeContent(path, f"part {part!r} declares a DOCTYPE/ENTITY; refused unexpanded")


def parse_xml(blob: bytes, path: str, part: str) -> etree._Element:
    """Parse one part after `check_xml`; entities never resolve and nothing is fetched."""
    check_xml(blob, path, part)
    try:
        root = etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError as e:
        raise CorruptFile(path, f"part {part!r} is not well-formed XML: {e}") from e
    if root is None:
        raise CorruptFile(path, f"part {part!r} is empty")
    if root.getroottree().docinfo.doctype:
        raise UnsafeContent(path, f"part {part!r} declares a DOCTYPE; refused")
    return root
