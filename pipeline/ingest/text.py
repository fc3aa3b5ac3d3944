""".txt → blocks: one block per non-empty line (columns set with spaces pulled apart),
decoded the way Vietnamese files come.

Order of attempts: a BOM says UTF-8 / UTF-16 LE / BE; else strict UTF-8; else UTF-16 without
BOM when every other byte is NUL; else Windows-1258 (Vietnamese ANSI, what Notepad on a
Vietnamese Windows writes); TCVN3/VNI text saved from old programs then comes out as Latin
letters and is converted per line by `legacy`.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from pipeline.errors import EmptyDocument
from pipeline.ingest import columns, legacy, tables
from pipeline.model import IngestedDocument

MEDIA_TYPE = "text/plain"


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    # A legacy (TCVN3/VNI) file's bytes are the Latin-1 characters the legacy tables are
    # written in; anything else 8-bit is most likely Windows-1258, the Vietnamese ANSI page.
    latin = data.decode("latin-1")
    found = legacy.detect_legacy(latin)
    if found is not None:
        return latin, found
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError:
        return latin, "latin-1"


def read(data: bytes, path: str) -> IngestedDocument:
    text, encoding = decode(data)
    # a file in a legacy font encoding is in it throughout: every line is converted, not only
    # those long enough to be recognised on their own (`UBND TØNH §¾K L¾K`)
    whole = encoding if encoding in (legacy.TCVN3, legacy.VNI) else None
    items = _items(text.splitlines(), whole)
    blocks, marks = columns.assign_regions(items)
    if not blocks:
        raise EmptyDocument(path, f"text file holds no text (read as {encoding})")
    doc = IngestedDocument.from_blocks(blocks, source_path=path, sha256="", format="txt",
                                       media_type=MEDIA_TYPE, marks=marks,
                                       tables=tables.body_tables(items, blocks))
    if encoding not in ("utf-8", "utf-8-sig", "utf-16"):
        doc.warnings.append(f"no BOM and not UTF-8: decoded as {encoding}")
    return doc


def _items(lines: list[str], whole: str | None) -> list:
    """Lines → paragraphs, and runs of `| … |` lines → tables (tables.py)."""
    items: list = []
    run: list[tuple[int, str]] = []
    count = 0
    for n, line in enumerate(lines + [""]):
        if tables.is_pipe_line(line):
            run.append((n, line))
            continue
        if run:
            table = tables.pipe_table(run, count)
            if table is not None:
                items.append(table)
                count += 1
            run = []
        para = _line_to_para(n, line, whole)
        if para:
            items.append(para)
    return items


# A plain-text copy of a notice keeps its two header and footer columns as runs of spaces
# (or tabs) inside a line, and a right column alone on its line as a deep indent; a
# monospaced character is about 6 points wide.
_GAP = re.compile(r"(?<=\S)(?:\t+| {3,})(?=\S)")
_CHAR_PT = 6.0


def _line_to_para(n: int, line: str, whole: str | None = None) -> columns.Para | None:
    if not line.strip():
        return None
    indent = (len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())) * _CHAR_PT
    cells = []
    for cell in _GAP.split(line.strip()):
        cell = " ".join(cell.split())
        enc = None if cell.isascii() else whole or legacy.detect_legacy(cell)
        if enc:
            cell = legacy.convert(cell, enc)
        cells.append(unicodedata.normalize("NFC", cell).replace("\u00d0", "\u0110"))
    return columns.Para(text="\t".join(cells), index=n, indent=indent or None)
