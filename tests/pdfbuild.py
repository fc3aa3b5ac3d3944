"""Minimal PDFs written by hand for the tests: numbered objects, then a correct
cross-reference table and trailer, so a reader fails (or not) for the reason the test means."""
from __future__ import annotations


def pdf_from_objects(objects: list[bytes], trailer: bytes = b"", binary_marker: bool = False) -> bytes:
    """Objects 1…n (1 is the catalog) as a PDF; `trailer` adds entries such as /Encrypt."""
    out = bytearray(b"%PDF-1.4\n" + (b"%\xe2\xe3\xcf\xd3\n" if binary_marker else b""))
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    extra = b" " + trailer if trailer else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, extra, xref)
    return bytes(out)
